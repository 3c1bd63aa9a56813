//! Prediction drift: the batch's probabilities against the reference predictions.

use driftscope_artifacts::{
    BaselineMetrics, ColumnValues, DataDriftConfig, PredictionDrift, PredictionSource,
    ReferenceProfile, ReferenceSample,
};
use driftscope_drift::compare_feature;

/// Where the probabilities came from and what the serving-skew check found.
#[derive(Debug, Clone, Copy)]
pub struct ProbabilitySource {
    /// Logged by the serving system or scored by the champion.
    pub source: PredictionSource,
    /// Rows re-scored, rows differing, largest difference.
    pub skew: (u64, u64, f64),
}

/// Prediction drift of probabilities `p` (sorted ascending in `sorted`); `None` when the
/// reference holds no predictions.
pub fn prediction_drift(
    p: &[f64],
    sorted: Vec<f64>,
    profile: &ReferenceProfile,
    sample: &ReferenceSample,
    baseline: &BaselineMetrics,
    origin: ProbabilitySource,
    cfg: &DataDriftConfig,
) -> Option<PredictionDrift> {
    let pp = profile.predictions.as_ref()?;
    let d = compare_feature(
        pp,
        Some(&sample.predictions),
        &ColumnValues::Numerical { sorted, missing: 0 },
        cfg,
    );
    let n = p.len() as f64;
    let mean = p.iter().sum::<f64>() / n;
    let threshold = baseline.holdout.threshold;
    Some(PredictionDrift {
        psi: d.psi.unwrap_or(0.0),
        ks_p_value: d.ks.map_or(1.0, |k| k.p_value),
        mean_probability: mean,
        predicted_positive_rate: p.iter().filter(|x| **x >= threshold).count() as f64 / n,
        baseline_predicted_positive_rate: baseline.holdout.predicted_positive_rate,
        probability_std: (p.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt(),
        source: origin.source,
        skew_rows_checked: origin.skew.0,
        skew_rows_differing: origin.skew.1,
        skew_max_difference: origin.skew.2,
    })
}
