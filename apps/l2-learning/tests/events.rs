//! The app's answers to single events, checked against a fake view.

use std::time::Instant;

use bytes::Bytes;
use l2_learning::{L2Config, L2Learning};
use navarch_app::testing::{FakeView, OFPVID_PRESENT, Packet};
use navarch_app::{Action, App, Attachment, Ctx, Event, FlowKey, Slice};
use openflow::msg::{FlowRemovedReason, PacketIn, PacketInReason};
use openflow::{BufferId, Cookie, DatapathId, MacAddr, Match, OxmField, PortNo, TableId};

const A: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);
const B: MacAddr = MacAddr([2, 0, 0, 0, 0, 2]);

/// Two switches linked by ports 3; hosts may sit on ports 1 and 2.
fn pair() -> FakeView {
    let mut v = FakeView::new();
    v.add_switch(DatapathId(1), &[1, 2, 3]);
    v.add_switch(DatapathId(2), &[1, 2, 3]);
    v.add_link((DatapathId(1), PortNo(3)), (DatapathId(2), PortNo(3)));
    v
}

fn packet_in(table: u8, reason: PacketInReason, in_port: u32, frame: Bytes) -> PacketIn {
    PacketIn {
        buffer_id: BufferId::NO_BUFFER,
        total_len: frame.len() as u16,
        reason,
        table_id: TableId(table),
        cookie: Cookie(0),
        match_: Match::new().with(OxmField::InPort(PortNo(in_port))),
        data: frame,
    }
}

fn answer(app: &mut L2Learning, view: &FakeView, event: &Event<'_>) -> Vec<Action> {
    let mut ctx = Ctx::new(Instant::now());
    app.on_event(event, view, &mut ctx);
    ctx.take_actions()
}

fn outputs(actions: &[Action]) -> Vec<(DatapathId, Vec<PortNo>)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::PacketOut(d, po) => Some((
                *d,
                po.actions
                    .iter()
                    .filter_map(|a| match a {
                        openflow::Action::Output { port, .. } => Some(*port),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn a_packet_the_source_table_copied_is_not_sent_again() {
    let view = pair();
    let mut app = L2Learning::default();
    let frame = Packet::arp_request(A, [10, 0, 0, 1].into(), [10, 0, 0, 2].into()).to_bytes();
    let pi = packet_in(0, PacketInReason::Action, 1, frame);
    let event = Event::PacketIn {
        dpid: DatapathId(1),
        packet_in: &pi,
        held: false,
    };
    assert_eq!(answer(&mut app, &view, &event), vec![]);
    // The same copy, held while its port was probing: the switch never forwarded it.
    let event = Event::PacketIn {
        dpid: DatapathId(1),
        packet_in: &pi,
        held: true,
    };
    assert_eq!(
        outputs(&answer(&mut app, &view, &event)),
        vec![(DatapathId(1), vec![PortNo(2), PortNo(3)])]
    );
}

#[test]
fn a_missed_packet_is_flooded_or_sent_towards_its_known_destination() {
    let mut view = pair();
    view.learn_host(B, None, DatapathId(2), PortNo(2));
    let mut app = L2Learning::default();
    let bcast = Packet::arp_request(A, [10, 0, 0, 1].into(), [10, 0, 0, 2].into()).to_bytes();
    let pi = packet_in(0, PacketInReason::NoMatch, 1, bcast);
    let event = Event::PacketIn {
        dpid: DatapathId(1),
        packet_in: &pi,
        held: false,
    };
    assert_eq!(
        outputs(&answer(&mut app, &view, &event)),
        vec![(DatapathId(1), vec![PortNo(2), PortNo(3)])]
    );
    let unicast = Packet::ethernet(A, B, 0x88b5, b"hello").to_bytes();
    let pi = packet_in(1, PacketInReason::Action, 1, unicast);
    let event = Event::PacketIn {
        dpid: DatapathId(1),
        packet_in: &pi,
        held: false,
    };
    assert_eq!(
        outputs(&answer(&mut app, &view, &event)),
        vec![(DatapathId(1), vec![PortNo(3)])]
    );
    // Garbage is ignored, not a panic.
    let pi = packet_in(1, PacketInReason::NoMatch, 1, Bytes::from_static(b"short"));
    let event = Event::PacketIn {
        dpid: DatapathId(1),
        packet_in: &pi,
        held: false,
    };
    assert_eq!(answer(&mut app, &view, &event), vec![]);
}

fn source_key(port: u32, mac: MacAddr, vlan: Option<u16>) -> FlowKey {
    let config = L2Config::default();
    FlowKey {
        table: config.source_table,
        priority: config.priorities.known_source,
        match_: Match::new()
            .with(OxmField::InPort(PortNo(port)))
            .with(OxmField::EthSrc(mac, None))
            .with(OxmField::VlanVid(
                vlan.map_or(0, |v| OFPVID_PRESENT | v),
                None,
            )),
    }
}

#[test]
fn only_an_idle_expiry_at_the_hosts_current_port_forgets_it() {
    let mut view = pair();
    view.learn_host(A, Some(10), DatapathId(1), PortNo(1));
    let mut app = L2Learning::default();
    let removed = |port, reason| Event::FlowRemoved {
        dpid: DatapathId(1),
        key: source_key(port, A, Some(10)),
        reason,
    };
    let idle = removed(1, FlowRemovedReason::IdleTimeout);
    assert_eq!(
        answer(&mut app, &view, &idle),
        vec![Action::ForgetHost {
            mac: A,
            vlan: Some(10)
        }]
    );
    // Deleted by the controller (a move or a reconcile): not a sign of silence.
    let deleted = removed(1, FlowRemovedReason::Delete);
    assert_eq!(answer(&mut app, &view, &deleted), vec![]);
    // The host has moved since: the old flow's expiry says nothing about it.
    let stale = removed(2, FlowRemovedReason::IdleTimeout);
    assert_eq!(answer(&mut app, &view, &stale), vec![]);
}

#[test]
fn changes_invalidate_what_they_touch() {
    let mut view = pair();
    let mut app = L2Learning::default();
    let at = |dpid: u64, port: u32| Attachment {
        dpid: DatapathId(dpid),
        port: PortNo(port),
    };
    let host_a = Slice::Host { mac: A, vlan: None };

    // A new host: its slice everywhere, the base of its switch, and (the first untagged
    // host) every base slice, whose floods list the VLANs with hosts.
    view.learn_host(A, None, DatapathId(1), PortNo(1));
    let learned = Event::HostChanged {
        mac: A,
        vlan: None,
        before: None,
        after: Some(at(1, 1)),
    };
    assert_eq!(
        answer(&mut app, &view, &learned),
        vec![
            Action::InvalidateSliceEverywhere(host_a.clone()),
            Action::InvalidateSlice(DatapathId(1), Slice::Base),
            Action::InvalidateSliceEverywhere(Slice::Base),
        ]
    );

    // Another host on a known VLAN: no base slice beyond its own switch's.
    view.learn_host(B, None, DatapathId(2), PortNo(2));
    let second = Event::HostChanged {
        mac: B,
        vlan: None,
        before: None,
        after: Some(at(2, 2)),
    };
    assert_eq!(
        answer(&mut app, &view, &second),
        vec![
            Action::InvalidateSliceEverywhere(Slice::Host { mac: B, vlan: None }),
            Action::InvalidateSlice(DatapathId(2), Slice::Base),
        ]
    );

    // A move: the host's slice, and the bases of the switches it left and joined.
    view.learn_host(A, None, DatapathId(2), PortNo(1));
    let moved = Event::HostChanged {
        mac: A,
        vlan: None,
        before: Some(at(1, 1)),
        after: Some(at(2, 1)),
    };
    assert_eq!(
        answer(&mut app, &view, &moved),
        vec![
            Action::InvalidateSliceEverywhere(host_a),
            Action::InvalidateSlice(DatapathId(1), Slice::Base),
            Action::InvalidateSlice(DatapathId(2), Slice::Base),
        ]
    );

    // A new address only: L2 flows do not depend on it.
    let address = Event::HostChanged {
        mac: A,
        vlan: None,
        before: Some(at(2, 1)),
        after: Some(at(2, 1)),
    };
    assert_eq!(answer(&mut app, &view, &address), vec![]);

    assert_eq!(
        answer(&mut app, &view, &Event::TopologyChanged),
        vec![Action::InvalidateAll]
    );
    let up = Event::SwitchUp(DatapathId(2));
    assert_eq!(
        answer(&mut app, &view, &up),
        vec![Action::Invalidate(DatapathId(2))]
    );
    let port = Event::PortChanged {
        dpid: DatapathId(2),
        port: PortNo(2),
    };
    assert_eq!(
        answer(&mut app, &view, &port),
        vec![Action::InvalidateSlice(DatapathId(2), Slice::Base)]
    );
}

#[test]
fn link_local_frames_are_never_forwarded() {
    let view = pair();
    let mut app = L2Learning::default();
    let lldp = MacAddr([0x01, 0x80, 0xc2, 0, 0, 0x0e]);
    let frame = Packet::ethernet(A, lldp, 0x88cc, b"not really lldp").to_bytes();
    let pi = packet_in(0, PacketInReason::NoMatch, 1, frame);
    let event = Event::PacketIn {
        dpid: DatapathId(1),
        packet_in: &pi,
        held: false,
    };
    assert_eq!(answer(&mut app, &view, &event), vec![]);
}
