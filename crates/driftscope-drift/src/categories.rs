//! Comparison of a categorical feature: the union of the reference's and the batch's
//! categories, never-seen categories (merged into one bin beyond [`MAX_UNSEEN_BINS`]), binned
//! distances and the chi-square test.

use driftscope_artifacts::{CategoryCount, Distribution, FeatureProfile, FeatureType};

use crate::verdict::all_missing;
use crate::{
    chi_square, js_distance, kl_divergence, proportions, psi, FeatureDrift, Result, Severity,
};

/// Above this many categories never seen in the reference, they are merged into one bin.
pub const MAX_UNSEEN_BINS: usize = 50;
/// Never-seen categories named in a finding (the most frequent first).
pub const MAX_UNSEEN_LISTED: usize = 10;

/// The 2 x K table of a feature: one column per category seen on either side, sorted.
struct Table {
    labels: Vec<String>,
    reference: Vec<u64>,
    current: Vec<u64>,
    /// Categories with current rows but none in the reference, with their rows.
    unseen: Vec<(String, u64)>,
}

/// Merges two category lists sorted by value into the table of their union.
fn merge(rc: &[CategoryCount], cc: &[CategoryCount]) -> Table {
    let (mut i, mut j) = (0, 0);
    let mut t = Table {
        labels: Vec::new(),
        reference: Vec::new(),
        current: Vec::new(),
        unseen: Vec::new(),
    };
    while i < rc.len() || j < cc.len() {
        let take_r = j >= cc.len() || (i < rc.len() && rc[i].value <= cc[j].value);
        let take_c = i >= rc.len() || (j < cc.len() && cc[j].value <= rc[i].value);
        let label = if take_r {
            rc[i].value.clone()
        } else {
            cc[j].value.clone()
        };
        let r = if take_r { rc[i].count } else { 0 };
        let c = if take_c { cc[j].count } else { 0 };
        if r == 0 && c > 0 {
            t.unseen.push((label.clone(), c));
        }
        if r + c > 0 {
            t.labels.push(label);
            t.reference.push(r);
            t.current.push(c);
        }
        i += usize::from(take_r);
        j += usize::from(take_c);
    }
    t
}

/// Beyond [`MAX_UNSEEN_BINS`] never-seen categories, puts them all into one bin (bounded
/// output); returns the finding that says so.
fn merge_unseen(t: &mut Table) -> Option<String> {
    if t.unseen.len() <= MAX_UNSEEN_BINS {
        return None;
    }
    let rows: u64 = t.unseen.iter().map(|u| u.1).sum();
    let keep: Vec<usize> = (0..t.labels.len())
        .filter(|&k| t.reference[k] > 0)
        .collect();
    t.labels = keep.iter().map(|&k| t.labels[k].clone()).collect();
    t.current = keep.iter().map(|&k| t.current[k]).collect();
    t.reference = keep.iter().map(|&k| t.reference[k]).collect();
    t.labels
        .push(format!("({} unseen categories)", t.unseen.len()));
    t.reference.push(0);
    t.current.push(rows);
    Some(format!(
        "{} categories never seen in the reference ({rows} rows) are merged into one \
         bin for the statistics",
        t.unseen.len()
    ))
}

/// The finding naming the most frequent never-seen categories.
fn unseen_finding(unseen: &mut [(String, u64)]) -> Option<String> {
    if unseen.is_empty() {
        return None;
    }
    unseen.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut listed: Vec<String> = unseen
        .iter()
        .take(MAX_UNSEEN_LISTED)
        .map(|(label, c)| format!("{label:?} ({c} rows)"))
        .collect();
    if unseen.len() > MAX_UNSEEN_LISTED {
        listed.push(format!("and {} more", unseen.len() - MAX_UNSEEN_LISTED));
    }
    Some(format!(
        "categories never seen in the reference: {}",
        listed.join(", ")
    ))
}

/// Every categorical statistic of a feature: binned distances over the union of categories and
/// the chi-square test of the table.
pub(crate) fn compare_categorical(
    profile: &FeatureProfile,
    counts: &[CategoryCount],
    missing: u64,
) -> Result<FeatureDrift> {
    if profile.count == 0 || counts.is_empty() {
        return Ok(all_missing(profile, missing, profile.count == 0));
    }
    let mut t = merge(&profile.categories, counts);
    let mut findings: Vec<String> = merge_unseen(&mut t).into_iter().collect();
    findings.extend(unseen_finding(&mut t.unseen));
    let (p, q) = (proportions(&t.reference), proportions(&t.current));
    Ok(FeatureDrift {
        name: profile.name.clone(),
        feature_type: FeatureType::Categorical,
        reference_missing: profile.missing,
        current_missing: missing,
        psi: Some(psi(&p, &q)?),
        kl_divergence: Some(kl_divergence(&p, &q)?),
        js_distance: Some(js_distance(&p, &q)?),
        wasserstein: None,
        wasserstein_normed: None,
        ks: None,
        mann_whitney: None,
        chi_square: chi_square(&t.reference, &t.current).ok(),
        drift_detected: false,
        severity: Severity::None,
        findings,
        distribution: Some(Distribution {
            labels: t.labels,
            reference: t.reference,
            current: t.current,
        }),
        calibrated: None,
    })
}
