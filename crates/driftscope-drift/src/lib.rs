//! Data drift statistics and verdicts for driftscope.
//!
//! Every statistic is a pure function over plain values, equal to its definition in
//! `stats-spec.md` (scipy is the reference): PSI, KL divergence and Jensen-Shannon distance over
//! the reference's quantile bins or categories (from shares or from two samples), Wasserstein-1,
//! the two-sample Kolmogorov-Smirnov test (exact p-value up to 10,000 rows per side, asymptotic
//! above), Mann-Whitney U (exact where scipy's "auto" picks it, else normal with tie and
//! continuity correction) and the chi-square test of the 2 x K table (Yates at dof 1). On top
//! sit the per-feature verdict and severity, the dataset verdict and the size-aware verdict,
//! driven by `data_drift` in the configuration.
//!
//! Bad input is an error, never a hang, a panic or a confident wrong answer: samples enter as
//! [`Sorted`] (sorted once, NaN and infinite values refused at construction); shares and counts
//! of different lengths, empty inputs and NaN shares are [`DriftError`]s.
//!
//! The binning rules (quantile edges, bin of a value, counts per bin) and the construction of a
//! feature's reference profile live here ([`quantile_edges`], [`numerical_profile`], ...), so
//! PSI has one definition; the profile types are the artifact contract of
//! `driftscope-artifacts`, re-exported here so this crate is all a user needs.
//!
//! A batch is compared with a stored reference (profile + sorted sample): nothing of the training
//! data is re-read or re-binned, and the result equals a comparison with the raw reference.
//!
//! A batch may also come as a mergeable profile (`driftscope-profile`):
//! [`drift_report_of_profile`] gives the report of its rows byte for byte where the profile kept
//! value->count maps, and past the value cap exact PSI/KL/JS with [`bounded_drift`] intervals for
//! KS, Mann-Whitney, Wasserstein and quantiles (`docs/profile.md`).
//!
//! **Reads:** nothing (profiles and column values are passed in). **Writes:** nothing; the result
//! is the [`DriftReport`] artifact body.
//!
//! # Example
//! ```
//! use driftscope_drift::{chi_square, ks_2samp, psi_samples, wasserstein, Sorted};
//! let r = Sorted::new(vec![4.0, 1.0, 3.0, 2.0])?;
//! let c = Sorted::new(vec![2.0, 3.0, 4.0, 5.0])?;
//! assert_eq!(wasserstein(&r, &c)?, 1.0);
//! assert_eq!(ks_2samp(&r, &c)?.statistic, 0.25);
//! assert!(psi_samples(&r, &c, 2)? > 0.0);
//! assert_eq!(chi_square(&[10, 20], &[30, 40])?.dof, 1);
//! assert!(Sorted::new(vec![1.0, f64::NAN]).is_err());
//! # Ok::<(), driftscope_drift::DriftError>(())
//! ```

mod binning;
mod bounded;
mod calibrated;
mod categories;
mod distances;
mod error;
mod from_profile;
mod histogram;
mod ks;
mod profile;
mod rank_tests;
mod report;
mod sorted;
mod verdict;

pub use binning::{bin_counts, bin_index, quantile_edges};
pub use bounded::{bounded_drift, BinnedSide, WASSERSTEIN_ROUNDING_SLACK};
pub use calibrated::{bh_adjusted, bh_threshold, calibrate};
pub use categories::{MAX_UNSEEN_LISTED, MAX_UNSEEN_SHOWN};
pub use distances::{
    binned_shares, js_distance, js_distance_samples, kl_divergence, kl_divergence_samples,
    proportions, psi, psi_samples, wasserstein,
};
pub use driftscope_artifacts::{
    Calibrated, CategoryCount, ChiSquareStat, ColumnValues, DataDriftConfig, Distribution,
    DriftReport, ExcludedColumn, FeatureDrift, FeatureProfile, FeatureType, NumericSummary,
    ReferenceProfile, ReferenceSample, SampleColumn, Severity, TestStat, MISSING_FLOOR,
};
pub use error::{DriftError, Result};
pub use from_profile::{
    column_values as profile_column_values, current_from_profile, drift_report_of_profile,
};
pub use histogram::{value_histogram, VALUE_BINS};
pub use ks::{ks_2samp, ks_statistic, KS_EXACT_MAX_N};
pub use profile::{categorical_profile, feature_profile, numerical_profile};
pub use rank_tests::{chi_square, mann_whitney};
pub use report::{drift_report, CurrentBatch};
pub use sorted::Sorted;
pub use verdict::{compare_feature, severity, HIGH_PSI_MULTIPLE, LOW_PSI_FRACTION};

/// Result type of a two-sample test.
pub type TestResult = TestStat;
