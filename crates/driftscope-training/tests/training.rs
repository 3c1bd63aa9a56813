//! Training: determinism, model round trip, type inference on the Telco columns, and the
//! generator's realism measured by model quality.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::path::PathBuf;

use driftscope_artifacts::{
    read_artifact, to_artifact_bytes, write_artifact, Config, FeatureType, ModelArtifact,
};
use driftscope_data::{generate_telco_csv, infer_schema, Table};
use driftscope_training::{encode_rows, predict_encoded, predict_proba, train};

fn small_config() -> Config {
    let mut c = Config::default();
    c.model.n_trees = 20;
    c
}

#[test]
fn same_seed_same_bytes_other_seed_other_model() {
    let table = Table::from_csv_bytes("gen", generate_telco_csv(1500, 3)).unwrap();
    let config = small_config();
    let a = train(&table, &config, 9, &Default::default()).unwrap();
    let b = train(&table, &config, 9, &Default::default()).unwrap();
    assert_eq!(
        to_artifact_bytes(&a.model).unwrap(),
        to_artifact_bytes(&b.model).unwrap()
    );
    assert_eq!(a.reference, b.reference);
    assert_eq!(
        to_artifact_bytes(&a.sample).unwrap(),
        to_artifact_bytes(&b.sample).unwrap()
    );
    assert_eq!(
        to_artifact_bytes(&a.manifest).unwrap(),
        to_artifact_bytes(&b.manifest).unwrap()
    );
    assert_eq!(a.holdout_probabilities, b.holdout_probabilities);
    let c = train(&table, &config, 10, &Default::default()).unwrap();
    assert_ne!(a.model.forest, c.model.forest);
    assert_ne!(a.model.model_version, c.model.model_version);
    assert_eq!(a.manifest.seed, 9);
    assert_eq!(a.manifest.split.seed, 9);
}

#[test]
fn model_round_trips_bit_for_bit() {
    let table = Table::from_csv_bytes("gen", generate_telco_csv(1200, 5)).unwrap();
    let trained = train(&table, &small_config(), 1, &Default::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.json");
    write_artifact(&path, &trained.model).unwrap();
    let loaded: ModelArtifact = read_artifact(&path).unwrap();
    assert_eq!(loaded, trained.model);
    let before = predict_proba(&trained.model, &table).unwrap();
    let after = predict_proba(&loaded, &table).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&before), bits(&after));
}

#[test]
fn split_is_stratified_and_sized() {
    let table = Table::from_csv_bytes("gen", generate_telco_csv(2000, 8)).unwrap();
    let t = train(&table, &small_config(), 4, &Default::default()).unwrap();
    let s = &t.manifest.split;
    assert_eq!(s.train_rows + s.test_rows, 2000);
    assert_eq!(s.test_rows, t.holdout_labels.len() as u64);
    let rate = |p: u64, n: u64| p as f64 / n as f64;
    assert!(
        (rate(s.train_positives, s.train_rows) - rate(s.test_positives, s.test_rows)).abs() < 0.01
    );
    assert!((s.test_rows as f64 / 2000.0 - 0.2).abs() < 0.002);
    assert_eq!(t.reference.rows, s.train_rows);
}

#[test]
fn calibration_rows_are_every_training_row_out_of_fold() {
    // Cross-fitted calibration: every training row appears once among the calibration rows,
    // scored by a forest that did not fit it; the first quarter (the calibration fold) is scored
    // by the deployed forest itself.
    let table = Table::from_csv_bytes("gen", generate_telco_csv(2000, 8)).unwrap();
    let t = train(&table, &small_config(), 4, &Default::default()).unwrap();
    let s = &t.manifest.split;
    assert_eq!(t.calibration_labels.len() as u64, s.train_rows);
    assert_eq!(t.calibration_probabilities.len() as u64, s.train_rows);
    let positives = t.calibration_labels.iter().filter(|y| **y).count() as u64;
    assert_eq!(positives, s.train_positives);
    // The deployed forest's scores of the training rows (three quarters of which it fitted)
    // separate the classes far better than the out-of-fold scores: the calibrator does not see
    // in-sample scores.
    let (labels, _) = table.binary_target("Churn", "Yes", None).unwrap();
    let (train_idx, _) =
        driftscope_training::stratified_split(&labels, Config::default().model.test_fraction, 4)
            .unwrap();
    let in_sample =
        driftscope_training::predict_proba_raw(&t.model, &table.take_rows(&train_idx).unwrap())
            .unwrap();
    let train_labels: Vec<bool> = train_idx.iter().map(|i| labels[*i]).collect();
    let (a_in, a_out) = (
        pair_auc(&train_labels, &in_sample),
        pair_auc(&t.calibration_labels, &t.calibration_probabilities),
    );
    assert!(
        a_in > a_out + 0.03,
        "in-sample {a_in} vs out-of-fold {a_out}"
    );
    assert_eq!(
        driftscope_training::CALIBRATION_FOLDS as f64,
        (1.0 / driftscope_training::CALIBRATION_FRACTION).round()
    );
}

/// AUC by counting pairs (ties half).
fn pair_auc(y: &[bool], p: &[f64]) -> f64 {
    let (mut won, mut pairs) = (0.0, 0.0);
    for pi in y.iter().zip(p).filter(|(y, _)| **y).map(|(_, p)| p) {
        for pj in y.iter().zip(p).filter(|(y, _)| !**y).map(|(_, p)| p) {
            pairs += 1.0;
            won += if pi > pj {
                1.0
            } else if pi == pj {
                0.5
            } else {
                0.0
            };
        }
    }
    won / pairs
}

#[test]
fn column_order_does_not_matter_for_prediction() {
    let csv = String::from_utf8(generate_telco_csv(600, 2)).unwrap();
    let table = Table::from_csv_bytes("gen", csv.clone().into_bytes()).unwrap();
    let trained = train(&table, &small_config(), 1, &Default::default()).unwrap();
    // Reverse the column order.
    let reversed: String = csv
        .lines()
        .map(|l| l.split(',').rev().collect::<Vec<_>>().join(",") + "\n")
        .collect();
    let rtable = Table::from_csv_bytes("rev", reversed.into_bytes()).unwrap();
    assert_eq!(
        predict_proba(&trained.model, &table).unwrap(),
        predict_proba(&trained.model, &rtable).unwrap()
    );
    // A batch without a feature column is refused by name.
    let no_contract: String = csv
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(15);
            cells.join(",") + "\n"
        })
        .collect();
    let t2 = Table::from_csv_bytes("batch.csv", no_contract.into_bytes()).unwrap();
    let err = predict_proba(&trained.model, &t2).unwrap_err().to_string();
    assert!(
        err.contains("batch.csv") && err.contains("\"Contract\""),
        "{err}"
    );
}

fn check_telco_types(table: &Table) {
    let schema = infer_schema(table, Some("Churn"), &Default::default()).unwrap();
    for (col, want) in [
        ("customerID", FeatureType::Identifier),
        ("SeniorCitizen", FeatureType::Categorical),
        ("Tenure", FeatureType::Numerical),
        ("MonthlyCharges", FeatureType::Numerical),
        ("TotalCharges", FeatureType::Numerical),
        ("Contract", FeatureType::Categorical),
        ("gender", FeatureType::Categorical),
        ("PaymentMethod", FeatureType::Categorical),
    ] {
        assert_eq!(
            schema.type_of(col),
            Some(want),
            "{col} in {}",
            table.label()
        );
    }
    assert_eq!(schema.features.len(), 19);
    assert_eq!(schema.type_of("Churn"), None);
    // Blank TotalCharges are missing, not an error.
    let total = table.numeric("TotalCharges").unwrap();
    assert!(total.iter().any(|v| v.is_nan()));
}

#[test]
fn telco_types_generated() {
    check_telco_types(&Table::from_csv_bytes("gen", generate_telco_csv(3000, 1)).unwrap());
}

#[test]
fn one_class_target_is_refused() {
    let csv = "a,b,Churn\n1,x,No\n2,y,No\n3,x,No\n4,y,No\n";
    let table = Table::from_csv_bytes("one.csv", csv.as_bytes().to_vec()).unwrap();
    let e = train(&table, &small_config(), 1, &Default::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("one.csv") && e.contains("never has the positive label"),
        "{e}"
    );
}

/// The real Telco file, where CI and developers have it.
fn real_telco() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        root.join("../shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
        root.join("data/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
    ]
    .into_iter()
    .find(|p| p.exists())
}

#[test]
fn telco_types_on_real_file() {
    let Some(path) = real_telco() else {
        // Shown by `cargo test` (the harness does not capture the process's stderr); CI sets
        // DRIFTSCOPE_REQUIRE_REAL_DATA so that a missing file fails there.
        if std::env::var_os("DRIFTSCOPE_REQUIRE_REAL_DATA").is_some() {
            panic!("the real Telco file is missing and DRIFTSCOPE_REQUIRE_REAL_DATA is set");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED telco_types_on_real_file: the real Telco file is not in data/ or ../shared/data/"
        );
        return;
    };
    let real = Table::read(&path).unwrap();
    assert_eq!(real.n_rows(), 7043);
    check_telco_types(&real);
}

#[test]
fn block_scoring_equals_row_by_row_scoring_bit_for_bit() {
    // 1,000 rows with blanks in numeric columns and a never-seen category, so fills and unknown
    // categories are exercised; the rows do not divide into whole scoring blocks.
    let mut csv = String::from_utf8(generate_telco_csv(1000, 5)).unwrap();
    csv = csv.replacen(",Month-to-month,", ",Decade,", 3);
    let table = Table::from_csv_bytes("t.csv", csv.into_bytes()).unwrap();
    let trained = train(
        &Table::from_csv_bytes("g.csv", generate_telco_csv(3000, 4)).unwrap(),
        &small_config(),
        7,
        &Default::default(),
    )
    .unwrap();
    let fast = predict_proba(&trained.model, &table).unwrap();
    let encoded = encode_rows(&trained.model.features, &table).unwrap();
    let slow = predict_encoded(&trained.model.forest, &encoded);
    assert_eq!(fast.len(), 1000);
    for (a, b) in fast.iter().zip(&slow) {
        assert_eq!(a.to_bits(), b.to_bits());
    }
}
