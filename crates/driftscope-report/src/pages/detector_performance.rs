//! The performance part of the "Detector quality" page: false alarms of the concept-drift and
//! performance alerts on i.i.d. batches, estimated vs realized performance, detection power.

use driftscope_artifacts::PerformanceEvaluation;
use serde::Serialize;

use crate::format::percent;

/// One dataset's performance evaluation, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PerformanceEvalView {
    pub name: String,
    pub splits: usize,
    pub seeds: String,
    pub train_rows: u64,
    pub held_rows: u64,
    pub false_alarms: Vec<Vec<String>>,
    pub estimation: Vec<Vec<String>>,
    pub power: Vec<Vec<String>>,
}

pub(super) fn view(p: &PerformanceEvaluation) -> PerformanceEvalView {
    let seeds = match (p.split_seeds.first(), p.split_seeds.last()) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "-".to_string(),
    };
    PerformanceEvalView {
        name: p.dataset.clone(),
        splits: p.split_seeds.len(),
        seeds,
        train_rows: p.train_rows,
        held_rows: p.held_rows,
        false_alarms: p
            .false_alarms
            .iter()
            .map(|c| {
                vec![
                    c.size.to_string(),
                    c.batches.to_string(),
                    percent(c.concept_drift),
                    percent(c.performance),
                    percent(c.any),
                    percent(c.retrain),
                    percent(c.high_retrain),
                    percent(c.estimate_alert),
                ]
            })
            .collect(),
        estimation: p
            .estimation
            .iter()
            .map(|c| {
                vec![
                    c.condition.clone(),
                    c.size.to_string(),
                    c.batches.to_string(),
                    format!("{:.4}", c.auc_mae),
                    percent(c.auc_coverage),
                    format!("{:.4}", c.accuracy_mae),
                    percent(c.accuracy_coverage),
                ]
            })
            .collect(),
        power: p
            .power
            .iter()
            .map(|c| {
                vec![
                    c.condition.clone(),
                    c.size.to_string(),
                    c.batches.to_string(),
                    percent(c.detected),
                    percent(c.located),
                ]
            })
            .collect(),
    }
}
