//! The overview's story of the latest batch in three plain sentences: what happened, why, what
//! to do. Built from the monitoring result's fields, never from its technical reason strings,
//! so no identifier in capitals and no statistic without its meaning reaches the reader.

use driftscope_artifacts::{
    Action, AlertSeverity, AlertType, ClassificationMetrics, Diagnosis, MonitoringResult,
    PartStatus,
};
use serde::Serialize;

use super::batch::predicted_rate;
use crate::format::readable_date;

/// One sentence and the page that shows its evidence (root-relative).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sentence {
    pub text: String,
    pub evidence: String,
    pub href: String,
}

/// What happened, why, what to do; `batch_href` is the latest batch's page.
pub(crate) fn story(
    r: &MonitoringResult,
    base: &ClassificationMetrics,
    features: usize,
    batch_href: &str,
) -> Vec<Sentence> {
    vec![
        Sentence {
            text: what_happened(r, base),
            evidence: "the batch's page".into(),
            href: batch_href.into(),
        },
        Sentence {
            text: why(r, features),
            evidence: "drift and diagnosis".into(),
            href: batch_href.into(),
        },
        Sentence {
            text: what_to_do(r.retraining.action),
            evidence: "the recommendation".into(),
            href: "reports.html".into(),
        },
    ]
}

/// The ranking quality in words: "0.37, worse than a coin toss (0.5)".
fn auc_words(auc: f64) -> String {
    let judgement = if auc < 0.5 {
        "worse than a coin toss (0.5)"
    } else if auc < 0.6 {
        "barely better than a coin toss (0.5)"
    } else if auc < 0.7 {
        "weak"
    } else if auc < 0.8 {
        "fair"
    } else {
        "good"
    };
    format!("{auc:.2} out of 1, {judgement}")
}

fn what_happened(r: &MonitoringResult, base: &ClassificationMetrics) -> String {
    let when = format!(
        "On {} the model scored {} customers (batch {})",
        readable_date(&r.timestamp),
        r.rows,
        r.batch_id
    );
    let flagged = predicted_rate(r).map_or_else(String::new, |p| {
        format!(
            "; it flagged {:.0}% of them as likely to leave, against {:.0}% at training",
            p * 100.0,
            base.predicted_positive_rate * 100.0
        )
    });
    match (&r.performance, base.auc) {
        (Some(m), Some(b)) => {
            let auc = m.auc.map_or_else(
                || "could not be measured".to_string(),
                |a| format!("was {}", auc_words(a)),
            );
            format!(
                "{when}{flagged}, and {:.1}% actually left. Its ability to tell leavers from stayers {auc}, against {b:.2} at training.",
                m.positive_rate * 100.0
            )
        }
        _ => format!("{when}{flagged}. Who actually left is not known yet, so its accuracy can only be estimated."),
    }
}

/// Whether any alert of `t` at `min` or above fired.
fn fired(r: &MonitoringResult, t: AlertType, min: AlertSeverity) -> bool {
    r.alerts
        .iter()
        .any(|a| a.alert_type == t && a.severity >= min)
}

fn why(r: &MonitoringResult, features: usize) -> String {
    let part = |f: fn(&driftscope_artifacts::DiagnosisParts) -> PartStatus| r.parts.as_ref().map(f);
    let quality = part(|p| p.data_quality.status) == Some(PartStatus::Problem)
        || fired(r, AlertType::DataQuality, AlertSeverity::Medium);
    let concept = part(|p| p.concept_drift.status) == Some(PartStatus::Problem)
        || matches!(
            r.diagnosis,
            Diagnosis::ConceptDrift | Diagnosis::DataAndConceptDrift
        );
    let drifted = r.data_drift.alerting_drifted();
    let data = !drifted.is_empty();
    let below = part(|p| p.performance.status) == Some(PartStatus::Problem)
        || fired(
            r,
            AlertType::PerformanceThresholdViolation,
            AlertSeverity::Low,
        )
        || fired(r, AlertType::PerformanceEstimate, AlertSeverity::Low);
    let mut causes = Vec::new();
    if quality {
        causes.push(
            "the incoming data is broken or incomplete (missing or never-seen values)".to_string(),
        );
    }
    if data {
        // Largest shift first.
        let psi = |name: &str| {
            r.data_drift
                .features
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.psi)
                .unwrap_or(0.0)
        };
        let mut by_shift: Vec<&str> = drifted.iter().map(String::as_str).collect();
        by_shift.sort_by(|a, b| psi(b).total_cmp(&psi(a)));
        let names: Vec<&str> = by_shift.into_iter().take(3).collect();
        let more = if drifted.len() > 3 { " and others" } else { "" };
        causes.push(format!(
            "these customers look different from the ones the model learnt from ({} of {features} characteristics changed, most of all {}{more})",
            drifted.len(),
            names.join(", ")
        ));
    }
    if concept {
        causes.push("the link between customer characteristics and leaving has changed, so the model does worse than it should even for customers like these".into());
    } else if below {
        causes.push("the model performs below its agreed minimum".into());
    }
    if causes.is_empty() {
        return "Why: nothing stands out; the customers look like the ones the model learnt from and it performs as expected.".into();
    }
    format!("Why: {}.", join_words(&causes))
}

/// "a", "a and b", "a, b and c".
fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn what_to_do(a: Action) -> String {
    match a {
        Action::None => "What to do: nothing; keep monitoring the next batches.",
        Action::Watch => "What to do: no retraining yet; keep watching the next batches, because the model still performs as it should for these customers.",
        Action::FixDataPipeline => "What to do: fix the data feed first; retraining on broken data would teach the model the errors.",
        Action::Retrain => "What to do: retrain the model on recent customers and compare it with the current one before switching.",
        Action::RetrainAndReviewFeatures => "What to do: retrain the model on recent customers and review whether its inputs still capture why customers leave.",
        Action::Rollback => "What to do: switch back to the previous model, which did fine on the batch before; then investigate the new one.",
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{baseline, two_batches};

    /// A run of five or more capitals or underscores: an identifier, not a word.
    fn identifiers(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut run = String::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_uppercase() || c == '_' {
                run.push(c);
            } else {
                if run.len() >= 5 {
                    out.push(run.clone());
                }
                run.clear();
            }
        }
        out
    }

    #[test]
    fn the_story_is_plain_words() {
        assert_eq!(identifiers("a DATA_DRIFT and PSI"), ["DATA_DRIFT"]);
        let base = baseline().holdout;
        for action in Action::ALL {
            let mut r = two_batches().remove(1);
            r.retraining.action = *action;
            let s = story(&r, &base, 2, "batches/batch-b2.html");
            assert_eq!(s.len(), 3);
            for sentence in &s {
                assert!(identifiers(&sentence.text).is_empty(), "{}", sentence.text);
                assert!(!sentence.text.contains("z ="), "{}", sentence.text);
            }
            assert!(
                s[0].text.starts_with("On 2 Jan 2026 the model scored"),
                "{}",
                s[0].text
            );
            assert!(
                s[1].text.contains("2 of 2 characteristics changed"),
                "{}",
                s[1].text
            );
            assert!(s[2].text.starts_with("What to do: "), "{}", s[2].text);
        }
    }

    #[test]
    fn the_ranking_quality_is_explained() {
        assert_eq!(
            auc_words(0.374),
            "0.37 out of 1, worse than a coin toss (0.5)"
        );
        assert_eq!(auc_words(0.84), "0.84 out of 1, good");
    }
}
