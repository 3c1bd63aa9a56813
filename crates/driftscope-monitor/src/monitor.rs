//! `driftscope monitor` and `driftscope check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{bail, Context, Result};
use driftscope_alerting::{raise_alerts, retraining_decision, Findings};
use driftscope_artifacts::{
    read_artifact, write_artifact, AlertSeverity, AlertsHistory, BaselineMetrics, BatchScores,
    Champion, ColumnValues, Config, DataQuality, Degradation, Diagnosis, FeatureType,
    ModelArtifact, MonitoringResult, PerformanceEntry, PerformanceHistory, PredictionDrift,
    ReferenceProfile, ReferenceSample, RetrainingHistory, RollingWindow, Skipped, TargetDrift,
};
use driftscope_data::Table;
use driftscope_drift::{compare_feature, drift_report};

/// Arguments of `driftscope monitor`.
#[derive(Debug, Clone)]
pub struct MonitorArgs {
    /// Batch file.
    pub batch: PathBuf,
    /// Batch id (default: the file stem).
    pub batch_id: Option<String>,
    /// Batch timestamp, RFC 3339 (default: now).
    pub timestamp: Option<String>,
    /// Artifacts folder.
    pub artifacts: PathBuf,
    /// Configuration.
    pub config: Config,
    /// Stream the batch in chunks of this many rows (default: only a CSV file too large for
    /// memory is streamed).
    pub chunk_rows: Option<usize>,
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

/// Loads the champion's artifacts.
pub fn load_champion(artifacts: &Path) -> Result<ModelBundle> {
    let champion_path = artifacts.join("models/champion.json");
    if !champion_path.exists() {
        bail!(
            "{}: no champion model; run `driftscope train` first",
            champion_path.display()
        );
    }
    let champion: Champion = read_artifact(&champion_path)?;
    let dir = artifacts.join("models").join(&champion.model_version);
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

/// Refuses a model folder whose files come from different training runs (for example a
/// `model.json` copied from a model trained on other features).
fn check_bundle(b: &ModelBundle, version: &str) -> Result<()> {
    let model_path = b.dir.join("model.json");
    let profile_path = b.dir.join("reference_profile.json");
    let model_features: Vec<&str> = b.model.features.iter().map(|f| f.name.as_str()).collect();
    let profile_features: Vec<&str> = b.profile.features.iter().map(|f| f.name.as_str()).collect();
    if model_features != profile_features {
        let only_model: Vec<&str> = model_features
            .iter()
            .filter(|f| !profile_features.contains(f))
            .copied()
            .collect();
        let only_profile: Vec<&str> = profile_features
            .iter()
            .filter(|f| !model_features.contains(f))
            .copied()
            .collect();
        bail!(
            "{}: the model's features differ from those of {}: only in the model {only_model:?}, \
             only in the reference profile {only_profile:?}; the files come from different \
             training runs (retrain, or restore the model folder)",
            model_path.display(),
            profile_path.display()
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

fn read_or_default<A: driftscope_artifacts::Artifact + Default>(path: &Path) -> Result<A> {
    if path.exists() {
        Ok(read_artifact(path)?)
    } else {
        Ok(A::default())
    }
}

/// An exclusive lock on an artifacts folder (`.driftscope.lock`), held while histories are
/// read, updated and written, so two monitors on one folder never lose each other's entries.
/// A second process waits (and says so) instead of failing; the OS releases the lock if a
/// process dies.
pub fn lock_artifacts(artifacts: &Path) -> Result<std::fs::File> {
    std::fs::create_dir_all(artifacts)
        .with_context(|| format!("{}: cannot create folder", artifacts.display()))?;
    let path = artifacts.join(".driftscope.lock");
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

/// Removes the temporary files (`.tmp-*`) that a killed monitor can leave beside the histories
/// and in batch folders. Only monitor writes there, and it holds the lock, so none is live.
fn remove_stale_temporaries(artifacts: &Path) {
    let batches = artifacts.join("batches");
    let mut dirs = vec![artifacts.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(&batches) {
        dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(".tmp-") && e.path().is_file() {
                match std::fs::remove_file(e.path()) {
                    Ok(()) => tracing::info!("removed stale {}", e.path().display()),
                    Err(err) => tracing::warn!("cannot remove {}: {err}", e.path().display()),
                }
            }
        }
    }
}

/// `driftscope monitor`: checks one batch against the champion and records the result.
pub fn monitor(args: &MonitorArgs) -> Result<MonitoringResult> {
    let cfg = &args.config;
    let _lock = lock_artifacts(&args.artifacts)?;
    remove_stale_temporaries(&args.artifacts);
    let bundle = load_champion(&args.artifacts)?;
    let (model, baseline, profile, sample) = (
        &bundle.model,
        &bundle.baseline,
        &bundle.profile,
        &bundle.sample,
    );
    let inputs = crate::inputs::read_inputs(&args.batch, args.chunk_rows, &bundle, cfg)?;
    if inputs.chunks > 1 {
        tracing::info!("read {} in {} chunks", args.batch.display(), inputs.chunks);
    }
    let batch_id = match &args.batch_id {
        Some(id) => id.clone(),
        None => args
            .batch
            .file_stem()
            .and_then(|s| s.to_str())
            .context("batch file has no name")?
            .to_string(),
    };
    if batch_id.is_empty() || batch_id.contains(['/', '\\']) || batch_id.starts_with('.') {
        bail!("batch id {batch_id:?} is not usable as a folder name");
    }
    let timestamp = match &args.timestamp {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .with_context(|| {
                format!("--timestamp {t:?}: expected RFC 3339, e.g. 2026-01-05T00:00:00Z")
            })?
            .to_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        None => chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let skip = |skipped: &mut Vec<Skipped>, check: &str, reason: &str| {
        skipped.push(Skipped {
            check: check.into(),
            reason: reason.into(),
        })
    };

    let mut skipped = inputs.skipped;
    // Data drift and data quality, each column read once.
    let batch = inputs.batch;
    let (probabilities, source, skew) = (inputs.probabilities, inputs.source, inputs.skew);
    let labels = inputs.labels;
    // The independent analyses run side by side: data drift; and, from the probabilities
    // ranked once (with their labels), performance and concept drift, then prediction drift.
    let (drift, (concept_result, prediction_drift)) = rayon::join(
        || drift_report(profile, sample, &batch, &cfg.data_drift),
        || {
            let (Some(p), Some(ranked)) = (&probabilities, inputs.ranked) else {
                return (None, None);
            };
            let concept = labels.as_ref().map(|y| {
                driftscope_performance::concept_drift_ranked(
                    y,
                    p,
                    &ranked,
                    baseline,
                    &cfg.concept_drift,
                    &cfg.retraining.model_comparison_metric,
                )
            });
            let prediction = profile.predictions.as_ref().map(|pp| {
                let d = compare_feature(
                    pp,
                    Some(&sample.predictions),
                    &ColumnValues::Numerical {
                        sorted: ranked.sorted,
                        missing: 0,
                    },
                    &cfg.data_drift,
                );
                let n = p.len() as f64;
                let mean = p.iter().sum::<f64>() / n;
                PredictionDrift {
                    psi: d.psi.unwrap_or(0.0),
                    ks_p_value: d.ks.map_or(1.0, |k| k.p_value),
                    mean_probability: mean,
                    predicted_positive_rate: p
                        .iter()
                        .filter(|x| **x >= baseline.holdout.threshold)
                        .count() as f64
                        / n,
                    baseline_predicted_positive_rate: baseline.holdout.predicted_positive_rate,
                    probability_std: (p.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt(),
                    source: source.into(),
                    skew_rows_checked: skew.0,
                    skew_rows_differing: skew.1,
                    skew_max_difference: skew.2,
                }
            });
            (concept, prediction)
        },
    );
    let mut drift = drift?;
    drift
        .extra_columns
        .retain(|c| c != &cfg.performance.prediction_column);
    let mut quality = DataQuality {
        missing_columns: drift.missing_columns.clone(),
        extra_columns: drift.extra_columns.clone(),
        ..Default::default()
    };
    let rows = batch.rows as f64;
    for (f, values) in profile.features.iter().zip(&batch.values) {
        let Some(values) = values else { continue };
        let ref_share = f.missing as f64 / (f.count + f.missing).max(1) as f64;
        match values {
            ColumnValues::NotNumerical { .. } => quality.type_changes.push(f.name.clone()),
            ColumnValues::Numerical { sorted, missing } => {
                let share = *missing as f64 / rows;
                if share > ref_share + 0.05 {
                    quality.missing_share.insert(f.name.clone(), share);
                }
                if let (Some(s), false) = (&f.summary, sorted.is_empty()) {
                    let below = sorted.partition_point(|v| *v < s.min);
                    let above = sorted.len() - sorted.partition_point(|v| *v <= s.max);
                    let out = (below + above) as f64 / sorted.len() as f64;
                    if out > 0.0 {
                        quality.out_of_range_share.insert(f.name.clone(), out);
                    }
                }
            }
            ColumnValues::Categorical { counts, missing } => {
                let share = *missing as f64 / rows;
                if share > ref_share + 0.05 {
                    quality.missing_share.insert(f.name.clone(), share);
                }
                // The most frequent never-seen categories (bounded; the drift finding counts
                // them all).
                let mut unseen: Vec<(&String, u64)> = counts
                    .iter()
                    .filter(|c| {
                        f.feature_type == FeatureType::Categorical
                            && f.categories
                                .binary_search_by(|r| r.value.as_str().cmp(&c.value))
                                .is_err()
                    })
                    .map(|c| (&c.value, c.count))
                    .collect();
                unseen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                let unseen: BTreeMap<String, u64> = unseen
                    .into_iter()
                    .take(driftscope_drift::MAX_UNSEEN_BINS)
                    .map(|(v, c)| (v.clone(), c))
                    .collect();
                if !unseen.is_empty() {
                    quality.unseen_categories.insert(f.name.clone(), unseen);
                }
            }
        }
    }

    let logged_column = &cfg.performance.prediction_column;
    quality.extra_columns.retain(|c| c != logged_column);
    // Labels: performance, concept drift, target drift.
    let target = &model.target;
    if labels.is_none() {
        for check in [
            "performance",
            "concept drift",
            "target drift",
            "rolling window",
        ] {
            skip(
                &mut skipped,
                check,
                &format!("the batch has no target column {target:?}"),
            );
        }
    }
    let (mut performance, mut concept, mut target_drift) = (None, None, None);
    if let Some(result) = concept_result {
        let (m, c) = result?;
        let pos = profile
            .target_counts
            .iter()
            .find(|c| c.value == model.positive_label)
            .map_or(0, |c| c.count);
        let neg = profile
            .target_counts
            .iter()
            .filter(|c| c.value != model.positive_label)
            .map(|c| c.count)
            .sum::<u64>();
        let chi = driftscope_drift::chi_square(&[pos, neg], &[m.positives, m.n - m.positives]);
        target_drift = Some(TargetDrift {
            positive_rate: m.positive_rate,
            reference_positive_rate: pos as f64 / (pos + neg).max(1) as f64,
            p_value: chi.map_or(1.0, |c| c.p_value),
        });
        performance = Some(m);
        concept = Some(c);
    }

    // History: rolling window and degradation, from earlier batches (this id excluded).
    let perf_path = args.artifacts.join("performance_history.json");
    let mut history: PerformanceHistory = read_or_default(&perf_path)?;
    history.entries.retain(|e| e.batch_id != batch_id);
    let earlier: Vec<&PerformanceEntry> = history
        .entries
        .iter()
        .filter(|e| e.timestamp <= timestamp)
        .collect();
    let mut rolling = None;
    if let (Some(y), Some(p)) = (&labels, &probabilities) {
        let want = cfg.concept_drift.rolling_window_size;
        // Only the newest `want` rows can be in the window.
        let tail = y.len().saturating_sub(want);
        let (mut ys, mut ps) = (y[tail..].to_vec(), p[tail..].to_vec());
        let mut contributing = vec![batch_id.clone()];
        for e in earlier.iter().rev() {
            if ys.len() >= want {
                break;
            }
            let path = args
                .artifacts
                .join("batches")
                .join(&e.batch_id)
                .join("scores.json");
            let Ok(s) = read_artifact::<BatchScores>(&path) else {
                continue;
            };
            if let Some(l) = s.labels {
                ys.splice(0..0, l);
                ps.splice(0..0, s.probabilities);
                contributing.push(e.batch_id.clone());
            }
        }
        let start = ys.len().saturating_sub(want);
        let metrics = driftscope_performance::classification_metrics(
            &ys[start..],
            &ps[start..],
            baseline.holdout.threshold,
        )?;
        contributing.reverse();
        rolling = Some(RollingWindow {
            rows: (ys.len() - start) as u64,
            batches: contributing,
            metrics,
        });
    }
    let degradation = performance.as_ref().and_then(|m| m.auc).map(|auc| {
        let mut values: Vec<f64> = earlier
            .iter()
            .filter_map(|e| e.metrics.as_ref().and_then(|m| m.auc))
            .collect();
        values.push(auc);
        let values: Vec<f64> = values[values.len().saturating_sub(5)..].to_vec();
        let slope = driftscope_performance::trend_slope(&values).unwrap_or(0.0);
        let total = slope * (values.len().max(1) - 1) as f64;
        let detected = values.len() >= 4
            && total <= -cfg.alerts.performance_alert_threshold
            && values[values.len() - 1] < values[0];
        Degradation {
            metric: "auc".into(),
            values,
            slope,
            detected,
        }
    });

    let findings = Findings {
        batch_id: &batch_id,
        timestamp: &timestamp,
        data_quality: &quality,
        drift: &drift,
        prediction: prediction_drift.as_ref(),
        performance: performance.as_ref(),
        baseline: Some(&baseline.holdout),
        concept: concept.as_ref(),
        degradation: degradation.as_ref(),
    };
    let mut alerts = raise_alerts(&findings, cfg);
    if !cfg.alerts.webhook_url.is_empty() && !alerts.is_empty() {
        let d = driftscope_alerting::deliver(
            &cfg.alerts.webhook_url,
            &alerts,
            std::time::Duration::from_secs_f64(cfg.alerts.webhook_timeout_secs),
            cfg.alerts.webhook_retries,
        );
        if !d.delivered {
            eprintln!(
                "warning: webhook delivery failed after {} attempts: {}",
                d.attempts,
                d.error.as_deref().unwrap_or("?")
            );
        }
        for a in &mut alerts {
            a.deliveries.push(d.clone());
        }
    }
    let labelled_rows: u64 = earlier
        .iter()
        .filter(|e| e.metrics.is_some())
        .map(|e| e.rows)
        .sum::<u64>()
        + labels.as_ref().map_or(0, |l| l.len() as u64);
    let retraining = retraining_decision(&findings, &alerts, labelled_rows, cfg);
    let diagnosis = Diagnosis::from_flags(
        !drift.drifted_features.is_empty(),
        concept.as_ref().is_some_and(|c| c.detected),
    );
    let result = MonitoringResult {
        batch_id: batch_id.clone(),
        timestamp: timestamp.clone(),
        model_version: model.model_version.clone(),
        rows: batch.rows,
        labelled: labels.is_some(),
        diagnosis,
        data_quality: quality,
        prediction_drift,
        target_drift,
        performance: performance.clone(),
        concept_drift: concept.clone(),
        rolling_window: rolling,
        degradation,
        alerts: alerts.clone(),
        retraining: retraining.clone(),
        skipped,
        data_drift: drift,
    };

    // Write the batch's artifacts, then the histories (each atomically; a batch id's entries
    // are replaced, never duplicated).
    let dir = args.artifacts.join("batches").join(&batch_id);
    if let Some(p) = &probabilities {
        // Only the newest rows a rolling window can use are kept.
        let keep = p
            .len()
            .saturating_sub(cfg.concept_drift.rolling_window_size);
        write_artifact(
            &dir.join("scores.json"),
            &BatchScores {
                batch_id: batch_id.clone(),
                timestamp: timestamp.clone(),
                labels: labels.as_ref().map(|l| l[keep..].to_vec()),
                probabilities: p[keep..].to_vec(),
            },
        )?;
    }
    write_artifact(&dir.join("monitoring_result.json"), &result)?;
    history.entries.push(PerformanceEntry {
        batch_id: batch_id.clone(),
        timestamp: timestamp.clone(),
        model_version: model.model_version.clone(),
        rows: result.rows,
        metrics: performance,
        expected_auc: concept.as_ref().and_then(|c| c.expected_auc),
        predicted_positive_rate: result
            .prediction_drift
            .as_ref()
            .map_or(0.0, |p| p.predicted_positive_rate),
        diagnosis,
        drift_share: result.data_drift.drift_share,
    });
    sort_by_time(&mut history.entries, |e| (&e.timestamp, &e.batch_id));
    write_artifact(&perf_path, &history)?;
    let alerts_path = args.artifacts.join("alerts_history.json");
    let mut ah: AlertsHistory = read_or_default(&alerts_path)?;
    ah.alerts.retain(|a| a.batch_id != batch_id);
    ah.alerts.extend(alerts);
    sort_by_time(&mut ah.alerts, |a| (&a.timestamp, &a.batch_id));
    write_artifact(&alerts_path, &ah)?;
    let retrain_path = args.artifacts.join("retraining_history.json");
    let mut rh: RetrainingHistory = read_or_default(&retrain_path)?;
    rh.decisions.retain(|d| d.batch_id != batch_id);
    rh.decisions.push(retraining);
    sort_by_time(&mut rh.decisions, |d| (&d.timestamp, &d.batch_id));
    write_artifact(&retrain_path, &rh)?;
    Ok(result)
}

/// Orders history entries by (timestamp, batch id), the order every history keeps.
fn sort_by_time<T>(entries: &mut [T], key: fn(&T) -> (&String, &String)) {
    entries.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// `driftscope score`: the batch with the champion's probabilities added as the
/// logged-prediction column (`performance.prediction_column`).
pub fn score(batch: &Path, artifacts: &Path, cfg: &Config) -> Result<Table> {
    let bundle = load_champion(artifacts)?;
    let table = Table::read(batch)?;
    let p = driftscope_training::predict_proba(&bundle.model, &table)?;
    Ok(table.with_numbers(&cfg.performance.prediction_column, p)?)
}

/// `driftscope check`: the alerts of the latest batch at or above `level`.
pub fn check(
    artifacts: &Path,
    level: AlertSeverity,
) -> Result<(MonitoringResult, Vec<driftscope_artifacts::Alert>)> {
    let path = artifacts.join("performance_history.json");
    if !path.exists() {
        bail!(
            "{}: no monitored batch yet; run `driftscope monitor` first",
            path.display()
        );
    }
    let history: PerformanceHistory = read_artifact(&path)?;
    let latest = history
        .entries
        .last()
        .context("the performance history is empty")?;
    let result: MonitoringResult = read_artifact(
        &artifacts
            .join("batches")
            .join(&latest.batch_id)
            .join("monitoring_result.json"),
    )?;
    let firing = result
        .alerts
        .iter()
        .filter(|a| a.severity >= level)
        .cloned()
        .collect();
    Ok((result, firing))
}
