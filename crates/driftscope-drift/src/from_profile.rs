//! A batch given as a profile (`driftscope-profile`) instead of rows: the column values the
//! statistics take, rebuilt exactly from the value->count maps (the map keeps every value's bits
//! in total order, so the rebuilt column is the sorted column of the rows, bit for bit, and the
//! report equals the report from the rows byte for byte).

use driftscope_artifacts::{ColumnValues, ReferenceProfile};
use driftscope_profile::{BatchProfile, ColumnData, ColumnProfile, NumericDistribution};

use crate::{CurrentBatch, DriftError, Result};

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
                    if c.feature_type != f.feature_type {
                        return Err(DriftError::InvalidArgument(format!(
                            "profile column {:?} was profiled as {}, the reference has it {}; \
                             profile the batch against this reference",
                            c.name, c.feature_type, f.feature_type
                        )));
                    }
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

/// The values of one profiled column, as the row reader gives them.
fn column_values(c: &ColumnProfile) -> Result<ColumnValues> {
    if c.pos_inf + c.neg_inf > 0 {
        return Err(DriftError::InvalidArgument(format!(
            "profile column {:?}: {} infinite values; infinite values are an input error, not data",
            c.name,
            c.pos_inf + c.neg_inf
        )));
    }
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
