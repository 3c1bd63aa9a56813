//! Measurement on the real Telco file (not committed; path from `DRIFTSCOPE_TELCO`, default
//! `/work/shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv`), run as an example (a few
//! minutes; it measures, so it is not part of the test suite):
//!
//! ```text
//! cargo run --release -p driftscope-monitor --example estimate_eval
//! ```
//!
//! Prints (1) calibration quality of a model trained on the whole file (holdout Brier, ECE and
//! the lowest decile before/after calibration) and (2) the estimated-performance error: over
//! `SPLITS` random splits, train on 5,043 rows and treat the other 2,000 as one i.i.d.
//! unlabelled batch; the mean absolute error of estimated vs realized AUC (and accuracy, F1)
//! and the coverage of the 95% intervals.

use driftscope_artifacts::Config;
use driftscope_data::Table;
use driftscope_monitor::train_calibrated;
use driftscope_performance::{classification_metrics, estimate_performance};
use rand::seq::SliceRandom;
use rand::SeedableRng;

const SPLITS: u64 = 20;
const BATCH: usize = 2000;

fn telco() -> Option<(String, Vec<String>)> {
    let path = std::env::var("DRIFTSCOPE_TELCO")
        .unwrap_or_else(|_| "/work/shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv".to_string());
    let text = std::fs::read_to_string(&path).ok()?;
    let mut lines = text.lines().map(str::to_string);
    let header = lines.next()?;
    Some((header, lines.filter(|l| !l.is_empty()).collect()))
}

fn table(label: &str, header: &str, rows: &[&String]) -> Table {
    let mut csv = header.to_string();
    for r in rows {
        csv.push('\n');
        csv.push_str(r);
    }
    csv.push('\n');
    Table::from_csv_bytes(label, csv.into_bytes()).expect("table")
}

fn lowest_decile(labels: &[bool], p: &[f64]) -> (f64, f64) {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|a, b| p[*a].total_cmp(&p[*b]));
    let k = p.len() / 10;
    let low = &idx[..k];
    (
        low.iter().map(|i| p[*i]).sum::<f64>() / k as f64,
        low.iter().filter(|i| labels[**i]).count() as f64 / k as f64,
    )
}

fn calibration_and_estimated_performance_on_telco() {
    let Some((header, rows)) = telco() else {
        eprintln!("Telco file not found; set DRIFTSCOPE_TELCO");
        return;
    };
    let cfg = Config::default();
    let all: Vec<&String> = rows.iter().collect();
    let whole = table("telco", &header, &all);
    let trained = train_calibrated(&whole, &cfg, 42, &Default::default()).expect("train");
    let baseline = driftscope_monitor::baseline_metrics(&trained).expect("baseline");
    let c = baseline.calibration.as_ref().expect("calibrated");
    let calibrated: Vec<f64> = trained
        .holdout_probabilities
        .iter()
        .map(|p| trained.model.calibrate(*p))
        .collect();
    let (rb, ob) = lowest_decile(&trained.holdout_labels, &trained.holdout_probabilities);
    let (ra, oa) = lowest_decile(&trained.holdout_labels, &calibrated);
    println!(
        "calibration ({}, {} rows): holdout {} rows; Brier {:.4} -> {:.4}; ECE {:.4} -> {:.4}; \
         lowest tenth predicted {rb:.3} vs observed {ob:.3} -> predicted {ra:.3} vs observed {oa:.3}; \
         holdout AUC {:.4}",
        c.method,
        c.calibration_rows,
        c.before.rows,
        c.before.brier,
        c.after.brier,
        c.before.ece,
        c.after.ece,
        baseline.holdout.auc.unwrap_or(f64::NAN)
    );

    let (mut auc_err, mut acc_err, mut f1_err) = (Vec::new(), Vec::new(), Vec::new());
    let (mut auc_in, mut acc_in, mut f1_in) = (0, 0, 0);
    for split in 0..SPLITS {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1000 + split);
        let mut idx: Vec<usize> = (0..rows.len()).collect();
        idx.shuffle(&mut rng);
        let (batch_idx, train_idx) = idx.split_at(BATCH);
        let pick = |ix: &[usize]| ix.iter().map(|i| &rows[*i]).collect::<Vec<_>>();
        let train = table("train", &header, &pick(train_idx));
        let batch = table("batch", &header, &pick(batch_idx));
        let t = train_calibrated(&train, &cfg, split, &Default::default()).expect("train");
        let p = driftscope_training::predict_proba(&t.model, &batch).expect("score");
        let (y, _) = batch
            .binary_target(&cfg.model.target, &cfg.model.positive_label, None)
            .expect("labels");
        let m = classification_metrics(&y, &p, 0.5).expect("metrics");
        let e = estimate_performance(
            &p,
            0.5,
            spread(&t, &p).as_ref(),
            t.model.calibration.is_some(),
        )
        .expect("est");
        let a = e.auc.expect("auc");
        let auc = m.auc.expect("auc");
        auc_err.push((a.value - auc).abs());
        acc_err.push((e.accuracy.value - m.accuracy).abs());
        f1_err.push((e.f1.value - m.f1).abs());
        auc_in += usize::from(a.lower <= auc && auc <= a.upper);
        acc_in += usize::from(e.accuracy.lower <= m.accuracy && m.accuracy <= e.accuracy.upper);
        f1_in += usize::from(e.f1.lower <= m.f1 && m.f1 <= e.f1.upper);
        println!(
            "split {split}: AUC estimated {:.4} [{:.4}, {:.4}] realized {auc:.4}; accuracy {:.4} vs {:.4}; F1 {:.4} vs {:.4}",
            a.value, a.lower, a.upper, e.accuracy.value, m.accuracy, e.f1.value, m.f1
        );
    }
    let mae = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let n = SPLITS as f64;
    println!(
        "{SPLITS} batches of {BATCH} rows: AUC MAE {:.4}, 95% coverage {:.2}; accuracy MAE {:.4}, coverage {:.2}; F1 MAE {:.4}, coverage {:.2}",
        mae(&auc_err),
        auc_in as f64 / n,
        mae(&acc_err),
        acc_in as f64 / n,
        mae(&f1_err),
        f1_in as f64 / n
    );
}

/// Part 3 baseline: the concept-drift test as it stands (holdout-calibrated expectation) on
/// i.i.d. batches of the calibrated model: 20 random splits, each training on the 2,043 rows
/// left after setting aside 10 batches of 500 rows; prints the share of batches with
/// `concept_drift.detected` and with a HIGH CONCEPT_DRIFT alert (the rule of
/// `driftscope-alerting`), and the share where the estimated AUC's interval misses the realized
/// AUC.
fn concept_drift_false_alarms_on_iid_batches() {
    let Some((header, rows)) = telco() else {
        eprintln!("Telco file not found; set DRIFTSCOPE_TELCO");
        return;
    };
    let cfg = Config::default();
    let cd = &cfg.concept_drift;
    let (mut batches, mut detected, mut high, mut outside) = (0, 0, 0, 0);
    for split in 0..SPLITS {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5000 + split);
        let mut idx: Vec<usize> = (0..rows.len()).collect();
        idx.shuffle(&mut rng);
        let (held, train_idx) = idx.split_at(5000);
        let pick = |ix: &[usize]| ix.iter().map(|i| &rows[*i]).collect::<Vec<_>>();
        let train = table("train", &header, &pick(train_idx));
        let t = train_calibrated(&train, &cfg, split, &Default::default()).expect("train");
        let baseline = driftscope_monitor::baseline_metrics(&t).expect("baseline");
        for b in held.chunks(500) {
            let batch = table("batch", &header, &pick(b));
            let p = driftscope_training::predict_proba(&t.model, &batch).expect("score");
            let (y, _) = batch
                .binary_target(&cfg.model.target, &cfg.model.positive_label, None)
                .expect("labels");
            let ranked = driftscope_performance::Ranked::new(&p, Some(&y)).expect("rank");
            let (m, c) = driftscope_performance::concept_drift_ranked(
                &y,
                &p,
                &ranked,
                &baseline,
                cd,
                &cfg.retraining.model_comparison_metric,
            )
            .expect("concept");
            batches += 1;
            detected += usize::from(c.detected);
            let big = c.auc_drop.unwrap_or(0.0)
                >= driftscope_alerting::SEVERITY_STEP * cd.auc_drop_threshold
                || c.error_rate_increase
                    >= driftscope_alerting::SEVERITY_STEP * cd.error_rate_increase;
            high += usize::from(c.detected && big);
            let e = estimate_performance(&p, 0.5, spread(&t, &p).as_ref(), true).expect("estimate");
            let (a, auc) = (e.auc.expect("auc"), m.auc.expect("auc"));
            outside += usize::from(auc < a.lower || auc > a.upper);
        }
    }
    let n = batches as f64;
    println!(
        "{batches} i.i.d. batches of 500 rows: concept drift detected {:.3}, HIGH CONCEPT_DRIFT {:.3}; realized AUC outside the estimate's 95% interval {:.3} ({} batches)",
        detected as f64 / n,
        high as f64 / n,
        outside as f64 / n,
        outside
    );
}

fn main() {
    calibration_and_estimated_performance_on_telco();
    concept_drift_false_alarms_on_iid_batches();
}

/// The calibration term of the interval, as monitoring computes it.
fn spread(
    trained: &driftscope_training::Trained,
    p: &[f64],
) -> Option<driftscope_artifacts::MetricSpread> {
    let mut sorted = p.to_vec();
    driftscope_artifacts::sort_floats(&mut sorted);
    driftscope_monitor::estimate_spread(&trained.model, &sorted, 0.5, &trained.sample.predictions)
        .spread
}
