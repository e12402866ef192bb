//! Matches with every OXM field (exact and masked, Nicira tunnel and register fields), each
//! with the set-field actions valid on it, and matches at the edges of each field's range.

use bytes::Bytes;
use openflow::Body;
use openflow::PortNo;
use openflow::oxm::{Match, OxmField, RawOxm, oxm_header};

use super::Case;
use super::build::{mac, v4, v6};
use super::flow::flow_mod;
use OxmField as F;

/// A named match and the set-field actions that are consistent with it.
pub struct MatchCase {
    /// Label.
    pub name: &'static str,
    /// The match, fields in the order given (not necessarily OVS's).
    pub match_: Match,
    /// Set-field actions whose prerequisites the match meets.
    pub set_fields: Vec<OxmField>,
    /// Why OVS cannot take it (the error it reports), if it cannot.
    pub rejected: Option<(&'static str, &'static str)>,
    /// Why OVS prints it differently, if it does.
    pub differs: Option<&'static str>,
}

impl MatchCase {
    fn rejected(mut self, error: &'static str, reason: &'static str) -> MatchCase {
        self.rejected = Some((error, reason));
        self
    }

    fn differs(mut self, reason: &'static str) -> MatchCase {
        self.differs = Some(reason);
        self
    }

    /// Applies the expectation to a case built on this match.
    pub fn expect(&self, case: Case) -> Case {
        match (self.rejected, self.differs) {
            (Some((error, reason)), _) => case.rejected(error, reason),
            (None, Some(reason)) => case.differs(reason),
            (None, None) => case,
        }
    }
}

fn mc(name: &'static str, fields: Vec<OxmField>, set_fields: Vec<OxmField>) -> MatchCase {
    MatchCase {
        name,
        match_: Match { fields },
        set_fields,
        rejected: None,
        differs: None,
    }
}

/// Matches covering every OXM field the crate decodes, exact and masked, and the fields it
/// keeps raw; each with the set-field actions that make sense on it.
pub fn matches() -> Vec<MatchCase> {
    let regs_exact: Vec<OxmField> = (0..16u8)
        .map(|r| {
            if r % 2 == 0 {
                F::Reg(r, 0x100 + u32::from(r), None)
            } else {
                F::Reg(r, 0x10 << r, Some(0xf0 << r))
            }
        })
        .collect();
    vec![
        mc("empty", vec![], vec![]),
        mc(
            "in_port metadata",
            vec![F::InPort(PortNo(1)), F::Metadata(0x1234, Some(0xffff))],
            vec![F::Metadata(0xfeed_f00d, None)],
        ),
        mc("in_port reserved", vec![F::InPort(PortNo::LOCAL)], vec![]),
        mc(
            "in_port controller",
            vec![F::InPort(PortNo::CONTROLLER)],
            vec![],
        ),
        mc(
            "in_phy_port",
            vec![F::InPort(PortNo(1)), F::InPhyPort(PortNo(2))],
            vec![],
        )
        .rejected(
            "OFPBMC_BAD_FIELD",
            "OVS does not implement OXM_OF_IN_PHY_PORT (the spec makes it optional)",
        ),
        mc(
            "metadata exact",
            vec![F::Metadata(0xfedc_ba98_7654_3210, None)],
            vec![],
        ),
        mc(
            "eth exact",
            vec![
                F::EthDst(mac("01:80:c2:00:00:0e"), None),
                F::EthSrc(mac("52:54:00:12:34:56"), None),
                F::EthType(0x88cc),
            ],
            vec![
                F::EthDst(mac("00:00:5e:00:53:01"), None),
                F::EthSrc(mac("02:00:00:00:00:01"), None),
            ],
        ),
        mc(
            "eth masked",
            vec![
                F::EthDst(mac("01:00:00:00:00:00"), Some(mac("01:00:00:00:00:00"))),
                F::EthSrc(mac("52:54:00:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
            ],
            vec![],
        ),
        mc(
            "vlan exact",
            vec![F::VlanVid(0x1000 | 100, None), F::VlanPcp(5)],
            vec![F::VlanVid(0x1000 | 200, None), F::VlanPcp(3)],
        ),
        mc(
            "vlan present",
            vec![F::VlanVid(0x1000, Some(0x1000))],
            vec![],
        ),
        mc("vlan none", vec![F::VlanVid(0, None)], vec![]),
        mc(
            "vlan vid masked",
            vec![F::VlanVid(0x1010, Some(0x1ff0))],
            vec![],
        ),
        mc(
            "ipv4 tcp",
            vec![
                F::EthType(0x0800),
                F::IpDscp(46),
                F::IpEcn(1),
                F::IpProto(6),
                F::Ipv4Src(v4("10.0.0.1"), None),
                F::Ipv4Dst(v4("10.0.0.0"), Some(v4("255.0.0.0"))),
                F::TcpSrc(80, None),
                F::TcpDst(0x400, Some(0xfc00)),
            ],
            vec![
                F::IpDscp(10),
                F::IpEcn(2),
                F::Ipv4Src(v4("192.0.2.1"), None),
                F::Ipv4Dst(v4("198.51.100.7"), None),
                F::TcpSrc(8080, None),
                F::TcpDst(443, None),
            ],
        ),
        mc(
            "ipv4 odd mask",
            vec![
                F::EthType(0x0800),
                F::Ipv4Src(v4("10.0.1.0"), Some(v4("255.0.255.0"))),
            ],
            vec![],
        ),
        mc(
            "ipv4 proto only",
            vec![F::EthType(0x0800), F::IpProto(47)],
            vec![],
        ),
        mc(
            "udp",
            vec![
                F::EthType(0x0800),
                F::IpProto(17),
                F::UdpSrc(53, None),
                F::UdpDst(0x3e0, Some(0xfff0)),
            ],
            vec![F::UdpSrc(5353, None), F::UdpDst(4789, None)],
        ),
        mc(
            "sctp",
            vec![
                F::EthType(0x0800),
                F::IpProto(132),
                F::SctpSrc(3868, None),
                F::SctpDst(0x100, Some(0xff00)),
            ],
            vec![F::SctpSrc(1, None), F::SctpDst(2, None)],
        ),
        mc(
            "icmp",
            vec![
                F::EthType(0x0800),
                F::IpProto(1),
                F::Icmpv4Type(8),
                F::Icmpv4Code(0),
            ],
            vec![F::Icmpv4Type(0), F::Icmpv4Code(3)],
        ),
        mc(
            "arp",
            vec![
                F::EthType(0x0806),
                F::ArpOp(1),
                F::ArpSpa(v4("192.168.0.0"), Some(v4("255.255.0.0"))),
                F::ArpTpa(v4("192.168.1.1"), None),
                F::ArpSha(mac("52:54:00:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
                F::ArpTha(mac("00:00:00:00:00:00"), None),
            ],
            vec![
                F::ArpOp(2),
                F::ArpSpa(v4("192.168.1.1"), None),
                F::ArpTpa(v4("192.168.1.2"), None),
                F::ArpSha(mac("52:54:00:00:00:01"), None),
                F::ArpTha(mac("52:54:00:00:00:02"), None),
            ],
        ),
        mc("rarp", vec![F::EthType(0x8035), F::ArpOp(3)], vec![]),
        mc(
            "ipv6 tcp",
            vec![
                F::EthType(0x86dd),
                F::Ipv6Src(v6("2001:db8::"), Some(v6("ffff:ffff:ffff:ffff::"))),
                F::Ipv6Dst(v6("2001:db8::1"), None),
                F::Ipv6Flabel(0x12345, Some(0xfffff)),
                F::IpProto(6),
                F::IpDscp(8),
                F::TcpDst(22, None),
            ],
            vec![
                F::Ipv6Src(v6("2001:db8::2"), None),
                F::Ipv6Dst(v6("fe80::1"), None),
                F::Ipv6Flabel(7, None),
                F::TcpSrc(1, None),
            ],
        ),
        mc(
            "ipv6 odd masks",
            vec![
                F::EthType(0x86dd),
                F::Ipv6Src(v6("2001::1"), Some(v6("ffff::ffff"))),
                F::Ipv6Flabel(0x5, None),
            ],
            vec![],
        ),
        mc(
            "ipv6 udp",
            vec![F::EthType(0x86dd), F::IpProto(17), F::UdpDst(547, None)],
            vec![F::UdpDst(546, None)],
        ),
        mc(
            "icmpv6 ns",
            vec![
                F::EthType(0x86dd),
                F::IpProto(58),
                F::Icmpv6Type(135),
                F::Icmpv6Code(0),
                F::Ipv6NdTarget(v6("2001:db8::7"), None),
                F::Ipv6NdSll(mac("52:54:00:00:00:07"), None),
            ],
            vec![
                F::Ipv6NdTarget(v6("2001:db8::8"), None),
                F::Ipv6NdSll(mac("52:54:00:00:00:08"), None),
            ],
        ),
        mc(
            "icmpv6 na",
            vec![
                F::EthType(0x86dd),
                F::IpProto(58),
                F::Icmpv6Type(136),
                F::Ipv6NdTarget(v6("2001:db8::"), Some(v6("ffff:ffff::"))),
                F::Ipv6NdTll(mac("52:54:00:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
            ],
            vec![F::Ipv6NdTll(mac("52:54:00:00:00:09"), None)],
        ),
        mc(
            "icmpv6 echo",
            vec![F::EthType(0x86dd), F::IpProto(58), F::Icmpv6Type(128)],
            vec![F::Icmpv6Type(129), F::Icmpv6Code(0)],
        ),
        mc(
            "ipv6 exthdr",
            vec![F::EthType(0x86dd), F::Ipv6Exthdr(0x4, Some(0x1ff))],
            vec![],
        )
        .rejected(
            "OFPBMC_BAD_FIELD",
            "OVS does not implement OXM_OF_IPV6_EXTHDR (optional in the spec)",
        ),
        mc(
            "ipv6 exthdr exact",
            vec![F::EthType(0x86dd), F::Ipv6Exthdr(0x1, None)],
            vec![],
        )
        .rejected(
            "OFPBMC_BAD_FIELD",
            "OVS does not implement OXM_OF_IPV6_EXTHDR (optional in the spec)",
        ),
        mc(
            "mpls",
            vec![
                F::EthType(0x8847),
                F::MplsLabel(100),
                F::MplsTc(3),
                F::MplsBos(1),
            ],
            vec![F::MplsLabel(200), F::MplsTc(5)],
        ),
        mc(
            "pbb",
            vec![F::EthType(0x88e7), F::PbbIsid(0x12_3400, Some(0xff_ff00))],
            vec![],
        )
        .rejected(
            "OFPBMC_BAD_FIELD",
            "OVS does not implement OXM_OF_PBB_ISID (optional in the spec)",
        ),
        mc(
            "pbb exact",
            vec![F::EthType(0x88e7), F::PbbIsid(0xab_cdef, None)],
            vec![],
        )
        .rejected(
            "OFPBMC_BAD_FIELD",
            "OVS does not implement OXM_OF_PBB_ISID (optional in the spec)",
        ),
        mc(
            "tunnel",
            vec![
                F::TunnelId(0x1234, None),
                F::TunIpv4Src(v4("172.16.0.1"), None),
                F::TunIpv4Dst(v4("172.16.0.0"), Some(v4("255.255.0.0"))),
            ],
            vec![
                F::TunnelId(0x5678, None),
                F::TunIpv4Src(v4("172.16.0.2"), None),
                F::TunIpv4Dst(v4("172.16.0.3"), None),
            ],
        ),
        mc("tunnel masked", vec![F::TunnelId(0x12, Some(0xff))], vec![]),
        mc(
            "registers",
            regs_exact,
            (0..16u8)
                .map(|r| F::Reg(r, 0xdead_0000 + u32::from(r), None))
                .collect(),
        ),
        mc(
            "tcp src masked",
            vec![
                F::EthType(0x0800),
                F::IpProto(6),
                F::TcpSrc(0x8000, Some(0x8000)),
            ],
            vec![],
        ),
        mc(
            "udp src masked",
            vec![
                F::EthType(0x0800),
                F::IpProto(17),
                F::UdpSrc(0x100, Some(0xff00)),
            ],
            vec![],
        ),
        mc(
            "sctp src masked",
            vec![
                F::EthType(0x0800),
                F::IpProto(132),
                F::SctpSrc(0, Some(0xfffe)),
            ],
            vec![],
        ),
        mc(
            "arp targets masked",
            vec![
                F::EthType(0x0806),
                F::ArpTpa(v4("10.0.0.0"), Some(v4("255.255.255.0"))),
                F::ArpTha(mac("00:00:00:00:00:00"), Some(mac("01:00:00:00:00:00"))),
            ],
            vec![],
        ),
        mc(
            "nd sll masked",
            vec![
                F::EthType(0x86dd),
                F::IpProto(58),
                F::Icmpv6Type(135),
                F::Ipv6NdSll(mac("52:54:00:00:00:00"), Some(mac("ff:ff:00:00:00:00"))),
            ],
            vec![],
        ),
        mc(
            "tunnel src masked",
            vec![F::TunIpv4Src(v4("172.16.0.0"), Some(v4("255.240.0.0")))],
            vec![],
        ),
        mc(
            "raw nicira pkt_mark",
            vec![F::Unknown(RawOxm {
                header: oxm_header(0x0001, 33, false, 4),
                payload: Bytes::from_static(&[0, 0, 0, 42]),
            })],
            vec![],
        )
        .differs(
            "the crate keeps Nicira fields other than tun_ipv4_src/dst and regs raw \
             (oxm/show.rs prints unknown_oxm=HEADER:VALUE); OVS names them (pkt_mark)",
        ),
    ]
}

/// Matches at the edges of each field's range: full and empty masks, values without
/// `OFPVID_PRESENT`, maximum values.
pub fn odd_matches() -> Vec<Case> {
    let ip = |f: Vec<OxmField>| {
        let mut v = vec![F::EthType(0x0800)];
        v.extend(f);
        v
    };
    let list: Vec<(&str, Vec<OxmField>)> = vec![
        ("vlan vid without present bit", vec![F::VlanVid(0x64, None)]),
        ("vlan none masked", vec![F::VlanVid(0, Some(0x1000))]),
        ("vlan full mask", vec![F::VlanVid(0x1064, Some(0x1fff))]),
        (
            "vlan pcp with vid",
            vec![F::VlanVid(0x1064, None), F::VlanPcp(7)],
        ),
        (
            "vlan pcp present",
            vec![F::VlanVid(0x1000, Some(0x1000)), F::VlanPcp(0)],
        ),
        ("dscp ecn max", ip(vec![F::IpDscp(63), F::IpEcn(3)])),
        (
            "ipv4 zero mask",
            ip(vec![F::Ipv4Src(
                "0.0.0.0".parse().unwrap(),
                Some("0.0.0.0".parse().unwrap()),
            )]),
        ),
        (
            "ipv4 full mask",
            ip(vec![F::Ipv4Dst(
                "10.1.2.3".parse().unwrap(),
                Some("255.255.255.255".parse().unwrap()),
            )]),
        ),
        (
            "eth full mask",
            vec![F::EthSrc(
                mac("02:00:00:00:00:01"),
                Some(mac("ff:ff:ff:ff:ff:ff")),
            )],
        ),
        (
            "eth zero mask",
            vec![F::EthDst(
                mac("00:00:00:00:00:00"),
                Some(mac("00:00:00:00:00:00")),
            )],
        ),
        ("metadata zero mask", vec![F::Metadata(0, Some(0))]),
        ("metadata full mask", vec![F::Metadata(5, Some(u64::MAX))]),
        (
            "reg full mask",
            vec![F::Reg(15, 0xffff_ffff, Some(0xffff_ffff))],
        ),
        (
            "tun_id full mask",
            vec![F::TunnelId(u64::MAX, Some(u64::MAX))],
        ),
        (
            "tcp ports zero",
            ip(vec![
                F::IpProto(6),
                F::TcpSrc(0, None),
                F::TcpDst(65535, None),
            ]),
        ),
        (
            "ipv6 flabel max",
            vec![F::EthType(0x86dd), F::Ipv6Flabel(0xfffff, None)],
        ),
        (
            "ipv6 all zero masked",
            vec![
                F::EthType(0x86dd),
                F::Ipv6Dst("::".parse().unwrap(), Some("::".parse().unwrap())),
            ],
        ),
        (
            "mpls max",
            vec![
                F::EthType(0x8847),
                F::MplsLabel(0xfffff),
                F::MplsTc(7),
                F::MplsBos(1),
            ],
        ),
        ("mpls multicast", vec![F::EthType(0x8848), F::MplsLabel(0)]),
        ("in_port max", vec![F::InPort(PortNo(0xfeff))]),
        ("in_port any", vec![F::InPort(PortNo::ANY)]),
        (
            "icmp type max",
            ip(vec![F::IpProto(1), F::Icmpv4Type(255), F::Icmpv4Code(255)]),
        ),
        ("arp op max", vec![F::EthType(0x0806), F::ArpOp(0xff)]),
        ("eth type ip only", vec![F::EthType(0x0800)]),
        ("eth type ipv6 only", vec![F::EthType(0x86dd)]),
        ("eth type 802.3", vec![F::EthType(0x05ff)]),
        ("ip proto 0", ip(vec![F::IpProto(0)])),
        (
            "ipv6 proto tcp only",
            vec![F::EthType(0x86dd), F::IpProto(6)],
        ),
        (
            "ipv6 proto sctp",
            vec![F::EthType(0x86dd), F::IpProto(132), F::SctpDst(1, None)],
        ),
    ];
    list.into_iter()
        .map(|(name, fields)| {
            Case::body(
                format!("odd match {name}"),
                Body::FlowMod(flow_mod(Match { fields }, vec![])),
            )
        })
        .collect()
}
