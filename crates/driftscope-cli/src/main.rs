//! The `driftscope` binary: parses arguments, calls the library, maps errors to exit code 2.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Watches machine-learning models after deployment.
#[derive(Parser)]
#[command(name = "driftscope", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train the baseline model and write its artifacts (generated data when --data is absent).
    Train {
        /// Training data (CSV or Parquet).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Artifacts folder.
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// Seed of every random step (overrides model.seed).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Compare a current file with a reference file (no model needed).
    Drift {
        /// Reference data (CSV or Parquet).
        #[arg(long)]
        reference: PathBuf,
        /// Current data (CSV or Parquet) with the same columns.
        #[arg(long)]
        current: PathBuf,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Write the report here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Simulate production batches with injected, recorded drift (writes CSVs + scenario.json).
    Simulate {
        /// Source data (the training file).
        #[arg(long)]
        data: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Number of batches.
        #[arg(long, default_value_t = 5)]
        batches: usize,
        /// Rows per batch.
        #[arg(long, default_value_t = 2000)]
        batch_rows: usize,
        /// Seed (default: model.seed, so batches come from the rows training held out).
        #[arg(long)]
        seed: Option<u64>,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Monitor one production batch against the champion model; writes `batches/<id>/` and the histories.
    Monitor {
        /// Batch data (CSV or Parquet); without the target column, label-free checks only.
        #[arg(long)]
        batch: PathBuf,
        /// Batch id (default: the file name without extension).
        #[arg(long)]
        batch_id: Option<String>,
        /// Batch timestamp, RFC 3339 (default: now).
        #[arg(long)]
        timestamp: Option<String>,
        /// Artifacts folder.
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Read a CSV batch in chunks of this many rows (memory bounded by the numerical
        /// columns). Default: only a file too large for the memory available is streamed.
        #[arg(long)]
        chunk_rows: Option<usize>,
    },
    /// Train a challenger on the reference plus recent labelled batches and compare it with the champion.
    Retrain {
        /// Artifacts folder.
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// Recent labelled batches, oldest first.
        #[arg(long, num_args = 1..)]
        data: Vec<PathBuf>,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Render the static report site from the artifacts.
    Report {
        /// Artifacts folder.
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// Output folder (replaced).
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Templates folder.
        #[arg(long, default_value = "templates")]
        templates: PathBuf,
    },
    /// Exit 1 when the latest batch raised an alert at or above LEVEL (for CI gating).
    Check {
        /// Artifacts folder.
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// Lowest severity that fails.
        #[arg(long, value_enum)]
        fail_on: Level,
    },
    /// Write seeded Telco-like data (the 21 Telco columns) to a CSV file (Parquet for `.parquet`).
    Generate {
        /// Rows to generate.
        #[arg(long, default_value_t = 7043)]
        rows: usize,
        /// Generator seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output CSV.
        #[arg(long)]
        out: PathBuf,
    },
    /// Score a batch with the champion: writes the batch with the logged-prediction column
    /// (performance.prediction_column) added, as a serving system would log it.
    Score {
        /// Batch file (CSV or Parquet).
        #[arg(long)]
        batch: PathBuf,
        /// Artifacts folder.
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        /// Output file (.parquet for Parquet, else CSV).
        #[arg(long)]
        out: PathBuf,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Measure the drift verdicts: false alarms on no-drift batches and detections of injected
    /// shifts, at several batch sizes, on generated data (and on --data when given).
    Eval {
        /// A real file to evaluate on as well.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Batch sizes, comma-separated.
        #[arg(
            long,
            default_value = "50,100,500,1000,5000,50000",
            value_delimiter = ','
        )]
        sizes: Vec<usize>,
        /// Batches per condition and size.
        #[arg(long, default_value_t = 200)]
        batches: usize,
        /// Seed of every random draw.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Where to write detector_evaluation.json.
        #[arg(long)]
        out: PathBuf,
        /// Configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Benchmark baseline: read files with polars' default CSV reader and print their sizes.
    #[command(hide = true)]
    BenchRead {
        /// Files to read.
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Level {
    Low,
    Medium,
    High,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Text,
}

/// Human lines on stderr, and the same lines in a daily file `logs/driftscope.log.YYYY-MM-DD`
/// (`DRIFTSCOPE_LOG_DIR` overrides the folder; an unwritable folder only loses the file copy).
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let level = std::env::var("DRIFTSCOPE_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(tracing::Level::INFO);
    let filter = tracing_subscriber::filter::LevelFilter::from_level(level);
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .with_filter(filter);
    let dir = std::env::var("DRIFTSCOPE_LOG_DIR").unwrap_or_else(|_| "logs".into());
    let (file, guard) = match std::fs::create_dir_all(&dir) {
        Ok(()) => {
            let (w, g) = tracing_appender::non_blocking(tracing_appender::rolling::daily(
                &dir,
                "driftscope.log",
            ));
            (
                Some(
                    tracing_subscriber::fmt::layer()
                        .with_writer(w)
                        .with_ansi(false)
                        .with_filter(filter),
                ),
                Some(g),
            )
        }
        Err(_) => (None, None),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .init();
    guard
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let _guard = init_logging();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The configuration at `--config`, or `config/config.yaml` (defaults when that is absent).
fn config_or_default(path: Option<PathBuf>) -> anyhow::Result<driftscope_artifacts::Config> {
    let given = path.is_some();
    Ok(driftscope_monitor::load_config(
        &path.unwrap_or_else(|| DEFAULT_CONFIG.into()),
        given,
    )?)
}

const DEFAULT_CONFIG: &str = "config/config.yaml";

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Train {
            data,
            config,
            artifacts,
            seed,
        } => {
            let args = driftscope_monitor::TrainArgs {
                data,
                config_given: config.is_some(),
                config: config.unwrap_or_else(|| DEFAULT_CONFIG.into()),
                artifacts,
                seed,
            };
            tracing::info!("training; artifacts in {}", args.artifacts.display());
            let s = driftscope_monitor::train(&args)?;
            tracing::info!("model {} trained", s.model_version);
            let m = &s.baseline.holdout;
            println!(
                "model {} written to {}",
                s.model_version,
                s.model_dir.display()
            );
            println!(
                "holdout ({} rows{}): auc {} accuracy {:.4} precision {:.4} recall {:.4} f1 {:.4}",
                m.n,
                if s.generated { ", generated data" } else { "" },
                m.auc.map_or("undefined".into(), |a| format!("{a:.4}")),
                m.accuracy,
                m.precision,
                m.recall,
                m.f1
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Drift {
            reference,
            current,
            config,
            format,
            output,
        } => {
            let config = config_or_default(config)?;
            let report = driftscope_monitor::drift(&driftscope_monitor::DriftArgs {
                reference,
                current,
                config: config.clone(),
            })?;
            let bytes = match format {
                Format::Json => driftscope_artifacts::to_artifact_bytes(&report)?,
                Format::Text => {
                    driftscope_monitor::render_text(&report, &config.data_drift).into_bytes()
                }
            };
            match output {
                Some(path) => driftscope_artifacts::write_atomic(&path, &bytes)?,
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Simulate {
            data,
            out,
            batches,
            batch_rows,
            seed,
            config,
        } => {
            let config = config_or_default(config)?;
            let s = driftscope_monitor::simulate(&driftscope_monitor::SimulateArgs {
                data,
                out: out.clone(),
                batches,
                batch_rows,
                seed,
                config,
            })?;
            for b in &s.batches {
                println!(
                    "{}  {}  {:?}  drifted: [{}]  ({})",
                    b.batch_id,
                    b.timestamp,
                    b.diagnosis,
                    b.drifted_features.join(", "),
                    b.injected
                );
            }
            println!(
                "wrote {} batches and scenario.json to {}",
                s.batches.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Monitor {
            batch,
            batch_id,
            timestamp,
            artifacts,
            config,
            chunk_rows,
        } => {
            let config = config_or_default(config)?;
            tracing::info!("monitoring {}", batch.display());
            let r = driftscope_monitor::monitor(&driftscope_monitor::MonitorArgs {
                batch,
                batch_id,
                timestamp,
                artifacts,
                config,
                chunk_rows,
            })?;
            tracing::info!(
                "batch {}: diagnosis {:?}, {} alerts",
                r.batch_id,
                r.diagnosis,
                r.alerts.len()
            );
            for a in &r.alerts {
                tracing::warn!(
                    "{:?} {} on {}: {}",
                    a.severity,
                    driftscope_monitor::type_word(a.alert_type),
                    a.batch_id,
                    a.reason
                );
            }
            println!(
                "batch {} ({} rows, {}): diagnosis {:?}",
                r.batch_id,
                r.rows,
                if r.labelled { "labelled" } else { "no labels" },
                r.diagnosis
            );
            println!(
                "drifted features: [{}]",
                r.data_drift.drifted_features.join(", ")
            );
            if let Some(m) = &r.performance {
                println!(
                    "auc {} accuracy {:.4} f1 {:.4}",
                    m.auc.map_or("n/a".into(), |a| format!("{a:.4}")),
                    m.accuracy,
                    m.f1
                );
            }
            for a in &r.alerts {
                println!(
                    "ALERT {:?} {}: {}",
                    a.severity,
                    driftscope_monitor::type_word(a.alert_type),
                    a.reason
                );
            }
            for s in &r.skipped {
                println!("skipped {}: {}", s.check, s.reason);
            }
            println!(
                "retrain: {} (priority {})",
                r.retraining.should_retrain, r.retraining.priority
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Retrain {
            artifacts,
            data,
            config,
        } => {
            let config = config_or_default(config)?;
            tracing::info!("retraining a challenger on {} recent batches", data.len());
            let c = driftscope_monitor::retrain(&driftscope_monitor::RetrainArgs {
                artifacts,
                data,
                config,
            })?;
            tracing::info!("challenger {}: {}", c.challenger, c.recommendation);
            println!(
                "challenger {} vs champion {}: recommendation {}{}",
                c.challenger,
                c.champion,
                c.recommendation,
                if c.promoted { " (promoted)" } else { "" }
            );
            for r in &c.reasons {
                println!("  - {r}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Report {
            artifacts,
            out,
            templates,
        } => {
            let s = driftscope_monitor::report(&artifacts, &templates, &out)?;
            tracing::info!("site written: {} pages, {} bytes", s.pages.len(), s.bytes);
            println!("{}", s.index.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { artifacts, fail_on } => {
            let level = match fail_on {
                Level::Low => driftscope_artifacts::AlertSeverity::Low,
                Level::Medium => driftscope_artifacts::AlertSeverity::Medium,
                Level::High => driftscope_artifacts::AlertSeverity::High,
            };
            let (result, firing) = driftscope_monitor::check(&artifacts, level)?;
            for a in &firing {
                println!(
                    "{:?} {} {}: {}",
                    a.severity,
                    driftscope_monitor::type_word(a.alert_type),
                    a.batch_id,
                    a.reason
                );
            }
            if firing.is_empty() {
                println!(
                    "batch {}: no alert at or above {:?}",
                    result.batch_id, level
                );
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(1))
            }
        }
        Command::Generate { rows, seed, out } => {
            driftscope_monitor::generate(&out, rows, seed)?;
            eprintln!(
                "wrote {rows} generated Telco-like rows (seed {seed}) to {}",
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Score {
            batch,
            artifacts,
            out,
            config,
        } => {
            let config = config_or_default(config)?;
            let scored = driftscope_monitor::score(&batch, &artifacts, &config)?;
            if out.extension().is_some_and(|e| e == "parquet") {
                scored.write_parquet(&out)?;
            } else {
                scored.write_csv(&out)?;
            }
            eprintln!(
                "scored {} rows of {} into {}",
                scored.n_rows(),
                batch.display(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            data,
            sizes,
            batches,
            seed,
            out,
            config,
        } => {
            let config = config_or_default(config)?;
            let data = data
                .map(|d| driftscope_monitor::read_table(&d))
                .transpose()?;
            let e = driftscope_monitor::evaluate(&driftscope_monitor::EvalArgs {
                data,
                sizes,
                batches,
                seed,
                config,
            })?;
            driftscope_artifacts::write_artifact(&out, &e)?;
            print!("{}", driftscope_monitor::render_eval(&e));
            eprintln!("wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchRead { files } => {
            for f in files {
                let (rows, cols) = driftscope_monitor::read_shape(&f)?;
                println!("{}: {rows} rows x {cols} columns", f.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
