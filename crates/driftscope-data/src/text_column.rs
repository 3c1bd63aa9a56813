//! [`TextColumn`]: a column's cells as text, and the small cache of polars string views that
//! counts and codes a column of few distinct texts without hashing most cells.

use polars::prelude::*;
use rustc_hash::FxHashMap;

/// A column's cells as text, cheap to hold (shares polars' buffers).
#[derive(Debug, Clone)]
pub struct TextColumn {
    ca: StringChunked,
}

impl TextColumn {
    /// Wraps polars' string column.
    pub(crate) fn new(ca: StringChunked) -> Self {
        TextColumn { ca }
    }

    /// The polars string column underneath, for readers that work array by array.
    pub(crate) fn chunked(&self) -> &StringChunked {
        &self.ca
    }
}

/// Slots of the direct-mapped [`ViewCache`]: `1 << VIEW_CACHE_BITS`.
const VIEW_CACHE_BITS: u32 = 6;

/// A small direct-mapped table from a text cell to a value, keyed by the cell's 16-byte view
/// (length in the low 32 bits). A text of at most 12 bytes is stored inside its view (the unused
/// bytes masked), so that view is the text; a longer text is keyed by its length and first 4
/// bytes and compared in full with the text holding its slot. The first key to reach a slot
/// owns it for good, so each distinct text has at most one slot; a cell whose slot another text
/// owns is left to the caller (a hash map). A column of a few categories is thus handled
/// without hashing or decoding most cells.
struct ViewCache<'a, T> {
    keys: [u128; 1 << VIEW_CACHE_BITS],
    texts: [&'a str; 1 << VIEW_CACHE_BITS],
    values: [T; 1 << VIEW_CACHE_BITS],
}

impl<'a, T: Copy> ViewCache<'a, T> {
    /// A free slot's key: a length of `u32::MAX`, never a cell's.
    const EMPTY: u128 = u128::MAX;

    fn new(init: T) -> Self {
        ViewCache {
            keys: [Self::EMPTY; 1 << VIEW_CACHE_BITS],
            texts: [""; 1 << VIEW_CACHE_BITS],
            values: [init; 1 << VIEW_CACHE_BITS],
        }
    }

    /// The slot of the cell whose view is `view` (its text given by `text`), claimed for it
    /// with `init(text)` when free; `None` when another text owns the slot.
    #[inline]
    fn find(
        &mut self,
        view: u128,
        text: impl FnOnce() -> &'a str,
        init: impl FnOnce(&'a str) -> T,
    ) -> Option<usize> {
        let len = view as u32;
        let inline = len <= 12;
        // Keep the length and the bytes in use (inline), or the length and prefix.
        let key = view & (u128::MAX >> if inline { 96 - 8 * len } else { 64 });
        let mixed = (key as u64) ^ ((key >> 64) as u64);
        let slot = (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - VIEW_CACHE_BITS)) as usize;
        if self.keys[slot] == key {
            return (inline || text() == self.texts[slot]).then_some(slot);
        }
        if self.keys[slot] != Self::EMPTY {
            return None;
        }
        let t = text();
        self.keys[slot] = key;
        self.texts[slot] = t;
        self.values[slot] = init(t);
        Some(slot)
    }

    /// The texts holding slots, with their values.
    fn entries(&self) -> impl Iterator<Item = (&'a str, T)> + '_ {
        (0..self.keys.len())
            .filter(|s| self.keys[*s] != Self::EMPTY)
            .map(|s| (self.texts[s], self.values[s]))
    }
}

impl TextColumn {
    /// Cells in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        // Array by array: statically dispatched, unlike the chunked array's own iterator.
        self.ca.downcast_iter().flat_map(|arr| arr.iter())
    }

    /// Cells as a vector, for random access.
    pub fn to_vec(&self) -> Vec<Option<&str>> {
        self.iter().collect()
    }

    /// Counts of the non-null cells by value, and the number of null cells: what
    /// [`TextColumn::iter`] would give, counted without hashing most cells (see [`ViewCache`]).
    pub(crate) fn counts(&self) -> (FxHashMap<&str, u64>, u64) {
        let mut cache = ViewCache::new(0u64);
        let mut map: FxHashMap<&str, u64> = FxHashMap::default();
        let mut nulls = 0u64;
        for (arr, chunk) in self.ca.downcast_iter().zip(self.ca.chunks()) {
            // (`validity` through the `dyn Array` chunk: its trait is not re-exported.)
            let validity = chunk.validity().filter(|v| v.unset_bits() > 0);
            for (i, view) in arr.views().iter().enumerate() {
                if validity.is_some_and(|v| !v.get_bit(i)) {
                    nulls += 1;
                } else if let Some(slot) = cache.find(view.as_u128(), || arr.value(i), |_| 0) {
                    cache.values[slot] += 1;
                } else {
                    *map.entry(arr.value(i)).or_default() += 1;
                }
            }
        }
        for (text, n) in cache.entries() {
            *map.entry(text).or_default() += n;
        }
        (map, nulls)
    }

    /// `code(label)` for every cell (0 for an empty cell), where `label` is the cell's stored
    /// category label ([`crate::category_label`]: the text itself up to 200 bytes), so a cell
    /// matches the category it was counted under. For a column of few distinct texts, `code`
    /// runs once per text: later cells are matched by their 16-byte string view.
    pub fn codes(&self, code: impl Fn(&str) -> u32) -> Vec<u32> {
        let code = |text: &str| code(&crate::category_label(text));
        let mut cache = ViewCache::new(0u32);
        let mut out = Vec::with_capacity(self.len());
        for (arr, chunk) in self.ca.downcast_iter().zip(self.ca.chunks()) {
            let validity = chunk.validity().filter(|v| v.unset_bits() > 0);
            out.extend(arr.views().iter().enumerate().map(|(i, view)| {
                if validity.is_some_and(|v| !v.get_bit(i)) {
                    0
                } else if let Some(slot) = cache.find(view.as_u128(), || arr.value(i), &code) {
                    cache.values[slot]
                } else {
                    code(arr.value(i))
                }
            }));
        }
        out
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ca.len()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.ca.is_empty()
    }
}
