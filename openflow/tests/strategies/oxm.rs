//! Strategies for OXM fields and matches.
//!
//! Two kinds of match: [`legal_match`] builds what a controller may send in OpenFlow 1.3
//! (each field once, prerequisites before the fields that need them, masks only where the
//! spec allows them and no value bit outside its mask), and [`lenient_match`] strings any
//! fields together, which the wire codec must keep as they are (it validates nothing).

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::Bytes;
use openflow::oxm::RawOxm;
use openflow::{MacAddr, Match, OxmField};
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

use super::port;

/// A value of `width` bits with an optional mask of the same width; the value has no bit
/// outside the mask.
fn masked(width: u32) -> impl Strategy<Value = (u64, Option<u64>)> + Clone {
    let max = if width == 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    let mask = prop_oneof![
        // A prefix mask, as CIDR notation gives.
        (0..=width).prop_map(move |n| max & !max.checked_shr(n).unwrap_or(0)),
        any::<u64>().prop_map(move |m| m & max),
    ];
    (any::<u64>(), of(mask)).prop_map(move |(v, m)| {
        let v = v & max;
        (m.map_or(v, |m| v & m), m)
    })
}

/// An exact value of `width` bits.
fn exact(width: u32) -> impl Strategy<Value = u64> + Clone {
    let max = if width == 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    any::<u64>().prop_map(move |v| v & max)
}

fn mac(v: u64) -> MacAddr {
    let b = v.to_be_bytes();
    MacAddr([b[2], b[3], b[4], b[5], b[6], b[7]])
}

fn ip4(v: u64) -> Ipv4Addr {
    Ipv4Addr::from(v as u32)
}

/// A 128-bit value with an optional mask, value inside the mask.
fn masked128() -> impl Strategy<Value = (u128, Option<u128>)> + Clone {
    let mask = prop_oneof![
        (0u32..=128).prop_map(|n| if n == 0 { 0 } else { u128::MAX << (128 - n) }),
        any::<u128>(),
    ];
    (any::<u128>(), of(mask)).prop_map(|(v, m)| (m.map_or(v, |m| v & m), m))
}

/// An IPv6 address, optionally masked.
fn ip6_masked() -> impl Strategy<Value = (Ipv6Addr, Option<Ipv6Addr>)> + Clone {
    masked128().prop_map(|(v, m)| (Ipv6Addr::from(v), m.map(Ipv6Addr::from)))
}

macro_rules! m_u16 {
    ($variant:ident, $width:expr) => {
        masked($width).prop_map(|(v, m)| OxmField::$variant(v as u16, m.map(|m| m as u16)))
    };
}
macro_rules! m_u32 {
    ($variant:ident, $width:expr) => {
        masked($width).prop_map(|(v, m)| OxmField::$variant(v as u32, m.map(|m| m as u32)))
    };
}
macro_rules! m_u64 {
    ($variant:ident) => {
        masked(64).prop_map(|(v, m)| OxmField::$variant(v, m))
    };
}
macro_rules! m_mac {
    ($variant:ident) => {
        masked(48).prop_map(|(v, m)| OxmField::$variant(mac(v), m.map(mac)))
    };
}
macro_rules! m_ip4 {
    ($variant:ident) => {
        masked(32).prop_map(|(v, m)| OxmField::$variant(ip4(v), m.map(ip4)))
    };
}
macro_rules! m_ip6 {
    ($variant:ident) => {
        ip6_masked().prop_map(|(v, m)| OxmField::$variant(v, m))
    };
}
macro_rules! e_u8 {
    ($variant:ident, $width:expr) => {
        exact($width).prop_map(|v| OxmField::$variant(v as u8))
    };
}

/// `vlan_vid`: no tag (exactly 0), a tag with a VLAN id, or "any tag" (0x1000/0x1000), or
/// any 13-bit masked value.
fn vlan_vid() -> impl Strategy<Value = OxmField> + Clone {
    prop_oneof![
        Just(OxmField::VlanVid(0, None)),
        (0u16..0x1000).prop_map(|vid| OxmField::VlanVid(0x1000 | vid, None)),
        Just(OxmField::VlanVid(0x1000, Some(0x1000))),
        m_u16!(VlanVid, 13),
    ]
}

/// An OXM field of a class this crate does not decode, with a well-formed header: the
/// length byte is the payload's length, and a masked field's value and mask have equal
/// sizes.
pub fn raw_oxm() -> impl Strategy<Value = RawOxm> + Clone {
    let class_field = prop_oneof![
        // NXM_0: the original Nicira fields.
        (Just(0x0000u16), 0u8..0x80),
        // NXM_1 fields other than the registers and tunnel addresses.
        (Just(0x0001u16), 16u8..0x80).prop_filter("decoded", |(_, f)| *f != 31 && *f != 32),
        // OpenFlow-basic fields past OpenFlow 1.3's 40 (e.g. 1.5's ACTSET_OUTPUT).
        (Just(0x8000u16), 40u8..0x80),
        // OFPXMC_PACKET_REGS.
        (Just(0x8001u16), 0u8..0x80),
    ];
    let plain = (class_field, any::<bool>(), vec(any::<u8>(), 1..=16)).prop_map(
        |((class, field), hasmask, mut payload)| {
            if hasmask {
                payload.extend_from_slice(&payload.clone());
            }
            raw(class, field, hasmask, payload)
        },
    );
    // Experimenter class: a 32-bit experimenter id starts the payload.
    let experimenter = (
        0u8..0x80,
        any::<u32>(),
        any::<bool>(),
        vec(any::<u8>(), 0..=12),
    )
        .prop_map(|(field, exp, hasmask, value)| {
            let mut payload = exp.to_be_bytes().to_vec();
            payload.extend_from_slice(&value);
            if hasmask {
                payload.extend_from_slice(&value);
            }
            raw(0xffff, field, hasmask, payload)
        });
    prop_oneof![3 => plain, 1 => experimenter]
}

fn raw(class: u16, field: u8, hasmask: bool, payload: Vec<u8>) -> RawOxm {
    let header = u32::from(class) << 16
        | u32::from(field) << 9
        | u32::from(hasmask) << 8
        | payload.len() as u32;
    RawOxm {
        header,
        payload: Bytes::from(payload),
    }
}

/// Any OXM field, every variant, values within their widths, masks wherever the variant has
/// one (Open vSwitch masks more fields than the spec does).
pub fn oxm_field() -> BoxedStrategy<OxmField> {
    prop_oneof![
        port().prop_map(OxmField::InPort),
        port().prop_map(OxmField::InPhyPort),
        m_u64!(Metadata),
        m_mac!(EthDst),
        m_mac!(EthSrc),
        any::<u16>().prop_map(OxmField::EthType),
        vlan_vid(),
        e_u8!(VlanPcp, 3),
        e_u8!(IpDscp, 6),
        e_u8!(IpEcn, 2),
        any::<u8>().prop_map(OxmField::IpProto),
        m_ip4!(Ipv4Src),
        m_ip4!(Ipv4Dst),
        m_u16!(TcpSrc, 16),
        m_u16!(TcpDst, 16),
        m_u16!(UdpSrc, 16),
        m_u16!(UdpDst, 16),
        m_u16!(SctpSrc, 16),
        m_u16!(SctpDst, 16),
        any::<u8>().prop_map(OxmField::Icmpv4Type),
        any::<u8>().prop_map(OxmField::Icmpv4Code),
        any::<u8>().prop_map(|op| OxmField::ArpOp(op.into())),
        m_ip4!(ArpSpa),
        m_ip4!(ArpTpa),
        m_mac!(ArpSha),
        m_mac!(ArpTha),
        m_ip6!(Ipv6Src),
        m_ip6!(Ipv6Dst),
        m_u32!(Ipv6Flabel, 20),
        any::<u8>().prop_map(OxmField::Icmpv6Type),
        any::<u8>().prop_map(OxmField::Icmpv6Code),
        m_ip6!(Ipv6NdTarget),
        m_mac!(Ipv6NdSll),
        m_mac!(Ipv6NdTll),
        exact(20).prop_map(|v| OxmField::MplsLabel(v as u32)),
        e_u8!(MplsTc, 3),
        e_u8!(MplsBos, 1),
        m_u32!(PbbIsid, 24),
        m_u64!(TunnelId),
        m_u16!(Ipv6Exthdr, 9),
        m_ip4!(TunIpv4Src),
        m_ip4!(TunIpv4Dst),
        (0u8..16, masked(32)).prop_map(|(r, (v, m))| OxmField::Reg(
            r,
            v as u32,
            m.map(|m| m as u32)
        )),
        raw_oxm().prop_map(OxmField::Unknown),
    ]
    .boxed()
}

/// The value of a field a set-field action may write in OpenFlow 1.3: unmasked, and not
/// one of the fields the spec makes read-only (in_port, in_phy_port, eth_type, ip_proto,
/// mpls_bos, ipv6_exthdr); a VLAN id must carry the present bit.
pub fn set_field() -> impl Strategy<Value = OxmField> + Clone {
    oxm_field()
        .prop_map(unmask)
        .prop_filter("writable", |f| {
            !matches!(
                f,
                OxmField::InPort(_)
                    | OxmField::InPhyPort(_)
                    | OxmField::EthType(_)
                    | OxmField::IpProto(_)
                    | OxmField::MplsBos(_)
                    | OxmField::Ipv6Exthdr(..)
            )
        })
        .prop_map(|f| match f {
            OxmField::VlanVid(v, _) => OxmField::VlanVid(v | 0x1000, None),
            f => f,
        })
}

/// The same field without its mask.
fn unmask(f: OxmField) -> OxmField {
    use OxmField as F;
    match f {
        F::Metadata(v, _) => F::Metadata(v, None),
        F::EthDst(v, _) => F::EthDst(v, None),
        F::EthSrc(v, _) => F::EthSrc(v, None),
        F::VlanVid(v, _) => F::VlanVid(v, None),
        F::Ipv4Src(v, _) => F::Ipv4Src(v, None),
        F::Ipv4Dst(v, _) => F::Ipv4Dst(v, None),
        F::TcpSrc(v, _) => F::TcpSrc(v, None),
        F::TcpDst(v, _) => F::TcpDst(v, None),
        F::UdpSrc(v, _) => F::UdpSrc(v, None),
        F::UdpDst(v, _) => F::UdpDst(v, None),
        F::SctpSrc(v, _) => F::SctpSrc(v, None),
        F::SctpDst(v, _) => F::SctpDst(v, None),
        F::ArpSpa(v, _) => F::ArpSpa(v, None),
        F::ArpTpa(v, _) => F::ArpTpa(v, None),
        F::ArpSha(v, _) => F::ArpSha(v, None),
        F::ArpTha(v, _) => F::ArpTha(v, None),
        F::Ipv6Src(v, _) => F::Ipv6Src(v, None),
        F::Ipv6Dst(v, _) => F::Ipv6Dst(v, None),
        F::Ipv6Flabel(v, _) => F::Ipv6Flabel(v, None),
        F::Ipv6NdTarget(v, _) => F::Ipv6NdTarget(v, None),
        F::Ipv6NdSll(v, _) => F::Ipv6NdSll(v, None),
        F::Ipv6NdTll(v, _) => F::Ipv6NdTll(v, None),
        F::PbbIsid(v, _) => F::PbbIsid(v, None),
        F::TunnelId(v, _) => F::TunnelId(v, None),
        F::Ipv6Exthdr(v, _) => F::Ipv6Exthdr(v, None),
        F::TunIpv4Src(v, _) => F::TunIpv4Src(v, None),
        F::TunIpv4Dst(v, _) => F::TunIpv4Dst(v, None),
        F::Reg(r, v, _) => F::Reg(r, v, None),
        F::Unknown(mut raw) if raw.header & 0x100 != 0 => {
            // Keep the value half (after the experimenter id, for that class).
            let class = raw.header >> 16;
            let exp = if class == 0xffff { 4 } else { 0 };
            let value_len = (raw.payload.len() - exp) / 2;
            raw.payload = raw.payload.slice(..exp + value_len);
            raw.header = (raw.header & !0x1ff) | raw.payload.len() as u32;
            F::Unknown(raw)
        }
        f => f,
    }
}

/// Whether two fields are the same field (whatever their values): what a match or an action
/// set may hold once.
pub fn same_field(a: &OxmField, b: &OxmField) -> bool {
    match (a, b) {
        (OxmField::Reg(x, ..), OxmField::Reg(y, ..)) => x == y,
        (OxmField::Unknown(x), OxmField::Unknown(y)) => {
            let exp = |r: &RawOxm| (r.header >> 16 == 0xffff).then(|| r.payload.slice(..4));
            x.header >> 9 == y.header >> 9 && exp(x) == exp(y)
        }
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Any sequence of fields: the wire codec keeps it as it is, legal or not.
pub fn lenient_match() -> impl Strategy<Value = Match> {
    vec(oxm_field(), 0..8).prop_map(|fields| Match { fields })
}

const ETH_IP: u16 = 0x0800;
const ETH_ARP: u16 = 0x0806;
const ETH_IPV6: u16 = 0x86dd;
const ETH_MPLS: u16 = 0x8847;
const ETH_MPLS_MCAST: u16 = 0x8848;
const ETH_PBB: u16 = 0x88e7;

/// `Some(f)` half of the time.
fn maybe<S: Strategy<Value = OxmField> + 'static>(s: S) -> BoxedStrategy<Option<OxmField>> {
    of(s).boxed()
}

/// A field without its mask (for fields the spec does not let be masked).
fn exact_field<S: Strategy<Value = OxmField> + 'static>(s: S) -> BoxedStrategy<OxmField> {
    s.prop_map(unmask).boxed()
}

/// Fields of the transport layer for IP protocol `proto` (over IPv6 when `v6`).
fn l4_fields(proto: u8, v6: bool) -> BoxedStrategy<Vec<OxmField>> {
    let pair = |a: BoxedStrategy<OxmField>, b: BoxedStrategy<OxmField>| {
        (maybe(a), maybe(b))
            .prop_map(|(a, b)| a.into_iter().chain(b).collect())
            .boxed()
    };
    match (proto, v6) {
        (6, _) => pair(
            exact_field(m_u16!(TcpSrc, 16)),
            exact_field(m_u16!(TcpDst, 16)),
        ),
        (17, _) => pair(
            exact_field(m_u16!(UdpSrc, 16)),
            exact_field(m_u16!(UdpDst, 16)),
        ),
        (132, _) => pair(
            exact_field(m_u16!(SctpSrc, 16)),
            exact_field(m_u16!(SctpDst, 16)),
        ),
        (1, false) => pair(
            any::<u8>().prop_map(OxmField::Icmpv4Type).boxed(),
            any::<u8>().prop_map(OxmField::Icmpv4Code).boxed(),
        ),
        (58, true) => prop_oneof![
            // Neighbour solicitation / advertisement, with their ND fields.
            (
                prop::sample::select(vec![135u8, 136]),
                of(any::<u8>()),
                of(any::<u128>()),
                of(exact(48)),
            )
                .prop_map(|(t, code, target, ll)| {
                    let mut v = vec![OxmField::Icmpv6Type(t)];
                    v.extend(code.map(OxmField::Icmpv6Code));
                    v.extend(target.map(|a| OxmField::Ipv6NdTarget(Ipv6Addr::from(a), None)));
                    v.extend(ll.map(|m| {
                        if t == 135 {
                            OxmField::Ipv6NdSll(mac(m), None)
                        } else {
                            OxmField::Ipv6NdTll(mac(m), None)
                        }
                    }));
                    v
                }),
            pair(
                any::<u8>().prop_map(OxmField::Icmpv6Type).boxed(),
                any::<u8>().prop_map(OxmField::Icmpv6Code).boxed(),
            ),
        ]
        .boxed(),
        _ => Just(Vec::new()).boxed(),
    }
}

/// IP fields (IPv4 or IPv6), then maybe a protocol and its transport fields.
fn ip_fields(v6: bool) -> BoxedStrategy<Vec<OxmField>> {
    let addrs: BoxedStrategy<Vec<OxmField>> = if v6 {
        (
            maybe(m_ip6!(Ipv6Src)),
            maybe(m_ip6!(Ipv6Dst)),
            maybe(m_u32!(Ipv6Flabel, 20)),
            maybe(m_u16!(Ipv6Exthdr, 9)),
        )
            .prop_map(|(a, b, c, d)| a.into_iter().chain(b).chain(c).chain(d).collect())
            .boxed()
    } else {
        (maybe(m_ip4!(Ipv4Src)), maybe(m_ip4!(Ipv4Dst)))
            .prop_map(|(a, b)| a.into_iter().chain(b).collect())
            .boxed()
    };
    let protos = if v6 {
        vec![6u8, 17, 132, 58, 0, 47, 89]
    } else {
        vec![6u8, 17, 132, 1, 0, 47, 89]
    };
    let proto = of(prop_oneof![4 => prop::sample::select(protos), 1 => any::<u8>()]);
    (
        addrs,
        maybe(e_u8!(IpDscp, 6)),
        maybe(e_u8!(IpEcn, 2)),
        proto,
    )
        .prop_flat_map(move |(mut fields, dscp, ecn, proto)| {
            fields.extend(dscp);
            fields.extend(ecn);
            match proto {
                None => Just(fields).boxed(),
                Some(p) => {
                    fields.push(OxmField::IpProto(p));
                    l4_fields(p, v6)
                        .prop_map(move |l4| {
                            let mut f = fields.clone();
                            f.extend(l4);
                            f
                        })
                        .boxed()
                }
            }
        })
        .boxed()
}

/// Fields that depend on `eth_type` (which comes first in the result).
fn eth_payload_fields() -> BoxedStrategy<Vec<OxmField>> {
    let with_type = |t: u16, rest: BoxedStrategy<Vec<OxmField>>| {
        rest.prop_map(move |r| {
            let mut v = vec![OxmField::EthType(t)];
            v.extend(r);
            v
        })
        .boxed()
    };
    let arp = (
        maybe(any::<u8>().prop_map(|op| OxmField::ArpOp(op.into()))),
        maybe(m_ip4!(ArpSpa)),
        maybe(m_ip4!(ArpTpa)),
        maybe(m_mac!(ArpSha)),
        maybe(m_mac!(ArpTha)),
    )
        .prop_map(|(a, b, c, d, e)| a.into_iter().chain(b).chain(c).chain(d).chain(e).collect())
        .boxed();
    let mpls = (
        maybe(exact(20).prop_map(|v| OxmField::MplsLabel(v as u32))),
        maybe(e_u8!(MplsTc, 3)),
        maybe(e_u8!(MplsBos, 1)),
    )
        .prop_map(|(a, b, c)| a.into_iter().chain(b).chain(c).collect())
        .boxed();
    let pbb = maybe(m_u32!(PbbIsid, 24))
        .prop_map(|f| f.into_iter().collect())
        .boxed();
    prop_oneof![
        Just(Vec::new()),
        with_type(ETH_IP, ip_fields(false)),
        with_type(ETH_IPV6, ip_fields(true)),
        with_type(ETH_ARP, arp),
        prop::sample::select(vec![ETH_MPLS, ETH_MPLS_MCAST])
            .prop_flat_map(move |t| with_type(t, mpls.clone())),
        with_type(ETH_PBB, pbb),
        any::<u16>()
            .prop_filter("no prerequisite role", |t| {
                ![ETH_IP, ETH_IPV6, ETH_ARP, ETH_MPLS, ETH_MPLS_MCAST, ETH_PBB].contains(t)
            })
            .prop_map(|t| vec![OxmField::EthType(t)]),
    ]
    .boxed()
}

/// A match a controller may send in OpenFlow 1.3; `Match::validate` must accept it.
pub fn legal_match() -> BoxedStrategy<Match> {
    let port_fields = (of(port()), of(port())).prop_map(|(p, phy)| match p {
        Some(p) => {
            let mut v = vec![OxmField::InPort(p)];
            v.extend(phy.map(OxmField::InPhyPort));
            v
        }
        None => Vec::new(),
    });
    let meta = (
        maybe(m_u64!(Metadata)),
        maybe(m_u64!(TunnelId)),
        maybe(m_ip4!(TunIpv4Src)),
        maybe(m_ip4!(TunIpv4Dst)),
        prop::sample::subsequence((0u8..16).collect::<Vec<_>>(), 0..3),
        vec(masked(32), 3),
    )
        .prop_map(|(a, b, c, d, regs, vals)| {
            let mut v: Vec<OxmField> = a.into_iter().chain(b).chain(c).chain(d).collect();
            for (r, (val, m)) in regs.into_iter().zip(vals) {
                v.push(OxmField::Reg(r, val as u32, m.map(|m| m as u32)));
            }
            v
        });
    let eth = (maybe(m_mac!(EthSrc)), maybe(m_mac!(EthDst)))
        .prop_map(|(a, b)| a.into_iter().chain(b).collect::<Vec<_>>());
    let vlan = prop_oneof![
        Just(Vec::new()),
        Just(vec![OxmField::VlanVid(0, None)]),
        (
            prop_oneof![
                (0u16..0x1000).prop_map(|vid| OxmField::VlanVid(0x1000 | vid, None)),
                Just(OxmField::VlanVid(0x1000, Some(0x1000))),
            ],
            of(0u8..8)
        )
            .prop_map(|(vid, pcp)| {
                let mut v = vec![vid];
                v.extend(pcp.map(OxmField::VlanPcp));
                v
            }),
    ];
    let unknown = vec(raw_oxm().prop_map(OxmField::Unknown), 0..3).prop_map(|raws| {
        let mut out: Vec<OxmField> = Vec::new();
        for r in raws {
            if !out.iter().any(|o| same_field(o, &r)) {
                out.push(r);
            }
        }
        out
    });
    (port_fields, meta, eth, vlan, eth_payload_fields(), unknown)
        .prop_map(|(a, b, c, d, e, f)| Match {
            fields: a
                .into_iter()
                .chain(b)
                .chain(c)
                .chain(d)
                .chain(e)
                .chain(f)
                .collect(),
        })
        .boxed()
}
