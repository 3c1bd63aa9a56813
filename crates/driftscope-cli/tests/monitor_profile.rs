//! `driftscope monitor --profile` end to end: each simulated demo batch monitored from its
//! profile gives the drift report and the data-quality findings of the same batch monitored
//! from its rows, byte for byte; the checks that need rows are reported as not checked; a
//! profile made against another reference is refused (exit 2) and writes nothing.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use std::path::Path;

use driftscope_artifacts::{MonitoringResult, PartStatus};
use driftscope_data::generate_telco_csv;

fn result(dir: &Path, artifacts: &str, id: &str) -> MonitoringResult {
    driftscope_artifacts::read_artifact(
        &dir.join(artifacts)
            .join("batches")
            .join(id)
            .join("monitoring_result.json"),
    )
    .unwrap()
}

/// Copies the trained artifacts `a/` to `to/` (so rows and profiles are monitored apart).
fn copy_artifacts(dir: &Path, to: &str) {
    for (rel, bytes) in files(&dir.join("a")) {
        let dest = dir.join(to).join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}

/// One part of a batch's stored `monitoring_result.json`, as written.
fn stored_part(dir: &Path, artifacts: &str, id: &str, part: &str) -> String {
    let path = dir
        .join(artifacts)
        .join("batches")
        .join(id)
        .join("monitoring_result.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert!(!v[part].is_null(), "{part} missing");
    v[part].to_string()
}

/// Monitors batch `b` from its profile (made against the champion in `a/`) into `p/`.
fn monitor_profile(dir: &Path, b: &driftscope_artifacts::ScenarioBatch, extra: &[&str]) {
    let (file, out) = (format!("sim/{}", b.file), format!("{}.json", b.batch_id));
    let mut profile = vec![
        "profile",
        "--artifacts",
        "a",
        "--batch",
        &file,
        "--out",
        &out,
    ];
    profile.extend(extra);
    ok(driftscope(&profile, dir));
    let args = [
        "monitor",
        "--profile",
        &out,
        "--batch-id",
        &b.batch_id,
        "--timestamp",
        &b.timestamp,
        "--artifacts",
        "p",
    ];
    ok(driftscope(&args, dir));
}

#[test]
fn demo_batches_monitored_from_profiles_equal_rows() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("data.csv"), generate_telco_csv(3000, 5)).unwrap();
    let scenario = train_and_simulate(d, "data.csv", None, &["--batches", "3"]);
    copy_artifacts(d, "p");
    let rows = monitor_all(d, &scenario, None);
    let mut drifted = 0;
    let mut quality_findings = 0;
    for (b, r) in scenario.batches.iter().zip(&rows) {
        monitor_profile(d, b, &[]);
        let p = result(d, "p", &b.batch_id);
        for part in ["data_drift", "data_quality"] {
            let id = &b.batch_id;
            let (from_profile, from_rows) =
                (stored_part(d, "p", id, part), stored_part(d, "a", id, part));
            assert!(
                from_profile == from_rows,
                "{id} {part}:\n{from_profile}\n{from_rows}"
            );
        }
        assert_eq!(p.data_drift, r.data_drift);
        assert_eq!(p.rows, r.rows);
        drifted += p.data_drift.alerting_drifted().len();
        quality_findings +=
            p.data_quality.unseen_categories.len() + p.data_quality.missing_share.len();
        // Nothing that needs rows is faked.
        assert!(p.performance.is_none() && p.concept_drift.is_none());
        assert!(p.prediction_drift.is_none() && p.estimated_performance.is_none());
        let parts = p.parts.as_ref().unwrap();
        for part in [&parts.performance, &parts.concept_drift] {
            assert_eq!(part.status, PartStatus::NotChecked);
            assert!(part.reasons[0].starts_with(driftscope_monitor::NO_ROWS));
        }
        assert!(
            !parts.headline.contains("performs as expected"),
            "{}",
            parts.headline
        );
        for check in ["concept drift", "performance", "segments", "serving skew"] {
            let s = p.skipped.iter().find(|s| s.check == check).unwrap();
            assert!(s.reason.starts_with("a profile carries no rows: "), "{s:?}");
        }
        assert!(!d
            .join("p/batches")
            .join(&b.batch_id)
            .join("scores.json")
            .exists());
    }
    // The demo's shifts are seen (so the equality above is not between empty reports).
    assert!(
        drifted > 0 && quality_findings > 0,
        "{drifted} {quality_findings}"
    );
    // The histories hold every batch, as after monitoring rows.
    let history = |a: &str| -> driftscope_artifacts::PerformanceHistory {
        driftscope_artifacts::read_artifact(&d.join(a).join("performance_history.json")).unwrap()
    };
    let ids = |h: driftscope_artifacts::PerformanceHistory| {
        h.entries
            .into_iter()
            .map(|e| e.batch_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(history("p")), ids(history("a")));
}

/// A trained champion in `a/` and one simulated batch (its scenario entry and file).
fn one_batch(d: &Path) -> (driftscope_artifacts::ScenarioBatch, String) {
    std::fs::write(d.join("data.csv"), generate_telco_csv(2000, 7)).unwrap();
    let scenario = train_and_simulate(d, "data.csv", None, &["--batches", "1"]);
    let b = scenario.batches[0].clone();
    let file = format!("sim/{}", b.file);
    (b, file)
}

#[test]
fn a_profile_of_another_reference_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (_, file) = one_batch(d);
    std::fs::write(d.join("other.csv"), generate_telco_csv(2000, 8)).unwrap();
    let before = files(&d.join("a"));
    // Against another reference file: other PSI edges.
    let profile = ["profile", "--reference", "other.csv", "--batch", &file];
    ok(driftscope(
        &[&profile[..], &["--out", "other.json"]].concat(),
        d,
    ));
    let monitor = ["monitor", "--artifacts", "a", "--profile"];
    let out = driftscope(&[&monitor[..], &["other.json"]].concat(), d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("other.json: not a profile of the champion"),
        "{err}"
    );
    assert!(err.contains("fine edges"), "{err}");
    // Rows and a profile together, or --chunk-rows with a profile: refused.
    let out = driftscope(
        &[&monitor[..], &["other.json", "--batch", &file]].concat(),
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = driftscope(
        &[&monitor[..], &["other.json", "--chunk-rows", "9"]].concat(),
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--chunk-rows"));
    // Against a reference with one feature fewer: the columns are not the champion's.
    let text = std::fs::read_to_string(d.join("data.csv")).unwrap();
    let gender = text
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "gender");
    let narrow: Vec<String> = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(gender.unwrap());
            cells.join(",")
        })
        .collect();
    std::fs::write(d.join("narrow.csv"), narrow.join("\n") + "\n").unwrap();
    let profile = ["profile", "--reference", "narrow.csv", "--batch", &file];
    ok(driftscope(
        &[&profile[..], &["--out", "narrow.json"]].concat(),
        d,
    ));
    let out = driftscope(&[&monitor[..], &["narrow.json"]].concat(), d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the champion has 19 features"), "{err}");
    assert!(
        files(&d.join("a")) == before,
        "a refused profile wrote nothing"
    );
}

#[test]
fn out_of_range_past_the_value_cap_is_reported_as_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (b, file) = one_batch(d);
    let monitor = ["monitor", "--artifacts", "a", "--profile"];
    // MonthlyCharges raised by half: values above the trained range. From a value map the
    // out-of-range share is counted; past a tiny value cap it is not (and the result says so).
    let shifted = shift_column(
        &std::fs::read_to_string(d.join(&file)).unwrap(),
        "MonthlyCharges",
    );
    std::fs::write(d.join("wide.csv"), shifted).unwrap();
    let profile = ["profile", "--artifacts", "a", "--batch", "wide.csv"];
    ok(driftscope(
        &[&profile[..], &["--out", "exact.json"]].concat(),
        d,
    ));
    ok(driftscope(
        &[&profile[..], &["--out", "small.json", "--value-cap", "5"]].concat(),
        d,
    ));
    for id in ["exact", "small"] {
        let path = format!("{id}.json");
        let args = [&monitor[..], &[&path, "--timestamp", &b.timestamp]].concat();
        ok(driftscope(&args, d));
    }
    let (exact, small) = (result(d, "a", "exact"), result(d, "a", "small"));
    assert!(exact.data_quality.out_of_range_share["MonthlyCharges"] > 0.0);
    assert!(!exact
        .skipped
        .iter()
        .any(|s| s.check.starts_with("out-of-range")));
    assert!(!small
        .data_quality
        .out_of_range_share
        .contains_key("MonthlyCharges"));
    let skip = small
        .skipped
        .iter()
        .find(|s| s.check == "out-of-range share of MonthlyCharges");
    assert!(
        skip.unwrap().reason.contains("raise --value-cap"),
        "{skip:?}"
    );
    // Drift from the bins: PSI exact, KS bounded; the missing shares still counted.
    let monthly = |r: &MonitoringResult| {
        r.data_drift
            .features
            .iter()
            .find(|f| f.name == "MonthlyCharges")
            .cloned()
            .unwrap()
    };
    assert!(monthly(&small).ks.is_none() && monthly(&small).bounded.is_some());
    assert_eq!(monthly(&small).psi, monthly(&exact).psi);
    assert_eq!(
        small.data_quality.missing_share,
        exact.data_quality.missing_share
    );
}

/// The CSV `text` with every number of column `name` multiplied by 1.5.
fn shift_column(text: &str, name: &str) -> String {
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let col = header.split(',').position(|h| h == name).unwrap();
    let mut out = vec![header.to_string()];
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        if let Ok(v) = cells[col].parse::<f64>() {
            cells[col] = format!("{}", (v * 150.0).round() / 100.0);
        }
        out.push(cells.join(","));
    }
    out.join("\n") + "\n"
}
