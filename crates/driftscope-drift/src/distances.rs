//! Binned distances (PSI, KL, JS) and the Wasserstein-1 distance.

use driftscope_artifacts::MISSING_FLOOR;

/// Neumaier-compensated sum, so long sums do not depend on the order of accumulation.
pub fn stable_sum(values: impl IntoIterator<Item = f64>) -> f64 {
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
pub fn proportions(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return vec![0.0; counts.len()];
    }
    counts.iter().map(|c| *c as f64 / total as f64).collect()
}

fn floored(p: f64) -> f64 {
    p.max(MISSING_FLOOR)
}

/// Population stability index over floored proportions: sum (q' - p') ln(q' / p').
pub fn psi(p: &[f64], q: &[f64]) -> f64 {
    stable_sum(p.iter().zip(q).map(|(p, q)| {
        let (p, q) = (floored(*p), floored(*q));
        (q - p) * (q / p).ln()
    }))
}

/// KL divergence of the reference relative to the current, floored: sum p' ln(p' / q').
pub fn kl_divergence(p: &[f64], q: &[f64]) -> f64 {
    stable_sum(p.iter().zip(q).map(|(p, q)| {
        let (p, q) = (floored(*p), floored(*q));
        p * (p / q).ln()
    }))
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

/// Jensen-Shannon distance (natural log) of unfloored proportions, as
/// `scipy.spatial.distance.jensenshannon(p, q)`: both are renormalised first.
pub fn js_distance(p: &[f64], q: &[f64]) -> f64 {
    let (sp, sq) = (stable_sum(p.iter().copied()), stable_sum(q.iter().copied()));
    let p: Vec<f64> = p.iter().map(|v| v / sp).collect();
    let q: Vec<f64> = q.iter().map(|v| v / sq).collect();
    let m: Vec<f64> = p.iter().zip(&q).map(|(a, b)| (a + b) / 2.0).collect();
    let left = stable_sum(p.iter().zip(&m).map(|(a, m)| rel_entr(*a, *m)));
    let right = stable_sum(q.iter().zip(&m).map(|(b, m)| rel_entr(*b, *m)));
    ((left + right) / 2.0).sqrt()
}

/// Wasserstein-1 distance between two sorted, NaN-free, non-empty samples: the integral of
/// |F_a - F_b| (`scipy.stats.wasserstein_distance`).
pub fn wasserstein(a: &[f64], b: &[f64]) -> f64 {
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

    #[test]
    fn identical_distributions_are_zero() {
        let p = [0.25, 0.25, 0.5];
        assert_eq!(psi(&p, &p), 0.0);
        assert_eq!(kl_divergence(&p, &p), 0.0);
        assert_eq!(js_distance(&p, &p), 0.0);
        assert_eq!(wasserstein(&[1.0, 2.0], &[1.0, 2.0]), 0.0);
    }

    #[test]
    fn hand_values() {
        // Shift by 1: W1 = 1.
        assert!((wasserstein(&[0.0, 1.0, 2.0], &[1.0, 2.0, 3.0]) - 1.0).abs() < 1e-15);
        // psi([0.5, 0.5], [0.25, 0.75]) = -0.25 ln 0.5 + 0.25 ln 1.5
        let want = -0.25 * 0.5f64.ln() + 0.25 * 1.5f64.ln();
        assert!((psi(&[0.5, 0.5], &[0.25, 0.75]) - want).abs() < 1e-15);
        // Disjoint supports: JS distance = sqrt(ln 2).
        assert!((js_distance(&[1.0, 0.0], &[0.0, 1.0]) - 2f64.ln().sqrt()).abs() < 1e-15);
    }
}
