//! The Drift page: PSI of the latest batch, the top drifted features, the PSI heat map, the
//! concept-drift analysis and links to every feature's page.

use driftscope_artifacts::{ConceptDrift, FeatureDrift, MonitoringResult, Severity};
use serde::Serialize;

use super::{batch_ids, feature_href, Figure, Page, PageView, PSI_THRESHOLD_LINE};
use crate::figures;
use crate::format::{diagnosis_text, f4, p_value};
use crate::SiteData;

/// What the Drift page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DriftView {
    /// The latest batch's id.
    pub latest: Option<String>,
    /// The latest batch's drifted features (either verdict), highest PSI first.
    pub top: Vec<DriftedFeature>,
    pub concept: Vec<ConceptRow>,
    pub features: Vec<FeatureLink>,
    /// The latest batch's features drifted by the size-aware verdict.
    pub calibrated: Option<Vec<String>>,
}

/// A drifted feature of the latest batch.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DriftedFeature {
    pub name: String,
    pub href: String,
    #[serde(rename = "type")]
    pub feature_type: String,
    pub psi: String,
    pub severity: String,
    /// The KS or chi-square p-value.
    pub p: String,
    pub findings: Vec<String>,
    pub calibrated: Option<CalibratedVerdict>,
}

/// The size-aware verdict of a feature.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalibratedVerdict {
    pub detected: bool,
    pub p_adjusted: String,
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
    pub href: String,
}

pub(super) fn page(d: &SiteData) -> Page {
    let latest = d.results.last();
    let names: Vec<String> = d.profile.features.iter().map(|f| f.name.clone()).collect();
    let mut figures = Vec::new();
    figures.extend(latest.map(psi_latest_figure));
    figures.push(heatmap_figure(d, &names));
    figures.push(concept_figure(d));
    let view = DriftView {
        latest: latest.map(|r| r.batch_id.clone()),
        top: latest.map_or_else(Vec::new, |r| top_drifted(r, &names)),
        concept: d.results.iter().map(concept_row).collect(),
        features: names
            .iter()
            .enumerate()
            .map(|(i, name)| FeatureLink {
                name: name.clone(),
                href: feature_href(i),
            })
            .collect(),
        calibrated: latest.map(|r| r.data_drift.calibrated_drifted_features.clone()),
    };
    Page {
        file: "drift.html".into(),
        title: "Drift".into(),
        view: PageView::Drift(view),
        figures,
    }
}

/// Features drifted by either verdict, highest PSI first.
fn top_drifted(r: &MonitoringResult, names: &[String]) -> Vec<DriftedFeature> {
    let mut drifted: Vec<&FeatureDrift> = r
        .data_drift
        .features
        .iter()
        .filter(|f| {
            f.severity != Severity::None || f.calibrated.as_ref().is_some_and(|c| c.drift_detected)
        })
        .collect();
    drifted.sort_by(|a, b| b.psi.unwrap_or(0.0).total_cmp(&a.psi.unwrap_or(0.0)));
    drifted
        .into_iter()
        .map(|f| {
            let index = names.iter().position(|n| *n == f.name).unwrap_or(0);
            DriftedFeature {
                name: f.name.clone(),
                href: feature_href(index),
                feature_type: f.feature_type.to_string(),
                psi: f4(f.psi),
                severity: f.severity.to_string(),
                p: p_value(f.ks.map(|k| k.p_value).or(f.chi_square.map(|c| c.p_value))),
                findings: f.findings.clone(),
                calibrated: f.calibrated.as_ref().map(|c| CalibratedVerdict {
                    detected: c.drift_detected,
                    p_adjusted: p_value(Some(c.p_adjusted)),
                }),
            }
        })
        .collect()
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

/// PSI per feature of the latest batch, highest first.
fn psi_latest_figure(r: &MonitoringResult) -> Figure {
    let mut bars: Vec<(String, f64, String)> = r
        .data_drift
        .features
        .iter()
        .map(|f| (f.name.clone(), f.psi.unwrap_or(0.0), f.severity.to_string()))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    Figure::new(
        "psi-latest",
        &figures::psi_bars(
            &bars,
            PSI_THRESHOLD_LINE,
            &format!("PSI per feature, {} (line: threshold)", r.batch_id),
        ),
    )
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
                ("realized AUC", series(|c| c.auc), None),
                (
                    "expected AUC for the batch's inputs",
                    series(|c| c.expected_auc),
                    None,
                ),
                ("realized error rate", series(|c| Some(c.error_rate)), None),
                (
                    "expected error rate",
                    series(|c| Some(c.expected_error_rate)),
                    None,
                ),
            ],
            "Concept drift: realized vs expected performance",
        ),
    )
}
