//! Calibration at training time (the beta calibrator, its bootstrap refits and the
//! cross-fitted residual, stored in the model artifact) and the calibration term of a batch's
//! estimated performance. Definitions: `docs/calibration.md`.

use driftscope_artifacts::MetricSpread;

use crate::error::Result;

/// Fits the calibrator of a trained model on its calibration rows (nothing when they are
/// empty or holds one class only), its [`CALIBRATION_BOOTSTRAP`] refits, and recomputes the
/// reference sample's predictions with it.
pub fn calibrate(trained: &mut driftscope_training::Trained) -> Result<()> {
    let labels = &trained.calibration_labels;
    if labels.is_empty() || labels.iter().all(|y| *y) || !labels.iter().any(|y| *y) {
        return Ok(());
    }
    let calibrator =
        driftscope_performance::fit_calibrator(labels, &trained.calibration_probabilities)?;
    trained.sample.predictions =
        driftscope_performance::calibrated_sorted(&calibrator, &trained.holdout_probabilities);
    let params: Vec<[f64; 3]> = bootstrap_calibrators(trained)?
        .iter()
        .filter_map(|c| match c {
            driftscope_artifacts::Calibrator::Beta { a, b, c } => Some([*a, *b, *c]),
            _ => None,
        })
        .collect();
    // The spread on the holdout (what the site shows, and the term of models without refits):
    // the batch rule applied to the holdout's calibrated probabilities.
    trained.model.calibration_uncertainty = driftscope_performance::batch_calibration_spread(
        &trained.sample.predictions,
        driftscope_performance::BASELINE_THRESHOLD,
        &calibrator,
        &params,
        None,
    );
    trained.model.calibration_residual = driftscope_performance::cross_fitted_residual(
        labels,
        &trained.calibration_probabilities,
        &trained.calibration_folds,
        &params,
    )?;
    trained.model.calibration_bootstrap = Some(params);
    trained.model.calibration = Some(calibrator);
    Ok(())
}

/// Calibrators refitted on bootstrap resamples of the calibration rows, for the calibration's
/// own uncertainty: 50 puts the standard deviation within about 10% of its value
/// (`1 / sqrt(2 (B - 1))`) at 150 stored numbers.
pub const CALIBRATION_BOOTSTRAP: usize = 50;

/// The calibrator refitted on [`CALIBRATION_BOOTSTRAP`] resamples (with replacement, same size,
/// ChaCha8 seeded by the training seed + 2) of the calibration rows; resamples with one class
/// are skipped.
fn bootstrap_calibrators(
    trained: &driftscope_training::Trained,
) -> Result<Vec<driftscope_artifacts::Calibrator>> {
    use rand::{Rng, SeedableRng};
    let (y, s) = (
        &trained.calibration_labels,
        &trained.calibration_probabilities,
    );
    let n = y.len();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(trained.manifest.seed.wrapping_add(2));
    let resamples: Vec<(Vec<bool>, Vec<f64>)> = (0..CALIBRATION_BOOTSTRAP)
        .map(|_| {
            (0..n)
                .map(|_| rng.gen_range(0..n))
                .map(|i| (y[i], s[i]))
                .unzip()
        })
        .collect();
    resamples
        .into_iter()
        .filter(|(by, _)| by.iter().any(|v| *v) && !by.iter().all(|v| *v))
        .map(|(by, bs)| Ok(driftscope_performance::fit_calibrator(&by, &bs)?))
        .collect()
}

/// Significance level of the test that decides whether a batch's estimate carries the model's
/// cross-fitted residual: a two-sample Kolmogorov-Smirnov test of the batch's calibrated
/// probabilities against the reference sample's. The residual is calibration error that the
/// bootstrap does not see; `cargo xtask eval` finds it only where the batch's scores are
/// distributed unlike the calibration rows' (covariate shift: without it the AUC's 95%
/// intervals covered 75-90% of the shifted 2,000-row batches, with it 91-96%; on batches drawn
/// like the reference the bootstrap alone covered 93-99%, and adding the residual there took
/// the coverage to 99-100%: docs/calibration.md). 5% is the usual level: one i.i.d. batch in
/// twenty gets the wider interval.
pub const SCORE_SHIFT_ALPHA: f64 = 0.05;

/// The calibration's share of a batch estimate's uncertainty, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationTerm {
    /// Per metric standard deviation (`None`: the model has no calibration spread at all).
    pub spread: Option<MetricSpread>,
    /// A sentence for the estimate's notes when the residual was added.
    pub note: Option<String>,
}

/// The calibration's share of a batch estimate's uncertainty: the spread over the model's
/// bootstrap calibrators on the batch's own calibrated probabilities `sorted` (ascending;
/// `driftscope_performance::batch_calibration_spread`), plus the model's cross-fitted residual
/// when the batch's probabilities differ from the reference sample's `reference` (ascending) by
/// a two-sample KS test at [`SCORE_SHIFT_ALPHA`] (or when there is no reference to test
/// against). For a model without bootstrap refits (before `model.json` version 4), the spread
/// measured on its holdout.
pub fn estimate_spread(
    model: &driftscope_artifacts::ModelArtifact,
    sorted: &[f64],
    threshold: f64,
    reference: &[f64],
) -> CalibrationTerm {
    let (Some(c), Some(b)) = (&model.calibration, &model.calibration_bootstrap) else {
        return CalibrationTerm {
            spread: model.calibration_uncertainty,
            note: None,
        };
    };
    let (residual, note) = batch_residual(model.calibration_residual, sorted, reference);
    let spread = driftscope_performance::batch_calibration_spread(
        sorted,
        threshold,
        c,
        b,
        residual.as_ref(),
    );
    CalibrationTerm {
        note: note.filter(|_| spread.is_some()),
        spread: spread.or(model.calibration_uncertainty),
    }
}

/// The model's residual `residual` and the note saying why, when the batch's probabilities
/// `sorted` are shifted from the reference's (see [`estimate_spread`]); `(None, None)` when
/// they are not or the residual is zero.
fn batch_residual(
    residual: Option<MetricSpread>,
    sorted: &[f64],
    reference: &[f64],
) -> (Option<MetricSpread>, Option<String>) {
    let residual = residual.filter(|r| r.auc > 0.0 || r.accuracy > 0.0 || r.f1 > 0.0);
    match (residual, residual.and_then(|_| score_shift(sorted, reference))) {
        (Some(r), Some(why)) => (
            Some(r),
            Some(format!(
                "{why}: every metric's interval includes the calibration error measured between forests (AUC sd {:.4}, accuracy sd {:.4})",
                r.auc, r.accuracy
            )),
        ),
        _ => (None, None),
    }
}

/// The gate's rule: a KS p-value below [`SCORE_SHIFT_ALPHA`] counts as shifted.
fn shifted(p_value: f64) -> bool {
    p_value < SCORE_SHIFT_ALPHA
}

/// Why the batch's probabilities `sorted` count as shifted from the reference sample's
/// (`reference`), or `None` when a KS test at [`SCORE_SHIFT_ALPHA`] finds no difference.
fn score_shift(sorted: &[f64], reference: &[f64]) -> Option<String> {
    use driftscope_drift::{ks_2samp, Sorted};
    let test = Sorted::from_sorted(sorted)
        .and_then(|a| Ok((a, Sorted::from_sorted(reference)?)))
        .and_then(|(a, r)| ks_2samp(&a, &r));
    match test {
        Ok(t) if !shifted(t.p_value) => None,
        Ok(t) => Some(format!(
            "the batch's probabilities are distributed unlike the reference sample's (KS D = {:.3}, p = {:.2e} < {SCORE_SHIFT_ALPHA})",
            t.statistic, t.p_value
        )),
        Err(_) => Some("the batch's probabilities could not be compared with the reference sample's".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 400 evenly spaced reference probabilities and 200 batch ones shifted by `shift`.
    fn samples(shift: f64) -> (Vec<f64>, Vec<f64>) {
        let reference = (0..400).map(|i| (f64::from(i) + 0.5) / 400.0).collect();
        let batch = (0..200)
            .map(|i| (f64::from(i) + 0.5) / 200.0 + shift)
            .collect();
        (batch, reference)
    }

    fn spread(v: f64) -> MetricSpread {
        MetricSpread {
            auc: v,
            accuracy: v,
            precision: v,
            recall: v,
            f1: v,
        }
    }

    #[test]
    fn the_residual_is_added_when_the_scores_differ_at_the_five_percent_level() {
        // scipy.stats.ks_2samp of these samples: shift 0.112 -> D 0.115, p 0.05723;
        // shift 0.114 -> D 0.1175, p 0.04896.
        let r = Some(spread(0.01));
        let (b, reference) = samples(0.112);
        assert_eq!(batch_residual(r, &b, &reference), (None, None));
        let (b, reference) = samples(0.114);
        let (added, note) = batch_residual(r, &b, &reference);
        assert_eq!(added, r);
        let note = note.unwrap();
        assert!(
            note.contains("D = 0.117") && note.contains("p = 4.90e-2"),
            "{note}"
        );
        // The same batch as the reference: nothing added.
        let (_, reference) = samples(0.0);
        assert_eq!(batch_residual(r, &reference, &reference), (None, None));
    }

    #[test]
    fn the_gate_opens_strictly_below_its_level() {
        assert!(shifted(0.049_999));
        assert!(!shifted(SCORE_SHIFT_ALPHA));
        assert!(!shifted(0.050_001));
    }

    #[test]
    fn no_residual_or_no_reference() {
        let (b, reference) = samples(0.3);
        // A zero residual (or none) adds nothing and says nothing, shifted or not.
        assert_eq!(
            batch_residual(Some(spread(0.0)), &b, &reference),
            (None, None)
        );
        assert_eq!(batch_residual(None, &b, &reference), (None, None));
        // No reference probabilities to compare with: the residual is added, and said why.
        let (added, note) = batch_residual(Some(spread(0.01)), &b, &[]);
        assert_eq!(added, Some(spread(0.01)));
        assert!(note.unwrap().contains("could not be compared"));
    }
}
