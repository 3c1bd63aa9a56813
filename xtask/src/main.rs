//! Project tasks for driftscope (`cargo xtask <task>`).
//!
//! `xtask` stays light: it never links polars or linfa; tasks that need the pipeline run the
//! `driftscope` binary.
//!
//! Tasks:
//! - `report [--data CSV] [--out DIR]`: the whole pipeline, then the static site.
//! - `eval [--data CSV] [--batches N]`: false-alarm and detection rates of the drift verdicts.
//! - `check-deps`: checks the dependency rule of `ARCHITECTURE.md` with `cargo metadata`.
//! - `bench [--sizes N,N,..] [--repeat K] [--cap-mb M]`: `driftscope drift` (CSV, Parquet) and
//!   `monitor` (model scoring, logged predictions, under a memory cap) vs plain polars reads.
//! - `bench-python [--rows N] [--repeat K]`: `driftscope.drift(ref_df, cur_df)` from Python vs
//!   `driftscope drift` on the same files (needs the virtual environment `.ci/run` makes in
//!   `target/py-venv` with the package installed).

mod bench;
mod deps;
mod eval;
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the `driftscope` binary in release (the one profile of the project); returns its path.
pub(crate) fn build_driftscope() -> anyhow::Result<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if !Command::new(&cargo)
        .args(["build", "--release", "-p", "driftscope-cli"])
        .current_dir(root())
        .status()?
        .success()
    {
        anyhow::bail!("cargo build failed");
    }
    Ok(root().join("target/release/driftscope"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check-deps") => deps::check_workspace().map(|()| println!("dependency rule holds")),
        Some("report") => report::report(&args[1..]),
        Some("eval") => eval::eval(&args[1..]),
        Some("bench-python") => bench::python(&args[1..]),
        Some("bench") => {
            let rest = if args.get(1).map(String::as_str) == Some("drift") {
                &args[2..]
            } else {
                &args[1..]
            };
            bench::drift(rest)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask check-deps | report | eval [--data CSV] [--batches N] | bench [--sizes N,N,..] [--repeat K] [--cap-mb M] | bench-python [--rows N] [--repeat K]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
