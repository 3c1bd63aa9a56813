//! The Alerts page: totals per severity, counts per type and severity, the full history.

use driftscope_artifacts::{Alert, AlertSeverity, Delivery};
use serde::Serialize;

use super::{Figure, Page, PageView};
use crate::figures;
use crate::format::{alert_type_word, severity_word, ALERT_TYPES, SEVERITIES};
use crate::SiteData;

/// What the Alerts page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertsView {
    /// Alerts per severity, HIGH first.
    pub totals: Vec<SeverityTotal>,
    /// Every alert, newest first.
    pub history: Vec<AlertRow>,
}

/// How many alerts of a severity fired.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeverityTotal {
    pub severity: &'static str,
    pub count: u64,
}

/// One alert of the history.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertRow {
    pub batch: String,
    pub timestamp: String,
    #[serde(rename = "type")]
    pub alert_type: &'static str,
    pub severity: &'static str,
    pub value: String,
    pub threshold: String,
    pub reason: String,
    pub details: Vec<String>,
    /// Delivery outcomes: `sink: sent` or `sink: failed (error)`.
    pub delivered: Vec<String>,
}

pub(super) fn page(d: &SiteData) -> Page {
    let alerts = &d.alerts.alerts;
    let view = AlertsView {
        totals: SEVERITIES
            .iter()
            .map(|&s| SeverityTotal {
                severity: severity_word(s),
                count: alerts.iter().filter(|a| a.severity == s).count() as u64,
            })
            .collect(),
        history: alerts.iter().rev().map(alert_row).collect(),
    };
    Page {
        file: "alerts.html".into(),
        title: "Alerts".into(),
        view: PageView::Alerts(view),
        figures: vec![by_type_figure(alerts)],
    }
}

fn alert_row(a: &Alert) -> AlertRow {
    AlertRow {
        batch: a.batch_id.clone(),
        timestamp: a.timestamp.clone(),
        alert_type: alert_type_word(a.alert_type),
        severity: severity_word(a.severity),
        value: format!("{:.4}", a.value),
        threshold: format!("{:.4}", a.threshold),
        reason: a.reason.clone(),
        details: a.details.clone(),
        delivered: a.deliveries.iter().map(delivery_text).collect(),
    }
}

fn delivery_text(x: &Delivery) -> String {
    if x.delivered {
        format!("{}: sent", x.sink)
    } else {
        format!(
            "{}: failed ({})",
            x.sink,
            x.error.clone().unwrap_or_default()
        )
    }
}

/// Stacked bars: alerts per type, one trace per severity.
fn by_type_figure(alerts: &[Alert]) -> Figure {
    let count = |s: AlertSeverity| -> Vec<u64> {
        ALERT_TYPES
            .iter()
            .map(|&t| {
                alerts
                    .iter()
                    .filter(|a| a.alert_type == t && a.severity == s)
                    .count() as u64
            })
            .collect()
    };
    let series: Vec<(&str, Vec<u64>)> = SEVERITIES
        .iter()
        .map(|&s| (severity_word(s), count(s)))
        .collect();
    let type_names: Vec<String> = ALERT_TYPES
        .iter()
        .map(|&t| alert_type_word(t).to_string())
        .collect();
    Figure::new(
        "by-type",
        &figures::alert_bars(&type_names, &series, "Alerts by type and severity"),
    )
}
