//! Moments of a numerical column (count, mean and central sums of powers 2 to 4) and their
//! pairwise merge (Chan, Golub & LeVeque 1979 for the second moment; Pébay 2008 for the third
//! and fourth), so partial results computed anywhere combine into the moments of the whole.

use serde::{Deserialize, Serialize};

use crate::{ProfileError, Result};

/// Count, mean and central power sums `M_k = sum (x - mean)^k` (k = 2, 3, 4) of the finite
/// values of a column. Empty: every field 0.
///
/// # Example
/// ```
/// use driftscope_profile::Moments;
/// let a = Moments::of_values(&[1.0, 2.0]);
/// let b = Moments::of_values(&[3.0, 4.0]);
/// let whole = a.merge(&b);
/// assert_eq!(whole.n, 4);
/// assert_eq!(whole.mean, 2.5);
/// assert_eq!(whole.m2, 5.0);
/// assert_eq!(whole.variance(), Some(1.25));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Moments {
    /// Finite values.
    pub n: u64,
    /// Their mean.
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
    /// Sum of cubed deviations.
    pub m3: f64,
    /// Sum of fourth powers of deviations.
    pub m4: f64,
}

impl Moments {
    /// Moments of finite values (two passes: mean, then deviations).
    pub fn of_values(values: &[f64]) -> Moments {
        if values.is_empty() {
            return Moments::default();
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
        for v in values {
            let d = v - mean;
            let d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        Moments {
            n: values.len() as u64,
            mean,
            m2,
            m3,
            m4,
        }
    }

    /// Moments of distinct values with their counts (two passes, as [`Moments::of_values`]).
    pub fn of_counts(values: &[f64], counts: &[u64]) -> Moments {
        let n: u64 = counts.iter().sum();
        if n == 0 {
            return Moments::default();
        }
        let nf = n as f64;
        let mean = values
            .iter()
            .zip(counts)
            .map(|(v, c)| v * *c as f64)
            .sum::<f64>()
            / nf;
        let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
        for (v, c) in values.iter().zip(counts) {
            let (d, c) = (v - mean, *c as f64);
            let d2 = d * d;
            m2 += c * d2;
            m3 += c * d2 * d;
            m4 += c * d2 * d2;
        }
        Moments {
            n,
            mean,
            m2,
            m3,
            m4,
        }
    }

    /// Moments from the shifted power sums `s_k = sum (x - shift)^k`, k = 1..4, of `n` values
    /// (what SQL computes with `SUM(POWER(x - shift, k))`; a shift near the mean, e.g. the
    /// reference mean, keeps the sums well conditioned). `n == 0` with non-zero sums, and
    /// non-finite inputs, are errors.
    ///
    /// # Example
    /// ```
    /// use driftscope_profile::Moments;
    /// // 1, 2, 3, 4 shifted by 2: s1 = 2, s2 = 6, s3 = 8, s4 = 18.
    /// let m = Moments::from_shifted_power_sums(4, 2.0, [2.0, 6.0, 8.0, 18.0]).unwrap();
    /// assert_eq!(m, Moments::of_values(&[1.0, 2.0, 3.0, 4.0]));
    /// ```
    pub fn from_shifted_power_sums(n: u64, shift: f64, s: [f64; 4]) -> Result<Moments> {
        if let Some(v) = std::iter::once(shift).chain(s).find(|v| !v.is_finite()) {
            return Err(ProfileError::NotFinite {
                what: "shifted power sum",
                value: v,
            });
        }
        if n == 0 {
            if s.iter().any(|v| *v != 0.0) {
                return Err(ProfileError::BadPartial {
                    column: String::new(),
                    message: "power sums of zero values must be 0".into(),
                });
            }
            return Ok(Moments::default());
        }
        let nf = n as f64;
        let d = s[0] / nf;
        let d2 = d * d;
        Ok(Moments {
            n,
            mean: shift + d,
            m2: (s[1] - nf * d2).max(0.0),
            m3: s[2] - 3.0 * d * s[1] + 2.0 * nf * d2 * d,
            m4: (s[3] - 4.0 * d * s[2] + 6.0 * d2 * s[1] - 3.0 * nf * d2 * d2).max(0.0),
        })
    }

    /// The moments of the union of two disjoint sets of values (pairwise update).
    pub fn merge(&self, other: &Moments) -> Moments {
        if other.n == 0 {
            return *self;
        }
        if self.n == 0 {
            return *other;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        let (d2, nab) = (delta * delta, na * nb);
        let mean = self.mean + delta * nb / n;
        let m2 = self.m2 + other.m2 + d2 * nab / n;
        let m3 = self.m3
            + other.m3
            + d2 * delta * nab * (na - nb) / (n * n)
            + 3.0 * delta * (na * other.m2 - nb * self.m2) / n;
        let m4 = self.m4
            + other.m4
            + d2 * d2 * nab * (na * na - nab + nb * nb) / (n * n * n)
            + 6.0 * d2 * (na * na * other.m2 + nb * nb * self.m2) / (n * n)
            + 4.0 * delta * (na * other.m3 - nb * self.m3) / n;
        Moments {
            n: self.n + other.n,
            mean,
            m2,
            m3,
            m4,
        }
    }

    /// Population variance `m2 / n` (ddof 0); `None` when empty.
    pub fn variance(&self) -> Option<f64> {
        (self.n > 0).then(|| self.m2 / self.n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skewness_parts_against_direct_sums() {
        let v = [1.0, 2.0, 2.0, 7.0, 11.0];
        let (a, b) = (Moments::of_values(&v[..2]), Moments::of_values(&v[2..]));
        let m = a.merge(&b);
        let mean = 23.0 / 5.0;
        let direct = |k: i32| v.iter().map(|x| (x - mean).powi(k)).sum::<f64>();
        for (got, want) in [(m.m2, direct(2)), (m.m3, direct(3)), (m.m4, direct(4))] {
            assert!((got - want).abs() <= 1e-12 * want.abs(), "{got} vs {want}");
        }
        assert_eq!(m.n, 5);
        assert_eq!(Moments::default().merge(&m), m);
        assert!(Moments::from_shifted_power_sums(0, 0.0, [1.0, 0.0, 0.0, 0.0]).is_err());
        assert!(Moments::from_shifted_power_sums(1, f64::NAN, [0.0; 4]).is_err());
    }
}
