//! The prose of the site: the health verdict, the executive summary for a business reader and
//! the technical report (Markdown and JSON) for an engineer.

use driftscope_artifacts::{
    Alert, AlertSeverity, BaselineMetrics, ClassificationMetrics, ConceptDrift, Diagnosis,
    ModelComparison, MonitoringResult, RetrainingDecision, TrainingManifest,
};
use serde::Serialize;

use crate::format::{alert_type_word, diagnosis_text, f4, p_value, severity_word};
use crate::SiteData;

/// How the latest batch looks, at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HealthState {
    /// No batch monitored yet.
    Unknown,
    /// No alert above LOW.
    Healthy,
    /// A MEDIUM alert at worst.
    Warning,
    /// A HIGH alert.
    Critical,
}

impl HealthState {
    /// The CSS class of the verdict banner.
    pub(crate) fn css_class(self) -> &'static str {
        match self {
            HealthState::Unknown => "unknown",
            HealthState::Healthy => "healthy",
            HealthState::Warning => "warning",
            HealthState::Critical => "critical",
        }
    }
}

/// The health verdict of the latest batch, for a reader who has ten seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Health {
    pub state: HealthState,
    pub headline: String,
    pub why: String,
}

/// The health verdict of `latest`.
pub(crate) fn health(latest: Option<&MonitoringResult>) -> Health {
    let Some(r) = latest else {
        return Health {
            state: HealthState::Unknown,
            headline: "No batch monitored yet".into(),
            why: "Run `driftscope monitor` on a production batch.".into(),
        };
    };
    let (state, headline) = match r.alerts.iter().map(|a| a.severity).max() {
        Some(AlertSeverity::High) => (HealthState::Critical, "Action needed"),
        Some(AlertSeverity::Medium) => (HealthState::Warning, "Needs attention"),
        _ => (HealthState::Healthy, "Healthy"),
    };
    Health {
        state,
        headline: format!("{headline}: {}", diagnosis_text(r.diagnosis)),
        why: why(r),
    }
}

/// The diagnosis explained in a sentence: the four-part diagnosis's headline when the result
/// has one (version 4), else from the two-flag diagnosis.
fn why(r: &MonitoringResult) -> String {
    if let Some(p) = &r.parts {
        return p.headline.clone();
    }
    let drift = &r.data_drift;
    match r.diagnosis {
        Diagnosis::None => {
            "inputs look like the training data and the model performs as it should".to_string()
        }
        Diagnosis::DataDrift => format!(
            "the inputs moved ({} of {} features drifted: {}) while the model's relationship still holds",
            drift.alerting_drifted().len(),
            drift.features_checked,
            drift.alerting_drifted().iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ),
        Diagnosis::ConceptDrift => "the relationship between inputs and churn changed: the model performs worse than it should on these very inputs".into(),
        Diagnosis::DataAndConceptDrift => format!(
            "both the inputs ({} features drifted) and the relationship between inputs and churn changed",
            drift.alerting_drifted().len()
        ),
    }
}

/// The executive summary, for a business reader: a few sentences.
pub(crate) fn executive_summary(d: &SiteData) -> Vec<String> {
    let holdout = &d.baseline.holdout;
    let mut out = vec![format!(
        "The churn model {} was trained on {} customers; on held-out customers it ranks churners correctly {:.0}% of the time (AUC {:.3}) and is right {:.0}% of the time.",
        d.champion,
        d.manifest.split.train_rows,
        holdout.auc.unwrap_or(0.5) * 100.0,
        holdout.auc.unwrap_or(0.5),
        holdout.accuracy * 100.0
    )];
    match d.results.last() {
        Some(r) => out.extend(latest_batch_sentences(d, r)),
        None => out.push("No production batch has been monitored yet.".into()),
    }
    if let Some(c) = d.comparisons.last() {
        out.push(format!(
            "A retrained challenger scores {} {:.3} against the current model's {:.3} on the most recent customers: {}.",
            c.metric, c.challenger_score, c.champion_score,
            match c.recommendation {
                driftscope_artifacts::Recommendation::Deploy => "deploying it is recommended",
                driftscope_artifacts::Recommendation::Keep => "keep the current model",
                driftscope_artifacts::Recommendation::Investigate => "neither model is fit for these customers; investigate",
            }
        ));
    }
    out
}

/// What the latest batch says, in the overview's plain sentences: how many batches were
/// checked, what happened, why, what to do, and the counts behind it.
fn latest_batch_sentences(d: &SiteData, r: &MonitoringResult) -> Vec<String> {
    let features = d.profile.features.len();
    let story = crate::pages::story(r, &d.baseline.holdout, features, "");
    let mut out = vec![format!(
        "{} production batches were checked.",
        d.results.len()
    )];
    out.extend(story.into_iter().map(|s| s.text));
    out.push(business_sentence(r));
    out
}

/// The executive summary as Markdown.
pub(crate) fn executive_markdown(summary: &[String]) -> String {
    let mut md = String::from("# driftscope executive summary\n\n");
    for line in summary {
        md.push_str(&format!("- {line}\n"));
    }
    md
}

/// `reports/executive_summary.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ExecutiveReport<'a> {
    pub model_version: &'a str,
    pub summary: &'a [String],
}

/// `reports/technical_report.json`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TechnicalReport<'a> {
    pub model_version: &'a str,
    pub baseline: &'a BaselineMetrics,
    pub manifest: &'a TrainingManifest,
    pub batches: Vec<TechnicalBatch<'a>>,
    pub comparisons: &'a [ModelComparison],
}

/// One batch of the technical report.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TechnicalBatch<'a> {
    pub batch_id: &'a str,
    pub timestamp: &'a str,
    pub diagnosis: Diagnosis,
    pub drifted_features: &'a [String],
    pub performance: Option<&'a ClassificationMetrics>,
    pub concept_drift: Option<&'a ConceptDrift>,
    pub alerts: &'a [Alert],
    pub retraining: &'a RetrainingDecision,
}

/// The technical report's JSON content.
pub(crate) fn technical_report(d: &SiteData) -> TechnicalReport<'_> {
    TechnicalReport {
        model_version: &d.champion,
        baseline: &d.baseline,
        manifest: &d.manifest,
        batches: d
            .results
            .iter()
            .map(|r| TechnicalBatch {
                batch_id: &r.batch_id,
                timestamp: &r.timestamp,
                diagnosis: r.diagnosis,
                drifted_features: r.data_drift.alerting_drifted(),
                performance: r.performance.as_ref(),
                concept_drift: r.concept_drift.as_ref(),
                alerts: &r.alerts,
                retraining: &r.retraining,
            })
            .collect(),
        comparisons: &d.comparisons,
    }
}

/// The detailed technical report as Markdown.
pub(crate) fn technical_markdown(d: &SiteData) -> String {
    let mut md = String::new();
    md.push_str(&format!("# driftscope technical report\n\nModel `{}` (seed {}, {} trees, max depth {}), trained on {} rows, {} held out.\n\n", d.champion, d.manifest.seed, d.manifest.params.n_trees, d.manifest.params.max_depth, d.manifest.split.train_rows, d.manifest.split.test_rows));
    let b = &d.baseline.holdout;
    md.push_str(&format!("## Baseline (holdout)\n\n| AUC | accuracy | precision | recall | F1 | churn rate |\n|---|---|---|---|---|---|\n| {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} |\n\n", f4(b.auc), b.accuracy, b.precision, b.recall, b.f1, b.positive_rate));
    md.push_str("## Batches\n\n| batch | timestamp | rows | diagnosis | drifted features | AUC | expected AUC | error rate | expected error | alerts |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for r in &d.results {
        md.push_str(&batch_markdown_row(r));
    }
    if let Some(r) = d.results.last() {
        md.push_str(&latest_batch_markdown(r));
    }
    md.push_str("\nDefinitions of every statistic: stats-spec.md. Concept drift compares realized performance with the performance the model should reach on the batch's own inputs (confidence-based), corrected by the baseline's gap.\n");
    md
}

fn batch_markdown_row(r: &MonitoringResult) -> String {
    let c = r.concept_drift.as_ref();
    format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        r.batch_id,
        r.timestamp,
        r.rows,
        diagnosis_text(r.diagnosis),
        r.data_drift.alerting_drifted().join(", "),
        f4(c.and_then(|c| c.auc)),
        f4(c.and_then(|c| c.expected_auc)),
        f4(c.map(|c| c.error_rate)),
        f4(c.map(|c| c.expected_error_rate)),
        r.alerts
            .iter()
            .map(|a| format!(
                "{} {}",
                severity_word(a.severity),
                alert_type_word(a.alert_type)
            ))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// The latest batch's drift statistics per feature and its retraining decision.
fn latest_batch_markdown(r: &MonitoringResult) -> String {
    let mut md = format!("\n## Latest batch: {}\n\n| feature | type | PSI | KL | JS | KS p | chi-square p | severity |\n|---|---|---|---|---|---|---|---|\n", r.batch_id);
    for f in &r.data_drift.features {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            f.name,
            f.feature_type,
            f4(f.psi),
            f4(f.kl_divergence),
            f4(f.js_distance),
            p_value(f.ks.map(|k| k.p_value)),
            p_value(f.chi_square.map(|c| c.p_value)),
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
    md
}

/// What the model flagged in a batch and what happened, in words a manager can repeat.
pub(crate) fn business_sentence(r: &MonitoringResult) -> String {
    if let Some(m) = &r.performance {
        let c = &m.confusion;
        let flagged = c.tp + c.fp;
        return format!(
            "The model flags {flagged} of {} customers ({:.0}%) as likely to churn; {} actually churned ({:.1}%), and {} of those were among the flagged.",
            m.n,
            m.predicted_positive_rate * 100.0,
            m.positives,
            m.positive_rate * 100.0,
            c.tp
        );
    }
    match &r.prediction_drift {
        Some(p) => format!(
            "The model flags about {} of {} customers ({:.0}%) as likely to churn; who actually churned is not known yet.",
            (p.predicted_positive_rate * r.rows as f64).round() as u64,
            r.rows,
            p.predicted_positive_rate * 100.0
        ),
        None => format!("The model could not score the {} customers of this batch.", r.rows),
    }
}

/// The champion as the header names it: its short version and the rows it learnt from (the
/// artifacts record no training date, so none is invented).
/// The model as the header names it: its version, what it learnt from, and (truthfully) that
/// no training date is recorded: artifacts carry no clock reading, so the same inputs give the
/// same bytes.
pub(crate) fn model_label(d: &SiteData) -> String {
    format!(
        "model {} · trained on {} customers{} · training date not recorded",
        short_version(&d.champion),
        d.manifest.split.train_rows,
        data_origin(&d.manifest.data)
    )
}

/// Where the training data came from: the file's name (never its folder, a path of the
/// building machine) or the generator's seed.
fn data_origin(s: &driftscope_artifacts::DataSource) -> String {
    let name = s
        .path
        .as_deref()
        .and_then(|p| std::path::Path::new(p).file_name())
        .map(|n| n.to_string_lossy().to_string());
    match (name, s.generator_seed) {
        (Some(n), _) => format!(" from {n}"),
        (None, Some(seed)) => format!(" of generated data (seed {seed})"),
        (None, None) => String::new(),
    }
}

/// The first 14 characters of a model version (`m-` and a content hash), the way one quotes a commit.
pub(crate) fn short_version(version: &str) -> &str {
    version.get(..14).unwrap_or(version)
}
