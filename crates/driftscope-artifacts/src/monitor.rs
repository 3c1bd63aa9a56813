//! Simulation scenarios, monitoring results, alerts, retraining decisions and their histories.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Artifact, ClassificationMetrics, DriftReport};

closed_set!(
    /// What a batch suffers from.
    Diagnosis {
        /// Nothing detected.
        None = "none",
        /// The inputs moved; the model's relationship still holds.
        DataDrift = "data_drift",
        /// The relationship between inputs and target changed.
        ConceptDrift = "concept_drift",
        /// Both.
        DataAndConceptDrift = "data_and_concept_drift",
    }
);

impl Diagnosis {
    /// From the two findings.
    pub fn from_flags(data: bool, concept: bool) -> Diagnosis {
        match (data, concept) {
            (false, false) => Diagnosis::None,
            (true, false) => Diagnosis::DataDrift,
            (false, true) => Diagnosis::ConceptDrift,
            (true, true) => Diagnosis::DataAndConceptDrift,
        }
    }
}

closed_set!(
    /// The verdict of one part of a batch's diagnosis, least urgent first (`Ord` follows it).
    PartStatus {
        /// The part could not be checked (e.g. concept drift without labels).
        NotChecked = "not_checked",
        /// Nothing found.
        Ok = "ok",
        /// Something moved without harm yet: keep an eye on it.
        Watch = "watch",
        /// A problem to act on.
        Problem = "problem",
    }
);

/// One part of a batch's diagnosis: its verdict and the reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisPart {
    /// The verdict.
    pub status: PartStatus,
    /// Why, one line each (empty when `ok`).
    pub reasons: Vec<String>,
}

/// A batch's diagnosis in four independent parts, and the headline naming the most urgent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisParts {
    /// Schema, missing-value jumps, never-seen categories, out-of-range values, type changes,
    /// serving skew.
    pub data_quality: DiagnosisPart,
    /// Feature and prediction distributions (the verdict of `data_drift.alert_verdict`).
    pub data_drift: DiagnosisPart,
    /// Realized against expected performance on these very inputs (labelled batches).
    pub concept_drift: DiagnosisPart,
    /// Metrics against their floors, realized or estimated.
    pub performance: DiagnosisPart,
    /// One plain sentence: the most urgent part, or that all is well.
    pub headline: String,
}

/// One simulated batch and the truth about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioBatch {
    /// Batch id.
    pub batch_id: String,
    /// CSV file name, in the scenario folder.
    pub file: String,
    /// Production timestamp (RFC 3339).
    pub timestamp: String,
    /// What was injected, in words.
    pub injected: String,
    /// The true diagnosis.
    pub diagnosis: Diagnosis,
    /// Features whose distribution the injection changed (population PSI or KL at or above the
    /// thresholds).
    pub drifted_features: Vec<String>,
    /// Population PSI of every feature between the reference and the injected distribution.
    pub population_psi: BTreeMap<String, f64>,
    /// Rows.
    pub rows: u64,
}

/// `scenario.json`: the simulated batches and their truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Seed of every random step of the simulation.
    pub seed: u64,
    /// Source data path as given.
    pub data: String,
    /// Rows per batch.
    pub batch_rows: u64,
    /// Held-out rows the batches are drawn from.
    pub pool_rows: u64,
    /// The batches in time order.
    pub batches: Vec<ScenarioBatch>,
}

impl Artifact for Scenario {
    const KIND: &'static str = "scenario";
    const SCHEMA_VERSION: u32 = 1;
}

closed_set!(
    /// Alert types. The declaration order is the order alerts of equal severity are listed in.
    AlertType {
        /// Feature distributions moved.
        DataDrift = "DATA_DRIFT",
        /// Realized performance fell below what the model should reach on this batch.
        ConceptDrift = "CONCEPT_DRIFT",
        /// A metric is below its configured minimum.
        PerformanceThresholdViolation = "PERFORMANCE_THRESHOLD_VIOLATION",
        /// The error rate rose against the baseline.
        ErrorRateIncrease = "ERROR_RATE_INCREASE",
        /// Schema or data-quality problems.
        DataQuality = "DATA_QUALITY",
        /// The distribution of predicted probabilities moved.
        PredictionDrift = "PREDICTION_DRIFT",
        /// Without labels: predictions collapsed or the predicted positive rate jumped.
        SilentFailure = "SILENT_FAILURE",
        /// Without labels: the estimated AUC (from calibrated probabilities) is below
        /// `performance.min_auc`. An estimate, not a measurement.
        PerformanceEstimate = "PERFORMANCE_ESTIMATE",
    }
);

closed_set!(
    /// Alert severity, least severe first (`Ord` follows it).
    AlertSeverity {
        /// Worth a look.
        Low = "LOW",
        /// Act soon.
        Medium = "MEDIUM",
        /// Act now.
        High = "HIGH",
    }
);

impl AlertSeverity {
    /// Most severe first: the order of summaries and charts.
    pub const DESCENDING: [AlertSeverity; 3] = [
        AlertSeverity::High,
        AlertSeverity::Medium,
        AlertSeverity::Low,
    ];
}

closed_set!(
    /// How urgent a retraining is: `none` when no condition is met, else the worst severity of
    /// the alerts behind it.
    RetrainingPriority {
        /// No retraining condition met.
        None = "none",
        /// Worth planning.
        Low = "low",
        /// Retrain soon.
        Medium = "medium",
        /// Retrain now.
        High = "high",
    }
);

impl From<AlertSeverity> for RetrainingPriority {
    fn from(s: AlertSeverity) -> Self {
        match s {
            AlertSeverity::Low => RetrainingPriority::Low,
            AlertSeverity::Medium => RetrainingPriority::Medium,
            AlertSeverity::High => RetrainingPriority::High,
        }
    }
}

closed_set!(
    /// Where a batch's probabilities come from (`PredictionDrift::source`).
    PredictionSource {
        /// The champion scored every row.
        Model = "model",
        /// The batch's logged-prediction column (`performance.prediction_column`).
        Logged = "logged",
    }
);

closed_set!(
    /// On which side of its threshold an alert's value fires.
    Direction {
        /// Fires when the value is at or above the threshold.
        Above = "above",
        /// Fires when the value is below the threshold.
        Below = "below",
    }
);

impl Direction {
    /// Whether `value` is on the firing side of `threshold`.
    pub fn fires(self, value: f64, threshold: f64) -> bool {
        match self {
            Direction::Above => value >= threshold,
            Direction::Below => value < threshold,
        }
    }
}

fn above() -> Direction {
    Direction::Above
}

/// Outcome of sending an alert to a sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Sink name (e.g. `webhook`).
    pub sink: String,
    /// Whether it was delivered.
    pub delivered: bool,
    /// Attempts made.
    pub attempts: u32,
    /// Last error, when not delivered.
    pub error: Option<String>,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Batch that raised it.
    pub batch_id: String,
    /// Batch timestamp.
    pub timestamp: String,
    /// Type.
    #[serde(rename = "type")]
    pub alert_type: AlertType,
    /// Severity.
    pub severity: AlertSeverity,
    /// The measured value: the quantity named by `quantity`.
    pub value: f64,
    /// The threshold of that same quantity the value crossed.
    pub threshold: f64,
    /// What `value` and `threshold` measure, with the unit (e.g. "share of features
    /// drifted"). Empty in files before monitoring_result v3 / alerts_history v2.
    #[serde(default)]
    pub quantity: String,
    /// The side of `threshold` on which the alert fires (`above`: at or above).
    #[serde(default = "above")]
    pub direction: Direction,
    /// One line: what happened.
    pub reason: String,
    /// Details (e.g. the drifted features).
    pub details: Vec<String>,
    /// Delivery outcomes.
    pub deliveries: Vec<Delivery>,
}

/// A check that was not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// The check.
    pub check: String,
    /// Why.
    pub reason: String,
}

/// A feature's missing share must exceed its reference share by this much (5 points) to be
/// recorded in [`DataQuality::missing_share`] and raise a DATA_QUALITY alert: five points is well
/// above the sampling noise of a share on a batch of a few hundred rows, and small enough to
/// catch a feed that starts dropping one value in twenty.
pub const MISSING_SHARE_JUMP: f64 = 0.05;

/// Schema and data-quality findings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataQuality {
    /// Model features absent from the batch.
    pub missing_columns: Vec<String>,
    /// Batch columns the model does not know.
    pub extra_columns: Vec<String>,
    /// Features whose type changed.
    pub type_changes: Vec<String>,
    /// Missing share per feature where it exceeds the reference share by 5 points.
    pub missing_share: BTreeMap<String, f64>,
    /// Unseen categories per feature (value -> rows).
    pub unseen_categories: BTreeMap<String, BTreeMap<String, u64>>,
    /// Share of numerical values outside the reference [min, max], per feature where > 0.
    pub out_of_range_share: BTreeMap<String, f64>,
}

/// Distribution of predicted probabilities against the reference predictions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionDrift {
    /// PSI of the predicted probabilities.
    pub psi: f64,
    /// KS test of the predicted probabilities.
    pub ks_p_value: f64,
    /// Mean predicted probability.
    pub mean_probability: f64,
    /// Share predicted positive.
    pub predicted_positive_rate: f64,
    /// The baseline's share predicted positive.
    pub baseline_predicted_positive_rate: f64,
    /// Standard deviation of the predicted probabilities.
    pub probability_std: f64,
    /// Where the probabilities come from: `model` (the champion scored every row) or
    /// `logged` (the batch's prediction column).
    #[serde(default = "model_source")]
    pub source: PredictionSource,
    /// Logged predictions only: rows re-scored by the champion to check for serving skew.
    #[serde(default)]
    pub skew_rows_checked: u64,
    /// Of those, rows whose logged probability differs by more than 1e-6.
    #[serde(default)]
    pub skew_rows_differing: u64,
    /// Largest absolute difference found.
    #[serde(default)]
    pub skew_max_difference: f64,
}

fn model_source() -> PredictionSource {
    PredictionSource::Model
}

/// Target distribution against the reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetDrift {
    /// Positive rate in the batch.
    pub positive_rate: f64,
    /// Positive rate in the reference.
    pub reference_positive_rate: f64,
    /// Chi-square p-value of the 2 x 2 table.
    pub p_value: f64,
}

/// Concept-drift analysis of a labelled batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptDrift {
    /// Whether concept drift was detected.
    pub detected: bool,
    /// Realized AUC.
    pub auc: Option<f64>,
    /// AUC the model should reach on this batch (confidence-based), corrected by the baseline's gap.
    pub expected_auc: Option<f64>,
    /// expected_auc - auc.
    pub auc_drop: Option<f64>,
    /// Baseline AUC - realized AUC.
    pub auc_drop_vs_baseline: Option<f64>,
    /// Relative decay of the comparison metric vs the baseline.
    pub relative_decay: Option<f64>,
    /// Standard score of the comparison metric's fall from the baseline (batch and holdout
    /// noise combined; AUC and accuracy only, `None` otherwise and before version 4).
    #[serde(default)]
    pub decay_z: Option<f64>,
    /// Realized error rate.
    pub error_rate: f64,
    /// Expected error rate on this batch, corrected by the baseline's gap.
    pub expected_error_rate: f64,
    /// (error_rate - expected) / expected.
    pub error_rate_increase: f64,
    /// Standard score of the error excess: the excess over the standard error that combines the
    /// batch's sampling noise with the holdout's (the expectation's correction is measured on
    /// the holdout).
    pub error_z: f64,
    /// Standard score of the AUC drop, with the same two noise sources (`None` without an
    /// AUC; absent in files before version 4).
    #[serde(default)]
    pub auc_z: Option<f64>,
    /// Error rate among predicted positives and predicted negatives (where the errors are).
    pub error_by_prediction: BTreeMap<String, f64>,
    /// The rule that fired, in words (empty when none).
    pub reasons: Vec<String>,
}

/// One segment of a feature (a category, or a quantile bin of the reference) where the
/// realized positive rate departs from the one the calibrated probabilities expect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentGap {
    /// The feature.
    pub feature: String,
    /// The segment: a category (`Fiber optic`) or a bin (`(12, 24]`, `<= 2`, `> 70`).
    pub segment: String,
    /// Rows of the batch in the segment.
    pub rows: u64,
    /// Realized positive (target) rate in the segment.
    pub positive_rate: f64,
    /// Mean calibrated probability in the segment: the expected positive rate.
    pub expected_positive_rate: f64,
    /// Realized error rate at the decision threshold.
    pub error_rate: f64,
    /// Expected error rate: mean of `p` over rows predicted negative and `1 - p` over rows
    /// predicted positive.
    pub expected_error_rate: f64,
    /// Standard score of the positive-rate gap: `(positives - sum p) / sqrt(sum p (1 - p))`.
    pub z: f64,
    /// Two-sided normal p-value of `z`.
    pub p_value: f64,
    /// Holm-adjusted p-value over every segment tested.
    pub adjusted_p_value: f64,
    /// The feature's heterogeneity: how much its segments differ in their gaps (the ranking
    /// key of features; definition in `docs/calibration.md`).
    pub feature_heterogeneity: f64,
}

/// Where a concept drift is: the segments whose realized positive rate departs from the
/// expected one, after Holm's multiple-testing control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentAnalysis {
    /// Family-wise error rate of Holm's procedure over the segments tested.
    pub alpha: f64,
    /// Segments tested (with at least the minimum rows).
    pub segments_tested: u64,
    /// The significant segments, most heterogeneous feature first, then by the size of the
    /// gap (at most a fixed number).
    pub segments: Vec<SegmentGap>,
}

/// Performance on the rolling window of the last labelled rows across batches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollingWindow {
    /// Rows in the window.
    pub rows: u64,
    /// Batches contributing.
    pub batches: Vec<String>,
    /// Metrics over the window.
    pub metrics: ClassificationMetrics,
}

/// Trend of performance over the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Degradation {
    /// Metric followed.
    pub metric: crate::ComparisonMetric,
    /// Its values over the last batches, oldest first.
    pub values: Vec<f64>,
    /// Least-squares slope per batch, each batch weighted by the inverse variance of its AUC.
    pub slope: f64,
    /// Standard error of `slope` (`None` below the fewest batches a trend is judged on, and in
    /// files before version 4).
    #[serde(default)]
    pub slope_se: Option<f64>,
    /// Whether a gradual degradation is detected.
    pub detected: bool,
}

closed_set!(
    /// What the team should do after a batch (one per batch, with its reason). The table in
    /// README ("What to do after a batch") is the contract.
    Action {
        /// Nothing detected.
        None = "none",
        /// Drift without harm (performance as the model expects on these inputs), or retraining
        /// conditions met while labels are still too few: keep watching.
        Watch = "watch",
        /// A data-quality incident (missing columns, type changes, serving skew, a missing-value
        /// jump, never-seen categories): fix the pipeline; never retrain on broken data.
        FixDataPipeline = "fix_data_pipeline",
        /// Performance fell (threshold, decay or drift with harm): retrain.
        Retrain = "retrain",
        /// The relationship between inputs and target changed (concept drift): retrain and
        /// review whether the features still capture it.
        RetrainAndReviewFeatures = "retrain_and_review_features",
        /// A recently promoted champion performs worse than the one it replaced: roll back.
        Rollback = "rollback",
    }
);

fn no_action() -> Action {
    Action::None
}

/// The retraining decision for a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrainingDecision {
    /// Batch id.
    pub batch_id: String,
    /// Batch timestamp.
    pub timestamp: String,
    /// Whether to retrain now.
    pub should_retrain: bool,
    /// `high`, `medium`, `low` or `none`.
    pub priority: RetrainingPriority,
    /// Every condition met, in words.
    pub reasons: Vec<String>,
    /// Labelled rows available since training.
    pub samples_available: u64,
    /// `retraining.min_samples_for_retrain`.
    pub samples_required: u64,
    /// What to do; `should_retrain` is true exactly for `retrain` and
    /// `retrain_and_review_features`. Read as `none` from older files.
    #[serde(default = "no_action")]
    pub action: Action,
    /// Why that action, in one line.
    #[serde(default)]
    pub action_reason: String,
}

/// `batches/<id>/monitoring_result.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoringResult {
    /// Batch id.
    pub batch_id: String,
    /// Batch timestamp (RFC 3339).
    pub timestamp: String,
    /// The model monitored.
    pub model_version: String,
    /// Rows in the batch.
    pub rows: u64,
    /// Whether the batch has labels.
    pub labelled: bool,
    /// The diagnosis.
    pub diagnosis: Diagnosis,
    /// The diagnosis in four parts with the headline (`None` in files before version 4).
    #[serde(default)]
    pub parts: Option<DiagnosisParts>,
    /// Schema and data quality.
    pub data_quality: DataQuality,
    /// Data drift.
    pub data_drift: DriftReport,
    /// Prediction drift (absent when the model could not score the batch).
    pub prediction_drift: Option<PredictionDrift>,
    /// Target drift (labelled batches).
    pub target_drift: Option<TargetDrift>,
    /// Metrics on the batch (labelled batches).
    pub performance: Option<ClassificationMetrics>,
    /// Performance estimated from the calibrated probabilities, labelled or not (`None` in
    /// files before version 3).
    #[serde(default)]
    pub estimated_performance: Option<EstimatedPerformance>,
    /// Concept drift (labelled batches).
    pub concept_drift: Option<ConceptDrift>,
    /// Where the concept drift is (labelled batches with concept drift detected; absent before
    /// version 4).
    #[serde(default)]
    pub segments: Option<SegmentAnalysis>,
    /// Rolling window across batches (labelled batches).
    pub rolling_window: Option<RollingWindow>,
    /// Gradual degradation over the history.
    pub degradation: Option<Degradation>,
    /// Alerts raised, at most one per type.
    pub alerts: Vec<Alert>,
    /// The retraining decision.
    pub retraining: RetrainingDecision,
    /// Checks not run, and why.
    pub skipped: Vec<Skipped>,
}

impl Artifact for MonitoringResult {
    const KIND: &'static str = "monitoring_result";
    /// Version 2 added the size-aware drift verdict and the prediction source and serving-skew
    /// fields; version 1 files read with them absent. Version 3 added `estimated_performance`
    /// (and the alert type `PERFORMANCE_ESTIMATE`), the retraining decision's `action` and
    /// `action_reason` and each alert's `quantity` and `direction` (value and threshold now
    /// always measure the same quantity). Older files read with them absent. Version 4 added
    /// `segments` (where a concept drift is), the concept drift's `auc_z`, the degradation's
    /// `slope_se`, `parts` (the four-part diagnosis) and the embedded drift report's
    /// `alert_verdict`; older files read with them absent (`psi_kl` for the verdict). Version 5
    /// added each drifted feature's `current_summary` and `value_histogram`; older files read
    /// with them absent.
    const SCHEMA_VERSION: u32 = 5;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2, 3, 4, 5]
    }
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// An estimated metric and its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
}

/// The expected confusion matrix: sums of calibrated probabilities (not counts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExpectedConfusion {
    /// Expected true positives: sum of p over rows predicted positive.
    pub tp: f64,
    /// Expected false positives: sum of 1 - p over rows predicted positive.
    pub fp: f64,
    /// Expected true negatives: sum of 1 - p over rows predicted negative.
    pub tn: f64,
    /// Expected false negatives: sum of p over rows predicted negative.
    #[serde(rename = "fn")]
    pub fn_: f64,
}

/// Performance estimated without labels from calibrated probabilities (confidence-based
/// performance estimation, as NannyML's CBPE; definitions in `docs/calibration.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimatedPerformance {
    /// Rows.
    pub rows: u64,
    /// Decision threshold.
    pub threshold: f64,
    /// Coverage of the intervals (0.95).
    pub confidence_level: f64,
    /// Estimated AUC (`None` when every probability is 0 or 1 on one side).
    pub auc: Option<Estimate>,
    /// Estimated accuracy.
    pub accuracy: Estimate,
    /// Estimated precision (0 when no row is predicted positive).
    pub precision: Estimate,
    /// Estimated recall.
    pub recall: Estimate,
    /// Estimated F1.
    pub f1: Estimate,
    /// Expected confusion matrix.
    pub confusion: ExpectedConfusion,
    /// Whether the probabilities were calibrated (a version-1 model has no calibrator).
    pub calibrated: bool,
    /// Caveats (e.g. an uncalibrated model).
    pub notes: Vec<String>,
}

/// `batches/<id>/scores.json`: labels and predicted probabilities of a batch (for rolling
/// windows and retraining; never shown on the site).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchScores {
    /// Batch id.
    pub batch_id: String,
    /// Timestamp.
    pub timestamp: String,
    /// Labels (`None` for an unlabelled batch).
    pub labels: Option<Vec<bool>>,
    /// Predicted probabilities.
    pub probabilities: Vec<f64>,
}

impl Artifact for BatchScores {
    const KIND: &'static str = "batch_scores";
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// One batch's entry in the performance history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceEntry {
    /// Batch id.
    pub batch_id: String,
    /// Timestamp.
    pub timestamp: String,
    /// Model version.
    pub model_version: String,
    /// Rows.
    pub rows: u64,
    /// Metrics (labelled batches).
    pub metrics: Option<ClassificationMetrics>,
    /// Expected AUC on the batch (confidence-based).
    pub expected_auc: Option<f64>,
    /// Share predicted positive.
    pub predicted_positive_rate: f64,
    /// Diagnosis.
    pub diagnosis: Diagnosis,
    /// Drift share.
    pub drift_share: f64,
    /// Monitoring order: 1 + the largest sequence in the history when this batch id was first
    /// monitored (a re-monitored batch keeps its place, so re-runs are idempotent). `check` judges the batch with the largest, not
    /// the latest timestamp. 0 in version 1 files (their file order stands in).
    #[serde(default)]
    pub sequence: u64,
}

impl PerformanceHistory {
    /// The entry of the batch monitored last: the largest `sequence`, ties (version 1 entries)
    /// broken by file order.
    pub fn monitored_last(&self) -> Option<&PerformanceEntry> {
        self.entries.iter().max_by_key(|e| e.sequence)
    }

    /// The sequence number the next monitored batch gets.
    pub fn next_sequence(&self) -> u64 {
        self.entries.iter().map(|e| e.sequence).max().unwrap_or(0) + 1
    }
}

/// `performance_history.json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PerformanceHistory {
    /// Entries in time order, one per batch id.
    pub entries: Vec<PerformanceEntry>,
}

impl Artifact for PerformanceHistory {
    const KIND: &'static str = "performance_history";
    /// Version 2 added each entry's `sequence` (monitoring order); version 1 files read with
    /// it 0.
    const SCHEMA_VERSION: u32 = 2;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2]
    }
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// `alerts_history.json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertsHistory {
    /// Alerts in time order: every batch's own evaluation.
    pub alerts: Vec<Alert>,
    /// The incidents those alerts form across batches, by opening batch in time order.
    /// Empty in files before version 3 (rebuilt on the next monitored batch).
    #[serde(default)]
    pub incidents: Vec<crate::Incident>,
}

impl Artifact for AlertsHistory {
    const KIND: &'static str = "alerts_history";
    /// Version 2 added each alert's `quantity` and `direction`; version 1 files read with ""
    /// and `above`. Version 3 added `incidents`; older files read with none.
    const SCHEMA_VERSION: u32 = 3;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2, 3]
    }
}

/// `retraining_history.json`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RetrainingHistory {
    /// Decisions in time order, one per batch id.
    pub decisions: Vec<RetrainingDecision>,
}

impl Artifact for RetrainingHistory {
    const KIND: &'static str = "retraining_history";
    /// Version 2 added each decision's `action` and `action_reason`; version 1 files read
    /// with `none` and "".
    const SCHEMA_VERSION: u32 = 2;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2]
    }
}
