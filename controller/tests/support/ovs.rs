//! The system Open vSwitch the Mininet tests run on, and small process helpers.

use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;

use super::HarnessError;

/// The workspace root (the directory holding `ops/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the controller crate sits inside the workspace")
        .to_path_buf()
}

/// Runs `command` to completion; its stdout on success, its stderr in the error otherwise.
pub fn run_checked(command: &mut Command) -> Result<String, HarnessError> {
    let program = format!("{command:?}");
    let out = command.output().map_err(|source| HarnessError::Spawn {
        program: program.clone(),
        source,
    })?;
    if !out.status.success() {
        return Err(HarnessError::CommandFailed {
            program,
            status: out.status,
            stderr: tail(&String::from_utf8_lossy(&out.stderr), 2000),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The last `max` bytes of `text` (on a character boundary).
pub fn tail(text: &str, max: usize) -> String {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    text[start..].to_string()
}

/// Installs the OVS and Mininet packages when missing and starts the system OVS in userspace
/// (`ops/ovs/install.sh`, `ops/ovs/system.sh start`; both idempotent). Needs root.
pub fn start_system_ovs() -> Result<(), HarnessError> {
    let ops = repo_root().join("ops/ovs");
    run_checked(&mut Command::new(ops.join("install.sh")))?;
    run_checked(Command::new(ops.join("system.sh")).arg("start"))?;
    Ok(())
}

/// A TCP port on 127.0.0.1 that was free a moment ago (for a controller to listen on).
pub fn free_tcp_port() -> Result<u16, HarnessError> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|source| HarnessError::File {
            path: "127.0.0.1:0".into(),
            source,
        })?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|source| HarnessError::File {
            path: "127.0.0.1:0".into(),
            source,
        })
}

/// PACKET_INs counted on the wire towards a controller port.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct PacketInRate {
    /// Messages counted (a lower bound under load; see `ops/mininet/packet_in_rate.sh`).
    pub packet_ins: u64,
    /// Seconds counted.
    pub seconds: f64,
    /// `packet_ins / seconds`.
    pub rate: f64,
}

/// Counts PACKET_INs sent to `controller_port` on loopback for `window` (blocks that long).
pub fn packet_in_rate(
    controller_port: u16,
    window: Duration,
) -> Result<PacketInRate, HarnessError> {
    let out = run_checked(
        Command::new(repo_root().join("ops/mininet/packet_in_rate.sh"))
            .arg(controller_port.to_string())
            .arg(format!("{:.3}", window.as_secs_f64()))
            .arg("--json"),
    )?;
    serde_json::from_str(out.trim()).map_err(|e| HarnessError::Parse {
        what: "packet_in_rate.sh output",
        detail: e.to_string(),
        text: out,
    })
}
