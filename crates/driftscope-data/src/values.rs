//! Column values as the statistics need them, extracted once per column, columns in parallel.

use std::collections::HashMap;

use driftscope_artifacts::{CategoryCount, ColumnValues, FeatureType};
use rayon::prelude::*;

use crate::{is_missing, parse_number, DataError, Result, Table};

/// The values of column `name` read as `feature_type`, over `rows` (all rows when `None`).
/// A numerical column holding text gives [`ColumnValues::NotNumerical`] (the caller decides
/// whether that is an error or a finding); an infinite value is an error.
pub fn column_values(
    table: &Table,
    name: &str,
    feature_type: FeatureType,
    rows: Option<&[usize]>,
) -> Result<ColumnValues> {
    let cells = table.text(name)?;
    let pick: Box<dyn Iterator<Item = (usize, Option<&str>)>> = match rows {
        Some(r) => Box::new(r.iter().map(|i| (*i, cells[*i]))),
        None => Box::new(cells.iter().copied().enumerate()),
    };
    match feature_type {
        FeatureType::Numerical => {
            let mut sorted = Vec::with_capacity(cells.len());
            let mut missing = 0u64;
            for (i, cell) in pick {
                let Some(cell) = cell else {
                    missing += 1;
                    continue;
                };
                match parse_number(cell) {
                    Ok(v) if v.is_nan() => missing += 1,
                    Ok(v) => sorted.push(v),
                    Err(true) => return Err(table.number_error(i, name, cell, true)),
                    Err(false) => {
                        return Ok(ColumnValues::NotNumerical {
                            row: i + 1,
                            value: crate::error::abbreviate(cell),
                        })
                    }
                }
            }
            sorted.sort_unstable_by(f64::total_cmp);
            Ok(ColumnValues::Numerical { sorted, missing })
        }
        _ => {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            let mut missing = 0u64;
            for (_, cell) in pick {
                match cell {
                    Some(c) if !is_missing(c) => *counts.entry(c).or_default() += 1,
                    _ => missing += 1,
                }
            }
            let mut counts: Vec<CategoryCount> = counts
                .into_iter()
                .map(|(value, count)| CategoryCount {
                    value: value.to_string(),
                    count,
                })
                .collect();
            counts.sort_by(|a, b| a.value.cmp(&b.value));
            Ok(ColumnValues::Categorical { counts, missing })
        }
    }
}

/// [`column_values`] for several columns at once, in parallel; results in the given order.
pub fn columns_values(
    table: &Table,
    columns: &[(String, FeatureType)],
    rows: Option<&[usize]>,
) -> Result<Vec<ColumnValues>> {
    columns
        .par_iter()
        .map(|(name, ty)| column_values(table, name, *ty, rows))
        .collect::<Result<Vec<_>, DataError>>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerical_categorical_and_type_change() {
        let t = Table::from_csv_bytes("v.csv", b"n,c\n3,b\n,a\n1,b\nNaN,\n".to_vec()).unwrap();
        assert_eq!(
            column_values(&t, "n", FeatureType::Numerical, None).unwrap(),
            ColumnValues::Numerical {
                sorted: vec![1.0, 3.0],
                missing: 2
            }
        );
        assert_eq!(
            column_values(&t, "c", FeatureType::Categorical, Some(&[0, 1, 2])).unwrap(),
            ColumnValues::Categorical {
                counts: vec![
                    CategoryCount {
                        value: "a".into(),
                        count: 1
                    },
                    CategoryCount {
                        value: "b".into(),
                        count: 2
                    }
                ],
                missing: 0
            }
        );
        assert_eq!(
            column_values(&t, "c", FeatureType::Numerical, None).unwrap(),
            ColumnValues::NotNumerical {
                row: 1,
                value: "b".into()
            }
        );
    }
}
