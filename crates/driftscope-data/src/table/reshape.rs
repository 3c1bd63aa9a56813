//! Tables derived from a table: a column added, rows taken or sliced, tables stacked.

use polars::prelude::*;

use super::Table;
use crate::{DataError, Result};

impl Table {
    /// The table with a column of numbers added (or replaced) at the end.
    pub fn with_numbers(&self, name: &str, values: Vec<f64>) -> Result<Table> {
        let mut df = self.df.clone();
        df.with_column(Column::new(name.into(), values))
            .map_err(|e| self.polars_error(e))?;
        Ok(self.with_frame(df))
    }

    /// The table with column `name` cast to 64-bit floats: numbers kept, cells that are not a
    /// number (blank, empty) become nulls. A column that is already numeric is cast the same way.
    pub fn with_float_column(&self, name: &str) -> Result<Table> {
        let mut df = self.df.clone();
        let cast = df
            .column(name)
            .map_err(|_| self.missing_column(name, "to cast"))?
            .cast(&DataType::Float64)
            .map_err(|e| self.polars_error(e))?;
        df.with_column(cast).map_err(|e| self.polars_error(e))?;
        Ok(self.with_frame(df))
    }

    /// This table's label, header and unread columns over another frame of its rows.
    fn with_frame(&self, df: DataFrame) -> Table {
        Table {
            label: self.label.clone(),
            df,
            row_offset: self.row_offset,
            header: self.header.clone(),
            unread: self.unread.clone(),
        }
    }

    /// The given rows, in the given order.
    pub fn take_rows(&self, rows: &[usize]) -> Result<Table> {
        let idx: Vec<IdxSize> = rows.iter().map(|r| *r as IdxSize).collect();
        let df = self
            .df
            .take(&IdxCa::from_vec("rows".into(), idx))
            .map_err(|e| self.polars_error(e))?;
        Ok(Table {
            label: self.label.clone(),
            df,
            row_offset: 0,
            header: None,
            unread: Vec::new(),
        })
    }

    /// Rows `offset..offset + len` (clamped).
    pub fn slice(&self, offset: usize, len: usize) -> Table {
        Table {
            label: self.label.clone(),
            df: self.df.slice(offset as i64, len),
            row_offset: self.row_offset + offset,
            header: self.header.clone(),
            unread: self.unread.clone(),
        }
    }

    /// Stacks tables with the columns of the first (in its order); every column is held as
    /// text so files whose types were read differently still stack.
    pub fn concat(label: &str, tables: &[&Table]) -> Result<Table> {
        let Some(first) = tables.first() else {
            return Err(DataError::Empty {
                file: label.to_string(),
            });
        };
        let names = first.column_names();
        let as_text = |t: &Table| -> Result<DataFrame> {
            let mut cols = Vec::with_capacity(names.len());
            for n in &names {
                let c =
                    t.df.column(n)
                        .map_err(|_| t.missing_column(n, "a column of the first table"))?;
                cols.push(c.cast(&DataType::String).map_err(|e| t.polars_error(e))?);
            }
            DataFrame::new_infer_height(cols).map_err(|e| t.polars_error(e))
        };
        let mut df = as_text(first)?;
        for t in &tables[1..] {
            df.vstack_mut(&as_text(t)?).map_err(|e| t.polars_error(e))?;
        }
        Self::from_frame(label.to_string(), df)
    }
}
