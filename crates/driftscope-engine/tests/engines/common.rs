//! Shared by the engine tests: a partitioned Telco-like batch written by polars (not by the
//! engines under test), the spec taken from a reference, and the local profile of the batch.

use std::path::{Path, PathBuf};

use driftscope_artifacts::FeaturesConfig;
use driftscope_data::{columns_values, generate_telco_csv, read_features, Table};
use driftscope_profile::{
    fine_edges, profile_part, BatchProfile, ColumnData, ColumnProfile, ColumnSpec, FeatureType,
    NumericDistribution, ProfileSpec,
};

/// Fine bins per numerical column in the tests' spec.
pub const TEST_FINE_BINS: usize = 64;

/// Writes `parts` Parquet files of `rows` generated rows each into `dir`: one generated table
/// (seed 1) cut into parts, so every part has the same schema, as the parts of one dataset in a
/// lake have (parts converted apart could disagree: a part whose `TotalCharges` has no blank
/// cell reads as numbers, another as text).
pub fn write_parts(dir: &Path, parts: u64, rows: usize) -> Vec<PathBuf> {
    let count = usize::try_from(parts).expect("parts");
    let csv = generate_telco_csv(rows * count, 1);
    let table = Table::from_csv_bytes("generated", csv).expect("generated csv");
    (0..count)
        .map(|k| {
            let path = dir.join(format!("part-{}.parquet", k + 1));
            table
                .slice(k * rows, rows)
                .write_parquet(&path)
                .expect("write parquet");
            path
        })
        .collect()
}

/// The spec from a generated reference (seed 100): its feature types and fine edges.
pub fn reference_spec(value_cap: u64) -> ProfileSpec {
    let table = Table::from_csv_bytes("reference", generate_telco_csv(3000, 100)).expect("csv");
    let (schema, values) =
        read_features(&table, Some("Churn"), &FeaturesConfig::default()).expect("features");
    let columns = schema
        .features
        .iter()
        .zip(values)
        .map(|(c, v)| ColumnSpec {
            name: c.name.clone(),
            feature_type: c.feature_type,
            fine_edges: match v {
                driftscope_artifacts::ColumnValues::Numerical { sorted, .. } => {
                    fine_edges(&sorted, TEST_FINE_BINS, &[])
                }
                _ => Vec::new(),
            },
        })
        .collect();
    ProfileSpec { value_cap, columns }
}

/// The local engine's profile of the parts: each read by driftscope-data, profiled with
/// `profile_part` and merged.
pub fn local_profile(spec: &ProfileSpec, parts: &[PathBuf]) -> BatchProfile {
    let wanted: Vec<(String, FeatureType)> = spec
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.feature_type))
        .collect();
    let mut merged: Option<BatchProfile> = None;
    for part in parts {
        let table = Table::read(part).expect("read part");
        let values = columns_values(&table, &wanted, None).expect("values");
        let extra: Vec<String> = table
            .column_names()
            .into_iter()
            .filter(|n| !spec.columns.iter().any(|c| &c.name == n))
            .collect();
        let p = profile_part(
            spec,
            &part.display().to_string(),
            table.n_rows() as u64,
            values.into_iter().map(Some).collect(),
            extra,
        )
        .expect("profile part");
        merged = Some(match merged {
            Some(m) => m.merge(&p).expect("merge"),
            None => p,
        });
    }
    merged.expect("at least one part")
}

/// Relative difference, 0 for two equal numbers.
fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// `a` with its rounded fields (moments, fine-bin sums) zeroed, as JSON, after checking them
/// against `b`'s within 1e-12 relative: what is left must equal bit for bit.
fn exact_part(a: &ColumnProfile, b: &ColumnProfile) -> String {
    let mut a = a.clone();
    if let (ColumnData::Numerical(pa), ColumnData::Numerical(pb)) = (&mut a.data, &b.data) {
        let (ma, mb) = (pa.moments, pb.moments);
        for (x, y) in [
            (ma.mean, mb.mean),
            (ma.m2, mb.m2),
            (ma.m3, mb.m3),
            (ma.m4, mb.m4),
        ] {
            assert!(
                rel(x, y) < 1e-12 || (x - y).abs() < 1e-9,
                "{}: moments {ma:?} vs {mb:?}",
                a.name
            );
        }
        pa.moments = pb.moments;
        if let (NumericDistribution::Binned(ba), NumericDistribution::Binned(bb)) =
            (&mut pa.distribution, &pb.distribution)
        {
            for (x, y) in ba.sums.iter().zip(&bb.sums) {
                assert!(rel(*x, *y) < 1e-12, "{}: bin sums {x} vs {y}", a.name);
            }
            ba.sums = bb.sums.clone();
        }
    }
    serde_json::to_string(&a).expect("json")
}

/// Asserts two profiles of one batch agree: rows, cap, absent and extra columns and every
/// column's exact fields bit for bit (counts, min/max, value maps, categories, fine-bin
/// counts), moments and bin sums within 1e-12 relative. `sources` may differ.
pub fn assert_same_profile(got: &BatchProfile, want: &BatchProfile) {
    assert_eq!(got.rows, want.rows, "rows");
    assert_eq!(got.value_cap, want.value_cap);
    assert_eq!(got.absent_columns, want.absent_columns);
    assert_eq!(got.extra_columns, want.extra_columns);
    let names = |p: &BatchProfile| p.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(got), names(want));
    for (g, w) in got.columns.iter().zip(&want.columns) {
        assert_eq!(
            exact_part(g, w),
            serde_json::to_string(w).expect("json"),
            "column {}",
            g.name
        );
    }
}
