//! Runs the profile SQL on a DataFusion `SessionContext` (a local one, or one whose plans go
//! to a Ballista cluster) and gathers the results into the batch's profile.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int64Type, Schema};
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionContext};

use driftscope_artifacts::FeatureType;
use driftscope_profile::{
    BatchProfile, CategoricalPartial, ColumnData, ColumnProfile, ColumnSpec, FineBins, Moments,
    NumericDistribution, NumericPartial, ProfileSpec,
};

use crate::plan::{ColumnKind, ColumnPlan};
use crate::sql::{
    bad_text_query, bin_counts_query, category_counts_query, scalar_alias, scalar_query,
    value_counts_query,
};
use crate::{EngineError, Result};

/// The table name the batch is registered under.
pub const BATCH_TABLE: &str = "batch";

/// The file extension of `source`'s files: `.pq` or `.parquet` for Parquet, else `.csv`.
pub fn file_extension(source: &str) -> &'static str {
    if !is_parquet(source) {
        ".csv"
    } else if source.to_ascii_lowercase().ends_with(".pq") {
        ".pq"
    } else {
        ".parquet"
    }
}

/// Registers `source` (a Parquet or CSV file, folder or glob; `name` in errors) as
/// [`BATCH_TABLE`]. CSV columns are all read as text, as the local reader reads them; the spec
/// says which are numbers.
pub async fn register_batch(ctx: &SessionContext, source: &str, name: &str) -> Result<()> {
    let sql_err = |e| EngineError::query(name, e);
    if is_parquet(source) {
        let options = ParquetReadOptions {
            file_extension: file_extension(source),
            ..ParquetReadOptions::default()
        };
        ctx.register_parquet(BATCH_TABLE, source, options)
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

/// Parquet by the extension of the path or glob (`.parquet`, `.pq`); a folder is Parquet when
/// it holds a `.parquet` file; anything else is CSV.
fn is_parquet(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.ends_with(".parquet") || lower.ends_with(".pq") {
        return true;
    }
    std::fs::read_dir(source).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.path().extension().is_some_and(|x| x == "parquet"))
    })
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

/// How each spec column present in the registered batch is read, with the spec's columns the
/// batch lacks and the batch's columns outside the spec.
async fn plan_columns(
    ctx: &SessionContext,
    source: &str,
    spec: &ProfileSpec,
) -> Result<(Vec<(ColumnPlan, ColumnSpec)>, Vec<String>, Vec<String>)> {
    let table = ctx
        .table(BATCH_TABLE)
        .await
        .map_err(|e| EngineError::query(source, e))?;
    let schema = table.schema().clone();
    let mut planned = Vec::new();
    let mut absent = Vec::new();
    for column in &spec.columns {
        let Ok(field) = schema.field_with_unqualified_name(&column.name) else {
            absent.push(column.name.clone());
            continue;
        };
        let text_source = matches!(
            field.data_type(),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        );
        let kind = match column.feature_type {
            FeatureType::Numerical => ColumnKind::Numerical,
            _ => ColumnKind::Categorical,
        };
        // The power sums are centred on the reference's median fine edge.
        let shift = column
            .fine_edges
            .get(column.fine_edges.len() / 2)
            .copied()
            .unwrap_or(0.0);
        let plan = ColumnPlan {
            name: column.name.clone(),
            kind,
            text_source,
            shift,
        };
        planned.push((plan, column.clone()));
    }
    let mut extra: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .filter(|n| !spec.columns.iter().any(|c| &c.name == n))
        .collect();
    extra.sort();
    Ok((planned, absent, extra))
}

/// The profile of the batch registered as [`BATCH_TABLE`] (`source` names it), by `spec`.
pub async fn profile(
    ctx: &SessionContext,
    source: &str,
    spec: &ProfileSpec,
) -> Result<BatchProfile> {
    let (planned, absent_columns, extra_columns) = plan_columns(ctx, source, spec).await?;
    let plans: Vec<ColumnPlan> = planned.iter().map(|(p, _)| p.clone()).collect();
    let row = scalar_row(ctx, source, &scalar_query(BATCH_TABLE, &plans)).await?;
    check_numbers(ctx, source, &plans, &row).await?;
    let rows = int_at(&row, "rows")?;
    let mut columns = Vec::with_capacity(planned.len());
    for (i, (plan, column)) in planned.iter().enumerate() {
        columns.push(match plan.kind {
            ColumnKind::Numerical => {
                numeric(ctx, source, spec.value_cap, &row, i, plan, column).await?
            }
            ColumnKind::Categorical => categorical(ctx, source, rows, plan, column).await?,
        });
    }
    Ok(BatchProfile {
        sources: vec![source.to_string()],
        rows,
        value_cap: spec.value_cap,
        columns,
        absent_columns,
        extra_columns,
    })
}

/// A numerical column holding text that is not a number is an error naming the column, how
/// many such cells it has and one of them.
async fn check_numbers(
    ctx: &SessionContext,
    source: &str,
    plans: &[ColumnPlan],
    row: &RecordBatch,
) -> Result<()> {
    for (i, plan) in plans.iter().enumerate() {
        if plan.kind != ColumnKind::Numerical || !plan.text_source {
            continue;
        }
        let cells = int_at(row, &scalar_alias(i, "bad_text"))?;
        if cells > 0 {
            let example = scalar_row(
                ctx,
                source,
                &bad_text_query(BATCH_TABLE, std::slice::from_ref(plan)),
            )
            .await?;
            let text = datafusion::arrow::compute::cast(
                &array_named(&example, &scalar_alias(0, "bad"))?,
                &DataType::Utf8,
            )
            .map_err(|_| EngineError::shape("bad"))?;
            let text = text.as_string::<i32>();
            let example = if text.is_null(0) {
                String::new()
            } else {
                text.value(0).to_string()
            };
            return Err(EngineError::NotNumber {
                batch: source.into(),
                column: plan.name.clone(),
                cells,
                example,
            });
        }
    }
    Ok(())
}

async fn numeric(
    ctx: &SessionContext,
    source: &str,
    value_cap: u64,
    row: &RecordBatch,
    i: usize,
    plan: &ColumnPlan,
    column: &ColumnSpec,
) -> Result<ColumnProfile> {
    let get = |what: &str| int_at(row, &scalar_alias(i, what));
    let rows = int_at(row, "rows")?;
    let mut power_sums = [0.0; 4];
    for (p, s) in power_sums.iter_mut().enumerate() {
        *s = float_at(row, &scalar_alias(i, &format!("s{}", p + 1)))?.unwrap_or(0.0);
    }
    let limit = usize::try_from(value_cap).unwrap_or(usize::MAX - 1) + 1;
    let sql = value_counts_query(BATCH_TABLE, plan, limit);
    let pairs = value_pairs(&collect(ctx, source, &sql).await?)?;
    let over_cap = pairs.len() as u64 > value_cap;
    // With every value known, min and max are its first and last in IEEE total order (so
    // `-0.0` and `0.0` are told apart as the local engine does), else the engine's MIN/MAX.
    let total = |a: &&(f64, u64), b: &&(f64, u64)| a.0.total_cmp(&b.0);
    let (min, max) = if over_cap {
        (
            float_at(row, &scalar_alias(i, "min"))?,
            float_at(row, &scalar_alias(i, "max"))?,
        )
    } else {
        (
            pairs.iter().min_by(total).map(|p| p.0),
            pairs.iter().max_by(total).map(|p| p.0),
        )
    };
    let fine_bins = if over_cap {
        Some(fine_bins(ctx, source, plan, &column.fine_edges).await?)
    } else {
        None
    };
    let partial = NumericPartial {
        rows,
        nulls: rows - get("present")?,
        nan: get("nan")?,
        pos_inf: get("pos_inf")?,
        neg_inf: get("neg_inf")?,
        min,
        max,
        shift: plan.shift,
        power_sums,
        value_counts: (!over_cap).then_some(pairs),
        fine_bins,
    };
    let mut profile = partial.into_column(column, value_cap)?;
    exact_moments(&mut profile);
    Ok(profile)
}

/// With every value known, the moments come from the value map (ascending order), as the
/// local engine computes them: the same bits whatever engine or partitioning summed the
/// power sums.
fn exact_moments(profile: &mut ColumnProfile) {
    if let ColumnData::Numerical(p) = &mut profile.data {
        if let NumericDistribution::Exact(v) = &p.distribution {
            p.moments = Moments::of_counts(&v.values, &v.counts);
        }
    }
}

/// Counts and sums of the column's finite values in the spec's fine bins.
async fn fine_bins(
    ctx: &SessionContext,
    source: &str,
    plan: &ColumnPlan,
    edges: &[f64],
) -> Result<FineBins> {
    let batches = collect(ctx, source, &bin_counts_query(BATCH_TABLE, plan, edges)).await?;
    let mut counts = vec![0u64; edges.len() + 1];
    let mut sums = vec![0.0f64; edges.len() + 1];
    for batch in &batches {
        let totals = array_named(batch, "total")?;
        let totals = totals
            .as_primitive_opt::<Float64Type>()
            .ok_or_else(|| EngineError::shape("total"))?;
        for (k, (b, n)) in ints(batch, "bin")?
            .into_iter()
            .zip(ints(batch, "n")?)
            .enumerate()
        {
            let b = usize::try_from(b)
                .ok()
                .filter(|b| *b < counts.len())
                .ok_or_else(|| EngineError::shape("bin"))?;
            counts[b] += n;
            sums[b] += totals.value(k);
        }
    }
    Ok(FineBins { counts, sums })
}

async fn categorical(
    ctx: &SessionContext,
    source: &str,
    rows: u64,
    plan: &ColumnPlan,
    column: &ColumnSpec,
) -> Result<ColumnProfile> {
    let batches = collect(ctx, source, &category_counts_query(BATCH_TABLE, plan)).await?;
    let mut counts = Vec::new();
    let mut nulls = 0;
    for batch in &batches {
        let values = array_named(batch, "value")?;
        let text = datafusion::arrow::compute::cast(&values, &DataType::Utf8)
            .map_err(|_| EngineError::shape("value"))?;
        let text = text.as_string::<i32>();
        for (k, n) in ints(batch, "n")?.into_iter().enumerate() {
            if text.is_null(k) {
                nulls += n;
            } else {
                counts.push((
                    driftscope_data::category_label(text.value(k)).into_owned(),
                    n,
                ));
            }
        }
    }
    Ok(CategoricalPartial {
        rows,
        nulls,
        counts,
    }
    .into_column(column)?)
}

fn value_pairs(batches: &[RecordBatch]) -> Result<Vec<(f64, u64)>> {
    let mut pairs = Vec::new();
    for batch in batches {
        let values = array_named(batch, "value")?;
        let values = values
            .as_primitive_opt::<Float64Type>()
            .ok_or_else(|| EngineError::shape("value"))?;
        let neg_zero = ints(batch, "neg_zero")?;
        for (k, n) in ints(batch, "n")?.into_iter().enumerate() {
            // The group's value may be either zero: its sign comes from `neg_zero`.
            let value = match values.value(k) {
                v if v != 0.0 => v,
                _ if neg_zero[k] == 1 => -0.0,
                _ => 0.0,
            };
            pairs.push((value, n));
        }
    }
    Ok(pairs)
}

async fn scalar_row(ctx: &SessionContext, source: &str, sql: &str) -> Result<RecordBatch> {
    let batches = collect(ctx, source, sql).await?;
    batches
        .into_iter()
        .find(|b| b.num_rows() == 1)
        .ok_or_else(|| EngineError::shape("one result row"))
}

fn array_named(batch: &RecordBatch, name: &str) -> Result<ArrayRef> {
    batch
        .column_by_name(name)
        .cloned()
        .ok_or_else(|| EngineError::shape(name))
}

fn ints(batch: &RecordBatch, name: &str) -> Result<Vec<u64>> {
    let a = datafusion::arrow::compute::cast(&array_named(batch, name)?, &DataType::Int64)
        .map_err(|_| EngineError::shape(name))?;
    let a = a.as_primitive::<Int64Type>();
    Ok((0..a.len())
        .map(|k| {
            if a.is_null(k) {
                0
            } else {
                a.value(k).max(0) as u64
            }
        })
        .collect())
}

fn int_at(batch: &RecordBatch, name: &str) -> Result<u64> {
    ints(batch, name)?
        .first()
        .copied()
        .ok_or_else(|| EngineError::shape(name))
}

fn float_at(batch: &RecordBatch, name: &str) -> Result<Option<f64>> {
    let a = array_named(batch, name)?;
    let a = a
        .as_primitive_opt::<Float64Type>()
        .ok_or_else(|| EngineError::shape(name))?;
    Ok((!a.is_empty() && !a.is_null(0)).then(|| a.value(0)))
}
