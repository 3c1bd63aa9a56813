//! What the engine computes for each column of a batch.

/// How a column is profiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Every non-missing cell is a number: counts, min/max, power sums, exact values.
    Numerical,
    /// Text (or booleans): one count per category.
    Categorical,
}

/// One column of the batch and how to profile it.
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

/// Distinct values a numerical column keeps exactly (the example cap); past it the
/// column keeps bin counts on fine edges only.
pub const DEFAULT_VALUE_CAP: usize = 65_536;

/// The whole plan: the columns, in file order, and the value cap.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilePlan {
    /// Columns to profile.
    pub columns: Vec<ColumnPlan>,
    /// Most distinct values kept per numerical column.
    pub value_cap: usize,
}
