//! Runs the profile SQL on a DataFusion `SessionContext` (a local one, or one whose plans go
//! to a Ballista cluster) and gathers the results into an [`EngineProfile`].

use std::collections::BTreeMap;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int64Type, Schema};
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};

use crate::partial::{
    Binned, CategoricalColumn, Column, EngineProfile, NumericColumn, Value, Values,
};
use crate::plan::{ColumnKind, ColumnPlan, ProfilePlan};
use crate::sql::{
    bin_counts_query, category_counts_query, scalar_alias, scalar_query, value_counts_query,
};
use crate::{EngineError, Result};

/// The table name the batch is registered under.
pub const BATCH_TABLE: &str = "batch";

/// Bins kept for a column past the value cap: exact counts on this many equal-width bins
/// between its min and max (the "fine edges", 2,048).
pub const FINE_BINS: usize = 2048;

/// Registers `source` (a Parquet or CSV file, folder or glob; Parquet by the `.parquet`
/// extension) as [`BATCH_TABLE`]. CSV columns are all read as text, as the local reader does,
/// and typed by [`plan_columns`].
pub async fn register_batch(ctx: &SessionContext, source: &str) -> Result<()> {
    let sql_err = |e| EngineError::query(source, e);
    if is_parquet(source) {
        ctx.register_parquet(BATCH_TABLE, source, ParquetReadOptions::default())
            .await
            .map_err(sql_err)?;
        return Ok(());
    }
    let inferred = ctx
        .read_csv(source, CsvReadOptions::new())
        .await
        .map_err(sql_err)?;
    let text: Vec<Field> = inferred
        .schema()
        .fields()
        .iter()
        .map(|f| Field::new(f.name(), DataType::Utf8, true))
        .collect();
    let schema = Schema::new(text);
    ctx.register_csv(BATCH_TABLE, source, CsvReadOptions::new().schema(&schema))
        .await
        .map_err(sql_err)
}

fn is_parquet(source: &str) -> bool {
    let s = source.to_ascii_lowercase();
    s.ends_with(".parquet") || s.ends_with(".pq") || s.ends_with('/') && !s.contains(".csv")
}

/// Runs one query and collects its batches.
async fn collect(ctx: &SessionContext, source: &str, sql: &str) -> Result<Vec<RecordBatch>> {
    let frame = ctx
        .sql(sql)
        .await
        .map_err(|e| EngineError::query(source, e))?;
    frame
        .collect()
        .await
        .map_err(|e| EngineError::query(source, e))
}

/// Types the registered batch's columns: numbers stay numbers; a text column is numerical
/// when each of its non-missing cells parses as a number (one query over the text columns).
pub async fn plan_columns(ctx: &SessionContext, source: &str, cap: usize) -> Result<ProfilePlan> {
    let table = ctx
        .table(BATCH_TABLE)
        .await
        .map_err(|e| EngineError::query(source, e))?;
    let mut columns: Vec<ColumnPlan> = Vec::new();
    for field in table.schema().fields() {
        let (kind, text_source) = match field.data_type() {
            t if t.is_numeric() => (ColumnKind::Numerical, false),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                (ColumnKind::Numerical, true)
            }
            _ => (ColumnKind::Categorical, false),
        };
        columns.push(ColumnPlan { name: field.name().clone(), kind, text_source, shift: 0.0 });
    }
    let texts: Vec<ColumnPlan> = columns.iter().filter(|c| c.text_source).cloned().collect();
    if !texts.is_empty() {
        let row = scalar_row(ctx, source, &scalar_query(BATCH_TABLE, &texts)).await?;
        for (i, text) in texts.iter().enumerate() {
            let bad = int_at(&row, &scalar_alias(i, "bad_text"))?;
            let present = int_at(&row, &scalar_alias(i, "present"))?;
            if bad > 0 || present == 0 {
                if let Some(c) = columns.iter_mut().find(|c| c.name == text.name) {
                    c.kind = ColumnKind::Categorical;
                }
            }
        }
    }
    Ok(ProfilePlan { columns, value_cap: cap })
}

/// Profiles the registered batch by `plan`.
pub async fn profile(ctx: &SessionContext, source: &str, plan: &ProfilePlan) -> Result<EngineProfile> {
    let row = scalar_row(ctx, source, &scalar_query(BATCH_TABLE, &plan.columns)).await?;
    let rows = int_at(&row, "rows")?;
    let mut columns = Vec::with_capacity(plan.columns.len());
    for (i, column) in plan.columns.iter().enumerate() {
        columns.push(match column.kind {
            ColumnKind::Numerical => {
                Column::Numerical(numeric(ctx, source, plan, &row, i, column).await?)
            }
            ColumnKind::Categorical => Column::Categorical(categorical(ctx, source, column).await?),
        });
    }
    Ok(EngineProfile { rows, columns })
}

async fn numeric(
    ctx: &SessionContext,
    source: &str,
    plan: &ProfilePlan,
    row: &RecordBatch,
    i: usize,
    column: &ColumnPlan,
) -> Result<NumericColumn> {
    let get = |what: &str| int_at(row, &scalar_alias(i, what));
    let bad = get("bad_text")?;
    if bad > 0 {
        return Err(EngineError::NotNumber { source: source.into(), column: column.name.clone(), cells: bad });
    }
    let (min, max) = (float_at(row, &scalar_alias(i, "min"))?, float_at(row, &scalar_alias(i, "max"))?);
    let finite = get("finite")?;
    let present = get("present")?;
    let rows = int_at(row, "rows")?;
    let sql = value_counts_query(BATCH_TABLE, column, plan.value_cap + 2);
    let map = value_map(&collect(ctx, source, &sql).await?)?;
    let values = if map.len() <= plan.value_cap {
        Values::Exact(map)
    } else {
        Values::Binned(binned(ctx, source, column, min, max).await?)
    };
    Ok(NumericColumn {
        name: column.name.clone(),
        nulls: rows - present,
        nan: get("nan")?,
        pos_inf: get("pos_inf")?,
        neg_inf: get("neg_inf")?,
        finite,
        min,
        max,
        values,
    })
}

/// Past the cap: counts on [`FINE_BINS`] equal-width bins between min and max, and the power
/// sums about the midpoint.
async fn binned(
    ctx: &SessionContext,
    source: &str,
    column: &ColumnPlan,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<Binned> {
    let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(0.0));
    let shift = lo / 2.0 + hi / 2.0;
    let width = (hi - lo) / FINE_BINS as f64;
    let mut edges: Vec<f64> = (1..FINE_BINS).map(|k| lo + width * k as f64).collect();
    edges.dedup();
    let centred = ColumnPlan { shift, ..column.clone() };
    let batches = collect(ctx, source, &bin_counts_query(BATCH_TABLE, &centred, &edges)).await?;
    let mut counts = vec![0u64; edges.len() + 1];
    for batch in &batches {
        let bins = ints(batch, "bin")?;
        let ns = ints(batch, "n")?;
        for (b, n) in bins.into_iter().zip(ns) {
            counts[b as usize] += n;
        }
    }
    let sums = scalar_row(ctx, source, &crate::sql::scalar_query(BATCH_TABLE, std::slice::from_ref(&centred))).await?;
    let mut power_sums = [0.0; 4];
    for (p, s) in power_sums.iter_mut().enumerate() {
        *s = float_at(&sums, &scalar_alias(0, &format!("s{}", p + 1)))?.unwrap_or(0.0);
    }
    Ok(Binned { edges, counts, shift, power_sums })
}

async fn categorical(ctx: &SessionContext, source: &str, column: &ColumnPlan) -> Result<CategoricalColumn> {
    let batches = collect(ctx, source, &category_counts_query(BATCH_TABLE, column)).await?;
    let mut counts = BTreeMap::new();
    let mut missing = 0;
    for batch in &batches {
        let values = batch
            .column_by_name("value")
            .ok_or_else(|| EngineError::shape("value"))?;
        let text = datafusion::arrow::compute::cast(values, &DataType::Utf8)
            .map_err(|e| EngineError::query(source, e.into()))?;
        let text = text.as_string::<i32>();
        for (k, n) in ints(batch, "n")?.into_iter().enumerate() {
            if text.is_null(k) {
                missing += n;
            } else {
                *counts.entry(text.value(k).to_string()).or_insert(0) += n;
            }
        }
    }
    Ok(CategoricalColumn { name: column.name.clone(), missing, counts })
}

fn value_map(batches: &[RecordBatch]) -> Result<BTreeMap<Value, u64>> {
    let mut map = BTreeMap::new();
    for batch in batches {
        let values = column(batch, "value")?;
        let values = values.as_primitive_opt::<Float64Type>().ok_or_else(|| EngineError::shape("value"))?;
        for (k, n) in ints(batch, "n")?.into_iter().enumerate() {
            *map.entry(Value::new(values.value(k))).or_insert(0) += n;
        }
    }
    Ok(map)
}

async fn scalar_row(ctx: &SessionContext, source: &str, sql: &str) -> Result<RecordBatch> {
    let batches = collect(ctx, source, sql).await?;
    batches
        .into_iter()
        .find(|b| b.num_rows() == 1)
        .ok_or_else(|| EngineError::shape("one result row"))
}

fn column(batch: &RecordBatch, name: &str) -> Result<ArrayRef> {
    batch.column_by_name(name).cloned().ok_or_else(|| EngineError::shape(name))
}

fn ints(batch: &RecordBatch, name: &str) -> Result<Vec<u64>> {
    let a = datafusion::arrow::compute::cast(&column(batch, name)?, &DataType::Int64)
        .map_err(|_| EngineError::shape(name))?;
    let a = a.as_primitive::<Int64Type>();
    Ok((0..a.len()).map(|k| if a.is_null(k) { 0 } else { a.value(k).max(0) as u64 }).collect())
}

fn int_at(batch: &RecordBatch, name: &str) -> Result<u64> {
    ints(batch, name)?.first().copied().ok_or_else(|| EngineError::shape(name))
}

fn float_at(batch: &RecordBatch, name: &str) -> Result<Option<f64>> {
    let a = column(batch, name)?;
    let a = a.as_primitive_opt::<Float64Type>().ok_or_else(|| EngineError::shape(name))?;
    Ok((!a.is_empty() && !a.is_null(0)).then(|| a.value(0)))
}
