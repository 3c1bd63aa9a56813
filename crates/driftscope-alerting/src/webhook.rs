//! The webhook sink: alerts as a Slack-compatible JSON body, with a timeout and retries. A
//! failed delivery is recorded with the alert; the alert itself is never lost.

use std::time::Duration;

use driftscope_artifacts::{Alert, Delivery};

/// The Slack-compatible JSON body for a batch's alerts: `{"text": "..."}`, one line per alert.
pub fn slack_body(alerts: &[Alert]) -> serde_json::Value {
    let lines: Vec<String> = alerts
        .iter()
        .map(|a| {
            format!(
                "[{:?}] {} on {}: {}",
                a.severity,
                crate::type_word(a.alert_type),
                a.batch_id,
                a.reason
            )
        })
        .collect();
    serde_json::json!({ "text": format!("driftscope: {} alert(s)\n{}", alerts.len(), lines.join("\n")) })
}

/// Posts the alerts to `url`, trying `1 + retries` times with `timeout` per attempt. Returns
/// the outcome to record with each alert.
pub fn deliver(url: &str, alerts: &[Alert], timeout: Duration, retries: u32) -> Delivery {
    let agent = ureq::AgentBuilder::new().timeout(timeout).build();
    let body = slack_body(alerts);
    let mut last_error = None;
    for attempt in 1..=retries + 1 {
        match agent.post(url).send_json(body.clone()) {
            Ok(_) => {
                return Delivery {
                    sink: "webhook".into(),
                    delivered: true,
                    attempts: attempt,
                    error: None,
                };
            }
            Err(e) => {
                last_error = Some(e.to_string());
                if attempt <= retries {
                    std::thread::sleep(Duration::from_millis(100 * u64::from(attempt)));
                }
            }
        }
    }
    Delivery {
        sink: "webhook".into(),
        delivered: false,
        attempts: retries + 1,
        error: last_error,
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use driftscope_artifacts::{AlertSeverity, AlertType};

    use super::*;

    fn alert() -> Alert {
        Alert {
            batch_id: "b1".into(),
            timestamp: "2026-01-05T00:00:00Z".into(),
            alert_type: AlertType::DataDrift,
            severity: AlertSeverity::High,
            value: 0.6,
            threshold: 0.15,
            reason: "3 of 19 features drifted".into(),
            details: vec![],
            deliveries: vec![],
        }
    }

    /// A server on 127.0.0.1 that answers 500 to the first `failures` requests, then 200, and
    /// returns the bodies it received.
    fn server(failures: usize, requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut bodies = Vec::new();
            for i in 0..requests {
                let (mut s, _) = listener.accept().unwrap();
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = s.read(&mut chunk).unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(pos) = text.find("\r\n\r\n") {
                        let len: usize = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse().unwrap())
                            })
                            .unwrap_or(0);
                        if buf.len() >= pos + 4 + len {
                            bodies.push(text[pos + 4..].to_string());
                            break;
                        }
                    }
                    if n == 0 {
                        break;
                    }
                }
                let status = if i < failures {
                    "500 Internal Server Error"
                } else {
                    "200 OK"
                };
                write!(
                    s,
                    "HTTP/1.1 {status}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                )
                .unwrap();
            }
            bodies
        });
        (url, handle)
    }

    #[test]
    fn delivers_slack_json_after_retries() {
        let (url, handle) = server(2, 3);
        let d = deliver(&url, &[alert()], Duration::from_secs(5), 2);
        assert!(d.delivered, "{d:?}");
        assert_eq!(d.attempts, 3);
        let bodies = handle.join().unwrap();
        assert_eq!(bodies.len(), 3);
        let v: serde_json::Value = serde_json::from_str(&bodies[2]).unwrap();
        let text = v["text"].as_str().unwrap();
        assert!(
            text.contains("[High] DATA_DRIFT on b1: 3 of 19 features drifted"),
            "{text}"
        );
    }

    #[test]
    fn failure_is_recorded_not_lost() {
        let (url, handle) = server(5, 2);
        let d = deliver(&url, &[alert()], Duration::from_secs(5), 1);
        assert!(!d.delivered);
        assert_eq!(d.attempts, 2);
        assert!(d.error.as_deref().unwrap_or("").contains("500"), "{d:?}");
        handle.join().unwrap();
        // Nobody listening: a connection error, recorded.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let d = deliver(&dead, &[alert()], Duration::from_millis(500), 0);
        assert!(!d.delivered && d.error.is_some(), "{d:?}");
    }
}
