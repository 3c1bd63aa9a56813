//! The batch profile artifact (`kind: batch_profile`), the spec a batch is profiled against
//! (which columns, their types, the cap and the fine edges from the reference) and the merge of
//! two profiles.

use driftscope_artifacts::{
    linear_quantile, Artifact, FeatureType, Invalid, ReferenceProfile, ReferenceSample,
};
use serde::{Deserialize, Serialize};

use crate::{ColumnProfile, ProfileError, Result};

/// Distinct values a numerical column keeps exactly (the default of `--value-cap`): 65,536
/// pairs are about 1.5 MB of JSON, so a profile of a few such columns stays under 5 MB, and
/// columns of prices, ages, counts or rounded amounts stay exact.
pub const DEFAULT_VALUE_CAP: u64 = 65_536;

/// Fine bins per numerical column past the cap (the default of `--fine-bins`): reference
/// quantiles at 1/2048 .. 2047/2048, so every bounded statistic's error is at most about
/// 1/2048 of the reference mass per bin.
pub const DEFAULT_FINE_BINS: usize = 2048;

/// Which columns a batch is profiled for and how: taken from the reference, so every part of
/// a batch (and every engine) profiles it alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSpec {
    /// Distinct values a numerical column keeps exactly.
    pub value_cap: u64,
    /// One entry per reference feature, in the reference's order.
    pub columns: Vec<ColumnSpec>,
}

impl ProfileSpec {
    /// The spec of a reference: its features in order, with fine edges of each numerical
    /// feature from its sorted reference sample ([`fine_edges`] with `n_fine` bins and the
    /// profile's PSI edges). A numerical feature without a sample gets its PSI edges only.
    ///
    /// # Example
    /// ```
    /// use driftscope_artifacts::{FeatureProfile, FeatureType, ReferenceProfile, ReferenceSample, SampleColumn};
    /// use driftscope_profile::ProfileSpec;
    /// let f = FeatureProfile { name: "x".into(), feature_type: FeatureType::Numerical, count: 4,
    ///     missing: 0, distinct: 4, summary: None, bin_edges: vec![2.5], bin_counts: vec![2, 2],
    ///     categories: vec![] };
    /// let profile = ReferenceProfile { model_version: "none".into(), rows: 4, n_bins: 2,
    ///     target: String::new(), target_counts: vec![], features: vec![f], excluded: vec![],
    ///     predictions: None };
    /// let sample = ReferenceSample { model_version: "none".into(), predictions: vec![],
    ///     columns: vec![SampleColumn { name: "x".into(), sorted_values: vec![1.0, 2.0, 3.0, 4.0] }] };
    /// let spec = ProfileSpec::from_reference(&profile, &sample, 100, 4);
    /// assert_eq!(spec.columns[0].fine_edges, vec![1.75, 2.5, 3.25]);
    /// ```
    pub fn from_reference(
        profile: &ReferenceProfile,
        sample: &ReferenceSample,
        value_cap: u64,
        n_fine: usize,
    ) -> ProfileSpec {
        let columns = profile
            .features
            .iter()
            .map(|f| {
                let sorted = sample
                    .columns
                    .iter()
                    .find(|c| c.name == f.name)
                    .map_or(&[][..], |c| c.sorted_values.as_slice());
                ColumnSpec {
                    name: f.name.clone(),
                    feature_type: f.feature_type,
                    fine_edges: if f.feature_type == FeatureType::Numerical {
                        fine_edges(sorted, n_fine, &f.bin_edges)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        ProfileSpec { value_cap, columns }
    }
}

/// One column of a [`ProfileSpec`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSpec {
    /// Column name.
    pub name: String,
    /// The reference's type: numerical columns are read as numbers, the rest as text.
    pub feature_type: FeatureType,
    /// Fine edges (numerical only): see [`fine_edges`].
    pub fine_edges: Vec<f64>,
}

/// Fine edges of a sorted, finite reference column: its quantiles at `1/n_fine ..
/// (n_fine-1)/n_fine` (numpy's "linear" method, as the drift bins) together with `psi_edges`
/// (the reference's PSI bin edges, so PSI, KL and JS stay exact past the cap), sorted and
/// de-duplicated. Empty for an empty column or `n_fine < 2`.
///
/// # Example
/// ```
/// use driftscope_profile::fine_edges;
/// let r: Vec<f64> = (1..=9).map(f64::from).collect();
/// assert_eq!(fine_edges(&r, 4, &[2.5]), vec![2.5, 3.0, 5.0, 7.0]);
/// ```
pub fn fine_edges(sorted: &[f64], n_fine: usize, psi_edges: &[f64]) -> Vec<f64> {
    if sorted.is_empty() || n_fine < 2 {
        return psi_edges.to_vec();
    }
    let mut edges: Vec<f64> = (1..n_fine)
        .map(|i| linear_quantile(sorted, i as f64 / n_fine as f64))
        .chain(psi_edges.iter().copied())
        .collect();
    edges.sort_by(f64::total_cmp);
    edges.dedup_by(|a, b| a == b);
    edges
}

/// `batch_profile.json`: the mergeable profile of a batch (or of one part of it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchProfile {
    /// What was profiled: file names or globs, sorted, one per merged part.
    pub sources: Vec<String>,
    /// Data rows.
    pub rows: u64,
    /// Distinct values a numerical column keeps exactly.
    pub value_cap: u64,
    /// One entry per spec column present in the batch, in the spec's order.
    pub columns: Vec<ColumnProfile>,
    /// Spec columns the batch does not have.
    pub absent_columns: Vec<String>,
    /// Columns of the batch not in the spec (names only), sorted.
    pub extra_columns: Vec<String>,
}

impl Artifact for BatchProfile {
    const KIND: &'static str = "batch_profile";
    const SCHEMA_VERSION: u32 = 1;
    fn validate(&self) -> Result<(), Invalid> {
        crate::validate::check(self)
    }
}

impl BatchProfile {
    /// The profile of the union of both parts' rows. Parts must have been profiled against the
    /// same spec (same columns, types, cap and fine edges); the merge is associative and
    /// commutative (counts exactly, moments and bin sums to rounding).
    ///
    /// # Example
    /// ```
    /// use driftscope_profile::{profile_part, ColumnSpec, ColumnValues, FeatureType, ProfileSpec};
    /// let spec = ProfileSpec { value_cap: 100, columns: vec![ColumnSpec {
    ///     name: "x".into(), feature_type: FeatureType::Numerical, fine_edges: vec![] }] };
    /// let part = |v: Vec<f64>| profile_part(&spec, "p", v.len() as u64,
    ///     vec![Some(ColumnValues::Numerical { sorted: v, missing: 0 })], vec![]).unwrap();
    /// let merged = part(vec![1.0, 2.0]).merge(&part(vec![2.0, 3.0])).unwrap();
    /// assert_eq!(merged.rows, 4);
    /// assert_eq!(merged, part(vec![1.0, 2.0, 2.0, 3.0]).merge(&part(vec![])).unwrap());
    /// ```
    pub fn merge(&self, other: &BatchProfile) -> Result<BatchProfile> {
        if self.value_cap != other.value_cap
            || self.columns.len() != other.columns.len()
            || self.absent_columns != other.absent_columns
        {
            return Err(ProfileError::Incompatible(
                "profiles of different specs (value cap, columns or absent columns differ)".into(),
            ));
        }
        let columns = self
            .columns
            .iter()
            .zip(&other.columns)
            .map(|(a, b)| a.merge(b, self.value_cap))
            .collect::<Result<Vec<_>>>()?;
        let mut sources: Vec<String> = self.sources.iter().chain(&other.sources).cloned().collect();
        sources.sort();
        let mut extra: Vec<String> = self
            .extra_columns
            .iter()
            .chain(&other.extra_columns)
            .cloned()
            .collect();
        extra.sort();
        extra.dedup();
        Ok(BatchProfile {
            sources,
            rows: self
                .rows
                .checked_add(other.rows)
                .ok_or(ProfileError::Overflow("rows"))?,
            value_cap: self.value_cap,
            columns,
            absent_columns: self.absent_columns.clone(),
            extra_columns: extra,
        })
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnProfile> {
        self.columns.iter().find(|c| c.name == name)
    }
}
