//! `cargo xtask report [--data CSV] [--out DIR]`: the whole pipeline, then the site.
//!
//! Uses `--data`, else the first `data/*.csv`, else generated Telco-like data. Trains, simulates
//! the default scenario, monitors every batch, trains a challenger, evaluates the drift
//! detectors (`cargo xtask eval`, reused while up to date), renders the site. Work files
//! go to `target/report-run/` (replaced on each run); the site replaces `--out` (default `site`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::root;

fn step(n: usize, total: usize, what: &str) {
    eprintln!("[{n}/{total}] {what}");
}

fn run(bin: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .args(args)
        .current_dir(root())
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "driftscope {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

const TOTAL_STEPS: usize = 8;

fn s(p: &Path) -> String {
    p.to_string_lossy().to_string()
}

/// `--data` and `--out` from the command line.
fn parse_report_args(args: &[String]) -> Result<(Option<PathBuf>, PathBuf)> {
    let mut data: Option<PathBuf> = None;
    let mut out = PathBuf::from("site");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => data = Some(PathBuf::from(it.next().context("--data needs a file")?)),
            "--out" => out = PathBuf::from(it.next().context("--out needs a folder")?),
            other => bail!(
                "unknown argument {other:?}; usage: cargo xtask report [--data CSV] [--out DIR]"
            ),
        }
    }
    Ok((data, out))
}

/// The work folder `target/report-run/`, emptied.
fn fresh_work_dir() -> Result<PathBuf> {
    let work = root().join("target/report-run");
    if work.exists() {
        std::fs::remove_dir_all(&work)?;
    }
    std::fs::create_dir_all(&work)?;
    Ok(work)
}

/// `--data`, else the first `data/*.csv`, else generated Telco-like data in `work`.
fn resolve_data(bin: &Path, data: Option<PathBuf>, work: &Path) -> Result<PathBuf> {
    Ok(match data {
        Some(d) => d
            .canonicalize()
            .with_context(|| format!("{}: not found", d.display()))?,
        None => match crate::eval::real_data() {
            Some(p) => p,
            None => {
                let p = work.join("generated-telco.csv");
                run(bin, &["generate", "--out", &p.to_string_lossy()])?;
                p
            }
        },
    })
}

/// Monitors every batch of the simulated scenario in `sim`; returns the batch files.
fn monitor_simulated_batches(bin: &Path, sim: &Path, artifacts: &Path) -> Result<Vec<String>> {
    let scenario: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sim.join("scenario.json"))?)?;
    let batches = scenario["batches"]
        .as_array()
        .context("scenario.json has no batches")?;
    let mut files = Vec::new();
    for (i, b) in batches.iter().enumerate() {
        let file = sim.join(b["file"].as_str().context("batch file")?);
        step(
            4,
            TOTAL_STEPS,
            &format!(
                "monitoring batch {}/{}: {}",
                i + 1,
                batches.len(),
                file.display()
            ),
        );
        let ts = b["timestamp"].as_str().context("timestamp")?;
        let text = run(
            bin,
            &[
                "monitor",
                "--batch",
                &s(&file),
                "--timestamp",
                ts,
                "--artifacts",
                &s(artifacts),
            ],
        )?;
        eprintln!("    {}", text.lines().next().unwrap_or_default());
        files.push(s(&file));
    }
    Ok(files)
}

/// Steps 5 and 6: a challenger trained on the monitored batches, then the check of the latest
/// batch.
fn retrain_and_check(bin: &Path, artifacts: &Path, files: &[String]) -> Result<()> {
    step(
        5,
        TOTAL_STEPS,
        "training a challenger and comparing it with the champion",
    );
    let art = s(artifacts);
    let mut args: Vec<&str> = vec!["retrain", "--artifacts", &art, "--data"];
    args.extend(files.iter().map(String::as_str));
    eprint!("{}", run(bin, &args)?);
    step(
        6,
        TOTAL_STEPS,
        "checking the latest batch (driftscope check --fail-on high)",
    );
    let check = Command::new(bin)
        .args(["check", "--artifacts", &art, "--fail-on", "high"])
        .current_dir(root())
        .output()?;
    eprint!("{}", String::from_utf8_lossy(&check.stdout));
    Ok(())
}

/// Steps 7 and 8: the detector evaluation copied into the artifacts, then the site rendered.
fn evaluate_and_render(
    bin: &Path,
    data: &Path,
    work: &Path,
    artifacts: &Path,
    out: &Path,
) -> Result<()> {
    step(
        7,
        TOTAL_STEPS,
        "evaluating the drift detectors (cargo xtask eval; reused while up to date)",
    );
    let generated = data.starts_with(work);
    let evaluation =
        crate::eval::evaluation(bin, if generated { None } else { Some(data) }, 200, true)?;
    std::fs::copy(&evaluation, artifacts.join("detector_evaluation.json"))?;
    step(8, TOTAL_STEPS, "rendering the site");
    let index = run(
        bin,
        &[
            "report",
            "--artifacts",
            &s(artifacts),
            "--out",
            &s(out),
            "--templates",
            &s(&root().join("templates")),
        ],
    )?;
    let index = root().join(index.trim());
    println!("site: {}", index.canonicalize().unwrap_or(index).display());
    Ok(())
}

/// Runs the pipeline and renders the site.
pub fn report(args: &[String]) -> Result<()> {
    let (data, out) = parse_report_args(args)?;
    step(1, TOTAL_STEPS, "building driftscope (release)");
    let bin = crate::build_driftscope()?;
    let work = fresh_work_dir()?;
    let data = resolve_data(&bin, data, &work)?;
    let artifacts = work.join("artifacts");
    let sim = work.join("batches");
    step(
        2,
        TOTAL_STEPS,
        &format!("training the baseline model on {}", data.display()),
    );
    eprint!(
        "{}",
        run(
            &bin,
            &["train", "--data", &s(&data), "--artifacts", &s(&artifacts)]
        )?
    );
    step(
        3,
        TOTAL_STEPS,
        "simulating production batches (default scenario)",
    );
    eprint!(
        "{}",
        run(&bin, &["simulate", "--data", &s(&data), "--out", &s(&sim)])?
    );
    let files = monitor_simulated_batches(&bin, &sim, &artifacts)?;
    retrain_and_check(&bin, &artifacts, &files)?;
    evaluate_and_render(&bin, &data, &work, &artifacts, &out)?;
    Ok(())
}
