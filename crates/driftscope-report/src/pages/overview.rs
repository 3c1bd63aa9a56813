//! The Overview page (`index.html`): the health verdict, the latest batch, the baseline and the
//! drift status of every batch.

use driftscope_artifacts::{ClassificationMetrics, MonitoringResult};
use serde::Serialize;

use super::{batch_ids, Figure, Page, PageView};
use crate::figures;
use crate::format::{alert_type_word, diagnosis_text, f4, severity_word};
use crate::summary::{health, Health};
use crate::SiteData;

/// What the Overview page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OverviewView {
    /// `healthy`, `warning`, `critical` or `unknown` (a CSS class).
    pub state: &'static str,
    pub headline: String,
    pub why: String,
    pub latest: Option<LatestBatch>,
    pub model: ModelFacts,
    pub baseline: BaselineFigures,
    pub batches: Vec<BatchRow>,
}

/// The latest batch in short.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LatestBatch {
    pub id: String,
    pub timestamp: String,
    pub diagnosis: &'static str,
    pub alerts: Vec<AlertLine>,
    pub drifted: Vec<String>,
    pub auc: String,
    pub expected_auc: String,
    pub accuracy: String,
    pub retrain: bool,
    pub priority: String,
    /// The recommended action (closed set) and its reason.
    pub action: String,
    pub action_reason: String,
    /// The four parts of the diagnosis (empty for results before version 4).
    pub parts: Vec<PartLine>,
}

/// One part of the diagnosis: its name, verdict (a CSS class too) and first reason.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartLine {
    pub name: &'static str,
    pub status: &'static str,
    pub reason: String,
}

fn part_lines(r: &MonitoringResult) -> Vec<PartLine> {
    let Some(p) = &r.parts else {
        return Vec::new();
    };
    [
        ("data quality", &p.data_quality),
        ("data drift", &p.data_drift),
        ("concept drift", &p.concept_drift),
        ("performance", &p.performance),
    ]
    .into_iter()
    .map(|(name, x)| PartLine {
        name,
        status: x.status.as_str(),
        reason: x.reasons.first().cloned().unwrap_or_default(),
    })
    .collect()
}

/// One alert of the latest batch.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertLine {
    pub severity: &'static str,
    #[serde(rename = "type")]
    pub alert_type: &'static str,
    pub reason: String,
}

/// The champion in numbers.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ModelFacts {
    pub version: String,
    pub train_rows: u64,
    pub features: usize,
    pub seed: u64,
}

/// The baseline holdout metrics, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BaselineFigures {
    pub auc: String,
    pub accuracy: String,
    pub precision: String,
    pub recall: String,
    pub f1: String,
    pub churn_rate: String,
}

/// One row of the per-batch drift status table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BatchRow {
    pub id: String,
    pub timestamp: String,
    pub rows: u64,
    pub diagnosis: &'static str,
    pub drift_share: String,
    pub auc: String,
    pub alerts: usize,
    /// The worst alert's severity, or `none`.
    pub worst: &'static str,
}

pub(super) fn page(d: &SiteData) -> Page {
    let latest = d.results.last();
    let Health {
        state,
        headline,
        why,
    } = health(latest);
    let base = &d.baseline.holdout;
    let view = OverviewView {
        state: state.css_class(),
        headline,
        why,
        latest: latest.map(latest_batch),
        model: ModelFacts {
            version: d.champion.clone(),
            train_rows: d.manifest.split.train_rows,
            features: d.manifest.features.len(),
            seed: d.manifest.seed,
        },
        baseline: BaselineFigures {
            auc: f4(base.auc),
            accuracy: f4(Some(base.accuracy)),
            precision: f4(Some(base.precision)),
            recall: f4(Some(base.recall)),
            f1: f4(Some(base.f1)),
            churn_rate: f4(Some(base.positive_rate)),
        },
        batches: d.results.iter().map(batch_row).collect(),
    };
    Page {
        file: "index.html".into(),
        title: "Overview".into(),
        view: PageView::Overview(Box::new(view)),
        figures: vec![confusion_figure(latest, base), auc_trend(d)],
    }
}

fn latest_batch(r: &MonitoringResult) -> LatestBatch {
    LatestBatch {
        id: r.batch_id.clone(),
        timestamp: r.timestamp.clone(),
        diagnosis: diagnosis_text(r.diagnosis),
        alerts: r
            .alerts
            .iter()
            .map(|a| AlertLine {
                severity: severity_word(a.severity),
                alert_type: alert_type_word(a.alert_type),
                reason: a.reason.clone(),
            })
            .collect(),
        drifted: r.data_drift.alerting_drifted().to_vec(),
        auc: f4(r.performance.as_ref().and_then(|m| m.auc)),
        expected_auc: f4(r.concept_drift.as_ref().and_then(|c| c.expected_auc)),
        accuracy: f4(r.performance.as_ref().map(|m| m.accuracy)),
        retrain: r.retraining.should_retrain,
        priority: r.retraining.priority.to_string(),
        action: r.retraining.action.to_string(),
        action_reason: r.retraining.action_reason.clone(),
        parts: part_lines(r),
    }
}

fn batch_row(r: &MonitoringResult) -> BatchRow {
    let worst = r.alerts.iter().map(|a| a.severity).max();
    BatchRow {
        id: r.batch_id.clone(),
        timestamp: r.timestamp.clone(),
        rows: r.rows,
        diagnosis: diagnosis_text(r.diagnosis),
        drift_share: format!("{:.2}", r.data_drift.alerting_share()),
        auc: f4(r.performance.as_ref().and_then(|m| m.auc)),
        alerts: r.alerts.len(),
        worst: worst.map_or("none", severity_word),
    }
}

/// The confusion matrix of the latest labelled batch, else of the baseline holdout.
fn confusion_figure(latest: Option<&MonitoringResult>, base: &ClassificationMetrics) -> Figure {
    let (metrics, title) = match latest.and_then(|r| r.performance.as_ref().map(|m| (r, m))) {
        Some((r, m)) => (m, format!("Confusion matrix, {}", r.batch_id)),
        None => (base, "Confusion matrix, baseline holdout".to_string()),
    };
    let c = &metrics.confusion;
    Figure::new(
        "confusion",
        &figures::confusion(c.tp, c.fp, c.tn, c.fn_, &title),
    )
}

fn auc_trend(d: &SiteData) -> Figure {
    let auc: Vec<Option<f64>> = d
        .results
        .iter()
        .map(|r| r.performance.as_ref().and_then(|m| m.auc))
        .collect();
    Figure::new(
        "auc-trend",
        &figures::metric_trends(
            &batch_ids(d),
            &[("AUC", auc, d.baseline.holdout.auc)],
            "AUC per batch (dashed: baseline)",
        ),
    )
}
