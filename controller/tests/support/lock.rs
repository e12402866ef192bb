//! One machine-wide lock for tests that touch the system Open vSwitch or run Mininet.
//!
//! Mininet's bridges (`s1`, …), interfaces and host namespaces have fixed names in the root
//! namespace and the system OVS is shared, so two such tests — in one test binary or in
//! different ones, even different crates — must never overlap. The lock is an exclusive
//! `flock` on [`MININET_LOCK_PATH`]; the kernel releases it when the holder dies.

use std::fs::{File, OpenOptions};
use std::path::Path;

use super::HarnessError;

/// The lock file every test using the system OVS or Mininet holds while it runs.
pub const MININET_LOCK_PATH: &str = "/tmp/navarch-system-ovs.lock";

/// Holds the machine-wide lock until dropped.
#[derive(Debug)]
pub struct MininetLock {
    file: File,
}

impl MininetLock {
    /// Blocks until this process holds the lock.
    pub fn acquire() -> Result<Self, HarnessError> {
        Self::acquire_at(Path::new(MININET_LOCK_PATH))
    }

    /// Blocks until this process holds an exclusive lock on `path` (created when missing).
    pub fn acquire_at(path: &Path) -> Result<Self, HarnessError> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|source| HarnessError::File {
                path: path.into(),
                source,
            })?;
        // flock(2): released on drop or when the process dies, never left stale.
        file.lock().map_err(|source| HarnessError::File {
            path: path.into(),
            source,
        })?;
        Ok(Self { file })
    }
}

impl Drop for MininetLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}
