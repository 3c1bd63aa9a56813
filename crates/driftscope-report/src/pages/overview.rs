//! The Overview page (`index.html`): the health verdict, the latest batch, the baseline and the
//! drift status of every batch.

use driftscope_artifacts::{ClassificationMetrics, MonitoringResult};
use serde::Serialize;

use super::lines::{alert_line, part_lines, AlertLine, PartLine};
use super::links::Links;
use super::story::{story, Sentence};
use super::{batch_ids, min_auc, Figure, Page, PageView};
use crate::figures;
use crate::format::{action_text, diagnosis_text, f4, readable_date, severity_text};
use crate::summary::{business_sentence, health, short_version, Health};
use crate::SiteData;

/// What the Overview page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OverviewView {
    /// `healthy`, `warning`, `critical` or `unknown` (a CSS class).
    pub state: &'static str,
    pub headline: String,
    pub why: String,
    /// What happened, why, what to do (empty before the first batch).
    pub story: Vec<Sentence>,
    /// What the model flagged in the latest batch and what happened, in counts.
    pub business: Option<String>,
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
    pub short_version: String,
    pub train_rows: u64,
    pub features: usize,
    pub seed: u64,
    /// The user's own model (`driftscope baseline`), known by its logged predictions.
    pub external: bool,
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
        story: latest.map_or_else(Vec::new, |r| {
            let href = links
                .batch(&r.batch_id)
                .unwrap_or_else(|| "index.html".into());
            story(r, base, d.profile.features.len(), &href)
        }),
        business: latest.map(business_sentence),
        latest: latest.map(|r| latest_batch(r, links)),
        model: ModelFacts {
            version: d.champion.clone(),
            short_version: short_version(&d.champion).to_string(),
            train_rows: d.manifest.split.train_rows,
            features: d.manifest.features.len(),
            seed: d.manifest.seed,
            external: d.external,
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
        figures: vec![churn_rates(d), auc_trend(d), confusion_figure(latest, base)],
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
        action_reason: crate::format::plain_text(&r.retraining.action_reason),
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
        drift_share: format!(
            "{} of {}",
            r.data_drift.alerting_drifted().len(),
            r.data_drift.features_checked
        ),
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
    let series = |f: fn(&MonitoringResult) -> Option<f64>| -> Vec<Option<f64>> {
        d.results.iter().map(f).collect()
    };
    Figure::new(
        "auc-trend",
        &figures::metric_trends(
            &batch_ids(d),
            &[
                (
                    "measured AUC",
                    series(|r| r.performance.as_ref().and_then(|m| m.auc)),
                    d.baseline.holdout.auc,
                ),
                (
                    "estimated AUC (no outcomes needed)",
                    series(|r| {
                        r.estimated_performance
                            .as_ref()
                            .and_then(|e| e.auc.map(|a| a.value))
                    }),
                    None,
                ),
            ],
            &figures::Trend {
                title: "Ranking quality per batch (dashed: at training)",
                y_title: "AUC (0.5 = coin toss, 1 = perfect)",
                x_title: "batch",
                y_span: Some((0.5, 1.0)),
                lines: vec![min_auc(d)],
                colors: vec!["#2471a3", "#2471a3"],
                dashed: vec![1],
            },
        ),
    )
}

/// The business view: the share the model flags against the share that actually churned.
fn churn_rates(d: &SiteData) -> Figure {
    let pct = |v: Option<f64>| v.map(|v| v * 100.0);
    let flagged: Vec<Option<f64>> = d
        .results
        .iter()
        .map(|r| pct(super::batch::predicted_rate(r)))
        .collect();
    let churned: Vec<Option<f64>> = d
        .results
        .iter()
        .map(|r| pct(r.performance.as_ref().map(|m| m.positive_rate)))
        .collect();
    let base = &d.baseline.holdout;
    Figure::new(
        "churn-rates",
        &figures::metric_trends(
            &batch_ids(d),
            &[
                ("flagged as likely to leave", flagged, None),
                ("actually left", churned, Some(base.positive_rate * 100.0)),
            ],
            &figures::Trend {
                title: "Flagged vs actually left, per batch (dashed: churn at training)",
                y_title: "customers (%)",
                x_title: "batch",
                y_span: Some((0.0, 50.0)),
                lines: Vec::new(),
                colors: vec!["#a04000", "#2471a3"],
                dashed: Vec::new(),
            },
        ),
    )
}
