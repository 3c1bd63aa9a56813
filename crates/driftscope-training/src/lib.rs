//! Baseline model training for driftscope.
//!
//! Fits a seeded random forest (bagged linfa-trees CART trees, a feature subset per tree) on a
//! stratified training split, with encoders fitted on that split only: numerical columns are
//! used as numbers (missing values take the training median), categorical columns are one-hot
//! encoded over the training categories (an unseen or missing value sets none). It returns the
//! model artifact, the held-out labels and probabilities for the baseline metrics, the values
//! the reference profile is built from ([`ReferenceData`]: binning lives in `driftscope-drift`,
//! which the composition calls), the sorted reference sample, and the training manifest.
//!
//! Predicted probability: the mean over trees of the positive share of the training rows that
//! fall in the row's leaf (scikit-learn's `predict_proba` estimate, but with leaf shares computed
//! on the whole training split rather than each tree's bootstrap sample). It ranks better than
//! the share of trees voting positive, which has only `n_trees + 1` levels.
//!
//! **Reads:** a [`Table`] (from `driftscope-data`) and the [`Config`].
//! **Writes:** nothing itself; the caller writes the returned artifacts.
//!
//! # Example
//! ```
//! use driftscope_artifacts::Config;
//! use driftscope_data::{generate_telco_csv, Table};
//! let table = Table::from_csv_bytes("generated", generate_telco_csv(400, 1)).unwrap();
//! let mut config = Config::default();
//! config.model.n_trees = 5;
//! let trained = driftscope_training::train(&table, &config, 7, &Default::default()).unwrap();
//! let p = driftscope_training::predict_proba(&trained.model, &table).unwrap();
//! assert_eq!(p.len(), 400);
//! assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
//! ```

mod external;
mod forest;

use driftscope_artifacts::{
    CategoryCount, ColumnValues, Config, DataSource, Encoding, ExcludedColumn, FeatureType,
    ModelArtifact, ModelFeature, NumericSummary, ReferenceSample, SampleColumn, SplitInfo,
    TrainingManifest, TrainingParams,
};
use driftscope_data::{columns_values, infer_schema, DataError, Table};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use external::external;
pub use forest::{encode_rows, predict_encoded, Encoded};

/// Everything that can go wrong while training.
#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    /// The data is unusable.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The target has one class only, or too few rows for the split.
    #[error("{file}: {message}")]
    Unusable {
        /// The data source.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// linfa refused to fit.
    #[error("fitting the random forest failed: {0}")]
    Fit(String),
    /// The model and the data do not fit together.
    #[error("{file}: {message}")]
    Mismatch {
        /// The data source.
        file: String,
        /// What is wrong.
        message: String,
    },
}

/// Result of [`train`].
#[derive(Debug, Clone)]
pub struct Trained {
    /// `model.json`.
    pub model: ModelArtifact,
    /// What `reference_profile.json` is built from (the training split).
    pub reference: ReferenceData,
    /// `reference_sample.json` (sorted numerical values of the training split).
    pub sample: ReferenceSample,
    /// `training_manifest.json`.
    pub manifest: TrainingManifest,
    /// Labels of the held-out rows.
    pub holdout_labels: Vec<bool>,
    /// Raw (uncalibrated) forest probabilities of the held-out rows.
    pub holdout_probabilities: Vec<f64>,
    /// Labels of the calibration rows: the calibration fold, then the cross-fitted folds
    /// ([`CALIBRATION_FOLDS`]; empty when the training split is too small to spare a fold).
    pub calibration_labels: Vec<bool>,
    /// Raw probabilities of the calibration rows, each from a forest that did not fit the row.
    pub calibration_probabilities: Vec<f64>,
    /// Rows of each calibration fold, in the order of the calibration rows: the rows of one
    /// fold were scored by one forest (one entry for an external model's logged predictions).
    pub calibration_folds: Vec<usize>,
}

/// Share of the training split held back from the forest to fit the probability calibrator on
/// (stratified, seeded with the training seed + 1). A quarter of the Telco file's 5,634 training
/// rows is about 1,400 rows, enough for isotonic regression.
pub const CALIBRATION_FRACTION: f64 = 0.25;

/// Folds of the cross-fitted calibration: the calibration fold ([`CALIBRATION_FRACTION`] of
/// the training split, scored by the deployed forest) and the forest's rows cut into
/// `CALIBRATION_FOLDS - 1` more, each scored by a sibling forest fitted on the other folds.
/// `1 / CALIBRATION_FRACTION`, so that every sibling fits exactly as many rows as the deployed
/// forest and its scores mean what the deployed forest's mean: the calibrator then sees every
/// training row (4 times the rows of the calibration fold alone), which is what its variance
/// needs (measured: docs/calibration.md).
pub const CALIBRATION_FOLDS: usize = 4;

/// The training split's values and the profile's header fields: everything
/// `reference_profile.json` is built from (by `driftscope_drift::feature_profile` for each
/// column and `driftscope_drift::numerical_profile` for the sorted holdout predictions in
/// [`Trained::sample`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceData {
    /// Model version.
    pub model_version: String,
    /// Rows of the training split.
    pub rows: u64,
    /// Number of quantile bins requested (`data_drift.n_bins`).
    pub n_bins: usize,
    /// Target column.
    pub target: String,
    /// Target label counts in the training split, sorted by label.
    pub target_counts: Vec<CategoryCount>,
    /// Columns that are not features.
    pub excluded: Vec<ExcludedColumn>,
    /// Each feature's values in the training split, in column order.
    pub columns: Vec<(String, ColumnValues)>,
}

/// Most categories one-hot encoded per column; rarer categories set no input.
pub const MAX_ONE_HOT: usize = 64;

/// Where the training data came from, for the manifest.
#[derive(Debug, Clone, Default)]
pub struct Source<'a> {
    /// The path as given (`None` for generated data).
    pub path: Option<&'a str>,
    /// SHA-256 of the data's bytes.
    pub sha256: &'a str,
    /// The generator's seed, for generated data.
    pub generator_seed: Option<u64>,
}

/// Trains the baseline model on `table` with `seed`; `source` is recorded in the manifest and
/// the data digest is part of the model version.
pub fn train(
    table: &Table,
    config: &Config,
    seed: u64,
    source: &Source<'_>,
) -> Result<Trained, TrainingError> {
    let m = &config.model;
    let schema = infer_schema(table, Some(&m.target), &config.features)?;
    let (labels, negative) = checked_target(table, m, schema.features.is_empty())?;
    let (train_idx, test_idx) = held_out_split(table, &labels, m, &negative, seed)?;

    // Per-feature reference profile, sample and encoder, all from the training rows; each
    // column is read once, columns in parallel.
    let n_bins = config.data_drift.n_bins;
    let columns: Vec<(String, FeatureType)> = schema
        .features
        .iter()
        .map(|c| (c.name.clone(), c.feature_type))
        .collect();
    let values = columns_values(table, &columns, Some(&train_idx))?;
    let (features, reference_columns, sample) = encode_features(table, &columns, values)?;

    let params = training_params(m);
    let encoded = encode_rows(&features, table)?;
    let Fitted {
        forest,
        calibration_labels,
        calibration_probabilities,
        calibration_folds,
        holdout_labels,
        holdout_probabilities,
    } = fit_and_score(&encoded, &labels, (&train_idx, &test_idx), &params, seed)?;

    let split = split_info(&labels, &train_idx, &test_idx, seed);
    let feature_names: Vec<String> = schema.features.iter().map(|c| c.name.clone()).collect();
    let data = data_source(table, source);
    let model_version = model_version(&data.sha256, seed, &params, &feature_names, m, n_bins);
    let target_counts = target_counts(&labels, &train_idx, &m.positive_label, &negative);

    let mut sorted = holdout_probabilities.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(assemble(Parts {
        model: ModelArtifact {
            model_version: model_version.clone(),
            target: m.target.clone(),
            positive_label: m.positive_label.clone(),
            negative_label: negative,
            encoded_names: encoded.names.clone(),
            features,
            probability_method:
                "mean over trees of the positive share of training rows in the leaf".into(),
            model_kind: driftscope_artifacts::ModelKind::Forest,
            forest,
            calibration: None,
            calibration_uncertainty: None,
            calibration_bootstrap: None,
            calibration_residual: None,
        },
        reference_columns,
        sample,
        sorted_predictions: sorted,
        excluded: schema.excluded,
        target_counts,
        train_rows: train_idx.len() as u64,
        n_bins,
        manifest: (data, seed, params, feature_names, split),
        holdout: (holdout_labels, holdout_probabilities),
        calibration: (
            calibration_labels,
            calibration_probabilities,
            calibration_folds,
        ),
    }))
}

/// What a champion's files are made of, whatever produced its probabilities (a forest or the
/// user's logged predictions).
struct Parts {
    model: ModelArtifact,
    reference_columns: Vec<(String, ColumnValues)>,
    sample: Vec<SampleColumn>,
    sorted_predictions: Vec<f64>,
    excluded: Vec<driftscope_artifacts::ExcludedColumn>,
    target_counts: Vec<CategoryCount>,
    train_rows: u64,
    n_bins: usize,
    /// Data source, seed, parameters, feature names, split.
    manifest: (DataSource, u64, TrainingParams, Vec<String>, SplitInfo),
    /// Labels and raw probabilities of the held-out rows.
    holdout: (Vec<bool>, Vec<f64>),
    /// Labels and raw probabilities of the calibration rows.
    calibration: CalibrationRows,
}

/// The [`Trained`] of `p`: reference data, sample and manifest share the model's version.
fn assemble(p: Parts) -> Trained {
    let v = p.model.model_version.clone();
    let (data, seed, params, features, split) = p.manifest;
    Trained {
        reference: ReferenceData {
            model_version: v.clone(),
            rows: p.train_rows,
            n_bins: p.n_bins,
            target: p.model.target.clone(),
            target_counts: p.target_counts,
            excluded: p.excluded.clone(),
            columns: p.reference_columns,
        },
        sample: ReferenceSample {
            model_version: v.clone(),
            columns: p.sample,
            predictions: p.sorted_predictions,
        },
        manifest: TrainingManifest {
            model_version: v,
            data,
            seed,
            params,
            target: p.model.target.clone(),
            positive_label: p.model.positive_label.clone(),
            features,
            excluded: p.excluded,
            split,
        },
        model: p.model,
        holdout_labels: p.holdout.0,
        holdout_probabilities: p.holdout.1,
        calibration_labels: p.calibration.0,
        calibration_probabilities: p.calibration.1,
        calibration_folds: p.calibration.2,
    }
}

fn unusable(table: &Table, message: String) -> TrainingError {
    TrainingError::Unusable {
        file: table.label().to_string(),
        message,
    }
}

/// The labels and the negative label, refusing a target with one class or no features.
fn checked_target(
    table: &Table,
    m: &driftscope_artifacts::ModelConfig,
    no_features: bool,
) -> Result<(Vec<bool>, String), TrainingError> {
    let (labels, negative) = table.binary_target(&m.target, &m.positive_label, None)?;
    let Some(negative) = negative else {
        return Err(unusable(
            table,
            format!(
            "target column {:?} holds only the positive label {:?}; training needs both classes",
            m.target, m.positive_label
        ),
        ));
    };
    if !labels.iter().any(|y| *y) {
        return Err(unusable(table, format!(
            "target column {:?} never has the positive label {:?} (model.positive_label); found only {negative:?}",
            m.target, m.positive_label
        )));
    }
    if no_features {
        return Err(unusable(
            table,
            "no feature columns left after excluding the target and identifiers".into(),
        ));
    }
    Ok((labels, negative))
}

/// The stratified training / held-out split, with a message naming the class too small.
fn held_out_split(
    table: &Table,
    labels: &[bool],
    m: &driftscope_artifacts::ModelConfig,
    negative: &str,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>), TrainingError> {
    stratified_split(labels, m.test_fraction, seed).map_err(|(class, n)| {
        unusable(
            table,
            format!(
                "too few rows of class {} ({n}) for a held-out share of {}",
                if class {
                    m.positive_label.as_str()
                } else {
                    negative
                },
                m.test_fraction
            ),
        )
    })
}

/// The encoder of one training column.
fn encoding_of(
    table: &Table,
    name: &str,
    values: &ColumnValues,
) -> Result<Encoding, TrainingError> {
    Ok(match values {
        ColumnValues::Numerical { sorted, .. } => {
            let fill = NumericSummary::of_sorted(sorted).map_or(0.0, |s| s.median);
            Encoding::Numeric { fill }
        }
        ColumnValues::Categorical { counts, .. } => {
            // At most MAX_ONE_HOT categories (the most frequent); rarer ones encode as none.
            let mut by_count: Vec<&CategoryCount> = counts.iter().collect();
            by_count.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            let mut categories: Vec<String> = by_count
                .iter()
                .take(MAX_ONE_HOT)
                .map(|c| c.value.clone())
                .collect();
            categories.sort();
            Encoding::OneHot { categories }
        }
        ColumnValues::NotNumerical { row, value } => {
            return Err(TrainingError::Data(DataError::NotNumeric {
                file: table.label().to_string(),
                row: *row,
                column: name.to_string(),
                value: value.clone(),
            }))
        }
    })
}

/// The features' encoders, reference columns and sorted sample columns.
type EncodedFeatures = (
    Vec<ModelFeature>,
    Vec<(String, ColumnValues)>,
    Vec<SampleColumn>,
);

fn encode_features(
    table: &Table,
    columns: &[(String, FeatureType)],
    values: Vec<ColumnValues>,
) -> Result<EncodedFeatures, TrainingError> {
    let mut features = Vec::new();
    let mut reference_columns = Vec::new();
    let mut sample = Vec::new();
    for ((name, _), values) in columns.iter().zip(values) {
        let encoding = encoding_of(table, name, &values)?;
        if let ColumnValues::Numerical { sorted, .. } = &values {
            sample.push(SampleColumn {
                name: name.clone(),
                sorted_values: sorted.clone(),
            });
        }
        reference_columns.push((name.clone(), values));
        features.push(ModelFeature {
            name: name.clone(),
            encoding,
        });
    }
    Ok((features, reference_columns, sample))
}

/// Calibration rows: labels, raw probabilities (each from a forest that did not fit the row)
/// and the number of rows of each fold, in order.
type CalibrationRows = (Vec<bool>, Vec<f64>, Vec<usize>);

/// The fitted forest and its raw probabilities on the calibration and held-out rows.
struct Fitted {
    forest: driftscope_artifacts::Forest,
    calibration_labels: Vec<bool>,
    calibration_probabilities: Vec<f64>,
    calibration_folds: Vec<usize>,
    holdout_labels: Vec<bool>,
    holdout_probabilities: Vec<f64>,
}

/// Fits the forest on part of the training split (the rest, [`CALIBRATION_FRACTION`] of it, is
/// the calibration fold) and scores the held-out rows; the calibration rows are the calibration
/// fold scored by the forest and the forest's rows scored out of fold by sibling forests.
fn fit_and_score(
    encoded: &forest::Encoded,
    labels: &[bool],
    (train_idx, test_idx): (&[usize], &[usize]),
    params: &TrainingParams,
    seed: u64,
) -> Result<Fitted, TrainingError> {
    let train_labels: Vec<bool> = train_idx.iter().map(|i| labels[*i]).collect();
    let (fit_idx, cal_idx) =
        match stratified_split(&train_labels, CALIBRATION_FRACTION, seed.wrapping_add(1)) {
            Ok((fit, cal)) => (
                fit.iter().map(|i| train_idx[*i]).collect::<Vec<_>>(),
                cal.iter().map(|i| train_idx[*i]).collect::<Vec<_>>(),
            ),
            Err(_) => (train_idx.to_vec(), Vec::new()),
        };
    let fit_y: Vec<bool> = fit_idx.iter().map(|i| labels[*i]).collect();
    let forest = forest::fit_forest(&encoded.select_rows(&fit_idx), &fit_y, params, seed)
        .map_err(TrainingError::Fit)?;
    let (mut calibration_labels, mut calibration_probabilities) = (Vec::new(), Vec::new());
    let mut calibration_folds = Vec::new();
    if !cal_idx.is_empty() {
        calibration_labels = cal_idx.iter().map(|i| labels[*i]).collect();
        calibration_probabilities = predict_encoded(&forest, &encoded.select_rows(&cal_idx));
        calibration_folds.push(cal_idx.len());
        let (y, p, folds) = out_of_fold_scores(encoded, labels, &fit_idx, &cal_idx, params, seed)?;
        calibration_labels.extend(y);
        calibration_probabilities.extend(p);
        calibration_folds.extend(folds);
    }
    let holdout_probabilities = predict_encoded(&forest, &encoded.select_rows(test_idx));
    Ok(Fitted {
        calibration_labels,
        calibration_probabilities,
        calibration_folds,
        holdout_labels: test_idx.iter().map(|i| labels[*i]).collect(),
        holdout_probabilities,
        forest,
    })
}

/// Cross-fitted calibration rows beyond the calibration fold: the forest's rows `fit_idx` are
/// cut (stratified, seeds training seed + 3 and + 4) into `CALIBRATION_FOLDS - 1` folds; for
/// each, a forest with the same parameters and seed is fitted on the rest of the training split
/// (the other folds and the calibration fold `cal_idx`: as many rows as the deployed forest
/// fits) and scores the fold. Returns the folds' labels and out-of-fold raw probabilities, in
/// fold order, and each fold's rows (nothing when a fold cannot be split stratified).
fn out_of_fold_scores(
    encoded: &forest::Encoded,
    labels: &[bool],
    fit_idx: &[usize],
    cal_idx: &[usize],
    params: &TrainingParams,
    seed: u64,
) -> Result<CalibrationRows, TrainingError> {
    let folds = match calibration_folds(labels, fit_idx, seed) {
        Some(f) => f,
        None => return Ok((Vec::new(), Vec::new(), Vec::new())),
    };
    let (mut y, mut p) = (Vec::new(), Vec::new());
    for (k, fold) in folds.iter().enumerate() {
        let rest: Vec<usize> = folds
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .flat_map(|(_, f)| f.iter().copied())
            .chain(cal_idx.iter().copied())
            .collect();
        let rest_y: Vec<bool> = rest.iter().map(|i| labels[*i]).collect();
        let sibling = forest::fit_forest(&encoded.select_rows(&rest), &rest_y, params, seed)
            .map_err(TrainingError::Fit)?;
        y.extend(fold.iter().map(|i| labels[*i]));
        p.extend(predict_encoded(&sibling, &encoded.select_rows(fold)));
    }
    Ok((y, p, folds.iter().map(Vec::len).collect()))
}

/// The `CALIBRATION_FOLDS - 1` stratified folds of the forest's rows (row indices of the
/// table), or `None` when a class is too small to split.
fn calibration_folds(labels: &[bool], fit_idx: &[usize], seed: u64) -> Option<Vec<Vec<usize>>> {
    let mut folds = Vec::new();
    let mut rest = fit_idx.to_vec();
    for k in (2..CALIBRATION_FOLDS).rev() {
        let y: Vec<bool> = rest.iter().map(|i| labels[*i]).collect();
        // Seeds training seed + 3, + 4, ... (+ 1 is the calibration fold's, + 2 the bootstrap's).
        let fold_seed = seed.wrapping_add(2 + (CALIBRATION_FOLDS - k) as u64);
        let (keep, fold) = stratified_split(&y, 1.0 / k as f64, fold_seed).ok()?;
        folds.push(fold.iter().map(|i| rest[*i]).collect());
        rest = keep.iter().map(|i| rest[*i]).collect();
    }
    folds.push(rest);
    Some(folds)
}

/// The forest's parameters from the configuration.
fn training_params(m: &driftscope_artifacts::ModelConfig) -> TrainingParams {
    TrainingParams {
        n_trees: m.n_trees,
        max_depth: m.max_depth,
        min_samples_leaf: m.min_samples_leaf,
        feature_fraction: m.feature_fraction,
        bootstrap_fraction: m.bootstrap_fraction,
        test_fraction: m.test_fraction,
    }
}

/// Sizes and positives of the training and held-out rows.
fn split_info(labels: &[bool], train_idx: &[usize], test_idx: &[usize], seed: u64) -> SplitInfo {
    let count = |idx: &[usize]| idx.iter().filter(|i| labels[**i]).count() as u64;
    SplitInfo {
        train_rows: train_idx.len() as u64,
        test_rows: test_idx.len() as u64,
        train_positives: count(train_idx),
        test_positives: count(test_idx),
        seed,
    }
}

/// Where the training data came from, as the manifest records it.
fn data_source(table: &Table, source: &Source<'_>) -> DataSource {
    DataSource {
        path: source.path.map(str::to_string),
        generator_seed: source.generator_seed,
        sha256: source.sha256.to_string(),
        rows: table.n_rows() as u64,
        columns: table.column_names(),
    }
}

/// The model version: a digest of everything that determines the model.
fn model_version(
    data_sha256: &str,
    seed: u64,
    params: &TrainingParams,
    feature_names: &[String],
    m: &driftscope_artifacts::ModelConfig,
    n_bins: usize,
) -> String {
    let fingerprint = serde_json::json!({
        "data": data_sha256, "seed": seed, "params": params, "features": feature_names,
        "target": m.target, "positive": m.positive_label, "n_bins": n_bins,
    });
    format!(
        "m-{}",
        &driftscope_data::sha256_hex(fingerprint.to_string().as_bytes())[..12]
    )
}

/// The training rows' target counts, ordered by label.
fn target_counts(
    labels: &[bool],
    train_idx: &[usize],
    positive: &str,
    negative: &str,
) -> Vec<CategoryCount> {
    let train_target =
        |class: bool| train_idx.iter().filter(|i| labels[**i] == class).count() as u64;
    let mut counts = vec![
        CategoryCount {
            value: positive.to_string(),
            count: train_target(true),
        },
        CategoryCount {
            value: negative.to_string(),
            count: train_target(false),
        },
    ];
    counts.sort_by(|a, b| a.value.cmp(&b.value));
    counts
}

/// The stratified, seeded split used by training: (training rows, held-out rows), each sorted.
/// Per class, rows are shuffled with ChaCha8 seeded by `seed` and the first
/// `round(count * test_fraction)` are held out. `Err((class, count))` when a class is too small.
pub fn stratified_split(
    labels: &[bool],
    test_fraction: f64,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>), (bool, usize)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut train_idx, mut test_idx) = (Vec::new(), Vec::new());
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..labels.len()).filter(|i| labels[*i] == class).collect();
        idx.shuffle(&mut rng);
        let n_test = (idx.len() as f64 * test_fraction).round() as usize;
        if n_test == 0 || n_test == idx.len() {
            return Err((class, idx.len()));
        }
        test_idx.extend_from_slice(&idx[..n_test]);
        train_idx.extend_from_slice(&idx[n_test..]);
    }
    train_idx.sort_unstable();
    test_idx.sort_unstable();
    Ok((train_idx, test_idx))
}

/// Predicted positive-class probability for every row of `table`, calibrated by the model's
/// calibrator when it has one (see [`predict_proba_raw`] for the forest's own). Columns are found by name
/// (order does not matter; extra columns are ignored); a missing feature column is an error.
pub fn predict_proba(model: &ModelArtifact, table: &Table) -> Result<Vec<f64>, TrainingError> {
    let mut p = predict_proba_raw(model, table)?;
    if let Some(c) = &model.calibration {
        p.iter_mut().for_each(|v| *v = c.apply(*v));
    }
    Ok(p)
}

/// The forest's raw probability (mean over trees of the leaf's positive share) for every row of
/// `table`, before calibration. Inputs as [`predict_proba`].
pub fn predict_proba_raw(model: &ModelArtifact, table: &Table) -> Result<Vec<f64>, TrainingError> {
    if model.model_kind == driftscope_artifacts::ModelKind::External {
        return Err(TrainingError::Mismatch {
            file: table.label().to_string(),
            message: format!(
                "model {} is your own model (external, from `driftscope baseline`): driftscope \
                 cannot score rows with it; this step needs a model trained by `driftscope train`",
                model.model_version
            ),
        });
    }
    let names: Vec<String> = model
        .features
        .iter()
        .flat_map(|f| match &f.encoding {
            Encoding::Numeric { .. } => vec![f.name.clone()],
            Encoding::OneHot { categories } => categories
                .iter()
                .map(|c| format!("{}={c}", f.name))
                .collect(),
        })
        .collect();
    if names != model.encoded_names {
        return Err(TrainingError::Mismatch {
            file: table.label().to_string(),
            message:
                "the encoded inputs differ from the model's; the model artifact is inconsistent"
                    .into(),
        });
    }
    forest::predict_table(&model.features, &model.forest, table)
}
