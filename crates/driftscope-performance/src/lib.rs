//! Classification metrics for driftscope, over plain slices.
//!
//! AUC (ties get average ranks, as `sklearn.metrics.roc_auc_score`), accuracy, precision,
//! recall, F1 and the confusion matrix of the positive class at a decision threshold on the
//! predicted probability. Precision, recall and F1 are 0 (not NaN) where their denominator is 0,
//! and the result's `notes` say so. On top: the baseline metrics of a trained model, the
//! confidence-based expected performance of a batch, concept-drift analysis and metric trends.
//!
//! Bad input (labels and probabilities of different lengths, no rows, NaN probabilities) is a
//! [`PerformanceError`]; a batch with one class only is not: its AUC is `None`.
//!
//! **Reads:** nothing (labels and probabilities are passed in). **Writes:** nothing; the results
//! are the [`ClassificationMetrics`], [`BaselineMetrics`] and [`ConceptDrift`] artifact bodies.
//!
//! # Example
//! ```
//! use driftscope_performance::{classification_metrics, roc_auc};
//! let m = classification_metrics(&[true, false, true, false], &[0.9, 0.2, 0.4, 0.6], 0.5)?;
//! assert_eq!(m.auc, Some(0.75));
//! assert_eq!(m.accuracy, 0.5);
//! assert_eq!(roc_auc(&[true, true], &[0.9, 0.4])?, None);
//! assert!(roc_auc(&[true, false], &[0.9, f64::NAN]).is_err());
//! # Ok::<(), driftscope_performance::PerformanceError>(())
//! ```

mod baseline;
mod beta;
mod calibration;
mod calibration_spread;
mod concept;
mod error;
mod estimate;
mod expected;
mod metrics;
mod ranking;
mod residual;
mod segments;
mod skew;
mod trend;

pub use baseline::{baseline_metrics, BASELINE_THRESHOLD};
pub use beta::{fit_beta, BETA_MAX_ITERATIONS, BETA_TOLERANCE};
pub use calibration::{
    calibrated_sorted, calibration_quality, calibration_report, fit_calibrator, fit_isotonic,
    fit_platt, ECE_BINS,
};
pub use calibration_spread::{batch_calibration_spread, SPREAD_MAX_ROWS};
pub use concept::{concept_drift, concept_drift_ranked, CONCEPT_MIN_Z};
pub use driftscope_artifacts::auc_standard_error;
pub use driftscope_artifacts::{
    BaselineMetrics, ClassificationMetrics, ComparisonMetric, ConceptDrift, ConceptDriftConfig,
    ConfusionMatrix, SplitInfo,
};
pub use error::PerformanceError;
pub use estimate::{
    estimate_performance, estimate_performance_sorted, label_spread, ESTIMATE_REPLICATES,
};
pub use expected::{expected_performance, ExpectedPerformance};
pub use metrics::{classification_metrics, classification_metrics_ranked};
pub use ranking::{roc_auc, Ranked};
pub use residual::cross_fitted_residual;
pub use segments::{
    locate_segments, SegmentColumn, SEGMENTS_LISTED, SEGMENT_ALPHA, SEGMENT_MIN_ROWS,
};
pub use skew::{SkewCounts, SKEW_TOLERANCE};
pub use trend::{trend_slope, weighted_trend, TREND_MIN_SE};
