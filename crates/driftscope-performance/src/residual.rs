//! The cross-fitted residual of the estimated metrics: the error a calibrator makes on rows
//! scored by a forest whose own rows it did not see, beyond the label noise and the
//! bootstrap's sampling spread. Definitions: `docs/calibration.md`.

use driftscope_artifacts::MetricSpread;

use crate::calibration_spread::batch_calibration_spread;
use crate::estimate::{label_spread, point_estimates};
use crate::{classification_metrics, fit_calibrator, PerformanceError, BASELINE_THRESHOLD};

/// Per metric (AUC, accuracy, precision, recall, F1): the fold's squared error minus its
/// label-noise and calibration-sampling variances.
fn fold_excess(
    labels: &[bool],
    scores: &[f64],
    fold: std::ops::Range<usize>,
    bootstrap: &[[f64; 3]],
) -> Result<Option<[f64; 5]>, PerformanceError> {
    let (rest_y, rest_s): (Vec<bool>, Vec<f64>) = (0..labels.len())
        .filter(|i| !fold.contains(i))
        .map(|i| (labels[i], scores[i]))
        .unzip();
    let fold_y = &labels[fold.clone()];
    let one_class = |y: &[bool]| y.iter().all(|v| *v) || !y.iter().any(|v| *v);
    if one_class(&rest_y) || one_class(fold_y) {
        return Ok(None);
    }
    let c = fit_calibrator(&rest_y, &rest_s)?;
    let p: Vec<f64> = scores[fold].iter().map(|s| c.apply(*s)).collect();
    let realized = classification_metrics(fold_y, &p, BASELINE_THRESHOLD)?;
    let mut sorted = p;
    driftscope_artifacts::sort_floats(&mut sorted);
    let point = point_estimates(&sorted, BASELINE_THRESHOLD);
    let label = label_spread(&sorted, BASELINE_THRESHOLD);
    // The bootstrap refits are fitted on all calibration rows; a fit on the rest has
    // n / n_rest times their sampling variance.
    let scale = labels.len() as f64 / rest_y.len() as f64;
    let Some(cal) = batch_calibration_spread(&sorted, BASELINE_THRESHOLD, &c, bootstrap, None)
    else {
        return Ok(None);
    };
    let (Some(auc), Some(realized_auc)) = (point.auc, realized.auc) else {
        return Ok(None);
    };
    let excess = |est: f64, real: f64, label: f64, cal: f64| {
        (est - real).powi(2) - label * label - scale * cal * cal
    };
    let [accuracy, precision, recall, f1] = point.metrics;
    Ok(Some([
        excess(auc, realized_auc, label.auc, cal.auc),
        excess(accuracy, realized.accuracy, label.accuracy, cal.accuracy),
        excess(
            precision,
            realized.precision,
            label.precision,
            cal.precision,
        ),
        excess(recall, realized.recall, label.recall, cal.recall),
        excess(f1, realized.f1, label.f1, cal.f1),
    ]))
}

/// The calibration error that the bootstrap does not explain, per estimated metric, from the
/// cross-fitted calibration rows (`labels`, raw `scores`) cut into `folds` (row counts, in
/// order; the rows of one fold were scored by one forest) with the model's `bootstrap`
/// calibrators. For each fold `k`: the calibrator fitted on the other folds maps the fold's
/// scores; `d_k` = its estimated metric minus the fold's realized metric;
/// `x_k = d_k^2 - v_label,k - (n / n_rest) v_boot,k` (the fold's label noise and the calibrator's
/// sampling variance, scaled to the rest's row count). With `R = max(0, mean_k x_k)`, the
/// residual is `sqrt(R) (K - 1) / K`: if each forest's map from score to churn probability
/// deviates from the common one by a variance `s^2`, a fold's calibrator from the other folds
/// misses it by `s^2 K / (K - 1)` on average, and the deployed calibrator (fitted on all K
/// folds, one of them scored by the deployed forest) by `s^2 (K - 1) / K`. `None` with fewer
/// than two folds, or when no fold is usable (one class in it or in the rest).
///
/// # Example
/// ```
/// use driftscope_performance::cross_fitted_residual;
/// let s: Vec<f64> = (0..400).map(|i| (i as f64 + 0.5) / 400.0).collect();
/// let y: Vec<bool> = s.iter().enumerate().map(|(i, s)| ((i * 7919) % 400) as f64 / 400.0 < *s).collect();
/// let boot = [[1.0, 1.0, 0.0], [1.1, 0.9, 0.0], [0.9, 1.1, 0.0]];
/// let r = cross_fitted_residual(&y, &s, &[100, 100, 100, 100], &boot).unwrap().unwrap();
/// assert!(r.auc >= 0.0 && r.accuracy >= 0.0);
/// assert!(cross_fitted_residual(&y, &s, &[400], &boot).unwrap().is_none());
/// ```
pub fn cross_fitted_residual(
    labels: &[bool],
    scores: &[f64],
    folds: &[usize],
    bootstrap: &[[f64; 3]],
) -> Result<Option<MetricSpread>, PerformanceError> {
    if folds.len() < 2 || folds.iter().sum::<usize>() != labels.len() {
        return Ok(None);
    }
    let mut start = 0;
    let mut excess = Vec::with_capacity(folds.len());
    for len in folds {
        let fold = start..start + len;
        start += len;
        if let Some(x) = fold_excess(labels, scores, fold, bootstrap)? {
            excess.push(x);
        }
    }
    if excess.is_empty() {
        return Ok(None);
    }
    let k = folds.len() as f64;
    let sd = |m: usize| {
        let r = excess.iter().map(|x| x[m]).sum::<f64>() / excess.len() as f64;
        r.max(0.0).sqrt() * (k - 1.0) / k
    };
    Ok(Some(MetricSpread {
        auc: sd(0),
        accuracy: sd(1),
        precision: sd(2),
        recall: sd(3),
        f1: sd(4),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels from the scores through a fixed quasi-random stream.
    fn labels_of(p: &[f64], salt: usize) -> Vec<bool> {
        p.iter()
            .enumerate()
            .map(|(i, p)| (((i + salt) * 7919) % 1009) as f64 / 1009.0 < *p)
            .collect()
    }

    #[test]
    fn forests_that_disagree_leave_a_residual() {
        // Four folds of 500 rows on the same scores. Alike: each fold's labels follow the
        // score. Unlike: folds 0 and 2 churn at the score squared, 1 and 3 at its square
        // root: a calibrator from the other folds misses each fold by far more than noise.
        let s: Vec<f64> = (0..500).map(|i| (f64::from(i) + 0.5) / 500.0).collect();
        let scores: Vec<f64> = (0..4).flat_map(|_| s.clone()).collect();
        let alike: Vec<bool> = (0..4).flat_map(|k| labels_of(&s, 131 * k)).collect();
        let unlike: Vec<bool> = (0..4)
            .flat_map(|k| {
                let q: Vec<f64> = s
                    .iter()
                    .map(|v| if k % 2 == 0 { v * v } else { v.sqrt() })
                    .collect();
                labels_of(&q, 131 * k)
            })
            .collect();
        let boot = [[1.0, 1.0, 0.0], [1.02, 0.98, 0.01], [0.98, 1.02, -0.01]];
        let folds = [500, 500, 500, 500];
        let a = cross_fitted_residual(&alike, &scores, &folds, &boot)
            .unwrap()
            .unwrap();
        let u = cross_fitted_residual(&unlike, &scores, &folds, &boot)
            .unwrap()
            .unwrap();
        assert!(
            u.accuracy > 0.05 && u.accuracy > 3.0 * a.accuracy,
            "{a:?} {u:?}"
        );
        // Folds that do not add up to the rows: no residual.
        assert!(cross_fitted_residual(&alike, &scores, &[500, 500], &boot)
            .unwrap()
            .is_none());
    }
}
