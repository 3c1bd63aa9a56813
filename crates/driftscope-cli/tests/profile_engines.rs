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
