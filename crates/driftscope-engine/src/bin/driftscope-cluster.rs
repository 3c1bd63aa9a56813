//! `driftscope-cluster`: one Ballista scheduler or executor, for a local cluster.
//!
//! ```text
//! driftscope-cluster scheduler --port 50050
//! driftscope-cluster executor --scheduler-port 50050 --flight-port 50051 --grpc-port 50052
//! ```

use clap::{Parser, Subcommand};
use driftscope_engine::cluster::{run_executor, run_scheduler, ExecutorAddress, Liveness};

/// A Ballista scheduler or executor on this machine.
#[derive(Parser)]
struct Cli {
    /// Host to bind and advertise.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Seconds between executor heartbeats.
    #[arg(long, default_value_t = Liveness::default().heartbeat_secs)]
    heartbeat_secs: u64,
    /// Seconds without a heartbeat after which an executor is dropped.
    #[arg(long, default_value_t = Liveness::default().executor_timeout_secs)]
    executor_timeout_secs: u64,
    #[command(subcommand)]
    role: Role,
}

#[derive(Subcommand)]
enum Role {
    /// Runs the scheduler.
    Scheduler {
        /// gRPC port.
        #[arg(long)]
        port: u16,
    },
    /// Runs an executor.
    Executor {
        /// The scheduler's port.
        #[arg(long)]
        scheduler_port: u16,
        /// Arrow Flight port.
        #[arg(long)]
        flight_port: u16,
        /// gRPC port.
        #[arg(long)]
        grpc_port: u16,
        /// Task slots.
        #[arg(long, default_value_t = 2)]
        vcores: usize,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let liveness = Liveness {
        heartbeat_secs: cli.heartbeat_secs,
        executor_timeout_secs: cli.executor_timeout_secs,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let done = runtime.block_on(async {
        match cli.role {
            Role::Scheduler { port } => run_scheduler(&cli.host, port, liveness).await,
            Role::Executor {
                scheduler_port,
                flight_port,
                grpc_port,
                vcores,
            } => {
                let at = ExecutorAddress {
                    host: cli.host.clone(),
                    scheduler_port,
                    flight_port,
                    grpc_port,
                };
                run_executor(&at, vcores, liveness).await
            }
        }
    });
    match done {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
