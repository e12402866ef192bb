//! Proves the end-to-end harness (tests/support) on the system Open vSwitch and Mininet with
//! `ovs-testcontroller -O OpenFlow13` standing in for navarchd: it is a learning switch, so
//! loop-free topologies work and looped ones would storm (not tested here).
//!
//! These tests need root (Mininet); they take the machine-wide Mininet lock, so they never
//! overlap each other or other tests that use the system OVS.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;
use std::time::{Duration, Instant};

use support::{
    ControllerProcess, MininetLock, MininetNetwork, dump_flows, free_tcp_port, packet_in_rate,
    parse_dump_flows, run_mininet, start_system_ovs, wait_for_flows,
};

const TREE: &str = "tree,depth=2,fanout=3";

/// Holds the lock, the system OVS and a running ovs-testcontroller for one test.
struct Bench {
    controller: ControllerProcess,
    _lock: MininetLock,
}

fn testcontroller() -> Bench {
    let lock = MininetLock::acquire().expect("machine-wide Mininet lock");
    start_system_ovs().expect("system Open vSwitch (ops/ovs/install.sh, ops/ovs/system.sh start)");
    let port = free_tcp_port().expect("a free port");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut command = Command::new("ovs-testcontroller");
    command.args(["-O", "OpenFlow13", &format!("ptcp:{port}:127.0.0.1")]);
    let controller = ControllerProcess::start(
        "ovs-testcontroller",
        command,
        listen,
        Duration::from_secs(10),
    )
    .expect("ovs-testcontroller listening");
    Bench {
        controller,
        _lock: lock,
    }
}

#[test]
fn tree_pingall_has_no_loss_and_every_switch_has_flows() {
    let bench = testcontroller();
    let started = Instant::now();
    let mut net = MininetNetwork::start(TREE, bench.controller.listen(), Duration::from_secs(30))
        .expect("tree network up");
    assert_eq!(net.ready().switches.len(), 4);
    assert_eq!(net.ready().hosts.len(), 9);

    // ovs-testcontroller installs a table-miss flow to the controller once its session is
    // up: that ends the handshake on every switch.
    for switch in net.switch_names() {
        wait_for_flows(&switch, Duration::from_secs(10), |rows| {
            rows.iter().any(|f| {
                f.priority == 0 && f.match_fields.is_empty() && f.actions.starts_with("CONTROLLER")
            })
        })
        .expect("table-miss flow installed");
    }
    let ping = net.pingall().expect("pingall");
    assert_eq!(ping.sent, 72, "one ping per ordered pair of 9 hosts");
    assert_eq!(
        ping.loss_percent, 0.0,
        "failed pairs: {:?}",
        ping.failed_pairs
    );

    for switch in net.switch_names() {
        let flows = dump_flows(&switch).expect("dump-flows");
        // The learning switch installs a flow per forwarded packet stream on every switch
        // it crossed; every switch carries traffic in a full pingall.
        let used: Vec<_> = flows.iter().filter(|f| f.n_packets > 0).collect();
        assert!(
            !used.is_empty(),
            "{switch} has no flow that matched traffic: {flows:?}"
        );
        assert!(
            flows.iter().all(|f| f.table == 0 && !f.actions.is_empty()),
            "{flows:?}"
        );
    }
    net.stop().expect("network stopped");
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn continuous_ping_loses_nothing_and_packet_ins_settle() {
    let bench = testcontroller();
    let mut net = MininetNetwork::start(TREE, bench.controller.listen(), Duration::from_secs(30))
        .expect("tree network up");
    net.start_ping_continuous(
        "h1",
        "h9",
        Duration::from_secs(3),
        Duration::from_millis(50),
    )
    .expect("ping started");
    let ping = net
        .finish_ping_continuous(Duration::from_secs(20))
        .expect("ping result");
    assert_eq!(ping.sent, 60);
    assert_eq!(ping.lost, 0, "{ping:?}");
    assert_eq!(ping.received, ping.sent);

    // With flows in place, an ongoing ping no longer reaches the controller.
    net.start_ping_continuous(
        "h1",
        "h9",
        Duration::from_secs(2),
        Duration::from_millis(50),
    )
    .expect("second ping started");
    let rate = packet_in_rate(
        bench.controller.listen().port(),
        Duration::from_millis(1500),
    )
    .expect("packet-in rate");
    let second = net
        .finish_ping_continuous(Duration::from_secs(20))
        .expect("second ping result");
    assert_eq!(second.lost, 0, "{second:?}");
    assert!(rate.rate < 5.0, "packet-ins did not settle: {rate:?}");
    net.stop().expect("network stopped");
}

#[test]
fn forged_lldp_is_sent_from_a_host_and_reaches_the_controller() {
    let bench = testcontroller();
    let port = bench.controller.listen().port();
    let mut net = MininetNetwork::start(TREE, bench.controller.listen(), Duration::from_secs(30))
        .expect("tree network up");
    // The first forged frame reaches the controller as a PACKET_IN (table-miss), proving it
    // entered h1's switch s2 on port 1; the learning switch then installs a drop flow for
    // reserved multicast, which counts the frames after it.
    let counter = std::thread::spawn(move || packet_in_rate(port, Duration::from_secs(2)));
    std::thread::sleep(Duration::from_millis(300));
    let sent = net
        .inject_lldp(
            "h1",
            "--chassis-local dpid:0000000000000003 --port-id 1 --count 5 --interval 0.05",
        )
        .expect("inject-lldp");
    assert_eq!(sent.frames_sent, 5);
    assert!(
        sent.frame_hex.starts_with("0180c200000e"),
        "LLDP multicast destination"
    );
    assert_eq!(&sent.frame_hex[24..28], "88cc", "LLDP ethertype");
    let rate = counter
        .join()
        .expect("counter thread")
        .expect("packet-in count");
    let flows = dump_flows("s2").expect("dump-flows s2");
    let lldp_flow = flows
        .iter()
        .find(|f| f.match_fields.contains("in_port=1") && f.match_fields.contains("dl_type=0x88cc"))
        .unwrap_or_else(|| panic!("no flow for the forged LLDP on s2: {flows:?}"));
    assert!(lldp_flow.n_packets >= 1, "{lldp_flow:?}");
    // Every frame either matched that flow or went to the controller.
    assert!(
        rate.packet_ins + lldp_flow.n_packets >= sent.frames_sent,
        "frames unaccounted for: {rate:?}, {lldp_flow:?}"
    );
    net.stop().expect("network stopped");
}

#[test]
fn one_shot_run_reports_every_action_and_stops() {
    let bench = testcontroller();
    let lines = run_mininet(
        "linear,3",
        bench.controller.listen(),
        &["pingall", "link-down s1 s2", "pingall --timeout 0.5"],
        Duration::from_secs(90),
    )
    .expect("run.py");
    let kinds: Vec<_> = lines
        .iter()
        .map(|l| {
            l.get("event")
                .or(l.get("action"))
                .and_then(|v| v.as_str())
                .unwrap_or("?")
        })
        .collect();
    assert_eq!(
        kinds,
        ["ready", "pingall", "link-down", "pingall", "stopped"]
    );
    assert_eq!(lines[1]["loss_percent"], 0.0);
    // With s1-s2 down, h1 (on s1) is cut off from h2 and h3: 4 of 6 pairs fail.
    assert_eq!(lines[3]["received"], 2, "{}", lines[3]);
    // run.py removed its bridges.
    let bridges =
        support::ovs::run_checked(Command::new("ovs-vsctl").arg("list-br")).expect("list-br");
    assert!(
        !bridges.lines().any(|b| b == "s1" || b == "s2" || b == "s3"),
        "left: {bridges}"
    );
}

#[test]
fn dump_flows_text_parses_into_rows() {
    let text = "OFPST_FLOW reply (OF1.3) (xid=0x2):\n \
        cookie=0x2a, duration=12.345s, table=0, n_packets=7, n_bytes=686, idle_timeout=60, priority=65535,icmp,in_port=1,dl_src=00:00:00:00:00:01,nw_tos=0 actions=output:2\n \
        cookie=0x0, duration=1.5s, table=3, n_packets=0, n_bytes=0, priority=0 actions=CONTROLLER:65535\n \
        cookie=0x0, duration=0.1s, table=0, n_packets=1, n_bytes=60, in_port=2 actions=drop\n";
    let rows = parse_dump_flows(text).expect("parses");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].cookie, 0x2a);
    assert_eq!(rows[0].duration, Duration::from_millis(12345));
    assert_eq!(
        (rows[0].n_packets, rows[0].n_bytes, rows[0].idle_timeout),
        (7, 686, 60)
    );
    assert_eq!(rows[0].priority, 65535);
    assert_eq!(
        rows[0].match_fields,
        "icmp,in_port=1,dl_src=00:00:00:00:00:01,nw_tos=0"
    );
    assert_eq!(rows[0].actions, "output:2");
    assert_eq!(rows[1].key(), (3, 0, ""));
    assert_eq!(rows[1].actions, "CONTROLLER:65535");
    assert_eq!(rows[2].priority, support::flows::DEFAULT_PRIORITY);
    assert_eq!(rows[2].match_fields, "in_port=2");
    assert!(parse_dump_flows(" cookie=0x0, duration=1s, table=0 no actions here").is_err());
    assert!(parse_dump_flows(" cookie=zz, table=0 actions=drop").is_err());
}
