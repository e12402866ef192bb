//! Helpers shared by the integration tests that use real Open vSwitch captures: hex, reading
//! fixture files, `ovs-ofctl ofp-print`, classifying raw messages by family, the
//! decode/encode identity check, and an isolated OVS instance that stops when dropped.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

pub mod capture;
pub mod families;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use openflow::Message;

pub use capture::{Direction, to_hex};

/// Bytes from a hex string (whitespace ignored).
pub fn from_hex(s: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .map(|p| {
            let h = std::str::from_utf8(p).map_err(|e| e.to_string())?;
            u8::from_str_radix(h, 16).map_err(|e| format!("bad hex {h:?}: {e}"))
        })
        .collect()
}

/// One message of a fixture file, with where it came from.
#[derive(Clone, Debug)]
pub struct FixtureMessage {
    /// The fixture file's name.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// Which way it travelled.
    pub dir: Direction,
    /// The whole message.
    pub bytes: Vec<u8>,
    /// The last `# ...` command comment before it.
    pub command: String,
}

impl FixtureMessage {
    /// `file:line (command)` for failure messages.
    pub fn origin(&self) -> String {
        format!("{}:{} ({})", self.file, self.line, self.command)
    }
}

/// Where the captured fixtures live.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ovs")
}

/// Reads one capture file (`c2s <hex>`, `s2c <hex>`, `# comment`, blank lines).
pub fn read_fixture(path: &Path) -> Result<Vec<FixtureMessage>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut command = String::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            // Lines listing a flows file's contents are not commands.
            if !c.is_empty() && !c.contains(".txt: ") {
                command = c.to_string();
            }
            continue;
        }
        let (tag, hex) = line
            .split_once(' ')
            .ok_or_else(|| format!("{file}:{}: no direction tag", i + 1))?;
        let dir = match tag {
            "c2s" => Direction::C2S,
            "s2c" => Direction::S2C,
            other => return Err(format!("{file}:{}: unknown tag {other:?}", i + 1)),
        };
        let bytes = from_hex(hex).map_err(|e| format!("{file}:{}: {e}", i + 1))?;
        out.push(FixtureMessage {
            file: file.clone(),
            line: i + 1,
            dir,
            bytes,
            command: command.clone(),
        });
    }
    Ok(out)
}

/// Every message of every fixture file, in file-name order.
pub fn all_fixtures() -> Vec<FixtureMessage> {
    let dir = fixtures_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
        .iter()
        .flat_map(|f| read_fixture(f).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// What `ovs-ofctl ofp-print` prints for `bytes` (stdout), or why it failed.
pub fn ofp_print(bytes: &[u8]) -> Result<String, String> {
    let out = Command::new("ovs-ofctl")
        .args(["ofp-print", &to_hex(bytes)])
        .output()
        .map_err(|e| format!("cannot run ovs-ofctl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || text.contains("decode error") {
        return Err(format!("{text}{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(text)
}

fn panic_text(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Checks the codec's identity on one real message: it decodes, re-encodes to exactly the
/// same bytes, and the re-encoded bytes decode to an equal `Message`. A panic (such as a
/// placeholder's `todo!()`) is reported as a failure rather than aborting the caller.
pub fn round_trip(bytes: &[u8]) -> Result<Message, String> {
    let frame = Bytes::copy_from_slice(bytes);
    let decoded = catch_unwind(AssertUnwindSafe(|| Message::decode(&frame)))
        .map_err(|p| format!("decode panicked: {}", panic_text(p)))?
        .map_err(|e| format!("decode failed: {e}"))?;
    let encoded = catch_unwind(AssertUnwindSafe(|| decoded.encode()))
        .map_err(|p| format!("encode panicked: {}", panic_text(p)))?
        .map_err(|e| format!("encode failed: {e}"))?;
    if encoded.as_ref() != bytes {
        let at = encoded
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(encoded.len().min(bytes.len()));
        return Err(format!(
            "re-encoded bytes differ at offset {at} (lengths {} vs {}):\n  captured {}\n  encoded  {}",
            bytes.len(),
            encoded.len(),
            to_hex(bytes),
            to_hex(&encoded)
        ));
    }
    let again = catch_unwind(AssertUnwindSafe(|| Message::decode(&encoded)))
        .map_err(|p| format!("re-decode panicked: {}", panic_text(p)))?
        .map_err(|e| format!("re-decode failed: {e}"))?;
    if again != decoded {
        return Err(format!(
            "re-decoded message differs:\n  first  {decoded:?}\n  second {again:?}"
        ));
    }
    Ok(decoded)
}

thread_local! {
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Silences the panic message of panics this thread catches on purpose (codec placeholders),
/// leaving other threads' panics, and this thread's outside `round_trip_all`, as they were.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                default(info);
            }
        }));
    });
}

/// Runs `round_trip` over messages (panics inside the codec are caught and reported, not
/// printed); returns failures grouped by family.
pub fn round_trip_all<'a>(
    msgs: impl IntoIterator<Item = (String, &'a [u8])>,
) -> (usize, BTreeMap<String, Vec<String>>) {
    install_quiet_hook();
    QUIET.with(|q| q.set(true));
    let mut n = 0;
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (origin, bytes) in msgs {
        n += 1;
        if let Err(e) = round_trip(bytes) {
            failures
                .entry(families::family(bytes))
                .or_default()
                .push(format!("{origin}: {e}"));
        }
    }
    QUIET.with(|q| q.set(false));
    (n, failures)
}

/// A readable report of `round_trip_all` failures: a count per family and a few examples.
pub fn failure_report(n: usize, failures: &BTreeMap<String, Vec<String>>) -> String {
    let total: usize = failures.values().map(Vec::len).sum();
    let mut s = format!("{total} of {n} captured messages fail the decode/encode identity:\n");
    for (family, list) in failures {
        s.push_str(&format!("  {family}: {} failing\n", list.len()));
        for e in list.iter().take(2) {
            let e: String = e.chars().take(600).collect();
            s.push_str(&format!("      {}\n", e.replace('\n', "\n        ")));
        }
    }
    s
}

/// The repository root (the workspace containing this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crate lives in the workspace")
        .to_path_buf()
}

fn run(cmd: &mut Command) -> Output {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {shown}: {e}"));
    assert!(
        out.status.success(),
        "{shown} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// An isolated Open vSwitch instance (`ops/ovs/sandbox.sh`) under a directory of its own,
/// stopped and removed when dropped, even while a test panics.
pub struct Sandbox {
    /// The instance's directory (db, pids, logs, `<bridge>.mgmt` sockets).
    pub dir: PathBuf,
    netns: Option<String>,
}

static SANDBOXES: AtomicUsize = AtomicUsize::new(0);

impl Sandbox {
    fn script() -> PathBuf {
        repo_root().join("ops/ovs/sandbox.sh")
    }

    /// Starts an instance whose ports are dummies inside ovs-vswitchd (parallel-safe).
    /// Panics, with the daemons' logs, if OVS cannot start.
    pub fn start_dummy() -> Sandbox {
        Sandbox::start(&["--dummy"], None)
    }

    /// Starts an instance inside a new network namespace (created here, deleted on drop),
    /// with real internal ports.
    pub fn start_in_netns() -> Sandbox {
        let ns = format!(
            "nvovs{}x{}",
            std::process::id(),
            SANDBOXES.fetch_add(1, Ordering::SeqCst)
        );
        run(Command::new("ip").args(["netns", "add", &ns]));
        Sandbox::start(&["--netns", &ns.clone()], Some(ns))
    }

    fn start(args: &[&str], netns: Option<String>) -> Sandbox {
        let n = SANDBOXES.fetch_add(1, Ordering::SeqCst);
        // Short: unix socket paths are limited to 107 bytes.
        let dir = std::env::temp_dir().join(format!("nvovs-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create sandbox dir");
        // Build the guard first so that a failed start is still cleaned up.
        let sb = Sandbox { dir, netns };
        let out = Command::new(Sandbox::script())
            .arg("start")
            .arg(&sb.dir)
            .args(args)
            .output()
            .expect("run ops/ovs/sandbox.sh (is bash available?)");
        assert!(
            out.status.success(),
            "Open vSwitch did not start (run ops/ovs/install.sh first):\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        sb
    }

    /// Adds a netdev bridge speaking OpenFlow 1.3 with datapath id `dpid`; returns its
    /// management socket.
    pub fn add_bridge(&self, name: &str, dpid: u64) -> PathBuf {
        run(Command::new(Sandbox::script())
            .arg("add-br")
            .arg(&self.dir)
            .arg(name)
            .arg(dpid.to_string()));
        self.dir.join(format!("{name}.mgmt"))
    }

    /// Adds a port (dummy or internal) with OpenFlow port number `ofport`.
    pub fn add_port(&self, bridge: &str, port: &str, ofport: u32) {
        run(Command::new(Sandbox::script())
            .arg("add-port")
            .arg(&self.dir)
            .args([bridge, port, &ofport.to_string()]));
    }

    /// Runs `ovs-vsctl` against this instance.
    pub fn vsctl(&self, args: &[&str]) -> String {
        let out = run(Command::new(Sandbox::script())
            .arg("vsctl")
            .arg(&self.dir)
            .args(args));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `ovs-ofctl -O OpenFlow13 --no-names ARGS` with this instance's environment;
    /// returns its status and output without judging.
    pub fn ofctl_output(&self, args: &[&str]) -> Output {
        Command::new(Sandbox::script())
            .arg("ofctl")
            .arg(&self.dir)
            .args(["--no-names", "-t", "10"])
            .args(args)
            .output()
            .expect("run ops/ovs/sandbox.sh ofctl")
    }

    /// Runs `ovs-ofctl -O OpenFlow13 --no-names ARGS`, which must succeed; returns stdout.
    pub fn ofctl(&self, args: &[&str]) -> String {
        let out = self.ofctl_output(args);
        assert!(
            out.status.success(),
            "ovs-ofctl {args:?} failed:\n{}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.logs()
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a command inside the instance's network namespace (or here without one).
    pub fn in_netns(&self, argv: &[&str]) -> Output {
        let mut cmd = match &self.netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", ns]);
                c.args(argv);
                c
            }
            None => {
                let mut c = Command::new(argv[0]);
                c.args(&argv[1..]);
                c
            }
        };
        cmd.output().expect("run command in netns")
    }

    /// The tails of the daemons' logs.
    pub fn logs(&self) -> String {
        Command::new(Sandbox::script())
            .arg("logs")
            .arg(&self.dir)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = Command::new(Sandbox::script())
            .arg("stop")
            .arg(&self.dir)
            .output();
        if let Some(ns) = &self.netns {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            eprintln!("sandbox logs kept in {}", self.dir.display());
        }
    }
}
