//! What `monitor` reads from a batch file: every feature's values, the probabilities (logged
//! or scored), the labels. Read whole, or, for a CSV file too large for memory, in chunks whose
//! results are merged into exactly what the whole read gives: category counts and missing
//! counts are summed, numerical values (and probabilities and labels) are kept and sorted once
//! at the end, so memory is bounded by the numerical columns, not by the file.

use std::path::Path;

use crate::error::{bail, Result};
use driftscope_artifacts::{CategoryCount, ColumnValues, Config, ModelArtifact, Skipped};
use driftscope_data::{available_memory, CsvChunks, Table, CSV_MEMORY_FACTOR};
use driftscope_drift::CurrentBatch;
use driftscope_performance::{Ranked, SegmentColumn};
use rayon::prelude::*;

use crate::{current_batch, ModelBundle};

/// A batch's inputs to monitoring.
pub(crate) struct Inputs {
    /// Row count, feature values and extra columns.
    pub batch: CurrentBatch,
    /// Probabilities per row (`None` when the model cannot score the batch).
    pub probabilities: Option<Vec<f64>>,
    /// `logged` or `model`.
    pub source: driftscope_artifacts::PredictionSource,
    /// Serving-skew check: rows checked, rows differing, largest difference.
    pub skew: (u64, u64, f64),
    /// Labels per row (`None` without a target column).
    pub labels: Option<Vec<bool>>,
    /// The probabilities sorted once, with their labels (`None` without probabilities).
    pub ranked: Option<Ranked>,
    /// Each feature's segment per row (labelled batches only), for concept-drift localization.
    pub segments: Option<Vec<SegmentColumn>>,
    /// Checks skipped, with reasons.
    pub skipped: Vec<Skipped>,
    /// Chunks read (1 when read whole).
    pub chunks: usize,
    /// The batch as a profile (`monitor --profile`), `None` for rows.
    pub profile: Option<driftscope_profile::BatchProfile>,
}

/// Rows per chunk when a file is streamed without an explicit chunk size.
const DEFAULT_CHUNK_ROWS: usize = 250_000;

/// The chunk size a CSV batch at `path` is streamed with: `chunk_rows` when given, else
/// [`DEFAULT_CHUNK_ROWS`] when the file is too large to read whole in the memory available;
/// `None` (read whole) otherwise and for Parquet.
pub(crate) fn streamed_chunk_rows(path: &Path, chunk_rows: Option<usize>) -> Option<usize> {
    let is_csv = !path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "parquet" | "pq"));
    let too_large = || {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        available_memory().is_some_and(|a| size.saturating_mul(CSV_MEMORY_FACTOR) > a)
    };
    match chunk_rows {
        Some(r) => Some(r),
        None if is_csv && too_large() => Some(DEFAULT_CHUNK_ROWS),
        None => None,
    }
    .filter(|_| is_csv)
}

/// Reads the batch at `path`: whole, or in chunks of `chunk_rows` rows when given or when the
/// file is a CSV too large to read whole in the memory available.
pub(crate) fn read_inputs(
    path: &Path,
    chunk_rows: Option<usize>,
    bundle: &ModelBundle,
    cfg: &Config,
) -> Result<Inputs> {
    // Before anything opens it (a named pipe would block the first open).
    driftscope_data::check_input_file(path)?;
    let Some(chunk_rows) = streamed_chunk_rows(path, chunk_rows) else {
        // Only the columns monitoring uses are parsed (identifiers and other columns are
        // listed from the header, not read).
        let profile = &bundle.profile;
        let wanted = |name: &str| {
            name == bundle.model.target
                || name == cfg.performance.prediction_column
                || profile.features.iter().any(|f| f.name == name)
        };
        let table = Table::read_columns(path, &wanted)?;
        let inputs = table_inputs(&table, bundle, cfg);
        // Freeing the parsed file's memory takes a while: done on the side, while the batch
        // is analysed.
        rayon::spawn(move || drop(table));
        return inputs;
    };
    tracing::info!(
        "streaming {} in chunks of {chunk_rows} rows",
        path.display()
    );
    let total = count_rows(path)?;
    let mut parts = Vec::new();
    let mut merged: Option<Part> = None;
    let mut n_chunks = 0;
    for chunk in CsvChunks::open(path, chunk_rows)? {
        n_chunks += 1;
        let part = read_part(&chunk?, total, bundle, cfg, false)?;
        merged = Some(match merged {
            None => part,
            Some(m) => merge(m, part)?,
        });
    }
    parts.extend(merged);
    let mut inputs = finish(parts, &path.display().to_string(), bundle)?;
    inputs.chunks = n_chunks;
    Ok(inputs)
}

/// The inputs of a whole batch already read into a table.
pub(crate) fn table_inputs(table: &Table, bundle: &ModelBundle, cfg: &Config) -> Result<Inputs> {
    let features = bundle.profile.features.iter().map(|f| f.name.as_str());
    table.require_readable(features, "a feature of the model")?;
    table.require_readable([bundle.model.target.as_str()], "the target")?;
    table.require_readable(
        [cfg.performance.prediction_column.as_str()],
        "the logged predictions",
    )?;
    let n = table.n_rows();
    let part = read_part(table, n, bundle, cfg, true)?;
    finish(vec![part], table.label(), bundle)
}

/// Data rows of a CSV file (records after the header; newlines inside quotes do not count).
fn count_rows(path: &Path) -> Result<usize> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 8 << 20];
    let (mut records, mut in_quotes, mut last) = (0usize, false, b'\n');
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        for &b in &buf[..n] {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => records += 1,
                _ => {}
            }
        }
        last = buf[n - 1];
    }
    if last != b'\n' {
        records += 1;
    }
    Ok(records.saturating_sub(1))
}

/// What one table (a whole batch or a chunk) contributes.
struct Part {
    rows: u64,
    values: Vec<Option<Acc>>,
    extra_columns: Vec<String>,
    probabilities: std::result::Result<Vec<f64>, String>,
    logged: bool,
    skew: std::result::Result<(u64, u64, f64), String>,
    labels: Option<Vec<bool>>,
    /// The probabilities ranked (whole batches only; a streamed batch is ranked once merged).
    ranked: Option<Ranked>,
    /// Each feature's segment per row (labelled batches only).
    segments: Option<Vec<SegmentColumn>>,
}

/// One feature's values while chunks are merged.
enum Acc {
    /// Values (sorted at the end) and missing count.
    Numbers(Vec<f64>, u64),
    /// Counts sorted by value, and missing count.
    Counts(Vec<CategoryCount>, u64),
    /// The first non-number found (row, text) in a numerical feature, and whether any chunk
    /// held numbers.
    NotNumbers(usize, String, bool),
}

/// Reads one table's part: the feature values, and side by side the probabilities (logged, or
/// scored by the model), the labels and, when `rank` is set (a whole batch), the probabilities
/// ranked for the statistics.
fn read_part(
    table: &Table,
    total_rows: usize,
    bundle: &ModelBundle,
    cfg: &Config,
    rank: bool,
) -> Result<Part> {
    let (batch, scored) = rayon::join(
        || current_batch(table, &bundle.profile),
        || score_part(table, total_rows, bundle, cfg, rank),
    );
    let batch = batch?;
    let Scored {
        probabilities,
        logged,
        skew,
        labels,
        ranked,
        segments,
    } = scored?;
    let values = batch
        .values
        .into_iter()
        .map(|v| {
            v.map(|v| match v {
                ColumnValues::Numerical { sorted, missing } => Acc::Numbers(sorted, missing),
                ColumnValues::Categorical { counts, missing } => Acc::Counts(counts, missing),
                ColumnValues::NotNumerical { row, value } => Acc::NotNumbers(row, value, false),
            })
        })
        .collect();
    Ok(Part {
        rows: table.n_rows() as u64,
        values,
        extra_columns: batch.extra_columns,
        probabilities,
        logged,
        skew,
        labels,
        ranked,
        segments,
    })
}

/// What [`score_part`] gives (the fields of [`Part`] of the same names).
struct Scored {
    probabilities: std::result::Result<Vec<f64>, String>,
    logged: bool,
    skew: std::result::Result<(u64, u64, f64), String>,
    labels: Option<Vec<bool>>,
    ranked: Option<Ranked>,
    segments: Option<Vec<SegmentColumn>>,
}

/// A table's probabilities (logged, or scored by the model), skew check, labels and, when
/// `rank` is set, ranking.
/// Why steps that need the model itself are skipped for an external champion.
const EXTERNAL_NO_SCORING: &str =
    "the champion is your own model (external, from `driftscope baseline`): driftscope cannot score rows with it";

fn score_part(
    table: &Table,
    total_rows: usize,
    bundle: &ModelBundle,
    cfg: &Config,
    rank: bool,
) -> Result<Scored> {
    let model = &bundle.model;
    let logged_column = &cfg.performance.prediction_column;
    let logged = table.has_column(logged_column);
    let external = model.model_kind == driftscope_artifacts::ModelKind::External;
    let mut skew = Ok((0, 0, 0.0));
    let probabilities = if logged && external {
        // The user's model logs raw probabilities: calibrated here as at `baseline`.
        let p = logged_predictions(table, logged_column)?;
        skew = Err(EXTERNAL_NO_SCORING.to_string());
        Ok(p.into_iter().map(|v| model.calibrate(v)).collect())
    } else if logged {
        let p = logged_predictions(table, logged_column)?;
        skew = skew_check(
            model,
            table,
            &p,
            total_rows,
            cfg.performance.skew_check_rows,
        )
        .map_err(|e| e.to_string());
        Ok(p)
    } else if external {
        Err(format!(
            "{EXTERNAL_NO_SCORING}; log its probabilities in column {logged_column:?} \
             (performance.prediction_column)"
        ))
    } else {
        driftscope_training::predict_proba(model, table).map_err(|e| e.to_string())
    };
    let target = &model.target;
    let labels = if table.has_column(target) {
        Some(
            table
                .binary_target(target, &model.positive_label, Some(&model.negative_label))?
                .0,
        )
    } else {
        None
    };
    let ranked = match (&probabilities, rank) {
        (Ok(p), true) => Some(Ranked::new(p, labels.as_deref())?),
        _ => None,
    };
    let segments = match labels {
        Some(_) => Some(crate::segments::segment_columns(table, &bundle.profile)?),
        None => None,
    };
    Ok(Scored {
        probabilities,
        logged,
        skew,
        labels,
        ranked,
        segments,
    })
}

fn merge_acc(a: Acc, b: Acc) -> Acc {
    match (a, b) {
        (Acc::Numbers(mut x, m), Acc::Numbers(y, n)) => {
            x.extend(y);
            Acc::Numbers(x, m + n)
        }
        (Acc::Counts(x, m), Acc::Counts(y, n)) => {
            Acc::Counts(driftscope_profile::merge_categories(&x, &y), m + n)
        }
        (Acc::NotNumbers(r, v, s), Acc::Numbers(y, _))
        | (Acc::Numbers(y, _), Acc::NotNumbers(r, v, s)) => {
            Acc::NotNumbers(r, v, s || !y.is_empty())
        }
        (Acc::NotNumbers(r, v, s), Acc::NotNumbers(_, _, t)) => Acc::NotNumbers(r, v, s || t),
        // A feature's type comes from the profile, so chunks agree on it.
        (a, _) => a,
    }
}

fn merge(a: Part, b: Part) -> Result<Part> {
    let values = a
        .values
        .into_iter()
        .zip(b.values)
        .map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => Some(merge_acc(x, y)),
            (x, None) | (None, x) => x,
        })
        .collect();
    let probabilities = match (a.probabilities, b.probabilities) {
        (Ok(mut x), Ok(y)) => {
            x.extend(y);
            Ok(x)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let labels = match (a.labels, b.labels) {
        (Some(mut x), Some(y)) => {
            x.extend(y);
            Some(x)
        }
        _ => None,
    };
    let skew = match (a.skew, b.skew) {
        (Ok(x), Ok(y)) => Ok((x.0 + y.0, x.1 + y.1, x.2.max(y.2))),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let segments = match (a.segments, b.segments) {
        (Some(x), Some(y)) => Some(crate::segments::concat(x, y)),
        _ => None,
    };
    Ok(Part {
        rows: a.rows + b.rows,
        values,
        extra_columns: a.extra_columns,
        probabilities,
        logged: a.logged,
        skew,
        labels,
        ranked: None,
        segments,
    })
}

fn finish(parts: Vec<Part>, label: &str, bundle: &ModelBundle) -> Result<Inputs> {
    let chunks = parts.len();
    let Some(part) = parts.into_iter().next() else {
        bail!("the batch has no data rows");
    };
    let values = part
        .values
        .into_par_iter()
        .zip(&bundle.profile.features)
        .map(|(v, f)| {
            v.map(|v| -> Result<ColumnValues> {
                Ok(match v {
                    Acc::Numbers(mut sorted, missing) => {
                        driftscope_artifacts::sort_floats(&mut sorted);
                        ColumnValues::Numerical { sorted, missing }
                    }
                    Acc::Counts(counts, missing) => ColumnValues::Categorical { counts, missing },
                    Acc::NotNumbers(row, value, false) => ColumnValues::NotNumerical { row, value },
                    Acc::NotNumbers(row, value, true) => {
                        bail!(
                            "{label}: row {row}, column {:?}: expected a number, found {value:?}",
                            f.name
                        )
                    }
                })
            })
            .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    let mut skipped = Vec::new();
    let mut skip = |check: &str, reason: String| {
        skipped.push(Skipped {
            check: check.into(),
            reason,
        })
    };
    let ranked = match (&part.probabilities, part.ranked) {
        (Ok(_), Some(r)) => Some(r),
        (Ok(p), None) => Some(Ranked::new(p, part.labels.as_deref())?),
        (Err(_), _) => None,
    };
    let probabilities = match part.probabilities {
        Ok(p) => Some(p),
        Err(e) => {
            skip(
                "predictions",
                format!("the model cannot score this batch: {e}"),
            );
            None
        }
    };
    let skew = part.skew.unwrap_or_else(|e| {
        skip(
            "serving skew",
            format!("the model cannot score this batch: {e}"),
        );
        (0, 0, 0.0)
    });
    Ok(Inputs {
        batch: CurrentBatch {
            rows: part.rows,
            values,
            extra_columns: part.extra_columns,
        },
        probabilities,
        source: if part.logged {
            driftscope_artifacts::PredictionSource::Logged
        } else {
            driftscope_artifacts::PredictionSource::Model
        },
        skew,
        labels: part.labels,
        ranked,
        segments: part.segments,
        skipped,
        chunks: chunks.max(1),
        profile: None,
    })
}

/// The batch's logged probabilities: every cell a number in [0, 1]. They are taken as the
/// champion's calibrated probabilities (what `driftscope score` writes); the skew check compares
/// them with the calibrated re-score.
fn logged_predictions(table: &Table, column: &str) -> Result<Vec<f64>> {
    let values = table.numeric(column)?;
    if let Some((row, v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !(0.0..=1.0).contains(*v))
    {
        bail!(
            "{}: row {}, column {column:?} (logged predictions, performance.prediction_column): \
             expected a probability in [0, 1], found {}",
            table.label(),
            table.row_offset() + row + 1,
            if v.is_nan() {
                "an empty cell".to_string()
            } else {
                v.to_string()
            }
        );
    }
    Ok(values)
}

/// The rows re-scored for the skew check: `rows` rows (at most all) in ten evenly spaced runs
/// of a batch of `n` rows, as (offset, length).
fn skew_ranges(n: usize, rows: usize) -> Vec<(usize, usize)> {
    let take = rows.min(n);
    let slices = 10.min(take).max(1);
    (0..slices)
        .map(|s| {
            let len = take / slices + usize::from(s < take % slices);
            let offset = s * n / slices;
            (offset, len.min(n - offset))
        })
        .collect()
}

/// Re-scores this table's part of the skew-check rows with the champion and compares them with
/// the logged probabilities: (rows checked, rows differing by more than
/// [`driftscope_performance::SKEW_TOLERANCE`], largest difference).
fn skew_check(
    model: &ModelArtifact,
    table: &Table,
    logged: &[f64],
    total_rows: usize,
    rows: usize,
) -> Result<(u64, u64, f64)> {
    let (start, end) = (table.row_offset(), table.row_offset() + table.n_rows());
    let mut skew = driftscope_performance::SkewCounts::default();
    for (offset, len) in skew_ranges(total_rows, rows) {
        let (a, b) = (offset.max(start), (offset + len).min(end));
        if a >= b {
            continue;
        }
        let scored = driftscope_training::predict_proba(model, &table.slice(a - start, b - a))?;
        skew.add(&logged[a - start..b - start], &scored);
    }
    Ok((skew.checked, skew.differing, skew.max_difference))
}
