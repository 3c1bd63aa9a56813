//! What the engine's queries return, gathered per column, and how two such results of
//! disjoint parts of a batch merge (counts add, extremes combine, value maps add).

use std::collections::BTreeMap;

/// A finite `f64` ordered by value, with `-0.0` folded into `0.0` (SQL engines may group
/// the two apart; as numbers they are one value).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Value(f64);

impl Value {
    /// Wraps a finite value (`-0.0` becomes `0.0`).
    pub fn new(v: f64) -> Value {
        Value(if v == 0.0 { 0.0 } else { v })
    }
    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl Eq for Value {}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Counts of the finite values of a column in bins `(-inf, e_1], ..., (e_k, +inf)`, with the
/// power sums of the values about `shift` (used past the value cap, where no exact value map
/// is kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Binned {
    /// Bin edges, ascending.
    pub edges: Vec<f64>,
    /// One count per bin (`edges.len() + 1`).
    pub counts: Vec<u64>,
    /// Centre of the power sums.
    pub shift: f64,
    /// Sums of `(x - shift)^p` for p = 1..4.
    pub power_sums: [f64; 4],
}

/// How a numerical column's finite values are kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Every distinct value and its count (at most the value cap of them).
    Exact(BTreeMap<Value, u64>),
    /// More distinct values than the cap: bin counts and power sums.
    Binned(Binned),
}

/// A numerical column of the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericColumn {
    /// Column name.
    pub name: String,
    /// NULL (or missing-looking text) cells.
    pub nulls: u64,
    /// NaN cells.
    pub nan: u64,
    /// `+inf` cells.
    pub pos_inf: u64,
    /// `-inf` cells.
    pub neg_inf: u64,
    /// Finite values.
    pub finite: u64,
    /// Smallest finite value (`None` without one).
    pub min: Option<f64>,
    /// Largest finite value.
    pub max: Option<f64>,
    /// The finite values.
    pub values: Values,
}

/// A categorical column of the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalColumn {
    /// Column name.
    pub name: String,
    /// Missing cells (NULL, blank, `nan`, `null`).
    pub missing: u64,
    /// Count of each category, by its text.
    pub counts: BTreeMap<String, u64>,
}

/// A profiled column.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers.
    Numerical(NumericColumn),
    /// Categories.
    Categorical(CategoricalColumn),
}

/// Everything the engine computed for a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineProfile {
    /// Rows of the batch.
    pub rows: u64,
    /// Columns in file order.
    pub columns: Vec<Column>,
}

impl NumericColumn {
    /// Mean and population variance of the finite values: from the exact value map (summed
    /// in ascending value order, so every engine and partitioning gives the same bits), or
    /// from the shifted power sums past the cap.
    pub fn mean_and_variance(&self) -> Option<(f64, f64)> {
        if self.finite == 0 {
            return None;
        }
        let n = self.finite as f64;
        match &self.values {
            Values::Exact(map) => {
                let sum: f64 = map.iter().map(|(v, c)| v.get() * *c as f64).sum();
                let mean = sum / n;
                let ss: f64 = map
                    .iter()
                    .map(|(v, c)| (v.get() - mean).powi(2) * *c as f64)
                    .sum();
                Some((mean, ss / n))
            }
            Values::Binned(b) => {
                let m1 = b.power_sums[0] / n;
                let var = (b.power_sums[1] / n - m1 * m1).max(0.0);
                Some((b.shift + m1, var))
            }
        }
    }
}
