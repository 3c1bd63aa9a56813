//! Structural checks of a batch profile, run on every read: a file that parses but breaks a
//! rule the statistics rely on is refused naming the field.

use driftscope_artifacts::Invalid;

use crate::{BatchProfile, ColumnData, ColumnProfile, NumericDistribution, NumericProfile};

fn invalid(field: String, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

/// Every rule of [`BatchProfile`]: unique names, counts that add up, sorted finite values and
/// edges, positive counts, bins matching edges, the cap kept where fine edges exist.
pub(crate) fn check(p: &BatchProfile) -> Result<(), Invalid> {
    let mut names = std::collections::HashSet::new();
    for (i, c) in p.columns.iter().enumerate() {
        let field = format!("columns[{i}]");
        if c.name.is_empty() || !names.insert(c.name.as_str()) {
            return Err(invalid(
                field,
                format!("empty or duplicate name {:?}", c.name),
            ));
        }
        if c.rows != p.rows {
            return Err(invalid(
                field,
                format!("{} rows in a batch of {}", c.rows, p.rows),
            ));
        }
        check_column(&field, c, p.value_cap)?;
    }
    Ok(())
}

fn check_column(field: &str, c: &ColumnProfile, cap: u64) -> Result<(), Invalid> {
    let special = [c.nulls, c.nan, c.pos_inf, c.neg_inf]
        .iter()
        .try_fold(0u64, |a, b| a.checked_add(*b));
    let counted = match &c.data {
        ColumnData::Numerical(n) => {
            check_numeric(&format!("{field}.numerical"), n, cap)?;
            Some(n.count())
        }
        ColumnData::Categorical(cats) => {
            if let Some(k) = cats.windows(2).position(|w| w[0].value >= w[1].value) {
                return Err(invalid(
                    format!("{field}.categorical[{}]", k + 1),
                    "categories not sorted by text or repeated",
                ));
            }
            if cats.iter().any(|c| c.count == 0) {
                return Err(invalid(format!("{field}.categorical"), "a zero count"));
            }
            cats.iter().try_fold(0u64, |a, c| a.checked_add(c.count))
        }
        ColumnData::NotNumerical { .. } => return Ok(()),
    };
    match (special, counted) {
        (Some(s), Some(k)) if s.checked_add(k) == Some(c.rows) => Ok(()),
        _ => Err(invalid(
            field.to_string(),
            format!(
                "null, NaN, infinite and counted values do not add up to {} rows",
                c.rows
            ),
        )),
    }
}

fn check_numeric(field: &str, n: &NumericProfile, cap: u64) -> Result<(), Invalid> {
    let e = &n.fine_edges;
    if e.iter().any(|v| !v.is_finite()) || e.windows(2).any(|w| w[0] >= w[1]) {
        return Err(invalid(
            format!("{field}.fine_edges"),
            "not finite and increasing",
        ));
    }
    let count = match &n.distribution {
        NumericDistribution::Exact(v) => {
            let f = format!("{field}.distribution.exact");
            if v.values.len() != v.counts.len() {
                return Err(invalid(f, "values and counts differ in length"));
            }
            if v.values.iter().any(|x| !x.is_finite())
                || v.values.windows(2).any(|w| w[0].total_cmp(&w[1]).is_ge())
            {
                return Err(invalid(f, "values not finite and increasing"));
            }
            if v.counts.contains(&0) {
                return Err(invalid(f, "a zero count"));
            }
            if v.values.len() as u64 > cap && !e.is_empty() {
                return Err(invalid(f, format!("more than the cap of {cap} values")));
            }
            v.counts.iter().try_fold(0u64, |a, c| a.checked_add(*c))
        }
        NumericDistribution::Binned(b) => {
            if b.counts.len() != e.len() + 1 || b.sums.len() != b.counts.len() {
                return Err(invalid(
                    format!("{field}.distribution.binned"),
                    "needs one count and one sum per fine bin (edges + 1)",
                ));
            }
            b.counts.iter().try_fold(0u64, |a, c| a.checked_add(*c))
        }
    };
    if count != Some(n.moments.n) {
        return Err(invalid(
            format!("{field}.moments.n"),
            "differs from the values counted",
        ));
    }
    let ordered = match (n.min, n.max) {
        (Some(lo), Some(hi)) => lo.is_finite() && hi.is_finite() && lo <= hi && n.moments.n > 0,
        (None, None) => n.moments.n == 0,
        _ => false,
    };
    if !ordered {
        return Err(invalid(
            format!("{field}.min"),
            "min/max missing, not finite or min > max",
        ));
    }
    Ok(())
}
