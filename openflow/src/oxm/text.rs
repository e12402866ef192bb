//! The `ovs-ofctl` text of match fields: how values print (`mf_format`, `match_format`) and
//! how `key=value` items parse (`mf_parse`), with OVS's names, synonyms and shorthands.

use core::fmt::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use super::field::OxmId;
use super::model::{self, Flow};
use super::tlv::decode_known;
use super::{OxmField, RawOxm};
use crate::text::SyntaxError;
use crate::types::{MacAddr, PortNo};

/// OpenFlow 1.0 reserved ports are 16-bit; OVS maps them into 32 bits by this offset.
const OFPP11_OFFSET: u32 = 0xffff_0000;
/// `OFPP_UNSET`, a port OVS names but `PortNo` does not.
const OFPP_UNSET: u32 = 0xffff_fff7;

/// True if `mask` is some number of leading ones followed by zeros.
fn is_cidr(mask: u128, bits: u32) -> bool {
    let inv = !mask & (u128::MAX >> (128 - bits));
    inv & inv.wrapping_add(1) == 0
}

/// Writes an IPv4 address with its mask as a prefix length when it is one (`ip_format_masked`).
pub(crate) fn fmt_ip_masked(w: &mut impl Write, ip: Ipv4Addr, mask: Ipv4Addr) -> fmt::Result {
    write!(w, "{ip}")?;
    let m = u32::from(mask);
    if m != u32::MAX {
        if is_cidr(m.into(), 32) {
            write!(w, "/{}", m.leading_ones())?;
        } else {
            write!(w, "/{mask}")?;
        }
    }
    Ok(())
}

/// Writes an IPv6 address as glibc's `inet_ntop` does, which differs from Rust's `Display`
/// for IPv4-compatible addresses (`::1.2.3.4`).
pub(crate) fn fmt_ipv6(w: &mut impl Write, a: Ipv6Addr) -> fmt::Result {
    let words = a.segments();
    let (mut best, mut cur): ((usize, usize), Option<(usize, usize)>) = ((0, 0), None);
    for (i, &word) in words.iter().enumerate() {
        if word == 0 {
            let run = cur.map_or((i, 1), |(b, l)| (b, l + 1));
            cur = Some(run);
            if run.1 > best.1 {
                best = run;
            }
        } else {
            cur = None;
        }
    }
    let best = (best.1 >= 2).then_some(best);
    for (i, &word) in words.iter().enumerate() {
        if let Some((b, l)) = best
            && i >= b
            && i < b + l
        {
            if i == b {
                w.write_char(':')?;
            }
            continue;
        }
        if i != 0 {
            w.write_char(':')?;
        }
        if i == 6
            && matches!(best, Some((0, 6))) | matches!(best, Some((0, 5)) if words[5] == 0xffff)
        {
            let o = a.octets();
            return write!(w, "{}.{}.{}.{}", o[12], o[13], o[14], o[15]);
        }
        write!(w, "{word:x}")?;
    }
    if let Some((b, l)) = best
        && b + l == 8
    {
        w.write_char(':')?;
    }
    Ok(())
}

/// Writes an IPv6 address and, unless exact, its mask (`ipv6_format_masked`).
pub(crate) fn fmt_ipv6_masked(
    w: &mut impl Write,
    a: Ipv6Addr,
    mask: Option<Ipv6Addr>,
) -> fmt::Result {
    fmt_ipv6(w, a)?;
    if let Some(m) = mask.map(u128::from).filter(|&m| m != u128::MAX) {
        if is_cidr(m, 128) {
            write!(w, "/{}", m.leading_ones())?;
        } else {
            w.write_char('/')?;
            fmt_ipv6(w, m.into())?;
        }
    }
    Ok(())
}

/// Writes a MAC address and, unless exact, its mask (`eth_format_masked`).
pub(crate) fn fmt_eth_masked(
    w: &mut impl Write,
    mac: MacAddr,
    mask: Option<MacAddr>,
) -> fmt::Result {
    write!(w, "{mac}")?;
    match mask {
        Some(m) if m != MacAddr::BROADCAST => write!(w, "/{m}"),
        _ => Ok(()),
    }
}

/// Writes an unknown TLV as `0xHEADER:PAYLOAD` (the payload in hex digits).
pub(crate) fn fmt_raw_oxm(w: &mut impl Write, raw: &RawOxm) -> fmt::Result {
    write!(w, "{:#010x}:", raw.header)?;
    raw.payload.iter().try_for_each(|b| write!(w, "{b:02x}"))
}

/// Writes bytes as a number in hex without leading zeros, or `0` (`ds_put_hex`).
fn put_hex(w: &mut impl Write, v: u128) -> fmt::Result {
    if v == 0 {
        w.write_char('0')
    } else {
        write!(w, "{v:#x}")
    }
}

/// A field's value reduced to how `mf_format` prints it.
enum Shown {
    Port(PortNo),
    /// Value, mask, all-ones mask, hexadecimal?
    Int(u128, Option<u128>, u128, bool),
    Eth(MacAddr, Option<MacAddr>),
    Ip(Ipv4Addr, Option<Ipv4Addr>),
    Ip6(Ipv6Addr, Option<Ipv6Addr>),
}

impl OxmField {
    fn shown(&self) -> Option<Shown> {
        use OxmField as F;
        let dec = |v: u128, m: Option<u128>, all: u128| Shown::Int(v, m, all, false);
        let hex = |v: u128, m: Option<u128>, all: u128| Shown::Int(v, m, all, true);
        Some(match *self {
            F::InPort(p) | F::InPhyPort(p) => Shown::Port(p),
            F::Metadata(v, m) | F::TunnelId(v, m) => {
                hex(v.into(), m.map(u128::from), u64::MAX.into())
            }
            F::EthDst(v, m)
            | F::EthSrc(v, m)
            | F::ArpSha(v, m)
            | F::ArpTha(v, m)
            | F::Ipv6NdSll(v, m)
            | F::Ipv6NdTll(v, m) => Shown::Eth(v, m),
            F::EthType(v) => hex(v.into(), None, 0xffff),
            F::VlanVid(v, m)
            | F::TcpSrc(v, m)
            | F::TcpDst(v, m)
            | F::UdpSrc(v, m)
            | F::UdpDst(v, m)
            | F::SctpSrc(v, m)
            | F::SctpDst(v, m) => dec(v.into(), m.map(u128::from), 0xffff),
            F::ArpOp(v) => dec(v.into(), None, 0xffff),
            F::VlanPcp(v)
            | F::IpDscp(v)
            | F::IpEcn(v)
            | F::IpProto(v)
            | F::Icmpv4Type(v)
            | F::Icmpv4Code(v)
            | F::Icmpv6Type(v)
            | F::Icmpv6Code(v)
            | F::MplsTc(v)
            | F::MplsBos(v) => dec(v.into(), None, 0xff),
            F::MplsLabel(v) => dec(v.into(), None, u32::MAX.into()),
            F::Ipv4Src(v, m)
            | F::Ipv4Dst(v, m)
            | F::ArpSpa(v, m)
            | F::ArpTpa(v, m)
            | F::TunIpv4Src(v, m)
            | F::TunIpv4Dst(v, m) => Shown::Ip(v, m),
            F::Ipv6Src(v, m) | F::Ipv6Dst(v, m) | F::Ipv6NdTarget(v, m) => Shown::Ip6(v, m),
            F::Ipv6Flabel(v, m) | F::Reg(_, v, m) => {
                hex(v.into(), m.map(u128::from), u32::MAX.into())
            }
            F::PbbIsid(v, m) => hex(v.into(), m.map(u128::from), 0xff_ffff),
            F::Ipv6Exthdr(v, m) => hex(v.into(), m.map(u128::from), 0xffff),
            F::Unknown(_) => return None,
        })
    }

    /// The field's name in `ovs-ofctl` syntax as used by `set_field` (`eth_dst`, `ip_dst`,
    /// `tun_dst`, `reg0`, …), as Open vSwitch's meta-flow names it. Fields OVS does not know
    /// get the OXM name in lower case (`in_phy_port`, `pbb_isid`, `ipv6_exthdr`); unknown
    /// fields are `unknown_oxm`.
    pub fn ofctl_name(&self) -> &'static str {
        self.id().name()
    }

    /// Writes the value (and `/mask` when masked) in `ovs-ofctl` syntax, as `mf_format`
    /// does: numbers in decimal or hex as OVS formats that field, masks in hex, addresses
    /// with prefix lengths where the mask is one, `ANY` for an all-zero mask. An unknown
    /// field writes `0xHEADER:PAYLOAD`.
    pub fn fmt_ofctl_value(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_ofctl_value(f)
    }

    pub(crate) fn write_ofctl_value(&self, w: &mut impl Write) -> fmt::Result {
        let Some(shown) = self.shown() else {
            return match self {
                OxmField::Unknown(raw) => fmt_raw_oxm(w, raw),
                _ => Ok(()),
            };
        };
        let any = match shown {
            Shown::Int(_, Some(0), ..) => true,
            Shown::Eth(_, Some(m)) => m == MacAddr::ZERO,
            Shown::Ip(_, Some(m)) => m.is_unspecified(),
            Shown::Ip6(_, Some(m)) => m.is_unspecified(),
            _ => false,
        };
        if any {
            return w.write_str("ANY");
        }
        match shown {
            Shown::Port(p) => write!(w, "{p}"),
            Shown::Int(v, m, all, hex) => {
                if hex {
                    put_hex(w, v)?;
                } else {
                    write!(w, "{v}")?;
                }
                match m {
                    Some(m) if m != all => {
                        w.write_char('/')?;
                        put_hex(w, m)
                    }
                    _ => Ok(()),
                }
            }
            Shown::Eth(v, m) => fmt_eth_masked(w, v, m),
            Shown::Ip(v, m) => fmt_ip_masked(w, v, m.unwrap_or(Ipv4Addr::BROADCAST)),
            Shown::Ip6(v, m) => fmt_ipv6_masked(w, v, m),
        }
    }
}

impl fmt::Display for OxmField {
    /// `name=value` as in a flow match (`tcp_dst=80`, `reg0=0x5/0xff`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}=", self.ofctl_name())?;
        self.write_ofctl_value(f)
    }
}

/// The `ovs-ofctl` protocol shorthands: Ethernet type and IP protocol.
fn protocol(key: &str) -> Option<(u16, Option<u8>)> {
    use model::*;
    Some(match key {
        "ip" | "ipv4" | "ip4" => (ETH_TYPE_IP, None),
        "arp" => (ETH_TYPE_ARP, None),
        "icmp" => (ETH_TYPE_IP, Some(IPPROTO_ICMP)),
        "tcp" => (ETH_TYPE_IP, Some(IPPROTO_TCP)),
        "udp" => (ETH_TYPE_IP, Some(IPPROTO_UDP)),
        "sctp" => (ETH_TYPE_IP, Some(IPPROTO_SCTP)),
        "ipv6" | "ip6" => (ETH_TYPE_IPV6, None),
        "icmp6" => (ETH_TYPE_IPV6, Some(IPPROTO_ICMPV6)),
        "tcp6" => (ETH_TYPE_IPV6, Some(IPPROTO_TCP)),
        "udp6" => (ETH_TYPE_IPV6, Some(IPPROTO_UDP)),
        "sctp6" => (ETH_TYPE_IPV6, Some(IPPROTO_SCTP)),
        "rarp" => (ETH_TYPE_RARP, None),
        "mpls" => (ETH_TYPE_MPLS, None),
        "mplsm" => (ETH_TYPE_MPLS_MCAST, None),
        _ => return None,
    })
}

/// Keys whose meaning is not simply "this OXM field".
enum Key {
    Field(OxmId),
    /// `vlan_tci`: the whole 802.1Q TCI with a mask.
    VlanTci,
    /// `dl_vlan`: a VLAN id (0xffff for "no VLAN"), the present bit implied.
    DlVlan,
    /// `nw_tos`: the DSCP in its ToS-byte position.
    NwTos,
    /// `unknown_oxm`: a raw TLV.
    Raw,
}

fn key(k: &str) -> Option<Key> {
    use OxmId as I;
    let id = match k {
        "in_port" | "in_port_oxm" => I::InPort,
        "in_phy_port" => I::InPhyPort,
        "metadata" => I::Metadata,
        "tun_id" | "tunnel_id" => I::TunnelId,
        "tun_src" => I::TunIpv4Src,
        "tun_dst" => I::TunIpv4Dst,
        "eth_src" | "dl_src" => I::EthSrc,
        "eth_dst" | "dl_dst" => I::EthDst,
        "eth_type" | "dl_type" => I::EthType,
        "vlan_vid" => I::VlanVid,
        "vlan_pcp" | "dl_vlan_pcp" => I::VlanPcp,
        "mpls_label" => I::MplsLabel,
        "mpls_tc" => I::MplsTc,
        "mpls_bos" => I::MplsBos,
        "ip_src" | "nw_src" => I::Ipv4Src,
        "ip_dst" | "nw_dst" => I::Ipv4Dst,
        "ipv6_src" => I::Ipv6Src,
        "ipv6_dst" => I::Ipv6Dst,
        "ipv6_label" => I::Ipv6Flabel,
        "nw_proto" | "ip_proto" => I::IpProto,
        "ip_dscp" => I::IpDscp,
        "nw_ecn" | "ip_ecn" => I::IpEcn,
        "arp_op" => I::ArpOp,
        "arp_spa" => I::ArpSpa,
        "arp_tpa" => I::ArpTpa,
        "arp_sha" => I::ArpSha,
        "arp_tha" => I::ArpTha,
        "tcp_src" | "tp_src" => I::TcpSrc,
        "tcp_dst" | "tp_dst" => I::TcpDst,
        "udp_src" => I::UdpSrc,
        "udp_dst" => I::UdpDst,
        "sctp_src" => I::SctpSrc,
        "sctp_dst" => I::SctpDst,
        "icmp_type" => I::Icmpv4Type,
        "icmp_code" => I::Icmpv4Code,
        "icmpv6_type" => I::Icmpv6Type,
        "icmpv6_code" => I::Icmpv6Code,
        "nd_target" => I::Ipv6NdTarget,
        "nd_sll" => I::Ipv6NdSll,
        "nd_tll" => I::Ipv6NdTll,
        "pbb_isid" => I::PbbIsid,
        "ipv6_exthdr" => I::Ipv6Exthdr,
        "vlan_tci" => return Some(Key::VlanTci),
        "dl_vlan" => return Some(Key::DlVlan),
        "nw_tos" => return Some(Key::NwTos),
        "unknown_oxm" => return Some(Key::Raw),
        _ => {
            let n = k.strip_prefix("reg")?;
            if n.is_empty() || (n.len() > 1 && n.starts_with('0')) {
                return None;
            }
            match n.parse::<u8>() {
                Ok(n) if n < 16 => I::Reg(n),
                _ => return None,
            }
        }
    };
    Some(Key::Field(id))
}

/// The largest value a field holds; OVS silently truncates bigger ones, we refuse them.
fn max_value(id: OxmId) -> u128 {
    match id {
        OxmId::VlanVid => 0x1fff,
        OxmId::VlanPcp | OxmId::MplsTc => 7,
        OxmId::IpDscp => 63,
        OxmId::IpEcn => 3,
        OxmId::MplsBos => 1,
        OxmId::Ipv6Flabel | OxmId::MplsLabel => 0xf_ffff,
        _ => u128::MAX,
    }
}

fn err(key: &str, value: &str, what: impl fmt::Display) -> SyntaxError {
    SyntaxError::new(format!("{key}={value}: {what}"))
}

/// Parses a number as OVS's `parse_int_string` does: `0x` hex of any length that fits,
/// otherwise `strtoull` with base 0 (so a leading `0` means octal).
fn parse_int(s: &str, bytes: usize) -> Option<u128> {
    let bits = 8 * bytes as u32;
    let v = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        let digits = hex.trim_start_matches('0');
        if digits.len() > 2 * bytes || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        if digits.is_empty() {
            0
        } else {
            u128::from_str_radix(digits, 16).ok()?
        }
    } else if s.len() > 1 && s.starts_with('0') {
        u64::from_str_radix(&s[1..], 8).ok()?.into()
    } else {
        s.parse::<u64>().ok()?.into()
    };
    (bits >= 128 || v >> bits == 0).then_some(v)
}

/// Parses a port number or reserved name (`ofputil_port_from_string`), giving the
/// OpenFlow 1.1+ number.
fn parse_port(s: &str) -> Option<PortNo> {
    if s.eq_ignore_ascii_case("unset") {
        return Some(PortNo(OFPP_UNSET));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = s.parse().ok()?;
        return match n {
            0..0xff00 => Some(PortNo(n)),
            0xff00..=0xffff => Some(PortNo(n + OFPP11_OFFSET)),
            n if n >= PortNo::MAX.0 => Some(PortNo(n)),
            _ => None,
        };
    }
    // Names only: `PortNo`'s parser also takes hex numbers, which OVS does not.
    s.parse::<PortNo>()
        .ok()
        .filter(|p| s.starts_with(|c: char| c.is_ascii_alphabetic()) && p.reserved_name().is_some())
}

/// Parses `value[/mask]` for a field of `n` bytes into big-endian value and mask bytes.
fn parse_value(
    id: OxmId,
    n: usize,
    key: &str,
    s: &str,
) -> Result<([u8; 16], [u8; 16]), SyntaxError> {
    let mut v = [0u8; 16];
    let mut m = [0xffu8; 16];
    let (val, mask) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let bad = |what: &str| err(key, s, what);
    match id {
        OxmId::InPort | OxmId::InPhyPort => {
            if mask.is_some() {
                return Err(bad("a port cannot be masked"));
            }
            let p = parse_port(val).ok_or_else(|| bad("invalid or unknown port"))?;
            v[..4].copy_from_slice(&p.0.to_be_bytes());
        }
        OxmId::EthSrc
        | OxmId::EthDst
        | OxmId::ArpSha
        | OxmId::ArpTha
        | OxmId::Ipv6NdSll
        | OxmId::Ipv6NdTll => {
            let mac = |t: &str| {
                t.parse::<MacAddr>()
                    .map_err(|_| bad("invalid Ethernet address"))
            };
            v[..6].copy_from_slice(&mac(val)?.0);
            if let Some(t) = mask {
                m[..6].copy_from_slice(&mac(t)?.0);
            }
        }
        OxmId::Ipv4Src
        | OxmId::Ipv4Dst
        | OxmId::ArpSpa
        | OxmId::ArpTpa
        | OxmId::TunIpv4Src
        | OxmId::TunIpv4Dst => {
            let ip: Ipv4Addr = val.parse().map_err(|_| bad("invalid IP address"))?;
            v[..4].copy_from_slice(&ip.octets());
            if let Some(t) = mask {
                let mask = match t.parse::<u32>() {
                    Ok(0) => 0,
                    Ok(bits @ 1..=32) => u32::MAX << (32 - bits),
                    Ok(_) => return Err(bad("IPv4 network prefix bits not between 0 and 32")),
                    Err(_) => t
                        .parse::<Ipv4Addr>()
                        .map_err(|_| bad("invalid IP address"))?
                        .into(),
                };
                m[..4].copy_from_slice(&mask.to_be_bytes());
            }
        }
        OxmId::Ipv6Src | OxmId::Ipv6Dst | OxmId::Ipv6NdTarget => {
            let ip: Ipv6Addr = val.parse().map_err(|_| bad("invalid IPv6 address"))?;
            v.copy_from_slice(&ip.octets());
            if let Some(t) = mask {
                let mask: u128 = match t.parse::<u32>() {
                    Ok(0) => 0,
                    Ok(bits @ 1..=128) => u128::MAX << (128 - bits),
                    Ok(_) => return Err(bad("IPv6 network prefix bits not between 0 and 128")),
                    Err(_) => t
                        .parse::<Ipv6Addr>()
                        .map_err(|_| bad("invalid IPv6 mask"))?
                        .into(),
                };
                m.copy_from_slice(&mask.to_be_bytes());
            }
        }
        _ => {
            let num = |t: &str, what: &str| {
                parse_int(t, n)
                    .ok_or_else(|| bad(&format!("bad {what} or too large for {n}-byte field")))
            };
            let value = num(val, "value")?;
            if value > max_value(id) {
                return Err(bad("value out of range for the field"));
            }
            v[..n].copy_from_slice(&value.to_be_bytes()[16 - n..]);
            if let Some(t) = mask {
                m[..n].copy_from_slice(&num(t, "mask")?.to_be_bytes()[16 - n..]);
            }
        }
    }
    Ok((v, m))
}

/// Parses one field key's value into the OXM field, `None` for an all-zero mask (which
/// OVS reads as "match anything").
fn parse_field_value(id: OxmId, key: &str, s: &str) -> Result<Option<OxmField>, SyntaxError> {
    let Some(info) = id.info() else {
        return Err(err(key, s, "not a match field"));
    };
    let n = info.len as usize;
    let (mut v, m) = parse_value(id, n, key, s)?;
    let (v, m) = (&mut v[..n], &m[..n]);
    if m.iter().all(|&b| b == 0) {
        return Ok(None);
    }
    let exact = m.iter().all(|&b| b == 0xff);
    if !exact && !info.maskable {
        return Err(err(
            key,
            s,
            format_args!("invalid mask for field {}", info.name),
        ));
    }
    // OVS keeps only the bits the mask selects.
    v.iter_mut().zip(m).for_each(|(v, m)| *v &= m);
    let mut payload = [0u8; 32];
    payload[..n].copy_from_slice(v);
    payload[n..2 * n].copy_from_slice(m);
    Ok(Some(decode_known(id, &payload[..2 * n], !exact, n)))
}

/// Parses `0xHEADER:PAYLOAD` into a raw TLV whose length byte must match the payload.
fn parse_raw(key: &str, s: &str) -> Result<OxmField, SyntaxError> {
    let bad = |what: &str| err(key, s, what);
    let (h, p) = s
        .split_once(':')
        .ok_or_else(|| bad("expected 0xHEADER:PAYLOAD"))?;
    let header = parse_int(h, 4).ok_or_else(|| bad("bad header"))? as u32;
    if p.len() % 2 != 0 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("payload must be hex digits"));
    }
    let payload: Vec<u8> = (0..p.len() / 2)
        .map(|i| u8::from_str_radix(&p[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect();
    if payload.len() != (header & 0xff) as usize {
        return Err(bad("payload length does not match the header"));
    }
    Ok(OxmField::Unknown(RawOxm {
        header,
        payload: payload.into(),
    }))
}

/// Parses one `key[=value]` item of `ovs-ofctl` flow text as match fields: `Ok(None)` when
/// `key` is not a match field (so a caller can try other keys such as `priority`); shorthands
/// such as `tcp` give several fields.
///
/// Each key gives the OXM field(s) with the meaning OVS gives it: `tp_dst` and `tcp_dst` give
/// `TcpDst`, `nw_src` gives `Ipv4Src`, `nw_tos` gives `IpDscp` (shifted), `dl_vlan=5` gives
/// `VlanVid(0x1005)`, `dl_vlan_pcp` gives `VlanPcp`. Which of the fields sharing a header
/// slot a match really carries (`udp,tp_dst=53` is `UdpDst`) depends on the whole match:
/// [`Match::from_ofctl`](super::Match::from_ofctl) and
/// [`Match::from_ofctl_fields`](super::Match::from_ofctl_fields) settle it as OVS does.
/// A value masked to nothing (`*`, `x/0`, or no value) gives no field.
pub fn parse_ofctl_field(
    key: &str,
    value: Option<&str>,
) -> Result<Option<Vec<OxmField>>, SyntaxError> {
    if let Some((eth, proto)) = protocol(key) {
        let mut v = vec![OxmField::EthType(eth)];
        v.extend(proto.map(OxmField::IpProto));
        return Ok(Some(v));
    }
    let Some(k) = self::key(key) else {
        return Ok(None);
    };
    let s = match value.map(str::trim) {
        None | Some("" | "*") => return Ok(Some(Vec::new())),
        Some(s) => s,
    };
    let one = |f: Option<OxmField>| Ok(Some(f.into_iter().collect()));
    match k {
        Key::Field(id) => one(parse_field_value(id, key, s)?),
        Key::Raw => one(Some(parse_raw(key, s)?)),
        Key::NwTos => match parse_field_value(OxmId::IpProto, key, s)? {
            Some(OxmField::IpProto(tos)) if tos & 3 == 0 => one(Some(OxmField::IpDscp(tos >> 2))),
            Some(_) => Err(err(key, s, "the ECN bits (0x03) must be zero")),
            None => one(None),
        },
        Key::DlVlan => match parse_field_value(OxmId::EthType, key, s)? {
            Some(OxmField::EthType(0xffff)) => one(Some(OxmField::VlanVid(0, None))),
            Some(OxmField::EthType(vid)) if vid <= 0xfff => {
                one(Some(OxmField::VlanVid(0x1000 | vid, None)))
            }
            Some(_) => Err(err(key, s, "VLAN id out of range")),
            None => one(None),
        },
        Key::VlanTci => {
            let (v, m) = s.split_once('/').unwrap_or((s, "0xffff"));
            let num = |t| {
                parse_int(t, 2)
                    .map(|n| n as u16)
                    .ok_or_else(|| err(key, s, "bad value or mask"))
            };
            let (v, m) = (num(v)?, num(m)?);
            let flow = Flow {
                tci: (v & m, m),
                ..Flow::default()
            };
            // Only VLAN fields are set, so no prerequisite can fail.
            Ok(Some(flow.to_fields().unwrap_or_default()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut String) -> fmt::Result) -> String {
        let mut out = String::new();
        f(&mut out).unwrap();
        out
    }

    #[test]
    fn ipv6_text_is_glibc_inet_ntop() {
        for (a, text) in [
            ("::", "::"),
            ("::1", "::1"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("1:0:0:1::1", "1:0:0:1::1"),
            ("1::1:0:0:1", "1::1:0:0:1"),
            ("2001:db8::", "2001:db8::"),
            ("fe80::1:0:0:0:1", "fe80:0:0:1::1"),
            ("0:0:1::", "0:0:1::"),
            ("::ffff:0:1", "::ffff:0.0.0.1"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
        ] {
            let a: Ipv6Addr = a.parse().unwrap();
            assert_eq!(s(|w| fmt_ipv6(w, a)), text);
        }
        let a: Ipv6Addr = "2001:db8::".parse().unwrap();
        let m = |t: &str| Some(t.parse::<Ipv6Addr>().unwrap());
        assert_eq!(
            s(|w| fmt_ipv6_masked(w, a, m("ffff:ffff::"))),
            "2001:db8::/32"
        );
        assert_eq!(
            s(|w| fmt_ipv6_masked(w, a, m("ffff:ffff::ff"))),
            "2001:db8::/ffff:ffff::ff"
        );
        assert_eq!(s(|w| fmt_ipv6_masked(w, a, m("::"))), "2001:db8::/0");
        assert_eq!(s(|w| fmt_ipv6_masked(w, a, None)), "2001:db8::");
    }

    #[test]
    fn ipv4_masks_are_prefixes_when_they_can_be() {
        let ip = Ipv4Addr::new(10, 0, 0, 0);
        assert_eq!(
            s(|w| fmt_ip_masked(w, ip, Ipv4Addr::new(255, 255, 255, 0))),
            "10.0.0.0/24"
        );
        assert_eq!(
            s(|w| fmt_ip_masked(w, ip, Ipv4Addr::new(255, 0, 255, 0))),
            "10.0.0.0/255.0.255.0"
        );
        assert_eq!(s(|w| fmt_ip_masked(w, ip, Ipv4Addr::BROADCAST)), "10.0.0.0");
        assert_eq!(
            s(|w| fmt_ip_masked(w, ip, Ipv4Addr::UNSPECIFIED)),
            "10.0.0.0/0"
        );
    }

    #[test]
    fn ports_print_as_ovs_maps_them() {
        for (p, text) in [
            (1, "1"),
            (0xfffffffe, "LOCAL"),
            (0xfffffffd, "CONTROLLER"),
            (0xffffffff, "ANY"),
            (0xfffffff7, "UNSET"),
            (0xffffff00, "65280"),
            (0xffffff05, "65285"),
            (0xff00, "65280"),
        ] {
            assert_eq!(PortNo(p).to_string(), text);
        }
        for (text, p) in [
            ("1", Some(1)),
            ("65280", Some(0xffffff00)),
            ("65534", Some(0xfffffffe)),
            ("4294967294", Some(0xfffffffe)),
            ("local", Some(0xfffffffe)),
            ("UNSET", Some(0xfffffff7)),
            ("65536", None),
            ("0x1", None),
            ("-1", None),
            ("eth0", None),
        ] {
            assert_eq!(parse_port(text).map(|p| p.0), p, "{text}");
        }
    }

    #[test]
    fn integers_parse_as_strtoull_and_hex_bytes() {
        assert_eq!(parse_int("10", 1), Some(10));
        assert_eq!(parse_int("010", 1), Some(8));
        assert_eq!(parse_int("0", 1), Some(0));
        assert_eq!(parse_int("0x00000000ff", 1), Some(255));
        assert_eq!(parse_int("0x100", 1), None);
        assert_eq!(parse_int("256", 1), None);
        assert_eq!(parse_int("0xffffffffffffffff", 8), Some(u64::MAX.into()));
        assert_eq!(parse_int("18446744073709551616", 8), None);
        assert_eq!(parse_int("09", 1), None);
        assert_eq!(parse_int("", 1), None);
        assert_eq!(parse_int("0xg", 1), None);
    }
}
