//! Incidents: one problem followed across batches. An incident of an alert type opens on the
//! first batch (in time order) that raises that type, is updated by every following batch that
//! still raises it, and resolves on the first batch that does not. The webhook posts the
//! incident events (open, escalation, resolve), not every batch's alerts.

use serde::{Deserialize, Serialize};

use crate::{AlertSeverity, AlertType};

closed_set!(
    /// Where an incident stands.
    IncidentStatus {
        /// The condition still held on the last batch.
        Open = "open",
        /// A later batch no longer raised it.
        Resolved = "resolved",
    }
);

closed_set!(
    /// What happened to an incident on a batch; the events the webhook posts.
    IncidentEventKind {
        /// The first batch raising the alert type.
        Opened = "opened",
        /// A batch raised it more severely than any earlier batch of the incident.
        Escalated = "escalated",
        /// The first batch no longer raising it.
        Resolved = "resolved",
    }
);

/// One batch's evaluation within an incident: the most severe alert of the type on that batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentUpdate {
    /// The batch.
    pub batch_id: String,
    /// Its timestamp.
    pub timestamp: String,
    /// Severity of the alert on this batch.
    pub severity: AlertSeverity,
    /// The alert's value (its `quantity`).
    pub value: f64,
    /// The alert's threshold (same quantity).
    pub threshold: f64,
    /// The alert's one-line reason.
    pub reason: String,
}

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id: `<ALERT_TYPE>@<batch that opened it>`.
    pub id: String,
    /// The alert type followed.
    pub alert_type: AlertType,
    /// Open or resolved.
    pub status: IncidentStatus,
    /// Severity on the latest update.
    pub severity: AlertSeverity,
    /// Highest severity over the updates.
    pub max_severity: AlertSeverity,
    /// What the value and threshold measure (the alert's `quantity`).
    pub quantity: String,
    /// The batch that resolved it (the first without the alert type), if any.
    pub resolved_by: Option<String>,
    /// Its timestamp.
    pub resolved_at: Option<String>,
    /// One update per batch that raised the type, in time order (the first opened it).
    pub updates: Vec<IncidentUpdate>,
}

/// An incident event: what the webhook posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentEvent {
    /// Opened, escalated or resolved.
    pub kind: IncidentEventKind,
    /// The incident.
    pub incident_id: String,
    /// Its alert type.
    pub alert_type: AlertType,
    /// Severity at the event (for a resolve: the incident's highest).
    pub severity: AlertSeverity,
    /// The batch where it happened.
    pub batch_id: String,
    /// One line for a person.
    pub summary: String,
}
