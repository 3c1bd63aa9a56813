//! Confidence-based expected performance: what the model should reach on a batch if its
//! probabilities are right for that batch.

use driftscope_artifacts::sort_floats;

use crate::ranking::check_probabilities;
use crate::PerformanceError;

/// Performance the model should reach on a batch if its probabilities are right for that batch
/// (confidence-based estimation, as NannyML's CBPE): a covariate shift moves these expectations,
/// a concept drift makes the realized metrics fall below them.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ExpectedPerformance {
    /// Expected accuracy at the threshold: mean of p (predicted positive) or 1 - p.
    pub accuracy: f64,
    /// Expected error rate, 1 - accuracy.
    pub error_rate: f64,
    /// Standard deviation of the realized error rate around its expectation.
    pub error_rate_sd: f64,
    /// Expected AUC: expected concordant pairs over expected positive-negative pairs.
    pub auc: Option<f64>,
    /// Mean predicted probability (the expected positive rate).
    pub positive_rate: f64,
}

/// [`ExpectedPerformance`] of a batch from its predicted probabilities. No probabilities, a NaN
/// probability and a threshold that is not finite are errors.
///
/// # Example
/// ```
/// use driftscope_performance::expected_performance;
/// let e = expected_performance(&[0.9, 0.2], 0.5).unwrap();
/// assert!((e.error_rate - 0.15).abs() < 1e-15);
/// assert!(expected_performance(&[], 0.5).is_err());
/// ```
pub fn expected_performance(
    probabilities: &[f64],
    threshold: f64,
) -> Result<ExpectedPerformance, PerformanceError> {
    let sorted = checked_sorted(probabilities, threshold)?;
    Ok(expected_performance_sorted(
        probabilities,
        &sorted,
        threshold,
    ))
}

/// [`expected_performance`] of at least one probability, with `sorted`, the same probabilities
/// sorted ascending.
pub(crate) fn expected_performance_sorted(
    probabilities: &[f64],
    sorted: &[f64],
    threshold: f64,
) -> ExpectedPerformance {
    let n = probabilities.len();
    let nf = n as f64;
    let errors: Vec<f64> = probabilities
        .iter()
        .map(|p| if *p >= threshold { 1.0 - p } else { *p })
        .collect();
    let error_rate = errors.iter().sum::<f64>() / nf;
    let var = errors.iter().map(|e| e * (1.0 - e)).sum::<f64>() / (nf * nf);
    // Expected AUC: sum_i p_i * sum_{j: s_j < s_i} (1 - p_j) (+ half for ties), i != j, over
    // sum_i p_i * sum_{j != i} (1 - p_j).
    let (mut below_neg, mut num) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && sorted[j + 1] == sorted[i] {
            j += 1;
        }
        let group = &sorted[i..=j];
        let neg_in_group: f64 = group.iter().map(|p| 1.0 - p).sum();
        for p in group {
            num += p * (below_neg + 0.5 * (neg_in_group - (1.0 - p)));
        }
        below_neg += neg_in_group;
        i = j + 1;
    }
    let sum_p: f64 = probabilities.iter().sum();
    let den = sum_p * (nf - sum_p) - probabilities.iter().map(|p| p * (1.0 - p)).sum::<f64>();
    ExpectedPerformance {
        accuracy: 1.0 - error_rate,
        error_rate,
        error_rate_sd: var.sqrt(),
        auc: (den > 0.0).then(|| num / den),
        positive_rate: sum_p / nf,
    }
}

/// `probabilities` checked (non-empty, each in [0, 1]) and sorted ascending, with a finite
/// `threshold`: the inputs of the expected and the estimated performance.
pub(crate) fn checked_sorted(
    probabilities: &[f64],
    threshold: f64,
) -> Result<Vec<f64>, PerformanceError> {
    if probabilities.is_empty() {
        return Err(PerformanceError::Empty);
    }
    check_probabilities(probabilities)?;
    if !threshold.is_finite() {
        return Err(PerformanceError::InvalidThreshold(threshold));
    }
    let mut sorted = probabilities.to_vec();
    sort_floats(&mut sorted);
    Ok(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_performance_hand_values() {
        // p = [0.9, 0.2]: expected errors 0.1 and 0.2 -> error 0.15; expected AUC =
        // (0.9 * 0.8) / (0.9 * 0.8 + 0.2 * 0.1) = 0.72 / 0.74.
        let e = expected_performance(&[0.9, 0.2], 0.5).unwrap();
        assert!((e.error_rate - 0.15).abs() < 1e-15);
        assert!((e.auc.unwrap() - 0.72 / 0.74).abs() < 1e-15);
        assert!((e.positive_rate - 0.55).abs() < 1e-15);
        // A calibrated model's realized metrics match the expectation on average.
        let p: Vec<f64> = (0..2000)
            .map(|i| ((i * 37) % 100) as f64 / 100.0 + 0.005)
            .collect();
        let e = expected_performance(&p, 0.5).unwrap();
        let y: Vec<bool> = p
            .iter()
            .enumerate()
            .map(|(i, p)| ((i * 7919) % 1000) as f64 / 1000.0 < *p)
            .collect();
        let m = crate::classification_metrics(&y, &p, 0.5).unwrap();
        assert!(
            (m.accuracy - e.accuracy).abs() < 4.0 * e.error_rate_sd,
            "{} vs {}",
            m.accuracy,
            e.accuracy
        );
        assert!((m.auc.unwrap() - e.auc.unwrap()).abs() < 0.03);
    }

    #[test]
    fn empty_nan_threshold_are_errors() {
        assert_eq!(expected_performance(&[], 0.5), Err(PerformanceError::Empty));
        assert_eq!(
            expected_performance(&[0.1, f64::NAN], 0.5),
            Err(PerformanceError::NanScore { row: 2 })
        );
        assert!(expected_performance(&[0.1], f64::INFINITY).is_err());
    }
}
