//! A batch source (a file, a folder or a glob) profiled file by file: each file is one
//! partition of its own query, the files run side by side, and their profiles are merged in
//! path order. Counts are exact whatever the order; floating sums (the power sums and, past the
//! value cap, the fine bins' sums) are not associative, and an engine that split a file into
//! ranges or merged partitions' partial sums as they arrive would add them in a different order
//! each run. One partition per file and one merge order make the profile the same bytes every
//! run, on DataFusion and on a Ballista cluster alike.

use std::sync::Arc;

use datafusion::datasource::listing::ListingTableUrl;
use datafusion::prelude::SessionContext;
use driftscope_profile::{BatchProfile, ProfileSpec};
use futures::TryStreamExt;

use crate::{run, Engine, EngineError, Result};

/// The session settings that keep each file one partition: no splitting of a file's scan into
/// byte ranges, no round-robin spreading of its rows before an aggregation.
pub const ONE_PARTITION_PER_FILE: [&str; 2] = [
    "SET datafusion.optimizer.repartition_file_scans = false",
    "SET datafusion.optimizer.enable_round_robin_repartition = false",
];

/// The files of `source` (Parquet or CSV, as [`run::register_batch`] reads it), in path order.
pub async fn source_files(source: &str) -> Result<Vec<String>> {
    let err = |e| EngineError::query(source, e);
    let ctx = SessionContext::new();
    let url = ListingTableUrl::parse(source).map_err(err)?;
    let store = ctx
        .runtime_env()
        .object_store(url.object_store())
        .map_err(err)?;
    let state = ctx.state();
    let metas: Vec<_> = url
        .list_all_files(&state, store.as_ref(), run::file_extension(source))
        .await
        .map_err(err)?
        .try_collect()
        .await
        .map_err(err)?;
    let mut files: Vec<String> = metas
        .iter()
        .map(|m| format!("{}{}", url.object_store().as_str(), m.location))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(EngineError::Query {
            source_name: source.to_string(),
            message: "no file matches it".into(),
        });
    }
    Ok(files)
}

/// Files profiled at once: one per core of this machine (a file's query is one partition).
fn parallel_files() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// The profile of `source` on `engine`: its files profiled side by side, [`parallel_files`]
/// at a time (each group waits for its slowest file before the next starts), merged in path
/// order, named `source`.
pub async fn profile_source(
    engine: &Engine,
    source: &str,
    spec: &Arc<ProfileSpec>,
) -> Result<BatchProfile> {
    let files = source_files(source).await?;
    let single = files.len() == 1;
    let mut merged: Option<BatchProfile> = None;
    for chunk in files.chunks(parallel_files()) {
        let mut tasks = Running(
            chunk
                .iter()
                .map(|file| {
                    let name = if single {
                        source.to_string()
                    } else {
                        format!("{source} (part {file})")
                    };
                    let (engine, file, spec) = (engine.clone(), file.clone(), Arc::clone(spec));
                    tokio::spawn(async move { profile_file(&engine, &file, &name, &spec).await })
                })
                .collect(),
        );
        for task in tasks.0.iter_mut() {
            let part = task.await.map_err(|e| EngineError::Query {
                source_name: source.to_string(),
                message: e.to_string(),
            })??;
            merged = Some(match merged {
                Some(m) => merge_file(m, &part, &files[0])?,
                None => part,
            });
        }
    }
    // `source_files` returned at least one file.
    let mut profile = merged.ok_or_else(|| EngineError::Shape("file".into()))?;
    profile.sources = vec![source.to_string()];
    Ok(profile)
}

/// `merged` (the batch's files so far, from `first` on) with the next file's profile `part`.
/// The files of one batch must hold the same columns: a file that lacks one the others have
/// (or has one they lack) is an error naming the file and the columns.
fn merge_file(merged: BatchProfile, part: &BatchProfile, first: &str) -> Result<BatchProfile> {
    if merged.absent_columns != part.absent_columns {
        // The columns absent from `a` that `b` has.
        let only = |a: &[String], b: &[String]| -> String {
            let names: Vec<&str> = a
                .iter()
                .filter(|c| !b.contains(c))
                .map(String::as_str)
                .collect();
            names.join(", ")
        };
        let lacks = only(&part.absent_columns, &merged.absent_columns);
        let has = only(&merged.absent_columns, &part.absent_columns);
        return Err(EngineError::Query {
            source_name: part.sources.join(", "),
            message: format!(
                "the files of one batch must hold the same columns: this file lacks [{lacks}] and has [{has}] where {first} does not"
            ),
        });
    }
    Ok(merged.merge(part)?)
}

/// The files being profiled: dropped (an error in one of them, or the time limit) they are
/// cancelled, so no query outlives the profile that asked for it.
struct Running(Vec<tokio::task::JoinHandle<Result<BatchProfile>>>);

impl Drop for Running {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// One file's profile, as one partition (`name` in errors).
async fn profile_file(
    engine: &Engine,
    file: &str,
    name: &str,
    spec: &ProfileSpec,
) -> Result<BatchProfile> {
    let ctx = crate::context(engine)
        .await
        .map_err(|e| EngineError::query(name, e))?;
    for setting in ONE_PARTITION_PER_FILE {
        ctx.sql(setting)
            .await
            .map_err(|e| EngineError::query(name, e))?;
    }
    run::register_batch(&ctx, file, name).await?;
    run::profile(&ctx, name, spec).await
}
