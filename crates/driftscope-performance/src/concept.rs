//! Concept-drift analysis: realized performance against the confidence-based expectation.

use std::collections::BTreeMap;

use driftscope_artifacts::{BaselineMetrics, ComparisonMetric, ConceptDrift, ConceptDriftConfig};

/// Standard errors a performance gap must reach, besides its configured size, to count as concept
/// drift: a one-sided 3-sigma test has about one false alarm in 700 batches, so a clean batch
/// of any size rarely trips it.
pub const CONCEPT_MIN_Z: f64 = 3.0;

use crate::expected::{auc_standard_error, expected_performance_sorted};
use crate::{
    classification_metrics_ranked, ClassificationMetrics, ExpectedPerformance, PerformanceError,
    Ranked,
};

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
    let auc_gap = match (baseline.holdout.auc, baseline.expected_auc) {
        (Some(a), Some(x)) => a - x,
        _ => 0.0,
    };
    let expected_auc = e.auc.map(|x| (x + auc_gap).min(1.0));
    let auc_drop = m.auc.zip(expected_auc).map(|(a, x)| x - a);
    reasons.extend(auc_reason(&m, auc_drop, expected_auc, cfg));
    let cd = ConceptDrift {
        detected: !reasons.is_empty(),
        auc: m.auc,
        expected_auc,
        auc_drop,
        auc_drop_vs_baseline: baseline.holdout.auc.zip(m.auc).map(|(b, a)| b - a),
        relative_decay: relative_decay(&baseline.holdout, &m, comparison_metric),
        error_rate: err.error,
        expected_error_rate: err.expected,
        error_rate_increase: err.increase,
        error_z: err.z,
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
/// realized and expected.
fn error_excess(
    m: &ClassificationMetrics,
    e: &ExpectedPerformance,
    baseline: &BaselineMetrics,
) -> ErrorExcess {
    let error_gap = (1.0 - baseline.holdout.accuracy) - baseline.expected_error_rate;
    let expected = (e.error_rate + error_gap).max(1e-9);
    let error = 1.0 - m.accuracy;
    let excess = error - expected;
    ErrorExcess {
        error,
        expected,
        increase: excess / expected,
        z: excess / e.error_rate_sd.max(1e-12),
    }
}

/// The reason to flag an AUC that fell at least `auc_drop_threshold` and 3 standard errors
/// below its expectation.
fn auc_reason(
    m: &ClassificationMetrics,
    auc_drop: Option<f64>,
    expected_auc: Option<f64>,
    cfg: &ConceptDriftConfig,
) -> Option<String> {
    let (drop, auc) = (auc_drop?, m.auc?);
    let se = auc_standard_error(auc, m.positives, m.n - m.positives);
    (drop >= cfg.auc_drop_threshold && drop >= CONCEPT_MIN_Z * se).then(|| {
        format!(
            "AUC {auc:.3} vs {:.3} expected for these inputs (drop {drop:.3}, {:.1} standard errors)",
            expected_auc.unwrap_or(f64::NAN),
            drop / se.max(1e-12)
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
