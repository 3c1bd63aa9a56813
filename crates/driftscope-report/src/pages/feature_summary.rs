//! A feature page's side-by-side summary: the reference (training data) next to every batch
//! (count, missing share and the summary statistics for a numerical feature, the shares of the
//! most common categories for a categorical one), and the value-axis histogram of the latest
//! batch against the reference sample.

use driftscope_artifacts::{FeatureDrift, FeatureProfile, FeatureType, NumericSummary};
use serde::Serialize;

use super::Figure;
use crate::figures;
use crate::format::percent;

/// Categories listed in a categorical feature's summary (the reference's most common ones).
const TOP_CATEGORIES: usize = 5;

/// The summary table: a header per column (reference, then each batch) and labelled rows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryTable {
    pub columns: Vec<String>,
    pub rows: Vec<SummaryRow>,
}

/// One statistic across the columns.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SummaryRow {
    pub label: String,
    pub values: Vec<String>,
}

/// The reference and each batch's summary of feature `fp`.
pub(super) fn summary_table(
    fp: &FeatureProfile,
    drift_per_batch: &[(&str, Option<&FeatureDrift>)],
) -> SummaryTable {
    let mut columns = vec!["at training".to_string()];
    columns.extend(drift_per_batch.iter().map(|(id, _)| (*id).to_string()));
    let present = |f: &FeatureDrift| -> u64 {
        f.distribution
            .as_ref()
            .map_or(0, |d| d.current.iter().sum())
    };
    let mut rows = vec![
        row("values", fp.count.to_string(), drift_per_batch, |f| {
            present(f).to_string()
        }),
        row(
            "missing",
            share(fp.missing, fp.count + fp.missing),
            drift_per_batch,
            |f| share(f.current_missing, present(f) + f.current_missing),
        ),
    ];
    match (fp.feature_type, &fp.summary) {
        (FeatureType::Numerical, reference) => {
            rows.extend(numeric_rows(reference.as_ref(), drift_per_batch));
        }
        _ => rows.extend(category_rows(fp, drift_per_batch, present)),
    }
    SummaryTable { columns, rows }
}

/// A row: the reference's value, then `batch(f)` for each batch (a dash where absent).
fn row(
    label: &str,
    reference: String,
    drift_per_batch: &[(&str, Option<&FeatureDrift>)],
    batch: impl Fn(&FeatureDrift) -> String,
) -> SummaryRow {
    let mut values = vec![reference];
    values.extend(
        drift_per_batch
            .iter()
            .map(|(_, f)| f.map_or_else(|| "–".into(), &batch)),
    );
    SummaryRow {
        label: label.into(),
        values,
    }
}

fn share(part: u64, total: u64) -> String {
    if total == 0 {
        "–".into()
    } else {
        percent(part as f64 / total as f64)
    }
}

/// A number with two decimals, or a dash.
fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

/// One statistic of a numerical summary.
type Stat = fn(&NumericSummary) -> f64;

/// Mean, standard deviation, minimum, quartiles and maximum.
fn numeric_rows(
    reference: Option<&NumericSummary>,
    drift_per_batch: &[(&str, Option<&FeatureDrift>)],
) -> Vec<SummaryRow> {
    let stats: [(&str, Stat); 7] = [
        ("mean", |s| s.mean),
        ("standard deviation", |s| s.std),
        ("minimum", |s| s.min),
        ("25th percentile", |s| s.p25),
        ("median", |s| s.median),
        ("75th percentile", |s| s.p75),
        ("maximum", |s| s.max),
    ];
    stats
        .iter()
        .map(|(label, get)| {
            row(label, num(reference.map(get)), drift_per_batch, |f| {
                num(f.current_summary.as_ref().map(get))
            })
        })
        .collect()
}

/// The share of each of the reference's most common categories among the non-missing values.
fn category_rows(
    fp: &FeatureProfile,
    drift_per_batch: &[(&str, Option<&FeatureDrift>)],
    present: impl Fn(&FeatureDrift) -> u64,
) -> Vec<SummaryRow> {
    let mut top: Vec<_> = fp.categories.iter().collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    top.into_iter()
        .take(TOP_CATEGORIES)
        .map(|c| {
            row(
                &format!("share “{}”", c.value),
                share(c.count, fp.count),
                drift_per_batch,
                |f| {
                    let n = f.distribution.as_ref().map_or(0, |d| {
                        d.labels
                            .iter()
                            .zip(&d.current)
                            .filter(|(l, _)| **l == c.value)
                            .map(|(_, n)| *n)
                            .sum()
                    });
                    share(n, present(f))
                },
            )
        })
        .collect()
}

/// The latest batch's values against the reference sample on a shared value axis (numerical
/// features with a value histogram).
pub(super) fn value_figure(
    name: &str,
    drift_per_batch: &[(&str, Option<&FeatureDrift>)],
) -> Option<Figure> {
    let (id, h) = drift_per_batch
        .iter()
        .rev()
        .find_map(|(id, f)| Some((*id, f.and_then(|f| f.value_histogram.as_ref())?)))?;
    let centers: Vec<f64> = h.edges.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
    let width = h
        .edges
        .windows(2)
        .map(|w| w[1] - w[0])
        .next()
        .unwrap_or(1.0);
    let shares = |counts: &[u64]| -> Vec<f64> {
        let total = counts.iter().sum::<u64>().max(1) as f64;
        counts.iter().map(|&c| c as f64 / total).collect()
    };
    Some(Figure::new(
        "values",
        &figures::value_histogram(
            &centers,
            if width > 0.0 { width } else { 1.0 },
            &[
                ("at training (sample)", shares(&h.reference), "#7f8c8d"),
                (id, shares(&h.current), "#2471a3"),
            ],
            &format!("{name} (the feature's own units)"),
            &format!("{name} on its value axis: training sample vs {id}"),
        ),
    ))
}
