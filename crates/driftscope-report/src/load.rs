//! Reading everything the site shows from the artifacts folder.

use std::path::{Path, PathBuf};

use driftscope_artifacts::{
    read_artifact, AlertsHistory, Artifact, BaselineMetrics, Champion, DetectorEvaluation,
    ModelComparison, MonitoringResult, PerformanceHistory, ReferenceProfile, RetrainingHistory,
    TrainingManifest,
};

use crate::ReportError;

/// Everything the site shows, read from the artifacts.
#[derive(Debug, Clone)]
pub struct SiteData {
    /// Champion model version.
    pub champion: String,
    /// Its baseline metrics.
    pub baseline: BaselineMetrics,
    /// Its training manifest.
    pub manifest: TrainingManifest,
    /// Its reference profile.
    pub profile: ReferenceProfile,
    /// Monitoring results, oldest first.
    pub results: Vec<MonitoringResult>,
    /// Performance history.
    pub performance: PerformanceHistory,
    /// Alerts history.
    pub alerts: AlertsHistory,
    /// Retraining decisions.
    pub retraining: RetrainingHistory,
    /// Challenger comparisons.
    pub comparisons: Vec<ModelComparison>,
    /// The detector evaluation (`detector_evaluation.json`), when one was run.
    pub evaluation: Option<DetectorEvaluation>,
    /// Whether the champion is the user's own model (`driftscope baseline`), known only by its
    /// logged predictions: the last change to it in `models/history.json` is `baseline`.
    pub external: bool,
}

/// Reads everything the site needs from `artifacts`.
pub fn load(artifacts: &Path) -> Result<SiteData, ReportError> {
    let champion_path = artifacts.join("models/champion.json");
    if !champion_path.exists() {
        return Err(ReportError::Missing {
            path: champion_path,
            message: "no champion model: run `driftscope train` first".into(),
        });
    }
    let champion: Champion = read_artifact(&champion_path)?;
    let model_dir = artifacts.join("models").join(&champion.model_version);
    let history: Option<driftscope_artifacts::ModelHistory> =
        optional(&artifacts.join("models/history.json"))?;
    let external = history.is_some_and(|h| {
        h.changes
            .iter()
            .rev()
            .find(|c| c.to == champion.model_version)
            .is_some_and(|c| c.change == driftscope_artifacts::ChampionChange::Baseline)
    });
    Ok(SiteData {
        external,
        baseline: read_artifact(&model_dir.join("baseline_metrics.json"))?,
        manifest: read_artifact(&model_dir.join("training_manifest.json"))?,
        profile: read_artifact(&model_dir.join("reference_profile.json"))?,
        champion: champion.model_version,
        results: monitoring_results(&artifacts.join("batches"))?,
        performance: optional(&artifacts.join("performance_history.json"))?.unwrap_or_default(),
        alerts: optional(&artifacts.join("alerts_history.json"))?.unwrap_or_default(),
        retraining: optional(&artifacts.join("retraining_history.json"))?.unwrap_or_default(),
        comparisons: comparisons(&artifacts.join("model_comparisons"))?,
        evaluation: optional(&artifacts.join("detector_evaluation.json"))?,
    })
}

/// The artifact at `path`, or `None` when the file is absent.
fn optional<A: Artifact>(path: &Path) -> Result<Option<A>, ReportError> {
    if path.exists() {
        Ok(Some(read_artifact(path)?))
    } else {
        Ok(None)
    }
}

/// Every `batches/<id>/monitoring_result.json`, oldest first (timestamp, then batch id).
fn monitoring_results(batches: &Path) -> Result<Vec<MonitoringResult>, ReportError> {
    let mut results: Vec<MonitoringResult> = files_in(batches, 2)?
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "monitoring_result.json"))
        .map(|p| read_artifact(&p))
        .collect::<Result<_, _>>()?;
    results.sort_by(|a, b| {
        a.timestamp
            .cmp(&b.timestamp)
            .then(a.batch_id.cmp(&b.batch_id))
    });
    Ok(results)
}

/// Every `model_comparisons/*.json`, in file-name order.
fn comparisons(dir: &Path) -> Result<Vec<ModelComparison>, ReportError> {
    Ok(files_in(dir, 1)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| read_artifact(&p))
        .collect::<Result<_, _>>()?)
}

/// The entries exactly `depth` levels below `dir`, sorted by name; none when `dir` is absent.
fn files_in(dir: &Path, depth: usize) -> Result<Vec<PathBuf>, ReportError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    walkdir::WalkDir::new(dir)
        .min_depth(depth)
        .max_depth(depth)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            entry
                .map(walkdir::DirEntry::into_path)
                .map_err(|e| ReportError::Io {
                    path: dir.to_path_buf(),
                    source: e.into(),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{site_data, two_batches, write_artifacts};

    #[test]
    fn reads_back_what_the_pipeline_wrote_oldest_batch_first() {
        let tmp = tempfile::tempdir().unwrap();
        let mut batches = two_batches();
        // b2 is older than b1: time decides the order, not the folder name.
        batches[1].timestamp = "2025-12-31T00:00:00Z".into();
        let data = site_data(batches);
        write_artifacts(tmp.path(), &data);
        let loaded = load(tmp.path()).unwrap();
        let ids: Vec<&str> = loaded.results.iter().map(|r| r.batch_id.as_str()).collect();
        assert_eq!(ids, ["b2", "b1"]);
        assert_eq!(loaded.champion, data.champion);
        assert_eq!(loaded.alerts, data.alerts);
        assert!(loaded.comparisons.is_empty());
        assert!(loaded.evaluation.is_none());
        assert!(
            loaded.performance.entries.is_empty(),
            "absent history reads empty"
        );
    }

    #[test]
    fn without_a_champion_it_says_to_train_first() {
        let tmp = tempfile::tempdir().unwrap();
        let err = load(tmp.path()).unwrap_err();
        assert!(matches!(err, ReportError::Missing { .. }));
        assert!(err.to_string().contains("driftscope train"), "{err}");
    }
}
