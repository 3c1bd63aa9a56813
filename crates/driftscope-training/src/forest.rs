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

/// A node of a [`Compiled`] forest. A leaf points to itself on both sides, so a row that reached
/// it stays there however many more steps it takes: every row takes exactly `depth` steps per
/// tree, with no data-dependent branch, and several rows walk a tree at once.
#[derive(Debug, Clone, Copy)]
struct Node {
    threshold: f64,
    feature: u32,
    left: u32,
    right: u32,
}

/// A forest laid out for scoring: every tree's nodes in one array (children as absolute
/// indices), leaf values apart, and each tree's depth.
struct Compiled {
    nodes: Vec<Node>,
    values: Vec<f64>,
    roots: Vec<u32>,
    depths: Vec<usize>,
}

/// Rows that walk a tree together (their loads overlap in the memory system).
const LANES: usize = 16;

impl Compiled {
    fn new(forest: &Forest) -> Compiled {
        let mut nodes = Vec::new();
        let mut values = Vec::new();
        let mut roots = Vec::with_capacity(forest.trees.len());
        let mut depths = Vec::with_capacity(forest.trees.len());
        for t in &forest.trees {
            let base = nodes.len() as u32;
            roots.push(base);
            for i in 0..t.feature.len() {
                let me = base + i as u32;
                nodes.push(if t.feature[i] < 0 {
                    Node {
                        threshold: 0.0,
                        feature: 0,
                        left: me,
                        right: me,
                    }
                } else {
                    Node {
                        threshold: t.threshold[i],
                        feature: t.feature[i] as u32,
                        left: base + t.left[i],
                        right: base + t.right[i],
                    }
                });
                values.push(t.value[i]);
            }
            // Depth: longest root-to-leaf path (children come after their parent).
            let mut depth = vec![0usize; t.feature.len()];
            let mut max = 0;
            for i in 0..t.feature.len() {
                if t.feature[i] >= 0 {
                    for c in [t.left[i] as usize, t.right[i] as usize] {
                        depth[c] = depth[i] + 1;
                        max = max.max(depth[c]);
                    }
                }
            }
            depths.push(max);
        }
        Compiled {
            nodes,
            values,
            roots,
            depths,
        }
    }

    /// Adds each tree's leaf value to `acc[r]` for every row `r` of `block` (row-major,
    /// `width` inputs per row), trees in order: the same sums, in the same order, as scoring
    /// one row at a time.
    fn accumulate(&self, block: &[f64], width: usize, acc: &mut [f64]) {
        for (&root, &depth) in self.roots.iter().zip(&self.depths) {
            for (g, acc) in acc.chunks_mut(LANES).enumerate() {
                let rows = &block[g * LANES * width..];
                let mut idx = [root; LANES];
                for _ in 0..depth {
                    for (k, i) in idx.iter_mut().enumerate().take(acc.len()) {
                        let n = self.nodes[*i as usize];
                        let x = rows[k * width + n.feature as usize];
                        *i = if x < n.threshold { n.left } else { n.right };
                    }
                }
                for (a, i) in acc.iter_mut().zip(idx) {
                    *a += self.values[i as usize];
                }
            }
        }
    }
}

/// One model input column, prepared for encoding rows block by block.
enum Prepared {
    /// Values (NaN = missing) and the fill for missing.
    Numeric(Vec<f64>, f64),
    /// Per row, 1 + the category's index, or 0 for a missing or unknown category.
    Codes(Vec<u32>),
}

/// Rows per scoring block: a block's encoded inputs stay in the L2 cache.
const BLOCK: usize = 256;

/// Scores every row of `table` block by block (blocks in parallel): inputs are encoded into a
/// small per-block buffer, never as a whole matrix. Gives exactly what
/// `predict_encoded(forest, encode_rows(..))` gives.
pub fn predict_table(
    features: &[ModelFeature],
    forest: &Forest,
    table: &Table,
) -> Result<Vec<f64>, TrainingError> {
    let n = table.n_rows();
    for f in features {
        if !table.has_column(&f.name) {
            return Err(table
                .missing_column(&f.name, "a feature of the model")
                .into());
        }
    }
    let prepared: Vec<Prepared> = features
        .par_iter()
        .map(|f| -> Result<Prepared, TrainingError> {
            Ok(match &f.encoding {
                Encoding::Numeric { fill } => Prepared::Numeric(table.numeric(&f.name)?, *fill),
                Encoding::OneHot { categories } => {
                    Prepared::Codes(table.text(&f.name)?.codes(|c| {
                        if is_missing(c) {
                            0
                        } else {
                            categories
                                .binary_search_by(|x| x.as_str().cmp(c))
                                .map_or(0, |k| k as u32 + 1)
                        }
                    }))
                }
            })
        })
        .collect::<Result<_, _>>()?;
    let width: usize = features.iter().map(|f| f.encoding.width()).sum();
    let compiled = Compiled::new(forest);
    let n_trees = forest.trees.len() as f64;
    let mut out = vec![0.0; n];
    out.par_chunks_mut(BLOCK).enumerate().for_each_init(
        || vec![0.0; BLOCK * width],
        |buf, (b, acc)| {
            let start = b * BLOCK;
            let rows = acc.len();
            let block = &mut buf[..rows * width];
            block.fill(0.0);
            let mut offset = 0;
            for (f, p) in features.iter().zip(&prepared) {
                match p {
                    Prepared::Numeric(v, fill) => {
                        for r in 0..rows {
                            let x = v[start + r];
                            block[r * width + offset] = if x.is_nan() { *fill } else { x };
                        }
                    }
                    Prepared::Codes(c) => {
                        for r in 0..rows {
                            let k = c[start + r];
                            if k > 0 {
                                block[r * width + offset + k as usize - 1] = 1.0;
                            }
                        }
                    }
                }
                offset += f.encoding.width();
            }
            compiled.accumulate(block, width, acc);
            for a in acc.iter_mut() {
                *a /= n_trees;
            }
        },
    );
    Ok(out)
}
