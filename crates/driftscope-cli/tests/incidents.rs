//! Incidents across batches: a problem lasting five batches is one incident with five updates,
//! and the webhook (a local server) gets its opening and its resolution, not five posts.
#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

mod common;

use common::*;

use driftscope_artifacts::{
    read_artifact, Action, AlertType, AlertsHistory, IncidentStatus, MonitoringResult,
};

/// `generate`d rows (seed `seed`) with TotalCharges blank on 30% of them when `broken`.
fn batch(dir: &std::path::Path, name: &str, seed: u32, broken: bool) {
    let seed = seed.to_string();
    ok(driftscope(
        &["generate", "--rows", "500", "--seed", &seed, "--out", name],
        dir,
    ));
    if !broken {
        return;
    }
    let csv = std::fs::read_to_string(dir.join(name)).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let col = header.split(',').position(|c| c == "TotalCharges").unwrap();
    let mut out = format!("{header}\n");
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        if i % 10 < 3 {
            cells[col] = "";
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    std::fs::write(dir.join(name), out).unwrap();
}

#[test]
fn five_broken_batches_are_one_incident_posted_on_open_and_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (url, bodies) = webhook_server();
    std::fs::write(
        d.join("c.yaml"),
        format!("alerts:\n  webhook_url: \"{url}\"\n  webhook_retries: 0\n"),
    )
    .unwrap();
    ok(driftscope(
        &["train", "--config", "c.yaml", "--artifacts", "a"],
        d,
    ));
    for week in 1..=6u32 {
        let (name, id) = (format!("w{week}.csv"), format!("week-0{week}"));
        batch(d, &name, 100 + week, week <= 5);
        let ts = format!("2026-02-0{week}T00:00:00Z");
        ok(driftscope(
            &[
                "monitor",
                "--batch",
                &name,
                "--batch-id",
                &id,
                "--timestamp",
                &ts,
                "--artifacts",
                "a",
                "--config",
                "c.yaml",
            ],
            d,
        ));
    }
    // Only 30% blanks in one numerical column: the data-quality verdict is raised, names the
    // column and its share, and the advice is to fix the feed.
    for week in 1..=5 {
        let r: MonitoringResult =
            read_artifact(&d.join(format!("a/batches/week-0{week}/monitoring_result.json")))
                .unwrap();
        assert_eq!(
            r.retraining.action,
            Action::FixDataPipeline,
            "{:?}",
            r.retraining
        );
        assert!(
            r.retraining.action_reason.contains("TotalCharges 30."),
            "{:?}",
            r.retraining
        );
        assert!(!r.retraining.should_retrain);
    }
    let h: AlertsHistory = read_artifact(&d.join("a/alerts_history.json")).unwrap();
    let quality: Vec<_> = h
        .incidents
        .iter()
        .filter(|i| i.alert_type == AlertType::DataQuality)
        .collect();
    assert_eq!(quality.len(), 1, "{:#?}", h.incidents);
    let inc = quality[0];
    assert_eq!(inc.id, "DATA_QUALITY@week-01");
    assert_eq!(inc.updates.len(), 5);
    assert_eq!(inc.status, IncidentStatus::Resolved);
    assert_eq!(inc.resolved_by.as_deref(), Some("week-06"));
    // The per-batch evaluations are kept too: one DATA_QUALITY alert on each broken batch.
    let per_batch = h
        .alerts
        .iter()
        .filter(|a| a.alert_type == AlertType::DataQuality)
        .count();
    assert_eq!(per_batch, 5);

    check_posts(&bodies.lock().unwrap());
}

/// The webhook got the DATA_QUALITY incident's opening (week-01) and resolution (week-06),
/// only escalations between them, and at most one post per batch.
fn check_posts(posted: &[String]) {
    let lines: Vec<String> = posted
        .iter()
        .flat_map(|b| {
            let v: serde_json::Value = serde_json::from_str(b).unwrap();
            let text = v["text"].as_str().unwrap().to_string();
            text.lines().map(str::to_string).collect::<Vec<_>>()
        })
        .filter(|l| l.contains("DATA_QUALITY"))
        .collect();
    assert!(lines.len() >= 2, "{posted:#?}");
    assert!(
        lines[0].contains("incident opened") && lines[0].contains("week-01"),
        "{lines:?}"
    );
    let last = lines.last().unwrap();
    assert!(
        last.contains("incident resolved") && last.contains("week-06"),
        "{lines:?}"
    );
    assert!(
        lines[1..lines.len() - 1]
            .iter()
            .all(|l| l.contains("incident escalated")),
        "only escalations between open and resolve: {lines:?}"
    );
    assert!(posted.len() <= 6, "at most one post per batch: {posted:#?}");
    assert!(posted.iter().all(|b| !b.contains("secret")));
}
