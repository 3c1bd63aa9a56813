//! The `rollback` action: a champion that started to fail right after it replaced one that
//! was fine.

use driftscope_artifacts::{Action, RetrainingDecision};

/// The champion changed between the previous batch (in time order) and this one.
#[derive(Debug, Clone, PartialEq)]
pub struct ChampionSwitch {
    /// The champion that scored the previous batch.
    pub previous_version: String,
    /// That batch.
    pub previous_batch: String,
    /// Whether that batch's action was `none` or `watch` (the previous champion was fine).
    pub previous_fine: bool,
    /// The champion now.
    pub current_version: String,
}

/// Turns a retraining decision into `rollback` when the champion changed since the previous
/// batch, that batch was fine under the previous champion, and this batch calls for
/// retraining (a performance condition not explained by the inputs). Rolling back is quicker
/// and safer than retraining: the previous champion is known to work on this traffic. Any
/// other decision is returned unchanged (a data-quality incident stays `fix_data_pipeline`).
///
/// # Example
/// ```
/// use driftscope_alerting::{rollback_advice, ChampionSwitch};
/// use driftscope_artifacts::{Action, RetrainingDecision, RetrainingPriority};
/// let mut d = RetrainingDecision {
///     batch_id: "b2".into(), timestamp: "t".into(), should_retrain: true,
///     priority: RetrainingPriority::High, reasons: vec!["CONCEPT_DRIFT".into()],
///     samples_available: 900, samples_required: 500,
///     action: Action::Retrain, action_reason: "retrain".into(),
/// };
/// let s = ChampionSwitch { previous_version: "m-1".into(), previous_batch: "b1".into(),
///     previous_fine: true, current_version: "m-2".into() };
/// rollback_advice(&mut d, Some(&s));
/// assert_eq!(d.action, Action::Rollback);
/// assert!(!d.should_retrain);
/// ```
pub fn rollback_advice(d: &mut RetrainingDecision, switch: Option<&ChampionSwitch>) {
    let Some(s) = switch.filter(|s| s.previous_fine) else {
        return;
    };
    if !matches!(d.action, Action::Retrain | Action::RetrainAndReviewFeatures) {
        return;
    }
    d.action = Action::Rollback;
    d.should_retrain = false;
    d.action_reason = format!(
        "performance failed right after the champion changed from {} to {}, and {} was fine on {}: roll back with `driftscope rollback` ({})",
        s.previous_version, s.current_version, s.previous_version, s.previous_batch, d.reasons.first().map_or("", String::as_str)
    );
}

#[cfg(test)]
mod tests {
    use driftscope_artifacts::RetrainingPriority;

    use super::*;

    fn decision(action: Action) -> RetrainingDecision {
        RetrainingDecision {
            batch_id: "b2".into(),
            timestamp: "t".into(),
            should_retrain: matches!(action, Action::Retrain | Action::RetrainAndReviewFeatures),
            priority: RetrainingPriority::High,
            reasons: vec!["CONCEPT_DRIFT (high): AUC fell".into()],
            samples_available: 900,
            samples_required: 500,
            action,
            action_reason: String::new(),
        }
    }

    fn switch(previous_fine: bool) -> ChampionSwitch {
        ChampionSwitch {
            previous_version: "m-1".into(),
            previous_batch: "b1".into(),
            previous_fine,
            current_version: "m-2".into(),
        }
    }

    #[test]
    fn rollback_only_after_a_switch_from_a_fine_champion_when_retraining_is_called_for() {
        for action in [Action::Retrain, Action::RetrainAndReviewFeatures] {
            let mut d = decision(action);
            rollback_advice(&mut d, Some(&switch(true)));
            assert_eq!(d.action, Action::Rollback);
            assert!(!d.should_retrain);
            assert!(d.action_reason.contains("driftscope rollback"), "{d:?}");
            assert!(d.action_reason.contains("m-1") && d.action_reason.contains("b1"));
        }
        // No switch, a previous champion that was not fine, or no retraining called for:
        // unchanged.
        let cases = [
            (Action::Retrain, None),
            (Action::Retrain, Some(switch(false))),
            (Action::Watch, Some(switch(true))),
            (Action::FixDataPipeline, Some(switch(true))),
            (Action::None, Some(switch(true))),
        ];
        for (action, s) in cases {
            let mut d = decision(action);
            let before = d.clone();
            rollback_advice(&mut d, s.as_ref());
            assert_eq!(d, before);
        }
    }
}
