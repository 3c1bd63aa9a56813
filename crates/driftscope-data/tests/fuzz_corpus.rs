//! Replays the CSV fuzz corpus (`fuzz/corpus/csv`, kept by `cargo fuzz cmin`) through exactly
//! what the fuzz target does, so any input the fuzzer ever found interesting stays covered by the
//! ordinary test suite: every file loads or is refused with an error, never a panic.

use std::path::Path;

use driftscope_artifacts::{FeatureType, FeaturesConfig};
use driftscope_data::{column_values, read_features, Table};

#[test]
fn every_csv_corpus_input_loads_or_fails_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/csv");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/corpus/csv") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("read");
        n += 1;
        let Ok(table) = Table::from_csv_bytes("fuzz.csv", data) else {
            continue;
        };
        let _ = read_features(&table, None, &FeaturesConfig::default());
        for name in table.column_names() {
            let _ = column_values(&table, &name, FeatureType::Numerical, None);
            let _ = column_values(&table, &name, FeatureType::Categorical, None);
            let _ = table.binary_target(&name, "Yes", None);
        }
    }
    assert!(n >= 5, "only {n} corpus files");
}
