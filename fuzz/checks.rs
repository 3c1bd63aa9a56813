// Shared by the `model` and `profile` fuzz targets (`include!`d) and by the corpus replay test
// `crates/driftscope-monitor/tests/fuzz_corpus.rs`, so the replay runs exactly what the fuzzer
// ran. Plain functions over bytes; a panic is the finding.

/// Scores three rows (numbers, known and unknown categories, missing cells) with any bytes
/// that read as a `model.json`, then runs the prediction-drift statistics (PSI, KL, JS,
/// Wasserstein, KS, Mann-Whitney U) on the probabilities against a fixed reference: every
/// probability lies in [0, 1] and every statistic is finite. Returns whether the bytes read as
/// a model.
pub fn check_model(data: &[u8]) -> bool {
    use driftscope_artifacts::{parse_artifact, Encoding, ModelArtifact};
    let Ok(model) = parse_artifact::<ModelArtifact>(std::path::Path::new("fuzz.json"), data) else {
        return false;
    };
    let names: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
    let mut csv = names.join(",") + "\n";
    for (number, text) in [("1", "a"), ("-2.5", "zz"), ("", ""), ("1e300", "b")] {
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
    let Ok(table) = driftscope_data::Table::from_csv_bytes("fuzz.csv", csv.into_bytes()) else {
        return true;
    };
    let Ok(p) = driftscope_training::predict_proba(&model, &table) else {
        return true;
    };
    assert!(p.iter().all(|x| (0.0..=1.0).contains(x)), "{p:?}");
    let current = driftscope_drift::Sorted::new(p).expect("probabilities are finite");
    let reference =
        driftscope_drift::Sorted::new(vec![0.05, 0.2, 0.2, 0.5, 0.9]).expect("finite reference");
    check_sample_statistics(&reference, &current);
    true
}

/// Every two-sample statistic of `reference` against `current` is finite (or a clean error).
fn check_sample_statistics(
    reference: &driftscope_drift::Sorted<'_>,
    current: &driftscope_drift::Sorted<'_>,
) {
    use driftscope_drift as d;
    let finite = |what: &str, v: Result<f64, d::DriftError>| {
        if let Ok(v) = v {
            assert!(v.is_finite(), "{what}: {v}");
        }
    };
    finite("psi", d::psi_samples(reference, current, 10));
    finite("kl", d::kl_divergence_samples(reference, current, 10));
    finite("js", d::js_distance_samples(reference, current, 10));
    finite("wasserstein", d::wasserstein(reference, current));
    finite(
        "ks",
        d::ks_2samp(reference, current).map(|t| t.statistic + t.p_value),
    );
    finite(
        "mwu",
        d::mann_whitney(reference, current).map(|t| t.statistic + t.p_value),
    );
}

/// Compares every feature of any bytes that read as a `reference_profile.json` with four
/// batches (fixed numbers, one repeated value, the profile's own edges, its own categories plus
/// an unseen one) through `compare_feature`, the function monitor and drift call: every PSI,
/// KL and JS is finite (or absent). Returns whether the bytes read as a profile.
pub fn check_profile(data: &[u8]) -> bool {
    use driftscope_artifacts::{parse_artifact, ReferenceProfile};
    use driftscope_drift::{CategoryCount, ColumnValues, DataDriftConfig, FeatureType};
    let Ok(profile) = parse_artifact::<ReferenceProfile>(std::path::Path::new("fuzz.json"), data)
    else {
        return false;
    };
    let cfg = DataDriftConfig::default();
    for f in &profile.features {
        let mut batches = Vec::new();
        if f.feature_type == FeatureType::Numerical {
            let mut edges: Vec<f64> = f
                .bin_edges
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            edges.sort_by(f64::total_cmp);
            for sorted in [vec![-1.0, 0.0, 0.5, 2.0, 1e9], vec![3.0; 4], edges] {
                batches.push(ColumnValues::Numerical { sorted, missing: 1 });
            }
        } else {
            let mut counts: Vec<CategoryCount> = f
                .categories
                .iter()
                .map(|c| CategoryCount {
                    value: c.value.clone(),
                    count: c.count % 7 + 1,
                })
                .collect();
            counts.push(CategoryCount {
                value: "\u{0}unseen".into(),
                count: 2,
            });
            counts.sort_by(|a, b| a.value.cmp(&b.value));
            counts.dedup_by(|a, b| a.value == b.value);
            batches.push(ColumnValues::Categorical { counts, missing: 0 });
            batches.push(ColumnValues::Categorical {
                counts: vec![CategoryCount {
                    value: "a".into(),
                    count: 3,
                }],
                missing: 0,
            });
        }
        let reference = [-1.0, 0.0, 0.5, 2.0, 1e9];
        for current in &batches {
            let d = driftscope_drift::compare_feature(f, Some(&reference), current, &cfg);
            for s in [d.psi, d.kl_divergence, d.js_distance]
                .into_iter()
                .flatten()
            {
                assert!(s.is_finite(), "{}: {d:?}", f.name);
            }
        }
    }
    true
}
