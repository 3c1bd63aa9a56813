//! The value-axis view of a numerical feature: the reference sample and the current values
//! counted on the same equal-width bins, in the feature's own units. Quantile bins (the PSI's)
//! hide a shift in units, such as every price times 1.1, as "the first bin emptied"; equal-width
//! bins on a shared axis show it as the whole shape moving right.

use driftscope_artifacts::ValueHistogram;

/// Equal-width bins of the value-axis histogram: enough to show a shape, few enough that a
/// 500-row batch still puts about 25 rows in a bin.
pub const VALUE_BINS: usize = 20;

/// Counts of `reference` and `current` (both sorted, finite, non-empty) on [`VALUE_BINS`]
/// equal-width bins spanning both: bin `i` is `[edges[i], edges[i + 1])`, the last closed on the
/// right. When every value is the same there is one bin, `[v, v]`.
///
/// # Example
/// ```
/// use driftscope_drift::value_histogram;
/// let h = value_histogram(&[0.0, 1.0, 2.0], &[2.0, 3.0, 4.0]);
/// assert_eq!(h.edges.first(), Some(&0.0));
/// assert_eq!(h.edges.last(), Some(&4.0));
/// assert_eq!(h.reference.iter().sum::<u64>(), 3);
/// assert_eq!(h.current[19], 1); // 4.0 is in the last bin
/// ```
pub fn value_histogram(reference: &[f64], current: &[f64]) -> ValueHistogram {
    let lo = first(reference).min(first(current));
    let hi = last(reference).max(last(current));
    let edges: Vec<f64> = if hi > lo {
        let width = (hi - lo) / VALUE_BINS as f64;
        (0..=VALUE_BINS)
            .map(|i| {
                if i == VALUE_BINS {
                    hi
                } else {
                    lo + i as f64 * width
                }
            })
            .collect()
    } else {
        vec![lo, hi]
    };
    ValueHistogram {
        reference: counts(reference, &edges),
        current: counts(current, &edges),
        edges,
    }
}

fn first(sorted: &[f64]) -> f64 {
    sorted.first().copied().unwrap_or(f64::INFINITY)
}

fn last(sorted: &[f64]) -> f64 {
    sorted.last().copied().unwrap_or(f64::NEG_INFINITY)
}

/// Rows of `sorted` per bin of `edges` (the last bin closed on the right).
fn counts(sorted: &[f64], edges: &[f64]) -> Vec<u64> {
    let bins = edges.len() - 1;
    let mut out = Vec::with_capacity(bins);
    let mut start = 0;
    for (i, upper) in edges[1..].iter().enumerate() {
        let end = if i + 1 == bins {
            sorted.len()
        } else {
            sorted.partition_point(|v| v < upper)
        };
        out.push((end - start) as u64);
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ten_percent_price_rise_moves_the_shape_right() {
        let reference: Vec<f64> = (0..100).map(|i| 20.0 + f64::from(i)).collect();
        let current: Vec<f64> = reference.iter().map(|v| v * 1.1).collect();
        let h = value_histogram(&reference, &current);
        // Edges from 20 to 119 x 1.1 = 130.9 in 20 bins of 5.545.
        assert_eq!(h.edges.len(), VALUE_BINS + 1);
        assert_eq!(h.edges[0], 20.0);
        assert!((h.edges[20] - 130.9).abs() < 1e-9);
        assert!((h.edges[1] - 25.545).abs() < 1e-9);
        assert_eq!(h.reference.iter().sum::<u64>(), 100);
        assert_eq!(h.current.iter().sum::<u64>(), 100);
        // First bin [20, 25.545): reference 20..=25 (6), current 22, 23.1, 24.2, 25.3 (4).
        assert_eq!((h.reference[0], h.current[0]), (6, 4));
        // Top bin [125.355, 130.9]: no reference value (they stop at 119), the current values
        // of 114..=119 (6).
        assert_eq!((h.reference[19], h.current[19]), (0, 6));
    }

    #[test]
    fn one_value_everywhere_is_one_closed_bin() {
        let h = value_histogram(&[3.0, 3.0], &[3.0]);
        assert_eq!(h.edges, [3.0, 3.0]);
        assert_eq!((h.reference.clone(), h.current.clone()), (vec![2], vec![1]));
    }
}
