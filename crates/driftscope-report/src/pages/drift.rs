//! The Drift page: PSI of the latest batch, the top drifted features, the PSI heat map, the
//! concept-drift analysis and links to every feature's page.

use driftscope_artifacts::{ConceptDrift, DriftVerdict, MonitoringResult};
use serde::Serialize;

use super::batch::verdict_names;
use super::lines::LinkTo;
use super::links::Links;
use super::triage::{self, verdict_headers, TriageRow};
use super::{batch_ids, Figure, Page, PageView, PSI_THRESHOLD_LINE};
use crate::figures;
use crate::format::{diagnosis_text, readable_date};
use crate::SiteData;

/// What the Drift page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DriftView {
    /// The latest batch's id.
    pub latest: Option<String>,
    /// Every feature of the latest batch, highest PSI first (the triage table).
    pub triage: Vec<TriageRow>,
    /// The triage table's two verdict columns, the one driving alerts labelled.
    pub psi_kl_header: &'static str,
    pub size_aware_header: &'static str,
    /// The verdict that drives alerts and the other one, in words.
    pub alert_verdict: &'static str,
    pub other_verdict: &'static str,
    /// Every batch's page, oldest first.
    pub batches: Vec<LinkTo>,
    pub concept: Vec<ConceptRow>,
    pub features: Vec<FeatureLink>,
    /// The latest batch's features drifted by the size-aware verdict.
    pub calibrated: Option<Vec<String>>,
}

/// One batch's concept-drift finding.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConceptRow {
    pub id: String,
    pub diagnosis: &'static str,
    /// Drifted features (default verdict).
    pub drifted: usize,
    pub detected: bool,
    pub reasons: Vec<String>,
    pub labelled: bool,
    /// The top located segment in words (batches with concept drift).
    pub located: Option<String>,
}

/// A link to a feature's page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeatureLink {
    pub name: String,
    pub href: Option<String>,
}

pub(super) fn page(d: &SiteData, links: &Links) -> Page {
    let latest = d.results.last();
    let names: Vec<String> = d.profile.features.iter().map(|f| f.name.clone()).collect();
    let (alert_verdict, other_verdict) =
        verdict_names(latest.map_or(DriftVerdict::PsiKl, |r| r.data_drift.alert_verdict));
    let (psi_kl_header, size_aware_header) =
        verdict_headers(latest.map_or(DriftVerdict::PsiKl, |r| r.data_drift.alert_verdict));
    let mut figures = Vec::new();
    figures.extend(latest.map(|r| psi_figure(r, "psi-latest")));
    figures.push(heatmap_figure(d, &names));
    figures.push(heatmap_links(links, &names));
    figures.push(concept_figure(d));
    let view = DriftView {
        latest: latest.map(|r| r.batch_id.clone()),
        triage: d
            .results
            .len()
            .checked_sub(1)
            .map_or_else(Vec::new, |k| triage::rows(d, links, k)),
        psi_kl_header,
        size_aware_header,
        alert_verdict,
        other_verdict,
        batches: d
            .results
            .iter()
            .filter_map(|r| {
                Some(LinkTo {
                    name: format!("{} ({})", r.batch_id, readable_date(&r.timestamp)),
                    href: links.batch(&r.batch_id)?,
                })
            })
            .collect(),
        concept: d.results.iter().map(concept_row).collect(),
        features: names
            .iter()
            .map(|name| FeatureLink {
                name: name.clone(),
                href: links.feature(name),
            })
            .collect(),
        calibrated: latest.map(|r| r.data_drift.calibrated_drifted_features.clone()),
    };
    Page {
        file: "drift.html".into(),
        title: "Drift".into(),
        view: PageView::Drift(view),
        figures,
        crumbs: Vec::new(),
    }
}

fn concept_row(r: &MonitoringResult) -> ConceptRow {
    ConceptRow {
        id: r.batch_id.clone(),
        diagnosis: diagnosis_text(r.diagnosis),
        drifted: r.data_drift.drifted_features.len(),
        detected: r.concept_drift.as_ref().is_some_and(|c| c.detected),
        reasons: r
            .concept_drift
            .as_ref()
            .map(|c| c.reasons.clone())
            .unwrap_or_default(),
        labelled: r.labelled,
        located: r
            .segments
            .as_ref()
            .and_then(|s| s.segments.first())
            .map(super::performance::segment_sentence),
    }
}

/// PSI per feature of a batch, highest first.
pub(super) fn psi_figure(r: &MonitoringResult, id: &str) -> Figure {
    let mut bars: Vec<(String, f64, String)> = r
        .data_drift
        .features
        .iter()
        .map(|f| (f.name.clone(), f.psi.unwrap_or(0.0), f.severity.to_string()))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    Figure::new(
        id,
        &figures::psi_bars(
            &bars,
            PSI_THRESHOLD_LINE,
            &format!(
                "How far each feature moved, {} (PSI; 0.2 = large shift)",
                r.batch_id
            ),
        ),
    )
}

/// Where a click on a heat-map cell leads: the feature's page (root-relative), by name; the
/// chart script adds the batch as the fragment.
fn heatmap_links(links: &Links, names: &[String]) -> Figure {
    let map: std::collections::BTreeMap<&str, String> = names
        .iter()
        .filter_map(|n| Some((n.as_str(), links.feature(n)?)))
        .collect();
    let json = serde_json::to_string(&map)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    Figure {
        id: "psi-heatmap-links".into(),
        json,
    }
}

/// PSI by feature (rows, profile order) and batch (columns); 0 where absent.
fn heatmap_figure(d: &SiteData, names: &[String]) -> Figure {
    let z: Vec<Vec<f64>> = names
        .iter()
        .map(|name| {
            d.results
                .iter()
                .map(|r| {
                    r.data_drift
                        .features
                        .iter()
                        .find(|f| &f.name == name)
                        .and_then(|f| f.psi)
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .collect();
    Figure::new(
        "psi-heatmap",
        &figures::psi_heatmap(&batch_ids(d), names, z),
    )
}

/// Realized against expected AUC and error rate per batch.
fn concept_figure(d: &SiteData) -> Figure {
    let series = |f: fn(&ConceptDrift) -> Option<f64>| -> Vec<Option<f64>> {
        d.results
            .iter()
            .map(|r| r.concept_drift.as_ref().and_then(f))
            .collect()
    };
    Figure::new(
        "concept",
        &figures::metric_trends(
            &batch_ids(d),
            &[
                ("measured AUC", series(|c| c.auc), None),
                (
                    "expected AUC for the batch's inputs",
                    series(|c| c.expected_auc),
                    None,
                ),
                ("measured error rate", series(|c| Some(c.error_rate)), None),
                (
                    "expected error rate",
                    series(|c| Some(c.expected_error_rate)),
                    None,
                ),
            ],
            &figures::Trend {
                title: "Measured vs expected for each batch's inputs (dotted: expected)",
                y_title: "AUC or error rate (0–1)",
                x_title: "batch",
                y_span: Some((0.0, 1.0)),
                lines: Vec::new(),
                colors: vec!["#2471a3", "#2471a3", "#a04000", "#a04000"],
                dashed: vec![1, 3],
            },
        ),
    )
}
