//! Helpers shared by the integration tests: run the real binary, find the real Telco file.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `driftscope` binary in `cwd`.
pub fn driftscope(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_driftscope"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Asserts success and returns stdout.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Reports a skipped test where `cargo test` shows it (written to the process's stderr, which
/// the test harness does not capture), or fails it when the environment variable `require`
/// is set (CI sets `DRIFTSCOPE_REQUIRE_REAL_DATA` and `DRIFTSCOPE_REQUIRE_BROWSER`).
pub fn skip(test: &str, why: &str, require: &str) {
    if std::env::var_os(require).is_some() {
        panic!("{test}: {why}, and {require} is set");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// The real Telco file, where CI and developers have it; `None` (and a visible skip of
/// `test`) when absent.
pub fn real_telco_for(test: &str) -> Option<PathBuf> {
    let found = real_telco();
    if found.is_none() {
        skip(
            test,
            "the real Telco file is not in data/ or ../shared/data/",
            "DRIFTSCOPE_REQUIRE_REAL_DATA",
        );
    }
    found
}

/// The real Telco file, where CI and developers have it.
pub fn real_telco() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        root.join("../shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
        root.join("data/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
    ]
    .into_iter()
    .find(|p| p.exists())
    .map(|p| p.canonicalize().unwrap())
}

/// `train` then `simulate` into `a/` and `sim/` under `dir`; `config` is passed to both when
/// given, `sim_args` to `simulate` only. Returns the scenario.
pub fn train_and_simulate(
    dir: &Path,
    data: &str,
    config: Option<&str>,
    sim_args: &[&str],
) -> driftscope_artifacts::Scenario {
    let cfg: Vec<&str> = config.map_or_else(Vec::new, |c| vec!["--config", c]);
    let mut train = vec!["train", "--data", data, "--artifacts", "a"];
    train.extend(&cfg);
    ok(driftscope(&train, dir));
    let mut sim = vec!["simulate", "--data", data, "--out", "sim"];
    sim.extend(sim_args);
    sim.extend(&cfg);
    ok(driftscope(&sim, dir));
    driftscope_artifacts::read_artifact(&dir.join("sim/scenario.json")).unwrap()
}

/// Monitors every scenario batch in order, at its timestamp; returns the results.
pub fn monitor_all(
    dir: &Path,
    scenario: &driftscope_artifacts::Scenario,
    config: Option<&str>,
) -> Vec<driftscope_artifacts::MonitoringResult> {
    let mut results = Vec::new();
    for b in &scenario.batches {
        let file = format!("sim/{}", b.file);
        let mut args = vec![
            "monitor",
            "--batch",
            &file,
            "--timestamp",
            &b.timestamp,
            "--artifacts",
            "a",
        ];
        if let Some(c) = config {
            args.extend(["--config", c]);
        }
        ok(driftscope(&args, dir));
        results.push(
            driftscope_artifacts::read_artifact(
                &dir.join("a/batches")
                    .join(&b.batch_id)
                    .join("monitoring_result.json"),
            )
            .unwrap(),
        );
    }
    results
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A local webhook at `http://127.0.0.1:PORT/services/T000/B000/secret` that answers 200 and
/// keeps the bodies it received, in order.
pub fn webhook_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/services/T000/B000/secret",
        listener.local_addr().unwrap()
    );
    let bodies = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&bodies);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).to_string());
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    (url, bodies)
}

/// Runs the `driftscope` binary in `cwd` with `env` set, killing it (and failing the test)
/// when it runs longer than `limit`: a hang is a finding, never a stuck test run.
pub fn driftscope_within(
    args: &[&str],
    cwd: &Path,
    env: &[(&str, &str)],
    limit: std::time::Duration,
) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_driftscope"))
        .args(args)
        .current_dir(cwd)
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_named(child, limit, &format!("driftscope {args:?}"))
}

/// Waits for `child` (its stderr piped, stdout not), killing it and failing the test after
/// `limit`.
pub fn wait_within(child: std::process::Child, limit: std::time::Duration) -> Output {
    wait_named(child, limit, "the child")
}

/// Reads a pipe to its end on a thread (`None`: nothing to read).
fn drain<R: std::io::Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut v);
        }
        v
    })
}

/// Waits for `child`, draining its piped outputs on threads (so a chatty child never blocks on
/// a full pipe); kills it and fails the test, naming `what`, after `limit`.
fn wait_named(mut child: std::process::Child, limit: std::time::Duration, what: &str) -> Output {
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} ran longer than {limit:?} (killed)");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// The repository's `templates/` folder, for `report --templates`.
pub fn templates() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../templates")
        .canonicalize()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}
