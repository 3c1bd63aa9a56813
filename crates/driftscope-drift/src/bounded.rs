//! Statistics of a numerical feature whose current values are known only as counts (and sums)
//! between fine edges (a profile past its value cap): each given as an interval certain to
//! hold the exact value (`docs/profile.md`). The reference side is exact (its sorted sample).

use driftscope_artifacts::{BoundedDrift, BoundedStat, TestStat};

use crate::ks::ks_test_of;
use crate::rank_tests::standard_normal_sf;
use crate::{DriftError, Result};

/// Relative slack added to the Wasserstein interval for floating-point rounding (the exact
/// value itself is a rounded sum): far below any difference a report shows.
pub const WASSERSTEIN_ROUNDING_SLACK: f64 = 1e-9;

/// One side binned on the fine edges: counts, sums of values, and the finite range.
#[derive(Debug, Clone)]
pub struct BinnedSide {
    /// Values per bin (`edges.len() + 1` bins, `(-inf, e1], ..., (ek, +inf)`).
    pub counts: Vec<u64>,
    /// Sum of the values per bin.
    pub sums: Vec<f64>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl BinnedSide {
    /// The binned form of a sorted, finite, non-empty sample.
    pub fn of_sorted(sorted: &[f64], edges: &[f64]) -> Result<BinnedSide> {
        let (Some(min), Some(max)) = (sorted.first(), sorted.last()) else {
            return Err(DriftError::Empty {
                what: "reference sample",
            });
        };
        let mut counts = vec![0u64; edges.len() + 1];
        let mut sums = vec![0.0f64; edges.len() + 1];
        let mut start = 0;
        for (i, e) in edges
            .iter()
            .chain(std::iter::once(&f64::INFINITY))
            .enumerate()
        {
            let end = start + sorted[start..].partition_point(|v| v <= e);
            counts[i] = (end - start) as u64;
            sums[i] = sorted[start..end].iter().sum();
            start = end;
        }
        Ok(BinnedSide {
            counts,
            sums,
            min: *min,
            max: *max,
        })
    }

    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Counts up to and including bin `i` (`cum[0] = 0`, `cum[i + 1]` after bin `i`).
    fn cumulative(&self) -> Vec<u64> {
        std::iter::once(0)
            .chain(self.counts.iter().scan(0u64, |acc, c| {
                *acc += c;
                Some(*acc)
            }))
            .collect()
    }
}

/// The bounded statistics of a reference and a current side binned on the same `edges`;
/// `reference_std` normalises the Wasserstein distance (0: not normalised). Sides of different
/// bins, or an empty side, are errors.
pub fn bounded_drift(
    edges: &[f64],
    reference: &BinnedSide,
    current: &BinnedSide,
    reference_std: f64,
) -> Result<BoundedDrift> {
    for side in [reference, current] {
        if side.counts.len() != edges.len() + 1 || side.sums.len() != side.counts.len() {
            return Err(DriftError::LengthMismatch {
                what: "fine bins and edges",
                left: side.counts.len(),
                right: edges.len() + 1,
            });
        }
        if side.total() == 0 {
            return Err(DriftError::Empty {
                what: "binned sample",
            });
        }
    }
    let w = wasserstein_bounds(edges, reference, current);
    let normed = if reference_std > 0.0 {
        BoundedStat::between(w.lower / reference_std, w.upper / reference_std)
    } else {
        w
    };
    let (ks_statistic, ks_p_value) = ks_bounds(reference, current);
    let (mann_whitney_u, mann_whitney_p_value) = mwu_bounds(reference, current)?;
    let q = |p| quantile_bounds(edges, current, p);
    Ok(BoundedDrift {
        ks_statistic,
        ks_p_value,
        mann_whitney_u,
        mann_whitney_p_value,
        wasserstein: w,
        wasserstein_normed: normed,
        current_p25: q(0.25),
        current_median: q(0.5),
        current_p75: q(0.75),
    })
}

/// KS statistic and p-value: the CDF gap is exact at every edge (lower bound) and, inside a
/// bin, at most the gap between one side's right end and the other's left end (upper bound);
/// the reported statistic and the p-value are monotone in the gap.
fn ks_bounds(r: &BinnedSide, c: &BinnedSide) -> (BoundedStat, BoundedStat) {
    let (n, m) = (r.total() as f64, c.total() as f64);
    let (rc, cc) = (r.cumulative(), c.cumulative());
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for i in 0..r.counts.len() {
        let (r0, r1, c0, c1) = (
            rc[i] as f64,
            rc[i + 1] as f64,
            cc[i] as f64,
            cc[i + 1] as f64,
        );
        lo = lo.max((r1 / n - c1 / m).abs());
        hi = hi.max(r1 / n - c0 / m).max(c1 / m - r0 / n);
    }
    let hi = hi.max(lo);
    let (n, m) = (r.total() as usize, c.total() as usize);
    let (a, b): (TestStat, TestStat) = (ks_test_of(n, m, lo), ks_test_of(n, m, hi));
    (
        BoundedStat::between(a.statistic, b.statistic),
        BoundedStat::between(b.p_value, a.p_value),
    )
}

/// The ends `[a, b]` of bin `i`'s values: its edges, the outer bins closed by the range of
/// both sides (empty outer bins give a point).
fn bin_range(edges: &[f64], i: usize, lo: f64, hi: f64) -> (f64, f64) {
    let a = if i == 0 { lo } else { edges[i - 1] };
    let b = if i == edges.len() { hi } else { edges[i] };
    if i == 0 {
        (a.min(b), b)
    } else {
        (a, b.max(a))
    }
}

/// Wasserstein-1 = the integral of |F_r - F_c|. Per bin `(a, b]`: at least |integral of
/// F_r - F_c| (exact from counts and sums: `integral F = b F(b) - a F(a) - sum / n`), at most
/// `(b - a)` times the largest gap the bin allows.
fn wasserstein_bounds(edges: &[f64], r: &BinnedSide, c: &BinnedSide) -> BoundedStat {
    let (n, m) = (r.total() as f64, c.total() as f64);
    let (rc, cc) = (r.cumulative(), c.cumulative());
    let (lo_all, hi_all) = (r.min.min(c.min), r.max.max(c.max));
    let (mut lower, mut upper) = (0.0f64, 0.0f64);
    for i in 0..r.counts.len() {
        let (a, b) = bin_range(edges, i, lo_all, hi_all);
        let (r0, r1, c0, c1) = (
            rc[i] as f64 / n,
            rc[i + 1] as f64 / n,
            cc[i] as f64 / m,
            cc[i + 1] as f64 / m,
        );
        let integral_r = b * r1 - a * r0 - r.sums[i] / n;
        let integral_c = b * c1 - a * c0 - c.sums[i] / m;
        lower += (integral_r - integral_c).abs();
        let gap = (r1 - c0).max(c1 - r0).max((r0 - c0).abs()).max(0.0);
        upper += (b - a) * gap;
    }
    let scale = (hi_all - lo_all) + lo_all.abs().max(hi_all.abs());
    let slack = WASSERSTEIN_ROUNDING_SLACK * scale;
    BoundedStat::between((lower - slack).max(0.0), upper + slack)
}

/// Mann-Whitney U of the reference: pairs in different bins are ordered by their bins; a pair
/// in one bin adds 0, 1/2 or 1. The p-value (normal approximation with continuity and tie
/// correction) is smallest at the U farthest from `n m / 2` with the most ties a bin allows
/// (every value of a bin equal), largest at the nearest U with no ties; where scipy would use
/// the exact distribution (a side of at most 8 values) the p-value is only known in [0, 1].
fn mwu_bounds(r: &BinnedSide, c: &BinnedSide) -> Result<(BoundedStat, BoundedStat)> {
    let (n1, n2) = (r.total() as f64, c.total() as f64);
    let cc = c.cumulative();
    let (mut u_lo, mut same_bin, mut ties_max) = (0.0f64, 0.0f64, 0.0f64);
    for ((r_count, c_count), below) in r.counts.iter().zip(&c.counts).zip(&cc) {
        let (ri, ci) = (*r_count as f64, *c_count as f64);
        u_lo += ri * *below as f64;
        same_bin += ri * ci;
        let t = ri + ci;
        ties_max += t * t * t - t;
    }
    let u_hi = u_lo + same_bin;
    let u = BoundedStat::between(u_lo, u_hi);
    if r.total().min(c.total()) <= 8 {
        return Ok((u, BoundedStat::between(0.0, 1.0)));
    }
    let mu = n1 * n2 / 2.0;
    let dev_max = (u_lo - mu).abs().max((u_hi - mu).abs());
    let dev_min = if (u_lo..=u_hi).contains(&mu) {
        0.0
    } else {
        (u_lo - mu).abs().min((u_hi - mu).abs())
    };
    let nn = n1 + n2;
    let sd = |ties: f64| {
        (n1 * n2 / 12.0 * ((nn + 1.0) - ties / (nn * (nn - 1.0))))
            .max(0.0)
            .sqrt()
    };
    let p = |dev: f64, s: f64| -> Result<f64> {
        let z = (dev - 0.5) / s;
        let p = if z.is_nan() {
            1.0
        } else {
            2.0 * standard_normal_sf(z)?
        };
        Ok(p.clamp(0.0, 1.0))
    };
    let p_lo = p(dev_max, sd(ties_max))?;
    let p_hi = p(dev_min, sd(0.0))?;
    Ok((u, BoundedStat::between(p_lo, p_hi)))
}

/// The current side's quantile at `q` (numpy's "linear" method): between the lowest value the
/// bin of its lower order statistic allows and the highest the bin of its upper one allows.
fn quantile_bounds(edges: &[f64], c: &BinnedSide, q: f64) -> BoundedStat {
    let m = c.total();
    let h = (m - 1) as f64 * q;
    let (lo_rank, hi_rank) = (h.floor() as u64, (h.floor() as u64 + 1).min(m - 1));
    let cc = c.cumulative();
    let bin_of = |rank: u64| cc.partition_point(|k| *k <= rank) - 1;
    let (a, _) = bin_range(edges, bin_of(lo_rank), c.min, c.max);
    let (_, b) = bin_range(edges, bin_of(hi_rank), c.min, c.max);
    BoundedStat::between(a.max(c.min), b.min(c.max))
}
