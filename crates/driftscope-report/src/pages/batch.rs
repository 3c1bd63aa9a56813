//! One page per batch (`batches/batch-<id>.html`): the diagnosis in four parts, the alerts,
//! the drifted features under both verdicts, data quality, realized and estimated performance.

use driftscope_artifacts::{
    ClassificationMetrics, DriftVerdict, Estimate, FeatureDrift, MonitoringResult, Severity,
};
use serde::Serialize;

use super::drift::psi_figure;
use super::lines::{alert_line, part_lines, AlertLine, LinkTo, PartLine};
use super::links::{batch_title, Crumb, Links};
use super::{Page, PageView};
use crate::format::{action_text, f4, p_value, percent, readable_date};
use crate::summary::business_sentence;
use crate::SiteData;

/// What a batch's page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BatchView {
    pub id: String,
    pub title: String,
    pub date: String,
    pub rows: u64,
    pub labelled: bool,
    pub headline: String,
    pub action: &'static str,
    pub action_reason: String,
    pub business: String,
    pub parts: Vec<PartLine>,
    pub alerts: Vec<AlertLine>,
    /// The verdict that drives alerts, and the other one, in words.
    pub alert_verdict: &'static str,
    pub other_verdict: &'static str,
    /// Features drifted by the alerting verdict / compared.
    pub alerting_count: usize,
    pub features_checked: u64,
    /// Features drifted by either verdict, highest PSI first.
    pub drifted: Vec<DriftRow>,
    pub quality: Vec<QualityRow>,
    pub schema: Vec<String>,
    pub performance: Vec<MetricRow>,
    pub confidence: String,
    pub previous: Option<LinkTo>,
    pub next: Option<LinkTo>,
}

/// A feature drifted by at least one verdict.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DriftRow {
    pub name: String,
    pub href: Option<String>,
    pub psi: String,
    /// Drifted by the verdict that drives alerts.
    pub alerting: bool,
    /// The PSI/KL verdict: "drift (high)" or "no drift".
    pub psi_kl: String,
    /// The size-aware verdict with its test and cutoff.
    pub size_aware: String,
}

/// A feature's missing, never-seen and out-of-range shares in the batch.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QualityRow {
    pub name: String,
    pub href: Option<String>,
    pub missing_reference: String,
    pub missing: String,
    pub never_seen: String,
    pub out_of_range: String,
}

/// A metric measured on the labels, estimated from the probabilities and at training time.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MetricRow {
    pub name: &'static str,
    pub realized: String,
    pub estimated: String,
    pub baseline: String,
}

/// Names of the two verdicts, the alerting one first.
pub(crate) fn verdict_names(v: DriftVerdict) -> (&'static str, &'static str) {
    const PSI_KL: &str = "PSI/KL thresholds";
    const SIZE_AWARE: &str = "size-aware test";
    match v {
        DriftVerdict::PsiKl => (PSI_KL, SIZE_AWARE),
        DriftVerdict::SizeAware => (SIZE_AWARE, PSI_KL),
    }
}

pub(super) fn page(d: &SiteData, links: &Links, k: usize) -> Page {
    let r = &d.results[k];
    let (alert_verdict, other_verdict) = verdict_names(r.data_drift.alert_verdict);
    let neighbour = |j: Option<usize>| {
        let r = d.results.get(j?)?;
        Some(LinkTo {
            name: r.batch_id.clone(),
            href: links.batch(&r.batch_id)?,
        })
    };
    let view = BatchView {
        id: r.batch_id.clone(),
        title: batch_title(&r.batch_id),
        date: readable_date(&r.timestamp),
        rows: r.rows,
        labelled: r.labelled,
        headline: r
            .parts
            .as_ref()
            .map(|p| p.headline.clone())
            .unwrap_or_default(),
        action: action_text(r.retraining.action),
        action_reason: crate::format::plain_text(&r.retraining.action_reason),
        business: business_sentence(r),
        parts: part_lines(r),
        alerts: r.alerts.iter().map(|a| alert_line(a, links)).collect(),
        alert_verdict,
        other_verdict,
        alerting_count: r.data_drift.alerting_drifted().len(),
        features_checked: r.data_drift.features_checked,
        drifted: drift_rows(r, links),
        quality: quality_rows(r, links),
        schema: schema_lines(r),
        performance: metric_rows(r, &d.baseline.holdout),
        confidence: r
            .estimated_performance
            .as_ref()
            .map_or_else(String::new, |e| {
                format!("{:.0}%", e.confidence_level * 100.0)
            }),
        previous: neighbour(k.checked_sub(1)),
        next: neighbour(Some(k + 1)),
    };
    Page {
        file: links.batch(&r.batch_id).unwrap_or_default(),
        title: batch_title(&r.batch_id),
        view: PageView::Batch(Box::new(view)),
        figures: vec![psi_figure(r, "psi-batch")],
        crumbs: vec![
            Crumb::link("Overview", "index.html"),
            Crumb::here(batch_title(&r.batch_id)),
        ],
    }
}

fn drift_rows(r: &MonitoringResult, links: &Links) -> Vec<DriftRow> {
    let alerting = r.data_drift.alerting_drifted();
    let mut rows: Vec<&FeatureDrift> = r
        .data_drift
        .features
        .iter()
        .filter(|f| f.drift_detected || f.calibrated.as_ref().is_some_and(|c| c.drift_detected))
        .collect();
    rows.sort_by(|a, b| b.psi.unwrap_or(0.0).total_cmp(&a.psi.unwrap_or(0.0)));
    rows.into_iter()
        .map(|f| DriftRow {
            name: f.name.clone(),
            href: links.feature(&f.name),
            psi: f4(f.psi),
            alerting: alerting.contains(&f.name),
            psi_kl: psi_kl_text(f),
            size_aware: size_aware_text(f),
        })
        .collect()
}

/// The PSI/KL verdict of a feature in words.
pub(crate) fn psi_kl_text(f: &FeatureDrift) -> String {
    if f.drift_detected && f.severity != Severity::None {
        format!("drift ({})", f.severity)
    } else if f.drift_detected {
        "drift".into()
    } else {
        "no drift".into()
    }
}

/// The size-aware verdict of a feature with the test and cutoff that decided it.
pub(crate) fn size_aware_text(f: &FeatureDrift) -> String {
    let Some(c) = &f.calibrated else {
        return "not tested".into();
    };
    let test = match c.test {
        driftscope_artifacts::CalibratedTest::Ks => "Kolmogorov-Smirnov",
        driftscope_artifacts::CalibratedTest::ChiSquare => "chi-square",
    };
    format!(
        "{} ({test} p = {}, cutoff {})",
        if c.drift_detected {
            "drift"
        } else {
            "no drift"
        },
        p_value(Some(c.p_value)),
        p_value(Some(c.threshold))
    )
}

fn quality_rows(r: &MonitoringResult, links: &Links) -> Vec<QualityRow> {
    let rows = r.data_drift.current_rows.max(1) as f64;
    let reference_rows = r.data_drift.reference_rows.max(1) as f64;
    let dq = &r.data_quality;
    r.data_drift
        .features
        .iter()
        .filter_map(|f| {
            let unseen: u64 = dq
                .unseen_categories
                .get(&f.name)
                .map_or(0, |m| m.values().sum());
            let out = dq.out_of_range_share.get(&f.name).copied().unwrap_or(0.0);
            if f.current_missing == 0 && unseen == 0 && out == 0.0 {
                return None;
            }
            Some(QualityRow {
                name: f.name.clone(),
                href: links.feature(&f.name),
                missing_reference: percent(f.reference_missing as f64 / reference_rows),
                missing: percent(f.current_missing as f64 / rows),
                never_seen: percent(unseen as f64 / rows),
                out_of_range: percent(out),
            })
        })
        .collect()
}

fn schema_lines(r: &MonitoringResult) -> Vec<String> {
    let dq = &r.data_quality;
    let mut out = Vec::new();
    for (what, list) in [
        (
            "Columns the model needs but the batch lacks",
            &dq.missing_columns,
        ),
        (
            "Columns the model does not know (ignored)",
            &dq.extra_columns,
        ),
        ("Columns whose type changed", &dq.type_changes),
    ] {
        if !list.is_empty() {
            out.push(format!("{what}: {}.", list.join(", ")));
        }
    }
    out
}

fn metric_rows(r: &MonitoringResult, base: &ClassificationMetrics) -> Vec<MetricRow> {
    let m = r.performance.as_ref();
    let e = r.estimated_performance.as_ref();
    let interval = |x: Option<&Estimate>| {
        x.map_or_else(
            || "–".to_string(),
            |x| format!("{:.3} ({:.3}–{:.3})", x.value, x.lower, x.upper),
        )
    };
    let realized = |f: fn(&ClassificationMetrics) -> Option<f64>| {
        m.and_then(f)
            .map_or_else(|| "no labels".to_string(), |v| format!("{v:.3}"))
    };
    vec![
        MetricRow {
            name: "AUC (ranking quality: 0.5 is chance, 1 is perfect)",
            realized: realized(|m| m.auc),
            estimated: interval(e.and_then(|e| e.auc.as_ref())),
            baseline: f4(base.auc),
        },
        MetricRow {
            name: "accuracy (share of customers predicted right)",
            realized: realized(|m| Some(m.accuracy)),
            estimated: interval(e.map(|e| &e.accuracy)),
            baseline: f4(Some(base.accuracy)),
        },
        MetricRow {
            name: "precision (flagged customers who churned)",
            realized: realized(|m| Some(m.precision)),
            estimated: interval(e.map(|e| &e.precision)),
            baseline: f4(Some(base.precision)),
        },
        MetricRow {
            name: "recall (churners the model flagged)",
            realized: realized(|m| Some(m.recall)),
            estimated: interval(e.map(|e| &e.recall)),
            baseline: f4(Some(base.recall)),
        },
        MetricRow {
            name: "churn rate (actual)",
            realized: m.map_or_else(|| "no labels".into(), |m| percent(m.positive_rate)),
            estimated: "–".into(),
            baseline: percent(base.positive_rate),
        },
        MetricRow {
            name: "flagged as likely to churn",
            realized: predicted_rate(r).map_or_else(|| "–".into(), percent),
            estimated: "–".into(),
            baseline: percent(base.predicted_positive_rate),
        },
    ]
}

/// The share of the batch the model flags as likely to churn.
pub(crate) fn predicted_rate(r: &MonitoringResult) -> Option<f64> {
    r.performance
        .as_ref()
        .map(|m| m.predicted_positive_rate)
        .or(r
            .prediction_drift
            .as_ref()
            .map(|p| p.predicted_positive_rate))
}
