//! Serving skew: the probabilities a serving system logged against the champion's own scores
//! of the same rows.

/// Two probabilities of one row differ when they are further apart than this: the forest's
/// scores are exact sums of leaf shares, so a serving system running this model on these
/// inputs reproduces them to the last few bits; 1e-6 leaves room for a float32 round trip
/// (about 6e-8 near 1) and nothing more.
pub const SKEW_TOLERANCE: f64 = 1e-6;

/// What re-scoring logged rows found.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SkewCounts {
    /// Rows compared.
    pub checked: u64,
    /// Rows whose probabilities differ by more than [`SKEW_TOLERANCE`].
    pub differing: u64,
    /// Largest absolute difference.
    pub max_difference: f64,
}

impl SkewCounts {
    /// Adds the comparison of `logged` with `rescored` (row by row; extra rows of the longer
    /// slice are ignored).
    ///
    /// # Example
    /// ```
    /// use driftscope_performance::SkewCounts;
    /// let mut s = SkewCounts::default();
    /// s.add(&[0.2, 0.5, 0.9], &[0.2, 0.5000001, 0.7]);
    /// assert_eq!((s.checked, s.differing), (3, 1));
    /// assert!((s.max_difference - 0.2).abs() < 1e-12);
    /// ```
    pub fn add(&mut self, logged: &[f64], rescored: &[f64]) {
        for (x, y) in rescored.iter().zip(logged) {
            let d = (x - y).abs();
            self.checked += 1;
            self.differing += u64::from(d > SKEW_TOLERANCE);
            self.max_difference = self.max_difference.max(d);
        }
    }
}
