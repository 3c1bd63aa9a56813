//! The reference profile: what the monitor compares batches against. The binning rules
//! (`stats-spec.md`, "Binned distributions") that fill it in live in `driftscope-drift`.

use serde::{Deserialize, Serialize};

use crate::Artifact;

/// Floor applied to bin proportions before PSI and KL (`stats-spec.md`).
pub const MISSING_FLOOR: f64 = 1e-4;

closed_set!(
    /// The type of a column.
    FeatureType {
        /// Numbers with more than two distinct values in the reference.
        Numerical = "numerical",
        /// Strings, booleans, numbers with at most two distinct values.
        Categorical = "categorical",
        /// A string column whose values are all distinct; never a feature.
        Identifier = "identifier",
    }
);

/// `numpy.quantile(sorted, q, method="linear")`, including numpy's two-sided lerp; `sorted` is
/// non-empty and ascending. Shared by the summary statistics here and the drift crate's bin
/// edges, so both follow one definition.
pub fn linear_quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    let virtual_index = (n - 1) as f64 * q;
    let lo = virtual_index.floor();
    let gamma = virtual_index - lo;
    let lo = (lo as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

/// Summary statistics of a numerical column (missing values excluded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericSummary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (ddof 0).
    pub std: f64,
    /// Minimum.
    pub min: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub p75: f64,
    /// Maximum.
    pub max: f64,
}

impl NumericSummary {
    /// Summary of sorted, NaN-free values; `None` when empty.
    pub fn of_sorted(sorted: &[f64]) -> Option<NumericSummary> {
        let n = sorted.len();
        if n == 0 {
            return None;
        }
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let var = sorted.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64;
        Some(NumericSummary {
            mean,
            std: var.sqrt(),
            min: sorted[0],
            p25: linear_quantile(sorted, 0.25),
            median: linear_quantile(sorted, 0.5),
            p75: linear_quantile(sorted, 0.75),
            max: sorted[n - 1],
        })
    }
}

/// A category and its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    /// The value's text as written.
    pub value: String,
    /// Rows with that value.
    pub count: u64,
}

/// The reference distribution of one feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureProfile {
    /// Column name.
    pub name: String,
    /// Numerical or categorical.
    pub feature_type: FeatureType,
    /// Non-missing values.
    pub count: u64,
    /// Missing values.
    pub missing: u64,
    /// Distinct non-missing values.
    pub distinct: u64,
    /// Summary statistics (numerical only).
    pub summary: Option<NumericSummary>,
    /// Quantile bin edges (numerical only).
    pub bin_edges: Vec<f64>,
    /// Reference count per bin, `bin_edges.len() + 1` bins (numerical only). Proportions are
    /// these counts divided by `count`.
    pub bin_counts: Vec<u64>,
    /// Reference count per category, sorted by value (categorical only).
    pub categories: Vec<CategoryCount>,
}

/// A column left out of the features, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedColumn {
    /// Column name.
    pub name: String,
    /// Why: `target`, `identifier`, `excluded by config`, ...
    pub reason: String,
}

/// `reference_profile.json`: the reference distributions of a model's features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceProfile {
    /// Model version.
    pub model_version: String,
    /// Rows of the reference (the training split).
    pub rows: u64,
    /// Number of quantile bins requested.
    pub n_bins: usize,
    /// Target column.
    pub target: String,
    /// Target label counts in the reference.
    pub target_counts: Vec<CategoryCount>,
    /// Features in column order.
    pub features: Vec<FeatureProfile>,
    /// Columns that are not features.
    pub excluded: Vec<ExcludedColumn>,
    /// Predicted probabilities on the held-out rows (`None` for a profile of a raw file).
    pub predictions: Option<FeatureProfile>,
}

impl Artifact for ReferenceProfile {
    const KIND: &'static str = "reference_profile";
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// The sorted reference values of one numerical feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleColumn {
    /// Column name.
    pub name: String,
    /// Non-missing values, sorted ascending.
    pub sorted_values: Vec<f64>,
}

/// `reference_sample.json`: the reference values needed for exact KS, Mann-Whitney and
/// Wasserstein, kept sorted so a monitor never re-sorts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceSample {
    /// Model version.
    pub model_version: String,
    /// One entry per numerical feature.
    pub columns: Vec<SampleColumn>,
    /// Sorted predicted probabilities on the held-out rows (empty for a raw file).
    pub predictions: Vec<f64>,
}

impl Artifact for ReferenceSample {
    const KIND: &'static str = "reference_sample";
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// The integer whose order is the IEEE total order of `x` ([`f64::total_cmp`]); its own
/// inverse on the bit pattern.
fn total_order_key(bits: u64) -> i64 {
    let b = bits as i64;
    b ^ ((((b >> 63) as u64) >> 1) as i64)
}

/// Sorts `values` ascending in IEEE total order, as `sort_unstable_by(f64::total_cmp)` does but
/// faster: every value's bits are mapped once, in place, to an integer with the same order, the
/// integers are sorted, and mapped back. The `sorted` vectors of artifacts and statistics are
/// sorted this way.
pub fn sort_floats(values: &mut [f64]) {
    if values.windows(2).all(|w| w[0].total_cmp(&w[1]).is_le()) {
        return;
    }
    let as_key = |v: &f64| v.to_bits() as i64;
    for v in values.iter_mut() {
        *v = f64::from_bits(total_order_key(v.to_bits()) as u64);
    }
    values.sort_unstable_by_key(as_key);
    for v in values.iter_mut() {
        *v = f64::from_bits(total_order_key(v.to_bits()) as u64);
    }
}

/// `values` sorted by their `f64` key in IEEE total order (see [`sort_floats`]), then by `T`.
pub fn sort_by_float_key<T: Copy + Ord>(values: &mut [(f64, T)]) {
    let as_key = |v: &(f64, T)| (v.0.to_bits() as i64, v.1);
    for v in values.iter_mut() {
        v.0 = f64::from_bits(total_order_key(v.0.to_bits()) as u64);
    }
    values.sort_unstable_by_key(as_key);
    for v in values.iter_mut() {
        v.0 = f64::from_bits(total_order_key(v.0.to_bits()) as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_sorts_follow_total_order() {
        let mut v = vec![
            3.5,
            -0.0,
            0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -2.0,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE / 4.0,
            1e300,
            -1e-300,
            3.5,
        ];
        for k in 0..500u64 {
            v.push(((k * 7919) % 1001) as f64 / 7.0 - 60.0);
        }
        let mut want = v.clone();
        want.sort_by(f64::total_cmp);
        let mut got = v.clone();
        sort_floats(&mut got);
        let bits = |x: &[f64]| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&got), bits(&want));
        let mut pairs: Vec<(f64, bool)> = v.iter().map(|x| (*x, x.to_bits() % 3 == 0)).collect();
        sort_by_float_key(&mut pairs);
        let firsts: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        assert_eq!(bits(&firsts), bits(&want));
        // Each pair kept its flag.
        assert!(pairs.iter().all(|(x, f)| *f == (x.to_bits() % 3 == 0)));
    }

    #[test]
    fn summary_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4], [25, 50, 75]) = 1.75, 2.5, 3.25
        let s = NumericSummary::of_sorted(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((s.p25, s.median, s.p75), (1.75, 2.5, 3.25));
        assert_eq!(NumericSummary::of_sorted(&[]), None);
    }
}
