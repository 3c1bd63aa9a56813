//! Classification metrics for driftscope, over plain slices.
//!
//! AUC (ties get average ranks, as `sklearn.metrics.roc_auc_score`), accuracy, precision,
//! recall, F1 and the confusion matrix of the positive class at a decision threshold on the
//! predicted probability. Precision, recall and F1 are 0 (not NaN) where their denominator is 0,
//! and the result's `notes` say so.
//!
//! **Reads:** nothing (labels and probabilities are passed in). **Writes:** nothing; the result is
//! the [`ClassificationMetrics`] artifact body.
//!
//! # Example
//! ```
//! use driftscope_performance::classification_metrics;
//! let m = classification_metrics(&[true, false, true, false], &[0.9, 0.2, 0.4, 0.6], 0.5).unwrap();
//! assert_eq!(m.auc, Some(0.75));
//! assert_eq!(m.accuracy, 0.5);
//! ```

pub use driftscope_artifacts::{ClassificationMetrics, ConfusionMatrix};

/// What can be wrong with metric inputs.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PerformanceError {
    /// Labels and probabilities differ in length.
    #[error("{labels} labels but {scores} predicted probabilities; expected one per row")]
    LengthMismatch {
        /// Number of labels.
        labels: usize,
        /// Number of scores.
        scores: usize,
    },
    /// No rows.
    #[error("no rows to evaluate")]
    Empty,
    /// A score is NaN.
    #[error("predicted probability at row {row} is NaN")]
    NanScore {
        /// 1-based row.
        row: usize,
    },
}

/// ROC AUC with average ranks for ties; `None` when one class is absent.
pub fn roc_auc(labels: &[bool], scores: &[f64]) -> Option<f64> {
    let n_pos = labels.iter().filter(|l| **l).count();
    let n_neg = labels.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    // Sum of the (1-based, tie-averaged) ranks of the positives.
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        let pos_in_group = order[i..=j].iter().filter(|k| labels[**k]).count();
        rank_sum_pos += avg_rank * pos_in_group as f64;
        i = j + 1;
    }
    let (p, n) = (n_pos as f64, n_neg as f64);
    Some((rank_sum_pos - p * (p + 1.0) / 2.0) / (p * n))
}

/// All classification metrics at `threshold` (a row is predicted positive when its probability
/// is at least the threshold).
pub fn classification_metrics(
    labels: &[bool],
    probabilities: &[f64],
    threshold: f64,
) -> Result<ClassificationMetrics, PerformanceError> {
    if labels.len() != probabilities.len() {
        return Err(PerformanceError::LengthMismatch {
            labels: labels.len(),
            scores: probabilities.len(),
        });
    }
    if labels.is_empty() {
        return Err(PerformanceError::Empty);
    }
    if let Some(i) = probabilities.iter().position(|p| p.is_nan()) {
        return Err(PerformanceError::NanScore { row: i + 1 });
    }
    let mut c = ConfusionMatrix::default();
    for (y, p) in labels.iter().zip(probabilities) {
        match (*y, *p >= threshold) {
            (true, true) => c.tp += 1,
            (false, true) => c.fp += 1,
            (false, false) => c.tn += 1,
            (true, false) => c.fn_ += 1,
        }
    }
    let n = labels.len() as u64;
    let mut notes = Vec::new();
    let ratio = |num: u64, den: u64, what: &str, notes: &mut Vec<String>| {
        if den == 0 {
            notes.push(format!("{what} set to 0: its denominator is 0"));
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let precision = ratio(
        c.tp,
        c.tp + c.fp,
        "precision (no row predicted positive)",
        &mut notes,
    );
    let recall = ratio(c.tp, c.tp + c.fn_, "recall (no positive row)", &mut notes);
    let f1 = if precision + recall == 0.0 {
        notes.push("f1 set to 0: precision + recall is 0".into());
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let auc = roc_auc(labels, probabilities);
    if auc.is_none() {
        notes.push("auc undefined: only one class present".into());
    }
    Ok(ClassificationMetrics {
        n,
        positives: c.tp + c.fn_,
        auc,
        accuracy: (c.tp + c.tn) as f64 / n as f64,
        precision,
        recall,
        f1,
        confusion: c,
        positive_rate: (c.tp + c.fn_) as f64 / n as f64,
        predicted_positive_rate: (c.tp + c.fp) as f64 / n as f64,
        threshold,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_values() {
        // labels:  1    0    1    0    1    0    0    1
        // scores: .9   .8   .7   .6   .55  .4   .3   .1
        let y = [true, false, true, false, true, false, false, true];
        let s = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.1];
        let m = classification_metrics(&y, &s, 0.5).unwrap();
        // Predicted positive: first five. tp = 3 (.9,.7,.55), fp = 2 (.8,.6), tn = 2, fn = 1.
        assert_eq!(
            m.confusion,
            ConfusionMatrix {
                tp: 3,
                fp: 2,
                tn: 2,
                fn_: 1
            }
        );
        assert_eq!(m.accuracy, 5.0 / 8.0);
        assert_eq!(m.precision, 3.0 / 5.0);
        assert_eq!(m.recall, 3.0 / 4.0);
        assert!((m.f1 - 2.0 / 3.0).abs() < 1e-15);
        // AUC: pairs (pos, neg) where pos > neg: .9 beats 4, .7 beats 3, .55 beats 2, .1 beats 0
        // -> 9 of 16. sklearn.metrics.roc_auc_score gives 0.5625.
        assert_eq!(m.auc, Some(0.5625));
        assert_eq!(m.positive_rate, 0.5);
        assert_eq!(m.predicted_positive_rate, 5.0 / 8.0);
        assert!(m.notes.is_empty());
    }

    #[test]
    fn ties_get_average_ranks() {
        // All scores equal: AUC 0.5 exactly (sklearn agrees).
        assert_eq!(roc_auc(&[true, false, true, false], &[0.3; 4]), Some(0.5));
        // One tie across classes counts half: pos {0.8, 0.5}, neg {0.5, 0.2}: (2 + 0.5 + 1) / 4.
        assert_eq!(
            roc_auc(&[true, true, false, false], &[0.8, 0.5, 0.5, 0.2]),
            Some(0.875)
        );
    }

    #[test]
    fn zero_denominators_are_zero_and_noted() {
        let m = classification_metrics(&[false, false], &[0.1, 0.2], 0.5).unwrap();
        assert_eq!((m.precision, m.recall, m.f1), (0.0, 0.0, 0.0));
        assert_eq!(m.auc, None);
        assert_eq!(m.notes.len(), 4, "{:?}", m.notes);
        assert_eq!(
            classification_metrics(&[true], &[0.1, 0.2], 0.5).unwrap_err(),
            PerformanceError::LengthMismatch {
                labels: 1,
                scores: 2
            }
        );
        assert_eq!(
            classification_metrics(&[], &[], 0.5).unwrap_err(),
            PerformanceError::Empty
        );
    }
}
