//! Isotonic regression, Platt scaling and beta calibration against scikit-learn's values
//! (`tools/golden_calibration.py` -> `tests/golden/calibration.json`).

use driftscope_artifacts::Calibrator;
use driftscope_performance::{fit_beta, fit_isotonic, fit_platt};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

/// The golden cases: (case, name, scores, labels).
fn cases() -> Vec<(Value, String, Vec<f64>, Vec<bool>)> {
    let golden: Value =
        serde_json::from_str(include_str!("golden/calibration.json")).expect("golden JSON");
    let cases = golden["cases"].as_array().expect("cases").clone();
    cases
        .into_iter()
        .map(|case| {
            let name = case["name"].as_str().expect("name").to_string();
            let scores = floats(&case["scores"]);
            let labels: Vec<bool> = case["labels"]
                .as_array()
                .expect("labels")
                .iter()
                .map(|v| v.as_i64() == Some(1))
                .collect();
            (case, name, scores, labels)
        })
        .collect()
}

#[test]
fn isotonic_and_platt_equal_scikit_learn() {
    let cases = cases();
    assert!(cases.len() >= 4);
    for (case, name, scores, labels) in cases {
        let iso = fit_isotonic(&labels, &scores).expect("fit");
        let Calibrator::Isotonic { x, y } = &iso else {
            panic!("{name}: not isotonic")
        };
        let (gx, gy) = (floats(&case["isotonic_x"]), floats(&case["isotonic_y"]));
        assert_eq!(x.len(), gx.len(), "{name}: thresholds");
        for i in 0..gx.len() {
            assert!(close(x[i], gx[i], 1e-12), "{name}: x[{i}]");
            assert!(
                close(y[i], gy[i], 1e-12),
                "{name}: y[{i}] {} vs {}",
                y[i],
                gy[i]
            );
        }
        for (q, want) in floats(&case["queries"])
            .iter()
            .zip(floats(&case["isotonic_predict"]))
        {
            assert!(close(iso.apply(*q), want, 1e-12), "{name}: predict({q})");
        }
        let Calibrator::Platt { a, b } = fit_platt(&labels, &scores).expect("platt") else {
            panic!("{name}: not platt")
        };
        let (ga, gb) = (
            case["platt_a"].as_f64().expect("a"),
            case["platt_b"].as_f64().expect("b"),
        );
        // scikit-learn stops its optimiser at a gradient tolerance; compare to 1e-4 relative.
        assert!(close(a, ga, 1e-4), "{name}: a {a} vs {ga}");
        assert!(close(b, gb, 1e-4), "{name}: b {b} vs {gb}");
    }
}

#[test]
fn beta_calibration_equals_scikit_learn_logistic_regression() {
    let mut reduced = 0;
    for (case, name, scores, labels) in cases() {
        let want = floats(&case["beta"]);
        let Calibrator::Beta { a, b, c } = fit_beta(&labels, &scores).expect("beta") else {
            panic!("{name}: not beta")
        };
        // Both optimisers stop at a tight gradient tolerance on a strictly convex loss.
        for (got, want, p) in [(a, want[0], "a"), (b, want[1], "b"), (c, want[2], "c")] {
            assert!(close(got, want, 1e-6), "{name}: {p} {got} vs {want}");
        }
        reduced += usize::from(want[0] == 0.0 || want[1] == 0.0);
    }
    // At least one case exercises the rule that drops a negative weight.
    assert!(reduced >= 1);
}
