//! The rolling window: metrics over the newest labelled rows, across batches.

use driftscope_artifacts::{BatchScores, RollingWindow};

use crate::error::Result;

/// Metrics over the newest `want` labelled rows: this batch's (`labels`, `p`) and, before
/// them, earlier batches' stored scores (`earlier`, newest first).
pub fn rolling_window(
    batch_id: &str,
    labels: &[bool],
    p: &[f64],
    earlier: &[BatchScores],
    want: usize,
    threshold: f64,
) -> Result<RollingWindow> {
    // Only the newest `want` rows can be in the window.
    let tail = labels.len().saturating_sub(want);
    let (mut ys, mut ps) = (labels[tail..].to_vec(), p[tail..].to_vec());
    let mut contributing = vec![batch_id.to_string()];
    for s in earlier {
        if ys.len() >= want {
            break;
        }
        if let Some(l) = &s.labels {
            ys.splice(0..0, l.iter().copied());
            ps.splice(0..0, s.probabilities.iter().copied());
            contributing.push(s.batch_id.clone());
        }
    }
    let start = ys.len().saturating_sub(want);
    let metrics =
        driftscope_performance::classification_metrics(&ys[start..], &ps[start..], threshold)?;
    contributing.reverse();
    Ok(RollingWindow {
        rows: (ys.len() - start) as u64,
        batches: contributing,
        metrics,
    })
}
