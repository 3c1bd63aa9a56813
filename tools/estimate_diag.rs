//! Diagnostic behind docs/calibration.md ("Where the error comes from"): decomposes the
//! estimated-AUC and accuracy error of `cargo xtask eval`'s 2,000-row batches (same splits,
//! seeds 42.., same batch draws, same covariate weights) for the model as `train` fits it. Not
//! part of the build (a measurement, not a tool): to run it, copy it to
//! crates/driftscope-monitor/examples/ and
//! `cargo run --release -p driftscope-monitor --example estimate_diag [SPLITS]` (default 20;
//! the real file is read from data/).
//! Per dataset and condition, for AUC and accuracy: bias, mean absolute error and standard
//! deviation of estimated minus realized; the mean standard deviations of the interval's terms
//! (label noise, calibration on the batch, calibration on the holdout, residual); the 95%
//! coverage with label noise only, with the holdout spread, with the batch spread, and as
//! monitoring computes it; the standard deviation of the per-split mean error.
//! (The version of this file at commit f417f40 measured the isotonic and oracle calibrators.)
use driftscope_artifacts::{sort_floats, Config, MetricSpread};
use driftscope_data::{generate_telco_csv, Table};
use driftscope_performance::{
    batch_calibration_spread, classification_metrics, estimate_performance,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// One batch: per metric (AUC, accuracy): realized, estimate, label sd, batch-cal sd,
/// holdout-cal sd, residual sd, monitoring's half-width / 1.96, then the estimates of oracle
/// calibrators fitted on the 5,000 held-out rows' raw scores: beta unweighted, isotonic
/// unweighted, beta weighted by the batch condition's weights.
type Row = [[f64; 13]; 2];

fn oracle(c: &driftscope_artifacts::Calibrator, s: &[f64]) -> [f64; 2] {
    let p: Vec<f64> = s.iter().map(|v| c.apply(*v)).collect();
    let e = estimate_performance(&p, 0.5, None, true).unwrap();
    [e.auc.unwrap().value, e.accuracy.value]
}

fn z(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let m = v.iter().filter(|x| x.is_finite()).sum::<f64>() / n;
    let sd = (v
        .iter()
        .filter(|x| x.is_finite())
        .map(|x| (x - m).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    v.iter()
        .map(|x| if x.is_finite() { (x - m) / sd } else { 0.0 })
        .collect()
}

fn half(e: &driftscope_artifacts::Estimate) -> f64 {
    (e.upper - e.value).max(e.value - e.lower) / 1.959_963_984_540_054
}

fn split(table: &Table, seed: u64, cfg: &Config) -> [Vec<Row>; 2] {
    let mut idx: Vec<usize> = (0..table.n_rows()).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let (held, train) = idx.split_at(5000);
    let source = driftscope_training::Source {
        path: None,
        sha256: "",
        generator_seed: None,
    };
    let t =
        driftscope_monitor::train_calibrated(&table.take_rows(train).unwrap(), cfg, seed, &source)
            .unwrap();
    let ht = table.take_rows(held).unwrap();
    let p_all = driftscope_training::predict_proba(&t.model, &ht).unwrap();
    let (y, _) = ht
        .binary_target(&cfg.model.target, &cfg.model.positive_label, None)
        .unwrap();
    let w: Vec<f64> = {
        let (c, te) = (
            z(&ht.numeric("MonthlyCharges").unwrap()),
            z(&ht
                .numeric("tenure")
                .or_else(|_| ht.numeric("Tenure"))
                .unwrap()),
        );
        c.iter().zip(&te).map(|(a, b)| (a - b).exp()).collect()
    };
    let holdout = t.model.calibration_uncertainty.unwrap();
    let residual = t.model.calibration_residual.unwrap_or(MetricSpread {
        auc: 0.0,
        accuracy: 0.0,
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
    });
    let cal = t.model.calibration.clone().unwrap();
    let raw = driftscope_training::predict_proba_raw(&t.model, &ht).unwrap();
    let o_beta = driftscope_performance::fit_beta(&y, &raw).unwrap();
    let o_iso = driftscope_performance::fit_isotonic(&y, &raw).unwrap();
    // Weighted beta oracle: rows repeated in proportion to the shift weight (10 x w, rounded).
    let (wy, ws): (Vec<bool>, Vec<f64>) = (0..y.len())
        .flat_map(|i| std::iter::repeat_n((y[i], raw[i]), (10.0 * w[i]).round() as usize))
        .unzip();
    let o_wbeta = driftscope_performance::fit_beta(&wy, &ws).unwrap();
    // One beta calibrator per calibration fold (each fold scored by one forest).
    let mut start = 0;
    let folds: Vec<driftscope_artifacts::Calibrator> = t
        .calibration_folds
        .iter()
        .map(|len| {
            let r = start..start + len;
            start += len;
            driftscope_performance::fit_beta(
                &t.calibration_labels[r.clone()],
                &t.calibration_probabilities[r],
            )
            .unwrap()
        })
        .collect();
    let kf = folds.len() as f64;
    // Cross-fitted residual: per fold, the calibrator of the other folds, its estimate on the
    // fold against the fold's realized metric, minus label noise and calibration sampling
    // (the model's bootstrap spread on the fold's scores, times n / n_rest).
    let residual_fold = {
        let (cy, cs) = (&t.calibration_labels, &t.calibration_probabilities);
        let n = cy.len();
        let mut start = 0;
        let mut acc = [0.0f64; 2];
        for len in &t.calibration_folds {
            let r = start..start + len;
            start += len;
            let (ry, rs): (Vec<bool>, Vec<f64>) = (0..n)
                .filter(|i| !r.contains(i))
                .map(|i| (cy[i], cs[i]))
                .unzip();
            let c = driftscope_performance::fit_beta(&ry, &rs).unwrap();
            let p: Vec<f64> = cs[r.clone()].iter().map(|v| c.apply(*v)).collect();
            let fy = &cy[r];
            let m = classification_metrics(fy, &p, 0.5).unwrap();
            let e = estimate_performance(&p, 0.5, None, true).unwrap();
            let mut sorted = p.clone();
            sort_floats(&mut sorted);
            let b = batch_calibration_spread(&sorted, 0.5, &c, t.model.calibration_bootstrap.as_ref().unwrap(), None).unwrap();
            let scale = n as f64 / ry.len() as f64;
            let ea = e.auc.unwrap();
            acc[0] += (ea.value - m.auc.unwrap()).powi(2) - half(&ea).powi(2) - scale * b.auc.powi(2);
            acc[1] += (e.accuracy.value - m.accuracy).powi(2)
                - half(&e.accuracy).powi(2)
                - scale * b.accuracy.powi(2);
        }
        // The deployed calibrator's between-forest error: (K - 1) / K of the fold's in sd.
        [
            (acc[0] / kf).max(0.0).sqrt() * (kf - 1.0) / kf,
            (acc[1] / kf).max(0.0).sqrt() * (kf - 1.0) / kf,
        ]
    };
    // Each fold's own bootstrap refits (50, seeded).
    let mut start = 0;
    let fold_boots: Vec<Vec<driftscope_artifacts::Calibrator>> = t
        .calibration_folds
        .iter()
        .enumerate()
        .map(|(k, len)| {
            let (fy, fs) = (
                &t.calibration_labels[start..start + len],
                &t.calibration_probabilities[start..start + len],
            );
            start += len;
            let mut rng = ChaCha8Rng::seed_from_u64(seed * 100 + k as u64);
            (0..50)
                .map(|_| {
                    let ix: Vec<usize> = (0..*len).map(|_| rng.gen_range(0..*len)).collect();
                    let (a, b): (Vec<bool>, Vec<f64>) = ix.iter().map(|i| (fy[*i], fs[*i])).unzip();
                    driftscope_performance::fit_beta(&a, &b).unwrap()
                })
                .collect()
        })
        .collect();
    let boot = t.model.calibration_bootstrap.clone().unwrap();
    let mut out: [Vec<Row>; 2] = [vec![], vec![]];
    for (k, shifted) in [false, true].into_iter().enumerate() {
        for b in 0..4u64 {
            let mut r = ChaCha8Rng::seed_from_u64(seed);
            r.set_stream(1 + u64::from(shifted) * 100 + b);
            let mut keys: Vec<(f64, usize)> = (0..5000)
                .map(|i| {
                    (
                        r.gen::<f64>().max(f64::MIN_POSITIVE).ln()
                            / if shifted { w[i] } else { 1.0 },
                        i,
                    )
                })
                .collect();
            keys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let rows: Vec<usize> = keys[..2000].iter().map(|k| k.1).collect();
            let p: Vec<f64> = rows.iter().map(|i| p_all[*i]).collect();
            let by: Vec<bool> = rows.iter().map(|i| y[*i]).collect();
            let m = classification_metrics(&by, &p, 0.5).unwrap();
            let mut sorted = p.clone();
            sort_floats(&mut sorted);
            let bs = batch_calibration_spread(&sorted, 0.5, &cal, &boot, None).unwrap();
            let label = estimate_performance(&p, 0.5, None, true).unwrap();
            let spread = driftscope_monitor::estimate_spread(&t.model, &sorted, 0.5);
            let full = estimate_performance(&p, 0.5, spread.as_ref(), true).unwrap();
            let rs: Vec<f64> = rows.iter().map(|i| raw[*i]).collect();
            let (ob, oi) = (oracle(&o_beta, &rs), oracle(&o_iso, &rs));
            let ow = if shifted { oracle(&o_wbeta, &rs) } else { ob };
            // Between-forest variance: spread of the fold calibrators' estimates minus their
            // sampling variance (K times the bootstrap's), times (K - 1) / K.
            let th: Vec<[f64; 2]> = folds.iter().map(|c| oracle(c, &rs)).collect();
            let between = |j: usize, vb: f64| {
                let v: Vec<f64> = th.iter().map(|t| t[j]).collect();
                ((sd(&v).powi(2) - kf * vb * vb).max(0.0) * (kf - 1.0) / kf).sqrt()
            };
            let (bw_auc, bw_acc) = (between(0, bs.auc), between(1, bs.accuracy));
            // The same with each fold's sampling variance from its own bootstrap.
            let fold_var = |j: usize| {
                mean(fold_boots.iter().map(|bb| {
                    let v: Vec<f64> = bb.iter().map(|c| oracle(c, &rs)[j]).collect();
                    sd(&v).powi(2)
                }))
            };
            let between2 = |j: usize| {
                let v: Vec<f64> = th.iter().map(|t| t[j]).collect();
                ((sd(&v).powi(2) - fold_var(j)).max(0.0) * (kf - 1.0) / kf).sqrt()
            };
            let (b2_auc, b2_acc) = (between2(0), between2(1));
            let la = label.auc.unwrap();
            let fa = full.auc.unwrap();
            out[k].push([
                [
                    m.auc.unwrap(),
                    la.value,
                    half(&la),
                    bs.auc,
                    holdout.auc,
                    residual.auc,
                    half(&fa),
                    ob[0],
                    oi[0],
                    ow[0],
                    bw_auc,
                    b2_auc,
                    residual_fold[0],
                ],
                [
                    m.accuracy,
                    label.accuracy.value,
                    half(&label.accuracy),
                    bs.accuracy,
                    holdout.accuracy,
                    residual.accuracy,
                    half(&full.accuracy),
                    ob[1],
                    oi[1],
                    ow[1],
                    bw_acc,
                    b2_acc,
                    residual_fold[1],
                ],
            ]);
        }
    }
    out
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = v.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

fn sd(v: &[f64]) -> f64 {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

fn report(name: &str, all: &[[Vec<Row>; 2]]) {
    for (k, cond) in ["no shift", "covariate shift"].iter().enumerate() {
        let rows: Vec<&Row> = all.iter().flat_map(|s| &s[k]).collect();
        for (j, metric) in ["AUC", "accuracy"].iter().enumerate() {
            let e: Vec<f64> = rows.iter().map(|r| r[j][1] - r[j][0]).collect();
            let cov = |f: &dyn Fn(&[f64; 13]) -> f64| {
                mean(
                    rows.iter()
                        .map(|r| f64::from(u8::from((r[j][1] - r[j][0]).abs() <= 1.96 * f(&r[j])))),
                )
            };
            let per: Vec<f64> = all
                .iter()
                .map(|s| mean(s[k].iter().map(|r| r[j][1] - r[j][0])))
                .collect();
            println!(
                "{name:>9} {cond:>15} {metric:>8}: n {} bias {:+.4} mae {:.4} sd {:.4} | sd label {:.4} batch-cal {:.4} holdout-cal {:.4} residual {:.4} | coverage label {:.3} +holdout {:.3} +batch {:.3} monitor {:.3} | per-split mean error sd {:.4}",
                rows.len(),
                mean(e.iter().copied()),
                mean(e.iter().map(|x| x.abs())),
                sd(&e),
                mean(rows.iter().map(|r| r[j][2])),
                mean(rows.iter().map(|r| r[j][3])),
                mean(rows.iter().map(|r| r[j][4])),
                mean(rows.iter().map(|r| r[j][5])),
                cov(&|r| r[2]),
                cov(&|r| r[2].hypot(r[4])),
                cov(&|r| r[2].hypot(r[3])),
                cov(&|r| r[6]),
                sd(&per),
            );
            let o = |c: usize| {
                let e: Vec<f64> = rows.iter().map(|r| r[j][c] - r[j][0]).collect();
                format!(
                    "bias {:+.4} mae {:.4}",
                    mean(e.iter().copied()),
                    mean(e.iter().map(|x| x.abs()))
                )
            };
            println!(
                "      between-forest sd {:.4}, coverage label+batch+between {:.3}",
                mean(rows.iter().map(|r| r[j][10])),
                cov(&|r| r[2].hypot(r[3]).hypot(r[10]))
            );
            println!(
                "      cross-fitted residual sd {:.4} (rms {:.4}, zero in {:.2}), coverage label+batch+residual {:.3}",
                mean(rows.iter().map(|r| r[j][12])),
                mean(rows.iter().map(|r| r[j][12].powi(2))).sqrt(),
                mean(rows.iter().map(|r| f64::from(u8::from(r[j][12] == 0.0)))),
                cov(&|r| r[2].hypot(r[3]).hypot(r[12]))
            );
            println!(
                "      between-forest (fold bootstrap) sd {:.4} (rms {:.4}, zero in {:.2}), coverage label+batch+between {:.3}",
                mean(rows.iter().map(|r| r[j][11])),
                mean(rows.iter().map(|r| r[j][11].powi(2))).sqrt(),
                mean(rows.iter().map(|r| f64::from(u8::from(r[j][11] == 0.0)))),
                cov(&|r| r[2].hypot(r[3]).hypot(r[11]))
            );
            println!(
                "      oracles: beta {} | isotonic {} | weighted beta {}",
                o(7),
                o(8),
                o(9)
            );
        }
    }
}

fn main() {
    let splits: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let cfg = Config::default();
    let gen = Table::from_csv_bytes("g", generate_telco_csv(7043, 42)).unwrap();
    let real = Table::read(std::path::Path::new(
        "data/WA_Fn-UseC_-Telco-Customer-Churn.csv",
    ))
    .unwrap();
    for (name, t) in [("generated", &gen), ("real", &real)] {
        let all: Vec<[Vec<Row>; 2]> = (42..42 + splits)
            .into_par_iter()
            .map(|s| split(t, s, &cfg))
            .collect();
        report(name, &all);
    }
}
