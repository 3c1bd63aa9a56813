//! Building a feature's reference profile (the `reference_profile.json` entry; the types live in
//! `driftscope-artifacts`): quantile edges and bin counts of a numerical column, sorted category
//! counts of a categorical one.

use driftscope_artifacts::{
    CategoryCount, ColumnValues, FeatureProfile, FeatureType, NumericSummary,
};

use crate::binning::{check_n_bins, counts_of, edges_of};
use crate::{Result, Sorted};

/// Profile of a numerical column from its sorted values (`missing` values left out). An empty
/// sample gives a profile with no values (every value missing); `n_bins == 0` is an error.
///
/// # Example
/// ```
/// use driftscope_drift::{numerical_profile, Sorted};
/// let v = Sorted::new((1..=10).map(f64::from).collect()).unwrap();
/// let p = numerical_profile("x", &v, 2, 2).unwrap();
/// assert_eq!(p.bin_edges, vec![5.5]);
/// assert_eq!(p.bin_counts, vec![5, 5]);
/// assert_eq!((p.count, p.missing, p.distinct), (10, 2, 10));
/// ```
pub fn numerical_profile(
    name: &str,
    sorted: &Sorted<'_>,
    missing: u64,
    n_bins: usize,
) -> Result<FeatureProfile> {
    check_n_bins(n_bins)?;
    let sorted = sorted.as_slice();
    let edges = edges_of(sorted, n_bins);
    let counts = counts_of(sorted, &edges);
    let distinct =
        sorted.windows(2).filter(|w| w[0] != w[1]).count() as u64 + u64::from(!sorted.is_empty());
    Ok(FeatureProfile {
        name: name.to_string(),
        feature_type: FeatureType::Numerical,
        count: sorted.len() as u64,
        missing,
        distinct,
        summary: NumericSummary::of_sorted(sorted),
        bin_edges: edges,
        bin_counts: counts,
        categories: Vec::new(),
    })
}

/// Profile of a categorical column from its (value, count) pairs, in any order.
///
/// # Example
/// ```
/// use driftscope_drift::{categorical_profile, CategoryCount};
/// let c = |v: &str, n| CategoryCount { value: v.into(), count: n };
/// let p = categorical_profile("plan", vec![c("b", 2), c("a", 3)], 1);
/// assert_eq!(p.categories[0].value, "a");
/// assert_eq!((p.count, p.distinct), (5, 2));
/// ```
pub fn categorical_profile(
    name: &str,
    mut counts: Vec<CategoryCount>,
    missing: u64,
) -> FeatureProfile {
    counts.sort_by(|a, b| a.value.cmp(&b.value));
    FeatureProfile {
        name: name.to_string(),
        feature_type: FeatureType::Categorical,
        count: counts.iter().map(|c| c.count).sum(),
        missing,
        distinct: counts.len() as u64,
        summary: None,
        bin_edges: Vec::new(),
        bin_counts: Vec::new(),
        categories: counts,
    }
}

/// Profile of a column from its extracted values; `Ok(None)` for a numerical column holding
/// text. Numerical values that are not sorted or not finite are an error.
///
/// # Example
/// ```
/// use driftscope_drift::{feature_profile, ColumnValues};
/// let v = ColumnValues::Numerical { sorted: vec![1.0, 2.0, 3.0], missing: 0 };
/// let p = feature_profile("x", &v, 10).unwrap().unwrap();
/// assert_eq!(p.count, 3);
/// let bad = ColumnValues::Numerical { sorted: vec![2.0, 1.0], missing: 0 };
/// assert!(feature_profile("x", &bad, 10).is_err());
/// ```
pub fn feature_profile(
    name: &str,
    values: &ColumnValues,
    n_bins: usize,
) -> Result<Option<FeatureProfile>> {
    match values {
        ColumnValues::Numerical { sorted, missing } => {
            let sorted = Sorted::from_sorted(sorted)?;
            numerical_profile(name, &sorted, *missing, n_bins).map(Some)
        }
        ColumnValues::Categorical { counts, missing } => {
            Ok(Some(categorical_profile(name, counts.clone(), *missing)))
        }
        ColumnValues::NotNumerical { .. } => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bin_index;

    #[test]
    fn numerical_profile_counts_match_bin_index() {
        let v: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64).collect();
        let v = Sorted::new(v).unwrap();
        let p = numerical_profile("x", &v, 3, 10).unwrap();
        let mut want = vec![0u64; p.bin_edges.len() + 1];
        for x in v.as_slice() {
            want[bin_index(&p.bin_edges, *x).unwrap()] += 1;
        }
        assert_eq!(p.bin_counts, want);
        assert_eq!(p.count, 1000);
        assert_eq!(p.missing, 3);
        assert_eq!(p.distinct, 101);
        let s = p.summary.unwrap();
        assert_eq!((s.min, s.max), (0.0, 100.0));
    }

    #[test]
    fn empty_and_bad_inputs() {
        let empty = Sorted::new(vec![]).unwrap();
        let p = numerical_profile("x", &empty, 4, 10).unwrap();
        assert_eq!((p.count, p.bin_counts.clone()), (0, vec![0]));
        assert!(numerical_profile("x", &empty, 4, 0).is_err());
        let nan = ColumnValues::Numerical {
            sorted: vec![1.0, f64::NAN],
            missing: 0,
        };
        assert!(feature_profile("x", &nan, 10).is_err());
        let text = ColumnValues::NotNumerical {
            row: 2,
            value: "a".into(),
        };
        assert_eq!(feature_profile("x", &text, 10).unwrap(), None);
    }
}
