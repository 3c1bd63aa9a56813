//! Probabilities ranked once with their labels ([`Ranked`]), and the ROC AUC.

use driftscope_artifacts::{sort_by_float_key, sort_floats};

use crate::PerformanceError;

/// A batch's probabilities sorted once (IEEE total order), with each row's label in the same
/// order: what AUC, expected AUC and the prediction-drift statistics all need.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// The probabilities, ascending.
    pub sorted: Vec<f64>,
    /// The label of each entry of `sorted` (`None` without labels).
    pub labels: Option<Vec<bool>>,
}

impl Ranked {
    /// Sorts `probabilities` (and `labels`, when given, along with them). Labels must be as
    /// many as probabilities.
    ///
    /// # Example
    /// ```
    /// use driftscope_performance::Ranked;
    /// let r = Ranked::new(&[0.9, 0.1], Some(&[true, false])).unwrap();
    /// assert_eq!(r.sorted, vec![0.1, 0.9]);
    /// assert_eq!(r.auc(), Some(1.0));
    /// assert!(Ranked::new(&[0.9], Some(&[true, false])).is_err());
    /// ```
    pub fn new(probabilities: &[f64], labels: Option<&[bool]>) -> Result<Ranked, PerformanceError> {
        match labels {
            None => {
                let mut sorted = probabilities.to_vec();
                sort_floats(&mut sorted);
                Ok(Ranked {
                    sorted,
                    labels: None,
                })
            }
            Some(y) => {
                if y.len() != probabilities.len() {
                    return Err(PerformanceError::LengthMismatch {
                        labels: y.len(),
                        scores: probabilities.len(),
                    });
                }
                // Probabilities have no sign bit: each one and its label then pack into one
                // integer with the same order (the bits shifted left, the label below them).
                if probabilities.iter().all(|p| p.is_sign_positive()) {
                    let mut keys: Vec<u64> = probabilities
                        .iter()
                        .zip(y)
                        .map(|(p, l)| (p.to_bits() << 1) | u64::from(*l))
                        .collect();
                    keys.sort_unstable();
                    return Ok(Ranked {
                        sorted: keys.iter().map(|k| f64::from_bits(k >> 1)).collect(),
                        labels: Some(keys.iter().map(|k| k & 1 == 1).collect()),
                    });
                }
                let mut pairs: Vec<(f64, bool)> = probabilities
                    .iter()
                    .copied()
                    .zip(y.iter().copied())
                    .collect();
                sort_by_float_key(&mut pairs);
                let (sorted, labels) = pairs.into_iter().unzip();
                Ok(Ranked {
                    sorted,
                    labels: Some(labels),
                })
            }
        }
    }

    /// ROC AUC (average ranks for ties); `None` without labels or when one class is absent.
    ///
    /// # Example
    /// ```
    /// use driftscope_performance::Ranked;
    /// let r = Ranked::new(&[0.2, 0.2], Some(&[true, false])).unwrap();
    /// assert_eq!(r.auc(), Some(0.5));
    /// assert_eq!(Ranked::new(&[0.2], Some(&[true])).unwrap().auc(), None);
    /// ```
    pub fn auc(&self) -> Option<f64> {
        let labels = self.labels.as_ref()?;
        let n_pos = labels.iter().filter(|l| **l).count();
        let n_neg = labels.len() - n_pos;
        if n_pos == 0 || n_neg == 0 {
            return None;
        }
        let s = &self.sorted;
        // Sum of the (1-based, tie-averaged) ranks of the positives.
        let mut rank_sum_pos = 0.0;
        let mut i = 0;
        while i < s.len() {
            let mut j = i;
            while j + 1 < s.len() && s[j + 1] == s[i] {
                j += 1;
            }
            let avg_rank = (i + j) as f64 / 2.0 + 1.0;
            let pos_in_group = labels[i..=j].iter().filter(|k| **k).count();
            rank_sum_pos += avg_rank * pos_in_group as f64;
            i = j + 1;
        }
        let (p, n) = (n_pos as f64, n_neg as f64);
        Some((rank_sum_pos - p * (p + 1.0) / 2.0) / (p * n))
    }
}

/// Labels and probabilities fit together: as many of each, at least one, no NaN.
pub(crate) fn check_scores(labels: &[bool], probabilities: &[f64]) -> Result<(), PerformanceError> {
    if labels.len() != probabilities.len() {
        return Err(PerformanceError::LengthMismatch {
            labels: labels.len(),
            scores: probabilities.len(),
        });
    }
    if labels.is_empty() {
        return Err(PerformanceError::Empty);
    }
    check_probabilities(probabilities)
}

/// No probability is NaN.
pub(crate) fn check_probabilities(probabilities: &[f64]) -> Result<(), PerformanceError> {
    match probabilities.iter().position(|p| p.is_nan()) {
        Some(i) => Err(PerformanceError::NanScore { row: i + 1 }),
        None => Ok(()),
    }
}

/// ROC AUC with average ranks for ties (`sklearn.metrics.roc_auc_score`). `Ok(None)` when only
/// one class is present (the AUC is undefined); labels and scores of different lengths, no rows
/// and NaN scores are errors.
///
/// # Example
/// ```
/// use driftscope_performance::{roc_auc, PerformanceError};
/// assert_eq!(roc_auc(&[true, false, true, false], &[0.9, 0.2, 0.4, 0.6]), Ok(Some(0.75)));
/// assert_eq!(roc_auc(&[true, true], &[0.9, 0.2]), Ok(None));
/// assert_eq!(roc_auc(&[true], &[f64::NAN]), Err(PerformanceError::NanScore { row: 1 }));
/// ```
pub fn roc_auc(labels: &[bool], scores: &[f64]) -> Result<Option<f64>, PerformanceError> {
    check_scores(labels, scores)?;
    Ok(Ranked::new(scores, Some(labels))?.auc())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AUC by counting every positive-negative pair (ties count half).
    fn pairwise_auc(labels: &[bool], p: &[f64]) -> f64 {
        let (mut wins, mut pairs) = (0.0, 0.0);
        for (a, _) in p.iter().zip(labels).filter(|(_, l)| **l) {
            for (b, _) in p.iter().zip(labels).filter(|(_, l)| !**l) {
                pairs += 1.0;
                wins += if a > b {
                    1.0
                } else if a == b {
                    0.5
                } else {
                    0.0
                };
            }
        }
        wins / pairs
    }

    #[test]
    fn ranking_packed_and_general_paths_agree_with_pair_counting() {
        // Probabilities with many ties; the second set has a -0.0, which the packed path
        // cannot take, so it goes through the general sort.
        let p: Vec<f64> = (0..600u64)
            .map(|k| ((k * 7919) % 97) as f64 / 96.0)
            .collect();
        let y: Vec<bool> = (0..600u64).map(|k| (k * 31 + k / 7) % 3 == 0).collect();
        let mut q = p.clone();
        q[5] = -0.0;
        for probs in [&p, &q] {
            let r = Ranked::new(probs, Some(&y)).unwrap();
            let mut want = probs.clone();
            want.sort_by(f64::total_cmp);
            assert_eq!(r.sorted, want);
            // Each label stays with its probability: positives per value agree.
            let labels = r.labels.as_ref().unwrap();
            for v in [0.0, 0.5, 1.0] {
                let got = r
                    .sorted
                    .iter()
                    .zip(labels)
                    .filter(|(s, l)| **s == v && **l)
                    .count();
                let exp = probs
                    .iter()
                    .zip(&y)
                    .filter(|(s, l)| **s == v && **l)
                    .count();
                assert_eq!(got, exp, "positives at {v}");
            }
            let auc = r.auc().unwrap();
            assert!((auc - pairwise_auc(&y, probs)).abs() < 1e-12, "{auc}");
        }
        assert!(Ranked::new(&p, Some(&y[1..])).is_err());
        assert_eq!(Ranked::new(&p, None).unwrap().auc(), None);
    }

    #[test]
    fn roc_auc_one_class_is_none_bad_input_is_error() {
        assert_eq!(roc_auc(&[false, false], &[0.1, 0.2]), Ok(None));
        assert_eq!(
            roc_auc(&[true], &[0.1, 0.2]),
            Err(PerformanceError::LengthMismatch {
                labels: 1,
                scores: 2
            })
        );
        assert_eq!(roc_auc(&[], &[]), Err(PerformanceError::Empty));
        assert_eq!(
            roc_auc(&[true, false], &[0.3, f64::NAN]),
            Err(PerformanceError::NanScore { row: 2 })
        );
        // Unsorted input is fine: it is ranked here.
        assert_eq!(roc_auc(&[true, false], &[0.9, 0.1]), Ok(Some(1.0)));
    }
}
