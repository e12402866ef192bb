//! Helpers for the southbound tests: an isolated OVS instance that stops on drop, and an
//! in-process emulated switch (`openflow::Channel::switch`) over a real TCP socket.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use navarch_controller::southbound::{ListenAddr, SwitchEvent, SwitchEventKind, SwitchHandle};
use openflow::msg::{
    Capabilities, FeaturesReply, MultipartReply, MultipartReplyBody, MultipartRequestBody,
};
use openflow::{Body, Channel, ChannelConfig, DatapathId, Event, Message};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// How long a test waits for something that should happen promptly.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// An OVS sandbox (`ops/ovs/sandbox.sh --dummy`) in its own temporary directory.
pub struct Ovs {
    dir: tempfile::TempDir,
}

fn sandbox_sh() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ops/ovs/sandbox.sh")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run command");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Ovs {
    /// Starts an instance with bridge `br0` of datapath id `dpid` (no controller yet).
    pub fn start(dpid: u64) -> Ovs {
        let dir = tempfile::Builder::new()
            .prefix("sb-")
            .tempdir_in("/tmp")
            .expect("temp dir");
        let ovs = Ovs { dir };
        run(Command::new(sandbox_sh())
            .arg("start")
            .arg(ovs.dir())
            .arg("--dummy"));
        run(Command::new(sandbox_sh())
            .args(["add-br"])
            .arg(ovs.dir())
            .args(["br0", &dpid.to_string()]));
        ovs
    }

    /// The sandbox directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `ovs-vsctl ARGS` against this instance.
    pub fn vsctl(&self, args: &[&str]) -> String {
        run(Command::new(sandbox_sh())
            .arg("vsctl")
            .arg(self.dir())
            .args(args))
    }

    /// `ovs-ofctl -O OpenFlow13 CMD unix:DIR/br0.mgmt ARGS`.
    pub fn ofctl(&self, cmd: &str, args: &[&str]) -> String {
        let mgmt = format!("unix:{}/br0.mgmt", self.dir().display());
        run(Command::new(sandbox_sh())
            .arg("ofctl")
            .arg(self.dir())
            .arg(cmd)
            .arg(mgmt)
            .args(args))
    }

    /// Adds a dummy port to br0.
    pub fn add_port(&self, name: &str, ofport: u32) {
        run(Command::new(sandbox_sh())
            .arg("add-port")
            .arg(self.dir())
            .args(["br0", name, &ofport.to_string()]));
    }

    /// Points br0 at the controller.
    pub fn set_controller(&self, target: &ListenAddr) {
        let t = match target {
            ListenAddr::Tcp(a) => format!("tcp:{}:{}", a.ip(), a.port()),
            ListenAddr::Unix(p) => format!("unix:{}", p.display()),
        };
        self.vsctl(&["set-controller", "br0", &t]);
    }
}

impl Drop for Ovs {
    fn drop(&mut self) {
        let _ = Command::new(sandbox_sh())
            .arg("stop")
            .arg(self.dir())
            .output();
    }
}

/// The next event, or a panic after [`PATIENCE`].
pub async fn next_event(rx: &mut mpsc::Receiver<SwitchEvent>) -> SwitchEvent {
    tokio::time::timeout(PATIENCE, rx.recv())
        .await
        .expect("no switch event in time")
        .expect("event queue closed")
}

/// Waits for the `Connected` event of `dpid`, skipping others.
pub async fn wait_connected(
    rx: &mut mpsc::Receiver<SwitchEvent>,
    dpid: u64,
) -> (FeaturesReply, Vec<openflow::msg::Port>, SwitchHandle) {
    loop {
        let ev = next_event(rx).await;
        if ev.dpid != DatapathId(dpid) {
            continue;
        }
        if let SwitchEventKind::Connected {
            features,
            ports,
            handle,
        } = ev.kind
        {
            return (features, ports, handle);
        }
    }
}

/// A loopback TCP listen address on a free port.
pub fn tcp_any() -> ListenAddr {
    ListenAddr::Tcp(SocketAddr::from(([127, 0, 0, 1], 0)))
}

/// The TCP address the southbound bound.
pub fn tcp_of(addrs: &[ListenAddr]) -> SocketAddr {
    addrs
        .iter()
        .find_map(|a| match a {
            ListenAddr::Tcp(a) => Some(*a),
            ListenAddr::Unix(_) => None,
        })
        .expect("a tcp listener")
}

/// An in-process switch: `Channel::switch` over TCP, answering port descriptions with no
/// ports; driven explicitly by the test (it does nothing between [`pump`] calls, so a
/// test makes it go silent by not pumping).
///
/// [`pump`]: EmulatedSwitch::pump
pub struct EmulatedSwitch {
    /// The socket.
    pub stream: TcpStream,
    /// The switch-side channel.
    pub ch: Channel,
    /// The peer closed the connection.
    pub closed: bool,
}

impl EmulatedSwitch {
    /// Connects as datapath `dpid`.
    pub async fn connect(addr: SocketAddr, dpid: u64) -> EmulatedSwitch {
        let features = FeaturesReply {
            datapath_id: DatapathId(dpid),
            n_buffers: 0,
            n_tables: 254,
            auxiliary_id: 0,
            capabilities: Capabilities::FLOW_STATS,
            reserved: 0,
        };
        let stream = TcpStream::connect(addr).await.expect("connect");
        let ch = Channel::switch(ChannelConfig::default(), features, Instant::now());
        EmulatedSwitch {
            stream,
            ch,
            closed: false,
        }
    }

    /// Runs the switch for `dur`; returns the messages it did not answer itself.
    pub async fn pump(&mut self, dur: Duration) -> Vec<Message> {
        let deadline = tokio::time::Instant::now() + dur;
        let mut got = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        while !self.closed {
            while let Some(ev) = self.ch.poll_event() {
                if let Event::Message(msg) = ev {
                    self.answer(msg, &mut got);
                }
            }
            if let Some(out) = self.ch.poll_transmit()
                && self.stream.write_all(&out).await.is_err()
            {
                self.closed = true;
                break;
            }
            match tokio::time::timeout_at(deadline, self.stream.read(&mut buf)).await {
                Err(_) => break,
                Ok(Ok(0)) | Ok(Err(_)) => self.closed = true,
                Ok(Ok(n)) => self.ch.handle_input(&buf[..n], Instant::now()),
            }
        }
        got
    }

    fn answer(&mut self, msg: Message, got: &mut Vec<Message>) {
        if let Body::MultipartRequest(req) = &msg.body
            && matches!(req.body, MultipartRequestBody::PortDesc)
        {
            let reply = MultipartReply::new(MultipartReplyBody::PortDesc(Vec::new()));
            let _ = self
                .ch
                .send_message(&Message::new(msg.xid, Body::MultipartReply(reply)));
            return;
        }
        got.push(msg);
    }

    /// Pumps until the southbound announces `dpid`; returns its handle.
    pub async fn until_connected(
        &mut self,
        rx: &mut mpsc::Receiver<SwitchEvent>,
        dpid: u64,
    ) -> SwitchHandle {
        let give_up = Instant::now() + PATIENCE;
        while Instant::now() < give_up {
            self.pump(Duration::from_millis(20)).await;
            if let Ok(ev) = rx.try_recv() {
                assert_eq!(ev.dpid, DatapathId(dpid), "event of another switch: {ev:?}");
                match ev.kind {
                    SwitchEventKind::Connected { handle, .. } => return handle,
                    other => panic!("expected Connected, got {other:?}"),
                }
            }
        }
        panic!("switch {dpid} was not announced");
    }
}
