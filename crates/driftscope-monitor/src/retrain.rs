//! `driftscope retrain`: a challenger trained on recent labelled batches (plus the champion's
//! training data when the recent rows are too few), validated against the champion on a
//! time-ordered holdout (the most recent rows, which neither model trained on), with a paired
//! bootstrap of the difference; the deployment rule is
//! [`driftscope_alerting::deployment_decision`]. After a `deploy` the same recipe is refit on
//! every recent row, holdout included, so the model offered for promotion has seen the newest
//! regime.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::args::RetrainArgs;
use crate::error::{bail, Context, Result};
use driftscope_alerting::{deployment_decision, ComparisonEvidence};
use driftscope_artifacts::{
    write_artifact, ChampionChange, ClassificationMetrics, ComparisonMetric, Config,
    ModelComparison, PairedBootstrap, Recommendation, TrainingManifest,
};
use driftscope_data::{generate_telco_csv, sha256_hex, Table};

use crate::{load_champion, write_model, ModelBundle};

/// Share of the recent rows (the most recent ones) held out to compare the models.
pub const EVALUATION_SHARE: f64 = 0.3;

/// Fewest rows on each side of the time-ordered split: fewer cannot train a forest or give an
/// AUC whose bootstrap interval is narrower than the differences that matter.
pub const MIN_SPLIT_ROWS: usize = 50;

/// Paired bootstrap resamples: 1000 puts the 2.5% and 97.5% percentiles within about 0.01 of
/// their limits for AUC differences on a few hundred rows, in well under a second.
pub const BOOTSTRAP_RESAMPLES: u32 = 1000;

/// Two-sided confidence of the paired interval: the challenger must be better with 97.5%
/// one-sided confidence, so a tie is deployed by chance about once in 40 comparisons.
pub const BOOTSTRAP_CONFIDENCE: f64 = 0.95;

/// The comparison metric of `m`; an undefined AUC (one class only) counts as chance, 0.5.
fn score(m: &ClassificationMetrics, metric: ComparisonMetric) -> f64 {
    metric.of(m).unwrap_or(0.5)
}

/// The floor a deployed model must clear for `metric`.
fn floor_of(metric: ComparisonMetric, cfg: &Config) -> Option<f64> {
    match metric {
        ComparisonMetric::Auc => Some(cfg.performance.min_auc),
        ComparisonMetric::Accuracy => Some(cfg.performance.min_accuracy),
        _ => None,
    }
}

/// The champion's training data, re-read (or regenerated) from its manifest.
fn champion_training_data(manifest: &TrainingManifest) -> Result<Table> {
    Ok(match (&manifest.data.path, manifest.data.generator_seed) {
        (Some(p), _) => Table::read(std::path::Path::new(p))
            .with_context(|| format!("the champion's training data {p}"))?,
        (None, Some(seed)) => Table::from_csv_bytes(
            "generated Telco-like data",
            generate_telco_csv(manifest.data.rows as usize, seed),
        )?,
        (None, None) => bail!("the champion's manifest names no training data"),
    })
}

/// The training-data rule: recent rows alone when the recent training rows (before the holdout)
/// reach `retraining.min_samples_for_retrain` (enough to learn the new regime, which the old
/// rows would dilute), else the champion's training data plus the recent rows. The refit after
/// a `deploy` keeps the choice made for the validated model.
fn with_reference(recent_training_rows: usize, cfg: &Config) -> bool {
    recent_training_rows < cfg.retraining.min_samples_for_retrain
}

/// `recent`, with the champion's training data in front when `reference`.
fn training_table(
    manifest: &TrainingManifest,
    recent: &Table,
    reference: bool,
    cfg: &Config,
) -> Result<(Table, String)> {
    let min = cfg.retraining.min_samples_for_retrain;
    let n = recent.n_rows();
    if !reference {
        let rule = format!(
            "{n} recent rows only (retraining.min_samples_for_retrain {min} reached: the new regime is not diluted by the old data)"
        );
        return Ok((recent.slice(0, n), rule));
    }
    let reference = champion_training_data(manifest)?;
    let table = Table::concat("reference + recent batches", &[&reference, recent])?;
    let rule = format!(
        "the champion's {} training rows plus {n} recent rows (recent rows below retraining.min_samples_for_retrain {min})",
        reference.n_rows()
    );
    Ok((table, rule))
}

/// The challenger sees the champion's features with the champion's types, nothing else.
fn challenger_config(
    cfg: &Config,
    champion: &ModelBundle,
    manifest: &TrainingManifest,
    table: &Table,
) -> Config {
    let mut cfg = cfg.clone();
    for name in table.column_names() {
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
    cfg
}

/// Fits a challenger on `table`; `tag` keeps the validated and the refit model apart.
fn fit(
    table: &Table,
    cfg: &Config,
    manifest: &TrainingManifest,
    args: &RetrainArgs,
    tag: &str,
) -> Result<driftscope_training::Trained> {
    let files: Vec<String> = args.data.iter().map(|p| p.display().to_string()).collect();
    let digest =
        sha256_hex(format!("{}+{}+{tag}", manifest.data.sha256, files.join(",")).as_bytes());
    crate::train_calibrated(
        table,
        cfg,
        manifest.seed,
        &driftscope_training::Source {
            path: None,
            sha256: &digest,
            generator_seed: None,
        },
    )
}

/// Paired bootstrap of `metric(challenger) - metric(champion)` on the same resampled rows.
pub fn paired_bootstrap(
    labels: &[bool],
    champion: &[f64],
    challenger: &[f64],
    metric: ComparisonMetric,
    seed: u64,
) -> Result<PairedBootstrap> {
    let n = labels.len();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut diffs = Vec::with_capacity(BOOTSTRAP_RESAMPLES as usize);
    let (mut l, mut a, mut b) = (vec![false; n], vec![0.0; n], vec![0.0; n]);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        for j in 0..n {
            let i = rng.gen_range(0..n);
            (l[j], a[j], b[j]) = (labels[i], champion[i], challenger[i]);
        }
        let ma = driftscope_performance::classification_metrics(&l, &a, 0.5)?;
        let mb = driftscope_performance::classification_metrics(&l, &b, 0.5)?;
        diffs.push(score(&mb, metric) - score(&ma, metric));
    }
    diffs.sort_by(f64::total_cmp);
    let tail = (1.0 - BOOTSTRAP_CONFIDENCE) / 2.0;
    let at = |q: f64| diffs[((q * diffs.len() as f64) as usize).min(diffs.len() - 1)];
    Ok(PairedBootstrap {
        seed,
        resamples: BOOTSTRAP_RESAMPLES,
        confidence: BOOTSTRAP_CONFIDENCE,
        lower: at(tail),
        upper: at(1.0 - tail),
    })
}

/// The recent batches in time order, split into (training part, time-ordered holdout).
fn recent_split(args: &RetrainArgs) -> Result<(Table, Table, Table)> {
    if args.data.is_empty() {
        bail!("retrain needs recent labelled batches: --data BATCH.csv [BATCH.csv ...]");
    }
    let batches: Vec<Table> = args
        .data
        .iter()
        .map(|p| Table::read(p))
        .collect::<Result<_, _>>()?;
    let refs: Vec<&Table> = batches.iter().collect();
    let recent = Table::concat("recent batches", &refs)?;
    let n = recent.n_rows();
    let n_eval = ((n as f64) * EVALUATION_SHARE).round() as usize;
    if n_eval < MIN_SPLIT_ROWS || n - n_eval < MIN_SPLIT_ROWS {
        bail!("{n} recent labelled rows are too few to train on and compare (need at least {MIN_SPLIT_ROWS} for each)");
    }
    let (older, newest) = (
        recent.slice(0, n - n_eval),
        recent.slice(n - n_eval, n_eval),
    );
    Ok((recent, older, newest))
}

/// Promotes a challenger recommended for deployment when `retraining.auto_retrain` is true;
/// says how to promote it otherwise. Returns whether it was promoted.
fn promote_if_allowed(
    args: &RetrainArgs,
    cfg: &Config,
    deploy: bool,
    version: &str,
    why: String,
    reasons: &mut Vec<String>,
) -> Result<bool> {
    let promoted = deploy && cfg.retraining.auto_retrain;
    if promoted {
        crate::champion::set_champion(
            &args.artifacts,
            version,
            ChampionChange::AutoRetrain,
            false,
            why,
        )?;
        reasons.push("promoted to champion (retraining.auto_retrain is true)".into());
    } else if deploy {
        reasons.push(format!(
            "not promoted: retraining.auto_retrain is false; run `driftscope promote {version}`"
        ));
    }
    Ok(promoted)
}

/// Trains and compares a challenger; promotes it only when `retraining.auto_retrain` is true
/// and the recommendation is `deploy`.
pub fn retrain(args: &RetrainArgs, cfg: &Config) -> Result<ModelComparison> {
    let (recent, older, newest) = recent_split(args)?;
    let _lock = crate::store::ArtifactStore::new(&args.artifacts).lock_trained()?;
    let champion = load_champion(&args.artifacts)?;
    let manifest: TrainingManifest =
        driftscope_artifacts::read_artifact(&champion.dir.join("training_manifest.json"))?;
    let reference = with_reference(older.n_rows(), cfg);
    let (train_table, rule) = training_table(&manifest, &older, reference, cfg)?;
    let cfg = &challenger_config(cfg, &champion, &manifest, &train_table);
    let validated = fit(&train_table, cfg, &manifest, args, "validated")?;
    let (labels, _) = newest.binary_target(
        &champion.model.target,
        &champion.model.positive_label,
        Some(&champion.model.negative_label),
    )?;
    let pc = driftscope_training::predict_proba(&champion.model, &newest)?;
    let px = driftscope_training::predict_proba(&validated.model, &newest)?;
    let cm = driftscope_performance::classification_metrics(&labels, &pc, 0.5)?;
    let xm = driftscope_performance::classification_metrics(&labels, &px, 0.5)?;
    let metric = cfg.retraining.model_comparison_metric;
    let (cs, xs) = (score(&cm, metric), score(&xm, metric));
    let bootstrap = paired_bootstrap(&labels, &pc, &px, metric, manifest.seed)?;
    let floor = floor_of(metric, cfg);
    let (recommendation, mut reasons) = deployment_decision(&ComparisonEvidence {
        metric,
        champion: cs,
        challenger: xs,
        floor,
        difference_lower: bootstrap.lower,
        difference_upper: bootstrap.upper,
    });
    reasons.insert(
        0,
        format!(
            "validated on the {} most recent labelled rows (time-ordered holdout); challenger trained on {rule}",
            newest.n_rows()
        ),
    );
    let deploy = recommendation == Recommendation::Deploy;
    let offered = if deploy {
        let (all, rule_all) = training_table(&manifest, &recent, reference, cfg)?;
        let refit = fit(&all, cfg, &manifest, args, "refit")?;
        reasons.push(format!(
            "the recipe validated as {} was refit on {rule_all} (holdout included) as {}",
            validated.model.model_version, refit.model.model_version
        ));
        refit
    } else {
        validated
    };
    write_model(&args.artifacts, &offered)?;
    let version = offered.model.model_version.clone();
    let why = format!("retrain recommended deploy: {metric} {xs:.4} vs {cs:.4}");
    let promoted = promote_if_allowed(args, cfg, deploy, &version, why, &mut reasons)?;
    let comparison = ModelComparison {
        champion: champion.model.model_version.clone(),
        challenger: version,
        metric,
        champion_score: cs,
        challenger_score: xs,
        champion_metrics: cm,
        challenger_metrics: xm,
        evaluation_rows: newest.n_rows() as u64,
        training_rows: train_table.n_rows() as u64,
        recommendation,
        floor,
        bootstrap: Some(bootstrap),
        training_data: rule,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_bootstrap_is_seeded_and_brackets_the_difference() {
        let labels: Vec<bool> = (0..200).map(|i| i % 3 == 0).collect();
        let good: Vec<f64> = labels.iter().map(|&l| if l { 0.8 } else { 0.2 }).collect();
        let noisy: Vec<f64> = (0..200).map(|i| ((i * 37) % 100) as f64 / 100.0).collect();
        let same = paired_bootstrap(&labels, &good, &good, ComparisonMetric::Auc, 7).unwrap();
        assert_eq!((same.lower, same.upper), (0.0, 0.0));
        let a = paired_bootstrap(&labels, &noisy, &good, ComparisonMetric::Auc, 7).unwrap();
        let b = paired_bootstrap(&labels, &noisy, &good, ComparisonMetric::Auc, 7).unwrap();
        assert_eq!(a, b, "same seed, same interval");
        assert!(a.lower > 0.0 && a.upper <= 1.0, "{a:?}");
        let c = paired_bootstrap(&labels, &good, &noisy, ComparisonMetric::Auc, 7).unwrap();
        assert!(c.upper < 0.0, "{c:?}");
    }
}
