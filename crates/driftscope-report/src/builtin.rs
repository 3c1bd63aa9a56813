//! The templates and style sheet of the repository's `templates/` folder, built into the
//! binary, so that `report` works from any folder (a user of their own model needs no
//! checkout). A `templates/` folder in the working directory, or `--templates DIR`, takes
//! precedence; a test keeps this list equal to the folder.

/// The default templates folder name: when it does not exist, the built-in templates are used.
pub const DEFAULT_TEMPLATES: &str = "templates";

/// Every built-in template, by file name.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    (
        "alerts.html",
        include_str!("../../../templates/alerts.html"),
    ),
    ("base.html", include_str!("../../../templates/base.html")),
    ("batch.html", include_str!("../../../templates/batch.html")),
    (
        "detector.html",
        include_str!("../../../templates/detector.html"),
    ),
    ("drift.html", include_str!("../../../templates/drift.html")),
    (
        "feature.html",
        include_str!("../../../templates/feature.html"),
    ),
    ("index.html", include_str!("../../../templates/index.html")),
    (
        "performance.html",
        include_str!("../../../templates/performance.html"),
    ),
    (
        "reports.html",
        include_str!("../../../templates/reports.html"),
    ),
];

/// The built-in style sheet.
pub(crate) const STYLE_CSS: &str = include_str!("../../../templates/style.css");

/// Whether `templates` means the built-in set: the default name, absent from the working
/// directory.
pub(crate) fn use_builtin(templates: &std::path::Path) -> bool {
    templates == std::path::Path::new(DEFAULT_TEMPLATES) && !templates.is_dir()
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_templates_are_the_templates_folder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".html"))
            .collect();
        on_disk.sort();
        let built: Vec<&str> = super::TEMPLATES.iter().map(|t| t.0).collect();
        assert_eq!(on_disk, built, "add new templates to builtin.rs");
        for (name, text) in super::TEMPLATES {
            assert_eq!(std::fs::read_to_string(dir.join(name)).unwrap(), *text);
        }
    }
}
