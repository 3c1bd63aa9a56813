//! Diagnostic behind docs/calibration.md ("Measured by `cargo xtask eval`", the gate and the
//! generated datasets): the 95% coverage of the estimated AUC and accuracy on `cargo xtask
//! eval`'s 2,000-row batches (same splits, seeds 42.., same batch draws) with the calibration
//! term as label noise + batch bootstrap, + the cross-fitted residual always, + the residual
//! gated by a two-sample KS test of the batch's calibrated probabilities against the reference
//! sample's (at 0.05 and 0.01), and robust (IQR, MAD) bootstrap spreads. First on a new
//! generated dataset per split ("gen-fresh", as the evaluation now draws them), then on one
//! fixed generated dataset and the real file. Not part of the build (a measurement, not a
//! tool): copy it to crates/driftscope-monitor/examples/ and
//! `cargo run --release -p driftscope-monitor --example gate_diag [SPLITS] [BATCHES] [only]`
//! (defaults 20 and 4; a third argument stops after "gen-fresh"; `DUMP=FILE` writes the
//! fresh splits' calibration rows and batches as CSV for the NannyML comparison).
use driftscope_artifacts::{sort_floats, Config};
use driftscope_data::{generate_telco_csv, Table};
use driftscope_drift::{ks_2samp, Sorted};
use driftscope_performance::{
    batch_calibration_spread, classification_metrics, estimate_performance,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

// per metric: err, label half, batch-cal sd, residual; then ks p, ks d, n_ref
static DUMP: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
static NB: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(4);
type Row = ([[f64; 6]; 2], f64, f64);

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
    let r = t.model.calibration_residual.unwrap_or_default_spread();
    let cal = t.model.calibration.clone().unwrap();
    let boot = t.model.calibration_bootstrap.clone().unwrap();
    let reference = Sorted::new(t.sample.predictions.clone()).unwrap();
    let raw_all = driftscope_training::predict_proba_raw(&t.model, &ht).unwrap();
    {
        let mut d = DUMP.lock().unwrap();
        for (yy, rr) in t
            .calibration_labels
            .iter()
            .zip(&t.calibration_probabilities)
        {
            d.push(format!(
                "{seed},reference,0,{rr},{},{}",
                cal.apply(*rr),
                u8::from(*yy)
            ));
        }
    }
    let mut out: [Vec<Row>; 2] = [vec![], vec![]];
    for (k, shifted) in [false, true].into_iter().enumerate() {
        for b in 0..NB.load(std::sync::atomic::Ordering::Relaxed) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(1 + u64::from(shifted) * 100 + b);
            let mut keys: Vec<(f64, usize)> = (0..5000)
                .map(|i| {
                    (
                        rng.gen::<f64>().max(f64::MIN_POSITIVE).ln()
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
            {
                let mut d = DUMP.lock().unwrap();
                let part = if shifted { "shift" } else { "noshift" };
                for i in &rows {
                    d.push(format!(
                        "{seed},{part},{b},{},{},{}",
                        raw_all[*i],
                        p_all[*i],
                        u8::from(y[*i])
                    ));
                }
            }
            let mut sorted = p.clone();
            sort_floats(&mut sorted);
            let bs = batch_calibration_spread(&sorted, 0.5, &cal, &boot, None).unwrap();
            let label = estimate_performance(&p, 0.5, None, true).unwrap();
            let ks = ks_2samp(&Sorted::new(sorted.clone()).unwrap(), &reference).unwrap();
            let la = label.auc.unwrap();
            let raw: Vec<f64> = sorted.iter().map(|q| cal.raw_of(*q).unwrap()).collect();
            let ests: Vec<[f64; 2]> = boot
                .iter()
                .map(|b| {
                    let c = driftscope_artifacts::Calibrator::beta(*b);
                    let q: Vec<f64> = raw.iter().map(|s| c.apply(*s)).collect();
                    let e = estimate_performance(&q, 0.5, None, true).unwrap();
                    [e.auc.unwrap().value, e.accuracy.value]
                })
                .collect();
            let robust = |j: usize| {
                let mut v: Vec<f64> = ests.iter().map(|e| e[j]).collect();
                sort_floats(&mut v);
                let q = |f: f64| {
                    let x = f * (v.len() - 1) as f64;
                    let i = x.floor() as usize;
                    let fr = x - i as f64;
                    v[i] + fr * (v[(i + 1).min(v.len() - 1)] - v[i])
                };
                let iqr = (q(0.75) - q(0.25)) / 1.349;
                let med = q(0.5);
                let mut d: Vec<f64> = v.iter().map(|x| (x - med).abs()).collect();
                sort_floats(&mut d);
                let mad = 1.4826 * d[d.len() / 2];
                [iqr, mad]
            };
            let (ra, rc) = (robust(0), robust(1));
            out[k].push((
                [
                    [
                        la.value - m.auc.unwrap(),
                        half(&la),
                        bs.auc,
                        r.0,
                        ra[0],
                        ra[1],
                    ],
                    [
                        label.accuracy.value - m.accuracy,
                        half(&label.accuracy),
                        bs.accuracy,
                        r.1,
                        rc[0],
                        rc[1],
                    ],
                ],
                ks.p_value,
                ks.statistic,
            ));
        }
    }
    out
}

trait Spread {
    fn unwrap_or_default_spread(self) -> (f64, f64);
}
impl Spread for Option<driftscope_artifacts::MetricSpread> {
    fn unwrap_or_default_spread(self) -> (f64, f64) {
        self.map(|m| (m.auc, m.accuracy)).unwrap_or((0.0, 0.0))
    }
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = v.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

fn report(name: &str, all: &[[Vec<Row>; 2]]) {
    for (k, cond) in ["no shift", "covariate shift"].iter().enumerate() {
        let rows: Vec<&Row> = all.iter().flat_map(|s| &s[k]).collect();
        let gated = mean(rows.iter().map(|r| f64::from(u8::from(r.1 < 0.05))));
        let dmean = mean(rows.iter().map(|r| r.2));
        for (j, metric) in ["AUC", "accuracy"].iter().enumerate() {
            let cov = |f: &dyn Fn(&Row, &[f64; 6]) -> f64| {
                mean(
                    rows.iter()
                        .map(|r| f64::from(u8::from(r.0[j][0].abs() <= 1.96 * f(r, &r.0[j])))),
                )
            };
            println!(
                "{name:>9} {cond:>15} {metric:>8}: n {} mae {:.4} | ks p<0.05 in {:.3} (mean D {:.3}) | cov label+batch {:.3} +r always {:.3} +r gated(0.05) {:.3} gated(0.01) {:.3}",
                rows.len(),
                mean(rows.iter().map(|r| r.0[j][0].abs())),
                gated,
                dmean,
                cov(&|_, x| x[1].hypot(x[2])),
                cov(&|_, x| x[1].hypot(x[2]).hypot(x[3])),
                cov(&|r, x| x[1].hypot(x[2]).hypot(if r.1 < 0.05 { x[3] } else { 0.0 })),
                cov(&|r, x| x[1].hypot(x[2]).hypot(if r.1 < 0.01 { x[3] } else { 0.0 })),
            );
            let e: Vec<f64> = rows.iter().map(|r| r.0[j][0]).collect();
            let m = mean(e.iter().copied());
            println!("      err sd {:.4} bias {:+.4} | mean sd label {:.4} boot {:.4} iqr {:.4} mad {:.4} r {:.4} | cov label+iqr {:.3} +r gated {:.3} | label+mad {:.3} +r gated {:.3}",
                (mean(e.iter().map(|x| (x - m).powi(2)))).sqrt(), m,
                mean(rows.iter().map(|r| r.0[j][1])), mean(rows.iter().map(|r| r.0[j][2])), mean(rows.iter().map(|r| r.0[j][4])), mean(rows.iter().map(|r| r.0[j][5])), mean(rows.iter().map(|r| r.0[j][3])),
                cov(&|_, x| x[1].hypot(x[4])),
                cov(&|r, x| x[1].hypot(x[4]).hypot(if r.1 < 0.05 { x[3] } else { 0.0 })),
                cov(&|_, x| x[1].hypot(x[5])),
                cov(&|r, x| x[1].hypot(x[5]).hypot(if r.1 < 0.05 { x[3] } else { 0.0 })),
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
    let nb: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    NB.store(nb, std::sync::atomic::Ordering::Relaxed);
    let fresh: Vec<[Vec<Row>; 2]> = (42..42 + splits)
        .into_par_iter()
        .map(|s| {
            let t = Table::from_csv_bytes("g", generate_telco_csv(7043, s)).unwrap();
            split(&t, s, &cfg)
        })
        .collect();
    report("gen-fresh", &fresh);
    if let Ok(path) = std::env::var("DUMP") {
        let mut d = DUMP.lock().unwrap();
        d.sort();
        std::fs::write(
            path,
            format!("split,part,batch,raw,p,y\n{}\n", d.join("\n")),
        )
        .unwrap();
    }
    if std::env::args().nth(3).is_some() {
        return;
    }
    for (name, t) in [("generated", &gen), ("real", &real)] {
        let all: Vec<[Vec<Row>; 2]> = (42..42 + splits)
            .into_par_iter()
            .map(|s| split(t, s, &cfg))
            .collect();
        report(name, &all);
    }
}
