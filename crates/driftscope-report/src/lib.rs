//! The static HTML report site of driftscope.
//!
//! Reads the artifacts folder (walkdir over `batches/`, the histories, the champion's model
//! folder and `model_comparisons/`), builds view models and Plotly figures in Rust, and renders
//! the Tera templates of `templates/` into a static site: Overview, Performance, Drift (with one
//! page per feature), Alerts and Reports (with the executive summary and the technical report
//! also written as Markdown and JSON). plotly.js is copied into `assets/`, links are relative,
//! so the site opens from `file://` and from a sub-path on GitHub Pages. Every value shown comes
//! from an artifact; templates only format.
//!
//! **Reads:** the artifacts folder and the templates folder. **Writes:** the site folder
//! (rendered in a staging folder, then swapped in).
//!
//! # Example
//! ```no_run
//! let summary = driftscope_report::render(
//!     std::path::Path::new("artifacts"),
//!     std::path::Path::new("templates"),
//!     std::path::Path::new("site"),
//! ).unwrap();
//! println!("{}", summary.index.display());
//! ```

mod figures;
mod model;

use std::path::{Path, PathBuf};

pub use model::{load, SiteData};

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
}

/// What [`render`] produced.
#[derive(Debug, Clone)]
pub struct SiteSummary {
    /// The site's `index.html`.
    pub index: PathBuf,
    /// Every page written (relative paths).
    pub pages: Vec<String>,
    /// Total bytes of the site.
    pub bytes: u64,
}

/// Renders the site for `artifacts` with the templates in `templates` into `out`, replacing
/// what was there.
pub fn render(artifacts: &Path, templates: &Path, out: &Path) -> Result<SiteSummary, ReportError> {
    let data = load(artifacts)?;
    model::render_site(&data, templates, out)
}
