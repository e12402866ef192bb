//! navarchd with the L2 learning app on real Mininet networks (userspace OVS): a tree and a
//! ring with a loop pass `pingall` with no loss, and on the loop the controller's packet-in
//! rate falls back to the LLDP probes alone once hosts are learned (no broadcast storm).
//!
//! These tests need root; they take the machine-wide Mininet lock.

mod support;

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;
use std::time::Duration;

use support::{
    ControllerProcess, MininetLock, MininetNetwork, free_tcp_port, packet_in_rate,
    start_system_ovs, wait_for_flows,
};

/// The LLDP interception flow's priority: present once the controller set a switch up.
const LLDP_PRIORITY: u16 = 0xffff;

struct Controller {
    process: ControllerProcess,
    port: u16,
    _data: tempfile::TempDir,
    _lock: MininetLock,
}

fn navarchd() -> Controller {
    let lock = MininetLock::acquire().expect("machine-wide Mininet lock");
    start_system_ovs().expect("system Open vSwitch");
    let port = free_tcp_port().expect("a free port");
    let data = tempfile::tempdir().expect("data dir");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut command = Command::new(env!("CARGO_BIN_EXE_navarchd"));
    command
        .arg("--listen")
        .arg(format!("tcp:127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(data.path())
        .args([
            "--lldp-interval",
            "1s",
            "--link-timeout",
            "5s",
            "--log-level",
            "info",
        ]);
    let process = ControllerProcess::start("navarchd", command, listen, Duration::from_secs(20))
        .expect("navarchd listening");
    Controller {
        process,
        port,
        _data: data,
        _lock: lock,
    }
}

/// Starts `topo` and waits until every switch carries the controller's flows and links had
/// time to be probed.
fn network(controller: &Controller, topo: &str) -> MininetNetwork {
    let net = MininetNetwork::start(topo, controller.process.listen(), Duration::from_secs(30))
        .expect("network up");
    for switch in net.switch_names() {
        wait_for_flows(&switch, Duration::from_secs(15), |rows| {
            rows.iter()
                .any(|f| f.table == 0 && f.priority == LLDP_PRIORITY)
        })
        .unwrap_or_else(|e| {
            panic!(
                "{switch} never got the controller's flows: {e}\n{}",
                controller.process.log()
            )
        });
    }
    // Probes every second, ports settle after 2.5 s: let discovery finish.
    std::thread::sleep(Duration::from_secs(4));
    net
}

#[test]
fn tree_pingall_has_no_loss() {
    let controller = navarchd();
    let mut net = network(&controller, "tree,depth=2,fanout=3");
    let ping = net.pingall().expect("pingall");
    assert_eq!(ping.sent, 72);
    assert_eq!(
        ping.loss_percent,
        0.0,
        "failed: {:?}\n{}",
        ping.failed_pairs,
        controller.process.log()
    );
    net.stop().expect("network stopped");
}

#[test]
fn ring_with_a_loop_pingall_has_no_loss_and_no_storm() {
    let controller = navarchd();
    let mut net = network(&controller, "ring,4");
    let ping = net.pingall().expect("pingall");
    assert_eq!(
        ping.loss_percent,
        0.0,
        "failed: {:?}\n{}",
        ping.failed_pairs,
        controller.process.log()
    );
    // Hosts are learned: a second round reaches the controller only through LLDP probes
    // (4 switches x 2 link ports, once a second), nothing like a storm's thousands.
    let again = net.pingall().expect("second pingall");
    assert_eq!(again.loss_percent, 0.0, "failed: {:?}", again.failed_pairs);
    let rate = packet_in_rate(controller.port, Duration::from_secs(3)).expect("packet-in rate");
    assert!(
        rate.rate < 30.0,
        "packet-ins per second after learning: {}",
        rate.rate
    );
    net.stop().expect("network stopped");
}
