//! navarchd with the L2 learning app on real Mininet networks (userspace OVS): a tree, a
//! ring and a torus (both with loops) pass `pingall` with no loss, on a loop the controller's
//! packet-in rate falls back to the LLDP probes alone once hosts are learned (no broadcast
//! storm), and a kill -9 and restart of the controller loses no ping and leaves every flow
//! table as it was.
//!
//! These tests need root; they take the machine-wide Mininet lock.

mod support;

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::{
    ControllerProcess, MininetLock, MininetNetwork, dump_flows, free_tcp_port, packet_in_rate,
    start_system_ovs, wait_for_flows,
};

/// The LLDP interception flow's priority: present once the controller set a switch up.
const LLDP_PRIORITY: u16 = 0xffff;

/// A running navarchd with its data directory, holding the Mininet lock.
struct Controller {
    process: Option<ControllerProcess>,
    port: u16,
    data: tempfile::TempDir,
    _lock: MininetLock,
}

impl Controller {
    fn process(&self) -> &ControllerProcess {
        self.process.as_ref().expect("controller running")
    }

    fn log(&self) -> String {
        self.process
            .as_ref()
            .map(ControllerProcess::log)
            .unwrap_or_default()
    }
}

fn navarchd() -> Controller {
    let lock = MininetLock::acquire().expect("machine-wide Mininet lock");
    start_system_ovs().expect("system Open vSwitch");
    let port = free_tcp_port().expect("a free port");
    let data = tempfile::tempdir().expect("data dir");
    let process = spawn_navarchd(port, data.path());
    Controller {
        process: Some(process),
        port,
        data,
        _lock: lock,
    }
}

/// Starts navarchd on 127.0.0.1:`port` with its store in `data`.
fn spawn_navarchd(port: u16, data: &Path) -> ControllerProcess {
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut command = Command::new(env!("CARGO_BIN_EXE_navarchd"));
    command
        .arg("--listen")
        .arg(format!("tcp:127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "--lldp-interval",
            "1s",
            "--link-timeout",
            "5s",
            "--log-level",
            "debug",
        ]);
    ControllerProcess::start("navarchd", command, listen, Duration::from_secs(20))
        .expect("navarchd listening")
}

/// A flow's identity across dumps: (switch, table, priority, match, actions, cookie).
type FlowId = (String, u8, u16, String, String, u64);

/// Every flow of every switch, keyed by its identity, with its age and packet count.
fn flow_tables(net: &MininetNetwork) -> BTreeMap<FlowId, (Duration, u64)> {
    let mut all = BTreeMap::new();
    for switch in net.switch_names() {
        for f in dump_flows(&switch).expect("dump-flows") {
            all.insert(
                (
                    switch.clone(),
                    f.table,
                    f.priority,
                    f.match_fields.clone(),
                    f.actions.clone(),
                    f.cookie,
                ),
                (f.duration, f.n_packets),
            );
        }
    }
    all
}

/// Starts `topo` and waits until every switch carries the controller's flows and links had
/// time to be probed.
fn network(controller: &Controller, topo: &str) -> MininetNetwork {
    let net = network_now(controller, topo);
    // Links show within a round trip and ports settle after 0.5 s; give discovery a margin
    // (pingall_right_after_connect_has_no_loss shows what happens without it).
    std::thread::sleep(Duration::from_secs(2));
    net
}

/// Starts `topo` and returns as soon as every switch carries the controller's flows.
fn network_now(controller: &Controller, topo: &str) -> MininetNetwork {
    let net = MininetNetwork::start(topo, controller.process().listen(), Duration::from_secs(30))
        .expect("network up");
    for switch in net.switch_names() {
        wait_for_flows(&switch, Duration::from_secs(15), |rows| {
            rows.iter()
                .any(|f| f.table == 0 && f.priority == LLDP_PRIORITY)
        })
        .unwrap_or_else(|e| {
            panic!(
                "{switch} never got the controller's flows: {e}\n{}",
                controller.log()
            )
        });
    }
    net
}

/// Runs `pingall` and asserts every pair answered, showing the controller's log otherwise.
fn pingall_without_loss(net: &mut MininetNetwork, controller: &Controller) -> support::PingAll {
    let ping = net.pingall().expect("pingall");
    assert_eq!(
        ping.loss_percent,
        0.0,
        "failed: {:?}\n{}",
        ping.failed_pairs,
        controller.log()
    );
    ping
}

#[test]
fn tree_pingall_has_no_loss() {
    let controller = navarchd();
    let mut net = network(&controller, "tree,depth=2,fanout=3");
    let ping = pingall_without_loss(&mut net, &controller);
    assert_eq!(ping.sent, 72);
    net.stop().expect("network stopped");
}

#[test]
fn ring_with_a_loop_pingall_has_no_loss_and_no_storm() {
    let controller = navarchd();
    let mut net = network(&controller, "ring,4");
    pingall_without_loss(&mut net, &controller);
    // Hosts are learned: a second round reaches the controller only through LLDP probes
    // (4 switches x 2 link ports, once a second), nothing like a storm's thousands.
    pingall_without_loss(&mut net, &controller);
    let rate = packet_in_rate(controller.port, Duration::from_secs(3)).expect("packet-in rate");
    assert!(
        rate.rate < 30.0,
        "packet-ins per second after learning: {}",
        rate.rate
    );
    net.stop().expect("network stopped");
}

/// Mininet's `pingall` starts as soon as the switches are connected, while every port is
/// still being probed for links: on a ring, flooding must be loop-safe and lossless from the
/// first packet (what enters a probing port is held by the controller, never forwarded by
/// the switch, and handed over once the port settles).
#[test]
fn pingall_right_after_connect_has_no_loss() {
    let controller = navarchd();
    let mut net = network_now(&controller, "ring,4");
    pingall_without_loss(&mut net, &controller);
    let rate = packet_in_rate(controller.port, Duration::from_secs(3)).expect("packet-in rate");
    assert!(
        rate.rate < 30.0,
        "packet-ins per second after pingall: {}",
        rate.rate
    );
    net.stop().expect("network stopped");
}

#[test]
fn torus_pingall_has_no_loss() {
    let controller = navarchd();
    let mut net = network(&controller, "torus,3,3");
    pingall_without_loss(&mut net, &controller);
    net.stop().expect("network stopped");
}

/// kill -9 and a fresh start during a continuous ping: no ping is lost, and afterwards every
/// switch holds exactly the flows it held before, none deleted and re-added (each is at least
/// as old as before, and its counters only grew).
#[test]
fn controller_restart_is_hitless() {
    let mut controller = navarchd();
    let mut net = network(&controller, "tree,depth=2,fanout=2");
    // Learn every host, then keep one conversation going through the restart.
    pingall_without_loss(&mut net, &controller);
    net.start_ping_continuous(
        "h1",
        "h4",
        Duration::from_secs(16),
        Duration::from_millis(50),
    )
    .expect("ping started");
    std::thread::sleep(Duration::from_secs(2));
    let before = flow_tables(&net);
    controller
        .process
        .take()
        .expect("first navarchd")
        .kill_hard()
        .expect("kill -9");
    controller.process = Some(spawn_navarchd(controller.port, controller.data.path()));
    // Reconnection (OVS backs off up to a few seconds), settling and reconciliation.
    std::thread::sleep(Duration::from_secs(10));
    let after = flow_tables(&net);
    let ping = net
        .finish_ping_continuous(Duration::from_secs(30))
        .expect("ping result");
    let log = controller.log();
    assert!(ping.sent > 250, "{ping:?}");
    assert_eq!(
        ping.lost, 0,
        "pings lost across the restart: {ping:?}\n{log}"
    );
    let keys_before: Vec<_> = before.keys().collect();
    let keys_after: Vec<_> = after.keys().collect();
    assert_eq!(
        keys_before, keys_after,
        "flow tables changed across the restart\n{log}"
    );
    for (key, (age, packets)) in &before {
        let (age_after, packets_after) = after[key];
        assert!(
            age_after >= *age,
            "{key:?} was re-added: {age:?} then {age_after:?}"
        );
        assert!(
            packets_after >= *packets,
            "{key:?} counters reset: {packets} then {packets_after}"
        );
    }
    assert!(
        log.contains("reconciling"),
        "the restarted controller never reconciled\n{log}"
    );
    net.stop().expect("network stopped");
}

/// A forged LLDP frame sent from a host claims a link from s2 to h1's switch; the controller
/// rejects it (no signature of ours) and no link appears.
#[test]
fn forged_lldp_from_a_host_creates_no_link() {
    let controller = navarchd();
    let mut net = network(&controller, "tree,depth=2,fanout=2");
    let full_log = || controller.process().full_log();
    let links_before = full_log().matches("link up").count();
    assert!(
        links_before >= 4,
        "the tree's 2 links (both directions) are discovered\n{}",
        controller.log()
    );
    let sent = net
        .inject_lldp(
            "h1",
            "--chassis-local dpid:0000000000000002 --port-id 1 --tlv 127:0026e1000102030405060708 --count 5 --interval 0.1",
        )
        .expect("forged LLDP sent");
    assert_eq!(sent.frames_sent, 5);
    std::thread::sleep(Duration::from_secs(2));
    let log = full_log();
    let rejected = log
        .lines()
        .filter(|l| l.contains("LLDP probe rejected"))
        .count();
    assert!(
        rejected >= 5,
        "the forged probes were not all rejected ({rejected})\n{}",
        controller.log()
    );
    assert_eq!(
        log.matches("link up").count(),
        links_before,
        "a forged probe created a link\n{}",
        controller.log()
    );
    pingall_without_loss(&mut net, &controller);
    net.stop().expect("network stopped");
}
