//! The `driftscope._driftscope` extension module behind the `driftscope` Python package: thin
//! bindings of the driftscope-monitor library (the functions the `driftscope` command calls),
//! so Python gets the same results and the same error messages as the command line.
//!
//! **Reads:** data frames (through the Arrow C stream interface), data files, the
//! configuration, the artifacts folder. **Writes:** what the matching commands write.
//!
//! The Python layer (`pysrc/driftscope/__init__.py`) wraps these functions into
//! `driftscope.drift` and `driftscope.Monitor`; example:
//!
//! ```python
//! import driftscope, polars as pl
//! result = driftscope.drift(pl.read_csv("reference.csv"), pl.read_csv("current.csv"))
//! print(result.drifted)
//! ```

mod arrow;
mod errors;

use std::path::PathBuf;

use driftscope_monitor as ds;
use pyo3::prelude::*;

use errors::{monitor_error, AlertError, DriftscopeError};

/// The configuration at `config`, else `config/config.yaml` when it exists, else the defaults
/// (as the command line loads it).
fn load_config(config: Option<PathBuf>) -> PyResult<driftscope_artifacts::Config> {
    ds::load_config(config.as_deref()).map_err(monitor_error)
}

/// JSON text of a serializable value (the artifact body).
fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| DriftscopeError::new_err(format!("cannot serialize the result: {e}")))
}

/// Drift of `current` against `reference` (two Arrow stream sources): the report as the JSON
/// `driftscope drift --format json` writes, and as its text table.
#[pyfunction]
#[pyo3(signature = (reference, current, config=None, reference_label="reference", current_label="current"))]
fn drift(
    py: Python<'_>,
    reference: &Bound<'_, PyAny>,
    current: &Bound<'_, PyAny>,
    config: Option<PathBuf>,
    reference_label: &str,
    current_label: &str,
) -> PyResult<(String, String)> {
    let config = load_config(config)?;
    let reference = arrow::frame_table(reference, reference_label)?;
    let current = arrow::frame_table(current, current_label)?;
    py.allow_threads(|| {
        let report = ds::drift_tables(&reference, &current, &config).map_err(monitor_error)?;
        let bytes = driftscope_artifacts::to_artifact_bytes(&report)
            .map_err(|e| monitor_error(e.into()))?;
        let text = ds::render_text(&report, &config.data_drift);
        Ok((String::from_utf8_lossy(&bytes).into_owned(), text))
    })
}

/// `driftscope baseline`: makes the model whose logged predictions `data` carries champion.
/// Returns the model version, its folder and its holdout metrics (JSON).
#[pyfunction]
#[pyo3(signature = (artifacts, data, prediction_column=None, target=None, config=None, seed=None))]
fn baseline(
    py: Python<'_>,
    artifacts: PathBuf,
    data: PathBuf,
    prediction_column: Option<String>,
    target: Option<String>,
    config: Option<PathBuf>,
    seed: Option<u64>,
) -> PyResult<(String, PathBuf, String)> {
    let cfg = load_config(config.clone())?;
    let args = ds::BaselineArgs {
        data,
        prediction_column,
        target,
        config,
        artifacts,
        seed,
    };
    let summary = py
        .allow_threads(|| ds::baseline(&args, &cfg))
        .map_err(monitor_error)?;
    Ok((
        summary.model_version,
        summary.model_dir,
        json(&summary.baseline)?,
    ))
}

/// `driftscope monitor` on a batch: a file path (`str`/`PathLike`) or an Arrow stream source
/// (a data frame; `label` names it). Returns the monitoring result (JSON).
#[pyfunction]
#[pyo3(signature = (artifacts, batch, label, batch_id=None, timestamp=None, config=None, chunk_rows=None))]
#[allow(clippy::too_many_arguments)]
fn monitor(
    py: Python<'_>,
    artifacts: PathBuf,
    batch: &Bound<'_, PyAny>,
    label: String,
    batch_id: Option<String>,
    timestamp: Option<String>,
    config: Option<PathBuf>,
    chunk_rows: Option<usize>,
) -> PyResult<String> {
    let cfg = load_config(config.clone())?;
    let path: Option<PathBuf> = batch.extract().ok();
    let args = ds::MonitorArgs {
        batch: Some(path.clone().unwrap_or_else(|| PathBuf::from(&label))),
        profile: None,
        batch_id,
        timestamp,
        artifacts,
        config,
        chunk_rows,
    };
    let result = match path {
        Some(_) => py.allow_threads(|| ds::monitor(&args, &cfg)),
        None => {
            let table = arrow::frame_table(batch, &label)?;
            py.allow_threads(|| ds::monitor_table(&table, &args, &cfg))
        }
    }
    .map_err(monitor_error)?;
    json(&result)
}

/// `driftscope check`: raises `AlertError` (the alert lines as the command prints them) when
/// the batch raised an alert at or above `fail_on` (`low`, `medium` or `high`); else returns
/// the batch's monitoring result (JSON).
#[pyfunction]
#[pyo3(signature = (artifacts, fail_on="high", batch=None))]
fn check(artifacts: PathBuf, fail_on: &str, batch: Option<String>) -> PyResult<String> {
    let level = match fail_on.to_ascii_lowercase().as_str() {
        "low" => ds::Level::Low,
        "medium" => ds::Level::Medium,
        "high" => ds::Level::High,
        _ => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "fail_on={fail_on:?}: expected \"low\", \"medium\" or \"high\""
            )))
        }
    };
    let args = ds::CheckArgs {
        artifacts,
        fail_on: level,
        batch,
    };
    let (result, firing) = ds::check(&args).map_err(monitor_error)?;
    if firing.is_empty() {
        return json(&result);
    }
    let mut message = format!(
        "batch {}: {} alert(s) at or above {:?}",
        result.batch_id,
        firing.len(),
        level.severity()
    );
    for a in &firing {
        message.push_str("\n  ");
        message.push_str(&ds::alert_line(a));
    }
    Err(AlertError::new_err(message))
}

/// `driftscope report`: renders the static site of `artifacts` into `out`; returns the path
/// of its `index.html`.
#[pyfunction]
#[pyo3(signature = (artifacts, out, templates=None))]
fn report(
    py: Python<'_>,
    artifacts: PathBuf,
    out: PathBuf,
    templates: Option<PathBuf>,
) -> PyResult<PathBuf> {
    let args = ds::ReportArgs {
        artifacts,
        out,
        // As the command line: ./templates when it exists, else the built-in templates.
        templates: templates.unwrap_or_else(|| PathBuf::from("templates")),
    };
    let summary = py
        .allow_threads(|| ds::report(&args))
        .map_err(monitor_error)?;
    Ok(summary.index)
}

/// `driftscope export --format prometheus`: the latest state in the Prometheus text format.
#[pyfunction]
fn export_prometheus(artifacts: PathBuf) -> PyResult<String> {
    let args = ds::ExportArgs {
        artifacts,
        format: ds::ExportFormat::Prometheus,
        out: None,
    };
    ds::export(&args).map_err(monitor_error)
}

/// The extension module.
#[pymodule]
fn _driftscope(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("DriftscopeError", py.get_type::<DriftscopeError>())?;
    m.add("AlertError", py.get_type::<AlertError>())?;
    m.add_function(wrap_pyfunction!(drift, m)?)?;
    m.add_function(wrap_pyfunction!(baseline, m)?)?;
    m.add_function(wrap_pyfunction!(monitor, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(export_prometheus, m)?)?;
    Ok(())
}
