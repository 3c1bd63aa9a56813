//! The binning rules of `stats-spec.md` ("Binned distributions"): quantile bin edges of the
//! reference, the bin of a value, and counts per bin. The reference profile (see
//! [`crate::numerical_profile`]) and the comparison of a batch both bin through here, so PSI, KL
//! and JS have one definition.

use crate::{DriftError, Result, Sorted};

/// Bin edges: the reference quantiles at 1/B .. (B-1)/B (numpy's "linear" method),
/// de-duplicated; `B = n_bins`. An empty sample or `n_bins == 0` is an error.
///
/// # Example
/// ```
/// use driftscope_drift::{quantile_edges, Sorted};
/// let r = Sorted::new((1..=10).map(f64::from).collect()).unwrap();
/// let e = quantile_edges(&r, 2).unwrap();
/// assert_eq!(e, vec![5.5]);
/// assert!(quantile_edges(&Sorted::new(vec![]).unwrap(), 10).is_err());
/// ```
pub fn quantile_edges(sorted: &Sorted<'_>, n_bins: usize) -> Result<Vec<f64>> {
    check_n_bins(n_bins)?;
    Ok(edges_of(sorted.non_empty("reference sample")?, n_bins))
}

/// `n_bins` is at least 1.
pub(crate) fn check_n_bins(n_bins: usize) -> Result<()> {
    if n_bins == 0 {
        return Err(DriftError::InvalidArgument(
            "n_bins is 0; at least one bin is needed".into(),
        ));
    }
    Ok(())
}

/// [`quantile_edges`] of values known to be sorted and finite (empty: no edges).
pub(crate) fn edges_of(sorted: &[f64], n_bins: usize) -> Vec<f64> {
    if sorted.is_empty() || n_bins < 2 {
        return Vec::new();
    }
    let mut edges: Vec<f64> = Vec::with_capacity(n_bins - 1);
    for i in 1..n_bins {
        let q = i as f64 / n_bins as f64;
        let v = driftscope_artifacts::linear_quantile(sorted, q);
        if edges.last() != Some(&v) {
            edges.push(v);
        }
    }
    edges
}

/// Edges are finite and ascending.
pub(crate) fn check_edges(edges: &[f64]) -> Result<()> {
    if let Some(index) = edges.iter().position(|e| !e.is_finite()) {
        return Err(DriftError::NotFinite {
            what: "bin edges",
            index,
            value: edges[index],
        });
    }
    if let Some(i) = edges.windows(2).position(|w| w[1] < w[0]) {
        return Err(DriftError::Unsorted {
            what: "bin edges",
            index: i + 1,
        });
    }
    Ok(())
}

/// The bin of `v`: `numpy.searchsorted(edges, v, side="left")`, so bins are
/// (-inf, e1], (e1, e2], ..., (ek, +inf). NaN or infinite `v`, and edges that are not finite and
/// ascending, are errors.
///
/// # Example
/// ```
/// use driftscope_drift::bin_index;
/// let edges = [1.0, 2.0, 3.0];
/// assert_eq!(bin_index(&edges, 1.0).unwrap(), 0);
/// assert_eq!(bin_index(&edges, 1.5).unwrap(), 1);
/// assert_eq!(bin_index(&edges, 9.0).unwrap(), 3);
/// assert!(bin_index(&edges, f64::NAN).is_err());
/// assert!(bin_index(&[2.0, 1.0], 0.0).is_err());
/// ```
pub fn bin_index(edges: &[f64], v: f64) -> Result<usize> {
    check_edges(edges)?;
    if !v.is_finite() {
        return Err(DriftError::NotFinite {
            what: "value",
            index: 0,
            value: v,
        });
    }
    Ok(edges.partition_point(|e| *e < v))
}

/// Count per bin (`edges.len() + 1` bins, as [`bin_index`]) of a sorted sample, found with one
/// binary search per edge. Edges that are not finite and ascending are an error.
///
/// # Example
/// ```
/// use driftscope_drift::{bin_counts, Sorted};
/// let s = Sorted::new(vec![0.5, 1.0, 1.5, 7.0]).unwrap();
/// assert_eq!(bin_counts(&s, &[1.0, 2.0]).unwrap(), vec![2, 1, 1]);
/// ```
pub fn bin_counts(sorted: &Sorted<'_>, edges: &[f64]) -> Result<Vec<u64>> {
    check_edges(edges)?;
    Ok(counts_of(sorted.as_slice(), edges))
}

/// [`bin_counts`] of values known to be sorted, with edges known to be increasing.
pub(crate) fn counts_of(sorted: &[f64], edges: &[f64]) -> Vec<u64> {
    let mut counts = vec![0u64; edges.len() + 1];
    let mut start = 0;
    for (i, e) in edges.iter().enumerate() {
        let end = start + sorted[start..].partition_point(|v| v <= e);
        counts[i] = (end - start) as u64;
        start = end;
    }
    counts[edges.len()] = (sorted.len() - start) as u64;
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy() {
        // numpy.quantile([1,2,3,4,5,6,7,8,9,10], [0.1,...,0.9]) =
        // 1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1
        let v = Sorted::new((1..=10).map(f64::from).collect()).unwrap();
        let e = quantile_edges(&v, 10).unwrap();
        let want = [1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1];
        assert_eq!(e.len(), 9);
        for (a, b) in e.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // Heavy ties de-duplicate.
        let t = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        // numpy: [0.0, 0.2999999999999998, 1.0] after np.unique.
        let t = Sorted::from_sorted(&t).unwrap();
        assert_eq!(
            quantile_edges(&t, 10).unwrap(),
            vec![0.0, 0.2999999999999998, 1.0]
        );
    }

    #[test]
    fn bad_inputs_are_errors() {
        let empty = Sorted::new(vec![]).unwrap();
        assert!(matches!(
            quantile_edges(&empty, 10),
            Err(DriftError::Empty { .. })
        ));
        let one = Sorted::new(vec![1.0]).unwrap();
        assert!(quantile_edges(&one, 0).is_err());
        assert_eq!(quantile_edges(&one, 1).unwrap(), Vec::<f64>::new());
        assert!(bin_index(&[1.0, f64::NAN], 0.0).is_err());
        assert!(bin_index(&[1.0, 0.0], 0.0).is_err());
        assert!(bin_index(&[1.0], f64::INFINITY).is_err());
        assert!(bin_counts(&one, &[3.0, 2.0]).is_err());
        assert!(bin_counts(&one, &[f64::NAN]).is_err());
        assert_eq!(bin_counts(&empty, &[1.0]).unwrap(), vec![0, 0]);
    }

    #[test]
    fn bins_are_left_closed_searchsorted() {
        let edges = [1.0, 2.0, 3.0];
        let at = |v| bin_index(&edges, v).unwrap();
        assert_eq!(at(0.5), 0);
        assert_eq!(at(1.0), 0);
        assert_eq!(at(1.5), 1);
        assert_eq!(at(3.0), 2);
        assert_eq!(at(3.1), 3);
    }
}
