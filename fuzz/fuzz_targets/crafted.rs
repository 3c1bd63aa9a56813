//! Crafted model and reference-profile artifacts: any bytes that read as a `model.json` score a
//! small table, and any that read as a `reference_profile.json` compare a small batch with every
//! feature; neither panics, loops, or gives a non-finite statistic (what validation on read
//! guarantees). The corpus `corpus/crafted` is replayed by driftscope-training's and
//! driftscope-drift's `fuzz_corpus` tests.
#![no_main]

use driftscope_artifacts::*;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let p = Path::new("fuzz.json");
    if let Ok(model) = parse_artifact::<ModelArtifact>(p, data) {
        let names: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
        let mut csv = names.join(",") + "\n";
        for (number, text) in [("1", "a"), ("-2.5", "zz"), ("", "")] {
            let cells: Vec<&str> = model
                .features
                .iter()
                .map(|f| match f.encoding {
                    Encoding::Numeric { .. } => number,
                    Encoding::OneHot { .. } => text,
                })
                .collect();
            csv += &(cells.join(",") + "\n");
        }
        if let Ok(table) = driftscope_data::Table::from_csv_bytes("fuzz.csv", csv.into_bytes()) {
            if let Ok(p) = driftscope_training::predict_proba(&model, &table) {
                assert!(p.iter().all(|x| (0.0..=1.0).contains(x)));
            }
        }
    }
    if let Ok(profile) = parse_artifact::<ReferenceProfile>(p, data) {
        let cfg = DataDriftConfig::default();
        let numbers = vec![-1.0, 0.0, 0.5, 2.0, 1e9];
        for f in &profile.features {
            let current = match f.feature_type {
                FeatureType::Numerical => ColumnValues::Numerical { sorted: numbers.clone(), missing: 1 },
                _ => ColumnValues::Categorical {
                    counts: vec![CategoryCount { value: "a".into(), count: 3 }],
                    missing: 0,
                },
            };
            let d = driftscope_drift::compare_feature(f, Some(&numbers), &current, &cfg);
            for s in [d.psi, d.kl_divergence, d.js_distance].into_iter().flatten() {
                assert!(s.is_finite());
            }
        }
    }
});
