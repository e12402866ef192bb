//! The oracle: messages built with the crate's public API, encoded, and decoded by Open
//! vSwitch's `ovs-ofctl`, whose text must equal our `Display`.
//!
//! A corpus is a list of [`Case`]s. [`check`] encodes every case, checks that the crate
//! decodes its own bytes back to the same message, then feeds all of them through one
//! `ovs-ofctl ofp-parse -` process (the same printer as `ofp-print`, at the same verbosity,
//! but reading a stream of binary messages), with a barrier reply of a reserved xid after
//! each message so that the output can be split back per message. Every problem is collected
//! and reported together.
//!
//! `ovs-ofctl` missing is a failure, not a skip: CI installs Open vSwitch for these tests.
//! `OVS_OFCTL` names another binary; `OFP_ORACLE_DUMP=1` (with `--nocapture`) prints every
//! case's bytes and OVS's text.

#![allow(dead_code)]

pub mod actions;
pub mod build;
pub mod coverage;
pub mod edge;
pub mod flow;
pub mod flow_text;
pub mod frames;
pub mod group_meter;
pub mod matches;
pub mod multipart;
pub mod packet;
pub mod port;
pub mod simple;

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use bytes::Bytes;
use openflow::{Body, Message, Xid};

/// What we expect of Open vSwitch for one case.
#[derive(Clone, Debug)]
pub enum Expect {
    /// OVS decodes the message and prints exactly our text.
    Same,
    /// OVS decodes the message without error but prints other text, for the stated reason.
    Differs(&'static str),
    /// OVS decodes the message and prints exactly our text, which contains a warning
    /// marker of its own (`***MARKER***`), for the stated reason.
    Flagged {
        /// The text between OVS's `***` markers.
        marker: &'static str,
        /// Why the crate emits such a message.
        reason: &'static str,
    },
    /// OVS cannot decode the message (its printer reports `***decode error: NAME***`), for
    /// the stated reason; NAME must appear in its output.
    Rejects {
        /// The error name OVS prints.
        error: &'static str,
        /// Why the crate's bytes are still right.
        reason: &'static str,
    },
}

/// One message of a corpus.
#[derive(Clone, Debug)]
pub struct Case {
    /// A short unique label, shown in failures.
    pub name: String,
    /// The message.
    pub msg: Message,
    /// What OVS should make of it.
    pub expect: Expect,
    /// Something OVS logs (on stderr) about this message that is expected, with the reason.
    pub logs: Option<(&'static str, &'static str)>,
    /// Why encoding loses something of the message (so it does not decode to itself).
    pub lossy: Option<&'static str>,
}

impl Case {
    /// A case whose text must equal OVS's.
    pub fn new(name: impl Into<String>, msg: Message) -> Case {
        Case {
            name: name.into(),
            msg,
            expect: Expect::Same,
            logs: None,
            lossy: None,
        }
    }

    /// A case with a body and the xid 1.
    pub fn body(name: impl Into<String>, body: Body) -> Case {
        Case::new(name, Message::new(Xid(1), body))
    }

    /// The same case, known to print differently in OVS for `reason`.
    pub fn differs(mut self, reason: &'static str) -> Case {
        self.expect = Expect::Differs(reason);
        self
    }

    /// The same case, about which OVS logs `text` (on stderr) for `reason`.
    pub fn logs(mut self, text: &'static str, reason: &'static str) -> Case {
        self.logs = Some((text, reason));
        self
    }

    /// The same case, whose encoding loses something by design (`reason`): it need not
    /// decode to itself, but its text must still be OVS's text of its bytes.
    pub fn lossy(mut self, reason: &'static str) -> Case {
        self.lossy = Some(reason);
        self
    }

    /// Whether OVS may log `line` on stderr about this case.
    fn may_log(&self, line: &str) -> bool {
        matches!(self.expect, Expect::Rejects { .. })
            || self.logs.is_some_and(|(text, _)| line.contains(text))
    }

    /// The same case, which OVS prints with the warning `***marker***` (and so do we).
    pub fn flagged(mut self, marker: &'static str, reason: &'static str) -> Case {
        self.expect = Expect::Flagged { marker, reason };
        self
    }

    /// The same case, which OVS cannot decode (it reports `error`) for `reason`.
    pub fn rejected(mut self, error: &'static str, reason: &'static str) -> Case {
        self.expect = Expect::Rejects { error, reason };
        self
    }
}

/// The xid of the separator messages; no case uses it.
const SEPARATOR_XID: u32 = 0x5e47_f00d;

fn separator_line() -> String {
    format!("OFPT_BARRIER_REPLY (OF1.3) (xid={SEPARATOR_XID:#x}):")
}

/// The `ovs-ofctl` binary: `$OVS_OFCTL` or `ovs-ofctl` on the path.
fn ovs_ofctl() -> String {
    std::env::var("OVS_OFCTL").unwrap_or_else(|_| "ovs-ofctl".to_string())
}

/// Lines without trailing whitespace, and no trailing empty lines.
pub fn normalize(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Markers OVS's printer writes when it cannot decode something: `***decode error: X***`,
/// `(***truncated to N bytes from M***)`, `***parse error***`, `***N leftover bytes***`,
/// `[***unknown flags 0xN***]`, `(***total_len != data_len***)`, `***error***`, ... All of
/// them contain `***`, which no well-formed message prints.
///
/// An error message quotes the start of the failed request, at most 64 bytes, and OVS marks
/// the quoted message as truncated: that is the expected text, not a decode failure.
fn ovs_complaints<'a>(msg: &Message, text: &'a str) -> Vec<&'a str> {
    let quoted_cut =
        |l: &str| matches!(msg.body, Body::Error(_)) && l.starts_with("(***truncated to ");
    text.lines()
        .filter(|l| l.contains("***") && !quoted_cut(l))
        .collect()
}

/// Runs `ovs-ofctl ofp-parse -` over the concatenated messages; returns stdout and stderr.
fn ofp_parse(stream: Vec<u8>) -> (String, String) {
    let bin = ovs_ofctl();
    let mut child = Command::new(&bin)
        .args(["ofp-parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `{bin}` ({e}): these tests need Open vSwitch's ovs-ofctl \
                 (apt-get install openvswitch-common, or set OVS_OFCTL)"
            )
        });
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Writing from another thread: OVS prints while we write, and a full pipe on either side
    // would otherwise deadlock.
    let writer = std::thread::spawn(move || stdin.write_all(&stream));
    let out = child.wait_with_output().expect("ovs-ofctl runs");
    writer
        .join()
        .expect("writer thread")
        .expect("ovs-ofctl reads all of its input");
    assert!(
        out.status.success(),
        "ovs-ofctl ofp-parse failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("ovs-ofctl prints UTF-8"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `ovs-ofctl ofp-print HEX` for one message; returns stdout and stderr.
fn ofp_print(bytes: &[u8]) -> (String, String) {
    let out = Command::new(ovs_ofctl())
        .args(["ofp-print", &hex(bytes)])
        .output()
        .expect("ovs-ofctl runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Lowercase hex without separators, as `ofp-print` takes it.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Checks every case of a corpus against OVS and panics with the list of every problem.
pub fn check(corpus: &str, cases: Vec<Case>) {
    assert!(!cases.is_empty(), "{corpus}: empty corpus");
    let mut problems: Vec<String> = Vec::new();
    let mut names = std::collections::HashSet::new();
    let mut encoded: Vec<(usize, Bytes)> = Vec::new();

    for (n, case) in cases.iter().enumerate() {
        if !names.insert(case.name.as_str()) {
            problems.push(format!("[{}] duplicate case name", case.name));
        }
        assert_ne!(case.msg.xid.0, SEPARATOR_XID, "{}: reserved xid", case.name);
        match case.msg.encode() {
            Err(e) => problems.push(format!("[{}] does not encode: {e}", case.name)),
            Ok(bytes) => {
                let rejected = matches!(case.expect, Expect::Rejects { .. });
                match Message::decode(&bytes) {
                    // Where OVS refuses the message, the crate may refuse it too.
                    Err(_) if rejected => {}
                    Err(e) => problems.push(format!(
                        "[{}] the crate cannot decode its own bytes: {e}\n    hex: {}",
                        case.name,
                        hex(&bytes)
                    )),
                    Ok(back) if back != case.msg && case.lossy.is_none() => problems.push(format!(
                        "[{}] decode(encode(m)) != m\n    built:   {:?}\n    decoded: {:?}",
                        case.name, case.msg, back
                    )),
                    Ok(_) => {}
                }
                encoded.push((n, bytes));
            }
        }
    }

    let separator = Message::new(Xid(SEPARATOR_XID), Body::BarrierReply)
        .encode()
        .expect("barrier encodes");
    let mut stream = Vec::new();
    for (_, bytes) in &encoded {
        stream.extend_from_slice(bytes);
        stream.extend_from_slice(&separator);
    }
    let (stdout, stderr) = ofp_parse(stream);

    let sep = separator_line();
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in stdout.lines() {
        if line == sep {
            chunks.push(std::mem::take(&mut current));
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    assert_eq!(
        chunks.len(),
        encoded.len(),
        "{corpus}: ovs-ofctl printed {} messages for {} sent; output:\n{stdout}",
        chunks.len(),
        encoded.len()
    );

    let dump = std::env::var_os("OFP_ORACLE_DUMP").is_some();
    for ((n, bytes), theirs) in encoded.iter().zip(&chunks) {
        let case = &cases[*n];
        if dump {
            println!("[{}] {}\n{}", case.name, hex(bytes), theirs.trim_end());
        }
        let ours = normalize(&case.msg.to_string());
        let theirs = normalize(theirs);
        let complaints = ovs_complaints(&case.msg, &theirs);
        let report = |what: &str| {
            format!(
                "[{}] {what}\n    hex:  {}\n{}",
                case.name,
                hex(bytes),
                side_by_side(&ours, &theirs)
            )
        };
        match &case.expect {
            Expect::Same => {
                if !complaints.is_empty() {
                    problems.push(report(&format!("OVS cannot decode it: {complaints:?}")));
                } else if ours != theirs {
                    problems.push(report("our text differs from OVS's"));
                }
            }
            Expect::Differs(reason) => {
                if !complaints.is_empty() {
                    problems.push(report(&format!(
                        "OVS cannot decode it (expected only a text difference: {reason}): \
                         {complaints:?}"
                    )));
                } else if ours == theirs {
                    problems.push(report(&format!(
                        "listed as differing ({reason}) but the texts now agree: make it a \
                         plain case"
                    )));
                }
            }
            Expect::Flagged { marker, reason } => {
                let marker = format!("***{marker}***");
                let others: Vec<&&str> =
                    complaints.iter().filter(|l| !l.contains(&marker)).collect();
                if !others.is_empty() {
                    problems.push(report(&format!("OVS cannot decode it: {others:?}")));
                } else if !theirs.contains(&marker) {
                    problems.push(report(&format!(
                        "expected OVS to flag {marker} ({reason}); it no longer does"
                    )));
                } else if ours != theirs {
                    problems.push(report("our text differs from OVS's"));
                }
            }
            Expect::Rejects { error, reason } => {
                let marker = format!("***decode error: {error}***");
                if !theirs.contains(&marker) {
                    problems.push(report(&format!(
                        "expected OVS to reject it with {error} ({reason})"
                    )));
                }
            }
        }
    }

    // OVS logs some problems (unknown properties, out-of-range values) on stderr rather than
    // in the text. Lines that some case expects are fine; otherwise stderr is not in step
    // with stdout, so find the culprits one message at a time.
    let unexpected = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .any(|l| !cases.iter().any(|c| c.may_log(l)));
    if unexpected {
        let mut blamed = false;
        for (n, bytes) in &encoded {
            let case = &cases[*n];
            let (_, err) = ofp_print(bytes);
            let bad: Vec<&str> = err
                .lines()
                .filter(|l| !l.trim().is_empty() && !case.may_log(l))
                .collect();
            if !bad.is_empty() {
                blamed = true;
                problems.push(format!(
                    "[{}] OVS logged: {}\n    hex:  {}",
                    case.name,
                    bad.join("\n    "),
                    hex(bytes)
                ));
            }
        }
        if !blamed {
            problems.push(format!("{corpus}: OVS logged: {}", stderr.trim()));
        }
    }

    if !problems.is_empty() {
        panic!(
            "{corpus}: {} problem(s) in {} case(s):\n\n{}\n",
            problems.len(),
            cases.len(),
            problems.join("\n\n")
        );
    }
}

/// Both texts, line by line, marking the lines that differ.
fn side_by_side(ours: &str, theirs: &str) -> String {
    let a: Vec<&str> = ours.lines().collect();
    let b: Vec<&str> = theirs.lines().collect();
    let mut s = String::new();
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        if x == y {
            let _ = writeln!(s, "      = {}", x.unwrap_or(&""));
        } else {
            if let Some(x) = x {
                let _ = writeln!(s, "    ours {x}");
            }
            if let Some(y) = y {
                let _ = writeln!(s, "    ovs  {y}");
            }
        }
    }
    s
}
