//! Replays the crafted-artifact fuzz corpus (`fuzz/corpus/crafted`) through what the `crafted`
//! fuzz target does for models: a `model-valid*` file reads and scores a small table to
//! probabilities; every other `model-*` file is refused on read naming the field.

#![allow(clippy::unwrap_used)] // test setup

use std::path::Path;

use driftscope_artifacts::{parse_artifact, ArtifactError, Encoding, ModelArtifact};
use driftscope_data::Table;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/crafted");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Scores three rows (numbers, known and unknown categories, missing cells).
fn score(model: &ModelArtifact) -> Vec<f64> {
    let names: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
    let mut csv = names.join(",") + "\n";
    for (number, text) in [("1", "a"), ("-2.5", "zz"), ("", "")] {
        let cells: Vec<&str> = model
            .features
            .iter()
            .map(|f| match f.encoding {
                Encoding::Numeric { .. } => number,
                Encoding::OneHot { .. } => text,
            })
            .collect();
        csv += &(cells.join(",") + "\n");
    }
    let table = Table::from_csv_bytes("fuzz.csv", csv.into_bytes()).unwrap();
    driftscope_training::predict_proba(model, &table).unwrap()
}

#[test]
fn crafted_models_score_or_are_refused_naming_the_field() {
    let mut seen = 0;
    for (name, bytes) in corpus()
        .into_iter()
        .filter(|(n, _)| n.starts_with("model-"))
    {
        seen += 1;
        let read = parse_artifact::<ModelArtifact>(Path::new(&name), &bytes);
        if name.starts_with("model-valid") {
            let p = score(&read.unwrap());
            assert!(p.iter().all(|x| (0.0..=1.0).contains(x)), "{name}: {p:?}");
        } else {
            match read {
                Err(e @ ArtifactError::Invalid { .. }) => {
                    assert!(e.to_string().contains(&name), "{e}");
                }
                other => panic!("{name}: expected a refusal naming a field, got {other:?}"),
            }
        }
    }
    assert!(seen >= 5);
}
