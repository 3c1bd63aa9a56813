//! Champion/challenger: whether to deploy the challenger, from scores on the same time-ordered
//! holdout rows and a paired noise interval of their difference.

use driftscope_artifacts::{ComparisonMetric, Recommendation};

/// What the comparison measured (no file, no model: numbers in, decision out).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ComparisonEvidence {
    /// `retraining.model_comparison_metric`.
    pub metric: ComparisonMetric,
    /// Champion's metric on the holdout.
    pub champion: f64,
    /// Challenger's metric on the holdout.
    pub challenger: f64,
    /// Absolute floor the deployed model must clear (`performance.min_auc` for AUC,
    /// `performance.min_accuracy` for accuracy), when the metric has one.
    pub floor: Option<f64>,
    /// Lower end of the paired interval of challenger - champion.
    pub difference_lower: f64,
    /// Upper end of that interval.
    pub difference_upper: f64,
}

/// Deploy only when the challenger clears the floor AND the whole paired interval of the
/// difference lies above 0 (better beyond noise). Otherwise `investigate` when the champion
/// misses the floor too (neither model is fit), else `keep`. The reasons say what blocks.
pub fn deployment_decision(e: &ComparisonEvidence) -> (Recommendation, Vec<String>) {
    let m = e.metric;
    let mut reasons = vec![format!(
        "{m} on the holdout: challenger {:.4}, champion {:.4} ({:+.4}; paired interval [{:+.4}, {:+.4}])",
        e.challenger,
        e.champion,
        e.challenger - e.champion,
        e.difference_lower,
        e.difference_upper
    )];
    let clears = |v: f64| e.floor.is_none_or(|f| v >= f);
    let (challenger_fit, champion_fit) = (clears(e.challenger), clears(e.champion));
    let beyond_noise = e.difference_lower > 0.0;
    let floor = e.floor.unwrap_or(f64::NAN);
    if !challenger_fit {
        reasons.push(format!(
            "blocked: the challenger's {m} {:.4} is below the floor {floor:.2}",
            e.challenger
        ));
    }
    if !beyond_noise {
        reasons.push(format!(
            "blocked: the challenger is not better than the champion beyond noise (the interval's lower end {:+.4} is not above 0)",
            e.difference_lower
        ));
    }
    let rec = if challenger_fit && beyond_noise {
        reasons.push(
            "deploy: the challenger clears the floor and beats the champion beyond noise".into(),
        );
        Recommendation::Deploy
    } else if !champion_fit {
        reasons.push(format!(
            "neither model is fit for these customers (champion's {m} {:.4} is below the floor {floor:.2} too); investigate the data and the features before deploying either",
            e.champion
        ));
        Recommendation::Investigate
    } else {
        reasons.push("keep the champion".into());
        Recommendation::Keep
    };
    (rec, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(champion: f64, challenger: f64, lower: f64) -> ComparisonEvidence {
        ComparisonEvidence {
            metric: ComparisonMetric::Auc,
            champion,
            challenger,
            floor: Some(0.70),
            difference_lower: lower,
            difference_upper: lower + 0.05,
        }
    }

    #[test]
    fn boundaries() {
        // (champion, challenger, interval lower end, expected)
        let cases = [
            // The reported case: both far below the floor.
            (0.340, 0.414, 0.02, Recommendation::Investigate),
            // Challenger exactly on the floor, better beyond noise: deploy.
            (0.65, 0.70, 0.01, Recommendation::Deploy),
            // Challenger just below the floor: champion unfit too -> investigate.
            (0.65, 0.6999, 0.01, Recommendation::Investigate),
            // Champion fit, challenger below the floor: keep.
            (0.75, 0.6999, 0.01, Recommendation::Keep),
            // Lower end exactly 0: not beyond noise.
            (0.75, 0.80, 0.0, Recommendation::Keep),
            // Lower end just above 0: deploy.
            (0.75, 0.80, 1e-9, Recommendation::Deploy),
            // Champion unfit, challenger fit but within noise: investigate.
            (0.69, 0.71, -0.01, Recommendation::Investigate),
        ];
        for (c, x, lo, want) in cases {
            let (got, reasons) = deployment_decision(&ev(c, x, lo));
            assert_eq!(
                got, want,
                "champion {c} challenger {x} lower {lo}: {reasons:?}"
            );
            if want != Recommendation::Deploy {
                assert!(
                    reasons.iter().any(|r| r.starts_with("blocked")),
                    "{reasons:?}"
                );
            }
        }
    }

    #[test]
    fn the_reported_case_names_the_blocker() {
        let (_, reasons) = deployment_decision(&ev(0.340, 0.414, 0.02));
        let text = reasons.join("\n");
        assert!(
            text.contains("neither model is fit for these customers"),
            "{text}"
        );
        assert!(text.contains("below the floor 0.70"), "{text}");
    }

    #[test]
    fn no_floor_for_metrics_without_one() {
        let mut e = ev(0.2, 0.3, 0.01);
        e.metric = ComparisonMetric::F1;
        e.floor = None;
        assert_eq!(deployment_decision(&e).0, Recommendation::Deploy);
    }
}
