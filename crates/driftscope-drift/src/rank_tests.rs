//! Mann-Whitney U and the chi-square test of a 2 x K table.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

use crate::{ChiSquareStat, DriftError, Result, Sorted, TestResult};

/// Mann-Whitney U of two samples, as `scipy.stats.mannwhitneyu(a, b, alternative="two-sided")`:
/// the statistic is U of `a`; the p-value is exact when one sample has at most 8 values and
/// there are no ties, else the normal approximation with tie and continuity correction. An
/// empty sample is an error.
///
/// # Example
/// ```
/// use driftscope_drift::{mann_whitney, Sorted};
/// let a = Sorted::new(vec![1.0, 2.0, 3.0]).unwrap();
/// let b = Sorted::new(vec![4.0, 5.0, 6.0]).unwrap();
/// let t = mann_whitney(&a, &b).unwrap();
/// assert_eq!(t.statistic, 0.0);
/// assert!((t.p_value - 0.1).abs() < 1e-12);
/// ```
pub fn mann_whitney(a: &Sorted<'_>, b: &Sorted<'_>) -> Result<TestResult> {
    mann_whitney_sorted(a.non_empty("first sample")?, b.non_empty("second sample")?)
}

/// [`mann_whitney`] of two samples known to be sorted, finite and non-empty.
fn mann_whitney_sorted(a: &[f64], b: &[f64]) -> Result<TestResult> {
    let (n1, n2) = (a.len(), b.len());
    let (mut i, mut j) = (0usize, 0usize);
    let mut r1 = 0.0f64;
    let mut tie_term = 0.0f64;
    let mut ties = false;
    let mut pos = 0usize; // values ranked so far
    while i < n1 || j < n2 {
        let v = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.min(*y),
            (Some(x), None) => *x,
            (None, Some(y)) => *y,
            (None, None) => break,
        };
        let (i0, j0) = (i, j);
        while i < n1 && a[i] == v {
            i += 1;
        }
        while j < n2 && b[j] == v {
            j += 1;
        }
        let (ca, t) = (i - i0, (i - i0) + (j - j0));
        let avg_rank = pos as f64 + (t as f64 + 1.0) / 2.0;
        r1 += ca as f64 * avg_rank;
        if t > 1 {
            ties = true;
            let tf = t as f64;
            tie_term += tf * tf * tf - tf;
        }
        pos += t;
    }
    let (f1, f2) = (n1 as f64, n2 as f64);
    let u1 = r1 - f1 * (f1 + 1.0) / 2.0;
    let u2 = f1 * f2 - u1;
    let u = u1.max(u2);
    // scipy's "auto": exact unless both samples exceed 8 values or there are ties.
    let exact = !ties && (n1 <= 8 || n2 <= 8);
    let p = if exact {
        2.0 * exact_mwu_sf(n1, n2, u.round() as u64)
    } else {
        let mu = f1 * f2 / 2.0;
        let n = f1 + f2;
        let s = (f1 * f2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
        let z = (u - mu - 0.5) / s;
        let z = if z.is_nan() { f64::NAN } else { z };
        standard_normal_sf(z)? * 2.0
    };
    Ok(TestResult {
        statistic: u1,
        p_value: if p.is_nan() { 1.0 } else { p.clamp(0.0, 1.0) },
    })
}

pub(crate) fn standard_normal_sf(z: f64) -> Result<f64> {
    if z == f64::INFINITY {
        return Ok(0.0);
    }
    if z == f64::NEG_INFINITY {
        return Ok(1.0);
    }
    let normal = Normal::new(0.0, 1.0).map_err(|e| DriftError::InvalidArgument(e.to_string()))?;
    Ok(normal.sf(z))
}

/// P(U >= k) under the null, for U = max(U1, U2) >= n1 n2 / 2, from the exact distribution
/// of U: the coefficients of the Gaussian binomial [n1 + n2 choose n1]_q.
fn exact_mwu_sf(n1: usize, n2: usize, k: u64) -> f64 {
    let (a, b) = (n1.min(n2), n1.max(n2));
    let total_cells = (a * b) as u64;
    let kc = total_cells - k.min(total_cells); // P(U >= k) = P(U <= n1 n2 - k) by symmetry
    let kc = kc as usize;
    // Gaussian binomial coefficients up to degree kc, built as prod_i (1 - q^(b+i)) / (1 - q^i).
    let mut poly = vec![0.0f64; kc + 1];
    poly[0] = 1.0;
    let mut exact = vec![0i128; kc + 1];
    exact[0] = 1;
    // i128 holds C(a + b, a) when it is below ~1.7e38; beyond that use f64.
    let ln_total = (1..=a)
        .map(|i| ((b + i) as f64 / i as f64).ln())
        .sum::<f64>();
    let use_int = ln_total < 85.0;
    for i in 1..=a {
        let s = b + i;
        if use_int {
            for u in (s..=kc).rev() {
                exact[u] -= exact[u - s];
            }
            for u in i..=kc {
                exact[u] += exact[u - i];
            }
        } else {
            for u in (s..=kc).rev() {
                poly[u] -= poly[u - s];
            }
            for u in i..=kc {
                poly[u] += poly[u - i];
            }
        }
    }
    if use_int {
        let total: i128 = (1..=a as i128).fold(1i128, |acc, i| acc * (b as i128 + i) / i);
        let below: i128 = exact.iter().sum();
        below as f64 / total as f64
    } else {
        let total = ln_total.exp();
        poly.iter().sum::<f64>() / total
    }
}

/// Chi-square test of the 2 x K table (row 0 reference, row 1 current, one column per
/// category), as `scipy.stats.chi2_contingency` with Yates' correction at dof 1. Columns with
/// zero count in both rows are dropped first (`stats-spec.md`). Rows of different lengths, an
/// empty table and a row whose counts sum to 0 are errors.
///
/// # Example
/// ```
/// use driftscope_drift::chi_square;
/// let r = chi_square(&[10, 20], &[30, 40]).unwrap();
/// assert_eq!(r.dof, 1);
/// assert!((r.statistic - 0.4464285714285714).abs() < 1e-12);
/// assert!(chi_square(&[10, 20], &[30]).is_err());
/// assert!(chi_square(&[5, 1], &[0, 0]).is_err());
/// ```
pub fn chi_square(reference: &[u64], current: &[u64]) -> Result<ChiSquareStat> {
    let (reference, current) = contingency_columns(reference, current)?;
    let k = reference.len();
    let dof = (k - 1) as u64;
    if dof == 0 {
        return Ok(ChiSquareStat {
            statistic: 0.0,
            p_value: 1.0,
            dof: 0,
        });
    }
    let (r0, r1) = (
        reference.iter().sum::<u64>() as f64,
        current.iter().sum::<u64>() as f64,
    );
    let total = r0 + r1;
    let mut terms = Vec::with_capacity(2 * k);
    for (row_sum, row) in [(r0, &reference), (r1, &current)] {
        for (c, obs) in row.iter().enumerate() {
            let col = reference[c] as f64 + current[c] as f64;
            let expected = row_sum * col / total;
            let mut o = *obs as f64;
            if dof == 1 {
                let diff = expected - o;
                o += diff.abs().min(0.5) * diff.signum() * f64::from(diff != 0.0);
            }
            terms.push((o - expected) * (o - expected) / expected);
        }
    }
    let statistic = crate::distances::stable_sum(terms);
    let chi =
        ChiSquared::new(dof as f64).map_err(|e| DriftError::InvalidArgument(e.to_string()))?;
    Ok(ChiSquareStat {
        statistic,
        p_value: chi.sf(statistic),
        dof,
    })
}

/// The table's columns with a count in either row; errors for a malformed or empty table.
fn contingency_columns(reference: &[u64], current: &[u64]) -> Result<(Vec<u64>, Vec<u64>)> {
    if reference.len() != current.len() {
        return Err(DriftError::LengthMismatch {
            what: "reference and current category counts",
            left: reference.len(),
            right: current.len(),
        });
    }
    for (what, row) in [("reference counts", reference), ("current counts", current)] {
        if row.iter().all(|c| *c == 0) {
            return Err(DriftError::Empty { what });
        }
    }
    Ok(reference
        .iter()
        .zip(current)
        .filter(|(r, c)| **r > 0 || **c > 0)
        .map(|(r, c)| (*r, *c))
        .unzip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_exact_cases_against_scipy() {
        // scipy.stats.mannwhitneyu([1,2,3], [4,5,6]) -> U=0, p=0.1 (exact: 2/20).
        let r = mann_whitney_sorted(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).unwrap();
        assert_eq!(r.statistic, 0.0);
        assert!((r.p_value - 0.1).abs() < 1e-12, "{r:?}");
        // Interleaved: [1,3,5] vs [2,4,6]: U1 = 3, p = 0.7 (scipy).
        let r = mann_whitney_sorted(&[1.0, 3.0, 5.0], &[2.0, 4.0, 6.0]).unwrap();
        assert_eq!(r.statistic, 3.0);
        assert!((r.p_value - 0.7).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn chi_square_2x2_yates_against_scipy() {
        // scipy.stats.chi2_contingency([[10, 20], [30, 40]]) -> 0.4464285714285714, 0.5040358664525046, 1
        let r = chi_square(&[10, 20], &[30, 40]).unwrap();
        assert_eq!(r.dof, 1);
        assert!((r.statistic - 0.4464285714285714).abs() < 1e-12, "{r:?}");
        assert!((r.p_value - 0.5040358664525046).abs() < 1e-9, "{r:?}");
        assert_eq!(chi_square(&[5], &[7]).unwrap().p_value, 1.0);
        assert!(chi_square(&[5, 1], &[0, 0]).is_err());
        // A column empty in both rows is dropped, as the spec's table has it.
        assert_eq!(
            chi_square(&[10, 0, 20], &[30, 0, 40]).unwrap(),
            chi_square(&[10, 20], &[30, 40]).unwrap()
        );
    }

    #[test]
    fn empty_mismatched_nan_unsorted_are_errors() {
        assert!(matches!(
            chi_square(&[], &[]),
            Err(DriftError::Empty { .. })
        ));
        assert!(matches!(
            chi_square(&[1, 2], &[1, 2, 3]),
            Err(DriftError::LengthMismatch { .. })
        ));
        assert!(chi_square(&[0, 0], &[1, 2]).is_err());
        let e = Sorted::new(vec![]).unwrap();
        let a = Sorted::new(vec![1.0, 2.0]).unwrap();
        assert!(matches!(
            mann_whitney(&e, &a),
            Err(DriftError::Empty { .. })
        ));
        assert!(mann_whitney(&a, &e).is_err());
        assert!(Sorted::new(vec![f64::NAN]).is_err());
        assert!(Sorted::from_sorted(&[2.0, 1.0]).is_err());
        let shuffled = Sorted::new(vec![2.0, 1.0]).unwrap();
        assert_eq!(mann_whitney(&shuffled, &a), mann_whitney(&a, &a));
    }
}
