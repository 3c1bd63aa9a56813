//! Data frames in: any object with `__arrow_c_stream__` (the Arrow PyCapsule interface: pyarrow
//! tables, polars data frames, pandas data frames through pyarrow) is read through the Arrow
//! C stream interface with polars' own importer, so numeric columns are used in place.

// The C stream import is FFI: the only unsafe code of the package.
#![allow(unsafe_code)]

use driftscope_data::Table;
use polars::prelude::{ArrayRef, ArrowDataType};
use polars_arrow::array::StructArray;
use polars_arrow::ffi::{ArrowArrayStream, ArrowArrayStreamReader};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use crate::errors::{data_error, DriftscopeError};

/// The capsule name the Arrow PyCapsule interface gives a C stream.
const STREAM_CAPSULE: &str = "arrow_array_stream";

/// Reads the Arrow C stream of `frame` into a table named `label` in messages.
pub fn frame_table(frame: &Bound<'_, PyAny>, label: &str) -> PyResult<Table> {
    let columns = import_stream(frame, label)?;
    let py = frame.py();
    py.allow_threads(|| Table::from_arrow_columns(label, columns))
        .map_err(data_error)
}

/// Every column of the stream (its field and its record batches' arrays).
fn import_stream(
    frame: &Bound<'_, PyAny>,
    label: &str,
) -> PyResult<Vec<(polars::prelude::ArrowField, Vec<ArrayRef>)>> {
    let err = |m: String| DriftscopeError::new_err(format!("{label}: {m}"));
    let capsule = frame
        .call_method0("__arrow_c_stream__")?
        .downcast_into::<PyCapsule>()
        .map_err(|_| err("__arrow_c_stream__ did not return a PyCapsule".into()))?;
    let name = capsule.name()?.map(|n| n.to_string_lossy().into_owned());
    if name.as_deref() != Some(STREAM_CAPSULE) {
        return Err(err(format!(
            "__arrow_c_stream__ returned a capsule named {name:?}, expected {STREAM_CAPSULE:?}"
        )));
    }
    let ptr = capsule.pointer().cast::<ArrowArrayStream>();
    // SAFETY: a capsule named "arrow_array_stream" holds a valid ArrowArrayStream (the
    // PyCapsule interface). The stream is moved out and a released (empty) one left in its
    // place, so the capsule's destructor does not release it a second time; the reader owns
    // and releases it.
    let stream = unsafe { std::ptr::replace(ptr, ArrowArrayStream::empty()) };
    // SAFETY: `stream` is a valid, unreleased stream taken from the producer above.
    let mut reader = unsafe { ArrowArrayStreamReader::try_new(Box::new(stream)) }
        .map_err(|e| err(e.to_string()))?;
    let ArrowDataType::Struct(fields) = reader.field().dtype().clone() else {
        return Err(err(format!(
            "the Arrow stream holds {:?} values, expected a table (a struct per row)",
            reader.field().dtype()
        )));
    };
    let mut chunks: Vec<Vec<ArrayRef>> = vec![Vec::new(); fields.len()];
    // SAFETY: the reader reads the stream it owns, one record batch at a time.
    while let Some(batch) = unsafe { reader.next() } {
        let batch = batch.map_err(|e| err(e.to_string()))?;
        let batch = batch
            .as_any()
            .downcast_ref::<StructArray>()
            .ok_or_else(|| err("a record batch of the stream is not a struct array".into()))?;
        for (column, values) in chunks.iter_mut().zip(batch.values()) {
            column.push(values.clone());
        }
    }
    Ok(fields.into_iter().zip(chunks).collect())
}
