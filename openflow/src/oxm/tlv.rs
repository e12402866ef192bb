//! The codec of one OXM TLV: its header and its value and mask in the field's wire form.
//!
//! ```text
//! | class:16 | field:7 | hasmask:1 | length:8 | value (length or length/2) | mask |
//! ```

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{BufMut, BytesMut};

use super::field::{CLASS_NXM_1, CLASS_OPENFLOW_BASIC, HEADER_LEN, OxmId, oxm_header};
use super::{OxmField, RawOxm};
use crate::error::{Ctx, DecodeError};
use crate::types::{MacAddr, PortNo};
use crate::wire::Src;

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
    /// The 32-bit OXM header this field is emitted with.
    pub fn header(&self) -> u32 {
        use OxmField as F;
        // One match straight to the header: this runs for every field of every FLOW_MOD.
        const fn b(field: u8, len: u8) -> u32 {
            oxm_header(CLASS_OPENFLOW_BASIC, field, false, len)
        }
        const fn nx(field: u8) -> u32 {
            oxm_header(CLASS_NXM_1, field, false, 4)
        }
        /// Sets the has-mask bit and doubles the length when masked.
        fn m<T>(h: u32, mask: &Option<T>) -> u32 {
            if mask.is_some() {
                (h | 0x100) + (h & 0xff)
            } else {
                h
            }
        }
        match self {
            F::InPort(_) => b(0, 4),
            F::InPhyPort(_) => b(1, 4),
            F::Metadata(_, x) => m(b(2, 8), x),
            F::EthDst(_, x) => m(b(3, 6), x),
            F::EthSrc(_, x) => m(b(4, 6), x),
            F::EthType(_) => b(5, 2),
            F::VlanVid(_, x) => m(b(6, 2), x),
            F::VlanPcp(_) => b(7, 1),
            F::IpDscp(_) => b(8, 1),
            F::IpEcn(_) => b(9, 1),
            F::IpProto(_) => b(10, 1),
            F::Ipv4Src(_, x) => m(b(11, 4), x),
            F::Ipv4Dst(_, x) => m(b(12, 4), x),
            F::TcpSrc(_, x) => m(b(13, 2), x),
            F::TcpDst(_, x) => m(b(14, 2), x),
            F::UdpSrc(_, x) => m(b(15, 2), x),
            F::UdpDst(_, x) => m(b(16, 2), x),
            F::SctpSrc(_, x) => m(b(17, 2), x),
            F::SctpDst(_, x) => m(b(18, 2), x),
            F::Icmpv4Type(_) => b(19, 1),
            F::Icmpv4Code(_) => b(20, 1),
            F::ArpOp(_) => b(21, 2),
            F::ArpSpa(_, x) => m(b(22, 4), x),
            F::ArpTpa(_, x) => m(b(23, 4), x),
            F::ArpSha(_, x) => m(b(24, 6), x),
            F::ArpTha(_, x) => m(b(25, 6), x),
            F::Ipv6Src(_, x) => m(b(26, 16), x),
            F::Ipv6Dst(_, x) => m(b(27, 16), x),
            F::Ipv6Flabel(_, x) => m(b(28, 4), x),
            F::Icmpv6Type(_) => b(29, 1),
            F::Icmpv6Code(_) => b(30, 1),
            F::Ipv6NdTarget(_, x) => m(b(31, 16), x),
            F::Ipv6NdSll(_, x) => m(b(32, 6), x),
            F::Ipv6NdTll(_, x) => m(b(33, 6), x),
            F::MplsLabel(_) => b(34, 4),
            F::MplsTc(_) => b(35, 1),
            F::MplsBos(_) => b(36, 1),
            F::PbbIsid(_, x) => m(b(37, 3), x),
            F::TunnelId(_, x) => m(b(38, 8), x),
            F::Ipv6Exthdr(_, x) => m(b(39, 2), x),
            F::TunIpv4Src(_, x) => m(nx(31), x),
            F::TunIpv4Dst(_, x) => m(nx(32), x),
            // An index past 15 is emitted as the NXM field it names, so nothing is lost.
            F::Reg(n, _, x) => m(nx(*n), x),
            F::Unknown(raw) => raw.header,
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
        // Callers only pass ids whose `info()` is `Some`, which these never are; an empty raw
        // field is a harmless answer that cannot panic.
        I::Unknown { .. } => F::Unknown(RawOxm {
            header: 0,
            payload: bytes::Bytes::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;
    use crate::errcode::{BadMatchCode, ErrorCode};
    use crate::wire::Wire;
    use OxmField as F;

    fn mac(s: &str) -> MacAddr {
        s.parse().unwrap()
    }

    fn v6(s: &str) -> Ipv6Addr {
        s.parse().unwrap()
    }

    use crate::testutil::unhex;

    /// Every field kind, exact and masked, with its TLV bytes (built independently in Python
    /// from the OXM header layout; the unmasked ones match what OVS 3.1 sends).
    fn golden_fields() -> Vec<(OxmField, &'static str)> {
        vec![
            (F::InPort(PortNo(1)), "8000000400000001"),
            (F::InPhyPort(PortNo(7)), "8000020400000007"),
            (
                F::Metadata(0x0102030405060708, None),
                "800004080102030405060708",
            ),
            (
                F::Metadata(0x1200, Some(0xff00)),
                "800005100000000000001200000000000000ff00",
            ),
            (
                F::EthDst(mac("00:11:22:33:44:55"), None),
                "80000606001122334455",
            ),
            (
                F::EthDst(mac("01:00:00:00:00:00"), Some(mac("01:00:00:00:00:00"))),
                "8000070c010000000000010000000000",
            ),
            (
                F::EthSrc(mac("00:11:22:33:44:55"), None),
                "80000806001122334455",
            ),
            (
                F::EthSrc(mac("00:11:22:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
                "8000090c001122000000ffffff000000",
            ),
            (F::EthType(0x0800), "80000a020800"),
            (F::VlanVid(0x1005, None), "80000c021005"),
            (F::VlanVid(0x1000, Some(0x1000)), "80000d0410001000"),
            (F::VlanPcp(5), "80000e0105"),
            (F::IpDscp(46), "800010012e"),
            (F::IpEcn(3), "8000120103"),
            (F::IpProto(6), "8000140106"),
            (
                F::Ipv4Src(Ipv4Addr::new(10, 0, 0, 1), None),
                "800016040a000001",
            ),
            (
                F::Ipv4Src(
                    Ipv4Addr::new(10, 0, 0, 0),
                    Some(Ipv4Addr::new(255, 255, 255, 0)),
                ),
                "800017080a000000ffffff00",
            ),
            (
                F::Ipv4Dst(Ipv4Addr::new(192, 168, 1, 1), None),
                "80001804c0a80101",
            ),
            (
                F::Ipv4Dst(
                    Ipv4Addr::new(192, 168, 0, 0),
                    Some(Ipv4Addr::new(255, 255, 0, 0)),
                ),
                "80001908c0a80000ffff0000",
            ),
            (F::TcpSrc(1024, None), "80001a020400"),
            (F::TcpSrc(0x400, Some(0xfc00)), "80001b040400fc00"),
            (F::TcpDst(80, None), "80001c020050"),
            (F::TcpDst(0x50, Some(0xfff0)), "80001d040050fff0"),
            (F::UdpSrc(53, None), "80001e020035"),
            (F::UdpSrc(0, Some(0xff00)), "80001f040000ff00"),
            (F::UdpDst(4789, None), "8000200212b5"),
            (F::UdpDst(0x100, Some(0xff00)), "800021040100ff00"),
            (F::SctpSrc(1, None), "800022020001"),
            (F::SctpSrc(2, Some(0xfffe)), "800023040002fffe"),
            (F::SctpDst(2, None), "800024020002"),
            (F::SctpDst(4, Some(0xfffc)), "800025040004fffc"),
            (F::Icmpv4Type(8), "8000260108"),
            (F::Icmpv4Code(3), "8000280103"),
            (F::ArpOp(2), "80002a020002"),
            (
                F::ArpSpa(Ipv4Addr::new(10, 0, 0, 1), None),
                "80002c040a000001",
            ),
            (
                F::ArpSpa(
                    Ipv4Addr::new(10, 0, 0, 0),
                    Some(Ipv4Addr::new(255, 0, 0, 0)),
                ),
                "80002d080a000000ff000000",
            ),
            (
                F::ArpTpa(Ipv4Addr::new(10, 0, 0, 2), None),
                "80002e040a000002",
            ),
            (
                F::ArpTpa(
                    Ipv4Addr::new(10, 1, 0, 0),
                    Some(Ipv4Addr::new(255, 255, 0, 0)),
                ),
                "80002f080a010000ffff0000",
            ),
            (
                F::ArpSha(mac("00:11:22:33:44:55"), None),
                "80003006001122334455",
            ),
            (
                F::ArpSha(mac("00:11:22:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
                "8000310c001122000000ffffff000000",
            ),
            (
                F::ArpTha(mac("00:11:22:33:44:55"), None),
                "80003206001122334455",
            ),
            (
                F::ArpTha(mac("00:11:22:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
                "8000330c001122000000ffffff000000",
            ),
            (
                F::Ipv6Src(v6("2001:db8::1"), None),
                "8000341020010db8000000000000000000000001",
            ),
            (
                F::Ipv6Src(v6("2001:db8::"), Some(v6("ffff:ffff::"))),
                "8000352020010db8000000000000000000000000ffffffff000000000000000000000000",
            ),
            (
                F::Ipv6Dst(v6("fe80::1"), None),
                "80003610fe800000000000000000000000000001",
            ),
            (
                F::Ipv6Dst(v6("fe80::"), Some(v6("ffc0::"))),
                "80003720fe800000000000000000000000000000ffc00000000000000000000000000000",
            ),
            (F::Ipv6Flabel(0x12345, None), "8000380400012345"),
            (
                F::Ipv6Flabel(0x12300, Some(0xfff00)),
                "8000390800012300000fff00",
            ),
            (F::Icmpv6Type(135), "80003a0187"),
            (F::Icmpv6Code(0), "80003c0100"),
            (
                F::Ipv6NdTarget(v6("fe80::1"), None),
                "80003e10fe800000000000000000000000000001",
            ),
            (
                F::Ipv6NdTarget(v6("fe80::"), Some(v6("ffff::"))),
                "80003f20fe800000000000000000000000000000ffff0000000000000000000000000000",
            ),
            (
                F::Ipv6NdSll(mac("00:11:22:33:44:55"), None),
                "80004006001122334455",
            ),
            (
                F::Ipv6NdSll(mac("00:11:22:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
                "8000410c001122000000ffffff000000",
            ),
            (
                F::Ipv6NdTll(mac("00:11:22:33:44:55"), None),
                "80004206001122334455",
            ),
            (
                F::Ipv6NdTll(mac("00:11:22:00:00:00"), Some(mac("ff:ff:ff:00:00:00"))),
                "8000430c001122000000ffffff000000",
            ),
            (F::MplsLabel(0xfffff), "80004404000fffff"),
            (F::MplsTc(7), "8000460107"),
            (F::MplsBos(1), "8000480101"),
            (F::PbbIsid(0xabcdef, None), "80004a03abcdef"),
            (F::PbbIsid(0xab0000, Some(0xff0000)), "80004b06ab0000ff0000"),
            (
                F::TunnelId(0x1234567890abcdef, None),
                "80004c081234567890abcdef",
            ),
            (
                F::TunnelId(0x5, Some(0xff)),
                "80004d10000000000000000500000000000000ff",
            ),
            (F::Ipv6Exthdr(0x1ff, None), "80004e0201ff"),
            (F::Ipv6Exthdr(0x40, Some(0x40)), "80004f0400400040"),
            (
                F::TunIpv4Src(Ipv4Addr::new(1, 2, 3, 4), None),
                "00013e0401020304",
            ),
            (
                F::TunIpv4Src(
                    Ipv4Addr::new(1, 2, 0, 0),
                    Some(Ipv4Addr::new(255, 255, 0, 0)),
                ),
                "00013f0801020000ffff0000",
            ),
            (
                F::TunIpv4Dst(Ipv4Addr::new(5, 6, 7, 8), None),
                "0001400405060708",
            ),
            (
                F::TunIpv4Dst(
                    Ipv4Addr::new(5, 6, 7, 0),
                    Some(Ipv4Addr::new(255, 255, 255, 0)),
                ),
                "0001410805060700ffffff00",
            ),
            (F::Reg(0, 5, None), "0001000400000005"),
            (F::Reg(15, 0x10, Some(0xff)), "00011f0800000010000000ff"),
        ]
    }

    #[test]
    fn deconstruct_every_field_kind() {
        for (field, hex) in golden_fields() {
            let bytes = unhex(hex);
            assert_eq!(OxmField::from_bytes(&bytes), Ok(field.clone()), "{hex}");
        }
    }

    #[test]
    fn construct_every_field_kind() {
        for (field, hex) in golden_fields() {
            assert_eq!(field.wire_len(), hex.len() / 2, "{field:?}");
            assert_eq!(field.to_bytes(), unhex(hex), "{field:?}");
            assert_eq!(field.header().to_be_bytes()[..], unhex(&hex[..8])[..]);
        }
    }

    #[test]
    fn unknown_and_experimenter_fields_survive_byte_for_byte() {
        let cases = [
            // OXM_OF_PACKET_TYPE (OpenFlow 1.5), unknown here.
            "8000580400000000",
            // ONF experimenter field with its experimenter id, masked.
            "ffff010c4f4e4600aabbccddffff0000",
            // A Nicira field this crate does not decode (NXM_NX_CT_STATE).
            "0001d20400000021",
            // A class nobody defined, with an empty payload.
            "12340000",
        ];
        for hex in cases {
            let frame = unhex(hex);
            let field = OxmField::from_bytes(&frame).unwrap();
            let OxmField::Unknown(raw) = &field else {
                panic!("{hex} decoded as {field:?}");
            };
            assert_eq!(raw.header.to_be_bytes()[..], frame[..4]);
            if !raw.payload.is_empty() {
                assert_eq!(raw.payload.as_ptr(), frame[4..].as_ptr(), "copied: {hex}");
            }
            assert_eq!(field.to_bytes(), frame);
        }
        let exp = OxmField::from_bytes(&unhex("ffff010c4f4e4600aabbccddffff0000")).unwrap();
        assert_eq!(
            exp.id(),
            OxmId::Unknown {
                class: 0xffff,
                field: 0,
                experimenter: Some(0x4f4e_4600)
            }
        );
        assert!(exp.has_mask());
    }

    fn parse_err(hex: &str) -> DecodeError {
        let frame = unhex(hex);
        OxmField::parse(Src::new(&frame), &frame)
            .map(|(_, f)| f)
            .map_err(|e| match e {
                nom::Err::Error(e) | nom::Err::Failure(e) => e,
                nom::Err::Incomplete(_) => unreachable!(),
            })
            .unwrap_err()
    }

    #[test]
    fn malformed_tlvs_report_the_spec_codes() {
        let bad_len = ErrorCode::BadMatch(BadMatchCode::BadLen);
        let bad_mask = ErrorCode::BadMatch(BadMatchCode::BadMask);
        let cases = [
            // Header cut short.
            ("800000", bad_len),
            // Payload longer than the bytes present.
            ("80000004000000", bad_len),
            // IN_PORT with 3 bytes, TCP_DST with 4 bytes unmasked.
            ("80000003000001", bad_len),
            ("80001c0400500000", bad_len),
            // Masked TCP_DST with 2 bytes (value but no mask).
            ("80001d020050", bad_len),
            // Masked IN_PORT, ETH_TYPE and VLAN_PCP: none of them can be masked.
            ("800001080000000100000001", bad_mask),
            ("80000b0408000800", bad_mask),
            ("80000f020303", bad_mask),
            // A register with a short payload.
            ("00010003000000", bad_len),
        ];
        for (hex, code) in cases {
            assert_eq!(parse_err(hex).ofp_error(), code, "{hex}");
        }
        assert_eq!(
            parse_err("800001080000000100000001"),
            DecodeError::BadMask { field: "in_port" }
        );
    }

    #[test]
    fn a_register_past_15_is_emitted_as_the_field_it_names() {
        let f = OxmField::Reg(16, 1, None);
        assert_eq!(f.to_bytes(), unhex("0001200400000001"));
        assert_eq!(f.id().info().map(|i| i.name), None);
        // It comes back as the unknown NXM field it is.
        assert!(matches!(
            OxmField::from_bytes(&f.to_bytes()),
            Ok(OxmField::Unknown(_))
        ));
    }
}
