//! `driftscope simulate`: production batches with injected, recorded drift.
//!
//! Batches are drawn (with replacement) from the rows the model never saw: the held-out rows of
//! the same stratified split `train` makes (same data, `model.test_fraction` and seed).
//! - Covariate shift re-samples rows with weights that depend on the features, so
//!   P(target | features) is untouched.
//! - Concept drift redraws the labels of a segment given its features; features are untouched.
//!   Batch 4: customers on one- or two-year contracts churn with probability 0.5; batch 5 (with
//!   the covariate shift of batch 2): a retention offer, fiber-optic customers churn with 0.05.
//! - The truth (`drifted_features`) is the set of features whose *population* distribution (the
//!   weighted pool, before sampling) has PSI or KL at or above the thresholds against the
//!   reference. The injection strength is chosen so every feature is clearly in or clearly out
//!   of that set (population PSI <= 0.5 x or >= 1.6 x the threshold), so a correct detector
//!   can match the truth on a sample.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{bail, Context, Result};
use chrono::{DateTime, Duration, Utc};
use driftscope_artifacts::{
    ColumnValues, Config, Diagnosis, FeatureProfile, FeatureType, Scenario, ScenarioBatch,
};
use driftscope_data::{column_values, infer_schema, is_missing, Table};
use driftscope_drift::{bin_index, feature_profile, kl_divergence, proportions, psi};
use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Arguments of `driftscope simulate`.
#[derive(Debug, Clone)]
pub struct SimulateArgs {
    /// Source data (the training file).
    pub data: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Number of batches.
    pub batches: usize,
    /// Rows per batch.
    pub batch_rows: usize,
    /// Seed (defaults to `model.seed`, which makes the held-out pool equal training's).
    pub seed: Option<u64>,
    /// Configuration.
    pub config: Config,
}

/// The injected scenarios, cycled through in this order.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Clean,
    Covariate,
    MixAndQuality,
    Concept,
    Combined,
}

const KINDS: [Kind; 5] = [
    Kind::Clean,
    Kind::Covariate,
    Kind::MixAndQuality,
    Kind::Concept,
    Kind::Combined,
];
/// Label of a never-seen payment method injected by the data-quality incident.
pub const UNSEEN_PAYMENT: &str = "Cryptocurrency";
const UNSEEN_SHARE: f64 = 0.08;
const MISSING_SHARE: f64 = 0.10;
/// Pure concept drift: customers on one- or two-year contracts churn with this probability.
const CONCEPT_CHURN: f64 = 0.5;
/// Combined batch: a retention offer; fiber-optic customers churn with this probability.
const RETENTION_CHURN: f64 = 0.05;

struct Pool {
    rows: Vec<usize>,
    /// Reference (training split) profile per feature.
    profiles: Vec<FeatureProfile>,
    /// Per feature: numbers (NaN missing) or text per row of the table.
    numeric: BTreeMap<String, Vec<f64>>,
    text: BTreeMap<String, Vec<Option<String>>>,
}

impl Pool {
    fn num(&self, name: &str) -> Option<&Vec<f64>> {
        self.numeric.get(name)
    }

    /// Standardized value of a numerical feature per pool row (0 where missing).
    fn z(&self, name: &str) -> Vec<f64> {
        let Some(v) = self.num(name) else {
            return vec![0.0; self.rows.len()];
        };
        let vals: Vec<f64> = self
            .rows
            .iter()
            .map(|r| v[*r])
            .filter(|x| !x.is_nan())
            .collect();
        let mean = vals.iter().sum::<f64>() / vals.len().max(1) as f64;
        let sd = (vals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / vals.len().max(1) as f64)
            .sqrt()
            .max(1e-12);
        self.rows
            .iter()
            .map(|r| {
                if v[*r].is_nan() {
                    0.0
                } else {
                    (v[*r] - mean) / sd
                }
            })
            .collect()
    }

    fn is(&self, name: &str, value: &str) -> Vec<f64> {
        match self.text.get(name) {
            Some(t) => self
                .rows
                .iter()
                .map(|r| f64::from(u8::from(t[*r].as_deref() == Some(value))))
                .collect(),
            None => vec![0.0; self.rows.len()],
        }
    }

    /// Population PSI and KL of every feature under `weights` (plus an optional unseen
    /// category share for PaymentMethod).
    fn population_drift(
        &self,
        weights: &[f64],
        unseen_payment: f64,
    ) -> BTreeMap<String, (f64, f64)> {
        let total: f64 = weights.iter().sum();
        let mut out = BTreeMap::new();
        for f in &self.profiles {
            let ref_counts: Vec<u64>;
            let mut q: Vec<f64>;
            if f.feature_type == FeatureType::Numerical {
                ref_counts = f.bin_counts.clone();
                q = vec![0.0; ref_counts.len()];
                let v = &self.numeric[&f.name];
                let mut wsum = 0.0;
                for (k, r) in self.rows.iter().enumerate() {
                    // Missing values are NaN: they have no bin.
                    if let Ok(bin) = bin_index(&f.bin_edges, v[*r]) {
                        q[bin] += weights[k];
                        wsum += weights[k];
                    }
                }
                q.iter_mut().for_each(|x| *x /= wsum.max(1e-300));
            } else {
                let t = &self.text[&f.name];
                let mut cats: Vec<String> = f.categories.iter().map(|c| c.value.clone()).collect();
                let extra = f.name == "PaymentMethod" && unseen_payment > 0.0;
                if extra {
                    cats.push(UNSEEN_PAYMENT.to_string());
                }
                let mut rc: Vec<u64> = f.categories.iter().map(|c| c.count).collect();
                if extra {
                    rc.push(0);
                }
                q = vec![0.0; cats.len()];
                let mut wsum = 0.0;
                for (k, r) in self.rows.iter().enumerate() {
                    if let Some(c) = t[*r].as_deref().filter(|c| !is_missing(c)) {
                        if let Some(i) = cats.iter().position(|x| x == c) {
                            q[i] += weights[k];
                        } else {
                            // A category the reference never saw: its own bin.
                            cats.push(c.to_string());
                            rc.push(0);
                            q.push(weights[k]);
                        }
                        wsum += weights[k];
                    }
                }
                q.iter_mut().for_each(|x| *x /= wsum.max(1e-300));
                if extra {
                    let last = cats.iter().position(|c| c == UNSEEN_PAYMENT).unwrap_or(0);
                    q.iter_mut().for_each(|x| *x *= 1.0 - unseen_payment);
                    q[last] += unseen_payment;
                }
                ref_counts = rc;
            }
            let _ = total;
            let p = proportions(&ref_counts);
            // p and q share the profile's bins, so neither statistic can fail; NaN if one did.
            let psi = psi(&p, &q).unwrap_or(f64::NAN);
            let kl = kl_divergence(&p, &q).unwrap_or(f64::NAN);
            out.insert(f.name.clone(), (psi, kl));
        }
        out
    }
}

/// How far a population drift map is from ambiguity: the smallest distance, over features, of
/// log(max(PSI / threshold, KL / threshold)) from the band [-ln 1.4, ln 1.4] (>= 0: every
/// feature is clearly drifted or clearly not). Features in `must` have to be drifted.
fn margin(
    drift: &BTreeMap<String, (f64, f64)>,
    cfg: &driftscope_artifacts::DataDriftConfig,
    must: &[&str],
) -> f64 {
    let (t, k) = (cfg.psi_threshold, cfg.kl_divergence_threshold);
    let band = 1.4f64.ln();
    let mut m = f64::INFINITY;
    for (name, (p, kl)) in drift {
        let ratio = (p / t).max(kl / k).max(1e-9);
        let score = ratio.ln().abs() - band;
        let score = if must.contains(&name.as_str()) && ratio < 1.0 {
            -10.0
        } else {
            score
        };
        m = m.min(score);
    }
    m
}

/// Runs the simulation and writes the batch CSVs and `scenario.json` into `args.out`.
pub fn simulate(args: &SimulateArgs) -> Result<Scenario> {
    let cfg = &args.config;
    let seed = args.seed.unwrap_or(cfg.model.seed);
    let table = Table::read(&args.data)?;
    let (labels, negative) =
        table.binary_target(&cfg.model.target, &cfg.model.positive_label, None)?;
    let negative = negative.context("the target has a single label; nothing to simulate")?;
    let (train_idx, test_idx) =
        driftscope_training::stratified_split(&labels, cfg.model.test_fraction, seed).map_err(
            |(_, n)| {
                crate::error::Error::Invalid(format!(
                    "{}: too few rows ({n}) in a class to hold rows out",
                    table.label()
                ))
            },
        )?;
    let schema = infer_schema(&table, Some(&cfg.model.target), &cfg.features)?;
    let mut pool = Pool {
        rows: test_idx,
        profiles: Vec::new(),
        numeric: BTreeMap::new(),
        text: BTreeMap::new(),
    };
    for c in &schema.features {
        let v = column_values(&table, &c.name, c.feature_type, Some(&train_idx))?;
        pool.profiles
            .extend(feature_profile(&c.name, &v, cfg.data_drift.n_bins)?);
        if let ColumnValues::Numerical { .. } = v {
            pool.numeric.insert(c.name.clone(), table.numeric(&c.name)?);
        } else {
            pool.text.insert(
                c.name.clone(),
                table
                    .text(&c.name)?
                    .iter()
                    .map(|x| x.map(str::to_string))
                    .collect(),
            );
        }
    }
    for needed in [
        "MonthlyCharges",
        "Contract",
        "PaymentMethod",
        "TotalCharges",
        "InternetService",
    ] {
        if !pool.profiles.iter().any(|f| f.name == needed) {
            bail!(
                "{}: the default scenario needs the Telco column {needed:?}",
                table.label()
            );
        }
    }
    let tenure = ["Tenure", "tenure"]
        .into_iter()
        .find(|c| pool.numeric.contains_key(*c))
        .context("no Tenure column")?;
    let n_pool = pool.rows.len();
    let uniform = vec![1.0; n_pool];
    // Covariate shift: MonthlyCharges up, tenure down. Mix shift: more month-to-month contracts.
    let (zm, zt) = (pool.z("MonthlyCharges"), pool.z(tenure));
    // Weight exp(a z(MonthlyCharges) - b z(tenure)): (a, b) on a 0.1 grid with the widest
    // margin from ambiguity.
    let mut best_ab = (f64::NEG_INFINITY, 1.0, 1.0);
    for ia in 1..=30 {
        for ib in 1..=30 {
            let (a, b) = (ia as f64 * 0.1, ib as f64 * 0.1);
            let w: Vec<f64> = zm
                .iter()
                .zip(&zt)
                .map(|(m, t)| (a * m - b * t).exp())
                .collect();
            let m = margin(
                &pool.population_drift(&w, 0.0),
                &cfg.data_drift,
                &["MonthlyCharges", tenure],
            );
            if m > best_ab.0 {
                best_ab = (m, a, b);
            }
        }
    }
    let (cov_margin, cov_a, cov_b) = best_ab;
    let covariate_score: Vec<f64> = zm
        .iter()
        .zip(&zt)
        .map(|(m, t)| cov_a * m - cov_b * t)
        .collect();
    let m2m = pool.is("Contract", "Month-to-month");
    let pick_strength = |score: &[f64], unseen: f64, must: &[&str]| -> (f64, f64, Vec<f64>) {
        // The strength with the widest margin from ambiguity (first best on a 0.05 grid).
        let mut best = (f64::NEG_INFINITY, 0.0);
        for step in 1..=80 {
            let beta = step as f64 * 0.05;
            let w: Vec<f64> = score.iter().map(|s| (beta * s).exp()).collect();
            let m = margin(&pool.population_drift(&w, unseen), &cfg.data_drift, must);
            if m > best.0 {
                best = (m, beta);
            }
        }
        let w = score.iter().map(|s| (best.1 * s).exp()).collect();
        (best.1, best.0, w)
    };
    let w_cov: Vec<f64> = covariate_score.iter().map(|s| s.exp()).collect();
    let (beta_mix, mix_margin, w_mix) =
        pick_strength(&m2m, UNSEEN_SHARE, &["Contract", "PaymentMethod"]);

    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create folder", args.out.display()))?;
    let start: DateTime<Utc> = "2026-01-05T00:00:00Z".parse().expect("valid date");
    let names = table.column_names();
    let texts: Vec<Vec<Option<String>>> = names
        .iter()
        .map(|n| {
            Ok(table
                .text(n)?
                .iter()
                .map(|x| x.map(str::to_string))
                .collect())
        })
        .collect::<Result<_>>()?;
    let col = |n: &str| names.iter().position(|x| x == n);
    let (target_col, pay_col, total_col, contract_col, internet_col) = (
        col(&cfg.model.target).context("target")?,
        col("PaymentMethod").context("PaymentMethod")?,
        col("TotalCharges").context("TotalCharges")?,
        col("Contract").context("Contract")?,
        col("InternetService").context("InternetService")?,
    );
    let mut batches = Vec::new();
    for b in 0..args.batches {
        let kind = KINDS[b % KINDS.len()];
        let (weights, unseen, injected) = match kind {
            Kind::Clean => (&uniform, 0.0, "nothing (a clean batch)".to_string()),
            Kind::Covariate | Kind::Combined => (&w_cov, 0.0, format!("covariate shift: rows re-sampled with weight exp({cov_a:.1} z(MonthlyCharges) - {cov_b:.1} z({tenure})) (margin {cov_margin:.3})")),
            Kind::MixAndQuality => (&w_mix, UNSEEN_SHARE, format!(
                "contract mix shift: rows re-sampled with weight exp({beta_mix:.2} [Contract = Month-to-month]) (margin {mix_margin:.3}); data-quality incident: {:.0}% of TotalCharges blanked, {:.0}% of PaymentMethod set to the never-seen {UNSEEN_PAYMENT:?}",
                MISSING_SHARE * 100.0, UNSEEN_SHARE * 100.0)),
            Kind::Concept => (&uniform, 0.0, String::new()),
        };
        let concept = matches!(kind, Kind::Concept | Kind::Combined);
        let mut injected = injected;
        if kind == Kind::Concept {
            injected = format!("concept drift: customers on one- or two-year contracts churn with probability {CONCEPT_CHURN} (labels redrawn given the features)");
        } else if kind == Kind::Combined {
            injected = format!("{injected}; concept drift: a retention offer, fiber-optic customers churn with probability {RETENTION_CHURN} (labels redrawn given the features)");
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(1000 + b as u64);
        let dist = WeightedIndex::new(weights.iter()).context("weights")?;
        let batch_id = format!("batch-{:02}", b + 1);
        let file = format!("{batch_id}.csv");
        let mut w = csv::Writer::from_path(args.out.join(format!(".{file}.tmp")))?;
        w.write_record(&names)?;
        for _ in 0..args.batch_rows {
            let r = pool.rows[dist.sample(&mut rng)];
            let mut rec: Vec<String> = texts
                .iter()
                .map(|c| c[r].clone().unwrap_or_default())
                .collect();
            if kind == Kind::MixAndQuality {
                if rng.gen_bool(MISSING_SHARE) {
                    rec[total_col] = String::new();
                }
                if rng.gen_bool(UNSEEN_SHARE) {
                    rec[pay_col] = UNSEEN_PAYMENT.into();
                }
            }
            let relabel = match kind {
                Kind::Concept if rec[contract_col] != "Month-to-month" => Some(CONCEPT_CHURN),
                Kind::Combined if rec[internet_col] == "Fiber optic" => Some(RETENTION_CHURN),
                _ => None,
            };
            if let Some(churn) = relabel {
                rec[target_col] = if rng.gen_bool(churn) {
                    cfg.model.positive_label.clone()
                } else {
                    negative.clone()
                };
            }
            w.write_record(&rec)?;
        }
        w.flush()?;
        drop(w);
        std::fs::rename(args.out.join(format!(".{file}.tmp")), args.out.join(&file))?;
        let drift = pool.population_drift(weights, unseen);
        let drifted: Vec<String> = pool
            .profiles
            .iter()
            .filter(|f| {
                drift[&f.name].0 >= cfg.data_drift.psi_threshold
                    || drift[&f.name].1 >= cfg.data_drift.kl_divergence_threshold
            })
            .map(|f| f.name.clone())
            .collect();
        batches.push(ScenarioBatch {
            batch_id,
            file,
            timestamp: (start + Duration::days(7 * b as i64))
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            injected,
            diagnosis: Diagnosis::from_flags(!drifted.is_empty(), concept),
            drifted_features: drifted,
            population_psi: drift
                .into_iter()
                .map(|(k, (p, _))| (k, (p * 1e6).round() / 1e6))
                .collect(),
            rows: args.batch_rows as u64,
        });
    }
    let scenario = Scenario {
        seed,
        data: args.data.display().to_string(),
        batch_rows: args.batch_rows as u64,
        pool_rows: n_pool as u64,
        batches,
    };
    driftscope_artifacts::write_artifact(&args.out.join("scenario.json"), &scenario)?;
    Ok(scenario)
}

/// Path of a scenario batch file.
pub fn batch_path(dir: &Path, b: &ScenarioBatch) -> PathBuf {
    dir.join(&b.file)
}
