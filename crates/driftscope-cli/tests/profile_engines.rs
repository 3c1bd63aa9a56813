//! `driftscope profile --engine ...`: without the `engines` feature the command says how to
//! build with it (exit 2); an unknown engine or a bad address is refused clearly (exit 2).

mod common;

use common::driftscope;

fn profile(engine: &str, dir: &std::path::Path) -> std::process::Output {
    let reference = dir.join("ref.csv");
    std::fs::write(&reference, "x,plan\n1,a\n2,b\n3,a\n").expect("write reference");
    let out = dir.join("p.json");
    driftscope(
        &[
            "profile",
            "--engine",
            engine,
            "--batch",
            &reference.display().to_string(),
            "--reference",
            &reference.display().to_string(),
            "--out",
            &out.display().to_string(),
        ],
        dir,
    )
}

#[cfg(not(feature = "engines"))]
#[test]
fn without_the_feature_the_engines_say_how_to_build_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    for engine in ["datafusion", "ballista://127.0.0.1:50050"] {
        let out = profile(engine, dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("--features engines"), "{err}");
        assert!(!dir.path().join("p.json").exists(), "nothing written");
    }
}

#[test]
fn an_unknown_engine_or_address_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for engine in [
        "spark",
        "ballista://nohost",
        "ballista://:50050",
        "ballista://h:99999",
    ] {
        let out = profile(engine, dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{engine}: {err}");
        assert!(
            err.contains("unknown engine") && err.contains("ballista://HOST:PORT"),
            "{err}"
        );
    }
}

/// With the engines built: the drift report from a DataFusion profile of a Parquet batch cut
/// into parts (a folder, and a glob) is byte-identical to the report from the rows of the
/// same batch in one file.
#[cfg(feature = "engines")]
#[test]
fn a_datafusion_profile_of_a_parquet_folder_reports_as_the_rows() {
    use driftscope_data::{generate_telco_csv, Table};
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ref.csv"), generate_telco_csv(1500, 11)).expect("ref");
    let batch = Table::from_csv_bytes("cur", generate_telco_csv(2400, 12)).expect("cur");
    batch
        .write_parquet(&dir.path().join("whole.parquet"))
        .expect("whole");
    std::fs::create_dir(dir.path().join("parts")).expect("parts dir");
    for k in 0..4 {
        let part = dir.path().join(format!("parts/part-{k}.parquet"));
        batch
            .slice(k * 600, 600)
            .write_parquet(&part)
            .expect("part");
    }
    let drift = |current: &[&str]| {
        let mut a = vec!["drift", "--reference", "ref.csv", "--format", "json"];
        a.extend(current);
        let out = driftscope(&a, dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        out.stdout
    };
    let rows = drift(&["--current", "whole.parquet"]);
    for source in ["parts", "parts/*.parquet"] {
        let args = [
            "profile",
            "--engine",
            "datafusion",
            "--reference",
            "ref.csv",
        ];
        let out = driftscope(
            &[&args[..], &["--batch", source, "--out", "p.json"]].concat(),
            dir.path(),
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{source}: {err}");
        let from_profile = drift(&["--current-profile", "p.json"]);
        assert!(
            rows == from_profile,
            "{source}: the reports differ:\n{}\n---\n{}",
            String::from_utf8_lossy(&rows),
            String::from_utf8_lossy(&from_profile)
        );
        std::fs::remove_file(dir.path().join("p.json")).expect("remove profile");
    }
}
