//! How much memory this process may still use, and the refusal of a CSV file too large for it.

use std::path::Path;

use crate::{DataError, Result};

/// Peak memory of reading a CSV file into a table and deriving the statistics' inputs, per
/// byte of file (measured: 1M Telco-like rows, 140 MB, peak 3x for `drift`).
pub const CSV_MEMORY_FACTOR: u64 = 3;

/// Refuses a CSV file that cannot fit in the memory this process may use.
pub(crate) fn check_memory(label: &str, path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // the read itself reports the error
    };
    let size = meta.len();
    let need = size.saturating_mul(CSV_MEMORY_FACTOR);
    match available_memory() {
        Some(available) if need > available => Err(DataError::TooLarge {
            file: label.to_string(),
            size_mb: size >> 20,
            need_mb: need >> 20,
            available_mb: available >> 20,
        }),
        _ => Ok(()),
    }
}

/// The memory this process can still use, in bytes: the least of the system's available
/// memory, the cgroup's limit less its usage (v2 or v1), and the address-space limit less the
/// address space in use. `None` when none of them is known.
pub fn available_memory() -> Option<u64> {
    let mut bounds = Vec::new();
    bounds.extend(system_available());
    bounds.extend(cgroup_headroom());
    bounds.extend(address_space_headroom());
    bounds.into_iter().min()
}

/// A file's text, `None` when it cannot be read.
fn read(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// The first number after `key` on the line of `text` that starts with `key`.
fn field(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    line[key.len()..]
        .split_whitespace()
        .next()?
        .parse::<u64>()
        .ok()
}

/// The system's available memory (`MemAvailable`), in bytes.
fn system_available() -> Option<u64> {
    read("/proc/meminfo")
        .and_then(|m| field(&m, "MemAvailable:"))
        .map(|kb| kb * 1024)
}

/// The cgroup's limit less its usage, for each of cgroup v2 and v1 that is known.
fn cgroup_headroom() -> Vec<u64> {
    let mut bounds = Vec::new();
    for (max, current) in [
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ] {
        let max = read(max).and_then(|s| s.trim().parse::<u64>().ok());
        let current = read(current).and_then(|s| s.trim().parse::<u64>().ok());
        if let (Some(max), Some(current)) = (max, current) {
            bounds.push(max.saturating_sub(current));
        }
    }
    bounds
}

/// The address-space limit less the address space in use.
fn address_space_headroom() -> Option<u64> {
    let limit = read("/proc/self/limits").and_then(|l| field(&l, "Max address space"));
    let used = read("/proc/self/status").and_then(|s| field(&s, "VmSize:"));
    let (limit, used_kb) = (limit?, used?);
    Some(limit.saturating_sub(used_kb * 1024))
}
