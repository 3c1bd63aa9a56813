//! Alerts and retraining decisions for driftscope (work in progress: issue 4 fills this crate).
//!
//! Will turn monitoring results into alerts (HIGH / MEDIUM / LOW, thresholds from
//! `config/config.yaml`), a retraining decision with its reasons, and the challenger-vs-champion
//! deployment recommendation.
//!
//! **Reads:** nothing itself (monitoring results are passed in). **Writes:** nothing; results are
//! artifact bodies.
//!
//! # Example
//! ```
//! let config = driftscope_artifacts::Config::default();
//! assert_eq!(config.retraining.min_samples_for_retrain, 1000);
//! ```
