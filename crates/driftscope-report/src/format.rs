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
