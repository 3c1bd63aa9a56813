//! The output-folder rules, through [`crate::render`].

use std::path::{Path, PathBuf};

use super::SITE_MARKER;
use crate::fixtures::{site_data, templates, two_batches, write_artifacts};
use crate::{render, ReportError, UnsafeOutput};

/// A temporary folder holding `artifacts/` with two monitored batches.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let artifacts = tmp.path().join("artifacts");
    write_artifacts(&artifacts, &site_data(two_batches()));
    (tmp, artifacts)
}

fn refusal(result: Result<crate::SiteSummary, ReportError>) -> UnsafeOutput {
    match result {
        Err(ReportError::UnsafeOutput { reason, .. }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn renders_into_an_absent_folder_and_marks_it() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    let summary = render(&artifacts, &templates(), &out).unwrap();
    assert_eq!(summary.index, out.join("index.html"));
    assert!(summary.index.is_file());
    assert!(out.join(SITE_MARKER).is_file());
    assert!(out.join("reports/technical_report.json").is_file());
    assert_eq!(summary.pages.len(), 10, "6 pages, 2 features, 2 batches");
    assert_eq!(
        names(tmp.path()),
        [".site.driftscope-lock", "artifacts", "site"],
        "no staging or set-aside folder is left"
    );
}

#[test]
fn replaces_an_earlier_site_whole() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    render(&artifacts, &templates(), &out).unwrap();
    std::fs::write(out.join("stale.html"), "old").unwrap();
    render(&artifacts, &templates(), &out).unwrap();
    assert!(!out.join("stale.html").exists());
    assert!(out.join("index.html").is_file());
}

#[test]
fn replaces_an_empty_folder() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("empty");
    std::fs::create_dir(&out).unwrap();
    render(&artifacts, &templates(), &out).unwrap();
    assert!(out.join("index.html").is_file());
}

#[test]
fn replaces_a_site_written_before_the_marker_existed() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    render(&artifacts, &templates(), &out).unwrap();
    std::fs::remove_file(out.join(SITE_MARKER)).unwrap();
    render(&artifacts, &templates(), &out).unwrap();
    assert!(out.join(SITE_MARKER).is_file());
}

#[test]
fn refuses_the_artifacts_folder() {
    let (_tmp, artifacts) = workspace();
    let before = names(&artifacts);
    let reason = refusal(render(&artifacts, &templates(), &artifacts));
    assert_eq!(reason, UnsafeOutput::IsArtifacts);
    assert_eq!(names(&artifacts), before, "the artifacts are untouched");
}

#[test]
fn refuses_a_folder_inside_the_artifacts() {
    let (_tmp, artifacts) = workspace();
    let out = artifacts.join("batches");
    let reason = refusal(render(&artifacts, &templates(), &out));
    assert!(
        matches!(reason, UnsafeOutput::InsideArtifacts(_)),
        "{reason:?}"
    );
    assert!(out.join("b1/monitoring_result.json").is_file());
    // Not yet existing, and spelled with `..`: still inside.
    let sneaky = artifacts.join("new/../site");
    let reason = refusal(render(&artifacts, &templates(), &sneaky));
    assert!(
        matches!(reason, UnsafeOutput::InsideArtifacts(_)),
        "{reason:?}"
    );
}

#[test]
fn refuses_a_folder_that_contains_the_artifacts() {
    let (tmp, artifacts) = workspace();
    let reason = refusal(render(&artifacts, &templates(), tmp.path()));
    assert!(
        matches!(reason, UnsafeOutput::ContainsArtifacts(_)),
        "{reason:?}"
    );
    assert!(artifacts.join("models/champion.json").is_file());
}

#[test]
fn refuses_a_folder_it_did_not_write() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("documents");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.txt"), "precious").unwrap();
    let err = render(&artifacts, &templates(), &out).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("documents"), "{message}");
    assert!(message.contains("refusing"), "{message}");
    assert_eq!(refusal(Err(err)), UnsafeOutput::NotASite);
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "precious"
    );
    assert!(!tmp.path().join(".documents.driftscope-lock").exists());
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    assert_eq!(
        refusal(render(&artifacts, &templates(), &file)),
        UnsafeOutput::NotAFolder
    );
}

#[test]
fn clears_only_its_own_stale_staging_folders() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    let stale = [
        ".site.driftscope-staging-99999-0",
        ".site.driftscope-old-99999-3",
    ];
    let kept = [
        ".other.driftscope-staging-1-0",
        ".site.staging",
        ".site-keep",
    ];
    for name in stale.iter().chain(&kept) {
        std::fs::create_dir_all(tmp.path().join(name).join("assets")).unwrap();
    }
    render(&artifacts, &templates(), &out).unwrap();
    for name in stale {
        assert!(!tmp.path().join(name).exists(), "{name} was left");
    }
    for name in kept {
        assert!(tmp.path().join(name).exists(), "{name} was removed");
    }
}

#[test]
fn a_failed_render_leaves_the_earlier_site() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    render(&artifacts, &templates(), &out).unwrap();
    // Templates without style.css: the pages render, the assets fail.
    let broken = tmp.path().join("templates");
    std::fs::create_dir(&broken).unwrap();
    for e in std::fs::read_dir(templates()).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "html") {
            std::fs::copy(&path, broken.join(path.file_name().unwrap())).unwrap();
        }
    }
    assert!(matches!(
        render(&artifacts, &broken, &out),
        Err(ReportError::Io { .. })
    ));
    assert!(out.join("index.html").is_file());
    assert!(out.join(SITE_MARKER).is_file());
    assert!(
        !names(tmp.path())
            .iter()
            .any(|n| n.contains("driftscope-staging")),
        "the staging folder is removed"
    );
}

#[test]
fn waits_for_another_report_holding_the_lock() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    let lock = std::fs::File::create(tmp.path().join(".site.driftscope-lock")).unwrap();
    lock.lock().unwrap();
    let worker = {
        let (artifacts, out) = (artifacts.clone(), out.clone());
        std::thread::spawn(move || render(&artifacts, &templates(), &out).map(|_| ()))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!out.exists(), "rendered while another report held the lock");
    assert!(!worker.is_finished());
    drop(lock);
    worker.join().unwrap().unwrap();
    assert!(out.join("index.html").is_file());
}

#[test]
fn concurrent_reports_all_succeed_with_a_whole_site() {
    let (tmp, artifacts) = workspace();
    let out = tmp.path().join("site");
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (artifacts, out) = (artifacts.clone(), out.clone());
            std::thread::spawn(move || render(&artifacts, &templates(), &out).map(|s| s.bytes))
        })
        .collect();
    let sizes: Vec<u64> = workers
        .into_iter()
        .map(|w| w.join().unwrap().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] == w[1]), "{sizes:?}");
    assert!(out.join("index.html").is_file());
    assert!(out.join("assets/plotly.min.js").is_file());
    assert_eq!(
        names(tmp.path()),
        [".site.driftscope-lock", "artifacts", "site"]
    );
}
