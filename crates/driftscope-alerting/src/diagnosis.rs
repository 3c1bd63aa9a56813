//! A batch's diagnosis in four independent parts (data quality, data drift, concept drift,
//! performance), each with its verdict and reasons, and the headline naming the most urgent.
//!
//! Rules, from the batch's alerts and findings:
//! - **data quality**: `problem` with a DATA_QUALITY alert of at least
//!   [`INCIDENT_MIN_SEVERITY`](crate::INCIDENT_MIN_SEVERITY) (a broken feed), `watch` with a LOW
//!   one (values outside the trained range), else `ok`.
//! - **data drift**: `watch` with a DATA_DRIFT or PREDICTION_DRIFT alert (drift alone harms
//!   nothing; the performance parts judge harm), else `ok`.
//! - **concept drift**: `not_checked` without labels, `problem` when detected, else `ok`.
//! - **performance**: with labels, a PERFORMANCE_THRESHOLD_VIOLATION or ERROR_RATE_INCREASE is
//!   `watch` when the concept-drift analysis finds performance as expected on these inputs (a
//!   covariate shift) and `problem` otherwise; without labels, PERFORMANCE_ESTIMATE or
//!   SILENT_FAILURE is `problem`, an estimate without alert `ok`, no estimate `not_checked`.
//! - **headline**: the first of data-quality problem, concept-drift problem, performance
//!   problem, data-drift watch, performance watch, data-quality watch; else all clear. When
//!   neither performance nor concept drift was checked, the headline says so instead of
//!   claiming the model performs as expected.

use driftscope_artifacts::{Alert, AlertType, DiagnosisPart, DiagnosisParts, PartStatus};

use crate::{explained_by_inputs, Findings, INCIDENT_MIN_SEVERITY};

fn part(status: PartStatus, reasons: Vec<String>) -> DiagnosisPart {
    DiagnosisPart { status, reasons }
}

fn reasons_of(alerts: &[&Alert]) -> Vec<String> {
    alerts.iter().map(|a| a.reason.clone()).collect()
}

fn of_types<'a>(alerts: &'a [Alert], types: &[AlertType]) -> Vec<&'a Alert> {
    alerts
        .iter()
        .filter(|a| types.contains(&a.alert_type))
        .collect()
}

fn data_quality(alerts: &[Alert]) -> DiagnosisPart {
    let q = of_types(alerts, &[AlertType::DataQuality]);
    let status = match q.iter().map(|a| a.severity).max() {
        Some(s) if s >= INCIDENT_MIN_SEVERITY => PartStatus::Problem,
        Some(_) => PartStatus::Watch,
        None => PartStatus::Ok,
    };
    part(status, reasons_of(&q))
}

fn data_drift(alerts: &[Alert]) -> DiagnosisPart {
    let d = of_types(alerts, &[AlertType::DataDrift, AlertType::PredictionDrift]);
    let status = if d.is_empty() {
        PartStatus::Ok
    } else {
        PartStatus::Watch
    };
    part(status, reasons_of(&d))
}

fn concept_drift(f: &Findings<'_>) -> DiagnosisPart {
    match f.concept {
        None => part(
            PartStatus::NotChecked,
            vec!["no labels in this batch: realized performance cannot be compared".into()],
        ),
        Some(c) if c.detected => {
            // A plain sentence first (the headline quotes it), the test's own reasons after.
            let plain = match (c.auc, c.expected_auc) {
                (Some(a), Some(e)) => format!(
                    "it ranks customers with an AUC of {a:.2} where {e:.2} was expected on these \
                     inputs (1 is a perfect ranking, 0.5 a coin toss)"
                ),
                _ => format!(
                    "it is wrong on {:.0}% of customers where {:.0}% was expected on these inputs",
                    c.error_rate * 100.0,
                    c.expected_error_rate * 100.0
                ),
            };
            let mut reasons = vec![plain];
            reasons.extend(c.reasons.iter().cloned());
            part(PartStatus::Problem, reasons)
        }
        Some(_) => part(PartStatus::Ok, Vec::new()),
    }
}

fn performance(f: &Findings<'_>, alerts: &[Alert]) -> DiagnosisPart {
    if f.concept.is_some() {
        let p = of_types(
            alerts,
            &[
                AlertType::PerformanceThresholdViolation,
                AlertType::ErrorRateIncrease,
            ],
        );
        if p.is_empty() {
            return part(PartStatus::Ok, Vec::new());
        }
        let mut reasons = reasons_of(&p);
        return match explained_by_inputs(f) {
            Some(why) => {
                reasons.push(why);
                part(PartStatus::Watch, reasons)
            }
            None => part(PartStatus::Problem, reasons),
        };
    }
    let p = of_types(
        alerts,
        &[AlertType::PerformanceEstimate, AlertType::SilentFailure],
    );
    if !p.is_empty() {
        return part(PartStatus::Problem, reasons_of(&p));
    }
    match f.estimated {
        Some(_) => part(PartStatus::Ok, Vec::new()),
        None => part(
            PartStatus::NotChecked,
            vec!["no labels and no performance estimate".into()],
        ),
    }
}

/// The four-part diagnosis of a batch from its findings and alerts (see the module rules).
pub fn diagnose(f: &Findings<'_>, alerts: &[Alert]) -> DiagnosisParts {
    let mut d = DiagnosisParts {
        data_quality: data_quality(alerts),
        data_drift: data_drift(alerts),
        concept_drift: concept_drift(f),
        performance: performance(f, alerts),
        headline: String::new(),
    };
    d.headline = headline(&d);
    d
}

fn first(p: &DiagnosisPart) -> &str {
    p.reasons.first().map_or("", String::as_str)
}

/// The most urgent part in one plain sentence (see the module rules); rebuild it after
/// changing a part.
pub fn headline(d: &DiagnosisParts) -> String {
    use PartStatus::{Problem, Watch};
    let (q, dd, c, p) = (
        &d.data_quality,
        &d.data_drift,
        &d.concept_drift,
        &d.performance,
    );
    if q.status == Problem {
        return format!(
            "The data feed is broken ({}): fix the pipeline before trusting the other checks.",
            first(q)
        );
    }
    if c.status == Problem {
        return format!("The model no longer fits these customers: {}.", first(c));
    }
    if p.status == Problem {
        return format!("Performance is not acceptable: {}.", first(p));
    }
    let unchecked = p.status == PartStatus::NotChecked && c.status == PartStatus::NotChecked;
    if dd.status == Watch && unchecked {
        return format!(
            "The customers changed ({}); the model's performance was not checked ({}).",
            first(dd),
            first(p)
        );
    }
    if dd.status == Watch {
        return format!(
            "The customers changed ({}), but the model still performs as expected on them.",
            first(dd)
        );
    }
    if p.status == Watch {
        return format!(
            "Performance moved with the inputs, as expected: {}.",
            first(p)
        );
    }
    if q.status == Watch {
        return format!("Some values lie outside the training range: {}.", first(q));
    }
    if unchecked {
        return format!(
            "The inputs look like the training data; the model's performance was not checked ({}).",
            first(p)
        );
    }
    "All clear: the inputs look like the training data and the model performs as expected.".into()
}
