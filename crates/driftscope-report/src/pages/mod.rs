//! The pages of the site: one typed view model per page, built from [`SiteData`], plus the
//! Plotly figures the page embeds. Templates only format these values.

mod alerts;
mod batch;
mod detector;
mod detector_performance;
mod drift;
mod feature;
mod feature_summary;
mod lines;
pub(crate) mod links;
mod overview;
mod performance;
mod reports;
mod story;
mod triage;

use serde::Serialize;

use crate::figures::embed;
use crate::SiteData;
use links::{Crumb, Links};

pub(crate) use alerts::AlertsView;
pub(crate) use batch::BatchView;
pub(crate) use detector::DetectorView;
pub(crate) use drift::DriftView;
pub(crate) use feature::FeatureView;
pub(crate) use overview::OverviewView;
pub(crate) use performance::PerformanceView;
pub(crate) use reports::ReportsView;
pub(crate) use story::story;

/// The PSI threshold line drawn on the drift charts.
pub(crate) const PSI_THRESHOLD_LINE: f64 = 0.2;

/// A figure's id (the `data-figure` of its chart) and its embeddable Plotly JSON.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Figure {
    pub id: String,
    pub json: String,
}

impl Figure {
    pub(crate) fn new(id: impl Into<String>, plot: &plotly::Plot) -> Figure {
        Figure {
            id: id.into(),
            json: embed(plot),
        }
    }
}

/// The view model of a page; its variant names the template.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum PageView {
    Overview(Box<OverviewView>),
    Performance(PerformanceView),
    Drift(DriftView),
    Feature(FeatureView),
    Batch(Box<BatchView>),
    Alerts(AlertsView),
    Detector(DetectorView),
    Reports(ReportsView),
}

impl PageView {
    /// The Tera template that formats this view.
    pub(crate) fn template(&self) -> &'static str {
        match self {
            PageView::Overview(_) => "index.html",
            PageView::Performance(_) => "performance.html",
            PageView::Drift(_) => "drift.html",
            PageView::Feature(_) => "feature.html",
            PageView::Batch(_) => "batch.html",
            PageView::Alerts(_) => "alerts.html",
            PageView::Detector(_) => "detector.html",
            PageView::Reports(_) => "reports.html",
        }
    }
}

/// One page of the site.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Path in the site, e.g. `features/feature-tenure.html`.
    pub file: String,
    /// The `<title>`.
    pub title: String,
    /// What the template shows.
    pub view: PageView,
    /// The figures it embeds.
    pub figures: Vec<Figure>,
    /// The breadcrumb trail (empty on top-level pages).
    pub crumbs: Vec<Crumb>,
}

/// The site's navigation bar: file and title.
pub(crate) const NAV: [(&str, &str); 6] = [
    ("index.html", "Overview"),
    ("performance.html", "Performance"),
    ("drift.html", "Drift"),
    ("alerts.html", "Alerts"),
    ("reports.html", "Reports"),
    ("detector.html", "Detector quality"),
];

/// Every page of the site, in writing order.
pub(crate) fn build_pages(d: &SiteData) -> Vec<Page> {
    let links = Links::new(d);
    let mut pages = vec![
        overview::page(d, &links),
        performance::page(d),
        drift::page(d, &links),
    ];
    pages.extend(
        d.profile
            .features
            .iter()
            .map(|profile| feature::page(d, &links, profile)),
    );
    pages.extend((0..d.results.len()).map(|k| batch::page(d, &links, k)));
    pages.push(alerts::page(d, &links));
    pages.push(detector::page(d.evaluation.as_ref()));
    pages.push(reports::page(d));
    pages
}

/// The minimum AUC to draw on AUC charts and its label: the threshold of the latest alert
/// measuring an AUC against its floor, else the default setting (the site does not read the
/// configuration).
fn min_auc(d: &SiteData) -> (f64, String) {
    let from_alert = d.alerts.alerts.iter().rev().find(|a| {
        matches!(
            a.alert_type,
            driftscope_artifacts::AlertType::PerformanceThresholdViolation
                | driftscope_artifacts::AlertType::PerformanceEstimate
        ) && a.quantity.contains("AUC")
    });
    match from_alert {
        Some(a) => (a.threshold, format!("minimum AUC {:.2}", a.threshold)),
        None => {
            let v = driftscope_artifacts::Config::default().performance.min_auc;
            (v, format!("minimum AUC {v:.2} (default setting)"))
        }
    }
}

/// Batch ids, oldest first: the x axis of every trend chart.
fn batch_ids(d: &SiteData) -> Vec<String> {
    d.results.iter().map(|r| r.batch_id.clone()).collect()
}

#[cfg(test)]
mod tests;
