//! The forest: encoding, fitting with linfa, conversion to the artifact's flat trees, scoring.

use driftscope_artifacts::{Encoding, Forest, ModelFeature, TrainingParams, Tree};
use driftscope_data::{is_missing, Table};
use linfa::prelude::*;
use linfa_trees::{DecisionTree, SplitQuality, TreeNode};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::TrainingError;

/// Rows encoded as model inputs, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    /// Input names (`column` or `column=category`).
    pub names: Vec<String>,
    /// Rows.
    pub n_rows: usize,
    /// `n_rows * names.len()` values.
    pub data: Vec<f64>,
}

impl Encoded {
    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        let w = self.names.len();
        &self.data[i * w..(i + 1) * w]
    }

    /// The given rows, in the given order.
    pub fn select_rows(&self, idx: &[usize]) -> Encoded {
        let mut data = Vec::with_capacity(idx.len() * self.names.len());
        for i in idx {
            data.extend_from_slice(self.row(*i));
        }
        Encoded {
            names: self.names.clone(),
            n_rows: idx.len(),
            data,
        }
    }
}

/// Encodes every row of `table` with fitted encoders.
pub fn encode_rows(features: &[ModelFeature], table: &Table) -> Result<Encoded, TrainingError> {
    let n = table.n_rows();
    let width: usize = features.iter().map(|f| f.encoding.width()).sum();
    let mut names = Vec::with_capacity(width);
    let mut data = vec![0.0; n * width];
    let mut offset = 0;
    for f in features {
        if !table.has_column(&f.name) {
            return Err(table
                .missing_column(&f.name, "a feature of the model")
                .into());
        }
        match &f.encoding {
            Encoding::Numeric { fill } => {
                names.push(f.name.clone());
                for (i, v) in table.numeric(&f.name)?.into_iter().enumerate() {
                    data[i * width + offset] = if v.is_nan() { *fill } else { v };
                }
            }
            Encoding::OneHot { categories } => {
                names.extend(categories.iter().map(|c| format!("{}={c}", f.name)));
                for (i, cell) in table.text(&f.name)?.iter().enumerate() {
                    if let Some(c) = cell.filter(|c| !is_missing(c)) {
                        if let Ok(k) = categories.binary_search_by(|x| x.as_str().cmp(c)) {
                            data[i * width + offset + k] = 1.0;
                        }
                    }
                }
            }
        }
        offset += f.encoding.width();
    }
    Ok(Encoded {
        names,
        n_rows: n,
        data,
    })
}

/// Weight of a positive training row. linfa-trees keeps class weights in a `HashMap` and breaks a
/// tie between classes by its (per-process random) iteration order, which then decides how the
/// tree is pruned; giving positives the weight 1 + 2^-10 makes a tie impossible while the class
/// sums stay exact in f32 (up to 16,368 rows per node), so the same seed gives the same forest.
const POSITIVE_WEIGHT: f32 = 1.0 + 1.0 / 1024.0;

/// Fits the forest: per tree, a seeded bootstrap sample of rows and a random subset of features
/// (without replacement), a linfa-trees CART tree on them; trees are fitted in parallel, each
/// from its own random stream, so the result does not depend on scheduling. The bagging is done
/// here rather than with linfa-ensemble because linfa-ensemble does not take sample weights
/// (needed for determinism, see [`POSITIVE_WEIGHT`]). Leaf values are the positive share of all
/// training rows reaching each leaf.
pub(crate) fn fit_forest(
    x: &Encoded,
    y: &[bool],
    p: &TrainingParams,
    seed: u64,
) -> Result<Forest, String> {
    let width = x.names.len();
    let n = x.n_rows;
    let n_boot = ((n as f64) * p.bootstrap_fraction).ceil().max(1.0) as usize;
    let n_feat = ((width as f64) * p.feature_fraction)
        .ceil()
        .clamp(1.0, width as f64) as usize;
    let tree_params = DecisionTree::<f64, usize>::params()
        .split_quality(SplitQuality::Gini)
        .max_depth(Some(p.max_depth))
        .min_weight_leaf(p.min_samples_leaf as f32)
        .min_weight_split((2 * p.min_samples_leaf) as f32);
    let trees: Result<Vec<Tree>, String> = (0..p.n_trees)
        .into_par_iter()
        .map(|t| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(t as u64 + 1); // stream 0 is the split's
            let rows: Vec<usize> = (0..n_boot).map(|_| rng.gen_range(0..n)).collect();
            let mut selected = rand::seq::index::sample(&mut rng, width, n_feat).into_vec();
            selected.sort_unstable();
            let mut data = Vec::with_capacity(n_boot * n_feat);
            for r in &rows {
                let row = x.row(*r);
                data.extend(selected.iter().map(|f| row[*f]));
            }
            let records =
                Array2::from_shape_vec((n_boot, n_feat), data).map_err(|e| e.to_string())?;
            let targets: Array1<usize> = rows.iter().map(|r| usize::from(y[*r])).collect();
            let weights: Array1<f32> = rows
                .iter()
                .map(|r| if y[*r] { POSITIVE_WEIGHT } else { 1.0 })
                .collect();
            let dataset = Dataset::new(records, targets).with_weights(weights);
            let model = tree_params.fit(&dataset).map_err(|e| e.to_string())?;
            let mut tree = Tree {
                feature: vec![],
                threshold: vec![],
                left: vec![],
                right: vec![],
                value: vec![],
            };
            flatten(model.root_node(), &selected, &mut tree);
            let mut pos = vec![0u64; tree.feature.len()];
            let mut all = vec![0u64; tree.feature.len()];
            for (i, yi) in y.iter().enumerate() {
                let leaf = leaf_of(&tree, x.row(i));
                all[leaf] += 1;
                pos[leaf] += u64::from(*yi);
            }
            for (node, v) in tree.value.iter_mut().enumerate() {
                if tree.feature[node] < 0 && all[node] > 0 {
                    *v = pos[node] as f64 / all[node] as f64;
                }
            }
            Ok(tree)
        })
        .collect();
    Ok(Forest { trees: trees? })
}

/// Appends `node` and its subtree; returns its index. Feature indices are mapped from the tree's
/// feature subset back to the full encoded inputs.
fn flatten(node: &TreeNode<f64, usize>, selected: &[usize], tree: &mut Tree) -> u32 {
    let me = tree.feature.len();
    tree.feature.push(-1);
    tree.threshold.push(0.0);
    tree.left.push(0);
    tree.right.push(0);
    // Until the training rows are routed, a leaf holds linfa's class vote.
    tree.value.push(node.prediction().map_or(0.0, |c| c as f64));
    let children = node.children();
    if let (false, Some(Some(l)), Some(Some(r))) =
        (node.is_leaf(), children.first(), children.get(1))
    {
        let (f, threshold, _) = node.split();
        let (l, r) = (l.as_ref(), r.as_ref());
        tree.feature[me] = selected[f] as i32;
        tree.threshold[me] = threshold;
        tree.value[me] = 0.0;
        let li = flatten(l, selected, tree);
        let ri = flatten(r, selected, tree);
        tree.left[me] = li;
        tree.right[me] = ri;
    }
    me as u32
}

fn leaf_of(tree: &Tree, x: &[f64]) -> usize {
    let mut node = 0usize;
    while tree.feature[node] >= 0 {
        node = if x[tree.feature[node] as usize] < tree.threshold[node] {
            tree.left[node] as usize
        } else {
            tree.right[node] as usize
        };
    }
    node
}

/// Mean leaf value over the trees for every encoded row (rows in parallel).
pub fn predict_encoded(forest: &Forest, x: &Encoded) -> Vec<f64> {
    let n_trees = forest.trees.len() as f64;
    (0..x.n_rows)
        .into_par_iter()
        .map(|i| {
            let row = x.row(i);
            forest
                .trees
                .iter()
                .map(|t| t.value[leaf_of(t, row)])
                .sum::<f64>()
                / n_trees
        })
        .collect()
}
