//! The error type of this crate.

/// What can be wrong with metric inputs.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PerformanceError {
    /// Labels and probabilities differ in length.
    #[error("{labels} labels but {scores} predicted probabilities; expected one per row")]
    LengthMismatch {
        /// Number of labels.
        labels: usize,
        /// Number of scores.
        scores: usize,
    },
    /// No rows.
    #[error("no rows to evaluate")]
    Empty,
    /// A score is NaN.
    #[error("predicted probability at row {row} is NaN")]
    NanScore {
        /// 1-based row.
        row: usize,
    },
    /// The decision threshold is NaN or infinite.
    #[error("decision threshold {0} is not a finite number")]
    InvalidThreshold(f64),
}
