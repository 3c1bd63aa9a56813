//! Incidents across batches: rebuilt from the histories (every monitored batch in time order
//! with its alerts), so a re-run or a back-filled batch gives the same incidents as a run in
//! order would; and the incident events one batch causes, which the webhook posts.

use driftscope_alerting::{build_incidents, incident_events, BatchAlerts};
use driftscope_artifacts::{Incident, IncidentEvent};

use crate::store::Histories;

/// The incidents of the batches in `h` (time order: the performance history's), leaving out
/// the batch `without` when given.
fn incidents_of(h: &Histories, without: Option<&str>) -> Vec<Incident> {
    let batches: Vec<BatchAlerts<'_>> = h
        .performance
        .entries
        .iter()
        .filter(|e| Some(e.batch_id.as_str()) != without)
        .map(|e| BatchAlerts {
            batch_id: &e.batch_id,
            timestamp: &e.timestamp,
            alerts: h
                .alerts
                .alerts
                .iter()
                .filter(|a| a.batch_id == e.batch_id)
                .collect(),
        })
        .collect();
    build_incidents(&batches)
}

/// Stores the incidents of `h` (which already holds batch `batch_id`) in its alerts history
/// and returns the events that batch caused: the difference between the incidents without
/// it and with it. A re-run of the same batch therefore causes the same events as its first
/// run (and the outbox does not post them twice).
pub fn record_incidents(h: &mut Histories, batch_id: &str) -> Vec<IncidentEvent> {
    let before = incidents_of(h, Some(batch_id));
    let after = incidents_of(h, None);
    let events = incident_events(&before, &after);
    h.alerts.incidents = after;
    events
}
