//! Column values as the statistics need them, extracted once per column, columns in parallel.

use driftscope_artifacts::{CategoryCount, ColumnValues, FeatureType};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::{is_missing, DataError, Result, Table};

/// Counts of text cells by value (missing cells counted apart), unsorted and borrowed.
pub(crate) fn count_cells<'a>(
    cells: impl Iterator<Item = Option<&'a str>>,
) -> (FxHashMap<&'a str, u64>, u64) {
    // Count every distinct text first, then move the missing-like ones (blank, NaN, null) to
    // `missing`: one test per distinct value instead of one per cell.
    let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
    let mut missing = 0u64;
    for cell in cells {
        match cell {
            Some(c) => *counts.entry(c).or_default() += 1,
            None => missing += 1,
        }
    }
    move_missing(counts, missing)
}

/// Moves the counts of missing-like texts (blank, NaN, null) into the missing count.
fn move_missing(mut counts: FxHashMap<&str, u64>, mut missing: u64) -> (FxHashMap<&str, u64>, u64) {
    counts.retain(|c, n| {
        let keep = !is_missing(c);
        if !keep {
            missing += *n;
        }
        keep
    });
    (counts, missing)
}

/// Owned category counts sorted by value, each under its stored label
/// ([`crate::category_label`]: long texts become a prefix and a hash).
pub(crate) fn sorted_counts(counts: FxHashMap<&str, u64>) -> Vec<CategoryCount> {
    let mut counts: Vec<CategoryCount> = counts
        .into_iter()
        .map(|(value, count)| CategoryCount {
            value: crate::category_label(value).into_owned(),
            count,
        })
        .collect();
    counts.sort_unstable_by(|a, b| a.value.cmp(&b.value));
    // Two texts with one label (equal prefix, length and hash prefix) are one category.
    counts.dedup_by(|later, kept| {
        let same = later.value == kept.value;
        if same {
            kept.count += later.count;
        }
        same
    });
    counts
}

/// Category counts of text cells (missing cells counted apart), sorted by value.
pub(crate) fn count_categories<'a>(
    cells: impl Iterator<Item = Option<&'a str>>,
) -> (Vec<CategoryCount>, u64) {
    let (counts, missing) = count_cells(cells);
    (sorted_counts(counts), missing)
}

/// Sorted non-missing values and the missing count of a parsed numeric column (NaN = missing).
pub(crate) fn sorted_numbers(mut sorted: Vec<f64>) -> ColumnValues {
    let n = sorted.len();
    sorted.retain(|v| !v.is_nan());
    let missing = (n - sorted.len()) as u64;
    driftscope_artifacts::sort_floats(&mut sorted);
    ColumnValues::Numerical { sorted, missing }
}

/// Whether any cell of column `name` is a finite number.
fn holds_a_number(table: &Table, name: &str) -> Result<bool> {
    Ok(table
        .text(name)?
        .iter()
        .any(|c| c.is_some_and(|c| !is_missing(c) && crate::parse_number(c).is_ok())))
}

/// The values of column `name` read as `feature_type`, over `rows` (all rows when `None`).
/// A numerical column that holds no number at all has changed type and gives
/// [`ColumnValues::NotNumerical`] (a finding); a numerical column with a stray word among its
/// numbers is bad data and an error naming the row and column, as is an infinite value.
pub fn column_values(
    table: &Table,
    name: &str,
    feature_type: FeatureType,
    rows: Option<&[usize]>,
) -> Result<ColumnValues> {
    if feature_type == FeatureType::Numerical {
        let parsed = match table.numeric(name) {
            Ok(v) => v,
            Err(e @ DataError::NotNumeric { .. }) if holds_a_number(table, name)? => return Err(e),
            Err(DataError::NotNumeric { row, value, .. }) => {
                return Ok(ColumnValues::NotNumerical { row, value })
            }
            Err(e) => return Err(e),
        };
        return Ok(sorted_numbers(match rows {
            Some(r) => r.iter().map(|i| parsed[*i]).collect(),
            None => parsed,
        }));
    }
    if rows.is_none() {
        if let Some(values) = table.integer_counts(name)? {
            return Ok(values);
        }
    }
    let col = table.text(name)?;
    let (counts, missing) = match rows {
        Some(r) => {
            let cells = col.to_vec();
            count_categories(r.iter().map(|i| cells[*i]))
        }
        None => {
            let (counts, missing) = col.counts();
            let (counts, missing) = move_missing(counts, missing);
            (sorted_counts(counts), missing)
        }
    };
    Ok(ColumnValues::Categorical { counts, missing })
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

    /// The fast counting paths (integers counted as integers, short texts by their inline
    /// view) give exactly what counting every cell's text gives.
    #[test]
    fn fast_counts_equal_counting_each_cell() {
        // Column `m` has 700 distinct texts, short and long: far more than the cache's slots,
        // so most go through the hash map.
        let mut csv = String::from("i,s,m\n");
        for k in 0..3000u64 {
            let i = match k % 7 {
                0 => String::new(),
                1 => "-12".into(),
                2 => "9007199254740993".into(),
                r => (r * 1000 + k % 3).to_string(),
            };
            let s = match k % 9 {
                0 => "",
                1 => "NaN",
                2 => "exactly12byt",
                3 => "exactly12bye",
                4 => "thirteen bytes",
                5 => "thirteen bytez",
                6 => "No internet service",
                7 => "Ω≈ç",
                _ => " ",
            };
            let m = if k % 2 == 0 {
                format!("c{}", k % 700)
            } else {
                format!("a longer category {}", k % 700)
            };
            csv.push_str(&format!("{i},\"{s}\",{m}\n"));
        }
        let t = Table::from_csv_bytes("c.csv", csv.into_bytes()).unwrap();
        assert!(t.is_native_numeric("i"));
        for name in ["i", "s", "m"] {
            let col = t.text(name).unwrap();
            let expected = count_categories(col.iter());
            let ColumnValues::Categorical { counts, missing } =
                column_values(&t, name, FeatureType::Categorical, None).unwrap()
            else {
                panic!("categorical expected");
            };
            assert_eq!((counts, missing), expected, "column {name}");
        }
        // Codes through the view cache equal codes computed cell by cell.
        let code = |c: &str| c.len() as u32 * 7 + c.bytes().last().map_or(0, u32::from);
        for name in ["i", "s", "m"] {
            let col = t.text(name).unwrap();
            let want: Vec<u32> = col.iter().map(|c| c.map_or(0, code)).collect();
            assert_eq!(col.codes(code), want, "column {name}");
        }
        // Every row selected goes through the cell-by-cell path: same counts again.
        let all: Vec<usize> = (0..t.n_rows()).collect();
        for name in ["i", "s", "m"] {
            assert_eq!(
                column_values(&t, name, FeatureType::Categorical, Some(&all)).unwrap(),
                column_values(&t, name, FeatureType::Categorical, None).unwrap()
            );
        }
    }

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
