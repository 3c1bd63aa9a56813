//! The distribution of a numerical column's finite values: an exact value->count map while the
//! column has at most `value_cap` distinct values, else exact counts (and sums) between fine
//! edges taken from the reference.

use serde::{Deserialize, Serialize};

use crate::{ProfileError, Result};

/// Distinct finite values in IEEE total order (`f64::total_cmp`; `-0.0` and `0.0` are two
/// entries, so expanding the map gives back the sorted column bit for bit) and their counts
/// (each at least 1).
///
/// # Example
/// ```
/// use driftscope_profile::ValueCounts;
/// let v = ValueCounts::from_sorted(&[1.0, 1.0, 2.5]).unwrap();
/// assert_eq!((v.values.as_slice(), v.counts.as_slice()), (&[1.0, 2.5][..], &[2, 1][..]));
/// let w = ValueCounts::from_pairs(vec![(2.5, 3), (0.5, 1)]).unwrap();
/// let m = v.merge(&w);
/// assert_eq!(m.values, vec![0.5, 1.0, 2.5]);
/// assert_eq!(m.counts, vec![1, 2, 4]);
/// assert_eq!(m.total(), 7);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ValueCounts {
    /// Distinct values, ascending (total order).
    pub values: Vec<f64>,
    /// Count of each value.
    pub counts: Vec<u64>,
}

/// Values equal bit for bit.
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

impl ValueCounts {
    /// Run-length counts of finite values sorted in total order; NaN, infinite or unsorted
    /// values are an error.
    pub fn from_sorted(sorted: &[f64]) -> Result<ValueCounts> {
        let mut out = ValueCounts::default();
        for v in sorted {
            if !v.is_finite() {
                return Err(ProfileError::NotFinite {
                    what: "sorted values",
                    value: *v,
                });
            }
            match out.values.last() {
                Some(last) if same(*last, *v) => {
                    if let Some(c) = out.counts.last_mut() {
                        *c += 1;
                    }
                }
                Some(last) if last.total_cmp(v).is_gt() => {
                    return Err(ProfileError::BadPartial {
                        column: String::new(),
                        message: format!("values not sorted ascending ({v} after {last})"),
                    })
                }
                _ => {
                    out.values.push(*v);
                    out.counts.push(1);
                }
            }
        }
        Ok(out)
    }

    /// From (value, count) pairs in any order, as a `GROUP BY value` returns them; a value may
    /// repeat (its counts add), zero counts are dropped, NaN or infinite values are an error.
    pub fn from_pairs(mut pairs: Vec<(f64, u64)>) -> Result<ValueCounts> {
        if let Some((v, _)) = pairs.iter().find(|(v, _)| !v.is_finite()) {
            return Err(ProfileError::NotFinite {
                what: "value count",
                value: *v,
            });
        }
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out = ValueCounts::default();
        for (v, c) in pairs.into_iter().filter(|p| p.1 > 0) {
            match (out.values.last(), out.counts.last_mut()) {
                (Some(last), Some(n)) if same(*last, v) => *n += c,
                _ => {
                    out.values.push(v);
                    out.counts.push(c);
                }
            }
        }
        Ok(out)
    }

    /// The map of the union of both columns (counts of equal values add).
    pub fn merge(&self, other: &ValueCounts) -> ValueCounts {
        let (a, b) = (self, other);
        let (mut i, mut j) = (0, 0);
        let mut out = ValueCounts {
            values: Vec::with_capacity(a.values.len().max(b.values.len())),
            counts: Vec::with_capacity(a.values.len().max(b.values.len())),
        };
        while i < a.values.len() || j < b.values.len() {
            let order = match (a.values.get(i), b.values.get(j)) {
                (Some(x), Some(y)) => x.total_cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let (v, c) = match order {
                std::cmp::Ordering::Less => (a.values[i], a.counts[i]),
                std::cmp::Ordering::Greater => (b.values[j], b.counts[j]),
                std::cmp::Ordering::Equal => (a.values[i], a.counts[i] + b.counts[j]),
            };
            out.values.push(v);
            out.counts.push(c);
            i += usize::from(order.is_le());
            j += usize::from(order.is_ge());
        }
        out
    }

    /// Number of values counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The sorted column back, each value repeated by its count.
    pub fn expand(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.total() as usize);
        for (v, c) in self.values.iter().zip(&self.counts) {
            out.extend(std::iter::repeat_n(*v, *c as usize));
        }
        out
    }

    /// Counts and sums of the values in the bins `(-inf, e1], (e1, e2], ..., (ek, +inf)` of
    /// `edges` (the drift binning rule: `searchsorted(edges, v, side="left")`).
    pub fn bin(&self, edges: &[f64]) -> FineBins {
        let mut counts = vec![0u64; edges.len() + 1];
        let mut sums = vec![0.0f64; edges.len() + 1];
        for (v, c) in self.values.iter().zip(&self.counts) {
            let i = edges.partition_point(|e| e < v);
            counts[i] += c;
            sums[i] += v * *c as f64;
        }
        FineBins { counts, sums }
    }
}

/// Exact counts, and sums of the values, in the bins of a column's fine edges:
/// `(-inf, e1], (e1, e2], ..., (ek, +inf)`; `edges.len() + 1` entries each.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FineBins {
    /// Values per bin.
    pub counts: Vec<u64>,
    /// Sum of the values per bin (merged by addition: equal to 1e-12 relative whatever the
    /// order).
    pub sums: Vec<f64>,
}

impl FineBins {
    /// Bin by bin sum of two binnings on the same edges.
    pub fn merge(&self, other: &FineBins) -> Result<FineBins> {
        if self.counts.len() != other.counts.len() || self.sums.len() != other.sums.len() {
            return Err(ProfileError::Incompatible(format!(
                "fine bins of {} and {} entries",
                self.counts.len(),
                other.counts.len()
            )));
        }
        Ok(FineBins {
            counts: self
                .counts
                .iter()
                .zip(&other.counts)
                .map(|(a, b)| a + b)
                .collect(),
            sums: self
                .sums
                .iter()
                .zip(&other.sums)
                .map(|(a, b)| a + b)
                .collect(),
        })
    }
}

/// How a numerical column's finite values are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumericDistribution {
    /// Every distinct value with its count (at most `value_cap` values): every statistic exact.
    Exact(ValueCounts),
    /// Past the cap: counts and sums between the fine edges; statistics bounded.
    Binned(FineBins),
}
