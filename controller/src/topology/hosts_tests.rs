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
