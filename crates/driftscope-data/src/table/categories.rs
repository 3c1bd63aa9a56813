//! Category counts of an integer column, counted on the integers rather than on their text.

use driftscope_artifacts::{CategoryCount, ColumnValues};
use polars::prelude::*;
use rustc_hash::FxHashMap;

use super::Table;
use crate::Result;

impl Table {
    /// The category counts (sorted by text, as [`Table::text`] shows the values) and null
    /// count of an integer column, counted on the integers; `None` when polars did not read the
    /// column as integers that fit in `i64`.
    pub(crate) fn integer_counts(&self, name: &str) -> Result<Option<ColumnValues>> {
        let col = self
            .df
            .column(name)
            .map_err(|_| self.missing_column(name, "requested"))?;
        let fits = col.dtype().is_signed_integer()
            || matches!(
                col.dtype(),
                DataType::UInt8 | DataType::UInt16 | DataType::UInt32
            );
        if !fits {
            return Ok(None);
        }
        let cast = col
            .cast(&DataType::Int64)
            .map_err(|e| self.polars_error(e))?;
        let ca = cast.i64().map_err(|e| self.polars_error(e))?;
        let mut counts: FxHashMap<i64, u64> = FxHashMap::default();
        let mut nulls = 0u64;
        for arr in ca.downcast_iter() {
            for v in arr.iter() {
                match v {
                    Some(v) => *counts.entry(*v).or_default() += 1,
                    None => nulls += 1,
                }
            }
        }
        let mut counts: Vec<CategoryCount> = counts
            .into_iter()
            .map(|(v, count)| CategoryCount {
                value: v.to_string(),
                count,
            })
            .collect();
        counts.sort_unstable_by(|a, b| a.value.cmp(&b.value));
        Ok(Some(ColumnValues::Categorical {
            counts,
            missing: nulls,
        }))
    }
}
