//! Artifact reading: any bytes either parse as an artifact of the asked kind or give an error.
#![no_main]

use driftscope_artifacts::*;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let p = Path::new("fuzz.json");
    let _ = parse_artifact::<ModelArtifact>(p, data);
    let _ = parse_artifact::<ReferenceProfile>(p, data);
    let _ = parse_artifact::<ReferenceSample>(p, data);
    let _ = parse_artifact::<BaselineMetrics>(p, data);
    let _ = parse_artifact::<MonitoringResult>(p, data);
    let _ = parse_artifact::<PerformanceHistory>(p, data);
    let _ = parse_artifact::<AlertsHistory>(p, data);
    let _ = parse_artifact::<DriftReport>(p, data);
    let _ = parse_artifact::<Champion>(p, data);
});
