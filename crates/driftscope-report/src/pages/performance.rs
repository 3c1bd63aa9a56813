//! The Performance page: metrics per batch against the baseline, rolling window, degradation.

use driftscope_artifacts::{ClassificationMetrics, MonitoringResult};
use serde::Serialize;

use super::{batch_ids, min_auc, Figure, Page, PageView};
use crate::figures;
use crate::format::f4;
use crate::SiteData;

/// What the Performance page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PerformanceView {
    pub history: Vec<PerformanceRow>,
    pub baseline: PerformanceBaseline,
    /// Where each batch's concept drift is (batches with located segments only).
    pub located: Vec<LocatedRow>,
}

/// The segments located in one batch with concept drift.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LocatedRow {
    pub id: String,
    /// The top segment in one sentence.
    pub top: String,
    /// The next segments listed, as sentences.
    pub more: Vec<String>,
    /// Segments tested and the family-wise error rate.
    pub tested: u64,
    pub alpha: String,
}

/// A located segment in words: `error 0.45 vs 0.12 expected in Contract = One year (churn rate
/// 0.48 vs 0.04 expected, 431 rows)`.
pub(crate) fn segment_sentence(g: &driftscope_artifacts::SegmentGap) -> String {
    format!(
        "error {:.2} vs {:.2} expected in {} = {} (churn rate {:.2} vs {:.2} expected, {} rows)",
        g.error_rate,
        g.expected_error_rate,
        g.feature,
        g.segment,
        g.positive_rate,
        g.expected_positive_rate,
        g.rows
    )
}

fn located_row(r: &MonitoringResult) -> Option<LocatedRow> {
    let s = r.segments.as_ref()?;
    let (top, rest) = s.segments.split_first()?;
    Some(LocatedRow {
        id: r.batch_id.clone(),
        top: segment_sentence(top),
        more: rest.iter().take(3).map(segment_sentence).collect(),
        tested: s.segments_tested,
        alpha: format!("{}", s.alpha),
    })
}

/// The baseline metrics quoted above the table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PerformanceBaseline {
    pub auc: String,
    pub accuracy: String,
    pub f1: String,
}

/// One batch's performance.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PerformanceRow {
    pub id: String,
    pub timestamp: String,
    pub rows: u64,
    pub labelled: bool,
    pub auc: String,
    pub accuracy: String,
    pub precision: String,
    pub recall: String,
    pub f1: String,
    pub predicted_rate: String,
    pub rolling_auc: String,
    pub rolling_rows: u64,
    pub degradation: bool,
    /// Checks not run: `check: reason`.
    pub skipped: Vec<String>,
}

pub(super) fn page(d: &SiteData) -> Page {
    let base = &d.baseline.holdout;
    let view = PerformanceView {
        history: d.results.iter().map(performance_row).collect(),
        located: d.results.iter().filter_map(located_row).collect(),
        baseline: PerformanceBaseline {
            auc: f4(base.auc),
            accuracy: f4(Some(base.accuracy)),
            f1: f4(Some(base.f1)),
        },
    };
    Page {
        file: "performance.html".into(),
        title: "Performance".into(),
        view: PageView::Performance(view),
        figures: vec![metrics_figure(d)],
        crumbs: Vec::new(),
    }
}

fn performance_row(r: &MonitoringResult) -> PerformanceRow {
    let m = r.performance.as_ref();
    PerformanceRow {
        id: r.batch_id.clone(),
        timestamp: r.timestamp.clone(),
        rows: r.rows,
        labelled: r.labelled,
        auc: f4(m.and_then(|m| m.auc)),
        accuracy: f4(m.map(|m| m.accuracy)),
        precision: f4(m.map(|m| m.precision)),
        recall: f4(m.map(|m| m.recall)),
        f1: f4(m.map(|m| m.f1)),
        predicted_rate: f4(r
            .prediction_drift
            .as_ref()
            .map(|p| p.predicted_positive_rate)),
        rolling_auc: f4(r.rolling_window.as_ref().and_then(|w| w.metrics.auc)),
        rolling_rows: r.rolling_window.as_ref().map_or(0, |w| w.rows),
        degradation: r.degradation.as_ref().is_some_and(|g| g.detected),
        skipped: r
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.check, s.reason))
            .collect(),
    }
}

/// AUC, accuracy, F1 and the expected AUC per batch, with the baseline as dashed lines.
fn metrics_figure(d: &SiteData) -> Figure {
    let base = &d.baseline.holdout;
    let metric = |f: fn(&ClassificationMetrics) -> Option<f64>| -> Vec<Option<f64>> {
        d.results
            .iter()
            .map(|r| r.performance.as_ref().and_then(f))
            .collect()
    };
    let expected: Vec<Option<f64>> = d
        .results
        .iter()
        .map(|r| r.concept_drift.as_ref().and_then(|c| c.expected_auc))
        .collect();
    Figure::new(
        "metrics",
        &figures::metric_trends(
            &batch_ids(d),
            &[
                ("AUC", metric(|m| m.auc), base.auc),
                (
                    "accuracy",
                    metric(|m| Some(m.accuracy)),
                    Some(base.accuracy),
                ),
                ("F1", metric(|m| Some(m.f1)), Some(base.f1)),
                ("expected AUC (for the batch's inputs)", expected, None),
            ],
            &figures::Trend {
                title: "Metrics per batch (dashed: at training)",
                y_title: "metric (0–1, higher is better)",
                x_title: "batch",
                y_span: Some((0.5, 1.0)),
                lines: vec![min_auc(d)],
                colors: vec!["#2471a3", "#117a65", "#8e44ad", "#2471a3"],
                dashed: vec![3],
            },
        ),
    )
}
