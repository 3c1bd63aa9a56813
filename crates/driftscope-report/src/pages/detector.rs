//! The "Detector quality" page: false-alarm and detection rates of both drift verdicts by batch
//! size, per evaluated dataset.

use std::collections::BTreeMap;

use driftscope_artifacts::{DatasetEvaluation, DetectorEvaluation, EvaluationCell};
use serde::Serialize;

use super::{Figure, Page, PageView};
use crate::figures::{self, Series};
use crate::format::percent;

/// What the Detector quality page shows; everything but `present` is absent without an
/// evaluation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DetectorView {
    pub present: bool,
    pub sizes: Option<Vec<usize>>,
    pub batches: Option<usize>,
    pub seed: Option<u64>,
    pub settings: Option<BTreeMap<String, f64>>,
    pub datasets: Vec<DatasetView>,
    /// The performance rules per dataset.
    pub performance: Vec<super::detector_performance::PerformanceEvalView>,
}

/// One evaluated dataset.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DatasetView {
    pub name: String,
    pub reference_rows: u64,
    pub population_rows: u64,
    pub numerical: Vec<String>,
    pub categorical: Vec<String>,
    pub rows: Vec<ConditionRow>,
    /// Figure id of the false-alarm chart.
    pub far: String,
    /// Figure id of the detection chart.
    pub detect: String,
}

/// One condition (no drift, or an injected shift) across the batch sizes.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConditionRow {
    pub condition: String,
    pub scope: &'static str,
    /// One cell per batch size; absent where not measured.
    pub cells: Vec<Option<RatePair>>,
}

/// Both verdicts' rates, as percentages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RatePair {
    pub default: String,
    pub calibrated: String,
}

/// Which verdict a rate belongs to.
#[derive(Debug, Clone, Copy)]
enum Verdict {
    Default,
    SizeAware,
}

pub(super) fn page(e: Option<&DetectorEvaluation>) -> Page {
    let mut figures = Vec::new();
    let mut datasets = Vec::new();
    if let Some(e) = e {
        for (k, d) in e.datasets.iter().enumerate() {
            let (view, [far, detect]) = dataset(&e.sizes, k, d);
            datasets.push(view);
            figures.extend([far, detect]);
        }
    }
    let view = DetectorView {
        present: e.is_some(),
        sizes: e.map(|e| e.sizes.clone()),
        batches: e.map(|e| e.batches),
        seed: e.map(|e| e.seed),
        settings: e.map(|e| e.settings.clone()),
        datasets,
        performance: e.map_or_else(Vec::new, |e| {
            e.performance
                .iter()
                .map(super::detector_performance::view)
                .collect()
        }),
    };
    Page {
        file: "detector.html".into(),
        title: "Detector quality".into(),
        view: PageView::Detector(view),
        figures,
        crumbs: Vec::new(),
    }
}

/// The `k`-th dataset's table and its two figures (false alarms, detections).
fn dataset(sizes: &[usize], k: usize, d: &DatasetEvaluation) -> (DatasetView, [Figure; 2]) {
    let (far, detect) = (format!("far-{k}"), format!("detect-{k}"));
    let figures = [
        false_alarm_figure(&far, sizes, d),
        detection_figure(&detect, sizes, d),
    ];
    let view = DatasetView {
        name: dataset_name(&d.dataset),
        reference_rows: d.reference_rows,
        population_rows: d.population_rows,
        numerical: d.numerical_features.clone(),
        categorical: d.categorical_features.clone(),
        rows: conditions(d)
            .into_iter()
            .map(|(condition, scope)| condition_row(sizes, d, condition, scope))
            .collect(),
        far,
        detect,
    };
    (view, figures)
}

/// The (condition, scope) pairs of a dataset, in order of first appearance.
fn conditions(d: &DatasetEvaluation) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for c in &d.cells {
        let key = (c.condition.as_str(), c.scope.as_str());
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

fn cell<'a>(
    d: &'a DatasetEvaluation,
    condition: &str,
    scope: &str,
    size: usize,
) -> Option<&'a EvaluationCell> {
    d.cells
        .iter()
        .find(|c| c.condition == condition && c.scope.as_str() == scope && c.size == size)
}

fn condition_row(
    sizes: &[usize],
    d: &DatasetEvaluation,
    condition: &str,
    scope: &str,
) -> ConditionRow {
    ConditionRow {
        condition: condition.to_string(),
        scope: match scope {
            "all" => "every feature of the type",
            "one" => "one feature per batch",
            _ => "",
        },
        cells: sizes
            .iter()
            .map(|&s| {
                cell(d, condition, scope, s).map(|c| RatePair {
                    default: percent(c.default_rate),
                    calibrated: percent(c.calibrated_rate),
                })
            })
            .collect(),
    }
}

/// A verdict's rate in % per batch size (gaps where not measured).
fn rates(
    sizes: &[usize],
    d: &DatasetEvaluation,
    condition: &str,
    scope: &str,
    verdict: Verdict,
) -> Vec<Option<f64>> {
    sizes
        .iter()
        .map(|&s| {
            cell(d, condition, scope, s).map(|c| {
                100.0
                    * match verdict {
                        Verdict::Default => c.default_rate,
                        Verdict::SizeAware => c.calibrated_rate,
                    }
            })
        })
        .collect()
}

/// Only the file's name: never a path of the machine that ran the evaluation.
fn dataset_name(dataset: &str) -> String {
    std::path::Path::new(dataset)
        .file_name()
        .map_or_else(|| dataset.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Rates in % by batch size.
fn rates_plot(sizes: &[usize], series: &[Series<'_>], title: &str, y_title: &str) -> plotly::Plot {
    let labels: Vec<String> = sizes.iter().map(|s| format!("{s} rows")).collect();
    figures::metric_trends(
        &labels,
        series,
        &figures::Trend {
            title,
            y_title,
            x_title: "batch size",
            y_span: Some((0.0, 100.0)),
            ..Default::default()
        },
    )
}

fn false_alarm_figure(id: &str, sizes: &[usize], d: &DatasetEvaluation) -> Figure {
    let series: [Series<'_>; 2] = [
        (
            "default verdict",
            rates(sizes, d, "no drift", "none", Verdict::Default),
            None,
        ),
        (
            "size-aware verdict",
            rates(sizes, d, "no drift", "none", Verdict::SizeAware),
            Some(1.0),
        ),
    ];
    let title = format!(
        "{}: false alarms (dashed: 1% target)",
        dataset_name(&d.dataset)
    );
    Figure::new(
        id,
        &rates_plot(
            sizes,
            &series,
            &title,
            "false alarms (% of feature-batches)",
        ),
    )
}

/// The size-aware detection rate of every shift applied to all features of a type.
fn detection_figure(id: &str, sizes: &[usize], d: &DatasetEvaluation) -> Figure {
    let series: Vec<Series<'_>> = conditions(d)
        .into_iter()
        .filter(|(_, scope)| *scope == "all")
        .map(|(condition, scope)| {
            (
                condition,
                rates(sizes, d, condition, scope, Verdict::SizeAware),
                None,
            )
        })
        .collect();
    let title = format!("{}: size-aware detection rate", dataset_name(&d.dataset));
    Figure::new(
        id,
        &rates_plot(
            sizes,
            &series,
            &title,
            "detected (% of shifted feature-batches)",
        ),
    )
}
