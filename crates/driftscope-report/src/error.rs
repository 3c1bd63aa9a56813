//! The error type of the crate.

use std::path::PathBuf;

/// Everything that can go wrong rendering the site.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An artifact could not be read.
    #[error(transparent)]
    Artifact(#[from] driftscope_artifacts::ArtifactError),
    /// The artifacts folder lacks something the site needs.
    #[error("{path}: {message}")]
    Missing {
        /// What was looked for.
        path: PathBuf,
        /// What to do.
        message: String,
    },
    /// A template failed.
    #[error("template {template}: {message}")]
    Template {
        /// Template name.
        template: String,
        /// Tera's message, with its causes.
        message: String,
    },
    /// A file could not be written.
    #[error("{path}: cannot write")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The output folder is not one the report may replace.
    #[error("{path}: refusing to write the site here: {reason}")]
    UnsafeOutput {
        /// The output folder asked for.
        path: PathBuf,
        /// Why it was refused.
        reason: UnsafeOutput,
    },
}

/// Why an output folder was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsafeOutput {
    /// It is the artifacts folder.
    IsArtifacts,
    /// It lies inside the artifacts folder.
    InsideArtifacts(PathBuf),
    /// It contains the artifacts folder.
    ContainsArtifacts(PathBuf),
    /// It holds files and no site written by the report.
    NotASite,
    /// It exists and is not a folder.
    NotAFolder,
    /// It has no parent folder to stage the site in (a filesystem root).
    NoParent,
}

impl std::fmt::Display for UnsafeOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnsafeOutput::IsArtifacts => f.write_str("it is the artifacts folder"),
            UnsafeOutput::InsideArtifacts(a) => {
                write!(f, "it is inside the artifacts folder {}", a.display())
            }
            UnsafeOutput::ContainsArtifacts(a) => {
                write!(f, "it contains the artifacts folder {}", a.display())
            }
            UnsafeOutput::NotASite => f.write_str(
                "the folder is not empty and holds no site written by `driftscope report` \
                 (no .driftscope-site marker); choose an empty or new folder",
            ),
            UnsafeOutput::NotAFolder => f.write_str("it exists and is not a folder"),
            UnsafeOutput::NoParent => f.write_str("it has no parent folder"),
        }
    }
}
