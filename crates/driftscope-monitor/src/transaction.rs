//! One monitor run is one transaction: every file it writes is staged in memory, written to
//! temporary files, and renamed into place together, under a journal that the next run
//! completes if the process died half-way. A run that fails before the commit leaves every
//! artifact byte-identical; a run that fails during the commit puts back what it had renamed.

use std::path::{Path, PathBuf};

use driftscope_artifacts::{read_artifact, to_artifact_bytes, write_artifact, Artifact};
use serde::{Deserialize, Serialize};

use crate::error::{Context, Result};

/// The journal's file name in the artifacts folder: present only while a commit renames files.
pub const JOURNAL: &str = ".driftscope-journal.json";
/// Prefix of every temporary file (the stale-file sweep removes only these).
pub const TEMP_PREFIX: &str = ".tmp-";

/// One staged write: a file's new bytes and what it held before.
struct Staged {
    target: PathBuf,
    bytes: Vec<u8>,
    previous: Option<Vec<u8>>,
}

/// The renames a commit performs, recorded before the first one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// (temporary file, target) pairs, both inside the artifacts folder.
    pub renames: Vec<(PathBuf, PathBuf)>,
}

impl Artifact for Journal {
    const KIND: &'static str = "commit_journal";
    const SCHEMA_VERSION: u32 = 1;
}

/// Files staged for one atomic commit into an artifacts folder.
pub struct Transaction {
    root: PathBuf,
    staged: Vec<Staged>,
    created_dirs: Vec<PathBuf>,
    /// Fault injection for tests: the rename of this staged file fails.
    #[cfg(test)]
    fail_rename: Option<usize>,
}

impl Transaction {
    /// A transaction on the artifacts folder `root` (the caller holds its lock).
    pub fn new(root: &Path) -> Transaction {
        Transaction {
            root: root.to_path_buf(),
            staged: Vec::new(),
            created_dirs: Vec::new(),
            #[cfg(test)]
            fail_rename: None,
        }
    }

    /// Stages `artifact` (with its envelope) for `target`; a later stage of the same target
    /// replaces this one.
    pub fn stage<A: Artifact>(&mut self, target: &Path, artifact: &A) -> Result<()> {
        let bytes = to_artifact_bytes(artifact)?;
        let previous = match std::fs::read(target) {
            Ok(b) => Some(b),
            // Absent, or a parent is not a folder (the write will say so).
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                None
            }
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read", target.display())),
        };
        self.staged.retain(|s| s.target != target);
        self.staged.push(Staged {
            target: target.to_path_buf(),
            bytes,
            previous,
        });
        Ok(())
    }

    /// Paths staged so far, in staging order.
    pub fn targets(&self) -> impl Iterator<Item = &Path> {
        self.staged.iter().map(|s| s.target.as_path())
    }

    /// Writes every staged file, then renames them all into place. On failure nothing
    /// staged is left behind and every target holds what it held before.
    pub fn commit(mut self) -> Result<()> {
        let temps = match self.write_temporaries() {
            Ok(t) => t,
            Err(e) => {
                self.remove_created_dirs();
                return Err(e);
            }
        };
        let journal_path = self.root.join(JOURNAL);
        let journal = Journal {
            renames: temps
                .iter()
                .zip(&self.staged)
                .map(|(t, s)| (t.clone(), s.target.clone()))
                .collect(),
        };
        if let Err(e) = write_artifact(&journal_path, &journal) {
            remove_all(&temps);
            self.remove_created_dirs();
            return Err(e.into());
        }
        let result = self.rename_all(&temps);
        // The journal goes once every rename happened or was undone.
        let _ = std::fs::remove_file(&journal_path);
        result
    }

    fn write_temporaries(&mut self) -> Result<Vec<PathBuf>> {
        let mut temps = Vec::with_capacity(self.staged.len());
        for i in 0..self.staged.len() {
            match self.write_one(i) {
                Ok(t) => temps.push(t),
                Err(e) => {
                    remove_all(&temps);
                    return Err(e);
                }
            }
        }
        Ok(temps)
    }

    /// Writes the `i`th staged file's temporary file beside its target.
    fn write_one(&mut self, i: usize) -> Result<PathBuf> {
        let target = self.staged[i].target.clone();
        let dir = parent_of(&target);
        if !dir.exists() {
            let top = first_missing_ancestor(&dir);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("{}: cannot create folder", dir.display()))?;
            self.created_dirs.push(top);
        }
        write_temporary(&dir, &self.staged[i].bytes)
            .with_context(|| format!("{}: cannot write", target.display()))
    }

    fn rename_all(&self, temps: &[PathBuf]) -> Result<()> {
        for (i, (temp, s)) in temps.iter().zip(&self.staged).enumerate() {
            if let Err(e) = self.rename(i, temp, &s.target) {
                self.undo(&self.staged[..i]);
                remove_all(&temps[i..]);
                self.remove_created_dirs();
                return Err(e)
                    .with_context(|| format!("{}: cannot rename into place", s.target.display()));
            }
        }
        Ok(())
    }

    fn rename(&self, _i: usize, temp: &Path, target: &Path) -> std::io::Result<()> {
        #[cfg(test)]
        if self.fail_rename == Some(_i) {
            return Err(std::io::Error::other("injected rename failure"));
        }
        std::fs::rename(temp, target)
    }

    /// Puts back what the renamed targets held before.
    fn undo(&self, renamed: &[Staged]) {
        for s in renamed {
            let restored = match &s.previous {
                Some(bytes) => driftscope_artifacts::write_atomic(&s.target, bytes).is_ok(),
                None => std::fs::remove_file(&s.target).is_ok(),
            };
            if !restored {
                tracing::error!(
                    "{}: could not restore after a failed commit",
                    s.target.display()
                );
            }
        }
    }

    fn remove_created_dirs(&self) {
        for d in self.created_dirs.iter().rev() {
            // Only folders this transaction created, and only while they are empty.
            let _ = remove_empty_tree(d);
        }
    }
}

/// Completes a commit that a killed process left half-done (renames whose temporary file is
/// still there), then removes the journal. Call with the folder's lock held.
pub fn recover(root: &Path) -> Result<bool> {
    let path = root.join(JOURNAL);
    if !path.exists() {
        return Ok(false);
    }
    let journal: Journal = read_artifact(&path)?;
    // Temporary files carry absolute paths (tempfile makes them so), targets the folder's own
    // form: both are compared in absolute form.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let abs_root = absolute(root);
    for (temp, target) in &journal.renames {
        let inside = |p: &Path| absolute(p).starts_with(&abs_root);
        if !inside(temp) || !inside(target) {
            crate::error::bail!(
                "{}: names a file outside {} ({}); remove the journal by hand",
                path.display(),
                root.display(),
                target.display()
            );
        }
        if temp.exists() {
            std::fs::rename(temp, target).with_context(|| {
                format!(
                    "{}: cannot complete the interrupted commit",
                    target.display()
                )
            })?;
        }
    }
    std::fs::remove_file(&path).with_context(|| format!("{}: cannot remove", path.display()))?;
    tracing::info!(
        "completed an interrupted commit recorded in {}",
        path.display()
    );
    Ok(true)
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn first_missing_ancestor(dir: &Path) -> PathBuf {
    let mut top = dir.to_path_buf();
    while let Some(p) = top.parent() {
        if p.as_os_str().is_empty() || p.exists() {
            break;
        }
        top = p.to_path_buf();
    }
    top
}

fn remove_empty_tree(dir: &Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            remove_empty_tree(&p)?;
        }
    }
    std::fs::remove_dir(dir)
}

fn write_temporary(dir: &Path, bytes: &[u8]) -> Result<PathBuf> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    let (_, path) = tmp.keep().map_err(|e| e.error)?;
    Ok(path)
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftscope_artifacts::Champion;

    fn champion(v: &str) -> Champion {
        Champion {
            model_version: v.into(),
        }
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p.clone());
                    out.push((p, Vec::new()));
                } else {
                    out.push((p.clone(), std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn commit_writes_every_staged_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut tx = Transaction::new(dir.path());
        tx.stage(&dir.path().join("x/one.json"), &champion("1"))
            .unwrap();
        tx.stage(&dir.path().join("two.json"), &champion("2"))
            .unwrap();
        tx.stage(&dir.path().join("two.json"), &champion("3"))
            .unwrap();
        assert_eq!(
            tx.targets().count(),
            2,
            "a later stage replaces an earlier one"
        );
        tx.commit().unwrap();
        let two: Champion = read_artifact(&dir.path().join("two.json")).unwrap();
        assert_eq!(two.model_version, "3");
        assert!(dir.path().join("x/one.json").exists());
        assert!(!dir.path().join(JOURNAL).exists());
    }

    #[test]
    fn a_failing_write_leaves_everything_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        write_artifact(&dir.path().join("keep.json"), &champion("old")).unwrap();
        std::fs::write(
            dir.path().join("blocker"),
            b"a file where a folder is needed",
        )
        .unwrap();
        let before = snapshot(dir.path());
        let mut tx = Transaction::new(dir.path());
        tx.stage(&dir.path().join("keep.json"), &champion("new"))
            .unwrap();
        tx.stage(&dir.path().join("fresh/a.json"), &champion("new"))
            .unwrap();
        tx.stage(&dir.path().join("blocker/b.json"), &champion("new"))
            .unwrap();
        let err = tx.commit().unwrap_err().to_string();
        assert!(err.contains("blocker"), "{err}");
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn a_failing_rename_puts_back_what_was_renamed() {
        let dir = tempfile::tempdir().unwrap();
        write_artifact(&dir.path().join("keep.json"), &champion("old")).unwrap();
        let before = snapshot(dir.path());
        let mut tx = Transaction::new(dir.path());
        tx.stage(&dir.path().join("keep.json"), &champion("new"))
            .unwrap();
        tx.stage(&dir.path().join("sub/new.json"), &champion("new"))
            .unwrap();
        tx.stage(&dir.path().join("third.json"), &champion("new"))
            .unwrap();
        tx.fail_rename = Some(2);
        let err = tx.commit().unwrap_err().to_string();
        assert!(err.contains("third.json"), "{err}");
        assert_eq!(snapshot(dir.path()), before);
    }

    #[test]
    fn recovery_completes_an_interrupted_commit() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let temp = root.join(".tmp-abc");
        std::fs::write(&temp, b"new").unwrap();
        std::fs::write(root.join("done.json"), b"already renamed").unwrap();
        let journal = Journal {
            renames: vec![
                (root.join(".tmp-gone"), root.join("done.json")),
                (temp.clone(), root.join("todo.json")),
            ],
        };
        write_artifact(&root.join(JOURNAL), &journal).unwrap();
        assert!(recover(root).unwrap());
        assert_eq!(std::fs::read(root.join("todo.json")).unwrap(), b"new");
        assert_eq!(
            std::fs::read(root.join("done.json")).unwrap(),
            b"already renamed"
        );
        assert!(!temp.exists() && !root.join(JOURNAL).exists());
        assert!(!recover(root).unwrap(), "nothing left to recover");
    }

    #[test]
    fn a_journal_pointing_outside_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal {
            renames: vec![(dir.path().join(".tmp-x"), PathBuf::from("/etc/passwd"))],
        };
        write_artifact(&dir.path().join(JOURNAL), &journal).unwrap();
        let err = recover(dir.path()).unwrap_err().to_string();
        assert!(err.contains("outside"), "{err}");
    }
}
