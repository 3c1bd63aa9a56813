//! `cargo xtask bench drift [--rows N] [--repeat K]`: times `driftscope drift` (CSV and Parquet)
//! and `driftscope monitor` of one batch on generated Telco-like data against a plain polars read
//! of the same files, in one run.
//!
//! Data is generated once and cached under `target/bench-data/`. Each command runs `K` times
//! (default 3); the table shows the median wall time, user+system CPU time and peak RSS (from
//! GNU time, `/usr/bin/time`, when installed) and each run's ratio to the plain read.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

struct Measure {
    wall: f64,
    cpu: Option<f64>,
    rss_mb: Option<f64>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run_measured(bin: &Path, args: &[&str]) -> Result<Measure> {
    let gnu_time = Path::new("/usr/bin/time");
    let mut cmd = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.args(["-f", "BENCH %U %S %M"]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args).current_dir(root());
    let start = Instant::now();
    let out = cmd
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    let wall = start.elapsed().as_secs_f64();
    if !out.status.success() {
        bail!(
            "{} {:?} failed: {}",
            bin.display(),
            args,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr.lines().rev().find(|l| l.starts_with("BENCH "));
    let (cpu, rss_mb) = match line {
        Some(l) => {
            let f: Vec<f64> = l
                .split_whitespace()
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect();
            (
                f.first().zip(f.get(1)).map(|(u, s)| u + s),
                f.get(2).map(|kb| kb / 1024.0),
            )
        }
        None => (None, None),
    };
    Ok(Measure { wall, cpu, rss_mb })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn fmt_opt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.2}{unit}"))
}

/// Runs the drift benchmark.
pub fn drift(args: &[String]) -> Result<()> {
    let mut rows = 1_000_000usize;
    let mut repeat = 3usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rows" => rows = it.next().context("--rows needs a number")?.parse()?,
            "--repeat" => repeat = it.next().context("--repeat needs a number")?.parse()?,
            other => bail!("unknown argument {other:?}; usage: cargo xtask bench drift [--rows N] [--repeat K]"),
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building driftscope (release)...");
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "driftscope-cli"])
        .current_dir(root())
        .status()?;
    if !status.success() {
        bail!("cargo build failed");
    }
    let bin = root().join("target/release/driftscope");
    let data = root().join("target/bench-data");
    std::fs::create_dir_all(&data)?;
    let reference = data.join(format!("ref-{rows}.csv"));
    let current = data.join(format!("cur-{rows}.csv"));
    // CSV and Parquet copies of the same seeded data, generated once.
    for (csv, seed) in [(&reference, "1"), (&current, "2")] {
        for path in [csv.clone(), csv.with_extension("parquet")] {
            if path.exists() {
                continue;
            }
            eprintln!("generating {} ...", path.display());
            let out = Command::new(&bin)
                .args([
                    "generate",
                    "--rows",
                    &rows.to_string(),
                    "--seed",
                    seed,
                    "--out",
                ])
                .arg(&path)
                .output()?;
            if !out.status.success() {
                bail!("generate failed: {}", String::from_utf8_lossy(&out.stderr));
            }
        }
    }
    // A model to monitor with: trained once on 20,000 generated rows, cached.
    let artifacts = data.join("artifacts");
    if !artifacts.join("models/champion.json").exists() {
        let train = data.join("train-20000.csv").to_string_lossy().to_string();
        let art = artifacts.to_string_lossy().to_string();
        for args in [
            vec![
                "generate", "--rows", "20000", "--seed", "3", "--out", &train,
            ],
            vec!["train", "--data", &train, "--artifacts", &art],
        ] {
            eprintln!("{} ...", args[0]);
            let out = Command::new(&bin).args(&args).output()?;
            if !out.status.success() {
                bail!(
                    "{} failed: {}",
                    args[0],
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
    let s = |p: &Path| p.to_string_lossy().to_string();
    let (r, c) = (s(&reference), s(&current));
    let (rp, cp) = (
        s(&reference.with_extension("parquet")),
        s(&current.with_extension("parquet")),
    );
    let report = s(&data.join(format!("drift-{rows}.json")));
    let art = s(&artifacts);
    // Each driftscope run follows the plain read it is compared with.
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("polars read of both CSV files", vec!["bench-read", &r, &c]),
        (
            "driftscope drift (CSV)",
            vec![
                "drift",
                "--reference",
                &r,
                "--current",
                &c,
                "--format",
                "json",
                "--output",
                &report,
            ],
        ),
        ("polars read of both Parquet", vec!["bench-read", &rp, &cp]),
        (
            "driftscope drift (Parquet)",
            vec![
                "drift",
                "--reference",
                &rp,
                "--current",
                &cp,
                "--format",
                "json",
                "--output",
                &report,
            ],
        ),
        ("polars read of the batch CSV", vec!["bench-read", &c]),
        (
            "driftscope monitor (1 batch)",
            vec![
                "monitor",
                "--batch",
                &c,
                "--batch-id",
                "bench",
                "--timestamp",
                "2026-01-05T00:00:00Z",
                "--artifacts",
                &art,
            ],
        ),
    ];
    let mut results = Vec::new();
    for (name, args) in &runs {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        let mut rss = Vec::new();
        for _ in 0..repeat {
            let m = run_measured(&bin, args)?;
            walls.push(m.wall);
            cpus.extend(m.cpu);
            rss.extend(m.rss_mb);
        }
        let cpu = (!cpus.is_empty()).then(|| median(cpus));
        let peak = rss
            .iter()
            .copied()
            .fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
        results.push((name.to_string(), median(walls), cpu, peak));
    }
    println!("\nbenchmark: {rows} reference rows vs {rows} current rows (21 Telco columns), median of {repeat}");
    println!(
        "each driftscope run is compared with the plain read of the same files on the row above it"
    );
    println!(
        "{:<30} {:>10} {:>10} {:>12} {:>14}",
        "run", "wall", "cpu", "peak RSS", "x plain read"
    );
    for (i, (name, wall, cpu, peak)) in results.iter().enumerate() {
        let base = results[i - i % 2].1;
        println!(
            "{name:<30} {:>9.2}s {:>10} {:>12} {:>13.2}x",
            wall,
            fmt_opt(*cpu, "s"),
            fmt_opt(*peak, " MB"),
            wall / base
        );
    }
    Ok(())
}
