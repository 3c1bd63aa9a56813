//! `driftscope drift` end to end: the Telco acceptance checks, the JSON contract, edge cases,
//! and stored-profile comparisons equal to raw-file comparisons.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design
#![allow(clippy::too_many_lines)] // end-to-end tests walk through many steps

mod common;

use common::*;

use std::path::Path;

use driftscope_artifacts::{
    read_artifact, write_artifact, Config, ReferenceProfile, ReferenceSample,
};
use driftscope_data::{generate_telco_csv, Table};
use serde_json::Value;

/// Splits CSV text by row order into two halves; multiplies `scale_column` in the second.
fn halves(csv: &str, scale_column: Option<(&str, f64)>) -> (String, String) {
    let mut lines = csv.lines();
    let header = lines.next().unwrap().to_string();
    let rows: Vec<&str> = lines.collect();
    let mid = rows.len() / 2;
    let col = scale_column.map(|(name, f)| (header.split(',').position(|h| h == name).unwrap(), f));
    let first = std::iter::once(header.clone())
        .chain(rows[..mid].iter().map(|r| r.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let second = std::iter::once(header)
        .chain(rows[mid..].iter().map(|r| {
            let mut cells: Vec<String> = r.split(',').map(String::from).collect();
            if let Some((i, f)) = col {
                let v: f64 = cells[i].parse().unwrap();
                cells[i] = format!("{}", (v * f * 10000.0).round() / 10000.0);
            }
            cells.join(",")
        }))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    (first, second)
}

fn drift_json(dir: &Path, reference: &str, current: &str) -> Value {
    std::fs::write(dir.join("ref.csv"), reference).unwrap();
    std::fs::write(dir.join("cur.csv"), current).unwrap();
    let out = driftscope(
        &[
            "drift",
            "--reference",
            "ref.csv",
            "--current",
            "cur.csv",
            "--format",
            "json",
        ],
        dir,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn check_telco_halves(csv: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = halves(csv, None);
    let report = drift_json(dir.path(), &a, &b);
    for f in report["features"].as_array().unwrap() {
        let sev = f["severity"].as_str().unwrap();
        assert!(
            sev == "none" || sev == "low",
            "{} is {sev} on a random split",
            f["name"]
        );
    }
    assert_eq!(report["drifted_features"].as_array().unwrap().len(), 0);
    let (a, b) = halves(csv, Some(("MonthlyCharges", 1.3)));
    let report = drift_json(dir.path(), &a, &b);
    assert_eq!(
        report["drifted_features"],
        serde_json::json!(["MonthlyCharges"])
    );
    let mc = report["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "MonthlyCharges")
        .unwrap();
    assert_eq!(mc["drift_detected"], true);
    assert!(mc["ks"]["p_value"].as_f64().unwrap() < 1e-10);
}

#[test]
fn telco_halves_generated() {
    check_telco_halves(&String::from_utf8(generate_telco_csv(7043, 42)).unwrap());
}

#[test]
fn telco_halves_real_file() {
    let Some(path) = real_telco_for("telco_halves_real_file") else {
        return;
    };
    check_telco_halves(&std::fs::read_to_string(path).unwrap());
}

#[test]
fn json_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let csv = String::from_utf8(generate_telco_csv(800, 3)).unwrap();
    let (a, b) = halves(&csv, None);
    let r = drift_json(dir.path(), &a, &b);
    for key in [
        "kind",
        "schema_version",
        "producer",
        "reference_rows",
        "current_rows",
        "drifted_features",
        "drift_share",
        "dataset_drift",
        "excluded_columns",
        "features",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["kind"], "drift_report");
    assert_eq!(r["schema_version"], 4);
    assert_eq!(r["alert_verdict"], "psi_kl");
    assert_eq!(r["reference_rows"], 400);
    // The size-aware verdict beside the default one.
    assert!(r["calibrated_drifted_features"].is_array());
    for f in r["features"].as_array().unwrap() {
        let c = &f["calibrated"];
        let test = if f["type"] == "numerical" {
            "ks"
        } else {
            "chi_square"
        };
        assert_eq!(c["test"], test, "{f}");
        let p = c["p_value"].as_f64().unwrap();
        let q = if test == "ks" {
            &f["ks"]["p_value"]
        } else {
            &f["chi_square"]["p_value"]
        };
        assert_eq!(p, q.as_f64().unwrap());
        assert!(c["p_adjusted"].as_f64().unwrap() >= p);
        assert!(c["threshold"].as_f64().unwrap() > 0.0);
        assert!(c["drift_detected"].is_boolean());
    }
    let names: Vec<&str> = r["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let header: Vec<&str> = csv
        .lines()
        .next()
        .unwrap()
        .split(',')
        .filter(|c| *c != "customerID" && *c != "Churn")
        .collect();
    assert_eq!(names, header, "features in input column order");
    let excluded: Vec<&str> = r["excluded_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(excluded, vec!["customerID", "Churn"]);
    for f in r["features"].as_array().unwrap() {
        for key in [
            "name",
            "type",
            "reference_missing",
            "current_missing",
            "psi",
            "kl_divergence",
            "js_distance",
            "wasserstein",
            "wasserstein_normed",
            "ks",
            "mann_whitney",
            "chi_square",
            "drift_detected",
            "severity",
        ] {
            assert!(f.get(key).is_some(), "{} lacks {key}", f["name"]);
        }
        if f["type"] == "numerical" {
            assert!(
                f["chi_square"].is_null()
                    && f["ks"]["p_value"].is_number()
                    && f["mann_whitney"]["statistic"].is_number()
            );
        } else {
            assert!(
                f["ks"].is_null()
                    && f["wasserstein"].is_null()
                    && f["chi_square"]["dof"].is_number()
            );
        }
    }
}

#[test]
fn edge_cases_are_findings_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let reference = "id,num,cat,gone\na,1.5,x,1\nb,2.5,y,2\nc,3.5,x,3\nd,4.5,y,4\ne,5.5,x,5\n";
    // num changed type, cat has an unseen category, `gone` is missing, `new` is extra,
    // columns in another order.
    let current = "new,cat,num,id\n1,x,abc,f\n2,z,def,g\n3,z,,h\n";
    let r = drift_json(dir.path(), reference, current);
    assert_eq!(r["missing_columns"], serde_json::json!(["gone"]));
    assert_eq!(r["extra_columns"], serde_json::json!(["new"]));
    let num = &r["features"][0];
    assert_eq!(num["name"], "num");
    assert_eq!(num["drift_detected"], true);
    assert_eq!(num["severity"], "high");
    assert!(
        num["findings"][0]
            .as_str()
            .unwrap()
            .contains("type changed"),
        "{num}"
    );
    let cat = &r["features"][1];
    assert!(
        cat["findings"][0]
            .as_str()
            .unwrap()
            .contains("\"z\" (2 rows)"),
        "{cat}"
    );
    // All-missing current column.
    let current = "id,num,cat,gone\nf,,x,1\ng,,y,2\n";
    let r = drift_json(dir.path(), reference, current);
    let num = &r["features"][0];
    assert!(num["psi"].is_null() && num["ks"].is_null());
    assert!(
        num["findings"][0]
            .as_str()
            .unwrap()
            .contains("every value is missing"),
        "{num}"
    );
    assert_eq!(num["current_missing"], 2);
    // Zero rows: no comparison possible.
    std::fs::write(dir.path().join("empty.csv"), "id,num,cat,gone\n").unwrap();
    let out = driftscope(
        &["drift", "--reference", "ref.csv", "--current", "empty.csv"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("empty.csv") && err.contains("no data rows"),
        "{err}"
    );
    // Infinite value: an input error naming row and column.
    std::fs::write(dir.path().join("inf.csv"), "id,num,cat,gone\nf,inf,x,1\n").unwrap();
    let out = driftscope(
        &["drift", "--reference", "ref.csv", "--current", "inf.csv"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("inf.csv") && err.contains("row 1") && err.contains("\"num\""),
        "{err}"
    );
}

#[test]
fn text_output_sorted_by_severity_then_psi_and_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let csv = String::from_utf8(generate_telco_csv(3000, 9)).unwrap();
    let (a, b) = halves(&csv, Some(("MonthlyCharges", 1.3)));
    std::fs::write(dir.path().join("a.csv"), a).unwrap();
    std::fs::write(dir.path().join("b.csv"), b).unwrap();
    let out = driftscope(
        &[
            "drift",
            "--reference",
            "a.csv",
            "--current",
            "b.csv",
            "--output",
            "report.txt",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let text = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    let first_row = text
        .lines()
        .find(|l| l.starts_with("MonthlyCharges"))
        .unwrap();
    assert!(first_row.contains("HIGH"), "{text}");
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("feature"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table[0].starts_with("MonthlyCharges"), "{text}");
    let psis: Vec<f64> = table[1..]
        .iter()
        .map(|l| l.split_whitespace().nth(3).unwrap().parse().unwrap())
        .collect();
    assert!(psis.windows(2).all(|w| w[0] >= w[1]), "{psis:?}");
}

#[test]
fn stored_profile_equals_raw_reference() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::default();
    let csv = String::from_utf8(generate_telco_csv(2000, 4)).unwrap();
    let (a, b) = halves(&csv, Some(("Tenure", 0.8)));
    let reference = Table::from_csv_bytes("ref", a.into_bytes()).unwrap();
    let current = Table::from_csv_bytes("cur", b.into_bytes()).unwrap();
    let (profile, sample) =
        driftscope_monitor::profile_table(&reference, "Churn", &config).unwrap();
    // Store and reload, as a model's artifacts are.
    write_artifact(&dir.path().join("p.json"), &profile).unwrap();
    write_artifact(&dir.path().join("s.json"), &sample).unwrap();
    let stored_p: ReferenceProfile = read_artifact(&dir.path().join("p.json")).unwrap();
    let stored_s: ReferenceSample = read_artifact(&dir.path().join("s.json")).unwrap();
    let batch = driftscope_monitor::current_batch(&current, &stored_p).unwrap();
    let from_store =
        driftscope_drift::drift_report(&stored_p, &stored_s, &batch, &config.data_drift).unwrap();
    let batch = driftscope_monitor::current_batch(&current, &profile).unwrap();
    let from_raw =
        driftscope_drift::drift_report(&profile, &sample, &batch, &config.data_drift).unwrap();
    assert_eq!(from_store, from_raw);
    assert!(from_raw.drifted_features.contains(&"Tenure".to_string()));
}

#[test]
fn awkward_files_work_or_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = String::from_utf8(driftscope_data::generate_telco_csv(400, 2)).unwrap();
    std::fs::write(d.join("good.csv"), &good).unwrap();
    let run = |name: &str, bytes: Vec<u8>| {
        std::fs::write(d.join(name), bytes).unwrap();
        driftscope(
            &[
                "drift",
                "--reference",
                "good.csv",
                "--current",
                name,
                "--format",
                "json",
            ],
            d,
        )
    };
    // Work: a byte-order mark, a quoted newline inside a cell, columns in another order.
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend(good.as_bytes());
    let r: serde_json::Value = serde_json::from_str(&ok(run("bom.csv", bom))).unwrap();
    assert_eq!(r["features"].as_array().unwrap().len(), 19);
    assert!(
        r["missing_columns"].as_array().unwrap().is_empty(),
        "{}",
        r["missing_columns"]
    );
    let quoted = good.replacen(",Female,", ",\"Fe\nmale\",", 1);
    let r: serde_json::Value =
        serde_json::from_str(&ok(run("quoted.csv", quoted.into_bytes()))).unwrap();
    assert_eq!(r["current_rows"], 400);
    let reversed: String = good
        .lines()
        .map(|l| l.split(',').rev().collect::<Vec<_>>().join(",") + "\n")
        .collect();
    let r: serde_json::Value =
        serde_json::from_str(&ok(run("reversed.csv", reversed.into_bytes()))).unwrap();
    assert!(r["drifted_features"].as_array().unwrap().is_empty());
    // Fail with exit 2 and the file named: wrong delimiter, non-UTF-8 bytes, a directory.
    let semi = good.replace(',', ";");
    let out = run("semi.csv", semi.into_bytes());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("semi.csv") && err.contains("semicolons"),
        "{err}"
    );
    let mut bad = good.as_bytes()[..3000].to_vec();
    bad.extend([0xff, 0xfe, b'x', b'\n']);
    let out = run("latin.csv", bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("latin.csv"));
    std::fs::create_dir(d.join("folder")).unwrap();
    let out = driftscope(
        &["drift", "--reference", "good.csv", "--current", "folder"],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("folder") && err.contains("is a directory"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn detector_evaluation_is_seeded_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |out: &str| {
        ok(driftscope(
            &[
                "eval",
                "--batches",
                "12",
                "--sizes",
                "50,500",
                "--seed",
                "3",
                "--splits",
                "2",
                "--out",
                out,
            ],
            d,
        ))
    };
    let text = run("e1.json");
    run("e2.json");
    let (a, b) = (
        std::fs::read(d.join("e1.json")).unwrap(),
        std::fs::read(d.join("e2.json")).unwrap(),
    );
    assert_eq!(a, b, "same seed, same bytes");
    assert!(text.contains("size-aware verdict") && text.contains("false alarms, no drift"));
    let e: driftscope_artifacts::DetectorEvaluation =
        driftscope_artifacts::read_artifact(&d.join("e1.json")).unwrap();
    assert_eq!(e.datasets.len(), 1);
    let cells = &e.datasets[0].cells;
    // No drift once, then 8 shifts x 2 scopes, each at 2 sizes.
    assert_eq!(cells.len(), (1 + 8 * 2) * 2);
    for c in cells {
        assert!((0.0..=1.0).contains(&c.default_rate) && (0.0..=1.0).contains(&c.calibrated_rate));
        assert!(c.trials > 0);
    }
    let null: Vec<_> = cells.iter().filter(|c| c.condition == "no drift").collect();
    assert_eq!(null[0].trials, 12 * 19);
    assert!(null.iter().all(|c| c.calibrated_rate <= 0.01), "{null:?}");
    let big = cells
        .iter()
        .find(|c| {
            c.condition == "mean +1 sd"
                && c.scope == driftscope_artifacts::EvaluationScope::All
                && c.size == 500
        })
        .unwrap();
    assert_eq!(big.calibrated_rate, 1.0);
    // The performance rules: two seeded splits of generated data, every size and condition.
    assert!(text.contains("performance rules, 2 splits"), "{text}");
    let p = &e.performance[0];
    assert_eq!(p.split_seeds, vec![3, 4]);
    assert_eq!((p.train_rows, p.held_rows), (2043, 5000));
    let sizes: Vec<usize> = p.false_alarms.iter().map(|c| c.size).collect();
    assert_eq!(sizes, vec![100, 500, 2000]);
    // 5,000 held-out rows per split: 50, 10 and 2 batches.
    let batches: Vec<u64> = p.false_alarms.iter().map(|c| c.batches).collect();
    assert_eq!(batches, vec![100, 20, 4]);
    for c in &p.false_alarms {
        for r in [
            c.concept_drift,
            c.performance,
            c.any,
            c.retrain,
            c.high_retrain,
        ] {
            assert!((0.0..=1.0).contains(&r), "{c:?}");
        }
        assert!(c.any >= c.concept_drift.max(c.performance), "{c:?}");
    }
    assert_eq!(p.estimation.len(), 2);
    assert!(p
        .estimation
        .iter()
        .all(|c| c.batches == 8 && c.auc_mae < 0.1));
    // A strong injected concept drift (churn 0.5 where it was about 0.07) is always caught.
    let strongest = p.power.last().unwrap();
    assert_eq!((strongest.strength, strongest.batches), (0.5, 20));
    assert_eq!(strongest.detected, 1.0);
}
