//! The page view models, built from small hand-made artifacts.

use driftscope_artifacts::{AlertSeverity, AlertType, Diagnosis, NumericSummary, Severity};

use super::*;
use crate::fixtures::{alert, feature_drift, result, site_data, two_batches};

fn view_of(pages: &[Page], file: &str) -> PageView {
    pages
        .iter()
        .find(|p| p.file == file)
        .unwrap_or_else(|| panic!("no page {file}"))
        .view
        .clone()
}

fn figure_ids(pages: &[Page], file: &str) -> Vec<String> {
    let page = pages.iter().find(|p| p.file == file).unwrap();
    page.figures.iter().map(|f| f.id.clone()).collect()
}

#[test]
fn every_page_is_built_with_its_template() {
    let pages = build_pages(&site_data(two_batches()));
    let files: Vec<&str> = pages.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "index.html",
            "performance.html",
            "drift.html",
            "features/feature-tenure.html",
            "features/feature-contract.html",
            "batches/batch-b1.html",
            "batches/batch-b2.html",
            "alerts.html",
            "detector.html",
            "reports.html",
        ]
    );
    let templates: Vec<&str> = pages.iter().map(|p| p.view.template()).collect();
    assert_eq!(templates[3], "feature.html");
    assert_eq!(templates[0], "index.html");
}

#[test]
fn overview_reports_the_worst_alert_of_the_latest_batch() {
    let pages = build_pages(&site_data(two_batches()));
    let PageView::Overview(v) = view_of(&pages, "index.html") else {
        panic!("not the overview")
    };
    assert_eq!(v.state, "critical");
    assert_eq!(v.headline, "Action needed: data drift");
    assert!(
        v.why.contains("2 of 2 features drifted: tenure, Contract"),
        "{}",
        v.why
    );
    assert_eq!(v.batches.len(), 2);
    assert_eq!(v.batches[0].worst, "none");
    assert_eq!(v.batches[1].worst, "high");
    assert_eq!(v.batches[1].drift_share, "2 of 2");
    assert_eq!(v.story.len(), 3);
    assert!(
        v.story[2].text.starts_with("What to do:"),
        "{}",
        v.story[2].text
    );
    assert!(v
        .business
        .as_deref()
        .unwrap()
        .starts_with("The model flags 25 of 100 customers"));
    let latest = v.latest.expect("a latest batch");
    assert_eq!(latest.id, "b2");
    assert_eq!(latest.alerts.len(), 2);
    assert!(latest.retrain);
    assert_eq!(v.baseline.auc, "0.8400");
    assert_eq!(
        figure_ids(&pages, "index.html"),
        ["churn-rates", "auc-trend", "confusion"]
    );
}

#[test]
fn overview_without_batches_says_so() {
    let pages = build_pages(&site_data(Vec::new()));
    let PageView::Overview(v) = view_of(&pages, "index.html") else {
        panic!("not the overview")
    };
    assert_eq!(v.state, "unknown");
    assert_eq!(v.headline, "No batch monitored yet");
    assert!(v.latest.is_none());
    assert!(v.batches.is_empty());
    let PageView::Drift(drift) = view_of(&pages, "drift.html") else {
        panic!("not the drift page")
    };
    assert!(drift.triage.is_empty());
    assert_eq!(
        figure_ids(&pages, "drift.html"),
        ["psi-heatmap", "psi-heatmap-links", "concept"],
        "no PSI bars without a batch"
    );
}

#[test]
fn medium_alerts_only_need_attention() {
    let batch = result(
        "b1",
        "t",
        Diagnosis::None,
        vec![feature_drift("tenure", 0.01, Severity::None)],
        vec![alert("b1", AlertType::SilentFailure, AlertSeverity::Medium)],
    );
    let pages = build_pages(&site_data(vec![batch]));
    let PageView::Overview(v) = view_of(&pages, "index.html") else {
        panic!("not the overview")
    };
    assert_eq!(v.state, "warning");
    assert_eq!(v.headline, "Needs attention: no drift");
}

#[test]
fn drift_lists_drifted_features_highest_psi_first() {
    let pages = build_pages(&site_data(two_batches()));
    let PageView::Drift(v) = view_of(&pages, "drift.html") else {
        panic!("not the drift page")
    };
    assert_eq!(v.latest.as_deref(), Some("b2"));
    let rows: Vec<(&str, &str, &str, &str)> = v
        .triage
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.psi.as_str(),
                f.href.as_deref().unwrap(),
                f.psi_kl_rule.as_str(),
            )
        })
        .collect();
    // Every feature, highest PSI first, with the measure that decided the PSI/KL verdict
    // against its threshold (PSI 0.2, KL 0.5 by default; the fixture's KL is PSI / 2).
    assert_eq!(
        rows,
        [
            (
                "Contract",
                "0.6000",
                "features/feature-contract.html",
                "PSI 0.600 ≥ 0.2"
            ),
            (
                "tenure",
                "0.1500",
                "features/feature-tenure.html",
                "PSI 0.150 < 0.2, KL 0.075 < 0.5"
            ),
        ]
    );
    assert_eq!(v.psi_kl_header, "PSI/KL verdict (drives alerts)");
    assert_eq!(v.size_aware_header, "size-aware verdict (for reference)");
    let contract = &v.triage[0];
    // Two bins: reference and batch bar each; the taller share (3 of 4) fills the height.
    assert_eq!(contract.mini.matches("<rect").count(), 4);
    assert!(
        contract
            .mini
            .contains(r#"class="cur" x="89.5" y="0.0" width="29.5" height="28.0""#),
        "{}",
        contract.mini
    );
    // The sparkline has a point per batch (0.02 then 0.6) and ends on a dot.
    assert!(
        contract.spark.contains("PSI per batch: 0.02, 0.60"),
        "{}",
        contract.spark
    );
    assert_eq!(contract.spark.matches("<circle").count(), 1);
    assert!(contract.drifted && contract.psi_sort == 0.6);
    assert_eq!(v.concept.len(), 2);
    assert_eq!(v.features.len(), 2);
    assert_eq!(
        figure_ids(&pages, "drift.html"),
        ["psi-latest", "psi-heatmap", "psi-heatmap-links", "concept"]
    );
    let page = pages.iter().find(|p| p.file == "drift.html").unwrap();
    let links: serde_json::Value = serde_json::from_str(&page.figures[2].json).unwrap();
    assert_eq!(links["tenure"], "features/feature-tenure.html");
}

#[test]
fn feature_pages_have_statistics_per_batch_and_two_figures() {
    let pages = build_pages(&site_data(two_batches()));
    let PageView::Feature(v) = view_of(&pages, "features/feature-tenure.html") else {
        panic!("not a feature page")
    };
    assert_eq!(v.name, "tenure");
    assert_eq!(v.feature_type, "numerical");
    assert!(v.summary.is_some());
    let ids: Vec<&str> = v.stats.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["b1", "b2"]);
    assert_eq!(v.stats[1].ks, "0.0100");
    assert_eq!(
        figure_ids(&pages, "features/feature-tenure.html"),
        ["dist", "psi"]
    );
    let PageView::Feature(c) = view_of(&pages, "features/feature-contract.html") else {
        panic!("not a feature page")
    };
    assert!(c.summary.is_none(), "no summary for a categorical feature");
}

#[test]
fn feature_pages_put_each_batch_beside_the_reference_and_draw_the_value_axis() {
    let mut batches = two_batches();
    for f in batches.iter_mut().flat_map(|b| &mut b.data_drift.features) {
        if f.name == "tenure" && f.psi == Some(0.15) {
            f.current_summary = NumericSummary::of_sorted(&[2.0, 3.0, 4.0, 5.0]);
            f.value_histogram = Some(driftscope_artifacts::ValueHistogram {
                edges: vec![1.0, 3.0, 5.0],
                reference: vec![2, 2],
                current: vec![1, 3],
            });
        } else if let Some(d) = f.distribution.as_mut().filter(|_| f.name == "Contract") {
            d.labels = vec!["Month-to-month".into(), "Two year".into()];
        }
    }
    let pages = build_pages(&site_data(batches));
    let PageView::Feature(v) = view_of(&pages, "features/feature-tenure.html") else {
        panic!("not a feature page")
    };
    assert_eq!(v.table.columns, ["at training", "b1", "b2"]);
    let row = |v: &super::FeatureView, label: &str| -> Vec<String> {
        v.table
            .rows
            .iter()
            .find(|r| r.label == label)
            .unwrap()
            .values
            .clone()
    };
    // The reference 1..=4 and the batch 2..=5 (b1 recorded no summary).
    assert_eq!(row(&v, "values"), ["4", "4", "4"]);
    assert_eq!(row(&v, "missing"), ["0.0%", "0.0%", "0.0%"]);
    assert_eq!(row(&v, "mean"), ["2.50", "–", "3.50"]);
    assert_eq!(row(&v, "25th percentile"), ["1.75", "–", "2.75"]);
    assert_eq!(row(&v, "maximum"), ["4.00", "–", "5.00"]);
    assert!(v.has_values);
    let page = pages
        .iter()
        .find(|p| p.file == "features/feature-tenure.html")
        .unwrap();
    let values: serde_json::Value =
        serde_json::from_str(&page.figures.iter().find(|f| f.id == "values").unwrap().json)
            .unwrap();
    // Bars at the bin centres, as wide as a bin, shares of each side.
    assert_eq!(values["data"][0]["x"], serde_json::json!([2.0, 4.0]));
    assert_eq!(values["data"][0]["width"], 2.0);
    assert_eq!(values["data"][1]["y"], serde_json::json!([0.25, 0.75]));
    let PageView::Feature(c) = view_of(&pages, "features/feature-contract.html") else {
        panic!("not a feature page")
    };
    // Reference 3 of 4 month-to-month; the batch's current counts are [1, 3].
    assert_eq!(
        row(&c, "share “Month-to-month”"),
        ["75.0%", "25.0%", "25.0%"]
    );
    assert_eq!(row(&c, "share “Two year”"), ["25.0%", "75.0%", "75.0%"]);
    assert!(!c.has_values);
}

#[test]
fn alerts_are_totalled_high_medium_low_and_listed_newest_first() {
    let mut batches = two_batches();
    batches.push(result(
        "b3",
        "2026-01-03T00:00:00Z",
        Diagnosis::None,
        Vec::new(),
        vec![
            alert("b3", AlertType::DataQuality, AlertSeverity::Low),
            alert("b3", AlertType::ConceptDrift, AlertSeverity::High),
        ],
    ));
    let pages = build_pages(&site_data(batches));
    let PageView::Alerts(v) = view_of(&pages, "alerts.html") else {
        panic!("not the alerts page")
    };
    let totals: Vec<(&str, u64)> = v.totals.iter().map(|t| (t.severity, t.count)).collect();
    assert_eq!(totals, [("high", 2), ("medium", 1), ("low", 1)]);
    let order: Vec<(&str, &str)> = v
        .history
        .iter()
        .map(|a| (a.line.batch.as_str(), a.line.alert_type))
        .collect();
    assert_eq!(
        order,
        [
            ("b3", "inputs no longer predict churn as before"),
            ("b3", "broken or unexpected data"),
            ("b2", "predictions shifted"),
            ("b2", "inputs drifted"),
        ]
    );
    assert!(
        v.history[0].line.measured.starts_with("0.5 (fires"),
        "{}",
        v.history[0].line.measured
    );
    // Every alert row links to its batch's page, and that page exists.
    let files: Vec<&str> = pages.iter().map(|p| p.file.as_str()).collect();
    for row in &v.history {
        let href = row.line.batch_href.as_deref().expect("a batch link");
        assert!(files.contains(&href), "{href} is not a page");
    }
    assert_eq!(figure_ids(&pages, "alerts.html"), ["by-type"]);
}

#[test]
fn reports_carry_the_latest_decision_and_the_executive_summary() {
    let pages = build_pages(&site_data(two_batches()));
    let PageView::Reports(v) = view_of(&pages, "reports.html") else {
        panic!("not the reports page")
    };
    let decision = v.decision.expect("a decision");
    assert_eq!(decision.batch_id, "b2");
    assert!(v.comparison.is_none());
    assert_eq!(v.executive.len(), 6);
    assert_eq!(v.executive[1], "2 production batches were checked.");
    assert!(v.executive[2].starts_with("On 2 Jan 2026 the model scored 100 customers"));
    assert!(v.executive[3].starts_with("Why: "));
    assert!(v.executive[4].starts_with("What to do: "));
    assert!(v.executive[5].starts_with("The model flags 25 of 100 customers"));
}

#[test]
fn detector_page_without_an_evaluation_is_empty() {
    let pages = build_pages(&site_data(two_batches()));
    let PageView::Detector(v) = view_of(&pages, "detector.html") else {
        panic!("not the detector page")
    };
    assert!(!v.present);
    assert!(v.datasets.is_empty());
    assert!(figure_ids(&pages, "detector.html").is_empty());
}

#[test]
fn detector_page_has_two_figures_per_dataset() {
    use driftscope_artifacts::{
        DatasetEvaluation, DetectorEvaluation, EvaluationCell, EvaluationScope,
    };
    let cell = |condition: &str, scope: EvaluationScope, size: usize| EvaluationCell {
        condition: condition.into(),
        scope,
        size,
        trials: 100,
        default_rate: 0.2,
        calibrated_rate: 0.01,
    };
    let mut data = site_data(two_batches());
    data.evaluation = Some(DetectorEvaluation {
        seed: 1,
        batches: 100,
        sizes: vec![50, 500],
        settings: Default::default(),
        datasets: vec![DatasetEvaluation {
            dataset: "generated".into(),
            reference_rows: 1000,
            population_rows: 2000,
            numerical_features: vec!["tenure".into()],
            categorical_features: vec!["Contract".into()],
            cells: vec![
                cell("no drift", EvaluationScope::None, 50),
                cell("no drift", EvaluationScope::None, 500),
                cell("mean +0.5 sd", EvaluationScope::All, 500),
            ],
        }],
        performance: vec![driftscope_artifacts::PerformanceEvaluation {
            dataset: "generated".into(),
            train_rows: 2043,
            held_rows: 5000,
            split_seeds: vec![42, 43],
            false_alarms: vec![driftscope_artifacts::FalseAlarmCell {
                size: 500,
                batches: 20,
                concept_drift: 0.05,
                performance: 0.0,
                any: 0.05,
                retrain: 0.0,
                high_retrain: 0.0,
                estimate_alert: 0.0,
            }],
            estimation: vec![driftscope_artifacts::EstimationCell {
                condition: "no shift".into(),
                size: 2000,
                batches: 8,
                auc_mae: 0.01234,
                auc_coverage: 0.875,
                accuracy_mae: 0.02,
                accuracy_coverage: 1.0,
            }],
            power: vec![driftscope_artifacts::PowerCell {
                condition: "Contract one or two year churns with 0.5".into(),
                strength: 0.5,
                size: 500,
                batches: 20,
                detected: 1.0,
                located: 0.95,
            }],
        }],
    });
    let pages = build_pages(&data);
    let PageView::Detector(v) = view_of(&pages, "detector.html") else {
        panic!("not the detector page")
    };
    assert!(v.present);
    let rows = &v.datasets[0].rows;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].scope, "every feature of the type");
    assert!(rows[1].cells[0].is_none(), "not measured at 50 rows");
    assert_eq!(rows[1].cells[1].as_ref().unwrap().default, "20.0%");
    assert_eq!(figure_ids(&pages, "detector.html"), ["far-0", "detect-0"]);
    let p = &v.performance[0];
    assert_eq!((p.splits, p.seeds.as_str()), (2, "42 to 43"));
    assert_eq!(p.false_alarms[0][2], "5.0%");
    assert_eq!(p.estimation[0][3..5], ["0.0123", "87.5%"]);
    assert_eq!(p.power[0][4], "95.0%");
}

#[test]
fn located_segments_are_sentences_on_the_performance_and_drift_pages() {
    let mut results = two_batches();
    let gap = |feature: &str, segment: &str, error: f64| driftscope_artifacts::SegmentGap {
        feature: feature.into(),
        segment: segment.into(),
        rows: 431,
        positive_rate: 0.48,
        expected_positive_rate: 0.04,
        error_rate: error,
        expected_error_rate: 0.12,
        z: 40.0,
        p_value: 0.0,
        adjusted_p_value: 0.0,
        feature_heterogeneity: 2000.0,
    };
    results[1].segments = Some(driftscope_artifacts::SegmentAnalysis {
        alpha: 0.05,
        segments_tested: 73,
        segments: vec![
            gap("Contract", "One year", 0.45),
            gap("tenure", "> 69", 0.3),
        ],
    });
    let pages = build_pages(&site_data(results));
    let PageView::Performance(v) = view_of(&pages, "performance.html") else {
        panic!("not the performance page")
    };
    assert_eq!(v.located.len(), 1);
    let l = &v.located[0];
    assert_eq!(l.id, "b2");
    assert_eq!(
        l.top,
        "error 0.45 vs 0.12 expected in Contract = One year (churn rate 0.48 vs 0.04 expected, 431 rows)"
    );
    assert_eq!(l.more.len(), 1);
    assert_eq!(l.tested, 73);
    let PageView::Drift(d) = view_of(&pages, "drift.html") else {
        panic!("not the drift page")
    };
    assert!(d.concept[0].located.is_none());
    assert!(d.concept[1]
        .located
        .as_ref()
        .unwrap()
        .starts_with("error 0.45 vs 0.12 expected in Contract"));
}

#[test]
fn batch_pages_show_parts_alerts_both_verdicts_and_quality() {
    let mut batches = two_batches();
    for a in &mut batches[1].alerts {
        if a.alert_type == AlertType::DataDrift {
            a.details = vec!["tenure: PSI 0.1500000001".into()];
        }
    }
    let pages = build_pages(&site_data(batches));
    let PageView::Batch(v) = view_of(&pages, "batches/batch-b2.html") else {
        panic!("not a batch page")
    };
    assert_eq!(v.id, "b2");
    assert_eq!(v.alerts.len(), 2);
    assert_eq!(v.alert_verdict, "PSI/KL thresholds");
    assert_eq!(v.other_verdict, "size-aware test");
    let drifted: Vec<(&str, bool)> = v
        .drifted
        .iter()
        .map(|f| (f.name.as_str(), f.alerting))
        .collect();
    assert_eq!(drifted, [("Contract", true), ("tenure", true)]);
    assert_eq!(
        v.previous.as_ref().map(|p| p.href.as_str()),
        Some("batches/batch-b1.html")
    );
    assert!(v.next.is_none());
    assert_eq!(v.performance.len(), 6);
    let page = pages
        .iter()
        .find(|p| p.file == "batches/batch-b2.html")
        .unwrap();
    let crumbs: Vec<&str> = page.crumbs.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(crumbs, ["Overview", "Batch b2"]);
    // A DATA_DRIFT alert naming features links to their pages.
    let drift_alert = v
        .alerts
        .iter()
        .find(|a| a.alert_type == "inputs drifted")
        .unwrap();
    let named: Vec<&str> = drift_alert
        .features
        .iter()
        .map(|f| f.href.as_str())
        .collect();
    assert_eq!(named, ["features/feature-tenure.html"]);
    assert_eq!(drift_alert.details, ["tenure: PSI 0.15"]);
}

#[test]
fn feature_bars_include_new_values_and_missing_and_sum_to_one() {
    let mut batches = two_batches();
    let contract = batches[1]
        .data_drift
        .features
        .iter_mut()
        .find(|f| f.name == "Contract")
        .unwrap();
    contract.current_missing = 2;
    contract.distribution = Some(driftscope_artifacts::Distribution {
        labels: vec![
            "Month-to-month".into(),
            "Two year".into(),
            "Cryptocurrency".into(),
        ],
        reference: vec![3, 1, 0],
        current: vec![4, 2, 2],
    });
    let pages = build_pages(&site_data(batches));
    let page = pages
        .iter()
        .find(|p| p.file == "features/feature-contract.html")
        .unwrap();
    let fig: serde_json::Value = serde_json::from_str(&page.figures[0].json).unwrap();
    let traces = fig["data"].as_array().unwrap();
    assert_eq!(traces.len(), 3, "reference and two batches");
    for t in traces {
        let x: Vec<&str> = t["x"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(x, ["Month-to-month", "Two year", "new value", "missing"]);
        let sum: f64 = t["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-9, "{} sums to {sum}", t["name"]);
    }
    let b2: Vec<f64> = traces[2]["y"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(b2, [0.4, 0.2, 0.2, 0.2]);
    let PageView::Feature(v) = view_of(&pages, "features/feature-contract.html") else {
        panic!("not a feature page")
    };
    assert_eq!(v.stats[1].missing, "2.0% (2 rows)");
    assert!(
        v.stats[1].psi_kl.starts_with("drift"),
        "{}",
        v.stats[1].psi_kl
    );
    assert!(v.stats[1].psi_kl_alerts);
}
