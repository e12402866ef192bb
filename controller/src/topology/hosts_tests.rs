use super::*;
use crate::topology::frame::{ETHERTYPE_ARP, ETHERTYPE_IPV4};
use std::net::Ipv4Addr;

fn mac(n: u8) -> MacAddr {
    MacAddr([0x02, 0, 0, 0, 0, n])
}

fn sender(src: MacAddr, vlan: Option<u16>, ip: Option<SenderIp>) -> Sender {
    Sender {
        dst: MacAddr::BROADCAST,
        src,
        vlan,
        ethertype: ETHERTYPE_ARP,
        ip,
    }
}

fn v4(last: u8) -> Option<SenderIp> {
    Some(SenderIp::V4(Ipv4Addr::new(10, 0, 0, last)))
}

const S1: DatapathId = DatapathId(1);
const S2: DatapathId = DatapathId(2);

#[test]
fn learns_once_then_adds_addresses() {
    let mut table = HostTable::new(10);
    let changes = table.learn(S1, PortNo(3), &sender(mac(1), None, v4(1)));
    let [HostChange::Added(h)] = &changes[..] else {
        panic!("expected Added, got {changes:?}");
    };
    assert_eq!((h.dpid, h.port, h.vlan), (S1, PortNo(3), None));
    assert_eq!(h.ipv4, vec![Ipv4Addr::new(10, 0, 0, 1)]);

    assert!(
        table
            .learn(S1, PortNo(3), &sender(mac(1), None, v4(1)))
            .is_empty()
    );
    assert!(
        table
            .learn(S1, PortNo(3), &sender(mac(1), None, None))
            .is_empty()
    );
    let changes = table.learn(S1, PortNo(3), &sender(mac(1), None, v4(9)));
    assert!(matches!(&changes[..], [HostChange::AddressAdded(h)] if h.ipv4.len() == 2));
    assert_eq!(table.len(), 1);
}

#[test]
fn vlans_keep_hosts_apart() {
    let mut table = HostTable::new(10);
    table.learn(S1, PortNo(3), &sender(mac(1), Some(10), None));
    table.learn(S1, PortNo(4), &sender(mac(1), Some(20), None));
    assert_eq!(table.len(), 2);
    assert_eq!(table.get(mac(1), Some(10)).unwrap().port, PortNo(3));
    assert_eq!(table.get(mac(1), Some(20)).unwrap().port, PortNo(4));
    assert!(table.get(mac(1), None).is_none());
}

#[test]
fn a_host_on_another_port_moved() {
    let mut table = HostTable::new(10);
    table.learn(S1, PortNo(3), &sender(mac(1), None, v4(1)));
    let changes = table.learn(S2, PortNo(7), &sender(mac(1), None, None));
    match &changes[..] {
        [HostChange::Moved { host, from }] => {
            assert_eq!((host.dpid, host.port), (S2, PortNo(7)));
            assert_eq!(*from, LinkEnd::new(S1, PortNo(3)));
            assert_eq!(host.ipv4, vec![Ipv4Addr::new(10, 0, 0, 1)]);
        }
        other => panic!("expected Moved, got {other:?}"),
    }
    assert_eq!(table.get(mac(1), None).unwrap().dpid, S2);
}

#[test]
fn group_zero_and_lldp_sources_teach_nothing() {
    let mut table = HostTable::new(10);
    assert!(
        table
            .learn(S1, PortNo(1), &sender(MacAddr::BROADCAST, None, None))
            .is_empty()
    );
    let multicast = MacAddr([0x01, 0x00, 0x5e, 0, 0, 1]);
    assert!(
        table
            .learn(S1, PortNo(1), &sender(multicast, None, None))
            .is_empty()
    );
    assert!(
        table
            .learn(S1, PortNo(1), &sender(MacAddr::ZERO, None, None))
            .is_empty()
    );
    let mut lldp = sender(mac(1), None, None);
    lldp.ethertype = ETHERTYPE_LLDP;
    assert!(table.learn(S1, PortNo(1), &lldp).is_empty());
    assert!(table.is_empty());
}

#[test]
fn a_flood_of_macs_stays_bounded_and_evicts_the_least_recent() {
    let mut table = HostTable::new(4);
    for n in 1..=4 {
        table.learn(S1, PortNo(1), &sender(mac(n), None, None));
    }
    // Host 1 is seen again, so host 2 is now the least recently seen.
    table.learn(S1, PortNo(1), &sender(mac(1), None, None));
    let changes = table.learn(S1, PortNo(1), &sender(mac(5), None, None));
    assert!(
        matches!(&changes[..], [HostChange::Removed(old), HostChange::Added(new)]
            if old.mac == mac(2) && new.mac == mac(5))
    );
    for n in 0..=255u8 {
        let src = MacAddr([0x02, 0xaa, 0, 0, 1, n]);
        table.learn(S1, PortNo(1), &sender(src, None, None));
        assert!(table.len() <= 4);
    }
    assert_eq!(table.len(), 4);
    assert_eq!(table.recency.len(), 4);
    assert!(table.get(mac(1), None).is_none());
}

#[test]
fn addresses_per_host_are_bounded() {
    let mut table = HostTable::new(4);
    for last in 0..20 {
        table.learn(S1, PortNo(1), &sender(mac(1), None, v4(last)));
    }
    let h = table.get(mac(1), None).unwrap();
    assert_eq!(h.ipv4.len(), MAX_ADDRESSES_PER_FAMILY);
    assert_eq!(h.ipv4.last(), Some(&Ipv4Addr::new(10, 0, 0, 19)));
}

#[test]
fn zero_capacity_learns_nothing() {
    let mut table = HostTable::new(0);
    assert!(
        table
            .learn(S1, PortNo(1), &sender(mac(1), None, None))
            .is_empty()
    );
    assert!(table.is_empty());
}

#[test]
fn forget_and_removal_by_port_and_switch() {
    let mut table = HostTable::new(10);
    table.learn(S1, PortNo(1), &sender(mac(1), None, None));
    table.learn(S1, PortNo(2), &sender(mac(2), None, None));
    table.learn(S2, PortNo(1), &sender(mac(3), None, None));
    table.learn(S2, PortNo(1), &sender(mac(4), None, None));

    assert!(matches!(table.forget(mac(1), None), Some(HostChange::Removed(h)) if h.mac == mac(1)));
    assert_eq!(table.forget(mac(1), None), None);
    let removed = table.remove_port(LinkEnd::new(S2, PortNo(1)));
    let macs: Vec<_> = removed.iter().map(|c| c.host().mac).collect();
    assert_eq!(macs, vec![mac(3), mac(4)]);
    assert_eq!(table.remove_switch(S1).len(), 1);
    assert!(table.is_empty());
    assert!(table.recency.is_empty());
}

#[test]
fn records_round_trip_through_restore() {
    let mut table = HostTable::new(10);
    table.learn(S1, PortNo(1), &sender(mac(1), Some(5), v4(1)));
    let mut ipv4 = sender(mac(2), None, None);
    ipv4.ethertype = ETHERTYPE_IPV4;
    ipv4.ip = Some(SenderIp::V6("2001:db8::2".parse().unwrap()));
    table.learn(S2, PortNo(4), &ipv4);
    let records = table.records();
    let json = serde_json::to_string(&records).unwrap();
    let back: Vec<HostRecord> = serde_json::from_str(&json).unwrap();

    let mut restored = HostTable::new(10);
    assert_eq!(restored.restore(&back).len(), 2);
    assert_eq!(restored.hosts(), table.hosts());
    // Restoring into a smaller table keeps the most recent records.
    let mut small = HostTable::new(1);
    small.restore(&back);
    assert_eq!(small.hosts(), vec![HostInfo::from(back[1].clone())]);
}

/// VLANs per edge port of a switch, and hosts per VLAN.
type Indexes = (
    BTreeMap<PortNo, BTreeSet<Option<u16>>>,
    BTreeMap<Option<u16>, usize>,
);

/// The indexes recomputed from scratch.
fn scanned(table: &HostTable, dpid: DatapathId) -> Indexes {
    let mut ports: BTreeMap<PortNo, BTreeSet<Option<u16>>> = BTreeMap::new();
    let mut vlans: BTreeMap<Option<u16>, usize> = BTreeMap::new();
    for h in table.hosts() {
        if h.dpid == dpid {
            ports.entry(h.port).or_default().insert(h.vlan);
        }
        *vlans.entry(h.vlan).or_default() += 1;
    }
    (ports, vlans)
}

#[derive(Clone, Debug)]
enum Op {
    Learn {
        host: u8,
        vlan: Option<u16>,
        dpid: u64,
        port: u32,
    },
    Forget {
        host: u8,
        vlan: Option<u16>,
    },
    RemovePort {
        dpid: u64,
        port: u32,
    },
    RemoveSwitch {
        dpid: u64,
    },
    Restore {
        host: u8,
        vlan: Option<u16>,
        dpid: u64,
        port: u32,
    },
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    let vlan = prop_oneof![Just(None), (1u16..4).prop_map(Some)];
    prop_oneof![
        4 => (0u8..12, vlan.clone(), 1u64..4, 1u32..4)
            .prop_map(|(host, vlan, dpid, port)| Op::Learn { host, vlan, dpid, port }),
        1 => (0u8..12, vlan.clone()).prop_map(|(host, vlan)| Op::Forget { host, vlan }),
        1 => (1u64..4, 1u32..4).prop_map(|(dpid, port)| Op::RemovePort { dpid, port }),
        1 => (1u64..4).prop_map(|dpid| Op::RemoveSwitch { dpid }),
        1 => (0u8..12, vlan, 1u64..4, 1u32..4)
            .prop_map(|(host, vlan, dpid, port)| Op::Restore { host, vlan, dpid, port }),
    ]
}

proptest::proptest! {
    /// Whatever happens to the table (learning, moves, forgetting, eviction at the bound,
    /// restores), the membership and VLAN indexes equal a scan of the hosts.
    #[test]
    fn indexes_follow_every_change(ops in proptest::collection::vec(op(), 0..60)) {
        let mut table = HostTable::new(8);
        for op in ops {
            match op {
                Op::Learn { host, vlan, dpid, port } => {
                    table.learn(DatapathId(dpid), PortNo(port), &sender(mac(host), vlan, v4(host)));
                }
                Op::Forget { host, vlan } => {
                    table.forget(mac(host), vlan);
                }
                Op::RemovePort { dpid, port } => {
                    table.remove_port(LinkEnd::new(DatapathId(dpid), PortNo(port)));
                }
                Op::RemoveSwitch { dpid } => {
                    table.remove_switch(DatapathId(dpid));
                }
                Op::Restore { host, vlan, dpid, port } => {
                    table.restore(&[HostRecord {
                        mac: mac(host).0,
                        vlan,
                        dpid,
                        port,
                        ipv4: Vec::new(),
                        ipv6: Vec::new(),
                    }]);
                }
            }
            for dpid in 1..4 {
                let (ports, vlans) = scanned(&table, DatapathId(dpid));
                proptest::prop_assert_eq!(table.edge_vlans(DatapathId(dpid)), ports);
                proptest::prop_assert_eq!(table.vlans(), vlans);
            }
        }
    }
}
