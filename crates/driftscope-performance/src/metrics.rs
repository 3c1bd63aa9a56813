//! Classification metrics at a decision threshold.

use crate::ranking::check_scores;
use crate::{ClassificationMetrics, ConfusionMatrix, PerformanceError, Ranked};

/// All classification metrics at `threshold` (a row is predicted positive when its probability
/// is at least the threshold). Labels and probabilities of different lengths, no rows, NaN
/// probabilities and a threshold that is not finite are errors; a single class is not (its AUC
/// is `None`, and `notes` say so).
///
/// # Example
/// ```
/// use driftscope_performance::classification_metrics;
/// let m = classification_metrics(&[true, false, true, false], &[0.9, 0.2, 0.4, 0.6], 0.5).unwrap();
/// assert_eq!(m.auc, Some(0.75));
/// assert_eq!(m.accuracy, 0.5);
/// assert!(classification_metrics(&[true], &[f64::NAN], 0.5).is_err());
/// ```
pub fn classification_metrics(
    labels: &[bool],
    probabilities: &[f64],
    threshold: f64,
) -> Result<ClassificationMetrics, PerformanceError> {
    let ranked = Ranked::new(probabilities, Some(labels))?;
    classification_metrics_ranked(labels, probabilities, &ranked, threshold)
}

/// [`classification_metrics`] with the probabilities already ranked (`ranked` must hold these
/// probabilities and labels).
///
/// # Example
/// ```
/// use driftscope_performance::{classification_metrics_ranked, Ranked};
/// let (y, p) = ([true, false], [0.8, 0.3]);
/// let ranked = Ranked::new(&p, Some(&y)).unwrap();
/// let m = classification_metrics_ranked(&y, &p, &ranked, 0.5).unwrap();
/// assert_eq!((m.accuracy, m.auc), (1.0, Some(1.0)));
/// ```
pub fn classification_metrics_ranked(
    labels: &[bool],
    probabilities: &[f64],
    ranked: &Ranked,
    threshold: f64,
) -> Result<ClassificationMetrics, PerformanceError> {
    check_scores(labels, probabilities)?;
    if !threshold.is_finite() {
        return Err(PerformanceError::InvalidThreshold(threshold));
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
    let auc = ranked.auc();
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
    use crate::roc_auc;

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
        assert_eq!(
            roc_auc(&[true, false, true, false], &[0.3; 4]),
            Ok(Some(0.5))
        );
        // One tie across classes counts half: pos {0.8, 0.5}, neg {0.5, 0.2}: (2 + 0.5 + 1) / 4.
        assert_eq!(
            roc_auc(&[true, true, false, false], &[0.8, 0.5, 0.5, 0.2]),
            Ok(Some(0.875))
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
        assert_eq!(
            classification_metrics(&[true], &[f64::NAN], 0.5).unwrap_err(),
            PerformanceError::NanScore { row: 1 }
        );
        assert!(classification_metrics(&[true], &[0.5], f64::NAN).is_err());
    }
}
