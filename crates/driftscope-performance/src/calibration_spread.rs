//! The calibration's share of an estimate's uncertainty, on a batch's own probabilities: how
//! far the estimated metrics move when the batch is scored by calibrators refitted on bootstrap
//! resamples of the calibration rows. Definitions: `docs/calibration.md`.

use driftscope_artifacts::{Calibrator, MetricSpread};

use crate::estimate::point_estimates;

/// Batch probabilities the spread is computed on at most: larger batches are represented by
/// this many evenly spaced order statistics. The spread depends on where the batch's scores
/// lie, not on how many there are (the bootstrap calibrators move every row's probability the
/// same way), and 2,000 quantiles place them to 1/4,000 of the distribution while the cost
/// (one estimate per bootstrap calibrator) stays that of a 2,000-row batch.
pub const SPREAD_MAX_ROWS: usize = 2000;

/// At most [`SPREAD_MAX_ROWS`] of `sorted`: all of them, or the order statistics at the
/// midpoints of equal shares `(k + 0.5) / m`.
fn quantiles(sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    if n <= SPREAD_MAX_ROWS {
        return sorted.to_vec();
    }
    (0..SPREAD_MAX_ROWS)
        .map(|k| sorted[((2 * k + 1) * n / (2 * SPREAD_MAX_ROWS)).min(n - 1)])
        .collect()
}

/// Sample standard deviation (ddof 1) of the finite values; 0 with fewer than two.
fn sample_sd(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    if v.len() < 2 {
        return 0.0;
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

/// Standard deviation of each estimated metric of a batch over the bootstrap calibrators
/// `bootstrap` (beta parameters `[a, b, c]`), and `residual` added in quadrature (the error the
/// bootstrap does not explain; `None` for none). The batch's calibrated probabilities
/// `sorted` (ascending) are mapped back to raw probabilities through the deployed beta
/// calibrator `deployed` (it rises, so the order is kept), then forward through each bootstrap
/// calibrator. `None` when `deployed` is not a rising beta calibrator or fewer than two
/// calibrators are given (the caller then falls back to the spread measured on the holdout).
///
/// # Example
/// ```
/// use driftscope_artifacts::Calibrator;
/// use driftscope_performance::batch_calibration_spread;
/// let deployed = Calibrator::beta([1.0, 1.0, 0.0]); // the identity
/// let p: Vec<f64> = (0..500).map(|i| (i as f64 + 0.5) / 500.0).collect();
/// let boot = [[0.9, 1.0, 0.0], [1.1, 1.0, 0.0], [1.0, 0.9, 0.1], [1.0, 1.1, -0.1]];
/// let s = batch_calibration_spread(&p, 0.5, &deployed, &boot, None).unwrap();
/// assert!(s.auc > 0.0 && s.accuracy > 0.0);
/// let same = [[1.0, 1.0, 0.0]; 4];
/// assert!(batch_calibration_spread(&p, 0.5, &deployed, &same, None).unwrap().auc < 1e-12);
/// ```
pub fn batch_calibration_spread(
    sorted: &[f64],
    threshold: f64,
    deployed: &Calibrator,
    bootstrap: &[[f64; 3]],
    residual: Option<&MetricSpread>,
) -> Option<MetricSpread> {
    if bootstrap.len() < 2 || sorted.is_empty() {
        return None;
    }
    let raw: Vec<f64> = quantiles(sorted)
        .iter()
        .map(|p| deployed.raw_of(*p))
        .collect::<Option<_>>()?;
    let estimates: Vec<[f64; 5]> = bootstrap
        .iter()
        .map(|params| {
            let c = Calibrator::beta(*params);
            // A beta calibrator with a, b >= 0 never falls: the mapped values stay sorted.
            let p: Vec<f64> = raw.iter().map(|s| c.apply(*s)).collect();
            let e = point_estimates(&p, threshold);
            let [accuracy, precision, recall, f1] = e.metrics;
            [e.auc.unwrap_or(f64::NAN), accuracy, precision, recall, f1]
        })
        .collect();
    let zero = MetricSpread {
        auc: 0.0,
        accuracy: 0.0,
        precision: 0.0,
        recall: 0.0,
        f1: 0.0,
    };
    let r = residual.copied().unwrap_or(zero);
    let sd = |k: usize, extra: f64| sample_sd(estimates.iter().map(|e| e[k])).hypot(extra);
    Some(MetricSpread {
        auc: sd(0, r.auc),
        accuracy: sd(1, r.accuracy),
        precision: sd(2, r.precision),
        recall: sd(3, r.recall),
        f1: sd(4, r.f1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_keep_small_batches_and_thin_large_ones() {
        let small: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(quantiles(&small), small);
        let big: Vec<f64> = (0..4 * SPREAD_MAX_ROWS as u32).map(f64::from).collect();
        let q = quantiles(&big);
        assert_eq!(q.len(), SPREAD_MAX_ROWS);
        // Midpoints of 2,000 shares of 8,000 rows: rows 2, 6, 10, ...
        assert_eq!((q[0], q[1], q[SPREAD_MAX_ROWS - 1]), (2.0, 6.0, 7998.0));
    }

    #[test]
    fn spread_is_the_sd_over_calibrators_plus_the_residual() {
        let deployed = Calibrator::beta([1.0, 1.0, 0.0]);
        let p: Vec<f64> = (0..300).map(|i| (f64::from(i) + 0.5) / 300.0).collect();
        // Intercepts -0.2 and +0.2 shift every probability's log-odds: the accuracy moves,
        // and the sd of two values is |x1 - x2| / sqrt 2.
        let boot = [[1.0, 1.0, -0.2], [1.0, 1.0, 0.2]];
        let s = batch_calibration_spread(&p, 0.5, &deployed, &boot, None).unwrap();
        let acc = |c: f64| {
            let cal = Calibrator::beta([1.0, 1.0, c]);
            let q: Vec<f64> = p.iter().map(|v| cal.apply(*v)).collect();
            point_estimates(&q, 0.5).metrics[0]
        };
        let want = (acc(-0.2) - acc(0.2)).abs() / 2f64.sqrt();
        assert!((s.accuracy - want).abs() < 1e-9, "{} vs {want}", s.accuracy);
        let residual = MetricSpread {
            auc: 0.03,
            accuracy: 0.04,
            precision: 0.0,
            recall: 0.0,
            f1: 0.0,
        };
        let r = batch_calibration_spread(&p, 0.5, &deployed, &boot, Some(&residual)).unwrap();
        assert!((r.accuracy - want.hypot(0.04)).abs() < 1e-12);
        // Not a beta calibrator, or too few refits: no batch spread.
        let platt = Calibrator::Platt { a: -3.0, b: 1.0 };
        assert!(batch_calibration_spread(&p, 0.5, &platt, &boot, None).is_none());
        assert!(batch_calibration_spread(&p, 0.5, &deployed, &boot[..1], None).is_none());
    }

    #[test]
    fn spread_grows_where_the_refits_disagree() {
        // Refits that differ only in the weight of -ln(1 - s): they agree at low scores and
        // part at high ones, so a batch shifted to high scores gets the wider spread.
        let deployed = Calibrator::beta([1.0, 1.0, 0.0]);
        let boot = [[1.0, 1.0, 0.0], [1.0, 1.3, 0.0], [1.0, 0.7, 0.0]];
        let low: Vec<f64> = (0..500)
            .map(|i| 0.01 + 0.3 * f64::from(i) / 500.0)
            .collect();
        let high: Vec<f64> = (0..500)
            .map(|i| 0.6 + 0.39 * f64::from(i) / 500.0)
            .collect();
        let sl = batch_calibration_spread(&low, 0.5, &deployed, &boot, None).unwrap();
        let sh = batch_calibration_spread(&high, 0.5, &deployed, &boot, None).unwrap();
        assert!(sh.accuracy > 3.0 * sl.accuracy, "{sl:?} {sh:?}");
    }
}
