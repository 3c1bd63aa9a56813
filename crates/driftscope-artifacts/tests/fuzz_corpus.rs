//! Replays the config and artifact fuzz corpora (`fuzz/corpus/{config,artifact}`) through what
//! the fuzz targets do: every input parses or is refused with an error, never a panic, and a
//! config that loads survives a round trip.

use std::path::Path;

use driftscope_artifacts::*;

fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(name);
    std::fs::read_dir(&dir)
        .expect("corpus folder")
        .map(|e| std::fs::read(e.expect("entry").path()).expect("read"))
        .collect()
}

#[test]
fn every_config_corpus_input_loads_or_fails_cleanly() {
    let inputs = corpus("config");
    assert!(inputs.len() >= 2);
    for data in inputs {
        if let Ok(text) = std::str::from_utf8(&data) {
            if let Ok(config) = Config::from_yaml(Path::new("fuzz.yaml"), text) {
                let again = serde_yaml::to_string(&config).expect("serialise");
                Config::from_yaml(Path::new("again.yaml"), &again).expect("round trip");
            }
        }
    }
}

#[test]
fn every_artifact_corpus_input_parses_or_fails_cleanly() {
    let inputs = corpus("artifact");
    assert!(inputs.len() >= 2);
    let p = Path::new("fuzz.json");
    for data in inputs {
        let _ = parse_artifact::<ModelArtifact>(p, &data);
        let _ = parse_artifact::<ReferenceProfile>(p, &data);
        let _ = parse_artifact::<ReferenceSample>(p, &data);
        let _ = parse_artifact::<BaselineMetrics>(p, &data);
        let _ = parse_artifact::<MonitoringResult>(p, &data);
        let _ = parse_artifact::<PerformanceHistory>(p, &data);
        let _ = parse_artifact::<AlertsHistory>(p, &data);
        let _ = parse_artifact::<DriftReport>(p, &data);
        let _ = parse_artifact::<Champion>(p, &data);
    }
}
