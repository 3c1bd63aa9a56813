//! Probability calibration: the calibrator of new models (beta calibration, in `beta.rs`),
//! isotonic regression (pool-adjacent-violators) and Platt scaling (the calibrators of models
//! before `model.json` version 4, kept for comparison), and calibration quality (Brier score, expected calibration error, reliability curve). Definitions:
//! `docs/calibration.md`.

use driftscope_artifacts::{
    sort_floats, CalibrationQuality, CalibrationReport, Calibrator, ReliabilityBin,
};

use crate::ranking::check_probabilities;
use crate::PerformanceError;

/// Equal-width bins of the expected calibration error and the reliability curve.
pub const ECE_BINS: usize = 10;

pub(crate) fn check(labels: &[bool], scores: &[f64]) -> Result<(), PerformanceError> {
    if labels.len() != scores.len() {
        return Err(PerformanceError::LengthMismatch {
            labels: labels.len(),
            scores: scores.len(),
        });
    }
    if scores.is_empty() {
        return Err(PerformanceError::Empty);
    }
    check_probabilities(scores)
}

/// The calibrator of raw probabilities `scores` with labels `labels` (rows the model did not
/// fit): beta calibration ([`crate::fit_beta`]) at every size. Its three parameters neither
/// overfit the calibration rows' noise as isotonic regression does (which made the estimated
/// AUC too high) nor miss the identity as Platt's sigmoid of `s` does
/// (`docs/calibration.md`), so no size rule chooses between methods.
pub fn fit_calibrator(labels: &[bool], scores: &[f64]) -> Result<Calibrator, PerformanceError> {
    crate::fit_beta(labels, scores)
}

/// Isotonic regression of `labels` (1/0) on `scores`, increasing, as scikit-learn's
/// `IsotonicRegression(out_of_bounds="clip")`: rows with equal scores are merged into their
/// mean label (weighted by count), pool-adjacent-violators fits the non-decreasing step values,
/// and interior points whose value equals both neighbours' are dropped (they do not change the
/// interpolation).
///
/// # Example
/// ```
/// use driftscope_performance::fit_isotonic;
/// let c = fit_isotonic(&[false, true, false, true], &[0.1, 0.2, 0.3, 0.4]).unwrap();
/// assert!((c.apply(0.15) - 0.25).abs() < 1e-12);
/// assert!((c.apply(0.35) - 0.75).abs() < 1e-12);
/// assert_eq!(c.apply(0.9), 1.0);
/// ```
pub fn fit_isotonic(labels: &[bool], scores: &[f64]) -> Result<Calibrator, PerformanceError> {
    check(labels, scores)?;
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    // Unique x with summed labels and counts.
    let mut xs: Vec<f64> = Vec::new();
    let mut sums: Vec<f64> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for i in order {
        let y = f64::from(u8::from(labels[i]));
        if xs.last() == Some(&scores[i]) {
            *sums.last_mut().expect("same length") += y;
            *weights.last_mut().expect("same length") += 1.0;
        } else {
            xs.push(scores[i]);
            sums.push(y);
            weights.push(1.0);
        }
    }
    // Pool adjacent violators over blocks (mean, weight, count of unique x).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(xs.len());
    for (s, w) in sums.iter().zip(&weights) {
        let mut block = (s / w, *w, 1usize);
        while let Some(last) = blocks.last() {
            if last.0 < block.0 {
                break;
            }
            let last = blocks.pop().expect("checked");
            let w = last.1 + block.1;
            block = (
                (last.0 * last.1 + block.0 * block.1) / w,
                w,
                last.2 + block.2,
            );
        }
        blocks.push(block);
    }
    let fitted: Vec<f64> = blocks
        .iter()
        .flat_map(|(m, _, k)| std::iter::repeat_n(*m, *k))
        .collect();
    let n = xs.len();
    let keep =
        |i: usize| i == 0 || i + 1 == n || fitted[i - 1] != fitted[i] || fitted[i] != fitted[i + 1];
    let (x, y) = (0..n)
        .filter(|i| keep(*i))
        .map(|i| (xs[i], fitted[i]))
        .unzip();
    Ok(Calibrator::Isotonic { x, y })
}

/// Platt scaling as scikit-learn's `_sigmoid_calibration`: `p = 1 / (1 + exp(a * s + b))`
/// minimising the log loss against Platt's smoothed targets (`(n+ + 1) / (n+ + 2)` for a
/// positive row, `1 / (n- + 2)` for a negative one), by Newton's method.
pub fn fit_platt(labels: &[bool], scores: &[f64]) -> Result<Calibrator, PerformanceError> {
    check(labels, scores)?;
    let pos = labels.iter().filter(|y| **y).count() as f64;
    let neg = labels.len() as f64 - pos;
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    let t: Vec<f64> = labels.iter().map(|y| if *y { hi } else { lo }).collect();
    let (mut a, mut b) = (0.0f64, ((neg + 1.0) / (pos + 1.0)).ln());
    let loss = |a: f64, b: f64| -> f64 {
        scores
            .iter()
            .zip(&t)
            .map(|(s, t)| {
                let z = a * s + b;
                // -[t ln p + (1 - t) ln(1 - p)] with p = 1 / (1 + e^z): t ln(1 + e^z) + (1 - t) ln(1 + e^-z)
                t * softplus(z) + (1.0 - t) * softplus(-z)
            })
            .sum()
    };
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (s, t) in scores.iter().zip(&t) {
            let p = 1.0 / (1.0 + (a * s + b).exp());
            // d loss / dz = t - p... with z = a s + b: dL/dz = t * sigma(z) - (1 - t) * sigma(-z) = t - p.
            let g = t - p;
            let h = p * (1.0 - p);
            ga += g * s;
            gb += g;
            haa += h * s * s;
            hab += h * s;
            hbb += h;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-300 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        let current = loss(a, b);
        let mut step = 1.0;
        while step > 1e-10 && loss(a - step * da, b - step * db) > current {
            step /= 2.0;
        }
        a -= step * da;
        b -= step * db;
        if (step * da).abs() < 1e-14 && (step * db).abs() < 1e-14 {
            break;
        }
    }
    Ok(Calibrator::Platt { a, b })
}

fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Brier score, expected calibration error over `bins` equal-width bins, and the reliability
/// curve of probabilities `p` against labels. Bin `k` (0-based) holds `p` in
/// `[k/bins, (k+1)/bins)`, the last bin also `p = 1`; ECE = sum over non-empty bins of
/// `rows_k / n * |observed_rate_k - mean_predicted_k|`.
///
/// # Example
/// ```
/// use driftscope_performance::calibration_quality;
/// let q = calibration_quality(&[true, false], &[0.8, 0.4], 10).unwrap();
/// assert!((q.brier - 0.1).abs() < 1e-15);
/// assert!((q.ece - 0.3).abs() < 1e-15);
/// ```
pub fn calibration_quality(
    labels: &[bool],
    p: &[f64],
    bins: usize,
) -> Result<CalibrationQuality, PerformanceError> {
    check(labels, p)?;
    let bins = bins.max(1);
    let n = p.len() as f64;
    let brier = p
        .iter()
        .zip(labels)
        .map(|(p, y)| (p - f64::from(u8::from(*y))).powi(2))
        .sum::<f64>()
        / n;
    let mut acc = vec![(0u64, 0.0f64, 0u64); bins];
    for (p, y) in p.iter().zip(labels) {
        let k = ((p * bins as f64).floor() as usize).min(bins - 1);
        acc[k].0 += 1;
        acc[k].1 += p;
        acc[k].2 += u64::from(*y);
    }
    let mut ece = 0.0;
    let mut reliability = Vec::new();
    for (k, (rows, sum_p, pos)) in acc.into_iter().enumerate() {
        if rows == 0 {
            continue;
        }
        let mean_predicted = sum_p / rows as f64;
        let observed_rate = pos as f64 / rows as f64;
        ece += rows as f64 / n * (observed_rate - mean_predicted).abs();
        reliability.push(ReliabilityBin {
            lower: k as f64 / bins as f64,
            upper: (k + 1) as f64 / bins as f64,
            rows,
            mean_predicted,
            observed_rate,
        });
    }
    Ok(CalibrationQuality {
        rows: p.len() as u64,
        brier,
        ece,
        bins,
        reliability,
    })
}

/// The calibration section of `baseline_metrics.json`: `calibrator` fitted on
/// `calibration_labels`, and the quality ([`ECE_BINS`] bins) of the raw holdout probabilities
/// `raw` and of the calibrated ones `calibrated` against `holdout_labels`.
pub fn calibration_report(
    calibrator: &Calibrator,
    calibration_labels: &[bool],
    holdout_labels: &[bool],
    raw: &[f64],
    calibrated: &[f64],
) -> Result<CalibrationReport, PerformanceError> {
    Ok(CalibrationReport {
        method: calibrator.method().to_string(),
        calibration_rows: calibration_labels.len() as u64,
        calibration_positives: calibration_labels.iter().filter(|y| **y).count() as u64,
        before: calibration_quality(holdout_labels, raw, ECE_BINS)?,
        after: calibration_quality(holdout_labels, calibrated, ECE_BINS)?,
    })
}

/// `scores` mapped through `calibrator`, sorted ascending (for reference samples).
pub fn calibrated_sorted(calibrator: &Calibrator, scores: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = scores.iter().map(|s| calibrator.apply(*s)).collect();
    sort_floats(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isotonic_pools_violators_and_merges_ties() {
        // labels 1,0 at 0.1, 0.2 pool to 0.5; ties at 0.3 average to 0.5 -> one block 0.5.
        let c = fit_isotonic(
            &[true, false, true, false, true],
            &[0.1, 0.2, 0.3, 0.3, 0.9],
        )
        .unwrap();
        let Calibrator::Isotonic { x, y } = &c else {
            panic!("isotonic")
        };
        assert_eq!(x, &[0.1, 0.3, 0.9]);
        assert_eq!(y, &[0.5, 0.5, 1.0]);
        assert_eq!(c.apply(0.6), 0.75);
        assert_eq!(c.apply(0.0), 0.5);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(fit_isotonic(&[], &[]).is_err());
        assert!(fit_platt(&[true], &[0.1, 0.2]).is_err());
        assert!(calibration_quality(&[true], &[f64::NAN], 10).is_err());
    }
}
