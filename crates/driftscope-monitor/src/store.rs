//! `ArtifactStore`: every read and write of an artifacts folder goes through here (the lock,
//! recovery of an interrupted commit, stale temporary files, the champion, the histories,
//! batch folders).

use std::path::{Path, PathBuf};

use driftscope_artifacts::{
    read_artifact, AlertsHistory, Artifact, BaselineMetrics, BatchScores, Champion, ModelArtifact,
    MonitoringResult, PerformanceEntry, PerformanceHistory, ReferenceProfile, ReferenceSample,
    RetrainingHistory,
};

use crate::error::{bail, Context, Result};
use crate::transaction::{recover, TEMP_PREFIX};

/// Prefix of a model folder moved aside while its replacement is renamed into place.
pub(crate) const ASIDE_PREFIX: &str = ".old-";

/// Prefix of a model folder being written before it is renamed into place.
pub(crate) const STAGING_PREFIX: &str = ".staging-";

/// The name a model folder `dir` is moved aside to (`models/.old-<version>`).
pub(crate) fn aside_name(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!("{ASIDE_PREFIX}{name}"))
}

/// An artifacts folder.
#[derive(Debug, Clone)]
pub struct ArtifactStore {
    root: PathBuf,
}

/// The exclusive lock on an artifacts folder, released when dropped (or when the process
/// dies).
#[derive(Debug)]
pub struct StoreLock {
    _file: std::fs::File,
}

/// The champion model's artifacts.
pub struct ModelBundle {
    /// Folder.
    pub dir: PathBuf,
    /// Model.
    pub model: ModelArtifact,
    /// Baseline metrics.
    pub baseline: BaselineMetrics,
    /// Reference profile.
    pub profile: ReferenceProfile,
    /// Reference sample.
    pub sample: ReferenceSample,
}

/// The three histories monitoring keeps.
#[derive(Debug, Clone, Default)]
pub struct Histories {
    /// `performance_history.json`.
    pub performance: PerformanceHistory,
    /// `alerts_history.json`.
    pub alerts: AlertsHistory,
    /// `retraining_history.json`.
    pub retraining: RetrainingHistory,
}

impl ArtifactStore {
    /// The artifacts folder at `root` (created on the first write).
    pub fn new(root: impl Into<PathBuf>) -> ArtifactStore {
        ArtifactStore { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `performance_history.json`.
    pub fn performance_path(&self) -> PathBuf {
        self.root.join("performance_history.json")
    }

    /// `alerts_history.json`.
    pub fn alerts_path(&self) -> PathBuf {
        self.root.join("alerts_history.json")
    }

    /// `retraining_history.json`.
    pub fn retraining_path(&self) -> PathBuf {
        self.root.join("retraining_history.json")
    }

    /// `models/champion.json`.
    pub fn champion_path(&self) -> PathBuf {
        self.root.join("models/champion.json")
    }

    /// The folder of a batch's artifacts.
    pub fn batch_dir(&self, batch_id: &str) -> PathBuf {
        self.root.join("batches").join(batch_id)
    }

    /// Takes the folder's exclusive lock (waiting, and saying so, while another driftscope
    /// process holds it), completes a commit a killed run left half-done and removes stale
    /// temporary files.
    pub fn lock(&self) -> Result<StoreLock> {
        refuse_links(&self.root)?;
        let file = lock_file(&self.root)?;
        recover(&self.root)?;
        self.remove_stale_temporaries();
        self.recover_model_folders()?;
        crate::champion::complete_champion_change(&self.root)?;
        Ok(StoreLock { _file: file })
    }

    /// Completes what a `train` or `retrain` killed while placing a model folder left in
    /// `models/`: a folder moved aside (`.old-<version>`) whose replacement never arrived is
    /// put back, one whose replacement is in place is removed, and staging folders
    /// (`.staging-<version>`) are removed. Writers hold the lock, so none is live.
    fn recover_model_folders(&self) -> Result<()> {
        let models = self.root.join("models");
        let Ok(entries) = std::fs::read_dir(&models) else {
            return Ok(());
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if let Some(version) = name.strip_prefix(ASIDE_PREFIX) {
                let target = models.join(version);
                if target.exists() {
                    std::fs::remove_dir_all(&path)
                        .with_context(|| format!("{}: cannot remove", path.display()))?;
                    tracing::info!("removed stale {}", path.display());
                } else {
                    std::fs::rename(&path, &target).with_context(|| {
                        format!("{}: cannot restore to {}", path.display(), target.display())
                    })?;
                    tracing::warn!(
                        "restored {} from {} (a training run was interrupted)",
                        target.display(),
                        path.display()
                    );
                }
            } else if name.starts_with(STAGING_PREFIX) && path.is_dir() {
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("{}: cannot remove", path.display()))?;
                tracing::info!("removed stale {}", path.display());
            }
        }
        Ok(())
    }

    /// [`lock`](Self::lock) for a command that needs a trained folder (monitor, retrain):
    /// a folder without `models/champion.json` (a mistyped `--artifacts`) is refused before
    /// anything is created in it, not even the lock file.
    pub fn lock_trained(&self) -> Result<StoreLock> {
        self.require_champion()?;
        self.lock()
    }

    /// Refuses a folder without `models/champion.json`, naming it.
    pub(crate) fn require_champion(&self) -> Result<()> {
        let champion_path = self.champion_path();
        if !champion_path.is_file() {
            bail!(
                "{}: no champion model (is --artifacts {} the right folder?); run `driftscope train` first",
                champion_path.display(),
                self.root.display()
            );
        }
        Ok(())
    }

    /// Removes the temporary files (`.tmp-*`) that a killed run can leave beside the
    /// histories and in batch folders. Writers hold the lock, so none is live.
    fn remove_stale_temporaries(&self) {
        let mut dirs = vec![self.root.clone()];
        if let Ok(entries) = std::fs::read_dir(self.root.join("batches")) {
            dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
        }
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let stale = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
                if stale && e.path().is_file() {
                    match std::fs::remove_file(e.path()) {
                        Ok(()) => tracing::info!("removed stale {}", e.path().display()),
                        Err(err) => tracing::warn!("cannot remove {}: {err}", e.path().display()),
                    }
                }
            }
        }
    }

    /// Loads the champion's artifacts and checks that they belong together.
    pub fn champion(&self) -> Result<ModelBundle> {
        self.require_champion()?;
        let champion_path = self.champion_path();
        let champion: Champion = read_artifact(&champion_path)?;
        let dir = self.root.join("models").join(&champion.model_version);
        if !dir.is_dir() {
            let hint = if aside_name(&dir).is_dir() {
                "a training run was interrupted; `driftscope monitor` or `driftscope train` \
                 restores it"
            } else {
                "restore the folder or run `driftscope train`"
            };
            bail!(
                "{}: names model {:?}, but {} is missing ({hint})",
                champion_path.display(),
                champion.model_version,
                dir.display()
            );
        }
        // The two large files (the forest, the reference sample) are parsed side by side.
        let (model, (sample, profile)) = rayon::join(
            || read_artifact(&dir.join("model.json")),
            || {
                (
                    read_artifact(&dir.join("reference_sample.json")),
                    read_artifact(&dir.join("reference_profile.json")),
                )
            },
        );
        let bundle = ModelBundle {
            model: model?,
            baseline: read_artifact(&dir.join("baseline_metrics.json"))?,
            profile: profile?,
            sample: sample?,
            dir,
        };
        check_bundle(&bundle, &champion.model_version)?;
        Ok(bundle)
    }

    /// Reads the three histories (empty when a file is absent); a corrupt one is an error
    /// before anything is written.
    pub fn histories(&self) -> Result<Histories> {
        Ok(Histories {
            performance: read_or_default(&self.performance_path())?,
            alerts: read_or_default(&self.alerts_path())?,
            retraining: read_or_default(&self.retraining_path())?,
        })
    }

    /// The stored scores of earlier labelled batches, newest first, until `rows` labelled
    /// rows are covered (what a rolling window over the last `rows` rows can use). A batch
    /// whose scores cannot be read is passed over.
    pub fn window_scores(&self, earlier: &[&PerformanceEntry], rows: usize) -> Vec<BatchScores> {
        let mut out = Vec::new();
        let mut covered = 0;
        for e in earlier.iter().rev() {
            if covered >= rows {
                break;
            }
            let path = self.batch_dir(&e.batch_id).join("scores.json");
            let Ok(s) = read_artifact::<BatchScores>(&path) else {
                continue;
            };
            if let Some(l) = &s.labels {
                covered += l.len();
                out.push(s);
            }
        }
        out
    }

    /// A monitored batch's result.
    pub fn batch_result(&self, batch_id: &str) -> Result<MonitoringResult> {
        Ok(read_artifact(
            &self.batch_dir(batch_id).join("monitoring_result.json"),
        )?)
    }
}

/// Refuses a model folder whose files come from different training runs (for example a
/// `model.json` copied from a model trained on other features).
fn check_bundle(b: &ModelBundle, version: &str) -> Result<()> {
    let model_path = b.dir.join("model.json");
    let profile_path = b.dir.join("reference_profile.json");
    let model_features: Vec<&str> = b.model.features.iter().map(|f| f.name.as_str()).collect();
    let profile_features: Vec<&str> = b.profile.features.iter().map(|f| f.name.as_str()).collect();
    if model_features != profile_features {
        let only = |a: &[&str], b: &[&str]| -> Vec<String> {
            a.iter()
                .filter(|f| !b.contains(f))
                .map(|f| f.to_string())
                .collect()
        };
        bail!(
            "{}: the model's features differ from those of {}: only in the model {:?}, \
             only in the reference profile {:?}; the files come from different \
             training runs (retrain, or restore the model folder)",
            model_path.display(),
            profile_path.display(),
            only(&model_features, &profile_features),
            only(&profile_features, &model_features),
        );
    }
    for (path, found) in [
        (&model_path, &b.model.model_version),
        (&profile_path, &b.profile.model_version),
    ] {
        if found != version {
            bail!(
                "{}: holds model version {found:?}, but it is in the folder of {version:?}",
                path.display()
            );
        }
    }
    Ok(())
}

fn read_or_default<A: Artifact + Default>(path: &Path) -> Result<A> {
    if path.exists() {
        Ok(read_artifact(path)?)
    } else {
        Ok(A::default())
    }
}

/// Refuses an artifacts folder holding a symbolic link where driftscope writes: an entry of
/// the folder itself (histories, `batches/`, `models/`, the lock, journal and outbox), of
/// `batches/` (batch folders) or of `models/` (model folders, `champion.json`). Writing
/// through such a link would write, rename or delete files outside the folder, so no command
/// that writes follows one; the error names the link. `root` itself may be a link.
fn refuse_links(root: &Path) -> Result<()> {
    let mut dirs = vec![root.to_path_buf()];
    for sub in ["batches", "models"] {
        let p = root.join(sub);
        if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            dirs.push(p);
        }
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_symlink()) {
                bail!(
                    "{}: is a symbolic link; driftscope does not follow links inside an \
                     artifacts folder when writing (replace the link with the folder or \
                     file itself)",
                    e.path().display()
                );
            }
        }
    }
    Ok(())
}

/// Opens and exclusively locks `<root>/.driftscope.lock`; a second process waits (and says
/// so) instead of failing.
fn lock_file(root: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(root)
        .with_context(|| format!("{}: cannot create folder", root.display()))?;
    let path = root.join(".driftscope.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("{}: cannot open the lock file", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            tracing::info!(
                "waiting for another driftscope process holding {}",
                path.display()
            );
            file.lock()
                .with_context(|| format!("{}: cannot lock", path.display()))?;
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("{}: cannot lock", path.display()));
        }
    }
    Ok(file)
}
