//! The size-aware verdict: per feature a p-value whose null distribution holds at the batch's
//! size, Benjamini-Hochberg across the batch's features, and a minimum effect size.
//!
//! The p-values come from tests whose null distribution is known at every sample size, so no
//! fixed threshold is needed: numerical features use the two-sample Kolmogorov-Smirnov test
//! (exact up to 10,000 rows per side, distribution-free, conservative with ties), categorical
//! features the chi-square test of the 2 x K table. `cargo xtask eval` checks the resulting
//! false-alarm rate by resampling no-drift batches at sizes from 50 to 50,000 rows.

use driftscope_artifacts::{Calibrated, CalibratedTest, DataDriftConfig, FeatureDrift};

use crate::{DriftError, Result};

/// p-values are at least one, each in [0, 1] (NaN is not).
fn check_p_values(p: &[f64]) -> Result<()> {
    if p.is_empty() {
        return Err(DriftError::Empty { what: "p-values" });
    }
    match p.iter().position(|v| !(0.0..=1.0).contains(v)) {
        Some(index) => Err(DriftError::InvalidArgument(format!(
            "p-value {} at index {index} is outside [0, 1]",
            p[index]
        ))),
        None => Ok(()),
    }
}

/// Benjamini-Hochberg adjusted p-values (`scipy.stats.false_discovery_control(p, method="bh")`):
/// `adj_(i) = min_{j >= i} min(1, m p_(j) / j)` over the p-values in ascending order. An empty
/// list and a p-value outside [0, 1] (or NaN) are errors.
///
/// # Example
/// ```
/// use driftscope_drift::bh_adjusted;
/// assert_eq!(bh_adjusted(&[0.01, 0.04]).unwrap(), vec![0.02, 0.04]);
/// assert!(bh_adjusted(&[f64::NAN]).is_err());
/// ```
pub fn bh_adjusted(p: &[f64]) -> Result<Vec<f64>> {
    check_p_values(p)?;
    Ok(adjusted(p))
}

/// [`bh_adjusted`] of checked p-values.
fn adjusted(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p[*a].total_cmp(&p[*b]));
    let mut adjusted = vec![0.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64).min(1.0);
        adjusted[i] = running;
    }
    adjusted
}

/// The Benjamini-Hochberg cutoff at false discovery rate `alpha`: `k alpha / m` for the largest
/// `k` with `p_(k) <= k alpha / m`; when no p-value passes, `alpha / m` (what the smallest would
/// have needed). Inputs as [`bh_adjusted`]; `alpha` must lie in (0, 1].
///
/// # Example
/// ```
/// use driftscope_drift::bh_threshold;
/// assert_eq!(bh_threshold(&[0.9, 0.8], 0.01).unwrap(), 0.005);
/// assert!(bh_threshold(&[0.5], 0.0).is_err());
/// ```
pub fn bh_threshold(p: &[f64], alpha: f64) -> Result<f64> {
    check_p_values(p)?;
    if !(alpha > 0.0 && alpha <= 1.0) {
        return Err(DriftError::InvalidArgument(format!(
            "alpha {alpha} is outside (0, 1]"
        )));
    }
    Ok(threshold(p, alpha))
}

/// [`bh_threshold`] of checked inputs.
fn threshold(p: &[f64], alpha: f64) -> f64 {
    let m = p.len().max(1) as f64;
    let mut sorted = p.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut k = 0;
    for (i, v) in sorted.iter().enumerate() {
        if *v <= (i + 1) as f64 * alpha / m {
            k = i + 1;
        }
    }
    k.max(1) as f64 * alpha / m
}

/// Fills in `calibrated` on every feature that has a test; returns the names it flags. Features
/// whose p-values are not valid (none of this crate's tests gives such) are left uncalibrated.
///
/// # Example
/// ```
/// use driftscope_drift::{calibrate, DataDriftConfig};
/// assert!(calibrate(&mut [], &DataDriftConfig::default()).is_empty());
/// ```
pub fn calibrate(features: &mut [FeatureDrift], cfg: &DataDriftConfig) -> Vec<String> {
    let tested: Vec<(usize, CalibratedTest, f64)> = features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            if let Some(ks) = f.ks {
                Some((i, CalibratedTest::Ks, ks.p_value))
            } else {
                f.chi_square
                    .map(|c| (i, CalibratedTest::ChiSquare, c.p_value))
            }
        })
        .collect();
    let p: Vec<f64> = tested.iter().map(|t| t.2).collect();
    let (Ok(adjusted), Ok(threshold)) = (bh_adjusted(&p), bh_threshold(&p, cfg.alpha)) else {
        return Vec::new();
    };
    let mut flagged = Vec::new();
    for ((i, test, p), adj) in tested.into_iter().zip(adjusted) {
        let f = &mut features[i];
        let drift_detected =
            p <= threshold && adj <= cfg.alpha && f.psi.unwrap_or(0.0) >= cfg.min_effect_psi;
        if drift_detected {
            flagged.push(f.name.clone());
        }
        f.calibrated = Some(Calibrated {
            test,
            p_value: p,
            p_adjusted: adj,
            threshold,
            drift_detected,
        });
    }
    flagged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bh_matches_scipy_false_discovery_control() {
        // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.2, 0.001, 0.5], method="bh")
        let p = [0.01, 0.04, 0.03, 0.2, 0.001, 0.5];
        let want = [0.03, 0.06, 0.06, 0.24, 0.006, 0.5];
        for (a, b) in adjusted(&p).iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        // Largest k with p_(k) <= k * 0.05 / 6: 0.001 and 0.01 pass, 0.03 > 0.025 does not.
        assert!((threshold(&p, 0.05) - 2.0 * 0.05 / 6.0).abs() < 1e-15);
        assert!((threshold(&[0.9, 0.8], 0.01) - 0.005).abs() < 1e-15);
        // Rejected by the cutoff exactly when the adjusted p-value is <= alpha.
        let adj = bh_adjusted(&p).unwrap();
        let t = bh_threshold(&p, 0.05).unwrap();
        for (q, a) in p.iter().zip(adj) {
            assert_eq!(*q <= t, a <= 0.05);
        }
    }

    #[test]
    fn empty_nan_out_of_range_are_errors() {
        assert!(matches!(bh_adjusted(&[]), Err(DriftError::Empty { .. })));
        assert!(bh_threshold(&[], 0.05).is_err());
        assert!(bh_adjusted(&[0.1, f64::NAN]).is_err());
        assert!(bh_threshold(&[f64::NAN], 0.05).is_err());
        assert!(bh_adjusted(&[1.5]).is_err());
        assert!(bh_threshold(&[0.5], f64::NAN).is_err());
        assert!(bh_threshold(&[0.5], 2.0).is_err());
        // Unsorted p-values are fine: the order is the features' order.
        assert_eq!(bh_adjusted(&[0.04, 0.01]).unwrap(), vec![0.04, 0.02]);
    }
}
