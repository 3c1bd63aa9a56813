//! Gradual degradation: a steady fall of AUC over the last batches, beyond the batches' noise.

use driftscope_artifacts::{ComparisonMetric, Degradation};

/// Batches in the trend (this one and the ones before it): five weekly batches span about a
/// month, long enough for a slow decay to show and short enough to react within the month.
pub const DEGRADATION_WINDOW: usize = 5;
/// Fewest batches a trend is judged on: with three points one bad batch makes a slope.
pub const DEGRADATION_MIN_BATCHES: usize = 4;
/// Standard errors the fitted fall must reach (one-sided): a 3-sigma test fires on about one
/// window in 700 of batches whose AUC only varies by sampling noise. Over five batches of
/// 500 rows (AUC standard error about 0.02) it takes a fall of about 0.075 to be detected, at
/// 2,000 rows about 0.04.
pub const DEGRADATION_MIN_Z: f64 = 3.0;

/// The AUC trend over earlier batches' `history` (oldest first; each AUC with its standard
/// error) and this batch's `auc` (with its standard error): the weighted least-squares slope
/// over the window (weights `1 / se^2`, [`driftscope_performance::weighted_trend`]). Detected
/// when the window holds at least [`DEGRADATION_MIN_BATCHES`] batches, the fitted trend loses
/// at least `drop` in total, the slope is at least [`DEGRADATION_MIN_Z`] of its standard
/// errors below 0 and the newest value is below the oldest.
pub fn degradation(history: &[(f64, f64)], auc: (f64, f64), drop: f64) -> Degradation {
    let mut points = history.to_vec();
    points.push(auc);
    let points = &points[points.len().saturating_sub(DEGRADATION_WINDOW)..];
    let (values, se): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
    let trend = driftscope_performance::weighted_trend(&values, &se);
    let slope = trend.map_or(0.0, |t| t.0);
    let total = slope * (values.len().max(1) - 1) as f64;
    let detected = values.len() >= DEGRADATION_MIN_BATCHES
        && total <= -drop
        && trend.is_some_and(|(s, se)| -s >= DEGRADATION_MIN_Z * se)
        && values[values.len() - 1] < values[0];
    Degradation {
        metric: ComparisonMetric::Auc,
        values,
        slope,
        slope_se: trend.map(|t| t.1),
        detected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_needs_the_fall_and_the_standard_errors() {
        // A fall of 0.06 over five batches, slope -0.015 per batch.
        let aucs = [0.84, 0.825, 0.81, 0.795];
        let with = |se: f64| {
            let h: Vec<(f64, f64)> = aucs.iter().map(|a| (*a, se)).collect();
            degradation(&h, (0.78, se), 0.05)
        };
        // Equal standard errors s: slope se = s / sqrt(10); z = 0.015 sqrt(10) / s, so the
        // boundary z = 3 is at s = 0.015 sqrt(10) / 3 = 0.0158114.
        let d = with(0.0158);
        assert!(d.detected, "{d:?}");
        assert!((d.slope + 0.015).abs() < 1e-12);
        assert!((d.slope_se.unwrap() - 0.0158 / 10f64.sqrt()).abs() < 1e-12);
        assert!(!with(0.0159).detected);
        // The same noise-free fall is not detected when it is smaller than `drop`.
        let h: Vec<(f64, f64)> = aucs.iter().map(|a| (*a, 0.001)).collect();
        assert!(degradation(&h, (0.78, 0.001), 0.05).detected);
        assert!(!degradation(&h, (0.78, 0.001), 0.0601).detected);
        // Three batches are too few, whatever the fall.
        assert!(!degradation(&h[..2], (0.5, 0.001), 0.05).detected);
        // Only the last DEGRADATION_WINDOW batches count.
        let mut long = vec![(0.2, 0.001); 3];
        long.extend(h.iter().copied());
        assert_eq!(degradation(&long, (0.78, 0.001), 0.05).values.len(), 5);
    }
}
