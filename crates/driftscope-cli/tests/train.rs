//! End-to-end `driftscope train`: the real binary, its artifacts, exit codes and messages.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use std::path::{Path, PathBuf};

use driftscope_artifacts::{
    read_artifact, BaselineMetrics, Champion, Config, ModelArtifact, ReferenceProfile,
    TrainingManifest,
};
use driftscope_data::{generate_telco_csv, Table};
use driftscope_performance::roc_auc;
use driftscope_training::{predict_proba, train};

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if dir.exists() {
        for e in walk(dir) {
            out.push((
                e.strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(&e).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

fn write_config(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("config.yaml");
    std::fs::write(&p, format!("model:\n  n_trees: 15\n{extra}")).unwrap();
    p
}

#[test]
fn train_on_generated_data_writes_every_artifact_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "");
    let cfg = cfg.to_str().unwrap();
    let out = driftscope(
        &["train", "--config", cfg, "--artifacts", "a", "--seed", "5"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("generated Telco-like rows"), "{stderr}");
    let champion: Champion = read_artifact(&dir.path().join("a/models/champion.json")).unwrap();
    let mdir = dir.path().join("a/models").join(&champion.model_version);
    let model: ModelArtifact = read_artifact(&mdir.join("model.json")).unwrap();
    let baseline: BaselineMetrics = read_artifact(&mdir.join("baseline_metrics.json")).unwrap();
    let profile: ReferenceProfile = read_artifact(&mdir.join("reference_profile.json")).unwrap();
    let manifest: TrainingManifest = read_artifact(&mdir.join("training_manifest.json")).unwrap();
    assert!(mdir.join("reference_sample.json").exists());
    assert_eq!(model.forest.trees.len(), 15);
    assert_eq!(manifest.seed, 5);
    assert_eq!(manifest.data.generator_seed, Some(5));
    assert_eq!(manifest.data.path, None);
    assert_eq!(profile.features.len(), 19);
    let auc = baseline.holdout.auc.unwrap();
    assert!(auc > 0.75, "generated-data AUC {auc}");
    // Same command in another folder: byte-identical artifacts.
    let first = snapshot(&dir.path().join("a"));
    let out = driftscope(
        &["train", "--config", cfg, "--artifacts", "b", "--seed", "5"],
        dir.path(),
    );
    assert!(out.status.success());
    assert_eq!(first, snapshot(&dir.path().join("b")));
    // Re-training into the same folder replaces the model folder cleanly.
    let out = driftscope(
        &["train", "--config", cfg, "--artifacts", "a", "--seed", "5"],
        dir.path(),
    );
    assert!(out.status.success());
    assert_eq!(first, snapshot(&dir.path().join("a")));
}

#[test]
fn bad_inputs_exit_2_with_clear_message_and_leave_artifacts_alone() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "");
    let cfg = cfg.to_str().unwrap();
    let ok = driftscope(&["train", "--config", cfg, "--artifacts", "a"], dir.path());
    assert!(ok.status.success());
    let before = snapshot(&dir.path().join("a"));

    let good = String::from_utf8(generate_telco_csv(300, 1)).unwrap();
    let mut cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("empty.csv", String::new(), vec!["empty.csv", "empty"]),
        (
            "header.csv",
            good.lines().next().unwrap().to_string() + "\n",
            vec!["header.csv", "no data rows"],
        ),
        (
            "notarget.csv",
            good.replace(",Churn\n", ",Outcome\n"),
            vec!["notarget.csv", "no column \"Churn\""],
        ),
    ];
    // Text in a numeric column at data row 200.
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[200].split(',').map(String::from).collect();
    cells[18] = "abc".into();
    lines[200] = cells.join(",");
    cases.push((
        "text.csv",
        lines.join("\n") + "\n",
        vec!["text.csv", "row 200", "\"MonthlyCharges\"", "abc"],
    ));
    // A third target label.
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let head = lines[10].rsplit_once(',').unwrap().0.to_string();
    lines[10] = format!("{head},Maybe");
    cases.push((
        "label.csv",
        lines.join("\n") + "\n",
        vec!["label.csv", "row 10", "third label \"Maybe\""],
    ));
    for (name, content, expect) in cases {
        std::fs::write(dir.path().join(name), content).unwrap();
        let out = driftscope(
            &["train", "--data", name, "--config", cfg, "--artifacts", "a"],
            dir.path(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        for e in expect {
            assert!(stderr.contains(e), "{name}: expected {e:?} in {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            before,
            snapshot(&dir.path().join("a")),
            "{name} changed the artifacts"
        );
    }
    // Missing file, bad config.
    let out = driftscope(
        &["train", "--data", "nope.csv", "--artifacts", "a"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.csv"));
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "data_drift:\n  psi_threshold: -1\n").unwrap();
    let out = driftscope(
        &[
            "train",
            "--config",
            bad.to_str().unwrap(),
            "--artifacts",
            "a",
        ],
        dir.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("bad.yaml") && stderr.contains("data_drift.psi_threshold"),
        "{stderr}"
    );
    assert_eq!(before, snapshot(&dir.path().join("a")));
}

#[test]
fn real_file_quality_and_generator_realism() {
    let Some(path) = real_telco_for("real_file_quality_and_generator_realism") else {
        return;
    };
    let real = Table::read(&path).unwrap();
    let config = Config::default();
    let r = train(&real, &config, 42, &Default::default()).unwrap();
    let real_auc = roc_auc(&r.holdout_labels, &r.holdout_probabilities)
        .unwrap()
        .unwrap();
    assert!(real_auc >= 0.82, "real-data holdout AUC {real_auc}");
    let generated = Table::from_csv_bytes("gen", generate_telco_csv(7043, 42)).unwrap();
    let g = train(&generated, &config, 42, &Default::default()).unwrap();
    let gen_auc = roc_auc(&g.holdout_labels, &g.holdout_probabilities)
        .unwrap()
        .unwrap();
    assert!(
        (gen_auc - real_auc).abs() <= 0.1,
        "generated {gen_auc} vs real {real_auc}"
    );
    // The model trained on generated data also ranks real customers.
    let cross = predict_proba(&g.model, &real).unwrap();
    let (labels, _) = real.binary_target("Churn", "Yes", None).unwrap();
    let cross_auc = roc_auc(&labels, &cross).unwrap().unwrap();
    assert!(
        cross_auc >= real_auc - 0.1,
        "generated model on real data: {cross_auc}"
    );
}

/// A `train` killed between moving the old model folder aside and renaming the new one in
/// leaves `models/.old-<version>` and a staging folder; the next run under the lock puts the
/// folder back and clears the rest, and a read-only command names what happened meanwhile.
#[test]
fn train_killed_between_renames_is_recovered_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = write_config(d, "");
    let config = config.to_str().unwrap();
    let run = |args: &[&str]| driftscope(args, d);
    ok(run(&[
        "train",
        "--config",
        config,
        "--artifacts",
        "a",
        "--seed",
        "3",
    ]));
    let champion: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("a/models/champion.json")).unwrap()).unwrap();
    let version = champion["model_version"].as_str().unwrap().to_string();
    let models = d.join("a/models");
    let before = snapshot(&models.join(&version));
    // The state at the kill: old folder aside, new one still staged.
    std::fs::rename(
        models.join(&version),
        models.join(format!(".old-{version}")),
    )
    .unwrap();
    std::fs::create_dir_all(models.join(format!(".staging-{version}"))).unwrap();
    std::fs::write(models.join(format!(".staging-{version}/model.json")), b"{").unwrap();
    let out = run(&[
        "score",
        "--batch",
        "nothing.csv",
        "--out",
        "s.csv",
        "--artifacts",
        "a",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("interrupted") && stderr.contains(&version),
        "{stderr}"
    );
    std::fs::write(d.join("b.csv"), driftscope_data::generate_telco_csv(300, 5)).unwrap();
    ok(run(&[
        "monitor",
        "--batch",
        "b.csv",
        "--artifacts",
        "a",
        "--config",
        config,
    ]));
    assert_eq!(snapshot(&models.join(&version)), before);
    assert!(!models.join(format!(".old-{version}")).exists());
    assert!(!models.join(format!(".staging-{version}")).exists());
    // Killed after the second rename: the aside copy is stale and removed.
    std::fs::create_dir_all(models.join(format!(".old-{version}"))).unwrap();
    ok(run(&[
        "train",
        "--config",
        config,
        "--artifacts",
        "a",
        "--seed",
        "3",
    ]));
    assert!(!models.join(format!(".old-{version}")).exists());
    assert_eq!(snapshot(&models.join(&version)), before);
}
