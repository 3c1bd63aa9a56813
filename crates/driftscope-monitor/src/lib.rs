//! driftscope's composition library: everything the `driftscope` command does, callable from
//! your own Rust program. It reads data files (CSV/Parquet), `config/config.yaml` and the
//! artifacts folder, calls the domain crates (training, drift, performance, alerting, report)
//! and writes artifacts under the artifacts folder (default `artifacts/`).
//!
//! **Reads:** data files, the configuration, artifacts. **Writes:** `models/<version>/`,
//! `batches/<id>/`, the histories, the report site.
//!
//! # Example
//! ```no_run
//! use driftscope_monitor::{load_config, train, TrainArgs};
//! let args = TrainArgs {
//!     data: None,
//!     config: None,
//!     artifacts: "artifacts".into(),
//!     seed: Some(42),
//! };
//! let summary = train(&args, &load_config(args.config.as_deref())?)?;
//! println!("{}", summary.model_version);
//! # Ok::<(), driftscope_monitor::Error>(())
//! ```

pub mod args;
mod calibration;
mod champion;
mod check;
mod drift_cmd;
pub mod error;
mod eval;
mod eval_performance;
mod export;
mod inputs;
mod monitor;
pub mod outbox;
mod profile_cmd;
mod profile_inputs;
mod retrain;
mod segments;
mod simulate;
pub mod steps;
mod store;
pub mod transaction;

pub use args::{
    load_config, BaselineArgs, CheckArgs, DriftArgs, EvalArgs, ExportArgs, ExportFormat, Format,
    GenerateArgs, Level, MonitorArgs, ProfileArgs, PromoteArgs, ReportArgs, RetrainArgs,
    RollbackArgs, ScoreArgs, SimulateArgs, TrainArgs, DEFAULT_CONFIG,
};
pub use calibration::{
    calibrate, estimate_spread, CalibrationTerm, CALIBRATION_BOOTSTRAP, SCORE_SHIFT_ALPHA,
};
pub use champion::{model_history, promote, rollback, rollback_target};
pub use check::{alert_line, check, score};
pub use drift_cmd::{current_batch, drift, drift_tables, profile_table, render_text};
pub use driftscope_profile::BatchProfile;
pub use error::{Context, Error, Result};
pub use eval::{evaluate, render_eval};
pub use export::{export, prometheus_text, EXPORT_HEADER};
pub use monitor::{monitor, monitor_batch, monitor_table, BatchInputs, MonitoringOutcome};
pub use profile_cmd::{profile, profile_batch};
pub use profile_inputs::NO_ROWS;
pub use steps::prediction::ProbabilitySource;
pub use store::{ArtifactStore, Histories, ModelBundle, StoreLock};

/// Takes the exclusive lock of an artifacts folder (see [`ArtifactStore::lock`]).
pub fn lock_artifacts(artifacts: &Path) -> Result<StoreLock> {
    ArtifactStore::new(artifacts).lock()
}

/// Loads the champion of an artifacts folder (see [`ArtifactStore::champion`]).
pub fn load_champion(artifacts: &Path) -> Result<ModelBundle> {
    ArtifactStore::new(artifacts).champion()
}
pub use retrain::retrain;
pub use simulate::{batch_path, simulate};

use std::path::{Path, PathBuf};

use crate::error::bail;
use driftscope_artifacts::{
    to_artifact_bytes, write_atomic, BaselineMetrics, Config, ReferenceProfile,
};
use driftscope_data::{generate_telco_csv, sha256_hex, Table};

/// Rows generated when `train` runs without `--data` (the size of the real Telco file).
pub const GENERATED_ROWS: usize = 7043;

/// What `train` did.
#[derive(Debug, Clone)]
pub struct TrainSummary {
    /// The new model's version.
    pub model_version: String,
    /// Folder of the model's artifacts.
    pub model_dir: PathBuf,
    /// Holdout metrics.
    pub baseline: BaselineMetrics,
    /// Whether the data was generated.
    pub generated: bool,
}

/// `driftscope train`: fits the baseline model and writes its artifacts, then makes it champion.
pub fn train(args: &TrainArgs, config: &Config) -> Result<TrainSummary> {
    let seed = args.seed.unwrap_or(config.model.seed);
    let (table, path_label, sha256, generated) = match &args.data {
        Some(p) => {
            // Read (and checked to be a regular file) before the bytes are hashed.
            let table = Table::read(p)?;
            let bytes =
                std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
            (
                table,
                Some(p.display().to_string()),
                sha256_hex(&bytes),
                false,
            )
        }
        None => {
            eprintln!("no --data given: training on {GENERATED_ROWS} generated Telco-like rows (generator seed {seed})");
            let csv = generate_telco_csv(GENERATED_ROWS, seed);
            let sha = sha256_hex(&csv);
            (
                Table::from_csv_bytes("generated Telco-like data", csv)?,
                None,
                sha,
                true,
            )
        }
    };
    let source = driftscope_training::Source {
        path: path_label.as_deref(),
        sha256: &sha256,
        generator_seed: generated.then_some(seed),
    };
    let trained = train_calibrated(&table, config, seed, &source)?;
    let _lock = lock_artifacts(&args.artifacts)?;
    let (model_dir, baseline) = write_model(&args.artifacts, &trained)?;
    let version = trained.model.model_version.clone();
    driftscope_artifacts::fault_point("train-before-champion");
    let auc = baseline
        .holdout
        .auc
        .map_or("undefined".into(), |a| format!("{a:.4}"));
    champion::set_champion(
        &args.artifacts,
        &version,
        driftscope_artifacts::ChampionChange::Train,
        false,
        format!("trained; AUC {auc} on its training holdout"),
    )?;
    Ok(TrainSummary {
        model_version: version,
        model_dir,
        baseline,
        generated,
    })
}

/// `driftscope baseline`: makes the user's own model champion from reference rows carrying its
/// logged probabilities (`--prediction-column`) and labels: reference profile and sample from
/// the first part of a stratified split, the calibrator fitted on that part's logged
/// probabilities, baseline metrics on the held-out part. Monitoring then reads every batch's
/// logged predictions; steps that need the model itself (serving-skew re-scoring, `retrain`,
/// `score`) are skipped or refused, saying why.
pub fn baseline(args: &BaselineArgs, config: &Config) -> Result<TrainSummary> {
    let mut config = config.clone();
    if let Some(t) = &args.target {
        config.model.target = t.clone();
    }
    let column = args
        .prediction_column
        .clone()
        .unwrap_or_else(|| config.performance.prediction_column.clone());
    let seed = args.seed.unwrap_or(config.model.seed);
    let p = &args.data;
    // Read (and checked to be a regular file, so a named pipe cannot hang) before hashing.
    let table = Table::read(p)?;
    let bytes = std::fs::read(p).with_context(|| format!("{}: cannot read", p.display()))?;
    if !table.has_column(&column) {
        bail!(
            "{}: no column {column:?} with the model's logged predictions (--prediction-column)",
            p.display()
        );
    }
    let label = p.display().to_string();
    let sha = sha256_hex(&bytes);
    let source = driftscope_training::Source {
        path: Some(&label),
        sha256: &sha,
        generator_seed: None,
    };
    let mut trained = driftscope_training::external(&table, &column, &config, seed, &source)?;
    calibrate(&mut trained)?;
    let _lock = lock_artifacts(&args.artifacts)?;
    let (model_dir, baseline) = write_model(&args.artifacts, &trained)?;
    let version = trained.model.model_version.clone();
    champion::set_champion(
        &args.artifacts,
        &version,
        driftscope_artifacts::ChampionChange::Baseline,
        false,
        format!("your model, from its logged predictions in {column:?}"),
    )?;
    Ok(TrainSummary {
        model_version: version,
        model_dir,
        baseline,
        generated: false,
    })
}

/// Trains a model (`driftscope_training::train`) and calibrates its probabilities on the
/// cross-fitted calibration rows (`driftscope_performance::fit_calibrator`: beta calibration):
/// the calibrator and its bootstrap refits go into the model artifact and the reference
/// sample's predictions become the calibrated holdout probabilities.
pub fn train_calibrated(
    table: &Table,
    config: &driftscope_artifacts::Config,
    seed: u64,
    source: &driftscope_training::Source<'_>,
) -> Result<driftscope_training::Trained> {
    let mut trained = driftscope_training::train(table, config, seed, source)?;
    calibrate(&mut trained)?;
    Ok(trained)
}

/// Baseline metrics of a trained model from its held-out predictions (calibrated when the model
/// has a calibrator), with the calibration quality before and after calibration.
pub fn baseline_metrics(trained: &driftscope_training::Trained) -> Result<BaselineMetrics> {
    let raw = &trained.holdout_probabilities;
    let calibrated: Vec<f64> = raw.iter().map(|p| trained.model.calibrate(*p)).collect();
    let mut baseline = driftscope_performance::baseline_metrics(
        &trained.holdout_labels,
        &calibrated,
        &trained.model.model_version,
        &trained.manifest.split,
    )?;
    if let Some(c) = &trained.model.calibration {
        baseline.calibration = Some(driftscope_performance::calibration_report(
            c,
            &trained.calibration_labels,
            &trained.holdout_labels,
            raw,
            &calibrated,
        )?);
    }
    Ok(baseline)
}

/// `reference_profile.json` of a trained model: each feature's training-split values and the
/// sorted holdout predictions, binned by `driftscope-drift`.
pub fn reference_profile(trained: &driftscope_training::Trained) -> Result<ReferenceProfile> {
    let r = &trained.reference;
    let mut features = Vec::with_capacity(r.columns.len());
    for (name, values) in &r.columns {
        features.extend(driftscope_drift::feature_profile(name, values, r.n_bins)?);
    }
    let predictions = driftscope_drift::Sorted::from_sorted(&trained.sample.predictions)?;
    Ok(ReferenceProfile {
        model_version: r.model_version.clone(),
        rows: r.rows,
        n_bins: r.n_bins,
        target: r.target.clone(),
        target_counts: r.target_counts.clone(),
        features,
        excluded: r.excluded.clone(),
        predictions: Some(driftscope_drift::numerical_profile(
            "prediction",
            &predictions,
            0,
            r.n_bins,
        )?),
    })
}

/// Writes a trained model's folder `models/<version>/`: staged whole under a temporary name,
/// then renamed into place, so a reader sees either no model or a complete one.
pub fn write_model(
    artifacts: &Path,
    trained: &driftscope_training::Trained,
) -> Result<(PathBuf, BaselineMetrics)> {
    let baseline = baseline_metrics(trained)?;
    let profile = reference_profile(trained)?;
    let version = &trained.model.model_version;
    let models = artifacts.join("models");
    std::fs::create_dir_all(&models)
        .with_context(|| format!("{}: cannot create folder", models.display()))?;
    let staging = models.join(format!("{}{version}", store::STAGING_PREFIX));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("{}: cannot remove", staging.display()))?;
    }
    let files = [
        ("model.json", to_artifact_bytes(&trained.model)?),
        ("baseline_metrics.json", to_artifact_bytes(&baseline)?),
        ("reference_profile.json", to_artifact_bytes(&profile)?),
        ("reference_sample.json", to_artifact_bytes(&trained.sample)?),
        (
            "training_manifest.json",
            to_artifact_bytes(&trained.manifest)?,
        ),
    ];
    for (name, bytes) in &files {
        write_atomic(&staging.join(name), bytes)?;
    }
    let model_dir = models.join(version);
    driftscope_artifacts::fault_point("train-staged");
    replace_dir(&staging, &model_dir)?;
    Ok((model_dir, baseline))
}

/// Moves `from` onto `to`, replacing an existing folder: the old one is first renamed aside to
/// [`store::aside_name`], so a run killed between the two renames leaves it there, and the
/// next run under the lock puts it back ([`ArtifactStore::lock`]).
fn replace_dir(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        let old = store::aside_name(to);
        if old.exists() {
            std::fs::remove_dir_all(&old)
                .with_context(|| format!("{}: cannot remove", old.display()))?;
        }
        std::fs::rename(to, &old)
            .with_context(|| format!("{}: cannot move aside", to.display()))?;
        driftscope_artifacts::fault_point("train-aside");
        if let Err(e) = std::fs::rename(from, to) {
            // Put the old folder back so the champion keeps pointing at a complete model.
            let _ = std::fs::rename(&old, to);
            return Err(e).with_context(|| format!("{}: cannot move into place", to.display()));
        }
        driftscope_artifacts::fault_point("train-placed");
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("{}: cannot remove", old.display()))?;
    } else {
        std::fs::rename(from, to)
            .with_context(|| format!("{}: cannot move into place", to.display()))?;
    }
    if from.exists() {
        bail!("{}: staging folder left behind", from.display());
    }
    Ok(())
}

/// `driftscope report`: renders the static site of an artifacts folder into `out`.
pub fn report(args: &ReportArgs) -> Result<driftscope_report::SiteSummary> {
    ArtifactStore::new(&args.artifacts).require_champion()?;
    Ok(driftscope_report::render(
        &args.artifacts,
        &args.templates,
        &args.out,
    )?)
}

/// `driftscope generate`: seeded Telco-like rows written as CSV (or Parquet when `out` ends
/// in `.parquet`).
pub fn generate(args: &GenerateArgs) -> Result<()> {
    let (out, csv) = (&args.out, generate_telco_csv(args.rows, args.seed));
    if out.extension().is_some_and(|e| e == "parquet") {
        // The CSV reader infers a column's type from its first rows, so `TotalCharges` (blank
        // for new customers) would read as numbers in one file and as text in another; Parquet
        // files of one dataset must share a schema (the query engines refuse to mix them), so
        // it is always written as floats, blanks as nulls.
        Table::from_csv_bytes("generated", csv)?
            .with_float_column("TotalCharges")?
            .write_parquet(out)?;
    } else {
        write_atomic(out, &csv)?;
    }
    Ok(())
}

/// The shape of a file as a plain polars read sees it (the bench's baseline).
pub fn read_shape(file: &Path) -> Result<(usize, usize)> {
    Ok(driftscope_data::polars_read_shape(file)?)
}

/// Reads a CSV or Parquet file as a [`Table`].
pub fn read_table(path: &Path) -> Result<Table> {
    Ok(Table::read(path)?)
}
