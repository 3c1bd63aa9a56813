//! How numbers and labels are written on the site and in the reports.

use driftscope_artifacts::{AlertSeverity, AlertType, Diagnosis};

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
    }
}
