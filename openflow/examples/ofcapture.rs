//! Records real OpenFlow sessions for the codec's fixtures, byte for byte.
//!
//! ```text
//! ofcapture proxy --listen unix:PROXY.sock --target unix:DIR/br0.mgmt --out FILE
//!     Relays every client (ovs-ofctl) to the switch's management socket unchanged and
//!     records each message: `c2s <hex>` / `s2c <hex>`, one line each, appended to FILE.
//! ofcapture controller --listen 127.0.0.1:PORT --out FILE [--ready FILE] [--timeout SECS]
//!     Acts as the controller the switch connects to (`ovs-vsctl set-controller br0
//!     tcp:127.0.0.1:PORT`): performs a controller's opening (hello, features, echo, config,
//!     port and switch descriptions, roles, async config, barrier), sends requests the switch
//!     must refuse with OFPT_ERROR, touches the --ready file,
//!     then keeps recording (packet-ins, port-status, flow-removed) until the switch
//!     disconnects or the process is killed.
//! ```
//!
//! Other writers may append `# comment` lines to the same FILE between commands: lines are
//! written whole, and a reply is recorded before it is forwarded, so once `ovs-ofctl` has
//! returned, everything it caused is in the file.

#[allow(dead_code)]
#[path = "../tests/support/capture.rs"]
mod capture;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use capture::{Addr, ControllerSession, Proxy, Recorder};

struct Opts {
    listen: Option<String>,
    target: Option<String>,
    out: Option<PathBuf>,
    ready: Option<PathBuf>,
    timeout: Duration,
}

fn parse_opts(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        listen: None,
        target: None,
        out: None,
        ready: None,
        timeout: Duration::from_secs(10),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--listen" => o.listen = Some(val()?),
            "--target" => o.target = Some(val()?),
            "--out" => o.out = Some(PathBuf::from(val()?)),
            "--ready" => o.ready = Some(PathBuf::from(val()?)),
            "--timeout" => {
                let v = val()?;
                o.timeout =
                    Duration::from_secs(v.parse().map_err(|e| format!("--timeout {v}: {e}"))?)
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

fn proxy(o: Opts) -> Result<(), String> {
    let listen = Addr::parse(o.listen.as_deref().ok_or("proxy needs --listen")?)?;
    let target = Addr::parse(o.target.as_deref().ok_or("proxy needs --target")?)?;
    let out = o.out.ok_or("proxy needs --out")?;
    let rec = Recorder::to_file(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let p =
        Proxy::start(&listen, target.clone(), rec).map_err(|e| format!("listen {listen}: {e}"))?;
    eprintln!(
        "ofcapture: proxy {} -> {target}, recording to {}",
        p.addr(),
        out.display()
    );
    loop {
        std::thread::park();
    }
}

fn controller(o: Opts) -> Result<(), String> {
    let listen = o.listen.ok_or("controller needs --listen 127.0.0.1:PORT")?;
    let listen = listen.strip_prefix("tcp:").unwrap_or(&listen).to_string();
    let out = o.out.ok_or("controller needs --out")?;
    let rec = Recorder::to_file(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let l = TcpListener::bind(&listen).map_err(|e| format!("listen {listen}: {e}"))?;
    eprintln!(
        "ofcapture: controller on tcp:{listen}, recording to {}",
        out.display()
    );
    // The switch may take a few seconds to (re)try its controller connection.
    let mut s = ControllerSession::accept(&l, rec, o.timeout * 3).map_err(|e| e.to_string())?;
    s.handshake(o.timeout)
        .map_err(|e| format!("handshake: {e}"))?;
    s.refused_requests(o.timeout)
        .map_err(|e| format!("refused requests: {e}"))?;
    if let Some(r) = &o.ready {
        std::fs::write(r, b"ready\n").map_err(|e| format!("{}: {e}", r.display()))?;
    }
    eprintln!("ofcapture: handshake done, recording until the switch disconnects");
    loop {
        match s.wait_for(Duration::from_secs(3600), |_| false) {
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            _ => return Ok(()),
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let run = match args.first().map(String::as_str) {
        Some("proxy") => parse_opts(&args[1..]).and_then(proxy),
        Some("controller") => parse_opts(&args[1..]).and_then(controller),
        _ => Err(
            "usage: ofcapture proxy|controller --listen ADDR [--target ADDR] --out FILE \
                  [--ready FILE] [--timeout SECS]"
                .to_string(),
        ),
    };
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ofcapture: {e}");
            ExitCode::FAILURE
        }
    }
}
