//! The Reports page: the retraining recommendation, challenger vs champion and the executive
//! summary, with links to the downloadable reports.

use driftscope_artifacts::{ComparisonMetric, ModelComparison, RetrainingDecision};
use serde::Serialize;

use super::{Page, PageView};
use crate::format::plain_text;
use crate::summary::executive_summary;
use crate::SiteData;

/// What the Reports page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportsView {
    /// The latest retraining decision.
    pub decision: Option<RetrainingDecision>,
    /// Its reasons in plain words.
    pub decision_reasons: Vec<String>,
    /// The latest challenger comparison.
    pub comparison: Option<ComparisonView>,
    /// The executive summary, one sentence group per line.
    pub executive: Vec<String>,
}

/// A challenger comparison, scores formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComparisonView {
    pub champion: String,
    pub challenger: String,
    pub metric: String,
    pub champion_score: String,
    pub challenger_score: String,
    pub recommendation: String,
    pub reasons: Vec<String>,
    pub promoted: bool,
    pub evaluation_rows: u64,
    pub training_rows: u64,
}

pub(super) fn page(d: &SiteData) -> Page {
    let view = ReportsView {
        decision: d.retraining.decisions.last().cloned(),
        decision_reasons: d
            .retraining
            .decisions
            .last()
            .map(|x| x.reasons.iter().map(|r| plain_text(r)).collect())
            .unwrap_or_default(),
        comparison: d.comparisons.last().map(comparison_view),
        executive: executive_summary(d),
    };
    Page {
        file: "reports.html".into(),
        title: "Reports".into(),
        view: PageView::Reports(view),
        figures: Vec::new(),
        crumbs: Vec::new(),
    }
}

/// The comparison metric as a reader names it.
fn metric_name(m: ComparisonMetric) -> &'static str {
    match m {
        ComparisonMetric::Auc => "AUC",
        ComparisonMetric::Accuracy => "accuracy",
        ComparisonMetric::Precision => "precision",
        ComparisonMetric::Recall => "recall",
        ComparisonMetric::F1 => "F1 score",
    }
}

fn comparison_view(c: &ModelComparison) -> ComparisonView {
    ComparisonView {
        champion: c.champion.clone(),
        challenger: c.challenger.clone(),
        metric: metric_name(c.metric).to_string(),
        champion_score: format!("{:.4}", c.champion_score),
        challenger_score: format!("{:.4}", c.challenger_score),
        recommendation: c.recommendation.to_string(),
        reasons: c.reasons.iter().map(|r| plain_text(r)).collect(),
        promoted: c.promoted,
        evaluation_rows: c.evaluation_rows,
        training_rows: c.training_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_metrics_read_as_their_names_not_their_config_values() {
        assert_eq!(metric_name(ComparisonMetric::Auc), "AUC");
        assert_eq!(metric_name(ComparisonMetric::F1), "F1 score");
        for m in [ComparisonMetric::Accuracy, ComparisonMetric::Precision] {
            assert_eq!(metric_name(m), m.to_string());
        }
    }
}
