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

use crate::args::SimulateArgs;
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

/// The pool of held-out rows and the label that is not the positive one.
fn load_pool(table: &Table, cfg: &Config, seed: u64) -> Result<(Pool, String)> {
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
    let schema = infer_schema(table, Some(&cfg.model.target), &cfg.features)?;
    let mut pool = Pool {
        rows: test_idx,
        profiles: Vec::new(),
        numeric: BTreeMap::new(),
        text: BTreeMap::new(),
    };
    for c in &schema.features {
        let v = column_values(table, &c.name, c.feature_type, Some(&train_idx))?;
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
    Ok((pool, negative))
}

/// The re-sampling weights of the injected shifts, each at the strength with the widest
/// margin from ambiguity.
struct Injections {
    uniform: Vec<f64>,
    covariate: Vec<f64>,
    mix: Vec<f64>,
    /// The covariate shift's description.
    covariate_text: String,
    /// The contract-mix shift's and data-quality incident's description.
    mix_text: String,
}

/// Covariate shift: weight exp(a z(MonthlyCharges) - b z(tenure)), (a, b) on a 0.1 grid with
/// the widest margin from ambiguity.
fn covariate_weights(pool: &Pool, cfg: &Config) -> Result<(Vec<f64>, String)> {
    let tenure = ["Tenure", "tenure"]
        .into_iter()
        .find(|c| pool.numeric.contains_key(*c))
        .context("no Tenure column")?;
    let (zm, zt) = (pool.z("MonthlyCharges"), pool.z(tenure));
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
    let weights = zm
        .iter()
        .zip(&zt)
        .map(|(m, t)| (cov_a * m - cov_b * t).exp())
        .collect();
    let text = format!("covariate shift: rows re-sampled with weight exp({cov_a:.1} z(MonthlyCharges) - {cov_b:.1} z({tenure})) (margin {cov_margin:.3})");
    Ok((weights, text))
}

/// Contract-mix shift: weight exp(beta [Contract = Month-to-month]), beta on a 0.05 grid with
/// the widest margin from ambiguity (first best).
fn mix_weights(pool: &Pool, cfg: &Config) -> (Vec<f64>, String) {
    let m2m = pool.is("Contract", "Month-to-month");
    let must = ["Contract", "PaymentMethod"];
    let mut best = (f64::NEG_INFINITY, 0.0);
    for step in 1..=80 {
        let beta = step as f64 * 0.05;
        let w: Vec<f64> = m2m.iter().map(|s| (beta * s).exp()).collect();
        let m = margin(
            &pool.population_drift(&w, UNSEEN_SHARE),
            &cfg.data_drift,
            &must,
        );
        if m > best.0 {
            best = (m, beta);
        }
    }
    let (mix_margin, beta_mix) = best;
    let weights = m2m.iter().map(|s| (beta_mix * s).exp()).collect();
    let text = format!(
        "contract mix shift: rows re-sampled with weight exp({beta_mix:.2} [Contract = Month-to-month]) (margin {mix_margin:.3}); data-quality incident: {:.0}% of TotalCharges blanked, {:.0}% of PaymentMethod set to the never-seen {UNSEEN_PAYMENT:?}",
        MISSING_SHARE * 100.0, UNSEEN_SHARE * 100.0);
    (weights, text)
}

fn injections(pool: &Pool, cfg: &Config) -> Result<Injections> {
    let (covariate, covariate_text) = covariate_weights(pool, cfg)?;
    let (mix, mix_text) = mix_weights(pool, cfg);
    Ok(Injections {
        uniform: vec![1.0; pool.rows.len()],
        covariate,
        mix,
        covariate_text,
        mix_text,
    })
}

impl Injections {
    /// The weights, unseen PaymentMethod share and description of a kind of batch.
    fn of(&self, kind: Kind) -> (&[f64], f64, String) {
        match kind {
            Kind::Clean => (&self.uniform, 0.0, "nothing (a clean batch)".to_string()),
            Kind::Covariate => (&self.covariate, 0.0, self.covariate_text.clone()),
            Kind::MixAndQuality => (&self.mix, UNSEEN_SHARE, self.mix_text.clone()),
            Kind::Concept => (&self.uniform, 0.0, format!("concept drift: customers on one- or two-year contracts churn with probability {CONCEPT_CHURN} (labels redrawn given the features)")),
            Kind::Combined => (&self.covariate, 0.0, format!("{}; concept drift: a retention offer, fiber-optic customers churn with probability {RETENTION_CHURN} (labels redrawn given the features)", self.covariate_text)),
        }
    }
}

/// The source table's cells as text, and the columns the injections change.
struct Rows {
    names: Vec<String>,
    texts: Vec<Vec<Option<String>>>,
    target: usize,
    payment: usize,
    total: usize,
    contract: usize,
    internet: usize,
    positive: String,
    negative: String,
}

impl Rows {
    fn new(table: &Table, cfg: &Config, negative: String) -> Result<Rows> {
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
        let col = |n: &str| names.iter().position(|x| x == n).context(n.to_string());
        Ok(Rows {
            target: col(&cfg.model.target).context("target")?,
            payment: col("PaymentMethod")?,
            total: col("TotalCharges")?,
            contract: col("Contract")?,
            internet: col("InternetService")?,
            positive: cfg.model.positive_label.clone(),
            negative,
            names,
            texts,
        })
    }

    /// Source row `r` as a record, with the injections of `kind` applied.
    fn record(&self, r: usize, kind: Kind, rng: &mut ChaCha8Rng) -> Vec<String> {
        let mut rec: Vec<String> = self
            .texts
            .iter()
            .map(|c| c[r].clone().unwrap_or_default())
            .collect();
        if kind == Kind::MixAndQuality {
            if rng.gen_bool(MISSING_SHARE) {
                rec[self.total] = String::new();
            }
            if rng.gen_bool(UNSEEN_SHARE) {
                rec[self.payment] = UNSEEN_PAYMENT.into();
            }
        }
        let relabel = match kind {
            Kind::Concept if rec[self.contract] != "Month-to-month" => Some(CONCEPT_CHURN),
            Kind::Combined if rec[self.internet] == "Fiber optic" => Some(RETENTION_CHURN),
            _ => None,
        };
        if let Some(churn) = relabel {
            rec[self.target] = if rng.gen_bool(churn) {
                self.positive.clone()
            } else {
                self.negative.clone()
            };
        }
        rec
    }
}

/// Writes batch `b` (0-based) and returns its truth.
fn write_batch(
    b: usize,
    args: &SimulateArgs,
    cfg: &Config,
    seed: u64,
    (pool, inj, rows): (&Pool, &Injections, &Rows),
) -> Result<ScenarioBatch> {
    let kind = KINDS[b % KINDS.len()];
    let (weights, unseen, injected) = inj.of(kind);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1000 + b as u64);
    let dist = WeightedIndex::new(weights.iter())
        .map_err(crate::Error::external)
        .context("weights")?;
    let batch_id = format!("batch-{:02}", b + 1);
    let file = format!("{batch_id}.csv");
    let temp = args.out.join(format!(".{file}.tmp"));
    let mut w = csv::Writer::from_path(&temp)?;
    w.write_record(&rows.names)?;
    for _ in 0..args.batch_rows {
        let r = pool.rows[dist.sample(&mut rng)];
        w.write_record(rows.record(r, kind, &mut rng))?;
    }
    w.flush()?;
    drop(w);
    std::fs::rename(&temp, args.out.join(&file))?;
    let drift = pool.population_drift(weights, unseen);
    let dd = &cfg.data_drift;
    let drifted: Vec<String> = pool
        .profiles
        .iter()
        .filter(|f| {
            drift[&f.name].0 >= dd.psi_threshold || drift[&f.name].1 >= dd.kl_divergence_threshold
        })
        .map(|f| f.name.clone())
        .collect();
    let start: DateTime<Utc> = SCENARIO_START.parse().expect("valid date");
    Ok(ScenarioBatch {
        batch_id,
        file,
        timestamp: (start + Duration::days(7 * b as i64))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        injected,
        diagnosis: Diagnosis::from_flags(
            !drifted.is_empty(),
            matches!(kind, Kind::Concept | Kind::Combined),
        ),
        drifted_features: drifted,
        population_psi: drift
            .into_iter()
            .map(|(k, (p, _))| (k, (p * 1e6).round() / 1e6))
            .collect(),
        rows: args.batch_rows as u64,
    })
}

/// The first batch's timestamp; the next ones follow weekly.
const SCENARIO_START: &str = "2026-01-05T00:00:00Z";

/// Runs the simulation and writes the batch CSVs and `scenario.json` into `args.out`.
pub fn simulate(args: &SimulateArgs, cfg: &Config) -> Result<Scenario> {
    let seed = args.seed.unwrap_or(cfg.model.seed);
    let table = Table::read(&args.data)?;
    let (pool, negative) = load_pool(&table, cfg, seed)?;
    let inj = injections(&pool, cfg)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create folder", args.out.display()))?;
    let rows = Rows::new(&table, cfg, negative)?;
    let batches = (0..args.batches)
        .map(|b| write_batch(b, args, cfg, seed, (&pool, &inj, &rows)))
        .collect::<Result<Vec<_>>>()?;
    let scenario = Scenario {
        seed,
        data: args.data.display().to_string(),
        batch_rows: args.batch_rows as u64,
        pool_rows: pool.rows.len() as u64,
        batches,
    };
    driftscope_artifacts::write_artifact(&args.out.join("scenario.json"), &scenario)?;
    Ok(scenario)
}

/// Path of a scenario batch file.
pub fn batch_path(dir: &Path, b: &ScenarioBatch) -> PathBuf {
    dir.join(&b.file)
}
