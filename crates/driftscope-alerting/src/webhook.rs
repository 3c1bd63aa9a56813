//! The webhook sink: alerts as a Slack-compatible JSON body, with a timeout and retries. A
//! failed delivery is recorded with the alert; the alert itself is never lost.
//!
//! A webhook URL is a secret (a Slack path is a bearer token; `user:password@` is a password),
//! and delivery errors end up in artifacts and on the site, so a recorded error names only the
//! host and the kind of failure (HTTP status or transport kind), never the URL's credentials,
//! path or query.

use std::time::Duration;

use driftscope_artifacts::{Delivery, IncidentEvent};

/// The Slack-compatible JSON body for a batch's incident events: `{"text": "..."}`, one line
/// per event (opened, escalated, resolved).
pub fn slack_body(events: &[IncidentEvent]) -> serde_json::Value {
    let lines: Vec<String> = events
        .iter()
        .map(|e| format!("[{}] incident {}: {}", e.severity, e.kind, e.summary))
        .collect();
    serde_json::json!({ "text": format!("driftscope: {} incident event(s)\n{}", events.len(), lines.join("\n")) })
}

/// Posts `body` to `url`, trying `1 + retries` times with `timeout` per attempt. Returns
/// the outcome to record with the batch's alerts.
///
/// Only a 2xx answer from the configured host counts as delivered. Redirects are never
/// followed (a 302 would turn the POST into a bodyless GET to wherever it points, and a
/// 307/308 would send the alerts to another host): a 3xx answer is a failure recorded with
/// the host and status, and is not retried (the same request gets the same redirect).
pub fn deliver(url: &str, body: &serde_json::Value, timeout: Duration, retries: u32) -> Delivery {
    let agent = ureq::AgentBuilder::new()
        .timeout(timeout)
        .redirects(0)
        .build();
    let mut last_error = None;
    let mut attempts = 0;
    for attempt in 1..=retries + 1 {
        attempts = attempt;
        match agent.post(url).send_json(body.clone()) {
            Ok(r) if (200..300).contains(&r.status()) => {
                return Delivery {
                    sink: "webhook".into(),
                    delivered: true,
                    attempts: attempt,
                    error: None,
                };
            }
            Ok(r) => {
                last_error = Some(format!(
                    "webhook {}: HTTP status {} (not a 2xx answer; redirects are not followed)",
                    host_of(url),
                    r.status()
                ));
                break;
            }
            Err(e) => {
                last_error = Some(redacted_error(url, &e));
                if attempt <= retries {
                    std::thread::sleep(Duration::from_millis(100 * u64::from(attempt)));
                }
            }
        }
    }
    Delivery {
        sink: "webhook".into(),
        delivered: false,
        attempts,
        error: last_error,
    }
}

/// The host (and port) of `url`, without scheme, credentials, path, query or fragment.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

/// A delivery error that is safe to record: the host and the HTTP status or transport kind.
/// `ureq`'s own messages embed the whole URL, so they are never used.
fn redacted_error(url: &str, e: &ureq::Error) -> String {
    let host = host_of(url);
    match e {
        ureq::Error::Status(code, _) => format!("webhook {host}: HTTP status {code}"),
        ureq::Error::Transport(t) => format!("webhook {host}: {}", t.kind()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;

    fn body() -> serde_json::Value {
        slack_body(&[IncidentEvent {
            kind: driftscope_artifacts::IncidentEventKind::Opened,
            incident_id: "DATA_DRIFT@b1".into(),
            alert_type: driftscope_artifacts::AlertType::DataDrift,
            severity: driftscope_artifacts::AlertSeverity::High,
            batch_id: "b1".into(),
            summary: "DATA_DRIFT opened as HIGH on b1: 3 of 19 features drifted".into(),
        }])
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
                let text = read_request(&mut s);
                let body = text.find("\r\n\r\n").map_or("", |p| &text[p + 4..]);
                bodies.push(body.to_string());
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
        let d = deliver(&url, &body(), Duration::from_secs(5), 2);
        assert!(d.delivered, "{d:?}");
        assert_eq!(d.attempts, 3);
        let bodies = handle.join().unwrap();
        assert_eq!(bodies.len(), 3);
        let v: serde_json::Value = serde_json::from_str(&bodies[2]).unwrap();
        let text = v["text"].as_str().unwrap();
        assert!(
            text.contains(
                "[HIGH] incident opened: DATA_DRIFT opened as HIGH on b1: 3 of 19 features drifted"
            ),
            "{text}"
        );
    }

    #[test]
    fn failure_is_recorded_not_lost() {
        let (url, handle) = server(5, 2);
        let d = deliver(&url, &body(), Duration::from_secs(5), 1);
        assert!(!d.delivered);
        assert_eq!(d.attempts, 2);
        assert!(d.error.as_deref().unwrap_or("").contains("500"), "{d:?}");
        handle.join().unwrap();
        // Nobody listening: a connection error, recorded.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let dead = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let d = deliver(&dead, &body(), Duration::from_millis(500), 0);
        assert!(!d.delivered && d.error.is_some(), "{d:?}");
    }

    #[test]
    fn host_of_strips_secrets() {
        assert_eq!(
            host_of("https://user:pw@hooks.example.com:8443/T0/B1?k=v#f"),
            "hooks.example.com:8443"
        );
        assert_eq!(host_of("http://127.0.0.1:9/hook"), "127.0.0.1:9");
        assert_eq!(
            host_of("https://hooks.slack.com/services/T/B/X"),
            "hooks.slack.com"
        );
        assert_eq!(host_of("http://a@b@host?x"), "host");
    }

    /// Reads one HTTP request: headers, then `Content-Length` bytes of body.
    fn read_request(s: &mut std::net::TcpStream) -> String {
        let mut data = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let text = String::from_utf8_lossy(&data).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                    })
                    .unwrap_or(0);
                if data.len() >= end + 4 + length {
                    return text;
                }
            }
            match s.read(&mut buf) {
                Ok(0) | Err(_) => return String::from_utf8_lossy(&data).to_string(),
                Ok(n) => data.extend_from_slice(&buf[..n]),
            }
        }
    }

    /// A server on 127.0.0.1 that answers every one of `requests` requests with `status` and a
    /// `Location` header pointing at `location`; returns the request lines it received.
    fn redirecting(
        status: &'static str,
        location: String,
        requests: usize,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for _ in 0..requests {
                let (mut s, _) = listener.accept().unwrap();
                // The whole request (headers and body) before answering: closing while the
                // client still sends would reset the connection and look like a transport error.
                let text = read_request(&mut s);
                lines.push(text.lines().next().unwrap_or("").to_string());
                write!(
                    s,
                    "HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                .unwrap();
            }
            lines
        });
        (url, handle)
    }

    /// 301/302/303/307/308 to another host (a second local server that counts what reaches
    /// it) or to the same host: never followed, recorded as failed with host and status only,
    /// one attempt (a redirect is not retried).
    #[test]
    fn redirects_are_not_followed_and_not_delivered() {
        let other = TcpListener::bind("127.0.0.1:0").unwrap();
        other.set_nonblocking(true).unwrap();
        let elsewhere = format!("http://{}/stolen", other.local_addr().unwrap());
        for status in [
            "301 Moved Permanently",
            "302 Found",
            "303 See Other",
            "307 Temporary Redirect",
            "308 Permanent Redirect",
        ] {
            for same_host in [false, true] {
                let location = if same_host {
                    "/elsewhere".to_string()
                } else {
                    elsewhere.clone()
                };
                let (url, handle) = redirecting(status, location, 1);
                let secret = url.replace("http://", "http://user:pw@") + "/TSECRET";
                let d = deliver(&secret, &body(), Duration::from_secs(5), 3);
                assert!(!d.delivered, "{status}: {d:?}");
                assert_eq!(d.attempts, 1, "{status}: {d:?}");
                let error = d.error.clone().unwrap();
                let code = &status[..3];
                assert!(error.contains(&format!("HTTP status {code}")), "{error}");
                assert!(error.contains("127.0.0.1:"), "{error}");
                for leaked in ["pw", "user", "TSECRET", "stolen", "elsewhere", "/hook"] {
                    assert!(!error.contains(leaked), "{leaked:?} in {error}");
                }
                let lines = handle.join().unwrap();
                assert_eq!(lines.len(), 1);
                assert!(lines[0].starts_with("POST "), "{lines:?}");
            }
        }
        assert!(other.accept().is_err(), "a redirect reached the other host");
    }

    /// Neither the credentials nor the path nor the query of the URL reach the recorded
    /// delivery, for an HTTP error and for a refused connection.
    #[test]
    fn failures_never_record_the_url_secrets() {
        let (url, handle) = server(5, 1);
        let secret_url =
            url.replace("http://", "http://user:secret@") + "/T0SECRET/B1SECRET?token=qsecret";
        let refused = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            drop(listener);
            format!("http://user:secret@{addr}/T0SECRET/B1SECRET?token=qsecret")
        };
        for (target, kind) in [
            (&secret_url, "HTTP status 500"),
            (&refused, "Connection Failed"),
        ] {
            let d = deliver(target, &body(), Duration::from_secs(5), 0);
            assert!(!d.delivered);
            let debug = format!("{d:?}");
            let json = serde_json::to_string(&d).unwrap();
            for text in [&debug, &json] {
                for secret in ["secret", "SECRET", "user:", "token", "/T0", "/hook"] {
                    assert!(!text.contains(secret), "{secret:?} leaked: {text}");
                }
                assert!(text.contains("127.0.0.1:") && text.contains(kind), "{text}");
            }
        }
        handle.join().unwrap();
    }
}
