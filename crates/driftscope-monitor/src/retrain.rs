//! `driftscope retrain`: a challenger trained on the reference plus recent labelled batches,
//! compared with the champion on the most recent labelled rows (which neither trained on).

use crate::args::RetrainArgs;
use crate::error::{bail, Context, Result};
use driftscope_artifacts::{
    write_artifact, Champion, ClassificationMetrics, ComparisonMetric, Config, ModelComparison,
    Recommendation, TrainingManifest,
};
use driftscope_data::{generate_telco_csv, sha256_hex, Table};

use crate::store::ArtifactStore;
use crate::{load_champion, write_model};

/// Share of the recent rows (the most recent ones) held out to compare the models.
pub const EVALUATION_SHARE: f64 = 0.3;
/// Improvement of the comparison metric a challenger needs to be recommended.
pub const MIN_IMPROVEMENT: f64 = 0.01;

/// The comparison metric of `m`; an undefined AUC (one class only) counts as chance, 0.5.
fn score(m: &ClassificationMetrics, metric: ComparisonMetric) -> f64 {
    metric.of(m).unwrap_or(0.5)
}

/// Trains and compares a challenger; promotes it only when `retraining.auto_retrain` is true
/// and it wins.
pub fn retrain(args: &RetrainArgs, cfg: &Config) -> Result<ModelComparison> {
    if args.data.is_empty() {
        bail!("retrain needs recent labelled batches: --data BATCH.csv [BATCH.csv ...]");
    }
    let _lock = ArtifactStore::new(&args.artifacts).lock_trained()?;
    let champion = load_champion(&args.artifacts)?;
    let manifest: TrainingManifest =
        driftscope_artifacts::read_artifact(&champion.dir.join("training_manifest.json"))?;
    let reference = match (&manifest.data.path, manifest.data.generator_seed) {
        (Some(p), _) => Table::read(std::path::Path::new(p))
            .with_context(|| format!("the champion's training data {p}"))?,
        (None, Some(seed)) => Table::from_csv_bytes(
            "generated Telco-like data",
            generate_telco_csv(manifest.data.rows as usize, seed),
        )?,
        (None, None) => bail!("the champion's manifest names no training data"),
    };
    let batches: Vec<Table> = args
        .data
        .iter()
        .map(|p| Table::read(p))
        .collect::<Result<_, _>>()?;
    let refs: Vec<&Table> = batches.iter().collect();
    let recent = Table::concat("recent batches", &refs)?;
    let n = recent.n_rows();
    let n_eval = ((n as f64) * EVALUATION_SHARE).round() as usize;
    if n_eval < 50 || n - n_eval < 50 {
        bail!("{n} recent labelled rows are too few to train on and compare (need at least 50 for each)");
    }
    let (older, newest) = (
        recent.slice(0, n - n_eval),
        recent.slice(n - n_eval, n_eval),
    );
    let train_table = Table::concat("reference + recent batches", &[&reference, &older])?;
    // The challenger sees the champion's features with the champion's types, nothing else.
    let mut cfg = cfg.clone();
    for name in train_table.column_names() {
        if name != champion.model.target
            && !manifest.features.contains(&name)
            && !cfg.features.exclude.contains(&name)
        {
            cfg.features.exclude.push(name);
        }
    }
    for f in &champion.profile.features {
        cfg.features
            .force_types
            .insert(f.name.clone(), f.feature_type);
    }
    let cfg = &cfg;
    let seed = manifest.seed;
    let digest = sha256_hex(
        format!(
            "{}+{}",
            manifest.data.sha256,
            args.data
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(",")
        )
        .as_bytes(),
    );
    let challenger = crate::train_calibrated(
        &train_table,
        cfg,
        seed,
        &driftscope_training::Source {
            path: None,
            sha256: &digest,
            generator_seed: None,
        },
    )?;
    let (labels, _) = newest.binary_target(
        &champion.model.target,
        &champion.model.positive_label,
        Some(&champion.model.negative_label),
    )?;
    let evaluate = |m: &driftscope_artifacts::ModelArtifact| -> Result<ClassificationMetrics> {
        let p = driftscope_training::predict_proba(m, &newest)?;
        Ok(driftscope_performance::classification_metrics(
            &labels, &p, 0.5,
        )?)
    };
    let (cm, xm) = (evaluate(&champion.model)?, evaluate(&challenger.model)?);
    let metric = cfg.retraining.model_comparison_metric;
    let (cs, xs) = (score(&cm, metric), score(&xm, metric));
    let deploy = xs >= cs + MIN_IMPROVEMENT;
    let mut reasons = vec![format!(
        "{metric} on the {n_eval} most recent labelled rows: challenger {xs:.4}, champion {cs:.4} ({:+.4})",
        xs - cs
    )];
    reasons.push(if deploy {
        format!("the challenger improves {metric} by at least {MIN_IMPROVEMENT}")
    } else {
        format!("the challenger does not improve {metric} by {MIN_IMPROVEMENT} or more; keep the champion")
    });
    write_model(&args.artifacts, &challenger)?;
    let promoted = deploy && cfg.retraining.auto_retrain;
    if promoted {
        write_artifact(
            &args.artifacts.join("models/champion.json"),
            &Champion {
                model_version: challenger.model.model_version.clone(),
            },
        )?;
        reasons.push("promoted to champion (retraining.auto_retrain is true)".into());
    } else if deploy {
        reasons.push("not promoted: retraining.auto_retrain is false; promote by hand".into());
    }
    let comparison = ModelComparison {
        champion: champion.model.model_version.clone(),
        challenger: challenger.model.model_version.clone(),
        metric,
        champion_score: cs,
        challenger_score: xs,
        champion_metrics: cm,
        challenger_metrics: xm,
        evaluation_rows: n_eval as u64,
        training_rows: train_table.n_rows() as u64,
        recommendation: if deploy {
            Recommendation::Deploy
        } else {
            Recommendation::Keep
        },
        reasons,
        promoted,
    };
    let path = args.artifacts.join("model_comparisons").join(format!(
        "{}-vs-{}.json",
        comparison.challenger, comparison.champion
    ));
    write_artifact(&path, &comparison)?;
    Ok(comparison)
}
