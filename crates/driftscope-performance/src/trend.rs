//! The trend of a metric over batches.

/// Least-squares slope of `values` against 0, 1, 2, ... (per step); `None` below 3 values.
///
/// # Example
/// ```
/// use driftscope_performance::trend_slope;
/// assert_eq!(trend_slope(&[3.0, 2.0, 1.0]), Some(-1.0));
/// assert_eq!(trend_slope(&[1.0, 2.0]), None);
/// ```
pub fn trend_slope(values: &[f64]) -> Option<f64> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mean_x = (nf - 1.0) / 2.0;
    let mean_y = values.iter().sum::<f64>() / nf;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, y) in values.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y - mean_y);
        sxx += dx * dx;
    }
    Some(sxy / sxx)
}
