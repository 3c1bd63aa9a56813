//! Checks of CSV bytes before and after polars parses them: emptiness, the header (delimiter,
//! duplicate names), rows with the wrong number of fields, and where a file stops being UTF-8.

use crate::error::abbreviate;
use crate::{DataError, Result};

/// Checks the head of a CSV file (`whole` when it is the whole file): not empty, a sound
/// header, and no ragged rows.
pub(crate) fn check_head(label: &str, head: &[u8], whole: bool) -> Result<()> {
    if whole && head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::Empty {
            file: label.to_string(),
        });
    }
    check_header(label, head)?;
    check_field_counts(label, head, whole, (0, 0))
}

/// Where the first byte that is not UTF-8 is, as a message naming its line and column.
pub(crate) fn invalid_utf8(bytes: &[u8]) -> Option<String> {
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
                        let row = pos.as_ref().map_or(0, |p| p.record()) + row_offset;
                        let found = (*len, *expected_len);
                        Err(ragged_row(label, row, line + line_offset, found))
                    }
                    _ => Ok(()), // other problems (encoding, ...) are reported by the parser
                };
            }
        }
    }
}

/// The error for data row `row` (on line `line`) holding `len` fields where the header has
/// `expected_len`.
fn ragged_row(label: &str, row: u64, line: u64, (len, expected_len): (u64, u64)) -> DataError {
    DataError::Parse {
        file: label.to_string(),
        format: "CSV",
        message: format!(
            "row {row} (line {line}) has {len} fields, expected {expected_len} like the header"
        ),
    }
}

/// The column names of a CSV head (its first record, a byte-order mark removed).
pub(crate) fn header_names(head: &[u8]) -> Vec<String> {
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
    check_delimiter(label, line)?;
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

/// A file with another delimiter reads as one column: say so instead of comparing nothing.
fn check_delimiter(label: &str, header_line: &str) -> Result<()> {
    if header_line.contains(',') {
        return Ok(());
    }
    for (sep, name) in [(';', "semicolon"), ('\t', "tab"), ('|', "pipe")] {
        if header_line.matches(sep).count() >= 2 {
            return Err(DataError::Parse {
                file: label.to_string(),
                format: "CSV",
                message: format!(
                    "the header has no comma but {} {name}s; expected comma-separated values",
                    header_line.matches(sep).count()
                ),
            });
        }
    }
    Ok(())
}
