//! `driftscope drift`: compare two files, no model needed.

use std::collections::HashSet;
use std::fmt::Write;

use crate::args::DriftArgs;
use crate::error::{bail, Result};
use driftscope_artifacts::{
    ColumnValues, DataDriftConfig, DriftReport, FeatureDrift, FeatureType, ReferenceProfile,
    ReferenceSample, SampleColumn, Severity,
};
use driftscope_data::{abbreviate, columns_values, read_features, Table};
use driftscope_drift::{drift_report, drift_report_of_profile, CurrentBatch};
use driftscope_profile::BatchProfile;

/// The reference profile and sorted sample of a table, built exactly as training builds them.
pub fn profile_table(
    table: &Table,
    target: &str,
    config: &driftscope_artifacts::Config,
) -> Result<(ReferenceProfile, ReferenceSample)> {
    let target = table.has_column(target).then_some(target);
    let (schema, values) = read_features(table, target, &config.features)?;
    let n_bins = config.data_drift.n_bins;
    let mut features = Vec::new();
    let mut sample = Vec::new();
    for (col, v) in schema.features.iter().zip(values) {
        features.extend(driftscope_drift::feature_profile(&col.name, &v, n_bins)?);
        if let ColumnValues::Numerical { sorted, .. } = v {
            sample.push(SampleColumn {
                name: col.name.clone(),
                sorted_values: sorted,
            });
        }
    }
    let profile = ReferenceProfile {
        model_version: "none".into(),
        rows: table.n_rows() as u64,
        n_bins,
        target: target.unwrap_or_default().to_string(),
        target_counts: Vec::new(),
        features,
        excluded: schema.excluded,
        predictions: None,
    };
    Ok((
        profile,
        ReferenceSample {
            model_version: "none".into(),
            columns: sample,
            predictions: Vec::new(),
        },
    ))
}

/// Reads a current batch's values for every feature of `profile` (each column once, in
/// parallel), and lists the columns the reference does not know.
pub fn current_batch(table: &Table, profile: &ReferenceProfile) -> Result<CurrentBatch> {
    let present: Vec<(String, FeatureType)> = profile
        .features
        .iter()
        .filter(|f| table.has_column(&f.name))
        .map(|f| (f.name.clone(), f.feature_type))
        .collect();
    let mut values = columns_values(table, &present, None)?.into_iter();
    let all = profile
        .features
        .iter()
        .map(|f| {
            if table.has_column(&f.name) {
                values.next()
            } else {
                None
            }
        })
        .collect();
    let known: HashSet<&str> = profile
        .features
        .iter()
        .map(|f| f.name.as_str())
        .chain(profile.excluded.iter().map(|e| e.name.as_str()))
        .chain(std::iter::once(profile.target.as_str()))
        .collect();
    // Stored in artifacts: a name longer than 200 bytes as its prefix, length and hash.
    let extra_columns = table
        .column_names()
        .into_iter()
        .filter(|c| !known.contains(c.as_str()))
        .map(|c| driftscope_data::category_label(&c).into_owned())
        .collect();
    Ok(CurrentBatch {
        rows: table.n_rows() as u64,
        values: all,
        extra_columns,
    })
}

/// The output file is none of the inputs.
fn check_output(args: &DriftArgs) -> Result<()> {
    let Some(out) = &args.output else {
        return Ok(());
    };
    let inputs = [
        ("--reference", Some(&args.reference)),
        ("--current", args.current.as_ref()),
        ("--current-profile", args.current_profile.as_ref()),
    ];
    for (flag, input) in inputs {
        if input.is_some_and(|i| same_file(out, i)) {
            bail!(
                "--output {}: is the {flag} file; writing the report would overwrite the data",
                out.display()
            );
        }
    }
    Ok(())
}

/// Refuses a current batch (named `current`) sharing no column with the reference (named
/// `reference`).
fn require_common(
    profile: &ReferenceProfile,
    current: &str,
    has: impl Fn(&str) -> bool,
    reference: &str,
) -> Result<()> {
    if profile.features.iter().any(|f| has(&f.name)) {
        return Ok(());
    }
    bail!(
        "{current}: no column in common with {reference}: nothing to compare (reference features: {:?})",
        profile
            .features
            .iter()
            .map(|f| f.name.as_str())
            .take(10)
            .collect::<Vec<_>>()
    );
}

/// `driftscope drift`: the report comparing the current batch (rows, or a profile) with
/// `reference`.
pub fn drift(args: &DriftArgs, config: &driftscope_artifacts::Config) -> Result<DriftReport> {
    check_output(args)?;
    let reference = Table::read(&args.reference)?;
    match (&args.current, &args.current_profile) {
        (Some(c), None) => {
            let current = Table::read(c)?;
            drift_tables(&reference, &current, config)
        }
        (None, Some(p)) => {
            let (profile, sample) = reference_features(&reference, config)?;
            let batch: BatchProfile = driftscope_artifacts::read_artifact(p)?;
            let name = p.display().to_string();
            require_common(
                &profile,
                &name,
                |n| batch.column(n).is_some(),
                reference.label(),
            )?;
            Ok(drift_report_of_profile(
                &profile,
                &sample,
                &batch,
                &config.data_drift,
            )?)
        }
        _ => bail!("give the current batch as --current (rows) or --current-profile, not both"),
    }
}

/// The reference's profile and sample; a reference with no feature column is an error.
fn reference_features(
    reference: &Table,
    config: &driftscope_artifacts::Config,
) -> Result<(ReferenceProfile, ReferenceSample)> {
    let (profile, sample) = profile_table(reference, &config.model.target, config)?;
    if profile.features.is_empty() {
        bail!(
            "{}: no feature column to compare (every column is the target, an identifier or excluded)",
            reference.label()
        );
    }
    Ok((profile, sample))
}

/// The report comparing two tables already in memory (what [`drift`] does once both files are
/// read; the Python package calls it on data frames). Messages name each table by its label.
///
/// ```
/// use driftscope_data::Table;
/// let reference = Table::from_csv_bytes("reference", b"x,y\n1,a\n2,b\n3,a\n".to_vec())?;
/// let current = Table::from_csv_bytes("current", b"x,y\n9,b\n8,b\n7,b\n".to_vec())?;
/// let config = driftscope_artifacts::Config::default();
/// let report = driftscope_monitor::drift_tables(&reference, &current, &config)?;
/// assert_eq!(report.features_checked, 2);
/// # Ok::<(), driftscope_monitor::Error>(())
/// ```
pub fn drift_tables(
    reference: &Table,
    current: &Table,
    config: &driftscope_artifacts::Config,
) -> Result<DriftReport> {
    let (profile, sample) = reference_features(reference, config)?;
    require_common(
        &profile,
        current.label(),
        |n| current.has_column(n),
        reference.label(),
    )?;
    let features = profile.features.iter().map(|f| f.name.as_str());
    current.require_readable(features, "a feature of the reference")?;
    let batch = current_batch(current, &profile)?;
    Ok(drift_report(&profile, &sample, &batch, &config.data_drift)?)
}

/// Whether `a` and `b` name the same file (through links and `..`); a path that does not exist
/// yet is compared through its canonical parent folder.
pub(crate) fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let canonical = |p: &std::path::Path| {
        p.canonicalize().ok().or_else(|| {
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
                _ => std::env::current_dir().ok()?,
            };
            Some(parent.join(p.file_name()?))
        })
    };
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.4}"))
}

fn pval(v: Option<f64>) -> String {
    v.map_or_else(
        || "-".into(),
        |v| {
            if v < 1e-4 {
                format!("{v:.1e}")
            } else {
                format!("{v:.4}")
            }
        },
    )
}

/// The report as a readable table, most severe first, then by PSI.
pub fn render_text(report: &DriftReport, cfg: &DataDriftConfig) -> String {
    let mut out = String::new();
    write_summary(&mut out, report, cfg);
    write_feature_table(&mut out, report);
    write_notes(&mut out, report);
    out
}

/// The counts, the thresholds of the verdict and the size-aware verdict.
fn write_summary(out: &mut String, report: &DriftReport, cfg: &DataDriftConfig) {
    let _ = writeln!(
        out,
        "reference rows {}, current rows {}; {} of {} features drifted (share {:.2}; dataset drift: {})",
        report.reference_rows,
        report.current_rows,
        report.drifted_features.len(),
        report.features_checked,
        report.drift_share,
        if report.dataset_drift { "YES" } else { "no" }
    );
    let _ = writeln!(
        out,
        "verdict: drifted when psi >= {} or kl >= {}; high when psi >= {}",
        cfg.psi_threshold,
        cfg.kl_divergence_threshold,
        2.0 * cfg.psi_threshold
    );
    let _ = writeln!(
        out,
        "size-aware verdict (p-value at this batch size, Benjamini-Hochberg at alpha {}, \
         psi >= {}): {} drifted{}",
        cfg.alpha,
        cfg.min_effect_psi,
        report.calibrated_drifted_features.len(),
        if report.calibrated_drifted_features.is_empty() {
            String::new()
        } else {
            format!(": {}", names(&report.calibrated_drifted_features))
        }
    );
}

/// One line per feature, most severe first.
fn write_feature_table(out: &mut String, report: &DriftReport) {
    let mut rows: Vec<_> = report.features.iter().collect();
    rows.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(
                b.psi
                    .unwrap_or(f64::INFINITY)
                    .total_cmp(&a.psi.unwrap_or(f64::INFINITY)),
            )
            .then(a.name.cmp(&b.name))
    });
    let width = rows
        .iter()
        .map(|f| f.name.chars().count())
        .max()
        .unwrap_or(7)
        .clamp(7, 40);
    let _ = writeln!(
        out,
        "\n{:<width$}  {:<11}  {:<8}  {:>8}  {:>8}  {:>8}  {:>10}  {:>8}  {:>8}  {:>10}",
        "feature",
        "type",
        "severity",
        "psi",
        "kl",
        "js",
        "test",
        "p-value",
        "missing",
        "size-aware"
    );
    for f in rows {
        write_feature_row(out, f, width);
    }
}

fn write_feature_row(out: &mut String, f: &FeatureDrift, width: usize) {
    let (test, p) = match (&f.ks, &f.chi_square) {
        (Some(ks), _) => ("ks", Some(ks.p_value)),
        (None, Some(c)) => ("chi-square", Some(c.p_value)),
        _ => ("-", None),
    };
    let name: String = f.name.chars().take(width).collect();
    let sev = if f.severity == Severity::None {
        "none".to_string()
    } else {
        f.severity.to_string().to_uppercase()
    };
    let calibrated = match &f.calibrated {
        Some(c) if c.drift_detected => "DRIFT",
        Some(_) => "ok",
        None => "-",
    };
    let _ = writeln!(
        out,
        "{name:<width$}  {:<11}  {sev:<8}  {:>8}  {:>8}  {:>8}  {test:>10}  {:>8}  {:>8}  {calibrated:>10}",
        f.feature_type.to_string(),
        num(f.psi),
        num(f.kl_divergence),
        num(f.js_distance),
        pval(p),
        f.current_missing
    );
}

/// Findings per feature, and the columns missing, extra or excluded.
fn write_notes(out: &mut String, report: &DriftReport) {
    let mut notes = Vec::new();
    for f in &report.features {
        for finding in &f.findings {
            notes.push(format!("{}: {finding}", abbreviate(&f.name)));
        }
    }
    if !report.missing_columns.is_empty() {
        notes.push(format!(
            "missing from the current batch (not compared): {}",
            names(&report.missing_columns)
        ));
    }
    if !report.extra_columns.is_empty() {
        notes.push(format!(
            "only in the current batch (not compared): {}",
            names(&report.extra_columns)
        ));
    }
    for e in &report.excluded_columns {
        notes.push(format!("excluded: {} ({})", abbreviate(&e.name), e.reason));
    }
    if !notes.is_empty() {
        out.push_str("\nnotes:\n");
        for n in notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
}

/// Column names for a text line, each abbreviated.
fn names(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| abbreviate(c))
        .collect::<Vec<_>>()
        .join(", ")
}
