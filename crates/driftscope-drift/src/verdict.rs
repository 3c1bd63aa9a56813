//! Per-feature comparison, verdict and severity; the dataset verdict.

use driftscope_artifacts::{
    bin_counts_sorted, CategoryCount, DataDriftConfig, Distribution, FeatureProfile, FeatureType,
    ReferenceProfile, ReferenceSample,
};
use rayon::prelude::*;

use crate::{
    chi_square, js_distance, kl_divergence, ks_2samp, mann_whitney, proportions, psi, wasserstein,
    ColumnValues, DriftError, DriftReport, FeatureDrift, Severity,
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

fn empty(profile: &FeatureProfile, current_missing: u64, finding: String) -> FeatureDrift {
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
    }
}

/// No comparison possible: every value is missing on one side.
fn all_missing(profile: &FeatureProfile, current_missing: u64, in_reference: bool) -> FeatureDrift {
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

fn fmt_edge(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Compares one feature's current values with its reference profile. `reference_sorted` is the
/// sorted reference sample (numerical features only).
pub fn compare_feature(
    profile: &FeatureProfile,
    reference_sorted: Option<&[f64]>,
    current: &ColumnValues,
    cfg: &DataDriftConfig,
) -> FeatureDrift {
    let mut out = match (profile.feature_type, current) {
        (_, ColumnValues::NotNumerical { row, value }) => {
            let mut f = empty(
                profile,
                0,
                format!("type changed: the reference is numerical but current row {row} holds {value:?}; no statistic computed"),
            );
            f.drift_detected = true;
            f.severity = Severity::High;
            return f;
        }
        (FeatureType::Numerical, ColumnValues::Numerical { sorted, missing }) => {
            let r = reference_sorted.unwrap_or(&[]);
            if r.is_empty() || sorted.is_empty() {
                return all_missing(profile, *missing, r.is_empty());
            }
            let edges = &profile.bin_edges;
            let counts = bin_counts_sorted(sorted, edges);
            let (p, q) = (proportions(&profile.bin_counts), proportions(&counts));
            let w = wasserstein(r, sorted);
            let std = profile.summary.as_ref().map_or(0.0, |s| s.std);
            let mut labels = Vec::with_capacity(counts.len());
            for i in 0..counts.len() {
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
                labels.push(format!("({lo}, {hi}]"));
            }
            FeatureDrift {
                name: profile.name.clone(),
                feature_type: FeatureType::Numerical,
                reference_missing: profile.missing,
                current_missing: *missing,
                psi: Some(psi(&p, &q)),
                kl_divergence: Some(kl_divergence(&p, &q)),
                js_distance: Some(js_distance(&p, &q)),
                wasserstein: Some(w),
                wasserstein_normed: Some(if std > 0.0 { w / std } else { w }),
                ks: Some(ks_2samp(r, sorted)),
                mann_whitney: Some(mann_whitney(r, sorted)),
                chi_square: None,
                drift_detected: false,
                severity: Severity::None,
                findings: Vec::new(),
                distribution: Some(Distribution {
                    labels,
                    reference: profile.bin_counts.clone(),
                    current: counts,
                }),
                calibrated: None,
            }
        }
        (_, ColumnValues::Numerical { sorted, missing }) => {
            // A categorical reference (e.g. 0/1) read as numbers: compare as text categories.
            let mut counts: Vec<CategoryCount> = Vec::new();
            for v in sorted {
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
            return compare_feature(
                profile,
                reference_sorted,
                &ColumnValues::Categorical {
                    counts,
                    missing: *missing,
                },
                cfg,
            );
        }
        (_, ColumnValues::Categorical { counts, missing }) => {
            if profile.count == 0 || counts.is_empty() {
                return all_missing(profile, *missing, profile.count == 0);
            }
            // Union of categories, sorted; both lists are sorted by value.
            let (rc, cc) = (&profile.categories, counts);
            let (mut i, mut j) = (0, 0);
            let (mut labels, mut rv, mut cv) = (Vec::new(), Vec::new(), Vec::new());
            let mut unseen = Vec::new();
            while i < rc.len() || j < cc.len() {
                let take_r = j >= cc.len() || (i < rc.len() && rc[i].value <= cc[j].value);
                let take_c = i >= rc.len() || (j < cc.len() && cc[j].value <= rc[i].value);
                let label = if take_r {
                    rc[i].value.clone()
                } else {
                    cc[j].value.clone()
                };
                let r = if take_r { rc[i].count } else { 0 };
                let c = if take_c { cc[j].count } else { 0 };
                if r == 0 && c > 0 {
                    unseen.push((label.clone(), c));
                }
                if r + c > 0 {
                    labels.push(label);
                    rv.push(r);
                    cv.push(c);
                }
                i += usize::from(take_r);
                j += usize::from(take_c);
            }
            let mut findings = Vec::new();
            if unseen.len() > MAX_UNSEEN_BINS {
                // Bounded output: every never-seen category goes into one bin.
                let rows: u64 = unseen.iter().map(|u| u.1).sum();
                let keep: Vec<usize> = (0..labels.len()).filter(|&k| rv[k] > 0).collect();
                labels = keep.iter().map(|&k| labels[k].clone()).collect();
                rv = keep.iter().map(|&k| rv[k]).collect();
                cv = keep.iter().map(|&k| cv[k]).collect();
                labels.push(format!("({} unseen categories)", unseen.len()));
                rv.push(0);
                cv.push(rows);
                findings.push(format!(
                    "{} categories never seen in the reference ({rows} rows) are merged into one \
                     bin for the statistics",
                    unseen.len()
                ));
            }
            if !unseen.is_empty() {
                unseen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let mut listed: Vec<String> = unseen
                    .iter()
                    .take(MAX_UNSEEN_LISTED)
                    .map(|(label, c)| format!("{label:?} ({c} rows)"))
                    .collect();
                if unseen.len() > MAX_UNSEEN_LISTED {
                    listed.push(format!("and {} more", unseen.len() - MAX_UNSEEN_LISTED));
                }
                findings.push(format!(
                    "categories never seen in the reference: {}",
                    listed.join(", ")
                ));
            }
            let (p, q) = (proportions(&rv), proportions(&cv));
            FeatureDrift {
                name: profile.name.clone(),
                feature_type: FeatureType::Categorical,
                reference_missing: profile.missing,
                current_missing: *missing,
                psi: Some(psi(&p, &q)),
                kl_divergence: Some(kl_divergence(&p, &q)),
                js_distance: Some(js_distance(&p, &q)),
                wasserstein: None,
                wasserstein_normed: None,
                ks: None,
                mann_whitney: None,
                chi_square: chi_square(&rv, &cv),
                drift_detected: false,
                severity: Severity::None,
                findings,
                distribution: Some(Distribution {
                    labels,
                    reference: rv,
                    current: cv,
                }),
                calibrated: None,
            }
        }
    };
    let (psi, kl) = (out.psi.unwrap_or(0.0), out.kl_divergence.unwrap_or(0.0));
    out.drift_detected = psi >= cfg.psi_threshold || kl >= cfg.kl_divergence_threshold;
    out.severity = severity(psi, out.drift_detected, cfg);
    out
}

/// Above this many categories never seen in the reference, they are merged into one bin.
pub const MAX_UNSEEN_BINS: usize = 50;
/// Never-seen categories named in a finding (the most frequent first).
pub const MAX_UNSEEN_LISTED: usize = 10;

/// The current batch: row count, the values of each reference feature it has (`None` where the
/// column is absent), and the columns the reference does not know.
#[derive(Debug, Clone)]
pub struct CurrentBatch {
    /// Data rows.
    pub rows: u64,
    /// One entry per reference feature, in the profile's order.
    pub values: Vec<Option<ColumnValues>>,
    /// Columns present only in the current batch.
    pub extra_columns: Vec<String>,
}

/// Compares a batch with a reference profile and sample, features in parallel.
pub fn drift_report(
    profile: &ReferenceProfile,
    sample: &ReferenceSample,
    current: &CurrentBatch,
    cfg: &DataDriftConfig,
) -> Result<DriftReport, DriftError> {
    let mut refs = Vec::with_capacity(profile.features.len());
    for f in &profile.features {
        let s = match f.feature_type {
            FeatureType::Numerical => Some(
                sample
                    .columns
                    .iter()
                    .find(|c| c.name == f.name)
                    .map(|c| c.sorted_values.as_slice())
                    .ok_or_else(|| DriftError::MissingSample(f.name.clone()))?,
            ),
            _ => None,
        };
        refs.push(s);
    }
    let compared: Vec<Option<FeatureDrift>> = profile
        .features
        .par_iter()
        .zip(refs.par_iter())
        .zip(current.values.par_iter())
        .map(|((f, r), cur)| cur.as_ref().map(|c| compare_feature(f, *r, c, cfg)))
        .collect();
    let mut features: Vec<FeatureDrift> = Vec::new();
    let mut missing_columns = Vec::new();
    for (f, c) in profile.features.iter().zip(compared) {
        match c {
            Some(c) => features.push(c),
            None => missing_columns.push(f.name.clone()),
        }
    }
    let checked = features
        .iter()
        .filter(|f| f.psi.is_some() || f.drift_detected)
        .count() as u64;
    let drifted_features: Vec<String> = features
        .iter()
        .filter(|f| f.drift_detected)
        .map(|f| f.name.clone())
        .collect();
    let calibrated_drifted_features = crate::calibrate(&mut features, cfg);
    let drift_share = if checked == 0 {
        0.0
    } else {
        drifted_features.len() as f64 / checked as f64
    };
    Ok(DriftReport {
        reference_rows: profile.rows,
        current_rows: current.rows,
        features_checked: checked,
        dataset_drift: checked > 0 && drift_share >= cfg.dataset_drift_share,
        drift_share,
        drifted_features,
        excluded_columns: profile.excluded.clone(),
        missing_columns,
        extra_columns: current.extra_columns.clone(),
        features,
        calibrated_drifted_features,
    })
}
