//! The webhook outbox: a batch's incident events (opened, escalated, resolved; see
//! [`crate::steps::record_incidents`]) are recorded for delivery inside the monitor run's
//! transaction and delivered only after it committed. A failed run therefore sends nothing, a
//! batch that only continues an open incident sends nothing, and a batch monitored again with
//! the same events is never sent twice (the outbox remembers what was delivered, by batch id
//! and a digest of the events).

use driftscope_artifacts::{
    read_artifact, Artifact, Config, Delivery, IncidentEvent, MonitoringResult,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::monitor::MonitoringOutcome;
use crate::store::ArtifactStore;
use crate::transaction::Transaction;

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Committed, not yet delivered.
    Pending,
    /// Delivered.
    Delivered,
    /// Delivery failed after every retry (not tried again).
    Failed,
}

/// One batch's alerts waiting for, or done with, delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The batch.
    pub batch_id: String,
    /// SHA-256 of the events.
    pub digest: String,
    /// The incident events to post (none in version 1 files).
    #[serde(default)]
    pub events: Vec<IncidentEvent>,
    /// Where delivery stands.
    pub state: OutboxState,
    /// The outcome of the delivery, once tried.
    pub delivery: Option<Delivery>,
}

/// `webhook_outbox.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookOutbox {
    /// Entries, one per batch id.
    pub entries: Vec<OutboxEntry>,
}

impl Artifact for WebhookOutbox {
    const KIND: &'static str = "webhook_outbox";
    /// Version 2 posts incident events instead of every batch's alerts. A version 1 outbox
    /// reads with no events, so its pending entries are never posted (the incidents rebuilt
    /// on the next batch supersede them).
    const SCHEMA_VERSION: u32 = 2;
    fn readable_versions() -> Vec<u32> {
        vec![1, 2]
    }
}

fn path(store: &ArtifactStore) -> std::path::PathBuf {
    store.root().join("webhook_outbox.json")
}

fn read(store: &ArtifactStore) -> Result<WebhookOutbox> {
    let p = path(store);
    Ok(if p.exists() {
        read_artifact(&p)?
    } else {
        WebhookOutbox::default()
    })
}

fn digest(events: &[IncidentEvent]) -> Result<String> {
    let json = serde_json::to_vec(events).map_err(|e| crate::Error::Invalid(e.to_string()))?;
    Ok(format!("{:x}", Sha256::digest(&json)))
}

/// Records the outcome's incident events for delivery in `tx` (when a webhook is configured).
/// Events already delivered for this batch are not queued again; their delivery record is
/// copied into the outcome.
pub fn stage(
    store: &ArtifactStore,
    tx: &mut Transaction,
    outcome: &mut MonitoringOutcome,
    cfg: &Config,
) -> Result<()> {
    if cfg.alerts.webhook_url.is_empty() {
        return Ok(());
    }
    let mut outbox = read(store)?;
    let id = outcome.result.batch_id.clone();
    let events = &outcome.events;
    let d = digest(events)?;
    let done = outbox
        .entries
        .iter()
        .find(|e| e.batch_id == id && e.digest == d)
        .cloned();
    match done {
        Some(e) => {
            if let Some(delivery) = &e.delivery {
                record_delivery(outcome, delivery);
            }
        }
        None => {
            outbox.entries.retain(|e| e.batch_id != id);
            if !events.is_empty() {
                outbox.entries.push(OutboxEntry {
                    batch_id: id,
                    digest: d,
                    events: events.clone(),
                    state: OutboxState::Pending,
                    delivery: None,
                });
            }
        }
    }
    tx.stage(&path(store), &outbox)
}

/// Adds `delivery` to every alert of the outcome's batch (result and alerts history).
fn record_delivery(outcome: &mut MonitoringOutcome, delivery: &Delivery) {
    let id = outcome.result.batch_id.clone();
    for a in &mut outcome.result.alerts {
        a.deliveries.push(delivery.clone());
    }
    for a in outcome.histories.alerts.alerts.iter_mut() {
        if a.batch_id == id {
            a.deliveries.push(delivery.clone());
        }
    }
}

/// Delivers every pending entry, then commits the outcomes (outbox, the batches' results and
/// the alerts history). Returns the updated results.
pub fn deliver_pending(store: &ArtifactStore, cfg: &Config) -> Result<Vec<MonitoringResult>> {
    if cfg.alerts.webhook_url.is_empty() {
        return Ok(Vec::new());
    }
    let mut outbox = read(store)?;
    let mut histories = store.histories()?;
    let mut results = Vec::new();
    for e in outbox
        .entries
        .iter_mut()
        .filter(|e| e.state == OutboxState::Pending && !e.events.is_empty())
    {
        let d = driftscope_alerting::deliver(
            &cfg.alerts.webhook_url,
            &driftscope_alerting::slack_body(&e.events),
            std::time::Duration::from_secs_f64(cfg.alerts.webhook_timeout_secs),
            cfg.alerts.webhook_retries,
        );
        if !d.delivered {
            eprintln!(
                "warning: webhook delivery failed after {} attempts: {}",
                d.attempts,
                d.error.as_deref().unwrap_or("?")
            );
        }
        e.state = if d.delivered {
            OutboxState::Delivered
        } else {
            OutboxState::Failed
        };
        e.delivery = Some(d.clone());
        let mut result = store.batch_result(&e.batch_id)?;
        for a in &mut result.alerts {
            a.deliveries.push(d.clone());
        }
        for a in histories.alerts.alerts.iter_mut() {
            if a.batch_id == e.batch_id {
                a.deliveries.push(d.clone());
            }
        }
        results.push(result);
    }
    if results.is_empty() {
        return Ok(results);
    }
    let mut tx = Transaction::new(store.root());
    for r in &results {
        tx.stage(
            &store.batch_dir(&r.batch_id).join("monitoring_result.json"),
            r,
        )?;
    }
    tx.stage(&store.alerts_path(), &histories.alerts)?;
    tx.stage(&path(store), &outbox)?;
    tx.commit()?;
    Ok(results)
}
