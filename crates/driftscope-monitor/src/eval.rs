//! `driftscope eval`: how often the drift verdicts fire on batches without drift (false alarms)
//! and on batches with a shift of known size (detections), at batch sizes from 50 to 50,000.
//!
//! Batches are drawn with replacement from a population (fresh generated rows, or every row of
//! a real file) and compared with a reference profile built from a separate sample (generated)
//! or a seeded 80% subset (real file), exactly as `monitor` compares a batch with the stored
//! reference. Shifts are injected into the drawn values: numerical mean shifts of k reference
//! standard deviations, a scale change around the reference mean, and categorical moves of p
//! points of the batch from the most common reference category to the second most common.
//! Each shift is applied to every feature of its type at once (`all`) and, separately, to one
//! feature per batch in turn (`one`). Every draw comes from a ChaCha stream keyed by the seed,
//! dataset, condition, size and batch, so results do not depend on threads.

use std::collections::BTreeMap;

use crate::args::EvalArgs;
use crate::error::{bail, Result};
use driftscope_artifacts::{
    CategoryCount, ColumnValues, Config, DatasetEvaluation, DetectorEvaluation, EvaluationCell,
    EvaluationScope, FeatureProfile, FeatureType, ReferenceProfile, ReferenceSample,
};
use driftscope_data::{generate_telco_csv, is_missing, Table};
use driftscope_drift::{drift_report, CurrentBatch};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::profile_table;

/// An injected condition.
#[derive(Debug, Clone, Copy)]
enum Shift {
    None,
    Mean(f64),
    Scale(f64),
    Move(f64),
}

impl Shift {
    fn name(self) -> String {
        match self {
            Shift::None => "no drift".into(),
            Shift::Mean(k) => format!("mean +{k} sd"),
            Shift::Scale(s) => format!("scale x{s}"),
            Shift::Move(p) => format!("categories moved {p} pts"),
        }
    }

    fn numerical(self) -> bool {
        matches!(self, Shift::Mean(_) | Shift::Scale(_))
    }
}

const SHIFTS: [Shift; 9] = [
    Shift::None,
    Shift::Mean(0.1),
    Shift::Mean(0.25),
    Shift::Mean(0.5),
    Shift::Mean(1.0),
    Shift::Scale(1.2),
    Shift::Move(5.0),
    Shift::Move(10.0),
    Shift::Move(20.0),
];

/// A population column.
enum Column {
    /// Values (NaN = missing), reference mean and standard deviation (ddof 0).
    Numbers(Vec<f64>, f64, f64),
    /// Codes into sorted labels (`u32::MAX` = missing), labels, the most and second most
    /// common reference categories.
    Codes(Vec<u32>, Vec<String>, u32, u32),
}

/// Runs the evaluation on generated data, and on `args.data` when given.
pub fn evaluate(args: &EvalArgs, cfg: &Config) -> Result<DetectorEvaluation> {
    if args.batches == 0 || args.sizes.is_empty() {
        bail!("eval needs at least one batch size and one batch");
    }
    let real = args.data.as_deref().map(Table::read).transpose()?;
    let generated_population = Table::from_csv_bytes(
        "generated population",
        generate_telco_csv(200_000, args.seed),
    )?;
    let generated_reference = Table::from_csv_bytes(
        "generated reference",
        generate_telco_csv(5634, args.seed.wrapping_add(1)),
    )?;
    let mut datasets = vec![dataset(
        "generated",
        &generated_reference,
        &generated_population,
        args,
        cfg,
        0,
    )?];
    if let Some(real) = &real {
        // Reference: a seeded 80% subset; batches come from every row.
        let mut rows: Vec<usize> = (0..real.n_rows()).collect();
        rows.shuffle(&mut ChaCha8Rng::seed_from_u64(args.seed));
        let keep = (real.n_rows() * 4).div_ceil(5);
        rows.truncate(keep);
        rows.sort_unstable();
        let reference = real.take_rows(&rows)?;
        datasets.push(dataset(real.label(), &reference, real, args, cfg, 1)?);
    }
    let mut settings = BTreeMap::new();
    settings.insert("psi_threshold".into(), cfg.data_drift.psi_threshold);
    settings.insert(
        "kl_divergence_threshold".into(),
        cfg.data_drift.kl_divergence_threshold,
    );
    settings.insert("alpha".into(), cfg.data_drift.alpha);
    settings.insert("min_effect_psi".into(), cfg.data_drift.min_effect_psi);
    let mut performance = Vec::new();
    if args.splits > 0 {
        use crate::eval_performance::EvalData;
        performance.push(crate::eval_performance::performance_evaluation(
            "generated (a new dataset per split)",
            &EvalData::Generated {
                rows: crate::GENERATED_ROWS,
            },
            args.splits,
            args.seed,
            cfg,
        )?);
        if let Some(real) = &real {
            performance.push(crate::eval_performance::performance_evaluation(
                real.label(),
                &EvalData::File(real),
                args.splits,
                args.seed,
                cfg,
            )?);
        }
    }
    Ok(DetectorEvaluation {
        seed: args.seed,
        batches: args.batches,
        sizes: args.sizes.clone(),
        settings,
        datasets,
        performance,
    })
}

fn dataset(
    name: &str,
    reference: &Table,
    population: &Table,
    args: &EvalArgs,
    cfg: &Config,
    dataset_index: u64,
) -> Result<DatasetEvaluation> {
    let (profile, sample) = profile_table(reference, "Churn", cfg)?;
    let columns = feature_columns(&profile, &sample, population)?;
    let numerical: Vec<usize> = (0..columns.len())
        .filter(|i| matches!(columns[*i], Column::Numbers(..)))
        .collect();
    let categorical: Vec<usize> = (0..columns.len())
        .filter(|i| matches!(columns[*i], Column::Codes(..)))
        .collect();
    let pool = population.n_rows();
    let ctx = EvalContext {
        profile: &profile,
        sample: &sample,
        columns: &columns,
        pool,
        cfg,
        seed: args.seed,
    };
    let cells = evaluation_cells(&ctx, args, dataset_index, &numerical, &categorical)?;
    let names = |idx: &[usize]| {
        idx.iter()
            .map(|i| profile.features[*i].name.clone())
            .collect()
    };
    Ok(DatasetEvaluation {
        dataset: name.to_string(),
        reference_rows: reference.n_rows() as u64,
        population_rows: pool as u64,
        numerical_features: names(&numerical),
        categorical_features: names(&categorical),
        cells,
    })
}

/// The population's values of every profiled feature, ready to draw batches from.
fn feature_columns(
    profile: &ReferenceProfile,
    sample: &ReferenceSample,
    population: &Table,
) -> Result<Vec<Column>> {
    let mut columns = Vec::new();
    for f in &profile.features {
        columns.push(match f.feature_type {
            FeatureType::Numerical => numerical_column(f, sample, population)?,
            _ => categorical_column(f, population)?,
        });
    }
    Ok(columns)
}

/// A numerical feature's population values with the reference sample's mean and standard
/// deviation (ddof 0).
fn numerical_column(
    f: &FeatureProfile,
    sample: &ReferenceSample,
    population: &Table,
) -> Result<Column> {
    let s = sample
        .columns
        .iter()
        .find(|c| c.name == f.name)
        .map(|c| c.sorted_values.as_slice())
        .unwrap_or_default();
    let n = s.len().max(1) as f64;
    let mean = s.iter().sum::<f64>() / n;
    let sd = (s.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    Ok(Column::Numbers(population.numeric(&f.name)?, mean, sd))
}

/// A categorical feature's population values as codes into the sorted labels (reference
/// categories plus any new ones), with the two most common reference categories.
fn categorical_column(f: &FeatureProfile, population: &Table) -> Result<Column> {
    let text = population.text(&f.name)?;
    let mut labels: Vec<String> = f.categories.iter().map(|c| c.value.clone()).collect();
    for c in text.iter().flatten() {
        if !is_missing(c) && labels.binary_search_by(|l| l.as_str().cmp(c)).is_err() {
            labels.push(c.to_string());
            labels.sort();
        }
    }
    let codes = text
        .iter()
        .map(|c| match c {
            Some(c) if !is_missing(c) => labels
                .binary_search_by(|l| l.as_str().cmp(c))
                .map_or(u32::MAX, |k| k as u32),
            _ => u32::MAX,
        })
        .collect();
    let mut by_count: Vec<&CategoryCount> = f.categories.iter().collect();
    by_count.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    let code = |k: usize| {
        by_count.get(k).map_or(0, |c| {
            labels
                .binary_search_by(|l| l.as_str().cmp(&c.value))
                .map_or(0, |i| i as u32)
        })
    };
    let (top, second) = (code(0), code(1));
    Ok(Column::Codes(codes, labels, top, second))
}

/// What every evaluated batch of one dataset shares.
struct EvalContext<'a> {
    profile: &'a ReferenceProfile,
    sample: &'a ReferenceSample,
    columns: &'a [Column],
    pool: usize,
    cfg: &'a Config,
    seed: u64,
}

/// One cell of the evaluation: a shift, where it is applied, and the batch size.
struct Condition<'a> {
    shift: Shift,
    scope: EvaluationScope,
    size: usize,
    /// The features of the shift's type.
    of_type: &'a [usize],
    /// The ChaCha stream of the cell; batch `b` uses `stream ^ b`.
    stream: u64,
}

/// Every (shift, scope, size) cell of one dataset.
fn evaluation_cells(
    ctx: &EvalContext,
    args: &EvalArgs,
    dataset_index: u64,
    numerical: &[usize],
    categorical: &[usize],
) -> Result<Vec<EvaluationCell>> {
    let mut cells = Vec::new();
    for (si, shift) in SHIFTS.iter().enumerate() {
        let scopes: &[EvaluationScope] = if matches!(shift, Shift::None) {
            &[EvaluationScope::None]
        } else {
            &[EvaluationScope::All, EvaluationScope::One]
        };
        let of_type = if shift.numerical() {
            numerical
        } else {
            categorical
        };
        for (scope_index, scope) in scopes.iter().enumerate() {
            for &size in &args.sizes {
                let condition = Condition {
                    shift: *shift,
                    scope: *scope,
                    size,
                    of_type,
                    stream: (dataset_index << 56)
                        ^ ((si as u64) << 48)
                        ^ ((scope_index as u64) << 44)
                        ^ ((size as u64) << 20),
                };
                cells.push(evaluation_cell(ctx, &condition, args.batches)?);
            }
        }
    }
    Ok(cells)
}

/// The false-alarm or detection rates of one cell over `batches` batches.
fn evaluation_cell(
    ctx: &EvalContext,
    condition: &Condition,
    batches: usize,
) -> Result<EvaluationCell> {
    let counts: Vec<(u64, u64, u64)> = (0..batches)
        .into_par_iter()
        .map(|b| batch_verdicts(ctx, condition, b))
        .collect::<Result<_>>()?;
    let trials: u64 = counts.iter().map(|c| c.0).sum();
    let rate = |k: u64| k as f64 / trials.max(1) as f64;
    Ok(EvaluationCell {
        condition: condition.shift.name(),
        scope: condition.scope,
        size: condition.size,
        trials,
        default_rate: rate(counts.iter().map(|c| c.1).sum()),
        calibrated_rate: rate(counts.iter().map(|c| c.2).sum()),
    })
}

/// Draws batch `b` of a cell, applies the shift, and counts the features checked and those
/// flagged by the default and the calibrated verdicts.
fn batch_verdicts(ctx: &EvalContext, condition: &Condition, b: usize) -> Result<(u64, u64, u64)> {
    let Condition {
        shift,
        scope,
        size,
        of_type,
        stream,
    } = *condition;
    let mut rng = ChaCha8Rng::seed_from_u64(ctx.seed);
    rng.set_stream(stream ^ b as u64);
    let rows: Vec<usize> = (0..size).map(|_| rng.gen_range(0..ctx.pool)).collect();
    let shifted: Vec<usize> = match scope {
        EvaluationScope::None => Vec::new(),
        EvaluationScope::All => of_type.to_vec(),
        EvaluationScope::One => vec![of_type[b % of_type.len()]],
    };
    let values = ctx
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let on = shifted.contains(&i);
            Some(batch_values(
                c,
                &rows,
                if on { shift } else { Shift::None },
                &mut rng,
            ))
        })
        .collect();
    let report = drift_report(
        ctx.profile,
        ctx.sample,
        &CurrentBatch {
            rows: size as u64,
            values,
            extra_columns: Vec::new(),
        },
        &ctx.cfg.data_drift,
    )?;
    let counted = |f: &driftscope_artifacts::FeatureDrift| {
        scope == EvaluationScope::None
            || shifted
                .iter()
                .any(|i| ctx.profile.features[*i].name == f.name)
    };
    let (mut trials, mut default, mut calibrated) = (0, 0, 0);
    for f in report.features.iter().filter(|f| counted(f)) {
        trials += 1;
        default += u64::from(f.drift_detected);
        calibrated += u64::from(f.calibrated.as_ref().is_some_and(|c| c.drift_detected));
    }
    Ok((trials, default, calibrated))
}

/// One feature's values for the batch `rows`, with `shift` injected.
fn batch_values(
    column: &Column,
    rows: &[usize],
    shift: Shift,
    rng: &mut ChaCha8Rng,
) -> ColumnValues {
    match column {
        Column::Numbers(values, mean, sd) => {
            let mut missing = 0;
            let mut sorted: Vec<f64> = Vec::with_capacity(rows.len());
            for &r in rows {
                let v = values[r];
                if v.is_nan() {
                    missing += 1;
                    continue;
                }
                sorted.push(match shift {
                    Shift::Mean(k) => v + k * sd,
                    Shift::Scale(s) => mean + s * (v - mean),
                    _ => v,
                });
            }
            driftscope_artifacts::sort_floats(&mut sorted);
            ColumnValues::Numerical { sorted, missing }
        }
        Column::Codes(codes, labels, top, second) => {
            let mut batch: Vec<u32> = rows.iter().map(|r| codes[*r]).collect();
            if let Shift::Move(points) = shift {
                let want = (points / 100.0 * rows.len() as f64).round() as usize;
                let mut at_top: Vec<usize> =
                    (0..batch.len()).filter(|i| batch[*i] == *top).collect();
                at_top.shuffle(rng);
                for i in at_top.into_iter().take(want) {
                    batch[i] = *second;
                }
            }
            let mut counts = vec![0u64; labels.len()];
            let mut missing = 0;
            for c in batch {
                match counts.get_mut(c as usize) {
                    Some(n) => *n += 1,
                    None => missing += 1,
                }
            }
            ColumnValues::Categorical {
                counts: labels
                    .iter()
                    .zip(counts)
                    .filter(|(_, n)| *n > 0)
                    .map(|(value, count)| CategoryCount {
                        value: value.clone(),
                        count,
                    })
                    .collect(),
                missing,
            }
        }
    }
}

/// The evaluation as text tables: false alarms, then detections, per dataset; then the
/// performance rules.
pub fn render_eval(e: &DetectorEvaluation) -> String {
    let mut out = render_drift(e);
    for p in &e.performance {
        out.push_str(&crate::eval_performance::render(p));
    }
    out
}

fn render_drift(e: &DetectorEvaluation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let sizes: Vec<String> = e.sizes.iter().map(|s| format!("{s:>8}")).collect();
    for d in &e.datasets {
        let _ = writeln!(
            out,
            "\n{}: reference {} rows, batches drawn from {} rows, {} batches per cell",
            d.dataset, d.reference_rows, d.population_rows, e.batches
        );
        for (title, verdict) in [
            ("default verdict (psi / kl thresholds)", false),
            ("size-aware verdict (BH p-value + min effect)", true),
        ] {
            let _ = writeln!(out, "\n  {title}\n  {:<36}{}", "condition", sizes.join(""));
            for scope in [
                EvaluationScope::None,
                EvaluationScope::All,
                EvaluationScope::One,
            ] {
                let mut conditions: Vec<&str> = Vec::new();
                for c in d.cells.iter().filter(|c| c.scope == scope) {
                    if !conditions.contains(&c.condition.as_str()) {
                        conditions.push(&c.condition);
                    }
                }
                for cond in conditions {
                    let label = match scope {
                        EvaluationScope::None => "false alarms, no drift".to_string(),
                        _ => format!("{cond} ({scope})"),
                    };
                    let mut line = format!("  {label:<36}");
                    for s in &e.sizes {
                        let cell = d
                            .cells
                            .iter()
                            .find(|c| c.scope == scope && c.condition == cond && c.size == *s);
                        let v = cell.map(|c| {
                            if verdict {
                                c.calibrated_rate
                            } else {
                                c.default_rate
                            }
                        });
                        let _ = write!(
                            line,
                            "{:>8}",
                            v.map_or("-".to_string(), |v| format!("{:.1}%", v * 100.0))
                        );
                    }
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
    out
}
