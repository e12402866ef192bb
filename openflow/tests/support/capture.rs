//! Recording real OpenFlow sessions with Open vSwitch: a transparent proxy between a client
//! (`ovs-ofctl`) and a switch's management socket, and the controller end of a switch's
//! controller connection. Both record every complete message with its direction, one line
//! each (`c2s <hex>` / `s2c <hex>`, `# <comment>`), and never alter or reorder bytes.
//!
//! Shared by `examples/ofcapture.rs` (the command-line tool behind
//! `ops/ovs/capture-fixtures.sh`) and the live tests, which run it in-process.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Which way a message travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the client or controller to the switch.
    C2S,
    /// From the switch to the client or controller.
    S2C,
}

impl Direction {
    /// The tag used in capture files.
    pub fn tag(self) -> &'static str {
        match self {
            Direction::C2S => "c2s",
            Direction::S2C => "s2c",
        }
    }
}

/// One line of a capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A complete OpenFlow message.
    Message(Direction, Vec<u8>),
    /// A `# ` comment.
    Comment(String),
}

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

struct RecorderInner {
    file: Option<File>,
    entries: Vec<Entry>,
}

/// Where a capture goes: kept in memory, and appended to a file when one is given. Each line
/// is one `write` on a file opened for appending, so other writers (a script adding
/// `# command` lines) interleave whole lines.
#[derive(Clone)]
pub struct Recorder(Arc<Mutex<RecorderInner>>);

impl Recorder {
    /// A recorder that keeps entries in memory only.
    pub fn in_memory() -> Recorder {
        Recorder(Arc::new(Mutex::new(RecorderInner {
            file: None,
            entries: Vec::new(),
        })))
    }

    /// A recorder that also appends every line to `path` (created if missing).
    pub fn to_file(path: &Path) -> io::Result<Recorder> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let r = Recorder::in_memory();
        r.lock().file = Some(file);
        Ok(r)
    }

    fn lock(&self) -> MutexGuard<'_, RecorderInner> {
        // A panicking pump thread must not hide what was captured before it.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(inner: &mut RecorderInner, entry: Entry) {
        if let Some(f) = inner.file.as_mut() {
            let line = match &entry {
                Entry::Message(d, b) => format!("{} {}\n", d.tag(), to_hex(b)),
                Entry::Comment(c) => format!("# {c}\n"),
            };
            if let Err(e) = f.write_all(line.as_bytes()) {
                eprintln!("ofcapture: writing the capture failed: {e}");
            }
        }
        inner.entries.push(entry);
    }

    /// Records a comment line.
    pub fn comment(&self, text: &str) {
        for line in text.lines() {
            Recorder::push(&mut self.lock(), Entry::Comment(line.to_string()));
        }
    }

    /// Records one complete message.
    pub fn message(&self, dir: Direction, bytes: &[u8]) {
        Recorder::push(&mut self.lock(), Entry::Message(dir, bytes.to_vec()));
    }

    /// Everything recorded so far.
    pub fn entries(&self) -> Vec<Entry> {
        self.lock().entries.clone()
    }

    /// The recorded messages, without comments.
    pub fn messages(&self) -> Vec<(Direction, Vec<u8>)> {
        self.lock()
            .entries
            .iter()
            .filter_map(|e| match e {
                Entry::Message(d, b) => Some((*d, b.clone())),
                Entry::Comment(_) => None,
            })
            .collect()
    }
}

/// Cuts a byte stream into OpenFlow messages using the 16-bit length at offset 2.
#[derive(Default)]
pub struct Splitter {
    buf: Vec<u8>,
    broken: bool,
}

impl Splitter {
    /// Adds bytes read from the stream; returns the messages they complete, and a complaint
    /// once if the stream cannot be framed (a length below the 8-byte header), after which
    /// nothing more is split (the bytes are still forwarded by the caller).
    pub fn push(&mut self, data: &[u8]) -> (Vec<Vec<u8>>, Option<String>) {
        let mut out = Vec::new();
        if self.broken {
            return (out, None);
        }
        self.buf.extend_from_slice(data);
        loop {
            if self.buf.len() < 4 {
                break;
            }
            let len = usize::from(u16::from_be_bytes([self.buf[2], self.buf[3]]));
            if len < 8 {
                self.broken = true;
                let why = format!(
                    "unframeable stream: length {len} in header {}",
                    to_hex(&self.buf[..4])
                );
                self.buf.clear();
                return (out, Some(why));
            }
            if self.buf.len() < len {
                break;
            }
            out.push(self.buf.drain(..len).collect());
        }
        (out, None)
    }

    /// Bytes of an incomplete message still buffered.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }
}

/// An OpenFlow endpoint address: `unix:PATH` or `tcp:HOST:PORT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Addr {
    /// A unix stream socket.
    Unix(PathBuf),
    /// A TCP address.
    Tcp(SocketAddr),
}

impl Addr {
    /// Parses `unix:PATH`, `tcp:IP:PORT`, or a bare path.
    pub fn parse(s: &str) -> Result<Addr, String> {
        if let Some(p) = s.strip_prefix("unix:") {
            Ok(Addr::Unix(PathBuf::from(p)))
        } else if let Some(t) = s.strip_prefix("tcp:") {
            t.parse()
                .map(Addr::Tcp)
                .map_err(|e| format!("bad tcp address {t:?}: {e}"))
        } else if s.contains('/') {
            Ok(Addr::Unix(PathBuf::from(s)))
        } else {
            Err(format!(
                "address {s:?} is neither unix:PATH nor tcp:IP:PORT"
            ))
        }
    }

    /// Connects to this address.
    pub fn connect(&self) -> io::Result<Conn> {
        match self {
            Addr::Unix(p) => UnixStream::connect(p).map(Conn::Unix),
            Addr::Tcp(a) => TcpStream::connect(a).map(Conn::Tcp),
        }
    }

    /// Listens on this address (removing a stale unix socket file first).
    pub fn listen(&self) -> io::Result<Listener> {
        match self {
            Addr::Unix(p) => {
                let _ = std::fs::remove_file(p);
                UnixListener::bind(p).map(Listener::Unix)
            }
            Addr::Tcp(a) => TcpListener::bind(a).map(Listener::Tcp),
        }
    }
}

impl std::fmt::Display for Addr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Addr::Unix(p) => write!(f, "unix:{}", p.display()),
            Addr::Tcp(a) => write!(f, "tcp:{a}"),
        }
    }
}

/// A connected stream of either kind.
pub enum Conn {
    /// Unix stream.
    Unix(UnixStream),
    /// TCP stream.
    Tcp(TcpStream),
}

impl Conn {
    /// Another handle to the same socket.
    pub fn try_clone(&self) -> io::Result<Conn> {
        match self {
            Conn::Unix(s) => s.try_clone().map(Conn::Unix),
            Conn::Tcp(s) => s.try_clone().map(Conn::Tcp),
        }
    }

    /// Shuts down one or both halves, ignoring an already-closed socket.
    pub fn shutdown(&self, how: Shutdown) {
        let _ = match self {
            Conn::Unix(s) => s.shutdown(how),
            Conn::Tcp(s) => s.shutdown(how),
        };
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Unix(s) => s.read(buf),
            Conn::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Unix(s) => s.write(buf),
            Conn::Tcp(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Unix(s) => s.flush(),
            Conn::Tcp(s) => s.flush(),
        }
    }
}

/// A listening socket of either kind.
pub enum Listener {
    /// Unix listener.
    Unix(UnixListener),
    /// TCP listener.
    Tcp(TcpListener),
}

impl Listener {
    /// Waits for the next connection.
    pub fn accept(&self) -> io::Result<Conn> {
        match self {
            Listener::Unix(l) => l.accept().map(|(s, _)| Conn::Unix(s)),
            Listener::Tcp(l) => l.accept().map(|(s, _)| Conn::Tcp(s)),
        }
    }

    /// The address it is bound to.
    pub fn local_addr(&self) -> io::Result<Addr> {
        match self {
            Listener::Unix(l) => l
                .local_addr()?
                .as_pathname()
                .map(|p| Addr::Unix(p.to_path_buf()))
                .ok_or_else(|| io::Error::other("unnamed unix socket")),
            Listener::Tcp(l) => l.local_addr().map(Addr::Tcp),
        }
    }
}

/// Copies `from` to `to` unchanged, recording each complete message first so that a peer
/// which has seen a reply knows it is already in the capture.
fn pump(mut from: Conn, mut to: Conn, dir: Direction, rec: Recorder) {
    let mut split = Splitter::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let (msgs, complaint) = split.push(&buf[..n]);
        for m in msgs {
            rec.message(dir, &m);
        }
        if let Some(c) = complaint {
            rec.comment(&format!("{}: {c}", dir.tag()));
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    if split.pending() > 0 {
        rec.comment(&format!(
            "{}: stream ended inside a message ({} bytes pending)",
            dir.tag(),
            split.pending()
        ));
    }
    to.shutdown(Shutdown::Write);
    from.shutdown(Shutdown::Read);
}

/// Relays one accepted client to `target`, recording both directions; returns when both
/// directions have ended.
pub fn relay(client: Conn, target: &Addr, rec: &Recorder) -> io::Result<()> {
    let server = target.connect().inspect_err(|e| {
        rec.comment(&format!("proxy: cannot connect to {target}: {e}"));
    })?;
    let c2s = {
        let (from, to, rec) = (client.try_clone()?, server.try_clone()?, rec.clone());
        thread::spawn(move || pump(from, to, Direction::C2S, rec))
    };
    pump(server, client, Direction::S2C, rec.clone());
    let _ = c2s.join();
    Ok(())
}

/// A recording proxy running on its own threads until dropped.
pub struct Proxy {
    addr: Addr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Listens on `listen` and relays each client to `target`, concurrently.
    pub fn start(listen: &Addr, target: Addr, rec: Recorder) -> io::Result<Proxy> {
        let listener = listen.listen()?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let stop = stop.clone();
            thread::spawn(move || {
                while let Ok(client) = listener.accept() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let (target, rec) = (target.clone(), rec.clone());
                    thread::spawn(move || relay(client, &target, &rec));
                }
            })
        };
        Ok(Proxy {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> &Addr {
        &self.addr
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocked accept.
        let _ = self.addr.connect();
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        if let Addr::Unix(p) = &self.addr {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// OpenFlow 1.3 wire constants the controller end needs to recognise replies.
pub mod ofp {
    /// OpenFlow 1.3.
    pub const VERSION: u8 = 0x04;
    /// `OFPT_HELLO`.
    pub const HELLO: u8 = 0;
    /// `OFPT_ERROR`.
    pub const ERROR: u8 = 1;
    /// `OFPT_ECHO_REQUEST`.
    pub const ECHO_REQUEST: u8 = 2;
    /// `OFPT_ECHO_REPLY`.
    pub const ECHO_REPLY: u8 = 3;
    /// `OFPT_PACKET_IN`.
    pub const PACKET_IN: u8 = 10;
    /// `OFPT_FLOW_REMOVED`.
    pub const FLOW_REMOVED: u8 = 11;
    /// `OFPT_PORT_STATUS`.
    pub const PORT_STATUS: u8 = 12;
    /// `OFPT_MULTIPART_REPLY`.
    pub const MULTIPART_REPLY: u8 = 19;

    /// The message type of a frame.
    pub fn msg_type(m: &[u8]) -> Option<u8> {
        m.get(1).copied()
    }

    /// The transaction id of a frame.
    pub fn xid(m: &[u8]) -> Option<u32> {
        Some(u32::from_be_bytes(m.get(4..8)?.try_into().ok()?))
    }

    /// Whether a multipart reply has `OFPMPF_REPLY_MORE` set.
    pub fn reply_more(m: &[u8]) -> bool {
        m.get(10..12)
            .is_some_and(|f| u16::from_be_bytes([f[0], f[1]]) & 1 != 0)
    }
}

/// The controller end of a switch's controller connection: records everything, answers the
/// switch's echo requests, and lets the caller send requests and wait for replies.
pub struct ControllerSession {
    writer: Arc<Mutex<Conn>>,
    inbox: Receiver<Vec<u8>>,
    rec: Recorder,
    reader: Option<JoinHandle<()>>,
    xid: u32,
}

/// Sends `frame`, recording it under the writer lock so the capture keeps wire order.
fn send_locked(writer: &Mutex<Conn>, rec: &Recorder, frame: &[u8]) -> io::Result<()> {
    let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
    rec.message(Direction::C2S, frame);
    w.write_all(frame)
}

impl ControllerSession {
    /// Waits up to `timeout` for a switch to connect to `listener` and starts recording.
    pub fn accept(listener: &TcpListener, rec: Recorder, timeout: Duration) -> io::Result<Self> {
        listener.set_nonblocking(true)?;
        let deadline = Instant::now() + timeout;
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "no switch connected to the controller port",
                        ));
                    }
                    thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(e),
            }
        };
        stream.set_nonblocking(false)?;
        stream.set_nodelay(true)?;
        ControllerSession::start(Conn::Tcp(stream), rec)
    }

    /// Starts recording an already-connected switch.
    pub fn start(conn: Conn, rec: Recorder) -> io::Result<Self> {
        let writer = Arc::new(Mutex::new(conn.try_clone()?));
        let (tx, inbox) = mpsc::channel();
        let reader = {
            let (writer, rec) = (writer.clone(), rec.clone());
            thread::spawn(move || controller_reader(conn, writer, rec, tx))
        };
        Ok(ControllerSession {
            writer,
            inbox,
            rec,
            reader: Some(reader),
            xid: 0,
        })
    }

    /// A fresh transaction id.
    pub fn next_xid(&mut self) -> u32 {
        self.xid += 1;
        self.xid
    }

    /// The recorder this session writes to.
    pub fn recorder(&self) -> &Recorder {
        &self.rec
    }

    /// Sends one encoded message.
    pub fn send(&self, frame: &[u8]) -> io::Result<()> {
        send_locked(&self.writer, &self.rec, frame)
    }

    /// Waits for the next message from the switch that satisfies `want` (others are only
    /// recorded).
    pub fn wait_for(&self, timeout: Duration, want: impl Fn(&[u8]) -> bool) -> io::Result<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.inbox.recv_timeout(left) {
                Ok(m) if want(&m) => return Ok(m),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "switch did not send the expected message",
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "switch closed the controller connection",
                    ));
                }
            }
        }
    }

    /// Waits for the reply (or error) carrying `xid`, and for the whole of a multipart reply.
    pub fn wait_reply(&self, xid: u32, timeout: Duration) -> io::Result<Vec<Vec<u8>>> {
        let mut parts = Vec::new();
        loop {
            let m = self.wait_for(timeout, |m| ofp::xid(m) == Some(xid))?;
            let more = ofp::msg_type(&m) == Some(ofp::MULTIPART_REPLY) && ofp::reply_more(&m);
            parts.push(m);
            if !more {
                return Ok(parts);
            }
        }
    }

    /// Sends `frame` and waits for its reply.
    pub fn request(&self, frame: &[u8], timeout: Duration) -> io::Result<Vec<Vec<u8>>> {
        self.send(frame)?;
        let xid = ofp::xid(frame).unwrap_or(0);
        self.wait_reply(xid, timeout)
    }

    /// Closes the connection and waits for the reader to finish.
    pub fn close(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.writer
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .shutdown(Shutdown::Both);
        if let Some(h) = self.reader.take() {
            let _ = h.join();
        }
    }
}

impl Drop for ControllerSession {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn controller_reader(mut conn: Conn, writer: Arc<Mutex<Conn>>, rec: Recorder, tx: Sender<Vec<u8>>) {
    let mut split = Splitter::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let (msgs, complaint) = split.push(&buf[..n]);
        if let Some(c) = complaint {
            rec.comment(&format!("s2c: {c}"));
        }
        for m in msgs {
            rec.message(Direction::S2C, &m);
            if ofp::msg_type(&m) == Some(ofp::ECHO_REQUEST) {
                let reply = build::echo_reply(&m);
                let _ = send_locked(&writer, &rec, &reply);
            }
            // The session may have stopped listening; recording is what matters.
            let _ = tx.send(m);
        }
    }
}

/// The controller messages the capture tool sends, built with the crate's own encoder
/// (including the requests that are invalid on purpose: the codec keeps unknown types,
/// experimenters and multipart types as raw bytes, and does not judge table order).
pub mod build {
    use bytes::Bytes;
    use openflow::msg::{
        AsyncConfig, ConfigFlags, ControllerRole, Echo, Experimenter, FlowMod, Hello,
        MultipartRequest, MultipartRequestBody, PortConfig, PortFeatures, PortMod, Role,
        SwitchConfig, TableMod,
    };
    use openflow::{Action, Body, Instruction, MacAddr, Message, PortNo, TableId, Xid};

    fn encode(xid: u32, body: Body) -> Vec<u8> {
        Message::new(Xid(xid), body)
            .encode()
            .expect("controller message fits in 64 KiB")
            .to_vec()
    }

    /// `OFPT_HELLO` with a version bitmap offering only 1.3.
    pub fn hello(xid: u32) -> Vec<u8> {
        encode(xid, Body::Hello(Hello::of13()))
    }

    /// `OFPT_ECHO_REQUEST` carrying `data`.
    pub fn echo_request(xid: u32, data: &[u8]) -> Vec<u8> {
        encode(xid, Body::EchoRequest(Echo::new(data.to_vec())))
    }

    /// The `OFPT_ECHO_REPLY` to an echo request: same xid and data.
    pub fn echo_reply(request: &[u8]) -> Vec<u8> {
        let data = request.get(8..).unwrap_or_default().to_vec();
        encode(
            super::ofp::xid(request).unwrap_or(0),
            Body::EchoReply(Echo::new(data)),
        )
    }

    /// `OFPT_FEATURES_REQUEST`.
    pub fn features_request(xid: u32) -> Vec<u8> {
        encode(xid, Body::FeaturesRequest)
    }

    /// `OFPT_GET_CONFIG_REQUEST`.
    pub fn get_config_request(xid: u32) -> Vec<u8> {
        encode(xid, Body::GetConfigRequest)
    }

    /// `OFPT_SET_CONFIG` with `frags=normal`.
    pub fn set_config(xid: u32, miss_send_len: u16) -> Vec<u8> {
        encode(
            xid,
            Body::SetConfig(SwitchConfig {
                flags: ConfigFlags::FRAG_NORMAL,
                miss_send_len,
            }),
        )
    }

    /// `OFPT_MULTIPART_REQUEST` with an empty body: `OFPMP_DESC`, `OFPMP_PORT_DESC`, or any
    /// other type number kept raw.
    pub fn multipart_request(xid: u32, mp_type: u16) -> Vec<u8> {
        let body = match mp_type {
            0 => MultipartRequestBody::Desc,
            13 => MultipartRequestBody::PortDesc,
            _ => MultipartRequestBody::Unknown {
                mp_type,
                body: Bytes::new(),
            },
        };
        encode(xid, Body::MultipartRequest(MultipartRequest::new(body)))
    }

    /// `OFPT_BARRIER_REQUEST`.
    pub fn barrier_request(xid: u32) -> Vec<u8> {
        encode(xid, Body::BarrierRequest)
    }

    /// `OFPT_ROLE_REQUEST` (`role`: 0 nochange, 1 equal, 2 master, 3 slave).
    pub fn role_request(xid: u32, role: u32, generation_id: u64) -> Vec<u8> {
        let role = ControllerRole::from_raw(role);
        encode(xid, Body::RoleRequest(Role::new(role, generation_id)))
    }

    /// `OFPT_GET_ASYNC_REQUEST`.
    pub fn get_async_request(xid: u32) -> Vec<u8> {
        encode(xid, Body::GetAsyncRequest)
    }

    /// `OFPT_SET_ASYNC`: masks as (master/equal, slave) pairs for packet-in, port-status and
    /// flow-removed reasons.
    pub fn set_async(
        xid: u32,
        packet_in_mask: [u32; 2],
        port_status_mask: [u32; 2],
        flow_removed_mask: [u32; 2],
    ) -> Vec<u8> {
        encode(
            xid,
            Body::SetAsync(AsyncConfig {
                packet_in_mask,
                port_status_mask,
                flow_removed_mask,
            }),
        )
    }

    /// `OFPT_FLOW_MOD` adding a priority-16 match-all flow to `table_id`.
    pub fn flow_mod_add(xid: u32, table_id: u8, instructions: Vec<Instruction>) -> Vec<u8> {
        let fm = FlowMod {
            table_id: TableId(table_id),
            priority: 16,
            instructions,
            ..FlowMod::default()
        };
        encode(xid, Body::FlowMod(fm))
    }

    /// `OFPIT_GOTO_TABLE`.
    pub fn goto_table(table_id: u8) -> Vec<Instruction> {
        vec![Instruction::GotoTable(TableId(table_id))]
    }

    /// `OFPIT_APPLY_ACTIONS` holding `action`.
    pub fn apply(action: Action) -> Vec<Instruction> {
        vec![Instruction::ApplyActions(vec![action])]
    }

    /// `OFPT_PORT_MOD` bringing `port_no` down.
    pub fn port_down(xid: u32, port_no: u32, hw_addr: [u8; 6]) -> Vec<u8> {
        let pm = PortMod {
            port_no: PortNo(port_no),
            hw_addr: MacAddr(hw_addr),
            config: PortConfig::PORT_DOWN,
            mask: PortConfig::PORT_DOWN,
            advertise: PortFeatures::EMPTY,
        };
        encode(xid, Body::PortMod(pm))
    }

    /// `OFPT_TABLE_MOD` with `config`.
    pub fn table_mod(xid: u32, table_id: u8, config: u32) -> Vec<u8> {
        let tm = TableMod {
            table_id: TableId(table_id),
            config,
        };
        encode(xid, Body::TableMod(tm))
    }

    /// `OFPT_EXPERIMENTER` from `experimenter` with `exp_type` and `data`.
    pub fn experimenter(xid: u32, experimenter: u32, exp_type: u32, data: &[u8]) -> Vec<u8> {
        let e = Experimenter::Other {
            experimenter,
            exp_type,
            data: Bytes::copy_from_slice(data),
        };
        encode(xid, Body::Experimenter(e))
    }

    /// A message of a type OpenFlow 1.3 does not define.
    pub fn raw(xid: u32, msg_type: u8, body: &[u8]) -> Vec<u8> {
        encode(
            xid,
            Body::Unknown {
                msg_type,
                body: Bytes::copy_from_slice(body),
            },
        )
    }
}

impl ControllerSession {
    fn step(&mut self, what: &str, frame: Vec<u8>, timeout: Duration) -> io::Result<Vec<Vec<u8>>> {
        self.rec.comment(&format!("controller: {what}"));
        self.request(&frame, timeout)
    }

    /// The opening a controller performs, recorded: hello, features, an echo, switch config,
    /// port and switch descriptions, role changes (including a stale one the switch refuses
    /// with an error), async config and a barrier.
    pub fn handshake(&mut self, timeout: Duration) -> io::Result<()> {
        self.rec.comment("controller: HELLO (version bitmap 1.3)");
        let x = self.next_xid();
        self.send(&build::hello(x))?;
        self.wait_for(timeout, |m| ofp::msg_type(m) == Some(ofp::HELLO))?;
        let x = self.next_xid();
        self.step("FEATURES_REQUEST", build::features_request(x), timeout)?;
        let x = self.next_xid();
        self.step("ECHO_REQUEST", build::echo_request(x, b"navarch"), timeout)?;
        let x = self.next_xid();
        self.rec
            .comment("controller: SET_CONFIG miss_send_len=0xffff");
        self.send(&build::set_config(x, 0xffff))?;
        let x = self.next_xid();
        self.step("GET_CONFIG_REQUEST", build::get_config_request(x), timeout)?;
        let x = self.next_xid();
        self.step(
            "MULTIPART_REQUEST PORT_DESC",
            build::multipart_request(x, 13),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "MULTIPART_REQUEST DESC",
            build::multipart_request(x, 0),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "ROLE_REQUEST master generation 5",
            build::role_request(x, 2, 5),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "ROLE_REQUEST slave generation 1 (stale: the switch answers with an error)",
            build::role_request(x, 3, 1),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "ROLE_REQUEST nochange",
            build::role_request(x, 0, 0),
            timeout,
        )?;
        let x = self.next_xid();
        self.step("GET_ASYNC_REQUEST", build::get_async_request(x), timeout)?;
        let x = self.next_xid();
        self.rec
            .comment("controller: SET_ASYNC (every reason for master, port-status for slave)");
        self.send(&build::set_async(x, [0x7, 0], [0x7, 0x7], [0xf, 0]))?;
        let x = self.next_xid();
        self.step("GET_ASYNC_REQUEST", build::get_async_request(x), timeout)?;
        let x = self.next_xid();
        self.step("BARRIER_REQUEST", build::barrier_request(x), timeout)?;
        Ok(())
    }

    /// Requests a switch must refuse, each answered with `OFPT_ERROR` (whose data echoes the
    /// request), and a table-mod it accepts; ends with a barrier. Steps whose request even
    /// `ovs-ofctl ofp-print` cannot decode are marked `[ofp-print refuses]` in the capture: the
    /// codec must still keep them (unknown types, experimenters and actions survive as bytes).
    pub fn refused_requests(&mut self, timeout: Duration) -> io::Result<()> {
        let x = self.next_xid();
        self.step(
            "FLOW_MOD in table 3 with goto_table:1 (backwards: OFPBIC_BAD_TABLE_ID) [ofp-print refuses]",
            build::flow_mod_add(x, 3, build::goto_table(1)),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "FLOW_MOD applying OFPAT_COPY_TTL_OUT (unsupported by Open vSwitch) [ofp-print refuses]",
            build::flow_mod_add(x, 0, build::apply(openflow::Action::CopyTtlOut)),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "PORT_MOD of a port that does not exist (OFPPMFC_BAD_PORT)",
            build::port_down(x, 99, [0, 0, 0, 0, 0, 99]),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "a message of undefined type 0x30 (OFPBRC_BAD_TYPE) [ofp-print refuses]",
            build::raw(x, 0x30, &[1, 2, 3, 4]),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "EXPERIMENTER 0x00abcdef (OFPBRC_BAD_EXPERIMENTER) [ofp-print refuses]",
            build::experimenter(x, 0x00ab_cdef, 1, b"data"),
            timeout,
        )?;
        let x = self.next_xid();
        self.step(
            "MULTIPART_REQUEST of undefined type 0x00ee [ofp-print refuses]",
            build::multipart_request(x, 0xee),
            timeout,
        )?;
        let x = self.next_xid();
        self.rec.comment("controller: TABLE_MOD table 0 config 0");
        self.send(&build::table_mod(x, 0, 0))?;
        let x = self.next_xid();
        self.step("BARRIER_REQUEST", build::barrier_request(x), timeout)?;
        Ok(())
    }
}
