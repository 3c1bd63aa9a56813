//! The benchmarks' baseline: a file read with polars' default reader, nothing else.

use std::path::Path;

use polars::prelude::*;

use crate::{DataError, Result};

/// Reads a CSV (or `.parquet`) file with polars' default reader and returns its shape:
/// the baseline the benchmarks compare driftscope with.
pub fn polars_read_shape(path: &Path) -> Result<(usize, usize)> {
    let label = path.display().to_string();
    let df = if path.extension().is_some_and(|e| e == "parquet") {
        read_parquet(path, label)?
    } else {
        read_csv(path, label)?
    };
    Ok((df.height(), df.width()))
}

/// A Parquet file with polars' default reader.
fn read_parquet(path: &Path, label: String) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io {
        file: label.clone(),
        source,
    })?;
    ParquetReader::new(file)
        .finish()
        .map_err(|e| DataError::Parse {
            file: label,
            format: "Parquet",
            message: e.to_string(),
        })
}

/// A CSV file with polars' default reader.
fn read_csv(path: &Path, label: String) -> Result<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| DataError::Parse {
            file: label,
            format: "CSV",
            message: e.to_string(),
        })
}
