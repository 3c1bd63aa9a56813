//! CSV loading: any bytes either load (and every column's values can be read) or give an error.
#![no_main]

use driftscope_artifacts::{FeatureType, FeaturesConfig};
use driftscope_data::{column_values, read_features, Table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = Table::from_csv_bytes("fuzz.csv", data.to_vec()) else {
        return;
    };
    let _ = read_features(&table, None, &FeaturesConfig::default());
    for name in table.column_names() {
        let _ = column_values(&table, &name, FeatureType::Numerical, None);
        let _ = column_values(&table, &name, FeatureType::Categorical, None);
        let _ = table.binary_target(&name, "Yes", None);
    }
});
