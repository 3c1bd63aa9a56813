use std::io::Write;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{ArtifactError, Invalid};

/// The `producer` string written into every envelope.
pub const PRODUCER: &str = concat!("driftscope ", env!("CARGO_PKG_VERSION"));

/// A typed artifact: its body type plus the envelope constants.
pub trait Artifact: Serialize + DeserializeOwned {
    /// The `kind` field of the envelope.
    const KIND: &'static str;
    /// The `schema_version` this build writes.
    const SCHEMA_VERSION: u32;
    /// Every `schema_version` this build can read (the current one unless older ones are
    /// migrated on read).
    fn readable_versions() -> Vec<u32> {
        vec![Self::SCHEMA_VERSION]
    }
    /// Structural rules the body must keep beyond its types (ranges, lengths, order); checked
    /// by every read, so code using an artifact never meets one that breaks them.
    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    kind: &'static str,
    schema_version: u32,
    producer: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

/// Serializes an artifact with its envelope as pretty JSON with a trailing newline.
pub fn to_artifact_bytes<A: Artifact>(artifact: &A) -> Result<Vec<u8>, ArtifactError> {
    let env = EnvelopeOut {
        kind: A::KIND,
        schema_version: A::SCHEMA_VERSION,
        producer: PRODUCER,
        body: artifact,
    };
    let mut bytes = serde_json::to_vec_pretty(&env).map_err(|e| ArtifactError::Serialize {
        kind: A::KIND,
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed and synced,
/// then renamed over `path`. Creates the parent folder when needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ArtifactError> {
    let io = |action: &'static str| {
        move |source: std::io::Error| ArtifactError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io("create folder"))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(&parent)
        .map_err(io("create temporary file"))?;
    tmp.write_all(bytes).map_err(io("write"))?;
    // Temporary files are created owner-only; artifacts and reports are ordinary files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io("set permissions"))?;
    }
    tmp.as_file().sync_all().map_err(io("sync"))?;
    tmp.persist(path).map_err(|e| ArtifactError::Io {
        path: path.to_path_buf(),
        action: "rename into place",
        source: e.error,
    })?;
    Ok(())
}

/// Writes an artifact with its envelope, atomically.
pub fn write_artifact<A: Artifact>(path: &Path, artifact: &A) -> Result<(), ArtifactError> {
    write_atomic(path, &to_artifact_bytes(artifact)?)
}

/// Reads an artifact, checking the envelope's kind and schema version first. A path that is
/// not a regular file (a folder, or a named pipe, which would block the open) is refused from
/// its metadata, before any open.
pub fn read_artifact<A: Artifact>(path: &Path) -> Result<A, ArtifactError> {
    let io = |source| ArtifactError::Io {
        path: path.to_path_buf(),
        action: "read",
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::other(
            "not a regular file (a folder, named pipe, socket or device)",
        )));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    parse_artifact(path, &bytes)
}

/// Parses artifact bytes (what [`read_artifact`] does after reading); `path` names the source in
/// messages.
pub fn parse_artifact<A: Artifact>(path: &Path, bytes: &[u8]) -> Result<A, ArtifactError> {
    let malformed = |message: String| ArtifactError::Malformed {
        path: path.to_path_buf(),
        kind: A::KIND,
        message,
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))?;
    let serde_json::Value::Object(mut map) = value else {
        return Err(malformed("the top level is not a JSON object".into()));
    };
    let kind = match map.remove("kind") {
        Some(serde_json::Value::String(k)) => k,
        Some(other) => return Err(malformed(format!("`kind` is not a string: {other}"))),
        None => return Err(malformed("the envelope has no `kind` field".into())),
    };
    if kind != A::KIND {
        return Err(ArtifactError::WrongKind {
            path: path.to_path_buf(),
            expected: A::KIND,
            found: kind,
        });
    }
    let readable = A::readable_versions();
    let version = map.remove("schema_version");
    let ok = version
        .as_ref()
        .and_then(|v| v.as_u64())
        .is_some_and(|v| readable.iter().any(|r| u64::from(*r) == v));
    if !ok {
        return Err(ArtifactError::UnsupportedVersion {
            path: path.to_path_buf(),
            kind: A::KIND,
            found: version.map_or_else(|| "(missing)".to_string(), |v| v.to_string()),
            understood: readable
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    map.remove("producer");
    let artifact: A =
        serde_path_to_error::deserialize(serde_json::Value::Object(map)).map_err(|e| {
            let field = e.path().to_string();
            malformed(format!("at `{field}`: {}", e.inner()))
        })?;
    artifact.validate().map_err(|e| ArtifactError::Invalid {
        path: path.to_path_buf(),
        kind: A::KIND,
        field: e.field,
        message: e.message,
    })?;
    Ok(artifact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Champion;

    #[test]
    fn round_trip_and_envelope_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/champion.json");
        let c = Champion {
            model_version: "m-1".into(),
        };
        write_artifact(&path, &c).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["kind"], "champion");
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["producer"], PRODUCER);
        assert_eq!(read_artifact::<Champion>(&path).unwrap(), c);
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn refuses_future_version_naming_file_and_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("champion.json");
        std::fs::write(
            &path,
            r#"{"kind":"champion","schema_version":7,"producer":"x","model_version":"m"}"#,
        )
        .unwrap();
        let err = read_artifact::<Champion>(&path).unwrap_err().to_string();
        assert!(err.contains("champion.json"), "{err}");
        assert!(err.contains("schema_version 7"), "{err}");
        assert!(err.contains("reads version(s) 1"), "{err}");
    }

    #[test]
    fn refuses_wrong_kind_and_truncated_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(
            &path,
            r#"{"kind":"model","schema_version":1,"producer":"x","model_version":"m"}"#,
        )
        .unwrap();
        let err = read_artifact::<Champion>(&path).unwrap_err().to_string();
        assert!(
            err.contains("expected an artifact of kind `champion`, found kind `model`"),
            "{err}"
        );
        std::fs::write(&path, r#"{"kind":"champion","schema_ver"#).unwrap();
        let err = read_artifact::<Champion>(&path).unwrap_err().to_string();
        assert!(
            err.contains("a.json") && err.contains("not a valid `champion` artifact"),
            "{err}"
        );
    }

    #[test]
    fn names_the_bad_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(
            &path,
            r#"{"kind":"champion","schema_version":1,"producer":"x","model_version":5}"#,
        )
        .unwrap();
        let err = read_artifact::<Champion>(&path).unwrap_err().to_string();
        assert!(err.contains("model_version"), "{err}");
    }
}
