//! Concept-drift analysis: realized performance against the confidence-based expectation.

use std::collections::BTreeMap;

use driftscope_artifacts::{BaselineMetrics, ComparisonMetric, ConceptDrift, ConceptDriftConfig};

/// Standard errors a performance gap must reach, besides its configured size, to count as concept
/// drift. Two one-sided tests (error rate, AUC) at 3 standard errors each fire on at most
/// 2 x 0.135% = 0.27% of i.i.d. batches together (Bonferroni), when the standard errors hold;
/// they combine the batch's sampling noise with the holdout's (the expectation is corrected by
/// a gap measured on the holdout), so a small holdout widens them instead of raising false
/// alarms.
pub const CONCEPT_MIN_Z: f64 = 3.0;

use crate::expected::expected_performance_sorted;
use crate::{
    classification_metrics_ranked, ClassificationMetrics, ExpectedPerformance, PerformanceError,
    Ranked,
};
use driftscope_artifacts::auc_standard_error;

/// Concept-drift analysis of a labelled batch: realized metrics against what the model should
/// reach on this batch's inputs (confidence-based expectation, corrected by the baseline's gap
/// between realized and expected). A covariate shift moves the expectation with the inputs; only
/// a change of P(target | inputs) opens a gap. Detected when the error excess is at least
/// `error_rate_increase` (relative) and [`CONCEPT_MIN_Z`] standard errors, or the AUC falls at
/// least `auc_drop_threshold` and [`CONCEPT_MIN_Z`] standard errors below its expectation. Inputs as
/// [`classification_metrics`](crate::classification_metrics).
///
/// # Example
/// ```
/// use driftscope_artifacts::{ComparisonMetric, ConceptDriftConfig, SplitInfo};
/// use driftscope_performance::{baseline_metrics, concept_drift};
/// let (y, p) = ([true, false, true, false], [0.9, 0.1, 0.8, 0.2]);
/// let split = SplitInfo { train_rows: 16, test_rows: 4, train_positives: 8, test_positives: 2, seed: 1 };
/// let baseline = baseline_metrics(&y, &p, "m-1", &split).unwrap();
/// let (m, drift) = concept_drift(&y, &p, &baseline, &ConceptDriftConfig::default(), &ComparisonMetric::Auc).unwrap();
/// assert_eq!(m.auc, Some(1.0));
/// assert!(!drift.detected);
/// assert!(concept_drift(&y, &p[..2], &baseline, &ConceptDriftConfig::default(), &ComparisonMetric::Auc).is_err());
/// ```
pub fn concept_drift(
    labels: &[bool],
    probabilities: &[f64],
    baseline: &BaselineMetrics,
    cfg: &ConceptDriftConfig,
    comparison_metric: &ComparisonMetric,
) -> Result<(ClassificationMetrics, ConceptDrift), PerformanceError> {
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
///
/// # Example
/// ```
/// use driftscope_artifacts::{ComparisonMetric, ConceptDriftConfig, SplitInfo};
/// use driftscope_performance::{baseline_metrics, concept_drift_ranked, Ranked};
/// let (y, p) = ([true, false, true, false], [0.9, 0.1, 0.8, 0.2]);
/// let split = SplitInfo { train_rows: 16, test_rows: 4, train_positives: 8, test_positives: 2, seed: 1 };
/// let baseline = baseline_metrics(&y, &p, "m-1", &split).unwrap();
/// let ranked = Ranked::new(&p, Some(&y)).unwrap();
/// let cfg = ConceptDriftConfig::default();
/// let (_, drift) = concept_drift_ranked(&y, &p, &ranked, &baseline, &cfg, &ComparisonMetric::Auc).unwrap();
/// assert_eq!(drift.error_by_prediction.len(), 2);
/// ```
pub fn concept_drift_ranked(
    labels: &[bool],
    probabilities: &[f64],
    ranked: &Ranked,
    baseline: &BaselineMetrics,
    cfg: &ConceptDriftConfig,
    comparison_metric: &ComparisonMetric,
) -> Result<(ClassificationMetrics, ConceptDrift), PerformanceError> {
    let threshold = baseline.holdout.threshold;
    let m = classification_metrics_ranked(labels, probabilities, ranked, threshold)?;
    let e = expected_performance_sorted(probabilities, &ranked.sorted, threshold);
    let mut reasons = Vec::new();
    let err = error_excess(&m, &e, baseline);
    if err.increase >= cfg.error_rate_increase && err.z >= CONCEPT_MIN_Z {
        reasons.push(format!(
            "error rate {:.3} vs {:.3} expected for these inputs (+{:.0}%, z = {:.1})",
            err.error,
            err.expected,
            err.increase * 100.0,
            err.z
        ));
    }
    let auc = auc_excess(&m, e.auc, baseline);
    reasons.extend(auc_reason(&auc, cfg));
    let cd = ConceptDrift {
        detected: !reasons.is_empty(),
        auc: m.auc,
        expected_auc: auc.expected,
        auc_drop: auc.drop,
        auc_drop_vs_baseline: baseline.holdout.auc.zip(m.auc).map(|(b, a)| b - a),
        relative_decay: relative_decay(&baseline.holdout, &m, comparison_metric),
        decay_z: decay_z(&baseline.holdout, &m, *comparison_metric),
        error_rate: err.error,
        expected_error_rate: err.expected,
        error_rate_increase: err.increase,
        error_z: err.z,
        auc_z: auc.z,
        error_by_prediction: error_by_prediction(labels, probabilities, threshold),
        reasons,
    };
    Ok((m, cd))
}

/// The batch's error rate against its expectation.
struct ErrorExcess {
    error: f64,
    expected: f64,
    increase: f64,
    z: f64,
}

/// Realized error rate against the expected one, corrected by the baseline's gap between
/// realized and expected. The standard error adds the batch's (Bernoulli noise of the realized
/// errors given the probabilities) and the holdout's (binomial, `e0 (1 - e0) / n0`: the gap is
/// one holdout's realization).
fn error_excess(
    m: &ClassificationMetrics,
    e: &ExpectedPerformance,
    baseline: &BaselineMetrics,
) -> ErrorExcess {
    let holdout_error = 1.0 - baseline.holdout.accuracy;
    let error_gap = holdout_error - baseline.expected_error_rate;
    let expected = (e.error_rate + error_gap).max(1e-9);
    let error = 1.0 - m.accuracy;
    let excess = error - expected;
    let holdout_var = holdout_error * (1.0 - holdout_error) / baseline.holdout.n.max(1) as f64;
    let se = (e.error_rate_sd.powi(2) + holdout_var).sqrt();
    ErrorExcess {
        error,
        expected,
        increase: excess / expected,
        z: excess / se.max(1e-12),
    }
}

/// The batch's AUC against its expectation.
struct AucExcess {
    auc: Option<f64>,
    expected: Option<f64>,
    drop: Option<f64>,
    z: Option<f64>,
}

/// Realized AUC against the expected one (confidence-based, corrected by the baseline's gap),
/// with the standard error of the drop: the batch AUC's and the holdout AUC's (Hanley & McNeil)
/// in quadrature, the holdout's only when the gap corrects the expectation.
fn auc_excess(
    m: &ClassificationMetrics,
    expected: Option<f64>,
    baseline: &BaselineMetrics,
) -> AucExcess {
    let h = &baseline.holdout;
    let (gap, holdout_se) = match (h.auc, baseline.expected_auc) {
        (Some(a), Some(x)) => (a - x, auc_standard_error(a, h.positives, h.n - h.positives)),
        _ => (0.0, 0.0),
    };
    let expected = expected.map(|x| (x + gap).min(1.0));
    let drop = m.auc.zip(expected).map(|(a, x)| x - a);
    let z = m.auc.zip(drop).map(|(a, d)| {
        let se = auc_standard_error(a, m.positives, m.n - m.positives);
        d / (se * se + holdout_se * holdout_se).sqrt().max(1e-12)
    });
    AucExcess {
        auc: m.auc,
        expected,
        drop,
        z,
    }
}

/// The reason to flag an AUC that fell at least `auc_drop_threshold` and [`CONCEPT_MIN_Z`]
/// standard errors below its expectation.
fn auc_reason(a: &AucExcess, cfg: &ConceptDriftConfig) -> Option<String> {
    let (drop, auc, z) = (a.drop?, a.auc?, a.z?);
    (drop >= cfg.auc_drop_threshold && z >= CONCEPT_MIN_Z).then(|| {
        format!(
            "AUC {auc:.3} vs {:.3} expected for these inputs (drop {drop:.3}, {z:.1} standard errors)",
            a.expected.unwrap_or(f64::NAN),
        )
    })
}

/// Relative decay of the comparison metric from the baseline to the batch.
fn relative_decay(
    baseline: &ClassificationMetrics,
    m: &ClassificationMetrics,
    comparison_metric: &ComparisonMetric,
) -> Option<f64> {
    let metric = |x: &ClassificationMetrics| comparison_metric.of(x);
    metric(baseline)
        .zip(metric(m))
        .filter(|(b, _)| *b > 0.0)
        .map(|(b, v)| (b - v) / b)
}

/// Standard score of the comparison metric's fall from the baseline: AUC with Hanley-McNeil
/// standard errors, accuracy with binomial ones, batch and holdout in quadrature; `None` for the
/// other metrics (their decay is judged on its size alone).
fn decay_z(
    baseline: &ClassificationMetrics,
    m: &ClassificationMetrics,
    metric: ComparisonMetric,
) -> Option<f64> {
    let (b, a, vb, va) = match metric {
        ComparisonMetric::Auc => {
            let (b, a) = (baseline.auc?, m.auc?);
            let se = |x: f64, c: &ClassificationMetrics| {
                auc_standard_error(x, c.positives, c.n - c.positives)
            };
            (b, a, se(b, baseline).powi(2), se(a, m).powi(2))
        }
        ComparisonMetric::Accuracy => {
            let (b, a) = (baseline.accuracy, m.accuracy);
            let var = |x: f64, c: &ClassificationMetrics| x * (1.0 - x) / c.n.max(1) as f64;
            (b, a, var(b, baseline), var(a, m))
        }
        _ => return None,
    };
    Some((b - a) / (vb + va).sqrt().max(1e-12))
}

/// Error rate among the rows predicted positive and among those predicted negative.
fn error_by_prediction(
    labels: &[bool],
    probabilities: &[f64],
    threshold: f64,
) -> BTreeMap<String, f64> {
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
    let mut out = BTreeMap::new();
    out.insert("predicted_positive".to_string(), rate(true));
    out.insert("predicted_negative".to_string(), rate(false));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{baseline_metrics, classification_metrics};
    use driftscope_artifacts::SplitInfo;

    /// A baseline whose holdout has `n` rows, error rate 0.2 and AUC 0.8, both as expected
    /// (no gap).
    fn baseline(n: u64, positives: u64) -> BaselineMetrics {
        let split = SplitInfo {
            train_rows: 4 * n,
            test_rows: n,
            train_positives: 4 * positives,
            test_positives: positives,
            seed: 1,
        };
        let mut b = baseline_metrics(&[true, false], &[0.9, 0.1], "m-1", &split).unwrap();
        b.holdout.n = n;
        b.holdout.positives = positives;
        b.holdout.accuracy = 0.8;
        b.holdout.auc = Some(0.8);
        b.expected_error_rate = 0.2;
        b.expected_auc = Some(0.8);
        b
    }

    #[test]
    fn error_test_counts_the_holdout_noise() {
        // 1,000 rows all at p = 0.1 (predicted negative): expected error 0.1, batch variance
        // 1000 * 0.1 * 0.9 / 1000^2 = 9e-5; holdout variance 0.2 * 0.8 / 1000 = 1.6e-4; the
        // standard error is sqrt(2.5e-4) = 0.0158114 and 3 of them are an excess of 0.0474342.
        // The realized error is the share of positives: 0.147 is 2.97 standard errors, 0.148
        // is 3.04 (the batch noise alone would make both about 5).
        let p = vec![0.1; 1000];
        let b = baseline(1000, 200);
        let cfg = ConceptDriftConfig::default();
        for (positives, detected) in [(147, false), (148, true)] {
            let y: Vec<bool> = (0..1000).map(|i| i < positives).collect();
            let (_, c) = concept_drift(&y, &p, &b, &cfg, &ComparisonMetric::Auc).unwrap();
            let z = (positives as f64 / 1000.0 - 0.1) / 2.5e-4f64.sqrt();
            assert!((c.error_z - z).abs() < 1e-9, "{} vs {z}", c.error_z);
            assert_eq!(c.detected, detected, "{c:?}");
            // Tied probabilities: AUC 0.5 as expected, no AUC drop.
            assert!(c.auc_drop.unwrap().abs() < 1e-12, "{c:?}");
        }
    }

    #[test]
    fn auc_test_counts_the_holdout_noise() {
        // Batch AUC 0.75 on 100 positives and 100 negatives, expected 0.80, holdout AUC 0.8 on
        // 200 positives and 800 negatives. Hanley-McNeil standard errors (Python, the
        // formula of Hanley & McNeil 1982): batch 0.0344316092317178, holdout
        // 0.019730123612835722; z = 0.05 / sqrt(sum of squares) = 1.259956179486103.
        let mut m = classification_metrics(&[true, false], &[0.9, 0.1], 0.5).unwrap();
        (m.n, m.positives, m.auc) = (200, 100, Some(0.75));
        let a = auc_excess(&m, Some(0.8), &baseline(1000, 200));
        assert!((a.drop.unwrap() - 0.05).abs() < 1e-12);
        assert!((a.z.unwrap() - 1.259_956_179_486_103).abs() < 1e-9);
        // The rule at its boundaries: z and the configured drop must both be reached.
        let cfg = ConceptDriftConfig::default();
        let at = |drop: f64, z: f64| AucExcess {
            auc: Some(0.7),
            expected: Some(0.7 + drop),
            drop: Some(drop),
            z: Some(z),
        };
        assert!(auc_reason(&at(0.05, CONCEPT_MIN_Z), &cfg).is_some());
        assert!(auc_reason(&at(0.05, CONCEPT_MIN_Z - 1e-9), &cfg).is_none());
        let t = cfg.auc_drop_threshold;
        assert!(auc_reason(&at(t, 10.0), &cfg).is_some());
        assert!(auc_reason(&at(t - 1e-9, 10.0), &cfg).is_none());
    }
}
