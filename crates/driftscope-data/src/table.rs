//! The [`Table`] type: a CSV or Parquet file read with polars, every cell as text as written,
//! and the accessors the rest of the crate reads it through. Numbers, the target, derived
//! tables and writing live in the submodules.

mod arrow;
mod categories;
mod numeric;
mod reshape;
mod target;
mod write;

use std::io::{Cursor, Read};
use std::path::Path;

use polars::io::mmap::MmapBytesReader;
use polars::prelude::*;

use crate::csv_checks::{check_field_counts, check_head, header_names, invalid_utf8};
use crate::error::abbreviate;
use crate::memory::check_memory;
use crate::text_column::TextColumn;
use crate::{DataError, Result};

/// Bytes of a CSV file checked before polars reads it (see [`read_head`]).
const HEAD_BYTES: u64 = 1 << 20;

/// A table read from a file (or generated), every column held as text exactly as written, so
/// that type inference, error messages and category labels all see the original values.
#[derive(Debug, Clone)]
pub struct Table {
    label: String,
    df: DataFrame,
    row_offset: usize,
    /// Every column of the file when only some were read (see [`Table::read_columns`]).
    header: Option<Vec<String>>,
    /// Parquet columns of a logical type driftscope does not read (see [`unread_type`]): name
    /// and type. They are ignored extras: not in [`Table::column_names`]; asking for one is an
    /// error naming its type.
    unread: Vec<(String, String)>,
}

/// Refuses what is not a regular file where a data file is expected, naming it: a directory,
/// or a named pipe, socket or device (process substitution gives a pipe). Inputs are opened
/// more than once (head check, typed read, a re-read to name a bad cell), and opening a pipe
/// with no writer blocks forever, so this looks at the metadata only and opens nothing.
/// A symbolic link to a regular file is a regular file here. A path that does not exist
/// passes: the open that follows names the OS error.
pub fn check_input_file(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let why = if meta.is_dir() {
        "is a directory, expected a CSV or Parquet file"
    } else if !meta.is_file() {
        "is not a regular file (a named pipe, socket or device); driftscope reads an input \
         more than once, so save the stream to a file and pass that"
    } else {
        return Ok(());
    };
    Err(DataError::Io {
        file: path.display().to_string(),
        source: std::io::Error::other(why),
    })
}

impl Table {
    /// Reads a CSV or Parquet file (by extension: `.parquet`/`.pq` is Parquet, anything else CSV).
    pub fn read(path: &Path) -> Result<Table> {
        Self::read_columns(path, &|_| true)
    }

    /// Reads only the columns `wanted` accepts (a CSV file is parsed for those columns only);
    /// [`Table::column_names`] still lists every column of the file.
    pub fn read_columns(path: &Path, wanted: &dyn Fn(&str) -> bool) -> Result<Table> {
        let label = path.display().to_string();
        let io = |source: std::io::Error| DataError::Io {
            file: label.clone(),
            source,
        };
        check_input_file(path)?;
        if is_parquet(path) {
            let bytes = std::fs::read(path).map_err(io)?;
            return Self::from_parquet_bytes(&label, bytes);
        }
        check_memory(&label, path)?;
        // Check the head (emptiness, header) without reading the whole file; polars then maps
        // the file itself.
        let head = read_head(path).map_err(io)?;
        check_head(&label, &head, head.len() < HEAD_BYTES as usize)?;
        let header = header_names(&head);
        let keep: Vec<PlSmallStr> = header
            .iter()
            .filter(|n| wanted(n))
            .map(|n| PlSmallStr::from(n.as_str()))
            .collect();
        let open = || std::fs::File::open(path).map_err(io);
        if keep.len() == header.len() || keep.is_empty() {
            return Self::parse_csv(&label, None, open);
        }
        match Self::parse_csv(&label, Some(keep.into()), open) {
            Ok(mut t) => {
                t.header = Some(header);
                Ok(t)
            }
            // Names polars sees differently (e.g. an unusual header): read every column.
            Err(_) => Self::parse_csv(&label, None, open),
        }
    }

    /// Parses CSV bytes; `label` names the source in messages.
    pub fn from_csv_bytes(label: &str, bytes: Vec<u8>) -> Result<Table> {
        check_head(label, &bytes, true)?;
        Self::parse_csv(label, None, || Ok(Cursor::new(&bytes)))
    }

    /// Parses one chunk of a larger CSV file (`bytes` = the header line + whole records);
    /// `row_offset` / `line_offset` are the data rows and lines before the chunk, so messages
    /// name rows of the whole file.
    pub(crate) fn from_csv_chunk(
        label: &str,
        bytes: Vec<u8>,
        row_offset: usize,
        line_offset: u64,
    ) -> Result<Table> {
        check_field_counts(label, &bytes, true, (row_offset as u64, line_offset))?;
        let t = Self::parse_csv(label, None, || Ok(Cursor::new(&bytes)))
            .map_err(|e| e.shift_rows(row_offset))?;
        Ok(Table { row_offset, ..t })
    }

    /// Data rows before this table in its file (non-zero for a chunk of a streamed file).
    pub fn row_offset(&self) -> usize {
        self.row_offset
    }

    /// Fast path: polars infers column types and parses numbers itself. A file it cannot parse
    /// that way (a stray word in a numeric column, ragged rows, ...) is read again with every
    /// column as text, so our own parsing names the exact row and column.
    fn parse_csv<R: MmapBytesReader>(
        label: &str,
        columns: Option<std::sync::Arc<[PlSmallStr]>>,
        open: impl Fn() -> Result<R>,
    ) -> Result<Table> {
        let typed = read_csv_frame(columns.clone(), 1000, open()?);
        let df = match typed {
            Ok(df) => df,
            Err(_) => read_csv_frame(columns, 0, open()?)
                .map_err(|e| csv_parse_error(label, &e, &open))?,
        };
        Self::from_frame(label.to_string(), df)
    }

    fn from_parquet_bytes(label: &str, bytes: Vec<u8>) -> Result<Table> {
        let parse = |e: PolarsError| DataError::Parse {
            file: label.to_string(),
            format: "Parquet",
            message: abbreviate(&e.to_string()),
        };
        let mut reader = ParquetReader::new(Cursor::new(bytes));
        let schema = reader.schema().map_err(parse)?;
        let mut keep = Vec::new();
        let mut unread = Vec::new();
        for (i, (name, field)) in schema.iter().enumerate() {
            match unread_type(field.dtype()) {
                Some(kind) => unread.push((name.to_string(), kind)),
                None => keep.push(i),
            }
        }
        if keep.is_empty() && !unread.is_empty() {
            return Err(DataError::Parse {
                file: label.to_string(),
                format: "Parquet",
                message: format!(
                    "no column of a type driftscope reads (numbers, text, booleans); found {}",
                    describe_unread(&unread)
                ),
            });
        }
        let df = reader
            .with_projection((!unread.is_empty()).then_some(keep))
            .finish()
            .map_err(parse)?;
        let mut t = Self::from_frame(label.to_string(), df)?;
        t.unread = unread;
        Ok(t)
    }

    /// A table over a polars data frame already in memory (e.g. imported from Arrow by the
    /// Python package); `label` names it in messages. Refused when it has no row.
    pub fn from_data_frame(label: &str, df: DataFrame) -> Result<Table> {
        Self::from_frame(label.to_string(), df)
    }

    fn from_frame(label: String, df: DataFrame) -> Result<Table> {
        if df.height() == 0 {
            return Err(DataError::Empty { file: label });
        }
        Ok(Table {
            label,
            df,
            row_offset: 0,
            header: None,
            unread: Vec::new(),
        })
    }

    /// Where the table came from (a path or a label), for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Data rows.
    pub fn n_rows(&self) -> usize {
        self.df.height()
    }

    /// Column names in file order.
    pub fn column_names(&self) -> Vec<String> {
        if let Some(h) = &self.header {
            return h.clone();
        }
        self.df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// Refuses when one of `columns` is a Parquet column of a type driftscope does not read
    /// (a model feature stored as a date, say), naming it, its type and `what` it is.
    pub fn require_readable<'a>(
        &self,
        columns: impl IntoIterator<Item = &'a str>,
        what: &str,
    ) -> Result<()> {
        for c in columns {
            if self.unread.iter().any(|(n, _)| n == c) {
                return Err(self.missing_column(c, what));
            }
        }
        Ok(())
    }

    /// Whether a column exists.
    pub fn has_column(&self, name: &str) -> bool {
        self.df.column(name).is_ok()
    }

    /// A column's cells as text (`None` for an empty cell). Text columns are exactly as
    /// written; columns polars read as numbers are shown in polars' formatting.
    pub fn text(&self, name: &str) -> Result<TextColumn> {
        let col = self
            .df
            .column(name)
            .map_err(|_| self.missing_column(name, "requested"))?;
        let ca = if col.dtype() == &DataType::String {
            col.str().map_err(|e| self.polars_error(e))?.clone()
        } else {
            let cast = col
                .cast(&DataType::String)
                .map_err(|e| self.polars_error(e))?;
            cast.str().map_err(|e| self.polars_error(e))?.clone()
        };
        Ok(TextColumn::new(ca))
    }

    fn polars_error(&self, e: PolarsError) -> DataError {
        DataError::Parse {
            file: self.label.clone(),
            format: "CSV",
            message: abbreviate(&e.to_string()),
        }
    }

    /// The error for an absent column.
    pub fn missing_column(&self, column: &str, what: &str) -> DataError {
        if let Some((_, kind)) = self.unread.iter().find(|(n, _)| n == column) {
            return DataError::UnsupportedType {
                file: self.label.clone(),
                column: abbreviate(column),
                what: what.to_string(),
                found: kind.clone(),
            };
        }
        let names = self.column_names();
        let mut available = names
            .iter()
            .take(30)
            .map(|n| abbreviate(n))
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > 30 {
            available.push_str(&format!(", ... ({} columns)", names.len()));
        }
        DataError::MissingColumn {
            file: self.label.clone(),
            column: abbreviate(column),
            what: what.to_string(),
            available,
        }
    }
}

/// The Parquet/Arrow logical types driftscope does not read, named for messages: every
/// temporal type (dates, timestamps, durations, times, intervals) and decimals wider than
/// 128 bits. Such a column is an ignored extra; one the command needs is refused naming its
/// type. Decimals up to 128 bits are read as numbers (the nearest `f64`).
fn unread_type(dtype: &ArrowDataType) -> Option<String> {
    use ArrowDataType as A;
    let kind = match dtype {
        A::Decimal256(..) => "256-bit decimal",
        A::Date32 | A::Date64 => "date",
        A::Timestamp(..) => "timestamp",
        A::Duration(..) => "duration",
        A::Time32(..) | A::Time64(..) => "time of day",
        A::Interval(..) => "interval",
        A::Extension(ext) => return unread_type(&ext.inner),
        _ => return None,
    };
    Some(kind.to_string())
}

/// `a (date), b (decimal)`, at most ten.
fn describe_unread(unread: &[(String, String)]) -> String {
    let mut s = unread
        .iter()
        .take(10)
        .map(|(n, k)| format!("{:?} ({k})", abbreviate(n)))
        .collect::<Vec<_>>()
        .join(", ");
    if unread.len() > 10 {
        s.push_str(&format!(", ... ({} columns)", unread.len()));
    }
    s
}

/// Whether a path names a Parquet file (extension `.parquet` or `.pq`, any case).
fn is_parquet(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("parquet" | "pq"))
}

/// The first [`HEAD_BYTES`] of a file (all of it when shorter).
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Polars' CSV reader over `file` (header on, only `columns` when given), inferring column
/// types from the first `infer_rows` rows (0: every column as text).
fn read_csv_frame<R: MmapBytesReader>(
    columns: Option<std::sync::Arc<[PlSmallStr]>>,
    infer_rows: usize,
    file: R,
) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(columns)
        .with_infer_schema_length(Some(infer_rows))
        .into_reader_with_file_handle(file)
        .finish()
}

/// The error for a CSV file polars cannot read even as text; an encoding error names the
/// first byte that is not UTF-8 (the file is read again from `open` to find it).
fn csv_parse_error<R: MmapBytesReader>(
    label: &str,
    e: &PolarsError,
    open: &impl Fn() -> Result<R>,
) -> DataError {
    let mut message = abbreviate(&e.to_string());
    if message.contains("utf-8") || message.contains("utf8") {
        let mut bytes = Vec::new();
        if open()
            .ok()
            .and_then(|mut r| r.read_to_end(&mut bytes).ok())
            .is_some()
        {
            if let Some(at) = invalid_utf8(&bytes) {
                message = at;
            }
        }
    }
    DataError::Parse {
        file: label.to_string(),
        format: "CSV",
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(csv: &str) -> Result<Table> {
        Table::from_csv_bytes("x.csv", csv.as_bytes().to_vec())
    }

    #[test]
    fn reads_text_and_numbers() {
        let tab = t("a,b\n1,x\n,y\n2.5,\n").unwrap();
        assert_eq!(tab.n_rows(), 3);
        assert_eq!(tab.column_names(), vec!["a", "b"]);
        assert_eq!(
            tab.text("b").unwrap().to_vec(),
            vec![Some("x"), Some("y"), None]
        );
        let a = tab.numeric("a").unwrap();
        assert_eq!(a[0], 1.0);
        assert!(a[1].is_nan());
        assert_eq!(a[2], 2.5);
    }

    #[test]
    fn parquet_reads_like_csv() {
        let csv = crate::generate_telco_csv(200, 3);
        let from_csv = Table::from_csv_bytes("t.csv", csv).unwrap();
        let dir = std::env::temp_dir().join(format!("driftscope-pq-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.parquet");
        let mut df = from_csv.df.clone();
        ParquetWriter::new(std::fs::File::create(&path).unwrap())
            .finish(&mut df)
            .unwrap();
        let from_pq = Table::read(&path).unwrap();
        assert_eq!(from_pq.column_names(), from_csv.column_names());
        assert_eq!(
            from_pq.numeric("MonthlyCharges").unwrap(),
            from_csv.numeric("MonthlyCharges").unwrap()
        );
        assert_eq!(
            from_pq.text("Contract").unwrap().to_vec(),
            from_csv.text("Contract").unwrap().to_vec()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors_name_file_row_column() {
        let tab = t("a,b\n1,x\n2,y\nabc,z\n").unwrap();
        let e = tab.numeric("a").unwrap_err().to_string();
        assert_eq!(
            e,
            "x.csv: row 3, column \"a\": expected a number, found \"abc\""
        );
        let tab = t("a\n1\ninf\n").unwrap();
        let e = tab.numeric("a").unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("infinite"), "{e}");
        let e = t("").unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = t("a,b\n").unwrap_err().to_string();
        assert!(e.contains("no data rows"), "{e}");
        let e = t("a,b,c\n1,2,3\n4,5\n6,7,8\n").unwrap_err().to_string();
        assert!(e.contains("row 2 (line 3) has 2 fields, expected 3"), "{e}");
        let e = t("a;b;c\n1;2;3\n").unwrap_err().to_string();
        assert!(e.contains("no comma but 2 semicolons"), "{e}");
        let e = t("a,a\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("more than once"), "{e}");
        let e = tab.text("zzz").unwrap_err().to_string();
        assert!(
            e.contains("no column \"zzz\"") && e.contains("the columns are: a"),
            "{e}"
        );
    }
}
