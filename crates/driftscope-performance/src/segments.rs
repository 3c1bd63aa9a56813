//! Where a concept drift is: per segment (each category of a categorical feature, each
//! reference quantile bin of a numerical one), the realized positive rate against the mean
//! calibrated probability, with Holm's multiple-testing control. Definitions:
//! `docs/calibration.md` ("Segment localization").

use driftscope_artifacts::{SegmentAnalysis, SegmentGap};

use crate::PerformanceError;

/// Family-wise error rate of Holm's procedure over a batch's segments: at most a 5% chance
/// that any listed segment is listed by noise alone (when the probabilities are calibrated in
/// every segment).
pub const SEGMENT_ALPHA: f64 = 0.05;

/// Fewest rows a segment is tested on: below about 30 rows the normal approximation of the
/// segment's positive count is poor and a gap is rarely actionable.
pub const SEGMENT_MIN_ROWS: u64 = 30;

/// Most segments listed: the site shows the first; the rest say how far the drift reaches.
pub const SEGMENTS_LISTED: usize = 10;

/// A feature's segment of every row: `codes[i]` indexes `labels` (`None` when the row has no
/// segment, e.g. a missing value).
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentColumn {
    /// The feature.
    pub feature: String,
    /// Segment names.
    pub labels: Vec<String>,
    /// Per row, the segment (index into `labels`).
    pub codes: Vec<Option<u32>>,
}

/// Sums over a segment's rows.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    rows: u64,
    positives: f64,
    p: f64,
    var: f64,
    errors: f64,
    expected_errors: f64,
}

impl Sums {
    fn add(&mut self, y: bool, p: f64, threshold: f64) {
        let predicted = p >= threshold;
        self.rows += 1;
        self.positives += f64::from(u8::from(y));
        self.p += p;
        self.var += p * (1.0 - p);
        self.errors += f64::from(u8::from(y != predicted));
        self.expected_errors += if predicted { 1.0 - p } else { p };
    }

    fn z(&self) -> f64 {
        (self.positives - self.p) / self.var.max(1e-12).sqrt()
    }
}

/// The segments of a labelled batch whose realized positive rate departs from the expected one
/// (the mean calibrated probability). Each segment with at least [`SEGMENT_MIN_ROWS`] rows is
/// tested with `z = (positives - sum p) / sqrt(sum p (1 - p))` (two-sided normal p-value);
/// Holm's procedure over all tested segments keeps those significant at [`SEGMENT_ALPHA`].
/// Features are ranked by their heterogeneity `sum_s z_s^2 - z^2` (their segments' squared
/// scores less the whole batch's, floored at 0: how much the gap differs between the
/// feature's segments), segments within a feature by the absolute positive-rate gap; at most
/// [`SEGMENTS_LISTED`] are returned. Labels, probabilities and every column's codes must have
/// one entry per row.
///
/// # Example
/// ```
/// use driftscope_performance::{locate_segments, SegmentColumn};
/// // 100 rows at p = 0.2; the 50 in segment "b" are all positive.
/// let p = vec![0.2; 100];
/// let y: Vec<bool> = (0..100).map(|i| i >= 50).collect();
/// let col = SegmentColumn {
///     feature: "plan".into(),
///     labels: vec!["a".into(), "b".into()],
///     codes: (0..100).map(|i| Some(u32::from(i >= 50))).collect(),
/// };
/// let s = locate_segments(&y, &p, 0.5, &[col]).unwrap();
/// assert_eq!(s.segments[0].segment, "b");
/// assert_eq!(s.segments[0].positive_rate, 1.0);
/// ```
pub fn locate_segments(
    labels: &[bool],
    probabilities: &[f64],
    threshold: f64,
    columns: &[SegmentColumn],
) -> Result<SegmentAnalysis, PerformanceError> {
    let n = labels.len();
    let lengths = std::iter::once(probabilities.len()).chain(columns.iter().map(|c| c.codes.len()));
    for scores in lengths {
        if scores != n {
            return Err(PerformanceError::LengthMismatch { labels: n, scores });
        }
    }
    let mut total = Sums::default();
    for (y, p) in labels.iter().zip(probabilities) {
        total.add(*y, *p, threshold);
    }
    let mut tested: Vec<(SegmentGap, f64)> = Vec::new();
    for c in columns {
        let sums = segment_sums(c, labels, probabilities, threshold);
        let kept: Vec<(usize, Sums)> = sums
            .into_iter()
            .enumerate()
            .filter(|(_, s)| s.rows >= SEGMENT_MIN_ROWS)
            .collect();
        let heterogeneity =
            (kept.iter().map(|(_, s)| s.z().powi(2)).sum::<f64>() - total.z().powi(2)).max(0.0);
        for (k, s) in kept {
            let gap = segment_gap(&c.feature, &c.labels[k], &s, heterogeneity);
            tested.push((gap, s.positives / s.rows as f64 - s.p / s.rows as f64));
        }
    }
    holm(&mut tested);
    let segments_tested = tested.len() as u64;
    let mut significant: Vec<(SegmentGap, f64)> = tested
        .into_iter()
        .filter(|(g, _)| g.adjusted_p_value < SEGMENT_ALPHA)
        .collect();
    significant.sort_by(|(a, ga), (b, gb)| {
        b.feature_heterogeneity
            .total_cmp(&a.feature_heterogeneity)
            .then(a.feature.cmp(&b.feature))
            .then(gb.abs().total_cmp(&ga.abs()))
            .then(a.segment.cmp(&b.segment))
    });
    significant.truncate(SEGMENTS_LISTED);
    Ok(SegmentAnalysis {
        alpha: SEGMENT_ALPHA,
        segments_tested,
        segments: significant.into_iter().map(|(g, _)| g).collect(),
    })
}

/// Sums per segment of one column (rows without a segment, or with a code outside the labels,
/// are left out).
fn segment_sums(
    c: &SegmentColumn,
    labels: &[bool],
    probabilities: &[f64],
    threshold: f64,
) -> Vec<Sums> {
    let mut sums = vec![Sums::default(); c.labels.len()];
    for ((code, y), p) in c.codes.iter().zip(labels).zip(probabilities) {
        if let Some(s) = code.and_then(|k| sums.get_mut(k as usize)) {
            s.add(*y, *p, threshold);
        }
    }
    sums
}

fn segment_gap(feature: &str, segment: &str, s: &Sums, heterogeneity: f64) -> SegmentGap {
    let rows = s.rows as f64;
    let z = s.z();
    SegmentGap {
        feature: feature.to_string(),
        segment: segment.to_string(),
        rows: s.rows,
        positive_rate: s.positives / rows,
        expected_positive_rate: s.p / rows,
        error_rate: s.errors / rows,
        expected_error_rate: s.expected_errors / rows,
        z,
        p_value: erfc(z.abs() / std::f64::consts::SQRT_2),
        adjusted_p_value: 1.0,
        feature_heterogeneity: heterogeneity,
    }
}

/// Holm's step-down adjusted p-values: with the `m` p-values sorted ascending,
/// `adjusted_(i) = max_{j <= i} min(1, (m - j) p_(j))` (0-based `j`).
fn holm(tested: &mut [(SegmentGap, f64)]) {
    let m = tested.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| tested[*a].0.p_value.total_cmp(&tested[*b].0.p_value));
    let mut running: f64 = 0.0;
    for (j, i) in order.into_iter().enumerate() {
        running = running.max(((m - j) as f64 * tested[i].0.p_value).min(1.0));
        tested[i].0.adjusted_p_value = running;
    }
}

/// Complementary error function (W. J. Cody's rational Chebyshev approximation as in
/// Numerical Recipes' `erfcc`: relative error below 1.2e-7 everywhere).
pub(crate) fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_equals_scipy() {
        // scipy.special.erfc (scipy 1.17.1) at 0, 0.5, 1, 2, 3, -1.
        let cases = [
            (0.0, 1.0),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_16),
            (2.0, 0.004_677_734_981_047_266),
            (3.0, 2.209_049_699_858_544_5e-5),
            (-1.0, 1.842_700_792_949_714_8),
        ];
        for (x, want) in cases {
            let got = erfc(x);
            assert!(
                ((got - want) / want).abs() < 1.2e-7,
                "erfc({x}) = {got}, want {want}"
            );
        }
    }

    #[test]
    fn holm_equals_its_definition() {
        // p = [0.01, 0.04, 0.03, 0.005]: sorted 0.005, 0.01, 0.03, 0.04 -> 4 x 0.005 = 0.02,
        // 3 x 0.01 = 0.03, 2 x 0.03 = 0.06, max(0.06, 1 x 0.04) = 0.06 (statsmodels'
        // multipletests(method="holm") gives the same).
        let mut t: Vec<(SegmentGap, f64)> = [0.01, 0.04, 0.03, 0.005]
            .iter()
            .map(|p| {
                let mut g = segment_gap("f", "s", &Sums::default(), 0.0);
                g.p_value = *p;
                (g, 0.0)
            })
            .collect();
        holm(&mut t);
        let adjusted: Vec<f64> = t.iter().map(|(g, _)| g.adjusted_p_value).collect();
        let want = [0.03, 0.06, 0.06, 0.02];
        for (a, w) in adjusted.iter().zip(want) {
            assert!((a - w).abs() < 1e-15, "{adjusted:?}");
        }
    }

    /// 3,000 rows: a categorical "plan" (a, b, c in turn) and a numerical-like "age" in 10
    /// bins (i / 300); p alternates 0.1 and 0.3. In plan "b" labels follow `flip`.
    fn batch(flip: impl Fn(usize) -> bool) -> (Vec<bool>, Vec<f64>, Vec<SegmentColumn>) {
        let n = 3000;
        let p: Vec<f64> = (0..n).map(|i| if i % 2 == 0 { 0.1 } else { 0.3 }).collect();
        // Calibrated labels: 1 in 10 of the p = 0.1 rows and 3 in 10 of the p = 0.3 rows.
        let y: Vec<bool> = (0..n)
            .map(|i| {
                if i % 3 == 1 {
                    flip(i)
                } else if i % 2 == 0 {
                    (i / 6) % 10 == 0
                } else {
                    (i / 6) % 10 < 3
                }
            })
            .collect();
        let plan = SegmentColumn {
            feature: "plan".into(),
            labels: vec!["a".into(), "b".into(), "c".into()],
            codes: (0..n).map(|i| Some((i % 3) as u32)).collect(),
        };
        let age = SegmentColumn {
            feature: "age".into(),
            labels: (0..10).map(|k| format!("bin {k}")).collect(),
            codes: (0..n).map(|i| Some((i / 300) as u32)).collect(),
        };
        (y, p, vec![age, plan])
    }

    #[test]
    fn the_drifted_segment_comes_first() {
        // Plan "b" churns with 0.8 instead of 0.1-0.3.
        let (y, p, cols) = batch(|i| (i / 3) % 5 != 0);
        let s = locate_segments(&y, &p, 0.5, &cols).unwrap();
        assert_eq!(s.segments_tested, 13);
        let top = &s.segments[0];
        assert_eq!((top.feature.as_str(), top.segment.as_str()), ("plan", "b"));
        assert_eq!(top.rows, 1000);
        assert!((top.positive_rate - 0.8).abs() < 1e-12);
        assert!((top.expected_positive_rate - 0.2).abs() < 1e-12);
        // Every row is predicted negative: the error rate is the positive rate.
        assert_eq!(top.error_rate, top.positive_rate);
        // Age bins mix the three plans evenly: each has plan b's excess (and may be listed),
        // but the bins do not differ from each other, so age ranks after plan.
        let first_age = s.segments.iter().position(|g| g.feature == "age");
        let last_plan = s.segments.iter().rposition(|g| g.feature == "plan");
        assert!(first_age.is_none_or(|a| last_plan.unwrap() < a), "{s:?}");
        assert!(s.segments[0].feature_heterogeneity > 100.0, "{s:?}");
        // Hand value: z = (800 - 200) / sqrt(500 * 0.09 + 500 * 0.21) = 600 / sqrt(150).
        assert!((top.z - 600.0 / 150f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn calibrated_batches_list_nothing_and_bad_lengths_are_errors() {
        // Plan "b" as calibrated as the rest.
        let (y, p, cols) = batch(|i| {
            if i % 2 == 0 {
                (i / 6) % 10 == 0
            } else {
                (i / 6) % 10 < 3
            }
        });
        let s = locate_segments(&y, &p, 0.5, &cols).unwrap();
        assert!(s.segments.is_empty(), "{s:?}");
        assert!(locate_segments(&y[1..], &p, 0.5, &cols).is_err());
        let mut short = cols.clone();
        short[0].codes.pop();
        assert!(locate_segments(&y, &p, 0.5, &short).is_err());
        // Segments below SEGMENT_MIN_ROWS are not tested; rows without a segment are left out.
        let tiny = SegmentColumn {
            feature: "tiny".into(),
            labels: vec!["x".into()],
            codes: (0..3000).map(|i| (i < 29).then_some(0)).collect(),
        };
        assert_eq!(
            locate_segments(&y, &p, 0.5, &[tiny])
                .unwrap()
                .segments_tested,
            0
        );
    }
}
