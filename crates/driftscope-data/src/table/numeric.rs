//! Columns as numbers: native numeric columns read straight from polars, text columns parsed
//! in parallel, and the errors naming the first cell that is not a finite number.

use polars::prelude::*;
use rayon::prelude::*;

use super::Table;
use crate::error::abbreviate;
use crate::text_column::TextColumn;
use crate::{DataError, Result};

/// Rows per block of a text column parsed in parallel.
const PARSE_BLOCK_ROWS: usize = 1 << 16;

impl Table {
    /// Whether polars read the column as numbers (no text parsing needed): integers, floats
    /// and Parquet decimals (read as the nearest `f64`).
    pub fn is_native_numeric(&self, name: &str) -> bool {
        self.df.column(name).is_ok_and(|c| {
            c.dtype().is_primitive_numeric() || matches!(c.dtype(), DataType::Decimal(..))
        })
    }

    /// A column parsed as numbers; missing cells (empty, blank, `NaN`, `null`) become NaN.
    /// A cell that is not a number, or is infinite, is an error naming its row and column.
    pub fn numeric(&self, name: &str) -> Result<Vec<f64>> {
        if self.is_native_numeric(name) {
            return self.native_numbers(name);
        }
        self.parsed_numbers(name)
    }

    /// A column polars read as numbers, as `f64` (null as NaN); an infinite value is an error.
    fn native_numbers(&self, name: &str) -> Result<Vec<f64>> {
        let col = self
            .df
            .column(name)
            .map_err(|_| self.missing_column(name, "requested"))?;
        // Integer and float columns are read chunk by chunk straight into one vector;
        // other numeric types go through a cast to f64.
        let mut out = Vec::with_capacity(col.len());
        match col.dtype() {
            DataType::Int64 => {
                let ca = col.i64().map_err(|e| self.polars_error(e))?;
                for arr in ca.downcast_iter() {
                    out.extend(arr.iter().map(|v| v.map_or(f64::NAN, |v| *v as f64)));
                }
            }
            _ => {
                let cast = col
                    .cast(&DataType::Float64)
                    .map_err(|e| self.polars_error(e))?;
                let ca = cast.f64().map_err(|e| self.polars_error(e))?;
                for arr in ca.downcast_iter() {
                    out.extend(arr.iter().map(|v| v.map_or(f64::NAN, |v| *v)));
                }
            }
        }
        if let Some(i) = out.iter().position(|v| v.is_infinite()) {
            return Err(self.number_error(i, name, &out[i].to_string(), true));
        }
        Ok(out)
    }

    /// Text cells parsed in parallel, in blocks of rows, straight from polars' arrays; on a
    /// bad cell the column is scanned again in order, so the error names the first one.
    fn parsed_numbers(&self, name: &str) -> Result<Vec<f64>> {
        let col = self.text(name)?;
        match parse_blocks(&col) {
            Ok(blocks) => Ok(blocks.concat()),
            Err(_) => {
                let (i, cell, inf) = col
                    .iter()
                    .enumerate()
                    .find_map(|(i, c)| parse_cell(c).err().map(|inf| (i, c, inf)))
                    .expect("a cell failed to parse");
                Err(self.number_error(i, name, cell.unwrap_or_default(), inf))
            }
        }
    }

    /// The error for the cell of `column` at data row `row0` (0-based, of this table): an
    /// infinite number when `infinite`, else text that is not a number.
    pub(crate) fn number_error(
        &self,
        row0: usize,
        column: &str,
        value: &str,
        infinite: bool,
    ) -> DataError {
        if infinite {
            DataError::Infinite {
                file: self.label.clone(),
                row: self.row_offset + row0 + 1,
                column: column.to_string(),
                value: abbreviate(value),
            }
        } else {
            DataError::NotNumeric {
                file: self.label.clone(),
                row: self.row_offset + row0 + 1,
                column: column.to_string(),
                value: abbreviate(value),
            }
        }
    }
}

/// One cell as a number (a missing cell as NaN); `Err(true)` for an infinite number,
/// `Err(false)` for text that is not a number.
fn parse_cell(cell: Option<&str>) -> Result<f64, bool> {
    match cell {
        None => Ok(f64::NAN),
        Some(s) => match s.parse::<f64>() {
            // The common case, a plain finite number, in one step.
            Ok(v) if v.is_finite() => Ok(v),
            _ => crate::parse_number(s),
        },
    }
}

/// The column's cells parsed in blocks of at most [`PARSE_BLOCK_ROWS`] rows over polars'
/// chunks, in parallel, blocks in row order; `Err` as soon as any cell fails.
fn parse_blocks(col: &TextColumn) -> Result<Vec<Vec<f64>>, bool> {
    let ca = col.chunked();
    let arrays: Vec<_> = ca.downcast_iter().zip(ca.chunks()).collect();
    let blocks = row_blocks(arrays.iter().map(|(arr, _)| arr.len()));
    blocks
        .par_iter()
        .map(|&(a, start, end)| {
            let (arr, chunk) = arrays[a];
            let validity = chunk.validity();
            (start..end)
                .map(|i| parse_cell(validity.is_none_or(|v| v.get_bit(i)).then(|| arr.value(i))))
                .collect()
        })
        .collect()
}

/// `(array, start, end)` blocks of at most [`PARSE_BLOCK_ROWS`] rows over arrays of the
/// given lengths, in order.
fn row_blocks(lengths: impl Iterator<Item = usize>) -> Vec<(usize, usize, usize)> {
    lengths
        .enumerate()
        .flat_map(|(a, len)| {
            (0..len)
                .step_by(PARSE_BLOCK_ROWS)
                .map(move |start| (a, start, (start + PARSE_BLOCK_ROWS).min(len)))
        })
        .collect()
}
