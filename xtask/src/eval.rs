//! `cargo xtask eval [--data CSV] [--batches N]`: measures the drift verdicts (false alarms and
//! detections by batch size) on generated data and on the real Telco file when present, prints
//! the tables and writes `target/eval/detector_evaluation.json`. `cargo xtask report` reuses
//! that file (or runs the evaluation) for the site's "Detector quality" page.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::root;

/// The first `data/*.csv` (by name), if any: the real data the pipeline and the evaluation use.
pub fn real_data() -> Option<PathBuf> {
    let mut csvs: Vec<PathBuf> = std::fs::read_dir(root().join("data"))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                .collect()
        })
        .unwrap_or_default();
    csvs.sort();
    csvs.into_iter().next()
}

/// What the cached evaluation was made from: the binary, the data and the config.
fn stamp(bin: &Path, data: Option<&Path>) -> String {
    let mtime = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .map(|t| format!("{t:?}"))
            .unwrap_or_default()
    };
    let config = root().join("config/config.yaml");
    format!(
        "{} {} {} {}",
        mtime(bin),
        data.map(|d| d.display().to_string()).unwrap_or_default(),
        data.map(mtime).unwrap_or_default(),
        mtime(&config)
    )
}

/// Runs the evaluation (or reuses an up-to-date one) and returns its path and text tables.
pub fn evaluation(bin: &Path, data: Option<&Path>, batches: usize, reuse: bool) -> Result<PathBuf> {
    let dir = root().join("target/eval");
    std::fs::create_dir_all(&dir)?;
    let out = dir.join("detector_evaluation.json");
    let stamp_file = dir.join("stamp");
    let want = format!("{} {batches}", stamp(bin, data));
    if reuse && out.exists() && std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(&want)
    {
        eprintln!("    reusing {} (up to date)", out.display());
        return Ok(out);
    }
    let mut cmd = Command::new(bin);
    cmd.arg("eval")
        .args(["--batches", &batches.to_string(), "--out"])
        .arg(&out)
        .current_dir(root());
    if let Some(d) = data {
        cmd.arg("--data").arg(d);
    }
    let status = cmd.status().context("running driftscope eval")?;
    if !status.success() {
        bail!("driftscope eval failed");
    }
    std::fs::write(&stamp_file, want)?;
    Ok(out)
}

/// `cargo xtask eval`.
pub fn eval(args: &[String]) -> Result<()> {
    let mut data = real_data();
    let mut batches = 200usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => data = Some(PathBuf::from(it.next().context("--data needs a file")?)),
            "--batches" => batches = it.next().context("--batches needs a number")?.parse()?,
            other => bail!(
                "unknown argument {other:?}; usage: cargo xtask eval [--data CSV] [--batches N]"
            ),
        }
    }
    eprintln!("building driftscope (release)...");
    let bin = crate::build_driftscope()?;
    let start = std::time::Instant::now();
    let out = evaluation(&bin, data.as_deref(), batches, false)?;
    eprintln!(
        "wrote {} in {:.0} s",
        out.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
