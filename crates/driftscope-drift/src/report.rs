//! The drift report of a batch: every feature compared with the reference (in parallel), the
//! dataset verdict and the size-aware verdict.

use driftscope_artifacts::{DataDriftConfig, FeatureType, ReferenceProfile, ReferenceSample};
use rayon::prelude::*;

use crate::verdict::try_compare_feature;
use crate::{ColumnValues, DriftError, DriftReport, FeatureDrift, Result};

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

/// The sorted reference sample of each profile feature (numerical features only).
pub(crate) fn reference_samples<'a>(
    profile: &ReferenceProfile,
    sample: &'a ReferenceSample,
) -> Result<Vec<Option<&'a [f64]>>> {
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
    Ok(refs)
}

/// Compares a batch with a reference profile and sample, features in parallel. A numerical
/// feature without a reference sample, values that are not sorted or not finite, and a profile
/// whose bins do not fit together are errors.
///
/// # Example
/// ```
/// use driftscope_drift::{drift_report, feature_profile, ColumnValues, CurrentBatch,
///     DataDriftConfig, ReferenceProfile, ReferenceSample, SampleColumn};
/// let values = ColumnValues::Numerical { sorted: (0..50).map(f64::from).collect(), missing: 0 };
/// let profile = ReferenceProfile {
///     model_version: "none".into(), rows: 50, n_bins: 10, target: String::new(),
///     target_counts: vec![], excluded: vec![], predictions: None,
///     features: vec![feature_profile("x", &values, 10).unwrap().unwrap()],
/// };
/// let sample = ReferenceSample {
///     model_version: "none".into(), predictions: vec![],
///     columns: vec![SampleColumn { name: "x".into(), sorted_values: (0..50).map(f64::from).collect() }],
/// };
/// let batch = CurrentBatch { rows: 50, values: vec![Some(values)], extra_columns: vec![] };
/// let report = drift_report(&profile, &sample, &batch, &DataDriftConfig::default()).unwrap();
/// assert!(!report.dataset_drift);
/// assert_eq!(report.features[0].psi, Some(0.0));
/// ```
pub fn drift_report(
    profile: &ReferenceProfile,
    sample: &ReferenceSample,
    current: &CurrentBatch,
    cfg: &DataDriftConfig,
) -> Result<DriftReport> {
    let refs = reference_samples(profile, sample)?;
    let compared: Vec<Option<FeatureDrift>> = profile
        .features
        .par_iter()
        .zip(refs.par_iter())
        .zip(current.values.par_iter())
        .map(|((f, r), cur)| {
            cur.as_ref()
                .map(|c| try_compare_feature(f, *r, c, cfg))
                .transpose()
        })
        .collect::<Result<_>>()?;
    Ok(assemble(
        profile,
        compared,
        current.rows,
        current.extra_columns.clone(),
        cfg,
    ))
}

/// The report of features already compared (`None`: the column is absent from the batch):
/// missing columns, the dataset verdict and the size-aware verdict.
pub(crate) fn assemble(
    profile: &ReferenceProfile,
    compared: Vec<Option<FeatureDrift>>,
    current_rows: u64,
    extra_columns: Vec<String>,
    cfg: &DataDriftConfig,
) -> DriftReport {
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
    DriftReport {
        reference_rows: profile.rows,
        current_rows,
        features_checked: checked,
        dataset_drift: checked > 0 && drift_share >= cfg.dataset_drift_share,
        drift_share,
        drifted_features,
        excluded_columns: profile.excluded.clone(),
        missing_columns,
        extra_columns,
        features,
        calibrated_drifted_features,
        alert_verdict: cfg.alert_verdict,
    }
}
