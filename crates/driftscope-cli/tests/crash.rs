//! Crash safety (issue 6): `monitor` killed (SIGKILL) at seeded random points leaves every
//! artifact either as it was or fully updated, never half-written or lost; a re-run then gives
//! exactly the artifacts of an uninterrupted run.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design
#![allow(clippy::too_many_lines)] // end-to-end tests walk through many steps

mod common;

use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Artifact files (temporary files left by a killed writer are listed apart).
fn snapshot(dir: &Path) -> (BTreeMap<PathBuf, Vec<u8>>, Vec<PathBuf>) {
    let (mut files, mut temps) = (BTreeMap::new(), Vec::new());
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
        // Temporary files and the commit journal are what a kill during the commit leaves for
        // the next run to complete; the re-run must clear them.
        let name = e.file_name().to_string_lossy();
        if name.starts_with(".tmp-") || name == ".driftscope-journal.json" {
            temps.push(rel);
        } else {
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    (files, temps)
}

fn restore(files: &BTreeMap<PathBuf, Vec<u8>>, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    for (rel, bytes) in files {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

fn monitor_cmd(d: &Path, artifacts: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_driftscope"));
    c.args([
        "monitor",
        "--batch",
        "b2.csv",
        "--artifacts",
        artifacts,
        "--config",
        "c.yaml",
        "--timestamp",
        "2026-02-08T00:00:00Z",
    ])
    .current_dir(d)
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null());
    c
}

#[test]
fn killed_monitor_leaves_artifacts_before_or_after() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.yaml"), "model:\n  n_trees: 12\n").unwrap();
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        d,
    ));
    std::fs::write(
        d.join("b1.csv"),
        driftscope_data::generate_telco_csv(600, 7),
    )
    .unwrap();
    std::fs::write(
        d.join("b2.csv"),
        driftscope_data::generate_telco_csv(20_000, 9),
    )
    .unwrap();
    ok(driftscope(
        &[
            "monitor",
            "--batch",
            "b1.csv",
            "--artifacts",
            "a",
            "--config",
            "c.yaml",
            "--timestamp",
            "2026-02-01T00:00:00Z",
        ],
        d,
    ));
    let (before, _) = snapshot(&d.join("a"));
    // The uninterrupted run, and how long it takes.
    restore(&before, &d.join("full"));
    let start = Instant::now();
    assert!(monitor_cmd(d, "full").status().unwrap().success());
    let took = start.elapsed();
    let (after, temps) = snapshot(&d.join("full"));
    assert!(temps.is_empty());
    assert!(after.len() > before.len());

    // Seeded kill points over [0.3, 1.1] of the run's length, denser near the end where the
    // writes happen.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 10_000) as f64 / 10_000.0
    };
    let trials = 24;
    let (mut untouched, mut partial, mut complete) = (0, 0, 0);
    for trial in 0..trials {
        let u = next();
        let frac = 0.3 + 0.8 * u.sqrt();
        let k = d.join(format!("k{trial}"));
        let name = format!("k{trial}");
        restore(&before, &k);
        let mut child = monitor_cmd(d, &name).spawn().unwrap();
        std::thread::sleep(Duration::from_secs_f64(took.as_secs_f64() * frac));
        let _ = child.kill();
        child.wait().unwrap();

        let (files, _temps) = snapshot(&k);
        for rel in before.keys() {
            assert!(files.contains_key(rel), "trial {trial}: {rel:?} was lost");
        }
        let mut changed = 0;
        for (rel, bytes) in &files {
            let old = before.get(rel);
            let new = after.get(rel);
            assert!(
                Some(bytes) == old || Some(bytes) == new,
                "trial {trial} (killed at {frac:.2} of the run): {rel:?} is neither the old nor \
                 the new version"
            );
            if rel.extension().is_some_and(|e| e == "json") {
                serde_json::from_slice::<serde_json::Value>(bytes).unwrap_or_else(|e| {
                    panic!("trial {trial}: {rel:?} does not parse: {e}");
                });
            }
            if Some(bytes) != old {
                changed += 1;
            }
        }
        if files == after {
            complete += 1;
        } else if changed == 0 {
            untouched += 1;
        } else {
            partial += 1;
        }
        // Re-running converges on the uninterrupted result and clears stale temporary files.
        let rerun = monitor_cmd(d, &name)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert!(
            rerun.status.success(),
            "trial {trial} (killed at {frac:.2}): the re-run failed ({:?}): {} {}",
            rerun.status,
            String::from_utf8_lossy(&rerun.stdout),
            String::from_utf8_lossy(&rerun.stderr)
        );
        let (files, temps) = snapshot(&k);
        assert!(temps.is_empty(), "trial {trial}: stale {temps:?}");
        assert!(files == after, "trial {trial}: the re-run differs");
        std::fs::remove_dir_all(&k).unwrap();
    }
    eprintln!("{trials} kills: {untouched} before any write, {partial} between writes, {complete} after the last");
    assert!(untouched > 0, "no kill landed before the writes");
}

/// Runs driftscope in `d` with the debug hook `DRIFTSCOPE_DEBUG_ABORT_AT=point` (the process
/// aborts there, as a kill would; README, "Robustness") and asserts it did abort.
fn aborted_at(d: &Path, point: &str, args: &[&str]) {
    let out = driftscope_within(
        args,
        d,
        &[(driftscope_artifacts::ABORT_AT_VAR, point)],
        Duration::from_secs(300),
    );
    assert!(
        out.status.code().is_none(),
        "{point}: expected an abort, got {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The files of the folder `models/<folder>` under `a` (empty when absent).
fn model_files(a: &Path, folder: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    site_files(&a.join("models").join(folder))
}

/// `train` aborted at each step of placing a model folder (staged, old folder moved aside,
/// new one renamed in, before the champion is written): the champion still names a model whose
/// folder is complete, or (between the two renames) the complete old folder waits as
/// `models/.old-<version>`, which read-only commands name; the next `monitor` restores it and
/// succeeds, and the next `train` ends with the uninterrupted result and no leftovers.
#[test]
fn train_aborted_between_its_renames_keeps_a_complete_model() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.yaml"), "model:\n  n_trees: 8\n").unwrap();
    std::fs::write(
        d.join("b1.csv"),
        driftscope_data::generate_telco_csv(600, 7),
    )
    .unwrap();
    let train = ["train", "--config", "c.yaml", "--artifacts", "k"];
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        d,
    ));
    let (before, _) = snapshot(&d.join("a"));
    let champion: driftscope_artifacts::Champion =
        driftscope_artifacts::read_artifact(&d.join("a/models/champion.json")).unwrap();
    let version = champion.model_version;
    let old_model = model_files(&d.join("a"), &version);
    assert!(old_model.contains_key(Path::new("model.json")));
    let monitor = [
        "monitor",
        "--batch",
        "b1.csv",
        "--artifacts",
        "k",
        "--config",
        "c.yaml",
    ];
    for point in [
        "train-staged",
        "train-aside",
        "train-placed",
        "train-before-champion",
    ] {
        let k = d.join("k");
        restore(&before, &k);
        aborted_at(d, point, &train);
        let (after, _) = snapshot(&k);
        assert_eq!(
            after.get(Path::new("models/champion.json")),
            before.get(Path::new("models/champion.json")),
            "{point}: the champion changed"
        );
        let placed = model_files(&k, &version);
        let aside = model_files(&k, &format!(".old-{version}"));
        if point == "train-aside" {
            assert!(placed.is_empty(), "{point}: {placed:?}");
            assert_eq!(
                aside, old_model,
                "{point}: the aside folder is not the old model"
            );
            // A read-only command names the folder and what happened.
            let args = [
                "score",
                "--batch",
                "b1.csv",
                "--out",
                "s.csv",
                "--artifacts",
                "k",
            ];
            let score = driftscope(&args, d);
            let err = String::from_utf8_lossy(&score.stderr);
            assert_eq!(score.status.code(), Some(2), "{err}");
            assert!(
                err.contains(&version) && err.contains("interrupted"),
                "{err}"
            );
        } else {
            assert_eq!(
                placed, old_model,
                "{point}: the model folder is not complete"
            );
        }
        // The next run that takes the lock completes what the killed one left.
        ok(driftscope(&monitor, d));
        assert_eq!(
            model_files(&k, &version),
            old_model,
            "{point}: after monitor"
        );
        ok(driftscope(&train, d));
        assert_eq!(model_files(&k, &version), old_model, "{point}: after train");
        let left: Vec<String> = std::fs::read_dir(k.join("models"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{point}: left {left:?}");
        std::fs::remove_dir_all(&k).unwrap();
    }

    // A new model (another seed) aborted before the champion is written: the old champion
    // stays, the new folder is complete, and the next train makes it champion.
    let k = d.join("k");
    restore(&before, &k);
    let seeded = [
        "train",
        "--config",
        "c.yaml",
        "--artifacts",
        "k",
        "--seed",
        "5",
    ];
    aborted_at(d, "train-before-champion", &seeded);
    let (after, _) = snapshot(&k);
    assert_eq!(
        after.get(Path::new("models/champion.json")),
        before.get(Path::new("models/champion.json"))
    );
    assert_eq!(model_files(&k, &version), old_model);
    ok(driftscope(&seeded, d));
    let now: driftscope_artifacts::Champion =
        driftscope_artifacts::read_artifact(&k.join("models/champion.json")).unwrap();
    assert_ne!(now.model_version, version);
    assert!(model_files(&k, &now.model_version).contains_key(Path::new("model.json")));
    let uninterrupted = snapshot(&k).0;
    std::fs::remove_dir_all(&k).unwrap();

    // Aborted between the history entry and champion.json: the old champion stays until the
    // next command under the lock completes the recorded change.
    restore(&before, &k);
    aborted_at(d, "champion-history-written", &seeded);
    let champion = |k: &Path| -> String {
        driftscope_artifacts::read_artifact::<driftscope_artifacts::Champion>(
            &k.join("models/champion.json"),
        )
        .unwrap()
        .model_version
    };
    assert_eq!(champion(&k), version, "champion.json was written");
    ok(driftscope(&monitor, d));
    assert_eq!(
        champion(&k),
        now.model_version,
        "the recorded change was not completed"
    );
    ok(driftscope(&seeded, d));
    let (done, _) = snapshot(&k);
    for file in ["models/champion.json", "models/history.json"] {
        assert_eq!(
            done.get(Path::new(file)),
            uninterrupted.get(Path::new(file)),
            "{file} differs from the uninterrupted run"
        );
    }
}

/// The files of a site folder (empty when absent).
fn site_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    if dir.exists() {
        files(dir).into_iter().collect()
    } else {
        BTreeMap::new()
    }
}

/// Folders in `d` that a report leaves beside `site` while it works.
fn report_leftovers(d: &Path) -> Vec<String> {
    std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".site.driftscope-staging-") || n.starts_with(".site.driftscope-old-")
        })
        .collect()
}

/// `report` aborted at each step of its swap (site staged, old site moved aside, new site
/// renamed in): `site/` is the old site byte for byte or a complete new one, or (between the
/// renames) absent with the complete old site waiting aside; the next report puts it back,
/// succeeds, and leaves no staging or aside folder.
#[test]
fn report_aborted_during_its_swap_keeps_a_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.yaml"), "model:\n  n_trees: 8\n").unwrap();
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        d,
    ));
    std::fs::write(
        d.join("b1.csv"),
        driftscope_data::generate_telco_csv(600, 7),
    )
    .unwrap();
    ok(driftscope(
        &[
            "monitor",
            "--batch",
            "b1.csv",
            "--artifacts",
            "a",
            "--config",
            "c.yaml",
        ],
        d,
    ));
    let t = templates();
    let report = [
        "report",
        "--artifacts",
        "a",
        "--out",
        "site",
        "--templates",
        &t,
    ];
    ok(driftscope(&report, d));
    let old_site = site_files(&d.join("site"));
    let names: Vec<&PathBuf> = old_site.keys().collect();
    assert!(old_site.contains_key(Path::new("index.html")), "{names:?}");
    for point in ["report-staged", "report-aside", "report-placed"] {
        restore(&old_site, &d.join("site"));
        aborted_at(d, point, &report);
        let now = site_files(&d.join("site"));
        let leftovers = report_leftovers(d);
        if now.is_empty() {
            assert_eq!(point, "report-aside", "{point}: site/ is gone");
            let aside: Vec<&String> = leftovers
                .iter()
                .filter(|n| n.starts_with(".site.driftscope-old-"))
                .collect();
            assert_eq!(aside.len(), 1, "{point}: {leftovers:?}");
            assert_eq!(
                site_files(&d.join(aside[0])),
                old_site,
                "{point}: aside site"
            );
        } else if now != old_site {
            let same_files = now.keys().eq(old_site.keys());
            assert!(
                same_files,
                "{point}: site/ is neither the old site nor a complete one"
            );
        }
        ok(driftscope(&report, d));
        let again = site_files(&d.join("site"));
        assert!(
            again.keys().eq(old_site.keys()),
            "{point}: the next report differs"
        );
        assert!(
            report_leftovers(d).is_empty(),
            "{point}: {:?}",
            report_leftovers(d)
        );
    }
}
