//! The trend of a metric over batches.

/// Least-squares slope of `values` against 0, 1, 2, ... (per step); `None` below 3 values.
///
/// # Example
/// ```
/// use driftscope_performance::trend_slope;
/// assert_eq!(trend_slope(&[3.0, 2.0, 1.0]), Some(-1.0));
/// assert_eq!(trend_slope(&[1.0, 2.0]), None);
/// ```
pub fn trend_slope(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mean_x = (nf - 1.0) / 2.0;
    let mean_y = values.iter().sum::<f64>() / nf;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    Some(sxy / sxx)
}

/// Smallest standard error a value of a weighted trend gets: an AUC of 0 or 1 has a
/// Hanley-McNeil standard error of 0, and one such batch would otherwise take all the weight.
pub const TREND_MIN_SE: f64 = 1e-3;

/// Weighted least-squares slope of `values` against 0, 1, 2, ... with weights `1 / se_i^2`
/// (each `se_i` floored at [`TREND_MIN_SE`]), and the slope's standard error
/// `sqrt(1 / sum_i w_i (x_i - x_w)^2)` (`x_w` the weighted mean step): the slope's spread when
/// each value is its true level plus independent noise of standard deviation `se_i`, as
/// `numpy.polyfit(x, values, 1, w=1/se, cov="unscaled")`. `None` below 3 values or when the
/// lengths differ.
///
/// # Example
/// ```
/// use driftscope_performance::weighted_trend;
/// let (slope, se) = weighted_trend(&[3.0, 2.0, 1.0], &[0.1, 0.1, 0.1]).unwrap();
/// assert!((slope + 1.0).abs() < 1e-12);
/// assert!((se - 0.1 / 2f64.sqrt()).abs() < 1e-12);
/// assert_eq!(weighted_trend(&[1.0, 2.0], &[0.1, 0.1]), None);
/// ```
pub fn weighted_trend(values: &[f64], se: &[f64]) -> Option<(f64, f64)> {
    let n = values.len();
    if n < 3 || se.len() != n {
        return None;
    }
    let w: Vec<f64> = se
        .iter()
        .map(|s| 1.0 / s.max(TREND_MIN_SE).powi(2))
        .collect();
    let sw: f64 = w.iter().sum();
    let mean_x = w.iter().enumerate().map(|(i, w)| w * i as f64).sum::<f64>() / sw;
    let mean_y = w.iter().zip(values).map(|(w, y)| w * y).sum::<f64>() / sw;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, (w, y)) in w.iter().zip(values).enumerate() {
        let dx = i as f64 - mean_x;
        sxy += w * dx * (y - mean_y);
        sxx += w * dx * dx;
    }
    Some((sxy / sxx, (1.0 / sxx).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REF_SLOPE: f64 = -0.019_217_617_044_132_017;
    const REF_SE: f64 = 0.006_638_483_680_820_566;

    #[test]
    fn weighted_trend_equals_numpy_polyfit() {
        // Reference: numpy 2.4.6, x = arange(5),
        // numpy.polyfit(x, y, 1, w=1/se, cov="unscaled") -> slope p[0], sqrt(cov[0][0]).
        let y = [0.84, 0.80, 0.83, 0.78, 0.76];
        let se = [0.02, 0.03, 0.015, 0.025, 0.02];
        let (slope, s) = weighted_trend(&y, &se).unwrap();
        assert!((slope - REF_SLOPE).abs() < 1e-12, "{slope}");
        assert!((s - REF_SE).abs() < 1e-12, "{s}");
        // A zero standard error is floored, not a division by zero.
        let (slope, s) = weighted_trend(&[1.0, 1.0, 0.9], &[0.0, 0.0, 0.0]).unwrap();
        assert!((slope + 0.05).abs() < 1e-12 && (s - TREND_MIN_SE / 2f64.sqrt()).abs() < 1e-15);
        assert_eq!(weighted_trend(&y, &se[..4]), None);
    }
}
