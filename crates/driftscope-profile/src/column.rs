//! One column's profile and its merge.

use driftscope_artifacts::{CategoryCount, FeatureType};
use serde::{Deserialize, Serialize};

use crate::{Moments, NumericDistribution, ProfileError, Result, ValueCounts};

/// A numerical column: min, max and moments of its finite values, and their distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericProfile {
    /// Smallest finite value (`None` when there is none).
    pub min: Option<f64>,
    /// Largest finite value.
    pub max: Option<f64>,
    /// Count, mean and central power sums of the finite values.
    pub moments: Moments,
    /// Fine edges taken from the reference (ascending, finite; may be empty): where the
    /// value->count map goes past the cap, values are counted between these edges.
    pub fine_edges: Vec<f64>,
    /// The value->count map, or the fine-bin counts past the cap.
    pub distribution: NumericDistribution,
}

impl NumericProfile {
    /// Profile of the finite values of a column given as a value->count map; past `value_cap`
    /// distinct values (and with fine edges) the map becomes fine-bin counts.
    ///
    /// # Example
    /// ```
    /// use driftscope_profile::{NumericDistribution, NumericProfile, ValueCounts};
    /// let v = ValueCounts::from_sorted(&[1.0, 2.0, 3.0]).unwrap();
    /// let p = NumericProfile::from_counts(v.clone(), 10, vec![2.0]);
    /// assert_eq!(p.distribution, NumericDistribution::Exact(v.clone()));
    /// let capped = NumericProfile::from_counts(v, 2, vec![2.0]);
    /// let NumericDistribution::Binned(b) = capped.distribution else { panic!() };
    /// assert_eq!(b.counts, vec![2, 1]);
    /// ```
    pub fn from_counts(values: ValueCounts, value_cap: u64, fine_edges: Vec<f64>) -> Self {
        let moments = Moments::of_counts(&values.values, &values.counts);
        let (min, max) = (
            values.values.first().copied(),
            values.values.last().copied(),
        );
        let distribution = capped(values, value_cap, &fine_edges);
        NumericProfile {
            min,
            max,
            moments,
            fine_edges,
            distribution,
        }
    }

    /// The profile of the union of both columns' values.
    pub fn merge(&self, other: &NumericProfile, value_cap: u64) -> Result<NumericProfile> {
        if self.fine_edges.len() != other.fine_edges.len()
            || self
                .fine_edges
                .iter()
                .zip(&other.fine_edges)
                .any(|(a, b)| a.to_bits() != b.to_bits())
        {
            return Err(ProfileError::Incompatible(
                "different fine edges (profile both sides against the same reference)".into(),
            ));
        }
        use NumericDistribution::{Binned, Exact};
        let edges = &self.fine_edges;
        let distribution = match (&self.distribution, &other.distribution) {
            (Exact(a), Exact(b)) => capped(a.merge(b), value_cap, edges),
            (Exact(a), Binned(b)) | (Binned(b), Exact(a)) => Binned(a.bin(edges).merge(b)?),
            (Binned(a), Binned(b)) => Binned(a.merge(b)?),
        };
        let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
            (Some(x), Some(y)) => Some(f(x, y)),
            (x, y) => x.or(y),
        };
        Ok(NumericProfile {
            min: pick(self.min, other.min, f64::min),
            max: pick(self.max, other.max, f64::max),
            moments: self.moments.merge(&other.moments),
            fine_edges: edges.clone(),
            distribution,
        })
    }

    /// Finite values counted.
    pub fn count(&self) -> u64 {
        self.moments.n
    }
}

/// The map itself while it has at most `value_cap` values (or no fine edges to fall back on),
/// else its fine-bin counts.
fn capped(values: ValueCounts, value_cap: u64, fine_edges: &[f64]) -> NumericDistribution {
    if values.values.len() as u64 <= value_cap || fine_edges.is_empty() {
        NumericDistribution::Exact(values)
    } else {
        NumericDistribution::Binned(values.bin(fine_edges))
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnData {
    /// Numbers.
    Numerical(NumericProfile),
    /// Count per category text, sorted by text.
    Categorical(Vec<CategoryCount>),
    /// A column profiled as numerical holds text: the first such cell.
    NotNumerical {
        /// 1-based data row (within the part profiled).
        row: u64,
        /// The cell's text.
        value: String,
    },
}

/// One column of a batch: counts of rows, nulls, NaN and infinities, and its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// The type it was profiled as (the reference's type of the feature).
    pub feature_type: FeatureType,
    /// Rows of the batch.
    pub rows: u64,
    /// Null (empty or missing) cells; for a numerical column read by the local engine, every
    /// cell that is not a number (NaN included) counts here.
    pub nulls: u64,
    /// NaN cells counted apart (SQL engines); missing values are `nulls + nan`.
    pub nan: u64,
    /// `+inf` cells (an input error for the statistics: refused where they are used).
    pub pos_inf: u64,
    /// `-inf` cells.
    pub neg_inf: u64,
    /// The values.
    pub data: ColumnData,
}

impl ColumnProfile {
    /// Missing cells as the statistics count them: nulls and NaN.
    pub fn missing(&self) -> u64 {
        self.nulls + self.nan
    }

    /// The profile of the union of both parts' rows.
    pub fn merge(&self, other: &ColumnProfile, value_cap: u64) -> Result<ColumnProfile> {
        if self.name != other.name || self.feature_type != other.feature_type {
            return Err(ProfileError::Incompatible(format!(
                "column {:?} ({}) against {:?} ({})",
                self.name, self.feature_type, other.name, other.feature_type
            )));
        }
        let data = match (&self.data, &other.data) {
            (ColumnData::Numerical(a), ColumnData::Numerical(b)) => {
                ColumnData::Numerical(a.merge(b, value_cap)?)
            }
            (ColumnData::Categorical(a), ColumnData::Categorical(b)) => {
                ColumnData::Categorical(merge_categories(a, b))
            }
            // The text a part found wins; of two, the one first in (row, text) order.
            (a @ ColumnData::NotNumerical { .. }, b @ ColumnData::NotNumerical { .. }) => {
                let key = |d: &ColumnData| match d {
                    ColumnData::NotNumerical { row, value } => (*row, value.clone()),
                    _ => (0, String::new()),
                };
                if key(a) <= key(b) { a } else { b }.clone()
            }
            // Text in a part whose other parts hold numbers is a stray word among numbers: bad
            // data (the row reader refuses it the same way); beside parts with no number
            // (only missing cells), the column holds text.
            (t @ ColumnData::NotNumerical { row, value }, ColumnData::Numerical(n))
            | (ColumnData::Numerical(n), t @ ColumnData::NotNumerical { row, value }) => {
                if n.count() > 0 {
                    return Err(ProfileError::BadPartial {
                        column: self.name.clone(),
                        message: format!("row {row}: expected a number, found {value:?}"),
                    });
                }
                t.clone()
            }
            _ => {
                return Err(ProfileError::Incompatible(format!(
                    "column {:?}: numerical data against categorical",
                    self.name
                )))
            }
        };
        let add = |a: u64, b: u64| a.checked_add(b).ok_or(ProfileError::Overflow("rows"));
        Ok(ColumnProfile {
            name: self.name.clone(),
            feature_type: self.feature_type,
            rows: add(self.rows, other.rows)?,
            nulls: add(self.nulls, other.nulls)?,
            nan: add(self.nan, other.nan)?,
            pos_inf: add(self.pos_inf, other.pos_inf)?,
            neg_inf: add(self.neg_inf, other.neg_inf)?,
            data,
        })
    }
}

/// Category counts of both lists (sorted by text) added.
pub fn merge_categories(a: &[CategoryCount], b: &[CategoryCount]) -> Vec<CategoryCount> {
    let mut out: Vec<CategoryCount> = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.value.cmp(&y.value),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        out.push(match order {
            std::cmp::Ordering::Less => a[i].clone(),
            std::cmp::Ordering::Greater => b[j].clone(),
            std::cmp::Ordering::Equal => CategoryCount {
                value: a[i].value.clone(),
                count: a[i].count + b[j].count,
            },
        });
        i += usize::from(order.is_le());
        j += usize::from(order.is_ge());
    }
    out
}
