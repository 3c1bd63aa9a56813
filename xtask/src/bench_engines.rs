//! `cargo xtask bench engines [--rows N] [--parts P] [--repeat K]`: one batch of `N` generated
//! rows (default 10M) in `P` Parquet partitions (default 8), profiled via DataFusion in one
//! process and via a Ballista cluster on this machine (a scheduler and two executors, each its
//! own `driftscope-cluster` process), then the drift report from the profile; next to today's
//! single-process `driftscope monitor` and `drift` of the same rows (the partitions' CSV copies
//! joined into one file). For every process: wall
//! time, CPU time (user+system) and peak RSS; for the cluster, the scheduler's and executors'
//! CPU time during each run and their peak RSS read from `/proc`. Also the size of the profile
//! artifact, and whether the two engines' profiles agree.
//!
//! Builds `driftscope` with `--features engines` (DataFusion and Ballista: a long first build).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::bench::{
    copy_tree, ensure_bench_model, fmt_opt, median, monitor_args, run_bin, run_measured, s, Measure,
};
use crate::root;

struct EngineBenchArgs {
    rows: usize,
    parts: usize,
    repeat: usize,
}

fn parse_args(args: &[String]) -> Result<EngineBenchArgs> {
    let mut a = EngineBenchArgs {
        rows: 10_000_000,
        parts: 8,
        repeat: 1,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a number"));
        match flag.as_str() {
            "--rows" => a.rows = value()?.parse()?,
            "--parts" => a.parts = value()?.parse()?,
            "--repeat" => a.repeat = value()?.parse()?,
            other => bail!(
                "unknown argument {other:?}; usage: cargo xtask bench engines [--rows N] [--parts P] [--repeat K]"
            ),
        }
    }
    if a.parts == 0 || a.rows < a.parts || a.repeat == 0 {
        bail!("--rows must be at least --parts, and --parts and --repeat at least 1");
    }
    Ok(a)
}

/// Builds `driftscope` with the engines and `driftscope-cluster`; returns both paths.
fn build_with_engines() -> Result<(PathBuf, PathBuf)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let ok = Command::new(&cargo)
        .args([
            "build",
            "--release",
            "-p",
            "driftscope-cli",
            "-p",
            "driftscope-engine",
        ])
        .args([
            "--features",
            "driftscope-cli/engines,driftscope-engine/ballista",
        ])
        .current_dir(root())
        .status()?
        .success();
    if !ok {
        bail!("cargo build --features engines failed");
    }
    let dir = root().join("target/release");
    Ok((dir.join("driftscope"), dir.join("driftscope-cluster")))
}

/// The partitions (CSV and Parquet copies of the same rows) and the joined CSV batch.
fn ensure_parts(bin: &Path, dir: &Path, rows: usize, parts: usize) -> Result<PathBuf> {
    std::fs::create_dir_all(dir.join("parquet"))?;
    std::fs::create_dir_all(dir.join("csv"))?;
    let joined = dir.join("batch.csv");
    if joined.exists() {
        return Ok(joined);
    }
    let mut all = Vec::new();
    for k in 0..parts {
        let n = rows / parts + usize::from(k < rows % parts);
        let seed = (1000 + k).to_string();
        let csv = dir.join(format!("csv/part-{k}.csv"));
        let pq = dir.join(format!("parquet/part-{k}.parquet"));
        eprintln!("generating partition {k} ({n} rows) ...");
        for out in [&csv, &pq] {
            run_bin(
                bin,
                &[
                    "generate",
                    "--rows",
                    &n.to_string(),
                    "--seed",
                    &seed,
                    "--out",
                    &s(out),
                ],
            )?;
        }
        let text = std::fs::read(&csv)?;
        let body = if k == 0 {
            &text[..]
        } else {
            skip_header(&text)
        };
        all.extend_from_slice(body);
    }
    let tmp = dir.join("batch.csv.tmp");
    std::fs::write(&tmp, all)?;
    std::fs::rename(&tmp, &joined)?;
    Ok(joined)
}

fn skip_header(text: &[u8]) -> &[u8] {
    text.iter()
        .position(|b| *b == b'\n')
        .map_or(&[][..], |i| &text[i + 1..])
}

/// A local Ballista cluster whose processes are killed on drop.
struct Cluster {
    port: u16,
    children: Vec<(String, Child)>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for (_, c) in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn wait_port(port: u16) -> Result<()> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let start = Instant::now();
    while std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if start.elapsed() > Duration::from_secs(60) {
            bail!("no cluster process listens on port {port} after 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn start_cluster(cluster_bin: &Path, executors: usize) -> Result<Cluster> {
    let spawn = |args: Vec<String>| {
        Command::new(cluster_bin)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting driftscope-cluster")
    };
    let port = free_port()?;
    let mut cluster = Cluster {
        port,
        children: Vec::new(),
    };
    cluster.children.push((
        "scheduler".into(),
        spawn(vec!["scheduler".into(), "--port".into(), port.to_string()])?,
    ));
    wait_port(port)?;
    for e in 0..executors {
        let (flight, grpc) = (free_port()?, free_port()?);
        let args = [
            "executor",
            "--scheduler-port",
            &port.to_string(),
            "--flight-port",
            &flight.to_string(),
            "--grpc-port",
            &grpc.to_string(),
            "--vcores",
            "2",
        ];
        cluster.children.push((
            format!("executor {}", e + 1),
            spawn(args.iter().map(|a| a.to_string()).collect())?,
        ));
        wait_port(flight)?;
    }
    std::thread::sleep(Duration::from_secs(3));
    Ok(cluster)
}

/// CPU seconds (user+system) and peak RSS in MB of a running process, from `/proc`.
fn proc_usage(pid: u32) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name; clock
    // ticks of 1/100 s on Linux.
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let hwm = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = hwm.split_whitespace().nth(1)?.parse().ok()?;
    Some((ticks / 100.0, kb / 1024.0))
}

/// One row of the table.
struct Row {
    name: String,
    wall: f64,
    cpu: Option<f64>,
    rss_mb: Option<f64>,
}

fn row(name: &str, ms: &[Measure]) -> Row {
    Row {
        name: name.into(),
        wall: median(ms.iter().map(|m| m.wall).collect()),
        cpu: (!ms.iter().any(|m| m.cpu.is_none()))
            .then(|| median(ms.iter().filter_map(|m| m.cpu).collect())),
        rss_mb: ms.iter().filter_map(|m| m.rss_mb).reduce(f64::max),
    }
}

fn profile_args(engine: &str, glob: &str, reference: &str, out: &Path) -> Vec<String> {
    [
        "profile",
        "--engine",
        engine,
        "--batch",
        glob,
        "--reference",
        reference,
        "--out",
        &s(out),
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

fn measured(bin: &Path, args: &[String]) -> Result<Measure> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    run_measured(bin, &a)
}

fn drift_args(reference: &str, current: (&str, &str), out: &Path) -> Vec<String> {
    [
        "drift",
        "--reference",
        reference,
        current.0,
        current.1,
        "--format",
        "json",
        "--output",
        &s(out),
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

/// Runs the engine benchmark.
pub fn engines(args: &[String]) -> Result<()> {
    let a = parse_args(args)?;
    eprintln!("building driftscope with the engines (release)...");
    let (bin, cluster_bin) = build_with_engines()?;
    let data = root().join("target/bench-data");
    let artifacts = data.join("artifacts");
    ensure_bench_model(&bin, &data, &artifacts)?;
    let reference = s(&data.join("train-20000.csv"));
    let dir = data.join(format!("engines-{}-{}", a.rows, a.parts));
    let batch = ensure_parts(&bin, &dir, a.rows, a.parts)?;
    let glob = format!("{}/parquet/*.parquet", dir.display());
    let (df_out, bl_out) = (
        dir.join("profile-datafusion.json"),
        dir.join("profile-ballista.json"),
    );
    let mon_dir = dir.join("monitor-artifacts");
    let cluster = start_cluster(&cluster_bin, 2)?;
    let ballista = format!("ballista://127.0.0.1:{}", cluster.port);
    let (rows_report, profile_report) =
        (dir.join("drift-rows.json"), dir.join("drift-profile.json"));
    let mut samples: Vec<Vec<Measure>> = (0..5).map(|_| Vec::new()).collect();
    let mut node_cpu: Vec<Vec<f64>> = cluster.children.iter().map(|_| Vec::new()).collect();
    for _ in 0..a.repeat {
        copy_tree(&artifacts, &mon_dir)?;
        samples[0].push(measured(&bin, &monitor_args(&s(&batch), &s(&mon_dir)))?);
        samples[1].push(measured(
            &bin,
            &drift_args(&reference, ("--current", &s(&batch)), &rows_report),
        )?);
        samples[2].push(measured(
            &bin,
            &profile_args("datafusion", &glob, &reference, &df_out),
        )?);
        let before: Vec<f64> = cluster
            .children
            .iter()
            .map(|(_, c)| proc_usage(c.id()).map_or(0.0, |u| u.0))
            .collect();
        samples[3].push(measured(
            &bin,
            &profile_args(&ballista, &glob, &reference, &bl_out),
        )?);
        for (k, (_, c)) in cluster.children.iter().enumerate() {
            node_cpu[k].push(proc_usage(c.id()).map_or(0.0, |u| u.0) - before[k]);
        }
        samples[4].push(measured(
            &bin,
            &drift_args(
                &reference,
                ("--current-profile", &s(&df_out)),
                &profile_report,
            ),
        )?);
    }
    let names = [
        "monitor, one process (CSV batch)",
        "drift from rows, one process (CSV)",
        "profile via DataFusion (Parquet parts)",
        "profile via Ballista: client",
        "drift from the profile",
    ];
    let mut rows: Vec<Row> = names.iter().zip(&samples).map(|(n, m)| row(n, m)).collect();
    for (k, (name, c)) in cluster.children.iter().enumerate() {
        let rss = proc_usage(c.id()).map(|u| u.1);
        rows.insert(
            4 + k,
            Row {
                name: format!("  Ballista {name}"),
                wall: rows[3].wall,
                cpu: Some(median(node_cpu[k].clone())),
                rss_mb: rss,
            },
        );
    }
    print_table(&a, &rows);
    let same_report = std::fs::read(&rows_report)? == std::fs::read(&profile_report)?;
    // Past the value cap a column's statistics are bounded, not exact: the reports then
    // differ in those fields by design (within the bounds the report states).
    let past_cap = String::from_utf8_lossy(&std::fs::read(&df_out)?)
        .matches("\"binned\"")
        .count();
    println!(
        "drift report from the profile equals the one from rows, byte for byte: {} \
         ({past_cap} column(s) past the value cap, with bounded statistics)",
        if same_report { "yes" } else { "no" }
    );
    report_profiles(&df_out, &bl_out)
}

fn print_table(a: &EngineBenchArgs, rows: &[Row]) {
    println!(
        "\n{} rows in {} Parquet partitions (21 Telco columns), median of {}",
        a.rows, a.parts, a.repeat
    );
    println!(
        "{:<40} {:>9} {:>10} {:>11} {:>14}",
        "process", "wall", "cpu", "peak RSS", "x monitor wall"
    );
    print_table_rows_against(rows, rows[0].wall);
}

fn print_table_rows_against(rows: &[Row], base: f64) {
    for r in rows {
        println!(
            "{:<40} {:>8.2}s {:>10} {:>11} {:>13.2}x",
            r.name,
            r.wall,
            fmt_opt(r.cpu, "s"),
            fmt_opt(r.rss_mb, " MB"),
            r.wall / base
        );
    }
}

/// Prints the artifact size and checks the two engines' profiles are the same bytes (each
/// file of the batch is one partition and the files merge in path order, so the floating sums
/// past the value cap are added in one order on both engines).
fn report_profiles(df: &Path, bl: &Path) -> Result<()> {
    let size = std::fs::metadata(df)?.len();
    println!(
        "profile artifact: {size} bytes ({:.2} MB)",
        size as f64 / 1e6
    );
    let same = std::fs::read(df)? == std::fs::read(bl)?;
    println!(
        "DataFusion and Ballista profiles are the same bytes (bin sums and moments past the cap included): {}",
        if same { "yes" } else { "NO" }
    );
    if !same {
        bail!("the engines' profiles differ");
    }
    Ok(())
}
