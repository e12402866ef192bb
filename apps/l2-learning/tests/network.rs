//! The L2 learning app on simulated networks: trees, rings and tori, VLANs, moves, expiry.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use l2_learning::{CORE_PRIORITY_FLOOR, L2Learning};
use navarch_app::testing::{Endpoint, FakeView, Packet, Simulation, topo};
use navarch_app::{App, View};
use openflow::{DatapathId, MacAddr, OxmField, PortNo};

fn mac(n: usize) -> MacAddr {
    MacAddr([2, 0, 0, 0, (n >> 8) as u8, n as u8])
}

fn ip(n: usize) -> Ipv4Addr {
    Ipv4Addr::new(10, 0, (n >> 8) as u8, n as u8)
}

fn start(view: FakeView) -> Simulation<L2Learning> {
    Simulation::new(view, L2Learning::default(), Instant::now()).expect("flows install")
}

fn arp(n: usize, target: usize) -> Packet {
    Packet::arp_request(mac(n), ip(n), ip(target))
}

fn udp(from: usize, to: usize) -> Packet {
    Packet::udp(mac(from), mac(to), ip(from), ip(to), (1000, 2000))
}

/// Every host announces itself with a broadcast; each broadcast reaches every other host
/// exactly once, never loops, and is the only packet from that host the controller sees.
fn announce_all(sim: &mut Simulation<L2Learning>, hosts: &[Endpoint]) {
    for (n, &at) in hosts.iter().enumerate() {
        let trace = sim.inject(at, arp(n, (n + 1) % hosts.len())).unwrap();
        assert!(!trace.looped, "broadcast from host {n} looped");
        let want: BTreeMap<Endpoint, usize> = hosts
            .iter()
            .filter(|&&e| e != at)
            .map(|&e| (e, 1))
            .collect();
        assert_eq!(trace.reached(), want, "broadcast from host {n}");
        assert_eq!(trace.to_controller.len(), 1, "first packet of host {n}");
        assert_eq!(trace.to_controller[0].dpid, at.0);
    }
}

/// Every ordered pair exchanges a unicast datagram that reaches only its destination, once,
/// without the controller.
fn all_pairs_communicate(sim: &mut Simulation<L2Learning>, hosts: &[Endpoint]) {
    for (a, &from) in hosts.iter().enumerate() {
        for (b, &to) in hosts.iter().enumerate() {
            if a == b {
                continue;
            }
            let trace = sim.inject(from, udp(a, b)).unwrap();
            assert!(!trace.looped);
            assert_eq!(trace.reached(), BTreeMap::from([(to, 1)]), "{a} → {b}");
            assert!(
                trace.to_controller.is_empty(),
                "{a} → {b} reached the controller"
            );
        }
    }
}

#[test]
fn tree_every_pair_communicates_and_the_controller_sees_only_first_packets() {
    let (view, hosts) = topo::tree(2, 3);
    let mut sim = start(view);
    announce_all(&mut sim, &hosts);
    all_pairs_communicate(&mut sim, &hosts);
    assert_eq!(sim.view().hosts().len(), hosts.len());
}

#[test]
fn ring_and_torus_never_storm_and_every_pair_communicates() {
    for (view, hosts) in [topo::ring(5), topo::torus(3, 3)] {
        let mut sim = start(view);
        announce_all(&mut sim, &hosts);
        all_pairs_communicate(&mut sim, &hosts);
        // A broadcast after learning reaches everyone once and bothers nobody.
        let trace = sim.inject(hosts[4], arp(4, 0)).unwrap();
        assert!(!trace.looped);
        assert_eq!(trace.reached().len(), hosts.len() - 1);
        assert!(trace.reached().values().all(|&n| n == 1));
        assert!(trace.to_controller.is_empty());
    }
}

#[test]
fn unknown_unicast_is_flooded_once_and_the_reply_is_direct() {
    let (view, hosts) = topo::torus(3, 3);
    let mut sim = start(view);
    // Host 0 talks to host 7, which has never spoken: flooded along the tree, once.
    let first = sim.inject(hosts[0], udp(0, 7)).unwrap();
    assert!(!first.looped);
    assert_eq!(first.reached().len(), hosts.len() - 1);
    assert!(first.reached().values().all(|&n| n == 1));
    assert_eq!(first.to_controller.len(), 1);
    // The reply is a known destination: straight there, the controller learns host 7.
    let reply = sim.inject(hosts[7], udp(7, 0)).unwrap();
    assert_eq!(reply.reached(), BTreeMap::from([(hosts[0], 1)]));
    assert_eq!(reply.to_controller.len(), 1);
    // From now on neither direction reaches the controller.
    for _ in 0..3 {
        let a = sim.inject(hosts[0], udp(0, 7)).unwrap();
        let b = sim.inject(hosts[7], udp(7, 0)).unwrap();
        assert_eq!(a.reached(), BTreeMap::from([(hosts[7], 1)]));
        assert_eq!(b.reached(), BTreeMap::from([(hosts[0], 1)]));
        assert!(a.to_controller.is_empty() && b.to_controller.is_empty());
    }
}

#[test]
fn a_failed_ring_link_reroutes_every_pair() {
    let (view, hosts) = topo::ring(4);
    let mut sim = start(view);
    announce_all(&mut sim, &hosts);
    // Cut the cable of a link on the flood tree (1–2); the tree and paths change.
    sim.change_topology(|v| {
        v.set_port_up(DatapathId(1), PortNo(2), false);
        v.set_port_up(DatapathId(2), PortNo(3), false);
    })
    .unwrap();
    all_pairs_communicate(&mut sim, &hosts);
    let trace = sim.inject(hosts[0], arp(0, 1)).unwrap();
    assert!(!trace.looped);
    assert_eq!(trace.reached().len(), 3);
}

/// Three switches in a ring; on each, port 1 carries VLAN 10 and port 2 VLAN 20; links on
/// ports 3 (to the next switch) and 4 (to the previous one).
fn vlan_ring() -> (FakeView, Vec<Endpoint>, Vec<Endpoint>) {
    let mut view = FakeView::new();
    let d = DatapathId;
    for s in 1..=3 {
        view.add_switch(d(s), &[1, 2, 3, 4]);
    }
    for s in 1..=3 {
        view.add_link((d(s), PortNo(3)), (d(s % 3 + 1), PortNo(4)));
    }
    let v10 = (1..=3).map(|s| (d(s), PortNo(1))).collect();
    let v20 = (1..=3).map(|s| (d(s), PortNo(2))).collect();
    (view, v10, v20)
}

#[test]
fn vlans_are_isolated_and_the_same_mac_on_two_vlans_is_two_hosts() {
    let (view, v10, v20) = vlan_ring();
    let mut sim = start(view);
    // Host n on VLAN 10 at v10[n], host 10+n on VLAN 20 at v20[n]; host 0 of VLAN 20 reuses
    // the MAC of host 0 of VLAN 10.
    let vlan20_mac = |n: usize| if n == 0 { 0 } else { 10 + n };
    for n in 0..3 {
        sim.inject(v10[n], arp(n, 0).tagged(10)).unwrap();
        sim.inject(v20[n], arp(vlan20_mac(n), 0).tagged(20))
            .unwrap();
    }
    let view = sim.view();
    assert_eq!(view.hosts().len(), 6);
    assert_eq!(
        view.host(mac(0), Some(10)).map(|h| (h.dpid, h.port)),
        Some(v10[0])
    );
    assert_eq!(
        view.host(mac(0), Some(20)).map(|h| (h.dpid, h.port)),
        Some(v20[0])
    );

    // A VLAN 10 broadcast reaches the other VLAN 10 hosts once and no VLAN 20 port.
    let trace = sim.inject(v10[1], arp(1, 2).tagged(10)).unwrap();
    assert!(!trace.looped);
    assert_eq!(trace.reached(), BTreeMap::from([(v10[0], 1), (v10[2], 1)]));
    let trace = sim.inject(v20[2], arp(12, 11).tagged(20)).unwrap();
    assert_eq!(trace.reached(), BTreeMap::from([(v20[0], 1), (v20[1], 1)]));

    // Unicast to the shared MAC goes to the host on the sender's VLAN.
    let on10 = sim.inject(v10[2], udp(2, 0).tagged(10)).unwrap();
    assert_eq!(on10.reached(), BTreeMap::from([(v10[0], 1)]));
    let on20 = sim.inject(v20[1], udp(11, 0).tagged(20)).unwrap();
    assert_eq!(on20.reached(), BTreeMap::from([(v20[0], 1)]));
    assert!(on10.to_controller.is_empty() && on20.to_controller.is_empty());

    // A frame to a VLAN 20 host sent on VLAN 10 is unknown there: flooded on VLAN 10 only.
    let cross = sim.inject(v10[0], udp(0, 11).tagged(10)).unwrap();
    assert_eq!(cross.reached(), BTreeMap::from([(v10[1], 1), (v10[2], 1)]));
}

#[test]
fn a_moved_host_is_followed_and_its_old_flows_replaced() {
    let (view, hosts) = topo::ring(4);
    let mut sim = start(view);
    announce_all(&mut sim, &hosts);
    // Host 0 moves from switch 1 to a free port (4) of switch 3.
    let new_place = (DatapathId(3), PortNo(4));
    sim.change_topology(|v| v.add_switch(DatapathId(3), &[4]))
        .unwrap();
    let moved = sim.inject(new_place, arp(0, 2)).unwrap();
    assert_eq!(
        moved.to_controller.len(),
        1,
        "the first packet at the new port"
    );
    assert_eq!(
        sim.view().host(mac(0), None).map(|h| (h.dpid, h.port)),
        Some(new_place)
    );
    // Its old source flow is gone from switch 1.
    let old_source = sim.switch(DatapathId(1)).unwrap().flows().any(|f| {
        f.spec
            .match_
            .iter()
            .any(|m| *m == OxmField::EthSrc(mac(0), None))
    });
    assert!(!old_source);
    // Traffic to it now arrives at the new port only; its own traffic no longer reaches the
    // controller.
    for (n, &at) in hosts.iter().enumerate().skip(1) {
        let trace = sim.inject(at, udp(n, 0)).unwrap();
        assert_eq!(
            trace.reached(),
            BTreeMap::from([(new_place, 1)]),
            "from {n}"
        );
    }
    let again = sim.inject(new_place, udp(0, 1)).unwrap();
    assert_eq!(again.reached(), BTreeMap::from([(hosts[1], 1)]));
    assert!(again.to_controller.is_empty());
}

#[test]
fn silent_hosts_idle_out_and_are_forgotten() {
    let (view, hosts) = topo::tree(2, 2);
    let mut sim = start(view);
    announce_all(&mut sim, &hosts);
    let timeout = Duration::from_secs(u64::from(sim.app().config().idle_timeout));
    // Host 0 keeps talking; the others are silent.
    sim.advance(timeout / 2).unwrap();
    sim.inject(hosts[0], udp(0, 1)).unwrap();
    sim.advance(timeout / 2 + Duration::from_secs(1)).unwrap();
    let known: Vec<MacAddr> = sim.view().hosts().iter().map(|h| h.mac).collect();
    assert_eq!(known, vec![mac(0)]);
    // No switch keeps a destination flow for a forgotten host.
    for dpid in sim.view().switches() {
        let stale = sim.switch(dpid).unwrap().flows().any(|f| {
            f.spec
                .match_
                .iter()
                .any(|m| matches!(m, OxmField::EthDst(m, None) if *m != mac(0)))
        });
        assert!(!stale, "switch {dpid} keeps a forgotten host's flow");
    }
    // A forgotten host that speaks again is learned again, from its first packet.
    let back = sim.inject(hosts[1], udp(1, 0)).unwrap();
    assert_eq!(back.to_controller.len(), 1);
    assert_eq!(back.reached(), BTreeMap::from([(hosts[0], 1)]));
    sim.advance(timeout + Duration::from_secs(1)).unwrap();
    assert!(sim.view().hosts().is_empty());
}

#[test]
fn flows_are_deterministic_survive_a_restart_and_respect_the_pipeline() {
    let (view, hosts) = topo::torus(3, 3);
    let mut sim = start(view);
    announce_all(&mut sim, &hosts);
    let app = sim.app();
    let restarted = L2Learning::default();
    for dpid in sim.view().switches() {
        let flows = app.flows(dpid, sim.view());
        assert_eq!(flows, app.flows(dpid, sim.view()));
        assert_eq!(flows, restarted.flows(dpid, sim.view()));
        let mut installed: Vec<_> = sim
            .switch(dpid)
            .unwrap()
            .flows()
            .map(|f| f.spec.clone())
            .collect();
        let mut wanted = flows.clone();
        let order = |f: &navarch_app::FlowSpec| (f.table, f.priority, f.match_.to_string());
        installed.sort_by_key(order);
        wanted.sort_by_key(order);
        assert_eq!(installed, wanted);
        for f in &flows {
            assert!(app.tables().contains(&f.table));
            assert!(f.priority < CORE_PRIORITY_FLOOR);
        }
    }
}

#[test]
fn packets_missing_the_pipeline_are_forwarded_by_packet_out_without_looping() {
    let (view, hosts) = topo::ring(4);
    let mut sim = start(view);
    announce_all(&mut sim, &hosts);
    // Switch 1 restarted with empty tables: its packets miss and reach the controller.
    sim.wipe_flows(DatapathId(1)).unwrap();
    let broadcast = sim.inject(hosts[0], arp(0, 2)).unwrap();
    assert!(!broadcast.looped);
    let want: BTreeMap<Endpoint, usize> = hosts[1..].iter().map(|&e| (e, 1)).collect();
    assert_eq!(broadcast.reached(), want);
    assert_eq!(broadcast.to_controller.len(), 1);
    // A known destination gets one copy, by the shortest path.
    let unicast = sim.inject(hosts[0], udp(0, 2)).unwrap();
    assert_eq!(unicast.reached(), BTreeMap::from([(hosts[2], 1)]));
    // Traffic arriving at the wiped switch over a link also reaches the controller (the
    // table-miss), and the app still delivers it once.
    let inbound = sim.inject(hosts[1], udp(1, 0)).unwrap();
    assert_eq!(inbound.reached(), BTreeMap::from([(hosts[0], 1)]));
    assert_eq!(inbound.to_controller.len(), 1);
}
