//! The report site in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`) opens every page from `file://`; the test fails on any console message, a chart
//! that rendered no SVG, a link or resource that leads nowhere, a page over 2 MB, a page wider
//! than 390 px in a 390 px viewport, an alert row without a working link to its batch, an
//! absolute path of the building machine in a page, or plotly.js loaded by a page without
//! charts. Screenshots of the overview, the latest batch, the Drift page and a feature page at
//! 1400 px, 390 px and in print (PDF) go to `target/screenshots/` for a human to look at.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design
#![allow(clippy::too_many_lines)] // end-to-end tests walk through many steps

mod common;

use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Headless Chromium without the network chatter this machine refuses (see the env notes).
const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

const HOSTILE: &str = "</script><script>alert(1)</script>";

/// Chromium on PATH; `None` (and a visible skip, or a failure where CI requires the browser)
/// when absent.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = Path::new(dir).join(name);
            if p.exists() {
                return Some(p);
            }
        }
    }
    skip(
        "every_page_renders_in_chromium",
        "no chromium on PATH (install Debian's `chromium` package; .ci/run does)",
        "DRIFTSCOPE_REQUIRE_BROWSER",
    );
    None
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(html_files(&p));
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The narrow screen every page must fit without horizontal scrolling.
const PHONE: u32 = 390;

/// The `scrollWidth` of `page` shown in a `width`-pixel iframe (headless Chromium's windows are
/// at least 500 px wide, so the page is framed at the width under test).
fn scroll_width(browser: &Path, profile: &Path, page: &Path, width: u32) -> Option<u32> {
    let probe = page.with_file_name("_probe.html");
    let name = page.file_name().unwrap().to_string_lossy();
    std::fs::write(
        &probe,
        format!(
            r#"<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{name}" style="width:{width}px;height:900px;border:0"></iframe><script>window.addEventListener("load",function(){{setTimeout(function(){{document.body.setAttribute("data-sw",document.getElementById("f").contentDocument.documentElement.scrollWidth);}},1000);}});</script></body></html>"#
        ),
    )
    .unwrap();
    let args = [
        "--allow-file-access-from-files",
        "--hide-scrollbars",
        "--virtual-time-budget=8000",
        "--window-size=800,1000",
    ];
    probe_attribute(browser, profile, &probe, &args, "data-sw")?
        .parse()
        .ok()
}

/// Opens the probe page `probe` (then deletes it) and returns the value its script left in
/// the attribute `attr` of the rendered DOM, entities decoded.
fn probe_attribute(
    browser: &Path,
    profile: &Path,
    probe: &Path,
    args: &[&str],
    attr: &str,
) -> Option<String> {
    let out = Command::new(browser)
        .args(CHROMIUM_FLAGS)
        .args(args)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", probe.display()))
        .output()
        .unwrap();
    std::fs::remove_file(probe).unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let key = format!("{attr}=\"");
    let start = dom.find(&key)? + key.len();
    let end = dom[start..].find('"')? + start;
    Some(
        dom[start..end]
            .replace("&quot;", "\"")
            .replace("&gt;", ">")
            .replace("&lt;", "<")
            .replace("&amp;", "&"),
    )
}

/// Screenshots of `page` at 1400 px and 390 px (framed, see [`scroll_width`]) and its print
/// rendering as PDF, named after `label`.
fn screenshots(browser: &Path, profile: &Path, page: &Path, shots: &Path, label: &str) {
    let run = |args: Vec<String>, url: String| {
        let out = Command::new(browser)
            .args(CHROMIUM_FLAGS)
            .args(["--virtual-time-budget=10000", "--hide-scrollbars"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .arg(url)
            .output()
            .unwrap();
        assert!(out.status.success(), "chromium failed for {label}");
    };
    let url = format!("file://{}", page.display());
    let wide = shots.join(format!("{label}-1400.png"));
    run(
        vec![
            "--window-size=1400,2400".into(),
            format!("--screenshot={}", wide.display()),
        ],
        url.clone(),
    );
    let name = page.file_name().unwrap().to_string_lossy();
    let frame = page.with_file_name("_frame.html");
    std::fs::write(
        &frame,
        format!(r#"<!DOCTYPE html><html><body style="margin:0;background:#888"><iframe src="{name}" style="width:{PHONE}px;height:2400px;border:0;background:#fff"></iframe></body></html>"#),
    )
    .unwrap();
    let phone = shots.join(format!("{label}-390.png"));
    run(
        vec![
            "--allow-file-access-from-files".into(),
            "--window-size=500,2400".into(),
            format!("--screenshot={}", phone.display()),
        ],
        format!("file://{}", frame.display()),
    );
    std::fs::remove_file(&frame).unwrap();
    let pdf = shots.join(format!("{label}-print.pdf"));
    run(
        vec![
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
        url,
    );
    for f in [wide, phone, pdf] {
        assert!(
            std::fs::metadata(&f).unwrap().len() > 1000,
            "{} is empty",
            f.display()
        );
    }
}

/// Every alert row (`class="alert-row"`) of a page: the row's links.
fn alert_rows(html: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("class=\"alert-row\"") {
        // The row ends where its element does: a table row or a list item (which may hold
        // nested lists in its details, so a table row is never cut at an inner `</li>`).
        let close = if rest[..i].ends_with("<tr ") {
            "</tr>"
        } else {
            "</li>"
        };
        rest = &rest[i..];
        let end = rest.find(close).unwrap_or(rest.len());
        rows.push(links(&rest[..end]));
        rest = &rest[end..];
    }
    rows
}

/// Every `href="..."` / `src="..."` value in a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            // As a browser reads an attribute: entities decoded.
            out.push(rest[..end].replace("&#x2F;", "/").replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// The axe-core script installed by `npm ci --prefix tools/web` (`.ci/run` does it); `None`
/// (and a visible skip of the audit, or a failure where CI requires the browser) when absent.
fn axe_js() -> Option<String> {
    let path = web_tools().join("node_modules/axe-core/axe.min.js");
    let found = std::fs::read_to_string(&path).ok();
    if found.is_none() {
        skip(
            "every_page_renders_in_chromium (accessibility audit)",
            "axe-core is not installed (run `npm ci --prefix tools/web`; .ci/run does)",
            "DRIFTSCOPE_REQUIRE_BROWSER",
        );
    }
    found
}

/// `tools/web/`: the npm packages of the browser test, pinned by its `package-lock.json`.
fn web_tools() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/web")
}

/// The axe-core rules' serious and critical violations on `page`, one line each (rule, help,
/// first elements); `None` when the audit reported nothing (it did not run).
fn axe_violations(browser: &Path, profile: &Path, site: &Path, page: &Path) -> Option<Vec<String>> {
    let depth = page.strip_prefix(site).unwrap().components().count() - 1;
    let html = std::fs::read_to_string(page).unwrap();
    let runner = format!(
        r#"<script src="{}_axe.min.js"></script><script>window.addEventListener("load",function(){{setTimeout(function(){{axe.run(document,{{resultTypes:["violations"]}}).then(function(r){{var bad=r.violations.filter(function(v){{return v.impact==="serious"||v.impact==="critical";}}).map(function(v){{return v.impact+" "+v.id+": "+v.help+" at "+v.nodes.slice(0,3).map(function(n){{return n.target.join(" ");}}).join(", ");}});var p=document.createElement("pre");p.id="axe-result";p.setAttribute("data-result",JSON.stringify(bad));document.body.appendChild(p);}});}},500);}});</script></body>"#,
        "../".repeat(depth)
    );
    let probe = page.with_file_name("_axe_probe.html");
    std::fs::write(&probe, html.replacen("</body>", &runner, 1)).unwrap();
    let args = ["--virtual-time-budget=20000", "--window-size=1280,1000"];
    let json = probe_attribute(browser, profile, &probe, &args, "data-result")?;
    serde_json::from_str(&json).ok()
}

/// Generated data with a hostile column name and category (they must render as text), the
/// default scenario monitored, a small detector evaluation; returns the site's folder.
fn generated_site(d: &Path) -> PathBuf {
    let csv = String::from_utf8(driftscope_data::generate_telco_csv(3000, 5))
        .unwrap()
        .replacen("gender", HOSTILE, 1)
        .replace(",Female,", ",<b>Female</b>,");
    std::fs::write(d.join("telco.csv"), csv).unwrap();
    std::fs::write(d.join("config.yaml"), "model:\n  n_trees: 30\n").unwrap();
    let scenario = train_and_simulate(
        d,
        "telco.csv",
        Some("config.yaml"),
        &["--batch-rows", "800"],
    );
    monitor_all(d, &scenario, Some("config.yaml"));
    evaluate_and_report(d, &[])
}

/// The real Telco file through the default scenario (default configuration), then the site.
fn real_site(d: &Path, csv: &Path) -> PathBuf {
    let csv = csv.to_str().unwrap();
    let scenario = train_and_simulate(d, csv, None, &[]);
    monitor_all(d, &scenario, None);
    evaluate_and_report(d, &["--data", csv])
}

/// A small detector evaluation (so the "Detector quality" page has its tables and charts),
/// then `report` with the templates folder; returns the site's folder.
fn evaluate_and_report(d: &Path, eval_data: &[&str]) -> PathBuf {
    let mut eval = vec![
        "eval",
        "--batches",
        "4",
        "--sizes",
        "50,500",
        "--splits",
        "1",
        "--out",
        "a/detector_evaluation.json",
    ];
    eval.extend(eval_data);
    ok(driftscope(&eval, d));
    let templates = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates");
    let index = ok(driftscope(
        &[
            "report",
            "--artifacts",
            "a",
            "--out",
            "site",
            "--templates",
            templates.to_str().unwrap(),
        ],
        d,
    ));
    d.join(index.trim()).parent().unwrap().to_path_buf()
}

/// What one page breaks: links, weight, console, charts, width, paths, plotly.js, alert rows,
/// accessibility. Returns the failures and the number of alert rows seen.
fn check_page(
    browser: &Path,
    d: &Path,
    site: &Path,
    page: &Path,
    axe: Option<&str>,
) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let rel = page
        .strip_prefix(site)
        .unwrap()
        .to_string_lossy()
        .to_string();
    let html = std::fs::read_to_string(page).unwrap();
    if html.len() > PAGE_BUDGET {
        failures.push(format!("{rel}: {} bytes (> {PAGE_BUDGET})", html.len()));
    }
    let weight = page_weight(page, &html);
    if weight > PAGE_WITH_ASSETS_BUDGET {
        failures.push(format!(
            "{rel}: {weight} bytes with its scripts and style sheet (> {PAGE_WITH_ASSETS_BUDGET})"
        ));
    }
    if html.contains("<script>alert(1)") || html.contains("<b>Female</b>") {
        failures.push(format!("{rel}: hostile text rendered as markup"));
    }
    for link in links(&html) {
        if link.starts_with("http") || link.starts_with('#') {
            failures.push(format!("{rel}: external or empty link {link}"));
            continue;
        }
        if !page.parent().unwrap().join(&link).exists() {
            failures.push(format!("{rel}: link {link} leads nowhere"));
        }
    }
    let profile = d.join("chrome-profile");
    failures.extend(rendering_failures(browser, &profile, page, &html, &rel));
    match scroll_width(browser, &profile, page, PHONE) {
        Some(w) if w <= PHONE => {}
        other => failures.push(format!("{rel}: {other:?} px wide at {PHONE} px")),
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let machine_paths = [
        d.to_string_lossy().to_string(),
        workspace,
        "/work/".into(),
        "/home/".into(),
        "/tmp/".into(),
    ];
    for p in machine_paths.iter().filter(|p| html.contains(p.as_str())) {
        failures.push(format!("{rel}: contains the absolute path {p}"));
    }
    let rows = alert_rows(&html);
    let seen = rows.len();
    for row in rows {
        let ok = row
            .iter()
            .any(|l| l.contains("batches/batch-") && page.parent().unwrap().join(l).is_file());
        if !ok {
            failures.push(format!(
                "{rel}: an alert row without a working batch link: {row:?}"
            ));
        }
    }
    if axe.is_some() {
        match axe_violations(browser, &profile, site, page) {
            Some(v) => failures.extend(v.into_iter().map(|v| format!("{rel}: axe: {v}"))),
            None => failures.push(format!("{rel}: the axe-core audit did not report")),
        }
    }
    (failures, seen)
}

/// The page in Chromium: console messages, charts without SVG, hostile text run as a script,
/// plotly.js loaded by a page without charts (or missing from one with charts).
fn rendering_failures(
    browser: &Path,
    profile: &Path,
    page: &Path,
    html: &str,
    rel: &str,
) -> Vec<String> {
    let mut failures = Vec::new();
    let charts = html.matches("class=\"chart\"").count();
    let out = Command::new(browser)
        .args(CHROMIUM_FLAGS)
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--window-size=1280,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    for line in log.lines().filter(|l| l.contains("CONSOLE")) {
        failures.push(format!("{rel}: console: {line}"));
    }
    let rendered = dom.matches("js-plotly-plot").count();
    if rendered < charts || (charts > 0 && !dom.contains("main-svg")) {
        failures.push(format!(
            "{rel}: {rendered} of {charts} charts rendered an SVG"
        ));
    }
    if dom.contains("<script>alert(1)") {
        failures.push(format!("{rel}: hostile text became a script"));
    }
    let loads_plotly = html.contains("plotly.min.js");
    if loads_plotly != (charts > 0) {
        failures.push(format!(
            "{rel}: {charts} charts, loads plotly.js: {loads_plotly}"
        ));
    }
    failures
}

/// The README's page-weight budget: every HTML page under 2 MB by itself ...
const PAGE_BUDGET: usize = 2_000_000;
/// ... and under 1.6 MB with the scripts and style sheet it loads (plotly.js's cartesian
/// bundle is 1.33 MB of it).
const PAGE_WITH_ASSETS_BUDGET: u64 = 1_600_000;

/// The bytes a browser fetches for `page`: the HTML plus every local script and style sheet.
fn page_weight(page: &Path, html: &str) -> u64 {
    let assets: u64 = links(html)
        .iter()
        .filter(|l| l.ends_with(".js") || l.ends_with(".css"))
        .filter_map(|l| std::fs::metadata(page.parent().unwrap().join(l)).ok())
        .map(|m| m.len())
        .sum();
    html.len() as u64 + assets
}

/// The overview's lead (its verdict section) as text: what a screen reader reads first.
fn overview_lead(site: &Path) -> String {
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    let start = html.find("<section class=\"verdict").unwrap();
    let end = html[start..].find("</section>").unwrap() + start;
    text_of(&html[start..end])
}

/// `html` as the words a reader sees: without tags, scripts and the labelled `<details>`
/// cells (where identifiers may stay).
fn text_of(html: &str) -> String {
    let mut html = html.to_string();
    for (open, close) in [("<script", "</script>"), ("<details", "</details>")] {
        while let Some(a) = html.find(open) {
            let b = html[a..]
                .find(close)
                .map_or(html.len(), |b| a + b + close.len());
            html.replace_range(a..b, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The lead says what happened, why and what to do, without an identifier in capitals (like
/// `DATA_DRIFT`) or a bare statistic (`z =`, `psi 2.5`, standard errors, raw floats).
fn lead_failures(lead: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for part in ["Why:", "What to do:", "Recommendation:"] {
        if !lead.contains(part) {
            failures.push(format!("overview lead lacks {part:?}: {lead}"));
        }
    }
    let words: Vec<&str> = lead.split_whitespace().collect();
    for w in &words {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        let caps = w.chars().take_while(char::is_ascii_uppercase).count();
        if caps >= 3 && w[caps..].starts_with('_') {
            failures.push(format!("overview lead names the identifier {w}"));
        }
        // A number with more than 3 decimals is a raw float nobody reads aloud.
        if w.split('.')
            .nth(1)
            .is_some_and(|dec| dec.len() > 3 && dec.chars().all(|c| c.is_ascii_digit()))
        {
            failures.push(format!("overview lead prints the raw number {w}"));
        }
    }
    let lower = lead.to_lowercase();
    for jargon in [
        "z =",
        "psi ",
        "standard error",
        "p-value",
        "p =",
        "ks ",
        "chi-square",
    ] {
        if lower.contains(jargon) {
            failures.push(format!("overview lead uses {jargon:?} without its meaning"));
        }
    }
    // The ranking quality is a number only with its scale.
    if (lower.contains("auc") || lower.contains("out of 1")) && !lower.contains("coin toss") {
        failures.push(format!(
            "overview lead states a ranking quality without its scale: {lead}"
        ));
    }
    failures
}

/// Batch pages and Reports speak in plain words outside their labelled details: no identifier
/// in capitals (`CONCEPT_DRIFT`), no `z =`, no "standard errors".
fn internals_failures(site: &Path, pages: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    let checked = pages
        .iter()
        .filter(|p| p.to_string_lossy().contains("/batches/") || p.ends_with("reports.html"));
    for page in checked {
        let rel = page.strip_prefix(site).unwrap().display().to_string();
        let text = text_of(&std::fs::read_to_string(page).unwrap());
        for w in text.split_whitespace() {
            let caps = w.chars().take_while(char::is_ascii_uppercase).count();
            if caps >= 3 && w[caps..].starts_with('_') {
                failures.push(format!(
                    "{rel}: shows the identifier {w} outside its details"
                ));
            }
        }
        for jargon in ["z = ", "standard errors"] {
            if text.contains(jargon) {
                failures.push(format!("{rel}: shows {jargon:?} outside its details"));
            }
        }
    }
    failures
}

/// Every check on every page of `site`, the downloads, the overview's lead, then the
/// screenshots (named `{prefix}overview-1400.png` and so on).
fn check_site(browser: &Path, d: &Path, site: &Path, prefix: &str) {
    let pages = html_files(site);
    assert!(pages.len() >= 6 + 19 + 5, "{} pages", pages.len());
    let detector = std::fs::read_to_string(site.join("detector.html")).unwrap();
    assert!(
        detector.contains("Performance rules:")
            && detector.contains("Detection power for injected concept drift"),
        "the Detector quality page shows the performance rules"
    );
    let axe = axe_js();
    if let Some(js) = &axe {
        std::fs::write(site.join("_axe.min.js"), js).unwrap();
    }
    let mut failures = Vec::new();
    let mut alert_rows_seen = 0;
    for page in &pages {
        let (f, seen) = check_page(browser, d, site, page, axe.as_deref());
        failures.extend(f);
        alert_rows_seen += seen;
    }
    if axe.is_some() {
        std::fs::remove_file(site.join("_axe.min.js")).unwrap();
    }
    for f in [
        "reports/executive_summary.md",
        "reports/executive_summary.json",
        "reports/technical_report.md",
        "reports/technical_report.json",
        "assets/plotly.min.js",
    ] {
        assert!(site.join(f).exists(), "{f}");
    }
    shipped_plotly_is_npms(site);
    assert!(
        alert_rows_seen > 0,
        "no alert row on any page: the scenario raises alerts"
    );
    failures.extend(lead_failures(&overview_lead(site)));
    failures.extend(internals_failures(site, &pages));
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let latest_batch = pages
        .iter()
        .rfind(|p| p.to_string_lossy().contains("/batches/"))
        .unwrap()
        .clone();
    for (label, page) in [
        ("overview", site.join("index.html")),
        ("batch", latest_batch),
        ("drift", site.join("drift.html")),
        ("feature", site.join("features/feature-contract.html")),
    ] {
        let label = format!("{prefix}{label}");
        screenshots(browser, &d.join("chrome-profile"), &page, &shots, &label);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The plotly.js the site ships is byte for byte the cartesian bundle npm installs from the
/// lock file (when installed).
fn shipped_plotly_is_npms(site: &Path) {
    let npm = web_tools().join("node_modules/plotly.js-cartesian-dist-min/plotly-cartesian.min.js");
    if let Ok(expected) = std::fs::read(&npm) {
        assert!(
            std::fs::read(site.join("assets/plotly.min.js")).unwrap() == expected,
            "assets/plotly.min.js differs from {}",
            npm.display()
        );
    }
}

#[test]
fn every_page_renders_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = generated_site(dir.path());
    // The hostile feature has its own page, with its name as text.
    let hostile_page = html_files(&site)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|h| h.contains("&lt;&#x2F;script&gt;") || h.contains("&lt;/script&gt;"));
    assert!(
        hostile_page.is_some(),
        "the hostile column's name is shown escaped somewhere"
    );
    check_site(&browser, dir.path(), &site, "");
}

#[test]
fn every_page_renders_in_chromium_on_the_real_file() {
    let Some(csv) = real_telco_for("every_page_renders_in_chromium_on_the_real_file") else {
        return;
    };
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = real_site(dir.path(), &csv);
    check_site(&browser, dir.path(), &site, "real-");
}
