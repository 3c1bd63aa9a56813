//! Replays the crafted-artifact fuzz corpus (`fuzz/corpus/crafted`) through what the `crafted`
//! fuzz target does for reference profiles: a `profile-valid*` or `profile-all-zero` file reads
//! and every feature compares with a small batch to finite statistics; every other `profile-*`
//! file is refused on read naming the field.

#![allow(clippy::unwrap_used)] // test setup

use std::path::Path;

use driftscope_artifacts::{parse_artifact, ArtifactError};
use driftscope_drift::{
    compare_feature, CategoryCount, ColumnValues, DataDriftConfig, FeatureType, ReferenceProfile,
};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/crafted");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every statistic of every feature against a fixed batch is finite (or absent).
fn compare_all(name: &str, profile: &ReferenceProfile) {
    let cfg = DataDriftConfig::default();
    let numbers = vec![-1.0, 0.0, 0.5, 2.0, 1e9];
    for f in &profile.features {
        let current = match f.feature_type {
            FeatureType::Numerical => ColumnValues::Numerical {
                sorted: numbers.clone(),
                missing: 1,
            },
            _ => ColumnValues::Categorical {
                counts: vec![CategoryCount {
                    value: "a".into(),
                    count: 3,
                }],
                missing: 0,
            },
        };
        let d = compare_feature(f, Some(&numbers), &current, &cfg);
        for s in [d.psi, d.kl_divergence, d.js_distance]
            .into_iter()
            .flatten()
        {
            assert!(s.is_finite(), "{name}: {}: {d:?}", f.name);
        }
    }
}

#[test]
fn crafted_profiles_compare_or_are_refused_naming_the_field() {
    let mut seen = 0;
    for (name, bytes) in corpus()
        .into_iter()
        .filter(|(n, _)| n.starts_with("profile-"))
    {
        seen += 1;
        let read = parse_artifact::<ReferenceProfile>(Path::new(&name), &bytes);
        if name.starts_with("profile-valid") || name.starts_with("profile-all-zero") {
            compare_all(&name, &read.unwrap());
        } else {
            match read {
                Err(e @ ArtifactError::Invalid { .. }) => {
                    assert!(e.to_string().contains(&name), "{e}");
                }
                other => panic!("{name}: expected a refusal naming a field, got {other:?}"),
            }
        }
    }
    assert!(seen >= 5);
}
