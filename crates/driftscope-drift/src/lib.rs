//! Data drift statistics and verdicts for driftscope.
//!
//! Every statistic is a pure function over slices, equal to its definition in `stats-spec.md`
//! (scipy is the reference): PSI, KL divergence and Jensen-Shannon distance over the reference's
//! quantile bins or categories, Wasserstein-1 (raw and normalised), the two-sample
//! Kolmogorov-Smirnov test (exact p-value up to 10,000 rows per side, asymptotic above),
//! Mann-Whitney U (exact where scipy's "auto" picks it, else normal with tie and continuity
//! correction) and the chi-square test of the 2 x K table (Yates at dof 1). On top sit the
//! per-feature verdict and severity and the dataset verdict, driven by `data_drift` in the
//! configuration.
//!
//! A batch is compared with a stored reference (profile + sorted sample): nothing of the training
//! data is re-read or re-binned, and the result equals a comparison with the raw reference.
//!
//! **Reads:** nothing (profiles and column values are passed in). **Writes:** nothing; the result
//! is the [`DriftReport`] artifact body.
//!
//! # Example
//! ```
//! use driftscope_drift::{ks_2samp, psi, wasserstein};
//! let r = [1.0, 2.0, 3.0, 4.0];
//! let c = [2.0, 3.0, 4.0, 5.0];
//! assert_eq!(wasserstein(&r, &c), 1.0);
//! assert_eq!(ks_2samp(&r, &c).statistic, 0.25);
//! assert_eq!(psi(&[0.5, 0.5], &[0.5, 0.5]), 0.0);
//! ```

mod calibrated;
mod distances;
mod ks;
mod rank_tests;
mod verdict;

pub use calibrated::{bh_adjusted, bh_threshold, calibrate};
pub use distances::{js_distance, kl_divergence, proportions, psi, stable_sum, wasserstein};
pub use driftscope_artifacts::{
    ChiSquareStat, ColumnValues, DriftReport, FeatureDrift, Severity, TestStat,
};
pub use ks::{kolmogorov_sf, ks_2samp, ks_statistic, smirnov_sf, KS_EXACT_MAX_N};
pub use rank_tests::{chi_square, mann_whitney};
pub use verdict::{
    compare_feature, drift_report, severity, CurrentBatch, HIGH_PSI_MULTIPLE, LOW_PSI_FRACTION,
    MAX_UNSEEN_BINS, MAX_UNSEEN_LISTED,
};

/// Result type of a two-sample test.
pub type TestResult = TestStat;

/// What can go wrong comparing a batch with a reference.
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    /// The reference profile and sample do not belong together.
    #[error("reference sample has no values for numerical feature {0:?}; the model artifacts are inconsistent")]
    MissingSample(String),
}
