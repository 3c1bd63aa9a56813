//! `driftscope export --format prometheus`: the latest monitoring state in the Prometheus text
//! exposition format (version 0.0.4), for node_exporter's textfile collector or a Pushgateway.
//!
//! Every metric is a gauge of the batch monitored last (largest monitoring `sequence`), except
//! the incident counts, which cover the whole history. Batch ids are not labels (they would
//! make a new series per batch); `driftscope_last_batch_info` carries them.

use std::fmt::Write as _;
use std::path::Path;

use driftscope_artifacts::{
    AlertSeverity, DriftVerdict, Incident, IncidentStatus, MonitoringResult,
};

use crate::args::ExportArgs;
use crate::error::{Context, Result};
use crate::store::ArtifactStore;

/// First line of every export: `export --out` overwrites only files that start with it.
pub const EXPORT_HEADER: &str = "# driftscope export: Prometheus text format";

/// A metric family being written: `# HELP`, `# TYPE gauge`, then samples.
struct Family<'a> {
    out: &'a mut String,
    name: &'static str,
}

impl<'a> Family<'a> {
    fn new(out: &'a mut String, name: &'static str, help: &str) -> Family<'a> {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        Family { out, name }
    }

    fn sample(&mut self, labels: &[(&str, &str)], value: f64) {
        let name = self.name;
        let labels: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
            .collect();
        let value = if value.is_finite() {
            format!("{value}")
        } else {
            "NaN".into()
        };
        if labels.is_empty() {
            let _ = writeln!(self.out, "{name} {value}");
        } else {
            let _ = writeln!(self.out, "{name}{{{}}} {value}", labels.join(","));
        }
    }
}

/// A label value escaped as the exposition format requires (backslash, quote, newline).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn flag(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// The exposition text of `latest` (the batch monitored last), the history's `incidents` and
/// the number of batches monitored. Pure.
pub fn prometheus_text(
    latest: &MonitoringResult,
    incidents: &[Incident],
    batches: usize,
) -> String {
    let mut out = format!("{EXPORT_HEADER}\n");
    batch_metrics(&mut out, latest, batches);
    drift_metrics(&mut out, latest);
    performance_metrics(&mut out, latest);
    alert_metrics(&mut out, latest, incidents);
    out
}

fn batch_metrics(out: &mut String, r: &MonitoringResult, batches: usize) {
    let mut f = Family::new(
        out,
        "driftscope_last_batch_info",
        "The batch monitored last (value 1).",
    );
    f.sample(
        &[
            ("batch_id", &r.batch_id),
            ("model_version", &r.model_version),
            ("diagnosis", r.diagnosis.as_str()),
            ("action", r.retraining.action.as_str()),
        ],
        1.0,
    );
    let ts = chrono::DateTime::parse_from_rfc3339(&r.timestamp)
        .map_or(f64::NAN, |t| t.timestamp() as f64);
    let mut f = Family::new(
        out,
        "driftscope_last_batch_timestamp_seconds",
        "Timestamp of the batch monitored last (Unix seconds).",
    );
    f.sample(&[], ts);
    let mut f = Family::new(
        out,
        "driftscope_last_batch_rows",
        "Rows of the batch monitored last.",
    );
    f.sample(&[], r.rows as f64);
    let mut f = Family::new(
        out,
        "driftscope_batches_monitored",
        "Batches in the performance history.",
    );
    f.sample(&[], batches as f64);
    let mut f = Family::new(
        out,
        "driftscope_retrain_recommended",
        "1 when the latest decision is to retrain.",
    );
    f.sample(&[], flag(r.retraining.should_retrain));
}

fn drift_metrics(out: &mut String, r: &MonitoringResult) {
    let d = &r.data_drift;
    let mut f = Family::new(
        out,
        "driftscope_feature_psi",
        "PSI of each feature, latest batch vs reference.",
    );
    for x in &d.features {
        if let Some(psi) = x.psi {
            f.sample(&[("feature", &x.name)], psi);
        }
    }
    let mut f = Family::new(
        out,
        "driftscope_feature_drift_detected",
        "1 when the verdict flags the feature (verdict: psi_kl or size_aware).",
    );
    for x in &d.features {
        f.sample(
            &[
                ("feature", &x.name),
                ("verdict", DriftVerdict::PsiKl.as_str()),
            ],
            flag(x.drift_detected),
        );
        if let Some(c) = &x.calibrated {
            f.sample(
                &[
                    ("feature", &x.name),
                    ("verdict", DriftVerdict::SizeAware.as_str()),
                ],
                flag(c.drift_detected),
            );
        }
    }
    let mut f = Family::new(
        out,
        "driftscope_feature_drift_p_adjusted",
        "Benjamini-Hochberg adjusted p-value of the size-aware test per feature.",
    );
    for x in &d.features {
        if let Some(c) = &x.calibrated {
            f.sample(
                &[("feature", &x.name), ("test", &c.test.to_string())],
                c.p_adjusted,
            );
        }
    }
    let mut f = Family::new(
        out,
        "driftscope_drift_share",
        "Share of features drifted by the verdict that drives alerts.",
    );
    f.sample(&[("verdict", d.alert_verdict.as_str())], d.alerting_share());
    if let Some(p) = &r.prediction_drift {
        let mut f = Family::new(
            out,
            "driftscope_prediction_psi",
            "PSI of the predicted probabilities vs the baseline.",
        );
        f.sample(&[], p.psi);
        let mut f = Family::new(
            out,
            "driftscope_predicted_positive_rate",
            "Share of rows predicted positive.",
        );
        f.sample(&[], p.predicted_positive_rate);
    }
}

fn performance_metrics(out: &mut String, r: &MonitoringResult) {
    let mut f = Family::new(out, "driftscope_auc", "AUC of the latest batch (kind: realized, expected on its inputs, estimated without labels).");
    if let Some(a) = r.performance.as_ref().and_then(|m| m.auc) {
        f.sample(&[("kind", "realized")], a);
    }
    if let Some(a) = r.concept_drift.as_ref().and_then(|c| c.expected_auc) {
        f.sample(&[("kind", "expected")], a);
    }
    if let Some(a) = r
        .estimated_performance
        .as_ref()
        .and_then(|e| e.auc.as_ref())
    {
        f.sample(&[("kind", "estimated")], a.value);
        f.sample(&[("kind", "estimated_lower")], a.lower);
        f.sample(&[("kind", "estimated_upper")], a.upper);
    }
    let mut f = Family::new(
        out,
        "driftscope_accuracy",
        "Accuracy of the latest batch (kind: realized or estimated).",
    );
    if let Some(m) = &r.performance {
        f.sample(&[("kind", "realized")], m.accuracy);
    }
    if let Some(e) = &r.estimated_performance {
        f.sample(&[("kind", "estimated")], e.accuracy.value);
    }
    let mut f = Family::new(
        out,
        "driftscope_concept_drift_detected",
        "1 when concept drift was detected on the latest batch (labelled batches).",
    );
    if let Some(c) = &r.concept_drift {
        f.sample(&[], flag(c.detected));
    }
}

fn alert_metrics(out: &mut String, r: &MonitoringResult, incidents: &[Incident]) {
    let mut f = Family::new(
        out,
        "driftscope_alerts",
        "Alerts of the latest batch by severity.",
    );
    for s in AlertSeverity::DESCENDING {
        let n = r.alerts.iter().filter(|a| a.severity == s).count();
        f.sample(&[("severity", s.as_str())], n as f64);
    }
    let mut f = Family::new(
        out,
        "driftscope_open_incidents",
        "Open incidents by current severity.",
    );
    for s in AlertSeverity::DESCENDING {
        let n = incidents
            .iter()
            .filter(|i| i.status == IncidentStatus::Open && i.severity == s)
            .count();
        f.sample(&[("severity", s.as_str())], n as f64);
    }
}

/// `driftscope export`: the text of the batch monitored last, written to `--out` (atomically,
/// only over a file an earlier export wrote) or returned for standard output.
pub fn export(args: &ExportArgs) -> Result<String> {
    let store = ArtifactStore::new(&args.artifacts);
    store.require_champion()?;
    let h = store.histories()?;
    let Some(last) = h.performance.monitored_last() else {
        crate::error::bail!(
            "{}: no monitored batch yet; run `driftscope monitor` first",
            store.performance_path().display()
        );
    };
    let latest = store.batch_result(&last.batch_id)?;
    let text = prometheus_text(&latest, &h.alerts.incidents, h.performance.entries.len());
    if let Some(out) = &args.out {
        write_export(out, &text)?;
    }
    Ok(text)
}

/// Writes `text` to `path` through a temporary file and a rename (the textfile collector must
/// never read half a file), refusing to replace a file that is not an earlier export.
fn write_export(path: &Path, text: &str) -> Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        // Only a regular file is looked into (a named pipe would hang the read), and only its
        // first bytes.
        if !meta.is_file() {
            crate::error::bail!(
                "{}: not a regular file; --out takes a file an earlier export wrote",
                path.display()
            );
        }
        let mut head = Vec::with_capacity(EXPORT_HEADER.len());
        let file = std::fs::File::open(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        std::io::Read::read_to_end(
            &mut std::io::Read::take(file, EXPORT_HEADER.len() as u64),
            &mut head,
        )
        .with_context(|| format!("{}: cannot read", path.display()))?;
        if !head.starts_with(EXPORT_HEADER.as_bytes()) {
            crate::error::bail!(
                "{}: exists and was not written by `driftscope export`; refusing to overwrite it",
                path.display()
            );
        }
    }
    driftscope_artifacts::write_atomic(path, text.as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
