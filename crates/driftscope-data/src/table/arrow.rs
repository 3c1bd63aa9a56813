//! Tables over Arrow arrays already in memory (the Python package imports data frames through
//! the Arrow C stream interface): numeric arrays are used as they are (no copy), dictionary
//! (categorical) columns are decoded to their values, and columns of a type driftscope does
//! not read are ignored extras, as in a Parquet file.

use polars::prelude::*;
use polars_arrow::array::{Array, DictionaryArray};

use super::{describe_unread, unread_type, Table};
use crate::error::abbreviate;
use crate::{DataError, Result};

/// Format name in messages about a data frame.
const FORMAT: &str = "Arrow";

impl Table {
    /// A table over Arrow columns: each column's field and its chunks (record batches), all
    /// columns of equal length. `label` names the table in messages. Refused when it has no
    /// row, when two columns share a name, or when no column has a type driftscope reads.
    ///
    /// ```
    /// use polars::prelude::{ArrowDataType, ArrowField};
    /// use polars_arrow::array::{Array, Int64Array, Utf8Array};
    /// let columns = vec![
    ///     (ArrowField::new("x".into(), ArrowDataType::Int64, true),
    ///      vec![Int64Array::from_slice([1, 2, 3]).boxed()]),
    ///     (ArrowField::new("y".into(), ArrowDataType::LargeUtf8, true),
    ///      vec![Utf8Array::<i64>::from_slice(["a", "b", "a"]).boxed()]),
    /// ];
    /// let t = driftscope_data::Table::from_arrow_columns("frame", columns)?;
    /// assert_eq!(t.numeric("x")?, vec![1.0, 2.0, 3.0]);
    /// # Ok::<(), driftscope_data::DataError>(())
    /// ```
    pub fn from_arrow_columns(
        label: &str,
        columns: Vec<(ArrowField, Vec<ArrayRef>)>,
    ) -> Result<Table> {
        let error = |message: String| DataError::Parse {
            file: label.to_string(),
            format: FORMAT,
            message,
        };
        let rows = |chunks: &[ArrayRef]| chunks.iter().map(|c| c.len()).sum::<usize>();
        if columns.iter().all(|(_, chunks)| rows(chunks) == 0) {
            return Err(DataError::EmptyFrame {
                label: label.to_string(),
            });
        }
        let mut kept = Vec::with_capacity(columns.len());
        let mut unread = Vec::new();
        for (field, chunks) in columns {
            let name = field.name.to_string();
            if let Some(kind) = frame_unread_type(&field.dtype) {
                unread.push((name, kind));
                continue;
            }
            let series = column_series(field.name.clone(), chunks)
                .map_err(|e| error(format!("column {:?}: {e}", abbreviate(&name))))?;
            kept.push(series.into_column());
        }
        if kept.is_empty() && !unread.is_empty() {
            return Err(error(format!(
                "no column of a type driftscope reads (numbers, text, booleans); found {}",
                describe_unread(&unread)
            )));
        }
        let height = kept.first().map_or(0, |c| c.len());
        if let Some(c) = kept.iter().find(|c| c.len() != height) {
            return Err(error(format!(
                "column {:?} has {} rows, the first column {height}",
                abbreviate(c.name()),
                c.len()
            )));
        }
        let mut seen = std::collections::HashSet::new();
        let names = kept.iter().map(|c| c.name().as_str());
        let all = names.chain(unread.iter().map(|(n, _)| n.as_str()));
        for name in all {
            if !seen.insert(name) {
                return Err(DataError::DuplicateColumn {
                    file: label.to_string(),
                    column: abbreviate(name),
                });
            }
        }
        let df = DataFrame::new(height, kept).map_err(|e| error(abbreviate(&e.to_string())))?;
        let mut t = Self::from_frame(label.to_string(), df)?;
        t.unread = unread;
        Ok(t)
    }
}

/// What [`unread_type`] says, and the types no file driftscope reads holds: nested values
/// (lists, structs, maps, unions) and raw bytes.
fn frame_unread_type(dtype: &ArrowDataType) -> Option<String> {
    use ArrowDataType as A;
    let kind = match dtype {
        A::List(_) | A::LargeList(_) | A::FixedSizeList(..) => "list",
        A::Struct(_) | A::Map(..) | A::Union(..) => "nested",
        A::Binary | A::LargeBinary | A::FixedSizeBinary(_) | A::BinaryView => "binary",
        A::Dictionary(_, values, _) => return frame_unread_type(values),
        A::Extension(ext) => return frame_unread_type(&ext.inner),
        _ => return unread_type(dtype),
    };
    Some(kind.to_string())
}

/// A column's chunks as one series; dictionary-encoded chunks (pandas `category`, polars
/// `Categorical`, Arrow dictionaries) decoded to their values.
fn column_series(name: PlSmallStr, chunks: Vec<ArrayRef>) -> PolarsResult<Series> {
    if !chunks
        .iter()
        .any(|c| matches!(c.dtype(), ArrowDataType::Dictionary(..)))
    {
        return Series::from_arrow_chunks(name, chunks);
    }
    let mut out: Option<Series> = None;
    for chunk in chunks {
        let part = decode_dictionary(chunk.as_ref())?;
        match &mut out {
            None => out = Some(part),
            Some(s) => {
                s.append(&part)?;
            }
        }
    }
    Ok(out
        .unwrap_or_else(|| Series::new_empty(name.clone(), &DataType::String))
        .with_name(name))
}

/// A dictionary array's values gathered by its keys (a missing key is a missing value).
fn decode_dictionary(array: &dyn Array) -> PolarsResult<Series> {
    let ArrowDataType::Dictionary(key_type, ..) = array.dtype() else {
        return Series::from_arrow(PlSmallStr::EMPTY, array.to_boxed());
    };
    polars_arrow::match_integer_type!(key_type, |$T| {
        let dict = array
            .as_any()
            .downcast_ref::<DictionaryArray<$T>>()
            .ok_or_else(|| polars_err!(ComputeError: "a dictionary array of unexpected keys"))?;
        let values = column_series(PlSmallStr::EMPTY, vec![dict.values().clone()])?;
        let keys: IdxCa = dict
            .keys_iter()
            .map(|k| k.map(|k| k as IdxSize))
            .collect_ca(PlSmallStr::EMPTY);
        values.take(&keys)
    })
}
