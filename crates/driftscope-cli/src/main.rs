//! The `driftscope` binary: parses arguments into the library's argument types, calls one
//! library function per command, prints, and maps errors to exit code 2.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `println!` that survives a closed standard output (`driftscope check | head -0`): a broken
/// pipe is not an error of ours, so it is ignored; any other write error is reported.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write to standard output: {e}");
            }
        }
    }};
}
use driftscope_monitor as ds;

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
    Train(ds::TrainArgs),
    /// Make your own model champion from reference rows with its logged probabilities and the
    /// labels (no `train` needed); monitoring then reads each batch's logged predictions.
    Baseline(ds::BaselineArgs),
    /// Compare a current file with a reference file (no model needed).
    Drift(ds::DriftArgs),
    /// Reduce a batch to its mergeable profile (`batch_profile` artifact) against a reference
    /// file or the champion's reference; `drift --current-profile` reads it.
    Profile(ds::ProfileArgs),
    /// Simulate production batches with injected, recorded drift (writes CSVs + scenario.json).
    Simulate(ds::SimulateArgs),
    /// Monitor one production batch against the champion model; writes `batches/<id>/` and the histories.
    Monitor(ds::MonitorArgs),
    /// Train a challenger on recent labelled batches and compare it with the champion on a
    /// time-ordered holdout (floor + paired bootstrap): deploy, keep or investigate.
    Retrain(ds::RetrainArgs),
    /// Make a model version champion (refused when it does not exist or its AUC is below
    /// performance.min_auc, unless --force); recorded in models/history.json.
    Promote(ds::PromoteArgs),
    /// Return to the champion before the current one; recorded in models/history.json.
    Rollback(ds::RollbackArgs),
    /// Render the static report site from the artifacts.
    Report(ds::ReportArgs),
    /// Exit 1 when the batch monitored last (or --batch ID) raised an alert at or above LEVEL
    /// (for CI gating).
    Check(ds::CheckArgs),
    /// Write the latest monitoring state for Prometheus (node_exporter textfile collector or a
    /// Pushgateway): drift per feature, AUC realized/estimated, open incidents, last batch time.
    Export(ds::ExportArgs),
    /// Write seeded Telco-like data (the 21 Telco columns) to a CSV file (Parquet for `.parquet`).
    Generate(ds::GenerateArgs),
    /// Score a batch with the champion: writes the batch with the logged-prediction column
    /// (performance.prediction_column) added, as a serving system would log it.
    Score(ds::ScoreArgs),
    /// Measure the drift verdicts: false alarms on no-drift batches and detections of injected
    /// shifts, at several batch sizes, on generated data (and on --data when given).
    Eval(ds::EvalArgs),
    /// Benchmark baseline: read files with polars' default CSV reader and print their sizes.
    #[command(hide = true)]
    BenchRead {
        /// Files to read.
        files: Vec<std::path::PathBuf>,
    },
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
    // The configuration is read once, before logging starts, so its log level applies.
    let config = match config_of(&cli.command) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    };
    let _guard = init_logging(&config.alerts.log_level);
    match run(cli.command, &config) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The configuration a command names with `--config` (or the default one).
fn config_of(command: &Command) -> anyhow::Result<driftscope_artifacts::Config> {
    let path = match command {
        Command::Train(a) => a.config.as_deref(),
        Command::Baseline(a) => a.config.as_deref(),
        Command::Drift(a) => a.config.as_deref(),
        Command::Profile(a) => a.config.as_deref(),
        Command::Simulate(a) => a.config.as_deref(),
        Command::Monitor(a) => a.config.as_deref(),
        Command::Retrain(a) => a.config.as_deref(),
        Command::Score(a) => a.config.as_deref(),
        Command::Eval(a) => a.config.as_deref(),
        Command::Promote(a) => a.config.as_deref(),
        Command::Rollback(a) => a.config.as_deref(),
        Command::Report(_)
        | Command::Check(_)
        | Command::Export(_)
        | Command::Generate(_)
        | Command::BenchRead { .. } => return Ok(driftscope_artifacts::Config::default()),
    };
    Ok(ds::load_config(path)?)
}

fn run(command: Command, cfg: &driftscope_artifacts::Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Train(a) => print_train(&ds::train(&a, cfg)?),
        Command::Baseline(a) => print_train(&ds::baseline(&a, cfg)?),
        Command::Profile(a) => print_profile(&ds::profile(&a, cfg)?, &a.out),
        Command::Drift(a) => {
            let report = ds::drift(&a, cfg)?;
            let bytes = match a.format {
                ds::Format::Json => driftscope_artifacts::to_artifact_bytes(&report)?,
                ds::Format::Text => ds::render_text(&report, &cfg.data_drift).into_bytes(),
            };
            match &a.output {
                Some(path) => driftscope_artifacts::write_atomic(path, &bytes)?,
                None => match std::io::Write::write_all(&mut std::io::stdout(), &bytes) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    r => r?,
                },
            }
        }
        Command::Simulate(a) => {
            let s = ds::simulate(&a, cfg)?;
            print_scenario(&s, &a.out);
        }
        Command::Monitor(a) => print_monitoring(&ds::monitor(&a, cfg)?),
        Command::Retrain(a) => {
            tracing::info!("retraining a challenger on {} recent batches", a.data.len());
            print_comparison(&ds::retrain(&a, cfg)?);
        }
        Command::Promote(a) => {
            print_change(&ds::promote(&a, &ds::load_config(a.config.as_deref())?)?);
        }
        Command::Rollback(a) => {
            print_change(&ds::rollback(&a, &ds::load_config(a.config.as_deref())?)?);
        }
        Command::Report(a) => {
            let s = ds::report(&a)?;
            tracing::info!("site written: {} pages, {} bytes", s.pages.len(), s.bytes);
            say!("{}", s.index.display());
        }
        Command::Check(a) => return print_check(&a, ds::check(&a)?),
        Command::Export(a) => {
            let text = ds::export(&a)?;
            match &a.out {
                Some(out) => eprintln!("wrote {}", out.display()),
                None => say!("{}", text.trim_end()),
            }
        }
        Command::Generate(a) => {
            ds::generate(&a)?;
            eprintln!(
                "wrote {} generated Telco-like rows (seed {}) to {}",
                a.rows,
                a.seed,
                a.out.display()
            );
        }
        Command::Score(a) => {
            let rows = ds::score(&a, cfg)?;
            eprintln!(
                "scored {rows} rows of {} into {}",
                a.batch.display(),
                a.out.display()
            );
        }
        Command::Eval(a) => {
            let e = ds::evaluate(&a, cfg)?;
            driftscope_artifacts::write_artifact(&a.out, &e)?;
            say!("{}", ds::render_eval(&e).trim_end_matches('\n'));
            eprintln!("wrote {}", a.out.display());
        }
        Command::BenchRead { files } => {
            for f in files {
                let (rows, cols) = ds::read_shape(&f)?;
                say!("{}: {rows} rows x {cols} columns", f.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_train(s: &ds::TrainSummary) {
    tracing::info!("model {} trained", s.model_version);
    let m = &s.baseline.holdout;
    say!(
        "model {} written to {}",
        s.model_version,
        s.model_dir.display()
    );
    say!(
        "holdout ({} rows{}): auc {} accuracy {:.4} precision {:.4} recall {:.4} f1 {:.4}",
        m.n,
        if s.generated { ", generated data" } else { "" },
        m.auc.map_or("undefined".into(), |a| format!("{a:.4}")),
        m.accuracy,
        m.precision,
        m.recall,
        m.f1
    );
}

fn print_profile(p: &ds::BatchProfile, out: &std::path::Path) {
    say!(
        "profile of {} rows, {} columns written to {}",
        p.rows,
        p.columns.len(),
        out.display()
    );
}

fn print_scenario(s: &driftscope_artifacts::Scenario, out: &std::path::Path) {
    for b in &s.batches {
        say!(
            "{}  {}  {:?}  drifted: [{}]  ({})",
            b.batch_id,
            b.timestamp,
            b.diagnosis,
            b.drifted_features.join(", "),
            b.injected
        );
    }
    say!(
        "wrote {} batches and scenario.json to {}",
        s.batches.len(),
        out.display()
    );
}

fn print_monitoring(r: &driftscope_artifacts::MonitoringResult) {
    tracing::info!(
        "batch {}: diagnosis {:?}, {} alerts",
        r.batch_id,
        r.diagnosis,
        r.alerts.len()
    );
    for a in &r.alerts {
        let t = a.alert_type;
        tracing::warn!("{:?} {t} on {}: {}", a.severity, a.batch_id, a.reason);
    }
    let labelled = if r.labelled { "labelled" } else { "no labels" };
    say!(
        "batch {} ({} rows, {labelled}): diagnosis {:?}",
        r.batch_id,
        r.rows,
        r.diagnosis
    );
    say!(
        "drifted features: [{}]",
        r.data_drift.drifted_features.join(", ")
    );
    if let Some(m) = &r.performance {
        let auc = m.auc.map_or("n/a".into(), |a| format!("{a:.4}"));
        say!("auc {auc} accuracy {:.4} f1 {:.4}", m.accuracy, m.f1);
    }
    for a in &r.alerts {
        let t = a.alert_type;
        say!("ALERT {:?} {t}: {}", a.severity, a.reason);
    }
    for s in &r.skipped {
        say!("skipped {}: {}", s.check, s.reason);
    }
    say!(
        "action: {}: {}",
        r.retraining.action,
        r.retraining.action_reason
    );
    say!(
        "retrain: {} (priority {})",
        r.retraining.should_retrain,
        r.retraining.priority
    );
}

fn print_comparison(c: &driftscope_artifacts::ModelComparison) {
    tracing::info!("challenger {}: {}", c.challenger, c.recommendation);
    say!(
        "challenger {} vs champion {}: recommendation {}{}",
        c.challenger,
        c.champion,
        c.recommendation,
        if c.promoted { " (promoted)" } else { "" }
    );
    for r in &c.reasons {
        say!("  - {r}");
    }
}

fn print_change(c: &driftscope_artifacts::ModelHistoryEntry) {
    tracing::info!("{}: champion {} -> {}", c.change, c.from, c.to);
    let forced = if c.forced { " (forced)" } else { "" };
    say!(
        "{}: champion {} -> {}{forced}: {}",
        c.change,
        c.from,
        c.to,
        c.reason
    );
}

fn print_check(
    a: &ds::CheckArgs,
    (result, firing): (
        driftscope_artifacts::MonitoringResult,
        Vec<driftscope_artifacts::Alert>,
    ),
) -> anyhow::Result<ExitCode> {
    let how = if a.batch.is_some() {
        "--batch"
    } else {
        "monitored last"
    };
    say!(
        "judging batch {} ({how}, timestamp {})",
        result.batch_id,
        result.timestamp
    );
    for al in &firing {
        say!("{}", ds::alert_line(al));
    }
    if firing.is_empty() {
        say!(
            "batch {}: no alert at or above {:?}",
            result.batch_id,
            a.fail_on.severity()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}

/// Human lines on stderr, and the same lines in a daily file `logs/driftscope.log.YYYY-MM-DD`
/// (`DRIFTSCOPE_LOG_DIR` overrides the folder; an unwritable folder only loses the file copy).
fn init_logging(configured: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    // DRIFTSCOPE_LOG overrides alerts.log_level (validated when the configuration loads).
    let level = std::env::var("DRIFTSCOPE_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .or_else(|| configured.parse().ok())
        .unwrap_or(tracing::Level::INFO);
    let filter = tracing_subscriber::filter::LevelFilter::from_level(level);
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .without_time()
        .with_filter(filter);
    let dir = std::env::var("DRIFTSCOPE_LOG_DIR").unwrap_or_else(|_| "logs".into());
    // An unusable folder (not creatable, not writable) only loses the file copy of the log.
    let appender = std::fs::create_dir_all(&dir).ok().and_then(|()| {
        tracing_appender::rolling::RollingFileAppender::builder()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("driftscope.log")
            .build(&dir)
            .ok()
    });
    let (file, guard) = match appender {
        Some(appender) => {
            let (w, g) = tracing_appender::non_blocking(appender);
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
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .init();
    guard
}
