//! Gradual degradation: a steady fall of AUC over the last batches.

use driftscope_artifacts::{ComparisonMetric, Degradation};

/// Batches in the trend (this one and the ones before it): five weekly batches span about a
/// month, long enough for a slow decay to show and short enough to react within the month.
pub const DEGRADATION_WINDOW: usize = 5;
/// Fewest batches a trend is judged on: with three points one bad batch makes a slope.
pub const DEGRADATION_MIN_BATCHES: usize = 4;

/// The AUC trend over earlier batches' `history` (oldest first) and this batch's `auc`:
/// detected when the fitted slope over the window loses at least `drop` in total and the
/// newest value is below the oldest.
pub fn degradation(history: &[f64], auc: f64, drop: f64) -> Degradation {
    let mut values = history.to_vec();
    values.push(auc);
    let values: Vec<f64> = values[values.len().saturating_sub(DEGRADATION_WINDOW)..].to_vec();
    let slope = driftscope_performance::trend_slope(&values).unwrap_or(0.0);
    let total = slope * (values.len().max(1) - 1) as f64;
    let detected = values.len() >= DEGRADATION_MIN_BATCHES
        && total <= -drop
        && values[values.len() - 1] < values[0];
    Degradation {
        metric: ComparisonMetric::Auc,
        values,
        slope,
        detected,
    }
}
