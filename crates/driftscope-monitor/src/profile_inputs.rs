//! `monitor --profile`: a batch given as its profile (`batch_profile` artifact) instead of rows.
//!
//! A profile carries per-column counts and value maps but no rows, so monitoring from it checks
//! what counts support, exactly as from the rows:
//! - **data drift**: [`driftscope_drift::drift_report_of_profile`], the report of the rows byte
//!   for byte for every column kept as a value map (bounded statistics past the value cap);
//! - **data quality**: missing and extra columns, missing-value jumps, never-seen categories,
//!   type changes, and values outside the trained range (exact from a value map; past the cap
//!   only when the column's minimum and maximum lie inside the trained range, else not checked).
//!
//! Every check that needs each row's probability or label (predictions and prediction drift,
//! the performance estimate, serving skew, performance, concept drift, target drift, the
//! rolling window, segments) is reported in `skipped` and the diagnosis parts as not checked,
//! with the reason [`NO_ROWS`].

use std::path::Path;

use driftscope_artifacts::{ColumnValues, DiagnosisParts, FeatureProfile, PartStatus, Skipped};
use driftscope_drift::CurrentBatch;
use driftscope_profile::{BatchProfile, ColumnData, ColumnProfile, NumericDistribution};

use crate::error::{bail, Result};
use crate::inputs::Inputs;
use crate::ModelBundle;

/// Why the row-level checks are not run on a profile.
pub const NO_ROWS: &str = "a profile carries no rows";

/// The checks that need each row's probability or label, with what they need.
const ROW_CHECKS: [(&str, &str); 9] = [
    (
        "predictions",
        "the model scores rows, and the profile holds none",
    ),
    (
        "serving skew",
        "re-scoring compares each row's logged and model probability",
    ),
    ("prediction drift", "it needs each row's probability"),
    ("performance estimate", "it needs each row's probability"),
    ("performance", "it needs each row's probability and label"),
    ("concept drift", "it needs each row's probability and label"),
    ("target drift", "it needs each row's label"),
    (
        "rolling window",
        "it needs each row's probability and label",
    ),
    (
        "segments",
        "it needs each row's probability, label and segment",
    ),
];

/// Reads the profile at `path`, checks it was made against the champion's reference, and turns
/// it into monitoring inputs without probabilities or labels.
pub(crate) fn profile_inputs(path: &Path, champion: &ModelBundle) -> Result<Inputs> {
    let batch: BatchProfile = driftscope_artifacts::read_artifact(path)?;
    check_against_champion(path, &batch, champion)?;
    let (values, mut skipped) = quality_values(&batch, &champion.profile.features)?;
    skipped.splice(
        0..0,
        ROW_CHECKS.iter().map(|(check, why)| Skipped {
            check: (*check).into(),
            reason: format!("{NO_ROWS}: {why}"),
        }),
    );
    Ok(Inputs {
        batch: CurrentBatch {
            rows: batch.rows,
            values,
            extra_columns: batch.extra_columns.clone(),
        },
        probabilities: None,
        source: driftscope_artifacts::PredictionSource::Model,
        skew: (0, 0, 0.0),
        labels: None,
        ranked: None,
        segments: None,
        skipped,
        chunks: 1,
        profile: Some(batch),
    })
}

/// Refuses a profile not made against the champion's reference: its columns must be the
/// champion's features (present or absent) with their types, and each numerical column's fine
/// edges must hold the champion's PSI edges (bit for bit) inside the reference's range — what
/// `driftscope profile --artifacts` against this champion writes.
fn check_against_champion(path: &Path, batch: &BatchProfile, champion: &ModelBundle) -> Result<()> {
    let features = &champion.profile.features;
    let refuse = |what: String| -> Result<()> {
        bail!(
            "{}: not a profile of the champion {}'s reference ({what}); profile the batch \
             against it: driftscope profile --artifacts DIR --batch FILE --out PROFILE",
            path.display(),
            champion.model.model_version
        )
    };
    if batch.columns.len() + batch.absent_columns.len() != features.len() {
        return refuse(format!(
            "{} columns profiled, the champion has {} features",
            batch.columns.len() + batch.absent_columns.len(),
            features.len()
        ));
    }
    for f in features {
        let Some(c) = batch.column(&f.name) else {
            if batch.absent_columns.contains(&f.name) {
                continue;
            }
            return refuse(format!("feature {:?} is not in the profile", f.name));
        };
        if c.feature_type != f.feature_type {
            return refuse(format!(
                "column {:?} profiled as {:?}, the champion's is {:?}",
                f.name, c.feature_type, f.feature_type
            ));
        }
        if let ColumnData::Numerical(n) = &c.data {
            if !edges_fit(f, &n.fine_edges) {
                return refuse(format!(
                    "column {:?}: its fine edges are not the champion's reference bins",
                    f.name
                ));
            }
        }
    }
    Ok(())
}

/// Every PSI edge of `f` is a fine edge (bit for bit) and every fine edge lies in the
/// reference's range (fine edges are reference quantiles).
fn edges_fit(f: &FeatureProfile, fine: &[f64]) -> bool {
    let bits: std::collections::HashSet<u64> = fine.iter().map(|e| e.to_bits()).collect();
    let psi_in = f.bin_edges.iter().all(|e| bits.contains(&e.to_bits()));
    let in_range = f
        .summary
        .as_ref()
        .is_none_or(|s| fine.iter().all(|e| (s.min..=s.max).contains(e)));
    psi_in && in_range
}

/// Each feature's values for the data-quality step, as the row reader gives them (a value map
/// expanded); a column past the value cap gives its missing count and no values, and its
/// out-of-range check is skipped unless its minimum and maximum lie in the trained range.
fn quality_values(
    batch: &BatchProfile,
    features: &[FeatureProfile],
) -> Result<(Vec<Option<ColumnValues>>, Vec<Skipped>)> {
    let mut skipped = Vec::new();
    let values = features
        .iter()
        .map(|f| {
            let Some(c) = batch.column(&f.name) else {
                return Ok(None);
            };
            if let Some(why) = unknown_range(f, c) {
                skipped.push(Skipped {
                    check: format!("out-of-range share of {}", f.name),
                    reason: why,
                });
            }
            values_of(c).map(Some)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((values, skipped))
}

/// Why the out-of-range share of a binned column cannot be counted (`None` when it can).
fn unknown_range(f: &FeatureProfile, c: &ColumnProfile) -> Option<String> {
    let ColumnData::Numerical(n) = &c.data else {
        return None;
    };
    let (NumericDistribution::Binned(_), Some(s)) = (&n.distribution, &f.summary) else {
        return None;
    };
    let inside = n.min.is_none_or(|m| m >= s.min) && n.max.is_none_or(|m| m <= s.max);
    (!inside).then(|| {
        format!(
            "{:?} is kept as bin counts past the value cap: how many of its values (from {} to \
             {}) lie outside the trained range [{}, {}] is not known; raise --value-cap",
            c.name,
            n.min.unwrap_or(f64::NAN),
            n.max.unwrap_or(f64::NAN),
            s.min,
            s.max
        )
    })
}

/// One column's values as the data-quality step takes them: as the row reader gives them, and
/// for a column past the value cap its missing count and no values (inside the trained range
/// the out-of-range share is 0 whatever the values; outside, [`unknown_range`] says why it is
/// not counted).
fn values_of(c: &ColumnProfile) -> Result<ColumnValues> {
    if let ColumnData::Numerical(n) = &c.data {
        if let NumericDistribution::Binned(_) = n.distribution {
            return Ok(ColumnValues::Numerical {
                sorted: Vec::new(),
                missing: c.missing(),
            });
        }
    }
    Ok(driftscope_drift::profile_column_values(c)?)
}

/// The diagnosis of a profile: the parts that need rows say so.
pub(crate) fn mark_rowless(parts: &mut DiagnosisParts) {
    for (part, why) in [
        (
            &mut parts.concept_drift,
            "realized against expected performance needs each row's probability and label",
        ),
        (
            &mut parts.performance,
            "metrics and their estimate need each row's probability and label",
        ),
    ] {
        if part.status == PartStatus::NotChecked {
            part.reasons = vec![format!("{NO_ROWS}: {why}")];
        }
    }
    parts.headline = driftscope_alerting::headline(parts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftscope_artifacts::FeatureType;

    fn feature(edges: Vec<f64>) -> FeatureProfile {
        FeatureProfile {
            name: "x".into(),
            feature_type: FeatureType::Numerical,
            count: 4,
            missing: 0,
            distinct: 4,
            summary: Some(driftscope_artifacts::NumericSummary {
                mean: 2.5,
                std: 1.0,
                min: 1.0,
                p25: 1.75,
                median: 2.5,
                p75: 3.25,
                max: 4.0,
            }),
            bin_edges: edges,
            bin_counts: vec![2, 2],
            categories: vec![],
        }
    }

    #[test]
    fn fine_edges_must_hold_the_psi_edges_inside_the_reference_range() {
        let f = feature(vec![2.5]);
        assert!(edges_fit(&f, &[1.75, 2.5, 3.25]));
        // The PSI edge of another reference is missing.
        assert!(!edges_fit(&f, &[1.75, 2.4, 3.25]));
        // An edge outside [min, max] is no quantile of this reference.
        assert!(!edges_fit(&f, &[1.75, 2.5, 4.5]));
        assert!(!edges_fit(&f, &[0.5, 2.5]));
        // Boundaries: edges at min and max fit.
        assert!(edges_fit(&f, &[1.0, 2.5, 4.0]));
    }

    fn binned(min: f64, max: f64) -> ColumnProfile {
        ColumnProfile {
            name: "x".into(),
            feature_type: FeatureType::Numerical,
            rows: 3,
            nulls: 1,
            nan: 0,
            pos_inf: 0,
            neg_inf: 0,
            data: ColumnData::Numerical(driftscope_profile::NumericProfile {
                min: Some(min),
                max: Some(max),
                moments: driftscope_profile::Moments {
                    n: 2,
                    mean: (min + max) / 2.0,
                    m2: 0.0,
                    m3: 0.0,
                    m4: 0.0,
                },
                fine_edges: vec![2.5],
                distribution: NumericDistribution::Binned(driftscope_profile::FineBins {
                    counts: vec![1, 1],
                    sums: vec![min, max],
                }),
            }),
        }
    }

    #[test]
    fn out_of_range_past_the_cap_is_counted_only_inside_the_trained_range() {
        let f = feature(vec![2.5]);
        // At the trained range's ends: no value outside, share 0, nothing skipped.
        assert_eq!(unknown_range(&f, &binned(1.0, 4.0)), None);
        let inside = values_of(&binned(1.0, 4.0)).unwrap();
        assert_eq!(
            inside,
            ColumnValues::Numerical {
                sorted: vec![],
                missing: 1
            }
        );
        // Just past either end: not known how many.
        let above = unknown_range(&f, &binned(1.0, 4.0 + 1e-9)).unwrap();
        assert!(above.contains("raise --value-cap"), "{above}");
        assert!(unknown_range(&f, &binned(0.999, 4.0)).is_some());
    }

    #[test]
    fn rowless_parts_give_the_reason_and_a_headline_without_claims() {
        let not_checked = || driftscope_artifacts::DiagnosisPart {
            status: PartStatus::NotChecked,
            reasons: vec!["no labels".into()],
        };
        let mut parts = DiagnosisParts {
            data_quality: driftscope_artifacts::DiagnosisPart {
                status: PartStatus::Ok,
                reasons: vec![],
            },
            data_drift: driftscope_artifacts::DiagnosisPart {
                status: PartStatus::Ok,
                reasons: vec![],
            },
            concept_drift: not_checked(),
            performance: not_checked(),
            headline: String::new(),
        };
        mark_rowless(&mut parts);
        assert!(parts.performance.reasons[0].starts_with(NO_ROWS));
        assert!(parts.concept_drift.reasons[0].starts_with(NO_ROWS));
        assert!(parts.headline.contains("not checked"), "{}", parts.headline);
        assert!(!parts.headline.contains("performs as expected"));
    }
}
