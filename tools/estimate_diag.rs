//! Diagnostic behind docs/calibration.md ("Where the remaining error comes from"): decomposes
//! the estimated-AUC error of `cargo xtask eval`'s 2,000-row batches (same splits, seeds 42..61,
//! same batch draws). Not part of the build (it is a measurement, not a tool): to run it, copy
//! it to crates/driftscope-monitor/examples/ and
//! `cargo run --release -p driftscope-monitor --example estimate_diag` (the real file is read
//! from data/). Columns: realized AUC, the model's estimate, oracle isotonic calibrators (fitted
//! on the 5,000 held-out rows; on the batch's own labels), label-noise sd, calibration sd on the
//! holdout and on the batch, bagged, isotonic on the calibration rows, Platt on calibration +
//! holdout rows, beta calibration (Kull et al. 2017), Platt on logit(s), its bootstrap sd, a
//! bagged map, realized AUC on the raw scores.
use driftscope_artifacts::{Calibrator, Config};
use driftscope_data::{generate_telco_csv, Table};
use driftscope_performance::{
    expected_performance, fit_calibrator, fit_isotonic, fit_platt, roc_auc,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

fn z(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt();
    v.iter()
        .map(|x| if x.is_finite() { (x - m) / sd } else { 0.0 })
        .collect()
}

const EPS: f64 = 1e-3;
#[derive(Clone)]
struct Beta {
    w: [f64; 3],
    logit_only: bool,
}
impl Beta {
    fn feats(&self, s: f64) -> [f64; 3] {
        let s = s.clamp(EPS, 1.0 - EPS);
        if self.logit_only {
            [(s / (1.0 - s)).ln(), 0.0, 1.0]
        } else {
            [s.ln(), -(1.0 - s).ln(), 1.0]
        }
    }
    fn apply(&self, s: f64) -> f64 {
        let f = self.feats(s);
        let z = self.w[0] * f[0] + self.w[1] * f[1] + self.w[2] * f[2];
        1.0 / (1.0 + (-z).exp())
    }
    fn fit(y: &[bool], s: &[f64], logit_only: bool) -> Beta {
        let mut b = Beta {
            w: [0.0; 3],
            logit_only,
        };
        let dim = if logit_only { 2 } else { 3 };
        let idx: Vec<usize> = if logit_only {
            vec![0, 2]
        } else {
            vec![0, 1, 2]
        };
        for _ in 0..50 {
            let mut g = [0.0; 3];
            let mut h = [[0.0; 3]; 3];
            for (yy, ss) in y.iter().zip(s) {
                let f = b.feats(*ss);
                let p = b.apply(*ss);
                let r = f64::from(u8::from(*yy)) - p;
                for a in 0..dim {
                    g[a] += r * f[idx[a]];
                    for c in 0..dim {
                        h[a][c] += p * (1.0 - p) * f[idx[a]] * f[idx[c]];
                    }
                }
            }
            // solve h d = g
            let mut m = h;
            let mut v = g;
            for i in 0..dim {
                for k in i + 1..dim {
                    let q = m[k][i] / m[i][i];
                    for c in 0..dim {
                        m[k][c] -= q * m[i][c];
                    }
                    v[k] -= q * v[i];
                }
            }
            let mut d = [0.0; 3];
            for i in (0..dim).rev() {
                let mut acc = v[i];
                for c in i + 1..dim {
                    acc -= m[i][c] * d[c];
                }
                d[i] = acc / m[i][i];
            }
            for a in 0..dim {
                b.w[idx[a]] += d[a];
            }
            if d.iter().all(|x| x.abs() < 1e-12) {
                break;
            }
        }
        b
    }
}
fn cbpe(p: &[f64]) -> f64 {
    expected_performance(p, 0.5).unwrap().auc.unwrap()
}

fn label_sd(p: &[f64], seed: u64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let v: Vec<f64> = (0..200)
        .map(|_| {
            let y: Vec<bool> = p.iter().map(|q| rng.gen::<f64>() < *q).collect();
            roc_auc(&y, p).unwrap().unwrap()
        })
        .collect();
    sd(&v)
}
fn sd(v: &[f64]) -> f64 {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}
fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

// rows: [realized, est, est_iso_oracle_pool, est_inbatch_oracle, label_sd, cal_sd_holdout, cal_sd_batch, bag_mean, est_iso_small, est_platt_big]
fn split(table: &Table, seed: u64, cfg: &Config) -> [Vec<[f64; 15]>; 2] {
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
    let s = driftscope_training::predict_proba_raw(&t.model, &ht).unwrap();
    let (y, _) = ht
        .binary_target(&cfg.model.target, &cfg.model.positive_label, None)
        .unwrap();
    let cal = t.model.calibration.clone().unwrap();
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
    let pool_iso = fit_isotonic(&y, &s).unwrap();
    let (cy, cs) = (&t.calibration_labels, &t.calibration_probabilities);
    let iso_small = fit_isotonic(cy, cs).unwrap();
    // platt on calibration + holdout rows
    let mut by = cy.clone();
    by.extend(&t.holdout_labels);
    let mut bs = cs.clone();
    bs.extend(&t.holdout_probabilities);
    let platt_big = fit_platt(&by, &bs).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(2));
    let n = cy.len();
    let boots: Vec<Calibrator> = (0..50)
        .map(|_| {
            let ix: Vec<usize> = (0..n).map(|_| rng.gen_range(0..n)).collect();
            let (a, b): (Vec<bool>, Vec<f64>) = ix.iter().map(|i| (cy[*i], cs[*i])).unzip();
            fit_calibrator(&a, &b).unwrap()
        })
        .collect();
    let beta = Beta::fit(cy, cs, false);
    let blog = Beta::fit(cy, cs, true);
    let mut rng2 = ChaCha8Rng::seed_from_u64(seed.wrapping_add(3));
    let bboots: Vec<Beta> = (0..50)
        .map(|_| {
            let ix: Vec<usize> = (0..n).map(|_| rng2.gen_range(0..n)).collect();
            let (a, b): (Vec<bool>, Vec<f64>) = ix.iter().map(|i| (cy[*i], cs[*i])).unzip();
            Beta::fit(&a, &b, false)
        })
        .collect();
    let hsd = t.model.calibration_uncertainty.unwrap().auc;
    let mut out: [Vec<[f64; 15]>; 2] = [vec![], vec![]];
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
            let bs: Vec<f64> = rows.iter().map(|i| s[*i]).collect();
            let byy: Vec<bool> = rows.iter().map(|i| y[*i]).collect();
            let p: Vec<f64> = bs.iter().map(|v| cal.apply(*v)).collect();
            let realized = roc_auc(&byy, &p).unwrap().unwrap();
            let est = cbpe(&p);
            let map = |c: &Calibrator| -> Vec<f64> { bs.iter().map(|v| c.apply(*v)).collect() };
            let inb = fit_isotonic(&byy, &bs).unwrap();
            let bmap = |c: &Beta| -> Vec<f64> { bs.iter().map(|v| c.apply(*v)).collect() };
            let pb = bmap(&beta);
            let bbv: Vec<f64> = bboots.iter().map(|c| cbpe(&bmap(c))).collect();
            let bagiso: Vec<f64> = (0..bs.len())
                .map(|i| mean(&boots.iter().map(|c| c.apply(bs[i])).collect::<Vec<_>>()))
                .collect();
            let bvals: Vec<f64> = boots.iter().map(|c| cbpe(&map(c))).collect();
            out[k].push([
                realized,
                est,
                cbpe(&map(&pool_iso)),
                cbpe(&map(&inb)),
                label_sd(&p, seed * 10 + b),
                hsd,
                sd(&bvals),
                mean(&bvals),
                cbpe(&map(&iso_small)),
                cbpe(&map(&platt_big)),
                cbpe(&pb),
                cbpe(&bmap(&blog)),
                sd(&bbv),
                cbpe(&bagiso),
                roc_auc(&byy, &bs).unwrap().unwrap(),
            ]);
        }
    }
    out
}

fn report(name: &str, all: &[[Vec<[f64; 15]>; 2]]) {
    for k in 0..2 {
        let rows: Vec<&[f64; 15]> = all.iter().flat_map(|s| &s[k]).collect();
        let err = |j: usize| -> (f64, f64, f64) {
            let e: Vec<f64> = rows.iter().map(|r| r[j] - r[0]).collect();
            (
                mean(&e),
                mean(&e.iter().map(|x| x.abs()).collect::<Vec<_>>()),
                sd(&e),
            )
        };
        let cov = |f: &dyn Fn(&[f64; 15]) -> f64, j: usize| {
            mean(
                &rows
                    .iter()
                    .map(|r| f64::from(u8::from((r[j] - r[0]).abs() <= 1.96 * f(r))))
                    .collect::<Vec<_>>(),
            )
        };
        println!("{name} cond {k}: n {}", rows.len());
        for (j, l) in [
            (1, "est"),
            (2, "pool-iso oracle"),
            (3, "in-batch iso"),
            (7, "bagged"),
            (8, "iso small"),
            (9, "platt cal+holdout"),
            (10, "beta"),
            (11, "platt-logit"),
            (13, "bagged iso/platt map"),
        ] {
            let (b, m, s) = err(j);
            println!("  {l:>18}: bias {b:+.4} mae {m:.4} sd {s:.4}");
        }
        println!(
            "  mean label sd {:.4} holdout cal sd {:.4} batch cal sd {:.4}",
            mean(&rows.iter().map(|r| r[4]).collect::<Vec<_>>()),
            mean(&rows.iter().map(|r| r[5]).collect::<Vec<_>>()),
            mean(&rows.iter().map(|r| r[6]).collect::<Vec<_>>())
        );
        println!(
            "  coverage label only {:.3}, label+holdout {:.3}, label+batch {:.3}",
            cov(&|r| r[4], 1),
            cov(&|r| (r[4].powi(2) + r[5].powi(2)).sqrt(), 1),
            cov(&|r| (r[4].powi(2) + r[6].powi(2)).sqrt(), 1)
        );
        let eb: Vec<f64> = rows.iter().map(|r| r[10] - r[14]).collect();
        let ei: Vec<f64> = rows.iter().map(|r| r[1] - r[14]).collect();
        println!("  realized-on-s minus realized-on-p {:+.4}", mean(&rows.iter().map(|r| r[14] - r[0]).collect::<Vec<_>>()));
        println!("  beta vs realized-on-s: bias {:+.4} mae {:.4} sd {:.4} coverage {:.3}", mean(&eb), mean(&eb.iter().map(|x| x.abs()).collect::<Vec<_>>()), sd(&eb),
            mean(&rows.iter().map(|r| f64::from(u8::from((r[10] - r[14]).abs() <= 1.96 * (r[4].powi(2) + r[12].powi(2)).sqrt()))).collect::<Vec<_>>()));
        println!("  iso est vs realized-on-s: bias {:+.4}", mean(&ei));
        println!(
            "  beta: mean boot sd {:.4} coverage label+beta-boot {:.3}",
            mean(&rows.iter().map(|r| r[12]).collect::<Vec<_>>()),
            cov(&|r| (r[4].powi(2) + r[12].powi(2)).sqrt(), 10)
        );
        // per-split mean error (between-split variance)
        let per: Vec<f64> = all
            .iter()
            .map(|s| mean(&s[k].iter().map(|r| r[1] - r[0]).collect::<Vec<_>>()))
            .collect();
        println!(
            "  per-split mean error sd {:.4}: {:?}",
            sd(&per),
            per.iter()
                .map(|x| (x * 1000.0).round() / 1000.0)
                .collect::<Vec<_>>()
        );
    }
}

fn main() {
    let cfg = Config::default();
    let gen = Table::from_csv_bytes("g", generate_telco_csv(7043, 42)).unwrap();
    let real = Table::read(std::path::Path::new(
        "data/WA_Fn-UseC_-Telco-Customer-Churn.csv",
    ))
    .unwrap();
    for (name, t) in [("generated", &gen), ("real", &real)] {
        let all: Vec<[Vec<[f64; 15]>; 2]> = (42..62u64)
            .into_par_iter()
            .map(|s| split(t, s, &cfg))
            .collect();
        report(name, &all);
    }
}
