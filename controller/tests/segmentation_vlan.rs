//! Tenant segmentation with VLANs on a physical fabric: a Mininet `linear,3,2` network
//! (userspace OVS), where each switch has one host of tenant a and one of tenant b, all in
//! the same IP subnet. navarchd runs the segmentation app; the tenants' networks are VLAN
//! 10 and VLAN 20, configured through `navctl tenant`. Shown: pingall succeeds for exactly
//! the pairs inside a tenant and fails for every pair across tenants; the inter-switch
//! links carry the tenants' frames tagged with their VLAN ids; a deleted network loses its
//! connectivity while the other keeps it.
//!
//! Needs root; takes the machine-wide Mininet lock.

mod support;

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{ControllerProcess, MininetLock, MininetNetwork, free_tcp_port, start_system_ovs};

fn navctl(api: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_navctl"))
        .arg("--server")
        .arg(api)
        .args(args)
        .output()
        .expect("navctl");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "navctl {args:?}: {text}");
    text
}

/// The tenant of a Mininet host `hXsY`: a for X = 1, b for X = 2.
fn tenant_of(host: &str) -> &'static str {
    if host.starts_with("h1") { "a" } else { "b" }
}

#[test]
fn vlan_networks_isolate_tenants_across_a_mininet_fabric() {
    let _lock = MininetLock::acquire().expect("machine-wide Mininet lock");
    start_system_ovs().expect("system Open vSwitch");
    let port = free_tcp_port().expect("port");
    let api_port = free_tcp_port().expect("port");
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
            "--app",
            "segmentation",
            "--lldp-interval",
            "1s",
            "--link-timeout",
            "3s",
        ]);
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let _controller =
        ControllerProcess::start("navarchd", command, listen, Duration::from_secs(20))
            .expect("navarchd listening");
    let api = format!("127.0.0.1:{api_port}");
    let mut net =
        MininetNetwork::start("linear,3,2", listen, Duration::from_secs(30)).expect("network up");
    let hosts = net.ready().hosts.clone();
    assert_eq!(hosts.len(), 6, "{hosts:?}");

    // Links first: VLAN networks are forwarded over the discovered topology.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let links = navctl(&api, &["link", "list"]);
        if links.lines().count() > 2 {
            break;
        }
        assert!(Instant::now() < deadline, "links not discovered: {links}");
        std::thread::sleep(Duration::from_millis(300));
    }

    for (t, vlan) in [("a", "10"), ("b", "20")] {
        navctl(&api, &["tenant", "set", t]);
        navctl(
            &api,
            &[
                "tenant",
                "net",
                "set",
                &format!("{t}-net"),
                "--tenant",
                t,
                "--vlan",
                vlan,
            ],
        );
    }
    for h in &hosts {
        // hXsY is on switch sY (datapath id Y), on port sY-ethX.
        let (x, y) = h.name[1..].split_once('s').expect("hXsY");
        let net = format!("{}-net", tenant_of(&h.name));
        navctl(
            &api,
            &[
                "tenant",
                "port",
                "set",
                &h.name,
                "--network",
                &net,
                "--dpid",
                y,
                "--iface",
                &format!("s{y}-eth{x}"),
                "--mac",
                &h.mac,
                "--ip",
                &h.ip,
                "--wait",
                "applied",
            ],
        );
    }

    // Trunk traffic carries each tenant's VLAN id.
    let capture = Command::new("tcpdump")
        .args(["-lnei", "s1-eth3", "vlan"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tcpdump");
    std::thread::sleep(Duration::from_millis(700));
    let ping = net.pingall().expect("pingall");
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-INT", &capture.id().to_string()])
        .status();
    let wire =
        String::from_utf8_lossy(&capture.wait_with_output().expect("tcpdump").stdout).into_owned();

    let failed: BTreeSet<(String, String)> = ping
        .failed_pairs
        .iter()
        .filter_map(|p| p.split_once("->"))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    let mut cross = BTreeSet::new();
    for a in &hosts {
        for b in &hosts {
            if a.name != b.name && tenant_of(&a.name) != tenant_of(&b.name) {
                cross.insert((a.name.clone(), b.name.clone()));
            }
        }
    }
    assert_eq!(failed, cross, "exactly the cross-tenant pairs fail");
    assert!(
        wire.contains("vlan 10"),
        "tenant a tagged on the trunk: {wire}"
    );
    assert!(
        wire.contains("vlan 20"),
        "tenant b tagged on the trunk: {wire}"
    );

    // Deleting b-net cuts b off; a keeps working.
    navctl(
        &api,
        &["tenant", "net", "del", "b-net", "--wait", "applied"],
    );
    let ping = net.pingall().expect("pingall");
    let failed: BTreeSet<(String, String)> = ping
        .failed_pairs
        .iter()
        .filter_map(|p| p.split_once("->"))
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    for a in &hosts {
        for b in &hosts {
            if a.name == b.name {
                continue;
            }
            let pair = (a.name.clone(), b.name.clone());
            let both_a = tenant_of(&a.name) == "a" && tenant_of(&b.name) == "a";
            assert_eq!(
                !failed.contains(&pair),
                both_a,
                "{pair:?} after deleting b-net"
            );
        }
    }
    net.stop().expect("mininet stop");
}
