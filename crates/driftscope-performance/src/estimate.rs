//! Performance estimated without labels from calibrated probabilities (confidence-based
//! performance estimation, as NannyML's CBPE), with intervals for the batch size. Definitions:
//! `docs/calibration.md`.

use driftscope_artifacts::{Estimate, EstimatedPerformance, ExpectedConfusion, MetricSpread};

use crate::expected::{checked_sorted, expected_performance_sorted};
use crate::PerformanceError;

/// Label draws of the parametric bootstrap behind the intervals.
pub const ESTIMATE_REPLICATES: usize = 200;

/// Normal quantile of the two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// Seed of the label draws (fixed: the same probabilities give the same intervals).
const ESTIMATE_SEED: u64 = 0x0005_eed0_cb9e;

/// splitmix64: a small, fixed pseudo-random stream (no dependency, reproducible).
struct SplitMix(u64);

impl SplitMix {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Metrics of one labelling of the sorted probabilities.
struct Realized {
    auc: Option<f64>,
    accuracy: f64,
    precision: f64,
    recall: f64,
    f1: f64,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

fn metrics_of(tp: f64, fp: f64, tn: f64, fn_: f64) -> (f64, f64, f64, f64) {
    let n = tp + fp + tn + fn_;
    (
        (tp + tn) / n,
        ratio(tp, tp + fp),
        ratio(tp, tp + fn_),
        ratio(2.0 * tp, 2.0 * tp + fp + fn_),
    )
}

/// Estimated AUC, accuracy, precision, recall, F1 and the expected confusion matrix of a batch
/// from its calibrated probabilities, each with a 95% interval: point estimates are expectations
/// under "each row is positive with its probability, independently"; the interval is the
/// estimate +- 1.96 standard deviations of the metric over [`ESTIMATE_REPLICATES`] labellings
/// drawn that way (a parametric bootstrap: the spread the realized metric has at this batch
/// size), widened by `spread` (the calibration's own uncertainty per metric, added in
/// quadrature; `None` to leave it out). `calibrated` says whether the probabilities were calibrated and goes
/// into the result with a note when they were not.
///
/// # Example
/// ```
/// use driftscope_performance::estimate_performance;
/// let p: Vec<f64> = (0..1000).map(|i| (i as f64 + 0.5) / 1000.0).collect();
/// let e = estimate_performance(&p, 0.5, None, true).unwrap();
/// assert!((e.accuracy.value - 0.75).abs() < 1e-9);
/// assert!(e.accuracy.lower < 0.75 && 0.75 < e.accuracy.upper);
/// assert!(estimate_performance(&[], 0.5, None, true).is_err());
/// ```
pub fn estimate_performance(
    probabilities: &[f64],
    threshold: f64,
    spread: Option<&MetricSpread>,
    calibrated: bool,
) -> Result<EstimatedPerformance, PerformanceError> {
    let sorted = checked_sorted(probabilities, threshold)?;
    Ok(estimate_performance_sorted(
        &sorted, threshold, spread, calibrated,
    ))
}

/// The realized metrics of [`ESTIMATE_REPLICATES`] labellings drawn from the probabilities
/// (seeded by the batch size).
fn simulated_labellings(sorted: &[f64], threshold: f64) -> Vec<Realized> {
    let n = sorted.len();
    // Tie groups of the sorted probabilities, for the AUC of each labelling.
    let mut groups = Vec::new();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && sorted[j] == sorted[i] {
            j += 1;
        }
        groups.push((i, j));
        i = j;
    }
    let mut rng = SplitMix(ESTIMATE_SEED ^ n as u64);
    let mut labels = vec![false; n];
    (0..ESTIMATE_REPLICATES)
        .map(|_| {
            for (y, p) in labels.iter_mut().zip(sorted) {
                *y = rng.uniform() < *p;
            }
            realized(sorted, &labels, &groups, threshold)
        })
        .collect()
}

/// The point estimates of a batch: expected AUC, confusion matrix and accuracy, precision,
/// recall and F1 of that matrix.
pub(crate) struct PointEstimates {
    /// Expected AUC (`None` without expected positive-negative pairs).
    pub auc: Option<f64>,
    /// Expected confusion matrix.
    pub confusion: ExpectedConfusion,
    /// Accuracy, precision, recall, F1.
    pub metrics: [f64; 4],
}

/// [`PointEstimates`] of at least one probability, sorted ascending.
pub(crate) fn point_estimates(sorted: &[f64], threshold: f64) -> PointEstimates {
    let expected = expected_performance_sorted(sorted, sorted, threshold);
    let (mut tp, mut fp, mut tn, mut fn_) = (0.0, 0.0, 0.0, 0.0);
    for p in sorted {
        if *p >= threshold {
            tp += p;
            fp += 1.0 - p;
        } else {
            fn_ += p;
            tn += 1.0 - p;
        }
    }
    let (accuracy, precision, recall, f1) = metrics_of(tp, fp, tn, fn_);
    PointEstimates {
        auc: expected.auc,
        confusion: ExpectedConfusion { tp, fp, tn, fn_ },
        metrics: [accuracy, precision, recall, f1],
    }
}

/// What the reader of an estimate must know.
fn estimate_notes(calibrated: bool, none_positive: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if !calibrated {
        notes.push(
            "the model has no calibrator (model.json schema 1): estimates use its uncalibrated \
             probabilities and may be biased"
                .to_string(),
        );
    }
    if none_positive {
        notes.push("no row predicted positive: precision and F1 are 0".to_string());
    }
    notes
}

/// The label noise of a batch's realized metrics: the sample standard deviation (ddof 1) of
/// each metric over [`ESTIMATE_REPLICATES`] labellings of the probabilities `sorted`
/// (ascending, at least one) drawn as "each row positive with its probability"; the AUC's over
/// the labellings with both classes (0 with fewer than two of them).
pub fn label_spread(sorted: &[f64], threshold: f64) -> MetricSpread {
    let draws = simulated_labellings(sorted, threshold);
    let sd = |draws: &mut dyn Iterator<Item = f64>| -> f64 {
        let v: Vec<f64> = draws.collect();
        let k = v.len().max(2) as f64;
        let mean = v.iter().sum::<f64>() / k;
        (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0)).sqrt()
    };
    MetricSpread {
        auc: sd(&mut draws.iter().filter_map(|d| d.auc)),
        accuracy: sd(&mut draws.iter().map(|d| d.accuracy)),
        precision: sd(&mut draws.iter().map(|d| d.precision)),
        recall: sd(&mut draws.iter().map(|d| d.recall)),
        f1: sd(&mut draws.iter().map(|d| d.f1)),
    }
}

/// [`estimate_performance`] of at least one probability, sorted ascending.
pub fn estimate_performance_sorted(
    sorted: &[f64],
    threshold: f64,
    spread: Option<&MetricSpread>,
    calibrated: bool,
) -> EstimatedPerformance {
    let n = sorted.len();
    let point = point_estimates(sorted, threshold);
    let ExpectedConfusion { tp, fp, .. } = point.confusion;
    let [accuracy, precision, recall, f1] = point.metrics;
    let label = label_spread(sorted, threshold);
    let interval = |value: f64, label_sd: f64, sd: f64| -> Estimate {
        let half = Z_95 * (label_sd * label_sd + sd * sd).sqrt();
        Estimate {
            value,
            lower: (value - half).max(0.0),
            upper: (value + half).min(1.0),
        }
    };
    let s = spread.copied().unwrap_or(MetricSpread {
        auc: 0.0,
        accuracy: 0.0,
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
    });
    let auc = point.auc.map(|a| interval(a, label.auc, s.auc));
    let notes = estimate_notes(calibrated, tp + fp == 0.0);
    EstimatedPerformance {
        rows: n as u64,
        threshold,
        confidence_level: 0.95,
        auc,
        accuracy: interval(accuracy, label.accuracy, s.accuracy),
        precision: interval(precision, label.precision, s.precision),
        recall: interval(recall, label.recall, s.recall),
        f1: interval(f1, label.f1, s.f1),
        confusion: point.confusion,
        calibrated,
        notes,
    }
}

/// Realized metrics of sorted probabilities with labels `labels` (AUC with average ranks).
fn realized(sorted: &[f64], labels: &[bool], groups: &[(usize, usize)], t: f64) -> Realized {
    let (mut tp, mut fp, mut tn, mut fn_) = (0.0, 0.0, 0.0, 0.0);
    let (mut neg_below, mut pairs_won, mut pos_total) = (0.0f64, 0.0f64, 0.0f64);
    for (a, b) in groups {
        let (mut pos, mut neg) = (0.0, 0.0);
        for y in &labels[*a..*b] {
            if *y {
                pos += 1.0;
            } else {
                neg += 1.0;
            }
        }
        if sorted[*a] >= t {
            tp += pos;
            fp += neg;
        } else {
            fn_ += pos;
            tn += neg;
        }
        pairs_won += pos * (neg_below + 0.5 * neg);
        neg_below += neg;
        pos_total += pos;
    }
    let (accuracy, precision, recall, f1) = metrics_of(tp, fp, tn, fn_);
    Realized {
        auc: (pos_total > 0.0 && neg_below > 0.0).then(|| pairs_won / (pos_total * neg_below)),
        accuracy,
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_values_and_interval_shrinks_with_size() {
        // p = [0.9, 0.2]: TP 0.9, FP 0.1, FN 0.2, TN 0.8.
        let e = estimate_performance(&[0.9, 0.2], 0.5, None, true).unwrap();
        let c = e.confusion;
        assert!((c.tp - 0.9).abs() < 1e-15 && (c.fp - 0.1).abs() < 1e-15);
        assert!((c.fn_ - 0.2).abs() < 1e-15 && (c.tn - 0.8).abs() < 1e-15);
        assert!((e.accuracy.value - 0.85).abs() < 1e-15);
        assert!((e.precision.value - 0.9).abs() < 1e-15);
        assert!((e.recall.value - 0.9 / 1.1).abs() < 1e-15);
        assert!((e.f1.value - 1.8 / 2.1).abs() < 1e-15);
        let small: Vec<f64> = (0..200).map(|i| (i as f64 + 0.5) / 200.0).collect();
        let big: Vec<f64> = (0..5000).map(|i| (i as f64 + 0.5) / 5000.0).collect();
        let (s, b) = (
            estimate_performance(&small, 0.5, None, true).unwrap(),
            estimate_performance(&big, 0.5, None, true).unwrap(),
        );
        let width = |e: &Estimate| e.upper - e.lower;
        let (sa, ba) = (s.auc.unwrap(), b.auc.unwrap());
        assert!(width(&ba) < width(&sa) / 3.0, "{sa:?} {ba:?}");
        // Binomial spread of accuracy at n = 5000: sd = sqrt(sum e(1-e)) / n.
        let sd = (big
            .iter()
            .map(|p| p.min(1.0 - p) * (1.0 - p.min(1.0 - p)))
            .sum::<f64>())
        .sqrt()
            / 5000.0;
        let half = width(&b.accuracy) / 2.0;
        assert!(
            (half / (1.96 * sd) - 1.0).abs() < 0.2,
            "{half} vs {}",
            1.96 * sd
        );
        // Calibration uncertainty widens the interval.
        let w = estimate_performance(
            &big,
            0.5,
            Some(&MetricSpread {
                auc: 0.01,
                accuracy: 0.0,
                precision: 0.0,
                recall: 0.0,
                f1: 0.0,
            }),
            true,
        )
        .unwrap();
        assert!(width(&w.auc.unwrap()) > width(&ba));
        assert!(!estimate_performance(&big, 0.5, None, false)
            .unwrap()
            .notes
            .is_empty());
    }

    #[test]
    fn calibrated_labels_fall_in_the_interval() {
        // Labels drawn from the probabilities: realized metrics inside the 95% interval in most
        // of 200 batches.
        let mut rng = SplitMix(7);
        let mut inside = 0;
        for _ in 0..200 {
            let p: Vec<f64> = (0..500).map(|_| rng.uniform().powi(2)).collect();
            let y: Vec<bool> = p.iter().map(|p| rng.uniform() < *p).collect();
            let e = estimate_performance(&p, 0.5, None, true).unwrap();
            let auc = crate::roc_auc(&y, &p).unwrap().unwrap();
            let a = e.auc.unwrap();
            inside += usize::from(a.lower <= auc && auc <= a.upper);
        }
        assert!((180..=198).contains(&inside), "{inside} of 200");
    }
}
