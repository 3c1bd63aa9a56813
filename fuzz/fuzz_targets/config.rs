//! Config parsing: any text either gives a validated config or an error.
#![no_main]

use driftscope_artifacts::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(config) = Config::from_yaml(std::path::Path::new("fuzz.yaml"), text) {
            // A config that loads must validate again after a round trip.
            let again = serde_yaml::to_string(&config).expect("serialise");
            Config::from_yaml(std::path::Path::new("again.yaml"), &again).expect("round trip");
        }
    }
});
