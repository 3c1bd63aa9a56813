//! The Alerts page: open and resolved incidents (one problem across batches), totals per
//! severity, counts per type and severity, the full per-batch history.

use driftscope_artifacts::{Alert, AlertSeverity, Delivery, Incident, IncidentStatus};
use serde::Serialize;

use super::lines::{alert_line, AlertLine};
use super::links::Links;
use super::{Figure, Page, PageView};
use crate::figures;
use crate::format::{alert_type_text, severity_text, ALERT_TYPES, SEVERITIES};
use crate::SiteData;

/// What the Alerts page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertsView {
    /// Alerts per severity, HIGH first.
    pub totals: Vec<SeverityTotal>,
    /// Every alert, newest first.
    pub history: Vec<AlertRow>,
    /// Incidents, open ones first, then newest first.
    pub incidents: Vec<IncidentRow>,
}

/// One incident: an alert type raised by consecutive batches.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IncidentRow {
    #[serde(rename = "type")]
    pub alert_type: &'static str,
    pub open: bool,
    /// "open since week-03" or "week-01 to week-04, resolved by week-05".
    pub span: String,
    pub severity: &'static str,
    pub worst: &'static str,
    pub batches: usize,
    /// The latest update's reason.
    pub latest: String,
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
    #[serde(flatten)]
    pub line: AlertLine,
    /// Delivery outcomes: `sink: sent` or `sink: failed (error)`.
    pub delivered: Vec<String>,
}

pub(super) fn page(d: &SiteData, links: &Links) -> Page {
    let alerts = &d.alerts.alerts;
    let view = AlertsView {
        totals: SEVERITIES
            .iter()
            .map(|&s| SeverityTotal {
                severity: severity_text(s),
                count: alerts.iter().filter(|a| a.severity == s).count() as u64,
            })
            .collect(),
        history: alerts.iter().rev().map(|a| alert_row(a, links)).collect(),
        incidents: incident_rows(&d.alerts.incidents),
    };
    Page {
        file: "alerts.html".into(),
        title: "Alerts".into(),
        view: PageView::Alerts(view),
        figures: vec![by_type_figure(alerts)],
        crumbs: Vec::new(),
    }
}

fn incident_rows(incidents: &[Incident]) -> Vec<IncidentRow> {
    let mut rows: Vec<(bool, usize, IncidentRow)> = incidents
        .iter()
        .enumerate()
        .filter_map(|(k, i)| {
            let (first, last) = (i.updates.first()?, i.updates.last()?);
            let open = i.status == IncidentStatus::Open;
            let span = match &i.resolved_by {
                Some(by) if !open => {
                    format!("{} to {}, resolved by {by}", first.batch_id, last.batch_id)
                }
                _ => format!("open since {}", first.batch_id),
            };
            Some((
                !open,
                usize::MAX - k,
                IncidentRow {
                    alert_type: alert_type_text(i.alert_type),
                    open,
                    span,
                    severity: severity_text(i.severity),
                    worst: severity_text(i.max_severity),
                    batches: i.updates.len(),
                    latest: crate::format::plain_text(&last.reason),
                },
            ))
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1));
    rows.into_iter().map(|r| r.2).collect()
}

fn alert_row(a: &Alert, links: &Links) -> AlertRow {
    AlertRow {
        line: alert_line(a, links),
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
        .map(|&s| (severity_text(s), count(s)))
        .collect();
    let type_names: Vec<String> = ALERT_TYPES
        .iter()
        .map(|&t| alert_type_text(t).to_string())
        .collect();
    Figure::new(
        "by-type",
        &figures::alert_bars(&type_names, &series, "Alerts by type and severity"),
    )
}
