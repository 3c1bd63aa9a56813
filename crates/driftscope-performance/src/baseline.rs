//! The baseline metrics of a trained model (`baseline_metrics.json`).

use driftscope_artifacts::{BaselineMetrics, SplitInfo};

use crate::{classification_metrics, expected_performance, PerformanceError};

/// Decision threshold of the baseline metrics (`stats-spec.md`: 0.5 on the probability).
pub const BASELINE_THRESHOLD: f64 = 0.5;

/// [`BaselineMetrics`] of a model from its held-out labels and predicted probabilities: the
/// classification metrics at [`BASELINE_THRESHOLD`] and the confidence-based expected error rate
/// and AUC, which concept-drift analysis compares batches with. Inputs as
/// [`classification_metrics`].
///
/// # Example
/// ```
/// use driftscope_artifacts::SplitInfo;
/// use driftscope_performance::baseline_metrics;
/// let split = SplitInfo { train_rows: 8, test_rows: 2, train_positives: 4, test_positives: 1, seed: 1 };
/// let b = baseline_metrics(&[true, false], &[0.8, 0.3], "m-1", &split).unwrap();
/// assert_eq!(b.holdout.auc, Some(1.0));
/// assert!((b.expected_error_rate - 0.25).abs() < 1e-15);
/// assert!(baseline_metrics(&[], &[], "m-1", &split).is_err());
/// ```
pub fn baseline_metrics(
    labels: &[bool],
    probabilities: &[f64],
    model_version: &str,
    split: &SplitInfo,
) -> Result<BaselineMetrics, PerformanceError> {
    let holdout = classification_metrics(labels, probabilities, BASELINE_THRESHOLD)?;
    let expected = expected_performance(probabilities, holdout.threshold)?;
    Ok(BaselineMetrics {
        model_version: model_version.to_string(),
        split: split.clone(),
        holdout,
        expected_error_rate: expected.error_rate,
        expected_auc: expected.auc,
        calibration: None,
    })
}
