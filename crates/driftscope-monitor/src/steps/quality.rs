//! Data quality: missing and extra columns, type changes, missing-value jumps, never-seen
//! categories, values outside the trained range.

use std::collections::BTreeMap;

use driftscope_artifacts::{
    ColumnValues, DataQuality, DriftReport, FeatureProfile, FeatureType, ReferenceProfile,
};
use driftscope_drift::CurrentBatch;

/// A feature's missing share must exceed its reference share by more than this to count as a
/// jump (shared with the alert that reports it).
pub use driftscope_artifacts::MISSING_SHARE_JUMP;

/// The data-quality findings of a batch against the reference profile.
pub fn data_quality(
    profile: &ReferenceProfile,
    batch: &CurrentBatch,
    drift: &DriftReport,
) -> DataQuality {
    let mut quality = DataQuality {
        missing_columns: drift.missing_columns.clone(),
        extra_columns: drift.extra_columns.clone(),
        ..Default::default()
    };
    let rows = batch.rows as f64;
    for (f, values) in profile.features.iter().zip(&batch.values) {
        let Some(values) = values else { continue };
        let ref_share = f.missing as f64 / (f.count + f.missing).max(1) as f64;
        let (missing, name) = (missing_of(values), f.name.clone());
        if let Some(missing) = missing {
            let share = missing as f64 / rows;
            if share > ref_share + MISSING_SHARE_JUMP {
                quality.missing_share.insert(name.clone(), share);
            }
        }
        match values {
            ColumnValues::NotNumerical { .. } => quality.type_changes.push(name),
            ColumnValues::Numerical { sorted, .. } => {
                if let Some(out) = out_of_range_share(f, sorted) {
                    quality.out_of_range_share.insert(name, out);
                }
            }
            ColumnValues::Categorical { counts, .. } => {
                let unseen = unseen_categories(f, counts);
                if !unseen.is_empty() {
                    quality.unseen_categories.insert(name, unseen);
                }
            }
        }
    }
    quality
}

fn missing_of(values: &ColumnValues) -> Option<u64> {
    match values {
        ColumnValues::Numerical { missing, .. } | ColumnValues::Categorical { missing, .. } => {
            Some(*missing)
        }
        ColumnValues::NotNumerical { .. } => None,
    }
}

/// Share of values outside the trained [min, max] (`None` when there is none or no range).
fn out_of_range_share(f: &FeatureProfile, sorted: &[f64]) -> Option<f64> {
    let s = f.summary.as_ref()?;
    if sorted.is_empty() {
        return None;
    }
    let below = sorted.partition_point(|v| *v < s.min);
    let above = sorted.len() - sorted.partition_point(|v| *v <= s.max);
    let out = (below + above) as f64 / sorted.len() as f64;
    (out > 0.0).then_some(out)
}

/// The most frequent never-seen categories (bounded; the drift finding counts them all).
fn unseen_categories(
    f: &FeatureProfile,
    counts: &[driftscope_artifacts::CategoryCount],
) -> BTreeMap<String, u64> {
    if f.feature_type != FeatureType::Categorical {
        return BTreeMap::new();
    }
    let mut unseen: Vec<(&String, u64)> = counts
        .iter()
        .filter(|c| {
            f.categories
                .binary_search_by(|r| r.value.as_str().cmp(&c.value))
                .is_err()
        })
        .map(|c| (&c.value, c.count))
        .collect();
    unseen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    unseen
        .into_iter()
        .take(driftscope_drift::MAX_UNSEEN_SHOWN)
        .map(|(v, c)| (v.clone(), c))
        .collect()
}
