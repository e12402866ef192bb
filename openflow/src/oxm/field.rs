//! One OXM TLV on the wire: the field table (class, number, payload size, maskability) and
//! the codec of [`OxmField`].
//!
//! ```text
//! | class:16 | field:7 | hasmask:1 | length:8 | value (length or length/2) | mask |
//! ```

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{BufMut, BytesMut};

use super::{OxmField, RawOxm};
use crate::error::{Ctx, DecodeError};
use crate::types::{MacAddr, PortNo};
use crate::wire::Src;

/// `OFPXMC_OPENFLOW_BASIC`: the fields the spec defines.
pub const CLASS_OPENFLOW_BASIC: u16 = 0x8000;
/// `OFPXMC_NXM_1`: Nicira extension fields (registers, tunnel addresses).
pub const CLASS_NXM_1: u16 = 0x0001;
/// `OFPXMC_EXPERIMENTER`: the payload starts with a 32-bit experimenter id.
pub const CLASS_EXPERIMENTER: u16 = 0xffff;

/// The size of an OXM header.
pub const HEADER_LEN: usize = 4;

/// Builds an OXM header from its parts.
pub const fn oxm_header(class: u16, field: u8, hasmask: bool, len: u8) -> u32 {
    (class as u32) << 16 | ((field as u32) & 0x7f) << 9 | (hasmask as u32) << 8 | len as u32
}

/// The identity of a match field, without its value: what a match may hold at most once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OxmId {
    /// `OXM_OF_IN_PORT`.
    InPort,
    /// `OXM_OF_IN_PHY_PORT`.
    InPhyPort,
    /// `OXM_OF_METADATA`.
    Metadata,
    /// `OXM_OF_ETH_DST`.
    EthDst,
    /// `OXM_OF_ETH_SRC`.
    EthSrc,
    /// `OXM_OF_ETH_TYPE`.
    EthType,
    /// `OXM_OF_VLAN_VID`.
    VlanVid,
    /// `OXM_OF_VLAN_PCP`.
    VlanPcp,
    /// `OXM_OF_IP_DSCP`.
    IpDscp,
    /// `OXM_OF_IP_ECN`.
    IpEcn,
    /// `OXM_OF_IP_PROTO`.
    IpProto,
    /// `OXM_OF_IPV4_SRC`.
    Ipv4Src,
    /// `OXM_OF_IPV4_DST`.
    Ipv4Dst,
    /// `OXM_OF_TCP_SRC`.
    TcpSrc,
    /// `OXM_OF_TCP_DST`.
    TcpDst,
    /// `OXM_OF_UDP_SRC`.
    UdpSrc,
    /// `OXM_OF_UDP_DST`.
    UdpDst,
    /// `OXM_OF_SCTP_SRC`.
    SctpSrc,
    /// `OXM_OF_SCTP_DST`.
    SctpDst,
    /// `OXM_OF_ICMPV4_TYPE`.
    Icmpv4Type,
    /// `OXM_OF_ICMPV4_CODE`.
    Icmpv4Code,
    /// `OXM_OF_ARP_OP`.
    ArpOp,
    /// `OXM_OF_ARP_SPA`.
    ArpSpa,
    /// `OXM_OF_ARP_TPA`.
    ArpTpa,
    /// `OXM_OF_ARP_SHA`.
    ArpSha,
    /// `OXM_OF_ARP_THA`.
    ArpTha,
    /// `OXM_OF_IPV6_SRC`.
    Ipv6Src,
    /// `OXM_OF_IPV6_DST`.
    Ipv6Dst,
    /// `OXM_OF_IPV6_FLABEL`.
    Ipv6Flabel,
    /// `OXM_OF_ICMPV6_TYPE`.
    Icmpv6Type,
    /// `OXM_OF_ICMPV6_CODE`.
    Icmpv6Code,
    /// `OXM_OF_IPV6_ND_TARGET`.
    Ipv6NdTarget,
    /// `OXM_OF_IPV6_ND_SLL`.
    Ipv6NdSll,
    /// `OXM_OF_IPV6_ND_TLL`.
    Ipv6NdTll,
    /// `OXM_OF_MPLS_LABEL`.
    MplsLabel,
    /// `OXM_OF_MPLS_TC`.
    MplsTc,
    /// `OXM_OF_MPLS_BOS`.
    MplsBos,
    /// `OXM_OF_PBB_ISID`.
    PbbIsid,
    /// `OXM_OF_TUNNEL_ID`.
    TunnelId,
    /// `OXM_OF_IPV6_EXTHDR`.
    Ipv6Exthdr,
    /// `NXM_NX_TUN_IPV4_SRC`.
    TunIpv4Src,
    /// `NXM_NX_TUN_IPV4_DST`.
    TunIpv4Dst,
    /// `NXM_NX_REG0..15`, by index.
    Reg(u8),
    /// A field this crate does not decode.
    Unknown {
        /// OXM class.
        class: u16,
        /// Field number within the class.
        field: u8,
        /// The experimenter id, for the experimenter class.
        experimenter: Option<u32>,
    },
}

/// What the table knows of a decoded field.
#[derive(Clone, Copy)]
pub(crate) struct Info {
    pub class: u16,
    pub field: u8,
    /// Size of the value (the mask has the same size).
    pub len: u8,
    /// Whether the field may carry a mask at all (OpenFlow or Open vSwitch allow it).
    pub maskable: bool,
    /// Whether OpenFlow 1.3 itself allows a mask.
    pub spec_maskable: bool,
    pub name: &'static str,
}

pub(crate) const REG_NAMES: [&str; 16] = [
    "reg0", "reg1", "reg2", "reg3", "reg4", "reg5", "reg6", "reg7", "reg8", "reg9", "reg10",
    "reg11", "reg12", "reg13", "reg14", "reg15",
];

/// The 40 OpenFlow-basic fields by number: (id, value size, maskable, spec-maskable, name).
/// Open vSwitch also masks transport ports and neighbour discovery fields; the spec does not.
const OPENFLOW_BASIC: [(OxmId, u8, bool, bool, &str); 40] = [
    (OxmId::InPort, 4, false, false, "in_port"),
    (OxmId::InPhyPort, 4, false, false, "in_phy_port"),
    (OxmId::Metadata, 8, true, true, "metadata"),
    (OxmId::EthDst, 6, true, true, "eth_dst"),
    (OxmId::EthSrc, 6, true, true, "eth_src"),
    (OxmId::EthType, 2, false, false, "eth_type"),
    (OxmId::VlanVid, 2, true, true, "vlan_vid"),
    (OxmId::VlanPcp, 1, false, false, "vlan_pcp"),
    (OxmId::IpDscp, 1, false, false, "ip_dscp"),
    (OxmId::IpEcn, 1, false, false, "nw_ecn"),
    (OxmId::IpProto, 1, false, false, "nw_proto"),
    (OxmId::Ipv4Src, 4, true, true, "ip_src"),
    (OxmId::Ipv4Dst, 4, true, true, "ip_dst"),
    (OxmId::TcpSrc, 2, true, false, "tcp_src"),
    (OxmId::TcpDst, 2, true, false, "tcp_dst"),
    (OxmId::UdpSrc, 2, true, false, "udp_src"),
    (OxmId::UdpDst, 2, true, false, "udp_dst"),
    (OxmId::SctpSrc, 2, true, false, "sctp_src"),
    (OxmId::SctpDst, 2, true, false, "sctp_dst"),
    (OxmId::Icmpv4Type, 1, false, false, "icmp_type"),
    (OxmId::Icmpv4Code, 1, false, false, "icmp_code"),
    (OxmId::ArpOp, 2, false, false, "arp_op"),
    (OxmId::ArpSpa, 4, true, true, "arp_spa"),
    (OxmId::ArpTpa, 4, true, true, "arp_tpa"),
    (OxmId::ArpSha, 6, true, true, "arp_sha"),
    (OxmId::ArpTha, 6, true, true, "arp_tha"),
    (OxmId::Ipv6Src, 16, true, true, "ipv6_src"),
    (OxmId::Ipv6Dst, 16, true, true, "ipv6_dst"),
    (OxmId::Ipv6Flabel, 4, true, true, "ipv6_label"),
    (OxmId::Icmpv6Type, 1, false, false, "icmpv6_type"),
    (OxmId::Icmpv6Code, 1, false, false, "icmpv6_code"),
    (OxmId::Ipv6NdTarget, 16, true, false, "nd_target"),
    (OxmId::Ipv6NdSll, 6, true, false, "nd_sll"),
    (OxmId::Ipv6NdTll, 6, true, false, "nd_tll"),
    (OxmId::MplsLabel, 4, false, false, "mpls_label"),
    (OxmId::MplsTc, 1, false, false, "mpls_tc"),
    (OxmId::MplsBos, 1, false, false, "mpls_bos"),
    (OxmId::PbbIsid, 3, true, true, "pbb_isid"),
    (OxmId::TunnelId, 8, true, true, "tun_id"),
    (OxmId::Ipv6Exthdr, 2, true, true, "ipv6_exthdr"),
];

impl OxmId {
    /// The field for a TLV's class and number (`payload` gives an experimenter's id).
    pub fn from_header(header: u32, payload: &[u8]) -> OxmId {
        let class = (header >> 16) as u16;
        let field = ((header >> 9) & 0x7f) as u8;
        match class {
            CLASS_OPENFLOW_BASIC => {
                if let Some(&(id, ..)) = OPENFLOW_BASIC.get(field as usize) {
                    return id;
                }
            }
            CLASS_NXM_1 => match field {
                0..=15 => return OxmId::Reg(field),
                31 => return OxmId::TunIpv4Src,
                32 => return OxmId::TunIpv4Dst,
                _ => {}
            },
            _ => {}
        }
        let experimenter = match (class, payload) {
            (CLASS_EXPERIMENTER, [a, b, c, d, ..]) => Some(u32::from_be_bytes([*a, *b, *c, *d])),
            _ => None,
        };
        OxmId::Unknown {
            class,
            field,
            experimenter,
        }
    }

    /// The table entry of a decoded field; `None` for unknown fields.
    pub(crate) fn info(self) -> Option<Info> {
        let (class, field, len, maskable, spec_maskable, name) = match self {
            OxmId::Reg(n) if n < 16 => (CLASS_NXM_1, n, 4, true, true, REG_NAMES[n as usize]),
            OxmId::Reg(_) | OxmId::Unknown { .. } => return None,
            OxmId::TunIpv4Src => (CLASS_NXM_1, 31, 4, true, true, "tun_src"),
            OxmId::TunIpv4Dst => (CLASS_NXM_1, 32, 4, true, true, "tun_dst"),
            id => {
                let n = OPENFLOW_BASIC.iter().position(|e| e.0 == id)?;
                let (_, len, maskable, spec, name) = OPENFLOW_BASIC[n];
                (CLASS_OPENFLOW_BASIC, n as u8, len, maskable, spec, name)
            }
        };
        Some(Info {
            class,
            field,
            len,
            maskable,
            spec_maskable,
            name,
        })
    }

    /// The `ovs-ofctl` name of the field (`tcp_dst`, `reg3`, …); `unknown_oxm` if unknown.
    pub fn name(self) -> &'static str {
        self.info().map_or("unknown_oxm", |i| i.name)
    }

    /// True if OpenFlow 1.3 (table 12 of the spec) allows this field to be masked.
    pub fn maskable_in_spec(self) -> bool {
        self.info().is_some_and(|i| i.spec_maskable)
    }
}

/// A fixed-size value of a field: how it reads from and writes to the wire.
pub(crate) trait Val: Copy {
    fn put(self, out: &mut BytesMut);
    /// Reads from the front of `b`, which the caller has checked is long enough.
    fn get(b: &[u8]) -> Self;
}

fn arr<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

impl Val for u8 {
    fn put(self, out: &mut BytesMut) {
        out.put_u8(self);
    }
    fn get(b: &[u8]) -> Self {
        b[0]
    }
}

impl Val for u16 {
    fn put(self, out: &mut BytesMut) {
        out.put_u16(self);
    }
    fn get(b: &[u8]) -> Self {
        u16::from_be_bytes(arr(b))
    }
}

impl Val for u32 {
    fn put(self, out: &mut BytesMut) {
        out.put_u32(self);
    }
    fn get(b: &[u8]) -> Self {
        u32::from_be_bytes(arr(b))
    }
}

impl Val for u64 {
    fn put(self, out: &mut BytesMut) {
        out.put_u64(self);
    }
    fn get(b: &[u8]) -> Self {
        u64::from_be_bytes(arr(b))
    }
}

impl Val for MacAddr {
    fn put(self, out: &mut BytesMut) {
        out.put_slice(&self.0);
    }
    fn get(b: &[u8]) -> Self {
        MacAddr(arr(b))
    }
}

impl Val for Ipv4Addr {
    fn put(self, out: &mut BytesMut) {
        out.put_slice(&self.octets());
    }
    fn get(b: &[u8]) -> Self {
        Ipv4Addr::from(arr::<4>(b))
    }
}

impl Val for Ipv6Addr {
    fn put(self, out: &mut BytesMut) {
        out.put_slice(&self.octets());
    }
    fn get(b: &[u8]) -> Self {
        Ipv6Addr::from(arr::<16>(b))
    }
}

impl Val for PortNo {
    fn put(self, out: &mut BytesMut) {
        out.put_u32(self.0);
    }
    fn get(b: &[u8]) -> Self {
        PortNo(u32::get(b))
    }
}

/// The 24-bit PBB I-SID, held in a `u32`.
#[derive(Clone, Copy)]
struct U24(u32);

impl Val for U24 {
    fn put(self, out: &mut BytesMut) {
        out.put_slice(&self.0.to_be_bytes()[1..]);
    }
    fn get(b: &[u8]) -> Self {
        U24(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
}

/// Value and optional mask from a payload whose length was checked against the table.
fn vm<T: Val>(p: &[u8], hm: bool, len: usize) -> (T, Option<T>) {
    (T::get(p), hm.then(|| T::get(&p[len..])))
}

fn put_vm<T: Val>(out: &mut BytesMut, v: T, m: Option<T>) {
    v.put(out);
    if let Some(m) = m {
        m.put(out);
    }
}

impl OxmField {
    /// The field's identity (what a match may contain at most once).
    pub fn id(&self) -> OxmId {
        use OxmField as F;
        match self {
            F::InPort(_) => OxmId::InPort,
            F::InPhyPort(_) => OxmId::InPhyPort,
            F::Metadata(..) => OxmId::Metadata,
            F::EthDst(..) => OxmId::EthDst,
            F::EthSrc(..) => OxmId::EthSrc,
            F::EthType(_) => OxmId::EthType,
            F::VlanVid(..) => OxmId::VlanVid,
            F::VlanPcp(_) => OxmId::VlanPcp,
            F::IpDscp(_) => OxmId::IpDscp,
            F::IpEcn(_) => OxmId::IpEcn,
            F::IpProto(_) => OxmId::IpProto,
            F::Ipv4Src(..) => OxmId::Ipv4Src,
            F::Ipv4Dst(..) => OxmId::Ipv4Dst,
            F::TcpSrc(..) => OxmId::TcpSrc,
            F::TcpDst(..) => OxmId::TcpDst,
            F::UdpSrc(..) => OxmId::UdpSrc,
            F::UdpDst(..) => OxmId::UdpDst,
            F::SctpSrc(..) => OxmId::SctpSrc,
            F::SctpDst(..) => OxmId::SctpDst,
            F::Icmpv4Type(_) => OxmId::Icmpv4Type,
            F::Icmpv4Code(_) => OxmId::Icmpv4Code,
            F::ArpOp(_) => OxmId::ArpOp,
            F::ArpSpa(..) => OxmId::ArpSpa,
            F::ArpTpa(..) => OxmId::ArpTpa,
            F::ArpSha(..) => OxmId::ArpSha,
            F::ArpTha(..) => OxmId::ArpTha,
            F::Ipv6Src(..) => OxmId::Ipv6Src,
            F::Ipv6Dst(..) => OxmId::Ipv6Dst,
            F::Ipv6Flabel(..) => OxmId::Ipv6Flabel,
            F::Icmpv6Type(_) => OxmId::Icmpv6Type,
            F::Icmpv6Code(_) => OxmId::Icmpv6Code,
            F::Ipv6NdTarget(..) => OxmId::Ipv6NdTarget,
            F::Ipv6NdSll(..) => OxmId::Ipv6NdSll,
            F::Ipv6NdTll(..) => OxmId::Ipv6NdTll,
            F::MplsLabel(_) => OxmId::MplsLabel,
            F::MplsTc(_) => OxmId::MplsTc,
            F::MplsBos(_) => OxmId::MplsBos,
            F::PbbIsid(..) => OxmId::PbbIsid,
            F::TunnelId(..) => OxmId::TunnelId,
            F::Ipv6Exthdr(..) => OxmId::Ipv6Exthdr,
            F::TunIpv4Src(..) => OxmId::TunIpv4Src,
            F::TunIpv4Dst(..) => OxmId::TunIpv4Dst,
            F::Reg(n, ..) => OxmId::Reg(*n),
            F::Unknown(raw) => OxmId::from_header(raw.header, &raw.payload),
        }
    }

    /// True if the field carries a mask.
    pub fn has_mask(&self) -> bool {
        use OxmField as F;
        match self {
            F::Metadata(_, m) | F::TunnelId(_, m) => m.is_some(),
            F::EthDst(_, m)
            | F::EthSrc(_, m)
            | F::ArpSha(_, m)
            | F::ArpTha(_, m)
            | F::Ipv6NdSll(_, m)
            | F::Ipv6NdTll(_, m) => m.is_some(),
            F::VlanVid(_, m)
            | F::TcpSrc(_, m)
            | F::TcpDst(_, m)
            | F::UdpSrc(_, m)
            | F::UdpDst(_, m)
            | F::SctpSrc(_, m)
            | F::SctpDst(_, m)
            | F::Ipv6Exthdr(_, m) => m.is_some(),
            F::Ipv4Src(_, m)
            | F::Ipv4Dst(_, m)
            | F::ArpSpa(_, m)
            | F::ArpTpa(_, m)
            | F::TunIpv4Src(_, m)
            | F::TunIpv4Dst(_, m) => m.is_some(),
            F::Ipv6Src(_, m) | F::Ipv6Dst(_, m) | F::Ipv6NdTarget(_, m) => m.is_some(),
            F::Ipv6Flabel(_, m) | F::PbbIsid(_, m) | F::Reg(_, _, m) => m.is_some(),
            F::Unknown(raw) => raw.header & 0x100 != 0,
            _ => false,
        }
    }

    /// True if OpenFlow 1.3 allows this field to be masked (Open vSwitch allows more).
    pub fn maskable_in_spec(&self) -> bool {
        self.id().maskable_in_spec()
    }

    /// The 32-bit OXM header this field is emitted with.
    pub fn header(&self) -> u32 {
        if let OxmField::Unknown(raw) = self {
            return raw.header;
        }
        match self.id().info() {
            Some(i) => {
                let hm = self.has_mask();
                oxm_header(i.class, i.field, hm, i.len << hm as u8)
            }
            // Only a register index past 15 gets here; it is emitted as the NXM field it
            // names, so that nothing is lost.
            None => match self {
                OxmField::Reg(n, _, m) => {
                    oxm_header(CLASS_NXM_1, *n, m.is_some(), 4 << m.is_some() as u8)
                }
                _ => 0,
            },
        }
    }

    /// Length of the payload (value and mask) in bytes.
    fn payload_len(&self) -> usize {
        match self {
            OxmField::Unknown(raw) => raw.payload.len(),
            _ => (self.header() & 0xff) as usize,
        }
    }

    /// The number of bytes the TLV takes on the wire.
    pub(crate) fn tlv_len(&self) -> usize {
        HEADER_LEN + self.payload_len()
    }

    /// Appends the TLV.
    pub(crate) fn emit_tlv(&self, out: &mut BytesMut) {
        use OxmField as F;
        out.put_u32(self.header());
        match *self {
            F::InPort(p) | F::InPhyPort(p) => p.put(out),
            F::Metadata(v, m) | F::TunnelId(v, m) => put_vm(out, v, m),
            F::EthDst(v, m)
            | F::EthSrc(v, m)
            | F::ArpSha(v, m)
            | F::ArpTha(v, m)
            | F::Ipv6NdSll(v, m)
            | F::Ipv6NdTll(v, m) => put_vm(out, v, m),
            F::EthType(v) | F::ArpOp(v) => v.put(out),
            F::VlanVid(v, m)
            | F::TcpSrc(v, m)
            | F::TcpDst(v, m)
            | F::UdpSrc(v, m)
            | F::UdpDst(v, m)
            | F::SctpSrc(v, m)
            | F::SctpDst(v, m)
            | F::Ipv6Exthdr(v, m) => put_vm(out, v, m),
            F::VlanPcp(v)
            | F::IpDscp(v)
            | F::IpEcn(v)
            | F::IpProto(v)
            | F::Icmpv4Type(v)
            | F::Icmpv4Code(v)
            | F::Icmpv6Type(v)
            | F::Icmpv6Code(v)
            | F::MplsTc(v)
            | F::MplsBos(v) => v.put(out),
            F::Ipv4Src(v, m)
            | F::Ipv4Dst(v, m)
            | F::ArpSpa(v, m)
            | F::ArpTpa(v, m)
            | F::TunIpv4Src(v, m)
            | F::TunIpv4Dst(v, m) => put_vm(out, v, m),
            F::Ipv6Src(v, m) | F::Ipv6Dst(v, m) | F::Ipv6NdTarget(v, m) => put_vm(out, v, m),
            F::Ipv6Flabel(v, m) | F::Reg(_, v, m) => put_vm(out, v, m),
            F::MplsLabel(v) => v.put(out),
            F::PbbIsid(v, m) => put_vm(out, U24(v), m.map(U24)),
            F::Unknown(ref raw) => out.put_slice(&raw.payload),
        }
    }

    /// Parses one TLV from the front of `i`.
    pub(crate) fn parse_tlv<'a>(
        src: Src<'_>,
        i: &'a [u8],
    ) -> Result<(&'a [u8], OxmField), DecodeError> {
        let Some(&[a, b, c, d]) = i.get(..HEADER_LEN) else {
            return Err(DecodeError::truncated(Ctx::Match));
        };
        let header = u32::from_be_bytes([a, b, c, d]);
        let len = d as usize;
        let Some(payload) = i.get(HEADER_LEN..HEADER_LEN + len) else {
            return Err(DecodeError::bad_len(Ctx::Match, len));
        };
        let rest = &i[HEADER_LEN + len..];
        let id = OxmId::from_header(header, payload);
        let Some(info) = id.info() else {
            let payload = src.bytes(payload);
            return Ok((rest, OxmField::Unknown(RawOxm { header, payload })));
        };
        let hm = header & 0x100 != 0;
        if hm && !info.maskable {
            return Err(DecodeError::BadMask { field: info.name });
        }
        let n = info.len as usize;
        if len != n << hm as usize {
            return Err(DecodeError::bad_len(Ctx::Match, len));
        }
        Ok((rest, decode_known(id, payload, hm, n)))
    }
}

/// Builds a known field from a payload whose length matches the table.
pub(crate) fn decode_known(id: OxmId, p: &[u8], hm: bool, n: usize) -> OxmField {
    use OxmField as F;
    use OxmId as I;
    macro_rules! masked {
        ($variant:ident) => {{
            let (v, m) = vm(p, hm, n);
            F::$variant(v, m)
        }};
    }
    match id {
        I::InPort => F::InPort(PortNo::get(p)),
        I::InPhyPort => F::InPhyPort(PortNo::get(p)),
        I::Metadata => masked!(Metadata),
        I::EthDst => masked!(EthDst),
        I::EthSrc => masked!(EthSrc),
        I::EthType => F::EthType(u16::get(p)),
        I::VlanVid => masked!(VlanVid),
        I::VlanPcp => F::VlanPcp(p[0]),
        I::IpDscp => F::IpDscp(p[0]),
        I::IpEcn => F::IpEcn(p[0]),
        I::IpProto => F::IpProto(p[0]),
        I::Ipv4Src => masked!(Ipv4Src),
        I::Ipv4Dst => masked!(Ipv4Dst),
        I::TcpSrc => masked!(TcpSrc),
        I::TcpDst => masked!(TcpDst),
        I::UdpSrc => masked!(UdpSrc),
        I::UdpDst => masked!(UdpDst),
        I::SctpSrc => masked!(SctpSrc),
        I::SctpDst => masked!(SctpDst),
        I::Icmpv4Type => F::Icmpv4Type(p[0]),
        I::Icmpv4Code => F::Icmpv4Code(p[0]),
        I::ArpOp => F::ArpOp(u16::get(p)),
        I::ArpSpa => masked!(ArpSpa),
        I::ArpTpa => masked!(ArpTpa),
        I::ArpSha => masked!(ArpSha),
        I::ArpTha => masked!(ArpTha),
        I::Ipv6Src => masked!(Ipv6Src),
        I::Ipv6Dst => masked!(Ipv6Dst),
        I::Ipv6Flabel => masked!(Ipv6Flabel),
        I::Icmpv6Type => F::Icmpv6Type(p[0]),
        I::Icmpv6Code => F::Icmpv6Code(p[0]),
        I::Ipv6NdTarget => masked!(Ipv6NdTarget),
        I::Ipv6NdSll => masked!(Ipv6NdSll),
        I::Ipv6NdTll => masked!(Ipv6NdTll),
        I::MplsLabel => F::MplsLabel(u32::get(p)),
        I::MplsTc => F::MplsTc(p[0]),
        I::MplsBos => F::MplsBos(p[0]),
        I::PbbIsid => {
            let (v, m) = vm::<U24>(p, hm, n);
            F::PbbIsid(v.0, m.map(|m| m.0))
        }
        I::TunnelId => masked!(TunnelId),
        I::Ipv6Exthdr => masked!(Ipv6Exthdr),
        I::TunIpv4Src => masked!(TunIpv4Src),
        I::TunIpv4Dst => masked!(TunIpv4Dst),
        I::Reg(r) => {
            let (v, m) = vm(p, hm, n);
            F::Reg(r, v, m)
        }
        // `info()` is `None` for these, so the caller never gets here with them.
        I::Unknown { .. } => F::Unknown(RawOxm {
            header: 0,
            payload: bytes::Bytes::new(),
        }),
    }
}
