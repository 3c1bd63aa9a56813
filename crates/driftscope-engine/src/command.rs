//! `driftscope profile --engine datafusion|ballista://HOST:PORT`: the spec from a reference
//! file, the profile from the engine, the artifact written atomically.

use std::path::{Path, PathBuf};

use driftscope_artifacts::{ColumnValues, Config};
use driftscope_data::{read_features, Table};
use driftscope_profile::{fine_edges, BatchProfile, ColumnSpec, ProfileSpec, DEFAULT_FINE_BINS};

use crate::{profile_batch, Engine, EngineError, ProfileRequest, Result};

/// What `driftscope profile` on an engine is asked to do.
#[derive(Debug, Clone)]
pub struct EngineProfileArgs {
    /// `datafusion` or `ballista://HOST:PORT`.
    pub engine: String,
    /// Batch parts (file, folder or glob each); their profiles are merged.
    pub batches: Vec<String>,
    /// Reference file: the feature types and fine edges come from it.
    pub reference: PathBuf,
    /// Distinct values a numerical column keeps exactly.
    pub value_cap: u64,
    /// Where the profile artifact goes.
    pub out: PathBuf,
    /// Time limit of the engine's work, in seconds.
    pub timeout_secs: u64,
}

/// The spec of a reference file: its features (the configuration's target left out) with
/// their types, and the fine edges of each numerical one.
pub fn spec_from_reference(reference: &Path, cfg: &Config, value_cap: u64) -> Result<ProfileSpec> {
    let table = Table::read(reference)?;
    let (schema, values) = read_features(&table, Some(&cfg.model.target), &cfg.features)?;
    let columns = schema
        .features
        .iter()
        .zip(values)
        .map(|(c, v)| ColumnSpec {
            name: c.name.clone(),
            feature_type: c.feature_type,
            fine_edges: match v {
                ColumnValues::Numerical { sorted, .. } => {
                    fine_edges(&sorted, DEFAULT_FINE_BINS, &[])
                }
                _ => Vec::new(),
            },
        })
        .collect();
    Ok(ProfileSpec { value_cap, columns })
}

/// Profiles the batch on its engine and writes the artifact. An existing `out` is replaced
/// only when it is a batch profile (what this command writes), never any other file.
pub fn profile_command(args: &EngineProfileArgs, cfg: &Config) -> Result<BatchProfile> {
    let engine = Engine::parse(&args.engine)?;
    if !engine.is_built() {
        return Err(EngineError::NotBuilt { engine: engine.to_string() });
    }
    if args.out.exists() && driftscope_artifacts::read_artifact::<BatchProfile>(&args.out).is_err() {
        return Err(EngineError::WouldOverwrite(args.out.clone()));
    }
    let spec = spec_from_reference(&args.reference, cfg, args.value_cap)?;
    let profile = profile_batch(&ProfileRequest {
        engine,
        batches: args.batches.clone(),
        spec,
        timeout_secs: args.timeout_secs,
    })?;
    let bytes = driftscope_artifacts::to_artifact_bytes(&profile)?;
    driftscope_artifacts::write_atomic(&args.out, &bytes)?;
    Ok(profile)
}
