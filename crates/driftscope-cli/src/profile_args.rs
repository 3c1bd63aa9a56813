//! Arguments of `driftscope profile` on a query engine.

use std::path::PathBuf;

/// `driftscope profile --engine datafusion|ballista://HOST:PORT --batch PATH_OR_GLOB --out PROFILE`.
#[derive(clap::Args)]
pub struct ProfileArgs {
    /// Where the profile SQL runs: `datafusion` (in this process) or `ballista://HOST:PORT`
    /// (a Ballista scheduler). Needs a build with `--features engines`.
    #[arg(long)]
    pub engine: String,
    /// The batch: a Parquet or CSV file, a folder or a glob (`'logs/day=3/*.parquet'`);
    /// repeat it to profile several parts and merge them.
    #[arg(long, required = true)]
    pub batch: Vec<String>,
    /// Reference file whose features (types, fine edges) the profile follows.
    #[arg(long)]
    pub reference: PathBuf,
    /// Where the profile artifact is written (an existing file only if it is a profile).
    #[arg(long)]
    pub out: PathBuf,
    /// Distinct values a numerical column keeps exactly; past it, exact counts on fine bins.
    #[arg(long, default_value_t = driftscope_profile::DEFAULT_VALUE_CAP)]
    pub value_cap: u64,
    /// Seconds the engine may take before the profile is given up on.
    #[arg(long, default_value_t = driftscope_engine::DEFAULT_TIMEOUT_SECS)]
    pub timeout_secs: u64,
    /// Configuration file (the target column is left out of the profile).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

impl ProfileArgs {
    /// The engine crate's arguments.
    pub fn to_engine_args(&self) -> driftscope_engine::EngineProfileArgs {
        driftscope_engine::EngineProfileArgs {
            engine: self.engine.clone(),
            batches: self.batch.clone(),
            reference: self.reference.clone(),
            value_cap: self.value_cap,
            out: self.out.clone(),
            timeout_secs: self.timeout_secs,
        }
    }
}
