//! driftscope's query engines. Reads a batch (Parquet or CSV files: a path, a folder or a
//! glob), compiles its profile into portable SQL (built-in aggregates only: COUNT, SUM, MIN,
//! MAX, shifted power sums, CASE WHEN bins, GROUP BY value counts; no UDFs) and runs it with
//! Apache DataFusion in this process (feature `datafusion`) or on an Apache Ballista cluster
//! (feature `ballista`, `ballista://HOST:PORT`). Writes nothing: it returns the batch's
//! `driftscope_profile::BatchProfile`, which the caller stores as the profile artifact.
//!
//! Both engines are off by default so the workspace builds without them. Without a feature,
//! [`Engine::parse`] still knows the names and [`profile_batch`] says how to build with them:
//!
//! ```
//! use driftscope_engine::{Engine, EngineError};
//! let engine = Engine::parse("ballista://127.0.0.1:50050").unwrap();
//! assert_eq!(engine, Engine::Ballista { host: "127.0.0.1".into(), port: 50050 });
//! assert!(matches!(Engine::parse("spark"), Err(EngineError::UnknownEngine(_))));
//! ```

mod error;
#[cfg(feature = "datafusion")]
pub mod parts;
mod plan;
#[cfg(feature = "datafusion")]
pub mod run;
pub mod sql;

#[cfg(feature = "ballista")]
pub mod cluster;

pub use error::EngineError;
pub use plan::{ColumnKind, ColumnPlan};

use driftscope_profile::{BatchProfile, ProfileSpec};

/// The crate's result type.
pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// Where the profile SQL runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// DataFusion in this process.
    DataFusion,
    /// A Ballista cluster's scheduler.
    Ballista {
        /// Scheduler host.
        host: String,
        /// Scheduler gRPC port.
        port: u16,
    },
}

impl Engine {
    /// Parses `datafusion` or `ballista://HOST:PORT`.
    pub fn parse(text: &str) -> Result<Engine> {
        if text == "datafusion" {
            return Ok(Engine::DataFusion);
        }
        let unknown = || EngineError::UnknownEngine(text.to_string());
        let rest = text.strip_prefix("ballista://").ok_or_else(unknown)?;
        let (host, port) = rest.rsplit_once(':').ok_or_else(unknown)?;
        let port = port.parse().map_err(|_| unknown())?;
        if host.is_empty() {
            return Err(unknown());
        }
        Ok(Engine::Ballista {
            host: host.to_string(),
            port,
        })
    }

    /// Whether this build can run the engine.
    pub fn is_built(&self) -> bool {
        match self {
            Engine::DataFusion => cfg!(feature = "datafusion"),
            Engine::Ballista { .. } => cfg!(feature = "ballista"),
        }
    }
}

impl std::fmt::Display for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Engine::DataFusion => f.write_str("datafusion"),
            Engine::Ballista { host, port } => write!(f, "ballista://{host}:{port}"),
        }
    }
}

/// Longest a profile may take before the engine is given up on (a cluster that lost its
/// executors may otherwise wait for them for ever).
pub const DEFAULT_TIMEOUT_SECS: u64 = 3600;

/// What to profile and how.
#[derive(Debug, Clone)]
pub struct ProfileRequest {
    /// Engine to run on.
    pub engine: Engine,
    /// Batch parts: each a Parquet/CSV file, folder or glob whose files are profiled side by
    /// side, each as one partition (`parts::profile_source`); the profiles are merged in order.
    pub batches: Vec<String>,
    /// Columns, types, value cap and fine edges, from the reference.
    pub spec: ProfileSpec,
    /// Time limit of the whole profile, in seconds.
    pub timeout_secs: u64,
}

/// Profiles a batch on its engine (blocking: runs its own async runtime).
pub fn profile_batch(request: &ProfileRequest) -> Result<BatchProfile> {
    if !request.engine.is_built() {
        return Err(EngineError::NotBuilt {
            engine: request.engine.to_string(),
        });
    }
    #[cfg(feature = "datafusion")]
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        runtime.block_on(profile_async(request))
    }
    #[cfg(not(feature = "datafusion"))]
    Err(EngineError::NotBuilt {
        engine: request.engine.to_string(),
    })
}

/// Profiles a batch on its engine, within the request's time limit.
#[cfg(feature = "datafusion")]
pub async fn profile_async(request: &ProfileRequest) -> Result<BatchProfile> {
    let spec = std::sync::Arc::new(request.spec.clone());
    let work = async {
        let mut merged: Option<BatchProfile> = None;
        for batch in &request.batches {
            let part = parts::profile_source(&request.engine, batch, &spec).await?;
            merged = Some(match merged {
                Some(m) => m.merge(&part)?,
                None => part,
            });
        }
        merged.ok_or_else(|| EngineError::Shape("batch (none given)".into()))
    };
    let limit = std::time::Duration::from_secs(request.timeout_secs);
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| EngineError::Timeout {
            source_name: request.batches.join(", "),
            seconds: request.timeout_secs,
        })?
}

#[cfg(feature = "datafusion")]
async fn context(
    engine: &Engine,
) -> Result<datafusion::prelude::SessionContext, datafusion::error::DataFusionError> {
    match engine {
        Engine::DataFusion => Ok(datafusion::prelude::SessionContext::new()),
        #[cfg(feature = "ballista")]
        Engine::Ballista { host, port } => {
            use ballista::prelude::SessionContextExt;
            datafusion::prelude::SessionContext::remote(&format!("df://{host}:{port}")).await
        }
        #[cfg(not(feature = "ballista"))]
        Engine::Ballista { .. } => Err(datafusion::error::DataFusionError::NotImplemented(
            "Ballista: build with the `ballista` feature".into(),
        )),
    }
}
