//! `config/config.yaml`: types, defaults, validation.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{ArtifactError, ComparisonMetric, FeatureType};

macro_rules! section {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty = $default:expr),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }
        impl Default for $name {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }
    };
}

section!(
    /// `data_drift`: per-feature drift thresholds and binning.
    DataDriftConfig {
        /// PSI at or above which a feature has drifted.
        psi_threshold: f64 = 0.2,
        /// KL divergence at or above which a feature has drifted.
        kl_divergence_threshold: f64 = 0.5,
        /// Share of drifted features at or above which the DATA_DRIFT alert is MEDIUM (below it
        /// the alert is LOW unless a feature drifted HIGH; any drifted feature raises the alert).
        feature_drift_threshold: f64 = 0.15,
        /// Number of quantile bins for numerical features.
        n_bins: usize = 10,
        /// Share of drifted features at which the whole dataset counts as drifted.
        dataset_drift_share: f64 = 0.5,
        /// Size-aware verdict: false discovery rate across the features of a batch
        /// (Benjamini-Hochberg).
        alpha: f64 = 0.01,
        /// Size-aware verdict: the smallest PSI that counts as drift, however significant.
        min_effect_psi: f64 = 0.01,
        /// The verdict that drives the DATA_DRIFT alert, the diagnosis and the headline.
        alert_verdict: crate::DriftVerdict = crate::DriftVerdict::PsiKl,
    }
);

section!(
    /// `concept_drift`: performance-decay thresholds.
    ConceptDriftConfig {
        /// Relative decay of `retraining.model_comparison_metric` against the baseline at or
        /// above which retraining is recommended (with `retrain_on_performance_drop`).
        performance_decay_threshold: f64 = 0.05,
        /// Drop of the realized AUC below the AUC expected on the batch's own inputs
        /// (confidence-based) that counts as concept drift, when it is also 3 standard errors.
        auc_drop_threshold: f64 = 0.03,
        /// Relative error-rate increase that counts as concept drift.
        error_rate_increase: f64 = 0.1,
        /// Labelled rows in the rolling window across batches.
        rolling_window_size: usize = 500,
    }
);

section!(
    /// `performance`: minimum acceptable metrics.
    PerformanceConfig {
        /// Minimum AUC.
        min_auc: f64 = 0.70,
        /// Minimum accuracy.
        min_accuracy: f64 = 0.75,
        /// Raise alerts when performance degrades.
        alert_on_degradation: bool = true,
        /// A batch column holding the probabilities the serving system logged. When present,
        /// `monitor` uses them instead of scoring every row, and re-scores a sample of rows
        /// to catch serving skew.
        prediction_column: String = "prediction".to_string(),
        /// Rows re-scored to compare with logged predictions.
        skew_check_rows: usize = 1000,
    }
);

section!(
    /// `alerts`: alerting switches.
    AlertsConfig {
        /// Alerts on or off.
        enabled: bool = true,
        /// PSI of the predicted probabilities at or above which a PREDICTION_DRIFT alert fires
        /// (HIGH at twice it).
        drift_alert_threshold: f64 = 0.2,
        /// Total AUC fall over the degradation window at or above which gradual degradation is
        /// detected (a PERFORMANCE_THRESHOLD_VIOLATION alert with `performance.alert_on_degradation`).
        performance_alert_threshold: f64 = 0.05,
        /// Log level of the command line (stderr and the log file): TRACE, DEBUG, INFO, WARN or
        /// ERROR, any case; the `DRIFTSCOPE_LOG` environment variable overrides it.
        log_level: String = "INFO".to_string(),
        /// Webhook receiving alerts as Slack-compatible JSON (`{"text": ...}`); none when empty.
        webhook_url: String = String::new(),
        /// Seconds to wait for the webhook per attempt.
        webhook_timeout_secs: f64 = 5.0,
        /// Extra attempts after a failed delivery.
        webhook_retries: u32 = 2,
    }
);

section!(
    /// `retraining`: when to retrain and how to compare models.
    RetrainingConfig {
        /// Promote a better challenger automatically.
        auto_retrain: bool = false,
        /// Labelled rows needed before retraining.
        min_samples_for_retrain: usize = 1000,
        /// Recommend retraining on data drift.
        retrain_on_drift: bool = true,
        /// Recommend retraining on a performance drop.
        retrain_on_performance_drop: bool = true,
        /// Metric used to compare challenger and champion, and to measure decay: auc, accuracy,
        /// precision, recall or f1.
        model_comparison_metric: ComparisonMetric = ComparisonMetric::Auc,
    }
);

section!(
    /// `model`: the target and the random forest.
    ModelConfig {
        /// Target column.
        target: String = "Churn".to_string(),
        /// Label of the positive class in the target column.
        positive_label: String = "Yes".to_string(),
        /// Number of trees.
        n_trees: usize = 100,
        /// Maximum tree depth.
        max_depth: usize = 14,
        /// Minimum number of training rows in a leaf.
        min_samples_leaf: usize = 20,
        /// Share of the features each tree sees (drawn per tree).
        feature_fraction: f64 = 0.6,
        /// Share of the training rows each tree's bootstrap sample holds.
        bootstrap_fraction: f64 = 1.0,
        /// Share of rows held out (stratified) for the baseline metrics.
        test_fraction: f64 = 0.2,
        /// Seed of every random step of training (overridden by `--seed`).
        seed: u64 = 42,
    }
);

section!(
    /// `features`: force column types or exclude columns.
    FeaturesConfig {
        /// Column name -> `numerical` | `categorical` | `identifier`.
        force_types: BTreeMap<String, FeatureType> = BTreeMap::new(),
        /// Columns never used as features nor checked for drift.
        exclude: Vec<String> = Vec::new(),
        /// A text column with more distinct values than this is treated as an identifier
        /// (excluded, with the count in the reason), so profiles stay small.
        max_categories: usize = 1000,
    }
);

/// Version of the documented configuration (`config/config.yaml`'s header). Version 2 removed
/// the keys in [`REMOVED_KEYS`].
pub const CONFIG_VERSION: u32 = 2;

/// Keys of earlier configuration versions that no longer exist: section, key, what to use
/// instead. A file that still sets one is refused with this text rather than as an unknown key.
pub const REMOVED_KEYS: [(&str, &str, &str); 2] = [
    (
        "data_drift",
        "window_size",
        "A batch is compared whole; to bound memory use `monitor --chunk-rows`, for a window \
         across batches use concept_drift.rolling_window_size.",
    ),
    (
        "performance",
        "evaluation_window",
        "Performance is measured on each whole batch and on the rolling window of \
         concept_drift.rolling_window_size labelled rows.",
    ),
];

fn removed_key(value: &serde_yaml::Value) -> Option<(&'static str, &'static str, &'static str)> {
    REMOVED_KEYS.into_iter().find(|(section, key, _)| {
        value
            .get(*section)
            .and_then(|s| s.as_mapping())
            .is_some_and(|m| m.contains_key(*key))
    })
}

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Data drift.
    pub data_drift: DataDriftConfig,
    /// Concept drift.
    pub concept_drift: ConceptDriftConfig,
    /// Performance.
    pub performance: PerformanceConfig,
    /// Alerts.
    pub alerts: AlertsConfig,
    /// Retraining.
    pub retraining: RetrainingConfig,
    /// Model.
    pub model: ModelConfig,
    /// Features.
    pub features: FeaturesConfig,
}

/// Longest webhook timeout per attempt: five minutes is past any chat endpoint's own limit, and
/// a monitor run must not hang for longer on one delivery.
pub const MAX_WEBHOOK_TIMEOUT_SECS: f64 = 300.0;

/// Largest configuration file read: the documented file is about 6 KB, so 1 MiB leaves room for
/// long comments and lists while a huge file is refused before parsing.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Deepest nesting of `[`/`{`/indentation levels accepted: the schema is two levels deep, and
/// a YAML parser takes quadratic time on pathologically nested input.
pub const MAX_CONFIG_DEPTH: usize = 16;

/// The nesting depth of YAML text, over-estimated cheaply without parsing: open flow brackets
/// (`[`, `{`) plus block indentation levels (indent / 2), outside quotes and comments, the
/// largest on any line that is not blank or a comment.
fn yaml_depth(text: &str) -> usize {
    let mut max = 0;
    let mut flow: usize = 0;
    for line in text.lines() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    max = max.max(flow + indent / 2);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        max = max.max(flow + indent / 2);
    }
    max
}

impl Config {
    /// Loads and validates a configuration file. Absent keys take their defaults; unknown keys,
    /// wrong types and out-of-range values are refused with the key's dotted path.
    pub fn load(path: &Path) -> Result<Config, ArtifactError> {
        let io = |action: &'static str| {
            move |source: std::io::Error| ArtifactError::Io {
                path: path.to_path_buf(),
                action,
                source,
            }
        };
        let meta = std::fs::metadata(path).map_err(io("read config"))?;
        if !meta.is_file() {
            // Checked before the open: opening a named pipe with no writer blocks forever.
            return Err(ArtifactError::Config {
                path: path.to_path_buf(),
                key: "(file)".into(),
                message: "not a regular file (a folder, named pipe, socket or device); \
                          give the path of a YAML file"
                    .into(),
            });
        }
        let size = meta.len();
        if size > MAX_CONFIG_BYTES {
            return Err(ArtifactError::Config {
                path: path.to_path_buf(),
                key: "(file)".into(),
                message: format!(
                    "the file has {size} bytes; a configuration file has at most {MAX_CONFIG_BYTES}"
                ),
            });
        }
        let text = std::fs::read_to_string(path).map_err(io("read config"))?;
        Self::from_yaml(path, &text)
    }

    /// Parses and validates configuration text; `path` is used in messages only.
    pub fn from_yaml(path: &Path, text: &str) -> Result<Config, ArtifactError> {
        let err = |key: String, message: String| ArtifactError::Config {
            path: path.to_path_buf(),
            key,
            message,
        };
        if text.trim().is_empty()
            || text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
        {
            return Err(err(
                "(file)".into(),
                "the configuration file is empty; remove it to use the defaults, or set at least one key".into(),
            ));
        }
        if text.len() as u64 > MAX_CONFIG_BYTES {
            return Err(err(
                "(file)".into(),
                format!(
                    "the text has {} bytes; a configuration has at most {MAX_CONFIG_BYTES}",
                    text.len()
                ),
            ));
        }
        let depth = yaml_depth(text);
        if depth > MAX_CONFIG_DEPTH {
            return Err(err(
                "(file)".into(),
                format!(
                    "nested {depth} levels deep; a configuration nests at most {MAX_CONFIG_DEPTH}"
                ),
            ));
        }
        if let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) {
            if let Some((section, key, instead)) = removed_key(&value) {
                return Err(err(
                    format!("{section}.{key}"),
                    format!(
                        "this key was removed in config version {CONFIG_VERSION} (it was never \
                         used); delete it. {instead}"
                    ),
                ));
            }
        }
        let de = serde_yaml::Deserializer::from_str(text);
        let config: Config = serde_path_to_error::deserialize(de).map_err(|e| {
            let key = e.path().to_string();
            let key = if key == "." {
                "(top level)".to_string()
            } else {
                key
            };
            err(key, e.into_inner().to_string())
        })?;
        config.validate().map_err(|(k, m)| err(k, m))?;
        Ok(config)
    }

    /// Checks every value's range. Returns the key path and what was expected.
    pub fn validate(&self) -> Result<(), (String, String)> {
        self.validate_drift()?;
        self.validate_concept_and_performance()?;
        self.validate_alerts()?;
        self.validate_retraining_and_model()
    }

    /// `data_drift`, and the feature and skew-check counts.
    fn validate_drift(&self) -> Result<(), (String, String)> {
        let d = &self.data_drift;
        positive("data_drift.psi_threshold", d.psi_threshold)?;
        positive(
            "data_drift.kl_divergence_threshold",
            d.kl_divergence_threshold,
        )?;
        unit(
            "data_drift.feature_drift_threshold",
            d.feature_drift_threshold,
            true,
            false,
        )?;
        at_least("data_drift.n_bins", d.n_bins, 2)?;
        if d.n_bins > 1000 {
            return Err((
                "data_drift.n_bins".into(),
                format!("expected at most 1000 bins, found {}", d.n_bins),
            ));
        }
        unit(
            "data_drift.dataset_drift_share",
            d.dataset_drift_share,
            true,
            false,
        )?;
        at_least("features.max_categories", self.features.max_categories, 2)?;
        at_least(
            "performance.skew_check_rows",
            self.performance.skew_check_rows,
            1,
        )?;
        unit("data_drift.alpha", d.alpha, true, true)?;
        if !(d.min_effect_psi.is_finite() && d.min_effect_psi >= 0.0) {
            return Err((
                "data_drift.min_effect_psi".into(),
                format!("expected a number >= 0, found {}", d.min_effect_psi),
            ));
        }
        Ok(())
    }

    /// `concept_drift` and `performance`.
    fn validate_concept_and_performance(&self) -> Result<(), (String, String)> {
        let c = &self.concept_drift;
        unit(
            "concept_drift.performance_decay_threshold",
            c.performance_decay_threshold,
            true,
            false,
        )?;
        unit(
            "concept_drift.auc_drop_threshold",
            c.auc_drop_threshold,
            true,
            false,
        )?;
        positive("concept_drift.error_rate_increase", c.error_rate_increase)?;
        at_least(
            "concept_drift.rolling_window_size",
            c.rolling_window_size,
            1,
        )?;
        let p = &self.performance;
        unit("performance.min_auc", p.min_auc, false, false)?;
        unit("performance.min_accuracy", p.min_accuracy, false, false)?;
        Ok(())
    }

    /// `alerts`.
    fn validate_alerts(&self) -> Result<(), (String, String)> {
        let a = &self.alerts;
        positive("alerts.drift_alert_threshold", a.drift_alert_threshold)?;
        unit(
            "alerts.performance_alert_threshold",
            a.performance_alert_threshold,
            true,
            false,
        )?;
        positive("alerts.webhook_timeout_secs", a.webhook_timeout_secs)?;
        if a.webhook_timeout_secs > MAX_WEBHOOK_TIMEOUT_SECS {
            return Err((
                "alerts.webhook_timeout_secs".into(),
                format!(
                    "expected at most {MAX_WEBHOOK_TIMEOUT_SECS} seconds, found {}",
                    a.webhook_timeout_secs
                ),
            ));
        }
        if a.webhook_retries > 10 {
            return Err((
                "alerts.webhook_retries".into(),
                format!("expected at most 10, found {}", a.webhook_retries),
            ));
        }
        let url = &a.webhook_url;
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            // The value is not echoed: a webhook URL holds secrets (tokens, credentials).
            return Err((
                "alerts.webhook_url".into(),
                "expected an http:// or https:// URL (the value is not shown: it may hold a secret)"
                    .into(),
            ));
        }
        const LEVELS: [&str; 5] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];
        if !LEVELS.contains(&a.log_level.to_ascii_uppercase().as_str()) {
            return Err((
                "alerts.log_level".into(),
                format!(
                    "expected one of {}, found {:?}",
                    LEVELS.join(", "),
                    a.log_level
                ),
            ));
        }
        Ok(())
    }

    /// `retraining`, `model` and `features.exclude`.
    fn validate_retraining_and_model(&self) -> Result<(), (String, String)> {
        let r = &self.retraining;
        at_least(
            "retraining.min_samples_for_retrain",
            r.min_samples_for_retrain,
            1,
        )?;
        let m = &self.model;
        if m.target.is_empty() {
            return Err((
                "model.target".into(),
                "expected a column name, found an empty string".into(),
            ));
        }
        if m.positive_label.is_empty() {
            return Err((
                "model.positive_label".into(),
                "expected a label, found an empty string".into(),
            ));
        }
        at_least("model.n_trees", m.n_trees, 1)?;
        at_least("model.max_depth", m.max_depth, 1)?;
        at_least("model.min_samples_leaf", m.min_samples_leaf, 1)?;
        unit("model.feature_fraction", m.feature_fraction, true, false)?;
        unit(
            "model.bootstrap_fraction",
            m.bootstrap_fraction,
            true,
            false,
        )?;
        unit("model.test_fraction", m.test_fraction, true, true)?;
        if self.features.exclude.iter().any(|c| c == &m.target) {
            return Err((
                "features.exclude".into(),
                format!("the target column {:?} cannot be excluded", m.target),
            ));
        }
        Ok(())
    }
}

fn unit(key: &str, v: f64, lo_open: bool, hi_open: bool) -> Result<(), (String, String)> {
    let lo_ok = if lo_open { v > 0.0 } else { v >= 0.0 };
    let hi_ok = if hi_open { v < 1.0 } else { v <= 1.0 };
    if v.is_finite() && lo_ok && hi_ok {
        Ok(())
    } else {
        let lo = if lo_open { "(0" } else { "[0" };
        let hi = if hi_open { "1)" } else { "1]" };
        Err((
            key.into(),
            format!("expected a number in {lo}, {hi}, found {v}"),
        ))
    }
}
fn positive(key: &str, v: f64) -> Result<(), (String, String)> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err((key.into(), format!("expected a positive number, found {v}")))
    }
}
fn at_least(key: &str, v: usize, min: usize) -> Result<(), (String, String)> {
    if v >= min {
        Ok(())
    } else {
        Err((
            key.into(),
            format!("expected an integer >= {min}, found {v}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::from_yaml(Path::new("cfg.yaml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_when_keys_absent() {
        let c = parse("data_drift:\n  psi_threshold: 0.3\n").unwrap();
        assert_eq!(c.data_drift.psi_threshold, 0.3);
        assert_eq!(c.data_drift.kl_divergence_threshold, 0.5);
        assert_eq!(c.data_drift.feature_drift_threshold, 0.15);
        assert_eq!(c.data_drift.n_bins, 10);
        assert_eq!(c.data_drift.dataset_drift_share, 0.5);
        assert_eq!(c.concept_drift, ConceptDriftConfig::default());
        assert_eq!(c.concept_drift.performance_decay_threshold, 0.05);
        assert_eq!(c.concept_drift.auc_drop_threshold, 0.03);
        assert_eq!(c.concept_drift.error_rate_increase, 0.1);
        assert_eq!(c.concept_drift.rolling_window_size, 500);
        assert_eq!(c.performance.min_auc, 0.70);
        assert_eq!(c.performance.min_accuracy, 0.75);
        assert!(c.performance.alert_on_degradation);
        assert!(c.alerts.enabled);
        assert_eq!(c.alerts.drift_alert_threshold, 0.2);
        assert_eq!(c.alerts.performance_alert_threshold, 0.05);
        assert_eq!(c.alerts.log_level, "INFO");
        assert!(!c.retraining.auto_retrain);
        assert_eq!(c.retraining.min_samples_for_retrain, 1000);
        assert!(c.retraining.retrain_on_drift);
        assert!(c.retraining.retrain_on_performance_drop);
        assert_eq!(c.retraining.model_comparison_metric, ComparisonMetric::Auc);
        assert_eq!(c.model.target, "Churn");
        assert_eq!(c.model.positive_label, "Yes");
    }

    #[test]
    fn shipped_config_is_valid_and_equals_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/config.yaml");
        let c = Config::load(&path).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn caps_webhook_timeout_size_and_nesting_before_parsing() {
        let e = parse("alerts:\n  webhook_timeout_secs: 1e300\n").unwrap_err();
        assert!(
            e.contains("alerts.webhook_timeout_secs") && e.contains("at most 300"),
            "{e}"
        );
        assert!(parse("alerts:\n  webhook_timeout_secs: 300\n").is_ok());
        let started = std::time::Instant::now();
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse(&deep).unwrap_err();
        assert!(e.contains("(file)") && e.contains("nested"), "{e}");
        let mut block = String::new();
        for level in 0..200 {
            block += &format!("{}k{level}:\n", " ".repeat(level));
        }
        let e = parse(&block).unwrap_err();
        assert!(e.contains("nested"), "{e}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        let big = format!("# {}\ndata_drift:\n  n_bins: 10\n", "x".repeat(2 << 20));
        let e = parse(&big).unwrap_err();
        assert!(e.contains("at most 1048576"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, &big).unwrap();
        let e = Config::load(&path).unwrap_err().to_string();
        assert!(e.contains("big.yaml") && e.contains("bytes"), "{e}");
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/config.yaml");
        let depth = yaml_depth(&std::fs::read_to_string(shipped).unwrap());
        assert!(depth <= 4, "{depth}");
    }

    #[test]
    fn rejects_unknown_key_with_path() {
        let e = parse("data_drift:\n  psi_treshold: 0.3\n").unwrap_err();
        assert!(
            e.contains("cfg.yaml") && e.contains("data_drift") && e.contains("psi_treshold"),
            "{e}"
        );
        let e = parse("colour: red\n").unwrap_err();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn rejects_out_of_range_values_with_path() {
        for (yaml, key) in [
            (
                "data_drift:\n  psi_threshold: -0.1\n",
                "data_drift.psi_threshold",
            ),
            ("data_drift:\n  n_bins: 1\n", "data_drift.n_bins"),
            (
                "data_drift:\n  dataset_drift_share: 1.5\n",
                "data_drift.dataset_drift_share",
            ),
            ("performance:\n  min_auc: 1.2\n", "performance.min_auc"),
            ("model:\n  test_fraction: 1.0\n", "model.test_fraction"),
            ("model:\n  n_trees: 0\n", "model.n_trees"),
            ("alerts:\n  log_level: LOUD\n", "alerts.log_level"),
            (
                "retraining:\n  model_comparison_metric: mse\n",
                "retraining.model_comparison_metric",
            ),
            (
                "concept_drift:\n  rolling_window_size: 0\n",
                "concept_drift.rolling_window_size",
            ),
        ] {
            let e = parse(yaml).unwrap_err();
            assert!(e.contains(key), "{yaml:?} -> {e}");
        }
    }

    #[test]
    fn removed_keys_are_named_with_what_to_use() {
        for (yaml, key, instead) in [
            (
                "data_drift:\n  window_size: 1000\n",
                "data_drift.window_size",
                "--chunk-rows",
            ),
            (
                "performance:\n  evaluation_window: 100\n",
                "performance.evaluation_window",
                "rolling_window_size",
            ),
        ] {
            let e = parse(yaml).unwrap_err();
            assert!(
                e.contains(key) && e.contains("removed in config version 2") && e.contains(instead),
                "{e}"
            );
        }
    }

    #[test]
    fn comparison_metric_and_log_level() {
        let c = parse("retraining:\n  model_comparison_metric: f1\nalerts:\n  log_level: debug\n")
            .unwrap();
        assert_eq!(c.retraining.model_comparison_metric, ComparisonMetric::F1);
        assert_eq!(c.alerts.log_level, "debug");
    }

    #[test]
    fn rejects_wrong_type_and_empty_file() {
        let e = parse("data_drift:\n  psi_threshold: high\n").unwrap_err();
        assert!(e.contains("data_drift.psi_threshold"), "{e}");
        let e = parse("").unwrap_err();
        assert!(e.contains("empty"), "{e}");
        let e = parse("# only a comment\n").unwrap_err();
        assert!(e.contains("empty"), "{e}");
    }

    #[test]
    fn features_section() {
        let c =
            parse("features:\n  force_types: {SeniorCitizen: numerical}\n  exclude: [gender]\n")
                .unwrap();
        assert_eq!(
            c.features.force_types["SeniorCitizen"],
            FeatureType::Numerical
        );
        assert_eq!(c.features.exclude, vec!["gender".to_string()]);
        let e = parse("features:\n  force_types: {x: text}\n").unwrap_err();
        assert!(e.contains("features.force_types"), "{e}");
    }
}
