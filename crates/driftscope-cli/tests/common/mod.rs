//! Helpers shared by the integration tests: run the real binary, find the real Telco file.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `driftscope` binary in `cwd`.
pub fn driftscope(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_driftscope"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Asserts success and returns stdout.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The real Telco file, where CI and developers have it.
pub fn real_telco() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        root.join("../shared/data/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
        root.join("data/WA_Fn-UseC_-Telco-Customer-Churn.csv"),
    ]
    .into_iter()
    .find(|p| p.exists())
    .map(|p| p.canonicalize().unwrap())
}
