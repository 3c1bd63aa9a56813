//! Content digests: the hex SHA-256 that names data files and models in artifacts.

use sha2::{Digest, Sha256};

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Longest category label stored as written, in bytes. Labels reach artifacts (profiles,
/// counts, unseen-category lists, alert reasons) and the site, so one huge cell would make
/// every later artifact and report huge.
pub const MAX_CATEGORY_LABEL_BYTES: usize = 200;

/// Bytes of a long label kept as its readable prefix.
const LABEL_PREFIX_BYTES: usize = 64;

/// The label a category is stored, counted and matched under: the text itself when at most
/// [`MAX_CATEGORY_LABEL_BYTES`] long, else its first 64 bytes (cut at a character boundary),
/// its length and the start of its SHA-256, e.g. `aaaa… (104857600 bytes, sha256
/// 0123456789abcdef)`, so distinct long values stay distinct and one value always gets the
/// same label (in training, monitoring and scoring alike).
pub fn category_label(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= MAX_CATEGORY_LABEL_BYTES {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cut = LABEL_PREFIX_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = sha256_hex(text.as_bytes());
    std::borrow::Cow::Owned(format!(
        "{}\u{2026} ({} bytes, sha256 {})",
        &text[..cut],
        text.len(),
        &hash[..16]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_become_a_prefix_length_and_hash() {
        assert_eq!(category_label("Month-to-month"), "Month-to-month");
        let exact = "x".repeat(MAX_CATEGORY_LABEL_BYTES);
        assert_eq!(category_label(&exact), exact.as_str());
        let long = "\u{e9}".repeat(1000);
        let label = category_label(&long);
        assert!(label.len() < MAX_CATEGORY_LABEL_BYTES, "{label}");
        assert!(label.starts_with(&"\u{e9}".repeat(32)), "{label}");
        assert!(label.contains("(2000 bytes, sha256 "), "{label}");
        assert_eq!(
            category_label(&label),
            label,
            "a stored label is stored as is"
        );
        let other = format!("{long}x");
        assert_ne!(category_label(&other), label);
    }
}
