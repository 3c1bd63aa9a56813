//! A documented debug hook for crash tests: with `DRIFTSCOPE_DEBUG_ABORT_AT=<point>` set, the
//! process aborts (SIGABRT, no destructors, no flushing; what a kill does) when it reaches the
//! named point. The points sit between the file-system steps that make a write atomic (see
//! README, "Robustness"); `crates/driftscope-cli/tests/crash.rs` uses every one of them. Unset,
//! a point costs one environment lookup.

/// The environment variable naming the point to abort at.
pub const ABORT_AT_VAR: &str = "DRIFTSCOPE_DEBUG_ABORT_AT";

/// Every point, in the order a run reaches them (`train`: model folder staged, old folder moved
/// aside, new folder renamed in, before the champion change, between its history entry and
/// `champion.json` (also `promote`, `rollback`); `report`: site staged, old site moved aside,
/// new site renamed in).
pub const FAULT_POINTS: [&str; 8] = [
    "train-staged",
    "train-aside",
    "train-placed",
    "train-before-champion",
    "champion-history-written",
    "report-staged",
    "report-aside",
    "report-placed",
];

/// Aborts the process when [`ABORT_AT_VAR`] names `point`.
pub fn fault_point(point: &str) {
    debug_assert!(FAULT_POINTS.contains(&point), "unknown fault point {point}");
    if std::env::var_os(ABORT_AT_VAR).is_some_and(|v| v == point) {
        std::process::abort();
    }
}
