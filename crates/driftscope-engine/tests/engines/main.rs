//! The engine tests, in one test binary (DataFusion and Ballista make each binary slow to
//! link): DataFusion against the local profile and hand-counted CSV batches, and a Ballista
//! cluster on 127.0.0.1. Without the features they are not built, and this binary says so.

#[cfg(feature = "ballista")]
mod ballista_cluster;
#[cfg(feature = "datafusion")]
#[allow(dead_code)]
mod common;
#[cfg(feature = "datafusion")]
mod datafusion_csv;
#[cfg(feature = "datafusion")]
mod datafusion_profile;

/// Without the engine features nothing here can run: said visibly, not passed silently.
#[cfg(not(feature = "ballista"))]
#[test]
fn engine_tests_need_their_features() {
    eprintln!(
        "SKIPPED engine tests: build with `cargo test --release -p driftscope-engine --features ballista`"
    );
    assert!(
        std::env::var_os("DRIFTSCOPE_REQUIRE_ENGINES").is_none(),
        "DRIFTSCOPE_REQUIRE_ENGINES is set but the engine features are off"
    );
}
