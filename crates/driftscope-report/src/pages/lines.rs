//! Rows several pages share: an alert with its links, a part of the diagnosis.

use driftscope_artifacts::{Alert, Direction, MonitoringResult, PartStatus};
use serde::Serialize;

use super::links::Links;
use crate::format::{
    alert_type_text, part_status_text, plain_text, readable_date, round_numbers, severity_text,
    significant,
};

/// A link to a page (root-relative) with its text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkTo {
    pub name: String,
    pub href: String,
}

/// One alert, in words, with links to its batch and the features it names.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AlertLine {
    pub batch: String,
    pub batch_href: Option<String>,
    pub date: String,
    /// `high`, `medium` or `low` (the badge's CSS class too).
    pub severity: &'static str,
    /// The type in plain words.
    #[serde(rename = "type")]
    pub alert_type: &'static str,
    /// "0.6512 (fires at or below 0.7, AUC)".
    pub measured: String,
    pub reason: String,
    pub details: Vec<String>,
    pub features: Vec<LinkTo>,
}

/// `a` as a line, its numbers rounded.
pub(crate) fn alert_line(a: &Alert, links: &Links) -> AlertLine {
    let side = match a.direction {
        Direction::Above => "at or above",
        Direction::Below => "below",
    };
    let quantity = if a.quantity.is_empty() {
        String::new()
    } else {
        format!(", {}", a.quantity)
    };
    AlertLine {
        batch: a.batch_id.clone(),
        batch_href: links.batch(&a.batch_id),
        date: readable_date(&a.timestamp),
        severity: severity_text(a.severity),
        alert_type: alert_type_text(a.alert_type),
        measured: format!(
            "{} (fires {side} {}{quantity})",
            significant(a.value, 4),
            significant(a.threshold, 4)
        ),
        reason: plain_text(&a.reason),
        details: a.details.iter().map(|d| round_numbers(d)).collect(),
        features: links
            .alert_features(a)
            .into_iter()
            .map(|(name, href)| LinkTo { name, href })
            .collect(),
    }
}

/// One part of the diagnosis: its name, verdict (CSS class and words) and reasons.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartLine {
    pub name: &'static str,
    pub status: &'static str,
    pub status_text: &'static str,
    /// The verdict in a plain phrase, without statistics.
    pub plain: &'static str,
    pub reasons: Vec<String>,
}

/// A part's verdict as a phrase a manager can repeat.
fn plain_part(name: &str, s: PartStatus) -> &'static str {
    use PartStatus::{NotChecked, Ok, Problem, Watch};
    match (name, s) {
        (_, NotChecked) => "not checked: it needs the customers' actual outcomes",
        ("data quality", Ok) => "the data arrives complete and as expected",
        ("data quality", Watch) => "small data problems worth a look",
        ("data quality", Problem) => "the data is broken or incomplete",
        ("data drift", Ok) => "customers look like the ones the model learnt from",
        ("data drift", Watch) => "customers changed; the model copes so far",
        ("data drift", Problem) => "customers changed enough to hurt the model",
        ("concept drift", Ok) => "customer characteristics still predict leaving as before",
        ("concept drift", Watch) => "early signs that leaving follows other patterns",
        ("concept drift", Problem) => {
            "customer characteristics no longer predict leaving as before"
        }
        (_, Ok) => "at or above its agreed minimum",
        (_, Watch) => "close to its agreed minimum",
        (_, Problem) => "below its agreed minimum",
    }
}

/// The four parts of `r`'s diagnosis (none for results before version 4).
pub(crate) fn part_lines(r: &MonitoringResult) -> Vec<PartLine> {
    let Some(p) = &r.parts else {
        return Vec::new();
    };
    [
        ("data quality", &p.data_quality),
        ("data drift", &p.data_drift),
        ("concept drift", &p.concept_drift),
        ("performance", &p.performance),
    ]
    .into_iter()
    .map(|(name, x)| PartLine {
        name,
        status: x.status.as_str(),
        status_text: part_status_text(x.status),
        plain: plain_part(name, x.status),
        reasons: x.reasons.iter().map(|r| plain_text(r)).collect(),
    })
    .collect()
}
