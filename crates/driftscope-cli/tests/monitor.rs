//! The monitoring pipeline end to end: train, simulate the default scenario, monitor every
//! batch; the diagnosis and drifted features must equal the injected truth.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design
#![allow(clippy::too_many_lines)] // end-to-end tests walk through many steps

mod common;

use common::*;

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use driftscope_artifacts::{
    read_artifact, AlertSeverity, AlertsHistory, MonitoringResult, PerformanceHistory,
    RetrainingHistory, Scenario,
};

/// Trains, simulates and monitors every batch; returns the scenario and the results.
fn run_scenario(dir: &Path, data: &str) -> (Scenario, Vec<MonitoringResult>) {
    let scenario = train_and_simulate(dir, data, None, &[]);
    let results = monitor_all(dir, &scenario, None);
    (scenario, results)
}

/// The action agrees with `should_retrain`, a data-quality incident never retrains, and every
/// alert's value is on the firing side of its own threshold.
fn check_action(id: &str, r: &MonitoringResult) {
    use driftscope_artifacts::{Action, AlertType};
    let d = &r.retraining;
    assert!(!d.action_reason.is_empty(), "{id}: {d:?}");
    assert_eq!(
        d.should_retrain,
        matches!(d.action, Action::Retrain | Action::RetrainAndReviewFeatures),
        "{id}: {d:?}"
    );
    let incident = r
        .alerts
        .iter()
        .any(|a| a.alert_type == AlertType::DataQuality && a.severity >= AlertSeverity::Medium);
    if incident {
        assert_eq!(d.action, Action::FixDataPipeline, "{id}: {d:?}");
    }
    for a in &r.alerts {
        assert!(a.direction.fires(a.value, a.threshold), "{id}: {a:?}");
    }
}

/// Every batch, labelled or not, gets an estimated AUC and accuracy from the calibrated
/// probabilities, each inside a non-degenerate interval.
fn check_estimates(results: &[MonitoringResult]) {
    for r in results {
        let e = r.estimated_performance.as_ref().expect("an estimate");
        let id = &r.batch_id;
        assert!(e.calibrated, "{id}: {e:?}");
        let auc = e.auc.expect("an estimated AUC");
        for m in [auc, e.accuracy] {
            assert!(m.lower < m.value && m.value < m.upper, "{id}: {m:?}");
            // Label noise and calibration together: wider than +-0.01 at 2,000 rows.
            assert!(m.upper - m.lower > 0.02, "{id}: {m:?}");
        }
    }
}

/// The champion's model.json (schema 4): a beta calibrator with its bootstrap refits.
fn check_calibrator(artifacts: &Path) {
    let champion: driftscope_artifacts::Champion =
        read_artifact(&artifacts.join("models/champion.json")).unwrap();
    let model: driftscope_artifacts::ModelArtifact = read_artifact(
        &artifacts
            .join("models")
            .join(&champion.model_version)
            .join("model.json"),
    )
    .unwrap();
    assert_eq!(model.calibration.as_ref().unwrap().method(), "beta");
    let refits = model.calibration_bootstrap.as_ref().unwrap();
    assert_eq!(refits.len(), 50);
    assert!(model.calibration_residual.is_some());
}

fn check_truth(scenario: &Scenario, results: &[MonitoringResult]) {
    check_estimates(results);
    assert_eq!(scenario.batches.len(), 5);
    let mut table = String::new();
    let mut failures = Vec::new();
    for (b, r) in scenario.batches.iter().zip(results) {
        let mut found = r.data_drift.drifted_features.clone();
        let mut truth = b.drifted_features.clone();
        found.sort();
        truth.sort();
        table.push_str(&format!(
            "{} truth {:?} {:?} | found {:?} {:?}\n",
            b.batch_id, b.diagnosis, truth, r.diagnosis, found
        ));
        if r.diagnosis != b.diagnosis || found != truth {
            failures.push(b.batch_id.clone());
        }
        // At most one alert per type.
        let types: HashSet<_> = r.alerts.iter().map(|a| a.alert_type).collect();
        assert_eq!(
            types.len(),
            r.alerts.len(),
            "{}: duplicate alert types {:?}",
            b.batch_id,
            r.alerts
        );
        check_action(&b.batch_id, r);
    }
    assert!(failures.is_empty(), "mismatches in {failures:?}:\n{table}");
    check_located_segments(results);
    // The clean batch raises nothing above LOW.
    let clean = &results[0];
    assert!(
        clean
            .alerts
            .iter()
            .all(|a| a.severity == AlertSeverity::Low),
        "{:?}",
        clean.alerts
    );
    // batch-02 (covariate shift, model as good as it can be on these inputs): no retraining.
    use driftscope_artifacts::Action;
    let b2 = &results[1].retraining;
    assert!(
        matches!(b2.action, Action::None | Action::Watch) && !b2.should_retrain,
        "batch-02: {b2:?}"
    );
    // batch-03 (broken feed): the data-quality incident is named with its columns and shares,
    // and the advice is to fix the feed.
    let b3 = &results[2];
    assert_eq!(
        b3.retraining.action,
        Action::FixDataPipeline,
        "{:?}",
        b3.retraining
    );
    let reason = &b3.retraining.action_reason;
    assert!(
        reason.contains("TotalCharges") && reason.contains('%'),
        "batch-03 reason names the column and the share: {reason}"
    );
    // The four-part diagnosis: the headline names the most urgent part in plain words.
    use driftscope_artifacts::PartStatus;
    let parts = |i: usize| results[i].parts.clone().expect("four-part diagnosis");
    assert!(parts(0).headline.starts_with("All clear"), "{:?}", parts(0));
    let p2 = parts(1);
    assert_eq!(p2.data_drift.status, PartStatus::Watch, "{p2:?}");
    assert_ne!(p2.performance.status, PartStatus::Problem, "{p2:?}");
    assert!(p2.headline.starts_with("The customers changed"), "{p2:?}");
    let p3 = parts(2);
    assert_eq!(p3.data_quality.status, PartStatus::Problem, "{p3:?}");
    assert!(
        p3.headline.contains("data feed is broken") && p3.headline.contains("TotalCharges"),
        "{p3:?}"
    );
    for i in [3, 4] {
        assert_eq!(
            parts(i).concept_drift.status,
            PartStatus::Problem,
            "{:?}",
            parts(i)
        );
    }
    // The kinds of batches in the default scenario.
    let kinds: Vec<_> = scenario.batches.iter().map(|b| b.diagnosis).collect();
    use driftscope_artifacts::Diagnosis::*;
    assert_eq!(
        kinds,
        vec![
            None,
            DataDrift,
            DataDrift,
            ConceptDrift,
            DataAndConceptDrift
        ]
    );
}

/// The located concept drift is the injected one: the top segment of batch-04 is a contract
/// (one- or two-year customers churn with 0.5), of batch-05 fiber-optic internet (a retention
/// offer); batches without concept drift locate nothing.
fn check_located_segments(results: &[MonitoringResult]) {
    for r in results {
        let detected = r.concept_drift.as_ref().is_some_and(|c| c.detected);
        assert_eq!(r.segments.is_some(), detected, "{}", r.batch_id);
    }
    let top = |r: &MonitoringResult| {
        let s = r.segments.as_ref().unwrap();
        assert!(s.segments_tested > 20, "{s:?}");
        let g = s.segments[0].clone();
        // The top segment is significant after Holm and its gap is the drift's direction.
        assert!(g.adjusted_p_value < s.alpha, "{g:?}");
        g
    };
    let b4 = top(&results[3]);
    assert_eq!(b4.feature, "Contract", "{b4:?}");
    assert!(
        ["One year", "Two year"].contains(&b4.segment.as_str()),
        "{b4:?}"
    );
    assert!(b4.positive_rate > b4.expected_positive_rate + 0.2, "{b4:?}");
    let b5 = top(&results[4]);
    assert_eq!(
        (b5.feature.as_str(), b5.segment.as_str()),
        ("InternetService", "Fiber optic"),
        "{b5:?}"
    );
    assert!(b5.positive_rate < b5.expected_positive_rate - 0.2, "{b5:?}");
}

#[test]
fn default_scenario_on_generated_data() {
    let dir = tempfile::tempdir().unwrap();
    let csv = driftscope_data::generate_telco_csv(7043, 42);
    std::fs::write(dir.path().join("telco.csv"), csv).unwrap();
    let (scenario, results) = run_scenario(dir.path(), "telco.csv");
    check_truth(&scenario, &results);
    check_calibrator(&dir.path().join("a"));

    // Histories hold every batch once; re-monitoring a batch replaces its entries.
    let a = dir.path().join("a");
    let history: PerformanceHistory = read_artifact(&a.join("performance_history.json")).unwrap();
    assert_eq!(history.entries.len(), 5);
    let alerts_before: AlertsHistory = read_artifact(&a.join("alerts_history.json")).unwrap();
    let b3 = &scenario.batches[2];
    ok(driftscope(
        &[
            "monitor",
            "--batch",
            &format!("sim/{}", b3.file),
            "--timestamp",
            &b3.timestamp,
            "--artifacts",
            "a",
        ],
        dir.path(),
    ));
    assert_each_batch_once(&a);
    let alerts_after: AlertsHistory = read_artifact(&a.join("alerts_history.json")).unwrap();
    assert_eq!(alerts_before.alerts.len(), alerts_after.alerts.len());
    let retrain: RetrainingHistory = read_artifact(&a.join("retraining_history.json")).unwrap();
    assert!(
        !retrain.decisions[0].should_retrain,
        "{:?}",
        retrain.decisions[0]
    );
    let last = &retrain.decisions[4];
    assert!(
        last.should_retrain && last.priority == driftscope_artifacts::RetrainingPriority::High,
        "{last:?}"
    );

    // check --fail-on: batch-05 has HIGH alerts (named; re-monitored batch-03 kept its place,
    // so batch-05 is also the batch monitored last).
    let out = driftscope(
        &[
            "check",
            "--artifacts",
            "a",
            "--fail-on",
            "high",
            "--batch",
            "batch-05",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("CONCEPT_DRIFT"));

    retrain_promote_and_rollback(dir.path(), &scenario);

    // A batch without labels: label-free checks only, and it says what was skipped.
    let text = std::fs::read_to_string(dir.path().join("sim/batch-01.csv")).unwrap();
    let unlabelled: String = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.pop();
            cells.join(",") + "\n"
        })
        .collect();
    std::fs::write(dir.path().join("unlabelled.csv"), unlabelled).unwrap();
    ok(driftscope(
        &[
            "monitor",
            "--batch",
            "unlabelled.csv",
            "--timestamp",
            "2026-03-01T00:00:00Z",
            "--artifacts",
            "a",
        ],
        dir.path(),
    ));
    let r: MonitoringResult =
        read_artifact(&a.join("batches/unlabelled/monitoring_result.json")).unwrap();
    assert!(!r.labelled && r.performance.is_none() && r.concept_drift.is_none());
    let skipped: Vec<&str> = r.skipped.iter().map(|s| s.check.as_str()).collect();
    assert_eq!(
        skipped,
        vec![
            "performance",
            "concept drift",
            "target drift",
            "rolling window"
        ]
    );
    assert!(r.skipped[0].reason.contains("no target column \"Churn\""));
    assert!(r.prediction_drift.is_some());
    assert!(r.data_drift.drifted_features.is_empty());
    // The clean, unlabelled batch is now the latest: check passes at high.
    let out = driftscope(
        &["check", "--artifacts", "a", "--fail-on", "high"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    check_judges_the_batch_monitored_last(dir.path(), &scenario);
}

/// A clean batch stamped 2099 and a HIGH batch monitored after it: `check` judges the HIGH
/// batch (monitored last), not the one with the latest timestamp; `--batch` picks one.
fn check_judges_the_batch_monitored_last(dir: &Path, scenario: &Scenario) {
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--artifacts", "a", "--fail-on", "high"];
        args.extend(extra);
        let out = driftscope(&args, dir);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let monitor = |file: &str, id: &str, ts: &str| {
        ok(driftscope(
            &[
                "monitor",
                "--batch",
                file,
                "--batch-id",
                id,
                "--timestamp",
                ts,
                "--artifacts",
                "a",
            ],
            dir,
        ))
    };
    monitor(
        &format!("sim/{}", scenario.batches[0].file),
        "future-clean",
        "2099-01-01T00:00:00Z",
    );
    let (code, out) = check(&[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("judging batch future-clean (monitored last"),
        "{out}"
    );
    let high = &scenario.batches[4];
    monitor(&format!("sim/{}", high.file), "late-high", &high.timestamp);
    let (code, out) = check(&[]);
    assert_eq!(
        code,
        Some(1),
        "the clean 2099 batch must not hide the HIGH one: {out}"
    );
    assert!(
        out.contains("judging batch late-high (monitored last"),
        "{out}"
    );
    let (code, out) = check(&["--batch", "future-clean"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("judging batch future-clean (--batch"), "{out}");
    let out = driftscope(
        &[
            "check",
            "--artifacts",
            "a",
            "--fail-on",
            "high",
            "--batch",
            "nope",
        ],
        dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never monitored"));
    let h: PerformanceHistory = read_artifact(&dir.join("a/performance_history.json")).unwrap();
    let last = h.monitored_last().unwrap();
    assert_eq!(last.batch_id, "late-high");
    assert_eq!(
        last.sequence,
        h.entries.iter().map(|e| e.sequence).max().unwrap()
    );
}

#[test]
fn default_scenario_on_real_file() {
    let Some(path) = real_telco_for("default_scenario_on_real_file") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (scenario, results) = run_scenario(dir.path(), path.to_str().unwrap());
    check_truth(&scenario, &results);
    check_calibrator(&dir.path().join("a"));
}

#[test]
fn concurrent_monitors_keep_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("telco.csv"),
        driftscope_data::generate_telco_csv(3000, 9),
    )
    .unwrap();
    std::fs::write(d.join("config.yaml"), "model:\n  n_trees: 10\n").unwrap();
    let scenario = train_and_simulate(
        d,
        "telco.csv",
        Some("config.yaml"),
        &["--batch-rows", "300"],
    );
    // Every batch at once, twice over (ids repeat: replace, never duplicate).
    let children: Vec<_> = scenario
        .batches
        .iter()
        .chain(scenario.batches.iter())
        .map(|b| {
            Command::new(env!("CARGO_BIN_EXE_driftscope"))
                .args([
                    "monitor",
                    "--batch",
                    &format!("sim/{}", b.file),
                    "--timestamp",
                    &b.timestamp,
                    "--artifacts",
                    "a",
                    "--config",
                    "config.yaml",
                ])
                .current_dir(d)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_each_batch_once(&d.join("a"));
}

/// The performance and retraining histories hold the five scenario batches, once each, in order.
fn assert_each_batch_once(a: &Path) {
    let history: PerformanceHistory = read_artifact(&a.join("performance_history.json")).unwrap();
    let ids: Vec<&str> = history
        .entries
        .iter()
        .map(|e| e.batch_id.as_str())
        .collect();
    assert_eq!(
        ids,
        vec!["batch-01", "batch-02", "batch-03", "batch-04", "batch-05"]
    );
    let retrain: RetrainingHistory = read_artifact(&a.join("retraining_history.json")).unwrap();
    assert_eq!(retrain.decisions.len(), 5);
}

#[test]
fn streamed_batches_equal_whole_reads_and_logged_predictions_are_checked_for_skew() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.yaml"), "model:\n  n_trees: 12\n").unwrap();
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        d,
    ));
    // A batch with blanks, a never-seen category and a quoted newline in an extra column.
    let mut csv = String::from_utf8(driftscope_data::generate_telco_csv(9000, 21)).unwrap();
    csv = csv.replacen(",Mailed check,", ",Cheque,", 40);
    csv = csv.replacen("\n", ",note\n", 1);
    let csv: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("{l}\n"),
            i if i % 1000 == 0 => format!("{l},\"two\nlines\"\n"),
            _ => format!("{l},x\n"),
        })
        .collect();
    std::fs::write(d.join("b.csv"), csv).unwrap();
    std::fs::write(
        d.join("clean.csv"),
        driftscope_data::generate_telco_csv(9000, 22),
    )
    .unwrap();
    ok(driftscope(
        &[
            "score",
            "--batch",
            "clean.csv",
            "--artifacts",
            "a",
            "--config",
            "c.yaml",
            "--out",
            "scored.csv",
        ],
        d,
    ));
    let run = |artifacts: &str, batch: &str, chunk: Option<&str>| {
        if !d.join(artifacts).exists() {
            for (rel, bytes) in files(&d.join("a")) {
                let p = d.join(artifacts).join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, bytes).unwrap();
            }
        }
        let mut args = vec![
            "monitor",
            "--batch",
            batch,
            "--artifacts",
            artifacts,
            "--config",
            "c.yaml",
            "--batch-id",
            "b",
            "--timestamp",
            "2026-03-01T00:00:00Z",
        ];
        if let Some(c) = chunk {
            args.extend(["--chunk-rows", c]);
        }
        let out = driftscope(&args, d);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let result: MonitoringResult =
            read_artifact(&d.join(artifacts).join("batches/b/monitoring_result.json")).unwrap();
        (result, String::from_utf8_lossy(&out.stderr).to_string())
    };
    // Streamed in chunks (of an odd size) or read whole: byte-identical artifacts.
    let (whole, _) = run("w", "b.csv", None);
    let (_, log) = run("s", "b.csv", Some("1234"));
    assert!(log.contains("in 8 chunks"), "{log}");
    assert_eq!(files(&d.join("w")), files(&d.join("s")));
    assert_eq!(whole.rows, 9000);
    assert_eq!(whole.data_quality.extra_columns, vec!["note".to_string()]);
    assert!(whole.data_quality.unseen_categories["PaymentMethod"]["Cheque"] == 40);

    // Logged predictions: the same statistics as scoring every row, and no skew.
    let (whole, _) = run("c", "clean.csv", None);
    let (logged, _) = run("l", "scored.csv", None);
    let (logged_s, _) = run("ls", "scored.csv", Some("2000"));
    assert_eq!(files(&d.join("l")), files(&d.join("ls")));
    let (p, q) = (
        logged.prediction_drift.clone().unwrap(),
        whole.prediction_drift.clone().unwrap(),
    );
    assert_eq!((p.source.as_str(), q.source.as_str()), ("logged", "model"));
    assert_eq!((p.psi, p.mean_probability), (q.psi, q.mean_probability));
    assert_eq!((p.skew_rows_checked, p.skew_rows_differing), (1000, 0));
    assert_eq!(logged.performance, whole.performance);
    assert_eq!(logged_s.alerts, logged.alerts);
    assert!(logged.data_quality.extra_columns.is_empty());

    // Logged predictions from another model: a high data-quality alert naming serving skew.
    let text = std::fs::read_to_string(d.join("scored.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for l in lines.iter_mut().skip(4000).take(900) {
        let (head, p) = l.rsplit_once(',').unwrap();
        let p: f64 = p.parse().unwrap();
        *l = format!("{head},{}", (p * 0.5 + 0.25).min(1.0));
    }
    std::fs::write(d.join("skewed.csv"), lines.join("\n") + "\n").unwrap();
    let (skewed, _) = run("k", "skewed.csv", None);
    let p = skewed.prediction_drift.unwrap();
    assert_eq!(p.skew_rows_checked, 1000);
    assert!(p.skew_rows_differing > 50, "{}", p.skew_rows_differing);
    let alert = skewed
        .alerts
        .iter()
        .find(|a| a.reason.contains("serving skew"))
        .expect("a serving-skew alert");
    assert_eq!(alert.severity, driftscope_artifacts::AlertSeverity::High);

    // A logged probability outside [0, 1] names its row, in a streamed chunk too.
    lines[7001] = format!("{},1.5", lines[7001].rsplit_once(',').unwrap().0);
    std::fs::write(d.join("bad.csv"), lines.join("\n") + "\n").unwrap();
    for chunk in [None, Some("3000")] {
        let mut args = vec![
            "monitor",
            "--batch",
            "bad.csv",
            "--artifacts",
            "a",
            "--config",
            "c.yaml",
        ];
        if let Some(c) = chunk {
            args.extend(["--chunk-rows", c]);
        }
        let out = driftscope(&args, d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("bad.csv: row 7001, column \"prediction\"") && err.contains("1.5"),
            "{err}"
        );
    }
}

/// Retrain on the scenario's batches: both models fall below performance.min_auc on the newest
/// rows, so the comparison says `investigate` and names the blocker; promote refuses the
/// challenger unless --force, records the change, and rollback walks it back.
fn retrain_promote_and_rollback(dir: &Path, scenario: &Scenario) {
    let a = dir.join("a");
    let files: Vec<String> = scenario
        .batches
        .iter()
        .map(|b| format!("sim/{}", b.file))
        .collect();
    let mut args = vec!["retrain", "--artifacts", "a", "--data"];
    args.extend(files.iter().map(String::as_str));
    let out = ok(driftscope(&args, dir));
    assert!(out.contains("recommendation investigate"), "{out}");
    assert!(
        out.contains("neither model is fit for these customers"),
        "{out}"
    );
    let comparisons: Vec<_> = std::fs::read_dir(a.join("model_comparisons"))
        .unwrap()
        .collect();
    assert_eq!(comparisons.len(), 1);
    let c: driftscope_artifacts::ModelComparison =
        read_artifact(&comparisons[0].as_ref().unwrap().path()).unwrap();
    let b = c.bootstrap.as_ref().unwrap();
    assert!(b.lower <= c.challenger_score - c.champion_score, "{c:?}");
    assert!(b.upper >= c.challenger_score - c.champion_score, "{c:?}");
    assert_eq!(c.floor, Some(0.70));
    assert!(!c.promoted && c.challenger_score < 0.70, "{c:?}");
    let champion: driftscope_artifacts::Champion =
        read_artifact(&a.join("models/champion.json")).unwrap();
    assert_eq!(champion.model_version, c.champion);

    // promote: unknown version and a model below the floor are refused; --force overrides.
    let out = driftscope(&["promote", "m-nope", "--artifacts", "a"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    let out = driftscope(&["promote", &c.challenger, "--artifacts", "a"], dir);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("below performance.min_auc") && err.contains("--force"),
        "{err}"
    );
    let out = ok(driftscope(
        &["promote", &c.challenger, "--artifacts", "a", "--force"],
        dir,
    ));
    assert!(out.contains("(forced)"), "{out}");
    let champion: driftscope_artifacts::Champion =
        read_artifact(&a.join("models/champion.json")).unwrap();
    assert_eq!(champion.model_version, c.challenger);

    // rollback returns to the trained champion (which clears the floor on its holdout); a
    // second rollback has nowhere to go.
    let out = ok(driftscope(&["rollback", "--artifacts", "a"], dir));
    assert!(
        out.contains(&format!(
            "rollback: champion {} -> {}",
            c.challenger, c.champion
        )),
        "{out}"
    );
    let champion: driftscope_artifacts::Champion =
        read_artifact(&a.join("models/champion.json")).unwrap();
    assert_eq!(champion.model_version, c.champion);
    let out = driftscope(&["rollback", "--artifacts", "a"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no earlier champion"));
    let h: driftscope_artifacts::ModelHistory =
        read_artifact(&a.join("models/history.json")).unwrap();
    let changes: Vec<&str> = h.changes.iter().map(|c| c.change.as_str()).collect();
    assert_eq!(changes, ["train", "promote", "rollback"]);
}
