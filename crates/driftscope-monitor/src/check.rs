//! `driftscope check` and `driftscope score`.

use driftscope_artifacts::{Alert, Config, MonitoringResult};

use crate::args::{CheckArgs, ScoreArgs};
use driftscope_data::Table;

use crate::error::{bail, Context, Result};
use crate::store::ArtifactStore;

/// `driftscope score`: the batch with the champion's probabilities added as the
/// logged-prediction column (`performance.prediction_column`).
/// Returns the number of rows scored.
pub fn score(args: &ScoreArgs, cfg: &Config) -> Result<usize> {
    let bundle = ArtifactStore::new(&args.artifacts).champion()?;
    let table = Table::read(&args.batch)?;
    let p = driftscope_training::predict_proba(&bundle.model, &table)?;
    let scored = table.with_numbers(&cfg.performance.prediction_column, p)?;
    if args.out.extension().is_some_and(|e| e == "parquet") {
        scored.write_parquet(&args.out)?;
    } else {
        scored.write_csv(&args.out)?;
    }
    Ok(scored.n_rows())
}

/// One alert as `check` reports it: severity, type, batch and reason on one line.
pub fn alert_line(alert: &Alert) -> String {
    format!(
        "{:?} {} {}: {}",
        alert.severity, alert.alert_type, alert.batch_id, alert.reason
    )
}

/// `driftscope check`: the alerts at or above `level` of `--batch`, else of the batch
/// monitored last (largest `sequence` in the performance history, whatever its timestamp).
pub fn check(args: &CheckArgs) -> Result<(MonitoringResult, Vec<Alert>)> {
    let level = args.fail_on.severity();
    let store = ArtifactStore::new(&args.artifacts);
    store.require_champion()?;
    let path = store.performance_path();
    if !path.exists() {
        bail!(
            "{}: no monitored batch yet; run `driftscope monitor` first",
            path.display()
        );
    }
    let history = store.histories()?.performance;
    let batch_id = match &args.batch {
        Some(id) => {
            if !history.entries.iter().any(|e| &e.batch_id == id) {
                bail!("{}: batch {id:?} was never monitored", path.display());
            }
            id.clone()
        }
        None => history
            .monitored_last()
            .context("the performance history is empty")?
            .batch_id
            .clone(),
    };
    let result = store.batch_result(&batch_id)?;
    let firing = result
        .alerts
        .iter()
        .filter(|a| a.severity >= level)
        .cloned()
        .collect();
    Ok((result, firing))
}
