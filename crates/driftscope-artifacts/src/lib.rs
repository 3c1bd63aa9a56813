//! The driftscope artifact contract.
//!
//! Every driftscope crate talks to the others only through the files defined here. An artifact is
//! a JSON document with a top-level envelope — `kind`, `schema_version`, `producer` — followed by
//! its body. Readers check the kind and the version and refuse anything else with a message that
//! names the file, the version found and the versions understood. Writers go through a temporary
//! file in the same folder and a rename, so a reader never sees a half-written artifact.
//!
//! This crate also owns the configuration (`config/config.yaml`): its types, defaults and
//! validation. The binning rules that fill in a reference profile live in `driftscope-drift`.
//!
//! **Reads:** artifact JSON files and the YAML configuration. **Writes:** artifact JSON files.
//!
//! # Example
//! ```
//! use driftscope_artifacts::{read_artifact, write_artifact, Champion};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("champion.json");
//! write_artifact(&path, &Champion { model_version: "m-123".into() }).unwrap();
//! let back: Champion = read_artifact(&path).unwrap();
//! assert_eq!(back.model_version, "m-123");
//! ```

/// A closed set of words: an enum whose serde name, `as_str()` and `Display` all come from one
/// literal per variant, so the spelling in artifacts, on the site and in messages cannot drift.
/// `ALL` lists the variants in declaration order (which is also their `Ord` order).
macro_rules! closed_set {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $word)] $variant,)+
        }
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The word written in artifacts (the serde name).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

mod config;
mod drift;
mod envelope;
mod error;
mod fault;
mod incident;
mod model;
mod monitor;
#[cfg(test)]
mod names_tests;
mod performance_eval;
mod profile;
mod validate;

pub use config::{
    AlertsConfig, ConceptDriftConfig, Config, DataDriftConfig, FeaturesConfig, ModelConfig,
    PerformanceConfig, RetrainingConfig, CONFIG_VERSION, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH,
    MAX_WEBHOOK_TIMEOUT_SECS, REMOVED_KEYS,
};
pub use drift::{
    BoundedDrift, BoundedStat, Calibrated, CalibratedTest, ChiSquareStat, ColumnValues,
    DatasetEvaluation, DetectorEvaluation, Distribution, DriftReport, DriftVerdict, EvaluationCell,
    EvaluationScope, Exactness, FeatureDrift, Severity, TestStat, ValueHistogram,
};
pub use envelope::{
    parse_artifact, read_artifact, to_artifact_bytes, write_artifact, write_atomic, Artifact,
    PRODUCER,
};
pub use error::ArtifactError;
pub use fault::{fault_point, ABORT_AT_VAR, FAULT_POINTS};
pub use incident::{Incident, IncidentEvent, IncidentEventKind, IncidentStatus, IncidentUpdate};
pub use model::{
    auc_standard_error, BaselineMetrics, CalibrationQuality, CalibrationReport, Calibrator,
    Champion, ChampionChange, ClassificationMetrics, ComparisonMetric, ConfusionMatrix, DataSource,
    Encoding, Forest, MetricSpread, ModelArtifact, ModelComparison, ModelFeature, ModelHistory,
    ModelHistoryEntry, ModelKind, PairedBootstrap, Recommendation, ReliabilityBin, SplitInfo,
    TrainingManifest, TrainingParams, Tree, BETA_SCORE_CLIP,
};
pub use monitor::{
    Action, Alert, AlertSeverity, AlertType, AlertsHistory, BatchScores, ConceptDrift, DataQuality,
    Degradation, Delivery, Diagnosis, DiagnosisPart, DiagnosisParts, Direction, Estimate,
    EstimatedPerformance, ExpectedConfusion, MonitoringResult, PartStatus, PerformanceEntry,
    PerformanceHistory, PredictionDrift, PredictionSource, RetrainingDecision, RetrainingHistory,
    RetrainingPriority, RollingWindow, Scenario, ScenarioBatch, SegmentAnalysis, SegmentGap,
    Skipped, TargetDrift, MISSING_SHARE_JUMP,
};
pub use performance_eval::{EstimationCell, FalseAlarmCell, PerformanceEvaluation, PowerCell};
pub use profile::{
    linear_quantile, sort_by_float_key, sort_floats, CategoryCount, ExcludedColumn, FeatureProfile,
    FeatureType, NumericSummary, ReferenceProfile, ReferenceSample, SampleColumn, MISSING_FLOOR,
};
pub use validate::{
    check_folder_name, Invalid, MAX_NAME_BYTES, MAX_PROFILE_BINS, MAX_TREES, MAX_TREE_NODES,
};

/// Result type of this crate.
pub type Result<T, E = ArtifactError> = std::result::Result<T, E>;
