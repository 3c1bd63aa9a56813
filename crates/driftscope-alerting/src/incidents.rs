//! Incidents across batches (a pure fold over the per-batch alerts in time order) and the
//! events between two incident lists, which are what the webhook posts.
//!
//! Rule: per alert type, an incident opens on the first batch raising that type, gets one
//! update per following batch that still raises it (its most severe alert of the type) and
//! resolves on the first batch that does not. Events: `opened` (the incident is new),
//! `escalated` (its highest severity rose), `resolved` (it was open and is now resolved).

use std::collections::BTreeMap;

use driftscope_artifacts::{
    Alert, AlertType, Incident, IncidentEvent, IncidentEventKind, IncidentStatus, IncidentUpdate,
};

/// One monitored batch, in time order, with the alerts it raised (possibly none).
#[derive(Debug, Clone)]
pub struct BatchAlerts<'a> {
    /// The batch id.
    pub batch_id: &'a str,
    /// Its timestamp.
    pub timestamp: &'a str,
    /// Its alerts.
    pub alerts: Vec<&'a Alert>,
}

/// The incidents formed by `batches` (in time order), ordered by opening batch, then type.
///
/// # Example
/// ```
/// use driftscope_alerting::{build_incidents, BatchAlerts};
/// assert!(build_incidents(&[BatchAlerts { batch_id: "b1", timestamp: "t1", alerts: vec![] }]).is_empty());
/// ```
pub fn build_incidents(batches: &[BatchAlerts<'_>]) -> Vec<Incident> {
    let mut incidents: Vec<Incident> = Vec::new();
    let mut open: BTreeMap<AlertType, usize> = BTreeMap::new();
    for b in batches {
        let worst = worst_by_type(&b.alerts);
        for (ty, a) in &worst {
            let update = IncidentUpdate {
                batch_id: b.batch_id.to_string(),
                timestamp: b.timestamp.to_string(),
                severity: a.severity,
                value: a.value,
                threshold: a.threshold,
                reason: a.reason.clone(),
            };
            match open.get(ty) {
                Some(&k) => {
                    let inc = &mut incidents[k];
                    inc.severity = a.severity;
                    inc.max_severity = inc.max_severity.max(a.severity);
                    inc.updates.push(update);
                }
                None => {
                    open.insert(*ty, incidents.len());
                    incidents.push(Incident {
                        id: format!("{ty}@{}", b.batch_id),
                        alert_type: *ty,
                        status: IncidentStatus::Open,
                        severity: a.severity,
                        max_severity: a.severity,
                        quantity: a.quantity.clone(),
                        resolved_by: None,
                        resolved_at: None,
                        updates: vec![update],
                    });
                }
            }
        }
        open.retain(|ty, &mut k| {
            if worst.contains_key(ty) {
                return true;
            }
            let inc = &mut incidents[k];
            inc.status = IncidentStatus::Resolved;
            inc.resolved_by = Some(b.batch_id.to_string());
            inc.resolved_at = Some(b.timestamp.to_string());
            false
        });
    }
    incidents
}

/// The most severe alert of each type (the first of equal severity).
fn worst_by_type<'a>(alerts: &[&'a Alert]) -> BTreeMap<AlertType, &'a Alert> {
    let mut worst: BTreeMap<AlertType, &Alert> = BTreeMap::new();
    for a in alerts {
        match worst.get(&a.alert_type) {
            Some(w) if w.severity >= a.severity => {}
            _ => {
                worst.insert(a.alert_type, a);
            }
        }
    }
    worst
}

/// What changed from `before` to `after` (incident lists of [`build_incidents`]): incidents
/// opened, escalated or resolved, in the order of `after`.
///
/// # Example
/// ```
/// use driftscope_alerting::incident_events;
/// assert!(incident_events(&[], &[]).is_empty());
/// ```
pub fn incident_events(before: &[Incident], after: &[Incident]) -> Vec<IncidentEvent> {
    let mut events = Vec::new();
    for inc in after {
        let old = before.iter().find(|b| b.id == inc.id);
        let Some(last) = inc.updates.last() else {
            continue;
        };
        match old {
            None => events.push(event(inc, IncidentEventKind::Opened, &inc.updates[0])),
            Some(o) if inc.max_severity > o.max_severity => {
                events.push(event(inc, IncidentEventKind::Escalated, last));
            }
            Some(_) => {}
        }
        let was_open = old.is_none_or(|o| o.status == IncidentStatus::Open);
        if inc.status == IncidentStatus::Resolved && was_open {
            events.push(resolved(inc));
        }
    }
    events
}

fn event(inc: &Incident, kind: IncidentEventKind, u: &IncidentUpdate) -> IncidentEvent {
    let verb = match kind {
        IncidentEventKind::Escalated => "escalated to",
        _ => "opened as",
    };
    IncidentEvent {
        kind,
        incident_id: inc.id.clone(),
        alert_type: inc.alert_type,
        severity: u.severity,
        batch_id: u.batch_id.clone(),
        summary: format!(
            "{} {verb} {} on {}: {}",
            inc.alert_type, u.severity, u.batch_id, u.reason
        ),
    }
}

fn resolved(inc: &Incident) -> IncidentEvent {
    let by = inc.resolved_by.clone().unwrap_or_default();
    IncidentEvent {
        kind: IncidentEventKind::Resolved,
        incident_id: inc.id.clone(),
        alert_type: inc.alert_type,
        severity: inc.max_severity,
        batch_id: by.clone(),
        summary: format!(
            "{} resolved on {by} after {} batch(es) (worst {})",
            inc.alert_type,
            inc.updates.len(),
            inc.max_severity
        ),
    }
}

#[cfg(test)]
mod tests {
    use driftscope_artifacts::{AlertSeverity, Direction};

    use super::*;

    fn alert(batch: &str, ty: AlertType, severity: AlertSeverity) -> Alert {
        Alert {
            batch_id: batch.into(),
            timestamp: format!("t-{batch}"),
            alert_type: ty,
            severity,
            value: 0.5,
            threshold: 0.2,
            quantity: "share".into(),
            direction: Direction::Above,
            reason: format!("{ty} on {batch}"),
            details: vec![],
            deliveries: vec![],
        }
    }

    /// Batches b1..bn; `raised[i]` lists the alerts of batch i+1.
    fn run(raised: &[Vec<Alert>]) -> Vec<Incident> {
        let ids: Vec<String> = (1..=raised.len()).map(|i| format!("b{i}")).collect();
        let ts: Vec<String> = ids.iter().map(|b| format!("t-{b}")).collect();
        let batches: Vec<BatchAlerts<'_>> = raised
            .iter()
            .enumerate()
            .map(|(i, a)| BatchAlerts {
                batch_id: &ids[i],
                timestamp: &ts[i],
                alerts: a.iter().collect(),
            })
            .collect();
        build_incidents(&batches)
    }

    /// Events batch by batch, as the monitor computes them (before/after each batch).
    fn events_per_batch(raised: &[Vec<Alert>]) -> Vec<Vec<IncidentEvent>> {
        (1..=raised.len())
            .map(|n| incident_events(&run(&raised[..n - 1]), &run(&raised[..n])))
            .collect()
    }

    #[test]
    fn five_batch_problem_is_one_incident_with_open_escalate_resolve() {
        use AlertSeverity::{High, Medium};
        let ty = AlertType::ConceptDrift;
        let mut raised: Vec<Vec<Alert>> = (1..=5)
            .map(|i| {
                vec![alert(
                    &format!("b{i}"),
                    ty,
                    if i < 3 { Medium } else { High },
                )]
            })
            .collect();
        raised.push(vec![]);
        let incidents = run(&raised);
        assert_eq!(incidents.len(), 1);
        let inc = &incidents[0];
        assert_eq!(inc.id, "CONCEPT_DRIFT@b1");
        assert_eq!(inc.updates.len(), 5);
        assert_eq!(inc.status, IncidentStatus::Resolved);
        assert_eq!(inc.resolved_by.as_deref(), Some("b6"));
        assert_eq!(inc.max_severity, High);
        let kinds: Vec<Vec<IncidentEventKind>> = events_per_batch(&raised)
            .iter()
            .map(|e| e.iter().map(|x| x.kind).collect())
            .collect();
        use IncidentEventKind::{Escalated, Opened, Resolved};
        assert_eq!(
            kinds,
            vec![
                vec![Opened],
                vec![],
                vec![Escalated],
                vec![],
                vec![],
                vec![Resolved]
            ]
        );
    }

    #[test]
    fn a_gap_opens_a_second_incident_and_types_are_independent() {
        use AlertSeverity::Low;
        let (d, q) = (AlertType::DataDrift, AlertType::DataQuality);
        let raised = vec![
            vec![alert("b1", d, Low)],
            vec![alert("b2", q, Low)],
            vec![alert("b3", d, Low), alert("b3", q, Low)],
        ];
        let incidents = run(&raised);
        let ids: Vec<&str> = incidents.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["DATA_DRIFT@b1", "DATA_QUALITY@b2", "DATA_DRIFT@b3"]);
        assert_eq!(incidents[0].resolved_by.as_deref(), Some("b2"));
        assert_eq!(incidents[1].status, IncidentStatus::Open);
        assert_eq!(incidents[1].updates.len(), 2);
        // A severity equal to the highest so far is no escalation; lower is none either.
        let e = events_per_batch(&raised);
        assert_eq!(e[2].len(), 1, "{:?}", e[2]);
        assert_eq!(e[2][0].kind, IncidentEventKind::Opened);
    }

    #[test]
    fn worst_alert_of_a_type_is_the_update() {
        use AlertSeverity::{High, Low};
        let ty = AlertType::DataQuality;
        let raised = vec![vec![alert("b1", ty, Low), alert("b1", ty, High)]];
        let inc = &run(&raised)[0];
        assert_eq!(inc.updates.len(), 1);
        assert_eq!(inc.severity, High);
    }
}
