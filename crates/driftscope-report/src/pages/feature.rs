//! One page per feature: its reference, its distribution in each batch and its statistics over
//! time.

use driftscope_artifacts::{
    DriftVerdict, FeatureDrift, FeatureProfile, FeatureType, MonitoringResult,
};
use serde::Serialize;

use super::batch::{psi_kl_text, size_aware_text};
use super::feature_summary::{summary_table, value_figure, SummaryTable};
use super::links::{Crumb, Links};
use super::{batch_ids, Figure, Page, PageView, PSI_THRESHOLD_LINE};
use crate::figures;
use crate::format::{f4, p_value, percent, round_numbers};
use crate::SiteData;

/// What a feature's page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeatureView {
    pub name: String,
    #[serde(rename = "type")]
    pub feature_type: String,
    pub count: u64,
    pub missing: u64,
    pub distinct: u64,
    pub summary: Option<SummaryFigures>,
    /// The reference next to every batch.
    pub table: SummaryTable,
    /// A value-axis histogram is drawn (numerical features).
    pub has_values: bool,
    pub stats: Vec<FeatureStats>,
}

/// The reference summary of a numerical feature, formatted.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryFigures {
    pub mean: String,
    pub std: String,
    pub min: String,
    pub median: String,
    pub max: String,
}

/// The feature's drift statistics in one batch.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FeatureStats {
    pub id: String,
    /// The row's fragment id (`batch-<anchor>`), the batch id as a slug.
    pub anchor: String,
    pub psi: String,
    pub kl: String,
    pub js: String,
    pub wasserstein: String,
    pub ks: String,
    pub mwu: String,
    pub chi: String,
    pub severity: String,
    /// Missing share of the batch's rows, with the count.
    pub missing: String,
    /// The PSI/KL verdict and the size-aware verdict with its test and cutoff.
    pub psi_kl: String,
    pub size_aware: String,
    /// Whether the PSI/KL verdict drives alerts (else the size-aware one does).
    pub psi_kl_alerts: bool,
    pub findings: Vec<String>,
}

pub(super) fn page(d: &SiteData, links: &Links, fp: &FeatureProfile) -> Page {
    let drift_per_batch: Vec<(&str, Option<&FeatureDrift>)> = d
        .results
        .iter()
        .map(|r| {
            let f = r.data_drift.features.iter().find(|f| f.name == fp.name);
            (r.batch_id.as_str(), f)
        })
        .collect();
    let stats = drift_per_batch
        .iter()
        .zip(&d.results)
        .filter_map(|((id, f), r)| f.map(|f| feature_stats(id, f, r)))
        .collect();
    let psi: Vec<Option<f64>> = drift_per_batch
        .iter()
        .map(|(_, f)| f.and_then(|f| f.psi))
        .collect();
    let values = value_figure(&fp.name, &drift_per_batch);
    let has_values = values.is_some();
    let mut figures = vec![
        distribution_figure(fp, &drift_per_batch),
        Figure::new(
            "psi",
            &figures::metric_trends(
                &batch_ids(d),
                &[("PSI", psi, None)],
                &figures::Trend {
                    title: "How far the distribution moved, per batch",
                    y_title: "PSI (0 = unchanged)",
                    x_title: "batch",
                    y_span: Some((0.0, 0.25)),
                    lines: vec![(
                        PSI_THRESHOLD_LINE,
                        format!("drift threshold {PSI_THRESHOLD_LINE}"),
                    )],
                    ..Default::default()
                },
            ),
        ),
    ];
    let view = FeatureView {
        name: fp.name.clone(),
        feature_type: fp.feature_type.to_string(),
        count: fp.count,
        missing: fp.missing,
        distinct: fp.distinct,
        summary: fp.summary.as_ref().map(|s| SummaryFigures {
            mean: f4(Some(s.mean)),
            std: f4(Some(s.std)),
            min: f4(Some(s.min)),
            median: f4(Some(s.median)),
            max: f4(Some(s.max)),
        }),
        table: summary_table(fp, &drift_per_batch),
        has_values,
        stats,
    };
    figures.extend(values);
    Page {
        file: links.feature(&fp.name).unwrap_or_default(),
        title: fp.name.clone(),
        view: PageView::Feature(view),
        figures,
        crumbs: vec![
            Crumb::link("Overview", "index.html"),
            Crumb::link("Drift", "drift.html"),
            Crumb::here(fp.name.clone()),
        ],
    }
}

fn feature_stats(batch_id: &str, f: &FeatureDrift, r: &MonitoringResult) -> FeatureStats {
    let rows = r.data_drift.current_rows.max(1) as f64;
    FeatureStats {
        id: batch_id.to_string(),
        anchor: super::links::slug(batch_id),
        psi: f4(f.psi),
        kl: f4(f.kl_divergence),
        js: f4(f.js_distance),
        wasserstein: f4(f.wasserstein_normed),
        ks: p_value(f.ks.map(|k| k.p_value)),
        mwu: p_value(f.mann_whitney.map(|k| k.p_value)),
        chi: p_value(f.chi_square.map(|c| c.p_value)),
        severity: f.severity.to_string(),
        missing: format!(
            "{} ({} rows)",
            percent(f.current_missing as f64 / rows),
            f.current_missing
        ),
        psi_kl: psi_kl_text(f),
        size_aware: size_aware_text(f),
        psi_kl_alerts: r.data_drift.alert_verdict == DriftVerdict::PsiKl,
        findings: f.findings.iter().map(|x| round_numbers(x)).collect(),
    }
}

/// The bar labels added after the reference's bins: values the reference never had, and
/// missing values. With them every series sums to 1.
const NEW_VALUE: &str = "new value";
const MISSING: &str = "missing";

/// Shares per bin over all rows (missing ones included): the reference, then each batch on the
/// reference's bins, with every value the reference never had in one "new value" bar and the
/// missing values in a "missing" bar.
fn distribution_figure(
    fp: &FeatureProfile,
    drift_per_batch: &[(&str, Option<&FeatureDrift>)],
) -> Figure {
    let mut labels: Vec<String> = match fp.feature_type {
        FeatureType::Numerical => drift_per_batch
            .iter()
            .find_map(|(_, f)| f.and_then(|f| f.distribution.as_ref()))
            .map(|d| d.labels.clone())
            .unwrap_or_default(),
        FeatureType::Categorical | FeatureType::Identifier => {
            fp.categories.iter().map(|c| c.value.clone()).collect()
        }
    };
    let mut reference = reference_counts(fp);
    reference.resize(labels.len(), 0);
    reference.extend([0, fp.missing]);
    let mut series = vec![("reference".to_string(), shares(&reference))];
    for (id, f) in drift_per_batch {
        let Some((f, dist)) = f.and_then(|f| f.distribution.as_ref().map(|d| (f, d))) else {
            continue;
        };
        let mut counts = vec![0u64; labels.len() + 2];
        for (label, &c) in dist.labels.iter().zip(&dist.current) {
            let k = labels
                .iter()
                .position(|l| l == label)
                .unwrap_or(labels.len());
            counts[k] += c;
        }
        counts[labels.len() + 1] = f.current_missing;
        series.push((id.to_string(), shares(&counts)));
    }
    labels.extend([NEW_VALUE.to_string(), MISSING.to_string()]);
    Figure::new(
        "dist",
        &figures::distribution(
            &labels,
            &series,
            &format!(
                "{}: share of rows per value, reference vs each batch",
                fp.name
            ),
        ),
    )
}

/// The reference count per bin (numerical) or per category.
fn reference_counts(fp: &FeatureProfile) -> Vec<u64> {
    match fp.feature_type {
        FeatureType::Numerical => fp.bin_counts.clone(),
        FeatureType::Categorical | FeatureType::Identifier => {
            fp.categories.iter().map(|c| c.count).collect()
        }
    }
}

/// Each count over the total (0 when the total is 0).
fn shares(counts: &[u64]) -> Vec<f64> {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| {
            if total == 0 {
                0.0
            } else {
                c as f64 / total as f64
            }
        })
        .collect()
}
