//! A minimal reader of what a packet-in says about its sender: Ethernet source, 802.1Q VLAN,
//! ethertype, and the sender's IP address from ARP, IPv4, IPv6 or an IPv6 neighbor
//! advertisement. It never panics; anything it cannot read yields less information, not an
//! error, because host tracking only ever learns from what it understands.

use std::net::{Ipv4Addr, Ipv6Addr};

use openflow::MacAddr;

/// The 802.1Q tag protocol id.
pub const ETHERTYPE_VLAN: u16 = 0x8100;
/// ARP.
pub const ETHERTYPE_ARP: u16 = 0x0806;
/// IPv4.
pub const ETHERTYPE_IPV4: u16 = 0x0800;
/// IPv6.
pub const ETHERTYPE_IPV6: u16 = 0x86dd;

const ICMPV6: u8 = 58;
const NEIGHBOR_ADVERTISEMENT: u8 = 136;

/// The sender of a frame, as far as it can be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sender {
    /// Destination MAC address.
    pub dst: MacAddr,
    /// Source MAC address.
    pub src: MacAddr,
    /// VLAN id of the outer 802.1Q tag (`None`: untagged).
    pub vlan: Option<u16>,
    /// The ethertype after the VLAN tag.
    pub ethertype: u16,
    /// The sender's IP address, if the frame states one.
    pub ip: Option<SenderIp>,
}

/// An IP address a frame's sender claims as its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SenderIp {
    /// IPv4.
    V4(Ipv4Addr),
    /// IPv6.
    V6(Ipv6Addr),
}

/// Reads the sender of an Ethernet frame; `None` if it is shorter than an Ethernet header.
pub fn read_sender(frame: &[u8]) -> Option<Sender> {
    let dst = MacAddr(frame.get(0..6)?.try_into().ok()?);
    let src = MacAddr(frame.get(6..12)?.try_into().ok()?);
    let mut ethertype = be16(frame, 12)?;
    let mut rest = frame.get(14..)?;
    let mut vlan = None;
    if ethertype == ETHERTYPE_VLAN {
        let tci = be16(rest, 0)?;
        vlan = Some(tci & 0x0fff);
        ethertype = be16(rest, 2)?;
        rest = rest.get(4..)?;
    }
    let ip = match ethertype {
        ETHERTYPE_ARP => arp_sender(rest).map(SenderIp::V4),
        ETHERTYPE_IPV4 => ipv4_source(rest).map(SenderIp::V4),
        ETHERTYPE_IPV6 => ipv6_sender(rest).map(SenderIp::V6),
        _ => None,
    };
    Some(Sender {
        dst,
        src,
        vlan,
        ethertype,
        ip,
    })
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn v4_at(b: &[u8], at: usize) -> Option<Ipv4Addr> {
    let octets: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(Ipv4Addr::from(octets))
}

fn v6_at(b: &[u8], at: usize) -> Option<Ipv6Addr> {
    let octets: [u8; 16] = b.get(at..at + 16)?.try_into().ok()?;
    Some(Ipv6Addr::from(octets))
}

fn usable_v4(ip: Ipv4Addr) -> Option<Ipv4Addr> {
    (!ip.is_unspecified() && !ip.is_multicast() && !ip.is_broadcast()).then_some(ip)
}

fn usable_v6(ip: Ipv6Addr) -> Option<Ipv6Addr> {
    (!ip.is_unspecified() && !ip.is_multicast()).then_some(ip)
}

/// ARP for IPv4 over Ethernet: the sender protocol address (a probe's 0.0.0.0 says nothing).
fn arp_sender(arp: &[u8]) -> Option<Ipv4Addr> {
    let well_formed = be16(arp, 0)? == 1 && be16(arp, 2)? == ETHERTYPE_IPV4;
    let sizes = arp.get(4..6)? == [6, 4];
    if !(well_formed && sizes) {
        return None;
    }
    usable_v4(v4_at(arp, 14)?)
}

fn ipv4_source(ip: &[u8]) -> Option<Ipv4Addr> {
    if ip.first()? >> 4 != 4 {
        return None;
    }
    usable_v4(v4_at(ip, 12)?)
}

/// The IPv6 source; for a neighbor advertisement sent from the unspecified address the target
/// is what the sender claims.
fn ipv6_sender(ip: &[u8]) -> Option<Ipv6Addr> {
    if ip.first()? >> 4 != 6 {
        return None;
    }
    if let Some(source) = usable_v6(v6_at(ip, 8)?) {
        return Some(source);
    }
    let next_header = *ip.get(6)?;
    let icmp = ip.get(40..)?;
    if next_header == ICMPV6 && *icmp.first()? == NEIGHBOR_ADVERTISEMENT {
        return usable_v6(v6_at(icmp, 8)?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DST: [u8; 6] = [0xff; 6];
    const SRC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];

    fn eth(ethertype: u16, vlan: Option<u16>, payload: &[u8]) -> Vec<u8> {
        let mut f = [DST, SRC].concat();
        if let Some(vid) = vlan {
            f.extend_from_slice(&ETHERTYPE_VLAN.to_be_bytes());
            f.extend_from_slice(&(0x2000 | vid).to_be_bytes()); // priority 1
        }
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(payload);
        f
    }

    fn arp(sender_ip: [u8; 4]) -> Vec<u8> {
        let mut a = vec![0, 1, 8, 0, 6, 4, 0, 1];
        a.extend_from_slice(&SRC);
        a.extend_from_slice(&sender_ip);
        a.extend_from_slice(&[0; 6]);
        a.extend_from_slice(&[10, 0, 0, 2]);
        a
    }

    fn ipv6(src: Ipv6Addr, next: u8, body: &[u8]) -> Vec<u8> {
        let mut p = vec![0x60, 0, 0, 0];
        p.extend_from_slice(&(body.len() as u16).to_be_bytes());
        p.extend_from_slice(&[next, 255]);
        p.extend_from_slice(&src.octets());
        p.extend_from_slice(&Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1).octets());
        p.extend_from_slice(body);
        p
    }

    #[test]
    fn arp_with_vlan() {
        let s = read_sender(&eth(ETHERTYPE_ARP, Some(42), &arp([10, 0, 0, 1]))).unwrap();
        assert_eq!(s.src, MacAddr(SRC));
        assert_eq!(s.dst, MacAddr::BROADCAST);
        assert_eq!(s.vlan, Some(42));
        assert_eq!(s.ethertype, ETHERTYPE_ARP);
        assert_eq!(s.ip, Some(SenderIp::V4(Ipv4Addr::new(10, 0, 0, 1))));
    }

    #[test]
    fn arp_probe_states_no_address() {
        let s = read_sender(&eth(ETHERTYPE_ARP, None, &arp([0, 0, 0, 0]))).unwrap();
        assert_eq!(s.ip, None);
        assert_eq!(s.vlan, None);
    }

    #[test]
    fn ipv4_source() {
        let mut ip = vec![0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0];
        ip.extend_from_slice(&[192, 168, 1, 7, 192, 168, 1, 8]);
        let s = read_sender(&eth(ETHERTYPE_IPV4, None, &ip)).unwrap();
        assert_eq!(s.ip, Some(SenderIp::V4(Ipv4Addr::new(192, 168, 1, 7))));
        // A truncated header yields no address but still the Ethernet sender.
        let s = read_sender(&eth(ETHERTYPE_IPV4, None, &ip[..14])).unwrap();
        assert_eq!((s.src, s.ip), (MacAddr(SRC), None));
    }

    #[test]
    fn ipv6_source_and_neighbor_advertisement_target() {
        let me: Ipv6Addr = "fe80::1".parse().unwrap();
        let s = read_sender(&eth(ETHERTYPE_IPV6, None, &ipv6(me, 17, &[0; 8]))).unwrap();
        assert_eq!(s.ip, Some(SenderIp::V6(me)));

        let target: Ipv6Addr = "2001:db8::5".parse().unwrap();
        let mut na = vec![NEIGHBOR_ADVERTISEMENT, 0, 0, 0, 0x20, 0, 0, 0];
        na.extend_from_slice(&target.octets());
        let frame = eth(
            ETHERTYPE_IPV6,
            None,
            &ipv6(Ipv6Addr::UNSPECIFIED, ICMPV6, &na),
        );
        assert_eq!(read_sender(&frame).unwrap().ip, Some(SenderIp::V6(target)));
        // Duplicate address detection (a solicitation from ::) claims nothing.
        na[0] = 135;
        let frame = eth(
            ETHERTYPE_IPV6,
            None,
            &ipv6(Ipv6Addr::UNSPECIFIED, ICMPV6, &na),
        );
        assert_eq!(read_sender(&frame).unwrap().ip, None);
    }

    #[test]
    fn short_frames() {
        assert_eq!(read_sender(&[0; 13]), None);
        assert!(read_sender(&[0; 14]).is_some());
        // A VLAN tag cut short.
        assert_eq!(read_sender(&eth(ETHERTYPE_VLAN, None, &[0, 1])), None);
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
            let _ = read_sender(&bytes);
        }
    }
}
