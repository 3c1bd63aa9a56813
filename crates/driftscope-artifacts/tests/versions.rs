//! Old artifact versions stay readable; unknown ones are refused with a clear message.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use driftscope_artifacts::{
    parse_artifact, read_artifact, Artifact, DriftReport, MonitoringResult,
};

fn golden(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

#[test]
fn version_1_drift_reports_and_monitoring_results_read_without_the_new_fields() {
    assert_eq!(DriftReport::SCHEMA_VERSION, 2);
    assert_eq!(MonitoringResult::SCHEMA_VERSION, 3);
    let r: DriftReport = read_artifact(&golden("drift_report_v1.json")).unwrap();
    assert_eq!(r.features.len(), 19);
    assert!(r.features.iter().all(|f| f.calibrated.is_none()));
    assert!(r.calibrated_drifted_features.is_empty());
    let m: MonitoringResult = read_artifact(&golden("monitoring_result_v1.json")).unwrap();
    assert_eq!(m.batch_id, "golden");
    let p = m.prediction_drift.unwrap();
    assert_eq!((p.source.as_str(), p.skew_rows_checked), ("model", 0));
    // Version 3 fields read as absent: the action as `none`, alerts with no quantity, `above`.
    assert_eq!(m.retraining.action, driftscope_artifacts::Action::None);
    assert!(m.retraining.action_reason.is_empty());
    for a in &m.alerts {
        assert!(a.quantity.is_empty());
        assert_eq!(a.direction, driftscope_artifacts::Direction::Above);
    }

    // A version this build does not know is refused, naming the file and the versions read.
    let text = std::fs::read_to_string(golden("drift_report_v1.json"))
        .unwrap()
        .replacen("\"schema_version\": 1", "\"schema_version\": 3", 1);
    let err = parse_artifact::<DriftReport>(Path::new("future.json"), text.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("future.json") && err.contains("schema_version 3") && err.contains("1, 2"),
        "{err}"
    );
}
