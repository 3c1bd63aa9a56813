//! The error type of this crate.

/// What can go wrong computing a statistic or comparing a batch with a reference.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DriftError {
    /// The reference profile and sample do not belong together.
    #[error("reference sample has no values for numerical feature {0:?}; the model artifacts are inconsistent")]
    MissingSample(String),
    /// A sample, a list of shares or a table has no entries.
    #[error("{what} is empty; a statistic needs at least one value")]
    Empty {
        /// Which input.
        what: &'static str,
    },
    /// A value is NaN or infinite.
    #[error("{what}: value {value} at index {index}; NaN and infinite values are not data")]
    NotFinite {
        /// Which input.
        what: &'static str,
        /// 0-based position.
        index: usize,
        /// The value.
        value: f64,
    },
    /// Values that must be sorted ascending are not.
    #[error("{what}: values are not sorted ascending (index {index} is below its predecessor)")]
    Unsorted {
        /// Which input.
        what: &'static str,
        /// 0-based position of the first value below its predecessor.
        index: usize,
    },
    /// Two inputs that must have one entry per bin or category differ in length.
    #[error(
        "{what}: {left} entries against {right}; expected one per bin or category on each side"
    )]
    LengthMismatch {
        /// Which inputs.
        what: &'static str,
        /// Length of the first input.
        left: usize,
        /// Length of the second input.
        right: usize,
    },
    /// A share (proportion) is negative or not finite.
    #[error("{what}: share {value} at index {index}; shares must be finite and non-negative")]
    InvalidShare {
        /// Which input.
        what: &'static str,
        /// 0-based position.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An argument is out of its range.
    #[error("{0}")]
    InvalidArgument(String),
}

/// Result type of this crate.
pub type Result<T, E = DriftError> = std::result::Result<T, E>;
