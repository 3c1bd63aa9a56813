//! The profile of a batch as portable SQL: built-in aggregates only (COUNT, SUM, MIN, MAX,
//! CASE WHEN, GROUP BY), no user-defined functions, so the same text runs on DataFusion in
//! this process and on Ballista executors that know nothing of driftscope.

use crate::plan::{ColumnKind, ColumnPlan};

/// Quotes an identifier for SQL: `"name"`, with inner quotes doubled. Unquoted identifiers
/// are lower-cased by DataFusion, so every column name is quoted.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal: `'text'`, with inner quotes doubled.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A double literal that SQL parses back to exactly `v` (Rust's shortest round-trip form,
/// in scientific notation so no digit is lost).
pub fn double_literal(v: f64) -> String {
    format!("CAST({} AS DOUBLE)", quote_literal(&format!("{v:e}")))
}

/// `column` as a DOUBLE expression: a number column is cast, a text column is read as a
/// number where it holds one (`TRY_CAST`) and a missing-looking cell becomes NULL.
fn as_double(column: &ColumnPlan) -> String {
    let c = quote_ident(&column.name);
    if column.text_source {
        format!(
            "TRY_CAST(CASE WHEN {} THEN NULL ELSE {c} END AS DOUBLE)",
            text_missing(&c)
        )
    } else {
        format!("CAST({c} AS DOUBLE)")
    }
}

/// The spec's missing cell for text: NULL, blank, `nan` or `null` in any case.
fn text_missing(c: &str) -> String {
    format!("({c} IS NULL OR TRIM({c}) = '' OR LOWER(TRIM({c})) IN ('nan', 'null'))")
}

/// The finite values of a numeric expression; NULL for NULL, NaN and ±inf.
fn finite(x: &str) -> String {
    format!(
        "CASE WHEN isnan({x}) OR {x} = {pinf} OR {x} = {ninf} THEN NULL ELSE {x} END",
        pinf = double_literal(f64::INFINITY),
        ninf = double_literal(f64::NEG_INFINITY)
    )
}

/// Aliases of the scalar query's outputs for column number `i` (in plan order).
pub fn scalar_alias(i: usize, what: &str) -> String {
    format!("c{i}_{what}")
}

/// The outputs of the scalar query for a numerical column, in the order they are selected.
pub const NUMERIC_SCALARS: [&str; 12] = [
    "present", "nan", "pos_inf", "neg_inf", "bad_text", "min", "max", "finite", "s1", "s2", "s3",
    "s4",
];

/// Text cells of numerical text columns that are not numbers: the first (in text order) of
/// each column, NULL where there is none (`c{i}_bad` in plan order).
pub fn bad_text_query(table: &str, columns: &[ColumnPlan]) -> String {
    let items: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let c = quote_ident(&column.name);
            format!(
                "MIN(CASE WHEN NOT {} AND {} IS NULL THEN {c} END) AS {}",
                text_missing(&c),
                as_double(column),
                scalar_alias(i, "bad")
            )
        })
        .collect();
    format!("SELECT {} FROM {}", items.join(", "), quote_ident(table))
}

/// One row: the batch's row count (`rows`) and, per numerical column, its counts of present
/// values, NaN, +inf, -inf and unparseable text, min and max of the finite values, and the
/// power sums of the finite values shifted by the column's `shift`.
pub fn scalar_query(table: &str, columns: &[ColumnPlan]) -> String {
    let mut items = vec!["COUNT(*) AS rows".to_string()];
    for (i, column) in columns.iter().enumerate() {
        if column.kind == ColumnKind::Numerical {
            items.extend(numeric_scalars(i, column));
        }
    }
    format!("SELECT {} FROM {}", items.join(", "), quote_ident(table))
}

fn numeric_scalars(i: usize, column: &ColumnPlan) -> Vec<String> {
    let x = as_double(column);
    let f = finite(&x);
    let d = format!("({f} - {})", double_literal(column.shift));
    let flag = |cond: String| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)");
    let bad_text = if column.text_source {
        let c = quote_ident(&column.name);
        flag(format!("NOT {} AND {x} IS NULL", text_missing(&c)))
    } else {
        "CAST(0 AS BIGINT)".to_string()
    };
    let exprs = [
        format!("COUNT({x})"),
        flag(format!("isnan({x})")),
        flag(format!("{x} = {}", double_literal(f64::INFINITY))),
        flag(format!("{x} = {}", double_literal(f64::NEG_INFINITY))),
        bad_text,
        format!("MIN({f})"),
        format!("MAX({f})"),
        format!("COUNT({f})"),
        format!("SUM({d})"),
        format!("SUM({d} * {d})"),
        format!("SUM({d} * {d} * {d})"),
        format!("SUM({d} * {d} * {d} * {d})"),
    ];
    exprs
        .into_iter()
        .zip(NUMERIC_SCALARS)
        .map(|(e, what)| format!("{e} AS {}", scalar_alias(i, what)))
        .collect()
}

/// The exact finite values of a numerical column and how often each occurs (`value`, `n`),
/// at most `limit` rows: a result of `limit` rows means the column may have more distinct
/// values than the caller keeps. `neg_zero` is 1 for the group of `-0.0`: SQL engines compare
/// `-0.0` equal to `0.0` and would fold them into one group, while the local profile keeps
/// them apart (IEEE total order); the sign is read from the value's text, only for zeros.
pub fn value_counts_query(table: &str, column: &ColumnPlan, limit: usize) -> String {
    let f = finite(&as_double(column));
    format!(
        "SELECT v AS value, neg_zero, COUNT(*) AS n FROM (SELECT v, CASE WHEN v = 0 THEN \
         CASE WHEN CAST(v AS VARCHAR) LIKE '-%' THEN 1 ELSE 0 END ELSE 0 END AS neg_zero \
         FROM (SELECT {f} AS v FROM {t})) WHERE v IS NOT NULL GROUP BY v, neg_zero LIMIT {limit}",
        t = quote_ident(table)
    )
}

/// The categories of a categorical column as text and how often each occurs (`value`, `n`);
/// missing cells are one NULL group.
pub fn category_counts_query(table: &str, column: &ColumnPlan) -> String {
    let c = quote_ident(&column.name);
    let text = format!("CAST({c} AS VARCHAR)");
    format!(
        "SELECT CASE WHEN {m} THEN NULL ELSE {text} END AS value, COUNT(*) AS n FROM {t} \
         GROUP BY 1",
        m = text_missing(&text),
        t = quote_ident(table)
    )
}

/// Counts and sums of the finite values of a numerical column in the bins `(-inf, e_1],
/// (e_1, e_2], ..., (e_k, +inf)` (`bin`, `n`, `total`; empty bins absent). The bin number is a balanced tree of
/// CASE WHEN comparisons, so each row costs log2(k) comparisons, not k.
pub fn bin_counts_query(table: &str, column: &ColumnPlan, edges: &[f64]) -> String {
    let x = "v";
    let tree = bin_tree(x, edges, 0);
    format!(
        "SELECT {tree} AS bin, COUNT(*) AS n, SUM(v) AS total FROM (SELECT {f} AS v FROM {t}) \
         WHERE v IS NOT NULL GROUP BY 1",
        f = finite(&as_double(column)),
        t = quote_ident(table)
    )
}

/// Bin number (offset by `first`) of `x` among `edges`: `x <= edges[0]` is bin `first`.
fn bin_tree(x: &str, edges: &[f64], first: usize) -> String {
    if edges.is_empty() {
        return first.to_string();
    }
    let mid = edges.len() / 2;
    format!(
        "CASE WHEN {x} <= {} THEN {} ELSE {} END",
        double_literal(edges[mid]),
        bin_tree(x, &edges[..mid], first),
        bin_tree(x, &edges[mid + 1..], first + mid + 1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_are_quoted() {
        assert_eq!(quote_ident("Total \"x\""), "\"Total \"\"x\"\"\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }

    #[test]
    fn double_literals_round_trip() {
        for v in [0.1, -1e-300, 1.0 / 3.0, f64::MAX, 5e-324] {
            let lit = double_literal(v);
            let inner = lit.split('\'').nth(1).unwrap_or_default();
            assert_eq!(inner.parse::<f64>().ok(), Some(v), "{lit}");
        }
    }

    #[test]
    fn bin_tree_puts_each_value_in_its_bin() {
        // Evaluate the CASE tree by hand on the spec's (left-open, right-closed] bins.
        let edges = [1.0, 2.0, 3.0, 4.0, 5.0];
        let tree = bin_tree("v", &edges, 0);
        assert_eq!(tree.matches("CASE WHEN").count(), edges.len());
        for (v, want) in [(0.5, 0), (1.0, 0), (1.5, 1), (3.0, 2), (5.0, 4), (9.0, 5)] {
            assert_eq!(eval_tree(&edges, v, 0), want, "{v}");
        }
    }

    /// Mirrors `bin_tree`'s structure on numbers.
    fn eval_tree(edges: &[f64], v: f64, first: usize) -> usize {
        if edges.is_empty() {
            return first;
        }
        let mid = edges.len() / 2;
        if v <= edges[mid] {
            eval_tree(&edges[..mid], v, first)
        } else {
            eval_tree(&edges[mid + 1..], v, first + mid + 1)
        }
    }
}
