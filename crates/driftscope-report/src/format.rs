//! How numbers and labels are written on the site and in the reports.

use driftscope_artifacts::{Action, AlertSeverity, AlertType, Diagnosis, PartStatus};

/// The diagnosis in words.
pub(crate) fn diagnosis_text(d: Diagnosis) -> &'static str {
    match d {
        Diagnosis::None => "no drift",
        Diagnosis::DataDrift => "data drift",
        Diagnosis::ConceptDrift => "concept drift",
        Diagnosis::DataAndConceptDrift => "data and concept drift",
    }
}

/// Alert severities, most severe first (the order of every table and chart).
pub(crate) const SEVERITIES: [AlertSeverity; 3] = [
    AlertSeverity::High,
    AlertSeverity::Medium,
    AlertSeverity::Low,
];

/// The alert types in the order the Alerts page shows them.
pub(crate) const ALERT_TYPES: [AlertType; 8] = [
    AlertType::DataDrift,
    AlertType::ConceptDrift,
    AlertType::PerformanceThresholdViolation,
    AlertType::ErrorRateIncrease,
    AlertType::DataQuality,
    AlertType::PredictionDrift,
    AlertType::SilentFailure,
    AlertType::PerformanceEstimate,
];

/// The severity as written in artifacts and on the site (`HIGH`, ...).
pub(crate) fn severity_word(s: AlertSeverity) -> &'static str {
    match s {
        AlertSeverity::High => "HIGH",
        AlertSeverity::Medium => "MEDIUM",
        AlertSeverity::Low => "LOW",
    }
}

/// The alert type as written in artifacts (`DATA_DRIFT`, ...).
pub(crate) fn alert_type_word(t: AlertType) -> &'static str {
    match t {
        AlertType::DataDrift => "DATA_DRIFT",
        AlertType::ConceptDrift => "CONCEPT_DRIFT",
        AlertType::PerformanceThresholdViolation => "PERFORMANCE_THRESHOLD_VIOLATION",
        AlertType::ErrorRateIncrease => "ERROR_RATE_INCREASE",
        AlertType::DataQuality => "DATA_QUALITY",
        AlertType::PredictionDrift => "PREDICTION_DRIFT",
        AlertType::SilentFailure => "SILENT_FAILURE",
        AlertType::PerformanceEstimate => "PERFORMANCE_ESTIMATE",
    }
}

/// The alert type in plain words (what a reader says aloud).
pub(crate) fn alert_type_text(t: AlertType) -> &'static str {
    match t {
        AlertType::DataDrift => "inputs drifted",
        AlertType::ConceptDrift => "inputs no longer predict churn as before",
        AlertType::PerformanceThresholdViolation => "performance below its minimum",
        AlertType::ErrorRateIncrease => "more wrong predictions",
        AlertType::DataQuality => "broken or unexpected data",
        AlertType::PredictionDrift => "predictions shifted",
        AlertType::SilentFailure => "predictions look broken",
        AlertType::PerformanceEstimate => "estimated performance below its minimum",
    }
}

/// The severity in lower case (the CSS class of its badge too).
pub(crate) fn severity_text(s: AlertSeverity) -> &'static str {
    match s {
        AlertSeverity::High => "high",
        AlertSeverity::Medium => "medium",
        AlertSeverity::Low => "low",
    }
}

/// The recommended action as an instruction.
pub(crate) fn action_text(a: Action) -> &'static str {
    match a {
        Action::None => "No action needed: keep monitoring",
        Action::Watch => "Keep watching: no retraining yet",
        Action::FixDataPipeline => "Fix the data pipeline before anything else",
        Action::Retrain => "Retrain the model",
        Action::RetrainAndReviewFeatures => "Retrain the model and review its features",
        Action::Rollback => "Roll back to the previous model",
    }
}

/// A part's verdict in words.
pub(crate) fn part_status_text(s: PartStatus) -> &'static str {
    match s {
        PartStatus::NotChecked => "not checked",
        PartStatus::Ok => "ok",
        PartStatus::Watch => "watch",
        PartStatus::Problem => "problem",
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An RFC 3339 timestamp as a date a person reads ("5 Jan 2026"); the text itself when it does
/// not start with a date.
pub(crate) fn readable_date(ts: &str) -> String {
    let parts: Vec<&str> = ts.get(..10).unwrap_or("").split('-').collect();
    let parsed = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => match (y.parse::<u32>(), m.parse::<usize>(), d.parse::<u32>())
        {
            (Ok(y), Ok(m @ 1..=12), Ok(d @ 1..=31)) => Some(format!("{d} {} {y}", MONTHS[m - 1])),
            _ => None,
        },
        _ => None,
    };
    parsed.unwrap_or_else(|| ts.to_string())
}

/// `text` with every decimal number of more than four decimals rounded to four significant
/// figures (alert details carry raw floats such as 0.8454730661226981).
pub(crate) fn round_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
            .unwrap_or(tail.len());
        let token = tail[..end].trim_end_matches(['.', '-', 'e']);
        let decimals = token.split_once('.').map_or(0, |(_, f)| f.len());
        match token.parse::<f64>() {
            Ok(v) if decimals > 4 => out.push_str(&significant(v, 4)),
            _ => out.push_str(token),
        }
        rest = &tail[token.len()..];
    }
    out.push_str(rest);
    out
}

/// A reason written by the monitor, for a reader rather than an engineer: raw floats rounded,
/// alert identifiers (`CONCEPT_DRIFT`) as their plain names, `z = 33.4` and `13.1 standard
/// errors` as how many times the gap chance alone typically produces, `psi 2.598` with its
/// meaning, `auc` as AUC and a configuration key (`section.key 0.05`) as "the configured limit".
/// Identifiers stay in the details cells, where they are labelled.
pub(crate) fn plain_text(text: &str) -> String {
    let mut s = round_numbers(text);
    for t in ALERT_TYPES {
        s = s.replace(alert_type_word(t), alert_type_text(t));
    }
    let words: Vec<&str> = s.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let (w, next) = (words[i], words.get(i + 1).copied().unwrap_or(""));
        let number = next.trim_end_matches([',', ')', ';']);
        let tail = &next[number.len()..];
        let value = number.parse::<f64>().ok();
        let bare = w.trim_start_matches('(');
        let open = &w[..w.len() - bare.len()];
        match (bare, value) {
            ("z", _) if next == "=" => {
                let z = words.get(i + 2).copied().unwrap_or("");
                let n = z.trim_end_matches([',', ')', ';']);
                out.push(format!(
                    "{n} times the gap chance alone typically produces{}",
                    &z[n.len()..]
                ));
                i += 3;
                continue;
            }
            ("psi", Some(v)) => out.push(format!("{open}PSI {number}, {}{tail}", psi_meaning(v))),
            (_, Some(_)) if is_config_key(bare) => {
                out.push(format!("{open}the configured limit {next}"));
            }
            ("standard", _) if next.starts_with("errors") => {
                out.push(format!(
                    "times the gap chance alone typically produces{}",
                    &next["errors".len()..]
                ));
            }
            _ => {
                out.push(if w == "auc" {
                    "AUC".into()
                } else {
                    w.to_string()
                });
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    out.join(" ")
}

/// What a PSI value means (the glossary's scale).
pub(crate) fn psi_meaning(v: f64) -> &'static str {
    if v < 0.1 {
        "stable"
    } else if v < 0.2 {
        "a moderate shift"
    } else {
        "a large shift"
    }
}

/// `section.key`: lower-case words joined by one dot (a configuration key).
fn is_config_key(w: &str) -> bool {
    w.split_once('.').is_some_and(|(a, b)| {
        [a, b]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    })
}

/// `v` with `digits` significant figures, without trailing zeros.
pub(crate) fn significant(v: f64, digits: i32) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).clamp(0, 10) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A value with four decimals, or a dash when absent.
pub(crate) fn f4(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.4}"))
}

/// A p-value: four decimals, scientific below 1e-4, a dash when absent.
pub(crate) fn p_value(v: Option<f64>) -> String {
    v.map_or_else(
        || "–".into(),
        |v| {
            if v < 1e-4 {
                format!("{v:.1e}")
            } else {
                format!("{v:.4}")
            }
        },
    )
}

/// A share as a percentage with one decimal.
pub(crate) fn percent(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_gives_every_statistic_its_meaning_and_no_identifier() {
        use super::plain_text;
        assert_eq!(
            plain_text("CONCEPT_DRIFT (high): error rate 0.819 vs 0.323 expected for these inputs (+154%, z = 33.4); AUC 0.374 vs 0.705 expected (drop 0.331, 13.1 standard errors)"),
            "inputs no longer predict churn as before (high): error rate 0.819 vs 0.323 expected for these inputs (+154%, 33.4 times the gap chance alone typically produces); AUC 0.374 vs 0.705 expected (drop 0.331, 13.1 times the gap chance alone typically produces)"
        );
        assert_eq!(
            plain_text("predicted probabilities moved (psi 2.598); rate 0.05"),
            "predicted probabilities moved (PSI 2.598, a large shift); rate 0.05"
        );
        assert_eq!(
            plain_text("psi 0.15, psi 0.01"),
            "PSI 0.15, a moderate shift, PSI 0.01, stable"
        );
        assert_eq!(
            plain_text("performance decay: auc is 55.2% below the baseline (concept_drift.performance_decay_threshold 0.05)"),
            "performance decay: AUC is 55.2% below the baseline (the configured limit 0.05)"
        );
        // Not a key, not a statistic: unchanged.
        assert_eq!(
            plain_text("see batch.csv now; z-score"),
            "see batch.csv now; z-score"
        );
    }

    use super::*;

    #[test]
    fn words_match_the_artifact_spelling() {
        for t in ALERT_TYPES {
            let json = serde_json::to_value(t).unwrap();
            assert_eq!(json.as_str(), Some(alert_type_word(t)));
        }
        for s in SEVERITIES {
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(json.as_str(), Some(severity_word(s)));
        }
    }

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(f4(None), "–");
        assert_eq!(f4(Some(0.123456)), "0.1235");
        assert_eq!(p_value(Some(0.00001)), "1.0e-5");
        assert_eq!(p_value(Some(0.5)), "0.5000");
        assert_eq!(percent(0.0123), "1.2%");
        assert_eq!(readable_date("2026-01-05T00:00:00Z"), "5 Jan 2026");
        assert_eq!(readable_date("t"), "t");
        assert_eq!(
            round_numbers("AUC 0.8454730661226981 below 0.7 (z = 39.61234)"),
            "AUC 0.8455 below 0.7 (z = 39.61)"
        );
        assert_eq!(round_numbers("batch-02, 1.5e-7x"), "batch-02, 1.5e-7x");
    }
}
