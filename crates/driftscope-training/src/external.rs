//! A champion for the user's own model, known only by its logged predictions: the same
//! reference profile, sample and held-out split as [`train`](crate::train), with the logged
//! probabilities in place of a fitted forest.

use driftscope_artifacts::{Config, Encoding, Forest, ModelArtifact, ModelKind};
use driftscope_data::{infer_schema, Table};

use crate::{
    assemble, checked_target, columns_values, data_source, encode_features, held_out_split,
    model_version, split_info, target_counts, training_params, unusable, Parts, Source, Trained,
    TrainingError,
};

/// The logged probabilities of `column`, each a finite number in [0, 1]; anything else is an
/// error naming the row and the column.
fn logged(table: &Table, column: &str) -> Result<Vec<f64>, TrainingError> {
    let values = table.numeric(column)?;
    if let Some((row, v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !(0.0..=1.0).contains(*v))
    {
        let found = if v.is_nan() {
            "an empty cell".to_string()
        } else {
            v.to_string()
        };
        return Err(unusable(
            table,
            format!(
                "row {}, column {column:?} (the model's logged predictions): expected a \
                 probability in [0, 1], found {found}",
                row + 1
            ),
        ));
    }
    Ok(values)
}

/// The encoded input names of `features` (`column` or `column=category`), as a forest's.
fn encoded_names(features: &[driftscope_artifacts::ModelFeature]) -> Vec<String> {
    features
        .iter()
        .flat_map(|f| match &f.encoding {
            Encoding::Numeric { .. } => vec![f.name.clone()],
            Encoding::OneHot { categories } => categories
                .iter()
                .map(|c| format!("{}={c}", f.name))
                .collect(),
        })
        .collect()
}

/// Builds the champion of an external model from reference rows carrying its logged
/// probabilities in `prediction_column` and the labels in `model.target`. The rows are split
/// as training splits them (`model.test_fraction`, stratified, `seed`): the profile and the
/// calibration come from the first part, the baseline metrics from the held-out part.
pub fn external(
    table: &Table,
    prediction_column: &str,
    config: &Config,
    seed: u64,
    source: &Source<'_>,
) -> Result<Trained, TrainingError> {
    let m = &config.model;
    let mut features_cfg = config.features.clone();
    features_cfg.exclude.push(prediction_column.to_string());
    let schema = infer_schema(table, Some(&m.target), &features_cfg)?;
    let probabilities = logged(table, prediction_column)?;
    let (labels, negative) = checked_target(table, m, schema.features.is_empty())?;
    let (train_idx, test_idx) = held_out_split(table, &labels, m, &negative, seed)?;
    let n_bins = config.data_drift.n_bins;
    let columns: Vec<_> = schema
        .features
        .iter()
        .map(|c| (c.name.clone(), c.feature_type))
        .collect();
    let values = columns_values(table, &columns, Some(&train_idx))?;
    let (features, reference_columns, sample) = encode_features(table, &columns, values)?;
    let pick = |idx: &[usize]| -> (Vec<bool>, Vec<f64>) {
        idx.iter().map(|i| (labels[*i], probabilities[*i])).unzip()
    };
    let (calibration_labels, calibration_probabilities) = pick(&train_idx);
    let (holdout_labels, holdout_probabilities) = pick(&test_idx);
    let mut sorted_predictions = holdout_probabilities.clone();
    sorted_predictions.sort_by(f64::total_cmp);
    let params = training_params(m);
    let mut names: Vec<String> = schema.features.iter().map(|c| c.name.clone()).collect();
    let data = data_source(table, source);
    // The version fingerprint names the logged column, so it never equals a forest's.
    names.push(format!(
        "external model, logged predictions in {prediction_column:?}"
    ));
    let model_version = model_version(&data.sha256, seed, &params, &names, m, n_bins);
    names.pop();
    Ok(assemble(Parts {
        model: ModelArtifact {
            model_version,
            target: m.target.clone(),
            positive_label: m.positive_label.clone(),
            negative_label: negative.clone(),
            encoded_names: encoded_names(&features),
            features,
            probability_method: format!("the user's model, logged in column {prediction_column:?}"),
            model_kind: ModelKind::External,
            forest: Forest { trees: Vec::new() },
            calibration: None,
            calibration_uncertainty: None,
            calibration_bootstrap: None,
            calibration_residual: None,
        },
        reference_columns,
        sample,
        sorted_predictions,
        excluded: schema.excluded,
        target_counts: target_counts(&labels, &train_idx, &m.positive_label, &negative),
        train_rows: train_idx.len() as u64,
        n_bins,
        manifest: (
            data,
            seed,
            params,
            names,
            split_info(&labels, &train_idx, &test_idx, seed),
        ),
        holdout: (holdout_labels, holdout_probabilities),
        calibration: (
            calibration_labels,
            calibration_probabilities,
            vec![train_idx.len()],
        ),
    }))
}
