//! Data drift statistics for driftscope (work in progress: issue 3 fills this crate).
//!
//! Will hold the univariate statistics of `stats-spec.md` as pure functions over slices (PSI, KL,
//! JS, Wasserstein, Kolmogorov-Smirnov, Mann-Whitney U, chi-square), the per-feature verdicts and
//! concept-drift detection.
//!
//! **Reads:** nothing (values and reference profiles are passed in). **Writes:** nothing; results
//! are artifact bodies.
//!
//! # Example
//! ```
//! // The binning rule this crate builds on lives in the artifact contract:
//! assert_eq!(driftscope_artifacts::bin_index(&[1.0, 2.0], 1.5), 1);
//! ```
