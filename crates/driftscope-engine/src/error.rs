//! The engine crate's one error type.

/// What can go wrong computing a profile on an engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The engine name is not one this crate knows.
    #[error("unknown engine `{0}`: expected `local`, `datafusion` or `ballista://HOST:PORT`")]
    UnknownEngine(String),
    /// The engine is known but this build left it out.
    #[error("engine `{engine}` is not in this build: build driftscope with `cargo build --release -p driftscope-cli --features engines`")]
    NotBuilt {
        /// The engine asked for.
        engine: String,
    },
    /// The engine refused or failed a query (bad path, unreadable file, lost executor, ...).
    #[error("{source_name}: the query engine failed: {message}")]
    Query {
        /// The batch path or glob.
        source_name: String,
        /// The engine's message.
        message: String,
    },
    /// A column that must be numerical holds text that is not a number.
    #[error("{batch}: numerical column `{column}` has {cells} cells that are not numbers (e.g. `{example}`)")]
    NotNumber {
        /// The batch path or glob.
        batch: String,
        /// The column.
        column: String,
        /// How many cells.
        cells: u64,
        /// One of them.
        example: String,
    },
    /// The partial results did not make a valid profile (or parts did not merge).
    #[error(transparent)]
    Profile(#[from] driftscope_profile::ProfileError),
    /// A query did not finish within the time limit.
    #[error("{source_name}: the query engine gave no result within {seconds} s")]
    Timeout {
        /// The batch path or glob.
        source_name: String,
        /// The limit.
        seconds: u64,
    },
    /// A result did not have the expected shape (a bug, or an engine that changed).
    #[error("the query result has no usable `{0}`")]
    Shape(String),
    /// Setting up the async runtime failed.
    #[error("could not start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

impl EngineError {
    /// A failed query on `source`.
    #[cfg(feature = "datafusion")]
    pub(crate) fn query(source: &str, e: datafusion::error::DataFusionError) -> EngineError {
        EngineError::Query {
            source_name: source.to_string(),
            message: e.to_string(),
        }
    }

    /// A result without the expected `what`.
    #[cfg(feature = "datafusion")]
    pub(crate) fn shape(what: &str) -> EngineError {
        EngineError::Shape(what.to_string())
    }
}
