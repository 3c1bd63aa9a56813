//! A Ballista scheduler or executor in this process, bound to a host and port: what the
//! `driftscope-cluster` binary runs, so the cluster test and the bench start real separate
//! processes (one can then be killed) without Ballista's own binaries.

use std::sync::Arc;

use ballista_core::config::TaskSchedulingPolicy;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;

use crate::{EngineError, Result};

/// How quickly a cluster notices a lost executor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Liveness {
    /// Seconds between an executor's heartbeats.
    pub heartbeat_secs: u64,
    /// Seconds without a heartbeat after which the scheduler drops an executor.
    pub executor_timeout_secs: u64,
}

impl Default for Liveness {
    /// Ballista's own defaults are a heartbeat per 60 s and a 180 s timeout; a job on a lost
    /// executor then waits minutes. These notice a lost executor within seconds.
    fn default() -> Self {
        Liveness {
            heartbeat_secs: 2,
            executor_timeout_secs: 10,
        }
    }
}

fn ballista_err(e: ballista_core::error::BallistaError) -> EngineError {
    EngineError::Query {
        source_name: "ballista cluster".into(),
        message: e.to_string(),
    }
}

/// Runs a scheduler on `host:port` until the process ends.
pub async fn run_scheduler(host: &str, port: u16, liveness: Liveness) -> Result<()> {
    let config = SchedulerConfig {
        bind_host: host.to_string(),
        external_host: host.to_string(),
        bind_port: port,
        scheduling_policy: TaskSchedulingPolicy::PullStaged,
        executor_timeout_seconds: liveness.executor_timeout_secs,
        expire_dead_executor_interval_seconds: 1,
        no_executors_grace_period_seconds: liveness.executor_timeout_secs,
        ..SchedulerConfig::default()
    };
    let address = format!("{host}:{port}")
        .parse()
        .map_err(|e: std::net::AddrParseError| EngineError::UnknownEngine(e.to_string()))?;
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(ballista_err)?;
    start_server(cluster, address, Arc::new(config))
        .await
        .map_err(ballista_err)
}

/// Where an executor listens and which scheduler it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutorAddress {
    /// Host of the executor and of its scheduler.
    pub host: String,
    /// Scheduler's port.
    pub scheduler_port: u16,
    /// Executor's Arrow Flight port.
    pub flight_port: u16,
    /// Executor's gRPC port.
    pub grpc_port: u16,
}

/// Runs an executor with `vcores` task slots until the process ends.
pub async fn run_executor(at: &ExecutorAddress, vcores: usize, liveness: Liveness) -> Result<()> {
    let config = ExecutorProcessConfig {
        bind_host: at.host.clone(),
        external_host: Some(at.host.clone()),
        port: at.flight_port,
        grpc_port: at.grpc_port,
        scheduler_host: at.host.clone(),
        scheduler_port: at.scheduler_port,
        scheduler_connect_timeout_seconds: 30,
        vcores,
        task_scheduling_policy: TaskSchedulingPolicy::PullStaged,
        executor_heartbeat_interval_seconds: liveness.heartbeat_secs,
        print_thread_info: false,
        ..ExecutorProcessConfig::default()
    };
    start_executor_process(Arc::new(config))
        .await
        .map_err(ballista_err)
}
