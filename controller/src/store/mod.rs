//! The store: the one place durable state changes.
//!
//! Topology, hosts and app settings (later tenants) change only by [`Command`]s, applied in
//! order by the deterministic state machine [`State::apply`] and persisted in a data
//! directory. [`Store`] is the single-node driver: it validates a command, appends it to the
//! log and fsyncs, and only then applies it and hands back what changed ([`Applied`], the
//! change feed the runtime turns into events). A replicated log can later feed the same
//! `State::apply` in its own commit order; the apps and the state machine do not change.
//!
//! The data directory holds:
//! - `LOCK`: held (`flock`) by the process using the directory ([`lock`]);
//! - `log-<base>.wal`: command log segments ([`log`] documents the format and recovery);
//! - `snapshot-<revision>.snap`: the state at a revision ([`snapshot`]).
//!
//! Every `snapshot_every` commands the store writes a snapshot, starts a new segment after
//! it and deletes the older segments and snapshots (compaction). Opening the store loads the
//! newest snapshot and replays the log after it.
//!
//! ```
//! use navarch_controller::store::{Change, Command, PortRecord, Store, StoreOptions};
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = Store::open(dir.path(), StoreOptions::default())?;
//! let applied = store.apply(&Command::SwitchSeen {
//!     dpid: 1,
//!     n_tables: 254,
//!     ports: vec![PortRecord { port_no: 1, name: "s1-eth1".into(), hw_addr: [2, 0, 0, 0, 0, 1], up: true }],
//! })?;
//! assert_eq!(applied.changes[0], Change::SwitchAdded { dpid: 1 });
//! drop(store);
//! let store = Store::open(dir.path(), StoreOptions::default())?;
//! assert!(store.state().port(1, 1).is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! No async and no threads: callers that live in tokio run `apply` where blocking on an
//! fsync is acceptable (a dedicated task or `spawn_blocking`).

mod apply;
mod change;
pub mod command;
mod crc32;
mod error;
pub mod lock;
pub mod log;
pub mod snapshot;
mod state;

#[cfg(test)]
mod tests;

use std::fs;
use std::path::{Path, PathBuf};

pub use change::{Applied, ApplyError, Change, Revision};
pub use command::{
    COMMAND_FORMAT_VERSION, Command, DecodeError, HostKey, HostRecord, LinkRecord, MacText,
    OperatorFlowKey, OperatorFlowRecord, PortRecord,
};
pub use error::StoreError;
pub use state::{AppRecord, State, StateDecodeError, SwitchRecord};

use lock::DataDirLock;
use log::{ActiveSegment, AppendError};

/// How a [`Store`] persists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreOptions {
    /// Fsync every append before acknowledging it. Turning this off keeps commands safe from
    /// a process crash but not from power loss; only for tests and benchmarks.
    pub sync: bool,
    /// Take a snapshot and compact the log after this many commands (0: only when
    /// [`Store::snapshot`] is called).
    pub snapshot_every: u64,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            sync: true,
            snapshot_every: 10_000,
        }
    }
}

/// The durable store over one data directory.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    options: StoreOptions,
    state: State,
    log: ActiveSegment,
    snapshot_revision: Revision,
    poisoned: bool,
    _lock: DataDirLock,
}

impl Store {
    /// Open (creating if needed) the store in `dir`: take its lock, load the newest snapshot,
    /// replay the log after it, and cut off a record torn by a crash (with a warning).
    pub fn open(dir: impl AsRef<Path>, options: StoreOptions) -> Result<Store, StoreError> {
        let dir = dir.as_ref().to_owned();
        fs::create_dir_all(&dir).map_err(StoreError::io("create directory", &dir))?;
        let lock = DataDirLock::acquire(&dir)?;
        let files = DataFiles::list(&dir)?;

        let (mut state, snapshot_revision) = match files.snapshots.last() {
            Some((revision, path)) => (snapshot::read_snapshot(path, *revision)?, *revision),
            None => (State::new(), Revision(0)),
        };

        let mut newest = None;
        for (i, (name_base, path)) in files.segments.iter().enumerate() {
            let is_newest = i + 1 == files.segments.len();
            let segment = log::read_segment(path, is_newest)?;
            if segment.base != *name_base {
                return Err(StoreError::CorruptLog {
                    file: path.clone(),
                    offset: 0,
                    reason: format!(
                        "header says the segment follows revision {}, its name says {name_base}",
                        segment.base
                    ),
                });
            }
            if segment.base > state.revision() {
                return Err(StoreError::LogGap {
                    file: path.clone(),
                    expected: state.revision().next(),
                    found: segment.base,
                });
            }
            let mut revision = segment.base;
            for record in &segment.records {
                for cmd in &record.commands {
                    revision = revision.next();
                    if revision <= state.revision() {
                        continue; // already in the snapshot
                    }
                    state.apply(cmd).map_err(|source| StoreError::Replay {
                        file: path.clone(),
                        offset: record.offset,
                        revision,
                        source,
                    })?;
                }
            }
            if let Some((offset, reason)) = segment.torn_tail {
                tracing::warn!(
                    file = %path.display(),
                    offset,
                    reason,
                    "cutting off a torn record at the end of the log (left by a crash); \
                     the commands before it are kept"
                );
            }
            if is_newest {
                newest = Some((path.clone(), segment));
            }
        }

        // Keep appending to the newest segment if it ends where the state is (opening it also
        // cuts off a torn tail); otherwise the snapshot is ahead of it, so start a new one.
        let mut log = None;
        if let Some((path, segment)) = newest {
            let active = ActiveSegment::open(&path, segment.base, segment.valid_len)?;
            if segment.end() == state.revision() {
                log = Some(active);
            }
        }
        let log = match log {
            Some(log) => log,
            None => ActiveSegment::create(&dir, state.revision())?,
        };
        tracing::info!(
            dir = %dir.display(),
            revision = state.revision().0,
            snapshot_revision = snapshot_revision.0,
            "store opened"
        );
        Ok(Store {
            dir,
            options,
            state,
            log,
            snapshot_revision,
            poisoned: false,
            _lock: lock,
        })
    }

    /// Apply one command. Returns after the command is durable (per
    /// [`StoreOptions::sync`]), with its revision and changes. A refused command
    /// ([`StoreError::Rejected`]) is neither written nor applied.
    pub fn apply(&mut self, cmd: &Command) -> Result<Applied, StoreError> {
        self.writable()?;
        self.state
            .check(cmd)
            .map_err(|source| StoreError::Rejected { index: 0, source })?;
        self.append(std::slice::from_ref(cmd))?;
        let applied = match self.state.apply(cmd) {
            Ok(applied) => applied,
            Err(source) => {
                // `check` accepted it, so this is a state-machine bug; the log now holds a
                // command the state lacks, so stop writing.
                self.poisoned = true;
                return Err(StoreError::Rejected { index: 0, source });
            }
        };
        self.snapshot_if_due();
        Ok(applied)
    }

    /// Apply commands as one atomic, durable unit with a single write and fsync: all are
    /// applied or, if any is refused, none. Each command sees the ones before it. Costs one
    /// clone of the state.
    pub fn apply_batch(&mut self, cmds: &[Command]) -> Result<Vec<Applied>, StoreError> {
        self.writable()?;
        if cmds.is_empty() {
            return Ok(Vec::new());
        }
        let mut next = self.state.clone();
        let applied = cmds
            .iter()
            .enumerate()
            .map(|(index, cmd)| {
                next.apply(cmd)
                    .map_err(|source| StoreError::Rejected { index, source })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.append(cmds)?;
        self.state = next;
        self.snapshot_if_due();
        Ok(applied)
    }

    /// Whether writes are accepted (false after a failed log write).
    pub fn is_writable(&self) -> bool {
        !self.poisoned
    }

    /// The current state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The revision of the last applied command.
    pub fn revision(&self) -> Revision {
        self.state.revision()
    }

    /// The revision of the newest snapshot (0: none).
    pub fn snapshot_revision(&self) -> Revision {
        self.snapshot_revision
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Snapshot the current state, start a new log segment after it and delete the older
    /// segments and snapshots. Returns the snapshot's revision.
    pub fn snapshot(&mut self) -> Result<Revision, StoreError> {
        self.writable()?;
        let revision = self.state.revision();
        snapshot::write_snapshot(&self.dir, &self.state)?;
        if self.log.base() != revision {
            self.log = ActiveSegment::create(&self.dir, revision)?;
        }
        self.snapshot_revision = revision;
        self.remove_obsolete_files();
        tracing::debug!(revision = revision.0, "snapshot written, log compacted");
        Ok(revision)
    }

    fn writable(&self) -> Result<(), StoreError> {
        if self.poisoned {
            Err(StoreError::Poisoned)
        } else {
            Ok(())
        }
    }

    fn append(&mut self, cmds: &[Command]) -> Result<(), StoreError> {
        let payload = command::encode_batch(cmds);
        self.log
            .append(&payload, self.options.sync)
            .map_err(|err| match err {
                AppendError::Clean(err) => err,
                AppendError::Poisoned(err) => {
                    self.poisoned = true;
                    tracing::error!(error = %err, "log write failed; the store stops accepting writes");
                    err
                }
            })
    }

    fn snapshot_if_due(&mut self) {
        let every = self.options.snapshot_every;
        if every == 0 || self.state.revision().0 - self.snapshot_revision.0 < every {
            return;
        }
        // The commands are already durable in the log; a failed snapshot only postpones
        // compaction, so it must not fail the apply.
        if let Err(err) = self.snapshot() {
            tracing::warn!(error = %err, "periodic snapshot failed; will retry");
        }
    }

    /// Delete segments before the active one and snapshots before the newest. Failures only
    /// leave files that the next open skips, so they are logged, not returned.
    fn remove_obsolete_files(&self) {
        let files = match DataFiles::list(&self.dir) {
            Ok(files) => files,
            Err(err) => {
                tracing::warn!(error = %err, "cannot list the data directory for compaction");
                return;
            }
        };
        let doomed_segments = files
            .segments
            .iter()
            .filter(|(base, _)| *base < self.log.base());
        let doomed_snapshots = files
            .snapshots
            .iter()
            .filter(|(revision, _)| *revision < self.snapshot_revision);
        for (_, path) in doomed_segments.chain(doomed_snapshots) {
            if let Err(err) = fs::remove_file(path) {
                tracing::warn!(file = %path.display(), error = %err, "cannot delete obsolete file");
            }
        }
        if let Err(err) = log::sync_dir(&self.dir) {
            tracing::warn!(error = %err, "cannot fsync the data directory after compaction");
        }
    }
}

/// The snapshots and log segments in a data directory, each sorted by revision.
struct DataFiles {
    snapshots: Vec<(Revision, PathBuf)>,
    segments: Vec<(Revision, PathBuf)>,
}

impl DataFiles {
    /// List `dir`, deleting temporary files left by an interrupted snapshot or segment
    /// creation.
    fn list(dir: &Path) -> Result<DataFiles, StoreError> {
        let mut files = DataFiles {
            snapshots: Vec::new(),
            segments: Vec::new(),
        };
        let entries = fs::read_dir(dir).map_err(StoreError::io("list", dir))?;
        for entry in entries {
            let entry = entry.map_err(StoreError::io("list", dir))?;
            let path = entry.path();
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            let ours = name.starts_with("log-") || name.starts_with("snapshot-");
            if ours && name.ends_with(".tmp") {
                fs::remove_file(&path).map_err(StoreError::io("delete", &path))?;
            } else if let Some(revision) = snapshot::parse_snapshot_file_name(&name) {
                files.snapshots.push((revision, path));
            } else if let Some(base) = log::parse_segment_file_name(&name) {
                files.segments.push((base, path));
            }
        }
        files.snapshots.sort();
        files.segments.sort();
        Ok(files)
    }
}
