//! Bring your own model: `driftscope baseline` makes a champion of the user's model from reference
//! rows with its logged probabilities; `monitor` then works from each batch's logged predictions
//! and gives the same drift and data-quality results as the built-in model on the same rows.
#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use driftscope_artifacts::{read_artifact, Champion, ModelArtifact, ModelKind, MonitoringResult};

fn monitor(d: &std::path::Path, artifacts: &str, file: &str, ts: &str) -> MonitoringResult {
    ok(driftscope(
        &[
            "monitor",
            "--batch",
            file,
            "--timestamp",
            ts,
            "--artifacts",
            artifacts,
        ],
        d,
    ));
    let id = std::path::Path::new(file)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .to_string();
    read_artifact(
        &d.join(artifacts)
            .join("batches")
            .join(id)
            .join("monitoring_result.json"),
    )
    .unwrap()
}

#[test]
fn external_champion_monitors_from_logged_predictions_like_the_built_in_model() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("telco.csv"),
        driftscope_data::generate_telco_csv(7043, 42),
    )
    .unwrap();
    let scenario = train_and_simulate(d, "telco.csv", None, &[]);
    // "Your model": the built-in one's probabilities, logged in a `prediction` column.
    ok(driftscope(
        &[
            "score",
            "--batch",
            "telco.csv",
            "--out",
            "ref.csv",
            "--artifacts",
            "a",
        ],
        d,
    ));
    ok(driftscope(
        &["baseline", "--data", "ref.csv", "--artifacts", "ext"],
        d,
    ));
    let champion: Champion = read_artifact(&d.join("ext/models/champion.json")).unwrap();
    let model: ModelArtifact = read_artifact(
        &d.join("ext/models")
            .join(&champion.model_version)
            .join("model.json"),
    )
    .unwrap();
    assert_eq!(model.model_kind, ModelKind::External);
    assert!(model.forest.trees.is_empty() && model.calibration.is_some());
    assert!(!model.features.iter().any(|f| f.name == "prediction"));

    for b in &scenario.batches {
        compare_batch(d, b);
    }
    check_refusals(d);
    // The site names the model as the user's; no templates folder here: the built-in ones.
    assert!(!d.join("templates").exists());
    ok(driftscope(
        &["report", "--artifacts", "ext", "--out", "site"],
        d,
    ));
    let index = std::fs::read_to_string(d.join("site/index.html")).unwrap();
    assert!(
        index.contains("Your own model"),
        "the overview names the model as the user's"
    );
}

/// Steps that need the model itself refuse plainly; bad logged predictions exit 2.
fn check_refusals(d: &std::path::Path) {
    let out = driftscope(
        &[
            "score",
            "--batch",
            "telco.csv",
            "--out",
            "x.csv",
            "--artifacts",
            "ext",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("your own model"));
    // A batch without logged predictions: drift and data quality still run, predictions skipped.
    let bare = monitor(d, "ext", "telco.csv", "2026-06-01T00:00:00Z");
    assert!(
        bare.skipped
            .iter()
            .any(|s| s.reason.contains("log its probabilities")),
        "{:?}",
        bare.skipped
    );
    // Bad logged predictions: exit 2 naming the row and column.
    let csv = std::fs::read_to_string(d.join("ref.csv")).unwrap();
    let bad = csv.replacen(",0.", ",7.", 1);
    std::fs::write(d.join("bad.csv"), bad).unwrap();
    let out = driftscope(&["baseline", "--data", "bad.csv", "--artifacts", "ext2"], d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv") && err.contains("\"prediction\""),
        "{err}"
    );
}

/// The built-in and the external champion on the same logged batch.
fn compare_batch(d: &std::path::Path, b: &driftscope_artifacts::ScenarioBatch) {
    let logged = format!("{}-logged.csv", b.batch_id);
    let src = format!("sim/{}", b.file);
    ok(driftscope(
        &[
            "score",
            "--batch",
            &src,
            "--out",
            &logged,
            "--artifacts",
            "a",
        ],
        d,
    ));
    let ours = monitor(d, "a", &logged, &b.timestamp);
    let theirs = monitor(d, "ext", &logged, &b.timestamp);
    let id = &b.batch_id;
    // Same reference rows, same batch: identical drift and data quality.
    assert_eq!(ours.data_drift.features, theirs.data_drift.features, "{id}");
    assert_eq!(ours.data_quality, theirs.data_quality, "{id}");
    // Performance from the same logged probabilities (re-calibrated monotonically).
    let (a, b2) = (ours.performance.unwrap(), theirs.performance.unwrap());
    assert!(
        (a.auc.unwrap() - b2.auc.unwrap()).abs() < 0.02,
        "{id}: {a:?} vs {b2:?}"
    );
    assert!(theirs.estimated_performance.is_some(), "{id}");
    assert!(
        theirs
            .skipped
            .iter()
            .any(|s| s.check == "serving skew" && s.reason.contains("your own model")),
        "{id}: {:?}",
        theirs.skipped
    );
    assert_eq!(ours.diagnosis, theirs.diagnosis, "{id}");
}
