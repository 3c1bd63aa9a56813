//! Column types: which columns are numerical, categorical or identifiers (per `stats-spec.md`,
//! with the configuration's overrides), read together with each feature's values.

use driftscope_artifacts::{ColumnValues, ExcludedColumn, FeatureType, FeaturesConfig};
use rayon::prelude::*;

use crate::values::{count_categories, count_cells, sorted_counts, sorted_numbers};
use crate::{column_values, DataError, Result, Table};

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
    Ok(read_features(table, target, features)?.0)
}

/// [`infer_schema`] plus every feature's values, from a single pass over each column (columns in
/// parallel): the values line up with `schema.features`.
pub fn read_features(
    table: &Table,
    target: Option<&str>,
    features: &FeaturesConfig,
) -> Result<(Schema, Vec<ColumnValues>)> {
    let names = table.column_names();
    check_named_columns(table, &names, target, features)?;
    let slots: Vec<Slot> = names
        .into_par_iter()
        .map(|name| column_slot(table, name, target, features))
        .collect::<Result<Vec<_>>>()?;
    let mut schema = Schema {
        features: Vec::new(),
        excluded: Vec::new(),
    };
    let mut values = Vec::new();
    for slot in slots {
        match slot {
            Slot::Excluded(e) => schema.excluded.push(e),
            Slot::Feature(c, v) => {
                schema.features.push(c);
                values.push(v);
            }
        }
    }
    Ok((schema, values))
}

/// Refuses a configuration (features section) or target naming a column the table lacks.
fn check_named_columns(
    table: &Table,
    names: &[String],
    target: Option<&str>,
    features: &FeaturesConfig,
) -> Result<()> {
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
    Ok(())
}

/// What one column of the table turned out to be.
enum Slot {
    Excluded(ExcludedColumn),
    Feature(ColumnInfo, ColumnValues),
}

/// The slot of one column: the target, excluded by config, an identifier, or a feature with
/// its values (type forced by config or inferred).
fn column_slot(
    table: &Table,
    name: String,
    target: Option<&str>,
    features: &FeaturesConfig,
) -> Result<Slot> {
    if Some(name.as_str()) == target {
        return Ok(Slot::Excluded(ExcludedColumn {
            name,
            reason: "target".into(),
        }));
    }
    if features.exclude.contains(&name) {
        return Ok(Slot::Excluded(ExcludedColumn {
            name,
            reason: "excluded by config".into(),
        }));
    }
    let (feature_type, forced, values) = match features.force_types.get(&name) {
        Some(t) => forced_column(table, &name, *t)?,
        None => {
            let (t, v) = infer_column(table, &name)?;
            if let Some(reason) = too_many_categories(&v, features.max_categories) {
                return Ok(Slot::Excluded(ExcludedColumn { name, reason }));
            }
            (t, false, v)
        }
    };
    Ok(match (feature_type, values) {
        (FeatureType::Identifier, _) | (_, None) => {
            let reason = if forced {
                "identifier (forced by config)"
            } else {
                "identifier: every value is distinct"
            };
            Slot::Excluded(ExcludedColumn {
                name,
                reason: reason.into(),
            })
        }
        (feature_type, Some(v)) => Slot::Feature(
            ColumnInfo {
                name,
                feature_type,
                forced,
            },
            v,
        ),
    })
}

/// A column whose type the configuration forces: its type, `true` (forced) and its values
/// (none for an identifier). A column forced numerical that is not is an error naming the
/// first bad cell.
fn forced_column(
    table: &Table,
    name: &str,
    t: FeatureType,
) -> Result<(FeatureType, bool, Option<ColumnValues>)> {
    if t == FeatureType::Identifier {
        return Ok((FeatureType::Identifier, true, None));
    }
    let v = column_values(table, name, t, None)?;
    if let ColumnValues::NotNumerical { .. } = v {
        table.numeric(name)?; // the error naming the first bad cell
    }
    Ok((t, true, Some(v)))
}

/// Why an inferred categorical column is an identifier after all: more distinct values than
/// `max_categories`; `None` when it is not.
fn too_many_categories(values: &Option<ColumnValues>, max_categories: usize) -> Option<String> {
    let Some(ColumnValues::Categorical { counts, .. }) = values else {
        return None;
    };
    (counts.len() > max_categories).then(|| {
        format!(
            "identifier: {} distinct values, more than \
             features.max_categories ({})",
            counts.len(),
            max_categories
        )
    })
}

/// One pass over a column: its type and (unless it is an identifier) its values.
fn infer_column(table: &Table, name: &str) -> Result<(FeatureType, Option<ColumnValues>)> {
    if table.is_native_numeric(name) {
        let v = sorted_numbers(table.numeric(name)?);
        return numeric_verdict(table, name, v);
    }
    // Count categories first, then parse each distinct value once: cheap for text columns,
    // and a column of numbers written with blanks (e.g. TotalCharges) is parsed per cell after.
    let col = table.text(name)?;
    let (counts, missing) = count_cells(col.iter());
    let present: u64 = counts.values().sum();
    let mut numbers = 0u64;
    for (value, count) in &counts {
        match parse_number(value) {
            Ok(_) => numbers += count,
            Err(true) => {
                let row = col.iter().position(|x| x == Some(*value)).unwrap_or(0);
                return Err(table.number_error(row, name, value, true));
            }
            Err(false) => {}
        }
    }
    if present > 0 && numbers == present {
        return numeric_verdict(table, name, sorted_numbers(table.numeric(name)?));
    }
    if present > 0 && numbers as f64 >= NUMERIC_MAJORITY * present as f64 {
        return Err(table
            .numeric(name)
            .err()
            .unwrap_or_else(|| table.number_error(0, name, "?", false)));
    }
    if present > 0 && counts.len() as u64 == present {
        return Ok((FeatureType::Identifier, None));
    }
    Ok((
        FeatureType::Categorical,
        Some(ColumnValues::Categorical {
            counts: sorted_counts(counts),
            missing,
        }),
    ))
}

/// Numbers: numerical with more than 2 distinct values, else categorical (text as written).
fn numeric_verdict(
    table: &Table,
    name: &str,
    v: ColumnValues,
) -> Result<(FeatureType, Option<ColumnValues>)> {
    let ColumnValues::Numerical { sorted, .. } = &v else {
        unreachable!("numbers")
    };
    let distinct =
        sorted.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!sorted.is_empty());
    if distinct > 2 {
        return Ok((FeatureType::Numerical, Some(v)));
    }
    let col = table.text(name)?;
    let (counts, missing) = count_categories(col.iter());
    Ok((
        FeatureType::Categorical,
        Some(ColumnValues::Categorical { counts, missing }),
    ))
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
