use std::path::PathBuf;

/// Everything that can go wrong reading or writing an artifact or the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    /// The file could not be read or written.
    #[error("{path}: {action} failed")]
    Io {
        /// The file.
        path: PathBuf,
        /// What we were doing ("read", "write", ...).
        action: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid JSON, or its body does not match the artifact type.
    #[error("{path}: not a valid `{kind}` artifact: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The artifact kind we tried to read.
        kind: &'static str,
        /// The parser's message (with the field path where known).
        message: String,
    },
    /// The body parsed but breaks a structural rule (a range, a length, an order).
    #[error("{path}: invalid `{kind}` artifact: at `{field}`: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The artifact kind.
        kind: &'static str,
        /// Path of the offending field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The envelope names another kind of artifact.
    #[error("{path}: expected an artifact of kind `{expected}`, found kind `{found}`")]
    WrongKind {
        /// The file.
        path: PathBuf,
        /// The kind we wanted.
        expected: &'static str,
        /// The kind in the file.
        found: String,
    },
    /// The envelope's `schema_version` is not one this build understands.
    #[error(
        "{path}: `{kind}` schema_version {found} is not supported; this driftscope reads version(s) {understood} \
         (a newer driftscope wrote it, or the file is from an incompatible release)"
    )]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The artifact kind.
        kind: &'static str,
        /// The version in the file.
        found: String,
        /// The versions this build reads, comma-separated.
        understood: String,
    },
    /// The configuration file is invalid.
    #[error("{path}: {key}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// Dotted path of the offending key (e.g. `data_drift.psi_threshold`).
        key: String,
        /// What was expected.
        message: String,
    },
    /// An artifact value could not be serialized (e.g. a non-finite number).
    #[error("cannot serialize `{kind}` artifact: {message}")]
    Serialize {
        /// The artifact kind.
        kind: &'static str,
        /// The serializer's message.
        message: String,
    },
}
