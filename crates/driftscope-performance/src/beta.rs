//! Beta calibration (Kull, Silva Filho and Flach 2017): a logistic regression of the label on
//! `ln s` and `-ln(1 - s)`, fitted by Newton's method. Definitions: `docs/calibration.md`.

use driftscope_artifacts::{Calibrator, BETA_SCORE_CLIP};

use crate::PerformanceError;

/// Newton iterations at most; the fit stops earlier when no parameter moves by more than
/// [`BETA_TOLERANCE`] (the log loss is convex, so Newton's method with step halving gets
/// there in about ten iterations from zero; the cap only ends a separable fit, whose
/// parameters grow without bound).
pub const BETA_MAX_ITERATIONS: usize = 100;

/// Convergence: the largest parameter step of an iteration, relative to `1 + |parameter|`.
pub const BETA_TOLERANCE: f64 = 1e-10;

/// A row's inputs: `ln s`, `-ln(1 - s)` and 1 (the intercept), `s` clipped.
fn features(score: f64) -> [f64; 3] {
    let s = score.clamp(BETA_SCORE_CLIP, 1.0 - BETA_SCORE_CLIP);
    [s.ln(), -(-s).ln_1p(), 1.0]
}

/// `ln(1 + e^z)` without overflow.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Log loss of weights `w` over rows `x` with labels `y`.
fn log_loss(x: &[[f64; 3]], y: &[bool], w: &[f64; 3]) -> f64 {
    x.iter()
        .zip(y)
        .map(|(f, y)| {
            let z = w[0] * f[0] + w[1] * f[1] + w[2] * f[2];
            if *y {
                softplus(-z)
            } else {
                softplus(z)
            }
        })
        .sum()
}

/// Solves `h d = g` over the `active` coordinates by Cholesky; `None` when `h` restricted to
/// them is not positive definite (collinear inputs, e.g. scores that do not vary).
fn solve(h: &[[f64; 3]; 3], g: &[f64; 3], active: &[usize]) -> Option<[f64; 3]> {
    let k = active.len();
    let mut l = [[0.0f64; 3]; 3];
    for i in 0..k {
        for j in 0..=i {
            let v = h[active[i]][active[j]] - (0..j).map(|m| l[i][m] * l[j][m]).sum::<f64>();
            if i == j {
                // Relative pivot floor: a pivot this small is rounding noise of a singular matrix.
                if v <= 1e-12 * h[active[i]][active[i]].abs().max(f64::MIN_POSITIVE) {
                    return None;
                }
                l[i][i] = v.sqrt();
            } else {
                l[i][j] = v / l[j][j];
            }
        }
    }
    let mut z = [0.0f64; 3];
    for i in 0..k {
        let v = g[active[i]] - (0..i).map(|m| l[i][m] * z[m]).sum::<f64>();
        z[i] = v / l[i][i];
    }
    let mut d = [0.0f64; 3];
    for i in (0..k).rev() {
        let v = z[i] - (i + 1..k).map(|m| l[m][i] * d[active[m]]).sum::<f64>();
        d[active[i]] = v / l[i][i];
    }
    Some(d)
}

/// Maximum-likelihood logistic weights on the `active` inputs (the others stay 0), by Newton's
/// method with step halving; `None` when the Hessian is singular.
fn newton(x: &[[f64; 3]], y: &[bool], active: &[usize]) -> Option<[f64; 3]> {
    let mut w = [0.0f64; 3];
    for _ in 0..BETA_MAX_ITERATIONS {
        let (mut g, mut h) = ([0.0f64; 3], [[0.0f64; 3]; 3]);
        for (f, y) in x.iter().zip(y) {
            let p = 1.0 / (1.0 + (-(w[0] * f[0] + w[1] * f[1] + w[2] * f[2])).exp());
            let r = f64::from(u8::from(*y)) - p;
            for i in 0..3 {
                g[i] += r * f[i];
                for j in 0..3 {
                    h[i][j] += p * (1.0 - p) * f[i] * f[j];
                }
            }
        }
        let d = solve(&h, &g, active)?;
        let current = log_loss(x, y, &w);
        let mut step = 1.0;
        let moved = |step: f64| [w[0] + step * d[0], w[1] + step * d[1], w[2] + step * d[2]];
        while step > 1e-10 && log_loss(x, y, &moved(step)) > current {
            step /= 2.0;
        }
        let next = moved(step);
        let largest = (0..3)
            .map(|i| (next[i] - w[i]).abs() / (1.0 + w[i].abs()))
            .fold(0.0, f64::max);
        w = next;
        if largest < BETA_TOLERANCE {
            break;
        }
    }
    Some(w)
}

/// The beta calibrator of raw probabilities `scores` with labels `labels`, as the reference
/// implementation (`betacal`'s `BetaCalibration(parameters="abm")`): the unpenalised logistic
/// regression of the label on `ln s` and `-ln(1 - s)` (`s` clipped to
/// [`BETA_SCORE_CLIP`]); when the weight of `ln s` comes out negative the fit is redone without
/// it, else when the weight of `-ln(1 - s)` does, without that one, so the map never falls. When
/// the inputs are collinear (two distinct scores) the fit drops to one input; when the scores do
/// not vary, or a reduced fit's weight is negative too, to the intercept alone (the positive
/// rate).
///
/// # Example
/// ```
/// use driftscope_artifacts::Calibrator;
/// use driftscope_performance::fit_beta;
/// // Labels that follow the scores exactly: the fit is near the identity (a = b = 1, c = 0).
/// let s: Vec<f64> = (1..200).map(|i| i as f64 / 200.0).collect();
/// let y: Vec<bool> = s.iter().enumerate().map(|(i, s)| ((i * 7919) % 199) as f64 / 199.0 < *s).collect();
/// let c = fit_beta(&y, &s).unwrap();
/// let Calibrator::Beta { a, b, .. } = c else { panic!("beta") };
/// assert!(a >= 0.0 && b >= 0.0);
/// assert!((c.apply(0.5) - 0.5).abs() < 0.1);
/// assert!(fit_beta(&[true], &[0.1, 0.2]).is_err());
/// ```
pub fn fit_beta(labels: &[bool], scores: &[f64]) -> Result<Calibrator, PerformanceError> {
    crate::calibration::check(labels, scores)?;
    let x: Vec<[f64; 3]> = scores.iter().map(|s| features(*s)).collect();
    let fit = |active: &[usize]| newton(&x, labels, active);
    let rising = |w: &[f64; 3]| w[0] >= 0.0 && w[1] >= 0.0;
    let w = match fit(&[0, 1, 2]) {
        Some(w) if rising(&w) => Some(w),
        // betacal's order: a negative weight of ln s is dropped first, else that of -ln(1 - s).
        Some(w) if w[0] < 0.0 => fit(&[1, 2]),
        Some(_) => fit(&[0, 2]),
        // Collinear inputs (two distinct scores): one input is enough.
        None => fit(&[1, 2]).or_else(|| fit(&[0, 2])),
    }
    .filter(rising)
    .or_else(|| fit(&[2]))
    .unwrap_or([0.0; 3]);
    Ok(Calibrator::beta(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_matches_a_hand_system_and_refuses_singular() {
        let h = [[4.0, 2.0, 0.0], [2.0, 3.0, 0.0], [0.0, 0.0, 1.0]];
        let d = solve(&h, &[2.0, 1.0, 5.0], &[0, 1, 2]).unwrap();
        // 4x + 2y = 2, 2x + 3y = 1 -> x = 0.5, y = 0.
        assert!((d[0] - 0.5).abs() < 1e-15 && d[1].abs() < 1e-15 && (d[2] - 5.0).abs() < 1e-15);
        let only = solve(&h, &[2.0, 1.0, 5.0], &[2]).unwrap();
        assert_eq!(only, [0.0, 0.0, 5.0]);
        let singular = [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        assert!(solve(&singular, &[1.0, 1.0, 1.0], &[0, 1, 2]).is_none());
    }

    #[test]
    fn constant_scores_give_the_positive_rate() {
        let y = [true, false, false, false];
        let c = fit_beta(&y, &[0.3; 4]).unwrap();
        assert!((c.apply(0.3) - 0.25).abs() < 1e-9, "{c:?}");
        assert!((c.apply(0.9) - 0.25).abs() < 1e-9);
    }

    #[test]
    fn falling_labels_never_give_a_falling_map() {
        // Labels that fall as the score rises: the map must stay non-decreasing.
        let s: Vec<f64> = (1..100).map(|i| i as f64 / 100.0).collect();
        let y: Vec<bool> = s
            .iter()
            .map(|s| *s < 0.3 || (*s > 0.6 && *s < 0.65))
            .collect();
        let c = fit_beta(&y, &s).unwrap();
        let Calibrator::Beta { a, b, .. } = c else {
            panic!("beta")
        };
        assert!(a >= 0.0 && b >= 0.0, "{c:?}");
        for w in s.windows(2) {
            assert!(c.apply(w[0]) <= c.apply(w[1]));
        }
    }

    #[test]
    fn calibrated_probabilities_keep_the_ranking() {
        // A rising map ties no two scores: the calibrated AUC is the raw scores' AUC.
        let s: Vec<f64> = (0..300).map(|i| (f64::from(i) + 0.5) / 300.0).collect();
        let y: Vec<bool> = s
            .iter()
            .enumerate()
            .map(|(i, s)| ((i * 7919) % 300) as f64 / 300.0 < s * s)
            .collect();
        let c = fit_beta(&y, &s).unwrap();
        let p: Vec<f64> = s.iter().map(|v| c.apply(*v)).collect();
        assert!(p.windows(2).all(|w| w[0] < w[1]), "{c:?}");
        assert_eq!(
            crate::roc_auc(&y, &p).unwrap(),
            crate::roc_auc(&y, &s).unwrap()
        );
    }
}
