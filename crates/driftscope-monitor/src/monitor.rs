//! `driftscope monitor`: the pure core [`monitor_batch`] and the edge [`monitor`] that reads
//! the batch and the artifacts, runs the core, and commits everything it writes as one
//! transaction before any alert is delivered.

use driftscope_alerting::{raise_alerts, retraining_decision, Findings};
use driftscope_artifacts::{
    Action, BatchScores, Config, Diagnosis, MonitoringResult, PerformanceEntry, Skipped,
};
use driftscope_data::Table;
use driftscope_drift::{drift_report, drift_report_of_profile, CurrentBatch};
use driftscope_performance::Ranked;
use driftscope_profile::BatchProfile;

use crate::args::MonitorArgs;
use crate::error::{bail, Context, Result};
use crate::outbox;
use crate::steps::{self, prediction::ProbabilitySource};
use crate::store::{ArtifactStore, Histories, ModelBundle};
use crate::transaction::Transaction;

/// What monitoring needs to know of one batch, already read and validated.
pub struct BatchInputs {
    /// Batch id.
    pub batch_id: String,
    /// Timestamp, RFC 3339 UTC.
    pub timestamp: String,
    /// Row count, feature values and extra columns.
    pub batch: CurrentBatch,
    /// Probabilities per row (`None` when the model cannot score the batch).
    pub probabilities: Option<Vec<f64>>,
    /// Where the probabilities came from and the serving-skew check.
    pub origin: ProbabilitySource,
    /// Labels per row (`None` without a target column).
    pub labels: Option<Vec<bool>>,
    /// The probabilities sorted once, with their labels.
    pub ranked: Option<Ranked>,
    /// Each feature's segment per row (labelled batches), to locate a concept drift.
    pub segments: Option<Vec<driftscope_performance::SegmentColumn>>,
    /// Checks already skipped while reading, with reasons.
    pub skipped: Vec<Skipped>,
    /// Earlier labelled batches' stored scores, newest first (for the rolling window).
    pub window_scores: Vec<BatchScores>,
    /// The batch as a profile (`monitor --profile`): data drift is computed from it
    /// ([`drift_report_of_profile`]), and every check that needs rows is reported as not
    /// checked. `None` for a batch of rows.
    pub profile: Option<BatchProfile>,
}

/// Everything one monitored batch changes, ready to be committed.
#[derive(Debug, Clone)]
pub struct MonitoringOutcome {
    /// The batch's result (`batches/<id>/monitoring_result.json`).
    pub result: MonitoringResult,
    /// The newest scores a rolling window can use (`batches/<id>/scores.json`).
    pub scores: Option<BatchScores>,
    /// The histories with this batch's entries replaced or added (and the incidents rebuilt).
    pub histories: Histories,
    /// The incident events this batch caused (opened, escalated, resolved): what the webhook
    /// posts.
    pub events: Vec<driftscope_artifacts::IncidentEvent>,
}

/// The analyses that do not depend on each other, run side by side.
struct Analyses {
    drift: driftscope_artifacts::DriftReport,
    prediction: Option<driftscope_artifacts::PredictionDrift>,
    estimated: Option<driftscope_artifacts::EstimatedPerformance>,
    concept: Option<
        std::result::Result<
            (
                driftscope_artifacts::ClassificationMetrics,
                driftscope_artifacts::ConceptDrift,
            ),
            driftscope_performance::PerformanceError,
        >,
    >,
}

fn analyse(champion: &ModelBundle, inputs: &mut BatchInputs, cfg: &Config) -> Result<Analyses> {
    let (profile, sample, baseline) = (&champion.profile, &champion.sample, &champion.baseline);
    let ranked = inputs.ranked.take();
    let (p, y, origin) = (&inputs.probabilities, &inputs.labels, inputs.origin);
    let calibrated = champion.model.calibration.is_some();
    let batch_profile = inputs.profile.as_ref();
    let (drift, (concept, prediction, estimated)) = rayon::join(
        || match batch_profile {
            Some(b) => drift_report_of_profile(profile, sample, b, &cfg.data_drift),
            None => drift_report(profile, sample, &inputs.batch, &cfg.data_drift),
        },
        || {
            let (Some(p), Some(ranked)) = (p, ranked) else {
                return (None, None, None);
            };
            let estimated = (!ranked.sorted.is_empty()).then(|| {
                let t = baseline.holdout.threshold;
                let term =
                    crate::estimate_spread(&champion.model, &ranked.sorted, t, &sample.predictions);
                let mut e = driftscope_performance::estimate_performance_sorted(
                    &ranked.sorted,
                    t,
                    term.spread.as_ref(),
                    calibrated,
                );
                e.notes.extend(term.note);
                e
            });
            let concept = y.as_ref().map(|y| {
                driftscope_performance::concept_drift_ranked(
                    y,
                    p,
                    &ranked,
                    baseline,
                    &cfg.concept_drift,
                    &cfg.retraining.model_comparison_metric,
                )
            });
            let prediction = steps::prediction_drift(
                p,
                ranked.sorted,
                profile,
                sample,
                baseline,
                origin,
                &cfg.data_drift,
            );
            (concept, prediction, estimated)
        },
    );
    let mut drift = drift?;
    drift
        .extra_columns
        .retain(|c| c != &cfg.performance.prediction_column);
    Ok(Analyses {
        drift,
        prediction,
        estimated,
        concept,
    })
}

/// Monitors one batch: every check, the alerts and the retraining decision, and the
/// histories as they will be after this batch. Pure: reads no file and no clock.
pub fn monitor_batch(
    champion: &ModelBundle,
    mut inputs: BatchInputs,
    histories: &Histories,
    cfg: &Config,
) -> Result<MonitoringOutcome> {
    let a = analyse(champion, &mut inputs, cfg)?;
    let quality = steps::data_quality(&champion.profile, &inputs.batch, &a.drift);
    let mut skipped = std::mem::take(&mut inputs.skipped);
    if inputs.labels.is_none() && inputs.profile.is_none() {
        skipped.extend(label_checks_skipped(&champion.model.target));
    }
    let (performance, concept, target_drift) = label_metrics(champion, a.concept)?;
    let segments = concept
        .as_ref()
        .filter(|c| c.detected)
        .map(|_| locate(&inputs, champion.baseline.holdout.threshold))
        .transpose()?
        .flatten();
    let (id, ts) = (&inputs.batch_id, &inputs.timestamp);
    let earlier = earlier_entries(histories, id, ts);
    let threshold = champion.baseline.holdout.threshold;
    let rolling = rolling_window_of(&inputs, threshold, cfg)?;
    let degradation = auc_degradation(performance.as_ref(), &earlier, cfg);
    let findings = Findings {
        batch_id: id,
        timestamp: ts,
        data_quality: &quality,
        drift: &a.drift,
        prediction: a.prediction.as_ref(),
        performance: performance.as_ref(),
        baseline: Some(&champion.baseline.holdout),
        concept: concept.as_ref(),
        degradation: degradation.as_ref(),
        estimated: a.estimated.as_ref(),
    };
    let alerts = raise_alerts(&findings, cfg);
    let labelled_rows = labelled_rows(&earlier, &inputs);
    let mut retraining = retraining_decision(&findings, &alerts, labelled_rows, cfg);
    let switch = champion_switch(histories, &earlier, &champion.model.model_version);
    driftscope_alerting::rollback_advice(&mut retraining, switch.as_ref());
    let mut parts = driftscope_alerting::diagnose(&findings, &alerts);
    if inputs.profile.is_some() {
        crate::profile_inputs::mark_rowless(&mut parts);
    }
    let parts = Some(parts);
    let diagnosis = Diagnosis::from_flags(
        !a.drift.alerting_drifted().is_empty(),
        concept.as_ref().is_some_and(|c| c.detected),
    );
    let result = MonitoringResult {
        batch_id: id.clone(),
        timestamp: ts.clone(),
        model_version: champion.model.model_version.clone(),
        rows: inputs.batch.rows,
        labelled: inputs.labels.is_some(),
        diagnosis,
        parts,
        data_quality: quality,
        prediction_drift: a.prediction,
        target_drift,
        performance,
        estimated_performance: a.estimated,
        concept_drift: concept,
        segments,
        rolling_window: rolling,
        degradation,
        alerts,
        retraining,
        skipped,
        data_drift: a.drift,
    };
    let scores = window_scores_of(&inputs, cfg.concept_drift.rolling_window_size);
    let mut histories = updated_histories(histories, &result);
    let events = steps::record_incidents(&mut histories, &result.batch_id);
    Ok(MonitoringOutcome {
        result,
        scores,
        histories,
        events,
    })
}

/// The batch's performance metrics, concept drift and target drift (all `None` without labels).
type LabelMetrics = (
    Option<driftscope_artifacts::ClassificationMetrics>,
    Option<driftscope_artifacts::ConceptDrift>,
    Option<driftscope_artifacts::TargetDrift>,
);

fn label_metrics(
    champion: &ModelBundle,
    concept: Option<
        std::result::Result<
            (
                driftscope_artifacts::ClassificationMetrics,
                driftscope_artifacts::ConceptDrift,
            ),
            driftscope_performance::PerformanceError,
        >,
    >,
) -> Result<LabelMetrics> {
    let Some(result) = concept else {
        return Ok((None, None, None));
    };
    let (m, c) = result?;
    let target_drift = steps::target_drift(&m, &champion.profile, &champion.model.positive_label);
    Ok((Some(m), Some(c), Some(target_drift)))
}

/// The champion change between the previous batch (the latest of `earlier`) and this one, with
/// whether that batch was fine (its action `none` or `watch`).
fn champion_switch(
    histories: &Histories,
    earlier: &[&PerformanceEntry],
    current: &str,
) -> Option<driftscope_alerting::ChampionSwitch> {
    let prev = earlier.last().filter(|e| e.model_version != current)?;
    let fine = histories
        .retraining
        .decisions
        .iter()
        .find(|d| d.batch_id == prev.batch_id)
        .is_some_and(|d| matches!(d.action, Action::None | Action::Watch));
    Some(driftscope_alerting::ChampionSwitch {
        previous_version: prev.model_version.clone(),
        previous_batch: prev.batch_id.clone(),
        previous_fine: fine,
        current_version: current.to_string(),
    })
}

/// Where the concept drift of a labelled batch is (`None` without labels, probabilities or
/// segments).
fn locate(
    inputs: &BatchInputs,
    threshold: f64,
) -> Result<Option<driftscope_artifacts::SegmentAnalysis>> {
    let (Some(y), Some(p), Some(columns)) =
        (&inputs.labels, &inputs.probabilities, &inputs.segments)
    else {
        return Ok(None);
    };
    Ok(Some(driftscope_performance::locate_segments(
        y, p, threshold, columns,
    )?))
}

/// The performance history of other batches up to this batch's timestamp.
fn earlier_entries<'h>(histories: &'h Histories, id: &str, ts: &str) -> Vec<&'h PerformanceEntry> {
    histories
        .performance
        .entries
        .iter()
        .filter(|e| e.batch_id != id && e.timestamp.as_str() <= ts)
        .collect()
}

/// The rolling window over this batch and earlier labelled scores (needs labels and
/// probabilities).
fn rolling_window_of(
    inputs: &BatchInputs,
    threshold: f64,
    cfg: &Config,
) -> Result<Option<driftscope_artifacts::RollingWindow>> {
    let (Some(y), Some(p)) = (&inputs.labels, &inputs.probabilities) else {
        return Ok(None);
    };
    Ok(Some(steps::rolling_window(
        &inputs.batch_id,
        y,
        p,
        &inputs.window_scores,
        cfg.concept_drift.rolling_window_size,
        threshold,
    )?))
}

/// This batch's AUC against the AUC history of earlier batches, each with its standard error.
fn auc_degradation(
    performance: Option<&driftscope_artifacts::ClassificationMetrics>,
    earlier: &[&PerformanceEntry],
    cfg: &Config,
) -> Option<driftscope_artifacts::Degradation> {
    let with_se = |m: &driftscope_artifacts::ClassificationMetrics| {
        m.auc.map(|a| {
            let se = driftscope_performance::auc_standard_error(a, m.positives, m.n - m.positives);
            (a, se)
        })
    };
    performance.and_then(with_se).map(|auc| {
        let history: Vec<(f64, f64)> = earlier
            .iter()
            .filter_map(|e| e.metrics.as_ref().and_then(with_se))
            .collect();
        steps::degradation(&history, auc, cfg.alerts.performance_alert_threshold)
    })
}

/// Labelled rows so far: earlier labelled batches plus this one's.
fn labelled_rows(earlier: &[&PerformanceEntry], inputs: &BatchInputs) -> u64 {
    earlier
        .iter()
        .filter(|e| e.metrics.is_some())
        .map(|e| e.rows)
        .sum::<u64>()
        + inputs.labels.as_ref().map_or(0, |l| l.len() as u64)
}

fn label_checks_skipped(target: &str) -> Vec<Skipped> {
    [
        "performance",
        "concept drift",
        "target drift",
        "rolling window",
    ]
    .into_iter()
    .map(|check| Skipped {
        check: check.into(),
        reason: format!("the batch has no target column {target:?}"),
    })
    .collect()
}

/// The newest rows a rolling window can use (only those are kept).
fn window_scores_of(inputs: &BatchInputs, window: usize) -> Option<BatchScores> {
    let p = inputs.probabilities.as_ref()?;
    let keep = p.len().saturating_sub(window);
    Some(BatchScores {
        batch_id: inputs.batch_id.clone(),
        timestamp: inputs.timestamp.clone(),
        labels: inputs.labels.as_ref().map(|l| l[keep..].to_vec()),
        probabilities: p[keep..].to_vec(),
    })
}

/// The histories with this batch's entries replaced (never duplicated), ordered by
/// (timestamp, batch id).
fn updated_histories(h: &Histories, r: &MonitoringResult) -> Histories {
    let mut h = h.clone();
    let id = &r.batch_id;
    // A re-monitored batch keeps its place in the monitoring order, so a re-run (e.g. the one
    // completing a killed run) gives byte-identical histories.
    let sequence = h
        .performance
        .entries
        .iter()
        .find(|e| &e.batch_id == id && e.sequence > 0)
        .map_or_else(|| h.performance.next_sequence(), |e| e.sequence);
    h.performance.entries.retain(|e| &e.batch_id != id);
    h.performance.entries.push(PerformanceEntry {
        batch_id: id.clone(),
        timestamp: r.timestamp.clone(),
        model_version: r.model_version.clone(),
        rows: r.rows,
        metrics: r.performance.clone(),
        expected_auc: r.concept_drift.as_ref().and_then(|c| c.expected_auc),
        predicted_positive_rate: r
            .prediction_drift
            .as_ref()
            .map_or(0.0, |p| p.predicted_positive_rate),
        diagnosis: r.diagnosis,
        drift_share: r.data_drift.alerting_share(),
        sequence,
    });
    sort_by_time(&mut h.performance.entries, |e| (&e.timestamp, &e.batch_id));
    h.alerts.alerts.retain(|a| &a.batch_id != id);
    h.alerts.alerts.extend(r.alerts.iter().cloned());
    sort_by_time(&mut h.alerts.alerts, |a| (&a.timestamp, &a.batch_id));
    h.retraining.decisions.retain(|d| &d.batch_id != id);
    h.retraining.decisions.push(r.retraining.clone());
    sort_by_time(&mut h.retraining.decisions, |d| (&d.timestamp, &d.batch_id));
    h
}

/// Orders history entries by (timestamp, batch id), the order every history keeps.
fn sort_by_time<T>(entries: &mut [T], key: fn(&T) -> (&String, &String)) {
    entries.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// The batch id: `--batch-id`, or the file name without its extension. It names a folder and
/// appears in every history, log line and alert, so it must be one plain folder name of at most
/// [`MAX_NAME_BYTES`](driftscope_artifacts::MAX_NAME_BYTES) bytes without control characters
/// (newlines would forge log lines) and not hidden (`.`-prefixed names are driftscope's own).
fn batch_id_of(args: &MonitorArgs) -> Result<String> {
    let input = input_path(args)?;
    let (id, from) = match &args.batch_id {
        Some(id) => (id.clone(), "--batch-id".to_string()),
        None => (
            input
                .file_stem()
                .and_then(|s| s.to_str())
                .with_context(|| {
                    format!(
                        "{}: the batch file has no usable name; pass --batch-id",
                        input.display()
                    )
                })?
                .to_string(),
            format!("the name of {}; pass --batch-id", input.display()),
        ),
    };
    let checked = driftscope_artifacts::check_folder_name("batch id", &id);
    if let Err(e) = checked {
        bail!("batch id {id:?} (from {from}): {}", e.message);
    }
    if id.starts_with('.') {
        bail!("batch id {id:?} (from {from}): must not start with '.'");
    }
    Ok(id)
}

/// The file naming the batch: `--profile` or `--batch` (exactly one of them).
pub(crate) fn input_path(args: &MonitorArgs) -> Result<&std::path::Path> {
    match (&args.batch, &args.profile) {
        (Some(b), None) => Ok(b),
        (None, Some(p)) => Ok(p),
        _ => bail!("give the batch as --batch (rows) or --profile, not both"),
    }
}

/// `--timestamp` normalised to RFC 3339 UTC seconds, or now.
fn timestamp_of(args: &MonitorArgs) -> Result<String> {
    let t = match &args.timestamp {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map_err(crate::Error::external)
            .with_context(|| {
                format!("--timestamp {t:?}: expected RFC 3339, e.g. 2026-01-05T00:00:00Z")
            })?
            .to_utc(),
        None => chrono::Utc::now(),
    };
    Ok(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Refuses arguments that cannot work before anything is read or locked.
fn check_monitor_args(args: &MonitorArgs) -> Result<()> {
    if args.chunk_rows == Some(0) {
        bail!("--chunk-rows 0: expected at least 1 row per chunk");
    }
    if args.profile.is_some() && args.chunk_rows.is_some() {
        bail!("--chunk-rows: applies to --batch rows only (a profile is read whole)");
    }
    batch_id_of(args)?;
    Ok(())
}

/// `driftscope monitor`: checks one batch against the champion, commits the batch folder,
/// the histories and the webhook outbox as one transaction, then delivers pending alerts.
///
/// With `--profile` the batch is a `batch_profile` made against the champion: data drift and
/// the count-based data-quality checks as from its rows; every check that needs rows is
/// reported as not checked with the reason [`crate::NO_ROWS`]. A profile not made against the
/// champion's reference is refused.
pub fn monitor(args: &MonitorArgs, cfg: &Config) -> Result<MonitoringResult> {
    check_monitor_args(args)?;
    let input = input_path(args)?;
    tracing::info!("monitoring {}", input.display());
    let store = ArtifactStore::new(&args.artifacts);
    let _lock = store.lock_trained()?;
    let champion = store.champion()?;
    let read = match &args.profile {
        Some(p) => crate::profile_inputs::profile_inputs(p, &champion)?,
        None => crate::inputs::read_inputs(input, args.chunk_rows, &champion, cfg)?,
    };
    if read.chunks > 1 {
        tracing::info!("read {} in {} chunks", input.display(), read.chunks);
    }
    monitor_read(&store, &champion, read, args, cfg)
}

/// `monitor` on a batch already in memory (the Python package's `Monitor.monitor` on a data
/// frame): `args.batch` only names it (in messages, and as the batch id when `args.batch_id`
/// is absent); `args.chunk_rows` does not apply.
pub fn monitor_table(table: &Table, args: &MonitorArgs, cfg: &Config) -> Result<MonitoringResult> {
    check_monitor_args(args)?;
    let store = ArtifactStore::new(&args.artifacts);
    let _lock = store.lock_trained()?;
    let champion = store.champion()?;
    let read = crate::inputs::table_inputs(table, &champion, cfg)?;
    monitor_read(&store, &champion, read, args, cfg)
}

/// Monitors the inputs read from a batch and commits the outcome (the store is locked).
fn monitor_read(
    store: &ArtifactStore,
    champion: &ModelBundle,
    read: crate::inputs::Inputs,
    args: &MonitorArgs,
    cfg: &Config,
) -> Result<MonitoringResult> {
    let (batch_id, timestamp) = (batch_id_of(args)?, timestamp_of(args)?);
    let histories = store.histories()?;
    let earlier: Vec<&PerformanceEntry> = histories
        .performance
        .entries
        .iter()
        .filter(|e| e.batch_id != batch_id && e.timestamp <= timestamp)
        .collect();
    let window_scores = if read.labels.is_some() && read.probabilities.is_some() {
        store.window_scores(&earlier, cfg.concept_drift.rolling_window_size)
    } else {
        Vec::new()
    };
    let inputs = BatchInputs {
        batch_id,
        timestamp,
        batch: read.batch,
        probabilities: read.probabilities,
        origin: ProbabilitySource {
            source: read.source,
            skew: read.skew,
        },
        labels: read.labels,
        ranked: read.ranked,
        segments: read.segments,
        skipped: read.skipped,
        window_scores,
        profile: read.profile,
    };
    let mut outcome = monitor_batch(champion, inputs, &histories, cfg)?;
    commit(store, &mut outcome, cfg)?;
    let delivered = outbox::deliver_pending(store, cfg)?;
    let id = &outcome.result.batch_id;
    Ok(delivered
        .into_iter()
        .find(|r| &r.batch_id == id)
        .unwrap_or(outcome.result))
}

/// Stages every file of the outcome (and the outbox entry of its alerts) and commits them.
fn commit(store: &ArtifactStore, outcome: &mut MonitoringOutcome, cfg: &Config) -> Result<()> {
    let mut tx = Transaction::new(store.root());
    outbox::stage(store, &mut tx, outcome, cfg)?;
    let r = &outcome.result;
    let dir = store.batch_dir(&r.batch_id);
    if let Some(scores) = &outcome.scores {
        tx.stage(&dir.join("scores.json"), scores)?;
    }
    tx.stage(&dir.join("monitoring_result.json"), r)?;
    tx.stage(&store.performance_path(), &outcome.histories.performance)?;
    tx.stage(&store.alerts_path(), &outcome.histories.alerts)?;
    tx.stage(&store.retraining_path(), &outcome.histories.retraining)?;
    tx.commit()
}
