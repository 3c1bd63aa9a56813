//! Model, baseline-metric, manifest and champion artifacts.

use serde::{Deserialize, Serialize};

use crate::{Artifact, ExcludedColumn};

/// How one input column becomes model inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Encoding {
    /// One model input: the parsed number; missing values take `fill` (the training median).
    Numeric {
        /// Value used for a missing entry.
        fill: f64,
    },
    /// One model input per category seen in training (sorted); an unseen or missing value sets
    /// none of them.
    OneHot {
        /// Categories in input order.
        categories: Vec<String>,
    },
}

impl Encoding {
    /// Number of model inputs this column produces.
    pub fn width(&self) -> usize {
        match self {
            Encoding::Numeric { .. } => 1,
            Encoding::OneHot { categories } => categories.len(),
        }
    }
}

/// An input column of the model and its encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFeature {
    /// Column name in the input data.
    pub name: String,
    /// Its encoding, fitted on the training split.
    pub encoding: Encoding,
}

/// One decision tree as parallel arrays (node 0 is the root). A node is a leaf when its
/// `feature` is -1; otherwise a row goes `left` when `x[feature] < threshold`, else `right`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    /// Encoded input index per node, -1 for leaves.
    pub feature: Vec<i32>,
    /// Split threshold per node (0 for leaves).
    pub threshold: Vec<f64>,
    /// Left child per node (0 for leaves).
    pub left: Vec<u32>,
    /// Right child per node (0 for leaves).
    pub right: Vec<u32>,
    /// Positive-class probability per leaf (0 for inner nodes).
    pub value: Vec<f64>,
}

/// A random forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    /// The trees.
    pub trees: Vec<Tree>,
}

/// `model.json`: everything needed to score raw rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelArtifact {
    /// Content-derived model version.
    pub model_version: String,
    /// Target column.
    pub target: String,
    /// Positive label of the target.
    pub positive_label: String,
    /// The other label of the target.
    pub negative_label: String,
    /// Input columns in encoding order.
    pub features: Vec<ModelFeature>,
    /// Names of the encoded model inputs (`column` or `column=category`).
    pub encoded_names: Vec<String>,
    /// How the predicted probability is computed.
    pub probability_method: String,
    /// Where the probabilities come from: driftscope's own forest, or the user's model whose
    /// logged predictions monitoring reads (`forest` then has no trees). `forest` in files
    /// before version 3.
    #[serde(default = "forest_kind")]
    pub model_kind: ModelKind,
    /// The forest.
    pub forest: Forest,
    /// Maps the forest's raw probability to a calibrated one (fitted on the calibration rows:
    /// every training row scored out of fold, `docs/calibration.md`). `None` in a version-1 model: its probabilities are used
    /// uncalibrated, and monitoring results say so.
    #[serde(default)]
    pub calibration: Option<Calibrator>,
    /// Standard deviations of the estimated metrics that come from the calibrator's own
    /// uncertainty (bootstrap of the calibration rows; `None` without a calibrator), measured
    /// on the holdout. Monitoring uses it only when `calibration_bootstrap` is absent.
    #[serde(default)]
    pub calibration_uncertainty: Option<MetricSpread>,
    /// The calibrator refitted on bootstrap resamples of the calibration rows, as beta
    /// calibrators `[a, b, c]` (see [`Calibrator::Beta`]); monitoring maps every batch's own
    /// scores through each of them for the calibration's share of the estimate's variance.
    /// `None` before version 4 (and without a calibrator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_bootstrap: Option<Vec<[f64; 3]>>,
    /// Standard deviations of the estimate's error that neither the batch's label noise nor
    /// the bootstrap explains, measured on the cross-fitted calibration folds
    /// (`docs/calibration.md`); `None` before version 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_residual: Option<MetricSpread>,
}

/// A standard deviation per estimated metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MetricSpread {
    /// Of the estimated AUC.
    pub auc: f64,
    /// Of the estimated accuracy.
    pub accuracy: f64,
    /// Of the estimated precision.
    pub precision: f64,
    /// Of the estimated recall.
    pub recall: f64,
    /// Of the estimated F1.
    pub f1: f64,
}

impl ModelArtifact {
    /// The calibrated probability of a raw forest probability (the raw one when the model has
    /// no calibrator).
    pub fn calibrate(&self, raw: f64) -> f64 {
        self.calibration.as_ref().map_or(raw, |c| c.apply(raw))
    }
}

closed_set!(
    /// Whose model a champion is.
    ModelKind {
        /// A random forest trained by `driftscope train`.
        Forest = "forest",
        /// The user's own model, known only by its logged predictions (`driftscope baseline`).
        External = "external",
    }
);

fn forest_kind() -> ModelKind {
    ModelKind::Forest
}

impl Artifact for ModelArtifact {
    const KIND: &'static str = "model";
    /// Version 2 added `calibration`; version 1 files read with it absent. Version 3 added
    /// `kind` (older files read as `forest`). Version 4 added the beta calibrator,
    /// `calibration_bootstrap` and `calibration_residual` (older files read with them absent:
    /// their isotonic or Platt calibrator still applies, their intervals use
    /// `calibration_uncertainty`).
    const SCHEMA_VERSION: u32 = 4;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2, 3, 4]
    }
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// A monotone map from the forest's raw probability to a calibrated probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Calibrator {
    /// Isotonic regression (pool-adjacent-violators): the fitted step values `y` at the raw
    /// probabilities `x` (ascending, distinct); between two points the map interpolates
    /// linearly, outside `[x_first, x_last]` it is clipped to the end values (scikit-learn's
    /// `IsotonicRegression(out_of_bounds="clip")`).
    Isotonic {
        /// Raw probabilities, ascending and distinct.
        x: Vec<f64>,
        /// Calibrated probabilities at `x`, non-decreasing, in [0, 1].
        y: Vec<f64>,
    },
    /// Platt scaling: `1 / (1 + exp(a * raw + b))`.
    Platt {
        /// Slope (negative for a score that rises with the positive class).
        a: f64,
        /// Intercept.
        b: f64,
    },
    /// Beta calibration (Kull, Silva Filho and Flach 2017):
    /// `1 / (1 + exp(-(a ln s + b (-ln(1 - s)) + c)))` with `s` the raw probability clipped to
    /// `[BETA_SCORE_CLIP, 1 - BETA_SCORE_CLIP]`; `a, b >= 0`, so the map never decreases.
    Beta {
        /// Weight of `ln s`.
        a: f64,
        /// Weight of `-ln(1 - s)`.
        b: f64,
        /// Intercept.
        c: f64,
    },
}

/// Raw probabilities are clipped to `[BETA_SCORE_CLIP, 1 - BETA_SCORE_CLIP]` before the beta
/// calibrator's logarithms: a forest gives exact 0 and 1 (every tree's leaf pure), whose
/// logarithms are infinite. One in a thousand is below what a few thousand calibration rows can
/// tell apart from 0, and bounds the leverage of the exact 0/1 rows on the fit (`ln` 0.001 =
/// -6.9, against -2.3 for a score of 0.1).
pub const BETA_SCORE_CLIP: f64 = 1e-3;

/// Bisection steps of [`Calibrator::raw_of`]: 64 halvings of `[0.001, 0.999]` reach the
/// spacing of doubles.
const INVERSE_STEPS: usize = 64;

/// The beta calibrator's log-odds of a raw probability.
fn beta_logit(a: f64, b: f64, c: f64, raw: f64) -> f64 {
    let s = raw.clamp(BETA_SCORE_CLIP, 1.0 - BETA_SCORE_CLIP);
    a * s.ln() - b * (-s).ln_1p() + c
}

impl Calibrator {
    /// The calibrated probability of a raw probability.
    pub fn apply(&self, raw: f64) -> f64 {
        match self {
            Calibrator::Isotonic { x, y } => {
                if x.is_empty() || raw.is_nan() {
                    return raw;
                }
                let last = x.len() - 1;
                if raw <= x[0] {
                    return y[0];
                }
                if raw >= x[last] {
                    return y[last];
                }
                // First index with x[i] > raw: 1 <= i <= last.
                let i = x.partition_point(|v| *v <= raw);
                let (x0, x1, y0, y1) = (x[i - 1], x[i], y[i - 1], y[i]);
                y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
            }
            Calibrator::Platt { a, b } => 1.0 / (1.0 + (a * raw + b).exp()),
            Calibrator::Beta { a, b, c } => {
                if raw.is_nan() {
                    return raw;
                }
                1.0 / (1.0 + (-beta_logit(*a, *b, *c, raw)).exp())
            }
        }
    }

    /// A beta calibrator from its stored parameters `[a, b, c]`.
    pub fn beta(params: [f64; 3]) -> Calibrator {
        let [a, b, c] = params;
        Calibrator::Beta { a, b, c }
    }

    /// The raw probability (clipped as [`BETA_SCORE_CLIP`] says) that a beta calibrator maps
    /// to `p`, by bisection: `None` for the other methods and for a beta calibrator that does
    /// not rise (`a = b = 0`). A `p` below (above) the calibrator's range gives the lowest
    /// (highest) clipped raw probability.
    pub fn raw_of(&self, p: f64) -> Option<f64> {
        let Calibrator::Beta { a, b, .. } = *self else {
            return None;
        };
        if a + b <= 0.0 || p.is_nan() {
            return None;
        }
        let (mut lo, mut hi) = (BETA_SCORE_CLIP, 1.0 - BETA_SCORE_CLIP);
        for _ in 0..INVERSE_STEPS {
            let mid = 0.5 * (lo + hi);
            if self.apply(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(0.5 * (lo + hi))
    }

    /// `isotonic`, `platt` or `beta`.
    pub fn method(&self) -> &'static str {
        match self {
            Calibrator::Isotonic { .. } => "isotonic",
            Calibrator::Platt { .. } => "platt",
            Calibrator::Beta { .. } => "beta",
        }
    }
}

/// Confusion matrix of the positive class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// True positives.
    pub tp: u64,
    /// False positives.
    pub fp: u64,
    /// True negatives.
    pub tn: u64,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

/// Classification metrics at a decision threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationMetrics {
    /// Rows scored.
    pub n: u64,
    /// Rows whose label is positive.
    pub positives: u64,
    /// ROC AUC; `None` when only one class is present.
    pub auc: Option<f64>,
    /// Accuracy.
    pub accuracy: f64,
    /// Precision (0 when nothing is predicted positive; see `notes`).
    pub precision: f64,
    /// Recall (0 when no row is positive; see `notes`).
    pub recall: f64,
    /// F1 (0 when precision + recall is 0; see `notes`).
    pub f1: f64,
    /// Confusion matrix.
    pub confusion: ConfusionMatrix,
    /// Share of positive labels (the churn rate).
    pub positive_rate: f64,
    /// Share of rows predicted positive.
    pub predicted_positive_rate: f64,
    /// Decision threshold on the predicted probability.
    pub threshold: f64,
    /// Where a metric was set to 0 because its denominator was 0, or AUC was undefined.
    pub notes: Vec<String>,
}

/// Sizes of the stratified split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitInfo {
    /// Training rows.
    pub train_rows: u64,
    /// Held-out rows.
    pub test_rows: u64,
    /// Positive rows in training.
    pub train_positives: u64,
    /// Positive rows held out.
    pub test_positives: u64,
    /// Seed of the split.
    pub seed: u64,
}

/// `baseline_metrics.json`: holdout metrics of a trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineMetrics {
    /// Model version.
    pub model_version: String,
    /// The split.
    pub split: SplitInfo,
    /// Metrics on the held-out rows.
    pub holdout: ClassificationMetrics,
    /// Error rate the model expects of itself on the held-out rows (confidence-based); the gap
    /// to the realized error rate calibrates concept-drift detection.
    pub expected_error_rate: f64,
    /// AUC the model expects of itself on the held-out rows (confidence-based).
    pub expected_auc: Option<f64>,
    /// Calibration of the probabilities: method, the calibration rows, and the quality on the
    /// held-out rows before and after calibration (`None` in version-1 files).
    #[serde(default)]
    pub calibration: Option<CalibrationReport>,
}

impl Artifact for BaselineMetrics {
    const KIND: &'static str = "baseline_metrics";
    /// Version 2 added `calibration` (and `holdout` is on calibrated probabilities); version 1
    /// files read with it absent.
    const SCHEMA_VERSION: u32 = 2;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2]
    }
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

/// One bin of a reliability curve (equal-width bins on the predicted probability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge (inclusive).
    pub lower: f64,
    /// Upper edge (exclusive, inclusive for the last bin).
    pub upper: f64,
    /// Rows whose probability falls in the bin.
    pub rows: u64,
    /// Mean predicted probability of those rows.
    pub mean_predicted: f64,
    /// Share of those rows whose label is positive.
    pub observed_rate: f64,
}

/// How well predicted probabilities match observed rates on labelled rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationQuality {
    /// Rows.
    pub rows: u64,
    /// Brier score: mean of (p - y)^2.
    pub brier: f64,
    /// Expected calibration error over `bins` equal-width bins (see `docs/calibration.md`).
    pub ece: f64,
    /// Number of equal-width bins of the ECE and the reliability curve.
    pub bins: usize,
    /// The reliability curve: the non-empty bins, ascending.
    pub reliability: Vec<ReliabilityBin>,
}

/// `baseline_metrics.json`'s calibration section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// `isotonic` or `platt`.
    pub method: String,
    /// Calibration rows (training rows, each scored by a forest that did not fit it).
    pub calibration_rows: u64,
    /// Positive calibration rows.
    pub calibration_positives: u64,
    /// Quality of the raw forest probabilities on the held-out rows.
    pub before: CalibrationQuality,
    /// Quality of the calibrated probabilities on the held-out rows.
    pub after: CalibrationQuality,
}

/// Forest hyper-parameters as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingParams {
    /// Trees.
    pub n_trees: usize,
    /// Maximum depth.
    pub max_depth: usize,
    /// Minimum rows per leaf.
    pub min_samples_leaf: usize,
    /// Share of features per tree.
    pub feature_fraction: f64,
    /// Bootstrap sample size as a share of training rows.
    pub bootstrap_fraction: f64,
    /// Held-out share.
    pub test_fraction: f64,
}

/// Where the training data came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSource {
    /// The path as given, or `None` for generated data.
    pub path: Option<String>,
    /// Seed of the generator when the data was generated.
    pub generator_seed: Option<u64>,
    /// SHA-256 of the file's bytes (or of the generated CSV).
    pub sha256: String,
    /// Data rows.
    pub rows: u64,
    /// Column names in file order.
    pub columns: Vec<String>,
}

/// `training_manifest.json`: how a model was made, enough to reproduce it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingManifest {
    /// Model version.
    pub model_version: String,
    /// Input data.
    pub data: DataSource,
    /// Seed of every random step.
    pub seed: u64,
    /// Hyper-parameters.
    pub params: TrainingParams,
    /// Target column.
    pub target: String,
    /// Positive label.
    pub positive_label: String,
    /// Feature columns used, in order.
    pub features: Vec<String>,
    /// Columns not used, with the reason.
    pub excluded: Vec<ExcludedColumn>,
    /// The split.
    pub split: SplitInfo,
}

impl Artifact for TrainingManifest {
    const KIND: &'static str = "training_manifest";
    const SCHEMA_VERSION: u32 = 1;
}

/// `models/champion.json`: the model version that serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Champion {
    /// Version of the serving model.
    pub model_version: String,
}

impl Artifact for Champion {
    const KIND: &'static str = "champion";
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self) -> Result<(), crate::Invalid> {
        self.check_structure()
    }
}

closed_set!(
    /// How a model became champion.
    ChampionChange {
        /// `driftscope train` made its new model champion.
        Train = "train",
        /// `driftscope promote VERSION`.
        Promote = "promote",
        /// `driftscope rollback`: back to the champion before the current one.
        Rollback = "rollback",
        /// `retrain` with `retraining.auto_retrain` and a `deploy` recommendation.
        AutoRetrain = "auto_retrain",
        /// `driftscope baseline`: the user's own model, from its logged predictions.
        Baseline = "baseline",
    }
);

/// One change of champion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelHistoryEntry {
    /// How.
    pub change: ChampionChange,
    /// The champion before the change.
    pub from: String,
    /// The champion after it.
    pub to: String,
    /// Whether `--force` overrode the floor check.
    pub forced: bool,
    /// Why, in words (e.g. the model's AUC against the floor).
    pub reason: String,
}

/// `models/history.json`: every change of champion, oldest first (`rollback` walks it back).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelHistory {
    /// Changes, oldest first.
    pub changes: Vec<ModelHistoryEntry>,
}

impl Artifact for ModelHistory {
    const KIND: &'static str = "model_history";
    const SCHEMA_VERSION: u32 = 1;
}

closed_set!(
    /// The metric that compares models and measures decay (`retraining.model_comparison_metric`).
    ComparisonMetric {
        /// ROC AUC.
        Auc = "auc",
        /// Accuracy.
        Accuracy = "accuracy",
        /// Precision.
        Precision = "precision",
        /// Recall.
        Recall = "recall",
        /// F1.
        F1 = "f1",
    }
);

impl ComparisonMetric {
    /// This metric of `m`; `None` for an undefined AUC.
    pub fn of(self, m: &ClassificationMetrics) -> Option<f64> {
        match self {
            ComparisonMetric::Auc => m.auc,
            ComparisonMetric::Accuracy => Some(m.accuracy),
            ComparisonMetric::Precision => Some(m.precision),
            ComparisonMetric::Recall => Some(m.recall),
            ComparisonMetric::F1 => Some(m.f1),
        }
    }
}

closed_set!(
    /// What to do with a challenger.
    Recommendation {
        /// It wins: deploy it.
        Deploy = "deploy",
        /// Keep the champion: it clears the floor and the challenger is not better beyond noise
        /// (or misses the floor).
        Keep = "keep",
        /// Neither model clears the floor (`performance.min_auc` / `min_accuracy`) with a
        /// challenger better beyond noise: neither is fit for these customers; investigate.
        Investigate = "investigate",
    }
);

/// Paired bootstrap of challenger minus champion on the same evaluation rows: rows are drawn
/// with replacement `resamples` times from a ChaCha stream seeded with `seed`, both models are
/// scored on each draw, and the percentile interval of the differences is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedBootstrap {
    /// Seed of the resampling.
    pub seed: u64,
    /// Resamples drawn.
    pub resamples: u32,
    /// Two-sided confidence level of the interval (e.g. 0.95).
    pub confidence: f64,
    /// Lower end of the interval of challenger - champion.
    pub lower: f64,
    /// Upper end of the interval of challenger - champion.
    pub upper: f64,
}

/// `model_comparisons/<challenger>-vs-<champion>.json`: challenger against champion on recent
/// labelled rows neither model trained on, and the deployment recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelComparison {
    /// The serving model.
    pub champion: String,
    /// The new model.
    pub challenger: String,
    /// `retraining.model_comparison_metric`.
    pub metric: ComparisonMetric,
    /// Champion's metric on the evaluation rows.
    pub champion_score: f64,
    /// Challenger's metric on the evaluation rows.
    pub challenger_score: f64,
    /// Champion's metrics on the evaluation rows.
    pub champion_metrics: ClassificationMetrics,
    /// Challenger's metrics on the evaluation rows.
    pub challenger_metrics: ClassificationMetrics,
    /// Recent labelled rows held out for the comparison (the most recent ones).
    pub evaluation_rows: u64,
    /// Rows the challenger trained on (reference plus older recent rows).
    pub training_rows: u64,
    /// `deploy`, `keep` or `investigate`.
    pub recommendation: Recommendation,
    /// The absolute floor the challenger must clear (`performance.min_auc` for AUC,
    /// `performance.min_accuracy` for accuracy; none for other metrics). Absent in version 1.
    #[serde(default)]
    pub floor: Option<f64>,
    /// Noise check of the difference on the evaluation rows. Absent in version 1.
    #[serde(default)]
    pub bootstrap: Option<PairedBootstrap>,
    /// Which rows the challenger trained on, in words (the training-data rule). Empty in
    /// version 1.
    #[serde(default)]
    pub training_data: String,
    /// Why.
    pub reasons: Vec<String>,
    /// Whether the challenger was promoted to champion (`retraining.auto_retrain`).
    pub promoted: bool,
}

impl Artifact for ModelComparison {
    const KIND: &'static str = "model_comparison";
    /// Version 2 added `floor`, `bootstrap`, `training_data` and the `investigate`
    /// recommendation; version 1 files read with them absent.
    const SCHEMA_VERSION: u32 = 2;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2]
    }
}

/// Standard error of an AUC (Hanley & McNeil 1982) with `positives` and `negatives` rows. Shared
/// by the concept-drift tests (`driftscope-performance`) and the alert rules, so both use one
/// definition.
///
/// # Example
/// ```
/// // Hanley & McNeil's formula evaluated in Python: q1 = 0.8 / 1.2, q2 = 1.28 / 1.8,
/// // sqrt((0.8 * 0.2 + 99 * (q1 - 0.64) + 99 * (q2 - 0.64)) / 10_000) = 0.03136877428271624
/// let se = driftscope_artifacts::auc_standard_error(0.8, 100, 100);
/// assert!((se - 0.031_368_774_282_716_24).abs() < 1e-12);
/// ```
pub fn auc_standard_error(auc: f64, positives: u64, negatives: u64) -> f64 {
    let (n1, n2) = (positives as f64, negatives as f64);
    let q1 = auc / (2.0 - auc);
    let q2 = 2.0 * auc * auc / (1.0 + auc);
    ((auc * (1.0 - auc) + (n1 - 1.0) * (q1 - auc * auc) + (n2 - 1.0) * (q2 - auc * auc))
        / (n1 * n2))
        .max(0.0)
        .sqrt()
}
