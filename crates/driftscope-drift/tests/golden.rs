//! Golden tests: every statistic against numpy/scipy values made by `tools/golden_drift.py`
//! (stored in `tests/golden/cases.json`; Python is not needed to run this test).

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design
#![allow(clippy::too_many_lines)] // tests walk through many cases

use driftscope_artifacts::{parse_artifact, to_artifact_bytes};
use driftscope_drift::{
    categorical_profile, compare_feature, current_from_profile, drift_report,
    drift_report_of_profile, feature_profile, numerical_profile, CategoryCount, ColumnValues,
    CurrentBatch, DataDriftConfig, ReferenceProfile, ReferenceSample, SampleColumn, Severity,
    Sorted,
};
use driftscope_profile::{profile_part, BatchProfile, ColumnSpec, ProfileSpec};
use serde_json::Value;

fn lcg(seed: u64, n: usize) -> impl Iterator<Item = u64> {
    let mut x = seed;
    (0..n).map(move |_| {
        x = (1_103_515_245 * x + 12_345) % (1 << 31);
        x
    })
}

enum Cell {
    Num(f64),
    Text(String),
    Missing,
}

/// Regenerates a sample from its spec exactly as the Python script does.
fn gen(spec: &Value) -> Vec<Cell> {
    if let Some(values) = spec.get("values") {
        return values
            .as_array()
            .unwrap()
            .iter()
            .map(|v| match v {
                Value::Null => Cell::Missing,
                Value::String(s) => Cell::Text(s.clone()),
                v => Cell::Num(v.as_f64().unwrap()),
            })
            .collect();
    }
    let f = |k: &str, d: f64| spec.get(k).and_then(Value::as_f64).unwrap_or(d);
    let missing_every = spec
        .get("missing_every")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let kind = spec["kind"].as_str().unwrap();
    let tail = spec.get("unseen_tail").and_then(Value::as_u64).unwrap_or(0) as usize;
    let n = spec["n"].as_u64().unwrap() as usize;
    lcg(
        spec["seed"].as_u64().unwrap(),
        spec["n"].as_u64().unwrap() as usize,
    )
    .enumerate()
    .map(|(i, x)| {
        if missing_every > 0 && (i as u64).is_multiple_of(missing_every) {
            return Cell::Missing;
        }
        match kind {
            "int" => Cell::Num(
                (x % spec["mod"].as_u64().unwrap()) as f64 * f("scale", 1.0) + f("shift", 0.0),
            ),
            "uniform" => {
                Cell::Num((x % 1_000_003) as f64 / 1_000_003.0 * f("scale", 1.0) + f("shift", 0.0))
            }
            "cat" => {
                let cats = spec["cats"].as_array().unwrap();
                let bias = spec.get("bias").and_then(Value::as_u64).unwrap_or(0);
                let k = if x % 100 < bias {
                    0
                } else {
                    (x % cats.len() as u64) as usize
                };
                Cell::Text(cats[k].as_str().unwrap().to_string())
            }
            other => panic!("unknown kind {other}"),
        }
    })
    .enumerate()
    // The last `tail` rows: single-row categories never seen in the reference.
    .map(|(i, cell)| match (i + tail).checked_sub(n) {
        Some(k) => Cell::Text(format!("new{k:03}")),
        None => cell,
    })
    .collect()
}

fn values(cells: &[Cell], numerical: bool) -> ColumnValues {
    let missing = cells.iter().filter(|c| matches!(c, Cell::Missing)).count() as u64;
    if numerical {
        let mut sorted: Vec<f64> = cells
            .iter()
            .filter_map(|c| if let Cell::Num(v) = c { Some(*v) } else { None })
            .collect();
        sorted.sort_by(f64::total_cmp);
        ColumnValues::Numerical { sorted, missing }
    } else {
        let mut counts: Vec<CategoryCount> = Vec::new();
        for c in cells {
            if let Cell::Text(s) = c {
                match counts.iter_mut().find(|x| &x.value == s) {
                    Some(x) => x.count += 1,
                    None => counts.push(CategoryCount {
                        value: s.clone(),
                        count: 1,
                    }),
                }
            }
        }
        counts.sort_by(|a, b| a.value.cmp(&b.value));
        ColumnValues::Categorical { counts, missing }
    }
}

fn close_stat(name: &str, field: &str, got: Option<f64>, want: &Value, failures: &mut Vec<String>) {
    match (got, want.as_f64()) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            if (g - w).abs() > 1e-9 * w.abs().max(g.abs()) + 1e-15 {
                failures.push(format!("{name}.{field}: got {g:e}, scipy {w:e}"));
            }
        }
        (g, _) => failures.push(format!("{name}.{field}: got {g:?}, scipy {want}")),
    }
}

fn close_p(name: &str, field: &str, got: Option<f64>, want: &Value, failures: &mut Vec<String>) {
    match (got, want.as_f64()) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            if (g - w).abs() > 1e-6_f64.max(1e-6 * w.abs()) {
                failures.push(format!("{name}.{field}: got {g:e}, scipy {w:e}"));
            }
        }
        (g, _) => failures.push(format!("{name}.{field}: got {g:?}, scipy {want}")),
    }
}

/// The golden cases file (`tools/golden_drift.py`).
fn golden_cases() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/cases.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_statistic_matches_scipy() {
    let golden = golden_cases();
    let cfg = DataDriftConfig::default();
    assert_eq!(golden["n_bins"].as_u64().unwrap() as usize, cfg.n_bins);
    let cases = golden["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let numerical = case["type"] == "numerical";
        let rv = values(&gen(&case["reference"]), numerical);
        let cv = values(&gen(&case["current"]), numerical);
        let e = &case["expected"];
        let (profile, sorted) = match &rv {
            ColumnValues::Numerical { sorted, missing } => (
                numerical_profile(
                    name,
                    &Sorted::from_sorted(sorted).unwrap(),
                    *missing,
                    cfg.n_bins,
                )
                .unwrap(),
                Some(sorted.as_slice()),
            ),
            ColumnValues::Categorical { counts, missing } => {
                (categorical_profile(name, counts.clone(), *missing), None)
            }
            ColumnValues::NotNumerical { .. } => unreachable!(),
        };
        let got = compare_feature(&profile, sorted, &cv, &cfg);
        close_stat(name, "psi", got.psi, &e["psi"], &mut failures);
        close_stat(
            name,
            "kl_divergence",
            got.kl_divergence,
            &e["kl_divergence"],
            &mut failures,
        );
        close_stat(
            name,
            "js_distance",
            got.js_distance,
            &e["js_distance"],
            &mut failures,
        );
        if numerical {
            close_stat(
                name,
                "wasserstein",
                got.wasserstein,
                &e["wasserstein"],
                &mut failures,
            );
            close_stat(
                name,
                "wasserstein_normed",
                got.wasserstein_normed,
                &e["wasserstein_normed"],
                &mut failures,
            );
            close_stat(
                name,
                "ks.statistic",
                got.ks.map(|t| t.statistic),
                &e["ks"]["statistic"],
                &mut failures,
            );
            close_p(
                name,
                "ks.p_value",
                got.ks.map(|t| t.p_value),
                &e["ks"]["p_value"],
                &mut failures,
            );
            close_stat(
                name,
                "mann_whitney.statistic",
                got.mann_whitney.map(|t| t.statistic),
                &e["mann_whitney"]["statistic"],
                &mut failures,
            );
            close_p(
                name,
                "mann_whitney.p_value",
                got.mann_whitney.map(|t| t.p_value),
                &e["mann_whitney"]["p_value"],
                &mut failures,
            );
        } else {
            close_stat(
                name,
                "chi_square.statistic",
                got.chi_square.map(|t| t.statistic),
                &e["chi_square"]["statistic"],
                &mut failures,
            );
            close_p(
                name,
                "chi_square.p_value",
                got.chi_square.map(|t| t.p_value),
                &e["chi_square"]["p_value"],
                &mut failures,
            );
            if let Some(dof) = e["chi_square"]["dof"].as_u64() {
                if got.chi_square.map(|c| c.dof) != Some(dof) {
                    failures.push(format!(
                        "{name}.dof: got {:?}, scipy {dof}",
                        got.chi_square.map(|c| c.dof)
                    ));
                }
            }
        }
        if let (Some(d), Some(rc)) = (&got.distribution, e.get("reference_counts")) {
            let rc: Vec<u64> = serde_json::from_value(rc.clone()).unwrap();
            let cc: Vec<u64> = serde_json::from_value(e["current_counts"].clone()).unwrap();
            let cut = d.labels.len() < rc.len();
            if cut {
                // Only the written list is cut: same totals, reference bins all kept.
                let sum = |v: &[u64]| v.iter().sum::<u64>();
                let kept = driftscope_drift::MAX_UNSEEN_SHOWN + 1;
                if sum(&d.reference) != sum(&rc)
                    || sum(&d.current) != sum(&cc)
                    || d.labels.len() != rc.iter().filter(|&&r| r > 0).count() + kept
                {
                    failures.push(format!("{name}: cut distribution {d:?}"));
                }
            } else if d.reference != rc || d.current != cc {
                failures.push(format!(
                    "{name}: bin counts {:?}/{:?} vs numpy {rc:?}/{cc:?}",
                    d.reference, d.current
                ));
            }
        }
        let sev: Severity = serde_json::from_value(e["severity"].clone()).unwrap();
        if got.drift_detected != e["drift_detected"].as_bool().unwrap() || got.severity != sev {
            failures.push(format!(
                "{name}: verdict {} {:?} vs {} {sev:?}",
                got.drift_detected, got.severity, e["drift_detected"]
            ));
        }
        if got.reference_missing != e["reference_missing"].as_u64().unwrap()
            || got.current_missing != e["current_missing"].as_u64().unwrap()
        {
            failures.push(format!(
                "{name}: missing counts {}/{}",
                got.reference_missing, got.current_missing
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The spec a batch is profiled against for one golden case: its one feature, with fine edges
/// from the reference (so a part past a small cap is binned, never an error here).
fn spec_of(profile: &driftscope_drift::FeatureProfile, sorted: Option<&[f64]>) -> ProfileSpec {
    ProfileSpec {
        value_cap: driftscope_profile::DEFAULT_VALUE_CAP,
        columns: vec![ColumnSpec {
            name: profile.name.clone(),
            feature_type: profile.feature_type,
            fine_edges: sorted.map_or(Vec::new(), |s| {
                driftscope_profile::fine_edges(s, 2048, &profile.bin_edges)
            }),
        }],
    }
}

/// The profile of `cells` cut into `parts` pieces at seeded places, each piece profiled on its
/// own, written and read back as an artifact, and merged.
fn merged_profile(cells: &[Cell], numerical: bool, spec: &ProfileSpec, parts: u64) -> BatchProfile {
    let cuts: Vec<usize> = {
        let mut c: Vec<usize> = lcg(parts * 7 + cells.len() as u64, parts as usize - 1)
            .map(|x| (x % (cells.len() as u64 + 1)) as usize)
            .collect();
        c.push(0);
        c.push(cells.len());
        c.sort_unstable();
        c
    };
    let mut merged: Option<BatchProfile> = None;
    for w in cuts.windows(2) {
        let part = &cells[w[0]..w[1]];
        let p = profile_part(
            spec,
            "part",
            part.len() as u64,
            vec![Some(values(part, numerical))],
            vec![],
        )
        .unwrap();
        let bytes = to_artifact_bytes(&p).unwrap();
        let p: BatchProfile = parse_artifact(std::path::Path::new("part.json"), &bytes).unwrap();
        merged = Some(match merged {
            None => p,
            Some(m) => m.merge(&p).unwrap(),
        });
    }
    merged.unwrap()
}

/// Acceptance of issue 19: on every golden case, the drift report from the current batch's
/// profile (whole, or cut into parts and merged) is byte-identical to the report from its rows.
#[test]
fn report_from_a_profile_equals_report_from_rows() {
    let golden = golden_cases();
    let cfg = DataDriftConfig::default();
    let mut bounded = 0;
    for case in golden["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let numerical = case["type"] == "numerical";
        let rv = values(&gen(&case["reference"]), numerical);
        let cells = gen(&case["current"]);
        let reference_profile = feature_profile(name, &rv, cfg.n_bins).unwrap().unwrap();
        let sorted = match &rv {
            ColumnValues::Numerical { sorted, .. } => sorted.clone(),
            _ => Vec::new(),
        };
        let profile = ReferenceProfile {
            model_version: "none".into(),
            rows: 0,
            n_bins: cfg.n_bins,
            target: String::new(),
            target_counts: vec![],
            excluded: vec![],
            predictions: None,
            features: vec![reference_profile.clone()],
        };
        let sample = ReferenceSample {
            model_version: "none".into(),
            predictions: vec![],
            columns: vec![SampleColumn {
                name: name.into(),
                sorted_values: sorted.clone(),
            }],
        };
        let rows = CurrentBatch {
            rows: cells.len() as u64,
            values: vec![Some(values(&cells, numerical))],
            extra_columns: vec![],
        };
        let want =
            to_artifact_bytes(&drift_report(&profile, &sample, &rows, &cfg).unwrap()).unwrap();
        let spec = spec_of(&reference_profile, numerical.then_some(sorted.as_slice()));
        for parts in [1, 2, 5] {
            let batch = merged_profile(&cells, numerical, &spec, parts);
            let got = drift_report_of_profile(&profile, &sample, &batch, &cfg).unwrap();
            assert!(
                to_artifact_bytes(&got).unwrap() == want,
                "{name}, {parts} parts: report from the profile differs from the rows'"
            );
            let current = current_from_profile(&profile, &batch).unwrap();
            let got = drift_report(&profile, &sample, &current, &cfg).unwrap();
            assert!(
                to_artifact_bytes(&got).unwrap() == want,
                "{name}: current_from_profile"
            );
        }
        // Past a cap of 8 values: PSI, KL, JS and the binned distribution still exact, every
        // bounded statistic's interval holds the exact value.
        let mut small = spec.clone();
        small.value_cap = 8;
        let batch = merged_profile(&cells, numerical, &small, 3);
        let got = drift_report_of_profile(&profile, &sample, &batch, &cfg).unwrap();
        let rows_report = drift_report(&profile, &sample, &rows, &cfg).unwrap();
        bounded += check_bounded(name, &got.features, &rows_report.features, &rows);
    }
    assert!(bounded >= 15, "only {bounded} cases went past the cap");
}

/// Every bounded feature: exact fields equal the rows', intervals hold the rows' values.
fn check_bounded(
    name: &str,
    got: &[driftscope_drift::FeatureDrift],
    want: &[driftscope_drift::FeatureDrift],
    rows: &CurrentBatch,
) -> usize {
    let mut checked = 0;
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (
                g.psi,
                g.kl_divergence,
                g.js_distance,
                &g.distribution,
                g.drift_detected
            ),
            (
                w.psi,
                w.kl_divergence,
                w.js_distance,
                &w.distribution,
                w.drift_detected
            ),
            "{name}"
        );
        let Some(b) = &g.bounded else { continue };
        let inside = |what: &str, s: driftscope_artifacts::BoundedStat, v: f64| {
            assert!(
                s.lower <= v && v <= s.upper && (s.estimate - v).abs() <= s.error_bound,
                "{name}.{what}: {v} outside {s:?}"
            );
        };
        let (ks, mw) = (w.ks.unwrap(), w.mann_whitney.unwrap());
        inside("ks", b.ks_statistic, ks.statistic);
        inside("ks.p", b.ks_p_value, ks.p_value);
        inside("u", b.mann_whitney_u, mw.statistic);
        inside("u.p", b.mann_whitney_p_value, mw.p_value);
        inside("w", b.wasserstein, w.wasserstein.unwrap());
        inside("wn", b.wasserstein_normed, w.wasserstein_normed.unwrap());
        let Some(ColumnValues::Numerical { sorted, .. }) = &rows.values[0] else {
            unreachable!()
        };
        let q = |p| driftscope_artifacts::linear_quantile(sorted, p);
        inside("p25", b.current_p25, q(0.25));
        inside("median", b.current_median, q(0.5));
        inside("p75", b.current_p75, q(0.75));
        checked += 1;
    }
    checked
}
