//! The error type of this crate.

/// What can go wrong building or merging profiles.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProfileError {
    /// Two profiles that cannot be merged (different columns, caps, edges or types).
    #[error("cannot merge profiles: {0}")]
    Incompatible(String),
    /// A partial aggregate whose parts do not fit together.
    #[error("partial aggregate of column {column:?}: {message}")]
    BadPartial {
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A value that must be finite is not.
    #[error("{what}: value {value} is not finite")]
    NotFinite {
        /// Which input.
        what: &'static str,
        /// The value.
        value: f64,
    },
    /// A count overflowed 64 bits.
    #[error("{0}: count overflows 64 bits")]
    Overflow(&'static str),
}

/// Result type of this crate.
pub type Result<T, E = ProfileError> = std::result::Result<T, E>;
