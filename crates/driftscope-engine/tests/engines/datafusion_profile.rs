//! The DataFusion engine's profile of a partitioned Parquet batch equals the local engine's.

use crate::common::{assert_same_profile, local_profile, reference_spec, write_parts};
use driftscope_engine::{profile_batch, Engine, EngineError, ProfileRequest};
use driftscope_profile::{ColumnData, NumericDistribution};

fn request(batches: Vec<String>, spec: driftscope_profile::ProfileSpec) -> ProfileRequest {
    ProfileRequest {
        engine: Engine::DataFusion,
        batches,
        spec,
        timeout_secs: 300,
    }
}

/// How many numerical columns keep exact values and how many fine bins.
fn distributions(p: &driftscope_profile::BatchProfile) -> (usize, usize) {
    let numeric = p.columns.iter().filter_map(|c| match &c.data {
        ColumnData::Numerical(n) => Some(&n.distribution),
        _ => None,
    });
    numeric.fold((0, 0), |(e, b), d| match d {
        NumericDistribution::Exact(_) => (e + 1, b),
        NumericDistribution::Binned(_) => (e, b + 1),
    })
}

#[test]
fn datafusion_profile_of_a_partitioned_parquet_batch_equals_the_local_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = write_parts(dir.path(), 4, 1500);
    let spec = reference_spec(driftscope_profile::DEFAULT_VALUE_CAP);
    let glob = format!("{}/*.parquet", dir.path().display());
    let got = profile_batch(&request(vec![glob], spec.clone())).expect("datafusion profile");
    let want = local_profile(&spec, &parts);
    assert_eq!(got.rows, 6000);
    let (exact, _) = distributions(&got);
    assert!(
        exact >= 2,
        "the generated batch has exact numerical columns"
    );
    assert_same_profile(&got, &want);
}

#[test]
fn past_the_cap_the_fine_bin_counts_equal_the_local_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = write_parts(dir.path(), 3, 1000);
    // A cap of 50 distinct values: MonthlyCharges and TotalCharges go past it.
    let spec = reference_spec(50);
    let glob = format!("{}/part-*.parquet", dir.path().display());
    let got = profile_batch(&request(vec![glob], spec.clone())).expect("datafusion profile");
    let (_, binned) = distributions(&got);
    assert!(binned >= 2, "columns past the cap are binned");
    assert_same_profile(&got, &local_profile(&spec, &parts));
}

#[test]
fn past_the_cap_the_profile_is_the_same_bytes_every_run() {
    // Large enough parts that DataFusion would split a file's scan and merge partial sums in
    // the order they arrive; each file is one partition and the files merge in path order.
    let dir = tempfile::tempdir().expect("tempdir");
    write_parts(dir.path(), 4, 30_000);
    let spec = reference_spec(50);
    let glob = format!("{}/*.parquet", dir.path().display());
    let bytes = || {
        let p = profile_batch(&request(vec![glob.clone()], spec.clone())).expect("profile");
        assert_eq!(p.sources, vec![glob.clone()]);
        serde_json::to_vec(&p).expect("json")
    };
    let first = bytes();
    for _ in 0..3 {
        assert!(bytes() == first, "the same batch gave other bytes");
    }
}

#[test]
fn profiles_of_two_parts_merge_into_the_profile_of_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = write_parts(dir.path(), 2, 800);
    let spec = reference_spec(driftscope_profile::DEFAULT_VALUE_CAP);
    let each: Vec<String> = parts.iter().map(|p| p.display().to_string()).collect();
    let merged = profile_batch(&request(each, spec.clone())).expect("two parts");
    let glob = format!("{}/*.parquet", dir.path().display());
    let whole = profile_batch(&request(vec![glob], spec)).expect("whole");
    assert_eq!(merged.sources.len(), 2);
    assert_same_profile(&merged, &whole);
}

#[test]
fn a_file_without_a_column_the_others_have_is_refused_naming_both() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = String::from_utf8(driftscope_data::generate_telco_csv(400, 1)).expect("utf-8");
    std::fs::write(dir.path().join("part-1.csv"), &csv).expect("write part");
    // The same rows without their second field, `gender`.
    let without: String = csv
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            fields.remove(1);
            fields.join(",") + "\n"
        })
        .collect();
    assert!(csv.starts_with("customerID,gender,") && !without.contains("gender"));
    std::fs::write(dir.path().join("part-2.csv"), without).expect("write part");
    let glob = format!("{}/*.csv", dir.path().display());
    let err = profile_batch(&request(vec![glob.clone()], reference_spec(100)))
        .expect_err("a file lacks a column");
    let text = err.to_string();
    assert!(
        text.contains(&glob) && text.contains("part-2.csv") && text.contains("lacks [gender]"),
        "{text}"
    );
}

#[test]
fn a_missing_batch_is_a_clear_error() {
    let spec = reference_spec(100);
    let err = profile_batch(&request(vec!["/nonexistent/dir/*.parquet".into()], spec))
        .expect_err("no such files");
    assert!(matches!(err, EngineError::Query { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/dir"), "{err}");
}
