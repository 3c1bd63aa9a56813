//! One monitor run is one transaction: a run that fails at any point leaves every artifact
//! byte-identical and delivers nothing; alerts go to the webhook only after the commit, and a
//! batch monitored again is not delivered twice.
#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use std::path::Path;

/// A trained champion in `a/`, a config posting to `url`, and a batch `bad.csv` whose
/// MonthlyCharges are all far outside the trained range (so alerts fire).
fn setup(dir: &Path, url: &str) {
    std::fs::write(
        dir.join("c.yaml"),
        format!("alerts:\n  webhook_url: \"{url}\"\n  webhook_retries: 0\n"),
    )
    .unwrap();
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        dir,
    ));
    ok(driftscope(
        &["generate", "--rows", "400", "--seed", "5", "--out", "b.csv"],
        dir,
    ));
    let csv = std::fs::read_to_string(dir.join("b.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let col = header
        .split(',')
        .position(|c| c == "MonthlyCharges")
        .unwrap();
    let mut out = format!("{header}\n");
    for line in lines {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[col] = "999.5";
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    std::fs::write(dir.join("bad.csv"), out).unwrap();
}

fn monitor(dir: &Path, id: &str) -> std::process::Output {
    driftscope(
        &[
            "monitor",
            "--batch",
            "bad.csv",
            "--batch-id",
            id,
            "--timestamp",
            "2026-01-05T00:00:00Z",
            "--artifacts",
            "a",
            "--config",
            "c.yaml",
        ],
        dir,
    )
}

#[test]
fn failed_runs_change_nothing_and_send_nothing_and_reruns_do_not_resend() {
    let dir = tempfile::tempdir().unwrap();
    let (url, count) = webhook_server();
    setup(dir.path(), &url);
    let a = dir.path().join("a");

    // First run: committed, then delivered once.
    ok(monitor(dir.path(), "week-01"));
    assert_eq!(
        count.lock().unwrap().len(),
        1,
        "one delivery after the commit"
    );
    let result = std::fs::read_to_string(a.join("batches/week-01/monitoring_result.json")).unwrap();
    assert!(result.contains("\"delivered\": true"), "{result}");
    assert!(
        !result.contains("secret"),
        "the webhook URL leaked: {result}"
    );

    // The same batch again: same alerts, already delivered, so not sent again.
    ok(monitor(dir.path(), "week-01"));
    assert_eq!(count.lock().unwrap().len(), 1, "a re-run must not resend");

    // A corrupt history (read after the batch and the other histories): nothing changes.
    std::fs::write(a.join("retraining_history.json"), b"{ not json").unwrap();
    let before = files(&a);
    let out = monitor(dir.path(), "week-02");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("retraining_history.json"), "{err}");
    assert_eq!(files(&a), before, "a failed run changed artifacts");
    assert_eq!(count.lock().unwrap().len(), 1, "a failed run sent alerts");
    std::fs::remove_file(a.join("retraining_history.json")).unwrap();

    // A write that fails (the batch folder's place is taken by a file): nothing changes.
    std::fs::write(a.join("batches/week-03"), b"in the way").unwrap();
    let before = files(&a);
    let out = monitor(dir.path(), "week-03");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("week-03"), "{err}");
    assert_eq!(files(&a), before, "a failed write changed artifacts");
    assert_eq!(count.lock().unwrap().len(), 1, "a failed run sent alerts");
}
