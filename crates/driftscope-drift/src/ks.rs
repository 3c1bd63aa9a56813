//! Two-sample Kolmogorov-Smirnov test, equal to `scipy.stats.ks_2samp(r, c)` (two-sided,
//! method "auto"): the exact null distribution when `max(n, m) <= 10000` (Hodges' lattice-path
//! counting, in the numerically stable form of Viehmann 2021), else the one-sample Kolmogorov
//! distribution at `round(n m / (n + m))` (Simard & L'Ecuyer's selection among the Durbin matrix,
//! Pelz-Good and exact Smirnov formulas).

use statrs::function::gamma::ln_gamma;

use crate::{Result, Sorted, TestResult};

/// Largest sample size for which the exact p-value is used (scipy's `MAX_AUTO_N`).
pub const KS_EXACT_MAX_N: usize = 10_000;

/// KS statistic and p-value of two samples, as `scipy.stats.ks_2samp(a, b)` (two-sided, method
/// "auto"). An empty sample is an error.
///
/// # Example
/// ```
/// use driftscope_drift::{ks_2samp, Sorted};
/// let a = Sorted::new(vec![1.0, 2.0, 3.0, 4.0]).unwrap();
/// let b = Sorted::new(vec![2.0, 3.0, 4.0, 5.0]).unwrap();
/// let t = ks_2samp(&a, &b).unwrap();
/// assert_eq!(t.statistic, 0.25);
/// assert!(ks_2samp(&a, &Sorted::new(vec![]).unwrap()).is_err());
/// ```
pub fn ks_2samp(a: &Sorted<'_>, b: &Sorted<'_>) -> Result<TestResult> {
    Ok(ks_2samp_sorted(
        a.non_empty("first sample")?,
        b.non_empty("second sample")?,
    ))
}

/// [`ks_2samp`] of two samples known to be sorted, finite and non-empty.
fn ks_2samp_sorted(a: &[f64], b: &[f64]) -> TestResult {
    ks_test_of(a.len(), b.len(), statistic_sorted(a, b))
}

/// The KS statistic as reported and its p-value, for samples of `n1` and `n2` values whose
/// empirical CDFs differ by at most `d` (scipy's method choice, as [`ks_2samp`]). Both are
/// monotone in `d`: the bounded statistics evaluate it at the ends of an interval of `d`.
pub(crate) fn ks_test_of(n1: usize, n2: usize, d: f64) -> TestResult {
    let g = gcd(n1 as u64, n2 as u64);
    if n1.max(n2) <= KS_EXACT_MAX_N {
        let lcm = (n1 as u64 / g) * n2 as u64;
        let h = round_half_even(d * lcm as f64) as u64;
        let d_exact = h as f64 / lcm as f64;
        if h == 0 {
            return TestResult {
                statistic: d_exact,
                p_value: 1.0,
            };
        }
        // The exact count walks a band of about 2 d min(n1, n2) cells per step of max(n1, n2).
        // Where that is long and the asymptotic p-value is below 1e-9, the asymptotic value is
        // returned: the spec's tolerance is 1e-6 absolute, and the exact method cannot resolve
        // such p-values anyway (it subtracts a probability near 1 from 1).
        let steps = 2.0 * d * n1.min(n2) as f64 * n1.max(n2) as f64;
        if steps > 2e6 {
            let asym = asymptotic(n1, n2, d_exact);
            if asym.p_value < 1e-9 {
                return asym;
            }
        }
        let p = if n1 == n2 {
            prob_outside_square(n1 as u64, h)
        } else {
            outer_prob_inside(n1 as u64, n2 as u64, g, h)
        };
        if (0.0..=1.0).contains(&p) {
            return TestResult {
                statistic: d_exact,
                p_value: p,
            };
        }
        // scipy falls back to the asymptotic method (with the rounded statistic).
        return asymptotic(n1, n2, d_exact);
    }
    asymptotic(n1, n2, d)
}

fn asymptotic(n1: usize, n2: usize, d: f64) -> TestResult {
    let (m, n) = if n1 >= n2 {
        (n1 as f64, n2 as f64)
    } else {
        (n2 as f64, n1 as f64)
    };
    let en = m * n / (m + n);
    let p = kolmogorov_sf(round_half_even(en), d).clamp(0.0, 1.0);
    TestResult {
        statistic: d,
        p_value: p,
    }
}

/// The KS statistic: max |F_a - F_b| over all data points (right-continuous empirical CDFs).
/// An empty sample is an error.
///
/// # Example
/// ```
/// use driftscope_drift::{ks_statistic, Sorted};
/// let a = Sorted::new(vec![1.0, 2.0]).unwrap();
/// let b = Sorted::new(vec![3.0, 4.0]).unwrap();
/// assert_eq!(ks_statistic(&a, &b).unwrap(), 1.0);
/// ```
pub fn ks_statistic(a: &Sorted<'_>, b: &Sorted<'_>) -> Result<f64> {
    Ok(statistic_sorted(
        a.non_empty("first sample")?,
        b.non_empty("second sample")?,
    ))
}

/// [`ks_statistic`] of two samples known to be sorted and finite.
fn statistic_sorted(a: &[f64], b: &[f64]) -> f64 {
    let (n1, n2) = (a.len() as f64, b.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut d: f64 = 0.0;
    while i < a.len() || j < b.len() {
        let v = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.min(*y),
            (Some(x), None) => *x,
            (None, Some(y)) => *y,
            (None, None) => break,
        };
        while i < a.len() && a[i] <= v {
            i += 1;
        }
        while j < b.len() && b[j] <= v {
            j += 1;
        }
        d = d.max((i as f64 / n1 - j as f64 / n2).abs());
    }
    d
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// numpy's round: half to even.
pub(crate) fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// P(D_{n,n} >= h/n): 2 * (A0 (1 - A1 (1 - A2 (...)))), each Ai a ratio of binomials.
fn prob_outside_square(n: u64, h: u64) -> f64 {
    let mut p = 0.0;
    let mut k = (n / h) as i64;
    while k >= 0 {
        let kh = k as u64 * h;
        let mut p1 = 1.0;
        for j in 0..h {
            p1 = (n as f64 - kh as f64 - j as f64) * p1 / (n as f64 + kh as f64 + j as f64 + 1.0);
        }
        p = p1 * (1.0 - p);
        k -= 1;
    }
    2.0 * p
}

fn floor_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b)
}

fn ceil_div(a: i64, b: i64) -> i64 {
    -((-a).div_euclid(b))
}

/// Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm,
/// computed directly as 1 - inside (the recursion of Viehmann, arXiv:2102.08037).
fn outer_prob_inside(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let (m, n) = if m < n { (n, m) } else { (m, n) };
    let (m, n, g, h) = (m as i64, n as i64, g as i64, h as i64);
    let (mg, ng) = (m / g, n / g);
    let mut minj: i64 = 0;
    let mut maxj: i64 = ceil_div(h, mg).min(n + 1);
    let mut curlen = maxj - minj;
    let len_a = (2 * maxj + 2).min(n + 1) as usize;
    let mut a = vec![1.0f64; len_a.max(1)];
    for v in a.iter_mut().take(maxj as usize) {
        *v = 0.0;
    }
    for i in 1..=m {
        let (lastminj, lastlen) = (minj, curlen);
        minj = (floor_div(ng * i - h, mg) + 1).max(0).min(n);
        maxj = ceil_div(ng * i + h, mg).min(n + 1);
        if maxj <= minj {
            return 1.0;
        }
        let mut val = if minj == 0 { 0.0 } else { 1.0 };
        let fi = i as f64;
        for jj in 0..(maxj - minj) {
            let j = (jj + minj) as f64;
            val = (a[(jj + minj - lastminj) as usize] * fi + val * j) / (fi + j);
            a[jj as usize] = val;
        }
        curlen = maxj - minj;
        if lastlen > curlen {
            let start = (maxj - minj) as usize;
            let end = (start + (lastlen - curlen) as usize).min(a.len());
            for v in &mut a[start..end] {
                *v = 1.0;
            }
        }
    }
    a[(maxj - minj - 1) as usize]
}

const LOG_2PI: f64 = 1.837_877_066_409_345_5;
/// Stirling series coefficients B_2j / (2j (2j - 1)) for j = 8..1.
const STIRLING: [f64; 8] = [
    -3617.0 / 122_400.0,
    1.0 / 156.0,
    -691.0 / 360_360.0,
    1.0 / 1188.0,
    -1.0 / 1680.0,
    1.0 / 1260.0,
    -1.0 / 360.0,
    1.0 / 12.0,
];

fn log_nfactorial_div_n_pow_n(n: f64) -> f64 {
    let rn = 1.0 / n;
    let x = rn / n;
    let poly = STIRLING.iter().fold(0.0, |acc, c| acc * x + c);
    n.ln() / 2.0 - n + LOG_2PI / 2.0 + rn * poly
}

/// Survival function of the two-sided one-sample Kolmogorov statistic D_n (scipy's
/// `kstwo.sf(x, n)`), choosing the method by region as Simard & L'Ecuyer (2011) do.
pub(crate) fn kolmogorov_sf(n: f64, x: f64) -> f64 {
    if x >= 1.0 {
        return 0.0;
    }
    if x <= 0.0 {
        return 1.0;
    }
    let t = n * x;
    if t <= 1.0 {
        if t <= 0.5 {
            return 1.0;
        }
        let cdf = if n <= 140.0 {
            (1..=n as u64).fold(1.0, |p, i| p * (i as f64 * (1.0 / n) * (2.0 * t - 1.0)))
        } else {
            (log_nfactorial_div_n_pow_n(n) + n * (2.0 * t - 1.0).ln()).exp()
        };
        return (1.0 - cdf).clamp(0.0, 1.0);
    }
    if t >= n - 1.0 {
        return (2.0 * (1.0 - x).powf(n)).clamp(0.0, 1.0);
    }
    if x >= 0.5 {
        return (2.0 * smirnov_sf(n as u64, x)).clamp(0.0, 1.0);
    }
    let nxx = t * x;
    if n <= 140.0 {
        if nxx <= 4.0 {
            // scipy uses the Durbin matrix below 0.754693 and Pomeranz' recursion above; both
            // are exact, and the Durbin matrix is cheap at these sizes.
            return (1.0 - durbin_cdf(n as u64, x)).clamp(0.0, 1.0);
        }
        return (2.0 * smirnov_sf(n as u64, x)).clamp(0.0, 1.0);
    }
    if nxx >= 370.0 {
        return 0.0;
    }
    if nxx >= 2.2 {
        return (2.0 * smirnov_sf(n as u64, x)).clamp(0.0, 1.0);
    }
    let cdf = if nxx >= 18.0 {
        1.0
    } else if n <= 100_000.0 && n * x.powf(1.5) <= 1.4 {
        durbin_cdf(n as u64, x)
    } else {
        pelz_good_cdf(n, x)
    };
    (1.0 - cdf).clamp(0.0, 1.0)
}

/// Exact one-sided Smirnov survival function P(D_n^+ >= x) (Birnbaum & Tingey 1951):
/// x * sum_{j=0}^{floor(n(1-x))} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1); every term is positive.
pub(crate) fn smirnov_sf(n: u64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if x >= 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    let jmax = (nf * (1.0 - x)).floor() as u64;
    let ln_n1 = ln_gamma(nf + 1.0);
    let mut sum = 0.0;
    for j in 0..=jmax {
        let jf = j as f64;
        let a = 1.0 - x - jf / nf;
        let b = x + jf / nf;
        let ln_a_term = if n - j == 0 {
            0.0
        } else if a <= 0.0 {
            continue;
        } else {
            (nf - jf) * a.ln()
        };
        let ln_term =
            ln_n1 - ln_gamma(jf + 1.0) - ln_gamma(nf - jf + 1.0) + ln_a_term + (jf - 1.0) * b.ln();
        sum += ln_term.exp();
    }
    (x * sum).clamp(0.0, 1.0)
}

const EP128: f64 = 340_282_366_920_938_463_463_374_607_431_768_211_456.0; // 2^128
const EM128: f64 = 1.0 / EP128; // 2^-128, exact

/// Pr(D_n <= d) by the Durbin matrix, as computed by Marsaglia, Tsang & Wang (2003).
fn durbin_cdf(n: u64, d: f64) -> f64 {
    if d >= 1.0 {
        return 1.0;
    }
    let nd = n as f64 * d;
    if nd <= 0.5 {
        return 0.0;
    }
    let k = nd.ceil() as usize;
    let h = k as f64 - nd;
    let m = 2 * k - 1;
    let (pwr, mut expnt) = scaled_power(durbin_matrix(m, h), m, k, n);
    let mut p = pwr[(k - 1) * m + (k - 1)];
    for i in 1..=n {
        p = i as f64 * p / n as f64;
        if p.abs() < EM128 {
            p *= EP128;
            expnt -= 128;
        }
    }
    if expnt != 0 {
        p *= 2f64.powi(expnt);
    }
    p.clamp(0.0, 1.0)
}

/// Durbin's m x m matrix H (row-major) for `h = k - n d`.
fn durbin_matrix(m: usize, h: f64) -> Vec<f64> {
    let mut hm = vec![0.0f64; m * m];
    let mut v: Vec<f64> = (1..=m).map(|i| 1.0 - h.powi(i as i32)).collect();
    let mut w = vec![0.0f64; m];
    let mut fac = 1.0;
    for j in 1..=m {
        w[j - 1] = fac;
        fac /= j as f64;
        v[j - 1] *= fac;
    }
    let tt = (2.0 * h - 1.0).max(0.0).powi(m as i32) - 2.0 * h.powi(m as i32);
    v[m - 1] = (1.0 + tt) * fac;
    for i in 1..m {
        for r in (i - 1)..m {
            hm[r * m + i] = w[r - (i - 1)];
        }
    }
    for r in 0..m {
        hm[r * m] = v[r];
    }
    for c in 0..m {
        hm[(m - 1) * m + c] = v[m - 1 - c];
    }
    hm
}

/// Product of two m x m row-major matrices.
fn matmul(x: &[f64], y: &[f64], m: usize) -> Vec<f64> {
    let mut out = vec![0.0f64; m * m];
    for i in 0..m {
        for l in 0..m {
            let xil = x[i * m + l];
            if xil == 0.0 {
                continue;
            }
            let row = &y[l * m..(l + 1) * m];
            let o = &mut out[i * m..(i + 1) * m];
            for (oj, yj) in o.iter_mut().zip(row) {
                *oj += xil * yj;
            }
        }
    }
    out
}

/// `hm^n` by squaring, with powers of 2^128 factored out (returned as the exponent) whenever
/// the central entry grows past 2^128.
fn scaled_power(mut hm: Vec<f64>, m: usize, k: usize, n: u64) -> (Vec<f64>, i32) {
    let mut pwr = vec![0.0f64; m * m];
    for i in 0..m {
        pwr[i * m + i] = 1.0;
    }
    let (mut nn, mut expnt, mut h_expnt) = (n, 0i32, 0i32);
    while nn > 0 {
        if nn % 2 == 1 {
            pwr = matmul(&pwr, &hm, m);
            expnt += h_expnt;
        }
        hm = matmul(&hm, &hm, m);
        h_expnt *= 2;
        if hm[(k - 1) * m + (k - 1)].abs() > EP128 {
            for x in &mut hm {
                *x /= EP128;
            }
            h_expnt += 128;
        }
        nn /= 2;
    }
    (pwr, expnt)
}

/// The Pelz-Good (1976) approximation of Pr(D_n <= x).
fn pelz_good_cdf(n: f64, x: f64) -> f64 {
    use std::f64::consts::PI;
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let sqrt2pi = (2.0 * PI).sqrt();
    let (pi2, pi4, pi6) = (PI * PI, PI.powi(4), PI.powi(6));
    let z = n.sqrt() * x;
    let (z2, z3, z4, z6) = (z * z, z.powi(3), z.powi(4), z.powi(6));
    let qlog = -pi2 / 8.0 / z2;
    if qlog < -708.0 {
        return 0.0;
    }
    let q = qlog.exp();
    let (k1a, k1b) = (-z2, pi2 / 4.0);
    let (k2a, k2b, k2c) = (
        6.0 * z6 + 2.0 * z4,
        (2.0 * z4 - 5.0 * z2) * pi2 / 4.0,
        pi4 * (1.0 - 2.0 * z2) / 16.0,
    );
    let k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
    let k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
    let k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
    let k3a = -30.0 * z6 - 90.0 * z.powi(8);
    let mut kk = [0.0f64; 4];
    let maxk = (16.0 * z / PI).ceil() as i64;
    for k in (1..=maxk).rev() {
        let m = (2 * k - 1) as f64;
        let (m2, m4, m6) = (m * m, m.powi(4), m.powi(6));
        let qpower = q.powf(8.0 * k as f64);
        let coeffs = [
            1.0,
            k1a + k1b * m2,
            k2a + k2b * m2 + k2c * m4,
            k3a + k3b * m2 + k3c * m4 + k3d * m6,
        ];
        for (kv, c) in kk.iter_mut().zip(coeffs) {
            *kv = *kv * qpower + c;
        }
    }
    let denom = [z, 6.0 * z4, 72.0 * z.powi(7), 6480.0 * z.powi(10)];
    for (kv, d) in kk.iter_mut().zip(denom) {
        *kv = *kv * q * sqrt2pi / d;
    }
    let q2 = (-pi2 / 2.0 / z2).exp();
    let sqrt3z = 3f64.sqrt() * z;
    let (mut k2extra, mut k3extra) = (0.0, 0.0);
    for k in (1..=maxk).rev() {
        let kf = k as f64;
        let ks2 = kf * kf;
        let qp = q2.powf(ks2);
        k2extra += ks2 * qp;
        let kspi = PI * kf;
        k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
    }
    kk[2] += k2extra * pi2 * sqrt2pi / (-36.0 * z3);
    kk[3] += k3extra * pi2 * sqrt2pi / (216.0 * z6);
    for (i, kv) in kk.iter_mut().enumerate() {
        *kv /= n.powf(i as f64 / 2.0);
    }
    kk.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistic_simple() {
        assert_eq!(statistic_sorted(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), 0.0);
        assert_eq!(statistic_sorted(&[1.0, 2.0], &[3.0, 4.0]), 1.0);
    }

    #[test]
    fn empty_nan_unsorted_are_errors() {
        let e = Sorted::new(vec![]).unwrap();
        let a = Sorted::new(vec![1.0, 2.0]).unwrap();
        assert!(matches!(
            ks_2samp(&e, &a),
            Err(crate::DriftError::Empty { .. })
        ));
        assert!(ks_2samp(&a, &e).is_err());
        assert!(ks_statistic(&e, &a).is_err());
        // NaN and unsorted values are refused before a test can see them (no hang).
        assert!(Sorted::new(vec![f64::NAN, 1.0]).is_err());
        assert!(Sorted::from_sorted(&[3.0, 1.0, 2.0]).is_err());
        let shuffled = Sorted::new(vec![3.0, 1.0, 2.0]).unwrap();
        let sorted = Sorted::new(vec![1.0, 2.0, 3.0]).unwrap();
        assert_eq!(ks_2samp(&shuffled, &a), ks_2samp(&sorted, &a));
    }

    #[test]
    fn kolmogorov_regions_against_scipy() {
        // scipy.stats.kstwo.sf(x, n) values (scipy 1.17.1).
        for (n, x, want) in [
            (500.0, 0.03, 0.7473166700457021),      // Durbin matrix
            (200000.0, 0.002, 0.39995085369038097), // Pelz-Good
            (500.0, 0.08, 0.0031305058199356268),   // 2 * smirnov
            (100.0, 0.1, 0.2526927570063874),       // n <= 140, Pomeranz region
            (100.0, 0.3, 1.7719869892662917e-08),   // n <= 140, 2 * smirnov
        ] {
            let got = kolmogorov_sf(n, x);
            assert!(
                (got - want).abs() <= 1e-6_f64.max(1e-6 * want),
                "n={n} x={x}: {got} vs {want}"
            );
        }
    }
}
