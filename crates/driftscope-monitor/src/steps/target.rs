//! Target drift: the batch's positive rate against the reference's (chi-square).

use driftscope_artifacts::{ClassificationMetrics, ReferenceProfile, TargetDrift};

/// Target drift of a labelled batch whose metrics are `m`.
pub fn target_drift(
    m: &ClassificationMetrics,
    profile: &ReferenceProfile,
    positive_label: &str,
) -> TargetDrift {
    let pos = profile
        .target_counts
        .iter()
        .find(|c| c.value == positive_label)
        .map_or(0, |c| c.count);
    let neg = profile
        .target_counts
        .iter()
        .filter(|c| c.value != positive_label)
        .map(|c| c.count)
        .sum::<u64>();
    let chi = driftscope_drift::chi_square(&[pos, neg], &[m.positives, m.n - m.positives]);
    TargetDrift {
        positive_rate: m.positive_rate,
        reference_positive_rate: pos as f64 / (pos + neg).max(1) as f64,
        p_value: chi.map_or(1.0, |c| c.p_value),
    }
}
