//! Monitors a batch through the library API: trains the baseline on generated Telco-like
//! data in a temporary artifacts folder, generates a batch, monitors it and prints the result.
//!
//! `cargo run --release -p driftscope-monitor --example monitor_batch`

use driftscope_artifacts::Config;
use driftscope_monitor::{generate, monitor, train, GenerateArgs, MonitorArgs, TrainArgs};

fn main() -> Result<(), driftscope_monitor::Error> {
    let dir = tempfile::tempdir()?;
    let artifacts = dir.path().join("artifacts");
    let trained = train(
        &TrainArgs {
            artifacts: artifacts.clone(),
            seed: Some(7),
            ..TrainArgs::default()
        },
        &Config::default(),
    )?;
    println!("champion {}", trained.model_version);

    let batch = dir.path().join("week-01.csv");
    generate(&GenerateArgs {
        rows: 1000,
        seed: 99,
        out: batch.clone(),
    })?;
    let result = monitor(
        &MonitorArgs {
            batch: Some(batch),
            timestamp: Some("2026-01-05T00:00:00Z".into()),
            artifacts,
            ..MonitorArgs::default()
        },
        &Config::default(),
    )?;
    println!(
        "batch {}: {} rows, diagnosis {:?}, {} drifted features, {} alerts, retrain: {}",
        result.batch_id,
        result.rows,
        result.diagnosis,
        result.data_drift.drifted_features.len(),
        result.alerts.len(),
        result.retraining.should_retrain
    );
    Ok(())
}
