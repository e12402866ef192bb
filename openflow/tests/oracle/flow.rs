//! Matches with every OXM field (exact and masked, Nicira tunnel and register fields), every
//! action (set-field of every settable field), every instruction, flow mods of every command
//! and flag, and flow-removed messages of every reason.

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use openflow::msg::*;
use openflow::oxm::{Match, OxmField, RawOxm, oxm_header};
use openflow::{
    Action, Body, BufferId, Cookie, GroupId, Instruction, MacAddr, MeterId, PortNo, QueueId,
    TableId,
};

use super::Case;
use OxmField as F;

fn v4(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

fn v6(s: &str) -> Ipv6Addr {
    s.parse().unwrap()
}

fn mac(s: &str) -> MacAddr {
    let mut b = [0u8; 6];
    for (n, x) in s.split(':').enumerate() {
        b[n] = u8::from_str_radix(x, 16).unwrap();
    }
    MacAddr(b)
}

fn out(port: u32) -> Action {
    Action::Output {
        port: PortNo(port),
        max_len: 0,
    }
}

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

/// An action list to put in a flow, with what OVS makes of it.
pub struct ActionCase {
    /// Label.
    pub name: &'static str,
    /// A match that meets the actions' prerequisites.
    pub match_: Match,
    /// The actions.
    pub actions: Vec<Action>,
    /// Applies the expectation to a case carrying these actions.
    pub expect: fn(Case) -> Case,
}

fn ac(name: &'static str, match_: Match, actions: Vec<Action>) -> ActionCase {
    ActionCase {
        name,
        match_,
        actions,
        expect: |c| c,
    }
}

/// Every action, each in a flow whose match makes it valid; set-field is covered by
/// [`matches`].
pub fn actions() -> Vec<ActionCase> {
    let any = Match::new();
    let ip = Match::new().with(F::EthType(0x0800));
    let mpls = Match::new().with(F::EthType(0x8847));
    let vlan = Match::new().with(F::VlanVid(0x1000 | 10, None));
    vec![
        ac(
            "output ports",
            any.clone(),
            vec![
                out(1),
                out(0xfeff),
                Action::Output {
                    port: PortNo::CONTROLLER,
                    max_len: 128,
                },
                Action::output(PortNo::CONTROLLER),
                out(PortNo::IN_PORT.0),
                out(PortNo::NORMAL.0),
                out(PortNo::FLOOD.0),
                out(PortNo::ALL.0),
                out(PortNo::LOCAL.0),
            ],
        ),
        ac("output table", any.clone(), vec![out(PortNo::TABLE.0)]),
        ac(
            "nw ttl",
            ip.clone(),
            vec![Action::SetNwTtl(64), Action::DecNwTtl, out(2)],
        ),
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_TYPE",
                    "OVS does not implement OFPAT_COPY_TTL_OUT/IN",
                )
            },
            ..ac(
                "copy ttl",
                ip.clone(),
                vec![Action::CopyTtlOut, Action::CopyTtlIn],
            )
        },
        ActionCase {
            expect: |c| {
                c.logs(
                    "OFPAT_SET_MPLS_TTL is deprecated",
                    "OVS decodes it but logs that set-field is preferred",
                )
            },
            ..ac(
                "mpls ttl",
                mpls.clone(),
                vec![
                    Action::SetMplsTtl(10),
                    Action::DecMplsTtl,
                    Action::PopMpls(0x0800),
                    out(2),
                ],
            )
        },
        ac(
            "push mpls",
            ip.clone(),
            vec![Action::PushMpls(0x8847), Action::PushMpls(0x8848), out(3)],
        ),
        ac(
            "vlan",
            any.clone(),
            vec![
                Action::PushVlan(0x8100),
                Action::PushVlan(0x88a8),
                Action::SetField(F::VlanVid(0x1000 | 7, None)),
                out(1),
            ],
        ),
        ac("pop vlan", vlan, vec![Action::PopVlan, out(1)]),
        ac(
            "queue group",
            any.clone(),
            vec![
                Action::SetQueue(QueueId(3)),
                Action::Group(GroupId(1)),
                Action::Group(GroupId(0xffff_ff00)),
            ],
        ),
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_TYPE",
                    "OVS does not implement OFPAT_PUSH_PBB/POP_PBB",
                )
            },
            ..ac(
                "pbb",
                any.clone(),
                vec![Action::PushPbb(0x88e7), Action::PopPbb],
            )
        },
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_SET_ARGUMENT",
                    "mpls_bos is read-only (OVS and the crate's decoder both refuse it)",
                )
            },
            ..ac(
                "set_field mpls_bos",
                mpls.clone(),
                vec![Action::SetField(F::MplsBos(0))],
            )
        },
        ActionCase {
            expect: |c| {
                c.differs(
                    "the crate keeps experimenter actions raw and prints \
                     experimenter(id=..,data=..); OVS decodes Nicira actions (resubmit:5)",
                )
            },
            // NXAST_RESUBMIT (subtype 1) to port 5: subtype, port, table 255, pad.
            ..ac(
                "nicira experimenter",
                any.clone(),
                vec![Action::Experimenter {
                    experimenter: 0x2320,
                    data: Bytes::from_static(&[0, 1, 0, 5, 0xff, 0, 0, 0]),
                }],
            )
        },
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_VENDOR",
                    "an experimenter OVS does not know; the crate keeps it raw",
                )
            },
            ..ac(
                "unknown experimenter",
                any.clone(),
                vec![Action::Experimenter {
                    experimenter: 0x00ab_cdef,
                    data: Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]),
                }],
            )
        },
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_TYPE",
                    "an action type OVS does not know; the crate keeps it raw",
                )
            },
            ..ac(
                "unknown type",
                any.clone(),
                vec![Action::Unknown {
                    action_type: 0x1234,
                    body: Bytes::from_static(&[0, 0, 0, 0]),
                }],
            )
        },
    ]
}

/// Instruction lists: every instruction alone and in combinations, in wire orders other
/// than OVS's.
pub fn instructions() -> Vec<(&'static str, Vec<Instruction>)> {
    vec![
        ("drop", vec![]),
        ("goto", vec![Instruction::GotoTable(TableId(5))]),
        (
            "write_metadata",
            vec![Instruction::WriteMetadata {
                metadata: 0x10,
                mask: u64::MAX,
            }],
        ),
        (
            "write_metadata masked",
            vec![Instruction::WriteMetadata {
                metadata: 0x1,
                mask: 0xff,
            }],
        ),
        (
            "write_actions",
            vec![Instruction::WriteActions(vec![
                Action::SetQueue(QueueId(1)),
                out(3),
            ])],
        ),
        (
            "apply_actions",
            vec![Instruction::ApplyActions(vec![out(1), out(2)])],
        ),
        ("clear_actions", vec![Instruction::ClearActions]),
        ("meter", vec![Instruction::Meter(MeterId(1))]),
        (
            "all in spec order",
            vec![
                Instruction::Meter(MeterId(7)),
                Instruction::ApplyActions(vec![Action::PushVlan(0x8100), out(1)]),
                Instruction::ClearActions,
                Instruction::WriteActions(vec![Action::Group(GroupId(2))]),
                Instruction::WriteMetadata {
                    metadata: 0xab00,
                    mask: 0xff00,
                },
                Instruction::GotoTable(TableId(9)),
            ],
        ),
        (
            "all reversed",
            vec![
                Instruction::GotoTable(TableId(9)),
                Instruction::WriteMetadata {
                    metadata: 0xab00,
                    mask: 0xff00,
                },
                Instruction::WriteActions(vec![out(4)]),
                Instruction::ClearActions,
                Instruction::ApplyActions(vec![out(1)]),
                Instruction::Meter(MeterId(7)),
            ],
        ),
        (
            "empty action lists",
            vec![
                Instruction::ApplyActions(vec![]),
                Instruction::WriteActions(vec![]),
            ],
        ),
    ]
}

fn flow_mod(match_: Match, instructions: Vec<Instruction>) -> FlowMod {
    FlowMod {
        match_,
        instructions,
        ..FlowMod::default()
    }
}

/// Flow mods: every match (with its set-fields applied), every action, every instruction
/// list, every command and flag, and flows read from `ovs-ofctl` text.
pub fn flow_mods() -> Vec<Case> {
    let mut cases = Vec::new();
    for (n, m) in matches().into_iter().enumerate() {
        let mut actions: Vec<Action> = m.set_fields.iter().cloned().map(Action::SetField).collect();
        actions.push(out(1));
        let mut fm = flow_mod(m.match_.clone(), vec![Instruction::ApplyActions(actions)]);
        fm.priority = [0x8000, 100, 0, 65535][n % 4];
        fm.table_id = TableId((n % 3) as u8);
        cases.push(m.expect(Case::body(
            format!("flow_mod match {}", m.name),
            Body::FlowMod(fm),
        )));
        // The same fields as OVS orders them.
        if let Ok(ordered) = Match::from_ofctl_fields(&m.match_.fields)
            && ordered != m.match_
        {
            let fm = flow_mod(ordered, vec![]);
            cases.push(m.expect(Case::body(
                format!("flow_mod match {} (ovs order)", m.name),
                Body::FlowMod(fm),
            )));
        }
    }
    for a in actions() {
        let fm = flow_mod(a.match_, vec![Instruction::ApplyActions(a.actions)]);
        cases.push((a.expect)(Case::body(
            format!("flow_mod actions {}", a.name),
            Body::FlowMod(fm),
        )));
    }
    for (name, ins) in instructions() {
        let fm = flow_mod(Match::new().with(F::InPort(PortNo(1))), ins);
        cases.push(Case::body(
            format!("flow_mod instructions {name}"),
            Body::FlowMod(fm),
        ));
    }

    // Commands, with the fields each one uses.
    let tcp = Match::new()
        .with(F::EthType(0x0800))
        .with(F::IpProto(6))
        .with(F::TcpDst(80, None));
    for &command in FlowModCommand::ALL {
        let mut fm = flow_mod(tcp.clone(), vec![Instruction::ApplyActions(vec![out(2)])]);
        fm.command = command;
        fm.priority = 1000;
        fm.cookie = Cookie(0x1234);
        cases.push(Case::body(
            format!("flow_mod {command}"),
            Body::FlowMod(fm.clone()),
        ));
        fm.cookie_mask = 0xffff;
        fm.table_id = TableId(3);
        cases.push(Case::body(
            format!("flow_mod {command} cookie mask"),
            Body::FlowMod(fm.clone()),
        ));
        if matches!(
            command,
            FlowModCommand::Delete | FlowModCommand::DeleteStrict
        ) {
            fm.table_id = TableId::ALL;
            fm.out_port = PortNo(5);
            fm.out_group = GroupId(9);
            fm.instructions = vec![];
            cases.push(Case::body(
                format!("flow_mod {command} out_port out_group"),
                Body::FlowMod(fm),
            ));
        }
    }
    // Flags, timeouts, cookies, buffer.
    for (name, flags) in FlowModFlags::KNOWN.iter().map(|&(f, n)| (n, f)).chain([(
        "all flags",
        FlowModFlags::KNOWN
            .iter()
            .fold(FlowModFlags::EMPTY, |a, (f, _)| a | *f),
    )]) {
        let mut fm = flow_mod(Match::new(), vec![]);
        fm.flags = flags;
        cases.push(Case::body(
            format!("flow_mod flag {name}"),
            Body::FlowMod(fm),
        ));
    }
    let mut fm = flow_mod(
        Match::new().with(F::InPort(PortNo(3))),
        vec![Instruction::ApplyActions(vec![out(PortNo::NORMAL.0)])],
    );
    fm.cookie = Cookie(0xfedc_ba98_7654_3210);
    fm.idle_timeout = 30;
    fm.hard_timeout = 300;
    fm.buffer_id = BufferId(0x100);
    fm.table_id = TableId(254);
    fm.priority = 1;
    cases.push(Case::body(
        "flow_mod timeouts cookie buffer",
        Body::FlowMod(fm.clone()),
    ));
    fm.cookie = Cookie(u64::MAX);
    cases.push(Case::body("flow_mod cookie all ones", Body::FlowMod(fm)));

    // Flows as ovs-ofctl reads them.
    for (n, (text, command)) in [
        ("priority=10,tcp,nw_src=10.0.0.0/8,tp_dst=80,actions=output:1", FlowModCommand::Add),
        ("table=1,arp,arp_tpa=10.0.0.1,actions=NORMAL", FlowModCommand::Add),
        (
            "udp6,ipv6_dst=2001:db8::/32,udp_dst=53,actions=set_field:2001:db8::1->ipv6_dst,output:3",
            FlowModCommand::Add,
        ),
        (
            "in_port=1,dl_vlan=10,actions=strip_vlan,goto_table:2",
            FlowModCommand::Add,
        ),
        (
            "tun_id=0x10,reg3=0x5/0xff,actions=meter:3,write_metadata:0x1/0x1,goto_table:4",
            FlowModCommand::Add,
        ),
        ("cookie=0x5/0xff,ip,actions=drop", FlowModCommand::Modify),
        ("priority=5,dl_dst=ff:ff:ff:ff:ff:ff", FlowModCommand::DeleteStrict),
        ("table=2,out_port=3", FlowModCommand::Delete),
    ]
    .into_iter()
    .enumerate()
    {
        match FlowMod::from_ofctl(text, command) {
            Ok(fm) => cases.push(Case::body(format!("flow_mod text {n}"), Body::FlowMod(fm))),
            Err(e) => panic!("FlowMod::from_ofctl({text:?}): {e}"),
        }
    }
    // Every flow of the text cross-check, as bytes.
    for text in super::flow_text::FLOWS {
        if let Ok(fm) = FlowMod::from_ofctl(text, FlowModCommand::Add) {
            cases.push(Case::body(
                format!("flow_mod text {text}"),
                Body::FlowMod(fm),
            ));
        }
    }
    cases
}

/// Flow-removed messages of every reason, with matches and durations.
pub fn flow_removed() -> Vec<Case> {
    let mut cases = Vec::new();
    let ms = matches();
    for (n, &reason) in FlowRemovedReason::ALL.iter().enumerate() {
        let fr = FlowRemoved {
            cookie: Cookie(n as u64 * 0x11),
            priority: [0x8000, 10, 0, 65535, 1, 2][n % 6],
            reason,
            table_id: TableId(n as u8),
            duration_sec: 100 + n as u32,
            duration_nsec: [0, 5_000_000, 123_456_789, 1, 999_999_999, 500_000_000][n % 6],
            idle_timeout: [0, 10, 0, 60, 5, 1][n % 6],
            hard_timeout: [0, 0, 300, 0, 5, 1][n % 6],
            packet_count: n as u64 * 1000,
            byte_count: n as u64 * 64_000,
            match_: ms[(n * 5) % ms.len()].match_.clone(),
        };
        let m = &ms[(n * 5) % ms.len()];
        cases.push(m.expect(Case::body(
            format!("flow_removed {reason}"),
            Body::FlowRemoved(fr),
        )));
    }
    cases
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
