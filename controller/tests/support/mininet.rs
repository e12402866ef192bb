//! Mininet networks driven through `ops/mininet/run.py --json`: a long-lived network that
//! takes actions one at a time (`serve` mode), or a one-shot run of a list of actions.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::HarnessError;
use super::ovs::{repo_root, run_checked, tail};

/// A switch of the running network.
#[derive(Debug, Clone, Deserialize)]
pub struct SwitchInfo {
    /// Mininet's name, which is also the OVS bridge name (`s1`).
    pub name: String,
    /// Datapath id, 16 hex digits.
    pub dpid: String,
}

/// A host of the running network.
#[derive(Debug, Clone, Deserialize)]
pub struct HostInfo {
    /// Mininet's name (`h1`).
    pub name: String,
    /// Its IPv4 address.
    pub ip: String,
    /// Its MAC address.
    pub mac: String,
}

/// run.py's first line: the network is up and (if `connected`) every switch has a controller.
#[derive(Debug, Clone, Deserialize)]
pub struct Ready {
    /// Every switch reported a controller connection within the connect timeout.
    pub connected: bool,
    /// How long the switches took to connect.
    pub connect_seconds: f64,
    /// The switches.
    pub switches: Vec<SwitchInfo>,
    /// The hosts.
    pub hosts: Vec<HostInfo>,
    /// Links as pairs of node names.
    pub links: Vec<[String; 2]>,
}

/// Result of `pingall`: one ping per ordered host pair.
#[derive(Debug, Clone, Deserialize)]
pub struct PingAll {
    /// Echo requests sent.
    pub sent: u64,
    /// Replies received.
    pub received: u64,
    /// Lost share in percent.
    pub loss_percent: f64,
    /// `src->dst` pairs that got no reply.
    pub failed_pairs: Vec<String>,
    /// Wall time taken.
    pub seconds: f64,
}

/// Result of `ping-continuous`.
#[derive(Debug, Clone, Deserialize)]
pub struct PingContinuous {
    /// Pinging host.
    pub src: String,
    /// Pinged host.
    pub dst: String,
    /// Seconds between echo requests.
    pub interval: f64,
    /// Echo requests sent.
    pub sent: u64,
    /// Replies received.
    pub received: u64,
    /// `sent - received`.
    pub lost: u64,
    /// Mean round trip, when any reply came.
    pub rtt_avg_ms: Option<f64>,
    /// Worst round trip, when any reply came.
    pub rtt_max_ms: Option<f64>,
    /// Wall time taken.
    pub seconds: f64,
}

/// Result of `inject-lldp`.
#[derive(Debug, Clone, Deserialize)]
pub struct LldpInjection {
    /// Sending host.
    pub host: String,
    /// Its interface.
    pub interface: String,
    /// Frames sent.
    pub frames_sent: u64,
    /// The frame, hex.
    pub frame_hex: String,
}

fn run_py() -> PathBuf {
    repo_root().join("ops/mininet/run.py")
}

/// A network kept up by `run.py … --json serve`; dropping it stops the network.
#[derive(Debug)]
pub struct MininetNetwork {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    ready: Ready,
    stderr_path: PathBuf,
    _stderr_dir: tempfile::TempDir,
}

impl MininetNetwork {
    /// Starts topology `topo` (run.py syntax, e.g. `tree,depth=2,fanout=3`) against the
    /// controller at `controller` and waits up to `timeout` until every switch is connected.
    pub fn start(
        topo: &str,
        controller: SocketAddr,
        timeout: Duration,
    ) -> Result<Self, HarnessError> {
        let stderr_dir = tempfile::tempdir().map_err(|source| HarnessError::File {
            path: "tempdir".into(),
            source,
        })?;
        let stderr_path = stderr_dir.path().join("run.py.stderr");
        let stderr = File::create(&stderr_path).map_err(|source| HarnessError::File {
            path: stderr_path.clone(),
            source,
        })?;
        let mut command = Command::new(run_py());
        command
            .arg("--topo")
            .arg(topo)
            .arg("--controller")
            .arg(format!("tcp:{}:{}", controller.ip(), controller.port()))
            .arg("--connect-timeout")
            .arg(format!("{:.1}", timeout.as_secs_f64()))
            .arg("--json")
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr);
        let mut child = command.spawn().map_err(|source| HarnessError::Spawn {
            program: format!("{command:?}"),
            source,
        })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut network = Self {
            child: Some(child),
            stdin,
            lines,
            ready: Ready {
                connected: false,
                connect_seconds: 0.0,
                switches: vec![],
                hosts: vec![],
                links: vec![],
            },
            stderr_path,
            _stderr_dir: stderr_dir,
        };
        // Building the network takes a few seconds beyond the connect timeout.
        let first = network.recv_line(
            timeout + Duration::from_secs(60),
            "run.py to build the network",
        )?;
        network.ready = parse(&first, "run.py ready line")?;
        if !network.ready.connected {
            return Err(HarnessError::Timeout {
                what: format!(
                    "every switch to connect to {controller}; run.py: {}",
                    network.stderr()
                ),
                after: timeout,
            });
        }
        Ok(network)
    }

    /// What run.py reported once the network was up.
    pub fn ready(&self) -> &Ready {
        &self.ready
    }

    /// Bridge names of all switches.
    pub fn switch_names(&self) -> Vec<String> {
        self.ready.switches.iter().map(|s| s.name.clone()).collect()
    }

    /// The tail of run.py's stderr (Mininet's log).
    pub fn stderr(&self) -> String {
        tail(
            &std::fs::read_to_string(&self.stderr_path).unwrap_or_default(),
            4000,
        )
    }

    /// Sends one action line (e.g. `ping-continuous h1 h9 --seconds 10`) without waiting.
    pub fn send(&mut self, action: &str) -> Result<(), HarnessError> {
        let stdin = self.stdin.as_mut().expect("stdin open until stop");
        writeln!(stdin, "{action}")
            .and_then(|()| stdin.flush())
            .map_err(|source| HarnessError::File {
                path: "run.py stdin".into(),
                source,
            })
    }

    /// Waits up to `timeout` for the next action result; an error if it reports `ok: false`.
    pub fn recv(&mut self, timeout: Duration) -> Result<Value, HarnessError> {
        let line = self.recv_line(timeout, "a run.py action result")?;
        let value: Value = parse(&line, "run.py action result")?;
        if value.get("ok") != Some(&Value::Bool(true)) {
            return Err(HarnessError::Action {
                action: value["action"].as_str().unwrap_or("?").to_string(),
                error: value["error"].as_str().unwrap_or(&line).to_string(),
            });
        }
        Ok(value)
    }

    /// [`recv`](Self::recv) decoded as `T`.
    pub fn recv_as<T: DeserializeOwned>(&mut self, timeout: Duration) -> Result<T, HarnessError> {
        let value = self.recv(timeout)?;
        serde_json::from_value(value.clone()).map_err(|e| HarnessError::Parse {
            what: "run.py action result",
            detail: e.to_string(),
            text: value.to_string(),
        })
    }

    /// Sends `action` and waits for its result.
    pub fn run(&mut self, action: &str, timeout: Duration) -> Result<Value, HarnessError> {
        self.send(action)?;
        self.recv(timeout)
    }

    /// One ping per ordered host pair.
    pub fn pingall(&mut self) -> Result<PingAll, HarnessError> {
        let hosts = self.ready.hosts.len() as u64;
        self.send("pingall --timeout 1")?;
        // Each failing pair costs the one-second timeout.
        self.recv_as(Duration::from_secs(30 + hosts * hosts))
    }

    /// Starts pinging `dst` from `src` every `interval` for `duration`; collect the result with
    /// [`finish_ping_continuous`](Self::finish_ping_continuous).
    pub fn start_ping_continuous(
        &mut self,
        src: &str,
        dst: &str,
        duration: Duration,
        interval: Duration,
    ) -> Result<(), HarnessError> {
        self.send(&format!(
            "ping-continuous {src} {dst} --seconds {:.3} --interval {:.3}",
            duration.as_secs_f64(),
            interval.as_secs_f64()
        ))
    }

    /// The result of the running `ping-continuous` (waits up to `timeout`).
    pub fn finish_ping_continuous(
        &mut self,
        timeout: Duration,
    ) -> Result<PingContinuous, HarnessError> {
        self.recv_as(timeout)
    }

    /// Sets the link between nodes `a` and `b` down (`up == false`) or up.
    pub fn set_link(&mut self, a: &str, b: &str, up: bool) -> Result<(), HarnessError> {
        let verb = if up { "link-up" } else { "link-down" };
        self.run(&format!("{verb} {a} {b}"), Duration::from_secs(20))
            .map(drop)
    }

    /// Sends a forged LLDP frame from `host`; `options` go to `ops/mininet/lldp_send.py`.
    pub fn inject_lldp(
        &mut self,
        host: &str,
        options: &str,
    ) -> Result<LldpInjection, HarnessError> {
        self.send(&format!("inject-lldp {host} {options}"))?;
        self.recv_as(Duration::from_secs(20))
    }

    /// Stops the network and waits until run.py has removed it.
    pub fn stop(mut self) -> Result<(), HarnessError> {
        self.shutdown()
    }

    fn recv_line(&mut self, timeout: Duration, what: &str) -> Result<String, HarnessError> {
        match self.lines.recv_timeout(timeout) {
            Ok(line) => Ok(line),
            Err(RecvTimeoutError::Timeout) => Err(HarnessError::Timeout {
                what: format!("{what}; run.py: {}", self.stderr()),
                after: timeout,
            }),
            Err(RecvTimeoutError::Disconnected) => {
                let status = self.child.as_mut().and_then(|c| c.wait().ok());
                Err(HarnessError::ExitedEarly {
                    what: format!("run.py (waiting for {what})"),
                    status: status.unwrap_or_default(),
                    log: self.stderr(),
                })
            }
        }
    }

    /// End of input stops `serve`; run.py then stops the network. SIGTERM, then SIGKILL, if
    /// it does not finish in time (a killed run's leftovers are reclaimed by the next run).
    fn shutdown(&mut self) -> Result<(), HarnessError> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        drop(self.stdin.take());
        let wait = |child: &mut Child, limit: Duration| -> Option<std::process::ExitStatus> {
            let deadline = Instant::now() + limit;
            while Instant::now() < deadline {
                if let Ok(Some(status)) = child.try_wait() {
                    return Some(status);
                }
                sleep(Duration::from_millis(50));
            }
            None
        };
        if wait(&mut child, Duration::from_secs(60)).is_some() {
            return Ok(());
        }
        let _ = run_checked(
            Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string()),
        );
        if wait(&mut child, Duration::from_secs(30)).is_some() {
            return Ok(());
        }
        let _ = child.kill();
        let _ = child.wait();
        Err(HarnessError::Timeout {
            what: "run.py to stop its network".into(),
            after: Duration::from_secs(90),
        })
    }
}

impl Drop for MininetNetwork {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Runs `run.py --topo topo --controller … --json ACTIONS…` to completion (bounded by
/// `timeout`) and returns every JSON line it printed (ready, one per action, stopped).
pub fn run_mininet(
    topo: &str,
    controller: SocketAddr,
    actions: &[&str],
    timeout: Duration,
) -> Result<Vec<Value>, HarnessError> {
    let mut command = Command::new("timeout");
    command
        .arg("-s")
        .arg("TERM")
        .arg(format!("{}", timeout.as_secs().max(1)))
        .arg(run_py())
        .arg("--topo")
        .arg(topo)
        .arg("--controller")
        .arg(format!("tcp:{}:{}", controller.ip(), controller.port()))
        .arg("--json");
    for action in actions {
        command.args(action.split_whitespace());
    }
    let out = command.output().map_err(|source| HarnessError::Spawn {
        program: format!("{command:?}"),
        source,
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Result<Vec<Value>, _> = stdout.lines().map(|l| parse(l, "run.py output")).collect();
    let lines = lines?;
    if !out.status.success() && lines.is_empty() {
        return Err(HarnessError::CommandFailed {
            program: format!("{command:?}"),
            status: out.status,
            stderr: tail(&String::from_utf8_lossy(&out.stderr), 2000),
        });
    }
    Ok(lines)
}

fn parse<T: DeserializeOwned>(line: &str, what: &'static str) -> Result<T, HarnessError> {
    serde_json::from_str(line).map_err(|e| HarnessError::Parse {
        what,
        detail: e.to_string(),
        text: line.to_string(),
    })
}
