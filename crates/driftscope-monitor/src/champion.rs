//! `driftscope promote VERSION` and `driftscope rollback`: change the champion under the
//! artifacts folder's lock, after checking that the model exists and clears the floor, and
//! record the change in `models/history.json`.

use std::path::Path;

use driftscope_artifacts::{
    read_artifact, write_artifact, BaselineMetrics, Champion, ChampionChange, Config,
    ModelComparison, ModelHistory, ModelHistoryEntry,
};

use crate::args::{PromoteArgs, RollbackArgs};
use crate::error::{bail, Result};
use crate::store::ArtifactStore;

/// `models/history.json` of an artifacts folder (empty when absent).
pub fn model_history(artifacts: &Path) -> Result<ModelHistory> {
    let path = artifacts.join("models/history.json");
    if !path.exists() {
        return Ok(ModelHistory::default());
    }
    Ok(read_artifact(&path)?)
}

/// The current champion's version, or "" when there is none.
fn current_champion(artifacts: &Path) -> Result<String> {
    let path = artifacts.join("models/champion.json");
    if !path.exists() {
        return Ok(String::new());
    }
    Ok(read_artifact::<Champion>(&path)?.model_version)
}

/// Makes `to` the champion and appends the change to the history (nothing when it already is).
/// The caller holds the lock.
pub fn set_champion(
    artifacts: &Path,
    to: &str,
    change: ChampionChange,
    forced: bool,
    reason: String,
) -> Result<()> {
    let from = current_champion(artifacts)?;
    if from == to {
        // Already champion (e.g. the same data and seed trained again): nothing changes.
        return Ok(());
    }
    let mut history = model_history(artifacts)?;
    history.changes.push(ModelHistoryEntry {
        change,
        from,
        to: to.to_string(),
        forced,
        reason,
    });
    // History first: a run killed between the two writes leaves a recorded change whose
    // champion was not written yet, which the next run under the lock completes
    // (`complete_champion_change`).
    write_artifact(&artifacts.join("models/history.json"), &history)?;
    driftscope_artifacts::fault_point("champion-history-written");
    write_artifact(
        &artifacts.join("models/champion.json"),
        &Champion {
            model_version: to.to_string(),
        },
    )?;
    Ok(())
}

/// Completes a champion change a killed run recorded in `models/history.json` but did not
/// write to `models/champion.json` (see [`set_champion`]): when the last recorded change goes
/// from the current champion to a model whose folder exists, that model becomes champion.
/// Called under the lock.
pub(crate) fn complete_champion_change(artifacts: &Path) -> Result<()> {
    let history = model_history(artifacts)?;
    let Some(last) = history.changes.last() else {
        return Ok(());
    };
    let current = current_champion(artifacts)?;
    let target = artifacts.join("models").join(&last.to);
    if current != last.to && current == last.from && target.is_dir() {
        write_artifact(
            &artifacts.join("models/champion.json"),
            &Champion {
                model_version: last.to.clone(),
            },
        )?;
        tracing::warn!(
            "made {:?} champion, as models/history.json records (a run was interrupted)",
            last.to
        );
    }
    Ok(())
}

/// The model a rollback returns to: the history replayed as a stack (a promotion pushes the
/// champion it replaced, a rollback pops one).
pub fn rollback_target(history: &ModelHistory) -> Option<String> {
    let mut stack: Vec<&str> = Vec::new();
    for c in &history.changes {
        match c.change {
            ChampionChange::Rollback => {
                stack.pop();
            }
            _ if !c.from.is_empty() => stack.push(&c.from),
            _ => {}
        }
    }
    stack.last().map(|s| s.to_string())
}

/// A model's evidence against the floor: its score as challenger on recent rows (the latest
/// comparison naming it), else its training holdout AUC. `None` when its AUC is undefined.
fn model_auc(artifacts: &Path, version: &str) -> Result<(Option<f64>, String)> {
    let dir = artifacts.join("model_comparisons");
    let prefix = format!("{version}-vs-");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut names: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
            })
            .collect();
        names.sort();
        if let Some(p) = names.last() {
            let c: ModelComparison = read_artifact(p)?;
            let auc = c.challenger_metrics.auc;
            return Ok((auc, format!("on the recent holdout of {}", p.display())));
        }
    }
    let b: BaselineMetrics = read_artifact(
        &artifacts
            .join("models")
            .join(version)
            .join("baseline_metrics.json"),
    )?;
    Ok((b.holdout.auc, "on its training holdout".into()))
}

/// Refuses `version` unless it exists and its AUC clears `performance.min_auc` (or `force`).
fn vet(artifacts: &Path, version: &str, force: bool, cfg: &Config) -> Result<String> {
    if !artifacts
        .join("models")
        .join(version)
        .join("model.json")
        .exists()
    {
        bail!(
            "{}: model {version:?} does not exist (see the folders under models/)",
            artifacts.join("models").join(version).display()
        );
    }
    let floor = cfg.performance.min_auc;
    let (auc, source) = model_auc(artifacts, version)?;
    let text = auc.map_or("undefined".to_string(), |a| format!("{a:.4}"));
    let fails = auc.is_none_or(|a| a < floor);
    if fails && !force {
        bail!(
            "model {version}: AUC {text} {source} is below performance.min_auc {floor:.2}; refused (use --force to override)"
        );
    }
    let verdict = if fails { "below" } else { "clears" };
    Ok(format!(
        "AUC {text} {source} {verdict} performance.min_auc {floor:.2}"
    ))
}

/// `driftscope promote VERSION`: makes the model champion. Returns the entry recorded.
pub fn promote(args: &PromoteArgs, cfg: &Config) -> Result<ModelHistoryEntry> {
    let store = ArtifactStore::new(&args.artifacts);
    let _lock = store.lock()?;
    if current_champion(&args.artifacts)? == args.version {
        bail!("model {} is already the champion", args.version);
    }
    let reason = vet(&args.artifacts, &args.version, args.force, cfg)?;
    let to = args.version.clone();
    set_champion(
        &args.artifacts,
        &to,
        ChampionChange::Promote,
        args.force,
        reason,
    )?;
    last_change(&args.artifacts)
}

/// `driftscope rollback`: returns to the champion before the current one.
pub fn rollback(args: &RollbackArgs, cfg: &Config) -> Result<ModelHistoryEntry> {
    let store = ArtifactStore::new(&args.artifacts);
    let _lock = store.lock()?;
    let history = model_history(&args.artifacts)?;
    let Some(to) = rollback_target(&history) else {
        bail!(
            "{}: no earlier champion to roll back to",
            args.artifacts.join("models/history.json").display()
        );
    };
    let reason = vet(&args.artifacts, &to, args.force, cfg)?;
    set_champion(
        &args.artifacts,
        &to,
        ChampionChange::Rollback,
        args.force,
        reason,
    )?;
    last_change(&args.artifacts)
}

fn last_change(artifacts: &Path) -> Result<ModelHistoryEntry> {
    let h = model_history(artifacts)?;
    Ok(h.changes
        .last()
        .cloned()
        .expect("a change was just recorded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(change: ChampionChange, from: &str, to: &str) -> ModelHistoryEntry {
        ModelHistoryEntry {
            change,
            from: from.into(),
            to: to.into(),
            forced: false,
            reason: String::new(),
        }
    }

    #[test]
    fn rollback_walks_back_one_champion_at_a_time() {
        use ChampionChange::*;
        let mut h = ModelHistory::default();
        assert_eq!(rollback_target(&h), None);
        h.changes.push(entry(Train, "", "a"));
        assert_eq!(rollback_target(&h), None);
        h.changes.push(entry(Promote, "a", "b"));
        h.changes.push(entry(Promote, "b", "c"));
        assert_eq!(rollback_target(&h).as_deref(), Some("b"));
        h.changes.push(entry(Rollback, "c", "b"));
        assert_eq!(rollback_target(&h).as_deref(), Some("a"));
        h.changes.push(entry(Rollback, "b", "a"));
        assert_eq!(rollback_target(&h), None);
    }
}
