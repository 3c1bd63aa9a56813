//! A batch given as a profile (`driftscope-profile`) instead of rows: the column values the
//! statistics take, rebuilt exactly from the value->count maps (the map keeps every value's bits
//! in total order, so the rebuilt column is the sorted column of the rows, bit for bit, and the
//! report equals the report from the rows byte for byte).

use driftscope_artifacts::{
    ColumnValues, DataDriftConfig, DriftReport, ReferenceProfile, ReferenceSample,
};
use driftscope_profile::{BatchProfile, ColumnData, ColumnProfile, NumericDistribution};
use rayon::prelude::*;

use crate::report::{assemble, reference_samples};
use crate::verdict::{compare_binned, try_compare_feature};
use crate::{BinnedSide, CurrentBatch, DriftError, FeatureDrift, Result};

/// The drift report of a batch given as a profile: every column with a value->count map
/// exactly as from the rows (byte-identical report), a numerical column past the value cap
/// through its fine bins (PSI, KL, JS exact; KS, Mann-Whitney, Wasserstein and the current
/// quantiles in `bounded`, with their bounds). Errors as [`crate::drift_report`] and
/// [`current_from_profile`] give them.
pub fn drift_report_of_profile(
    profile: &ReferenceProfile,
    sample: &ReferenceSample,
    batch: &BatchProfile,
    cfg: &DataDriftConfig,
) -> Result<DriftReport> {
    let refs = reference_samples(profile, sample)?;
    let compared: Vec<Option<FeatureDrift>> = profile
        .features
        .par_iter()
        .zip(refs.par_iter())
        .map(|(f, r)| {
            let Some(c) = batch.column(&f.name) else {
                return Ok(None);
            };
            check_column(f, c)?;
            if let ColumnData::Numerical(n) = &c.data {
                if let NumericDistribution::Binned(b) = &n.distribution {
                    let (Some(min), Some(max)) = (n.min, n.max) else {
                        return Ok(Some(crate::verdict::all_missing(f, c.missing(), false)));
                    };
                    let side = BinnedSide {
                        counts: b.counts.clone(),
                        sums: b.sums.clone(),
                        min,
                        max,
                    };
                    let r = r.unwrap_or(&[]);
                    return compare_binned(f, r, &side, &n.fine_edges, c.missing(), cfg).map(Some);
                }
            }
            try_compare_feature(f, *r, &column_values(c)?, cfg).map(Some)
        })
        .collect::<Result<_>>()?;
    Ok(assemble(
        profile,
        compared,
        batch.rows,
        batch.extra_columns.clone(),
        cfg,
    ))
}

/// A profiled column fits the reference feature: same type, no infinite values.
fn check_column(f: &driftscope_artifacts::FeatureProfile, c: &ColumnProfile) -> Result<()> {
    if c.feature_type != f.feature_type {
        return Err(DriftError::InvalidArgument(format!(
            "profile column {:?} was profiled as {}, the reference has it {}; \
             profile the batch against this reference",
            c.name, c.feature_type, f.feature_type
        )));
    }
    if c.pos_inf + c.neg_inf > 0 {
        return Err(DriftError::InvalidArgument(format!(
            "profile column {:?}: {} infinite values; infinite values are an input error, not data",
            c.name,
            c.pos_inf + c.neg_inf
        )));
    }
    Ok(())
}

/// The current batch of a profile, one entry per feature of `reference` (`None` where the
/// profile lacks the column). A column with infinite values, a numerical column past the
/// profile's value cap (only bounded statistics exist for it) and a column profiled with
/// another type than the reference's are errors naming the column.
///
/// # Example
/// ```
/// use driftscope_drift::{current_from_profile, feature_profile, ColumnValues, ReferenceProfile};
/// use driftscope_profile::{profile_part, ColumnSpec, FeatureType, ProfileSpec};
/// let values = ColumnValues::Numerical { sorted: vec![1.0, 2.0, 2.0], missing: 1 };
/// let reference = ReferenceProfile {
///     model_version: "none".into(), rows: 4, n_bins: 10, target: String::new(),
///     target_counts: vec![], excluded: vec![], predictions: None,
///     features: vec![feature_profile("x", &values, 10).unwrap().unwrap()],
/// };
/// let spec = ProfileSpec { value_cap: 10, columns: vec![ColumnSpec {
///     name: "x".into(), feature_type: FeatureType::Numerical, fine_edges: vec![] }] };
/// let batch = profile_part(&spec, "b.csv", 4, vec![Some(values.clone())], vec![]).unwrap();
/// let current = current_from_profile(&reference, &batch).unwrap();
/// assert_eq!(current.values, vec![Some(values)]);
/// ```
pub fn current_from_profile(
    reference: &ReferenceProfile,
    batch: &BatchProfile,
) -> Result<CurrentBatch> {
    let values = reference
        .features
        .iter()
        .map(|f| {
            batch
                .column(&f.name)
                .map(|c| {
                    check_column(f, c)?;
                    column_values(c)
                })
                .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CurrentBatch {
        rows: batch.rows,
        values,
        extra_columns: batch.extra_columns.clone(),
    })
}

/// The values of one profiled column, as the row reader gives them (an error for a numerical
/// column past the value cap: its values are not kept).
pub fn column_values(c: &ColumnProfile) -> Result<ColumnValues> {
    Ok(match &c.data {
        ColumnData::Numerical(n) => match &n.distribution {
            NumericDistribution::Exact(v) => ColumnValues::Numerical {
                sorted: v.expand(),
                missing: c.missing(),
            },
            NumericDistribution::Binned(_) => {
                return Err(DriftError::InvalidArgument(format!(
                    "profile column {:?} has more distinct values than the value cap: only \
                     bounded statistics exist for it (raise --value-cap for an exact report)",
                    c.name
                )))
            }
        },
        ColumnData::Categorical(counts) => ColumnValues::Categorical {
            counts: counts.clone(),
            missing: c.missing(),
        },
        ColumnData::NotNumerical { row, value } => ColumnValues::NotNumerical {
            row: *row as usize,
            value: value.clone(),
        },
    })
}
