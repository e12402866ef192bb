//! What can go wrong while setting up or driving an end-to-end test.

use std::path::PathBuf;
use std::time::Duration;

/// A harness failure, with enough context to tell a broken machine from a broken controller.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// A helper program could not be started at all.
    #[error("cannot run {program}: {source}")]
    Spawn {
        /// The program's path or name.
        program: String,
        /// Why the operating system refused.
        source: std::io::Error,
    },
    /// A helper program ran and exited unsuccessfully.
    #[error("{program} failed ({status}): {stderr}")]
    CommandFailed {
        /// The command line.
        program: String,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The tail of what it wrote on stderr.
        stderr: String,
    },
    /// A process did not reach the expected state in time.
    #[error("timed out after {after:?} waiting for {what}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long we waited.
        after: Duration,
    },
    /// A process exited while it was expected to keep running.
    #[error("{what} exited early ({status}); log: {log}")]
    ExitedEarly {
        /// Which process.
        what: String,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The tail of its log.
        log: String,
    },
    /// A helper's output could not be understood.
    #[error("cannot parse {what}: {detail} in {text:?}")]
    Parse {
        /// Which output.
        what: &'static str,
        /// What was wrong with it.
        detail: String,
        /// The offending text.
        text: String,
    },
    /// An action of run.py reported `ok: false`.
    #[error("mininet action {action:?} failed: {error}")]
    Action {
        /// The action line sent.
        action: String,
        /// run.py's error text.
        error: String,
    },
    /// A file the harness needs could not be used.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
