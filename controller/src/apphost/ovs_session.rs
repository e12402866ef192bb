//! For the live tests against real Open vSwitch: an isolated instance (userspace, dummy ports,
//! `ops/ovs/sandbox.sh`) and a blocking OpenFlow 1.3 session to its bridge. A switch that
//! cannot start is a failure, never a skip.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use openflow::msg::{
    ErrorMsg, FlowStatsRequest, Hello, MeterMultipartRequest, MultipartReplyBody, MultipartRequest,
    MultipartRequestBody,
};
use openflow::{Body, DatapathId, Framer, Message, MeterId, Xid};

use super::host::SwitchDump;
use super::plan::with_xid;

/// The bridge's datapath id.
pub const DPID: DatapathId = DatapathId(0x10);

/// One isolated OVS instance in a temporary directory, stopped on drop.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ops/ovs/sandbox.sh")
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(Sandbox::script())
            .args(args)
            .output()
            .expect("run sandbox.sh");
        assert!(
            out.status.success(),
            "sandbox.sh {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts an instance with bridge br0 (datapath id [`DPID`]) and ports 1 to 3.
    pub fn start() -> Sandbox {
        let sb = Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let dir = sb.path();
        sb.run(&["start", &dir, "--dummy"]);
        sb.run(&["add-br", &dir, "br0", "0x10"]);
        sb.run(&["add-port", &dir, "br0", "p1", "1"]);
        sb.run(&["add-port", &dir, "br0", "p2", "2"]);
        sb.run(&["add-port", &dir, "br0", "p3", "3"]);
        sb
    }

    fn path(&self) -> String {
        self.dir.path().display().to_string()
    }

    /// The bridge's management socket.
    pub fn mgmt(&self) -> PathBuf {
        self.dir.path().join("br0.mgmt")
    }

    /// `ovs-ofctl -O OpenFlow13 COMMAND unix:br0.mgmt ARGS...` against the bridge.
    pub fn ofctl(&self, command: &str, args: &[&str]) -> String {
        let dir = self.path();
        let target = format!("unix:{}", self.mgmt().display());
        let mut all = vec!["ofctl", dir.as_str(), command, target.as_str()];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = Command::new(Sandbox::script())
            .args(["stop", &self.path()])
            .output();
    }
}

/// A blocking OpenFlow 1.3 session to a bridge's management socket.
pub struct Session {
    sock: UnixStream,
    framer: Framer,
    next_xid: u32,
}

impl Session {
    /// Connects and says hello.
    pub fn open(path: &Path) -> Session {
        let sock = UnixStream::connect(path).expect("connect to the bridge");
        sock.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let mut s = Session {
            sock,
            framer: Framer::new(65535),
            next_xid: 1,
        };
        s.send(Body::Hello(Hello::of13()));
        let hello = s.recv();
        assert!(matches!(hello.body, Body::Hello(_)), "got {hello}");
        s
    }

    /// Sends a body with the next xid (set inside a bundle add too).
    pub fn send(&mut self, body: Body) -> Xid {
        let xid = Xid(self.next_xid);
        self.next_xid += 1;
        let bytes = with_xid(body, xid).encode().expect("encode");
        self.sock.write_all(&bytes).expect("write");
        xid
    }

    /// The next message from the switch.
    pub fn recv(&mut self) -> Message {
        loop {
            if let Some(frame) = self.framer.next_frame().expect("frame") {
                return Message::decode(&frame).expect("decode");
            }
            let mut buf = [0u8; 65536];
            let n = self.sock.read(&mut buf).expect("read");
            assert!(n > 0, "switch closed the session");
            self.framer.push(&buf[..n]);
        }
    }

    /// Sends a plan, waits for its last barrier, and returns every error the switch sent
    /// meanwhile, with the body it refused.
    pub fn try_apply(&mut self, bodies: Vec<Body>) -> Vec<(Body, ErrorMsg)> {
        let mut sent = Vec::new();
        let mut last = None;
        for body in bodies {
            let barrier = matches!(body, Body::BarrierRequest);
            let xid = self.send(body.clone());
            sent.push((xid, body));
            if barrier {
                last = Some(xid);
            }
        }
        let mut errors = Vec::new();
        let Some(last) = last else { return errors };
        loop {
            let m = self.recv();
            match m.body {
                Body::Error(e) => {
                    let body = sent.iter().find(|(x, _)| *x == m.xid).map(|(_, b)| b);
                    let body = body.cloned().unwrap_or(Body::BarrierRequest);
                    errors.push((body, e));
                }
                Body::BarrierReply if m.xid == last => return errors,
                _ => {}
            }
        }
    }

    /// Sends a plan and waits for its last barrier; panics on any error from the switch.
    pub fn apply(&mut self, bodies: Vec<Body>) {
        let errors = self.try_apply(bodies);
        assert!(errors.is_empty(), "switch refused: {errors:#?}");
    }

    /// Every record of a multipart reply, or the switch's error.
    pub fn multipart(
        &mut self,
        body: MultipartRequestBody,
    ) -> Result<Vec<MultipartReplyBody>, ErrorMsg> {
        let xid = self.send(Body::MultipartRequest(MultipartRequest::new(body)));
        let mut parts = Vec::new();
        loop {
            let m = self.recv();
            match m.body {
                Body::MultipartReply(r) if m.xid == xid => {
                    let more = r.is_more();
                    parts.push(r.body);
                    if !more {
                        return Ok(parts);
                    }
                }
                Body::Error(e) if m.xid == xid => return Err(e),
                _ => {}
            }
        }
    }

    /// Every flow, group and meter on the switch, as the runtime dumps them.
    pub fn dump(&mut self) -> SwitchDump {
        let mut dump = SwitchDump::default();
        let flows = MultipartRequestBody::Flow(FlowStatsRequest::default());
        for part in self.multipart(flows).expect("flow dump") {
            match part {
                MultipartReplyBody::Flow(f) => dump.flows.extend(f),
                other => panic!("unexpected reply {other:?}"),
            }
        }
        let groups = self.multipart(MultipartRequestBody::GroupDesc);
        dump.groups = groups.ok().map(|parts| {
            parts
                .into_iter()
                .flat_map(|p| match p {
                    MultipartReplyBody::GroupDesc(g) => g,
                    other => panic!("unexpected reply {other:?}"),
                })
                .collect()
        });
        let all = MeterMultipartRequest {
            meter_id: MeterId::ALL,
        };
        let meters = self.multipart(MultipartRequestBody::MeterConfig(all));
        dump.meters = meters.ok().map(|parts| {
            parts
                .into_iter()
                .flat_map(|p| match p {
                    MultipartReplyBody::MeterConfig(m) => m,
                    other => panic!("unexpected reply {other:?}"),
                })
                .collect()
        });
        dump
    }
}
