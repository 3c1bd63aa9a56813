//! The drift report: per-feature statistics and verdicts, and the dataset verdict.

use serde::{Deserialize, Serialize};

use crate::{Artifact, CategoryCount, ExcludedColumn, FeatureType};

/// The values of one column, as the statistics need them: sorted numbers, or category counts.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// Non-missing values sorted ascending, and the number of missing cells.
    Numerical {
        /// Sorted non-missing values.
        sorted: Vec<f64>,
        /// Missing cells.
        missing: u64,
    },
    /// Count per category (sorted by value), and the number of missing cells.
    Categorical {
        /// Counts sorted by value.
        counts: Vec<CategoryCount>,
        /// Missing cells.
        missing: u64,
    },
    /// A column expected to be numerical holds text.
    NotNumerical {
        /// 1-based data row of the first non-number.
        row: usize,
        /// That cell's text.
        value: String,
    },
}

/// Statistic and p-value of a test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TestStat {
    /// The statistic.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
}

/// Chi-square statistic, p-value and degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChiSquareStat {
    /// The statistic.
    pub statistic: f64,
    /// The p-value.
    pub p_value: f64,
    /// Degrees of freedom.
    pub dof: u64,
}

closed_set!(
    /// Severity of a feature's drift.
    Severity {
        /// No drift.
        None = "none",
        /// Worth a look.
        Low = "low",
        /// Drifted.
        Medium = "medium",
        /// Strongly drifted.
        High = "high",
    }
);

closed_set!(
    /// The test behind a size-aware verdict.
    CalibratedTest {
        /// Two-sample Kolmogorov-Smirnov (numerical features).
        Ks = "ks",
        /// Chi-square of the 2 x K table (categorical features).
        ChiSquare = "chi_square",
    }
);

closed_set!(
    /// Which features a detector-evaluation shift touches.
    EvaluationScope {
        /// No shift (false alarms).
        None = "none",
        /// Every feature of the shifted type at once.
        All = "all",
        /// One feature per batch.
        One = "one",
    }
);

/// Binned reference and current distributions of a feature (for charts; no raw rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Bin labels: `(-inf, e1]`, `(e1, e2]`, ... or the categories.
    pub labels: Vec<String>,
    /// Reference count per bin.
    pub reference: Vec<u64>,
    /// Current count per bin.
    pub current: Vec<u64>,
}

/// Drift of one feature. Fields that do not apply to its type, or could not be computed, are null.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureDrift {
    /// Column name.
    pub name: String,
    /// `numerical` or `categorical` (the reference's type).
    #[serde(rename = "type")]
    pub feature_type: FeatureType,
    /// Missing cells in the reference.
    pub reference_missing: u64,
    /// Missing cells in the current batch.
    pub current_missing: u64,
    /// Population stability index.
    pub psi: Option<f64>,
    /// KL divergence of the reference relative to the current.
    pub kl_divergence: Option<f64>,
    /// Jensen-Shannon distance (natural log).
    pub js_distance: Option<f64>,
    /// Wasserstein-1 distance (numerical).
    pub wasserstein: Option<f64>,
    /// Wasserstein-1 over the reference standard deviation (numerical).
    pub wasserstein_normed: Option<f64>,
    /// Two-sample Kolmogorov-Smirnov test (numerical).
    pub ks: Option<TestStat>,
    /// Mann-Whitney U test; the statistic is U of the reference (numerical).
    pub mann_whitney: Option<TestStat>,
    /// Chi-square test of the 2 x K table (categorical).
    pub chi_square: Option<ChiSquareStat>,
    /// The default verdict.
    pub drift_detected: bool,
    /// Its severity.
    pub severity: Severity,
    /// Things worth knowing: unseen categories, all-missing columns, type changes.
    pub findings: Vec<String>,
    /// Binned distributions (absent when no comparison was possible).
    pub distribution: Option<Distribution>,
    /// The size-aware verdict (absent when the feature has no test, e.g. all values missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibrated: Option<Calibrated>,
    /// Summary statistics of the current batch's values (numerical; missing values excluded).
    /// Absent in files before drift report version 4 / monitoring result version 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_summary: Option<crate::NumericSummary>,
    /// Reference sample and current values counted on shared equal-width bins in the
    /// feature's own units (numerical), for a value-axis view beside the quantile bins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_histogram: Option<ValueHistogram>,
    /// Statistics with bounds, for a numerical feature whose current values came as a profile
    /// past its value cap (fine-bin counts): `ks`, `mann_whitney` and `wasserstein` are then
    /// null and given here (absent otherwise, and in files before version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounded: Option<BoundedDrift>,
}

closed_set!(
    /// Whether a statistic is its definition's value or an interval holding it.
    Exactness {
        /// The value of `stats-spec.md`'s definition.
        Exact = "exact",
        /// An estimate with an interval certain to hold the exact value.
        Bounded = "bounded",
    }
);

/// A statistic known up to an interval: the exact value lies in `[lower, upper]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoundedStat {
    /// The midpoint of the interval.
    pub estimate: f64,
    /// Lower end.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// `exact` when the interval is a point.
    pub exactness: Exactness,
    /// Largest distance from the estimate to the exact value: `(upper - lower) / 2`.
    pub error_bound: f64,
}

impl BoundedStat {
    /// The stat of the interval `[lower, upper]` (swapped when given upside down).
    pub fn between(lower: f64, upper: f64) -> BoundedStat {
        let (lower, upper) = if lower <= upper {
            (lower, upper)
        } else {
            (upper, lower)
        };
        BoundedStat {
            estimate: lower + (upper - lower) / 2.0,
            lower,
            upper,
            exactness: if lower == upper {
                Exactness::Exact
            } else {
                Exactness::Bounded
            },
            error_bound: (upper - lower) / 2.0,
        }
    }
}

/// The statistics of a feature compared through fine bins (definitions: `docs/profile.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoundedDrift {
    /// Kolmogorov-Smirnov statistic.
    pub ks_statistic: BoundedStat,
    /// Its p-value.
    pub ks_p_value: BoundedStat,
    /// Mann-Whitney U of the reference.
    pub mann_whitney_u: BoundedStat,
    /// Its p-value.
    pub mann_whitney_p_value: BoundedStat,
    /// Wasserstein-1 distance.
    pub wasserstein: BoundedStat,
    /// Wasserstein over the reference standard deviation.
    pub wasserstein_normed: BoundedStat,
    /// The current batch's 25th percentile.
    pub current_p25: BoundedStat,
    /// Its median.
    pub current_median: BoundedStat,
    /// Its 75th percentile.
    pub current_p75: BoundedStat,
}

/// Counts of the reference sample and the current batch on the same equal-width bins of the
/// value axis: bin `i` is `[edges[i], edges[i + 1])`, the last one closed on the right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueHistogram {
    /// `bins + 1` increasing edges, in the feature's units.
    pub edges: Vec<f64>,
    /// Reference sample count per bin.
    pub reference: Vec<u64>,
    /// Current count per bin.
    pub current: Vec<u64>,
}

/// The size-aware verdict of one feature: a p-value whose null distribution holds at this batch's
/// size, corrected for the number of features (Benjamini-Hochberg), and a minimum effect size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibrated {
    /// The test: `ks` (numerical) or `chi_square` (categorical).
    pub test: CalibratedTest,
    /// Its p-value.
    pub p_value: f64,
    /// Benjamini-Hochberg adjusted p-value across the batch's features.
    pub p_adjusted: f64,
    /// The p-value cutoff Benjamini-Hochberg set for this batch at `data_drift.alpha`.
    pub threshold: f64,
    /// `p_value <= threshold` and `psi >= data_drift.min_effect_psi`.
    pub drift_detected: bool,
}

closed_set!(
    /// The per-feature verdict that drives the DATA_DRIFT alert, the diagnosis and the site's
    /// headline count (`data_drift.alert_verdict`); the other is reported beside it, labelled.
    DriftVerdict {
        /// PSI / KL thresholds (`drift_detected`, stats-spec's default verdict).
        PsiKl = "psi_kl",
        /// Significance at the batch's size, Benjamini-Hochberg across features, and a
        /// minimum effect (`calibrated.drift_detected`).
        SizeAware = "size_aware",
    }
);

fn psi_kl() -> DriftVerdict {
    DriftVerdict::PsiKl
}

/// `drift_report`: a current batch compared with a reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    /// Data rows of the reference.
    pub reference_rows: u64,
    /// Data rows of the current batch.
    pub current_rows: u64,
    /// Names of the features with `drift_detected`.
    pub drifted_features: Vec<String>,
    /// Features compared.
    pub features_checked: u64,
    /// Drifted features / features compared.
    pub drift_share: f64,
    /// Whether `drift_share >= data_drift.dataset_drift_share`.
    pub dataset_drift: bool,
    /// Columns that are not features (target, identifiers, excluded by config).
    pub excluded_columns: Vec<ExcludedColumn>,
    /// Reference features absent from the current batch.
    pub missing_columns: Vec<String>,
    /// Current columns the reference does not have (not compared).
    pub extra_columns: Vec<String>,
    /// Per feature, in reference column order.
    pub features: Vec<FeatureDrift>,
    /// Features drifted by the size-aware verdict (absent in version 1 files).
    #[serde(default)]
    pub calibrated_drifted_features: Vec<String>,
    /// The verdict that drives alerts and the headline (`psi_kl` in files before version 3).
    #[serde(default = "psi_kl")]
    pub alert_verdict: DriftVerdict,
}

impl DriftReport {
    /// The features drifted by [`DriftReport::alert_verdict`].
    pub fn alerting_drifted(&self) -> &[String] {
        match self.alert_verdict {
            DriftVerdict::PsiKl => &self.drifted_features,
            DriftVerdict::SizeAware => &self.calibrated_drifted_features,
        }
    }

    /// Their share of the features compared (0 when none was compared).
    pub fn alerting_share(&self) -> f64 {
        match self.alert_verdict {
            DriftVerdict::PsiKl => self.drift_share,
            DriftVerdict::SizeAware if self.features_checked > 0 => {
                self.calibrated_drifted_features.len() as f64 / self.features_checked as f64
            }
            DriftVerdict::SizeAware => 0.0,
        }
    }
}

impl Artifact for DriftReport {
    const KIND: &'static str = "drift_report";
    /// Version 2 added the size-aware verdict (`calibrated`); version 1 files read with it absent.
    /// Version 3 added `alert_verdict`; older files read with `psi_kl`. Version 4 added each
    /// feature's `bounded` (features compared through a profile past its value cap),
    /// `current_summary` and `value_histogram`; older files read with them absent.
    const SCHEMA_VERSION: u32 = 4;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2, 3, 4]
    }
}

/// One cell of a detector evaluation: a verdict's rate for one condition at one batch size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationCell {
    /// `no drift`, or the injected shift (e.g. `mean +0.5 sd`).
    pub condition: String,
    /// `all`: every feature of the shifted type at once; `one`: one feature per batch; `none`
    /// for no drift.
    pub scope: EvaluationScope,
    /// Batch rows.
    pub size: usize,
    /// Feature-batches counted (the denominator).
    pub trials: u64,
    /// Rate of the default verdict (false alarms for `no drift`, detections otherwise).
    pub default_rate: f64,
    /// Rate of the size-aware verdict.
    pub calibrated_rate: f64,
}

/// The evaluation on one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetEvaluation {
    /// `generated` or the file's name.
    pub dataset: String,
    /// Rows of the reference the batches are compared with.
    pub reference_rows: u64,
    /// Rows the batches are drawn from (with replacement).
    pub population_rows: u64,
    /// Numerical and categorical features.
    pub numerical_features: Vec<String>,
    /// Categorical features.
    pub categorical_features: Vec<String>,
    /// Every condition x size.
    pub cells: Vec<EvaluationCell>,
}

/// `detector_evaluation.json`: false-alarm and detection rates of the default and the size-aware
/// drift verdicts (`cargo xtask eval`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectorEvaluation {
    /// Seed of every random draw.
    pub seed: u64,
    /// Batches per condition and size.
    pub batches: usize,
    /// Batch sizes.
    pub sizes: Vec<usize>,
    /// The verdicts' settings: data_drift.psi_threshold, kl_divergence_threshold, alpha,
    /// min_effect_psi.
    pub settings: std::collections::BTreeMap<String, f64>,
    /// Per dataset.
    pub datasets: Vec<DatasetEvaluation>,
    /// The performance rules and estimates per dataset (empty in version 1 files).
    #[serde(default)]
    pub performance: Vec<crate::PerformanceEvaluation>,
}

impl Artifact for DetectorEvaluation {
    const KIND: &'static str = "detector_evaluation";
    /// Version 2 added `performance`; version 1 files read with it empty.
    const SCHEMA_VERSION: u32 = 2;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2]
    }
}
