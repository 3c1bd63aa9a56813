//! A Ballista cluster on 127.0.0.1 (a scheduler and two executors, each its own
//! `driftscope-cluster` process) profiles a partitioned Parquet batch exactly as DataFusion
//! and the local engine do; losing an executor mid-profile gives an error or a retried,
//! complete profile, never a partial one. Every wait has a limit, and the processes are
//! killed when the test ends, passing or not.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{assert_same_profile, local_profile, reference_spec, write_parts};
use driftscope_engine::{profile_batch, Engine, ProfileRequest};
use driftscope_profile::{BatchProfile, ProfileSpec};

/// Longest wait for a process to listen on its port.
const START_LIMIT: Duration = Duration::from_secs(60);

/// The cluster's processes, killed on drop.
struct Cluster {
    scheduler_port: u16,
    scheduler: Child,
    executors: Vec<Child>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in self
            .executors
            .iter_mut()
            .chain(std::iter::once(&mut self.scheduler))
        {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn wait_for_port(port: u16, child: &mut Child) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("cluster process exited before listening on {port}: {status}");
        }
        assert!(
            start.elapsed() < START_LIMIT,
            "nothing listens on {port} after {START_LIMIT:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn node(args: &[String]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_driftscope-cluster"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start driftscope-cluster")
}

/// Starts a scheduler and `executors` executors on 127.0.0.1.
fn start_cluster(executors: usize) -> Cluster {
    let scheduler_port = free_port();
    let mut scheduler = node(&[
        "scheduler".into(),
        "--port".into(),
        scheduler_port.to_string(),
    ]);
    wait_for_port(scheduler_port, &mut scheduler);
    let mut cluster = Cluster {
        scheduler_port,
        scheduler,
        executors: Vec::new(),
    };
    for _ in 0..executors {
        let (flight, grpc) = (free_port(), free_port());
        let mut child = node(&[
            "executor".into(),
            "--scheduler-port".into(),
            scheduler_port.to_string(),
            "--flight-port".into(),
            flight.to_string(),
            "--grpc-port".into(),
            grpc.to_string(),
            "--vcores".into(),
            "2".into(),
        ]);
        wait_for_port(flight, &mut child);
        cluster.executors.push(child);
    }
    // The executors register with their first heartbeat.
    std::thread::sleep(Duration::from_secs(3));
    cluster
}

fn request(engine: Engine, glob: &str, spec: &ProfileSpec) -> ProfileRequest {
    ProfileRequest {
        engine,
        batches: vec![glob.to_string()],
        spec: spec.clone(),
        timeout_secs: 180,
    }
}

fn without_sources(mut p: BatchProfile) -> BatchProfile {
    p.sources.clear();
    p
}

#[test]
fn a_two_executor_cluster_profiles_a_partitioned_batch_exactly_as_datafusion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parts = write_parts(dir.path(), 4, 1500);
    let spec = reference_spec(driftscope_profile::DEFAULT_VALUE_CAP);
    let glob = format!("{}/*.parquet", dir.path().display());
    let cluster = start_cluster(2);
    let engine = Engine::Ballista {
        host: "127.0.0.1".into(),
        port: cluster.scheduler_port,
    };
    let on_cluster =
        profile_batch(&request(engine.clone(), &glob, &spec)).expect("ballista profile");
    let in_process = profile_batch(&request(Engine::DataFusion, &glob, &spec)).expect("datafusion");
    // Every field, moments included, bit for bit: exact columns take their moments from the
    // value map, whatever order the engines summed in.
    assert_eq!(
        without_sources(on_cluster.clone()),
        without_sources(in_process)
    );
    assert_same_profile(&on_cluster, &local_profile(&spec, &parts));
    // Past the cap too (bin sums and moments added by the engines): the same bits, as each
    // file is one partition and the files merge in path order.
    let capped = reference_spec(50);
    let on_cluster = profile_batch(&request(engine, &glob, &capped)).expect("ballista, capped");
    let in_process = profile_batch(&request(Engine::DataFusion, &glob, &capped)).expect("capped");
    assert_eq!(on_cluster, in_process);
}

#[test]
fn losing_an_executor_mid_profile_never_gives_a_partial_profile() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_parts(dir.path(), 8, 20_000);
    let spec = reference_spec(driftscope_profile::DEFAULT_VALUE_CAP);
    let glob = format!("{}/*.parquet", dir.path().display());
    let want = profile_batch(&request(Engine::DataFusion, &glob, &spec)).expect("datafusion");
    let mut cluster = start_cluster(2);
    let engine = Engine::Ballista {
        host: "127.0.0.1".into(),
        port: cluster.scheduler_port,
    };
    let job = {
        let r = request(engine, &glob, &spec);
        std::thread::spawn(move || profile_batch(&r))
    };
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !job.is_finished(),
        "the profile is still running when the executor is killed"
    );
    let victim = &mut cluster.executors[0];
    victim.kill().expect("kill executor");
    let _ = victim.wait();
    let started = Instant::now();
    match job.join().expect("profile thread") {
        // A retried profile is whole: every exact field equal.
        Ok(got) => assert_same_profile(&got, &want),
        Err(e) => {
            let text = e.to_string();
            eprintln!("lost executor reported as: {text}");
            assert!(!text.is_empty() && text.contains(&glob), "{text}");
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(200),
        "the job ended within its limit"
    );
}
