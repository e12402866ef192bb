//! The topology driven through a simulated network: switches wired together, probes delivered
//! along the wires, hosts on the remaining ports.

use std::collections::BTreeMap;

use navarch_app::View;
use openflow::msg::PortFeatures;

use super::*;

const SECRET: &[u8] = b"the cluster secret, 32 bytes lng";
const SESSION: u64 = 0xc0ffee;

fn port_desc(no: u32, up: bool) -> Port {
    Port {
        port_no: PortNo(no),
        hw_addr: MacAddr([0x02, 0xff, 0, 0, (no >> 8) as u8, no as u8]),
        name: format!("p{no}"),
        config: PortConfig::EMPTY,
        state: if up {
            PortState::LIVE
        } else {
            PortState::LINK_DOWN
        },
        curr: PortFeatures::EMPTY,
        advertised: PortFeatures::EMPTY,
        supported: PortFeatures::EMPTY,
        peer: PortFeatures::EMPTY,
        curr_speed: 0,
        max_speed: 0,
    }
}

fn end(dpid: u64, port: u32) -> LinkEnd {
    LinkEnd::new(DatapathId(dpid), PortNo(port))
}

/// A simulated network: wires between switch ports, and `hosts_per_switch` host ports on each
/// switch after its link ports.
struct Lab {
    topo: Topology,
    wires: BTreeMap<LinkEnd, LinkEnd>,
    ports: BTreeMap<DatapathId, u32>,
    t0: Instant,
}

impl Lab {
    fn new(links: &[(u64, u64)], n_switches: u64, hosts_per_switch: u32) -> Lab {
        let t0 = Instant::now();
        let topo = Topology::new(TopologyConfig::default(), SECRET, SESSION, t0).unwrap();
        let mut ports: BTreeMap<DatapathId, u32> =
            (1..=n_switches).map(|d| (DatapathId(d), 0)).collect();
        let mut wires = BTreeMap::new();
        for &(a, b) in links {
            let mut next = |d: u64| {
                let n = ports.get_mut(&DatapathId(d)).unwrap();
                *n += 1;
                end(d, *n)
            };
            let (ea, eb) = (next(a), next(b));
            wires.insert(ea, eb);
            wires.insert(eb, ea);
        }
        for n in ports.values_mut() {
            *n += hosts_per_switch;
        }
        let mut lab = Lab {
            topo,
            wires,
            ports,
            t0,
        };
        for (&dpid, &n) in &lab.ports {
            let mut descs: Vec<Port> = (1..=n).map(|p| port_desc(p, true)).collect();
            descs.push(port_desc(PortNo::LOCAL.0, true));
            lab.topo.switch_up(dpid, 254, descs, t0);
        }
        lab
    }

    fn at(&self, secs: f64) -> Instant {
        self.t0 + Duration::from_secs_f64(secs)
    }

    /// Sends every probe and delivers it along its wire; returns the changes.
    fn probe(&mut self, now: Instant) -> Vec<Change> {
        let mut changes = Vec::new();
        for (dpid, port, frame) in self.topo.lldp_frames(now) {
            if let Some(peer) = self.wires.get(&LinkEnd::new(dpid, port)) {
                changes.extend(
                    self.topo
                        .handle_lldp(peer.dpid, peer.port, &frame, now)
                        .unwrap(),
                );
            }
        }
        changes
    }

    /// Host (edge) ports of the network.
    fn edge_ports(&self) -> Vec<LinkEnd> {
        self.ports
            .iter()
            .flat_map(|(&d, &n)| (1..=n).map(move |p| LinkEnd::new(d, PortNo(p))))
            .filter(|e| !self.wires.contains_key(e))
            .collect()
    }

    /// Floods a frame from the host at `from` through the view; returns how often each host
    /// port received it.
    fn flood(&self, from: LinkEnd) -> BTreeMap<LinkEnd, usize> {
        let mut received = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        let mut steps = 0;
        while let Some(at) = queue.pop_front() {
            steps += 1;
            assert!(steps < 10_000, "flood storm");
            for out in self.topo.flood_ports(at.dpid, at.port) {
                let out = LinkEnd::new(at.dpid, out);
                match self.wires.get(&out) {
                    Some(peer) => queue.push_back(*peer),
                    None => *received.entry(out).or_insert(0) += 1,
                }
            }
        }
        received
    }

    fn assert_floods_reach_every_host_once(&self) {
        let edges = self.edge_ports();
        for &from in &edges {
            let received = self.flood(from);
            for &to in &edges {
                let want = usize::from(to != from);
                assert_eq!(
                    received.get(&to).copied().unwrap_or(0),
                    want,
                    "{from:?} -> {to:?}"
                );
            }
        }
    }
}

fn arp_from(mac: MacAddr, ip: [u8; 4]) -> Vec<u8> {
    let mut f = vec![0xff; 6];
    f.extend_from_slice(&mac.0);
    f.extend_from_slice(&[0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1]);
    f.extend_from_slice(&mac.0);
    f.extend_from_slice(&ip);
    f.extend_from_slice(&[0; 10]);
    f
}

fn host_mac(n: u8) -> MacAddr {
    MacAddr([0x02, 0, 0, 0, 0, n])
}

fn torus_links() -> Vec<(u64, u64)> {
    let id = |r: u64, c: u64| r * 3 + c + 1;
    let mut links = Vec::new();
    for r in 0..3 {
        for c in 0..3 {
            links.push((id(r, c), id(r, (c + 1) % 3)));
            links.push((id(r, c), id((r + 1) % 3, c)));
        }
    }
    links
}

#[test]
fn discovers_a_torus_and_floods_without_loops() {
    let mut lab = Lab::new(&torus_links(), 9, 1);
    let changes = lab.probe(lab.at(0.1));
    let added = changes
        .iter()
        .filter(|c| matches!(c, Change::Link(LinkChange::Added(_))))
        .count();
    assert_eq!(added, 36);
    assert_eq!(lab.topo.links().bidirectional().len(), 18);
    assert_eq!(lab.topo.graph().tree_links().len(), 8);
    // Probing ports (the host ports) are not flooded to yet.
    assert!(lab.flood(end(1, 5)).is_empty());
    let settled = lab.topo.expire(lab.at(2.5));
    assert_eq!(settled.len(), 9 * 6, "every port of every switch settles");
    lab.assert_floods_reach_every_host_once();
    // Every switch reaches every other.
    for a in lab.topo.switches() {
        for b in lab.topo.switches() {
            assert_eq!(lab.topo.next_hop(a, b).is_some(), a != b);
        }
    }
}

#[test]
fn tree_and_ring_flood_every_host_once() {
    let mut tree = Lab::new(&[(1, 2), (1, 3), (1, 4)], 4, 3);
    tree.probe(tree.at(0.1));
    tree.topo.expire(tree.at(3.0));
    tree.assert_floods_reach_every_host_once();

    let mut ring = Lab::new(&[(1, 2), (2, 3), (3, 4), (4, 5), (5, 1)], 5, 2);
    ring.probe(ring.at(0.1));
    ring.topo.expire(ring.at(3.0));
    ring.assert_floods_reach_every_host_once();
}

#[test]
fn a_frame_on_a_non_tree_link_floods_nowhere() {
    let mut lab = Lab::new(&[(1, 2), (2, 3), (3, 1)], 3, 1);
    lab.probe(lab.at(0.1));
    lab.topo.expire(lab.at(3.0));
    // BFS from 1 uses 1-2 and 1-3; link 2-3 (2 port 2, 3 port 2) is off the tree.
    assert!(lab.topo.is_link_port(DatapathId(2), PortNo(2)));
    assert_eq!(lab.topo.flood_ports(DatapathId(2), PortNo(2)), vec![]);
    assert_eq!(
        lab.topo.flood_ports(DatapathId(2), PortNo(1)),
        vec![PortNo(3)],
        "from the tree: the host port only"
    );
    assert_eq!(
        lab.topo.flood_ports(DatapathId(1), PortNo(3)),
        vec![PortNo(1), PortNo(2)],
        "from a host: both tree links; LOCAL is never flooded to"
    );
}

#[test]
fn forged_tampered_and_replayed_probes_create_no_link() {
    let mut lab = Lab::new(&[(1, 2)], 2, 1);
    let now = lab.at(0.5);
    // A host on switch 2 port 2 forges a probe naming switch 1 port 1 with its own key.
    let forger = LldpSigner::new(
        b"guessed secret....",
        SESSION,
        lab.t0,
        Duration::from_secs(5),
    )
    .unwrap();
    let forged = forger.build(DatapathId(1), PortNo(1), host_mac(9), now);
    assert_eq!(
        lab.topo.handle_lldp(DatapathId(2), PortNo(2), &forged, now),
        Err(LldpError::BadHmac)
    );
    // It captures a genuine probe sent out of its own port and replays it.
    let genuine = lab
        .topo
        .lldp_frames(now)
        .into_iter()
        .find(|(d, p, _)| (*d, *p) == (DatapathId(2), PortNo(2)))
        .unwrap()
        .2;
    assert_eq!(
        lab.topo
            .handle_lldp(DatapathId(2), PortNo(2), &genuine, now),
        Err(LldpError::SelfLoop)
    );
    let mut tampered = genuine.to_vec();
    tampered[14 + 3 + 20] ^= 0x01; // the dpid's last hex digit: now names switch 3
    assert_eq!(
        lab.topo
            .handle_lldp(DatapathId(2), PortNo(2), &tampered, now),
        Err(LldpError::BadHmac)
    );
    assert!(matches!(
        lab.topo
            .handle_lldp(DatapathId(2), PortNo(2), &genuine, lab.at(6.0)),
        Err(LldpError::Expired { .. })
    ));
    assert!(lab.topo.links().is_empty());
    // A probe naming a switch that is not connected.
    let stranger = LldpSigner::new(SECRET, SESSION, lab.t0, Duration::from_secs(5)).unwrap();
    let frame = stranger.build(DatapathId(77), PortNo(1), host_mac(9), now);
    assert_eq!(
        lab.topo.handle_lldp(DatapathId(2), PortNo(2), &frame, now),
        Err(LldpError::UnknownSource {
            dpid: DatapathId(77),
            port: PortNo(1)
        })
    );
    assert!(matches!(
        lab.topo
            .handle_lldp(DatapathId(2), PortNo(99), &genuine, now),
        Err(LldpError::UnknownIngress { .. })
    ));
    assert!(lab.topo.links().is_empty());
}

#[test]
fn links_expire_when_probes_stop() {
    let mut lab = Lab::new(&[(1, 2)], 2, 1);
    lab.probe(lab.at(0.0));
    lab.probe(lab.at(4.0));
    assert_eq!(lab.topo.poll_timeout(), Some(lab.at(0.5)));
    lab.topo.expire(lab.at(0.5));
    assert_eq!(lab.topo.poll_timeout(), Some(lab.at(9.001)));
    assert!(lab.topo.expire(lab.at(9.0)).is_empty());
    let changes = lab.topo.expire(lab.at(9.001));
    assert_eq!(changes.len(), 2);
    assert!(
        changes
            .iter()
            .all(|c| matches!(c, Change::Link(LinkChange::Removed(_))))
    );
    assert!(lab.topo.graph().tree_links().is_empty());
    assert!(!lab.topo.is_link_port(DatapathId(1), PortNo(1)));
}

#[test]
fn port_down_and_switch_down_take_links_and_hosts_away() {
    let mut lab = Lab::new(&[(1, 2), (2, 3)], 3, 1);
    lab.probe(lab.at(0.0));
    lab.topo.expire(lab.at(3.0));
    let h = host_mac(1);
    lab.topo
        .learn_host(DatapathId(2), PortNo(3), &arp_from(h, [10, 0, 0, 1]));
    assert!(lab.topo.host(h, None).is_some());

    // Port 2 of switch 2 (towards 3) goes down.
    let changes = lab.topo.port_status(
        DatapathId(2),
        PortReason::Modify,
        port_desc(2, false),
        lab.at(3.1),
    );
    assert_eq!(
        changes[0],
        Change::Port {
            dpid: DatapathId(2),
            port: PortNo(2)
        }
    );
    assert_eq!(changes.len(), 3, "the port and both directions of its link");
    assert_eq!(lab.topo.next_hop(DatapathId(1), DatapathId(3)), None);
    assert!(!lab.topo.ports(DatapathId(2))[1].up);

    // It comes back: probing again until the hold-down passes, then the link is rediscovered.
    lab.topo.port_status(
        DatapathId(2),
        PortReason::Modify,
        port_desc(2, true),
        lab.at(3.2),
    );
    assert!(
        lab.topo
            .switch(DatapathId(2))
            .unwrap()
            .ports
            .get(&PortNo(2))
            .unwrap()
            .is_probing()
    );
    lab.probe(lab.at(3.3));
    assert_eq!(
        lab.topo.next_hop(DatapathId(1), DatapathId(3)),
        Some(PortNo(1))
    );

    // The host's port is deleted.
    let changes = lab.topo.port_status(
        DatapathId(2),
        PortReason::Delete,
        port_desc(3, true),
        lab.at(3.4),
    );
    assert!(changes.contains(&Change::Host(HostChange::Removed(lab_host(
        h,
        2,
        3,
        [10, 0, 0, 1]
    )))));
    assert_eq!(
        lab.topo.ports(DatapathId(2)).len(),
        3,
        "ports 1, 2 and LOCAL"
    );

    let changes = lab.topo.switch_down(DatapathId(2));
    assert_eq!(changes.len(), 4, "both links, both directions");
    assert!(lab.topo.links().is_empty());
    assert_eq!(lab.topo.switches(), vec![DatapathId(1), DatapathId(3)]);
    assert!(lab.topo.switch_down(DatapathId(2)).is_empty());
    assert!(lab.topo.flood_ports(DatapathId(2), PortNo(1)).is_empty());
}

fn lab_host(mac: MacAddr, dpid: u64, port: u32, ip: [u8; 4]) -> navarch_app::HostInfo {
    navarch_app::HostInfo {
        mac,
        vlan: None,
        dpid: DatapathId(dpid),
        port: PortNo(port),
        ipv4: vec![ip.into()],
        ipv6: vec![],
    }
}

#[test]
fn hosts_are_learned_on_settled_edge_ports_only() {
    let mut lab = Lab::new(&[(1, 2)], 2, 2);
    let h = host_mac(1);
    let frame = arp_from(h, [10, 0, 0, 1]);
    // Before the hold-down passes nothing is learned.
    assert!(
        lab.topo
            .learn_host(DatapathId(1), PortNo(2), &frame)
            .is_empty()
    );
    lab.probe(lab.at(0.1));
    lab.topo.expire(lab.at(3.0));
    // Not on a link port, nor from an unknown switch or port.
    assert!(
        lab.topo
            .learn_host(DatapathId(2), PortNo(1), &frame)
            .is_empty()
    );
    assert!(
        lab.topo
            .learn_host(DatapathId(9), PortNo(2), &frame)
            .is_empty()
    );
    assert!(
        lab.topo
            .learn_host(DatapathId(1), PortNo(42), &frame)
            .is_empty()
    );
    // Not from LLDP.
    let probe = lab.topo.lldp_frames(lab.at(3.0))[0].2.clone();
    assert!(
        lab.topo
            .learn_host(DatapathId(1), PortNo(2), &probe)
            .is_empty()
    );

    let changes = lab.topo.learn_host(DatapathId(1), PortNo(2), &frame);
    assert_eq!(
        changes,
        vec![Change::Host(HostChange::Added(lab_host(
            h,
            1,
            2,
            [10, 0, 0, 1]
        )))]
    );
    // It moves to switch 2.
    let changes = lab.topo.learn_host(DatapathId(2), PortNo(3), &frame);
    assert!(matches!(
        &changes[..],
        [Change::Host(HostChange::Moved { from, host })]
            if *from == end(1, 2) && host.dpid == DatapathId(2)
    ));
    assert_eq!(lab.topo.hosts().len(), 1);
    assert_eq!(
        lab.topo.forget_host(h, None),
        Some(Change::Host(HostChange::Removed(lab_host(
            h,
            2,
            3,
            [10, 0, 0, 1]
        ))))
    );
    assert!(lab.topo.host(h, None).is_none());
}

#[test]
fn discovering_a_link_forgets_hosts_mislearned_on_it() {
    let mut lab = Lab::new(&[(1, 2)], 2, 1);
    lab.topo.expire(lab.at(3.0));
    // Before any probe, a frame in transit arrives on the (not yet known) link port.
    let h = host_mac(1);
    lab.topo
        .learn_host(DatapathId(2), PortNo(1), &arp_from(h, [10, 0, 0, 1]));
    assert!(lab.topo.host(h, None).is_some());
    let changes = lab.probe(lab.at(3.1));
    assert!(changes.contains(&Change::Host(HostChange::Removed(lab_host(
        h,
        2,
        1,
        [10, 0, 0, 1]
    )))));
    assert!(lab.topo.hosts().is_empty());
}

#[test]
fn host_table_is_bounded() {
    let t0 = Instant::now();
    let config = TopologyConfig {
        max_hosts: 16,
        ..TopologyConfig::default()
    };
    let mut topo = Topology::new(config, SECRET, SESSION, t0).unwrap();
    topo.switch_up(DatapathId(1), 1, vec![port_desc(1, true)], t0);
    topo.expire(t0 + Duration::from_secs(3));
    for n in 0..1000u32 {
        let mac = MacAddr([0x02, 0xaa, 0, 0, (n >> 8) as u8, n as u8]);
        topo.learn_host(DatapathId(1), PortNo(1), &arp_from(mac, [10, 0, 0, 1]));
    }
    assert_eq!(topo.hosts().len(), 16);
}

#[test]
fn view_reports_ports_and_switches() {
    let t0 = Instant::now();
    let mut topo = Topology::new(TopologyConfig::default(), SECRET, SESSION, t0).unwrap();
    let mut admin_down = port_desc(2, true);
    admin_down.config = PortConfig::PORT_DOWN;
    topo.switch_up(
        DatapathId(5),
        4,
        vec![port_desc(1, true), admin_down, port_desc(3, false)],
        t0,
    );
    topo.switch_up(DatapathId(3), 4, vec![], t0);
    assert_eq!(topo.switches(), vec![DatapathId(3), DatapathId(5)]);
    let ups: Vec<(PortNo, bool)> = topo
        .ports(DatapathId(5))
        .iter()
        .map(|p| (p.port_no, p.up))
        .collect();
    assert_eq!(
        ups,
        vec![(PortNo(1), true), (PortNo(2), false), (PortNo(3), false)]
    );
    assert_eq!(topo.ports(DatapathId(5))[0].name, "p1");
    assert!(topo.ports(DatapathId(9)).is_empty());
    assert_eq!(topo.switch(DatapathId(5)).unwrap().n_tables, 4);
    // Probes go out of up ports only.
    let probes: Vec<PortNo> = topo.lldp_frames(t0).iter().map(|f| f.1).collect();
    assert_eq!(probes, vec![PortNo(1)]);
    topo.expire(t0 + Duration::from_secs(3));
    assert_eq!(topo.flood_ports(DatapathId(5), PortNo(3)), vec![PortNo(1)]);
    assert!(topo.flood_ports(DatapathId(5), PortNo(1)).is_empty());
}

#[test]
fn a_reconnecting_switch_keeps_links_on_ports_still_up() {
    let mut lab = Lab::new(&[(1, 2), (1, 3)], 3, 1);
    lab.probe(lab.at(0.0));
    lab.topo.expire(lab.at(3.0));
    // Switch 1 reconnects with port 2 (towards 3) gone.
    let ports = vec![port_desc(1, true), port_desc(3, true)];
    let changes = lab.topo.switch_up(DatapathId(1), 254, ports, lab.at(3.5));
    let removed = changes
        .iter()
        .filter(|c| matches!(c, Change::Link(LinkChange::Removed(_))))
        .count();
    assert_eq!(removed, 2);
    assert!(changes.contains(&Change::Port {
        dpid: DatapathId(1),
        port: PortNo(2)
    }));
    assert!(changes.contains(&Change::Port {
        dpid: DatapathId(1),
        port: PortNo::LOCAL
    }));
    assert!(lab.topo.is_link_port(DatapathId(1), PortNo(1)));
    assert!(
        !lab.topo
            .switch(DatapathId(1))
            .unwrap()
            .ports
            .get(&PortNo(3))
            .unwrap()
            .is_probing()
    );
    assert_eq!(
        lab.topo.next_hop(DatapathId(1), DatapathId(2)),
        Some(PortNo(1))
    );
    assert_eq!(lab.topo.next_hop(DatapathId(1), DatapathId(3)), None);
}

#[test]
fn restored_links_and_hosts_match_what_was_saved() {
    let mut lab = Lab::new(&[(1, 2)], 2, 1);
    lab.probe(lab.at(0.0));
    lab.topo.expire(lab.at(3.0));
    lab.topo.learn_host(
        DatapathId(1),
        PortNo(2),
        &arp_from(host_mac(1), [10, 0, 0, 1]),
    );
    let links = serde_json::to_string(&lab.topo.link_records()).unwrap();
    let hosts = serde_json::to_string(&lab.topo.host_records()).unwrap();

    let t1 = lab.at(100.0);
    let mut after = Topology::new(TopologyConfig::default(), SECRET, SESSION + 1, t1).unwrap();
    for d in 1..=2 {
        let descs = vec![port_desc(1, true), port_desc(2, true)];
        after.switch_up(DatapathId(d), 254, descs, t1);
    }
    let links: Vec<LinkRecord> = serde_json::from_str(&links).unwrap();
    let hosts: Vec<HostRecord> = serde_json::from_str(&hosts).unwrap();
    assert_eq!(after.restore_links(&links, t1).len(), 2);
    assert_eq!(after.restore_hosts(&hosts).len(), 1);
    assert_eq!(after.hosts(), lab.topo.hosts());
    assert_eq!(after.graph(), lab.topo.graph());
    // Restored links are links at once; the other port probes: what enters it goes nowhere
    // (the runtime holds it), but floods reach it.
    assert!(after.is_probing(DatapathId(1), PortNo(2)));
    assert!(!after.is_probing(DatapathId(1), PortNo(1)));
    assert!(!after.is_edge_port(DatapathId(1), PortNo(2)));
    assert_eq!(after.flood_ports(DatapathId(1), PortNo(2)), vec![]);
    assert_eq!(after.flood_ports(DatapathId(1), PortNo(1)), vec![PortNo(2)]);
    after.expire(t1 + Duration::from_secs(1));
    assert!(after.is_edge_port(DatapathId(1), PortNo(2)));
    assert_eq!(after.flood_ports(DatapathId(1), PortNo(2)), vec![PortNo(1)]);
}

#[test]
fn a_short_secret_is_refused() {
    let err = Topology::new(TopologyConfig::default(), b"short", 1, Instant::now()).unwrap_err();
    assert_eq!(err, SecretError::TooShort(5));
}

#[test]
fn without_hold_down_ports_settle_at_once() {
    let t0 = Instant::now();
    let config = TopologyConfig {
        edge_holddown: Duration::ZERO,
        ..TopologyConfig::default()
    };
    let mut topo = Topology::new(config, SECRET, SESSION, t0).unwrap();
    topo.switch_up(
        DatapathId(1),
        1,
        vec![port_desc(1, true), port_desc(2, true)],
        t0,
    );
    assert_eq!(topo.flood_ports(DatapathId(1), PortNo(1)), vec![PortNo(2)]);
    assert_eq!(topo.poll_timeout(), None);
    let changes = topo.learn_host(
        DatapathId(1),
        PortNo(1),
        &arp_from(host_mac(1), [10, 0, 0, 1]),
    );
    assert_eq!(changes.len(), 1);
}

proptest::proptest! {
    #[test]
    fn random_packet_ins_never_panic_and_never_make_links(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..160),
        lldp in proptest::prelude::any::<bool>(),
    ) {
        let mut lab = Lab::new(&[(1, 2)], 2, 1);
        lab.topo.expire(lab.at(3.0));
        let mut frame = bytes;
        if lldp && frame.len() >= 14 {
            frame[12..14].copy_from_slice(&[0x88, 0xcc]);
        }
        proptest::prop_assert!(lab.topo.handle_lldp(DatapathId(1), PortNo(2), &frame, lab.at(3.0)).is_err());
        lab.topo.learn_host(DatapathId(1), PortNo(2), &frame);
        proptest::prop_assert!(lab.topo.links().is_empty());
        proptest::prop_assert!(lab.topo.hosts().len() <= 1);
    }
}

#[test]
fn fast_probes_cover_probing_ports_then_only_links_seen_one_way() {
    let mut lab = Lab::new(&[(1, 2)], 2, 1);
    let now = lab.at(0.1);
    let ends = |frames: Vec<(DatapathId, PortNo, bytes::Bytes)>| -> Vec<(u64, u32)> {
        frames.into_iter().map(|(d, p, _)| (d.0, p.0)).collect()
    };
    // Every port probes at first (LOCAL is never probed).
    assert_eq!(
        ends(lab.topo.fast_probe_frames(now)),
        vec![(1, 1), (1, 2), (2, 1), (2, 2)]
    );
    // One probe crosses the wire one way: switch 1's port 1 reached switch 2's port 1.
    let frame = lab.topo.probe(DatapathId(1), PortNo(1), now).unwrap();
    lab.topo
        .handle_lldp(DatapathId(2), PortNo(1), &frame, now)
        .unwrap();
    lab.topo.expire(lab.at(1.0));
    // Ports settled: only the far end of the one-way link is probed, towards its source.
    assert_eq!(ends(lab.topo.fast_probe_frames(lab.at(1.0))), vec![(2, 1)]);
    lab.probe(lab.at(1.1));
    assert!(lab.topo.fast_probe_frames(lab.at(1.2)).is_empty());
}
