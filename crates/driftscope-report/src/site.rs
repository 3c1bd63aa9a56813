//! Writing the site into a folder: the pages through the Tera templates, the assets and the
//! downloadable reports.

use std::path::Path;

use serde::Serialize;

use crate::pages::{build_pages, Page, NAV};
use crate::summary::{
    executive_markdown, executive_summary, model_label, technical_markdown, technical_report,
    ExecutiveReport,
};
use crate::{ReportError, SiteData};

/// The script that draws every chart from the JSON embedded next to it, without the toolbar
/// (it covered the titles), and redraws the charts at the paper's width for printing.
pub(crate) const SITE_JS: &str = r##"// driftscope: draws every chart from the JSON embedded next to it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-figure"));
    if (!src) { console.error("missing figure data " + el.getAttribute("data-figure")); return; }
    var fig = JSON.parse(src.textContent);
    Plotly.newPlot(el, fig.data, fig.layout || {}, {displaylogo: false, displayModeBar: false, responsive: true});
    var links = document.getElementById(el.getAttribute("data-links") || "");
    if (links) {
      var map = JSON.parse(links.textContent), root = el.getAttribute("data-root") || "";
      el.on("plotly_click", function (ev) {
        var p = ev.points && ev.points[0];
        if (p && map[p.y]) { window.location.href = root + map[p.y] + "#batch-" + String(p.x).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }
      });
    }
  });
});
function driftscopeResize(width) {
  document.querySelectorAll(".js-plotly-plot").forEach(function (el) {
    Plotly.relayout(el, width ? {width: width} : {width: null, autosize: true});
  });
}
window.addEventListener("beforeprint", function () { driftscopeResize(680); });
window.addEventListener("afterprint", function () { driftscopeResize(null); });
"##;

/// The Drift page's triage table in the browser, without a server: the filter box and the
/// "drifted only" box hide rows; a column's button sorts by it (numbers as numbers), a second
/// press reverses; `aria-sort` tells screen readers the order.
pub(crate) const TRIAGE_JS: &str = r##"// driftscope: sorts and filters the Drift page's triage table.
(function () {
  var table = document.getElementById("triage");
  if (!table) { return; }
  var body = table.tBodies[0], filter = document.getElementById("triage-filter");
  var only = document.getElementById("triage-drifted"), count = document.getElementById("triage-count");
  function apply() {
    var q = filter.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var show = row.getAttribute("data-key").indexOf(q) >= 0 && (!only.checked || row.getAttribute("data-drifted") === "yes");
      row.hidden = !show;
      if (show) { shown += 1; }
    });
    count.textContent = shown + " of " + body.rows.length + " features shown";
  }
  filter.addEventListener("input", apply);
  only.addEventListener("change", apply);
  table.querySelectorAll("th button[data-key]").forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode, key = "data-" + button.getAttribute("data-key");
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.getAttribute(key), y = b.getAttribute(key), nx = parseFloat(x), ny = parseFloat(y);
        var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
"##;

/// The chart script of sites written before [`SITE_JS`] changed (recognises them as sites).
pub(crate) const LEGACY_SITE_JS: &str = r#"// driftscope: draws every chart from the JSON embedded next to it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-figure"));
    if (!src) { console.error("missing figure data " + el.getAttribute("data-figure")); return; }
    var fig = JSON.parse(src.textContent);
    Plotly.newPlot(el, fig.data, fig.layout || {}, {displaylogo: false, responsive: true});
  });
});
"#;

/// A link of the navigation bar, relative to the page.
#[derive(Debug, Clone, Serialize)]
struct NavItem {
    href: String,
    title: &'static str,
    active: bool,
}

/// Reads the HTML templates of `templates` (autoescaped).
pub(crate) fn load_templates(templates: &Path) -> Result<tera::Tera, ReportError> {
    if crate::builtin::use_builtin(templates) {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(crate::builtin::TEMPLATES.to_vec())
            .map_err(|e| ReportError::Template {
                template: "built-in templates".into(),
                message: chain(&e),
            })?;
        tera.autoescape_on(vec![".html"]);
        return Ok(tera);
    }
    if !templates.is_dir() {
        return Err(ReportError::Template {
            template: templates.display().to_string(),
            message: "the templates folder does not exist (pass --templates DIR)".into(),
        });
    }
    let glob = format!("{}/**/*.html", templates.display());
    let mut tera = tera::Tera::new(&glob).map_err(|e| ReportError::Template {
        template: glob.clone(),
        message: chain(&e),
    })?;
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

/// Writes the whole site for `d` into the folder `dir`; returns the pages written (relative
/// paths).
pub(crate) fn write_site(
    d: &SiteData,
    tera: &tera::Tera,
    templates: &Path,
    dir: &Path,
) -> Result<Vec<String>, ReportError> {
    let mut written = Vec::new();
    for page in build_pages(d) {
        let html = render_page(tera, &page, &model_label(d))?;
        write(&dir.join(&page.file), html.as_bytes())?;
        written.push(page.file);
    }
    write_assets(templates, dir)?;
    write_reports(d, dir)?;
    Ok(written)
}

/// One page through its template, with the navigation bar and the figures.
fn render_page(tera: &tera::Tera, page: &Page, model_label: &str) -> Result<String, ReportError> {
    let template = page.view.template();
    let template_error = |e: &tera::Error| ReportError::Template {
        template: template.into(),
        message: chain(e),
    };
    let root = "../".repeat(page.file.matches('/').count());
    let mut ctx = tera::Context::from_serialize(&page.view).map_err(|e| template_error(&e))?;
    ctx.insert("root", &root);
    ctx.insert("nav", &nav(&root, &page.file));
    ctx.insert("page_title", &page.title);
    ctx.insert("figures", &page.figures);
    ctx.insert("crumbs", &page.crumbs);
    ctx.insert("model_label", model_label);
    tera.render(template, &ctx).map_err(|e| template_error(&e))
}

/// The navigation bar of the page at `file`; feature pages belong to Drift.
fn nav(root: &str, file: &str) -> Vec<NavItem> {
    NAV.iter()
        .map(|&(href, title)| NavItem {
            href: format!("{root}{href}"),
            title,
            active: file == href || (href == "drift.html" && file.starts_with("features/")),
        })
        .collect()
}

/// plotly.js, the chart script and the style sheet of `templates`.
fn write_assets(templates: &Path, dir: &Path) -> Result<(), ReportError> {
    write(&dir.join("assets/plotly.min.js"), PLOTLY_JS.as_bytes())?;
    write(&dir.join("assets/driftscope.js"), SITE_JS.as_bytes())?;
    write(&dir.join("assets/triage.js"), TRIAGE_JS.as_bytes())?;
    if crate::builtin::use_builtin(templates) {
        return write(
            &dir.join("assets/style.css"),
            crate::builtin::STYLE_CSS.as_bytes(),
        );
    }
    let css_path = templates.join("style.css");
    let css = std::fs::read(&css_path).map_err(|source| ReportError::Io {
        path: css_path,
        source,
    })?;
    write(&dir.join("assets/style.css"), &css)
}

/// The executive summary and the technical report, as Markdown and JSON.
fn write_reports(d: &SiteData, dir: &Path) -> Result<(), ReportError> {
    let reports = dir.join("reports");
    let summary = executive_summary(d);
    write(
        &reports.join("executive_summary.md"),
        executive_markdown(&summary).as_bytes(),
    )?;
    let executive = ExecutiveReport {
        model_version: &d.champion,
        summary: &summary,
    };
    let path = reports.join("executive_summary.json");
    write(&path, pretty_json(&path, &executive)?.as_bytes())?;
    write(
        &reports.join("technical_report.md"),
        technical_markdown(d).as_bytes(),
    )?;
    let path = reports.join("technical_report.json");
    write(&path, pretty_json(&path, &technical_report(d))?.as_bytes())
}

/// Pretty JSON with the keys of every object sorted (a stable order for diffs).
fn pretty_json<T: Serialize>(path: &Path, value: &T) -> Result<String, ReportError> {
    serde_json::to_value(value)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .map_err(|e| ReportError::Io {
            path: path.to_path_buf(),
            source: e.into(),
        })
}

/// plotly.js's cartesian bundle (`plotly.js-cartesian-dist-min` 3.0.1 from the npm registry,
/// MIT licence in `assets/plotly-LICENSE`): it holds every trace type the site draws (bar,
/// scatter, heatmap) at 1.3 MB instead of the full bundle's 4.65 MB. The version matches the
/// plotly.js the plotly crate targets; the browser test compares this copy with the one npm
/// installs into `tools/web/` (its `package-lock.json` pins the version and checksum).
pub(crate) const PLOTLY_JS: &str = include_str!("../assets/plotly-cartesian.min.js");

/// Writes `bytes` to `path`, creating its folder.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).map_err(|source| ReportError::Io {
            path: p.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// An error's message followed by its causes.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
