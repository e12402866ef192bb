//! OXM match fields (`ofp_oxm_*`) and the `ofp_match` structure.
//!
//! SHAPE ONLY: the match helper fills in parse, emit, Display, text parsing and prerequisites.

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{Bytes, BytesMut};

use crate::text::SyntaxError;
use crate::types::{MacAddr, PortNo};
use crate::wire::{PResult, Src, Wire};

/// One OXM TLV: a match field with its value and, where maskable, an optional mask.
///
/// Fields that OpenFlow 1.3 or Open vSwitch allow to be masked carry `Option<mask>`; the
/// others carry only a value. Fields of other classes survive in `Unknown`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OxmField {
    /// `OXM_OF_IN_PORT`: switch input port.
    InPort(PortNo),
    /// `OXM_OF_IN_PHY_PORT`: switch physical input port.
    InPhyPort(PortNo),
    /// `OXM_OF_METADATA`: metadata passed between tables.
    Metadata(u64, Option<u64>),
    /// `OXM_OF_ETH_DST`: Ethernet destination address.
    EthDst(MacAddr, Option<MacAddr>),
    /// `OXM_OF_ETH_SRC`: Ethernet source address.
    EthSrc(MacAddr, Option<MacAddr>),
    /// `OXM_OF_ETH_TYPE`: Ethernet frame type.
    EthType(u16),
    /// `OXM_OF_VLAN_VID`: VLAN id, with `OFPVID_PRESENT` (0x1000) set when a tag is present.
    VlanVid(u16, Option<u16>),
    /// `OXM_OF_VLAN_PCP`: VLAN priority.
    VlanPcp(u8),
    /// `OXM_OF_IP_DSCP`: IP DSCP (6 bits in ToS field).
    IpDscp(u8),
    /// `OXM_OF_IP_ECN`: IP ECN (2 bits in ToS field).
    IpEcn(u8),
    /// `OXM_OF_IP_PROTO`: IP protocol.
    IpProto(u8),
    /// `OXM_OF_IPV4_SRC`: IPv4 source address.
    Ipv4Src(Ipv4Addr, Option<Ipv4Addr>),
    /// `OXM_OF_IPV4_DST`: IPv4 destination address.
    Ipv4Dst(Ipv4Addr, Option<Ipv4Addr>),
    /// `OXM_OF_TCP_SRC`: TCP source port.
    TcpSrc(u16, Option<u16>),
    /// `OXM_OF_TCP_DST`: TCP destination port.
    TcpDst(u16, Option<u16>),
    /// `OXM_OF_UDP_SRC`: UDP source port.
    UdpSrc(u16, Option<u16>),
    /// `OXM_OF_UDP_DST`: UDP destination port.
    UdpDst(u16, Option<u16>),
    /// `OXM_OF_SCTP_SRC`: SCTP source port.
    SctpSrc(u16, Option<u16>),
    /// `OXM_OF_SCTP_DST`: SCTP destination port.
    SctpDst(u16, Option<u16>),
    /// `OXM_OF_ICMPV4_TYPE`: ICMP type.
    Icmpv4Type(u8),
    /// `OXM_OF_ICMPV4_CODE`: ICMP code.
    Icmpv4Code(u8),
    /// `OXM_OF_ARP_OP`: ARP opcode.
    ArpOp(u16),
    /// `OXM_OF_ARP_SPA`: ARP source IPv4 address.
    ArpSpa(Ipv4Addr, Option<Ipv4Addr>),
    /// `OXM_OF_ARP_TPA`: ARP target IPv4 address.
    ArpTpa(Ipv4Addr, Option<Ipv4Addr>),
    /// `OXM_OF_ARP_SHA`: ARP source hardware address.
    ArpSha(MacAddr, Option<MacAddr>),
    /// `OXM_OF_ARP_THA`: ARP target hardware address.
    ArpTha(MacAddr, Option<MacAddr>),
    /// `OXM_OF_IPV6_SRC`: IPv6 source address.
    Ipv6Src(Ipv6Addr, Option<Ipv6Addr>),
    /// `OXM_OF_IPV6_DST`: IPv6 destination address.
    Ipv6Dst(Ipv6Addr, Option<Ipv6Addr>),
    /// `OXM_OF_IPV6_FLABEL`: IPv6 flow label (20 bits).
    Ipv6Flabel(u32, Option<u32>),
    /// `OXM_OF_ICMPV6_TYPE`: ICMPv6 type.
    Icmpv6Type(u8),
    /// `OXM_OF_ICMPV6_CODE`: ICMPv6 code.
    Icmpv6Code(u8),
    /// `OXM_OF_IPV6_ND_TARGET`: target address for neighbour discovery.
    Ipv6NdTarget(Ipv6Addr, Option<Ipv6Addr>),
    /// `OXM_OF_IPV6_ND_SLL`: source link-layer address for neighbour discovery.
    Ipv6NdSll(MacAddr, Option<MacAddr>),
    /// `OXM_OF_IPV6_ND_TLL`: target link-layer address for neighbour discovery.
    Ipv6NdTll(MacAddr, Option<MacAddr>),
    /// `OXM_OF_MPLS_LABEL`: MPLS label (20 bits).
    MplsLabel(u32),
    /// `OXM_OF_MPLS_TC`: MPLS traffic class.
    MplsTc(u8),
    /// `OXM_OF_MPLS_BOS`: MPLS bottom-of-stack bit.
    MplsBos(u8),
    /// `OXM_OF_PBB_ISID`: PBB I-SID (24 bits).
    PbbIsid(u32, Option<u32>),
    /// `OXM_OF_TUNNEL_ID`: logical port metadata (the VXLAN VNI, for example).
    TunnelId(u64, Option<u64>),
    /// `OXM_OF_IPV6_EXTHDR`: IPv6 extension header pseudo-field.
    Ipv6Exthdr(u16, Option<u16>),
    /// `NXM_NX_TUN_IPV4_SRC` (Nicira): tunnel IPv4 source.
    TunIpv4Src(Ipv4Addr, Option<Ipv4Addr>),
    /// `NXM_NX_TUN_IPV4_DST` (Nicira): tunnel IPv4 destination.
    TunIpv4Dst(Ipv4Addr, Option<Ipv4Addr>),
    /// `NXM_NX_REG0..15` (Nicira): a 32-bit register, index 0 to 15.
    Reg(u8, u32, Option<u32>),
    /// Any other field (other classes, experimenter fields), kept byte for byte.
    Unknown(RawOxm),
}

/// An OXM TLV this crate does not decode: its 32-bit header and its payload.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawOxm {
    /// The OXM header (class, field, has-mask bit, payload length).
    pub header: u32,
    /// The payload, value then mask (experimenter fields include their experimenter id).
    pub payload: Bytes,
}

/// `ofp_match` of type `OFPMT_OXM`: the fields in wire order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Match {
    /// The OXM fields, in the order they appear on the wire.
    pub fields: Vec<OxmField>,
}

impl Wire for Match {
    fn wire_len(&self) -> usize {
        todo!("match helper")
    }
    fn emit(&self, _out: &mut BytesMut) {
        todo!("match helper")
    }
    fn parse<'a>(_src: Src<'_>, _i: &'a [u8]) -> PResult<'a, Self> {
        todo!("match helper")
    }
}

impl Wire for OxmField {
    fn wire_len(&self) -> usize {
        todo!("match helper")
    }
    fn emit(&self, _out: &mut BytesMut) {
        todo!("match helper")
    }
    fn parse<'a>(_src: Src<'_>, _i: &'a [u8]) -> PResult<'a, Self> {
        todo!("match helper")
    }
}

impl fmt::Display for Match {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("match helper")
    }
}

impl fmt::Display for OxmField {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("match helper")
    }
}

impl OxmField {
    /// The field's name in `ovs-ofctl` syntax as used by `set_field` (`eth_dst`, `tun_dst`,
    /// `reg0`, …).
    pub fn ofctl_name(&self) -> &'static str {
        todo!("match helper")
    }

    /// Writes the value (and `/mask` when masked) in `ovs-ofctl` syntax.
    pub fn fmt_ofctl_value(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("match helper")
    }
}

impl Match {
    /// Parses the match part of `ovs-ofctl` flow text (`tcp,in_port=1,tp_dst=80`).
    pub fn from_ofctl(_text: &str) -> Result<Match, SyntaxError> {
        todo!("match helper")
    }

    /// Writes the match as `ovs-ofctl` prints a flow's match, with `priority=N` first when
    /// given (`priority=10,tcp,in_port=1,tp_dst=80`); an empty match with no priority writes
    /// nothing.
    pub fn fmt_ofctl(&self, _f: &mut fmt::Formatter<'_>, _priority: Option<u16>) -> fmt::Result {
        todo!("match helper")
    }
}

/// Parses one `key[=value]` item of `ovs-ofctl` flow text as match fields: `Ok(None)` when
/// `key` is not a match field (so a caller can try other keys such as `priority`); shorthands
/// such as `tcp` give several fields.
pub fn parse_ofctl_field(
    _key: &str,
    _value: Option<&str>,
) -> Result<Option<Vec<OxmField>>, SyntaxError> {
    todo!("match helper")
}
