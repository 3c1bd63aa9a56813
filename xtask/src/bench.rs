//! `cargo xtask bench [--sizes N,..] [--repeat K] [--cap-mb M]`: for each size (default 100k,
//! 1M and 10M rows) times, in one run, a plain polars read of the files beside `driftscope drift`
//! on CSV and on Parquet, and `driftscope monitor` of one batch against a stored reference:
//! scoring every row with the champion, with logged predictions, and under an address-space cap
//! (`prlimit --as`, default 1500 MB, where a large CSV batch is streamed). It then checks that
//! the capped run's artifacts equal the uncapped run's byte for byte.
//!
//! Data is generated once and cached under `target/bench-data/`. Each command runs `K` times
//! (default 3; once at 10M rows), the repetitions going round all the commands so that a slow
//! spell of the machine falls on all of them alike; the table shows the median wall time, user+system CPU time and
//! peak RSS (from GNU time, `/usr/bin/time`, when installed) and the ratio to the plain read the
//! run is compared with.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};

struct Measure {
    wall: f64,
    cpu: Option<f64>,
    rss_mb: Option<f64>,
}

use crate::root;

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

/// One benchmark row: a name, the command, and the index of the plain read it is compared with.
struct Run {
    name: String,
    args: Vec<String>,
    base: usize,
    wrapper: Vec<String>,
}

fn run(name: &str, args: &[&str], base: usize) -> Run {
    Run {
        name: name.to_string(),
        args: args.iter().map(|a| a.to_string()).collect(),
        base,
        wrapper: Vec::new(),
    }
}

fn run_bin(bin: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(bin).args(args).current_dir(root()).output()?;
    if !out.status.success() {
        bail!(
            "{} {:?} failed: {}",
            bin.display(),
            args,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// Every file under `dir` with its bytes, sorted.
fn tree(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir)?.to_path_buf(), std::fs::read(&p)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to)?;
    }
    for (rel, bytes) in tree(from)? {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().context("no parent")?)?;
        std::fs::write(p, bytes)?;
    }
    Ok(())
}

/// Benchmark settings from the command line.
struct BenchArgs {
    sizes: Vec<usize>,
    repeat: usize,
    cap_mb: u64,
}

fn parse_bench_args(args: &[String]) -> Result<BenchArgs> {
    let mut sizes = vec![100_000usize, 1_000_000, 10_000_000];
    let mut repeat = 3usize;
    let mut cap_mb = 1500u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rows" | "--sizes" => {
                sizes = it
                    .next()
                    .context("--sizes needs a comma-separated list")?
                    .split(',')
                    .map(|s| s.trim().parse())
                    .collect::<Result<_, _>>()?
            }
            "--repeat" => repeat = it.next().context("--repeat needs a number")?.parse()?,
            "--cap-mb" => cap_mb = it.next().context("--cap-mb needs a number")?.parse()?,
            other => bail!(
                "unknown argument {other:?}; usage: cargo xtask bench [--sizes N,N,..] \
                 [--repeat K] [--cap-mb M]"
            ),
        }
    }
    Ok(BenchArgs {
        sizes,
        repeat,
        cap_mb,
    })
}

fn s(p: &Path) -> String {
    p.to_string_lossy().to_string()
}

/// A model to monitor with: trained once on 20,000 generated rows, cached.
fn ensure_bench_model(bin: &Path, data: &Path, artifacts: &Path) -> Result<()> {
    if !artifacts.join("models/champion.json").exists() {
        let train = data.join("train-20000.csv").to_string_lossy().to_string();
        let art = artifacts.to_string_lossy().to_string();
        eprintln!("training the benchmark model ...");
        run_bin(
            bin,
            &[
                "generate", "--rows", "20000", "--seed", "3", "--out", &train,
            ],
        )?;
        run_bin(bin, &["train", "--data", &train, "--artifacts", &art])?;
    }
    Ok(())
}

/// CSV and Parquet copies of the same seeded data, generated once; the current batch
/// also with the champion's logged predictions.
fn ensure_bench_data(bin: &Path, rows: usize, files: &BenchFiles, art: &str) -> Result<()> {
    for (csv, seed) in [(&files.reference, "1"), (&files.current, "2")] {
        for path in [csv.clone(), csv.with_extension("parquet")] {
            if !path.exists() {
                eprintln!("generating {} ...", path.display());
                run_bin(
                    bin,
                    &[
                        "generate",
                        "--rows",
                        &rows.to_string(),
                        "--seed",
                        seed,
                        "--out",
                        &s(&path),
                    ],
                )?;
            }
        }
    }
    if !files.scored.exists() {
        eprintln!("scoring {} ...", files.current.display());
        run_bin(
            bin,
            &[
                "score",
                "--batch",
                &s(&files.current),
                "--artifacts",
                art,
                "--out",
                &s(&files.scored),
            ],
        )?;
    }
    Ok(())
}

/// The files of one benchmark size.
struct BenchFiles {
    reference: PathBuf,
    current: PathBuf,
    scored: PathBuf,
    report: String,
    whole_dir: PathBuf,
    capped_dir: PathBuf,
}

impl BenchFiles {
    fn new(data: &Path, rows: usize) -> Self {
        BenchFiles {
            reference: data.join(format!("ref-{rows}.csv")),
            current: data.join(format!("cur-{rows}.csv")),
            scored: data.join(format!("cur-{rows}-scored.csv")),
            report: s(&data.join(format!("drift-{rows}.json"))),
            whole_dir: data.join(format!("monitor-{rows}-whole")),
            capped_dir: data.join(format!("monitor-{rows}-capped")),
        }
    }
}

fn monitor_args(batch: &str, dir: &str) -> Vec<String> {
    [
        "monitor",
        "--batch",
        batch,
        "--batch-id",
        "bench",
        "--timestamp",
        "2026-01-05T00:00:00Z",
        "--artifacts",
        dir,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect()
}

fn drift_args(a: &str, b: &str, report: &str) -> Vec<String> {
    vec![
        "drift",
        "--reference",
        a,
        "--current",
        b,
        "--format",
        "json",
        "--output",
        report,
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>()
}

/// The runs of one size: each plain read followed by the driftscope command compared with it,
/// plus the capped monitor when `prlimit` is installed.
fn bench_runs(files: &BenchFiles, art: &str, cap_mb: u64, prlimit: bool) -> Vec<Run> {
    let (r, c, sc) = (s(&files.reference), s(&files.current), s(&files.scored));
    let (rp, cp) = (
        s(&files.reference.with_extension("parquet")),
        s(&files.current.with_extension("parquet")),
    );
    let report = &files.report;
    let mut runs = vec![
        run("polars read of both CSV files", &["bench-read", &r, &c], 0),
        Run {
            args: drift_args(&r, &c, report),
            ..run("driftscope drift (CSV)", &[], 0)
        },
        run("polars read of both Parquet", &["bench-read", &rp, &cp], 2),
        Run {
            args: drift_args(&rp, &cp, report),
            ..run("driftscope drift (Parquet)", &[], 2)
        },
        run("polars read of the batch CSV", &["bench-read", &c], 4),
        Run {
            args: monitor_args(&c, &s(&files.whole_dir)),
            ..run("monitor, model scores rows", &[], 4)
        },
        run("polars read of scored batch", &["bench-read", &sc], 6),
        Run {
            args: monitor_args(&sc, art),
            ..run("monitor, logged predictions", &[], 6)
        },
    ];
    if prlimit {
        runs.push(Run {
            args: monitor_args(&c, &s(&files.capped_dir)),
            wrapper: vec!["/usr/bin/prlimit".into(), format!("--as={}", cap_mb << 20)],
            ..run(&format!("monitor, {cap_mb} MB cap"), &[], 4)
        });
    }
    runs
}

/// Median wall time, median CPU time and peak RSS of one run.
type RunResult = (f64, Option<f64>, Option<f64>);

/// Times every run `reps` times. Repetitions go round the runs (run 1, 2, ..., then 1, 2, ...
/// again), so a slow spell of the machine falls on every run alike and the ratios compare like
/// with like.
fn measure_runs(bin: &Path, runs: &[Run], reps: usize) -> Result<Vec<RunResult>> {
    let mut samples: Vec<(Vec<f64>, Vec<f64>, Vec<f64>)> =
        runs.iter().map(|_| Default::default()).collect();
    for _ in 0..reps {
        for (r, (walls, cpus, rss)) in runs.iter().zip(&mut samples) {
            let args: Vec<&str> = r.args.iter().map(String::as_str).collect();
            let m = if r.wrapper.is_empty() {
                run_measured(bin, &args)?
            } else {
                let mut all: Vec<&str> = r.wrapper[1..].iter().map(String::as_str).collect();
                let b = s(bin);
                all.push(&b);
                all.extend(&args);
                run_measured(Path::new(&r.wrapper[0]), &all)?
            };
            walls.push(m.wall);
            cpus.extend(m.cpu);
            rss.extend(m.rss_mb);
        }
    }
    Ok(samples
        .into_iter()
        .map(|(walls, cpus, rss)| {
            let cpu = (!cpus.is_empty()).then(|| median(cpus));
            let peak = rss.iter().copied().reduce(f64::max);
            (median(walls), cpu, peak)
        })
        .collect())
}

fn print_results(rows: usize, reps: usize, runs: &[Run], results: &[RunResult]) {
    println!("\n{rows} reference rows vs {rows} current rows (21 Telco columns), median of {reps}");
    println!(
        "{:<32} {:>9} {:>9} {:>11} {:>13}",
        "run", "wall", "cpu", "peak RSS", "x plain read"
    );
    for (r, (wall, cpu, peak)) in runs.iter().zip(results) {
        println!(
            "{:<32} {:>8.2}s {:>9} {:>11} {:>12.2}x",
            r.name,
            wall,
            fmt_opt(*cpu, "s"),
            fmt_opt(*peak, " MB"),
            wall / results[r.base].0
        );
    }
}

fn check_capped_equals_whole(files: &BenchFiles) -> Result<()> {
    let same = tree(&files.whole_dir)? == tree(&files.capped_dir)?;
    println!(
        "artifacts of the capped monitor equal the uncapped ones byte for byte: {}",
        if same { "yes" } else { "NO" }
    );
    if !same {
        bail!("the capped monitor's artifacts differ");
    }
    Ok(())
}

/// Runs the benchmark: `cargo xtask bench [--sizes 100000,1000000,10000000] [--repeat K]
/// [--cap-mb M]`.
pub fn drift(args: &[String]) -> Result<()> {
    let BenchArgs {
        sizes,
        repeat,
        cap_mb,
    } = parse_bench_args(args)?;
    eprintln!("building driftscope (release)...");
    let bin = crate::build_driftscope()?;
    let data = root().join("target/bench-data");
    std::fs::create_dir_all(&data)?;
    let artifacts = data.join("artifacts");
    ensure_bench_model(&bin, &data, &artifacts)?;
    let art = s(&artifacts);
    for rows in sizes {
        let files = BenchFiles::new(&data, rows);
        ensure_bench_data(&bin, rows, &files, &art)?;
        copy_tree(&artifacts, &files.whole_dir)?;
        copy_tree(&artifacts, &files.capped_dir)?;
        let prlimit = Path::new("/usr/bin/prlimit").exists();
        let runs = bench_runs(&files, &art, cap_mb, prlimit);
        let reps = if rows >= 10_000_000 { 1 } else { repeat };
        let results = measure_runs(&bin, &runs, reps)?;
        print_results(rows, reps, &runs, &results);
        if prlimit {
            check_capped_equals_whole(&files)?;
        }
    }
    Ok(())
}

/// `cargo xtask bench-python [--rows N] [--repeat K]`: runs `python/bench/bench_drift.py` with
/// the virtual environment `.ci/run` makes (`target/py-venv`, the package installed): the
/// Python call on in-memory frames against the command on the same files, in one run.
pub fn python(args: &[String]) -> Result<()> {
    let bin = crate::build_driftscope()?;
    let python = root().join("target/py-venv/bin/python");
    if !python.exists() {
        bail!(
            "{}: no virtual environment with the driftscope package; run the Python step of \
             .ci/run (or README \"From Python\") first",
            python.display()
        );
    }
    let status = Command::new(&python)
        .arg(root().join("python/bench/bench_drift.py"))
        .arg("--bin")
        .arg(&bin)
        .args(args)
        .status()
        .context("running python/bench/bench_drift.py")?;
    if !status.success() {
        bail!("the Python benchmark failed (ratio above its bound, or reports differ)");
    }
    Ok(())
}
