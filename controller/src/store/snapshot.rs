//! Snapshots: the whole state at one revision, written atomically.
//!
//! # On-disk format
//!
//! `snapshot-<revision>.snap` (revision zero-padded to 20 digits):
//!
//! ```text
//! magic "NAVSNAP\x01" | crc32(payload): u32 LE | len: u64 LE | payload: len bytes
//! ```
//!
//! The payload is [`State::to_bytes`]. A snapshot is written to a temporary file, fsynced,
//! renamed into place and the directory fsynced, so it is either wholly there or absent.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::change::Revision;
use super::crc32::crc32;
use super::error::StoreError;
use super::log::sync_dir;
use super::state::State;

/// Magic bytes at the start of every snapshot.
const SNAPSHOT_MAGIC: [u8; 8] = *b"NAVSNAP\x01";
/// Length of the snapshot header.
const SNAPSHOT_HEADER_LEN: usize = 20;

/// The file name of the snapshot at `revision`.
pub fn snapshot_file_name(revision: Revision) -> String {
    format!("snapshot-{:020}.snap", revision.0)
}

/// The revision in a snapshot file name, if it is one.
pub fn parse_snapshot_file_name(name: &str) -> Option<Revision> {
    let digits = name.strip_prefix("snapshot-")?.strip_suffix(".snap")?;
    (digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok().map(Revision))
        .flatten()
}

/// Write `state` as the snapshot at its revision; returns the snapshot's path.
pub fn write_snapshot(dir: &Path, state: &State) -> Result<PathBuf, StoreError> {
    let name = snapshot_file_name(state.revision());
    let path = dir.join(&name);
    let tmp = dir.join(format!("{name}.tmp"));
    let payload = state.to_bytes();
    let mut bytes = Vec::with_capacity(SNAPSHOT_HEADER_LEN + payload.len());
    bytes.extend_from_slice(&SNAPSHOT_MAGIC);
    bytes.extend_from_slice(&crc32(&payload).to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&payload);
    {
        let mut file = File::create(&tmp).map_err(StoreError::io("create", &tmp))?;
        file.write_all(&bytes)
            .map_err(StoreError::io("write", &tmp))?;
        file.sync_all().map_err(StoreError::io("fsync", &tmp))?;
    }
    fs::rename(&tmp, &path).map_err(StoreError::io("rename", &tmp))?;
    sync_dir(dir)?;
    Ok(path)
}

/// Read and check the snapshot at `path`, which its name says holds `revision`.
pub fn read_snapshot(path: &Path, revision: Revision) -> Result<State, StoreError> {
    let bytes = fs::read(path).map_err(StoreError::io("read", path))?;
    let corrupt = |reason: String| StoreError::CorruptSnapshot {
        file: path.to_owned(),
        reason,
    };
    if bytes.len() < SNAPSHOT_HEADER_LEN || bytes[..8] != SNAPSHOT_MAGIC {
        return Err(corrupt("missing or wrong snapshot header".into()));
    }
    let crc = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    let mut len_bytes = [0u8; 8];
    len_bytes.copy_from_slice(&bytes[12..20]);
    let len = u64::from_le_bytes(len_bytes);
    let payload = &bytes[SNAPSHOT_HEADER_LEN..];
    if payload.len() as u64 != len {
        return Err(corrupt(format!(
            "header says {len} payload bytes, file has {}",
            payload.len()
        )));
    }
    if crc32(payload) != crc {
        return Err(corrupt("checksum mismatch".into()));
    }
    let state = State::from_bytes(payload).map_err(|e| corrupt(e.to_string()))?;
    if state.revision() != revision {
        return Err(corrupt(format!(
            "holds revision {} but is named for revision {revision}",
            state.revision()
        )));
    }
    Ok(state)
}
