//! Comparison of a categorical feature: the union of the reference's and the batch's
//! categories (every never-seen category a bin of its own, as the spec says; only the list
//! written out is cut beyond [`MAX_UNSEEN_SHOWN`]), binned distances and the chi-square test.

use driftscope_artifacts::{CategoryCount, Distribution, FeatureProfile, FeatureType};

use crate::verdict::all_missing;
use crate::{
    chi_square, js_distance, kl_divergence, proportions, psi, FeatureDrift, Result, Severity,
};

/// Never-seen categories listed one by one in the distribution written to JSON and the site
/// (the most frequent first); the rest are shown as one bin with their rows. Bounds the output
/// of a batch full of identifiers; the statistics always use every category.
pub const MAX_UNSEEN_SHOWN: usize = 50;
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

/// Cuts the *output* distribution to every reference category plus the
/// [`MAX_UNSEEN_SHOWN`] most frequent never-seen ones; the rest become one labelled bin with
/// their rows. Only the list written to JSON and the site is cut: the statistics were computed
/// on the whole table before (stats-spec: one bin per category seen in either sample).
fn cut_distribution(t: Table) -> Distribution {
    if t.unseen.len() <= MAX_UNSEEN_SHOWN {
        return Distribution {
            labels: t.labels,
            reference: t.reference,
            current: t.current,
        };
    }
    let mut ranked: Vec<&(String, u64)> = t.unseen.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let shown: std::collections::BTreeSet<&str> = ranked
        .iter()
        .take(MAX_UNSEEN_SHOWN)
        .map(|u| u.0.as_str())
        .collect();
    let rest: u64 = ranked.iter().skip(MAX_UNSEEN_SHOWN).map(|u| u.1).sum();
    let mut d = Distribution {
        labels: Vec::new(),
        reference: Vec::new(),
        current: Vec::new(),
    };
    for k in 0..t.labels.len() {
        if t.reference[k] > 0 || shown.contains(t.labels[k].as_str()) {
            d.labels.push(t.labels[k].clone());
            d.reference.push(t.reference[k]);
            d.current.push(t.current[k]);
        }
    }
    d.labels.push(format!(
        "({} more never-seen categories)",
        t.unseen.len() - MAX_UNSEEN_SHOWN
    ));
    d.reference.push(0);
    d.current.push(rest);
    d
}

/// The finding naming the most frequent never-seen categories.
fn unseen_finding(unseen: &[(String, u64)]) -> Option<String> {
    if unseen.is_empty() {
        return None;
    }
    let mut ranked: Vec<&(String, u64)> = unseen.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut listed: Vec<String> = ranked
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
    let t = merge(&profile.categories, counts);
    let findings: Vec<String> = unseen_finding(&t.unseen).into_iter().collect();
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
        distribution: Some(cut_distribution(t)),
        drift_detected: false,
        severity: Severity::None,
        findings,
        calibrated: None,
        bounded: None,
        current_summary: None,
        value_histogram: None,
    })
}
