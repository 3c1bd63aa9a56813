//! The Drift page's triage table: every feature of a batch with a mini distribution (reference
//! against the batch, inline SVG), its PSI per batch (sparkline), the test and threshold that
//! decided each verdict, and both verdicts (the one driving alerts labelled). `assets/triage.js`
//! sorts and filters it in the browser.

use driftscope_artifacts::{Config, DriftVerdict, FeatureDrift, MonitoringResult};
use serde::Serialize;

use super::batch::{psi_kl_text, size_aware_text};
use super::links::Links;
use crate::format::f4;
use crate::SiteData;

/// One feature's row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TriageRow {
    pub name: String,
    /// The name lower-cased, for the filter.
    pub key: String,
    pub href: Option<String>,
    #[serde(rename = "type")]
    pub feature_type: String,
    /// Inline SVG: reference and batch share per bin (built from numbers only).
    pub mini: String,
    /// Inline SVG: PSI per batch up to this one.
    pub spark: String,
    pub psi: String,
    /// PSI for sorting (-1 when absent).
    pub psi_sort: f64,
    pub severity: String,
    /// Drifted by either verdict (the filter's "drifted only").
    pub drifted: bool,
    /// Drifted by the verdict that drives alerts.
    pub alerting: bool,
    /// The PSI/KL verdict, and the measure and threshold that decided it.
    pub psi_kl: String,
    pub psi_kl_rule: String,
    /// The size-aware verdict with its test, p-value and cutoff.
    pub size_aware: String,
}

/// The thresholds of the PSI/KL verdict. The results do not record the configured values, so
/// the table states the default settings and says so.
fn psi_kl_thresholds() -> (f64, f64) {
    let c = Config::default().data_drift;
    (c.psi_threshold, c.kl_divergence_threshold)
}

/// Every feature of batch `k`, highest PSI first.
pub(super) fn rows(d: &SiteData, links: &Links, k: usize) -> Vec<TriageRow> {
    let r = &d.results[k];
    let alerting = r.data_drift.alerting_drifted();
    let mut features: Vec<&FeatureDrift> = r.data_drift.features.iter().collect();
    features.sort_by(|a, b| b.psi.unwrap_or(-1.0).total_cmp(&a.psi.unwrap_or(-1.0)));
    features
        .into_iter()
        .map(|f| TriageRow {
            name: f.name.clone(),
            key: f.name.to_lowercase(),
            href: links.feature(&f.name),
            feature_type: f.feature_type.to_string(),
            mini: mini_distribution(f),
            spark: sparkline(&psi_history(&d.results[..=k], &f.name)),
            psi: f4(f.psi),
            psi_sort: f.psi.unwrap_or(-1.0),
            severity: f.severity.to_string(),
            drifted: f.drift_detected || f.calibrated.as_ref().is_some_and(|c| c.drift_detected),
            alerting: alerting.contains(&f.name),
            psi_kl: psi_kl_text(f),
            psi_kl_rule: psi_kl_rule(f),
            size_aware: size_aware_text(f),
        })
        .collect()
}

/// Which measure decided the PSI/KL verdict, against its threshold.
pub(crate) fn psi_kl_rule(f: &FeatureDrift) -> String {
    let (psi_t, kl_t) = psi_kl_thresholds();
    match (f.psi, f.kl_divergence) {
        (Some(p), _) if p >= psi_t => format!("PSI {p:.3} ≥ {psi_t}"),
        (_, Some(kl)) if kl >= kl_t => format!("KL {kl:.3} ≥ {kl_t}"),
        (Some(p), Some(kl)) => format!("PSI {p:.3} < {psi_t}, KL {kl:.3} < {kl_t}"),
        (Some(p), None) => format!("PSI {p:.3} < {psi_t}"),
        _ => "not measured".into(),
    }
}

/// The feature's PSI in each batch (absent as `None`).
fn psi_history(results: &[MonitoringResult], name: &str) -> Vec<Option<f64>> {
    results
        .iter()
        .map(|r| {
            r.data_drift
                .features
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.psi)
        })
        .collect()
}

/// Width and height of the inline charts, in CSS pixels.
const MINI_W: f64 = 120.0;
const MINI_H: f64 = 28.0;

/// Paired bars per bin: the reference share (grey) beside the batch's share (blue), on one
/// scale. Empty when the feature has no distribution.
fn mini_distribution(f: &FeatureDrift) -> String {
    let Some(dist) = &f.distribution else {
        return String::new();
    };
    let share = |counts: &[u64]| -> Vec<f64> {
        let total = counts.iter().sum::<u64>().max(1) as f64;
        counts.iter().map(|&c| c as f64 / total).collect()
    };
    let (reference, current) = (share(&dist.reference), share(&dist.current));
    let top = reference
        .iter()
        .chain(&current)
        .fold(0.0_f64, |m, &v| m.max(v))
        .max(f64::EPSILON);
    let slot = MINI_W / reference.len().max(1) as f64;
    let bar = (slot / 2.0 - 0.5).max(0.5);
    let mut rects = String::new();
    for (i, (r, c)) in reference.iter().zip(&current).enumerate() {
        let x = i as f64 * slot;
        for (dx, v, class) in [(0.0, r, "ref"), (bar, c, "cur")] {
            let h = (v / top * MINI_H).max(0.5);
            rects.push_str(&format!(
                r#"<rect class="{class}" x="{:.1}" y="{:.1}" width="{bar:.1}" height="{h:.1}"/>"#,
                x + dx,
                MINI_H - h
            ));
        }
    }
    format!(
        r#"<svg class="mini" width="{MINI_W}" height="{MINI_H}" viewBox="0 0 {MINI_W} {MINI_H}" role="img" aria-label="share per bin: at training grey, this batch blue">{rects}</svg>"#
    )
}

/// PSI per batch as a line, on a scale reaching at least the drift threshold (dashed).
fn sparkline(psi: &[Option<f64>]) -> String {
    let (threshold, _) = psi_kl_thresholds();
    let top = psi
        .iter()
        .flatten()
        .fold(threshold * 1.25, |m, &v| m.max(v));
    let step = MINI_W / (psi.len().max(2) - 1) as f64;
    let y = |v: f64| MINI_H - 1.0 - v / top * (MINI_H - 2.0);
    let points: Vec<String> = psi
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", i as f64 * step, y(v))))
        .collect();
    let values: Vec<String> = psi
        .iter()
        .map(|v| v.map_or_else(|| "none".into(), |v| format!("{v:.2}")))
        .collect();
    let last = points.last().map_or_else(String::new, |p| {
        let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
        format!(r#"<circle class="spark-dot" cx="{x}" cy="{y}" r="2"/>"#)
    });
    format!(
        r#"<svg class="spark" width="{MINI_W}" height="{MINI_H}" viewBox="0 0 {MINI_W} {MINI_H}" role="img" aria-label="PSI per batch: {}"><line class="spark-limit" x1="0" x2="{MINI_W}" y1="{t:.1}" y2="{t:.1}"/><polyline class="spark-line" points="{}"/>{last}</svg>"#,
        values.join(", "),
        points.join(" "),
        t = y(threshold)
    )
}

/// The names of the two verdict columns, the alerting one labelled.
pub(super) fn verdict_headers(v: DriftVerdict) -> (&'static str, &'static str) {
    match v {
        DriftVerdict::PsiKl => (
            "PSI/KL verdict (drives alerts)",
            "size-aware verdict (for reference)",
        ),
        DriftVerdict::SizeAware => (
            "PSI/KL verdict (for reference)",
            "size-aware verdict (drives alerts)",
        ),
    }
}
