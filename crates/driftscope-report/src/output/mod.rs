//! The output folder: the site is written into a uniquely named staging folder beside `out`,
//! then swapped in. `out` is replaced only when it is absent, empty or a site this crate wrote,
//! never when it is, holds or lies inside the artifacts folder. Reports to the same `out`
//! serialise on a lock file beside it.

use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::UnsafeOutput;
use crate::site::{LEGACY_SITE_JS, SITE_JS};
use crate::ReportError;

/// The file that marks a folder as a site written by the report (and so replaceable).
pub const SITE_MARKER: &str = ".driftscope-site";

const MARKER_TEXT: &str =
    "This folder is a site written by `driftscope report`; the next report replaces it whole.\n";

/// Staging folders made in this process, to keep their names unique.
static STAGING_COUNT: AtomicU64 = AtomicU64::new(0);

/// A site being written: the staging folder, the locked `out`. Dropped without
/// [`StagedSite::commit`], it removes the staging folder and leaves `out` as it was.
#[derive(Debug)]
pub(crate) struct StagedSite {
    out: PathBuf,
    staging: PathBuf,
    _lock: File,
    committed: bool,
}

impl StagedSite {
    /// Checks `out` against `artifacts`, locks it, clears the staging folders of earlier killed
    /// runs and creates a fresh staging folder.
    pub(crate) fn begin(artifacts: &Path, out: &Path) -> Result<StagedSite, ReportError> {
        let refuse = |reason| ReportError::UnsafeOutput {
            path: out.to_path_buf(),
            reason,
        };
        let out_abs = resolve(out)?;
        check_apart(&resolve(artifacts)?, &out_abs).map_err(refuse)?;
        let (Some(parent), Some(name)) = (out_abs.parent(), out_abs.file_name()) else {
            return Err(refuse(UnsafeOutput::NoParent));
        };
        let name = name.to_string_lossy().into_owned();
        // Checked before locking (a refusal leaves no lock file) and again under the lock.
        check_replaceable(&out_abs).map_err(refuse)?;
        create_dir_all(parent)?;
        let lock = lock(&parent.join(format!(".{name}.driftscope-lock")))?;
        restore_aside(parent, &name, &out_abs)?;
        check_replaceable(&out_abs).map_err(refuse)?;
        clear_stale(parent, &name)?;
        let staging = create_staging(parent, &name)?;
        Ok(StagedSite {
            out: out_abs,
            staging,
            _lock: lock,
            committed: false,
        })
    }

    /// The folder to write the site into.
    pub(crate) fn dir(&self) -> &Path {
        &self.staging
    }

    /// Marks the staged site and swaps it in: the old site is renamed aside, the new one renamed
    /// in, then the old one deleted. Returns the site's folder.
    pub(crate) fn commit(mut self) -> Result<PathBuf, ReportError> {
        driftscope_artifacts::fault_point("report-staged");
        crate::site::write(&self.staging.join(SITE_MARKER), MARKER_TEXT.as_bytes())?;
        let parent = self.staging.parent().unwrap_or(Path::new("."));
        let aside = if self.out.exists() {
            let name = self.out.file_name().unwrap_or_default().to_string_lossy();
            let aside = unique_sibling(parent, &format!(".{name}.driftscope-old-"));
            rename(&self.out, &aside)?;
            driftscope_artifacts::fault_point("report-aside");
            Some(aside)
        } else {
            None
        };
        if let Err(e) = rename(&self.staging, &self.out) {
            if let Some(aside) = &aside {
                let _ = std::fs::rename(aside, &self.out);
            }
            return Err(e);
        }
        self.committed = true;
        driftscope_artifacts::fault_point("report-placed");
        if let Some(aside) = aside {
            // Best effort: a leftover is cleared by the next report, under the lock.
            let _ = std::fs::remove_dir_all(aside);
        }
        Ok(self.out.clone())
    }
}

impl Drop for StagedSite {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `path` made absolute with symbolic links resolved, also when it does not exist yet (its
/// nearest existing ancestor is resolved, the rest appended).
fn resolve(path: &Path) -> Result<PathBuf, ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let absolute = std::path::absolute(path).map_err(io)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().map_err(io)?;
    for component in rest.into_iter().rev() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            _ => {}
        }
    }
    Ok(resolved)
}

/// Refuses an output folder that is, contains or lies inside the artifacts folder.
fn check_apart(artifacts: &Path, out: &Path) -> Result<(), UnsafeOutput> {
    if out == artifacts {
        Err(UnsafeOutput::IsArtifacts)
    } else if out.starts_with(artifacts) {
        Err(UnsafeOutput::InsideArtifacts(artifacts.to_path_buf()))
    } else if artifacts.starts_with(out) {
        Err(UnsafeOutput::ContainsArtifacts(artifacts.to_path_buf()))
    } else {
        Ok(())
    }
}

/// `out` may be replaced when absent, empty, or a site written by the report: it holds the
/// marker, or (sites written before the marker existed) exactly this crate's chart script.
fn check_replaceable(out: &Path) -> Result<(), UnsafeOutput> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(UnsafeOutput::NotAFolder);
    }
    let empty = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_none());
    let marked = out.join(SITE_MARKER).is_file();
    let legacy = std::fs::read(out.join("assets/driftscope.js"))
        .is_ok_and(|js| js == SITE_JS.as_bytes() || js == LEGACY_SITE_JS.as_bytes());
    if empty || marked || legacy {
        Ok(())
    } else {
        Err(UnsafeOutput::NotASite)
    }
}

/// Puts back the site a report killed between its two renames left aside: when `out` is
/// absent and a set-aside folder `.<name>.driftscope-old-*` holding the site marker exists, it
/// is renamed back to `out` (the newest, by name, when several). Only called under the lock.
fn restore_aside(parent: &Path, name: &str, out: &Path) -> Result<(), ReportError> {
    if std::fs::symlink_metadata(out).is_ok() {
        return Ok(());
    }
    let prefix = format!(".{name}.driftscope-old-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let newest = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.path().join(SITE_MARKER).is_file())
        .map(|e| e.path())
        .max();
    if let Some(aside) = newest {
        rename(&aside, out)?;
    }
    Ok(())
}

/// Removes the staging and set-aside folders that killed reports to `name` left in `parent`.
/// Only called under the lock, so none belongs to a live report.
fn clear_stale(parent: &Path, name: &str) -> Result<(), ReportError> {
    let prefixes = [
        format!(".{name}.driftscope-staging-"),
        format!(".{name}.driftscope-old-"),
    ];
    let entries = std::fs::read_dir(parent).map_err(|source| ReportError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let stale = prefixes.iter().any(|p| file_name.starts_with(p.as_str()));
        if stale && entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(entry.path()).map_err(|source| ReportError::Io {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

/// A new, empty staging folder `.<name>.driftscope-staging-<pid>-<n>` in `parent`.
fn create_staging(parent: &Path, name: &str) -> Result<PathBuf, ReportError> {
    loop {
        let staging = unique_sibling(parent, &format!(".{name}.driftscope-staging-"));
        match std::fs::create_dir(&staging) {
            Ok(()) => return Ok(staging),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(ReportError::Io {
                    path: staging,
                    source,
                })
            }
        }
    }
}

/// `parent/<prefix><pid>-<n>`, with `n` counting up in this process.
fn unique_sibling(parent: &Path, prefix: &str) -> PathBuf {
    let n = STAGING_COUNT.fetch_add(1, Ordering::Relaxed);
    parent.join(format!("{prefix}{}-{n}", std::process::id()))
}

/// Opens and exclusively locks `path`, waiting for another report that holds it.
fn lock(path: &Path) -> Result<File, ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io)?;
    file.lock().map_err(io)?;
    Ok(file)
}

fn create_dir_all(dir: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

fn rename(from: &Path, to: &Path) -> Result<(), ReportError> {
    std::fs::rename(from, to).map_err(|source| ReportError::Io {
        path: to.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests;
