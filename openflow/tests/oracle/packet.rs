//! Packet-in and packet-out messages carrying real frames: ARP, IPv4 (TCP, UDP, SCTP, ICMP,
//! IGMP, fragments), IPv6 (TCP, UDP, ICMPv6 neighbour discovery, extension headers), VLAN,
//! QinQ, MPLS, LLC/SNAP, truncated frames.

use bytes::Bytes;
use openflow::msg::*;
use openflow::oxm::{Match, OxmField as F};
use openflow::{Action, Body, BufferId, Cookie, GroupId, PortNo, TableId};

use super::Case;
use super::build::{v4, v6};
use super::frames::*;

const A4: &str = "192.0.2.10";
const B4: &str = "198.51.100.20";
const A6: &str = "2001:db8::10";
const B6: &str = "2001:db8:1::20";

fn eth(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    ethernet(DST_MAC, SRC_MAC, None, ethertype, payload)
}

/// Named frames covering every protocol OVS's packet summary knows.
pub fn frames() -> Vec<(&'static str, Vec<u8>)> {
    let tcp_syn = ipv4(v4(A4), v4(B4), 6, 0, 64, tcp(34567, 80, 0x02, b""));
    let udp_dns = ipv4(
        v4(A4),
        v4(B4),
        17,
        0xb8,
        63,
        udp(5353, 53, b"\x12\x34\x01\x00\x00\x01"),
    );
    let mut mpls = Vec::new();
    mpls.extend_from_slice(&mpls_entry(100, 3, false, 64));
    mpls.extend_from_slice(&mpls_entry(200, 0, true, 63));
    mpls.extend_from_slice(&udp_dns);
    let mut qinq_inner = Vec::new();
    qinq_inner.extend_from_slice(&(0x2000u16 | 20).to_be_bytes());
    qinq_inner.extend_from_slice(&0x0800u16.to_be_bytes());
    qinq_inner.extend_from_slice(&tcp_syn);
    let mut qinq = Vec::new();
    qinq.extend_from_slice(&DST_MAC);
    qinq.extend_from_slice(&SRC_MAC);
    qinq.extend_from_slice(&0x88a8u16.to_be_bytes());
    qinq.extend_from_slice(&(0x6000u16 | 10).to_be_bytes());
    qinq.extend_from_slice(&0x8100u16.to_be_bytes());
    qinq.extend_from_slice(&qinq_inner);
    // 802.3 with LLC (STP) and with LLC/SNAP (CDP-like, OUI 0 and an Ethernet type).
    let mut llc = Vec::new();
    llc.extend_from_slice(&[0x01, 0x80, 0xc2, 0, 0, 0]);
    llc.extend_from_slice(&SRC_MAC);
    llc.extend_from_slice(&38u16.to_be_bytes());
    llc.extend_from_slice(&[0x42, 0x42, 0x03]);
    llc.extend_from_slice(&[0; 35]);
    let mut snap = Vec::new();
    snap.extend_from_slice(&DST_MAC);
    snap.extend_from_slice(&SRC_MAC);
    snap.extend_from_slice(&(8 + udp_dns.len() as u16).to_be_bytes());
    snap.extend_from_slice(&[0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00]);
    snap.extend_from_slice(&udp_dns);
    vec![
        (
            "arp request",
            eth(0x0806, &arp(1, SRC_MAC, v4(A4), [0; 6], v4(B4))),
        ),
        (
            "arp reply vlan",
            ethernet(
                SRC_MAC,
                DST_MAC,
                Some((42, 3)),
                0x0806,
                &arp(2, DST_MAC, v4(B4), SRC_MAC, v4(A4)),
            ),
        ),
        (
            "rarp",
            eth(
                0x8035,
                &arp(3, SRC_MAC, v4("0.0.0.0"), SRC_MAC, v4("0.0.0.0")),
            ),
        ),
        ("tcp syn", eth(0x0800, &tcp_syn)),
        (
            "tcp data",
            eth(
                0x0800,
                &ipv4(
                    v4(B4),
                    v4(A4),
                    6,
                    0x02,
                    128,
                    tcp(80, 34567, 0x18, b"HTTP/1.1 200 OK\r\n"),
                ),
            ),
        ),
        (
            "tcp all flags",
            eth(0x0800, &ipv4(v4(A4), v4(B4), 6, 0, 1, tcp(1, 2, 0xff, b""))),
        ),
        ("udp", eth(0x0800, &udp_dns)),
        (
            "udp vlan",
            ethernet(DST_MAC, SRC_MAC, Some((4094, 7)), 0x0800, &udp_dns),
        ),
        (
            "icmp echo",
            eth(
                0x0800,
                &ipv4(v4(A4), v4(B4), 1, 0, 64, icmpv4(8, 0, b"pingpingping")),
            ),
        ),
        (
            "icmp unreachable",
            eth(
                0x0800,
                &ipv4(v4(B4), v4(A4), 1, 0xc0, 255, icmpv4(3, 3, &tcp_syn[..28])),
            ),
        ),
        (
            "sctp",
            eth(0x0800, &ipv4(v4(A4), v4(B4), 132, 0, 64, sctp(3868, 3868))),
        ),
        (
            "igmp",
            eth(
                0x0800,
                &ipv4(
                    v4(A4),
                    v4("224.0.0.22"),
                    2,
                    0,
                    1,
                    raw(&[0x16, 0, 0xfa, 0x04, 239, 1, 2, 3]),
                ),
            ),
        ),
        (
            "gre",
            eth(
                0x0800,
                &ipv4(v4(A4), v4(B4), 47, 0, 64, raw(&[0, 0, 0x65, 0x58])),
            ),
        ),
        (
            "ipv4 first fragment",
            eth(
                0x0800,
                &ipv4_frag(v4(A4), v4(B4), 17, 0, 64, 0x2000, udp(1, 2, &[0; 16])),
            ),
        ),
        (
            "ipv4 later fragment",
            eth(
                0x0800,
                &ipv4_frag(v4(A4), v4(B4), 17, 0, 64, 0x0003, raw(&[0; 16])),
            ),
        ),
        (
            "tcp6",
            eth(
                0x86dd,
                &ipv6(v6(A6), v6(B6), 6, 64, 0x12345, tcp(443, 50000, 0x12, b"")),
            ),
        ),
        (
            "udp6",
            eth(
                0x86dd,
                &ipv6(v6(A6), v6(B6), 17, 64, 0, udp(546, 547, b"dhcp")),
            ),
        ),
        (
            "icmp6 echo",
            eth(
                0x86dd,
                &ipv6(v6(A6), v6(B6), 58, 64, 0, icmpv6(128, 0, &[0, 1, 0, 1])),
            ),
        ),
        (
            "icmp6 ns",
            ethernet(
                [0x33, 0x33, 0xff, 0, 0, 0x20],
                SRC_MAC,
                None,
                0x86dd,
                &ipv6(
                    v6(A6),
                    v6("ff02::1:ff00:20"),
                    58,
                    255,
                    0,
                    icmpv6(135, 0, &nd(v6(B6), 1, SRC_MAC)),
                ),
            ),
        ),
        (
            "icmp6 na",
            eth(
                0x86dd,
                &ipv6(
                    v6(B6),
                    v6(A6),
                    58,
                    255,
                    0,
                    icmpv6(136, 0, &nd(v6(B6), 2, DST_MAC)),
                ),
            ),
        ),
        (
            "ipv6 hop-by-hop udp",
            eth(
                0x86dd,
                &ipv6(v6(A6), v6(B6), 0, 1, 0, ipv6_ext(17, udp(1, 2, b"x"))),
            ),
        ),
        (
            "ipv6 first fragment",
            eth(
                0x86dd,
                &ipv6(
                    v6(A6),
                    v6(B6),
                    44,
                    64,
                    0,
                    ipv6_frag(17, 0, true, udp(1, 2, &[0; 8])),
                ),
            ),
        ),
        (
            "ipv6 later fragment",
            eth(
                0x86dd,
                &ipv6(
                    v6(A6),
                    v6(B6),
                    44,
                    64,
                    0,
                    ipv6_frag(17, 2, false, raw(&[0; 8])),
                ),
            ),
        ),
        ("mpls", eth(0x8847, &mpls)),
        ("qinq", qinq),
        ("llc", llc),
        ("llc snap", snap),
        (
            "lldp",
            eth(0x88cc, &[0x02, 0x07, 0x04, 0, 0, 0, 0, 0, 1, 0, 0]),
        ),
        ("runt", DST_MAC[..5].to_vec()),
        ("eth header only", eth(0x0800, &[])),
        ("truncated ip", eth(0x0800, &tcp_syn[..12])),
        ("truncated tcp", eth(0x0800, &tcp_syn[..30])),
        ("empty", vec![]),
    ]
}

/// Packet-ins for every frame and every reason, buffered and not, with pipeline fields.
pub fn packet_ins() -> Vec<Case> {
    let mut cases = Vec::new();
    let reasons = PacketInReason::ALL;
    for (n, (name, frame)) in frames().into_iter().enumerate() {
        let mut m = Match::new().with(F::InPort(PortNo(1 + n as u32)));
        if n % 3 == 1 {
            m.push(F::Metadata(0x1234, None));
        }
        if n % 5 == 2 {
            m.push(F::TunnelId(0x64, None));
            m.push(F::TunIpv4Src(v4("10.1.1.1"), None));
            m.push(F::TunIpv4Dst(v4("10.1.1.2"), None));
        }
        if n % 4 == 3 {
            m.push(F::Reg(0, 7, None));
            m.push(F::Reg(5, 0x55, None));
        }
        let total_len = frame.len() as u16;
        let pi = PacketIn {
            buffer_id: BufferId::NO_BUFFER,
            total_len,
            reason: reasons[n % reasons.len()],
            table_id: TableId((n % 4) as u8),
            cookie: if n % 2 == 0 {
                Cookie(u64::MAX)
            } else {
                Cookie(n as u64)
            },
            match_: m,
            data: Bytes::from(frame.clone()),
        };
        cases.push(Case::body(
            format!("packet_in {name}"),
            Body::PacketIn(pi.clone()),
        ));
        // Buffered: the switch sends only the first bytes.
        if frame.len() > 64 {
            let pi = PacketIn {
                buffer_id: BufferId(0x100 + n as u32),
                data: Bytes::copy_from_slice(&frame[..64]),
                ..pi
            };
            cases.push(Case::body(
                format!("packet_in {name} buffered"),
                Body::PacketIn(pi),
            ));
        }
    }
    cases
}

/// Packet-outs with and without a buffer, with several action lists.
pub fn packet_outs() -> Vec<Case> {
    let mut cases = Vec::new();
    let actions: Vec<Vec<Action>> = vec![
        vec![],
        vec![Action::output(PortNo(2))],
        vec![Action::output(PortNo::FLOOD)],
        vec![
            Action::PushVlan(0x8100),
            Action::SetField(F::VlanVid(0x1000 | 5, None)),
            Action::output(PortNo::TABLE),
        ],
        vec![Action::Group(GroupId(4)), Action::output(PortNo::IN_PORT)],
        vec![Action::output(PortNo::CONTROLLER)],
    ];
    for (n, (name, frame)) in frames().into_iter().enumerate() {
        let po = PacketOut {
            buffer_id: BufferId::NO_BUFFER,
            in_port: if n % 2 == 0 {
                PortNo::CONTROLLER
            } else {
                PortNo(3)
            },
            actions: actions[n % actions.len()].clone(),
            data: Bytes::from(frame),
        };
        cases.push(Case::body(
            format!("packet_out {name}"),
            Body::PacketOut(po),
        ));
    }
    for (n, acts) in actions.into_iter().enumerate() {
        let po = PacketOut {
            buffer_id: BufferId(0x200 + n as u32),
            in_port: [PortNo(1), PortNo::CONTROLLER, PortNo::LOCAL][n % 3],
            actions: acts,
            data: Bytes::new(),
        };
        cases.push(Case::body(
            format!("packet_out buffered {n}"),
            Body::PacketOut(po),
        ));
    }
    cases
}
