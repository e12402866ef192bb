//! The data directory's lock file: one navarchd per data directory.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::StoreError;

/// Name of the lock file inside the data directory.
pub const LOCK_FILE: &str = "LOCK";

/// An exclusive advisory lock (`flock`) on `<dir>/LOCK`, held until dropped. The lock, not the
/// file's existence, is what counts: a file left by a crashed process does not block.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Take the lock, or fail with [`StoreError::Locked`] if someone holds it.
    pub fn acquire(dir: &Path) -> Result<DataDirLock, StoreError> {
        let path: PathBuf = dir.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(StoreError::io("open", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    dir: dir.to_owned(),
                    lock: path,
                });
            }
            Err(TryLockError::Error(source)) => {
                return Err(StoreError::Io {
                    op: "lock",
                    path,
                    source,
                });
            }
        }
        // The pid is for an operator wondering who holds the directory; nothing reads it.
        file.set_len(0).map_err(StoreError::io("truncate", &path))?;
        writeln!(file, "{}", std::process::id()).map_err(StoreError::io("write", &path))?;
        Ok(DataDirLock { _file: file })
    }
}
