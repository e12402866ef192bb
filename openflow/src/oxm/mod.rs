//! OXM match fields (`ofp_oxm_*`) and the `ofp_match` structure.
//!
//! ```text
//! ofp_match: | type=OFPMT_OXM:16 | length:16 | OXM TLVs ... | zero pad to 8 |
//!                                  (length counts type, length and TLVs, not the pad)
//! ```
//!
//! The wire codec is lossless and lenient: fields of other classes survive as [`RawOxm`],
//! duplicate fields or missing prerequisites are not decode errors; [`Match::validate`]
//! applies the spec's rules when asked. The text forms follow Open vSwitch: `Display` prints
//! a match as `ovs-ofctl` does, and [`Match::from_ofctl`] reads its flow syntax, both through
//! OVS's own model of a match so that names, order and masks come out alike.
//!
//! - `field.rs`: which fields exist (classes, numbers, sizes, names, maskability);
//! - `tlv.rs`: one TLV's wire form;
//! - `prereq.rs`: the spec's rules ([`Match::validate`]);
//! - `model.rs`: the match as OVS holds it, read from and written back to fields;
//! - `show.rs`: that model printed as `ovs-ofctl` prints it;
//! - `text.rs`: value formats and `ovs-ofctl` key parsing;
//! - `tests.rs`: our text and bytes against Open vSwitch's, recorded from `ovs-ofctl`.
//!
//! Build matches in prerequisite order (Ethernet type, then IP protocol, then ports), as the
//! spec and Open vSwitch want, or let [`Match::from_ofctl_fields`] order them.

mod field;
mod model;
mod prereq;
mod show;
mod text;
mod tlv;

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{BufMut, Bytes, BytesMut};

pub use field::{CLASS_EXPERIMENTER, CLASS_NXM_1, CLASS_OPENFLOW_BASIC, OxmId, oxm_header};
pub use text::parse_ofctl_field;

use crate::errcode::{BadMatchCode, ErrorCode};
use crate::error::{Ctx, DecodeError};
use crate::text::{SyntaxError, split_items};
use crate::types::{MacAddr, PortNo};
use crate::wire::{PResult, Src, Wire, fail, pad8};

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
    /// The OXM header (class, field, has-mask bit, payload length); its low byte must equal
    /// `payload.len()` for the TLV to be well formed, as it always is after a parse.
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

/// `OFPMT_OXM`, the only match type OpenFlow 1.3 defines for use.
pub const OFPMT_OXM: u16 = 1;

/// Type and length fields of `ofp_match`.
const MATCH_HEADER_LEN: usize = 4;

impl Match {
    /// A match on nothing (every packet).
    pub const fn new() -> Match {
        Match { fields: Vec::new() }
    }

    /// The match with `field` added at the end.
    pub fn with(mut self, field: OxmField) -> Match {
        self.fields.push(field);
        self
    }

    /// Adds `field` at the end.
    pub fn push(&mut self, field: OxmField) {
        self.fields.push(field);
    }

    /// Replaces the field with the same identity as `field`, or adds it at the end.
    pub fn set(&mut self, field: OxmField) {
        let id = field.id();
        match self.fields.iter_mut().find(|f| f.id() == id) {
            Some(slot) => *slot = field,
            None => self.fields.push(field),
        }
    }

    /// Removes and returns the field with identity `id`.
    pub fn remove(&mut self, id: OxmId) -> Option<OxmField> {
        let n = self.fields.iter().position(|f| f.id() == id)?;
        Some(self.fields.remove(n))
    }

    /// The field with identity `id`, if the match has it.
    pub fn get(&self, id: OxmId) -> Option<&OxmField> {
        self.fields.iter().find(|f| f.id() == id)
    }

    /// True if the match has no field (matches every packet).
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// The fields in wire order.
    pub fn iter(&self) -> core::slice::Iter<'_, OxmField> {
        self.fields.iter()
    }

    /// The input port, if matched.
    pub fn in_port(&self) -> Option<PortNo> {
        match self.get(OxmId::InPort) {
            Some(OxmField::InPort(p)) => Some(*p),
            _ => None,
        }
    }

    /// The Ethernet type, if matched.
    pub fn eth_type(&self) -> Option<u16> {
        match self.get(OxmId::EthType) {
            Some(OxmField::EthType(t)) => Some(*t),
            _ => None,
        }
    }

    /// The IP protocol, if matched.
    pub fn ip_proto(&self) -> Option<u8> {
        match self.get(OxmId::IpProto) {
            Some(OxmField::IpProto(p)) => Some(*p),
            _ => None,
        }
    }

    /// The Ethernet source address, if matched exactly.
    pub fn eth_src(&self) -> Option<MacAddr> {
        match self.get(OxmId::EthSrc) {
            Some(OxmField::EthSrc(m, None)) => Some(*m),
            _ => None,
        }
    }

    /// The Ethernet destination address, if matched exactly.
    pub fn eth_dst(&self) -> Option<MacAddr> {
        match self.get(OxmId::EthDst) {
            Some(OxmField::EthDst(m, None)) => Some(*m),
            _ => None,
        }
    }

    /// The VLAN id field's value (with `OFPVID_PRESENT`, 0x1000), if matched exactly.
    pub fn vlan_vid(&self) -> Option<u16> {
        match self.get(OxmId::VlanVid) {
            Some(OxmField::VlanVid(v, None)) => Some(*v),
            _ => None,
        }
    }

    /// The tunnel id, if matched exactly.
    pub fn tunnel_id(&self) -> Option<u64> {
        match self.get(OxmId::TunnelId) {
            Some(OxmField::TunnelId(v, None)) => Some(*v),
            _ => None,
        }
    }

    /// The metadata, if matched exactly.
    pub fn metadata(&self) -> Option<u64> {
        match self.get(OxmId::Metadata) {
            Some(OxmField::Metadata(v, None)) => Some(*v),
            _ => None,
        }
    }

    /// Register `n` (0 to 15), if matched exactly.
    pub fn reg(&self, n: u8) -> Option<u32> {
        match self.get(OxmId::Reg(n)) {
            Some(OxmField::Reg(_, v, None)) => Some(*v),
            _ => None,
        }
    }

    /// The length of the TLVs plus the type and length fields: the `length` on the wire.
    fn unpadded_len(&self) -> usize {
        MATCH_HEADER_LEN + self.fields.iter().map(OxmField::tlv_len).sum::<usize>()
    }

    /// Builds a match from fields as `ovs-ofctl` reads flow text: fields sharing a header
    /// slot are settled by the match's protocol (`tp_dst` in a UDP match is `UdpDst`), VLAN
    /// fields combine, later fields override earlier ones, and the result is in the order
    /// Open vSwitch emits (so the bytes equal OVS's). Fails, naming the field, where a field
    /// lacks its prerequisites as Open vSwitch sees them (OVS would silently drop it; it
    /// also accepts ARP fields in RARP matches, which [`Match::validate`] does not).
    pub fn from_ofctl_fields(fields: &[OxmField]) -> Result<Match, SyntaxError> {
        let fields = model::Flow::from_fields(fields)
            .to_fields()
            .map_err(|name| SyntaxError::new(format!("{name}: prerequisites not met")))?;
        Ok(Match { fields })
    }

    /// Parses the match part of `ovs-ofctl` flow text (`tcp,in_port=1,tp_dst=80`).
    pub fn from_ofctl(text: &str) -> Result<Match, SyntaxError> {
        let mut fields = Vec::new();
        for (key, value) in split_items(text, &['='])? {
            match parse_ofctl_field(key, value)? {
                Some(f) => fields.extend(f),
                None => {
                    return Err(SyntaxError::new(format!("{key}: unknown match field")));
                }
            }
        }
        Match::from_ofctl_fields(&fields)
    }

    /// Writes the match as `ovs-ofctl` prints a flow's match, with `priority=N` first when
    /// given (`priority=10,tcp,in_port=1,tp_dst=80`) unless it is the default 32768, which
    /// OVS leaves out; an empty match with no priority writes nothing.
    pub fn fmt_ofctl(&self, f: &mut fmt::Formatter<'_>, priority: Option<u16>) -> fmt::Result {
        model::Flow::from_fields(&self.fields).format(f, priority)
    }
}

impl FromIterator<OxmField> for Match {
    fn from_iter<I: IntoIterator<Item = OxmField>>(iter: I) -> Match {
        Match {
            fields: iter.into_iter().collect(),
        }
    }
}

impl From<Vec<OxmField>> for Match {
    fn from(fields: Vec<OxmField>) -> Match {
        Match { fields }
    }
}

impl<'a> IntoIterator for &'a Match {
    type Item = &'a OxmField;
    type IntoIter = core::slice::Iter<'a, OxmField>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}

/// Counts the TLVs in `i` by hopping over their lengths, so the field vector is allocated
/// once, from what is really present; stops at the first TLV that does not fit.
fn count_tlvs(mut i: &[u8]) -> usize {
    let mut n = 0;
    while let Some(&len) = i.get(3) {
        match i.get(4 + len as usize..) {
            Some(rest) => i = rest,
            None => break,
        }
        n += 1;
    }
    n
}

impl Wire for Match {
    fn wire_len(&self) -> usize {
        pad8(self.unpadded_len())
    }

    fn emit(&self, out: &mut BytesMut) {
        let len = self.unpadded_len();
        out.reserve(pad8(len));
        out.put_u16(OFPMT_OXM);
        out.put_u16(len as u16);
        for f in &self.fields {
            f.emit_tlv(out);
        }
        out.put_bytes(0, pad8(len) - len);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let Some(&[t0, t1, l0, l1]) = i.get(..MATCH_HEADER_LEN) else {
            return fail(DecodeError::truncated(Ctx::Match));
        };
        let match_type = u16::from_be_bytes([t0, t1]);
        let len = u16::from_be_bytes([l0, l1]) as usize;
        if match_type != OFPMT_OXM {
            return fail(DecodeError::BadValue {
                field: "match type",
                value: match_type.into(),
                code: ErrorCode::BadMatch(BadMatchCode::BadType),
            });
        }
        if len < MATCH_HEADER_LEN {
            return fail(DecodeError::bad_len(Ctx::Match, len));
        }
        let Some(body) = i.get(MATCH_HEADER_LEN..len) else {
            return fail(DecodeError::bad_len(Ctx::Match, len));
        };
        let Some(rest) = i.get(pad8(len)..) else {
            return fail(DecodeError::truncated(Ctx::Match));
        };
        let mut fields = Vec::with_capacity(count_tlvs(body));
        let mut tlvs = body;
        while !tlvs.is_empty() {
            match OxmField::parse_tlv(src, tlvs) {
                Ok((r, f)) => {
                    fields.push(f);
                    tlvs = r;
                }
                Err(e) => return fail(e),
            }
        }
        Ok((rest, Match { fields }))
    }
}

impl OxmField {
    /// The field as a raw TLV (header and payload bytes).
    pub fn to_raw(&self) -> RawOxm {
        match self {
            OxmField::Unknown(raw) => raw.clone(),
            f => {
                let mut out = BytesMut::with_capacity(f.tlv_len());
                f.emit_tlv(&mut out);
                let payload = out.split_off(field::HEADER_LEN).freeze();
                RawOxm {
                    header: f.header(),
                    payload,
                }
            }
        }
    }
}

impl Wire for OxmField {
    fn wire_len(&self) -> usize {
        self.tlv_len()
    }

    fn emit(&self, out: &mut BytesMut) {
        self.emit_tlv(out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        OxmField::parse_tlv(src, i).map_err(nom::Err::Failure)
    }
}

impl fmt::Display for Match {
    /// The match as `ovs-ofctl` prints it, without a priority.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_ofctl(f, None)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod wire_tests {
    use super::*;
    use crate::wire::complete_err;

    use crate::testutil::unhex;

    /// `tcp,in_port=1,nw_src=10.0.0.0/24,tp_dst=80` as Open vSwitch 3.1 encodes it in a
    /// FLOW_MOD: length 0x29 (41), then 7 bytes of padding.
    const TCP_MATCH: &str = "00010029\
        8000000400000001\
        80000a020800\
        800017080a000000ffffff00\
        8000140106\
        80001c020050\
        00000000000000";

    fn tcp_match() -> Match {
        Match::new()
            .with(OxmField::InPort(PortNo(1)))
            .with(OxmField::EthType(0x0800))
            .with(OxmField::Ipv4Src(
                Ipv4Addr::new(10, 0, 0, 0),
                Some(Ipv4Addr::new(255, 255, 255, 0)),
            ))
            .with(OxmField::IpProto(6))
            .with(OxmField::TcpDst(80, None))
    }

    #[test]
    fn deconstruct() {
        let frame = unhex(TCP_MATCH);
        let m = Match::from_bytes(&frame).unwrap();
        assert_eq!(m, tcp_match());
        assert_eq!(m.in_port(), Some(PortNo(1)));
        assert_eq!(m.eth_type(), Some(0x0800));
        assert_eq!(m.ip_proto(), Some(6));
        assert_eq!(m.get(OxmId::TcpDst), Some(&OxmField::TcpDst(80, None)));
        assert_eq!(m.get(OxmId::UdpDst), None);
    }

    #[test]
    fn construct() {
        let m = tcp_match();
        assert_eq!(m.wire_len(), 48);
        assert_eq!(m.to_bytes(), unhex(TCP_MATCH));
    }

    #[test]
    fn parse_leaves_what_follows_the_padding() {
        let mut frame = unhex(TCP_MATCH).to_vec();
        frame.extend_from_slice(&[0xaa, 0xbb]);
        let frame = Bytes::from(frame);
        let (rest, m) = complete_err(Match::parse(Src::new(&frame), &frame)).unwrap();
        assert_eq!(rest, &[0xaa, 0xbb]);
        assert_eq!(m, tcp_match());
    }

    #[test]
    fn empty_match_is_type_and_length_padded_to_eight() {
        let m = Match::new();
        assert_eq!(m.to_bytes(), unhex("0001000400000000"));
        assert_eq!(Match::from_bytes(&unhex("0001000400000000")), Ok(m));
        // A match of exactly 8 bytes has no padding.
        let m = Match::new().with(OxmField::Unknown(RawOxm {
            header: 0x1234_0000,
            payload: Bytes::new(),
        }));
        assert_eq!(m.to_bytes(), unhex("0001000812340000"));
    }

    #[test]
    fn unknown_fields_keep_their_place_and_bytes() {
        let hex = "00010020\
                   ffff01084f4e4600000000aa\
                   8000000400000002\
                   0001d20400000021";
        let frame = unhex(hex);
        let m = Match::from_bytes(&frame).unwrap();
        assert_eq!(m.len(), 3);
        assert!(matches!(m.fields[0], OxmField::Unknown(_)));
        assert_eq!(m.fields[1], OxmField::InPort(PortNo(2)));
        assert_eq!(m.to_bytes(), frame);
        let OxmField::Unknown(raw) = &m.fields[2] else {
            panic!()
        };
        assert_eq!(raw.payload.as_ptr(), frame[28..].as_ptr());
        assert_eq!(m.fields[2].to_raw(), raw.clone());
        assert_eq!(
            OxmField::TcpDst(80, None).to_raw(),
            RawOxm {
                header: 0x8000_1c02,
                payload: Bytes::from_static(&[0, 80])
            }
        );
    }

    fn err(hex: &str) -> DecodeError {
        Match::from_bytes(&unhex(hex)).unwrap_err()
    }

    #[test]
    fn malformed_matches_report_the_spec_codes() {
        let bad_len = ErrorCode::BadMatch(BadMatchCode::BadLen);
        // OFPMT_STANDARD (0) and an unknown type are BAD_TYPE.
        let e = err("0000000400000000");
        assert_eq!(e.ofp_error(), ErrorCode::BadMatch(BadMatchCode::BadType));
        assert_eq!(
            e,
            DecodeError::BadValue {
                field: "match type",
                value: 0,
                code: ErrorCode::BadMatch(BadMatchCode::BadType)
            }
        );
        assert_eq!(
            err("0002000400000000").ofp_error(),
            ErrorCode::BadMatch(BadMatchCode::BadType)
        );
        for hex in [
            // Shorter than its own header.
            "000100",
            // Length below 4.
            "0001000300000000",
            // Length past the bytes present.
            "0001000c80000004",
            // Fields present but the padding cut off.
            "0001000c8000000400000001",
            // A TLV running past the match length (IN_PORT claims 4 bytes, 2 are inside).
            "0001000a80000004000000010000",
            // A TLV whose length does not fit its field.
            "0001000b800000030000010000000000",
        ] {
            assert_eq!(err(hex).ofp_error(), bad_len, "{hex}");
        }
        // A mask on a field that cannot have one.
        assert_eq!(
            err("0001000c80000b040800080000000000").ofp_error(),
            ErrorCode::BadMatch(BadMatchCode::BadMask)
        );
    }

    #[test]
    fn field_vector_is_sized_from_the_bytes_present() {
        assert_eq!(count_tlvs(&unhex(&TCP_MATCH[8..82])), 5);
        assert_eq!(count_tlvs(&[0x80, 0, 0, 4, 0]), 0);
        assert_eq!(count_tlvs(&[]), 0);
        let m = Match::from_bytes(&unhex(TCP_MATCH)).unwrap();
        assert_eq!(m.fields.capacity(), 5);
    }

    #[test]
    fn builders_and_accessors() {
        let mut m = Match::new();
        assert!(m.is_empty());
        m.push(OxmField::EthType(0x0806));
        m.set(OxmField::EthType(0x0800));
        m.set(OxmField::Reg(3, 7, None));
        m.set(OxmField::TunnelId(42, None));
        m.set(OxmField::Metadata(9, None));
        m.set(OxmField::EthSrc(MacAddr([0, 0, 0, 0, 0, 1]), None));
        m.set(OxmField::EthDst(MacAddr::BROADCAST, None));
        m.set(OxmField::VlanVid(0x1005, None));
        assert_eq!(m.len(), 7);
        assert_eq!(m.eth_type(), Some(0x0800));
        assert_eq!(m.reg(3), Some(7));
        assert_eq!(m.reg(4), None);
        assert_eq!(m.tunnel_id(), Some(42));
        assert_eq!(m.metadata(), Some(9));
        assert_eq!(m.eth_src(), Some(MacAddr([0, 0, 0, 0, 0, 1])));
        assert_eq!(m.eth_dst(), Some(MacAddr::BROADCAST));
        assert_eq!(m.vlan_vid(), Some(0x1005));
        assert_eq!(m.remove(OxmId::EthType), Some(OxmField::EthType(0x0800)));
        assert_eq!(m.eth_type(), None);
        let collected: Match = m.iter().cloned().collect();
        assert_eq!(collected, m);
        assert_eq!((&m).into_iter().count(), 6);
        assert_eq!(Match::from(vec![OxmField::IpProto(6)]).ip_proto(), Some(6));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    /// TLV-shaped bytes: mostly known headers with fitting or slightly wrong lengths.
    fn tlv() -> impl Strategy<Value = Vec<u8>> {
        (
            prop_oneof![Just(0x8000u16), Just(0x0001), Just(0xffff), any::<u16>()],
            0u8..45,
            any::<bool>(),
            0usize..40,
            any::<bool>(),
        )
            .prop_flat_map(|(class, field, hm, len, fit)| {
                let id = OxmId::from_header(oxm_header(class, field, hm, 0), &[]);
                let len = match id.info() {
                    Some(i) if fit => (i.len as usize) << hm as usize,
                    _ => len,
                };
                proptest::collection::vec(any::<u8>(), len).prop_map(move |payload| {
                    let mut v = oxm_header(class, field, hm, len as u8)
                        .to_be_bytes()
                        .to_vec();
                    v.extend(payload);
                    v
                })
            })
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panic(body in proptest::collection::vec(any::<u8>(), 0..96)) {
            let mut frame = vec![0, 1];
            frame.extend(((body.len() + 4) as u16).to_be_bytes());
            frame.extend(&body);
            frame.resize(pad8(frame.len()), 0);
            let _ = Match::from_bytes(&Bytes::from(body.clone()));
            if let Ok(m) = Match::from_bytes(&Bytes::from(frame.clone())) {
                prop_assert_eq!(m.to_bytes(), Bytes::from(frame));
                let _ = m.to_string();
                let _ = m.validate();
            }
        }

        #[test]
        fn decoded_tlvs_round_trip(tlvs in proptest::collection::vec(tlv(), 0..6)) {
            let body: Vec<u8> = tlvs.concat();
            let mut frame = vec![0, 1];
            frame.extend(((body.len() + 4) as u16).to_be_bytes());
            frame.extend(&body);
            frame.resize(pad8(frame.len()), 0);
            let frame = Bytes::from(frame);
            if let Ok(m) = Match::from_bytes(&frame) {
                prop_assert_eq!(m.wire_len(), frame.len());
                prop_assert_eq!(m.to_bytes(), frame);
                let text = m.to_string();
                // Text that reads back gives a match that prints the same.
                if let Ok(again) = Match::from_ofctl(&text) {
                    prop_assert_eq!(again.to_string(), text);
                }
            }
        }
    }
}
