//! Alerts and retraining decisions for driftscope.
//!
//! Turns a batch's findings (data quality, data drift, prediction drift, performance, concept
//! drift, degradation) into at most one alert per type, each with a severity (HIGH / MEDIUM /
//! LOW), the measured value, the threshold and a one-line reason; ten drifted features make one
//! DATA_DRIFT alert that lists them. Then decides whether to retrain, with every condition met
//! and the labelled samples available against `retraining.min_samples_for_retrain`.
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
//! };
//! let prediction = PredictionDrift {
//!     psi: 0.01, ks_p_value: 0.8, mean_probability: 0.27, predicted_positive_rate: 0.2,
//!     baseline_predicted_positive_rate: 0.2, probability_std: 0.25, source: "model".into(),
//!     skew_rows_checked: 0, skew_rows_differing: 0, skew_max_difference: 0.0,
//! };
//! let f = Findings {
//!     batch_id: "b1", timestamp: "2026-01-05T00:00:00Z", data_quality: &DataQuality::default(),
//!     drift: &drift, prediction: Some(&prediction), performance: None, baseline: None,
//!     concept: None, degradation: None,
//! };
//! assert!(raise_alerts(&f, &Config::default()).is_empty());
//! ```

mod webhook;

pub use webhook::{deliver, slack_body};

use driftscope_artifacts::{
    Alert, AlertSeverity, AlertType, ClassificationMetrics, ConceptDrift, Config, DataQuality,
    Degradation, DriftReport, PredictionDrift, RetrainingDecision, Severity,
};

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
}

struct Builder<'a> {
    f: &'a Findings<'a>,
    alerts: Vec<Alert>,
}

impl Builder<'_> {
    /// Adds an alert, or merges into the existing one of that type (max severity, details appended).
    fn add(
        &mut self,
        t: AlertType,
        severity: AlertSeverity,
        value: f64,
        threshold: f64,
        reason: String,
        details: Vec<String>,
    ) {
        if let Some(a) = self.alerts.iter_mut().find(|a| a.alert_type == t) {
            if severity > a.severity {
                a.severity = severity;
                a.value = value;
                a.threshold = threshold;
            }
            a.reason = format!("{}; {reason}", a.reason);
            a.details.extend(details);
            return;
        }
        self.alerts.push(Alert {
            batch_id: self.f.batch_id.to_string(),
            timestamp: self.f.timestamp.to_string(),
            alert_type: t,
            severity,
            value,
            threshold,
            reason,
            details,
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
    let dd = &cfg.data_drift;

    // Data drift: one alert listing every drifted feature.
    let drift = f.drift;
    if !drift.drifted_features.is_empty() {
        let any_high = drift.features.iter().any(|x| x.severity == Severity::High);
        let severity = if drift.dataset_drift {
            AlertSeverity::High
        } else if drift.drift_share >= dd.feature_drift_threshold || any_high {
            AlertSeverity::Medium
        } else {
            AlertSeverity::Low
        };
        let details = drift
            .features
            .iter()
            .filter(|x| x.drift_detected)
            .map(|x| {
                format!(
                    "{} ({}, psi {})",
                    x.name,
                    x.severity,
                    x.psi.map_or("n/a".into(), |p| format!("{p:.3}"))
                )
            })
            .collect();
        b.add(
            AlertType::DataDrift,
            severity,
            drift.drift_share,
            dd.feature_drift_threshold,
            format!(
                "{} of {} features drifted (share {:.2}): {}",
                drift.drifted_features.len(),
                drift.features_checked,
                drift.drift_share,
                drift.drifted_features.join(", ")
            ),
            details,
        );
    }

    // Prediction drift.
    if let Some(p) = f.prediction.filter(|p| p.psi >= dd.psi_threshold) {
        let severity = if p.psi >= 2.0 * dd.psi_threshold {
            AlertSeverity::High
        } else {
            AlertSeverity::Medium
        };
        b.add(
            AlertType::PredictionDrift,
            severity,
            p.psi,
            dd.psi_threshold,
            format!(
                "predicted probabilities moved (psi {:.3}); predicted positive rate {:.3} vs {:.3} at baseline",
                p.psi, p.predicted_positive_rate, p.baseline_predicted_positive_rate
            ),
            Vec::new(),
        );
    }

    // Data quality.
    let q = f.data_quality;
    let skew = f.prediction.filter(|p| p.skew_rows_differing > 0);
    if !q.missing_columns.is_empty() || !q.type_changes.is_empty() || skew.is_some() {
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
        b.add(
            AlertType::DataQuality,
            AlertSeverity::High,
            (q.missing_columns.len() + q.type_changes.len()) as f64
                + skew.map_or(0.0, |p| p.skew_rows_differing as f64),
            0.0,
            parts.join("; "),
            Vec::new(),
        );
    }
    if !q.unseen_categories.is_empty() || !q.missing_share.is_empty() {
        let mut details = Vec::new();
        for (col, cats) in &q.unseen_categories {
            let list: Vec<String> = cats.iter().map(|(v, n)| format!("{v:?} x{n}")).collect();
            details.push(format!("{col}: never-seen {}", list.join(", ")));
        }
        for (col, share) in &q.missing_share {
            details.push(format!("{col}: {:.1}% missing", share * 100.0));
        }
        let worst_missing = q.missing_share.values().copied().fold(0.0, f64::max);
        b.add(
            AlertType::DataQuality,
            AlertSeverity::Medium,
            worst_missing,
            0.05,
            format!(
                "{} columns with unseen categories, {} with a missing-value jump",
                q.unseen_categories.len(),
                q.missing_share.len()
            ),
            details,
        );
    }
    let worst_range = q.out_of_range_share.values().copied().fold(0.0, f64::max);
    if worst_range > 0.01 {
        let details = q
            .out_of_range_share
            .iter()
            .map(|(c, s)| format!("{c}: {:.1}% outside the reference range", s * 100.0))
            .collect();
        b.add(
            AlertType::DataQuality,
            AlertSeverity::Low,
            worst_range,
            0.01,
            format!(
                "values outside the reference range (up to {:.1}%)",
                worst_range * 100.0
            ),
            details,
        );
    }

    // Performance against thresholds and the baseline.
    if let Some(m) = f.performance {
        let pc = &cfg.performance;
        if let Some(auc) = m.auc.filter(|a| *a < pc.min_auc) {
            b.add(
                AlertType::PerformanceThresholdViolation,
                AlertSeverity::High,
                auc,
                pc.min_auc,
                format!("AUC {auc:.3} is below the minimum {:.2}", pc.min_auc),
                Vec::new(),
            );
        }
        if m.accuracy < pc.min_accuracy {
            b.add(
                AlertType::PerformanceThresholdViolation,
                AlertSeverity::Medium,
                m.accuracy,
                pc.min_accuracy,
                format!(
                    "accuracy {:.3} is below the minimum {:.2}",
                    m.accuracy, pc.min_accuracy
                ),
                Vec::new(),
            );
        }
        if let Some(base) = f.baseline {
            let (e, e0) = (1.0 - m.accuracy, 1.0 - base.accuracy);
            let sd = (e0 * (1.0 - e0) / m.n.max(1) as f64).sqrt();
            let increase = if e0 > 0.0 { (e - e0) / e0 } else { 0.0 };
            let threshold = cfg.concept_drift.error_rate_increase;
            if increase >= threshold && e - e0 >= 3.0 * sd {
                let severity = if increase >= 2.0 * threshold && e - e0 >= 0.05 {
                    AlertSeverity::Medium
                } else {
                    AlertSeverity::Low
                };
                b.add(
                    AlertType::ErrorRateIncrease,
                    severity,
                    increase,
                    threshold,
                    format!(
                        "error rate {e:.3} vs {e0:.3} at baseline (+{:.0}%)",
                        increase * 100.0
                    ),
                    Vec::new(),
                );
            }
        }
    }
    if let Some(c) = f.concept.filter(|c| c.detected) {
        let big = c.auc_drop.unwrap_or(0.0) >= 2.0 * cfg.concept_drift.auc_drop_threshold
            || c.error_rate_increase >= 2.0 * cfg.concept_drift.error_rate_increase;
        b.add(
            AlertType::ConceptDrift,
            if big {
                AlertSeverity::High
            } else {
                AlertSeverity::Medium
            },
            c.auc_drop.unwrap_or(c.error_rate_increase),
            cfg.concept_drift.auc_drop_threshold,
            format!(
                "the model performs worse than it should on this batch: {}",
                c.reasons.join("; ")
            ),
            Vec::new(),
        );
    }
    if let Some(d) = f
        .degradation
        .filter(|d| d.detected && cfg.performance.alert_on_degradation)
    {
        b.add(
            AlertType::PerformanceThresholdViolation,
            AlertSeverity::Medium,
            d.slope,
            -cfg.alerts.performance_alert_threshold,
            format!(
                "gradual degradation: {} falls by {:.3} per batch over the last {} batches",
                d.metric,
                -d.slope,
                d.values.len()
            ),
            vec![format!("{} history: {:?}", d.metric, d.values)],
        );
    }

    // Without labels: silent failures.
    if let (None, Some(p)) = (f.performance, f.prediction) {
        let (rate, base) = (
            p.predicted_positive_rate,
            p.baseline_predicted_positive_rate,
        );
        let jump = (rate - base).abs();
        if p.probability_std < 0.02 {
            b.add(
                AlertType::SilentFailure,
                AlertSeverity::High,
                p.probability_std,
                0.02,
                format!(
                    "predictions collapsed: probability std {:.4}",
                    p.probability_std
                ),
                Vec::new(),
            );
        } else if jump >= 0.1 && jump >= 0.5 * base {
            b.add(
                AlertType::SilentFailure,
                AlertSeverity::High,
                rate,
                base,
                format!("predicted positive rate jumped to {rate:.3} from {base:.3} at baseline"),
                Vec::new(),
            );
        }
    }
    b.alerts.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.alert_type.cmp(&b.alert_type))
    });
    b.alerts
}

/// Whether to retrain after this batch, why, and with what priority.
pub fn retraining_decision(
    f: &Findings<'_>,
    alerts: &[Alert],
    samples_available: u64,
    cfg: &Config,
) -> RetrainingDecision {
    let r = &cfg.retraining;
    let of = |t: AlertType| alerts.iter().find(|a| a.alert_type == t);
    let mut reasons = Vec::new();
    let mut priority = AlertSeverity::Low;
    let mut any = false;
    if r.retrain_on_drift {
        if let Some(a) = of(AlertType::DataDrift).filter(|a| a.severity >= AlertSeverity::Medium) {
            reasons.push(format!(
                "data drift ({}): {}",
                severity_word(a.severity),
                a.reason
            ));
            priority = priority.max(AlertSeverity::Medium);
            any = true;
        }
    }
    if r.retrain_on_performance_drop {
        for t in [
            AlertType::ConceptDrift,
            AlertType::PerformanceThresholdViolation,
        ] {
            if let Some(a) = of(t) {
                reasons.push(format!(
                    "{} ({}): {}",
                    type_word(t),
                    severity_word(a.severity),
                    a.reason
                ));
                priority = priority.max(a.severity.max(AlertSeverity::Medium));
                any = true;
            }
        }
    }
    let enough = samples_available >= r.min_samples_for_retrain as u64;
    if any && !enough {
        reasons.push(format!(
            "waiting for labels: {samples_available} labelled rows available, {} needed (retraining.min_samples_for_retrain)",
            r.min_samples_for_retrain
        ));
    }
    RetrainingDecision {
        batch_id: f.batch_id.to_string(),
        timestamp: f.timestamp.to_string(),
        should_retrain: any && enough,
        priority: if any {
            severity_word(priority).to_string()
        } else {
            "none".into()
        },
        reasons,
        samples_available,
        samples_required: r.min_samples_for_retrain as u64,
    }
}

fn severity_word(s: AlertSeverity) -> &'static str {
    match s {
        AlertSeverity::High => "high",
        AlertSeverity::Medium => "medium",
        AlertSeverity::Low => "low",
    }
}

/// The alert type as written in artifacts (`DATA_DRIFT`, ...).
pub fn type_word(t: AlertType) -> &'static str {
    match t {
        AlertType::DataDrift => "DATA_DRIFT",
        AlertType::ConceptDrift => "CONCEPT_DRIFT",
        AlertType::PerformanceThresholdViolation => "PERFORMANCE_THRESHOLD_VIOLATION",
        AlertType::ErrorRateIncrease => "ERROR_RATE_INCREASE",
        AlertType::DataQuality => "DATA_QUALITY",
        AlertType::PredictionDrift => "PREDICTION_DRIFT",
        AlertType::SilentFailure => "SILENT_FAILURE",
    }
}
