//! driftscope's errors as Python exceptions, with the message the command line prints.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::PyErr;

create_exception!(
    _driftscope,
    DriftscopeError,
    PyException,
    "An error of driftscope: bad input, configuration or artifacts. The message is the one the \
     `driftscope` command prints after `error: `."
);
create_exception!(
    _driftscope,
    AlertError,
    DriftscopeError,
    "Raised by `Monitor.check` when the batch raised an alert at or above the level: the \
     exception to let an Airflow, Dagster or Prefect task fail."
);

/// A library error as the command line prints it (the cause chain, `: `-separated).
pub fn monitor_error(e: driftscope_monitor::Error) -> PyErr {
    DriftscopeError::new_err(format!("{:#}", anyhow::Error::from(e)))
}

/// A data error as the command line prints it.
pub fn data_error(e: driftscope_data::DataError) -> PyErr {
    DriftscopeError::new_err(format!("{:#}", anyhow::Error::from(e)))
}
