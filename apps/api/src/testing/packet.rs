//! Packets as the fake switch sees them: Ethernet with an optional 802.1Q tag, and ARP or
//! IPv4 (with TCP/UDP ports) above it, parsed from and emitted to frame bytes.

use core::fmt;
use std::net::Ipv4Addr;

use bytes::{BufMut, Bytes, BytesMut};
use openflow::MacAddr;

/// Ethernet type of an 802.1Q VLAN tag.
pub const ETH_TYPE_VLAN: u16 = 0x8100;
/// Ethernet type of ARP.
pub const ETH_TYPE_ARP: u16 = 0x0806;
/// Ethernet type of IPv4.
pub const ETH_TYPE_IPV4: u16 = 0x0800;

const ETH_HEADER_LEN: usize = 14;
const VLAN_TAG_LEN: usize = 4;
const ARP_LEN: usize = 28;
const IPV4_MIN_HEADER_LEN: usize = 20;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;

/// Why bytes are not a packet the fake switch understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PacketError {
    /// The frame ends before the named header does.
    Truncated(&'static str),
    /// An IPv4 header with a version other than 4 or a header length below 20 bytes.
    BadIpv4Header,
}

impl fmt::Display for PacketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PacketError::Truncated(what) => write!(f, "frame truncated in its {what} header"),
            PacketError::BadIpv4Header => f.write_str("bad IPv4 version or header length"),
        }
    }
}

impl std::error::Error for PacketError {}

/// An 802.1Q tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VlanTag {
    /// VLAN id (12 bits).
    pub vid: u16,
    /// Priority code point (3 bits).
    pub pcp: u8,
}

/// An ARP packet for IPv4 over Ethernet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Arp {
    /// Operation (1 request, 2 reply).
    pub op: u16,
    /// Sender hardware address.
    pub sha: MacAddr,
    /// Sender protocol address.
    pub spa: Ipv4Addr,
    /// Target hardware address.
    pub tha: MacAddr,
    /// Target protocol address.
    pub tpa: Ipv4Addr,
}

/// An IPv4 packet; options are dropped, the payload is kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4 {
    /// DSCP (6 bits).
    pub dscp: u8,
    /// ECN (2 bits).
    pub ecn: u8,
    /// Time to live.
    pub ttl: u8,
    /// Protocol.
    pub proto: u8,
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Everything after the header (for TCP and UDP its first four bytes are the ports).
    pub payload: Bytes,
}

impl Ipv4 {
    /// TCP or UDP source and destination ports, when the payload has them.
    pub fn ports(&self) -> Option<(u16, u16)> {
        if !matches!(self.proto, IPPROTO_TCP | IPPROTO_UDP) || self.payload.len() < 4 {
            return None;
        }
        let p = &self.payload;
        Some((
            u16::from_be_bytes([p[0], p[1]]),
            u16::from_be_bytes([p[2], p[3]]),
        ))
    }
}

/// What follows the Ethernet header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum L3 {
    /// ARP.
    Arp(Arp),
    /// IPv4.
    Ipv4(Ipv4),
    /// Anything else, byte for byte.
    Other(Bytes),
}

/// A parsed Ethernet frame.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Packet {
    /// Destination MAC.
    pub eth_dst: MacAddr,
    /// Source MAC.
    pub eth_src: MacAddr,
    /// The outer 802.1Q tag, if any.
    pub vlan: Option<VlanTag>,
    /// The Ethernet type after any tag.
    pub eth_type: u16,
    /// The payload.
    pub l3: L3,
}

fn mac_at(b: &[u8], at: usize) -> MacAddr {
    let mut m = [0u8; 6];
    m.copy_from_slice(&b[at..at + 6]);
    MacAddr(m)
}

fn ip_at(b: &[u8], at: usize) -> Ipv4Addr {
    Ipv4Addr::new(b[at], b[at + 1], b[at + 2], b[at + 3])
}

impl Packet {
    /// An Ethernet frame with an opaque payload.
    pub fn ethernet(eth_src: MacAddr, eth_dst: MacAddr, eth_type: u16, payload: &[u8]) -> Packet {
        Packet {
            eth_dst,
            eth_src,
            vlan: None,
            eth_type,
            l3: L3::Other(Bytes::copy_from_slice(payload)),
        }
    }

    /// A broadcast ARP request from `sha`/`spa` asking for `tpa`.
    pub fn arp_request(sha: MacAddr, spa: Ipv4Addr, tpa: Ipv4Addr) -> Packet {
        Packet {
            eth_dst: MacAddr::BROADCAST,
            eth_src: sha,
            vlan: None,
            eth_type: ETH_TYPE_ARP,
            l3: L3::Arp(Arp {
                op: 1,
                sha,
                spa,
                tha: MacAddr::ZERO,
                tpa,
            }),
        }
    }

    /// A unicast IPv4/UDP datagram.
    pub fn udp(
        eth_src: MacAddr,
        eth_dst: MacAddr,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        ports: (u16, u16),
    ) -> Packet {
        let mut payload = BytesMut::with_capacity(8);
        payload.put_u16(ports.0);
        payload.put_u16(ports.1);
        payload.put_u16(8);
        payload.put_u16(0);
        Packet {
            eth_dst,
            eth_src,
            vlan: None,
            eth_type: ETH_TYPE_IPV4,
            l3: L3::Ipv4(Ipv4 {
                dscp: 0,
                ecn: 0,
                ttl: 64,
                proto: IPPROTO_UDP,
                src,
                dst,
                payload: payload.freeze(),
            }),
        }
    }

    /// The same packet with an 802.1Q tag of VLAN `vid` (priority 0).
    pub fn tagged(mut self, vid: u16) -> Packet {
        self.vlan = Some(VlanTag {
            vid: vid & 0x0fff,
            pcp: 0,
        });
        self
    }

    /// The VLAN id, if tagged.
    pub fn vid(&self) -> Option<u16> {
        self.vlan.map(|t| t.vid)
    }

    /// Parses a frame.
    pub fn parse(frame: &[u8]) -> Result<Packet, PacketError> {
        if frame.len() < ETH_HEADER_LEN {
            return Err(PacketError::Truncated("Ethernet"));
        }
        let eth_dst = mac_at(frame, 0);
        let eth_src = mac_at(frame, 6);
        let mut eth_type = u16::from_be_bytes([frame[12], frame[13]]);
        let mut at = ETH_HEADER_LEN;
        let mut vlan = None;
        if eth_type == ETH_TYPE_VLAN {
            if frame.len() < at + VLAN_TAG_LEN {
                return Err(PacketError::Truncated("802.1Q"));
            }
            let tci = u16::from_be_bytes([frame[at], frame[at + 1]]);
            vlan = Some(VlanTag {
                vid: tci & 0x0fff,
                pcp: (tci >> 13) as u8,
            });
            eth_type = u16::from_be_bytes([frame[at + 2], frame[at + 3]]);
            at += VLAN_TAG_LEN;
        }
        let rest = &frame[at..];
        let l3 = match eth_type {
            ETH_TYPE_ARP => {
                if rest.len() < ARP_LEN {
                    return Err(PacketError::Truncated("ARP"));
                }
                L3::Arp(Arp {
                    op: u16::from_be_bytes([rest[6], rest[7]]),
                    sha: mac_at(rest, 8),
                    spa: ip_at(rest, 14),
                    tha: mac_at(rest, 18),
                    tpa: ip_at(rest, 24),
                })
            }
            ETH_TYPE_IPV4 => L3::Ipv4(parse_ipv4(rest)?),
            _ => L3::Other(Bytes::copy_from_slice(rest)),
        };
        Ok(Packet {
            eth_dst,
            eth_src,
            vlan,
            eth_type,
            l3,
        })
    }

    /// The frame's bytes.
    pub fn to_bytes(&self) -> Bytes {
        let mut out = BytesMut::with_capacity(64);
        out.put_slice(&self.eth_dst.0);
        out.put_slice(&self.eth_src.0);
        if let Some(tag) = self.vlan {
            out.put_u16(ETH_TYPE_VLAN);
            out.put_u16((u16::from(tag.pcp & 7) << 13) | (tag.vid & 0x0fff));
        }
        out.put_u16(self.eth_type);
        match &self.l3 {
            L3::Arp(a) => {
                out.put_u16(1); // hardware type Ethernet
                out.put_u16(ETH_TYPE_IPV4);
                out.put_u8(6);
                out.put_u8(4);
                out.put_u16(a.op);
                out.put_slice(&a.sha.0);
                out.put_slice(&a.spa.octets());
                out.put_slice(&a.tha.0);
                out.put_slice(&a.tpa.octets());
            }
            L3::Ipv4(ip) => emit_ipv4(ip, &mut out),
            L3::Other(b) => out.put_slice(b),
        }
        out.freeze()
    }
}

fn parse_ipv4(b: &[u8]) -> Result<Ipv4, PacketError> {
    if b.len() < IPV4_MIN_HEADER_LEN {
        return Err(PacketError::Truncated("IPv4"));
    }
    let ihl = usize::from(b[0] & 0x0f) * 4;
    if b[0] >> 4 != 4 || ihl < IPV4_MIN_HEADER_LEN {
        return Err(PacketError::BadIpv4Header);
    }
    if b.len() < ihl {
        return Err(PacketError::Truncated("IPv4"));
    }
    let total = usize::from(u16::from_be_bytes([b[2], b[3]])).clamp(ihl, b.len());
    Ok(Ipv4 {
        dscp: b[1] >> 2,
        ecn: b[1] & 3,
        ttl: b[8],
        proto: b[9],
        src: ip_at(b, 12),
        dst: ip_at(b, 16),
        payload: Bytes::copy_from_slice(&b[ihl..total]),
    })
}

fn emit_ipv4(ip: &Ipv4, out: &mut BytesMut) {
    let total = IPV4_MIN_HEADER_LEN + ip.payload.len();
    let mut h = [0u8; IPV4_MIN_HEADER_LEN];
    h[0] = 0x45;
    h[1] = (ip.dscp << 2) | (ip.ecn & 3);
    h[2..4].copy_from_slice(&(total.min(usize::from(u16::MAX)) as u16).to_be_bytes());
    h[8] = ip.ttl;
    h[9] = ip.proto;
    h[12..16].copy_from_slice(&ip.src.octets());
    h[16..20].copy_from_slice(&ip.dst.octets());
    let sum = h
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum::<u32>();
    let folded = (sum & 0xffff) + (sum >> 16);
    let checksum = !(((folded & 0xffff) + (folded >> 16)) as u16);
    h[10..12].copy_from_slice(&checksum.to_be_bytes());
    out.put_slice(&h);
    out.put_slice(&ip.payload);
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);
    const B: MacAddr = MacAddr([2, 0, 0, 0, 0, 2]);

    #[test]
    fn arp_round_trips_through_bytes_with_and_without_a_tag() {
        let p = Packet::arp_request(A, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        assert_eq!(p.to_bytes().len(), 42);
        assert_eq!(Packet::parse(&p.to_bytes()), Ok(p.clone()));
        let t = p.tagged(10);
        assert_eq!(t.to_bytes().len(), 46);
        assert_eq!(Packet::parse(&t.to_bytes()), Ok(t));
    }

    #[test]
    fn udp_round_trips_and_exposes_its_ports() {
        let p = Packet::udp(
            A,
            B,
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv4Addr::new(10, 0, 0, 2),
            (5, 7),
        );
        let back = Packet::parse(&p.to_bytes()).unwrap();
        assert_eq!(back, p);
        match back.l3 {
            L3::Ipv4(ip) => assert_eq!(ip.ports(), Some((5, 7))),
            other => panic!("not IPv4: {other:?}"),
        }
    }

    #[test]
    fn short_frames_are_errors() {
        assert_eq!(
            Packet::parse(&[0; 13]),
            Err(PacketError::Truncated("Ethernet"))
        );
        let mut arp = Packet::arp_request(A, Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST)
            .to_bytes()
            .to_vec();
        arp.truncate(30);
        assert_eq!(Packet::parse(&arp), Err(PacketError::Truncated("ARP")));
    }
}
