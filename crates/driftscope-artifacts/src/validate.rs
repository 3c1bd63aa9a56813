//! Structural checks run on every artifact as it is read ([`crate::Artifact::validate`], which calls the `check_structure` methods here): a file
//! that parses but breaks a rule the code relies on (a forest with no trees, a child index out of
//! range, unsorted bin edges, counts that do not add up, ...) is refused naming the field, before
//! any statistic or score is computed from it.

use std::collections::HashSet;

use crate::{
    BaselineMetrics, BatchScores, Champion, Encoding, FeatureProfile, FeatureType, ModelArtifact,
    PerformanceHistory, ReferenceProfile, ReferenceSample, Tree,
};

/// A field of an artifact that breaks a structural rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Path of the field (e.g. `forest.trees[3].left[7]`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// Shorthand for a failed check.
fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Most trees a model may hold: ten times the largest `model.n_trees` the config accepts, so a
/// crafted file cannot make scoring run for hours.
pub const MAX_TREES: usize = 10_000;

/// Most nodes per tree: a full binary tree of depth 24 (well past any `model.max_depth` that
/// trains on a machine like this one); bounds scoring work and memory per tree.
pub const MAX_TREE_NODES: usize = (1 << 25) - 1;

/// Most quantile bins a profile may ask for (the `data_drift.n_bins` limit).
pub const MAX_PROFILE_BINS: usize = 1000;

/// Checks that names are non-empty and unique; `field` names the list.
fn unique_names<'a>(field: &str, names: impl Iterator<Item = &'a str>) -> Result<(), Invalid> {
    let mut seen = HashSet::new();
    for (i, n) in names.enumerate() {
        if n.is_empty() {
            return Err(invalid(format!("{field}[{i}]"), "empty name"));
        }
        if !seen.insert(n) {
            return Err(invalid(
                format!("{field}[{i}]"),
                format!("duplicate name {n:?}"),
            ));
        }
    }
    Ok(())
}

/// Checks that `values` are finite and strictly increasing (`strict`) or non-decreasing.
fn increasing(field: &str, values: &[f64], strict: bool) -> Result<(), Invalid> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(invalid(
            format!("{field}[{i}]"),
            format!("expected a finite number, found {}", values[i]),
        ));
    }
    for (i, w) in values.windows(2).enumerate() {
        if w[1] < w[0] || (strict && w[1] == w[0]) {
            let rule = if strict {
                "strictly increasing"
            } else {
                "sorted ascending"
            };
            return Err(invalid(
                format!("{field}[{}]", i + 1),
                format!("values must be {rule}, found {} after {}", w[1], w[0]),
            ));
        }
    }
    Ok(())
}

/// Checks that a probability is in [0, 1].
fn probability(field: String, v: f64) -> Result<(), Invalid> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("expected a probability in [0, 1], found {v}"),
        ))
    }
}

impl ModelArtifact {
    /// The structural rules scoring relies on: labels, features and their encodings, the
    /// encoded names, and every tree (see `check_tree`).
    pub fn check_structure(&self) -> Result<(), Invalid> {
        self.check_calibration()?;
        for (field, v) in [
            ("model_version", &self.model_version),
            ("target", &self.target),
            ("positive_label", &self.positive_label),
            ("negative_label", &self.negative_label),
        ] {
            if v.is_empty() {
                return Err(invalid(field, "must not be empty"));
            }
        }
        if self.positive_label == self.negative_label {
            return Err(invalid("negative_label", "equals positive_label"));
        }
        if self.features.is_empty() {
            return Err(invalid("features", "the model has no features"));
        }
        unique_names("features", self.features.iter().map(|f| f.name.as_str()))?;
        for (i, f) in self.features.iter().enumerate() {
            check_encoding(&format!("features[{i}].encoding"), &f.encoding)?;
        }
        let width: usize = self.features.iter().map(|f| f.encoding.width()).sum();
        if self.encoded_names.len() != width {
            return Err(invalid(
                "encoded_names",
                format!(
                    "{} names for {width} encoded inputs",
                    self.encoded_names.len()
                ),
            ));
        }
        let trees = &self.forest.trees;
        if self.model_kind == crate::ModelKind::External {
            if !trees.is_empty() {
                return Err(invalid("forest.trees", "an external model has no trees"));
            }
            return Ok(());
        }
        if trees.is_empty() || trees.len() > MAX_TREES {
            return Err(invalid(
                "forest.trees",
                format!("expected 1 to {MAX_TREES} trees, found {}", trees.len()),
            ));
        }
        for (t, tree) in trees.iter().enumerate() {
            check_tree(&format!("forest.trees[{t}]"), tree, width)?;
        }
        Ok(())
    }
}

impl ModelArtifact {
    /// A beta calibrator's parameters (and every bootstrap refit's) are finite, with
    /// non-negative weights (the map must not fall as the raw probability rises).
    fn check_calibration(&self) -> Result<(), Invalid> {
        let beta = |field: String, [a, b, c]: [f64; 3]| {
            if !(a.is_finite() && b.is_finite() && c.is_finite()) || a < 0.0 || b < 0.0 {
                return Err(invalid(
                    field,
                    format!("a beta calibrator needs finite parameters with a, b >= 0, found [{a}, {b}, {c}]"),
                ));
            }
            Ok(())
        };
        if let Some(crate::Calibrator::Beta { a, b, c }) = self.calibration {
            beta("calibration".to_string(), [a, b, c])?;
        }
        for (i, p) in self.calibration_bootstrap.iter().flatten().enumerate() {
            beta(format!("calibration_bootstrap[{i}]"), *p)?;
        }
        Ok(())
    }
}

/// A numeric fill is finite; one-hot categories are non-empty, sorted, unique (scoring finds a
/// category by binary search, and a feature with none would make monitoring blind to it).
fn check_encoding(field: &str, e: &Encoding) -> Result<(), Invalid> {
    match e {
        Encoding::Numeric { fill } if !fill.is_finite() => Err(invalid(
            format!("{field}.fill"),
            format!("expected a finite number, found {fill}"),
        )),
        Encoding::Numeric { .. } => Ok(()),
        Encoding::OneHot { categories } if categories.is_empty() => Err(invalid(
            format!("{field}.categories"),
            "a one-hot feature needs at least one category",
        )),
        Encoding::OneHot { categories } => {
            for (i, w) in categories.windows(2).enumerate() {
                if w[0] >= w[1] {
                    return Err(invalid(
                        format!("{field}.categories[{}]", i + 1),
                        format!(
                            "categories must be sorted and unique, found {:?} after {:?}",
                            w[1], w[0]
                        ),
                    ));
                }
            }
            Ok(())
        }
    }
}

/// A tree's five arrays have one length (1 to [`MAX_TREE_NODES`]); an inner node's feature is
/// an encoded input, its threshold is not NaN and its children come after it (so every walk
/// ends at a leaf); a leaf's value is a probability.
fn check_tree(field: &str, t: &Tree, width: usize) -> Result<(), Invalid> {
    let n = t.feature.len();
    if n == 0 || n > MAX_TREE_NODES {
        return Err(invalid(
            format!("{field}.feature"),
            format!("expected 1 to {MAX_TREE_NODES} nodes, found {n}"),
        ));
    }
    for (name, len) in [
        ("threshold", t.threshold.len()),
        ("left", t.left.len()),
        ("right", t.right.len()),
        ("value", t.value.len()),
    ] {
        if len != n {
            return Err(invalid(
                format!("{field}.{name}"),
                format!("{len} entries for {n} nodes"),
            ));
        }
    }
    for i in 0..n {
        let f = t.feature[i];
        if f < 0 {
            if f != -1 {
                return Err(invalid(
                    format!("{field}.feature[{i}]"),
                    format!("expected -1 (leaf) or an input index, found {f}"),
                ));
            }
            probability(format!("{field}.value[{i}]"), t.value[i])?;
            continue;
        }
        if f as usize >= width {
            return Err(invalid(
                format!("{field}.feature[{i}]"),
                format!("input index {f} out of range: the model has {width} encoded inputs"),
            ));
        }
        if t.threshold[i].is_nan() {
            return Err(invalid(format!("{field}.threshold[{i}]"), "NaN threshold"));
        }
        for (side, c) in [("left", t.left[i]), ("right", t.right[i])] {
            let c = c as usize;
            if c <= i || c >= n {
                return Err(invalid(
                    format!("{field}.{side}[{i}]"),
                    format!("child {c} must come after node {i} and before {n}"),
                ));
            }
        }
    }
    Ok(())
}

impl ReferenceProfile {
    /// `n_bins` in range; target counts; every feature profile (see `check_feature_profile`);
    /// the prediction profile numerical and within [0, 1].
    pub fn check_structure(&self) -> Result<(), Invalid> {
        if self.n_bins < 2 || self.n_bins > MAX_PROFILE_BINS {
            return Err(invalid(
                "n_bins",
                format!(
                    "expected 2 to {MAX_PROFILE_BINS} bins, found {}",
                    self.n_bins
                ),
            ));
        }
        if self.model_version.is_empty() {
            return Err(invalid("model_version", "must not be empty"));
        }
        unique_names(
            "target_counts",
            self.target_counts.iter().map(|c| c.value.as_str()),
        )?;
        unique_names("features", self.features.iter().map(|f| f.name.as_str()))?;
        for (i, f) in self.features.iter().enumerate() {
            check_feature_profile(&format!("features[{i}]"), f, self.n_bins)?;
        }
        if let Some(p) = &self.predictions {
            if p.feature_type != FeatureType::Numerical {
                return Err(invalid("predictions.feature_type", "must be numerical"));
            }
            check_feature_profile("predictions", p, self.n_bins)?;
            for (i, e) in p.bin_edges.iter().enumerate() {
                probability(format!("predictions.bin_edges[{i}]"), *e)?;
            }
        }
        Ok(())
    }
}

/// A numerical profile has finite, strictly increasing edges (fewer than `n_bins`), one count
/// per bin summing to `count`, no categories, and a summary unless empty; a categorical one has
/// categories sorted and unique with positive counts summing to `count`, and no bins.
fn check_feature_profile(field: &str, f: &FeatureProfile, n_bins: usize) -> Result<(), Invalid> {
    match f.feature_type {
        FeatureType::Identifier => Err(invalid(
            format!("{field}.feature_type"),
            "an identifier column cannot be a feature",
        )),
        FeatureType::Numerical => {
            increasing(&format!("{field}.bin_edges"), &f.bin_edges, true)?;
            if f.bin_edges.len() >= n_bins {
                return Err(invalid(
                    format!("{field}.bin_edges"),
                    format!("{} edges for at most {n_bins} bins", f.bin_edges.len()),
                ));
            }
            if f.bin_counts.len() != f.bin_edges.len() + 1 {
                return Err(invalid(
                    format!("{field}.bin_counts"),
                    format!(
                        "{} counts for {} edges (expected one more count than edges)",
                        f.bin_counts.len(),
                        f.bin_edges.len()
                    ),
                ));
            }
            counts_add_up(field, "bin_counts", f.bin_counts.iter().copied(), f.count)?;
            if !f.categories.is_empty() {
                return Err(invalid(
                    format!("{field}.categories"),
                    "a numerical feature has no categories",
                ));
            }
            if f.count > 0 && f.summary.is_none() {
                return Err(invalid(
                    format!("{field}.summary"),
                    "missing for a non-empty numerical feature",
                ));
            }
            Ok(())
        }
        FeatureType::Categorical => {
            if !f.bin_edges.is_empty() || !f.bin_counts.is_empty() {
                return Err(invalid(
                    format!("{field}.bin_edges"),
                    "a categorical feature has no bins",
                ));
            }
            for (i, w) in f.categories.windows(2).enumerate() {
                if w[0].value >= w[1].value {
                    return Err(invalid(
                        format!("{field}.categories[{}]", i + 1),
                        format!(
                            "categories must be sorted and unique, found {:?} after {:?}",
                            w[1].value, w[0].value
                        ),
                    ));
                }
            }
            if let Some(i) = f.categories.iter().position(|c| c.count == 0) {
                return Err(invalid(
                    format!("{field}.categories[{i}].count"),
                    "a listed category has count 0",
                ));
            }
            counts_add_up(
                field,
                "categories",
                f.categories.iter().map(|c| c.count),
                f.count,
            )
        }
    }
}

/// The counts sum (without overflow) to `count`.
fn counts_add_up(
    field: &str,
    list: &str,
    counts: impl Iterator<Item = u64>,
    count: u64,
) -> Result<(), Invalid> {
    let mut sum: u64 = 0;
    for c in counts {
        sum = sum
            .checked_add(c)
            .ok_or_else(|| invalid(format!("{field}.{list}"), "counts overflow"))?;
    }
    if sum != count {
        return Err(invalid(
            format!("{field}.{list}"),
            format!("counts sum to {sum}, but `count` is {count}"),
        ));
    }
    Ok(())
}

impl ReferenceSample {
    /// Every column's values finite and sorted ascending; predictions sorted and in [0, 1].
    pub fn check_structure(&self) -> Result<(), Invalid> {
        unique_names("columns", self.columns.iter().map(|c| c.name.as_str()))?;
        for (i, c) in self.columns.iter().enumerate() {
            increasing(
                &format!("columns[{i}].sorted_values"),
                &c.sorted_values,
                false,
            )?;
        }
        increasing("predictions", &self.predictions, false)?;
        for (i, p) in [self.predictions.first(), self.predictions.last()]
            .into_iter()
            .enumerate()
        {
            if let Some(p) = p {
                let at = if i == 0 {
                    0
                } else {
                    self.predictions.len() - 1
                };
                probability(format!("predictions[{at}]"), *p)?;
            }
        }
        Ok(())
    }
}

impl Champion {
    /// The model version is one plain folder name (it is joined to `models/`).
    pub fn check_structure(&self) -> Result<(), Invalid> {
        check_folder_name("model_version", &self.model_version)
    }
}

/// Longest folder name written from a file's value: within every common file system's limit
/// of 255 bytes.
pub const MAX_NAME_BYTES: usize = 200;

/// `name` is usable as one path component: non-empty, at most [`MAX_NAME_BYTES`], no path
/// separator, not `.` or `..`, no control character.
pub fn check_folder_name(field: &str, name: &str) -> Result<(), Invalid> {
    let bad = if name.is_empty() {
        Some("must not be empty".to_string())
    } else if name.len() > MAX_NAME_BYTES {
        Some(format!(
            "longer than {MAX_NAME_BYTES} bytes ({})",
            name.len()
        ))
    } else if name == "." || name == ".." || name.contains(['/', '\\']) {
        Some(format!("{name:?} is not a plain folder name"))
    } else if name.chars().any(char::is_control) {
        Some(format!("{:?} contains a control character", name))
    } else {
        None
    };
    bad.map_or(Ok(()), |m| Err(invalid(field, m)))
}

impl PerformanceHistory {
    /// Every batch id is a plain folder name (it is joined to `batches/`).
    pub fn check_structure(&self) -> Result<(), Invalid> {
        for (i, e) in self.entries.iter().enumerate() {
            check_folder_name(&format!("entries[{i}].batch_id"), &e.batch_id)?;
        }
        Ok(())
    }
}

impl BatchScores {
    /// One probability in [0, 1] per row, and one label per probability when labelled.
    pub fn check_structure(&self) -> Result<(), Invalid> {
        check_folder_name("batch_id", &self.batch_id)?;
        if let Some(l) = &self.labels {
            if l.len() != self.probabilities.len() {
                return Err(invalid(
                    "labels",
                    format!(
                        "{} labels for {} probabilities",
                        l.len(),
                        self.probabilities.len()
                    ),
                ));
            }
        }
        for (i, p) in self.probabilities.iter().enumerate() {
            probability(format!("probabilities[{i}]"), *p)?;
        }
        Ok(())
    }
}

impl BaselineMetrics {
    /// The rates the concept-drift rules compare with are probabilities.
    pub fn check_structure(&self) -> Result<(), Invalid> {
        let h = &self.holdout;
        for (field, v) in [
            ("expected_error_rate", Some(self.expected_error_rate)),
            ("expected_auc", self.expected_auc),
            ("holdout.auc", h.auc),
            ("holdout.accuracy", Some(h.accuracy)),
            ("holdout.precision", Some(h.precision)),
            ("holdout.recall", Some(h.recall)),
            ("holdout.f1", Some(h.f1)),
            ("holdout.threshold", Some(h.threshold)),
        ] {
            if let Some(v) = v {
                probability(field.to_string(), v)?;
            }
        }
        Ok(())
    }
}

impl crate::SegmentAnalysis {
    /// Rates and p-values are probabilities, every listed segment has rows, Holm's adjusted
    /// p-value is at least the raw one, and at most `segments_tested` segments are listed.
    pub fn check_structure(&self) -> Result<(), Invalid> {
        probability("segments.alpha".into(), self.alpha)?;
        if self.segments.len() as u64 > self.segments_tested {
            return Err(invalid(
                "segments.segments",
                format!(
                    "{} segments listed but {} tested",
                    self.segments.len(),
                    self.segments_tested
                ),
            ));
        }
        for (i, g) in self.segments.iter().enumerate() {
            let field = |name: &str| format!("segments.segments[{i}].{name}");
            for (name, v) in [
                ("positive_rate", g.positive_rate),
                ("expected_positive_rate", g.expected_positive_rate),
                ("error_rate", g.error_rate),
                ("expected_error_rate", g.expected_error_rate),
                ("p_value", g.p_value),
                ("adjusted_p_value", g.adjusted_p_value),
            ] {
                probability(field(name), v)?;
            }
            if g.rows == 0 {
                return Err(invalid(field("rows"), "a listed segment has rows"));
            }
            if g.adjusted_p_value < g.p_value {
                return Err(invalid(
                    field("adjusted_p_value"),
                    format!("below the raw p-value {}", g.p_value),
                ));
            }
        }
        Ok(())
    }
}

impl crate::MonitoringResult {
    /// The located segments are well formed (older files have none).
    pub fn check_structure(&self) -> Result<(), Invalid> {
        self.segments
            .as_ref()
            .map_or(Ok(()), crate::SegmentAnalysis::check_structure)
    }
}

#[cfg(test)]
mod segment_tests {
    use crate::{SegmentAnalysis, SegmentGap};

    fn analysis() -> SegmentAnalysis {
        SegmentAnalysis {
            alpha: 0.05,
            segments_tested: 3,
            segments: vec![SegmentGap {
                feature: "Contract".into(),
                segment: "One year".into(),
                rows: 10,
                positive_rate: 0.5,
                expected_positive_rate: 0.1,
                error_rate: 0.5,
                expected_error_rate: 0.1,
                z: 4.2,
                p_value: 1e-5,
                adjusted_p_value: 3e-5,
                feature_heterogeneity: 12.0,
            }],
        }
    }

    #[test]
    fn malformed_segments_are_refused_with_their_field() {
        assert!(analysis().check_structure().is_ok());
        let mut a = analysis();
        a.segments[0].positive_rate = 1.5;
        let err = a.check_structure().unwrap_err();
        assert_eq!(err.field, "segments.segments[0].positive_rate", "{err:?}");
        let mut a = analysis();
        a.segments[0].adjusted_p_value = 1e-6;
        assert!(a.check_structure().is_err());
        let mut a = analysis();
        a.segments[0].rows = 0;
        assert!(a.check_structure().is_err());
        let mut a = analysis();
        a.segments_tested = 0;
        assert!(a.check_structure().is_err());
    }
}
