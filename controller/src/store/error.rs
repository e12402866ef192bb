//! Errors of the durable store.

use std::io;
use std::path::PathBuf;

use super::change::{ApplyError, Revision};
use super::command::DecodeError;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file-system operation failed.
    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        /// What was being done ("open", "write", "fsync", ...).
        op: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// Another process (or another `Store` in this one) holds the data directory's lock.
    #[error("data directory {} is in use by another navarchd (lock file {} is held)", dir.display(), lock.display())]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// Its lock file.
        lock: PathBuf,
    },
    /// A log record or file header fails its checks somewhere other than a torn tail.
    #[error("corrupt log {} at byte offset {offset}: {reason}", file.display())]
    CorruptLog {
        /// The log segment.
        file: PathBuf,
        /// Byte offset of the bad record (or header) in that file.
        offset: u64,
        /// What check failed.
        reason: String,
    },
    /// A log record passed its checksum but its commands could not be decoded.
    #[error("cannot decode log {} at byte offset {offset}: {source}", file.display())]
    Undecodable {
        /// The log segment.
        file: PathBuf,
        /// Byte offset of the record.
        offset: u64,
        /// The decode failure.
        source: DecodeError,
    },
    /// A snapshot file fails its checks.
    #[error("corrupt snapshot {}: {reason}", file.display())]
    CorruptSnapshot {
        /// The snapshot file.
        file: PathBuf,
        /// What check failed.
        reason: String,
    },
    /// The log does not continue where the snapshot or the previous segment ended.
    #[error("log {} starts after revision {found} but revision {expected} is the next needed", file.display())]
    LogGap {
        /// The segment that does not connect.
        file: PathBuf,
        /// The revision the history had reached.
        expected: Revision,
        /// The revision the segment starts after.
        found: Revision,
    },
    /// A command in the log was refused on replay: the log and the state machine disagree.
    #[error("replaying {} at byte offset {offset} (revision {revision}): {source}", file.display())]
    Replay {
        /// The log segment.
        file: PathBuf,
        /// Byte offset of the record holding the command.
        offset: u64,
        /// The revision the command would have had.
        revision: Revision,
        /// Why the state machine refused it.
        source: ApplyError,
    },
    /// A command was refused by the state machine; nothing was written or changed.
    #[error("command {index} of the batch refused: {source}")]
    Rejected {
        /// Position of the refused command in the batch (0 for a single `apply`).
        index: usize,
        /// Why it was refused.
        source: ApplyError,
    },
    /// A batch encodes to more bytes than one log record may hold.
    #[error("command batch of {size} bytes exceeds the {max}-byte record limit")]
    TooLarge {
        /// Encoded size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// An earlier write or fsync failed, so what is on disk is uncertain; reopen the store.
    #[error("the store stopped accepting writes after an earlier I/O failure; reopen it")]
    Poisoned,
}

impl StoreError {
    /// An [`StoreError::Io`] for `op` on `path`.
    pub(super) fn io(
        op: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { op, path, source }
    }
}
