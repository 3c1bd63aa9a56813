//! `driftscope profile` end to end: the drift report from a batch's profile (read whole or
//! streamed in chunks) is byte-identical to the report from its rows, on shifted generated data
//! and on simulated demo batches; bad arguments and broken profiles exit 2 with a clear message.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use std::path::Path;

use driftscope_data::generate_telco_csv;

/// `drift --reference ref --current cur` and the same from `profile` of `cur` (whole, and in
/// chunks of 300 rows): the three JSON reports, byte for byte.
fn reports(dir: &Path, reference: &str, current: &str) -> [Vec<u8>; 3] {
    let drift = |args: &[&str]| {
        let mut a = vec!["drift", "--reference", reference, "--format", "json"];
        a.extend(args);
        let out = driftscope(&a, dir);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let rows = drift(&["--current", current]);
    let mut got = Vec::new();
    for chunk in [None, Some("300")] {
        let mut p = vec!["profile", "--reference", reference, "--batch", current];
        p.extend(["--out", "p.json"]);
        if let Some(c) = chunk {
            p.extend(["--chunk-rows", c]);
        }
        ok(driftscope(&p, dir));
        got.push(drift(&["--current-profile", "p.json"]));
    }
    [rows, got.remove(0), got.remove(0)]
}

#[test]
fn report_from_a_profile_equals_report_from_rows() {
    let dir = tempfile::tempdir().unwrap();
    let csv = String::from_utf8(generate_telco_csv(3000, 11)).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let col = header
        .split(',')
        .position(|h| h == "MonthlyCharges")
        .unwrap();
    let rows: Vec<&str> = lines.collect();
    let (a, b) = rows.split_at(1500);
    let shifted: Vec<String> = b
        .iter()
        .map(|r| {
            let mut cells: Vec<String> = r.split(',').map(String::from).collect();
            if let Ok(v) = cells[col].parse::<f64>() {
                cells[col] = format!("{}", (v * 1.3 * 100.0).round() / 100.0);
            }
            cells.join(",")
        })
        .collect();
    let write = |name: &str, body: &[String]| {
        std::fs::write(
            dir.path().join(name),
            format!("{header}\n{}\n", body.join("\n")),
        )
        .unwrap();
    };
    write(
        "ref.csv",
        &a.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    write("cur.csv", &shifted);
    let [rows, whole, chunked] = reports(dir.path(), "ref.csv", "cur.csv");
    let report: serde_json::Value = serde_json::from_slice(&rows).unwrap();
    assert!(
        report["drifted_features"]
            .to_string()
            .contains("MonthlyCharges"),
        "the shift is seen: {}",
        report["drifted_features"]
    );
    assert!(
        rows == whole,
        "report from the profile differs from the rows'"
    );
    assert!(rows == chunked, "report from the chunked profile differs");
}

#[test]
fn demo_batches_report_the_same_from_profiles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data.csv"), generate_telco_csv(3000, 5)).unwrap();
    let scenario = train_and_simulate(dir.path(), "data.csv", None, &["--batches", "3"]);
    for b in &scenario.batches {
        let file = format!("sim/{}", b.file);
        let [rows, whole, chunked] = reports(dir.path(), "data.csv", &file);
        assert!(rows == whole && rows == chunked, "batch {}", b.batch_id);
    }
    // Against the champion's reference too: the profile of a batch holds every model feature.
    let out = ok(driftscope(
        &[
            "profile",
            "--artifacts",
            "a",
            "--batch",
            "sim/batch-01.csv",
            "--out",
            "c.json",
        ],
        dir.path(),
    ));
    assert!(out.contains("written to c.json"), "{out}");
}

#[test]
fn bad_arguments_and_broken_profiles_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("ref.csv"), generate_telco_csv(400, 3)).unwrap();
    std::fs::write(d.join("cur.csv"), generate_telco_csv(400, 4)).unwrap();
    let fails = |args: &[&str], want: &str| {
        let out = driftscope(args, d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    };
    let base = ["profile", "--reference", "ref.csv", "--batch", "cur.csv"];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    fails(
        &with(&["--out", "p.json", "--engine", "spark"]),
        "--engine spark",
    );
    std::fs::write(d.join("notes.txt"), "mine").unwrap();
    fails(&with(&["--out", "notes.txt"]), "not a batch profile");
    assert_eq!(
        std::fs::read_to_string(d.join("notes.txt")).unwrap(),
        "mine"
    );
    fails(&with(&["--out", "cur.csv"]), "is an input file");
    // Past a tiny cap the numerical columns are binned: PSI exact, KS bounded.
    ok(driftscope(
        &with(&["--out", "small.json", "--value-cap", "5"]),
        d,
    ));
    let drift = [
        "drift",
        "--reference",
        "ref.csv",
        "--format",
        "json",
        "--current-profile",
    ];
    let mut a = drift.to_vec();
    a.push("small.json");
    let bounded: serde_json::Value = serde_json::from_str(&ok(driftscope(&a, d))).unwrap();
    let rows: serde_json::Value = serde_json::from_str(&ok(driftscope(
        &[
            "drift",
            "--reference",
            "ref.csv",
            "--current",
            "cur.csv",
            "--format",
            "json",
        ],
        d,
    )))
    .unwrap();
    let monthly = |r: &serde_json::Value| {
        r["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "MonthlyCharges")
            .cloned()
            .unwrap()
    };
    let (b, r) = (monthly(&bounded), monthly(&rows));
    assert_eq!(b["psi"], r["psi"]);
    assert!(b["ks"].is_null());
    let ks = &b["bounded"]["ks_statistic"];
    let exact = r["ks"]["statistic"].as_f64().unwrap();
    assert!(ks["lower"].as_f64().unwrap() <= exact && exact <= ks["upper"].as_f64().unwrap());
    assert_eq!(ks["exactness"], "bounded");
    // A profile whose counts do not add up is refused naming the field.
    ok(driftscope(&with(&["--out", "p.json"]), d));
    let text = std::fs::read_to_string(d.join("p.json")).unwrap();
    let broken = text.replacen("\"nulls\": 0", "\"nulls\": 7", 1);
    std::fs::write(d.join("broken.json"), broken).unwrap();
    let mut a = drift.to_vec();
    a.push("broken.json");
    fails(&a, "columns[0]");
}
