//! Classification metrics for driftscope, over plain slices.
//!
//! AUC (ties get average ranks, as `sklearn.metrics.roc_auc_score`), accuracy, precision,
//! recall, F1 and the confusion matrix of the positive class at a decision threshold on the
//! predicted probability. Precision, recall and F1 are 0 (not NaN) where their denominator is 0,
//! and the result's `notes` say so.
//!
//! **Reads:** nothing (labels and probabilities are passed in). **Writes:** nothing; the result is
//! the [`ClassificationMetrics`] artifact body.
//!
//! # Example
//! ```
//! use driftscope_performance::classification_metrics;
//! let m = classification_metrics(&[true, false, true, false], &[0.9, 0.2, 0.4, 0.6], 0.5).unwrap();
//! assert_eq!(m.auc, Some(0.75));
//! assert_eq!(m.accuracy, 0.5);
//! ```

pub use driftscope_artifacts::{ClassificationMetrics, ComparisonMetric, ConfusionMatrix};

/// What can be wrong with metric inputs.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PerformanceError {
    /// Labels and probabilities differ in length.
    #[error("{labels} labels but {scores} predicted probabilities; expected one per row")]
    LengthMismatch {
        /// Number of labels.
        labels: usize,
        /// Number of scores.
        scores: usize,
    },
    /// No rows.
    #[error("no rows to evaluate")]
    Empty,
    /// A score is NaN.
    #[error("predicted probability at row {row} is NaN")]
    NanScore {
        /// 1-based row.
        row: usize,
    },
}

/// A batch's probabilities sorted once (IEEE total order), with each row's label in the same
/// order: what AUC, expected AUC and the prediction-drift statistics all need.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The probabilities, ascending.
    pub sorted: Vec<f64>,
    /// The label of each entry of `sorted` (`None` without labels).
    pub labels: Option<Vec<bool>>,
}

impl Ranked {
    /// Sorts `probabilities` (and `labels`, when given, along with them). Labels must be as
    /// many as probabilities.
    pub fn new(probabilities: &[f64], labels: Option<&[bool]>) -> Result<Ranked, PerformanceError> {
        match labels {
            None => {
                let mut sorted = probabilities.to_vec();
                driftscope_artifacts::sort_floats(&mut sorted);
                Ok(Ranked {
                    sorted,
                    labels: None,
                })
            }
            Some(y) => {
                if y.len() != probabilities.len() {
                    return Err(PerformanceError::LengthMismatch {
                        labels: y.len(),
                        scores: probabilities.len(),
                    });
                }
                // Probabilities have no sign bit: each one and its label then pack into one
                // integer with the same order (the bits shifted left, the label below them).
                if probabilities.iter().all(|p| p.is_sign_positive()) {
                    let mut keys: Vec<u64> = probabilities
                        .iter()
                        .zip(y)
                        .map(|(p, l)| (p.to_bits() << 1) | u64::from(*l))
                        .collect();
                    keys.sort_unstable();
                    return Ok(Ranked {
                        sorted: keys.iter().map(|k| f64::from_bits(k >> 1)).collect(),
                        labels: Some(keys.iter().map(|k| k & 1 == 1).collect()),
                    });
                }
                let mut pairs: Vec<(f64, bool)> = probabilities
                    .iter()
                    .copied()
                    .zip(y.iter().copied())
                    .collect();
                driftscope_artifacts::sort_by_float_key(&mut pairs);
                let (sorted, labels) = pairs.into_iter().unzip();
                Ok(Ranked {
                    sorted,
                    labels: Some(labels),
                })
            }
        }
    }

    /// ROC AUC (average ranks for ties); `None` without labels or when one class is absent.
    pub fn auc(&self) -> Option<f64> {
        let labels = self.labels.as_ref()?;
        let n_pos = labels.iter().filter(|l| **l).count();
        let n_neg = labels.len() - n_pos;
        if n_pos == 0 || n_neg == 0 {
            return None;
        }
        let s = &self.sorted;
        // Sum of the (1-based, tie-averaged) ranks of the positives.
        let mut rank_sum_pos = 0.0;
        let mut i = 0;
        while i < s.len() {
            let mut j = i;
            while j + 1 < s.len() && s[j + 1] == s[i] {
                j += 1;
            }
            let avg_rank = (i + j) as f64 / 2.0 + 1.0;
            let pos_in_group = labels[i..=j].iter().filter(|k| **k).count();
            rank_sum_pos += avg_rank * pos_in_group as f64;
            i = j + 1;
        }
        let (p, n) = (n_pos as f64, n_neg as f64);
        Some((rank_sum_pos - p * (p + 1.0) / 2.0) / (p * n))
    }
}

/// ROC AUC with average ranks for ties; `None` when one class is absent.
pub fn roc_auc(labels: &[bool], scores: &[f64]) -> Option<f64> {
    Ranked::new(scores, Some(labels)).ok()?.auc()
}

/// All classification metrics at `threshold` (a row is predicted positive when its probability
/// is at least the threshold).
pub fn classification_metrics(
    labels: &[bool],
    probabilities: &[f64],
    threshold: f64,
) -> Result<ClassificationMetrics, PerformanceError> {
    let ranked = Ranked::new(probabilities, Some(labels))?;
    classification_metrics_ranked(labels, probabilities, &ranked, threshold)
}

/// Labels and probabilities fit together: as many of each, at least one, no NaN.
fn check_scores(labels: &[bool], probabilities: &[f64]) -> Result<(), PerformanceError> {
    if labels.len() != probabilities.len() {
        return Err(PerformanceError::LengthMismatch {
            labels: labels.len(),
            scores: probabilities.len(),
        });
    }
    if labels.is_empty() {
        return Err(PerformanceError::Empty);
    }
    if let Some(i) = probabilities.iter().position(|p| p.is_nan()) {
        return Err(PerformanceError::NanScore { row: i + 1 });
    }
    Ok(())
}

/// [`classification_metrics`] with the probabilities already ranked (`ranked` must hold these
/// probabilities and labels).
pub fn classification_metrics_ranked(
    labels: &[bool],
    probabilities: &[f64],
    ranked: &Ranked,
    threshold: f64,
) -> Result<ClassificationMetrics, PerformanceError> {
    check_scores(labels, probabilities)?;
    let mut c = ConfusionMatrix::default();
    for (y, p) in labels.iter().zip(probabilities) {
        match (*y, *p >= threshold) {
            (true, true) => c.tp += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
            (true, false) => c.fn_ += 1,
        }
    }
    let n = labels.len() as u64;
    let mut notes = Vec::new();
    let ratio = |num: u64, den: u64, what: &str, notes: &mut Vec<String>| {
        if den == 0 {
            notes.push(format!("{what} set to 0: its denominator is 0"));
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let precision = ratio(
        c.tp,
        c.tp + c.fp,
        "precision (no row predicted positive)",
        &mut notes,
    );
    let recall = ratio(c.tp, c.tp + c.fn_, "recall (no positive row)", &mut notes);
    let f1 = if precision + recall == 0.0 {
        notes.push("f1 set to 0: precision + recall is 0".into());
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let auc = ranked.auc();
    if auc.is_none() {
        notes.push("auc undefined: only one class present".into());
    }
    Ok(ClassificationMetrics {
        n,
        positives: c.tp + c.fn_,
        auc,
        accuracy: (c.tp + c.tn) as f64 / n as f64,
        precision,
        recall,
        f1,
        confusion: c,
        positive_rate: (c.tp + c.fn_) as f64 / n as f64,
        predicted_positive_rate: (c.tp + c.fp) as f64 / n as f64,
        threshold,
        notes,
    })
}

/// Performance the model should reach on a batch if its probabilities are right for that batch
/// (confidence-based estimation, as NannyML's CBPE): a covariate shift moves these expectations,
/// a concept drift makes the realized metrics fall below them.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExpectedPerformance {
    /// Expected accuracy at the threshold: mean of p (predicted positive) or 1 - p.
    pub accuracy: f64,
    /// Expected error rate, 1 - accuracy.
    pub error_rate: f64,
    /// Standard deviation of the realized error rate around its expectation.
    pub error_rate_sd: f64,
    /// Expected AUC: expected concordant pairs over expected positive-negative pairs.
    pub auc: Option<f64>,
    /// Mean predicted probability (the expected positive rate).
    pub positive_rate: f64,
}

/// [`ExpectedPerformance`] of a batch from its predicted probabilities.
pub fn expected_performance(probabilities: &[f64], threshold: f64) -> Option<ExpectedPerformance> {
    let mut sorted = probabilities.to_vec();
    driftscope_artifacts::sort_floats(&mut sorted);
    expected_performance_sorted(probabilities, &sorted, threshold)
}

/// [`expected_performance`] with `sorted`, the same probabilities sorted ascending.
pub fn expected_performance_sorted(
    probabilities: &[f64],
    sorted: &[f64],
    threshold: f64,
) -> Option<ExpectedPerformance> {
    let n = probabilities.len();
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let errors: Vec<f64> = probabilities
        .iter()
        .map(|p| if *p >= threshold { 1.0 - p } else { *p })
        .collect();
    let error_rate = errors.iter().sum::<f64>() / nf;
    let var = errors.iter().map(|e| e * (1.0 - e)).sum::<f64>() / (nf * nf);
    // Expected AUC: sum_i p_i * sum_{j: s_j < s_i} (1 - p_j) (+ half for ties), i != j, over
    // sum_i p_i * sum_{j != i} (1 - p_j).
    let (mut below_neg, mut num) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let group = &sorted[i..=j];
        let neg_in_group: f64 = group.iter().map(|p| 1.0 - p).sum();
        for p in group {
            num += p * (below_neg + 0.5 * (neg_in_group - (1.0 - p)));
        }
        below_neg += neg_in_group;
        i = j + 1;
    }
    let sum_p: f64 = probabilities.iter().sum();
    let den = sum_p * (nf - sum_p) - probabilities.iter().map(|p| p * (1.0 - p)).sum::<f64>();
    Some(ExpectedPerformance {
        accuracy: 1.0 - error_rate,
        error_rate,
        error_rate_sd: var.sqrt(),
        auc: (den > 0.0).then(|| num / den),
        positive_rate: sum_p / nf,
    })
}

/// Standard error of an AUC (Hanley & McNeil 1982).
pub fn auc_standard_error(auc: f64, positives: u64, negatives: u64) -> f64 {
    let (n1, n2) = (positives as f64, negatives as f64);
    let q1 = auc / (2.0 - auc);
    let q2 = 2.0 * auc * auc / (1.0 + auc);
    ((auc * (1.0 - auc) + (n1 - 1.0) * (q1 - auc * auc) + (n2 - 1.0) * (q2 - auc * auc))
        / (n1 * n2))
        .max(0.0)
        .sqrt()
}

/// Standard errors a performance gap must reach, besides its configured size, to count as concept
/// drift: a one-sided 3-sigma test has about one false alarm in 700 batches, so a clean batch
/// of any size rarely trips it.
pub const CONCEPT_MIN_Z: f64 = 3.0;

/// Concept-drift analysis of a labelled batch: realized metrics against what the model should
/// reach on this batch's inputs (confidence-based expectation, corrected by the baseline's gap
/// between realized and expected). A covariate shift moves the expectation with the inputs; only
/// a change of P(target | inputs) opens a gap. Detected when the error excess is at least
/// `error_rate_increase` (relative) and [`CONCEPT_MIN_Z`] standard errors, or the AUC falls at
/// least `auc_drop_threshold` and [`CONCEPT_MIN_Z`] standard errors below its expectation.
pub fn concept_drift(
    labels: &[bool],
    probabilities: &[f64],
    baseline: &driftscope_artifacts::BaselineMetrics,
    cfg: &driftscope_artifacts::ConceptDriftConfig,
    comparison_metric: &ComparisonMetric,
) -> Result<(ClassificationMetrics, driftscope_artifacts::ConceptDrift), PerformanceError> {
    let ranked = Ranked::new(probabilities, Some(labels))?;
    concept_drift_ranked(
        labels,
        probabilities,
        &ranked,
        baseline,
        cfg,
        comparison_metric,
    )
}

/// [`concept_drift`] with the probabilities already ranked (`ranked` must hold these
/// probabilities and labels), so that one sort serves every statistic of a batch.
pub fn concept_drift_ranked(
    labels: &[bool],
    probabilities: &[f64],
    ranked: &Ranked,
    baseline: &driftscope_artifacts::BaselineMetrics,
    cfg: &driftscope_artifacts::ConceptDriftConfig,
    comparison_metric: &ComparisonMetric,
) -> Result<(ClassificationMetrics, driftscope_artifacts::ConceptDrift), PerformanceError> {
    let threshold = baseline.holdout.threshold;
    let m = classification_metrics_ranked(labels, probabilities, ranked, threshold)?;
    let e = expected_performance_sorted(probabilities, &ranked.sorted, threshold)
        .ok_or(PerformanceError::Empty)?;
    let error_gap = (1.0 - baseline.holdout.accuracy) - baseline.expected_error_rate;
    let expected_error = (e.error_rate + error_gap).max(1e-9);
    let error = 1.0 - m.accuracy;
    let excess = error - expected_error;
    let error_z = excess / e.error_rate_sd.max(1e-12);
    let increase = excess / expected_error;
    let mut reasons = Vec::new();
    if increase >= cfg.error_rate_increase && error_z >= CONCEPT_MIN_Z {
        reasons.push(format!(
            "error rate {error:.3} vs {expected_error:.3} expected for these inputs (+{:.0}%, z = {error_z:.1})",
            increase * 100.0
        ));
    }
    let auc_gap = match (baseline.holdout.auc, baseline.expected_auc) {
        (Some(a), Some(x)) => a - x,
        _ => 0.0,
    };
    let expected_auc = e.auc.map(|x| (x + auc_gap).min(1.0));
    let auc_drop = m.auc.zip(expected_auc).map(|(a, x)| x - a);
    if let (Some(drop), Some(auc)) = (auc_drop, m.auc) {
        let se = auc_standard_error(auc, m.positives, m.n - m.positives);
        if drop >= cfg.auc_drop_threshold && drop >= CONCEPT_MIN_Z * se {
            reasons.push(format!(
                "AUC {auc:.3} vs {:.3} expected for these inputs (drop {drop:.3}, {:.1} standard errors)",
                expected_auc.unwrap_or(f64::NAN),
                drop / se.max(1e-12)
            ));
        }
    }
    let metric = |x: &ClassificationMetrics| comparison_metric.of(x);
    let relative_decay = metric(&baseline.holdout)
        .zip(metric(&m))
        .filter(|(b, _)| *b > 0.0)
        .map(|(b, v)| (b - v) / b);
    let rate = |pred: bool| {
        let (mut wrong, mut all) = (0u64, 0u64);
        for (y, p) in labels.iter().zip(probabilities) {
            if (*p >= threshold) == pred {
                all += 1;
                wrong += u64::from(*y != pred);
            }
        }
        if all == 0 {
            0.0
        } else {
            wrong as f64 / all as f64
        }
    };
    let mut error_by_prediction = std::collections::BTreeMap::new();
    error_by_prediction.insert("predicted_positive".to_string(), rate(true));
    error_by_prediction.insert("predicted_negative".to_string(), rate(false));
    let cd = driftscope_artifacts::ConceptDrift {
        detected: !reasons.is_empty(),
        auc: m.auc,
        expected_auc,
        auc_drop,
        auc_drop_vs_baseline: baseline.holdout.auc.zip(m.auc).map(|(b, a)| b - a),
        relative_decay,
        error_rate: error,
        expected_error_rate: expected_error,
        error_rate_increase: increase,
        error_z,
        error_by_prediction,
        reasons,
    };
    Ok((m, cd))
}

/// Least-squares slope of `values` against 0, 1, 2, ... (per step); `None` below 3 values.
pub fn trend_slope(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mean_x = (nf - 1.0) / 2.0;
    let mean_y = values.iter().sum::<f64>() / nf;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    Some(sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::Ranked;

    /// AUC by counting every positive-negative pair (ties count half).
    fn pairwise_auc(labels: &[bool], p: &[f64]) -> f64 {
        let (mut wins, mut pairs) = (0.0, 0.0);
        for (a, _) in p.iter().zip(labels).filter(|(_, l)| **l) {
            for (b, _) in p.iter().zip(labels).filter(|(_, l)| !**l) {
                pairs += 1.0;
                wins += if a > b {
                    1.0
                } else if a == b {
                    0.5
                } else {
                    0.0
                };
            }
        }
        wins / pairs
    }

    #[test]
    fn ranking_packed_and_general_paths_agree_with_pair_counting() {
        // Probabilities with many ties; the second set has a -0.0, which the packed path
        // cannot take, so it goes through the general sort.
        let p: Vec<f64> = (0..600u64)
            .map(|k| ((k * 7919) % 97) as f64 / 96.0)
            .collect();
        let y: Vec<bool> = (0..600u64).map(|k| (k * 31 + k / 7) % 3 == 0).collect();
        let mut q = p.clone();
        q[5] = -0.0;
        for probs in [&p, &q] {
            let r = Ranked::new(probs, Some(&y)).unwrap();
            let mut want = probs.clone();
            want.sort_by(f64::total_cmp);
            assert_eq!(r.sorted, want);
            // Each label stays with its probability: positives per value agree.
            let labels = r.labels.as_ref().unwrap();
            for v in [0.0, 0.5, 1.0] {
                let got = r
                    .sorted
                    .iter()
                    .zip(labels)
                    .filter(|(s, l)| **s == v && **l)
                    .count();
                let exp = probs
                    .iter()
                    .zip(&y)
                    .filter(|(s, l)| **s == v && **l)
                    .count();
                assert_eq!(got, exp, "positives at {v}");
            }
            let auc = r.auc().unwrap();
            assert!((auc - pairwise_auc(&y, probs)).abs() < 1e-12, "{auc}");
        }
        assert!(Ranked::new(&p, Some(&y[1..])).is_err());
        assert_eq!(Ranked::new(&p, None).unwrap().auc(), None);
    }

    #[test]
    fn expected_performance_hand_values() {
        // p = [0.9, 0.2]: expected errors 0.1 and 0.2 -> error 0.15; expected AUC =
        // (0.9 * 0.8) / (0.9 * 0.8 + 0.2 * 0.1) = 0.72 / 0.74.
        let e = super::expected_performance(&[0.9, 0.2], 0.5).unwrap();
        assert!((e.error_rate - 0.15).abs() < 1e-15);
        assert!((e.auc.unwrap() - 0.72 / 0.74).abs() < 1e-15);
        assert!((e.positive_rate - 0.55).abs() < 1e-15);
        // A calibrated model's realized metrics match the expectation on average.
        let p: Vec<f64> = (0..2000)
            .map(|i| ((i * 37) % 100) as f64 / 100.0 + 0.005)
            .collect();
        let e = super::expected_performance(&p, 0.5).unwrap();
        let y: Vec<bool> = p
            .iter()
            .enumerate()
            .map(|(i, p)| ((i * 7919) % 1000) as f64 / 1000.0 < *p)
            .collect();
        let m = super::classification_metrics(&y, &p, 0.5).unwrap();
        assert!(
            (m.accuracy - e.accuracy).abs() < 4.0 * e.error_rate_sd,
            "{} vs {}",
            m.accuracy,
            e.accuracy
        );
        assert!((m.auc.unwrap() - e.auc.unwrap()).abs() < 0.03);
    }

    #[test]
    fn slope() {
        assert_eq!(super::trend_slope(&[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(super::trend_slope(&[1.0, 2.0]), None);
    }
}

#[cfg(test)]
mod metric_tests {
    use super::*;

    #[test]
    fn hand_computed_values() {
        // labels:  1    0    1    0    1    0    0    1
        // scores: .9   .8   .7   .6   .55  .4   .3   .1
        let y = [true, false, true, false, true, false, false, true];
        let s = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.1];
        let m = classification_metrics(&y, &s, 0.5).unwrap();
        // Predicted positive: first five. tp = 3 (.9,.7,.55), fp = 2 (.8,.6), tn = 2, fn = 1.
        assert_eq!(
            m.confusion,
            ConfusionMatrix {
                tp: 3,
                fp: 2,
                tn: 2,
                fn_: 1
            }
        );
        assert_eq!(m.accuracy, 5.0 / 8.0);
        assert_eq!(m.precision, 3.0 / 5.0);
        assert_eq!(m.recall, 3.0 / 4.0);
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-15);
        // AUC: pairs (pos, neg) where pos > neg: .9 beats 4, .7 beats 3, .55 beats 2, .1 beats 0
        // -> 9 of 16. sklearn.metrics.roc_auc_score gives 0.5625.
        assert_eq!(m.auc, Some(0.5625));
        assert_eq!(m.positive_rate, 0.5);
        assert_eq!(m.predicted_positive_rate, 5.0 / 8.0);
        assert!(m.notes.is_empty());
    }

    #[test]
    fn ties_get_average_ranks() {
        // All scores equal: AUC 0.5 exactly (sklearn agrees).
        assert_eq!(roc_auc(&[true, false, true, false], &[0.3; 4]), Some(0.5));
        // One tie across classes counts half: pos {0.8, 0.5}, neg {0.5, 0.2}: (2 + 0.5 + 1) / 4.
        assert_eq!(
            roc_auc(&[true, true, false, false], &[0.8, 0.5, 0.5, 0.2]),
            Some(0.875)
        );
    }

    #[test]
    fn zero_denominators_are_zero_and_noted() {
        let m = classification_metrics(&[false, false], &[0.1, 0.2], 0.5).unwrap();
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        assert_eq!(m.auc, None);
        assert_eq!(m.notes.len(), 4, "{:?}", m.notes);
        assert_eq!(
            classification_metrics(&[true], &[0.1, 0.2], 0.5).unwrap_err(),
            PerformanceError::LengthMismatch {
                labels: 1,
                scores: 2
            }
        );
        assert_eq!(
            classification_metrics(&[], &[], 0.5).unwrap_err(),
            PerformanceError::Empty
        );
    }
}
