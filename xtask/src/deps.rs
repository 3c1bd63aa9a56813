//! The dependency rule (ARCHITECTURE.md), checked from `cargo metadata`.

use std::collections::BTreeMap;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Domain crates: they may depend on the artifact contract (and the data crate), never on each
/// other.
pub const DOMAIN: [&str; 5] = [
    "driftscope-training",
    "driftscope-drift",
    "driftscope-performance",
    "driftscope-alerting",
    "driftscope-report",
];

/// Workspace crates each workspace crate may depend on (normal, build or dev dependencies).
fn allowed(krate: &str) -> Option<&'static [&'static str]> {
    Some(match krate {
        "driftscope-artifacts" => &[],
        "driftscope-data" => &["driftscope-artifacts"],
        // Foundation: the mergeable batch profile (types, merge, partial aggregates); no polars.
        "driftscope-profile" => &["driftscope-artifacts"],
        "driftscope-training" => &["driftscope-artifacts", "driftscope-data"],
        // Statistics work on plain slices: no data crate, so no polars.
        // Drift computes its statistics from profiles too.
        "driftscope-drift" => &["driftscope-artifacts", "driftscope-profile"],
        "driftscope-performance" => &["driftscope-artifacts"],
        "driftscope-alerting" | "driftscope-report" => &["driftscope-artifacts"],
        // The one composition library sees every domain crate.
        "driftscope-monitor" => &[
            "driftscope-artifacts",
            "driftscope-profile",
            "driftscope-data",
            "driftscope-training",
            "driftscope-drift",
            "driftscope-performance",
            "driftscope-alerting",
            "driftscope-report",
        ],
        // The binary parses arguments and calls the composition library; its end-to-end tests
        // may also build data files and check the model and metrics they produce.
        "driftscope-cli" => &[
            "driftscope-monitor",
            "driftscope-artifacts",
            "driftscope-data",
            "driftscope-training",
            "driftscope-performance",
            "driftscope-drift",
        ],
        // The Python bindings (python/, its own workspace: see `python_bindings_...` below)
        // call the composition library, and read data frames into the data crate's tables.
        "driftscope-python" => &[
            "driftscope-monitor",
            "driftscope-artifacts",
            "driftscope-data",
        ],
        _ => return None, // xtask may see everything
    })
}

/// Workspace crate -> the workspace crates it depends on, from `cargo metadata`.
pub fn workspace_edges(metadata: &serde_json::Value) -> Result<BTreeMap<String, Vec<String>>> {
    let packages = metadata["packages"]
        .as_array()
        .context("metadata has no packages")?;
    let members: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    let mut edges = BTreeMap::new();
    for p in packages {
        let name = p["name"].as_str().context("package without name")?;
        let deps = p["dependencies"]
            .as_array()
            .context("package without dependencies")?
            .iter()
            .filter_map(|d| d["name"].as_str())
            .filter(|d| members.contains(d))
            .map(String::from)
            .collect();
        edges.insert(name.to_string(), deps);
    }
    Ok(edges)
}

/// Every violation of the rule, as messages.
pub fn violations(edges: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for (krate, deps) in edges {
        let Some(ok) = allowed(krate) else { continue };
        for d in deps {
            if !ok.contains(&d.as_str()) {
                out.push(format!(
                    "{krate} depends on {d}; it may depend only on {ok:?}"
                ));
            }
        }
    }
    out
}

/// `cargo metadata` of the workspace, or with `manifest` of another one (the Python package's).
fn metadata(manifest: Option<&std::path::Path>) -> Result<serde_json::Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["metadata", "--format-version", "1", "--no-deps"]);
    if let Some(m) = manifest {
        cmd.arg("--manifest-path").arg(m);
    }
    let out = cmd
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The Python package's manifest: its own workspace, excluded from the root one so that
/// `cargo test --workspace` never builds PyO3.
fn python_manifest() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../python/Cargo.toml")
}

/// The crates the Python package depends on among `names` (path dependencies into crates/).
fn python_edges(names: &[String]) -> Result<BTreeMap<String, Vec<String>>> {
    let meta = metadata(Some(&python_manifest()))?;
    let package = meta["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "driftscope-python"))
        .context("python/Cargo.toml has no package driftscope-python")?;
    let deps = package["dependencies"]
        .as_array()
        .context("package without dependencies")?
        .iter()
        .filter_map(|d| d["name"].as_str())
        .filter(|d| names.iter().any(|n| n == d))
        .map(String::from)
        .collect();
    Ok(BTreeMap::from([("driftscope-python".to_string(), deps)]))
}

/// Checks the workspace, and the Python package's dependencies on it.
pub fn check_workspace() -> Result<()> {
    let mut edges = workspace_edges(&metadata(None)?)?;
    if edges.contains_key("driftscope-python") {
        bail!("driftscope-python is a member of the root workspace; it must stay excluded (its own workspace under python/)");
    }
    let names: Vec<String> = edges.keys().cloned().collect();
    edges.extend(python_edges(&names)?);
    for d in DOMAIN {
        if !edges.contains_key(d) {
            bail!("domain crate {d} is missing from the workspace");
        }
    }
    let v = violations(&edges);
    if !v.is_empty() {
        bail!("dependency rule broken:\n  {}", v.join("\n  "));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_obeys_the_dependency_rule() {
        check_workspace().unwrap();
    }

    #[test]
    fn python_bindings_depend_on_the_composition_library_only_through_the_rule() {
        let names: Vec<String> = workspace_edges(&metadata(None).unwrap())
            .unwrap()
            .into_keys()
            .collect();
        let edges = python_edges(&names).unwrap();
        let deps = &edges["driftscope-python"];
        assert!(deps.contains(&"driftscope-monitor".to_string()), "{deps:?}");
        let mut bad = edges.clone();
        bad.get_mut("driftscope-python")
            .unwrap()
            .push("driftscope-drift".to_string());
        assert_eq!(violations(&bad).len(), 1);
    }

    #[test]
    fn the_profile_foundation_depending_on_a_domain_crate_is_caught() {
        let mut edges = BTreeMap::new();
        edges.insert(
            "driftscope-profile".to_string(),
            vec!["driftscope-drift".to_string()],
        );
        edges.insert(
            "driftscope-drift".to_string(),
            vec!["driftscope-profile".to_string()],
        );
        let v = violations(&edges);
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(v[0].starts_with("driftscope-profile depends on driftscope-drift"));
    }

    #[test]
    fn a_domain_crate_depending_on_another_is_caught() {
        let mut edges = BTreeMap::new();
        edges.insert(
            "driftscope-drift".to_string(),
            vec![
                "driftscope-artifacts".to_string(),
                "driftscope-training".to_string(),
            ],
        );
        edges.insert(
            "driftscope-cli".to_string(),
            vec!["driftscope-drift".to_string()],
        );
        let v = violations(&edges);
        assert_eq!(v.len(), 1);
        assert!(
            v[0].starts_with("driftscope-drift depends on driftscope-training"),
            "{v:?}"
        );
    }
}
