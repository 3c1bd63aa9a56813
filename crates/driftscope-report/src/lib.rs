//! The static HTML report site of driftscope.
//!
//! Reads the artifacts folder (walkdir over `batches/`, the histories, the champion's model
//! folder and `model_comparisons/`), builds typed view models and Plotly figures in Rust, and
//! renders the Tera templates of `templates/` into a static site: Overview, Performance, Drift
//! (with one page per feature), Alerts, Detector quality and Reports (with the executive summary
//! and the technical report also written as Markdown and JSON). plotly.js is copied into
//! `assets/`, links are relative, so the site opens from `file://` and from a sub-path on GitHub
//! Pages. Every value shown comes from an artifact; templates only format.
//!
//! **Reads:** the artifacts folder and the templates folder. **Writes:** the site folder,
//! rendered in a uniquely named staging folder beside it and then swapped in. The site folder is
//! replaced only when it is absent, empty or a site written here (it holds [`SITE_MARKER`]); an
//! output folder that is, contains or lies inside the artifacts folder is refused
//! ([`ReportError::UnsafeOutput`]). Reports to the same folder serialise on a lock file beside
//! it (`.<name>.driftscope-lock`).
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

mod builtin;
mod error;
mod figures;
mod format;
mod load;
mod output;
mod pages;
mod site;
mod summary;

#[cfg(test)]
mod fixtures;

use std::path::{Path, PathBuf};

pub use error::{ReportError, UnsafeOutput};
pub use load::{load, SiteData};
pub use output::SITE_MARKER;

/// What [`render`] produced.
#[derive(Debug, Clone)]
pub struct SiteSummary {
    /// The site's `index.html`.
    pub index: PathBuf,
    /// Every page written (relative paths).
    pub pages: Vec<String>,
    /// Total bytes of the site's files (its ownership marker aside), as rendered.
    pub bytes: u64,
}

pub use builtin::DEFAULT_TEMPLATES;

/// Renders the site for `artifacts` with the templates in `templates` into `out`, replacing
/// the site that was there (see the crate documentation for when `out` is refused). When
/// `templates` is [`DEFAULT_TEMPLATES`] and no such folder exists, the templates built into
/// the binary are used.
pub fn render(artifacts: &Path, templates: &Path, out: &Path) -> Result<SiteSummary, ReportError> {
    let data = load(artifacts)?;
    let tera = site::load_templates(templates)?;
    let staged = output::StagedSite::begin(artifacts, out)?;
    let pages = site::write_site(&data, &tera, templates, staged.dir())?;
    // Measured in the staging folder, under the lock: once committed, another report may
    // already be replacing `out`.
    let bytes = folder_bytes(staged.dir());
    staged.commit()?;
    Ok(SiteSummary {
        index: out.join("index.html"),
        pages,
        bytes,
    })
}

/// Total bytes of the files under `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
