//! `driftscope eval`, performance part: the concept-drift and performance alerts and the
//! estimated performance on batches of a dataset's held-out rows.
//!
//! Each of `splits` random splits (seed = eval seed + split index, recorded) shuffles the
//! dataset (for generated data, a new dataset drawn with the split's seed: [`EvalData`]),
//! holds [`HELD_ROWS`] rows out and trains a calibrated model on the rest, exactly as `train`
//! does (so the training seed is the split seed too). Then, on the held-out rows:
//! - **False alarms**: they are cut into consecutive i.i.d. batches of each size of
//!   [`FALSE_ALARM_SIZES`], monitored in order (so gradual degradation sees a history); each
//!   batch is judged with labels (concept drift, performance rules, retraining decision) and
//!   without (PERFORMANCE_ESTIMATE).
//! - **Estimation**: [`ESTIMATION_BATCHES`] batches of [`ESTIMATION_SIZE`] rows drawn without
//!   replacement, uniformly (no shift) or with the simulator's covariate re-weighting
//!   `exp(s z(MonthlyCharges) - s z(tenure))`, s = [`COVARIATE_STRENGTH`]; estimated vs
//!   realized AUC and accuracy.
//! - **Power**: the batches of [`POWER_SIZE`] rows with the labels of customers on one- or
//!   two-year contracts redrawn with each churn probability of [`POWER_STRENGTHS`] (the demo's
//!   batch 4 at 0.5); the share with CONCEPT_DRIFT and, of those, with `Contract` as the top
//!   located segment.

use driftscope_alerting::{raise_alerts, retraining_decision, Findings};
use driftscope_artifacts::{
    AlertType, Config, DataQuality, DriftReport, EstimationCell, FalseAlarmCell,
    PerformanceEvaluation, PowerCell, RetrainingPriority,
};
use driftscope_data::Table;
use driftscope_performance::{Ranked, SegmentColumn};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::error::Result;

/// Rows held out of each split (the rest, 2,043 of the Telco file's 7,043, train): ten
/// batches of 500 rows, as the measurement.
pub const HELD_ROWS: usize = 5000;
/// Fewest rows a split trains on; a smaller dataset is split in halves.
pub const MIN_TRAIN_ROWS: usize = 1000;
/// Batch sizes of the false-alarm measurement.
pub const FALSE_ALARM_SIZES: [usize; 3] = [100, 500, 2000];
/// Rows of an estimation batch.
pub const ESTIMATION_SIZE: usize = 2000;
/// Estimation batches per split and condition.
pub const ESTIMATION_BATCHES: usize = 4;
/// Strength of the covariate re-weighting (the simulator's form; a strong shift: about half
/// of the held-out rows' weight goes to a fifth of them).
pub const COVARIATE_STRENGTH: f64 = 1.0;
/// Rows of a power batch.
pub const POWER_SIZE: usize = 500;
/// Churn probabilities of the customers on one- or two-year contracts in the power batches
/// (they churn with about 0.07 in the Telco file).
pub const POWER_STRENGTHS: [f64; 4] = [0.15, 0.2, 0.3, 0.5];

/// Alert types counted as concept-drift or performance alerts.
const PERFORMANCE_ALERTS: [AlertType; 3] = [
    AlertType::ConceptDrift,
    AlertType::PerformanceThresholdViolation,
    AlertType::ErrorRateIncrease,
];

/// A split's model and its scored held-out rows.
struct Held<'c> {
    cfg: &'c Config,
    model: driftscope_artifacts::ModelArtifact,
    baseline: driftscope_artifacts::BaselineMetrics,
    p: Vec<f64>,
    y: Vec<bool>,
    /// The reference sample's calibrated probabilities (ascending).
    reference: Vec<f64>,
    segments: Vec<SegmentColumn>,
    /// Covariate weights per held-out row (`None` without MonthlyCharges and tenure).
    covariate: Option<Vec<f64>>,
    /// Whether each held-out row is on a one- or two-year contract (`None` without Contract).
    long_contract: Option<Vec<bool>>,
    seed: u64,
}

/// What one split contributes.
#[derive(Default)]
struct SplitCounts {
    /// Per size: batches, concept, performance, any, retrain, high retrain, estimate alert.
    alarms: Vec<[u64; 7]>,
    /// Per condition: (estimated - realized AUC, AUC covered, accuracy error, covered).
    estimation: [Vec<(f64, bool, f64, bool)>; 2],
    /// Per strength: batches, detected, located.
    power: Vec<[u64; 3]>,
}

/// The rows a performance evaluation splits.
pub(crate) enum EvalData<'a> {
    /// The project's generator: each split draws a new dataset of `rows` rows with the split's
    /// seed, so the splits are independent replications (splits of one fixed dataset share
    /// rows, their calibration errors are correlated, and the coverage measured on them
    /// depends on that one dataset's draw).
    Generated { rows: usize },
    /// A fixed dataset (the real file): every split shuffles the same rows.
    File(&'a Table),
}

/// The performance evaluation of `data` (`name` in the artifact) over `splits` random splits.
pub(crate) fn performance_evaluation(
    name: &str,
    data: &EvalData<'_>,
    splits: usize,
    seed: u64,
    cfg: &Config,
) -> Result<PerformanceEvaluation> {
    let rows = match data {
        EvalData::Generated { rows } => *rows,
        EvalData::File(t) => t.n_rows(),
    };
    let held_rows = if rows >= HELD_ROWS + MIN_TRAIN_ROWS {
        HELD_ROWS
    } else {
        rows / 2
    };
    let seeds: Vec<u64> = (0..splits as u64).map(|s| seed.wrapping_add(s)).collect();
    let counts: Vec<SplitCounts> = seeds
        .par_iter()
        .map(|s| match data {
            EvalData::Generated { rows } => {
                let table = Table::from_csv_bytes(
                    "generated",
                    driftscope_data::generate_telco_csv(*rows, *s),
                )?;
                split_counts(&table, held_rows, *s, cfg)
            }
            EvalData::File(table) => split_counts(table, held_rows, *s, cfg),
        })
        .collect::<Result<_>>()?;
    Ok(PerformanceEvaluation {
        dataset: name.to_string(),
        train_rows: (rows - held_rows) as u64,
        held_rows: held_rows as u64,
        split_seeds: seeds,
        false_alarms: false_alarm_cells(&counts),
        estimation: estimation_cells(&counts),
        power: power_cells(&counts),
    })
}

/// Trains split `seed`'s model and judges every batch of its held-out rows.
fn split_counts(table: &Table, held_rows: usize, seed: u64, cfg: &Config) -> Result<SplitCounts> {
    let mut idx: Vec<usize> = (0..table.n_rows()).collect();
    idx.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let (held, train) = idx.split_at(held_rows);
    let source = driftscope_training::Source {
        path: None,
        sha256: "",
        generator_seed: None,
    };
    let trained = crate::train_calibrated(&table.take_rows(train)?, cfg, seed, &source)?;
    let baseline = crate::baseline_metrics(&trained)?;
    let profile = crate::reference_profile(&trained)?;
    let held_table = table.take_rows(held)?;
    let p = driftscope_training::predict_proba(&trained.model, &held_table)?;
    let (y, _) = held_table.binary_target(&cfg.model.target, &cfg.model.positive_label, None)?;
    let h = Held {
        cfg,
        segments: crate::segments::segment_columns(&held_table, &profile)?,
        covariate: covariate_weights(&held_table),
        long_contract: held_table.text("Contract").ok().map(|t| {
            t.iter()
                .map(|c| c.is_some_and(|c| c != "Month-to-month"))
                .collect()
        }),
        reference: trained.sample.predictions,
        model: trained.model,
        baseline,
        p,
        y,
        seed,
    };
    let mut out = SplitCounts::default();
    for size in FALSE_ALARM_SIZES {
        out.alarms.push(false_alarms(&h, size)?);
    }
    for (k, shifted) in [false, true].into_iter().enumerate() {
        out.estimation[k] = estimation(&h, shifted)?;
    }
    for strength in POWER_STRENGTHS {
        out.power.push(power(&h, strength)?);
    }
    Ok(out)
}

/// `exp(s z(MonthlyCharges) - s z(tenure))` per row (z over the held-out rows, 0 where missing).
fn covariate_weights(t: &Table) -> Option<Vec<f64>> {
    let charges = t.numeric("MonthlyCharges").ok()?;
    let tenure = ["tenure", "Tenure"]
        .into_iter()
        .find_map(|c| t.numeric(c).ok())?;
    let z = |v: &[f64]| {
        let ok: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        let n = ok.len().max(1) as f64;
        let mean = ok.iter().sum::<f64>() / n;
        let sd = (ok.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n)
            .sqrt()
            .max(1e-12);
        v.iter()
            .map(|x| if x.is_finite() { (x - mean) / sd } else { 0.0 })
            .collect::<Vec<f64>>()
    };
    let (zc, zt) = (z(&charges), z(&tenure));
    Some(
        zc.iter()
            .zip(&zt)
            .map(|(c, t)| (COVARIATE_STRENGTH * (c - t)).exp())
            .collect(),
    )
}

/// An empty drift report and data-quality result: the performance rules do not read them.
fn quiet() -> (DriftReport, DataQuality) {
    let drift = DriftReport {
        reference_rows: 0,
        current_rows: 0,
        drifted_features: vec![],
        features_checked: 0,
        drift_share: 0.0,
        dataset_drift: false,
        excluded_columns: vec![],
        missing_columns: vec![],
        extra_columns: vec![],
        features: vec![],
        calibrated_drifted_features: vec![],
        alert_verdict: driftscope_artifacts::DriftVerdict::PsiKl,
    };
    (drift, DataQuality::default())
}

/// The consecutive batches of `size` held-out rows, monitored in order: counts of
/// [`SplitCounts::alarms`].
fn false_alarms(h: &Held, size: usize) -> Result<[u64; 7]> {
    let cfg = h.cfg;
    let (drift, quality) = quiet();
    let mut c = [0u64; 7];
    let mut history: Vec<(f64, f64)> = Vec::new();
    for start in (0..h.y.len() / size).map(|b| b * size) {
        let (y, p) = (&h.y[start..start + size], &h.p[start..start + size]);
        let (m, concept) = judge(h, y, p)?;
        let auc = m.auc.map(|a| {
            let se = driftscope_performance::auc_standard_error(a, m.positives, m.n - m.positives);
            (a, se)
        });
        let degradation = auc.map(|a| {
            crate::steps::degradation(&history, a, cfg.alerts.performance_alert_threshold)
        });
        history.extend(auc);
        let estimated = estimate(h, p)?;
        let labelled = Findings {
            batch_id: "",
            timestamp: "",
            data_quality: &quality,
            drift: &drift,
            prediction: None,
            performance: Some(&m),
            baseline: Some(&h.baseline.holdout),
            concept: Some(&concept),
            degradation: degradation.as_ref(),
            estimated: None,
        };
        let alerts = raise_alerts(&labelled, cfg);
        let has = |t: AlertType| alerts.iter().any(|a| a.alert_type == t);
        let enough = cfg.retraining.min_samples_for_retrain as u64;
        let decision = retraining_decision(&labelled, &alerts, enough, cfg);
        let unlabelled = Findings {
            performance: None,
            baseline: None,
            concept: None,
            degradation: None,
            estimated: Some(&estimated),
            ..labelled
        };
        let estimate_alert = raise_alerts(&unlabelled, cfg)
            .iter()
            .any(|a| a.alert_type == AlertType::PerformanceEstimate);
        let performance =
            has(AlertType::PerformanceThresholdViolation) || has(AlertType::ErrorRateIncrease);
        let flags = [
            true,
            has(AlertType::ConceptDrift),
            performance,
            PERFORMANCE_ALERTS.into_iter().any(has),
            decision.should_retrain,
            decision.priority == RetrainingPriority::High,
            estimate_alert,
        ];
        for (n, f) in c.iter_mut().zip(flags) {
            *n += u64::from(f);
        }
    }
    Ok(c)
}

/// The batch's metrics and concept-drift analysis.
fn judge(
    h: &Held,
    y: &[bool],
    p: &[f64],
) -> Result<(
    driftscope_artifacts::ClassificationMetrics,
    driftscope_artifacts::ConceptDrift,
)> {
    let ranked = Ranked::new(p, Some(y))?;
    Ok(driftscope_performance::concept_drift_ranked(
        y,
        p,
        &ranked,
        &h.baseline,
        &h.cfg.concept_drift,
        &h.cfg.retraining.model_comparison_metric,
    )?)
}

/// The batch's estimated performance (as `monitor` computes it).
fn estimate(h: &Held, p: &[f64]) -> Result<driftscope_artifacts::EstimatedPerformance> {
    let mut sorted = p.to_vec();
    driftscope_artifacts::sort_floats(&mut sorted);
    let t = h.baseline.holdout.threshold;
    let term = crate::estimate_spread(&h.model, &sorted, t, &h.reference);
    Ok(driftscope_performance::estimate_performance(
        p,
        t,
        term.spread.as_ref(),
        h.model.calibration.is_some(),
    )?)
}

/// [`ESTIMATION_BATCHES`] batches of [`ESTIMATION_SIZE`] rows drawn without replacement
/// (Efraimidis-Spirakis keys `ln(u) / w`), uniformly or with the covariate weights.
fn estimation(h: &Held, shifted: bool) -> Result<Vec<(f64, bool, f64, bool)>> {
    let n = h.y.len();
    let weights = match (shifted, &h.covariate) {
        (false, _) => vec![1.0; n],
        (true, Some(w)) => w.clone(),
        (true, None) => return Ok(Vec::new()),
    };
    let size = ESTIMATION_SIZE.min(n);
    let mut out = Vec::new();
    for b in 0..ESTIMATION_BATCHES {
        let mut rng = ChaCha8Rng::seed_from_u64(h.seed);
        rng.set_stream(1 + u64::from(shifted) * 100 + b as u64);
        let mut keys: Vec<(f64, usize)> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| (rng.gen::<f64>().max(f64::MIN_POSITIVE).ln() / w, i))
            .collect();
        keys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let rows: Vec<usize> = keys[..size].iter().map(|k| k.1).collect();
        let y: Vec<bool> = rows.iter().map(|i| h.y[*i]).collect();
        let p: Vec<f64> = rows.iter().map(|i| h.p[*i]).collect();
        let m =
            driftscope_performance::classification_metrics(&y, &p, h.baseline.holdout.threshold)?;
        let e = estimate(h, &p)?;
        let (Some(auc), Some(ea)) = (m.auc, e.auc) else {
            continue;
        };
        let acc = e.accuracy;
        out.push((
            (ea.value - auc).abs(),
            ea.lower <= auc && auc <= ea.upper,
            (acc.value - m.accuracy).abs(),
            acc.lower <= m.accuracy && m.accuracy <= acc.upper,
        ));
    }
    Ok(out)
}

/// The batches of [`POWER_SIZE`] rows with the long-contract customers' labels redrawn with
/// churn probability `strength`: batches, detected, located on `Contract`.
fn power(h: &Held, strength: f64) -> Result<[u64; 3]> {
    let Some(long) = &h.long_contract else {
        return Ok([0; 3]);
    };
    let mut rng = ChaCha8Rng::seed_from_u64(h.seed);
    rng.set_stream(1000 + (strength * 1000.0) as u64);
    let mut c = [0u64; 3];
    for start in (0..h.y.len() / POWER_SIZE).map(|b| b * POWER_SIZE) {
        let rows = start..start + POWER_SIZE;
        let y: Vec<bool> = rows
            .clone()
            .map(|i| {
                if long[i] {
                    rng.gen_bool(strength)
                } else {
                    h.y[i]
                }
            })
            .collect();
        let p = &h.p[rows.clone()];
        let (_, concept) = judge(h, &y, p)?;
        c[0] += 1;
        if !concept.detected {
            continue;
        }
        c[1] += 1;
        let columns: Vec<SegmentColumn> = h
            .segments
            .iter()
            .map(|s| SegmentColumn {
                feature: s.feature.clone(),
                labels: s.labels.clone(),
                codes: s.codes[rows.clone()].to_vec(),
            })
            .collect();
        let located =
            driftscope_performance::locate_segments(&y, p, h.baseline.holdout.threshold, &columns)?;
        c[2] += u64::from(
            located
                .segments
                .first()
                .is_some_and(|s| s.feature == "Contract"),
        );
    }
    Ok(c)
}

fn rate(k: u64, n: u64) -> f64 {
    k as f64 / n.max(1) as f64
}

fn false_alarm_cells(counts: &[SplitCounts]) -> Vec<FalseAlarmCell> {
    FALSE_ALARM_SIZES
        .iter()
        .enumerate()
        .map(|(k, size)| {
            let mut c = [0u64; 7];
            for s in counts {
                for (a, b) in c.iter_mut().zip(s.alarms[k]) {
                    *a += b;
                }
            }
            FalseAlarmCell {
                size: *size,
                batches: c[0],
                concept_drift: rate(c[1], c[0]),
                performance: rate(c[2], c[0]),
                any: rate(c[3], c[0]),
                retrain: rate(c[4], c[0]),
                high_retrain: rate(c[5], c[0]),
                estimate_alert: rate(c[6], c[0]),
            }
        })
        .collect()
}

fn estimation_cells(counts: &[SplitCounts]) -> Vec<EstimationCell> {
    ["no shift", "covariate shift"]
        .iter()
        .enumerate()
        .map(|(k, condition)| {
            let all: Vec<&(f64, bool, f64, bool)> =
                counts.iter().flat_map(|s| &s.estimation[k]).collect();
            let n = all.len() as u64;
            let mean = |f: fn(&(f64, bool, f64, bool)) -> f64| {
                all.iter().map(|x| f(x)).sum::<f64>() / n.max(1) as f64
            };
            EstimationCell {
                condition: (*condition).to_string(),
                size: ESTIMATION_SIZE,
                batches: n,
                auc_mae: mean(|x| x.0),
                auc_coverage: mean(|x| f64::from(u8::from(x.1))),
                accuracy_mae: mean(|x| x.2),
                accuracy_coverage: mean(|x| f64::from(u8::from(x.3))),
            }
        })
        .collect()
}

fn power_cells(counts: &[SplitCounts]) -> Vec<PowerCell> {
    POWER_STRENGTHS
        .iter()
        .enumerate()
        .map(|(k, strength)| {
            let mut c = [0u64; 3];
            for s in counts {
                for (a, b) in c.iter_mut().zip(s.power[k]) {
                    *a += b;
                }
            }
            PowerCell {
                condition: format!("Contract one or two year churns with {strength}"),
                strength: *strength,
                size: POWER_SIZE,
                batches: c[0],
                detected: rate(c[1], c[0]),
                located: rate(c[2], c[1]),
            }
        })
        .collect()
}

/// The performance evaluation of one dataset as text.
pub(crate) fn render(p: &PerformanceEvaluation) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "\n{}: performance rules, {} splits (train {} rows, {} held out; seeds {}..={})\n",
        p.dataset,
        p.split_seeds.len(),
        p.train_rows,
        p.held_rows,
        p.split_seeds.first().copied().unwrap_or(0),
        p.split_seeds.last().copied().unwrap_or(0),
    );
    let pct = |v: f64| format!("{:.1}%", v * 100.0);
    let _ = writeln!(
        out,
        "  i.i.d. batches   rows  batches  concept  perform.  any   retrain  HIGH  estimate"
    );
    for c in &p.false_alarms {
        let _ = writeln!(
            out,
            "  {:>20} {:>8} {:>8} {:>9} {:>5} {:>8} {:>5} {:>9}",
            c.size,
            c.batches,
            pct(c.concept_drift),
            pct(c.performance),
            pct(c.any),
            pct(c.retrain),
            pct(c.high_retrain),
            pct(c.estimate_alert)
        );
    }
    for c in &p.estimation {
        let _ = writeln!(
            out,
            "  {} ({} rows, {} batches): AUC MAE {:.4}, 95% coverage {}; accuracy MAE {:.4}, coverage {}",
            c.condition,
            c.size,
            c.batches,
            c.auc_mae,
            pct(c.auc_coverage),
            c.accuracy_mae,
            pct(c.accuracy_coverage)
        );
    }
    for c in &p.power {
        let _ = writeln!(
            out,
            "  power, {} ({} rows, {} batches): detected {}, top segment Contract {}",
            c.condition,
            c.size,
            c.batches,
            pct(c.detected),
            pct(c.located)
        );
    }
    out
}
