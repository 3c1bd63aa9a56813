//! Old artifact versions stay readable; unknown ones are refused with a clear message.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use driftscope_artifacts::{
    parse_artifact, read_artifact, Artifact, BaselineMetrics, DriftReport, ModelArtifact,
    MonitoringResult,
};

fn golden(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn version_1_drift_reports_and_monitoring_results_read_without_the_new_fields() {
    assert_eq!(DriftReport::SCHEMA_VERSION, 4);
    assert_eq!(MonitoringResult::SCHEMA_VERSION, 5);
    let r: DriftReport = read_artifact(&golden("drift_report_v1.json")).unwrap();
    assert_eq!(r.features.len(), 19);
    assert!(r.features.iter().all(|f| f.calibrated.is_none()));
    assert!(r
        .features
        .iter()
        .all(|f| f.current_summary.is_none() && f.value_histogram.is_none()));
    assert!(r.calibrated_drifted_features.is_empty());
    assert_eq!(r.alert_verdict, driftscope_artifacts::DriftVerdict::PsiKl);
    let m: MonitoringResult = read_artifact(&golden("monitoring_result_v1.json")).unwrap();
    assert_eq!(m.batch_id, "golden");
    let p = m.prediction_drift.unwrap();
    assert_eq!((p.source.as_str(), p.skew_rows_checked), ("model", 0));
    assert!(m.estimated_performance.is_none());
    // Version 3 fields read as absent: the action as `none`, alerts with no quantity, `above`.
    assert_eq!(m.retraining.action, driftscope_artifacts::Action::None);
    assert!(m.retraining.action_reason.is_empty());
    for a in &m.alerts {
        assert!(a.quantity.is_empty());
        assert_eq!(a.direction, driftscope_artifacts::Direction::Above);
    }
    // Version 4 fields read as absent: no segments, no standard scores or slope error.
    assert!(m.segments.is_none());
    if let Some(c) = &m.concept_drift {
        assert!(c.auc_z.is_none() && c.decay_z.is_none());
    }
    if let Some(d) = &m.degradation {
        assert!(d.slope_se.is_none());
    }

    // A version this build does not know is refused, naming the file and the versions read.
    let text = std::fs::read_to_string(golden("drift_report_v1.json"))
        .unwrap()
        .replacen("\"schema_version\": 1", "\"schema_version\": 9", 1);
    let err = parse_artifact::<DriftReport>(Path::new("future.json"), text.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("future.json")
            && err.contains("schema_version 9")
            && err.contains("1, 2, 3, 4"),
        "{err}"
    );
}

#[test]
fn version_1_models_and_baselines_read_without_calibration() {
    assert_eq!(ModelArtifact::SCHEMA_VERSION, 4);
    assert_eq!(BaselineMetrics::SCHEMA_VERSION, 2);
    let model = r#"{"kind": "model", "schema_version": 1, "producer": "driftscope 0.1.0",
        "model_version": "m-1", "target": "Churn", "positive_label": "Yes",
        "negative_label": "No", "features": [], "encoded_names": [],
        "probability_method": "mean", "forest": {"trees": []}}"#;
    // The version-1 envelope is accepted: what is refused is the empty forest (validation).
    let err = parse_artifact::<ModelArtifact>(Path::new("model.json"), model.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("features") && !err.contains("schema_version"),
        "{err}"
    );
    // The body of a version-1 model reads with no calibrator.
    let body = r#"{"model_version": "m-1", "target": "Churn", "positive_label": "Yes",
        "negative_label": "No", "features": [], "encoded_names": [],
        "probability_method": "mean", "forest": {"trees": []}}"#;
    let m: ModelArtifact = serde_json::from_str(body).unwrap();
    assert!(m.calibration.is_none());
    assert!(m.calibration_bootstrap.is_none() && m.calibration_residual.is_none());
    // Without a calibrator the raw probability is used as it is.
    assert_eq!(m.calibrate(0.37), 0.37);
    let baseline = r#"{"kind": "baseline_metrics", "schema_version": 1, "producer": "x",
        "model_version": "m-1",
        "split": {"train_rows": 8, "test_rows": 2, "train_positives": 4, "test_positives": 1, "seed": 1},
        "holdout": {"n": 2, "positives": 1, "auc": 1.0, "accuracy": 1.0, "precision": 1.0,
          "recall": 1.0, "f1": 1.0, "confusion": {"tp": 1, "fp": 0, "tn": 1, "fn": 0},
          "positive_rate": 0.5, "predicted_positive_rate": 0.5, "threshold": 0.5, "notes": []},
        "expected_error_rate": 0.25, "expected_auc": 1.0}"#;
    let b = parse_artifact::<BaselineMetrics>(Path::new("b.json"), baseline.as_bytes()).unwrap();
    assert!(b.calibration.is_none());
}

#[test]
fn version_3_isotonic_models_read_and_beta_calibrators_apply_and_validate() {
    use driftscope_artifacts::Calibrator;
    // A version-3 body: isotonic calibrator, holdout spread, no bootstrap refits.
    let body = r#"{"model_version": "m-3", "target": "Churn", "positive_label": "Yes",
        "negative_label": "No", "features": [], "encoded_names": [],
        "probability_method": "mean", "model_kind": "forest", "forest": {"trees": []},
        "calibration": {"method": "isotonic", "x": [0.1, 0.9], "y": [0.2, 0.8]},
        "calibration_uncertainty": {"auc": 0.01, "accuracy": 0.02, "precision": 0.0,
          "recall": 0.0, "f1": 0.0}}"#;
    let m: ModelArtifact = serde_json::from_str(body).unwrap();
    assert!(m.calibration_bootstrap.is_none() && m.calibration_residual.is_none());
    assert!((m.calibrate(0.5) - 0.5).abs() < 1e-15);
    // Beta: a = b = 1, c = 0 is the identity inside the clip; logit = a ln s + b (-ln(1 - s)) + c.
    let identity = Calibrator::beta([1.0, 1.0, 0.0]);
    assert!((identity.apply(0.3) - 0.3).abs() < 1e-12);
    assert!((identity.apply(0.0) - driftscope_artifacts::BETA_SCORE_CLIP).abs() < 1e-12);
    let c = Calibrator::beta([2.0, 0.5, -0.3]);
    let (s, want) = (0.2f64, 2.0 * 0.2f64.ln() - 0.5 * 0.8f64.ln() - 0.3);
    assert!((c.apply(s) - 1.0 / (1.0 + (-want).exp())).abs() < 1e-15);
    // raw_of inverts it; other methods have no inverse.
    assert!((c.raw_of(c.apply(0.37)).unwrap() - 0.37).abs() < 1e-12);
    assert!(Calibrator::Platt { a: -1.0, b: 0.0 }.raw_of(0.5).is_none());
    // A beta calibrator with a negative weight is refused, naming the field.
    let mut bad = m.clone();
    bad.calibration = Some(Calibrator::beta([-0.1, 1.0, 0.0]));
    let err = format!("{:?}", bad.check_structure().unwrap_err());
    assert!(err.contains("calibration"), "{err}");
    let mut bad = m;
    bad.calibration_bootstrap = Some(vec![[1.0, 1.0, 0.0], [1.0, f64::NAN, 0.0]]);
    let err = format!("{:?}", bad.check_structure().unwrap_err());
    assert!(err.contains("calibration_bootstrap[1]"), "{err}");
}
