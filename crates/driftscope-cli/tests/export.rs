//! `driftscope export --format prometheus`: the exposition text is accepted by `promtool check
//! metrics` (Debian's prometheus package; CI installs it and sets DRIFTSCOPE_REQUIRE_PROMTOOL),
//! carries the latest batch's drift, performance and incidents, and `--out` only ever replaces
//! an earlier export.
#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use std::io::Write;
use std::process::{Command, Stdio};

/// `promtool check metrics` on `text`: `None` when promtool is not installed.
fn promtool(text: &str) -> Option<(bool, String)> {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.success(), said))
}

fn value(text: &str, series: &str) -> f64 {
    let line = text
        .lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"));
    line.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn export_of_the_demo_is_valid_prometheus_and_never_overwrites_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Before any batch: a clear error, exit 2.
    ok(driftscope(&["train", "--artifacts", "a"], d));
    let out = driftscope(&["export", "--artifacts", "a"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no monitored batch yet"));

    let csv = driftscope_data::generate_telco_csv(7043, 42);
    std::fs::write(d.join("telco.csv"), csv).unwrap();
    std::fs::remove_dir_all(d.join("a")).unwrap();
    let scenario = train_and_simulate(d, "telco.csv", None, &[]);
    let results = monitor_all(d, &scenario, None);
    let last = results.last().unwrap();
    let text = ok(driftscope(&["export", "--artifacts", "a"], d));

    // Every sample line is `name{labels} value` of a declared gauge.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let name = line.split(['{', ' ']).next().unwrap();
        assert!(
            text.contains(&format!("# TYPE {name} gauge")),
            "undeclared {name}"
        );
    }
    let realized = value(&text, "driftscope_auc{kind=\"realized\"}");
    assert!((realized - last.performance.as_ref().unwrap().auc.unwrap()).abs() < 1e-12);
    let psi = last
        .data_drift
        .features
        .iter()
        .find(|f| f.name == "Contract")
        .unwrap()
        .psi
        .unwrap();
    assert!((value(&text, "driftscope_feature_psi{feature=\"Contract\"}") - psi).abs() < 1e-12);
    assert!(text.contains(&format!("batch_id=\"{}\"", last.batch_id)));
    assert_eq!(value(&text, "driftscope_batches_monitored"), 5.0);

    check_dashboard(&text);

    match promtool(&text) {
        Some((valid, said)) => assert!(valid, "promtool refused the export: {said}\n{text}"),
        None => skip(
            "export_of_the_demo_is_valid_prometheus",
            "promtool is not installed (apt-get install prometheus)",
            "DRIFTSCOPE_REQUIRE_PROMTOOL",
        ),
    }

    // --out: written atomically, replaced by the next export, never over a foreign file.
    ok(driftscope(
        &["export", "--artifacts", "a", "--out", "m.prom"],
        d,
    ));
    assert_eq!(
        std::fs::read_to_string(d.join("m.prom"))
            .unwrap()
            .trim_end(),
        text.trim_end()
    );
    ok(driftscope(
        &["export", "--artifacts", "a", "--out", "m.prom"],
        d,
    ));
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    let out = driftscope(&["export", "--artifacts", "a", "--out", "notes.txt"], d);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.txt") && err.contains("refusing"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "mine"
    );
}

/// Every metric the shipped Grafana dashboard queries is one the export defines.
fn check_dashboard(text: &str) {
    let dashboard = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../contrib/grafana/driftscope-dashboard.json"),
    )
    .unwrap();
    let mut queried = 0;
    for word in dashboard.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("driftscope_") {
            queried += 1;
            assert!(
                text.contains(&format!("# TYPE {word} gauge")),
                "dashboard queries {word}"
            );
        }
    }
    assert!(
        queried >= 10,
        "{queried} metric references in the dashboard"
    );
}
