//! One monitor run is one transaction: a run that fails at any point leaves every artifact
//! byte-identical and delivers nothing; alerts go to the webhook only after the commit, and a
//! batch monitored again is not delivered twice.
#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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

/// A local webhook that answers every request with `status` (and a `Location` pointing at
/// another host, for redirects); counts the requests.
fn answering(status: &'static str) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            seen.fetch_add(1, Ordering::SeqCst);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nLocation: http://other.invalid/x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (addr, count)
}

/// Every file under `dirs` whose bytes contain one of `secrets`, with the secret found.
fn leaks(dirs: &[&Path], secrets: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for dir in dirs {
        for (path, bytes) in files(dir) {
            let text = String::from_utf8_lossy(&bytes);
            for s in secrets {
                if text.contains(s) {
                    found.push(format!("{}: {s}", dir.join(&path).display()));
                }
            }
        }
    }
    found
}

/// After failed deliveries (an HTTP 500 and a 302 redirect to another host, both from a URL
/// with `user:password@` and a secret path token), neither the password nor the token is in
/// any file under the artifacts folder, the logs folder (at DEBUG) or the rendered site, nor
/// on stdout or stderr; the deliveries are recorded as failed with host and status.
#[test]
fn failed_deliveries_leave_no_secret_in_artifacts_logs_or_site() {
    const TOKEN: &str = "XOXBSECRETTOKEN42";
    const PASSWORD: &str = "hunter2pw";
    for (status, code) in [("500 Internal Server Error", "500"), ("302 Found", "302")] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (addr, count) = answering(status);
        let url = format!("http://alice:{PASSWORD}@{addr}/services/T0/B0/{TOKEN}?k={TOKEN}");
        setup(d, &url);
        let run = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_driftscope"))
                .args(args)
                .current_dir(d)
                .env("DRIFTSCOPE_LOG", "debug")
                .output()
                .unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "{args:?}: {all}");
            for s in [TOKEN, PASSWORD] {
                assert!(!all.contains(s), "{args:?} printed {s}: {all}");
            }
        };
        run(&[
            "monitor",
            "--batch",
            "bad.csv",
            "--batch-id",
            "week-01",
            "--timestamp",
            "2026-01-05T00:00:00Z",
            "--artifacts",
            "a",
            "--config",
            "c.yaml",
        ]);
        assert_eq!(count.load(Ordering::SeqCst), 1, "{status}: one attempt");
        let t = templates();
        run(&[
            "report",
            "--artifacts",
            "a",
            "--out",
            "site",
            "--templates",
            &t,
        ]);
        assert!(d.join("site/index.html").is_file());
        assert!(d.join("logs").is_dir(), "no log folder to grep");
        let found = leaks(
            &[&d.join("a"), &d.join("logs"), &d.join("site")],
            &[TOKEN, PASSWORD],
        );
        assert!(found.is_empty(), "{status}: secrets in {found:#?}");
        let result =
            std::fs::read_to_string(d.join("a/batches/week-01/monitoring_result.json")).unwrap();
        assert!(result.contains("\"delivered\": false"), "{result}");
        let recorded = format!("webhook {addr}: HTTP status {code}");
        assert!(result.contains(&recorded), "{recorded} not in {result}");
        assert!(!result.contains("other.invalid"), "{result}");
    }
}
