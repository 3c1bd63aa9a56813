//! Per-feature comparison, verdict and severity.

use driftscope_artifacts::{
    CategoryCount, DataDriftConfig, Distribution, FeatureProfile, FeatureType, NumericSummary,
};

use crate::binning::{check_edges, counts_of};
use crate::categories::compare_categorical;
use crate::histogram::value_histogram;
use crate::{
    js_distance, kl_divergence, ks_2samp, mann_whitney, proportions, psi, wasserstein,
    ColumnValues, FeatureDrift, Result, Severity, Sorted,
};

/// PSI at this multiple of `data_drift.psi_threshold` is `high` severity (`stats-spec.md`):
/// twice the drift line is a shift no sampling noise explains at any usual batch size.
pub const HIGH_PSI_MULTIPLE: f64 = 2.0;

/// PSI at this fraction of `data_drift.psi_threshold` is `low` severity when not drifted
/// (`stats-spec.md`): worth a look, as the shift is half way to the drift line.
pub const LOW_PSI_FRACTION: f64 = 0.5;

/// Severity per `stats-spec.md`: `high` when psi >= 2 x threshold; `medium` when drifted
/// otherwise; `low` when not drifted but psi >= half the threshold (0.1 at the default 0.2);
/// else `none`.
///
/// # Example
/// ```
/// use driftscope_drift::{severity, DataDriftConfig, Severity};
/// let cfg = DataDriftConfig::default();
/// assert_eq!(severity(0.5, true, &cfg), Severity::High);
/// assert_eq!(severity(0.05, false, &cfg), Severity::None);
/// ```
pub fn severity(psi: f64, drift_detected: bool, cfg: &DataDriftConfig) -> Severity {
    if psi >= HIGH_PSI_MULTIPLE * cfg.psi_threshold {
        Severity::High
    } else if drift_detected {
        Severity::Medium
    } else if psi >= cfg.psi_threshold * LOW_PSI_FRACTION {
        Severity::Low
    } else {
        Severity::None
    }
}

/// A feature with no statistic and one finding.
pub(crate) fn empty(
    profile: &FeatureProfile,
    current_missing: u64,
    finding: String,
) -> FeatureDrift {
    FeatureDrift {
        name: profile.name.clone(),
        feature_type: profile.feature_type,
        reference_missing: profile.missing,
        current_missing,
        psi: None,
        kl_divergence: None,
        js_distance: None,
        wasserstein: None,
        wasserstein_normed: None,
        ks: None,
        mann_whitney: None,
        chi_square: None,
        drift_detected: false,
        severity: Severity::None,
        findings: vec![finding],
        distribution: None,
        calibrated: None,
        bounded: None,
        current_summary: None,
        value_histogram: None,
    }
}

/// No comparison possible: every value is missing on one side.
pub(crate) fn all_missing(
    profile: &FeatureProfile,
    current_missing: u64,
    in_reference: bool,
) -> FeatureDrift {
    let which = if in_reference {
        "reference"
    } else {
        "current batch"
    };
    empty(
        profile,
        current_missing,
        format!("every value is missing in the {which}; no statistic computed"),
    )
}

/// A numerical reference, but the current column holds text: drifted, high severity.
fn type_changed(profile: &FeatureProfile, row: usize, value: &str) -> FeatureDrift {
    let mut f = empty(
        profile,
        0,
        format!("type changed: the reference is numerical but current row {row} holds {value:?}; no statistic computed"),
    );
    f.drift_detected = true;
    f.severity = Severity::High;
    f
}

/// A number as category text: at most 6 decimals, no trailing zeros, no `-0`.
fn fmt_edge(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Labels of the bins `(-inf, e1], (e1, e2], ..., (ek, +inf]`.
fn bin_labels(edges: &[f64]) -> Vec<String> {
    (0..=edges.len())
        .map(|i| {
            let lo = if i == 0 {
                "-inf".to_string()
            } else {
                fmt_edge(edges[i - 1])
            };
            let hi = if i == edges.len() {
                "+inf".to_string()
            } else {
                fmt_edge(edges[i])
            };
            format!("({lo}, {hi}]")
        })
        .collect()
}

/// Numbers counted as categories by their text, sorted by text (a categorical reference, such
/// as 0/1, read as numbers).
fn numbers_as_categories(values: &[f64]) -> Vec<CategoryCount> {
    let mut counts: Vec<CategoryCount> = Vec::new();
    for v in values {
        let text = fmt_edge(*v);
        match counts.iter_mut().find(|c| c.value == text) {
            Some(c) => c.count += 1,
            None => counts.push(CategoryCount {
                value: text,
                count: 1,
            }),
        }
    }
    counts.sort_by(|a, b| a.value.cmp(&b.value));
    counts
}

/// Every numerical statistic of a feature: binned distances over the profile's bins, and
/// Wasserstein, KS and Mann-Whitney against the reference sample.
fn compare_numerical(
    profile: &FeatureProfile,
    reference: &[f64],
    current: &[f64],
    missing: u64,
) -> Result<FeatureDrift> {
    if reference.is_empty() || current.is_empty() {
        return Ok(all_missing(profile, missing, reference.is_empty()));
    }
    let (r, c) = (
        Sorted::from_sorted(reference)?,
        Sorted::from_sorted(current)?,
    );
    let edges = &profile.bin_edges;
    check_edges(edges)?;
    let counts = counts_of(current, edges);
    let (p, q) = (proportions(&profile.bin_counts), proportions(&counts));
    let w = wasserstein(&r, &c)?;
    let std = profile.summary.as_ref().map_or(0.0, |s| s.std);
    Ok(FeatureDrift {
        name: profile.name.clone(),
        feature_type: FeatureType::Numerical,
        reference_missing: profile.missing,
        current_missing: missing,
        psi: Some(psi(&p, &q)?),
        kl_divergence: Some(kl_divergence(&p, &q)?),
        js_distance: Some(js_distance(&p, &q)?),
        wasserstein: Some(w),
        wasserstein_normed: Some(if std > 0.0 { w / std } else { w }),
        ks: Some(ks_2samp(&r, &c)?),
        mann_whitney: Some(mann_whitney(&r, &c)?),
        chi_square: None,
        drift_detected: false,
        severity: Severity::None,
        findings: Vec::new(),
        distribution: Some(Distribution {
            labels: bin_labels(edges),
            reference: profile.bin_counts.clone(),
            current: counts,
        }),
        calibrated: None,
        bounded: None,
        current_summary: NumericSummary::of_sorted(current),
        value_histogram: Some(value_histogram(reference, current)),
    })
}

/// A numerical feature whose current values are fine-bin counts (a profile past its value
/// cap): PSI, KL, JS and the binned distribution exact (the PSI edges are among the fine
/// edges), KS, Mann-Whitney and Wasserstein bounded (`bounded`), then the default verdict.
pub(crate) fn compare_binned(
    profile: &FeatureProfile,
    reference: &[f64],
    current: &crate::BinnedSide,
    fine_edges: &[f64],
    missing: u64,
    cfg: &DataDriftConfig,
) -> Result<FeatureDrift> {
    if reference.is_empty() {
        return Ok(all_missing(profile, missing, true));
    }
    let edges = &profile.bin_edges;
    check_edges(edges)?;
    // Fine bin i is (f_{i-1}, f_i]; it lies in PSI bin searchsorted(edges, f_i, "left").
    let mut counts = vec![0u64; edges.len() + 1];
    for (i, c) in current.counts.iter().enumerate() {
        let bin = fine_edges
            .get(i)
            .map_or(edges.len(), |f| edges.partition_point(|e| e < f));
        counts[bin] += c;
    }
    if let Some(e) = edges.iter().find(|e| !fine_edges.iter().any(|f| f == *e)) {
        return Err(crate::DriftError::InvalidArgument(format!(
            "feature {:?}: PSI edge {e} is not among the profile's fine edges; profile the batch \
             against this reference",
            profile.name
        )));
    }
    let (p, q) = (proportions(&profile.bin_counts), proportions(&counts));
    let reference = crate::BinnedSide::of_sorted(reference, fine_edges)?;
    let std = profile.summary.as_ref().map_or(0.0, |s| s.std);
    let bounded = crate::bounded_drift(fine_edges, &reference, current, std)?;
    let mut f = empty(
        profile,
        missing,
        "compared through fine bins (the current profile is past its value cap): ks, \
         mann_whitney and wasserstein are given with bounds in `bounded`"
            .to_string(),
    );
    f.psi = Some(psi(&p, &q)?);
    f.kl_divergence = Some(kl_divergence(&p, &q)?);
    f.js_distance = Some(js_distance(&p, &q)?);
    f.distribution = Some(Distribution {
        labels: bin_labels(edges),
        reference: profile.bin_counts.clone(),
        current: counts,
    });
    f.bounded = Some(bounded);
    Ok(apply_verdict(f, cfg))
}

/// The default verdict (`stats-spec.md`) on a feature that has statistics.
fn apply_verdict(mut f: FeatureDrift, cfg: &DataDriftConfig) -> FeatureDrift {
    if let Some(psi) = f.psi {
        let kl = f.kl_divergence.unwrap_or(0.0);
        f.drift_detected = psi >= cfg.psi_threshold || kl >= cfg.kl_divergence_threshold;
        f.severity = severity(psi, f.drift_detected, cfg);
    }
    f
}

/// [`compare_feature`], with bad input (unsorted or non-finite values, a profile whose bins do
/// not fit together) as an error.
pub(crate) fn try_compare_feature(
    profile: &FeatureProfile,
    reference_sorted: Option<&[f64]>,
    current: &ColumnValues,
    cfg: &DataDriftConfig,
) -> Result<FeatureDrift> {
    let compared = match (profile.feature_type, current) {
        (_, ColumnValues::NotNumerical { row, value }) => type_changed(profile, *row, value),
        (FeatureType::Numerical, ColumnValues::Numerical { sorted, missing }) => {
            compare_numerical(profile, reference_sorted.unwrap_or(&[]), sorted, *missing)?
        }
        (_, ColumnValues::Numerical { sorted, missing }) => {
            compare_categorical(profile, &numbers_as_categories(sorted), *missing)?
        }
        (_, ColumnValues::Categorical { counts, missing }) => {
            compare_categorical(profile, counts, *missing)?
        }
    };
    Ok(apply_verdict(compared, cfg))
}

/// Compares one feature's current values with its reference profile. `reference_sorted` is the
/// sorted reference sample (numerical features only). Bad input (unsorted or non-finite values,
/// a profile whose bins do not fit together) gives a feature with no statistic and a finding
/// that says why; [`drift_report`](crate::drift_report) returns it as an error instead.
///
/// # Example
/// ```
/// use driftscope_drift::{compare_feature, numerical_profile, ColumnValues, DataDriftConfig, Sorted};
/// let r: Vec<f64> = (0..100).map(f64::from).collect();
/// let profile = numerical_profile("x", &Sorted::from_sorted(&r).unwrap(), 0, 10).unwrap();
/// let current = ColumnValues::Numerical { sorted: r.clone(), missing: 0 };
/// let f = compare_feature(&profile, Some(&r), &current, &DataDriftConfig::default());
/// assert_eq!(f.psi, Some(0.0));
/// assert!(!f.drift_detected);
/// ```
pub fn compare_feature(
    profile: &FeatureProfile,
    reference_sorted: Option<&[f64]>,
    current: &ColumnValues,
    cfg: &DataDriftConfig,
) -> FeatureDrift {
    try_compare_feature(profile, reference_sorted, current, cfg).unwrap_or_else(|e| {
        let missing = match current {
            ColumnValues::Numerical { missing, .. } | ColumnValues::Categorical { missing, .. } => {
                *missing
            }
            ColumnValues::NotNumerical { .. } => 0,
        };
        empty(
            profile,
            missing,
            format!("invalid input: {e}; no statistic computed"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numerical_profile;

    fn setup() -> (FeatureProfile, Vec<f64>) {
        let r: Vec<f64> = (0..100).map(f64::from).collect();
        let p = numerical_profile("x", &Sorted::from_sorted(&r).unwrap(), 0, 10).unwrap();
        (p, r)
    }

    #[test]
    fn unsorted_nan_and_broken_profiles_are_findings_not_answers() {
        let (profile, r) = setup();
        let cfg = DataDriftConfig::default();
        let cur = |v: Vec<f64>| ColumnValues::Numerical {
            sorted: v,
            missing: 0,
        };
        for bad in [vec![3.0, 1.0, 2.0], vec![1.0, f64::NAN]] {
            let f = compare_feature(&profile, Some(&r), &cur(bad.clone()), &cfg);
            assert_eq!(f.psi, None);
            assert!(
                f.findings[0].starts_with("invalid input"),
                "{:?}",
                f.findings
            );
            assert!(try_compare_feature(&profile, Some(&r), &cur(bad), &cfg).is_err());
        }
        let unsorted_ref = [5.0, 1.0];
        assert!(try_compare_feature(&profile, Some(&unsorted_ref), &cur(vec![1.0]), &cfg).is_err());
        let mut broken = profile.clone();
        broken.bin_counts.pop();
        assert!(try_compare_feature(&broken, Some(&r), &cur(vec![1.0]), &cfg).is_err());
        // Empty current values: no statistic, not an error.
        let f = try_compare_feature(&profile, Some(&r), &cur(vec![]), &cfg).unwrap();
        assert_eq!(f.psi, None);
    }

    #[test]
    fn labels_cover_every_bin() {
        assert_eq!(bin_labels(&[1.5]), vec!["(-inf, 1.5]", "(1.5, +inf]"]);
        assert_eq!(fmt_edge(-0.0), "0");
    }
}
