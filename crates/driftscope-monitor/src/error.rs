//! The one error type of this crate: every failure names the file (and row or column where
//! one applies); the binary prints the chain and exits with code 2.

use std::fmt::Display;

/// Why a driftscope operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An artifact or the configuration could not be read, validated or written.
    #[error(transparent)]
    Artifact(#[from] driftscope_artifacts::ArtifactError),
    /// A data file could not be read or holds bad values.
    #[error(transparent)]
    Data(#[from] driftscope_data::DataError),
    /// Training failed.
    #[error(transparent)]
    Training(#[from] driftscope_training::TrainingError),
    /// A drift statistic refused its input.
    #[error(transparent)]
    Drift(#[from] driftscope_drift::DriftError),
    /// Profiles that do not fit together or a partial aggregate that does not add up.
    #[error(transparent)]
    Profile(#[from] driftscope_profile::ProfileError),
    /// A performance metric refused its input.
    #[error(transparent)]
    Performance(#[from] driftscope_performance::PerformanceError),
    /// The report site could not be rendered.
    #[error(transparent)]
    Report(#[from] driftscope_report::ReportError),
    /// Writing a CSV file failed.
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// An input or a request that driftscope refuses, with the reason.
    #[error("{0}")]
    Invalid(String),
    /// An error with what was being done when it happened (file, row, column).
    #[error("{context}")]
    Context {
        /// What was being done.
        context: String,
        /// The cause.
        #[source]
        source: Box<Error>,
    },
    /// A failure reported by another library (date parsing, weighted sampling, ...).
    #[error("{0}")]
    External(Box<dyn std::error::Error + Send + Sync>),
    /// A file system operation failed (the context names the path).
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Error {
    /// Wraps another library's error.
    pub fn external(e: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::External(Box::new(e))
    }
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds what was being done to an error, or turns a missing value into one.
pub trait Context<T> {
    /// Wraps the error with `context`.
    fn context<C: Display>(self, context: C) -> Result<T>;
    /// Wraps the error with a context computed only on failure.
    fn with_context<C: Display, F: FnOnce() -> C>(self, f: F) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context<C: Display>(self, context: C) -> Result<T> {
        self.map_err(|e| Error::Context {
            context: context.to_string(),
            source: Box::new(e.into()),
        })
    }
    fn with_context<C: Display, F: FnOnce() -> C>(self, f: F) -> Result<T> {
        self.map_err(|e| Error::Context {
            context: f().to_string(),
            source: Box::new(e.into()),
        })
    }
}

impl<T> Context<T> for Option<T> {
    fn context<C: Display>(self, context: C) -> Result<T> {
        self.ok_or_else(|| Error::Invalid(context.to_string()))
    }
    fn with_context<C: Display, F: FnOnce() -> C>(self, f: F) -> Result<T> {
        self.ok_or_else(|| Error::Invalid(f().to_string()))
    }
}

/// Returns early with [`Error::Invalid`] built from a format string.
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err($crate::error::Error::Invalid(format!($($arg)*)))
    };
}
pub(crate) use bail;
