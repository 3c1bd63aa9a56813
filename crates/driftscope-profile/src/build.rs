//! Building profiles: from a part's column values (the local engine: the streaming reader of
//! `driftscope-data` gives sorted numbers or category counts) and from partial aggregates
//! computed elsewhere (SQL: COUNT, SUM, MIN, MAX, shifted power sums, GROUP BY value counts,
//! CASE WHEN bins).

use driftscope_artifacts::{CategoryCount, ColumnValues};
use serde::{Deserialize, Serialize};

use crate::{
    BatchProfile, ColumnData, ColumnProfile, ColumnSpec, FineBins, Moments, NumericDistribution,
    NumericProfile, ProfileError, ProfileSpec, Result, ValueCounts,
};

/// The profile of one part of a batch from its column values: `values` has one entry per spec
/// column (`None` where the part lacks it), `rows` is the part's row count, `extra_columns`
/// its columns outside the spec.
pub fn profile_part(
    spec: &ProfileSpec,
    source: &str,
    rows: u64,
    values: Vec<Option<ColumnValues>>,
    mut extra_columns: Vec<String>,
) -> Result<BatchProfile> {
    if values.len() != spec.columns.len() {
        return Err(ProfileError::Incompatible(format!(
            "{} column values for a spec of {} columns",
            values.len(),
            spec.columns.len()
        )));
    }
    let mut columns = Vec::new();
    let mut absent_columns = Vec::new();
    for (col, v) in spec.columns.iter().zip(values) {
        match v {
            Some(v) => columns.push(column_of(col, spec.value_cap, rows, v)?),
            None => absent_columns.push(col.name.clone()),
        }
    }
    extra_columns.sort();
    extra_columns.dedup();
    Ok(BatchProfile {
        sources: vec![source.to_string()],
        rows,
        value_cap: spec.value_cap,
        columns,
        absent_columns,
        extra_columns,
    })
}

fn column_of(
    spec: &ColumnSpec,
    value_cap: u64,
    rows: u64,
    v: ColumnValues,
) -> Result<ColumnProfile> {
    let (nulls, data) = match v {
        ColumnValues::Numerical { sorted, missing } => {
            let counts = ValueCounts::from_sorted(&sorted)?;
            let p = NumericProfile::from_counts(counts, value_cap, spec.fine_edges.clone());
            (missing, ColumnData::Numerical(p))
        }
        ColumnValues::Categorical {
            mut counts,
            missing,
        } => {
            counts.sort_by(|a, b| a.value.cmp(&b.value));
            (missing, ColumnData::Categorical(counts))
        }
        ColumnValues::NotNumerical { row, value } => (
            0,
            ColumnData::NotNumerical {
                row: row as u64,
                value,
            },
        ),
    };
    Ok(ColumnProfile {
        name: spec.name.clone(),
        feature_type: spec.feature_type,
        rows,
        nulls,
        nan: 0,
        pos_inf: 0,
        neg_inf: 0,
        data,
    })
}

/// What an engine computes for a numerical column over one partition, in SQL terms:
/// `COUNT(*)`, `COUNT(*) - COUNT(x)` (nulls), `SUM(CASE WHEN isnan(x) ..)`,
/// `SUM(CASE WHEN x = 'inf' ..)`, `MIN`/`MAX` and `SUM(POWER(x - shift, k))` over finite `x`,
/// and either `SELECT x, COUNT(*) .. GROUP BY x` (finite `x`, while it has at most `value_cap`
/// rows) or the `CASE WHEN` fine-bin counts and sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericPartial {
    /// Rows of the partition.
    pub rows: u64,
    /// Null cells.
    pub nulls: u64,
    /// NaN cells.
    pub nan: u64,
    /// `+inf` cells.
    pub pos_inf: u64,
    /// `-inf` cells.
    pub neg_inf: u64,
    /// Smallest finite value (`None` without one).
    pub min: Option<f64>,
    /// Largest finite value.
    pub max: Option<f64>,
    /// The shift of the power sums (any finite number; the reference mean conditions best).
    pub shift: f64,
    /// `sum (x - shift)^k` for k = 1..4 over finite values.
    pub power_sums: [f64; 4],
    /// Finite values and their counts (`GROUP BY x`), any order; `None` when past the cap.
    pub value_counts: Option<Vec<(f64, u64)>>,
    /// Fine-bin counts and sums on the spec's fine edges; needed when `value_counts` is `None`.
    pub fine_bins: Option<FineBins>,
}

/// What an engine computes for a categorical column over one partition: rows, null cells and
/// `SELECT CAST(x AS TEXT), COUNT(*) .. GROUP BY 1` (the text as written).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoricalPartial {
    /// Rows of the partition.
    pub rows: u64,
    /// Null cells.
    pub nulls: u64,
    /// Category text and count, any order.
    pub counts: Vec<(String, u64)>,
}

impl NumericPartial {
    /// The column profile of this partial aggregate. The parts must add up: finite values
    /// (`rows - nulls - nan - inf`) equal the value (or bin) counts; `min`/`max` present
    /// exactly when there are finite values.
    pub fn into_column(self, spec: &ColumnSpec, value_cap: u64) -> Result<ColumnProfile> {
        let bad = |message: String| ProfileError::BadPartial {
            column: spec.name.clone(),
            message,
        };
        let special = self.nulls + self.nan + self.pos_inf + self.neg_inf;
        let finite = self.rows.checked_sub(special).ok_or_else(|| {
            bad(format!(
                "{special} null/NaN/inf cells in {} rows",
                self.rows
            ))
        })?;
        let moments = Moments::from_shifted_power_sums(finite, self.shift, self.power_sums)
            .map_err(|e| bad(e.to_string()))?;
        let distribution = match (self.value_counts, self.fine_bins) {
            (Some(pairs), _) => {
                let v = ValueCounts::from_pairs(pairs)?;
                let p = NumericProfile::from_counts(v, value_cap, spec.fine_edges.clone());
                p.distribution
            }
            (None, Some(b)) => NumericDistribution::Binned(b),
            (None, None) => return Err(bad("neither value counts nor fine bins".into())),
        };
        let counted = match &distribution {
            NumericDistribution::Exact(v) => v.total(),
            NumericDistribution::Binned(b) => {
                if b.counts.len() != spec.fine_edges.len() + 1 || b.sums.len() != b.counts.len() {
                    return Err(bad("fine bins do not match the spec's fine edges".into()));
                }
                b.counts.iter().sum()
            }
        };
        if counted != finite
            || self.min.is_some() != (finite > 0)
            || self.max.is_some() != (finite > 0)
        {
            return Err(bad(format!(
                "{finite} finite values but {counted} counted (min/max {:?}/{:?})",
                self.min, self.max
            )));
        }
        Ok(ColumnProfile {
            name: spec.name.clone(),
            feature_type: spec.feature_type,
            rows: self.rows,
            nulls: self.nulls,
            nan: self.nan,
            pos_inf: self.pos_inf,
            neg_inf: self.neg_inf,
            data: ColumnData::Numerical(NumericProfile {
                min: self.min,
                max: self.max,
                moments,
                fine_edges: spec.fine_edges.clone(),
                distribution,
            }),
        })
    }
}

impl CategoricalPartial {
    /// The column profile of this partial aggregate; counts that do not add up to
    /// `rows - nulls` are an error.
    pub fn into_column(self, spec: &ColumnSpec) -> Result<ColumnProfile> {
        let total: u64 = self.counts.iter().map(|c| c.1).sum();
        if total + self.nulls != self.rows {
            return Err(ProfileError::BadPartial {
                column: spec.name.clone(),
                message: format!(
                    "{total} counted and {} nulls in {} rows",
                    self.nulls, self.rows
                ),
            });
        }
        let mut merged: Vec<CategoryCount> = Vec::new();
        let mut counts = self.counts;
        counts.sort();
        for (value, count) in counts.into_iter().filter(|c| c.1 > 0) {
            match merged.last_mut() {
                Some(last) if last.value == value => last.count += count,
                _ => merged.push(CategoryCount { value, count }),
            }
        }
        Ok(ColumnProfile {
            name: spec.name.clone(),
            feature_type: spec.feature_type,
            rows: self.rows,
            nulls: self.nulls,
            nan: 0,
            pos_inf: 0,
            neg_inf: 0,
            data: ColumnData::Categorical(merged),
        })
    }
}
