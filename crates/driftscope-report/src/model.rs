//! Loading the artifacts, building the view models, rendering the pages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use driftscope_artifacts::{
    read_artifact, AlertSeverity, AlertType, AlertsHistory, BaselineMetrics, Champion,
    DetectorEvaluation, Diagnosis, EvaluationScope, FeatureType, ModelComparison, MonitoringResult,
    PerformanceHistory, Recommendation, ReferenceProfile, RetrainingHistory, RetrainingPriority,
    Severity, TrainingManifest,
};
use serde::Serialize;
use serde_json::json;

use crate::figures::{self, embed};
use crate::{ReportError, SiteSummary};

/// Everything the site shows, read from the artifacts.
#[derive(Debug, Clone)]
pub struct SiteData {
    /// Champion model version.
    pub champion: String,
    /// Its baseline metrics.
    pub baseline: BaselineMetrics,
    /// Its training manifest.
    pub manifest: TrainingManifest,
    /// Its reference profile.
    pub profile: ReferenceProfile,
    /// Monitoring results, oldest first.
    pub results: Vec<MonitoringResult>,
    /// Performance history.
    pub performance: PerformanceHistory,
    /// Alerts history.
    pub alerts: AlertsHistory,
    /// Retraining decisions.
    pub retraining: RetrainingHistory,
    /// Challenger comparisons.
    pub comparisons: Vec<ModelComparison>,
    /// The detector evaluation (`detector_evaluation.json`), when one was run.
    pub evaluation: Option<DetectorEvaluation>,
}

/// The "Detector quality" page: false-alarm and detection rates of both verdicts.
fn detector_page(e: Option<&DetectorEvaluation>) -> Page {
    let mut figs = Vec::new();
    let mut datasets = Vec::new();
    if let Some(e) = e {
        let sizes: Vec<String> = e.sizes.iter().map(|s| s.to_string()).collect();
        for (k, d) in e.datasets.iter().enumerate() {
            let cell = |cond: &str, scope: EvaluationScope, size: usize| {
                d.cells
                    .iter()
                    .find(|c| c.condition == cond && c.scope == scope && c.size == size)
            };
            let pct = |v: f64| format!("{:.1}%", v * 100.0);
            let series =
                |cond: &str, scope: EvaluationScope, calibrated: bool| -> Vec<Option<f64>> {
                    e.sizes
                        .iter()
                        .map(|s| {
                            cell(cond, scope, *s).map(|c| {
                                100.0
                                    * if calibrated {
                                        c.calibrated_rate
                                    } else {
                                        c.default_rate
                                    }
                            })
                        })
                        .collect()
                };
            figs.push(fig(
                &format!("far-{k}"),
                &figures::rates_by_size(
                    &sizes,
                    &[
                        (
                            "default verdict",
                            series("no drift", EvaluationScope::None, false),
                            None,
                        ),
                        (
                            "size-aware verdict",
                            series("no drift", EvaluationScope::None, true),
                            Some(1.0),
                        ),
                    ],
                    &format!(
                        "{}: false alarms per feature-batch, % (dashed: 1% target)",
                        d.dataset
                    ),
                ),
            ));
            let mut conditions: Vec<(String, EvaluationScope)> = Vec::new();
            for c in &d.cells {
                let key = (c.condition.clone(), c.scope);
                if !conditions.contains(&key) {
                    conditions.push(key);
                }
            }
            let detect: Vec<(String, Vec<Option<f64>>, Option<f64>)> = conditions
                .iter()
                .filter(|(_, scope)| *scope == EvaluationScope::All)
                .map(|(cond, scope)| (cond.clone(), series(cond, *scope, true), None))
                .collect();
            let refs: Vec<figures::Series<'_>> = detect
                .iter()
                .map(|(n, v, b)| (n.as_str(), v.clone(), *b))
                .collect();
            figs.push(fig(
                &format!("detect-{k}"),
                &figures::rates_by_size(
                    &sizes,
                    &refs,
                    &format!("{}: size-aware detection rate, %, by batch size", d.dataset),
                ),
            ));
            let rows: Vec<_> = conditions
                .iter()
                .map(|(cond, scope)| {
                    json!({
                        "condition": cond,
                        "scope": match scope { EvaluationScope::All => "every feature of the type", EvaluationScope::One => "one feature per batch", EvaluationScope::None => "" },
                        "cells": e.sizes.iter().map(|s| cell(cond, *scope, *s).map(|c| json!({"default": pct(c.default_rate), "calibrated": pct(c.calibrated_rate)}))).collect::<Vec<_>>(),
                    })
                })
                .collect();
            datasets.push(json!({
                "name": d.dataset, "reference_rows": d.reference_rows, "population_rows": d.population_rows,
                "numerical": d.numerical_features, "categorical": d.categorical_features,
                "rows": rows, "far": format!("far-{k}"), "detect": format!("detect-{k}"),
            }));
        }
    }
    Page {
        file: "detector.html".into(),
        template: "detector.html",
        title: "Detector quality".into(),
        context: json!({
            "present": e.is_some(),
            "sizes": e.map(|e| e.sizes.clone()),
            "batches": e.map(|e| e.batches),
            "seed": e.map(|e| e.seed),
            "settings": e.map(|e| e.settings.clone()),
            "datasets": datasets,
        }),
        figures: figs,
    }
}

fn missing(path: PathBuf, message: &str) -> ReportError {
    ReportError::Missing {
        path,
        message: message.into(),
    }
}

/// Reads everything the site needs from `artifacts`.
pub fn load(artifacts: &Path) -> Result<SiteData, ReportError> {
    let champion_path = artifacts.join("models/champion.json");
    if !champion_path.exists() {
        return Err(missing(
            champion_path,
            "no champion model: run `driftscope train` first",
        ));
    }
    let champion: Champion = read_artifact(&champion_path)?;
    let dir = artifacts.join("models").join(&champion.model_version);
    let mut results: Vec<MonitoringResult> = Vec::new();
    let batches = artifacts.join("batches");
    if batches.exists() {
        for entry in walkdir::WalkDir::new(&batches)
            .min_depth(2)
            .max_depth(2)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| ReportError::Io {
                path: batches.clone(),
                source: e.into(),
            })?;
            if entry.file_name() == "monitoring_result.json" {
                results.push(read_artifact(entry.path())?);
            }
        }
    }
    results.sort_by(|a, b| {
        a.timestamp
            .cmp(&b.timestamp)
            .then(a.batch_id.cmp(&b.batch_id))
    });
    let read_or = |name: &str| artifacts.join(name);
    let mut comparisons: Vec<ModelComparison> = Vec::new();
    let cdir = artifacts.join("model_comparisons");
    if cdir.exists() {
        for entry in walkdir::WalkDir::new(&cdir)
            .min_depth(1)
            .max_depth(1)
            .sort_by_file_name()
        {
            let entry = entry.map_err(|e| ReportError::Io {
                path: cdir.clone(),
                source: e.into(),
            })?;
            if entry.path().extension().is_some_and(|e| e == "json") {
                comparisons.push(read_artifact(entry.path())?);
            }
        }
    }
    Ok(SiteData {
        baseline: read_artifact(&dir.join("baseline_metrics.json"))?,
        manifest: read_artifact(&dir.join("training_manifest.json"))?,
        profile: read_artifact(&dir.join("reference_profile.json"))?,
        champion: champion.model_version,
        performance: if read_or("performance_history.json").exists() {
            read_artifact(&read_or("performance_history.json"))?
        } else {
            Default::default()
        },
        alerts: if read_or("alerts_history.json").exists() {
            read_artifact(&read_or("alerts_history.json"))?
        } else {
            Default::default()
        },
        retraining: if read_or("retraining_history.json").exists() {
            read_artifact(&read_or("retraining_history.json"))?
        } else {
            Default::default()
        },
        results,
        comparisons,
        evaluation: {
            let p = artifacts.join("detector_evaluation.json");
            if p.exists() {
                Some(read_artifact(&p)?)
            } else {
                None
            }
        },
    })
}

#[derive(Serialize)]
struct Figure {
    id: String,
    json: String,
}

struct Page {
    file: String,
    template: &'static str,
    title: String,
    context: serde_json::Value,
    figures: Vec<Figure>,
}

fn fig(id: &str, plot: &plotly::Plot) -> Figure {
    Figure {
        id: id.to_string(),
        json: embed(plot),
    }
}

fn diagnosis_text(d: Diagnosis) -> &'static str {
    match d {
        Diagnosis::None => "no drift",
        Diagnosis::DataDrift => "data drift",
        Diagnosis::ConceptDrift => "concept drift",
        Diagnosis::DataAndConceptDrift => "data and concept drift",
    }
}

/// The PSI line drawn on the drift charts: the default `data_drift.psi_threshold`. Drift
/// reports do not record the threshold a run used, and the site only formats artifacts, so the
/// line marks the documented default; the bars' colours show the verdict actually reached.
const PSI_LINE: f64 = 0.2;

fn f4(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.4}"))
}

fn p_fmt(v: Option<f64>) -> String {
    v.map_or_else(
        || "–".into(),
        |v| {
            if v < 1e-4 {
                format!("{v:.1e}")
            } else {
                format!("{v:.4}")
            }
        },
    )
}

/// The health verdict of the latest batch, for a reader who has ten seconds.
fn health(latest: Option<&MonitoringResult>) -> (String, String, String) {
    let Some(r) = latest else {
        return (
            "unknown".into(),
            "No batch monitored yet".into(),
            "Run `driftscope monitor` on a production batch.".into(),
        );
    };
    let worst = r.alerts.iter().map(|a| a.severity).max();
    let why = match r.diagnosis {
        Diagnosis::None => "inputs look like the training data and the model performs as it should".to_string(),
        Diagnosis::DataDrift => format!(
            "the inputs moved ({} of {} features drifted: {}) while the model's relationship still holds",
            r.data_drift.drifted_features.len(),
            r.data_drift.features_checked,
            r.data_drift.drifted_features.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ),
        Diagnosis::ConceptDrift => "the relationship between inputs and churn changed: the model performs worse than it should on these very inputs".into(),
        Diagnosis::DataAndConceptDrift => format!(
            "both the inputs ({} features drifted) and the relationship between inputs and churn changed",
            r.data_drift.drifted_features.len()
        ),
    };
    let (state, headline) = match worst {
        Some(AlertSeverity::High) => ("critical", "Action needed"),
        Some(AlertSeverity::Medium) => ("warning", "Needs attention"),
        _ => ("healthy", "Healthy"),
    };
    (
        state.into(),
        format!("{headline}: {}", diagnosis_text(r.diagnosis)),
        why,
    )
}

fn build_pages(d: &SiteData) -> Vec<Page> {
    let batches: Vec<String> = d.results.iter().map(|r| r.batch_id.clone()).collect();
    let latest = d.results.last();
    let base = &d.baseline.holdout;
    let mut pages = Vec::new();

    // Overview.
    let (state, headline, why) = health(latest);
    let rows: Vec<_> = d
        .results
        .iter()
        .map(|r| {
            let worst = r.alerts.iter().map(|a| a.severity).max();
            json!({
                "id": r.batch_id, "timestamp": r.timestamp, "rows": r.rows,
                "diagnosis": diagnosis_text(r.diagnosis), "drift_share": format!("{:.2}", r.data_drift.drift_share),
                "auc": f4(r.performance.as_ref().and_then(|m| m.auc)),
                "alerts": r.alerts.len(), "worst": worst.map_or("none", AlertSeverity::as_str),
            })
        })
        .collect();
    let mut figs = Vec::new();
    let cm = latest.and_then(|r| r.performance.as_ref()).unwrap_or(base);
    let cm_title = match latest.and_then(|r| r.performance.as_ref().map(|_| r.batch_id.clone())) {
        Some(id) => format!("Confusion matrix, {id}"),
        None => "Confusion matrix, baseline holdout".into(),
    };
    figs.push(fig(
        "confusion",
        &figures::confusion(
            cm.confusion.tp,
            cm.confusion.fp,
            cm.confusion.tn,
            cm.confusion.fn_,
            &cm_title,
        ),
    ));
    let auc: Vec<Option<f64>> = d
        .results
        .iter()
        .map(|r| r.performance.as_ref().and_then(|m| m.auc))
        .collect();
    figs.push(fig(
        "auc-trend",
        &figures::metric_trends(
            &batches,
            &[("AUC", auc, base.auc)],
            "AUC per batch (dashed: baseline)",
        ),
    ));
    pages.push(Page {
        file: "index.html".into(),
        template: "index.html",
        title: "Overview".into(),
        context: json!({
            "state": state, "headline": headline, "why": why,
            "latest": latest.map(|r| json!({
                "id": r.batch_id, "timestamp": r.timestamp, "diagnosis": diagnosis_text(r.diagnosis),
                "alerts": r.alerts.iter().map(|a| json!({"severity": a.severity, "type": a.alert_type, "reason": a.reason})).collect::<Vec<_>>(),
                "drifted": r.data_drift.drifted_features,
                "auc": f4(r.performance.as_ref().and_then(|m| m.auc)),
                "expected_auc": f4(r.concept_drift.as_ref().and_then(|c| c.expected_auc)),
                "accuracy": f4(r.performance.as_ref().map(|m| m.accuracy)),
                "retrain": r.retraining.should_retrain, "priority": r.retraining.priority,
            })),
            "model": {"version": d.champion, "train_rows": d.manifest.split.train_rows, "features": d.manifest.features.len(), "seed": d.manifest.seed},
            "baseline": {"auc": f4(base.auc), "accuracy": f4(Some(base.accuracy)), "precision": f4(Some(base.precision)), "recall": f4(Some(base.recall)), "f1": f4(Some(base.f1)), "churn_rate": f4(Some(base.positive_rate))},
            "batches": rows,
        }),
        figures: figs,
    });

    // Performance.
    let series =
        |f: fn(&driftscope_artifacts::ClassificationMetrics) -> Option<f64>| -> Vec<Option<f64>> {
            d.results
                .iter()
                .map(|r| r.performance.as_ref().and_then(f))
                .collect()
        };
    let expected: Vec<Option<f64>> = d
        .results
        .iter()
        .map(|r| r.concept_drift.as_ref().and_then(|c| c.expected_auc))
        .collect();
    let figs = vec![fig(
        "metrics",
        &figures::metric_trends(
            &batches,
            &[
                ("AUC", series(|m| m.auc), base.auc),
                (
                    "accuracy",
                    series(|m| Some(m.accuracy)),
                    Some(base.accuracy),
                ),
                ("F1", series(|m| Some(m.f1)), Some(base.f1)),
                ("expected AUC (for the batch's inputs)", expected, None),
            ],
            "Metrics per batch (dashed: baseline holdout)",
        ),
    )];
    let hist: Vec<_> = d
        .results
        .iter()
        .map(|r| {
            let m = r.performance.as_ref();
            json!({
                "id": r.batch_id, "timestamp": r.timestamp, "rows": r.rows, "labelled": r.labelled,
                "auc": f4(m.and_then(|m| m.auc)), "accuracy": f4(m.map(|m| m.accuracy)), "precision": f4(m.map(|m| m.precision)),
                "recall": f4(m.map(|m| m.recall)), "f1": f4(m.map(|m| m.f1)),
                "predicted_rate": f4(r.prediction_drift.as_ref().map(|p| p.predicted_positive_rate)),
                "rolling_auc": f4(r.rolling_window.as_ref().and_then(|w| w.metrics.auc)),
                "rolling_rows": r.rolling_window.as_ref().map_or(0, |w| w.rows),
                "degradation": r.degradation.as_ref().is_some_and(|g| g.detected),
                "skipped": r.skipped.iter().map(|s| format!("{}: {}", s.check, s.reason)).collect::<Vec<_>>(),
            })
        })
        .collect();
    pages.push(Page {
        file: "performance.html".into(),
        template: "performance.html",
        title: "Performance".into(),
        context: json!({"history": hist, "baseline": {"auc": f4(base.auc), "accuracy": f4(Some(base.accuracy)), "f1": f4(Some(base.f1))}}),
        figures: figs,
    });

    // Drift.
    let features: Vec<String> = d.profile.features.iter().map(|f| f.name.clone()).collect();
    let mut figs = Vec::new();
    let mut top = Vec::new();
    if let Some(r) = latest {
        let mut bars: Vec<(String, f64, String)> = r
            .data_drift
            .features
            .iter()
            .map(|f| (f.name.clone(), f.psi.unwrap_or(0.0), f.severity.to_string()))
            .collect();
        bars.sort_by(|a, b| b.1.total_cmp(&a.1));
        figs.push(fig(
            "psi-latest",
            &figures::psi_bars(
                &bars,
                PSI_LINE,
                &format!("PSI per feature, {} (line: threshold)", r.batch_id),
            ),
        ));
        let mut drifted: Vec<_> = r
            .data_drift
            .features
            .iter()
            .filter(|f| {
                f.severity != Severity::None
                    || f.calibrated.as_ref().is_some_and(|c| c.drift_detected)
            })
            .collect();
        drifted.sort_by(|a, b| b.psi.unwrap_or(0.0).total_cmp(&a.psi.unwrap_or(0.0)));
        top = drifted
            .iter()
            .map(|f| {
                let idx = features.iter().position(|n| *n == f.name).unwrap_or(0);
                json!({"name": f.name, "href": format!("features/feature-{idx}.html"), "type": f.feature_type.to_string(), "psi": f4(f.psi), "severity": f.severity.to_string(),
                       "p": p_fmt(f.ks.map(|k| k.p_value).or(f.chi_square.map(|c| c.p_value))), "findings": f.findings,
                       "calibrated": f.calibrated.as_ref().map(|c| json!({"detected": c.drift_detected, "p_adjusted": p_fmt(Some(c.p_adjusted))}))})
            })
            .collect();
    }
    let z: Vec<Vec<f64>> = features
        .iter()
        .map(|name| {
            d.results
                .iter()
                .map(|r| {
                    r.data_drift
                        .features
                        .iter()
                        .find(|f| &f.name == name)
                        .and_then(|f| f.psi)
                        .unwrap_or(0.0)
                })
                .collect()
        })
        .collect();
    figs.push(fig(
        "psi-heatmap",
        &figures::psi_heatmap(&batches, &features, z),
    ));
    let cd = |f: fn(&driftscope_artifacts::ConceptDrift) -> Option<f64>| -> Vec<Option<f64>> {
        d.results
            .iter()
            .map(|r| r.concept_drift.as_ref().and_then(f))
            .collect()
    };
    figs.push(fig(
        "concept",
        &figures::metric_trends(
            &batches,
            &[
                ("realized AUC", cd(|c| c.auc), None),
                (
                    "expected AUC for the batch's inputs",
                    cd(|c| c.expected_auc),
                    None,
                ),
                ("realized error rate", cd(|c| Some(c.error_rate)), None),
                (
                    "expected error rate",
                    cd(|c| Some(c.expected_error_rate)),
                    None,
                ),
            ],
            "Concept drift: realized vs expected performance",
        ),
    ));
    let concept_rows: Vec<_> = d
        .results
        .iter()
        .map(|r| {
            json!({
                "id": r.batch_id, "diagnosis": diagnosis_text(r.diagnosis),
                "drifted": r.data_drift.drifted_features.len(),
                "detected": r.concept_drift.as_ref().is_some_and(|c| c.detected),
                "reasons": r.concept_drift.as_ref().map(|c| c.reasons.clone()).unwrap_or_default(),
                "labelled": r.labelled,
            })
        })
        .collect();
    let feature_links: Vec<_> = features
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"name": n, "href": format!("features/feature-{i}.html")}))
        .collect();
    pages.push(Page {
        file: "drift.html".into(),
        template: "drift.html",
        title: "Drift".into(),
        context: json!({"latest": latest.map(|r| r.batch_id.clone()), "top": top, "concept": concept_rows, "features": feature_links,
                        "calibrated": latest.map(|r| r.data_drift.calibrated_drifted_features.clone())}),
        figures: figs,
    });

    // One page per feature.
    for (i, fp) in d.profile.features.iter().enumerate() {
        let ref_counts: Vec<u64> = if fp.feature_type == FeatureType::Numerical {
            fp.bin_counts.clone()
        } else {
            fp.categories.iter().map(|c| c.count).collect()
        };
        let labels: Vec<String> = match d.results.iter().rev().find_map(|r| {
            r.data_drift
                .features
                .iter()
                .find(|f| f.name == fp.name)
                .and_then(|f| f.distribution.as_ref())
        }) {
            Some(dist) => dist.labels.clone(),
            None => fp.categories.iter().map(|c| c.value.clone()).collect(),
        };
        let share = |counts: &[u64]| -> Vec<f64> {
            let t: u64 = counts.iter().sum();
            counts
                .iter()
                .map(|c| if t == 0 { 0.0 } else { *c as f64 / t as f64 })
                .collect()
        };
        let mut series = vec![("reference".to_string(), {
            let mut v = share(&ref_counts);
            v.resize(labels.len(), 0.0);
            v
        })];
        let mut stats = Vec::new();
        let mut psi_series = Vec::new();
        for r in &d.results {
            let f = r.data_drift.features.iter().find(|f| f.name == fp.name);
            psi_series.push(f.and_then(|f| f.psi));
            if let Some(f) = f {
                if let Some(dist) = &f.distribution {
                    // Align to the label list (categories may differ per batch).
                    let t: u64 = dist.current.iter().sum();
                    let v: Vec<f64> = labels
                        .iter()
                        .map(|l| {
                            dist.labels.iter().position(|x| x == l).map_or(0.0, |k| {
                                if t == 0 {
                                    0.0
                                } else {
                                    dist.current[k] as f64 / t as f64
                                }
                            })
                        })
                        .collect();
                    series.push((r.batch_id.clone(), v));
                }
                stats.push(json!({
                    "id": r.batch_id, "psi": f4(f.psi), "kl": f4(f.kl_divergence), "js": f4(f.js_distance),
                    "wasserstein": f4(f.wasserstein_normed), "ks": p_fmt(f.ks.map(|k| k.p_value)), "mwu": p_fmt(f.mann_whitney.map(|k| k.p_value)),
                    "chi": p_fmt(f.chi_square.map(|c| c.p_value)), "severity": f.severity.to_string(), "missing": f.current_missing, "findings": f.findings,
                }));
            }
        }
        let figs = vec![
            fig(
                "dist",
                &figures::distribution(
                    &labels,
                    &series,
                    &format!("{}: reference vs each batch", fp.name),
                ),
            ),
            fig(
                "psi",
                &figures::metric_trends(
                    &batches,
                    &[("PSI", psi_series, Some(PSI_LINE))],
                    "PSI per batch (dashed: threshold)",
                ),
            ),
        ];
        let summary = fp.summary.as_ref().map(|s| json!({"mean": f4(Some(s.mean)), "std": f4(Some(s.std)), "min": f4(Some(s.min)), "median": f4(Some(s.median)), "max": f4(Some(s.max))}));
        pages.push(Page {
            file: format!("features/feature-{i}.html"),
            template: "feature.html",
            title: fp.name.clone(),
            context: json!({"name": fp.name, "type": fp.feature_type.to_string(), "count": fp.count, "missing": fp.missing, "distinct": fp.distinct, "summary": summary, "stats": stats}),
            figures: figs,
        });
    }

    // Alerts.
    let types = AlertType::ALL;
    let mut by_sev: BTreeMap<AlertSeverity, Vec<u64>> = BTreeMap::new();
    let mut totals: BTreeMap<AlertSeverity, u64> = BTreeMap::new();
    for sev in AlertSeverity::DESCENDING {
        by_sev.insert(sev, vec![0; types.len()]);
        totals.insert(sev, 0);
    }
    for a in &d.alerts.alerts {
        let i = types.iter().position(|x| *x == a.alert_type);
        if let (Some(i), Some(v)) = (i, by_sev.get_mut(&a.severity)) {
            v[i] += 1;
        }
        *totals.entry(a.severity).or_default() += 1;
    }
    let series: Vec<(&str, Vec<u64>)> = AlertSeverity::DESCENDING
        .iter()
        .map(|s| (s.as_str(), by_sev[s].clone()))
        .collect();
    let type_names: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    let figs = vec![fig(
        "by-type",
        &figures::alert_bars(&type_names, &series, "Alerts by type and severity"),
    )];
    let ordered_totals: Vec<_> = AlertSeverity::DESCENDING
        .iter()
        .map(|s| json!({"severity": s, "count": totals.get(s).copied().unwrap_or(0)}))
        .collect();
    let history: Vec<_> = d
        .alerts
        .alerts
        .iter()
        .rev()
        .map(|a| json!({"batch": a.batch_id, "timestamp": a.timestamp, "type": a.alert_type, "severity": a.severity,
                         "value": format!("{:.4}", a.value), "threshold": format!("{:.4}", a.threshold), "reason": a.reason, "details": a.details,
                         "delivered": a.deliveries.iter().map(|x| format!("{}: {}", x.sink, if x.delivered { "sent".to_string() } else { format!("failed ({})", x.error.clone().unwrap_or_default()) })).collect::<Vec<_>>()}))
        .collect();
    pages.push(Page {
        file: "alerts.html".into(),
        template: "alerts.html",
        title: "Alerts".into(),
        context: json!({"totals": ordered_totals, "history": history}),
        figures: figs,
    });

    pages.push(detector_page(d.evaluation.as_ref()));

    // Reports.
    let decision = d.retraining.decisions.last();
    let comparison = d.comparisons.last();
    pages.push(Page {
        file: "reports.html".into(),
        template: "reports.html",
        title: "Reports".into(),
        context: json!({
            "decision": decision,
            "comparison": comparison.map(|c| json!({
                "champion": c.champion, "challenger": c.challenger, "metric": c.metric,
                "champion_score": format!("{:.4}", c.champion_score), "challenger_score": format!("{:.4}", c.challenger_score),
                "recommendation": c.recommendation, "reasons": c.reasons, "promoted": c.promoted,
                "evaluation_rows": c.evaluation_rows, "training_rows": c.training_rows,
            })),
            "executive": executive_summary(d),
        }),
        figures: Vec::new(),
    });
    pages
}

/// The executive summary, for a business reader: a few sentences.
fn executive_summary(d: &SiteData) -> Vec<String> {
    let mut out = Vec::new();
    let n = d.results.len();
    let latest = d.results.last();
    out.push(format!(
        "The churn model {} was trained on {} customers; on held-out customers it ranks churners correctly {:.0}% of the time (AUC {:.3}) and is right {:.0}% of the time.",
        d.champion,
        d.manifest.split.train_rows,
        d.baseline.holdout.auc.unwrap_or(0.5) * 100.0,
        d.baseline.holdout.auc.unwrap_or(0.5),
        d.baseline.holdout.accuracy * 100.0
    ));
    if let Some(r) = latest {
        let (_, headline, why) = health(Some(r));
        out.push(format!(
            "{n} production batches were checked. The latest ({}, {}): {headline} — {why}.",
            r.batch_id, r.timestamp
        ));
        if let Some(m) = &r.performance {
            out.push(format!(
                "On that batch the model's AUC is {} and accuracy {:.3}, against {} and {:.3} at training time.",
                f4(m.auc),
                m.accuracy,
                f4(d.baseline.holdout.auc),
                d.baseline.holdout.accuracy
            ));
        }
        out.push(if r.retraining.should_retrain {
            format!(
                "Recommendation: retrain (priority {}). {}",
                r.retraining.priority,
                r.retraining.reasons.first().cloned().unwrap_or_default()
            )
        } else if r.retraining.priority != RetrainingPriority::None {
            format!(
                "Recommendation: prepare a retraining ({}).",
                r.retraining.reasons.join("; ")
            )
        } else {
            "Recommendation: no action; keep monitoring.".into()
        });
    } else {
        out.push("No production batch has been monitored yet.".into());
    }
    if let Some(c) = d.comparisons.last() {
        out.push(format!(
            "A retrained challenger scores {} {:.3} against the current model's {:.3} on the most recent customers: {}.",
            c.metric, c.challenger_score, c.champion_score,
            if c.recommendation == Recommendation::Deploy { "deploying it is recommended" } else { "keep the current model" }
        ));
    }
    out
}

/// The detailed technical report as Markdown.
fn technical_markdown(d: &SiteData) -> String {
    let mut md = String::new();
    md.push_str(&format!("# driftscope technical report\n\nModel `{}` (seed {}, {} trees, max depth {}), trained on {} rows, {} held out.\n\n", d.champion, d.manifest.seed, d.manifest.params.n_trees, d.manifest.params.max_depth, d.manifest.split.train_rows, d.manifest.split.test_rows));
    let b = &d.baseline.holdout;
    md.push_str(&format!("## Baseline (holdout)\n\n| AUC | accuracy | precision | recall | F1 | churn rate |\n|---|---|---|---|---|---|\n| {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} |\n\n", f4(b.auc), b.accuracy, b.precision, b.recall, b.f1, b.positive_rate));
    md.push_str("## Batches\n\n| batch | timestamp | rows | diagnosis | drifted features | AUC | expected AUC | error rate | expected error | alerts |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for r in &d.results {
        let c = r.concept_drift.as_ref();
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.batch_id,
            r.timestamp,
            r.rows,
            diagnosis_text(r.diagnosis),
            r.data_drift.drifted_features.join(", "),
            f4(c.and_then(|c| c.auc)),
            f4(c.and_then(|c| c.expected_auc)),
            f4(c.map(|c| c.error_rate)),
            f4(c.map(|c| c.expected_error_rate)),
            r.alerts
                .iter()
                .map(|a| format!("{} {}", a.severity, a.alert_type))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if let Some(r) = d.results.last() {
        md.push_str(&format!("\n## Latest batch: {}\n\n| feature | type | PSI | KL | JS | KS p | chi-square p | severity |\n|---|---|---|---|---|---|---|---|\n", r.batch_id));
        for f in &r.data_drift.features {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                f.name,
                f.feature_type,
                f4(f.psi),
                f4(f.kl_divergence),
                f4(f.js_distance),
                p_fmt(f.ks.map(|k| k.p_value)),
                p_fmt(f.chi_square.map(|c| c.p_value)),
                f.severity
            ));
        }
        md.push_str("\n### Retraining decision\n\n");
        md.push_str(&format!(
            "should retrain: **{}**, priority {}, labelled rows {} of {} needed.\n\n",
            r.retraining.should_retrain,
            r.retraining.priority,
            r.retraining.samples_available,
            r.retraining.samples_required
        ));
        for reason in &r.retraining.reasons {
            md.push_str(&format!("- {reason}\n"));
        }
    }
    md.push_str("\nDefinitions of every statistic: stats-spec.md. Concept drift compares realized performance with the performance the model should reach on the batch's own inputs (confidence-based), corrected by the baseline's gap.\n");
    md
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|source| ReportError::Io {
            path: p.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The plotly.js library shipped by the plotly crate.
fn plotly_js() -> String {
    let all = plotly::Plot::offline_js_sources();
    let start = all.find('>').map_or(0, |i| i + 1);
    let end = all.find("</script>").unwrap_or(all.len());
    all[start..end].to_string()
}

const SITE_JS: &str = r#"// driftscope: draws every chart from the JSON embedded next to it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-figure"));
    if (!src) { console.error("missing figure data " + el.getAttribute("data-figure")); return; }
    var fig = JSON.parse(src.textContent);
    Plotly.newPlot(el, fig.data, fig.layout || {}, {displaylogo: false, responsive: true});
  });
});
"#;

/// Renders every page into a staging folder, then swaps it in place of `out`.
pub fn render_site(d: &SiteData, templates: &Path, out: &Path) -> Result<SiteSummary, ReportError> {
    let glob = format!("{}/**/*.html", templates.display());
    let mut tera = tera::Tera::new(&glob).map_err(|e| ReportError::Template {
        template: glob.clone(),
        message: chain(&e),
    })?;
    tera.autoescape_on(vec![".html"]);
    let pages = build_pages(d);
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or("site".into(), |n| n.to_string_lossy().to_string());
    let staging = parent.join(format!(".{name}.staging"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|source| ReportError::Io {
            path: staging.clone(),
            source,
        })?;
    }
    let nav_items = [
        ("index.html", "Overview"),
        ("performance.html", "Performance"),
        ("drift.html", "Drift"),
        ("alerts.html", "Alerts"),
        ("reports.html", "Reports"),
        ("detector.html", "Detector quality"),
    ];
    let mut written = Vec::new();
    for page in &pages {
        let depth = page.file.matches('/').count();
        let root = "../".repeat(depth);
        let nav: Vec<_> = nav_items
            .iter()
            .map(|(f, t)| json!({"href": format!("{root}{f}"), "title": t, "active": page.file == *f || (*f == "drift.html" && page.file.starts_with("features/"))}))
            .collect();
        let mut ctx =
            tera::Context::from_value(page.context.clone()).map_err(|e| ReportError::Template {
                template: page.template.into(),
                message: chain(&e),
            })?;
        ctx.insert("root", &root);
        ctx.insert("nav", &nav);
        ctx.insert("page_title", &page.title);
        ctx.insert("figures", &page.figures);
        ctx.insert("model_version", &d.champion);
        let html = tera
            .render(page.template, &ctx)
            .map_err(|e| ReportError::Template {
                template: page.template.into(),
                message: chain(&e),
            })?;
        write(&staging.join(&page.file), html.as_bytes())?;
        written.push(page.file.clone());
    }
    write(
        &staging.join("assets/plotly.min.js"),
        plotly_js().as_bytes(),
    )?;
    write(&staging.join("assets/driftscope.js"), SITE_JS.as_bytes())?;
    let css = std::fs::read(templates.join("style.css")).map_err(|source| ReportError::Io {
        path: templates.join("style.css"),
        source,
    })?;
    write(&staging.join("assets/style.css"), &css)?;
    let exec = executive_summary(d);
    let mut exec_md = String::from("# driftscope executive summary\n\n");
    for line in &exec {
        exec_md.push_str(&format!("- {line}\n"));
    }
    write(
        &staging.join("reports/executive_summary.md"),
        exec_md.as_bytes(),
    )?;
    write(
        &staging.join("reports/executive_summary.json"),
        serde_json::to_string_pretty(&json!({"model_version": d.champion, "summary": exec}))
            .unwrap_or_default()
            .as_bytes(),
    )?;
    write(
        &staging.join("reports/technical_report.md"),
        technical_markdown(d).as_bytes(),
    )?;
    let tech_json = json!({
        "model_version": d.champion, "baseline": d.baseline, "manifest": d.manifest,
        "batches": d.results.iter().map(|r| json!({"batch_id": r.batch_id, "timestamp": r.timestamp, "diagnosis": r.diagnosis,
            "drifted_features": r.data_drift.drifted_features, "performance": r.performance, "concept_drift": r.concept_drift,
            "alerts": r.alerts, "retraining": r.retraining})).collect::<Vec<_>>(),
        "comparisons": d.comparisons,
    });
    write(
        &staging.join("reports/technical_report.json"),
        serde_json::to_string_pretty(&tech_json)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    // Swap in: keep nothing of the previous site.
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|source| ReportError::Io {
            path: out.to_path_buf(),
            source,
        })?;
    }
    std::fs::rename(&staging, out).map_err(|source| ReportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let bytes = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    Ok(SiteSummary {
        index: out.join("index.html"),
        pages: written,
        bytes,
    })
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn psi_line_is_the_default_threshold() {
        let default = driftscope_artifacts::DataDriftConfig::default().psi_threshold;
        assert_eq!(super::PSI_LINE, default);
    }
}
