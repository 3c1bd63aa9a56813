//! The segments of a batch's rows for concept-drift localization: each category of a
//! categorical feature (categories the reference never saw form one segment), each reference
//! quantile bin of a numerical feature (the reference profile's PSI bins).

use driftscope_artifacts::{FeatureType, ReferenceProfile};
use driftscope_data::{is_missing, Table};
use driftscope_performance::SegmentColumn;

use crate::error::Result;

/// Name of the segment of categories the reference never saw.
pub const UNSEEN_SEGMENT: &str = "(never seen)";

/// Every profiled feature's segment per row of `table` (features absent from the table are
/// left out). The segments depend only on the profile, so chunks of a streamed batch give
/// columns that concatenate.
pub(crate) fn segment_columns(
    table: &Table,
    profile: &ReferenceProfile,
) -> Result<Vec<SegmentColumn>> {
    let mut out = Vec::new();
    for f in profile
        .features
        .iter()
        .filter(|f| table.has_column(&f.name))
    {
        if f.feature_type == FeatureType::Numerical {
            let labels = bin_labels(&f.bin_edges);
            let codes = table
                .numeric(&f.name)?
                .into_iter()
                .map(|v| {
                    driftscope_drift::bin_index(&f.bin_edges, v)
                        .ok()
                        .map(|b| b as u32)
                })
                .collect();
            out.push(SegmentColumn {
                feature: f.name.clone(),
                labels,
                codes,
            });
        } else {
            let mut labels: Vec<String> = f.categories.iter().map(|c| c.value.clone()).collect();
            let unseen = labels.len() as u32;
            let codes = table
                .text(&f.name)?
                .codes(|t| {
                    if is_missing(t) {
                        0
                    } else {
                        labels
                            .binary_search_by(|l| l.as_str().cmp(t))
                            .map_or(unseen + 1, |k| k as u32 + 1)
                    }
                })
                .into_iter()
                .map(|c| c.checked_sub(1))
                .collect();
            labels.push(UNSEEN_SEGMENT.to_string());
            out.push(SegmentColumn {
                feature: f.name.clone(),
                labels,
                codes,
            });
        }
    }
    Ok(out)
}

/// Names of the bins `(-inf, e1], (e1, e2], ..., (ek, inf)`: `<= e1`, `(e1, e2]`, `> ek`.
fn bin_labels(edges: &[f64]) -> Vec<String> {
    let Some((first, last)) = edges.first().zip(edges.last()) else {
        return vec!["all".to_string()];
    };
    let mut labels = vec![format!("<= {}", edge(*first))];
    labels.extend(
        edges
            .windows(2)
            .map(|w| format!("({}, {}]", edge(w[0]), edge(w[1]))),
    );
    labels.push(format!("> {}", edge(*last)));
    labels
}

/// A bin edge with at most 4 decimals, trailing zeros dropped (`94.17000000000003` -> `94.17`).
fn edge(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Concatenates the columns of a later chunk to those of an earlier one.
pub(crate) fn concat(mut a: Vec<SegmentColumn>, b: Vec<SegmentColumn>) -> Vec<SegmentColumn> {
    for (x, y) in a.iter_mut().zip(b) {
        x.codes.extend(y.codes);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_named_by_their_edges() {
        assert_eq!(
            bin_labels(&[2.0, 12.5, 94.170_000_000_000_03]),
            vec!["<= 2", "(2, 12.5]", "(12.5, 94.17]", "> 94.17"]
        );
        assert_eq!(bin_labels(&[]), vec!["all"]);
    }
}
