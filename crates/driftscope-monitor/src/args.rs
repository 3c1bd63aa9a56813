//! The arguments of every command, as plain structs. With the `clap` feature they derive
//! `clap::Args`, so the `driftscope` binary parses straight into them (their doc comments are
//! the command-line help).

use std::path::{Path, PathBuf};

use driftscope_artifacts::{AlertSeverity, Config};

use crate::error::Result;

/// The configuration file read when `--config` is not given (built-in defaults when absent).
pub const DEFAULT_CONFIG: &str = "config/config.yaml";

/// Loads the configuration: `path` when given (it must exist), else `config/config.yaml`
/// when it exists, else the built-in defaults.
pub fn load_config(path: Option<&Path>) -> Result<Config> {
    match path {
        Some(p) => Ok(Config::load(p)?),
        None if Path::new(DEFAULT_CONFIG).exists() => Ok(Config::load(Path::new(DEFAULT_CONFIG))?),
        None => {
            eprintln!("note: {DEFAULT_CONFIG} not found, using the default configuration");
            Ok(Config::default())
        }
    }
}

/// Arguments of `driftscope train`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct TrainArgs {
    /// Training data (CSV or Parquet); generated Telco-like data when absent.
    #[cfg_attr(feature = "clap", arg(long))]
    pub data: Option<PathBuf>,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Seed of every random step (overrides model.seed).
    #[cfg_attr(feature = "clap", arg(long))]
    pub seed: Option<u64>,
}

/// Arguments of `driftscope baseline`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct BaselineArgs {
    /// Reference rows (CSV or Parquet) carrying your model's logged probabilities and the
    /// labels.
    #[cfg_attr(feature = "clap", arg(long))]
    pub data: PathBuf,
    /// Column of the logged probabilities of the positive class (default:
    /// performance.prediction_column).
    #[cfg_attr(feature = "clap", arg(long))]
    pub prediction_column: Option<String>,
    /// Target column (default: model.target).
    #[cfg_attr(feature = "clap", arg(long))]
    pub target: Option<String>,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Seed of the reference/held-out split (overrides model.seed).
    #[cfg_attr(feature = "clap", arg(long))]
    pub seed: Option<u64>,
}

/// Output format of `driftscope drift`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// The drift report artifact (JSON with its envelope).
    Json,
    /// A table for people.
    #[default]
    Text,
}

/// Arguments of `driftscope drift`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct DriftArgs {
    /// Reference data (CSV or Parquet).
    #[cfg_attr(feature = "clap", arg(long))]
    pub reference: PathBuf,
    /// Current data (CSV or Parquet) with the same columns.
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            required_unless_present = "current_profile",
            conflicts_with = "current_profile"
        )
    )]
    pub current: Option<PathBuf>,
    /// The current batch as a profile (`driftscope profile --reference` of the same reference
    /// file) instead of rows: the same report, exact fields byte-identical.
    #[cfg_attr(feature = "clap", arg(long))]
    pub current_profile: Option<PathBuf>,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
    /// Output format.
    #[cfg_attr(feature = "clap", arg(long, value_enum, default_value = "text"))]
    pub format: Format,
    /// Write the report here instead of standard output.
    #[cfg_attr(feature = "clap", arg(long))]
    pub output: Option<PathBuf>,
}

/// Arguments of `driftscope profile`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ProfileArgs {
    /// Engine computing the profile: `local` (this process, the streaming reader).
    #[cfg_attr(feature = "clap", arg(long, default_value = "local"))]
    pub engine: String,
    /// Batch data (CSV or Parquet).
    #[cfg_attr(feature = "clap", arg(long))]
    pub batch: PathBuf,
    /// Write the profile (`batch_profile` artifact) here.
    #[cfg_attr(feature = "clap", arg(long))]
    pub out: PathBuf,
    /// Reference data file (as `drift --reference`); without it, the champion's reference in
    /// `--artifacts`.
    #[cfg_attr(feature = "clap", arg(long))]
    pub reference: Option<PathBuf>,
    /// Artifacts folder (the champion's reference, when `--reference` is not given).
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Distinct values a numerical column keeps exactly; past it, fine-bin counts.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = driftscope_profile::DEFAULT_VALUE_CAP))]
    pub value_cap: u64,
    /// Fine bins per numerical column past the cap (reference quantiles).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = driftscope_profile::DEFAULT_FINE_BINS))]
    pub fine_bins: usize,
    /// Read a CSV batch in chunks of this many rows (each chunk profiled, the parts merged).
    #[cfg_attr(feature = "clap", arg(long))]
    pub chunk_rows: Option<usize>,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}

/// Arguments of `driftscope simulate`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SimulateArgs {
    /// Source data (the training file).
    #[cfg_attr(feature = "clap", arg(long))]
    pub data: PathBuf,
    /// Output folder.
    #[cfg_attr(feature = "clap", arg(long))]
    pub out: PathBuf,
    /// Number of batches.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 5))]
    pub batches: usize,
    /// Rows per batch.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 2000))]
    pub batch_rows: usize,
    /// Seed (default: model.seed, so batches come from the rows training held out).
    #[cfg_attr(feature = "clap", arg(long))]
    pub seed: Option<u64>,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}

/// Arguments of `driftscope monitor`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct MonitorArgs {
    /// Batch data (CSV or Parquet); without the target column, label-free checks only.
    #[cfg_attr(
        feature = "clap",
        arg(long, required_unless_present = "profile", conflicts_with = "profile")
    )]
    pub batch: Option<PathBuf>,
    /// The batch as a profile (`driftscope profile --artifacts` against the champion) instead
    /// of rows: data drift and the count-based data-quality checks as from the rows; the checks
    /// that need rows (predictions, performance, concept drift, segments, serving skew) are
    /// reported as not checked.
    #[cfg_attr(feature = "clap", arg(long))]
    pub profile: Option<PathBuf>,
    /// Batch id (default: the file name without extension).
    #[cfg_attr(feature = "clap", arg(long))]
    pub batch_id: Option<String>,
    /// Batch timestamp, RFC 3339 (default: now).
    #[cfg_attr(feature = "clap", arg(long))]
    pub timestamp: Option<String>,
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
    /// Read a CSV batch in chunks of this many rows (memory bounded by the numerical
    /// columns). Default: only a file too large for the memory available is streamed.
    #[cfg_attr(feature = "clap", arg(long))]
    pub chunk_rows: Option<usize>,
}

/// Arguments of `driftscope retrain`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct RetrainArgs {
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Recent labelled batches, oldest first.
    #[cfg_attr(feature = "clap", arg(long, num_args = 1..))]
    pub data: Vec<PathBuf>,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}

/// Arguments of `driftscope promote`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct PromoteArgs {
    /// The model version to make champion (a folder under models/).
    pub version: String,
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Promote even when the model's AUC is below performance.min_auc.
    #[cfg_attr(feature = "clap", arg(long))]
    pub force: bool,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}

/// Arguments of `driftscope rollback`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct RollbackArgs {
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Roll back even when the earlier model's AUC is below performance.min_auc.
    #[cfg_attr(feature = "clap", arg(long))]
    pub force: bool,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}

/// Arguments of `driftscope report`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ReportArgs {
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Output folder (replaced only when report itself wrote it).
    #[cfg_attr(feature = "clap", arg(long, default_value = "site"))]
    pub out: PathBuf,
    /// Templates folder (default: ./templates when it exists, else the templates built into
    /// the binary).
    #[cfg_attr(feature = "clap", arg(long, default_value = "templates"))]
    pub templates: PathBuf,
}

/// The lowest alert severity that makes `check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Level {
    /// LOW and above.
    Low,
    /// MEDIUM and above.
    Medium,
    /// HIGH only.
    High,
}

impl Level {
    /// The alert severity this level starts at.
    pub fn severity(self) -> AlertSeverity {
        match self {
            Level::Low => AlertSeverity::Low,
            Level::Medium => AlertSeverity::Medium,
            Level::High => AlertSeverity::High,
        }
    }
}

/// Arguments of `driftscope check`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CheckArgs {
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Lowest severity that fails.
    #[cfg_attr(feature = "clap", arg(long, value_enum))]
    pub fail_on: Level,
    /// The batch to judge; default: the batch monitored last (not the latest timestamp).
    #[cfg_attr(feature = "clap", arg(long))]
    pub batch: Option<String>,
}

/// Output format of `driftscope export`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum ExportFormat {
    /// The Prometheus text exposition format (node_exporter textfile collector, Pushgateway).
    #[default]
    Prometheus,
}

/// Arguments of `driftscope export`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ExportArgs {
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Output format.
    #[cfg_attr(feature = "clap", arg(long, value_enum, default_value = "prometheus"))]
    pub format: ExportFormat,
    /// Write to this file (atomically; only over an earlier export) instead of standard output.
    #[cfg_attr(feature = "clap", arg(long))]
    pub out: Option<PathBuf>,
}

/// Arguments of `driftscope generate`.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct GenerateArgs {
    /// Rows to generate.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 7043))]
    pub rows: usize,
    /// Generator seed.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 42))]
    pub seed: u64,
    /// Output file (.parquet for Parquet, else CSV).
    #[cfg_attr(feature = "clap", arg(long))]
    pub out: PathBuf,
}

/// Arguments of `driftscope score`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ScoreArgs {
    /// Batch file (CSV or Parquet).
    #[cfg_attr(feature = "clap", arg(long))]
    pub batch: PathBuf,
    /// Artifacts folder.
    #[cfg_attr(feature = "clap", arg(long, default_value = "artifacts"))]
    pub artifacts: PathBuf,
    /// Output file (.parquet for Parquet, else CSV).
    #[cfg_attr(feature = "clap", arg(long))]
    pub out: PathBuf,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}

/// Arguments of `driftscope eval`.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct EvalArgs {
    /// A real file to evaluate on as well.
    #[cfg_attr(feature = "clap", arg(long))]
    pub data: Option<PathBuf>,
    /// Batch sizes, comma-separated.
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            default_value = "50,100,500,1000,5000,50000",
            value_delimiter = ','
        )
    )]
    pub sizes: Vec<usize>,
    /// Batches per condition and size.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 200))]
    pub batches: usize,
    /// Random train / held-out splits of each dataset for the performance rules (each trains
    /// a model; 0 skips the performance evaluation).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 20))]
    pub splits: usize,
    /// Seed of every random draw.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 42))]
    pub seed: u64,
    /// Where to write detector_evaluation.json.
    #[cfg_attr(feature = "clap", arg(long))]
    pub out: PathBuf,
    /// Configuration file.
    #[cfg_attr(feature = "clap", arg(long))]
    pub config: Option<PathBuf>,
}
