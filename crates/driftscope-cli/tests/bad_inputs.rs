//! The catalogue of bad inputs (issue 6): each case runs the real binary. A refused input exits
//! 2 with a message naming the file (and the row and column where that applies), never prints
//! panic text, and leaves every artifact byte-identical. Inputs that must work are checked for
//! what they report.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design
#![allow(clippy::too_many_lines)] // end-to-end tests walk through many steps

mod common;

use common::*;

use std::path::{Path, PathBuf};

use driftscope_artifacts::MonitoringResult;
use driftscope_data::generate_telco_csv;

/// Parsed CSV rows of generated data (no quoted cells in it, so a split is exact).
fn rows(n: usize, seed: u64) -> Vec<Vec<String>> {
    String::from_utf8(generate_telco_csv(n, seed))
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    rows.iter()
        .map(|r| r.join(",") + "\n")
        .collect::<String>()
        .into_bytes()
}

fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|c| c == name).unwrap()
}

/// What a refused input must print: every fragment, in a message on stderr.
struct Refusal {
    name: &'static str,
    args: Vec<String>,
    expect: Vec<String>,
}

fn refuse(name: &'static str, args: &[&str], expect: &[&str]) -> Refusal {
    Refusal {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        expect: expect.iter().map(|s| s.to_string()).collect(),
    }
}

fn monitor_args(batch: &str) -> Vec<&str> {
    vec![
        "monitor",
        "--batch",
        batch,
        "--artifacts",
        "a",
        "--config",
        "c.yaml",
        "--timestamp",
        "2026-02-01T00:00:00Z",
    ]
}

/// Runs every refusal against the artifacts in `dir/a`; returns the failures as text.
fn check_refusals(dir: &Path, cases: &[Refusal]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let before = files(&dir.join("a"));
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let out = driftscope_within(&args, dir, &[], std::time::Duration::from_secs(120));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = case.name;
        if out.status.code() != Some(2) {
            failures.push(format!("{name}: exit {:?}, stderr {stderr}", out.status));
        }
        for e in &case.expect {
            if !stderr.contains(e.as_str()) {
                failures.push(format!(
                    "{name}: expected {e:?} in {}",
                    &stderr[..stderr.len().min(600)]
                ));
            }
        }
        if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            failures.push(format!("{name}: panic text in {stderr}"));
        }
        if before != files(&dir.join("a")) {
            failures.push(format!("{name}: the artifacts changed"));
        }
    }
    failures
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.yaml"), "model:\n  n_trees: 12\n").unwrap();
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        d,
    ));
    // One good batch first, so histories and the lock file exist and must survive.
    std::fs::write(d.join("good.csv"), csv(&rows(600, 7))).unwrap();
    ok(driftscope(&monitor_args("good.csv"), d));
    dir
}

#[test]
fn refused_inputs_exit_2_name_the_place_and_keep_artifacts() {
    let dir = setup();
    let d = dir.path();
    let good = rows(600, 7);
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(d.join(name), bytes).unwrap();
    let mut cases = Vec::new();

    // Files that cannot be read as a table.
    cases.push(refuse(
        "nonexistent",
        &monitor_args("nope.csv"),
        &["nope.csv", "No such file"],
    ));
    std::fs::create_dir(d.join("folder.csv")).unwrap();
    cases.push(refuse(
        "directory",
        &monitor_args("folder.csv"),
        &["folder.csv", "is a directory"],
    ));
    write("empty.csv", Vec::new());
    cases.push(refuse(
        "empty file",
        &monitor_args("empty.csv"),
        &["empty.csv", "empty"],
    ));
    write("header.csv", csv(&good[..1]));
    cases.push(refuse(
        "header only",
        &monitor_args("header.csv"),
        &["header.csv", "no data rows"],
    ));
    let mut ragged = good.clone();
    ragged[40].truncate(10);
    write("ragged.csv", csv(&ragged));
    cases.push(refuse(
        "ragged rows",
        &monitor_args("ragged.csv"),
        &["ragged.csv", "row 40", "10 fields", "21"],
    ));
    write(
        "semicolon.csv",
        String::from_utf8(csv(&good))
            .unwrap()
            .replace(',', ";")
            .into_bytes(),
    );
    cases.push(refuse(
        "wrong delimiter",
        &monitor_args("semicolon.csv"),
        &["semicolon.csv", "semicolons"],
    ));
    let mut latin = csv(&good);
    let at = latin.len() / 2;
    latin.splice(at..at, [0xff, 0xfe]);
    write("latin1.csv", latin);
    cases.push(refuse(
        "non-UTF-8 bytes",
        &monitor_args("latin1.csv"),
        &["latin1.csv", "line 301", "0xff is not UTF-8"],
    ));
    let mut dup = good.clone();
    dup[0][3] = "gender".into();
    write("dup.csv", csv(&dup));
    cases.push(refuse(
        "duplicate column names",
        &monitor_args("dup.csv"),
        &["dup.csv", "\"gender\" appears more than once"],
    ));

    // Cells.
    let churn = col(&good, "Churn");
    let mut third = good.clone();
    third[77][churn] = "Maybe".into();
    write("third.csv", csv(&third));
    cases.push(refuse(
        "third target label (monitor)",
        &monitor_args("third.csv"),
        &["third.csv", "row 77", "third label \"Maybe\""],
    ));
    cases.push(refuse(
        "third target label (train)",
        &[
            "train",
            "--data",
            "third.csv",
            "--config",
            "c.yaml",
            "--artifacts",
            "a",
        ],
        &["third.csv", "row 77", "third label \"Maybe\""],
    ));
    let mut no_target = good.clone();
    for r in &mut no_target {
        r.remove(churn);
    }
    write("notarget.csv", csv(&no_target));
    cases.push(refuse(
        "missing target (train)",
        &[
            "train",
            "--data",
            "notarget.csv",
            "--config",
            "c.yaml",
            "--artifacts",
            "a",
        ],
        &["notarget.csv", "no column \"Churn\""],
    ));
    let mut text = rows(5200, 8);
    let monthly = col(&text, "MonthlyCharges");
    text[5000][monthly] = "12 5".into();
    write("text5000.csv", csv(&text));
    cases.push(refuse(
        "text in a numeric column at row 5000",
        &monitor_args("text5000.csv"),
        &[
            "text5000.csv",
            "row 5000",
            "column \"MonthlyCharges\"",
            "\"12 5\"",
        ],
    ));
    for (name, literal) in [("inf.csv", "inf"), ("neginf.csv", "-Infinity")] {
        let mut inf = good.clone();
        inf[12][monthly] = literal.into();
        write(name, csv(&inf));
    }
    cases.push(refuse(
        "inf literal",
        &monitor_args("inf.csv"),
        &["inf.csv", "row 12", "column \"MonthlyCharges\"", "infinite"],
    ));
    cases.push(refuse(
        "-Infinity literal",
        &monitor_args("neginf.csv"),
        &["neginf.csv", "row 12", "infinite"],
    ));

    // Configuration files.
    for (name, text) in [
        ("unknown.yaml", "data_drift:\n  psi_treshold: 0.2\n"),
        ("negative.yaml", "data_drift:\n  psi_threshold: -0.1\n"),
        ("wrongtype.yaml", "model:\n  n_trees: many\n"),
        ("empty.yaml", ""),
        ("notyaml.yaml", "data_drift: [1, 2\n"),
    ] {
        write(name, text.as_bytes().to_vec());
    }
    let with_config = |cfg: &str| -> Vec<String> {
        let mut a: Vec<String> = monitor_args("good.csv")
            .into_iter()
            .map(String::from)
            .collect();
        let i = a.iter().position(|x| x == "c.yaml").unwrap();
        a[i] = cfg.to_string();
        a
    };
    for (name, cfg, expect) in [
        (
            "config with an unknown key",
            "unknown.yaml",
            vec!["unknown.yaml", "data_drift.psi_treshold", "unknown field"],
        ),
        (
            "config with a negative threshold",
            "negative.yaml",
            vec!["negative.yaml", "data_drift.psi_threshold"],
        ),
        (
            "config with a wrong type",
            "wrongtype.yaml",
            vec!["wrongtype.yaml", "model.n_trees"],
        ),
        ("empty config", "empty.yaml", vec!["empty.yaml", "empty"]),
        ("config not YAML", "notyaml.yaml", vec!["notyaml.yaml"]),
    ] {
        let args = with_config(cfg);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expect: Vec<&str> = expect.into_iter().collect();
        cases.push(refuse(name, &args, &expect));
    }
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 19);
}

/// The champion's folder.
fn model_dir(d: &Path) -> PathBuf {
    let champion: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("a/models/champion.json")).unwrap()).unwrap();
    d.join("a/models")
        .join(champion["model_version"].as_str().unwrap())
}

#[test]
fn damaged_or_foreign_artifacts_are_refused() {
    let dir = setup();
    let d = dir.path();
    let model = model_dir(d).join("model.json");
    let original = std::fs::read(&model).unwrap();
    let profile = model_dir(d).join("reference_profile.json");
    let profile_bytes = std::fs::read(&profile).unwrap();
    let mut failures = Vec::new();

    // A future schema version.
    let mut v: serde_json::Value = serde_json::from_slice(&profile_bytes).unwrap();
    v["schema_version"] = 99.into();
    std::fs::write(&profile, serde_json::to_vec(&v).unwrap()).unwrap();
    failures.extend(check_refusals(
        d,
        &[refuse(
            "future schema_version",
            &monitor_args("good.csv"),
            &[
                "reference_profile.json",
                "schema_version 99",
                "reads version(s) 1",
            ],
        )],
    ));
    // Truncated.
    std::fs::write(&profile, &profile_bytes[..profile_bytes.len() / 2]).unwrap();
    failures.extend(check_refusals(
        d,
        &[refuse(
            "truncated artifact",
            &monitor_args("good.csv"),
            &["reference_profile.json"],
        )],
    ));
    std::fs::write(&profile, &profile_bytes).unwrap();

    // A model trained on another feature set, put in the champion's folder.
    std::fs::write(
        d.join("other.yaml"),
        "model:\n  n_trees: 5\nfeatures:\n  exclude: [Contract, MonthlyCharges]\n",
    )
    .unwrap();
    ok(driftscope(
        &["train", "--config", "other.yaml", "--artifacts", "b"],
        d,
    ));
    let b_champion: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("b/models/champion.json")).unwrap()).unwrap();
    let other_model = d
        .join("b/models")
        .join(b_champion["model_version"].as_str().unwrap())
        .join("model.json");
    std::fs::copy(&other_model, &model).unwrap();
    failures.extend(check_refusals(
        d,
        &[refuse(
            "model from another feature set",
            &monitor_args("good.csv"),
            &["model.json", "Contract", "reference_profile.json"],
        )],
    ));
    std::fs::write(&model, &original).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn monitored(d: &Path, batch: &str, id: &str) -> MonitoringResult {
    let mut args = monitor_args(batch);
    args.extend(["--batch-id", id]);
    ok(driftscope(&args, d));
    driftscope_artifacts::read_artifact(
        &d.join("a/batches").join(id).join("monitoring_result.json"),
    )
    .unwrap()
}

#[test]
fn awkward_but_valid_batches_work_and_are_reported() {
    let dir = setup();
    let d = dir.path();
    let good = rows(600, 7);
    let base = monitored(d, "good.csv", "base");
    let write = |name: &str, bytes: Vec<u8>| std::fs::write(d.join(name), bytes).unwrap();
    // The statistics of a batch that holds the same data must equal the base batch's.
    let same_stats = |r: &MonitoringResult, what: &str| {
        assert_eq!(r.rows, 600, "{what}");
        assert_eq!(
            serde_json::to_value(&r.data_drift.features).unwrap(),
            serde_json::to_value(&base.data_drift.features).unwrap(),
            "{what}"
        );
        assert_eq!(r.performance, base.performance, "{what}");
    };

    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend(csv(&good));
    write("bom.csv", bom);
    same_stats(&monitored(d, "bom.csv", "bom"), "byte-order mark");

    // A quoted cell with a newline inside, in an extra free-text column.
    let mut quoted = good.clone();
    quoted[0].push("note".into());
    for (i, r) in quoted.iter_mut().enumerate().skip(1) {
        r.push(format!("\"line one\nline {i}, with a comma\""));
    }
    write("quoted.csv", csv(&quoted));
    let r = monitored(d, "quoted.csv", "quoted");
    same_stats(&r, "quoted newlines");
    assert_eq!(r.data_quality.extra_columns, vec!["note".to_string()]);

    // Columns in another order.
    let order: Vec<usize> = (0..good[0].len()).rev().collect();
    let reordered: Vec<Vec<String>> = good
        .iter()
        .map(|r| order.iter().map(|&i| r[i].clone()).collect())
        .collect();
    write("reordered.csv", csv(&reordered));
    same_stats(&monitored(d, "reordered.csv", "reordered"), "column order");

    // Extra columns: a 10,000-character name and a name that is markup.
    let long = "x".repeat(10_000);
    let mut extra = good.clone();
    extra[0].push(long.clone());
    extra[0].push("</script><b>".into());
    for r in extra.iter_mut().skip(1) {
        r.push("1".into());
        r.push("a".into());
    }
    write("extra.csv", csv(&extra));
    let r = monitored(d, "extra.csv", "extra");
    same_stats(&r, "extra columns");
    // The long name is stored as its prefix, length and hash (at most 200 bytes).
    let stored = driftscope_data::category_label(&long).into_owned();
    assert!(
        stored.len() < 200 && stored.contains("(10000 bytes, sha256 "),
        "{stored}"
    );
    assert_eq!(
        r.data_quality.extra_columns,
        vec![stored, "</script><b>".to_string()]
    );
    let out = ok(driftscope(
        &["drift", "--reference", "good.csv", "--current", "extra.csv"],
        d,
    ));
    assert!(out.contains("</script><b>"), "{out}");
    assert!(
        out.lines().all(|l| l.len() < 2000),
        "a 10,000-character name is abbreviated in text output"
    );

    // `NaN` / `null` literals are missing cells (as pandas writes them), counted as such.
    let monthly = col(&good, "MonthlyCharges");
    let mut nan = good.clone();
    for r in nan.iter_mut().skip(1).step_by(5) {
        r[monthly] = "NaN".into();
    }
    write("nan.csv", csv(&nan));
    let r = monitored(d, "nan.csv", "nan");
    let share = r.data_quality.missing_share["MonthlyCharges"];
    assert!((share - 0.2).abs() < 1e-9, "{share}");

    // A batch without the target: monitored, with the label checks skipped and said why.
    let churn = col(&good, "Churn");
    let mut unlabelled = good.clone();
    for r in &mut unlabelled {
        r.remove(churn);
    }
    write("unlabelled.csv", csv(&unlabelled));
    let r = monitored(d, "unlabelled.csv", "unlabelled");
    assert!(!r.labelled && r.performance.is_none());
    assert!(r.skipped.iter().any(|s| s.reason.contains("\"Churn\"")));
}

#[test]
fn resource_bounds_larger_than_memory_and_a_million_categories() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // A file larger than the memory the process may have (address space capped with prlimit)
    // is refused before reading, with exit 2 and the sizes named.
    let chunk = generate_telco_csv(20_000, 3);
    let header_end = chunk.iter().position(|b| *b == b'\n').unwrap() + 1;
    let mut big = chunk.clone();
    while big.len() < 80 << 20 {
        big.extend_from_slice(&chunk[header_end..]);
    }
    std::fs::write(d.join("big.csv"), &big).unwrap();
    std::fs::write(d.join("small.csv"), &chunk).unwrap();
    let out = std::process::Command::new("prlimit")
        .args(["--as=260000000", env!("CARGO_BIN_EXE_driftscope")])
        .args(["drift", "--reference", "small.csv", "--current", "big.csv"])
        .current_dir(d)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("big.csv: the file is 8") && stderr.contains("MB is available"),
        "{stderr}"
    );

    // One million distinct values in a categorical column of the current file: statistics over
    // every category, a bounded report, and a finding.
    let mut reference = String::from("plan,amount\n");
    for i in 0..2000 {
        reference.push_str(&format!("p{},{}\n", i % 5, i % 97));
    }
    let mut current = String::from("plan,amount\n");
    for i in 0..1_000_000 {
        current.push_str(&format!("v{i},{}\n", i % 97));
    }
    std::fs::write(d.join("ref.csv"), &reference).unwrap();
    std::fs::write(d.join("million.csv"), &current).unwrap();
    let json = ok(driftscope(
        &[
            "drift",
            "--reference",
            "ref.csv",
            "--current",
            "million.csv",
            "--format",
            "json",
        ],
        d,
    ));
    assert!(json.len() < 20_000, "report of {} bytes", json.len());
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let plan = &r["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "plan")
        .unwrap();
    assert_eq!(plan["drift_detected"], true);
    let findings = plan["findings"].to_string();
    assert!(findings.contains("and 999990 more"), "{findings}");
    // The statistics use every category (stats-spec); only the written distribution is cut:
    // the 5 reference categories, the 50 most frequent never-seen ones, one bin for the rest.
    let labels = plan["distribution"]["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 5 + 50 + 1);
    assert_eq!(labels[55], "(999950 more never-seen categories)");
    assert_eq!(plan["chi_square"]["dof"], 1_000_004);

    // The same column in a reference: more distinct values than features.max_categories, not
    // all distinct, so it is excluded as an identifier with the count.
    let mut half = String::from("plan,amount\n");
    for i in 0..1_000_000 {
        half.push_str(&format!("v{},{}\n", i / 2, i % 97));
    }
    std::fs::write(d.join("half.csv"), &half).unwrap();
    let json = ok(driftscope(
        &[
            "drift",
            "--reference",
            "half.csv",
            "--current",
            "ref.csv",
            "--format",
            "json",
        ],
        d,
    ));
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    let excluded = r["excluded_columns"].to_string();
    assert!(
        excluded.contains(
            "identifier: 500000 distinct values, more than features.max_categories (1000)"
        ),
        "{excluded}"
    );
}

/// Rewrites the JSON file at `path` with `edit`, runs `args` expecting a refusal naming the
/// file and `field`, and puts the original bytes back.
fn refuse_crafted(
    d: &Path,
    path: &Path,
    name: &'static str,
    edit: impl FnOnce(&mut serde_json::Value),
    field: &str,
) -> Vec<String> {
    let original = std::fs::read(path).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&original).unwrap();
    edit(&mut v);
    std::fs::write(path, serde_json::to_vec(&v).unwrap()).unwrap();
    let file = path.file_name().unwrap().to_str().unwrap();
    let mut failures = check_refusals(
        d,
        &[refuse(name, &monitor_args("good.csv"), &[file, field])],
    );
    let score = [
        "score",
        "--batch",
        "good.csv",
        "--out",
        "s.csv",
        "--artifacts",
        "a",
    ];
    failures.extend(check_refusals(d, &[refuse(name, &score, &[file, field])]));
    std::fs::write(path, original).unwrap();
    failures
}

/// Index of the first feature of `v["features"]` matching `pred`.
fn first_feature(v: &serde_json::Value, pred: impl Fn(&serde_json::Value) -> bool) -> usize {
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .position(pred)
        .unwrap()
}

#[test]
fn crafted_model_profile_sample_and_champion_are_refused_naming_the_field() {
    let dir = setup();
    let d = dir.path();
    let m = model_dir(d);
    let (model, profile) = (m.join("model.json"), m.join("reference_profile.json"));
    let (sample, champion) = (
        m.join("reference_sample.json"),
        d.join("a/models/champion.json"),
    );
    let tree0 = |v: &mut serde_json::Value| -> serde_json::Value { v["forest"]["trees"][0].take() };
    let mut f = Vec::new();
    f.extend(refuse_crafted(
        d,
        &model,
        "no trees",
        |v| v["forest"]["trees"] = serde_json::json!([]),
        "forest.trees",
    ));
    f.extend(refuse_crafted(
        d,
        &model,
        "child out of range",
        |v| v["forest"]["trees"][0]["left"][0] = 1_000_000.into(),
        "forest.trees[0].left[0]",
    ));
    f.extend(refuse_crafted(
        d,
        &model,
        "child loops back",
        |v| v["forest"]["trees"][0]["right"][0] = 0.into(),
        "forest.trees[0].right[0]",
    ));
    f.extend(refuse_crafted(
        d,
        &model,
        "feature out of range",
        |v| v["forest"]["trees"][0]["feature"][0] = 99_999.into(),
        "forest.trees[0].feature[0]",
    ));
    f.extend(refuse_crafted(
        d,
        &model,
        "short value array",
        |v| {
            let mut t = tree0(v);
            t["value"].as_array_mut().unwrap().pop();
            v["forest"]["trees"][0] = t;
        },
        "forest.trees[0].value",
    ));
    f.extend(refuse_crafted(
        d,
        &model,
        "one-hot without categories",
        |v| {
            let i = first_feature(v, |x| x["encoding"]["type"] == "one_hot");
            v["features"][i]["encoding"]["categories"] = serde_json::json!([]);
        },
        ".encoding.categories",
    ));
    f.extend(refuse_crafted(
        d,
        &model,
        "leaf value above 1",
        |v| {
            let t = &mut v["forest"]["trees"][0];
            let leaf = t["feature"]
                .as_array()
                .unwrap()
                .iter()
                .position(|x| x == -1)
                .unwrap();
            t["value"][leaf] = 7.into();
        },
        "forest.trees[0].value[",
    ));
    f.extend(refuse_crafted(
        d,
        &profile,
        "n_bins 0",
        |v| v["n_bins"] = 0.into(),
        "n_bins",
    ));
    f.extend(refuse_crafted(
        d,
        &profile,
        "unsorted bin edges",
        |v| {
            let i = first_feature(v, |x| x["feature_type"] == "numerical");
            v["features"][i]["bin_edges"]
                .as_array_mut()
                .unwrap()
                .reverse();
        },
        "bin_edges[",
    ));
    f.extend(refuse_crafted(
        d,
        &profile,
        "zero bin counts",
        |v| {
            let i = first_feature(v, |x| x["feature_type"] == "numerical");
            for c in v["features"][i]["bin_counts"].as_array_mut().unwrap() {
                *c = 0.into();
            }
        },
        "bin_counts",
    ));
    f.extend(refuse_crafted(
        d,
        &profile,
        "category count 0",
        |v| {
            let i = first_feature(v, |x| x["feature_type"] == "categorical");
            v["features"][i]["categories"][0]["count"] = 0.into();
        },
        ".count",
    ));
    f.extend(refuse_crafted(
        d,
        &sample,
        "unsorted sample",
        |v| {
            v["columns"][0]["sorted_values"]
                .as_array_mut()
                .unwrap()
                .reverse();
        },
        "columns[0].sorted_values",
    ));
    f.extend(refuse_crafted(
        d,
        &champion,
        "champion outside models/",
        |v| v["model_version"] = "../..".into(),
        "model_version",
    ));
    f.extend(refuse_crafted(
        d,
        &m.join("baseline_metrics.json"),
        "baseline rate above 1",
        |v| v["expected_error_rate"] = 3.into(),
        "expected_error_rate",
    ));
    // A history whose batch id leaves `batches/`.
    let history = d.join("a/performance_history.json");
    let original = std::fs::read(&history).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&original).unwrap();
    v["entries"][0]["batch_id"] = "../../etc".into();
    std::fs::write(&history, serde_json::to_vec(&v).unwrap()).unwrap();
    let check = ["check", "--artifacts", "a", "--fail-on", "high"];
    let expect = ["performance_history.json", "entries[0].batch_id"];
    f.extend(check_refusals(
        d,
        &[refuse("history batch id outside batches/", &check, &expect)],
    ));
    f.extend(check_refusals(
        d,
        &[refuse(
            "history batch id outside batches/",
            &monitor_args("good.csv"),
            &expect,
        )],
    ));
    std::fs::write(&history, original).unwrap();
    assert!(f.is_empty(), "{}", f.join("\n"));
}

#[test]
fn refused_ids_arguments_configs_and_folders_create_nothing() {
    let dir = setup();
    let d = dir.path();
    let write = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).unwrap();
    let good = std::fs::read(d.join("good.csv")).unwrap();
    write("bad\nname.csv", &good);
    write("w.yaml", b"alerts:\n  webhook_timeout_secs: 1e300\n");
    write(
        "deep.yaml",
        format!("a: {}\n", "[".repeat(100_000)).as_bytes(),
    );
    write("left.csv", b"a,b\n1,x\n2,y\n3,x\n");
    write("right.csv", b"c,d\n1,x\n2,y\n3,x\n");
    let long = "x".repeat(300);
    let with = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = monitor_args("good.csv")
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let refusal = |name: &'static str, args: Vec<String>, expect: &[&str]| Refusal {
        name,
        args,
        expect: expect.iter().map(|s| s.to_string()).collect(),
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases = vec![
        refusal(
            "newline in --batch-id",
            with(&["--batch-id", "a\nforged line"]),
            &["batch id", "control character"],
        ),
        refusal(
            "long --batch-id",
            with(&["--batch-id", &long]),
            &["batch id", "longer than 200"],
        ),
        refusal(
            "newline in the file name",
            s(&[
                "monitor",
                "--batch",
                "bad\nname.csv",
                "--artifacts",
                "a",
                "--config",
                "c.yaml",
            ]),
            &["batch id", "--batch-id", "control character"],
        ),
        refusal(
            "--chunk-rows 0",
            with(&["--chunk-rows", "0"]),
            &["--chunk-rows 0"],
        ),
        refusal(
            "--batch-rows 0",
            s(&[
                "simulate",
                "--data",
                "good.csv",
                "--out",
                "sim",
                "--batch-rows",
                "0",
            ]),
            &["--batch-rows 0"],
        ),
        refusal(
            "huge webhook timeout",
            s(&[
                "monitor",
                "--batch",
                "good.csv",
                "--artifacts",
                "a",
                "--config",
                "w.yaml",
            ]),
            &["w.yaml", "alerts.webhook_timeout_secs", "at most 300"],
        ),
        refusal(
            "deeply nested config",
            s(&[
                "monitor",
                "--batch",
                "good.csv",
                "--artifacts",
                "a",
                "--config",
                "deep.yaml",
            ]),
            &["deep.yaml", "nested"],
        ),
        refusal(
            "drift without a common column",
            s(&["drift", "--reference", "left.csv", "--current", "right.csv"]),
            &["right.csv", "no column in common"],
        ),
        refusal(
            "drift --output is --reference",
            s(&[
                "drift",
                "--reference",
                "good.csv",
                "--current",
                "left.csv",
                "--output",
                "./good.csv",
            ]),
            &["--output", "--reference"],
        ),
        refusal(
            "drift --output is --current",
            s(&[
                "drift",
                "--reference",
                "left.csv",
                "--current",
                "good.csv",
                "--output",
                "good.csv",
            ]),
            &["--output", "--current"],
        ),
        refusal(
            "monitor: mistyped --artifacts",
            s(&["monitor", "--batch", "good.csv", "--artifacts", "typo"]),
            &["typo", "no champion"],
        ),
        refusal(
            "check: mistyped --artifacts",
            s(&["check", "--artifacts", "typo", "--fail-on", "high"]),
            &["typo", "no champion"],
        ),
        refusal(
            "report: mistyped --artifacts",
            s(&["report", "--artifacts", "typo", "--out", "site"]),
            &["typo", "no champion"],
        ),
        refusal(
            "report: missing templates",
            s(&[
                "report",
                "--artifacts",
                "a",
                "--out",
                "site",
                "--templates",
                "no-such-templates",
            ]),
            &["no-such-templates", "templates folder"],
        ),
    ];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(std::fs::read(d.join("good.csv")).unwrap(), good);
    for absent in ["typo", "sim", "site", "a/batches/bad\nname"] {
        assert!(!d.join(absent).exists(), "{absent} was created");
    }
}

/// The Parquet fixtures (written by `tools/parquet_fixtures.py` with pyarrow from
/// `driftscope generate --rows 300 --seed 7`) copied into `d`, and that CSV beside them.
fn parquet_fixtures(d: &Path) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for f in ["extras", "feature_decimal", "feature_date"] {
        let name = format!("{f}.parquet");
        std::fs::copy(fixtures.join(&name), d.join(&name)).unwrap();
    }
    ok(driftscope(
        &[
            "generate", "--rows", "300", "--seed", "7", "--out", "base.csv",
        ],
        d,
    ));
}

/// A Parquet decimal column (Arrow `decimal128(10, 2)`) is read as numbers: a model feature
/// stored as decimal gives the same drift statistics as the same values in a CSV, and a
/// decimal extra column is a numerical feature of a `drift` comparison.
#[test]
fn parquet_decimal_columns_are_read_as_numbers() {
    let dir = setup();
    let d = dir.path();
    parquet_fixtures(d);
    let from_csv = monitored(d, "base.csv", "base");
    let from_decimal = monitored(d, "feature_decimal.parquet", "decimal");
    let monthly = |r: &MonitoringResult| {
        let f = r
            .data_drift
            .features
            .iter()
            .find(|f| f.name == "MonthlyCharges")
            .unwrap()
            .clone();
        serde_json::to_value(f).unwrap()
    };
    assert_eq!(monthly(&from_decimal), monthly(&from_csv));
    assert_eq!(from_decimal.performance, from_csv.performance);
    let out = ok(driftscope(
        &[
            "drift",
            "--reference",
            "extras.parquet",
            "--current",
            "extras.parquet",
            "--format",
            "json",
        ],
        d,
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let features = report["features"].as_array().unwrap();
    let dec = features
        .iter()
        .find(|f| f["name"] == "dec_extra")
        .unwrap_or_else(|| panic!("dec_extra is not compared: {out}"));
    assert_eq!(dec["type"], "numerical", "{dec}");
    assert_eq!(dec["psi"], 0.0, "{dec}");
}

/// Every temporal Arrow type (date32, timestamp, duration, time64) is an ignored extra, as an
/// unused CSV column is: monitor, drift (either side) and train work on a file holding one of
/// each, and none of them becomes a feature.
#[test]
fn parquet_temporal_columns_are_ignored_extras() {
    let dir = setup();
    let d = dir.path();
    parquet_fixtures(d);
    let r = monitored(d, "extras.parquet", "extras");
    assert!(r.performance.is_some(), "{r:?}");
    let names: Vec<&str> = r
        .data_drift
        .features
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    for temporal in ["day", "ts", "dur", "tod"] {
        assert!(
            !names.contains(&temporal),
            "{temporal} monitored: {names:?}"
        );
    }
    for (reference, current) in [
        ("good.csv", "extras.parquet"),
        ("extras.parquet", "good.csv"),
    ] {
        ok(driftscope(
            &["drift", "--reference", reference, "--current", current],
            d,
        ));
    }
    ok(driftscope(
        &[
            "train",
            "--data",
            "extras.parquet",
            "--config",
            "c.yaml",
            "--artifacts",
            "t",
        ],
        d,
    ));
    let champion: driftscope_artifacts::Champion =
        driftscope_artifacts::read_artifact(&d.join("t/models/champion.json")).unwrap();
    let model: driftscope_artifacts::ModelArtifact = driftscope_artifacts::read_artifact(
        &d.join("t/models")
            .join(&champion.model_version)
            .join("model.json"),
    )
    .unwrap();
    let features: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
    assert!(features.contains(&"dec_extra"), "{features:?}");
    for temporal in ["day", "ts", "dur", "tod"] {
        assert!(
            !features.contains(&temporal),
            "{temporal} trained on: {features:?}"
        );
    }
}

/// A temporal column the command needs (a model feature, a reference feature of `drift`) is
/// refused naming the file, the column and its type.
#[test]
fn parquet_temporal_feature_is_refused_by_name() {
    let dir = setup();
    let d = dir.path();
    parquet_fixtures(d);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases = [
        Refusal {
            name: "date model feature",
            args: s(&monitor_args("feature_date.parquet")),
            expect: s(&["feature_date.parquet", "\"Tenure\"", "date"]),
        },
        Refusal {
            name: "date feature in drift",
            args: s(&[
                "drift",
                "--reference",
                "good.csv",
                "--current",
                "feature_date.parquet",
            ]),
            expect: s(&["feature_date.parquet", "\"Tenure\"", "date"]),
        },
    ];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `d/outside/` with one file, for links to point at; returns its snapshot.
fn outside(d: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    std::fs::create_dir_all(d.join("outside")).unwrap();
    std::fs::write(d.join("outside/keep.txt"), b"not driftscope's").unwrap();
    files(&d.join("outside"))
}

/// A batch folder that is a symbolic link (to a folder outside the artifacts) is refused,
/// naming it, before anything is written or deleted through it, whatever batch is monitored.
#[test]
fn symlinked_batch_folder_is_refused() {
    let dir = setup();
    let d = dir.path();
    let before = outside(d);
    std::os::unix::fs::symlink(d.join("outside"), d.join("a/batches/evil")).unwrap();
    std::fs::write(d.join("outside/.tmp-bait"), b"x").unwrap();
    let mut evil = monitor_args("good.csv");
    evil.extend(["--batch-id", "evil"]);
    let mut other = monitor_args("good.csv");
    other.extend(["--batch-id", "other"]);
    let cases = [
        refuse(
            "monitor into the linked folder",
            &evil,
            &["batches/evil", "symbolic link"],
        ),
        refuse(
            "monitor another batch",
            &other,
            &["batches/evil", "symbolic link"],
        ),
    ];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    std::fs::remove_file(d.join("outside/.tmp-bait")).unwrap();
    assert_eq!(
        files(&d.join("outside")),
        before,
        "the outside folder changed"
    );
    assert!(!d.join("a/batches/other").exists());
}

/// A history file that is a symbolic link is refused naming it; the file it points at is not
/// rewritten.
#[test]
fn symlinked_history_is_refused() {
    let dir = setup();
    let d = dir.path();
    outside(d);
    std::fs::rename(
        d.join("a/alerts_history.json"),
        d.join("outside/alerts_history.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        d.join("outside/alerts_history.json"),
        d.join("a/alerts_history.json"),
    )
    .unwrap();
    let before = files(&d.join("outside"));
    let mut args = monitor_args("good.csv");
    args.extend(["--batch-id", "second"]);
    let cases = [refuse(
        "symlinked alerts history",
        &args,
        &["alerts_history.json", "symbolic link"],
    )];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        files(&d.join("outside")),
        before,
        "the linked history changed"
    );
}

/// A `batches/` folder that is itself a symbolic link is refused naming it, for `train` too.
#[test]
fn symlinked_batches_folder_is_refused() {
    let dir = setup();
    let d = dir.path();
    let before = outside(d);
    std::fs::rename(d.join("a/batches"), d.join("outside/batches")).unwrap();
    std::os::unix::fs::symlink(d.join("outside/batches"), d.join("a/batches")).unwrap();
    let snapshot = files(&d.join("outside"));
    let mut args = monitor_args("good.csv");
    args.extend(["--batch-id", "third"]);
    let cases = [
        refuse("monitor", &args, &["a/batches", "symbolic link"]),
        refuse(
            "train",
            &[
                "train",
                "--config",
                "c.yaml",
                "--artifacts",
                "a",
                "--seed",
                "99",
            ],
            &["a/batches", "symbolic link"],
        ),
    ];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(files(&d.join("outside")), snapshot);
    assert!(before.iter().all(|f| snapshot.contains(f)));
}

/// `mkfifo d/name`: a named pipe nobody writes to (opening it for reading would block).
fn fifo(d: &Path, name: &str) {
    let st = std::process::Command::new("mkfifo")
        .arg(d.join(name))
        .status()
        .unwrap();
    assert!(st.success());
}

/// A named pipe as the monitored batch is refused at once (no open, so no hang), naming it.
#[test]
fn fifo_batch_is_refused_without_hanging() {
    let dir = setup();
    let d = dir.path();
    fifo(d, "pipe.csv");
    let cases = [refuse(
        "fifo batch",
        &monitor_args("pipe.csv"),
        &["pipe.csv", "not a regular file"],
    )];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A named pipe as the configuration is refused at once, naming it.
#[test]
fn fifo_config_is_refused_without_hanging() {
    let dir = setup();
    let d = dir.path();
    fifo(d, "pipe.yaml");
    let args = [
        "monitor",
        "--batch",
        "good.csv",
        "--artifacts",
        "a",
        "--config",
        "pipe.yaml",
    ];
    let cases = [refuse(
        "fifo config",
        &args,
        &["pipe.yaml", "not a regular file"],
    )];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A named pipe as `train --data` and as a `drift` input is refused at once, naming it;
/// `train` creates no artifacts folder.
#[test]
fn fifo_training_and_drift_data_is_refused_without_hanging() {
    let dir = setup();
    let d = dir.path();
    fifo(d, "pipe.csv");
    let cases = [
        refuse(
            "fifo train data",
            &["train", "--data", "pipe.csv", "--artifacts", "t"],
            &["pipe.csv", "not a regular file"],
        ),
        refuse(
            "fifo drift reference",
            &["drift", "--reference", "pipe.csv", "--current", "good.csv"],
            &["pipe.csv", "not a regular file"],
        ),
        refuse(
            "fifo drift current",
            &["drift", "--reference", "good.csv", "--current", "pipe.csv"],
            &["pipe.csv", "not a regular file"],
        ),
    ];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!d.join("t").exists(), "train created its folder");
}

/// A named pipe in place of a history file is refused naming it, at once (read from metadata
/// first, so no open blocks), by `monitor` and by the read-only `check`.
#[test]
fn fifo_in_place_of_a_history_is_refused_without_hanging() {
    let dir = setup();
    let d = dir.path();
    std::fs::remove_file(d.join("a/performance_history.json")).unwrap();
    fifo(d, "a/performance_history.json");
    let mut args = monitor_args("good.csv");
    args.extend(["--batch-id", "second"]);
    let cases = [
        refuse(
            "monitor",
            &args,
            &["performance_history.json", "not a regular file"],
        ),
        refuse(
            "check",
            &["check", "--artifacts", "a", "--fail-on", "high"],
            &["performance_history.json", "not a regular file"],
        ),
    ];
    let failures = check_refusals(d, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The peak resident memory (kB) that `/usr/bin/time -v` printed on stderr (`None` when the
/// child did not run under it).
fn peak_rss_kb(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|l| {
        l.trim()
            .strip_prefix("Maximum resident set size (kbytes):")
            .and_then(|v| v.trim().parse().ok())
    })
}

/// One 100 MB cell (in a categorical feature column) in a 600-row batch: monitored in bounded
/// time and memory (README: a row costs at most a few times its bytes), and every artifact
/// stays small: the category is stored as a prefix, its length and a hash.
#[test]
fn hundred_megabyte_cell_is_bounded_in_time_memory_and_artifacts() {
    let dir = setup();
    let d = dir.path();
    let mut good = rows(600, 8);
    let contract = col(&good, "Contract");
    good[1][contract] = "M".repeat(100 << 20);
    std::fs::write(d.join("huge.csv"), csv(&good)).unwrap();
    drop(good);
    let before = files(&d.join("a"));
    let time = Path::new("/usr/bin/time");
    let mut args: Vec<&str> = Vec::new();
    if time.exists() {
        args.extend(["-v", env!("CARGO_BIN_EXE_driftscope")]);
    }
    args.extend(monitor_args("huge.csv"));
    args.extend(["--batch-id", "huge"]);
    let start = std::time::Instant::now();
    let mut cmd = std::process::Command::new(if time.exists() {
        time.to_path_buf()
    } else {
        PathBuf::from(env!("CARGO_BIN_EXE_driftscope"))
    });
    let child = cmd
        .args(&args)
        .current_dir(d)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, std::time::Duration::from_secs(300));
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let peak = peak_rss_kb(&stderr);
    eprintln!("100 MB cell: {took:?}, peak RSS {peak:?} kB");
    assert!(took < std::time::Duration::from_secs(120), "took {took:?}");
    if let Some(kb) = peak {
        // A generous bound (measured: 227 MB): the 100 MB file read by polars plus a few copies.
        assert!(kb < 1_000_000, "peak RSS {kb} kB");
    }
    for (path, bytes) in files(&d.join("a")) {
        assert!(
            bytes.len() < 1 << 20,
            "{}: {} bytes",
            path.display(),
            bytes.len()
        );
    }
    let result = std::fs::read_to_string(d.join("a/batches/huge/monitoring_result.json")).unwrap();
    assert!(
        result.contains("104857600 bytes, sha256 "),
        "the long category is not labelled"
    );
    assert!(before.len() < files(&d.join("a")).len());
    let t = templates();
    let site = ok(driftscope(
        &[
            "report",
            "--artifacts",
            "a",
            "--out",
            "site",
            "--templates",
            &t,
        ],
        d,
    ));
    let site_bytes: usize = files(&d.join("site")).iter().map(|(_, b)| b.len()).sum();
    assert!(site_bytes < 30 << 20, "site of {site_bytes} bytes: {site}");
}
