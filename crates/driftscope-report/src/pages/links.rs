//! Where each page lives: readable, sanitized file names for feature and batch pages, the
//! breadcrumbs, and which features an alert names. Paths are relative to the site root;
//! templates prefix them with `root`.

use std::collections::BTreeMap;

use driftscope_artifacts::Alert;
use serde::Serialize;

use crate::SiteData;

/// One step of a breadcrumb trail (the last one, the page itself, has no link).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Crumb {
    pub title: String,
    pub href: Option<String>,
}

impl Crumb {
    pub(crate) fn link(title: impl Into<String>, href: impl Into<String>) -> Crumb {
        Crumb {
            title: title.into(),
            href: Some(href.into()),
        }
    }

    pub(crate) fn here(title: impl Into<String>) -> Crumb {
        Crumb {
            title: title.into(),
            href: None,
        }
    }
}

/// The file of every feature page and batch page.
#[derive(Debug, Clone)]
pub(crate) struct Links {
    features: BTreeMap<String, String>,
    batches: BTreeMap<String, String>,
}

impl Links {
    /// Feature pages in profile order, batch pages in monitoring order.
    pub(crate) fn new(d: &SiteData) -> Links {
        let names: Vec<&str> = d.profile.features.iter().map(|f| f.name.as_str()).collect();
        let ids: Vec<&str> = d.results.iter().map(|r| r.batch_id.as_str()).collect();
        Links {
            features: files(&names, "features/feature-", ""),
            batches: files(&ids, "batches/", "batch-"),
        }
    }

    /// The page of the feature `name`.
    pub(crate) fn feature(&self, name: &str) -> Option<String> {
        self.features.get(name).cloned()
    }

    /// The page of the batch `id`.
    pub(crate) fn batch(&self, id: &str) -> Option<String> {
        self.batches.get(id).cloned()
    }

    /// The features whose name an alert's reason or details mention as a whole word, with their
    /// pages, in profile order of names (sorted).
    pub(crate) fn alert_features(&self, a: &Alert) -> Vec<(String, String)> {
        self.features
            .iter()
            .filter(|(name, _)| {
                std::iter::once(&a.reason)
                    .chain(&a.details)
                    .any(|text| mentions(text, name))
            })
            .map(|(n, f)| (n.clone(), f.clone()))
            .collect()
    }
}

/// Whether `text` contains `word` not glued to letters, digits or `_` on either side.
fn mentions(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(i, _)| {
        !glued(text[..i].chars().next_back()) && !glued(text[i + word.len()..].chars().next())
    })
}

/// `prefix` + slug + `.html` per key, unique (a clash gets `-2`, `-3`, ...); a slug already
/// starting with `word` is not prefixed with it again.
fn files(keys: &[&str], folder_prefix: &str, word: &str) -> BTreeMap<String, String> {
    let mut used = std::collections::BTreeSet::new();
    let mut out = BTreeMap::new();
    for key in keys {
        if out.contains_key(*key) {
            continue;
        }
        let mut s = slug(key);
        if !word.is_empty() && !s.starts_with(word) {
            s = format!("{word}{s}");
        }
        let mut candidate = s.clone();
        let mut n = 2;
        while !used.insert(candidate.clone()) {
            candidate = format!("{s}-{n}");
            n += 1;
        }
        out.insert(
            (*key).to_string(),
            format!("{folder_prefix}{candidate}.html"),
        );
    }
    out
}

/// Lower-case ASCII letters and digits, every other run of characters one `-`; `x` when
/// nothing is left.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "x".into()
    } else {
        trimmed.to_string()
    }
}

/// How a batch is named in titles: "Batch week-03", but "batch-03" rather than "Batch batch-03".
pub(crate) fn batch_title(id: &str) -> String {
    if id.to_ascii_lowercase().starts_with("batch") {
        id.to_string()
    } else {
        format!("Batch {id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_safe_and_unique() {
        assert_eq!(slug("PaymentMethod"), "paymentmethod");
        assert_eq!(
            slug("</script><script>alert(1)</script>"),
            "script-script-alert-1-script"
        );
        assert_eq!(slug("é"), "x");
        let f = files(&["Tenure", "tenure", "b 1"], "features/feature-", "");
        assert_eq!(f["Tenure"], "features/feature-tenure.html");
        assert_eq!(f["tenure"], "features/feature-tenure-2.html");
        let b = files(&["batch-01", "week 2"], "batches/", "batch-");
        assert_eq!(b["batch-01"], "batches/batch-01.html");
        assert_eq!(b["week 2"], "batches/batch-week-2.html");
    }

    #[test]
    fn a_feature_is_mentioned_as_a_whole_word() {
        assert!(mentions("drifted: tenure, Contract", "tenure"));
        assert!(mentions("tenure", "tenure"));
        assert!(!mentions("tenures moved", "tenure"));
        assert!(!mentions("Total_Charges", "Charges"));
    }
}
