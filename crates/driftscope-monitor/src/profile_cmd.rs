//! `driftscope profile`: a batch reduced to its mergeable profile (`batch_profile` artifact)
//! against a reference, by the local engine (this process: the batch read whole, or a CSV
//! streamed in chunks, each chunk profiled and the parts merged).

use std::path::Path;

use driftscope_artifacts::{Config, ReferenceProfile, ReferenceSample};
use driftscope_data::{CsvChunks, Table};
use driftscope_profile::{profile_part, BatchProfile, ProfileSpec};

use crate::args::ProfileArgs;
use crate::error::{bail, Result};
use crate::{current_batch, profile_table, ArtifactStore};

/// The profile of one table (a whole batch or a chunk) against the reference.
fn part_of(
    table: &Table,
    reference: &ReferenceProfile,
    spec: &ProfileSpec,
    source: &str,
) -> Result<BatchProfile> {
    let features = reference.features.iter().map(|f| f.name.as_str());
    table.require_readable(features, "a feature of the reference")?;
    let batch = current_batch(table, reference)?;
    Ok(profile_part(
        spec,
        source,
        batch.rows,
        batch.values,
        batch.extra_columns,
    )?)
}

/// The profile of the batch at `path` against `reference` and `spec`: read whole, or (a CSV
/// with `chunk_rows`, or too large for the memory available) chunk by chunk, the chunks'
/// profiles merged. Both give the same counts, value maps and categories (moments to rounding).
///
/// # Example
/// ```
/// use driftscope_monitor::{profile_batch, profile_table};
/// use driftscope_profile::ProfileSpec;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("b.csv");
/// std::fs::write(&path, "x,c\n1,a\n2,b\n2,a\n,b\n5,a\n").unwrap();
/// let table = driftscope_data::Table::read(&path).unwrap();
/// let cfg = driftscope_artifacts::Config::default();
/// let (reference, sample) = profile_table(&table, "none", &cfg).unwrap();
/// let spec = ProfileSpec::from_reference(&reference, &sample, 100, 16);
/// let whole = profile_batch(&path, &reference, &spec, None).unwrap();
/// let chunked = profile_batch(&path, &reference, &spec, Some(2)).unwrap();
/// assert_eq!(whole.rows, 5);
/// // Counts, value maps and categories bit for bit; moments to rounding.
/// let map = |p: &driftscope_profile::BatchProfile| match &p.columns[0].data {
///     driftscope_profile::ColumnData::Numerical(n) => n.distribution.clone(),
///     _ => unreachable!(),
/// };
/// assert_eq!(map(&whole), map(&chunked));
/// assert_eq!(whole.columns[1], chunked.columns[1]);
/// ```
pub fn profile_batch(
    path: &Path,
    reference: &ReferenceProfile,
    spec: &ProfileSpec,
    chunk_rows: Option<usize>,
) -> Result<BatchProfile> {
    driftscope_data::check_input_file(path)?;
    let source = path.display().to_string();
    let Some(chunk_rows) = crate::inputs::streamed_chunk_rows(path, chunk_rows) else {
        let wanted = |name: &str| reference.features.iter().any(|f| f.name == name);
        let table = Table::read_columns(path, &wanted)?;
        return part_of(&table, reference, spec, &source);
    };
    let mut merged: Option<BatchProfile> = None;
    for chunk in CsvChunks::open(path, chunk_rows)? {
        let part = part_of(&chunk?, reference, spec, &source)?;
        merged = Some(match merged {
            None => part,
            Some(m) => {
                let mut p = m.merge(&part)?;
                p.sources = vec![source.clone()];
                p
            }
        });
    }
    match merged {
        Some(p) => Ok(p),
        None => bail!("{source}: no data rows to profile"),
    }
}

/// The reference a batch is profiled against: a reference data file, or the champion's.
fn reference_of(args: &ProfileArgs, cfg: &Config) -> Result<(ReferenceProfile, ReferenceSample)> {
    match &args.reference {
        Some(path) => {
            let table = Table::read(path)?;
            profile_table(&table, &cfg.model.target, cfg)
        }
        None => {
            let bundle = ArtifactStore::new(&args.artifacts).champion()?;
            Ok((bundle.profile, bundle.sample))
        }
    }
}

/// Refuses an `--out` that is the batch, or an existing file that is not a batch profile (a
/// command overwrites only what it wrote).
fn check_out(args: &ProfileArgs) -> Result<()> {
    for input in std::iter::once(&args.batch).chain(&args.reference) {
        if crate::drift_cmd::same_file(&args.out, input) {
            bail!(
                "--out {}: is an input file; writing the profile would overwrite it",
                args.out.display()
            );
        }
    }
    if args.out.exists() && driftscope_artifacts::read_artifact::<BatchProfile>(&args.out).is_err()
    {
        bail!(
            "--out {}: exists and is not a batch profile; refusing to overwrite it",
            args.out.display()
        );
    }
    Ok(())
}

/// `driftscope profile`: profiles `--batch` against the reference and writes the
/// `batch_profile` artifact to `--out` (atomically). Only the `local` engine is built in.
pub fn profile(args: &ProfileArgs, cfg: &Config) -> Result<BatchProfile> {
    if args.engine != "local" {
        bail!(
            "--engine {}: not available in this build (engines: local)",
            args.engine
        );
    }
    if args.value_cap == 0 || args.fine_bins < 2 {
        bail!("--value-cap must be at least 1 and --fine-bins at least 2");
    }
    check_out(args)?;
    let (reference, sample) = reference_of(args, cfg)?;
    let spec = ProfileSpec::from_reference(&reference, &sample, args.value_cap, args.fine_bins);
    let profile = profile_batch(&args.batch, &reference, &spec, args.chunk_rows)?;
    driftscope_artifacts::write_artifact(&args.out, &profile)?;
    Ok(profile)
}
