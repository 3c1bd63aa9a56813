//! The report site in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/run`) opens every page from `file://`; the test fails on any console message, a chart
//! that rendered no SVG, a link or resource that leads nowhere, or a page over 2 MB. Screenshots
//! go to `target/screenshots/` for a human to look at.

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

#[test]
fn every_page_renders_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Generated data with a hostile column name and category: they must render as text.
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
    // A small detector evaluation, so the "Detector quality" page has its tables and charts.
    ok(driftscope(
        &[
            "eval",
            "--batches",
            "4",
            "--sizes",
            "50,500",
            "--splits",
            "1",
            "--out",
            "a/detector_evaluation.json",
        ],
        d,
    ));
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
    let site = d.join(index.trim()).parent().unwrap().to_path_buf();
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let pages = html_files(&site);
    assert!(pages.len() >= 6 + 19, "{} pages", pages.len());
    let detector = std::fs::read_to_string(site.join("detector.html")).unwrap();
    assert!(
        detector.contains("Performance rules: generated")
            && detector.contains("Detection power for injected concept drift"),
        "the Detector quality page shows the performance rules"
    );
    let mut failures = Vec::new();
    for page in &pages {
        let rel = page
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let html = std::fs::read_to_string(page).unwrap();
        if html.len() > 2_000_000 {
            failures.push(format!("{rel}: {} bytes (> 2 MB)", html.len()));
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
        let charts = html.matches("class=\"chart\"").count();
        let out = Command::new(&browser)
            .args(CHROMIUM_FLAGS)
            .args([
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=10000",
                "--window-size=1280,1000",
            ])
            .arg(format!(
                "--user-data-dir={}",
                d.join("chrome-profile").display()
            ))
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
        let shot = shots.join(rel.replace('/', "_").replace(".html", ".png"));
        let _ = Command::new(&browser)
            .args(CHROMIUM_FLAGS)
            .args([
                "--virtual-time-budget=10000",
                "--window-size=1280,1000",
                "--hide-scrollbars",
            ])
            .arg(format!(
                "--user-data-dir={}",
                d.join("chrome-profile").display()
            ))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", page.display()))
            .output();
    }
    // The hostile feature has its own page, with its name as text.
    let hostile_page = pages
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|h| h.contains("&lt;&#x2F;script&gt;") || h.contains("&lt;/script&gt;"));
    assert!(
        hostile_page.is_some(),
        "the hostile column's name is shown escaped somewhere"
    );
    // Downloads next to the pages.
    for f in [
        "reports/executive_summary.md",
        "reports/executive_summary.json",
        "reports/technical_report.md",
        "reports/technical_report.json",
        "assets/plotly.min.js",
    ] {
        assert!(site.join(f).exists(), "{f}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
