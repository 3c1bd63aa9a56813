//! Tables over Arrow arrays already in memory (the Python package imports data frames through
//! the Arrow C stream interface): numeric arrays are used as they are (no copy), dictionary
//! (categorical) columns are decoded to their values, and columns of a type driftscope does
//! not read are ignored extras, as in a Parquet file.

use polars::polars_compute::cast::{cast, CastOptionsImpl};
use polars::prelude::*;

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
    /// use polars::prelude::arrow::array::{Array, Int64Array, Utf8Array};
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
        let mut kept = Vec::with_capacity(columns.len());
        let mut unread = Vec::new();
        for (field, chunks) in columns {
            let name = field.name.to_string();
            if let Some(kind) = frame_unread_type(&field.dtype) {
                unread.push((name, kind));
                continue;
            }
            let chunks = decode_dictionaries(chunks)
                .map_err(|e| error(format!("column {:?}: {e}", abbreviate(&name))))?;
            let series = Series::from_arrow_chunks(field.name.clone(), chunks)
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

/// Dictionary-encoded chunks (pandas `category`, polars `Categorical`, Arrow dictionaries)
/// decoded to their values; other chunks as they are.
fn decode_dictionaries(chunks: Vec<ArrayRef>) -> PolarsResult<Vec<ArrayRef>> {
    chunks
        .into_iter()
        .map(|a| match a.dtype() {
            ArrowDataType::Dictionary(_, values, _) => {
                cast(a.as_ref(), values, CastOptionsImpl::default())
            }
            _ => Ok(a),
        })
        .collect()
}
