//! Small hand-made artifacts for the tests: a two-feature model and batches built to order.

use std::path::Path;

use driftscope_artifacts::{
    write_artifact, Alert, AlertSeverity, AlertType, AlertsHistory, BaselineMetrics, CategoryCount,
    Champion, ClassificationMetrics, ConfusionMatrix, DataQuality, DataSource, Diagnosis,
    Distribution, DriftReport, FeatureDrift, FeatureProfile, FeatureType, MonitoringResult,
    NumericSummary, ReferenceProfile, RetrainingDecision, RetrainingHistory, Severity, SplitInfo,
    TestStat, TrainingManifest, TrainingParams,
};

use crate::SiteData;

pub(crate) const VERSION: &str = "m-test";

pub(crate) fn metrics(auc: f64, accuracy: f64) -> ClassificationMetrics {
    ClassificationMetrics {
        n: 100,
        positives: 30,
        auc: Some(auc),
        accuracy,
        precision: 0.6,
        recall: 0.5,
        f1: 0.55,
        confusion: ConfusionMatrix {
            tp: 15,
            fp: 10,
            tn: 60,
            fn_: 15,
        },
        positive_rate: 0.3,
        predicted_positive_rate: 0.25,
        threshold: 0.5,
        notes: Vec::new(),
    }
}

fn split() -> SplitInfo {
    SplitInfo {
        train_rows: 800,
        test_rows: 200,
        train_positives: 240,
        test_positives: 60,
        seed: 7,
    }
}

pub(crate) fn baseline() -> BaselineMetrics {
    BaselineMetrics {
        model_version: VERSION.into(),
        split: split(),
        holdout: metrics(0.84, 0.8),
        expected_error_rate: 0.2,
        expected_auc: Some(0.83),
        calibration: None,
    }
}

pub(crate) fn manifest() -> TrainingManifest {
    TrainingManifest {
        model_version: VERSION.into(),
        data: DataSource {
            path: None,
            generator_seed: Some(1),
            sha256: "0".repeat(64),
            rows: 1000,
            columns: vec!["tenure".into(), "Contract".into(), "Churn".into()],
        },
        seed: 7,
        params: TrainingParams {
            n_trees: 10,
            max_depth: 5,
            min_samples_leaf: 1,
            feature_fraction: 1.0,
            bootstrap_fraction: 1.0,
            test_fraction: 0.2,
        },
        target: "Churn".into(),
        positive_label: "Yes".into(),
        features: vec!["tenure".into(), "Contract".into()],
        excluded: Vec::new(),
        split: split(),
    }
}

/// `tenure` (numerical, two bins) and `Contract` (categorical, two categories).
pub(crate) fn profile() -> ReferenceProfile {
    let tenure = FeatureProfile {
        name: "tenure".into(),
        feature_type: FeatureType::Numerical,
        count: 4,
        missing: 0,
        distinct: 4,
        summary: NumericSummary::of_sorted(&[1.0, 2.0, 3.0, 4.0]),
        bin_edges: vec![2.5],
        bin_counts: vec![2, 2],
        categories: Vec::new(),
    };
    let contract = FeatureProfile {
        name: "Contract".into(),
        feature_type: FeatureType::Categorical,
        count: 4,
        missing: 0,
        distinct: 2,
        summary: None,
        bin_edges: Vec::new(),
        bin_counts: Vec::new(),
        categories: vec![
            CategoryCount {
                value: "Month-to-month".into(),
                count: 3,
            },
            CategoryCount {
                value: "Two year".into(),
                count: 1,
            },
        ],
    };
    ReferenceProfile {
        model_version: VERSION.into(),
        rows: 4,
        n_bins: 2,
        target: "Churn".into(),
        target_counts: Vec::new(),
        features: vec![tenure, contract],
        excluded: Vec::new(),
        predictions: None,
    }
}

/// A feature's drift with the given PSI and severity.
pub(crate) fn feature_drift(name: &str, psi: f64, severity: Severity) -> FeatureDrift {
    FeatureDrift {
        name: name.into(),
        feature_type: if name == "tenure" {
            FeatureType::Numerical
        } else {
            FeatureType::Categorical
        },
        reference_missing: 0,
        current_missing: 0,
        psi: Some(psi),
        kl_divergence: Some(psi / 2.0),
        js_distance: Some(0.1),
        wasserstein: None,
        wasserstein_normed: None,
        ks: Some(TestStat {
            statistic: 0.1,
            p_value: 0.01,
        }),
        mann_whitney: None,
        chi_square: None,
        drift_detected: severity != Severity::None,
        severity,
        findings: Vec::new(),
        distribution: Some(Distribution {
            labels: vec!["a".into(), "b".into()],
            reference: vec![2, 2],
            current: vec![1, 3],
        }),
        calibrated: None,
        bounded: None,
        current_summary: None,
        value_histogram: None,
    }
}

pub(crate) fn alert(batch: &str, alert_type: AlertType, severity: AlertSeverity) -> Alert {
    Alert {
        batch_id: batch.into(),
        timestamp: format!("{batch}-time"),
        alert_type,
        severity,
        value: 0.5,
        threshold: 0.2,
        quantity: String::new(),
        direction: driftscope_artifacts::Direction::Above,
        reason: format!("{alert_type:?} in {batch}"),
        details: Vec::new(),
        deliveries: Vec::new(),
    }
}

fn decision(batch: &str, retrain: bool) -> RetrainingDecision {
    RetrainingDecision {
        batch_id: batch.into(),
        timestamp: format!("{batch}-time"),
        should_retrain: retrain,
        priority: if retrain {
            driftscope_artifacts::RetrainingPriority::High
        } else {
            driftscope_artifacts::RetrainingPriority::None
        },
        reasons: if retrain {
            vec!["drift".into()]
        } else {
            Vec::new()
        },
        samples_available: 500,
        samples_required: 1000,
        action: if retrain {
            driftscope_artifacts::Action::Retrain
        } else {
            driftscope_artifacts::Action::None
        },
        action_reason: String::new(),
    }
}

/// A labelled batch with the given diagnosis, per-feature drift and alerts.
pub(crate) fn result(
    batch: &str,
    timestamp: &str,
    diagnosis: Diagnosis,
    features: Vec<FeatureDrift>,
    alerts: Vec<Alert>,
) -> MonitoringResult {
    let drifted: Vec<String> = features
        .iter()
        .filter(|f| f.drift_detected)
        .map(|f| f.name.clone())
        .collect();
    MonitoringResult {
        batch_id: batch.into(),
        timestamp: timestamp.into(),
        model_version: VERSION.into(),
        rows: 100,
        labelled: true,
        diagnosis,
        parts: None,
        data_quality: DataQuality::default(),
        data_drift: DriftReport {
            reference_rows: 4,
            current_rows: 100,
            drift_share: drifted.len() as f64 / features.len().max(1) as f64,
            features_checked: features.len() as u64,
            drifted_features: drifted,
            dataset_drift: false,
            excluded_columns: Vec::new(),
            missing_columns: Vec::new(),
            extra_columns: Vec::new(),
            features,
            calibrated_drifted_features: Vec::new(),
            alert_verdict: driftscope_artifacts::DriftVerdict::PsiKl,
        },
        prediction_drift: None,
        target_drift: None,
        performance: Some(metrics(0.7, 0.75)),
        estimated_performance: None,
        concept_drift: None,
        segments: None,
        rolling_window: None,
        degradation: None,
        retraining: decision(batch, !alerts.is_empty()),
        alerts,
        skipped: Vec::new(),
    }
}

/// The site of the two-feature model over `results` (alerts and decisions gathered from them).
pub(crate) fn site_data(results: Vec<MonitoringResult>) -> SiteData {
    SiteData {
        external: false,
        champion: VERSION.into(),
        baseline: baseline(),
        manifest: manifest(),
        profile: profile(),
        performance: Default::default(),
        alerts: AlertsHistory {
            alerts: results.iter().flat_map(|r| r.alerts.clone()).collect(),
            incidents: Vec::new(),
        },
        retraining: RetrainingHistory {
            decisions: results.iter().map(|r| r.retraining.clone()).collect(),
        },
        results,
        comparisons: Vec::new(),
        evaluation: None,
    }
}

/// Two batches: a clean one, then one with drift and a HIGH and a MEDIUM alert.
pub(crate) fn two_batches() -> Vec<MonitoringResult> {
    vec![
        result(
            "b1",
            "2026-01-01T00:00:00Z",
            Diagnosis::None,
            vec![
                feature_drift("tenure", 0.01, Severity::None),
                feature_drift("Contract", 0.02, Severity::None),
            ],
            Vec::new(),
        ),
        result(
            "b2",
            "2026-01-02T00:00:00Z",
            Diagnosis::DataDrift,
            vec![
                feature_drift("tenure", 0.15, Severity::Low),
                feature_drift("Contract", 0.6, Severity::High),
            ],
            vec![
                alert("b2", AlertType::DataDrift, AlertSeverity::High),
                alert("b2", AlertType::PredictionDrift, AlertSeverity::Medium),
            ],
        ),
    ]
}

/// Writes the artifacts of `data` into `dir` as the pipeline would.
pub(crate) fn write_artifacts(dir: &Path, data: &SiteData) {
    let model = dir.join("models").join(VERSION);
    let champion = Champion {
        model_version: VERSION.into(),
    };
    write_artifact(&dir.join("models/champion.json"), &champion).unwrap();
    write_artifact(&model.join("baseline_metrics.json"), &data.baseline).unwrap();
    write_artifact(&model.join("training_manifest.json"), &data.manifest).unwrap();
    write_artifact(&model.join("reference_profile.json"), &data.profile).unwrap();
    for r in &data.results {
        let path = dir
            .join("batches")
            .join(&r.batch_id)
            .join("monitoring_result.json");
        write_artifact(&path, r).unwrap();
    }
    write_artifact(&dir.join("alerts_history.json"), &data.alerts).unwrap();
    write_artifact(&dir.join("retraining_history.json"), &data.retraining).unwrap();
}

/// The repository's templates folder.
pub(crate) fn templates() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates")
}
