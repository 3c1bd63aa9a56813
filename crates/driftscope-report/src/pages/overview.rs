//! The Overview page (`index.html`): the health verdict, the latest batch, the baseline and the
//! drift status of every batch.

use driftscope_artifacts::{ClassificationMetrics, MonitoringResult};
use serde::Serialize;

use super::lines::{alert_line, part_lines, AlertLine, PartLine};
use super::links::Links;
use super::{batch_ids, Figure, Page, PageView};
use crate::figures;
use crate::format::{action_text, diagnosis_text, f4, readable_date, round_numbers, severity_text};
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
    pub href: Option<String>,
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
    pub href: Option<String>,
    pub timestamp: String,
    pub rows: u64,
    pub diagnosis: &'static str,
    pub drift_share: String,
    pub auc: String,
    pub alerts: usize,
    /// The worst alert's severity, or `none`.
    pub worst: &'static str,
}

pub(super) fn page(d: &SiteData, links: &Links) -> Page {
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
        latest: latest.map(|r| latest_batch(r, links)),
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
        batches: d.results.iter().map(|r| batch_row(r, links)).collect(),
    };
    Page {
        file: "index.html".into(),
        title: "Overview".into(),
        view: PageView::Overview(Box::new(view)),
        figures: vec![confusion_figure(latest, base), auc_trend(d)],
        crumbs: Vec::new(),
    }
}

fn latest_batch(r: &MonitoringResult, links: &Links) -> LatestBatch {
    LatestBatch {
        id: r.batch_id.clone(),
        href: links.batch(&r.batch_id),
        timestamp: readable_date(&r.timestamp),
        diagnosis: diagnosis_text(r.diagnosis),
        alerts: r.alerts.iter().map(|a| alert_line(a, links)).collect(),
        drifted: r.data_drift.alerting_drifted().to_vec(),
        auc: f4(r.performance.as_ref().and_then(|m| m.auc)),
        expected_auc: f4(r.concept_drift.as_ref().and_then(|c| c.expected_auc)),
        accuracy: f4(r.performance.as_ref().map(|m| m.accuracy)),
        retrain: r.retraining.should_retrain,
        priority: r.retraining.priority.to_string(),
        action: action_text(r.retraining.action).to_string(),
        action_reason: round_numbers(&r.retraining.action_reason),
        parts: part_lines(r),
    }
}

fn batch_row(r: &MonitoringResult, links: &Links) -> BatchRow {
    let worst = r.alerts.iter().map(|a| a.severity).max();
    BatchRow {
        id: r.batch_id.clone(),
        href: links.batch(&r.batch_id),
        timestamp: readable_date(&r.timestamp),
        rows: r.rows,
        diagnosis: diagnosis_text(r.diagnosis),
        drift_share: format!("{:.2}", r.data_drift.alerting_share()),
        auc: f4(r.performance.as_ref().and_then(|m| m.auc)),
        alerts: r.alerts.len(),
        worst: worst.map_or("none", severity_text),
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
