//! How each column of a batch is read by the profile SQL.

/// How a column is profiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Read as numbers: counts, min/max, power sums, exact values or fine bins.
    Numerical,
    /// Read as text: one count per category.
    Categorical,
}

/// One column of the batch and how to read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPlan {
    /// Column name as in the file.
    pub name: String,
    /// Numerical or categorical.
    pub kind: ColumnKind,
    /// Whether the column is stored as text (a CSV cell or a Parquet string) and read as
    /// numbers where it holds them.
    pub text_source: bool,
    /// The power sums are of `x - shift` (a value near the data keeps them accurate).
    pub shift: f64,
}
