//! [`Sorted`]: a sample sorted ascending, free of NaN and infinite values, checked once at
//! construction so every statistic that walks sorted samples can trust it.

use std::borrow::Cow;

use driftscope_artifacts::sort_floats;

use crate::{DriftError, Result};

/// A sample sorted ascending with no NaN or infinite value. Build it with [`Sorted::new`] (sorts
/// an owned vector) or [`Sorted::from_sorted`] (checks a borrowed, already sorted slice without
/// copying it).
///
/// # Example
/// ```
/// use driftscope_drift::Sorted;
/// let s = Sorted::new(vec![3.0, 1.0, 2.0]).unwrap();
/// assert_eq!(s.as_slice(), &[1.0, 2.0, 3.0]);
/// assert!(Sorted::new(vec![1.0, f64::NAN]).is_err());
/// assert!(Sorted::from_sorted(&[2.0, 1.0]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Sorted<'a> {
    values: Cow<'a, [f64]>,
}

/// The first NaN or infinite value, as an error.
fn check_finite(values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(DriftError::NotFinite {
            what: "sample",
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

impl Sorted<'static> {
    /// Sorts `values` ascending (IEEE total order); a NaN or infinite value is an error.
    ///
    /// # Example
    /// ```
    /// use driftscope_drift::Sorted;
    /// assert_eq!(Sorted::new(vec![2.0, -1.0]).unwrap().as_slice(), &[-1.0, 2.0]);
    /// assert!(Sorted::new(vec![f64::INFINITY]).is_err());
    /// ```
    pub fn new(mut values: Vec<f64>) -> Result<Sorted<'static>> {
        check_finite(&values)?;
        sort_floats(&mut values);
        Ok(Sorted {
            values: Cow::Owned(values),
        })
    }
}

impl<'a> Sorted<'a> {
    /// Borrows `values` after checking that they are sorted ascending and finite (one pass, no
    /// copy); unsorted, NaN or infinite values are an error.
    ///
    /// # Example
    /// ```
    /// use driftscope_drift::Sorted;
    /// let v = [1.0, 1.0, 4.0];
    /// assert_eq!(Sorted::from_sorted(&v).unwrap().len(), 3);
    /// assert!(Sorted::from_sorted(&[1.0, 0.5]).is_err());
    /// ```
    pub fn from_sorted(values: &'a [f64]) -> Result<Sorted<'a>> {
        check_finite(values)?;
        if let Some(i) = values.windows(2).position(|w| w[1] < w[0]) {
            return Err(DriftError::Unsorted {
                what: "sample",
                index: i + 1,
            });
        }
        Ok(Sorted {
            values: Cow::Borrowed(values),
        })
    }

    /// The values, ascending.
    ///
    /// # Example
    /// ```
    /// use driftscope_drift::Sorted;
    /// assert_eq!(Sorted::new(vec![1.0]).unwrap().as_slice(), &[1.0]);
    /// ```
    pub fn as_slice(&self) -> &[f64] {
        &self.values
    }

    /// Number of values.
    ///
    /// # Example
    /// ```
    /// use driftscope_drift::Sorted;
    /// assert_eq!(Sorted::new(vec![1.0, 2.0]).unwrap().len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no values.
    ///
    /// # Example
    /// ```
    /// use driftscope_drift::Sorted;
    /// assert!(Sorted::new(Vec::new()).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values as an owned vector, ascending.
    ///
    /// # Example
    /// ```
    /// use driftscope_drift::Sorted;
    /// assert_eq!(Sorted::new(vec![2.0, 1.0]).unwrap().into_vec(), vec![1.0, 2.0]);
    /// ```
    pub fn into_vec(self) -> Vec<f64> {
        self.values.into_owned()
    }

    /// The values, or an error naming `what` when there are none.
    pub(crate) fn non_empty(&self, what: &'static str) -> Result<&[f64]> {
        if self.values.is_empty() {
            return Err(DriftError::Empty { what });
        }
        Ok(&self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_nan_infinite_and_unsorted() {
        assert!(matches!(
            Sorted::new(vec![1.0, f64::NAN]),
            Err(DriftError::NotFinite { index: 1, .. })
        ));
        assert!(Sorted::new(vec![f64::NEG_INFINITY]).is_err());
        assert!(matches!(
            Sorted::from_sorted(&[1.0, 3.0, 2.0]),
            Err(DriftError::Unsorted { index: 2, .. })
        ));
        assert!(Sorted::from_sorted(&[f64::NAN]).is_err());
        // Signed zeros compare equal: either order is sorted.
        assert!(Sorted::from_sorted(&[0.0, -0.0]).is_ok());
        assert_eq!(
            Sorted::new(vec![]).unwrap().non_empty("x"),
            Err(DriftError::Empty { what: "x" })
        );
    }
}
