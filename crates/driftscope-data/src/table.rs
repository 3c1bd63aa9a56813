use std::io::{Cursor, Read};

use polars::io::mmap::MmapBytesReader;
use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use driftscope_artifacts::{CategoryCount, ColumnValues};

use crate::error::abbreviate;
use crate::{DataError, Result};

/// A table read from a file (or generated), every column held as text exactly as written, so
/// that type inference, error messages and category labels all see the original values.
#[derive(Debug, Clone)]
pub struct Table {
    label: String,
    df: DataFrame,
    row_offset: usize,
    /// Every column of the file when only some were read (see [`Table::read_columns`]).
    header: Option<Vec<String>>,
}

/// A column's cells as text, cheap to hold (shares polars' buffers).
#[derive(Debug, Clone)]
pub struct TextColumn {
    ca: StringChunked,
}

/// Slots of the direct-mapped [`ViewCache`]: `1 << VIEW_CACHE_BITS`.
const VIEW_CACHE_BITS: u32 = 6;

/// A small direct-mapped table from a text cell to a value, keyed by the cell's 16-byte view
/// (length in the low 32 bits). A text of at most 12 bytes is stored inside its view (the unused
/// bytes masked), so that view is the text; a longer text is keyed by its length and first 4
/// bytes and compared in full with the text holding its slot. The first key to reach a slot
/// owns it for good, so each distinct text has at most one slot; a cell whose slot another text
/// owns is left to the caller (a hash map). A column of a few categories is thus handled
/// without hashing or decoding most cells.
struct ViewCache<'a, T> {
    keys: [u128; 1 << VIEW_CACHE_BITS],
    texts: [&'a str; 1 << VIEW_CACHE_BITS],
    values: [T; 1 << VIEW_CACHE_BITS],
}

impl<'a, T: Copy> ViewCache<'a, T> {
    /// A free slot's key: a length of `u32::MAX`, never a cell's.
    const EMPTY: u128 = u128::MAX;

    fn new(init: T) -> Self {
        ViewCache {
            keys: [Self::EMPTY; 1 << VIEW_CACHE_BITS],
            texts: [""; 1 << VIEW_CACHE_BITS],
            values: [init; 1 << VIEW_CACHE_BITS],
        }
    }

    /// The slot of the cell whose view is `view` (its text given by `text`), claimed for it
    /// with `init(text)` when free; `None` when another text owns the slot.
    #[inline]
    fn find(
        &mut self,
        view: u128,
        text: impl FnOnce() -> &'a str,
        init: impl FnOnce(&'a str) -> T,
    ) -> Option<usize> {
        let len = view as u32;
        let inline = len <= 12;
        // Keep the length and the bytes in use (inline), or the length and prefix.
        let key = view & (u128::MAX >> if inline { 96 - 8 * len } else { 64 });
        let mixed = (key as u64) ^ ((key >> 64) as u64);
        let slot = (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - VIEW_CACHE_BITS)) as usize;
        if self.keys[slot] == key {
            return (inline || text() == self.texts[slot]).then_some(slot);
        }
        if self.keys[slot] != Self::EMPTY {
            return None;
        }
        let t = text();
        self.keys[slot] = key;
        self.texts[slot] = t;
        self.values[slot] = init(t);
        Some(slot)
    }

    /// The texts holding slots, with their values.
    fn entries(&self) -> impl Iterator<Item = (&'a str, T)> + '_ {
        (0..self.keys.len())
            .filter(|s| self.keys[*s] != Self::EMPTY)
            .map(|s| (self.texts[s], self.values[s]))
    }
}

impl TextColumn {
    /// Cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        // Array by array: statically dispatched, unlike the chunked array's own iterator.
        self.ca.downcast_iter().flat_map(|arr| arr.iter())
    }

    /// Cells as a vector, for random access.
    pub fn to_vec(&self) -> Vec<Option<&str>> {
        self.iter().collect()
    }

    /// Counts of the non-null cells by value, and the number of null cells: what
    /// [`TextColumn::iter`] would give, counted without hashing most cells (see [`ViewCache`]).
    pub(crate) fn counts(&self) -> (FxHashMap<&str, u64>, u64) {
        let mut cache = ViewCache::new(0u64);
        let mut map: FxHashMap<&str, u64> = FxHashMap::default();
        let mut nulls = 0u64;
        for (arr, chunk) in self.ca.downcast_iter().zip(self.ca.chunks()) {
            // (`validity` through the `dyn Array` chunk: its trait is not re-exported.)
            let validity = chunk.validity().filter(|v| v.unset_bits() > 0);
            for (i, view) in arr.views().iter().enumerate() {
                if validity.is_some_and(|v| !v.get_bit(i)) {
                    nulls += 1;
                } else if let Some(slot) = cache.find(view.as_u128(), || arr.value(i), |_| 0) {
                    cache.values[slot] += 1;
                } else {
                    *map.entry(arr.value(i)).or_default() += 1;
                }
            }
        }
        for (text, n) in cache.entries() {
            *map.entry(text).or_default() += n;
        }
        (map, nulls)
    }

    /// `code(text)` for every cell (0 for an empty cell). For a column of few distinct texts,
    /// `code` runs once per text: later cells are matched by their 16-byte string view.
    pub fn codes(&self, code: impl Fn(&str) -> u32) -> Vec<u32> {
        let mut cache = ViewCache::new(0u32);
        let mut out = Vec::with_capacity(self.len());
        for (arr, chunk) in self.ca.downcast_iter().zip(self.ca.chunks()) {
            let validity = chunk.validity().filter(|v| v.unset_bits() > 0);
            out.extend(arr.views().iter().enumerate().map(|(i, view)| {
                if validity.is_some_and(|v| !v.get_bit(i)) {
                    0
                } else if let Some(slot) = cache.find(view.as_u128(), || arr.value(i), &code) {
                    cache.values[slot]
                } else {
                    code(arr.value(i))
                }
            }));
        }
        out
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ca.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.ca.is_empty()
    }
}

/// Refuses a directory where a data file is expected, naming it.
pub(crate) fn check_not_dir(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(DataError::Io {
            file: path.display().to_string(),
            source: std::io::Error::other("is a directory, expected a CSV or Parquet file"),
        });
    }
    Ok(())
}

/// Peak memory of reading a CSV file into a table and deriving the statistics' inputs, per
/// byte of file (measured: 1M Telco-like rows, 140 MB, peak 3x for `drift`).
pub const CSV_MEMORY_FACTOR: u64 = 3;

/// Refuses a CSV file that cannot fit in the memory this process may use.
fn check_memory(label: &str, path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // the read itself reports the error
    };
    let size = meta.len();
    let need = size.saturating_mul(CSV_MEMORY_FACTOR);
    match available_memory() {
        Some(available) if need > available => Err(DataError::TooLarge {
            file: label.to_string(),
            size_mb: size >> 20,
            need_mb: need >> 20,
            available_mb: available >> 20,
        }),
        _ => Ok(()),
    }
}

/// The memory this process can still use, in bytes: the least of the system's available
/// memory, the cgroup's limit less its usage (v2 or v1), and the address-space limit less the
/// address space in use. `None` when none of them is known.
pub fn available_memory() -> Option<u64> {
    fn read(path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
    fn field(text: &str, key: &str) -> Option<u64> {
        let line = text.lines().find(|l| l.starts_with(key))?;
        line[key.len()..]
            .split_whitespace()
            .next()?
            .parse::<u64>()
            .ok()
    }
    let mut bounds = Vec::new();
    if let Some(kb) = read("/proc/meminfo").and_then(|m| field(&m, "MemAvailable:")) {
        bounds.push(kb * 1024);
    }
    for (max, current) in [
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ] {
        let max = read(max).and_then(|s| s.trim().parse::<u64>().ok());
        let current = read(current).and_then(|s| s.trim().parse::<u64>().ok());
        if let (Some(max), Some(current)) = (max, current) {
            bounds.push(max.saturating_sub(current));
        }
    }
    let limit = read("/proc/self/limits").and_then(|l| field(&l, "Max address space"));
    let used = read("/proc/self/status").and_then(|s| field(&s, "VmSize:"));
    if let (Some(limit), Some(used_kb)) = (limit, used) {
        bounds.push(limit.saturating_sub(used_kb * 1024));
    }
    bounds.into_iter().min()
}

/// Where the first byte that is not UTF-8 is, as a message naming its line and column.
fn invalid_utf8(bytes: &[u8]) -> Option<String> {
    let e = std::str::from_utf8(bytes).err()?;
    let at = e.valid_up_to();
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    let column = at
        - bytes[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    Some(format!(
        "line {line}, byte {column} of the line (byte offset {at}): 0x{:02x} is not UTF-8; \
         expected UTF-8 text (re-save the file as UTF-8)",
        bytes[at]
    ))
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
        check_not_dir(path)?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("parquet" | "pq")) {
            let bytes = std::fs::read(path).map_err(io)?;
            return Self::from_parquet_bytes(&label, bytes);
        }
        check_memory(&label, path)?;
        // Check the head (emptiness, header) without reading the whole file; polars then maps
        // the file itself.
        let mut head = Vec::new();
        std::fs::File::open(path)
            .map_err(io)?
            .take(1 << 20)
            .read_to_end(&mut head)
            .map_err(io)?;
        Self::check_head(&label, &head, head.len() < 1 << 20)?;
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
        Self::check_head(label, &bytes, true)?;
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

    fn check_head(label: &str, head: &[u8], whole: bool) -> Result<()> {
        if whole && head.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(DataError::Empty {
                file: label.to_string(),
            });
        }
        check_header(label, head)?;
        check_field_counts(label, head, whole, (0, 0))
    }

    /// Fast path: polars infers column types and parses numbers itself. A file it cannot parse
    /// that way (a stray word in a numeric column, ragged rows, ...) is read again with every
    /// column as text, so our own parsing names the exact row and column.
    fn parse_csv<R: MmapBytesReader>(
        label: &str,
        columns: Option<std::sync::Arc<[PlSmallStr]>>,
        open: impl Fn() -> Result<R>,
    ) -> Result<Table> {
        let typed = CsvReadOptions::default()
            .with_has_header(true)
            .with_columns(columns.clone())
            .with_infer_schema_length(Some(1000))
            .into_reader_with_file_handle(open()?)
            .finish();
        let df = match typed {
            Ok(df) => df,
            Err(_) => CsvReadOptions::default()
                .with_has_header(true)
                .with_columns(columns)
                .with_infer_schema_length(Some(0))
                .into_reader_with_file_handle(open()?)
                .finish()
                .map_err(|e| {
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
                })?,
        };
        Self::from_frame(label.to_string(), df)
    }

    fn from_parquet_bytes(label: &str, bytes: Vec<u8>) -> Result<Table> {
        let df = ParquetReader::new(Cursor::new(bytes))
            .finish()
            .map_err(|e| DataError::Parse {
                file: label.to_string(),
                format: "Parquet",
                message: abbreviate(&e.to_string()),
            })?;
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
        })
    }

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

    /// The table with a column of numbers added (or replaced) at the end.
    pub fn with_numbers(&self, name: &str, values: Vec<f64>) -> Result<Table> {
        let mut df = self.df.clone();
        df.with_column(Column::new(name.into(), values))
            .map_err(|e| self.polars_error(e))?;
        Ok(Table {
            label: self.label.clone(),
            df,
            row_offset: self.row_offset,
            header: self.header.clone(),
        })
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
        })
    }

    /// Rows `offset..offset + len` (clamped).
    pub fn slice(&self, offset: usize, len: usize) -> Table {
        Table {
            label: self.label.clone(),
            df: self.df.slice(offset as i64, len),
            row_offset: self.row_offset + offset,
            header: self.header.clone(),
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
        Ok(TextColumn { ca })
    }

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

    fn polars_error(&self, e: PolarsError) -> DataError {
        DataError::Parse {
            file: self.label.clone(),
            format: "CSV",
            message: abbreviate(&e.to_string()),
        }
    }

    /// Whether polars read the column as numbers (no text parsing needed).
    pub fn is_native_numeric(&self, name: &str) -> bool {
        self.df
            .column(name)
            .is_ok_and(|c| c.dtype().is_primitive_numeric())
    }

    /// A column parsed as numbers; missing cells (empty, blank, `NaN`, `null`) become NaN.
    /// A cell that is not a number, or is infinite, is an error naming its row and column.
    pub fn numeric(&self, name: &str) -> Result<Vec<f64>> {
        if self.is_native_numeric(name) {
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
            return Ok(out);
        }
        // Text cells parsed in parallel, in blocks of rows, straight from polars' arrays; on
        // a bad cell the column is scanned again in order, so the error names the first one.
        let col = self.text(name)?;
        let parse = |cell: Option<&str>| match cell {
            None => Ok(f64::NAN),
            Some(s) => match s.parse::<f64>() {
                // The common case, a plain finite number, in one step.
                Ok(v) if v.is_finite() => Ok(v),
                _ => crate::parse_number(s),
            },
        };
        // Blocks of at most 64k rows over polars' chunks, parsed in parallel, in order.
        let arrays: Vec<_> = col.ca.downcast_iter().zip(col.ca.chunks()).collect();
        let blocks: Vec<(usize, usize, usize)> = arrays
            .iter()
            .enumerate()
            .flat_map(|(a, (arr, _))| {
                (0..arr.len())
                    .step_by(1 << 16)
                    .map(move |start| (a, start, (start + (1 << 16)).min(arr.len())))
            })
            .collect();
        let parsed: std::result::Result<Vec<Vec<f64>>, bool> = blocks
            .par_iter()
            .map(|&(a, start, end)| {
                let (arr, chunk) = arrays[a];
                let validity = chunk.validity();
                (start..end)
                    .map(|i| parse(validity.is_none_or(|v| v.get_bit(i)).then(|| arr.value(i))))
                    .collect()
            })
            .collect();
        match parsed {
            Ok(blocks) => Ok(blocks.concat()),
            Err(_) => {
                let (i, cell, inf) = col
                    .iter()
                    .enumerate()
                    .find_map(|(i, c)| parse(c).err().map(|inf| (i, c, inf)))
                    .expect("a cell failed to parse");
                Err(self.number_error(i, name, cell.unwrap_or_default(), inf))
            }
        }
    }

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

    /// Reads a binary target: `true` where the cell equals `positive` (after trimming). The other
    /// label is `negative` when given, else the one other label found. A missing cell or a third
    /// label is an error naming its row. Returns the labels and the negative label (`None` when
    /// every row is positive and no negative was given).
    pub fn binary_target(
        &self,
        column: &str,
        positive: &str,
        negative: Option<&str>,
    ) -> Result<(Vec<bool>, Option<String>)> {
        let cells = self
            .text(column)
            .map_err(|_| self.missing_column(column, "the target column"))?;
        let mut negative: Option<String> = negative.map(str::to_string);
        let mut out = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            let bad = |message: String| DataError::BadTarget {
                file: self.label.clone(),
                row: self.row_offset + i + 1,
                column: column.to_string(),
                message,
            };
            // The common case first: a label exactly as the model knows it.
            if cell == Some(positive) {
                out.push(true);
                continue;
            }
            if cell.is_some() && cell == negative.as_deref() {
                out.push(false);
                continue;
            }
            let v = match cell {
                Some(c) if !crate::is_missing(c) => c.trim(),
                _ => return Err(bad("missing label; every row needs one".into())),
            };
            if v == positive {
                out.push(true);
            } else if negative.as_deref().is_none_or(|n| n == v) {
                negative.get_or_insert_with(|| v.to_string());
                out.push(false);
            } else {
                return Err(bad(format!(
                    "found a third label {:?}; expected {positive:?} (positive) or {:?}",
                    abbreviate(v),
                    negative.as_deref().unwrap_or_default()
                )));
            }
        }
        Ok((out, negative))
    }

    /// The error for an absent column.
    pub fn missing_column(&self, column: &str, what: &str) -> DataError {
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

/// Reads a CSV (or `.parquet`) file with polars' default reader and returns its shape:
/// the baseline the benchmarks compare driftscope with.
pub fn polars_read_shape(path: &Path) -> Result<(usize, usize)> {
    let label = path.display().to_string();
    if path.extension().is_some_and(|e| e == "parquet") {
        let file = std::fs::File::open(path).map_err(|source| DataError::Io {
            file: label.clone(),
            source,
        })?;
        let df = ParquetReader::new(file)
            .finish()
            .map_err(|e| DataError::Parse {
                file: label,
                format: "Parquet",
                message: e.to_string(),
            })?;
        return Ok((df.height(), df.width()));
    }
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| DataError::Parse {
            file: label,
            format: "CSV",
            message: e.to_string(),
        })?;
    Ok((df.height(), df.width()))
}

/// Refuses a row with fewer or more fields than the header (polars would pad a short row with
/// empty cells silently). Checks the bytes given (`complete` when they are the whole file): a
/// file read from disk is checked in its first MiB; polars itself refuses rows with too many
/// fields anywhere, but a short row beyond the first MiB is not caught yet.
pub(crate) fn check_field_counts(
    label: &str,
    bytes: &[u8],
    complete: bool,
    (row_offset, line_offset): (u64, u64),
) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => {
                return match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        pos,
                        expected_len,
                        len,
                    } => {
                        // The last line of a truncated head may be cut short: not an error.
                        let line = pos.as_ref().map_or(0, |p| p.line());
                        let last = bytes.iter().filter(|b| **b == b'\n').count() as u64;
                        if !complete && line >= last {
                            return Ok(());
                        }
                        Err(DataError::Parse {
                            file: label.to_string(),
                            format: "CSV",
                            message: format!(
                                "row {} (line {}) has {len} fields, expected {expected_len} like the header",
                                pos.as_ref().map_or(0, |p| p.record()) + row_offset,
                                line + line_offset
                            ),
                        })
                    }
                    _ => Ok(()), // other problems (encoding, ...) are reported by the parser
                };
            }
        }
    }
}

/// The column names of a CSV head (its first record, a byte-order mark removed).
fn header_names(head: &[u8]) -> Vec<String> {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(head);
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// Refuses duplicate or empty header names before polars renames them silently.
fn check_header(label: &str, bytes: &[u8]) -> Result<()> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 20)]);
    let Some(line) = text.lines().next() else {
        return Err(DataError::Empty {
            file: label.to_string(),
        });
    };
    // A file with another delimiter reads as one column: say so instead of comparing nothing.
    if !line.contains(',') {
        for (sep, name) in [(';', "semicolon"), ('\t', "tab"), ('|', "pipe")] {
            if line.matches(sep).count() >= 2 {
                return Err(DataError::Parse {
                    file: label.to_string(),
                    format: "CSV",
                    message: format!(
                        "the header has no comma but {} {name}s; expected comma-separated values",
                        line.matches(sep).count()
                    ),
                });
            }
        }
    }
    // A simple split is enough for the header: quoted names holding commas are rare, and the
    // check only has to catch plain duplicates.
    let mut seen = std::collections::HashSet::new();
    for name in line.trim_start_matches('\u{feff}').split(',') {
        let name = name.trim().trim_matches('"');
        if !seen.insert(name.to_string()) {
            return Err(DataError::DuplicateColumn {
                file: label.to_string(),
                column: abbreviate(name),
            });
        }
    }
    Ok(())
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
    fn binary_target_labels() {
        let tab = t("y\nYes\nNo\nYes\n").unwrap();
        let (y, neg) = tab.binary_target("y", "Yes", None).unwrap();
        assert_eq!(y, vec![true, false, true]);
        assert_eq!(neg.as_deref(), Some("No"));
        let tab = t("y\nYes\nNo\nMaybe\n").unwrap();
        let e = tab.binary_target("y", "Yes", None).unwrap_err().to_string();
        assert!(
            e.contains("row 3") && e.contains("third label \"Maybe\""),
            "{e}"
        );
        let tab = t("y,x\nYes,1\n,2\n").unwrap();
        let e = tab.binary_target("y", "Yes", None).unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("missing label"), "{e}");
        let e = tab
            .binary_target("Churn", "Yes", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column \"Churn\""), "{e}");
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
