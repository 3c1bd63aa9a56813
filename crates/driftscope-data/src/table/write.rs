//! Writing a table to disk, as Parquet or CSV, atomically (a temporary file, then a rename).

use std::path::Path;

use polars::prelude::*;

use super::Table;
use crate::{DataError, Result};

impl Table {
    /// Writes the table as Parquet (atomically: a temporary file, then a rename).
    pub fn write_parquet(&self, path: &Path) -> Result<()> {
        let io = |source: std::io::Error| DataError::Io {
            file: path.display().to_string(),
            source,
        };
        let tmp = path.with_extension("parquet.tmp");
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut df = self.df.clone();
        ParquetWriter::new(file)
            .finish(&mut df)
            .map_err(|e| self.polars_error(e))?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Writes the table as CSV (numbers in shortest round-trip form), atomically.
    pub fn write_csv(&self, path: &Path) -> Result<()> {
        let io = |source: std::io::Error| DataError::Io {
            file: path.display().to_string(),
            source,
        };
        let tmp = path.with_extension("csv.tmp");
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut df = self.df.clone();
        CsvWriter::new(std::io::BufWriter::new(file))
            .finish(&mut df)
            .map_err(|e| self.polars_error(e))?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}
