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
