//! The binary target: a column of two labels read as booleans, with errors naming the row.

use super::Table;
use crate::error::abbreviate;
use crate::{DataError, Result};

impl Table {
    /// Reads a binary target: `true` where the cell equals `positive` (after trimming). The other
    /// label is `negative` when given, else the one other label found. A missing cell or a third
    /// label is an error naming its row. Returns the labels and the negative label (`None` when
    /// every row is positive and no negative was given).
    pub fn binary_target(
        &self,
        column: &str,
        positive: &str,
        negative: Option<&str>,
    ) -> Result<(Vec<bool>, Option<String>)> {
        let cells = self
            .text(column)
            .map_err(|_| self.missing_column(column, "the target column"))?;
        let mut negative: Option<String> = negative.map(str::to_string);
        let mut out = Vec::with_capacity(cells.len());
        for (i, cell) in cells.iter().enumerate() {
            let bad = |message: String| DataError::BadTarget {
                file: self.label.clone(),
                row: self.row_offset + i + 1,
                column: column.to_string(),
                message,
            };
            // The common case first: a label exactly as the model knows it.
            if cell == Some(positive) {
                out.push(true);
                continue;
            }
            if cell.is_some() && cell == negative.as_deref() {
                out.push(false);
                continue;
            }
            let v = match cell {
                Some(c) if !crate::is_missing(c) => c.trim(),
                _ => return Err(bad("missing label; every row needs one".into())),
            };
            if v == positive {
                out.push(true);
            } else if negative.as_deref().is_none_or(|n| n == v) {
                negative.get_or_insert_with(|| v.to_string());
                out.push(false);
            } else {
                return Err(bad(format!(
                    "found a third label {:?}; expected {positive:?} (positive) or {:?}",
                    abbreviate(v),
                    negative.as_deref().unwrap_or_default()
                )));
            }
        }
        Ok((out, negative))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(csv: &str) -> Result<Table> {
        Table::from_csv_bytes("x.csv", csv.as_bytes().to_vec())
    }

    #[test]
    fn binary_target_labels() {
        let tab = t("y\nYes\nNo\nYes\n").unwrap();
        let (y, neg) = tab.binary_target("y", "Yes", None).unwrap();
        assert_eq!(y, vec![true, false, true]);
        assert_eq!(neg.as_deref(), Some("No"));
        let tab = t("y\nYes\nNo\nMaybe\n").unwrap();
        let e = tab.binary_target("y", "Yes", None).unwrap_err().to_string();
        assert!(
            e.contains("row 3") && e.contains("third label \"Maybe\""),
            "{e}"
        );
        let tab = t("y,x\nYes,1\n,2\n").unwrap();
        let e = tab.binary_target("y", "Yes", None).unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("missing label"), "{e}");
        let e = tab
            .binary_target("Churn", "Yes", None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column \"Churn\""), "{e}");
    }
}
