//! Mergeable, versioned column profiles for driftscope.
//!
//! A batch (or any part of it, on any machine, by any engine) reduces to a [`BatchProfile`]:
//! per column the counts of rows, nulls, NaN and infinities; for numbers, min, max and moments
//! (merged with the pairwise updates of Chan et al. and Pébay) and a value->count map while the
//! column has at most `value_cap` distinct values ([`DEFAULT_VALUE_CAP`]), past it exact counts
//! and sums between fine edges taken from the reference ([`fine_edges`],
//! [`DEFAULT_FINE_BINS`]); for categories, the count of each text. [`BatchProfile::merge`] is
//! associative and commutative (counts exactly; moments and bin sums to rounding), so partial
//! profiles of partitions merge into the profile of the whole.
//!
//! The drift statistics (`driftscope-drift`) are computed from a profile: from the
//! value->count map exactly (the same bytes as from the rows), from fine bins with bounds.
//! Engines that compute aggregates elsewhere (SQL) turn their results into column profiles with
//! [`NumericPartial::into_column`] and [`CategoricalPartial::into_column`].
//!
//! The spelling of the artifact, the SQL each field corresponds to and the exact definitions are
//! in `docs/profile.md`.
//!
//! **Reads:** nothing (values are passed in). **Writes:** nothing; [`BatchProfile`] is an
//! artifact body written with `driftscope_artifacts::write_artifact`.
//!
//! # Example
//! ```
//! use driftscope_profile::{profile_part, BatchProfile, ColumnSpec, ColumnValues, FeatureType,
//!     NumericPartial, ProfileSpec};
//! let spec = ProfileSpec { value_cap: 65_536, columns: vec![ColumnSpec {
//!     name: "tenure".into(), feature_type: FeatureType::Numerical, fine_edges: vec![] }] };
//! // One part read locally ...
//! let local = profile_part(&spec, "a.csv", 3, vec![Some(ColumnValues::Numerical {
//!     sorted: vec![1.0, 2.0, 2.0], missing: 0 })], vec![]).unwrap();
//! // ... and one computed by SQL (shift 0: plain power sums of 4.0 and 5.0).
//! let sql = NumericPartial { rows: 3, nulls: 1, nan: 0, pos_inf: 0, neg_inf: 0,
//!     min: Some(4.0), max: Some(5.0), shift: 0.0, power_sums: [9.0, 41.0, 189.0, 881.0],
//!     value_counts: Some(vec![(5.0, 1), (4.0, 1)]), fine_bins: None };
//! let mut other = local.clone();
//! other.sources = vec!["b.parquet".into()];
//! other.columns = vec![sql.into_column(&spec.columns[0], spec.value_cap).unwrap()];
//! let whole: BatchProfile = local.merge(&other).unwrap();
//! assert_eq!(whole.rows, 6);
//! assert_eq!(whole.columns[0].nulls, 1);
//! ```

mod batch;
mod build;
mod column;
mod error;
mod moments;
mod validate;
mod values;

pub use batch::{
    fine_edges, BatchProfile, ColumnSpec, ProfileSpec, DEFAULT_FINE_BINS, DEFAULT_VALUE_CAP,
};
pub use build::{profile_part, CategoricalPartial, NumericPartial};
pub use column::{merge_categories, ColumnData, ColumnProfile, NumericProfile};
pub use driftscope_artifacts::{CategoryCount, ColumnValues, FeatureType};
pub use error::{ProfileError, Result};
pub use moments::Moments;
pub use values::{FineBins, NumericDistribution, ValueCounts};
