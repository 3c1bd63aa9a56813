//! [`DataError`], the one error type of this crate, and the abbreviation of long values in
//! its messages.

/// Everything that can be wrong with input data.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("{file}: cannot read")]
    Io {
        /// The file.
        file: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a readable CSV/Parquet table.
    #[error("{file}: cannot parse as {format}: {message}")]
    Parse {
        /// The file.
        file: String,
        /// `CSV` or `Parquet`.
        format: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A data frame in memory holds no rows.
    #[error("{label}: the data frame has no rows; expected at least one row")]
    EmptyFrame {
        /// The frame's label.
        label: String,
    },
    /// The file holds no data rows.
    #[error(
        "{file}: the file is empty or has a header but no data rows; expected at least one row"
    )]
    Empty {
        /// The file.
        file: String,
    },
    /// Two columns share a name.
    #[error("{file}: column name {column:?} appears more than once; column names must be unique")]
    DuplicateColumn {
        /// The file.
        file: String,
        /// The repeated name.
        column: String,
    },
    /// A required column is absent.
    #[error("{file}: no column {column:?} ({what}); the columns are: {available}")]
    MissingColumn {
        /// The file.
        file: String,
        /// The column we looked for.
        column: String,
        /// Why it is required.
        what: String,
        /// The columns present (abbreviated).
        available: String,
    },
    /// A required Parquet column has a logical type driftscope does not read.
    #[error(
        "{file}: column {column:?} ({what}) is a Parquet {found} column, which driftscope does \
         not read; store it as a number (double) or text"
    )]
    UnsupportedType {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// Why it is required.
        what: String,
        /// Its type (`decimal`, `date`, `timestamp`, ...).
        found: String,
    },
    /// A value in a numeric column is not a number.
    #[error("{file}: row {row}, column {column:?}: expected a number, found {value:?}")]
    NotNumeric {
        /// The file.
        file: String,
        /// 1-based data row (the header is not counted).
        row: usize,
        /// The column.
        column: String,
        /// The offending text (abbreviated).
        value: String,
    },
    /// A value is infinite.
    #[error("{file}: row {row}, column {column:?}: infinite value {value:?}; expected a finite number or an empty cell")]
    Infinite {
        /// The file.
        file: String,
        /// 1-based data row.
        row: usize,
        /// The column.
        column: String,
        /// The offending text.
        value: String,
    },
    /// The target column has a missing value or an unexpected label.
    #[error("{file}: row {row}, target column {column:?}: {message}")]
    BadTarget {
        /// The file.
        file: String,
        /// 1-based data row.
        row: usize,
        /// The target column.
        column: String,
        /// What was wrong.
        message: String,
    },
    /// Reading the file would need more memory than the process can have.
    #[error(
        "{file}: the file is {size_mb} MB and reading it needs about {need_mb} MB of memory, \
         but only {available_mb} MB is available; use a smaller file (a sample of rows), \
         Parquet, or `driftscope monitor`, which streams large batch files"
    )]
    TooLarge {
        /// The file.
        file: String,
        /// File size in MB.
        size_mb: u64,
        /// Estimated need in MB.
        need_mb: u64,
        /// Available memory in MB.
        available_mb: u64,
    },
    /// The configuration names a column the file does not have, or asks for an impossible type.
    #[error("{file}: {message}")]
    Config {
        /// The file.
        file: String,
        /// What was wrong.
        message: String,
    },
}

impl DataError {
    /// The same error with its row moved down by `offset` rows (for a chunk of a file).
    pub fn shift_rows(self, offset: usize) -> DataError {
        match self {
            DataError::NotNumeric {
                file,
                row,
                column,
                value,
            } => DataError::NotNumeric {
                file,
                row: row + offset,
                column,
                value,
            },
            DataError::Infinite {
                file,
                row,
                column,
                value,
            } => DataError::Infinite {
                file,
                row: row + offset,
                column,
                value,
            },
            DataError::BadTarget {
                file,
                row,
                column,
                message,
            } => DataError::BadTarget {
                file,
                row: row + offset,
                column,
                message,
            },
            other => other,
        }
    }
}

/// Shortens user text for messages.
pub fn abbreviate(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}... ({} characters)", s.chars().count())
    }
}
