//! Binned distances (PSI, KL, JS), from shares or from two samples, and the Wasserstein-1
//! distance.

use driftscope_artifacts::MISSING_FLOOR;

use crate::binning::{counts_of, edges_of};
use crate::{DriftError, Result, Sorted};

/// Neumaier-compensated sum, so long sums do not depend on the order of accumulation.
pub(crate) fn stable_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        if sum.abs() >= v.abs() {
            c += (sum - t) + v;
        } else {
            c += (v - t) + sum;
        }
        sum = t;
    }
    sum + c
}

/// Proportions from counts (`count / total`); all zeros when the total is 0.
///
/// # Example
/// ```
/// use driftscope_drift::proportions;
/// assert_eq!(proportions(&[1, 3]), vec![0.25, 0.75]);
/// assert_eq!(proportions(&[0, 0]), vec![0.0, 0.0]);
/// ```
pub fn proportions(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return vec![0.0; counts.len()];
    }
    counts.iter().map(|c| *c as f64 / total as f64).collect()
}

/// Two lists of shares fit together: as many entries each, at least one, finite and
/// non-negative.
fn check_shares(p: &[f64], q: &[f64]) -> Result<()> {
    if p.len() != q.len() {
        return Err(DriftError::LengthMismatch {
            what: "reference and current shares",
            left: p.len(),
            right: q.len(),
        });
    }
    if p.is_empty() {
        return Err(DriftError::Empty { what: "shares" });
    }
    for (what, s) in [("reference shares", p), ("current shares", q)] {
        if let Some(index) = s.iter().position(|v| !v.is_finite() || *v < 0.0) {
            return Err(DriftError::InvalidShare {
                what,
                index,
                value: s[index],
            });
        }
    }
    Ok(())
}

fn floored(p: f64) -> f64 {
    p.max(MISSING_FLOOR)
}

/// Population stability index over floored shares: sum (q' - p') ln(q' / p'), with
/// `p' = max(p, 1e-4)` and no renormalisation (`stats-spec.md`). `p` is the reference, `q` the
/// current; lists of different lengths, empty lists and negative or non-finite shares are
/// errors.
///
/// # Example
/// ```
/// use driftscope_drift::psi;
/// assert_eq!(psi(&[0.5, 0.5], &[0.5, 0.5]).unwrap(), 0.0);
/// assert!(psi(&[0.5, 0.5], &[1.0]).is_err());
/// ```
pub fn psi(p: &[f64], q: &[f64]) -> Result<f64> {
    check_shares(p, q)?;
    Ok(stable_sum(p.iter().zip(q).map(|(p, q)| {
        let (p, q) = (floored(*p), floored(*q));
        (q - p) * (q / p).ln()
    })))
}

/// KL divergence of the reference `p` relative to the current `q`, floored: sum p' ln(p' / q').
/// Inputs as [`psi`].
///
/// # Example
/// ```
/// use driftscope_drift::kl_divergence;
/// assert_eq!(kl_divergence(&[0.2, 0.8], &[0.2, 0.8]).unwrap(), 0.0);
/// assert!(kl_divergence(&[], &[]).is_err());
/// ```
pub fn kl_divergence(p: &[f64], q: &[f64]) -> Result<f64> {
    check_shares(p, q)?;
    Ok(stable_sum(p.iter().zip(q).map(|(p, q)| {
        let (p, q) = (floored(*p), floored(*q));
        p * (p / q).ln()
    })))
}

fn rel_entr(x: f64, y: f64) -> f64 {
    if x > 0.0 && y > 0.0 {
        x * (x / y).ln()
    } else if x == 0.0 && y >= 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

/// Jensen-Shannon distance (natural log) of unfloored shares, as
/// `scipy.spatial.distance.jensenshannon(p, q)`: both are renormalised first. Inputs as [`psi`];
/// a list summing to 0 is an error too.
///
/// # Example
/// ```
/// use driftscope_drift::js_distance;
/// let d = js_distance(&[1.0, 0.0], &[0.0, 1.0]).unwrap();
/// assert!((d - 2f64.ln().sqrt()).abs() < 1e-15);
/// assert!(js_distance(&[0.0, 0.0], &[0.5, 0.5]).is_err());
/// ```
pub fn js_distance(p: &[f64], q: &[f64]) -> Result<f64> {
    check_shares(p, q)?;
    let (sp, sq) = (stable_sum(p.iter().copied()), stable_sum(q.iter().copied()));
    if sp <= 0.0 || sq <= 0.0 {
        return Err(DriftError::InvalidArgument(
            "shares sum to 0; the Jensen-Shannon distance needs a distribution on each side".into(),
        ));
    }
    let p: Vec<f64> = p.iter().map(|v| v / sp).collect();
    let q: Vec<f64> = q.iter().map(|v| v / sq).collect();
    let m: Vec<f64> = p.iter().zip(&q).map(|(a, b)| (a + b) / 2.0).collect();
    let left = stable_sum(p.iter().zip(&m).map(|(a, m)| rel_entr(*a, *m)));
    let right = stable_sum(q.iter().zip(&m).map(|(b, m)| rel_entr(*b, *m)));
    Ok(((left + right) / 2.0).sqrt())
}

/// Shares of two samples over the reference's `n_bins` quantile bins (`stats-spec.md`): the
/// `(p, q)` that [`psi`], [`kl_divergence`] and [`js_distance`] take. Empty samples and
/// `n_bins == 0` are errors.
///
/// # Example
/// ```
/// use driftscope_drift::{binned_shares, Sorted};
/// let r = Sorted::new(vec![1.0, 2.0, 3.0, 4.0]).unwrap();
/// let c = Sorted::new(vec![4.0, 5.0]).unwrap();
/// let (p, q) = binned_shares(&r, &c, 2).unwrap();
/// assert_eq!((p, q), (vec![0.5, 0.5], vec![0.0, 1.0]));
/// ```
pub fn binned_shares(
    reference: &Sorted<'_>,
    current: &Sorted<'_>,
    n_bins: usize,
) -> Result<(Vec<f64>, Vec<f64>)> {
    crate::binning::check_n_bins(n_bins)?;
    let r = reference.non_empty("reference sample")?;
    let c = current.non_empty("current sample")?;
    let edges = edges_of(r, n_bins);
    Ok((
        proportions(&counts_of(r, &edges)),
        proportions(&counts_of(c, &edges)),
    ))
}

/// [`psi`] of two samples over the reference's quantile bins ([`binned_shares`]).
///
/// # Example
/// ```
/// use driftscope_drift::{psi_samples, Sorted};
/// let r = Sorted::new((0..100).map(f64::from).collect()).unwrap();
/// assert_eq!(psi_samples(&r, &r, 10).unwrap(), 0.0);
/// ```
pub fn psi_samples(reference: &Sorted<'_>, current: &Sorted<'_>, n_bins: usize) -> Result<f64> {
    let (p, q) = binned_shares(reference, current, n_bins)?;
    psi(&p, &q)
}

/// [`kl_divergence`] of two samples over the reference's quantile bins ([`binned_shares`]).
///
/// # Example
/// ```
/// use driftscope_drift::{kl_divergence_samples, Sorted};
/// let r = Sorted::new((0..100).map(f64::from).collect()).unwrap();
/// assert_eq!(kl_divergence_samples(&r, &r, 10).unwrap(), 0.0);
/// ```
pub fn kl_divergence_samples(
    reference: &Sorted<'_>,
    current: &Sorted<'_>,
    n_bins: usize,
) -> Result<f64> {
    let (p, q) = binned_shares(reference, current, n_bins)?;
    kl_divergence(&p, &q)
}

/// [`js_distance`] of two samples over the reference's quantile bins ([`binned_shares`]).
///
/// # Example
/// ```
/// use driftscope_drift::{js_distance_samples, Sorted};
/// let r = Sorted::new((0..100).map(f64::from).collect()).unwrap();
/// assert_eq!(js_distance_samples(&r, &r, 10).unwrap(), 0.0);
/// ```
pub fn js_distance_samples(
    reference: &Sorted<'_>,
    current: &Sorted<'_>,
    n_bins: usize,
) -> Result<f64> {
    let (p, q) = binned_shares(reference, current, n_bins)?;
    js_distance(&p, &q)
}

/// Wasserstein-1 distance between two samples: the integral of |F_a - F_b|
/// (`scipy.stats.wasserstein_distance`). An empty sample is an error.
///
/// # Example
/// ```
/// use driftscope_drift::{wasserstein, Sorted};
/// let a = Sorted::new(vec![0.0, 1.0, 2.0]).unwrap();
/// let b = Sorted::new(vec![1.0, 2.0, 3.0]).unwrap();
/// assert_eq!(wasserstein(&a, &b).unwrap(), 1.0);
/// ```
pub fn wasserstein(a: &Sorted<'_>, b: &Sorted<'_>) -> Result<f64> {
    Ok(wasserstein_sorted(
        a.non_empty("first sample")?,
        b.non_empty("second sample")?,
    ))
}

/// [`wasserstein`] of two samples known to be sorted, finite and non-empty.
fn wasserstein_sorted(a: &[f64], b: &[f64]) -> f64 {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut terms = Vec::new();
    let mut prev: Option<f64> = None;
    let mut acc = (0.0f64, 0.0f64);
    // Walk the merged values; between consecutive values x_k < x_{k+1} the CDFs are constant.
    loop {
        let v = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.min(*y),
            (Some(x), None) => *x,
            (None, Some(y)) => *y,
            (None, None) => break,
        };
        if let Some(p) = prev {
            let delta = v - p;
            let (fa, fb) = acc;
            terms.push((fa - fb).abs() * delta);
        }
        while i < a.len() && a[i] <= v {
            i += 1;
        }
        while j < b.len() && b[j] <= v {
            j += 1;
        }
        acc = (i as f64 / na, j as f64 / nb);
        prev = Some(v);
    }
    stable_sum(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[f64]) -> Sorted<'static> {
        Sorted::new(v.to_vec()).unwrap()
    }

    #[test]
    fn identical_distributions_are_zero() {
        let p = [0.25, 0.25, 0.5];
        assert_eq!(psi(&p, &p).unwrap(), 0.0);
        assert_eq!(kl_divergence(&p, &p).unwrap(), 0.0);
        assert_eq!(js_distance(&p, &p).unwrap(), 0.0);
        assert_eq!(wasserstein(&s(&[1.0, 2.0]), &s(&[1.0, 2.0])).unwrap(), 0.0);
    }

    #[test]
    fn hand_values() {
        // Shift by 1: W1 = 1.
        let w = wasserstein(&s(&[0.0, 1.0, 2.0]), &s(&[1.0, 2.0, 3.0])).unwrap();
        assert!((w - 1.0).abs() < 1e-15);
        // psi([0.5, 0.5], [0.25, 0.75]) = -0.25 ln 0.5 + 0.25 ln 1.5
        let want = -0.25 * 0.5f64.ln() + 0.25 * 1.5f64.ln();
        assert!((psi(&[0.5, 0.5], &[0.25, 0.75]).unwrap() - want).abs() < 1e-15);
        // Disjoint supports: JS distance = sqrt(ln 2).
        let js = js_distance(&[1.0, 0.0], &[0.0, 1.0]).unwrap();
        assert!((js - 2f64.ln().sqrt()).abs() < 1e-15);
    }

    #[test]
    fn shares_nan_empty_mismatch_are_errors() {
        type F = fn(&[f64], &[f64]) -> Result<f64>;
        for f in [psi as F, kl_divergence, js_distance] {
            assert!(matches!(
                f(&[0.5, 0.5], &[1.0]),
                Err(DriftError::LengthMismatch { .. })
            ));
            assert!(matches!(f(&[], &[]), Err(DriftError::Empty { .. })));
            assert!(matches!(
                f(&[f64::NAN, 1.0], &[0.5, 0.5]),
                Err(DriftError::InvalidShare { .. })
            ));
            assert!(matches!(
                f(&[0.5, 0.5], &[-0.5, 1.5]),
                Err(DriftError::InvalidShare { .. })
            ));
            assert!(f(&[0.5, 0.5], &[f64::INFINITY, 0.0]).is_err());
        }
    }

    #[test]
    fn samples_nan_empty_unsorted_are_errors() {
        let e = s(&[]);
        let a = s(&[1.0, 2.0, 3.0]);
        assert!(matches!(wasserstein(&e, &a), Err(DriftError::Empty { .. })));
        assert!(wasserstein(&a, &e).is_err());
        type F = fn(&Sorted<'_>, &Sorted<'_>, usize) -> Result<f64>;
        for f in [psi_samples as F, kl_divergence_samples, js_distance_samples] {
            assert!(f(&e, &a, 10).is_err());
            assert!(f(&a, &e, 10).is_err());
            assert!(f(&a, &a, 0).is_err());
            assert_eq!(f(&a, &a, 10).unwrap(), 0.0);
        }
        // NaN and unsorted input cannot become a `Sorted`.
        assert!(Sorted::new(vec![1.0, f64::NAN]).is_err());
        assert!(Sorted::from_sorted(&[2.0, 1.0]).is_err());
    }

    #[test]
    fn samples_match_shares() {
        let r = s(&(0..50).map(f64::from).collect::<Vec<_>>());
        let c = s(&(10..70).map(f64::from).collect::<Vec<_>>());
        let (p, q) = binned_shares(&r, &c, 10).unwrap();
        assert_eq!(psi_samples(&r, &c, 10).unwrap(), psi(&p, &q).unwrap());
        assert!(psi(&p, &q).unwrap() > 0.1);
    }
}
