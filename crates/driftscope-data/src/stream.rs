//! Reading a CSV file larger than memory as a sequence of tables of whole records.

use std::io::Read;
use std::path::Path;

use crate::{DataError, Result, Table};

/// Bytes read from the file at a time.
const READ_SIZE: usize = 8 << 20;

/// A CSV file read as chunks of at most `rows_per_chunk` data rows, each a [`Table`] with the
/// file's header and row numbers of the whole file (so messages name the right row). Records
/// are split only at newlines outside quotes, so quoted newlines stay inside their cell.
pub struct CsvChunks {
    label: String,
    file: std::fs::File,
    header: Vec<u8>,
    buf: Vec<u8>,
    /// Bytes of `buf` already scanned, and whether that point is inside quotes.
    scanned: usize,
    in_quotes: bool,
    /// Records ending in the scanned part of `buf`, and where the last of them ends.
    records: usize,
    cut: usize,
    rows_per_chunk: usize,
    rows_before: usize,
    lines_before: u64,
    eof: bool,
}

impl CsvChunks {
    /// Opens `path` and reads its header; the head checks of [`Table::read`] apply to the first
    /// chunk.
    pub fn open(path: &Path, rows_per_chunk: usize) -> Result<CsvChunks> {
        let label = path.display().to_string();
        crate::table::check_input_file(path)?;
        let file = std::fs::File::open(path).map_err(|source| DataError::Io {
            file: label.clone(),
            source,
        })?;
        let mut chunks = CsvChunks {
            label: label.clone(),
            file,
            header: Vec::new(),
            buf: Vec::new(),
            scanned: 0,
            in_quotes: false,
            records: 0,
            cut: 0,
            rows_per_chunk: rows_per_chunk.max(1),
            rows_before: 0,
            lines_before: 0,
            eof: false,
        };
        // The header is the first record.
        loop {
            chunks.find_records();
            if chunks.records > 0 || chunks.eof {
                break;
            }
            chunks.fill()?;
        }
        let end = if chunks.records > 0 {
            chunks.cut
        } else {
            chunks.buf.len()
        };
        chunks.header = chunks.buf[..end].to_vec();
        if !chunks.header.ends_with(b"\n") {
            chunks.header.push(b'\n');
        }
        chunks.buf.drain(..end);
        chunks.scanned = 0;
        chunks.records = 0;
        chunks.cut = 0;
        chunks.in_quotes = false;
        if chunks.buf.iter().all(u8::is_ascii_whitespace) && chunks.eof {
            return Err(DataError::Empty { file: label });
        }
        Ok(chunks)
    }

    /// Reads more of the file into `buf`.
    fn fill(&mut self) -> Result<()> {
        let start = self.buf.len();
        self.buf.resize(start + READ_SIZE, 0);
        let mut filled = start;
        while filled < self.buf.len() {
            match self.file.read(&mut self.buf[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(DataError::Io {
                        file: self.label.clone(),
                        source,
                    })
                }
            }
        }
        self.buf.truncate(filled);
        Ok(())
    }

    /// Scans `buf` for record ends until `rows_per_chunk` records are found.
    fn find_records(&mut self) {
        let want = if self.header.is_empty() {
            1
        } else {
            self.rows_per_chunk
        };
        while self.scanned < self.buf.len() && self.records < want {
            match self.buf[self.scanned] {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => {
                    self.records += 1;
                    self.cut = self.scanned + 1;
                }
                _ => {}
            }
            self.scanned += 1;
        }
    }
}

impl Iterator for CsvChunks {
    type Item = Result<Table>;

    fn next(&mut self) -> Option<Result<Table>> {
        loop {
            self.find_records();
            if self.records >= self.rows_per_chunk || self.eof {
                break;
            }
            if let Err(e) = self.fill() {
                return Some(Err(e));
            }
        }
        // At the end of the file the rest is the last chunk (its last line may lack '\n').
        let end = if self.records >= self.rows_per_chunk {
            self.cut
        } else {
            self.buf.len()
        };
        if self.buf[..end].iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let mut bytes = Vec::with_capacity(self.header.len() + end);
        bytes.extend_from_slice(&self.header);
        bytes.extend_from_slice(&self.buf[..end]);
        let lines = self.buf[..end].iter().filter(|b| **b == b'\n').count() as u64;
        self.buf.drain(..end);
        self.scanned = 0;
        self.records = 0;
        self.cut = 0;
        self.in_quotes = false;
        let table = Table::from_csv_chunk(&self.label, bytes, self.rows_before, self.lines_before);
        if let Ok(t) = &table {
            self.rows_before += t.n_rows();
        }
        self.lines_before += lines;
        Some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_hold_whole_records_and_number_rows_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let mut text = String::from("a,b\n");
        for i in 0..25 {
            if i == 7 {
                text.push_str("7,\"two\nlines, \"\"quoted\"\"\"\n");
            } else {
                text.push_str(&format!("{i},x{}\n", i % 3));
            }
        }
        text.push_str("25,last"); // no final newline
        std::fs::write(&p, &text).unwrap();
        let chunks: Vec<Table> = CsvChunks::open(&p, 4)
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(chunks.len(), 7);
        let a: Vec<f64> = chunks
            .iter()
            .flat_map(|t| t.numeric("a").unwrap())
            .collect();
        assert_eq!(a, (0..26).map(f64::from).collect::<Vec<_>>());
        let b: Vec<String> = chunks
            .iter()
            .flat_map(|t| {
                t.text("b")
                    .unwrap()
                    .iter()
                    .map(|c| c.unwrap_or("").to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(b[7], "two\nlines, \"quoted\"");
        assert_eq!(b[25], "last");
        assert_eq!(chunks[2].row_offset(), 8);

        // A bad cell in a later chunk is named by its row in the file.
        let bad = text.replace("\n13,", "\nthirteen,");
        std::fs::write(&p, bad).unwrap();
        let err = CsvChunks::open(&p, 4)
            .unwrap()
            .map(|t| t.and_then(|t| t.numeric("a")))
            .find_map(|r| r.err())
            .unwrap()
            .to_string();
        assert!(err.contains("row 14") && err.contains("thirteen"), "{err}");
        // A short row too, with its line.
        let short = text.replace("\n20,x2\n", "\n20\n");
        std::fs::write(&p, short).unwrap();
        let err = CsvChunks::open(&p, 4)
            .unwrap()
            .find_map(|r| r.err())
            .unwrap()
            .to_string();
        assert!(err.contains("row 21 (line 23)"), "{err}");
    }
}

#[cfg(test)]
mod projection_tests {
    use crate::Table;

    #[test]
    fn read_columns_parses_only_the_wanted_columns_but_lists_all() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "id,a,b\nx1,1,p\nx2,2,q\n").unwrap();
        let t = Table::read_columns(&p, &|n| n != "id").unwrap();
        assert!(!t.has_column("id") && t.has_column("a") && t.has_column("b"));
        assert_eq!(t.column_names(), vec!["id", "a", "b"]);
        assert_eq!(t.numeric("a").unwrap(), vec![1.0, 2.0]);
    }
}
