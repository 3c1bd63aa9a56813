use std::collections::HashSet;

use driftscope_artifacts::{ExcludedColumn, FeatureType, FeaturesConfig};

use crate::{DataError, Result, Table};

/// Whether a cell counts as missing: empty, blank, `NaN` or `null` (any case).
pub fn is_missing(cell: &str) -> bool {
    let t = cell.trim();
    t.is_empty() || t.eq_ignore_ascii_case("nan") || t.eq_ignore_ascii_case("null")
}

/// Parses a non-missing cell as a finite number. `Err(true)` for an infinite value, `Err(false)`
/// for text that is not a number. Missing cells give `Ok(NaN)`.
pub fn parse_number(cell: &str) -> Result<f64, bool> {
    if is_missing(cell) {
        return Ok(f64::NAN);
    }
    match cell.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(true),
        Err(_) => Err(false),
    }
}

/// A column and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    /// Column name.
    pub name: String,
    /// Its type.
    pub feature_type: FeatureType,
    /// Whether the type was forced by the configuration.
    pub forced: bool,
}

/// The typed columns of a table: features in file order, plus what was left out and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Feature columns (numerical or categorical) in file order.
    pub features: Vec<ColumnInfo>,
    /// Columns that are not features (target, identifiers, excluded by config).
    pub excluded: Vec<ExcludedColumn>,
}

impl Schema {
    /// The type of a column, including identifiers.
    pub fn type_of(&self, name: &str) -> Option<FeatureType> {
        if let Some(c) = self.features.iter().find(|c| c.name == name) {
            return Some(c.feature_type);
        }
        self.excluded
            .iter()
            .find(|e| e.name == name && e.reason.starts_with("identifier"))
            .map(|_| FeatureType::Identifier)
    }
}

/// Share of non-missing cells that must parse as numbers before a column with a few bad cells is
/// treated as a broken numeric column (an error naming the first bad cell) rather than text.
const NUMERIC_MAJORITY: f64 = 0.9;

/// Decides every column's type per `stats-spec.md`: numerical when all non-missing values are
/// numbers and there are more than 2 distinct values; categorical for text and for numbers with
/// at most 2 distinct values; identifier for text whose non-missing values are all distinct.
/// The target is never a feature. `features` can force types and exclude columns.
pub fn infer_schema(
    table: &Table,
    target: Option<&str>,
    features: &FeaturesConfig,
) -> Result<Schema> {
    let names = table.column_names();
    for name in features.force_types.keys().chain(features.exclude.iter()) {
        if !names.iter().any(|n| n == name) {
            return Err(DataError::Config {
                file: table.label().to_string(),
                message: format!(
                    "the configuration (features section) names column {name:?}, which this file does not have"
                ),
            });
        }
    }
    if let Some(t) = target {
        if !table.has_column(t) {
            return Err(table.missing_column(t, "the target column, model.target in the config"));
        }
    }
    let mut out = Schema {
        features: Vec::new(),
        excluded: Vec::new(),
    };
    for name in names {
        if Some(name.as_str()) == target {
            out.excluded.push(ExcludedColumn {
                name,
                reason: "target".into(),
            });
            continue;
        }
        if features.exclude.contains(&name) {
            out.excluded.push(ExcludedColumn {
                name,
                reason: "excluded by config".into(),
            });
            continue;
        }
        let (feature_type, forced) = match features.force_types.get(&name) {
            Some(t) => {
                if *t == FeatureType::Numerical {
                    table.numeric(&name)?; // every cell must parse
                }
                (*t, true)
            }
            None => (infer_column(table, &name)?, false),
        };
        if feature_type == FeatureType::Identifier {
            let reason = if forced {
                "identifier (forced by config)"
            } else {
                "identifier: every value is distinct"
            };
            out.excluded.push(ExcludedColumn {
                name,
                reason: reason.into(),
            });
        } else {
            out.features.push(ColumnInfo {
                name,
                feature_type,
                forced,
            });
        }
    }
    Ok(out)
}

fn infer_column(table: &Table, name: &str) -> Result<FeatureType> {
    let cells = table.text(name)?;
    let mut numbers = 0usize;
    let mut first_bad: Option<(usize, &str, bool)> = None;
    let mut bad = 0usize;
    let mut present = 0usize;
    for (i, cell) in cells.iter().enumerate() {
        let Some(cell) = cell else { continue };
        if is_missing(cell) {
            continue;
        }
        present += 1;
        match parse_number(cell) {
            Ok(_) => numbers += 1,
            Err(inf) => {
                bad += 1;
                if first_bad.is_none() || (inf && !first_bad.is_some_and(|b| b.2)) {
                    first_bad = Some((i, cell, inf));
                }
            }
        }
    }
    if let Some((row, value, true)) = first_bad {
        return Err(table.number_error(row, name, value, true));
    }
    if bad == 0 && numbers > 0 {
        let distinct: HashSet<u64> = cells
            .iter()
            .flatten()
            .filter_map(|c| parse_number(c).ok())
            .filter(|v| !v.is_nan())
            .map(|v| (v + 0.0).to_bits())
            .take(3 * 1024)
            .collect();
        return Ok(if distinct.len() > 2 {
            FeatureType::Numerical
        } else {
            FeatureType::Categorical
        });
    }
    if present > 0 && numbers as f64 >= NUMERIC_MAJORITY * present as f64 {
        let (row, value, _) = first_bad.expect("bad > 0");
        return Err(table.number_error(row, name, value, false));
    }
    let mut seen = HashSet::with_capacity(present);
    let all_distinct = cells
        .iter()
        .flatten()
        .filter(|c| !is_missing(c))
        .all(|c| seen.insert(*c));
    Ok(if all_distinct && present > 0 {
        FeatureType::Identifier
    } else {
        FeatureType::Categorical
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(csv: &str, target: Option<&str>, cfg: &FeaturesConfig) -> Result<Schema> {
        let t = Table::from_csv_bytes("s.csv", csv.as_bytes().to_vec()).unwrap();
        infer_schema(&t, target, cfg)
    }

    #[test]
    fn spec_rules() {
        let s = schema(
            "id,num,bin,txt,y\na,1,0,x,Yes\nb,2,1,x,No\nc,3,0,y,No\nd, ,1,y,Yes\n",
            Some("y"),
            &FeaturesConfig::default(),
        )
        .unwrap();
        assert_eq!(s.type_of("id"), Some(FeatureType::Identifier));
        assert_eq!(s.type_of("num"), Some(FeatureType::Numerical));
        assert_eq!(s.type_of("bin"), Some(FeatureType::Categorical));
        assert_eq!(s.type_of("txt"), Some(FeatureType::Categorical));
        assert_eq!(s.type_of("y"), None);
        assert_eq!(s.excluded[1].reason, "target");
    }

    #[test]
    fn overrides_and_errors() {
        let mut cfg = FeaturesConfig::default();
        cfg.force_types.insert("bin".into(), FeatureType::Numerical);
        cfg.exclude.push("txt".into());
        let s = schema("bin,txt,num\n0,x,1\n1,y,2\n0,x,3\n", None, &cfg).unwrap();
        assert_eq!(s.type_of("bin"), Some(FeatureType::Numerical));
        assert_eq!(s.type_of("txt"), None);
        assert!(s
            .excluded
            .iter()
            .any(|e| e.name == "txt" && e.reason == "excluded by config"));

        // Forcing a text column to numerical names the first bad cell.
        let mut cfg = FeaturesConfig::default();
        cfg.force_types.insert("txt".into(), FeatureType::Numerical);
        let e = schema("txt\n1\nabc\n", None, &cfg).unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("\"txt\""), "{e}");

        // A mostly-numeric column with a stray word is an error, not a category soup.
        let mut csv = String::from("n\n");
        for i in 0..100 {
            csv.push_str(&format!("{i}\n"));
        }
        csv.push_str("oops\n");
        let e = schema(&csv, None, &FeaturesConfig::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 101") && e.contains("oops"), "{e}");

        let e = schema("a\n1\n", Some("Churn"), &FeaturesConfig::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column \"Churn\""), "{e}");
        let mut cfg = FeaturesConfig::default();
        cfg.exclude.push("nope".into());
        let e = schema("a\n1\n", None, &cfg).unwrap_err().to_string();
        assert!(e.contains("\"nope\""), "{e}");
    }
}
