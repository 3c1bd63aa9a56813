//! The performance part of `detector_evaluation.json`: how the concept-drift and performance
//! alerts and the estimated performance behave on i.i.d., covariate-shifted and concept-drifted
//! batches of a dataset (`driftscope eval`).

use serde::{Deserialize, Serialize};

/// False alarms of the performance rules on i.i.d. batches of one size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FalseAlarmCell {
    /// Batch rows.
    pub size: usize,
    /// Labelled batches judged (the denominator).
    pub batches: u64,
    /// Share with a CONCEPT_DRIFT alert.
    pub concept_drift: f64,
    /// Share with a PERFORMANCE_THRESHOLD_VIOLATION or ERROR_RATE_INCREASE alert (gradual
    /// degradation included: each split's batches are monitored in order).
    pub performance: f64,
    /// Share with any of those alerts, of any severity.
    pub any: f64,
    /// Share whose retraining decision retrains (any priority).
    pub retrain: f64,
    /// Share whose retraining decision has priority HIGH.
    pub high_retrain: f64,
    /// Share with a PERFORMANCE_ESTIMATE alert when the same batch comes without labels.
    pub estimate_alert: f64,
}

/// Estimated against realized performance on one kind of batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimationCell {
    /// `no shift` or `covariate shift`.
    pub condition: String,
    /// Batch rows.
    pub size: usize,
    /// Batches.
    pub batches: u64,
    /// Mean absolute error of the estimated AUC.
    pub auc_mae: f64,
    /// Share of batches whose realized AUC is inside the estimate's 95% interval.
    pub auc_coverage: f64,
    /// Mean absolute error of the estimated accuracy.
    pub accuracy_mae: f64,
    /// Share of batches whose realized accuracy is inside the estimate's 95% interval.
    pub accuracy_coverage: f64,
}

/// Detections of an injected concept drift of one strength.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerCell {
    /// The injection, e.g. `Contract != Month-to-month churns with 0.3`.
    pub condition: String,
    /// Churn probability the segment's labels are redrawn with.
    pub strength: f64,
    /// Batch rows.
    pub size: usize,
    /// Batches.
    pub batches: u64,
    /// Share with a CONCEPT_DRIFT alert.
    pub detected: f64,
    /// Share of the detected batches whose top located segment is the injected feature.
    pub located: f64,
}

/// The performance evaluation on one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceEvaluation {
    /// `generated (a new dataset per split)` or the file's name.
    pub dataset: String,
    /// Rows each split trains on (the rest are held out and cut into batches).
    pub train_rows: u64,
    /// Held-out rows per split.
    pub held_rows: u64,
    /// The seed of each split (shuffle and training; for `generated` also the generator's:
    /// each split draws a new dataset), in order.
    pub split_seeds: Vec<u64>,
    /// Per batch size.
    pub false_alarms: Vec<FalseAlarmCell>,
    /// Per condition.
    pub estimation: Vec<EstimationCell>,
    /// Per injected strength.
    pub power: Vec<PowerCell>,
}
