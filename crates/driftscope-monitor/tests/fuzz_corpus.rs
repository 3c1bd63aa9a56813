//! Replays the `model` and `profile` fuzz corpora (`fuzz/corpus/{model,profile}`, kept by
//! `cargo fuzz`) through exactly what the fuzz targets run: `fuzz/checks.rs` is included here
//! and in both targets, so a crash the fuzzer found and kept fails this test on stable.

#![allow(clippy::unwrap_used)] // test setup

use std::path::Path;

include!("../../../fuzz/checks.rs");

fn corpus(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(name);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_model_corpus_input_scores_or_is_refused() {
    let inputs = corpus("model");
    let read = inputs.iter().filter(|(_, b)| check_model(b)).count();
    eprintln!(
        "model corpus: {} inputs, {read} read as models and scored",
        inputs.len()
    );
    // The kept corpus (minimised by `cargo fuzz cmin`) holds many inputs that read.
    assert!(
        inputs.len() >= 9 && read >= 1,
        "{} inputs, {read} read",
        inputs.len()
    );
}

#[test]
fn every_profile_corpus_input_compares_or_is_refused() {
    let inputs = corpus("profile");
    let read = inputs.iter().filter(|(_, b)| check_profile(b)).count();
    eprintln!(
        "profile corpus: {} inputs, {read} read as profiles and compared",
        inputs.len()
    );
    assert!(
        inputs.len() >= 8 && read >= 2,
        "{} inputs, {read} read",
        inputs.len()
    );
}
