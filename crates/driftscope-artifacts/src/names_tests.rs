//! Every closed set's `as_str()` is its serde name, and both round-trip.

use crate::*;

fn check<T>(all: &[T], as_str: fn(&T) -> &'static str)
where
    T: serde::Serialize
        + serde::de::DeserializeOwned
        + PartialEq
        + std::fmt::Debug
        + std::fmt::Display,
{
    for v in all {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(json, format!("\"{}\"", as_str(v)), "{v:?}");
        assert_eq!(v.to_string(), as_str(v));
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, v);
    }
}

#[test]
fn serde_names_are_the_words() {
    check(AlertType::ALL, |v| v.as_str());
    check(AlertSeverity::ALL, |v| v.as_str());
    check(RetrainingPriority::ALL, |v| v.as_str());
    check(PredictionSource::ALL, |v| v.as_str());
    check(Diagnosis::ALL, |v| v.as_str());
    check(Severity::ALL, |v| v.as_str());
    check(CalibratedTest::ALL, |v| v.as_str());
    check(EvaluationScope::ALL, |v| v.as_str());
    check(ComparisonMetric::ALL, |v| v.as_str());
    check(Recommendation::ALL, |v| v.as_str());
    check(ChampionChange::ALL, |v| v.as_str());
    check(Action::ALL, |v| v.as_str());
    check(Direction::ALL, |v| v.as_str());
    check(FeatureType::ALL, |v| v.as_str());
}

#[test]
fn words_are_unchanged() {
    let words: Vec<&str> = AlertType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        words,
        [
            "DATA_DRIFT",
            "CONCEPT_DRIFT",
            "PERFORMANCE_THRESHOLD_VIOLATION",
            "ERROR_RATE_INCREASE",
            "DATA_QUALITY",
            "PREDICTION_DRIFT",
            "SILENT_FAILURE",
            "PERFORMANCE_ESTIMATE"
        ]
    );
    assert_eq!(AlertSeverity::High.as_str(), "HIGH");
    assert_eq!(
        RetrainingPriority::from(AlertSeverity::Medium).as_str(),
        "medium"
    );
    assert_eq!(
        Diagnosis::DataAndConceptDrift.as_str(),
        "data_and_concept_drift"
    );
    assert!(
        AlertSeverity::Low < AlertSeverity::Medium && AlertSeverity::Medium < AlertSeverity::High
    );
    assert!(Severity::None < Severity::Low && Severity::Medium < Severity::High);
}

#[test]
fn version_1_histories_and_comparisons_still_read() {
    let entry = r#"{"batch_id": "b", "timestamp": "2026-01-01T00:00:00Z", "model_version": "m",
        "rows": 10, "metrics": null, "expected_auc": null, "predicted_positive_rate": 0.2,
        "diagnosis": "none", "drift_share": 0.0}"#;
    let file = format!(
        r#"{{"kind": "performance_history", "schema_version": 1, "producer": "driftscope 0.1.0",
        "entries": [{entry}, {entry}]}}"#
    );
    let h: PerformanceHistory =
        parse_artifact(std::path::Path::new("p.json"), file.as_bytes()).unwrap();
    assert_eq!(h.entries[0].sequence, 0);
    assert_eq!(h.next_sequence(), 1);
    assert!(std::ptr::eq(h.monitored_last().unwrap(), &h.entries[1]));
}
