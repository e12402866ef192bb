//! The append-only command log: segment files of checksummed records.
//!
//! # On-disk format
//!
//! A segment is named `log-<base>.wal` (`base` zero-padded to 20 digits) and starts with a
//! 16-byte header: the magic `NAVLOG\0\x01` and `base`, the revision before its first command
//! (u64 little-endian). Records follow back to back:
//!
//! ```text
//! len: u32 LE | !len: u32 LE | crc32(payload): u32 LE | payload: len bytes
//! ```
//!
//! The payload is one command batch (see [`super::command`], where the encoding is documented); its commands take the next
//! revisions in order. `!len` guards the length itself, so a damaged length is reported as
//! corruption instead of being mistaken for the end of the log.
//!
//! # Recovery
//!
//! A crash can leave the last write incomplete. When reading the newest segment, a record
//! that runs past the end of the file, a final record whose checksum fails, or a zero-filled
//! tail is a torn tail: it is cut off with a warning and the commands before it stand. Any
//! other failed check is corruption and is reported with the file and byte offset.

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::change::Revision;
use super::command::{self, Command};
use super::crc32::crc32;
use super::error::StoreError;

/// Magic bytes at the start of every segment.
const SEGMENT_MAGIC: [u8; 8] = *b"NAVLOG\x00\x01";
/// Length of the segment header.
const SEGMENT_HEADER_LEN: usize = 16;
/// Length of a record's frame header.
const RECORD_HEADER_LEN: usize = 12;
/// The largest payload one record may carry.
pub const MAX_RECORD_LEN: usize = 16 << 20;

/// The file name of the segment whose first command follows `base`.
pub fn segment_file_name(base: Revision) -> String {
    format!("log-{:020}.wal", base.0)
}

/// The base revision in a segment file name, if it is one.
pub fn parse_segment_file_name(name: &str) -> Option<Revision> {
    let digits = name.strip_prefix("log-")?.strip_suffix(".wal")?;
    (digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok().map(Revision))
        .flatten()
}

/// Frame a payload as one record.
fn frame(payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u32;
    let mut out = Vec::with_capacity(RECORD_HEADER_LEN + payload.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(&crc32(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Fsync a directory, so a file created, renamed or removed in it stays so after a crash.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(StoreError::io("fsync directory", dir))
}

/// One record read back from a segment.
#[derive(Debug)]
pub struct LogRecord {
    /// Byte offset of the record in its segment.
    pub offset: u64,
    /// Its commands, in order.
    pub commands: Vec<Command>,
}

/// A segment as read from disk.
#[derive(Debug)]
pub struct ReadSegment {
    /// The revision before its first command.
    pub base: Revision,
    /// Its intact records.
    pub records: Vec<LogRecord>,
    /// Length of the intact prefix (header and whole records).
    pub valid_len: u64,
    /// Where a torn tail starts and why it is torn, if there is one.
    pub torn_tail: Option<(u64, &'static str)>,
}

impl ReadSegment {
    /// The revision of the segment's last command.
    pub fn end(&self) -> Revision {
        let commands: usize = self.records.iter().map(|r| r.commands.len()).sum();
        Revision(self.base.0 + commands as u64)
    }
}

/// Read and check a whole segment. `newest` allows a torn tail (only the segment being
/// appended to when a crash happened can have one).
pub fn read_segment(path: &Path, newest: bool) -> Result<ReadSegment, StoreError> {
    let bytes = fs::read(path).map_err(StoreError::io("read", path))?;
    let corrupt = |offset: usize, reason: String| StoreError::CorruptLog {
        file: path.to_owned(),
        offset: offset as u64,
        reason,
    };
    if bytes.len() < SEGMENT_HEADER_LEN || bytes[..8] != SEGMENT_MAGIC {
        return Err(corrupt(0, "missing or wrong segment header".into()));
    }
    let base = Revision(u64::from_le_bytes(
        bytes[8..16].try_into().unwrap_or_default(),
    ));

    let mut records = Vec::new();
    let mut offset = SEGMENT_HEADER_LEN;
    let mut torn_tail = None;
    while offset < bytes.len() {
        let rest = &bytes[offset..];
        let torn = |why: &'static str| -> Result<Option<(u64, &'static str)>, StoreError> {
            if newest {
                Ok(Some((offset as u64, why)))
            } else {
                Err(corrupt(
                    offset,
                    format!("{why} in a segment that is not the newest"),
                ))
            }
        };
        if rest.iter().all(|&b| b == 0) {
            torn_tail = torn("zero-filled tail")?;
            break;
        }
        if rest.len() < RECORD_HEADER_LEN {
            torn_tail = torn("incomplete record header")?;
            break;
        }
        let word =
            |at: usize| u32::from_le_bytes([rest[at], rest[at + 1], rest[at + 2], rest[at + 3]]);
        let (len, len_check, crc) = (word(0), word(4), word(8));
        if len != !len_check {
            return Err(corrupt(offset, "record length fails its check".into()));
        }
        let len = len as usize;
        if len > MAX_RECORD_LEN {
            return Err(corrupt(
                offset,
                format!("record length {len} exceeds {MAX_RECORD_LEN}"),
            ));
        }
        let end = RECORD_HEADER_LEN + len;
        if rest.len() < end {
            torn_tail = torn("record runs past the end of the file")?;
            break;
        }
        let payload = &rest[RECORD_HEADER_LEN..end];
        if crc32(payload) != crc {
            if rest.len() == end {
                torn_tail = torn("checksum mismatch in the final record")?;
                break;
            }
            return Err(corrupt(offset, "record checksum mismatch".into()));
        }
        let commands =
            command::decode_batch(payload).map_err(|source| StoreError::Undecodable {
                file: path.to_owned(),
                offset: offset as u64,
                source,
            })?;
        records.push(LogRecord {
            offset: offset as u64,
            commands,
        });
        offset += end;
    }
    let valid_len = torn_tail.map_or(bytes.len() as u64, |(at, _)| at);
    Ok(ReadSegment {
        base,
        records,
        valid_len,
        torn_tail,
    })
}

/// The segment new records are appended to.
#[derive(Debug)]
pub struct ActiveSegment {
    path: PathBuf,
    file: File,
    /// Bytes of intact content; the next record is written here.
    len: u64,
    /// The base revision, from the header.
    base: Revision,
}

impl ActiveSegment {
    /// Create an empty segment after revision `base`, atomically (temp file, fsync, rename,
    /// directory fsync), so a crash never leaves a segment without its header.
    pub fn create(dir: &Path, base: Revision) -> Result<ActiveSegment, StoreError> {
        let path = dir.join(segment_file_name(base));
        let tmp = dir.join(format!("{}.tmp", segment_file_name(base)));
        let mut header = Vec::with_capacity(SEGMENT_HEADER_LEN);
        header.extend_from_slice(&SEGMENT_MAGIC);
        header.extend_from_slice(&base.0.to_le_bytes());
        {
            let file = File::create(&tmp).map_err(StoreError::io("create", &tmp))?;
            file.write_all_at(&header, 0)
                .map_err(StoreError::io("write", &tmp))?;
            file.sync_all().map_err(StoreError::io("fsync", &tmp))?;
        }
        fs::rename(&tmp, &path).map_err(StoreError::io("rename", &tmp))?;
        sync_dir(dir)?;
        ActiveSegment::open(&path, base, SEGMENT_HEADER_LEN as u64)
    }

    /// Open an existing segment for appending after its intact prefix of `valid_len` bytes,
    /// cutting off (and fsyncing away) anything after it.
    pub fn open(path: &Path, base: Revision, valid_len: u64) -> Result<ActiveSegment, StoreError> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(StoreError::io("open", path))?;
        let on_disk = file.metadata().map_err(StoreError::io("stat", path))?.len();
        if on_disk != valid_len {
            file.set_len(valid_len)
                .map_err(StoreError::io("truncate", path))?;
            file.sync_all().map_err(StoreError::io("fsync", path))?;
        }
        Ok(ActiveSegment {
            path: path.to_owned(),
            file,
            len: valid_len,
            base,
        })
    }

    /// The revision before this segment's first command.
    pub fn base(&self) -> Revision {
        self.base
    }

    /// The segment's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record holding `payload`, fsyncing it when `sync`. On failure the segment
    /// is cut back to where it was; if even that fails the error says so and the caller must
    /// stop writing (see [`StoreError::Poisoned`]).
    pub fn append(&mut self, payload: &[u8], sync: bool) -> Result<(), AppendError> {
        if payload.len() > MAX_RECORD_LEN {
            return Err(AppendError::Clean(StoreError::TooLarge {
                size: payload.len(),
                max: MAX_RECORD_LEN,
            }));
        }
        let record = frame(payload);
        let written = self
            .file
            .write_all_at(&record, self.len)
            .map_err(StoreError::io("write", &self.path));
        if let Err(err) = written {
            // A partial record in the middle of the log would read as corruption later.
            return Err(match self.file.set_len(self.len) {
                Ok(()) => AppendError::Clean(err),
                Err(_) => AppendError::Poisoned(err),
            });
        }
        if sync {
            // After a failed fsync the page cache may have dropped the data while reporting it
            // clean; nothing written through this file can be trusted again.
            self.file
                .sync_data()
                .map_err(|e| AppendError::Poisoned(StoreError::io("fsync", &self.path)(e)))?;
        }
        self.len += record.len() as u64;
        Ok(())
    }
}

/// Why an append failed, and whether the segment is still usable.
#[derive(Debug)]
pub enum AppendError {
    /// Nothing was written; the segment is as before.
    Clean(StoreError),
    /// The segment's state on disk is uncertain.
    Poisoned(StoreError),
}
