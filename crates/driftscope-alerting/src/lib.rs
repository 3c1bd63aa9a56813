//! Alerts and retraining decisions for driftscope.
//!
//! Turns a batch's findings (data quality, data drift, prediction drift, performance, concept
//! drift, degradation) into at most one alert per type, each with a severity (HIGH / MEDIUM /
//! LOW), the measured value, the threshold and a one-line reason; ten drifted features make one
//! DATA_DRIFT alert that lists them. Then decides whether to retrain, with every condition met
//! and the labelled samples available against `retraining.min_samples_for_retrain`.
//!
//! Each rule is one function; every threshold is a config key or a named constant below with
//! the reason for its value. Alert types and severities are spelled by
//! [`AlertType::as_str`] and [`AlertSeverity::as_str`] (their serde names) everywhere.
//!
//! **Reads:** nothing (findings are passed in). **Writes:** nothing; alerts and decisions are
//! artifact bodies.
//!
//! # Example
//! ```
//! use driftscope_alerting::{raise_alerts, Findings};
//! use driftscope_artifacts::{Config, DataQuality, DriftReport, PredictionDrift};
//! let drift = DriftReport {
//!     reference_rows: 100, current_rows: 100, drifted_features: vec![], features_checked: 3,
//!     drift_share: 0.0, dataset_drift: false, excluded_columns: vec![], missing_columns: vec![],
//!     extra_columns: vec![], features: vec![], calibrated_drifted_features: vec![],
//!     alert_verdict: driftscope_artifacts::DriftVerdict::PsiKl,
//! };
//! let prediction = PredictionDrift {
//!     psi: 0.01, ks_p_value: 0.8, mean_probability: 0.27, predicted_positive_rate: 0.2,
//!     baseline_predicted_positive_rate: 0.2, probability_std: 0.25, source: driftscope_artifacts::PredictionSource::Model,
//!     skew_rows_checked: 0, skew_rows_differing: 0, skew_max_difference: 0.0,
//! };
//! let f = Findings {
//!     batch_id: "b1", timestamp: "2026-01-05T00:00:00Z", data_quality: &DataQuality::default(),
//!     drift: &drift, prediction: Some(&prediction), performance: None, baseline: None,
//!     concept: None, degradation: None, estimated: None,
//! };
//! assert!(raise_alerts(&f, &Config::default()).is_empty());
//! ```

mod deploy;
mod diagnosis;
mod incidents;
mod rollback;
#[cfg(test)]
#[allow(clippy::too_many_lines)] // test functions list many cases
mod tests;
mod webhook;

pub use deploy::{deployment_decision, ComparisonEvidence};
pub use diagnosis::{diagnose, headline};
pub use incidents::{build_incidents, incident_events, BatchAlerts};
pub use rollback::{rollback_advice, ChampionSwitch};
pub use webhook::{deliver, slack_body};

use driftscope_artifacts::{
    Action, Alert, AlertSeverity, AlertType, ClassificationMetrics, ConceptDrift, Config,
    DataQuality, Degradation, Direction, DriftReport, DriftVerdict, EstimatedPerformance,
    PredictionDrift, RetrainingDecision, RetrainingPriority, Severity,
};

/// Fewest problems (columns or rows) that make a DATA_QUALITY alert: any one is a problem.
pub const SCHEMA_PROBLEMS_MIN: f64 = 1.0;

/// A value at this multiple of its threshold escalates the alert one level: far enough past the
/// threshold that sampling noise alone rarely gets there.
pub const SEVERITY_STEP: f64 = 2.0;

/// Standard errors the error-rate excess over the baseline must also reach before
/// ERROR_RATE_INCREASE fires: a one-sided 3-sigma test has about one false alarm in 700 batches.
/// The standard error is that of a difference of two binomial rates, the batch's and the
/// baseline holdout's (`e0 (1 - e0) (1 / n + 1 / n0)`): the baseline error is itself measured
/// on a holdout of `n0` rows.
pub const ERROR_RATE_MIN_Z: f64 = 3.0;

/// Standard errors by which a metric must fall below its configured minimum
/// (`performance.min_auc`, `performance.min_accuracy`) for a PERFORMANCE_THRESHOLD_VIOLATION:
/// the one-sided 95% upper confidence bound of the batch's metric is below the minimum, so a
/// model whose true accuracy sits at or above the minimum raises it on at most 5% of batches,
/// and one 2 standard errors above it on about 0.2% (AUC: Hanley-McNeil standard error;
/// accuracy: binomial).
pub const THRESHOLD_CONFIDENCE_Z: f64 = 1.645;

/// Standard errors the comparison metric's fall from the baseline must also reach before its
/// decay (`concept_drift.performance_decay_threshold`) recommends retraining: as the
/// concept-drift tests, a one-sided 3-sigma test (about one batch in 700 of a model that did
/// not decay). Metrics without a standard error (precision, recall, F1) are judged on the
/// decay alone.
pub const DECAY_MIN_Z: f64 = 3.0;

/// Absolute error-rate excess (5 points) needed besides [`SEVERITY_STEP`] times the relative
/// threshold for a MEDIUM ERROR_RATE_INCREASE: doubling a tiny error rate is not urgent.
pub const ERROR_RATE_MEDIUM_MIN_EXCESS: f64 = 0.05;

/// Share of a numerical feature's values outside the reference [min, max] above which a LOW
/// DATA_QUALITY alert fires: a reference of a few thousand rows misses about 1/n of the range
/// on each side, so shares below 1% are expected.
pub const OUT_OF_RANGE_ALERT_SHARE: f64 = 0.01;

/// Standard deviation of the predicted probabilities below which predictions have collapsed
/// (SILENT_FAILURE, HIGH): the baseline's is about 0.25; a constant model gives 0.
pub const COLLAPSED_PROBABILITY_STD: f64 = 0.02;

/// Absolute move of the predicted positive rate (10 points) that, together with
/// [`POSITIVE_RATE_RELATIVE_JUMP`], is a SILENT_FAILURE without labels.
pub const POSITIVE_RATE_JUMP: f64 = 0.1;

/// Relative move of the predicted positive rate (half the baseline rate) that, together with
/// [`POSITIVE_RATE_JUMP`], is a SILENT_FAILURE: a rare class needs a relative move, a common
/// one an absolute one.
pub const POSITIVE_RATE_RELATIVE_JUMP: f64 = 0.5;

/// Least severity of a DATA_DRIFT alert that recommends retraining: a LOW one (few features,
/// none drifted HIGH) is watched, not acted on.
pub const RETRAIN_DRIFT_MIN_SEVERITY: AlertSeverity = AlertSeverity::Medium;

/// Least priority of a retraining for a performance reason: a model that performs worse is
/// retrained soon whatever the alert's severity.
pub const RETRAIN_PERFORMANCE_MIN_PRIORITY: AlertSeverity = AlertSeverity::Medium;

/// Everything the rules look at for one batch.
#[derive(Debug, Clone, Copy)]
pub struct Findings<'a> {
    /// Batch id.
    pub batch_id: &'a str,
    /// Batch timestamp.
    pub timestamp: &'a str,
    /// Schema and data quality.
    pub data_quality: &'a DataQuality,
    /// Data drift.
    pub drift: &'a DriftReport,
    /// Prediction drift (absent when the batch could not be scored).
    pub prediction: Option<&'a PredictionDrift>,
    /// Metrics on the batch (labelled batches).
    pub performance: Option<&'a ClassificationMetrics>,
    /// Baseline holdout metrics.
    pub baseline: Option<&'a ClassificationMetrics>,
    /// Concept-drift analysis (labelled batches).
    pub concept: Option<&'a ConceptDrift>,
    /// Degradation over the history.
    pub degradation: Option<&'a Degradation>,
    /// Performance estimated from calibrated probabilities (every scored batch).
    pub estimated: Option<&'a EstimatedPerformance>,
}

/// What one rule found: the alert's fields other than the batch and the deliveries.
struct Finding {
    alert_type: AlertType,
    severity: AlertSeverity,
    value: f64,
    threshold: f64,
    quantity: &'static str,
    direction: Direction,
    reason: String,
    details: Vec<String>,
}

impl Finding {
    fn new(
        alert_type: AlertType,
        severity: AlertSeverity,
        value: f64,
        threshold: f64,
        reason: String,
    ) -> Finding {
        Finding {
            alert_type,
            severity,
            value,
            threshold,
            quantity: "",
            direction: Direction::Above,
            reason,
            details: Vec::new(),
        }
    }

    /// What value and threshold measure, and the side on which it fires.
    fn measures(mut self, quantity: &'static str, direction: Direction) -> Finding {
        self.quantity = quantity;
        self.direction = direction;
        self
    }

    fn details(mut self, details: Vec<String>) -> Finding {
        self.details = details;
        self
    }
}

struct Builder<'a> {
    f: &'a Findings<'a>,
    alerts: Vec<Alert>,
}

impl Builder<'_> {
    /// Adds an alert, or merges into the existing one of that type (max severity, details appended).
    fn add(&mut self, x: Option<Finding>) {
        let Some(x) = x else { return };
        if let Some(a) = self
            .alerts
            .iter_mut()
            .find(|a| a.alert_type == x.alert_type)
        {
            if x.severity > a.severity {
                a.severity = x.severity;
                a.value = x.value;
                a.threshold = x.threshold;
                a.quantity = x.quantity.to_string();
                a.direction = x.direction;
            }
            a.reason = format!("{}; {}", a.reason, x.reason);
            a.details.extend(x.details);
            return;
        }
        self.alerts.push(Alert {
            batch_id: self.f.batch_id.to_string(),
            timestamp: self.f.timestamp.to_string(),
            alert_type: x.alert_type,
            severity: x.severity,
            value: x.value,
            threshold: x.threshold,
            quantity: x.quantity.to_string(),
            direction: x.direction,
            reason: x.reason,
            details: x.details,
            deliveries: Vec::new(),
        });
    }
}

/// The alerts of a batch: at most one per type, most severe first.
pub fn raise_alerts(f: &Findings<'_>, cfg: &Config) -> Vec<Alert> {
    if !cfg.alerts.enabled {
        return Vec::new();
    }
    let mut b = Builder {
        f,
        alerts: Vec::new(),
    };
    b.add(data_drift_rule(f.drift, cfg));
    b.add(f.prediction.and_then(|p| prediction_drift_rule(p, cfg)));
    b.add(schema_rule(f.data_quality, f.prediction));
    b.add(missing_and_unseen_rule(
        f.data_quality,
        f.drift.current_rows,
    ));
    b.add(out_of_range_rule(f.data_quality));
    if let Some(m) = f.performance {
        b.add(min_auc_rule(m, cfg));
        b.add(min_accuracy_rule(m, cfg));
        b.add(f.baseline.and_then(|base| error_rate_rule(m, base, cfg)));
    }
    b.add(f.concept.and_then(|c| concept_drift_rule(c, cfg)));
    b.add(f.degradation.and_then(|d| degradation_rule(d, cfg)));
    if let (None, Some(p)) = (f.performance, f.prediction) {
        b.add(silent_failure_rule(p));
    }
    if let (None, Some(e)) = (f.performance, f.estimated) {
        b.add(estimated_auc_rule(e, cfg));
    }
    b.alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.alert_type.cmp(&b.alert_type))
    });
    b.alerts
}

/// DATA_DRIFT: one alert listing every feature drifted by the verdict that drives alerts
/// (`data_drift.alert_verdict`, named in the reason). HIGH when that verdict's drifted share
/// reaches `data_drift.dataset_drift_share`, MEDIUM at `data_drift.feature_drift_threshold`
/// or (PSI/KL verdict) when a feature drifted HIGH, else LOW.
fn data_drift_rule(drift: &DriftReport, cfg: &Config) -> Option<Finding> {
    let drifted = drift.alerting_drifted();
    if drifted.is_empty() {
        return None;
    }
    let dd = &cfg.data_drift;
    let share = drift.alerting_share();
    let any_high = drift.alert_verdict == DriftVerdict::PsiKl
        && drift.features.iter().any(|x| x.severity == Severity::High);
    // The threshold is the share the alert's severity crossed: the dataset-drift share (HIGH),
    // `feature_drift_threshold` (MEDIUM by share), else 0 (any drifted feature).
    let (severity, threshold) = if share >= dd.dataset_drift_share {
        (AlertSeverity::High, dd.dataset_drift_share)
    } else if share >= dd.feature_drift_threshold {
        (AlertSeverity::Medium, dd.feature_drift_threshold)
    } else if any_high {
        (AlertSeverity::Medium, 0.0)
    } else {
        (AlertSeverity::Low, 0.0)
    };
    let details = drift
        .features
        .iter()
        .filter(|x| drifted.contains(&x.name))
        .map(|x| {
            let psi = x.psi.map_or("n/a".into(), |p| format!("{p:.3}"));
            let p = x.calibrated.as_ref().map_or(String::new(), |c| {
                format!(", adjusted p {:.2e}", c.p_adjusted)
            });
            format!("{} ({}, psi {psi}{p})", x.name, x.severity)
        })
        .collect();
    let verdict = match drift.alert_verdict {
        DriftVerdict::PsiKl => "PSI/KL verdict",
        DriftVerdict::SizeAware => "size-aware verdict",
    };
    let reason = format!(
        "{} of {} features drifted ({verdict}, share {share:.2}): {}",
        drifted.len(),
        drift.features_checked,
        drifted.join(", ")
    );
    let x = Finding::new(AlertType::DataDrift, severity, share, threshold, reason);
    Some(x.details(details).measures(
        match drift.alert_verdict {
            DriftVerdict::PsiKl => "share of features drifted (PSI/KL verdict)",
            DriftVerdict::SizeAware => "share of features drifted (size-aware verdict)",
        },
        Direction::Above,
    ))
}

/// PREDICTION_DRIFT: the PSI of the predicted probabilities at `alerts.drift_alert_threshold`
/// (MEDIUM), HIGH at [`SEVERITY_STEP`] times it.
fn prediction_drift_rule(p: &PredictionDrift, cfg: &Config) -> Option<Finding> {
    let threshold = cfg.alerts.drift_alert_threshold;
    if p.psi < threshold {
        return None;
    }
    let severity = if p.psi >= SEVERITY_STEP * threshold {
        AlertSeverity::High
    } else {
        AlertSeverity::Medium
    };
    let reason = format!(
        "predicted probabilities moved (psi {:.3}); predicted positive rate {:.3} vs {:.3} at baseline",
        p.psi, p.predicted_positive_rate, p.baseline_predicted_positive_rate
    );
    Some(
        Finding::new(
            AlertType::PredictionDrift,
            severity,
            p.psi,
            threshold,
            reason,
        )
        .measures("PSI of the predicted probabilities", Direction::Above),
    )
}

/// DATA_QUALITY, HIGH: missing columns, type changes or serving skew (any one is enough).
fn schema_rule(q: &DataQuality, prediction: Option<&PredictionDrift>) -> Option<Finding> {
    let skew = prediction.filter(|p| p.skew_rows_differing > 0);
    if q.missing_columns.is_empty() && q.type_changes.is_empty() && skew.is_none() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(p) = skew {
        parts.push(format!(
            "serving skew: the logged predictions differ from the champion's on {} of {} \
             re-scored rows (up to {:.4}); another model or other inputs may be serving",
            p.skew_rows_differing, p.skew_rows_checked, p.skew_max_difference
        ));
    }
    if !q.missing_columns.is_empty() {
        parts.push(format!("missing columns: {}", q.missing_columns.join(", ")));
    }
    if !q.type_changes.is_empty() {
        parts.push(format!("type changed: {}", q.type_changes.join(", ")));
    }
    let value = (q.missing_columns.len() + q.type_changes.len()) as f64
        + skew.map_or(0.0, |p| p.skew_rows_differing as f64);
    let reason = parts.join("; ");
    let x = Finding::new(
        AlertType::DataQuality,
        AlertSeverity::High,
        value,
        SCHEMA_PROBLEMS_MIN,
        reason,
    );
    Some(x.measures(
        "missing columns + type changes + skewed rows (count)",
        Direction::Above,
    ))
}

/// DATA_QUALITY, MEDIUM: never-seen categories, or a missing share more than
/// [`driftscope_artifacts::MISSING_SHARE_JUMP`] above the reference's (the monitor records only those).
fn missing_and_unseen_rule(q: &DataQuality, rows: u64) -> Option<Finding> {
    if q.unseen_categories.is_empty() && q.missing_share.is_empty() {
        return None;
    }
    let pct = |n: u64| 100.0 * n as f64 / rows.max(1) as f64;
    let mut details = Vec::new();
    let mut named = Vec::new();
    for (col, cats) in &q.unseen_categories {
        let list: Vec<String> = cats.iter().map(|(v, n)| format!("{v:?} x{n}")).collect();
        details.push(format!("{col}: never-seen {}", list.join(", ")));
        let n: u64 = cats.values().sum();
        named.push(format!("{col} {:.1}% never-seen values", pct(n)));
    }
    for (col, share) in &q.missing_share {
        details.push(format!("{col}: {:.1}% missing", share * 100.0));
        named.push(format!("{col} {:.1}% missing", share * 100.0));
    }
    let columns = (q.unseen_categories.len() + q.missing_share.len()) as f64;
    let reason = format!("broken feed: {}", named.join(", "));
    let x = Finding::new(
        AlertType::DataQuality,
        AlertSeverity::Medium,
        columns,
        SCHEMA_PROBLEMS_MIN,
        reason,
    );
    Some(x.details(details).measures(
        "columns with never-seen categories or a missing-value jump (count)",
        Direction::Above,
    ))
}

/// DATA_QUALITY, LOW: more than [`OUT_OF_RANGE_ALERT_SHARE`] of a feature's values outside the
/// reference range.
fn out_of_range_rule(q: &DataQuality) -> Option<Finding> {
    let worst = q.out_of_range_share.values().copied().fold(0.0, f64::max);
    if worst <= OUT_OF_RANGE_ALERT_SHARE {
        return None;
    }
    let details = q
        .out_of_range_share
        .iter()
        .map(|(c, s)| format!("{c}: {:.1}% outside the reference range", s * 100.0))
        .collect();
    let reason = format!(
        "values outside the reference range (up to {:.1}%)",
        worst * 100.0
    );
    let x = Finding::new(
        AlertType::DataQuality,
        AlertSeverity::Low,
        worst,
        OUT_OF_RANGE_ALERT_SHARE,
        reason,
    );
    Some(x.details(details).measures(
        "largest share of a feature's values outside the reference range",
        Direction::Above,
    ))
}

/// PERFORMANCE_THRESHOLD_VIOLATION, HIGH: AUC below `performance.min_auc` by at least
/// [`THRESHOLD_CONFIDENCE_Z`] standard errors.
fn min_auc_rule(m: &ClassificationMetrics, cfg: &Config) -> Option<Finding> {
    let min = cfg.performance.min_auc;
    let se = |a: f64| driftscope_artifacts::auc_standard_error(a, m.positives, m.n - m.positives);
    let auc = m
        .auc
        .filter(|a| *a < min && min - a >= THRESHOLD_CONFIDENCE_Z * se(*a))?;
    let reason = format!("AUC {auc:.3} is below the minimum {min:.2}");
    Some(
        Finding::new(
            AlertType::PerformanceThresholdViolation,
            AlertSeverity::High,
            auc,
            min,
            reason,
        )
        .measures("AUC on the batch", Direction::Below),
    )
}

/// PERFORMANCE_ESTIMATE (unlabelled batches): the estimated AUC is below `performance.min_auc`.
/// HIGH when the whole 95% interval is below it, else MEDIUM. The reason says it is an estimate.
fn estimated_auc_rule(e: &EstimatedPerformance, cfg: &Config) -> Option<Finding> {
    let min = cfg.performance.min_auc;
    let auc = e.auc.filter(|a| a.value < min)?;
    let severity = if auc.upper < min {
        AlertSeverity::High
    } else {
        AlertSeverity::Medium
    };
    let reason = format!(
        "estimated AUC {:.3} (95% interval {:.3}-{:.3}) is below the minimum {min:.2}; an \
         estimate from the calibrated probabilities of an unlabelled batch, not a measurement",
        auc.value, auc.lower, auc.upper
    );
    let mut details = vec![format!(
        "estimated accuracy {:.3}, precision {:.3}, recall {:.3}, F1 {:.3}",
        e.accuracy.value, e.precision.value, e.recall.value, e.f1.value
    )];
    details.extend(e.notes.iter().cloned());
    Some(
        Finding::new(
            AlertType::PerformanceEstimate,
            severity,
            auc.value,
            min,
            reason,
        )
        .measures("estimated AUC", Direction::Below)
        .details(details),
    )
}

/// PERFORMANCE_THRESHOLD_VIOLATION, MEDIUM: accuracy below `performance.min_accuracy` by at
/// least [`THRESHOLD_CONFIDENCE_Z`] binomial standard errors.
fn min_accuracy_rule(m: &ClassificationMetrics, cfg: &Config) -> Option<Finding> {
    let min = cfg.performance.min_accuracy;
    let se = (m.accuracy * (1.0 - m.accuracy) / m.n.max(1) as f64).sqrt();
    if m.accuracy >= min || min - m.accuracy < THRESHOLD_CONFIDENCE_Z * se {
        return None;
    }
    let reason = format!("accuracy {:.3} is below the minimum {min:.2}", m.accuracy);
    Some(
        Finding::new(
            AlertType::PerformanceThresholdViolation,
            AlertSeverity::Medium,
            m.accuracy,
            min,
            reason,
        )
        .measures("accuracy on the batch", Direction::Below),
    )
}

/// ERROR_RATE_INCREASE against the baseline: a relative increase of at least
/// `concept_drift.error_rate_increase` that is also [`ERROR_RATE_MIN_Z`] standard errors (LOW);
/// MEDIUM at [`SEVERITY_STEP`] times the threshold and [`ERROR_RATE_MEDIUM_MIN_EXCESS`] absolute.
fn error_rate_rule(
    m: &ClassificationMetrics,
    base: &ClassificationMetrics,
    cfg: &Config,
) -> Option<Finding> {
    let (e, e0) = (1.0 - m.accuracy, 1.0 - base.accuracy);
    let sd = (e0 * (1.0 - e0) * (1.0 / m.n.max(1) as f64 + 1.0 / base.n.max(1) as f64)).sqrt();
    let increase = if e0 > 0.0 { (e - e0) / e0 } else { 0.0 };
    let threshold = cfg.concept_drift.error_rate_increase;
    if increase < threshold || e - e0 < ERROR_RATE_MIN_Z * sd {
        return None;
    }
    let severity =
        if increase >= SEVERITY_STEP * threshold && e - e0 >= ERROR_RATE_MEDIUM_MIN_EXCESS {
            AlertSeverity::Medium
        } else {
            AlertSeverity::Low
        };
    let reason = format!(
        "error rate {e:.3} vs {e0:.3} at baseline (+{:.0}%)",
        increase * 100.0
    );
    Some(
        Finding::new(
            AlertType::ErrorRateIncrease,
            severity,
            increase,
            threshold,
            reason,
        )
        .measures(
            "relative error-rate increase over the baseline",
            Direction::Above,
        ),
    )
}

/// CONCEPT_DRIFT when the analysis detected it (MEDIUM); HIGH when the AUC drop or the error
/// increase reaches [`SEVERITY_STEP`] times its threshold.
fn concept_drift_rule(c: &ConceptDrift, cfg: &Config) -> Option<Finding> {
    if !c.detected {
        return None;
    }
    let cd = &cfg.concept_drift;
    let big = c.auc_drop.unwrap_or(0.0) >= SEVERITY_STEP * cd.auc_drop_threshold
        || c.error_rate_increase >= SEVERITY_STEP * cd.error_rate_increase;
    // The quantity of the rule that fired: the AUC drop when it reached its threshold, else
    // the error-rate increase (the analysis fires on one or the other).
    let (value, threshold, quantity) = match c.auc_drop {
        Some(d) if d >= cd.auc_drop_threshold => (
            d,
            cd.auc_drop_threshold,
            "AUC drop below the AUC expected on the batch's inputs",
        ),
        _ => (
            c.error_rate_increase,
            cd.error_rate_increase,
            "relative error-rate increase over the error expected on the batch's inputs",
        ),
    };
    let severity = if big {
        AlertSeverity::High
    } else {
        AlertSeverity::Medium
    };
    let reason = format!(
        "the model performs worse than it should on this batch: {}",
        c.reasons.join("; ")
    );
    Some(
        Finding::new(AlertType::ConceptDrift, severity, value, threshold, reason)
            .measures(quantity, Direction::Above),
    )
}

/// PERFORMANCE_THRESHOLD_VIOLATION, MEDIUM: gradual degradation detected over the history
/// (with `performance.alert_on_degradation`).
fn degradation_rule(d: &Degradation, cfg: &Config) -> Option<Finding> {
    if !(d.detected && cfg.performance.alert_on_degradation) {
        return None;
    }
    let reason = format!(
        "gradual degradation: {} falls by {:.3} per batch over the last {} batches",
        d.metric,
        -d.slope,
        d.values.len()
    );
    // The fall of the fitted trend over the window, the quantity detection compares.
    let fall = -d.slope * (d.values.len().max(1) - 1) as f64;
    let x = Finding::new(
        AlertType::PerformanceThresholdViolation,
        AlertSeverity::Medium,
        fall,
        cfg.alerts.performance_alert_threshold,
        reason,
    );
    let x = x.measures(
        "AUC fall of the fitted trend over the window",
        Direction::Above,
    );
    Some(x.details(vec![format!("{} history: {:?}", d.metric, d.values)]))
}

/// SILENT_FAILURE, HIGH (batches without labels): predictions collapsed below
/// [`COLLAPSED_PROBABILITY_STD`], or the predicted positive rate moved by both
/// [`POSITIVE_RATE_JUMP`] and [`POSITIVE_RATE_RELATIVE_JUMP`] of the baseline rate.
fn silent_failure_rule(p: &PredictionDrift) -> Option<Finding> {
    let (rate, base) = (
        p.predicted_positive_rate,
        p.baseline_predicted_positive_rate,
    );
    let jump = (rate - base).abs();
    if p.probability_std < COLLAPSED_PROBABILITY_STD {
        let reason = format!(
            "predictions collapsed: probability std {:.4}",
            p.probability_std
        );
        return Some(
            Finding::new(
                AlertType::SilentFailure,
                AlertSeverity::High,
                p.probability_std,
                COLLAPSED_PROBABILITY_STD,
                reason,
            )
            .measures(
                "standard deviation of the predicted probabilities",
                Direction::Below,
            ),
        );
    }
    if jump >= POSITIVE_RATE_JUMP && jump >= POSITIVE_RATE_RELATIVE_JUMP * base {
        let reason =
            format!("predicted positive rate jumped to {rate:.3} from {base:.3} at baseline");
        let threshold = POSITIVE_RATE_JUMP.max(POSITIVE_RATE_RELATIVE_JUMP * base);
        return Some(
            Finding::new(
                AlertType::SilentFailure,
                AlertSeverity::High,
                jump,
                threshold,
                reason,
            )
            .measures(
                "move of the predicted positive rate from the baseline's",
                Direction::Above,
            ),
        );
    }
    None
}

/// Least severity of a DATA_QUALITY alert that is a data-quality incident (`fix_data_pipeline`):
/// MEDIUM and HIGH are missing columns, type changes, serving skew, missing-value jumps and
/// never-seen categories; LOW (values outside the reference range) is ordinary drift.
pub const INCIDENT_MIN_SEVERITY: AlertSeverity = AlertSeverity::Medium;

/// What to do after this batch, why, whether to retrain and with what priority. In order: a
/// data-quality incident gives `fix_data_pipeline` (never retrain on broken data); a
/// retraining condition with enough labels gives `retrain_and_review_features` (concept
/// drift) or `retrain`, with too few labels `watch`; drift without harm gives `watch`.
/// Data drift is a retraining condition (`retraining.retrain_on_drift`) only on batches
/// without labels: with labels, the performance rules decide whether it harmed.
pub fn retraining_decision(
    f: &Findings<'_>,
    alerts: &[Alert],
    samples_available: u64,
    cfg: &Config,
) -> RetrainingDecision {
    let r = &cfg.retraining;
    let mut d = RetrainingDecision {
        batch_id: f.batch_id.to_string(),
        timestamp: f.timestamp.to_string(),
        should_retrain: false,
        priority: RetrainingPriority::None,
        reasons: Vec::new(),
        samples_available,
        samples_required: r.min_samples_for_retrain as u64,
        action: Action::None,
        action_reason: "no drift, no data-quality incident, performance as expected".into(),
    };
    if let Some(a) = incident(alerts) {
        d.action = Action::FixDataPipeline;
        d.action_reason = format!(
            "data-quality incident ({}): fix the data pipeline; never retrain on broken data",
            a.reason
        );
        d.reasons.push(d.action_reason.clone());
        return d;
    }
    let mut conditions: Vec<(AlertSeverity, String)> = Vec::new();
    if r.retrain_on_drift && f.performance.is_none() {
        conditions.extend(drift_condition(alerts));
    }
    let explained = explained_by_inputs(f);
    if r.retrain_on_performance_drop && explained.is_none() {
        conditions.extend(performance_conditions(alerts));
        conditions.extend(f.concept.and_then(|c| decay_condition(c, cfg)));
    }
    d.priority = conditions
        .iter()
        .map(|(s, _)| RetrainingPriority::from(*s))
        .max()
        .unwrap_or(RetrainingPriority::None);
    d.reasons = conditions.into_iter().map(|(_, why)| why).collect();
    let enough = samples_available >= r.min_samples_for_retrain as u64;
    if !d.reasons.is_empty() && !enough {
        d.reasons.push(format!(
            "waiting for labels: {samples_available} labelled rows available, {} needed (retraining.min_samples_for_retrain)",
            r.min_samples_for_retrain
        ));
    }
    d.should_retrain = !d.reasons.is_empty() && enough;
    (d.action, d.action_reason) = action_of(&d, alerts);
    if let (Some(why), Action::None | Action::Watch) = (explained, d.action) {
        if performance_conditions(alerts).is_empty()
            && f.concept.and_then(|c| decay_condition(c, cfg)).is_none()
        {
            return d;
        }
        d.action = Action::Watch;
        d.action_reason = why;
    }
    d
}

/// Whether a labelled batch's performance is what the model should reach on its inputs (the
/// concept-drift analysis ran and found none): then a metric below its floor or below the
/// baseline is explained by who the customers are (covariate shift), not by a changed
/// relationship, and retraining on the same relationship would not lift it. Returns the
/// reason to record.
pub(crate) fn explained_by_inputs(f: &Findings<'_>) -> Option<String> {
    let c = f.concept.filter(|c| !c.detected)?;
    let expected = match (c.auc, c.expected_auc) {
        (Some(a), Some(e)) => format!("AUC {a:.3} against {e:.3} expected"),
        _ => format!(
            "error rate {:.3} against {:.3} expected",
            c.error_rate, c.expected_error_rate
        ),
    };
    Some(format!(
        "performance is as the model expects on these inputs ({expected}): a covariate shift, \
         not a changed relationship, so retraining would not help; watch"
    ))
}

/// The first DATA_QUALITY alert of at least [`INCIDENT_MIN_SEVERITY`].
fn incident(alerts: &[Alert]) -> Option<&Alert> {
    alerts
        .iter()
        .find(|a| a.alert_type == AlertType::DataQuality && a.severity >= INCIDENT_MIN_SEVERITY)
}

/// The action of a decision without a data-quality incident, and its reason.
fn action_of(d: &RetrainingDecision, alerts: &[Alert]) -> (Action, String) {
    let concept = alerts
        .iter()
        .any(|a| a.alert_type == AlertType::ConceptDrift);
    if d.should_retrain && concept {
        let why = "concept drift: the relationship between inputs and target changed; retrain and review whether the features still capture it";
        return (Action::RetrainAndReviewFeatures, why.into());
    }
    if d.should_retrain {
        return (Action::Retrain, format!("retrain: {}", d.reasons[0]));
    }
    if !d.reasons.is_empty() {
        let why =
            "retraining conditions met, but too few labelled rows yet: watch and collect labels";
        return (Action::Watch, why.into());
    }
    match alerts.first() {
        Some(a) => (
            Action::Watch,
            format!(
                "{} without harm to performance (as the model expects on these inputs): watch",
                a.alert_type
            ),
        ),
        None => (Action::None, d.action_reason.clone()),
    }
}

/// A DATA_DRIFT alert of at least [`RETRAIN_DRIFT_MIN_SEVERITY`]; priority MEDIUM.
fn drift_condition(alerts: &[Alert]) -> Option<(AlertSeverity, String)> {
    let a = alerts.iter().find(|a| {
        a.alert_type == AlertType::DataDrift && a.severity >= RETRAIN_DRIFT_MIN_SEVERITY
    })?;
    let why = format!(
        "data drift ({}): {}",
        RetrainingPriority::from(a.severity),
        a.reason
    );
    Some((AlertSeverity::Medium, why))
}

/// CONCEPT_DRIFT and PERFORMANCE_THRESHOLD_VIOLATION alerts, each at its severity but at least
/// [`RETRAIN_PERFORMANCE_MIN_PRIORITY`].
fn performance_conditions(alerts: &[Alert]) -> Vec<(AlertSeverity, String)> {
    [
        AlertType::ConceptDrift,
        AlertType::PerformanceThresholdViolation,
    ]
    .into_iter()
    .filter_map(|t| alerts.iter().find(|a| a.alert_type == t))
    .map(|a| {
        let why = format!(
            "{} ({}): {}",
            a.alert_type,
            RetrainingPriority::from(a.severity),
            a.reason
        );
        (a.severity.max(RETRAIN_PERFORMANCE_MIN_PRIORITY), why)
    })
    .collect()
}

/// `retraining.model_comparison_metric` fell by at least
/// `concept_drift.performance_decay_threshold` relative to the baseline, and by at least
/// [`DECAY_MIN_Z`] standard errors where it has one; priority MEDIUM.
fn decay_condition(c: &ConceptDrift, cfg: &Config) -> Option<(AlertSeverity, String)> {
    let threshold = cfg.concept_drift.performance_decay_threshold;
    if c.decay_z.is_some_and(|z| z < DECAY_MIN_Z) {
        return None;
    }
    let decay = c.relative_decay.filter(|d| *d >= threshold)?;
    let why = format!(
        "performance decay: {} is {:.1}% below the baseline (concept_drift.performance_decay_threshold {threshold})",
        cfg.retraining.model_comparison_metric,
        decay * 100.0
    );
    Some((AlertSeverity::Medium, why))
}
