//! Real Ethernet frames for packet-in and packet-out payloads, with correct lengths and
//! checksums, so that OVS's packet summary (flow and checksum) has something true to show.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A source MAC address.
pub const SRC_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
/// A destination MAC address.
pub const DST_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0xab, 0xcd, 0xef];

/// An Ethernet frame with an optional 802.1Q tag (VLAN id, PCP).
pub fn ethernet(
    dst: [u8; 6],
    src: [u8; 6],
    vlan: Option<(u16, u8)>,
    ethertype: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut f = Vec::with_capacity(18 + payload.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    if let Some((vid, pcp)) = vlan {
        f.extend_from_slice(&0x8100u16.to_be_bytes());
        f.extend_from_slice(&(u16::from(pcp) << 13 | vid).to_be_bytes());
    }
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// An ARP packet for IPv4 over Ethernet.
pub fn arp(op: u16, sha: [u8; 6], spa: Ipv4Addr, tha: [u8; 6], tpa: Ipv4Addr) -> Vec<u8> {
    let mut p = vec![0, 1, 8, 0, 6, 4];
    p.extend_from_slice(&op.to_be_bytes());
    p.extend_from_slice(&sha);
    p.extend_from_slice(&spa.octets());
    p.extend_from_slice(&tha);
    p.extend_from_slice(&tpa.octets());
    p
}

fn sum16(data: &[u8], mut acc: u32) -> u32 {
    for pair in data.chunks(2) {
        let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
        acc += u32::from(word);
    }
    acc
}

fn fold(mut acc: u32) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// An IPv4 packet (no options) with a correct header checksum; `l4` builds the payload given
/// the pseudo-header sum, so transport checksums come out right.
pub fn ipv4(
    src: Ipv4Addr,
    dst: Ipv4Addr,
    proto: u8,
    tos: u8,
    ttl: u8,
    l4: impl FnOnce(u32) -> Vec<u8>,
) -> Vec<u8> {
    ipv4_frag(src, dst, proto, tos, ttl, 0x4000, l4)
}

/// An IPv4 packet with the given flags/fragment-offset field (0x2000: more fragments).
pub fn ipv4_frag(
    src: Ipv4Addr,
    dst: Ipv4Addr,
    proto: u8,
    tos: u8,
    ttl: u8,
    frag: u16,
    l4: impl FnOnce(u32) -> Vec<u8>,
) -> Vec<u8> {
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&src.octets());
    pseudo.extend_from_slice(&dst.octets());
    pseudo.extend_from_slice(&[0, proto]);
    // The transport length is added by the transport builder.
    let payload = l4(sum16(&pseudo, 0));
    let total = 20 + payload.len() as u16;
    let mut h = vec![0x45, tos];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0x12, 0x34]);
    h.extend_from_slice(&frag.to_be_bytes());
    h.extend_from_slice(&[ttl, proto, 0, 0]);
    h.extend_from_slice(&src.octets());
    h.extend_from_slice(&dst.octets());
    let csum = fold(sum16(&h, 0));
    h[10..12].copy_from_slice(&csum.to_be_bytes());
    h.extend_from_slice(&payload);
    h
}

/// An IPv6 packet; `l4` builds the payload given the pseudo-header sum.
pub fn ipv6(
    src: Ipv6Addr,
    dst: Ipv6Addr,
    next: u8,
    hop_limit: u8,
    flow_label: u32,
    l4: impl FnOnce(u32) -> Vec<u8>,
) -> Vec<u8> {
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&src.octets());
    pseudo.extend_from_slice(&dst.octets());
    pseudo.extend_from_slice(&[0, next]);
    let payload = l4(sum16(&pseudo, 0));
    let mut h = (6u32 << 28 | flow_label & 0xf_ffff).to_be_bytes().to_vec();
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, hop_limit]);
    h.extend_from_slice(&src.octets());
    h.extend_from_slice(&dst.octets());
    h.extend_from_slice(&payload);
    h
}

/// Fills in a transport checksum at `at`, given the pseudo-header sum (without length).
fn with_checksum(mut seg: Vec<u8>, pseudo: u32, at: usize) -> Vec<u8> {
    let acc = sum16(&seg, pseudo + seg.len() as u32);
    let csum = fold(acc);
    seg[at..at + 2].copy_from_slice(&csum.to_be_bytes());
    seg
}

/// A TCP segment (20-byte header) with the given flags.
pub fn tcp(sport: u16, dport: u16, flags: u8, payload: &[u8]) -> impl FnOnce(u32) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&sport.to_be_bytes());
    s.extend_from_slice(&dport.to_be_bytes());
    s.extend_from_slice(&0x0102_0304u32.to_be_bytes());
    s.extend_from_slice(&0u32.to_be_bytes());
    s.extend_from_slice(&[0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    s.extend_from_slice(payload);
    move |pseudo| with_checksum(s, pseudo, 16)
}

/// A UDP datagram.
pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> impl FnOnce(u32) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&sport.to_be_bytes());
    s.extend_from_slice(&dport.to_be_bytes());
    s.extend_from_slice(&(8 + payload.len() as u16).to_be_bytes());
    s.extend_from_slice(&[0, 0]);
    s.extend_from_slice(payload);
    move |pseudo| with_checksum(s, pseudo, 6)
}

/// An SCTP packet (common header only, checksum left zero: OVS does not print it).
pub fn sctp(sport: u16, dport: u16) -> impl FnOnce(u32) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&sport.to_be_bytes());
    s.extend_from_slice(&dport.to_be_bytes());
    s.extend_from_slice(&[0; 8]);
    move |_| s
}

/// An ICMPv4 message (type, code, rest of header, data); no pseudo header.
pub fn icmpv4(icmp_type: u8, code: u8, data: &[u8]) -> impl FnOnce(u32) -> Vec<u8> {
    let mut s = vec![icmp_type, code, 0, 0, 0x12, 0x34, 0, 1];
    s.extend_from_slice(data);
    move |_| {
        let csum = fold(sum16(&s, 0));
        s[2..4].copy_from_slice(&csum.to_be_bytes());
        s
    }
}

/// An ICMPv6 message; `body` follows the 4-byte type/code/checksum header.
pub fn icmpv6(icmp_type: u8, code: u8, body: &[u8]) -> impl FnOnce(u32) -> Vec<u8> {
    let mut s = vec![icmp_type, code, 0, 0];
    s.extend_from_slice(body);
    move |pseudo| with_checksum(s, pseudo, 2)
}

/// A neighbour solicitation (135) or advertisement (136) body with a link-layer option.
pub fn nd(target: Ipv6Addr, option_type: u8, lladdr: [u8; 6]) -> Vec<u8> {
    let mut b = vec![0; 4];
    b.extend_from_slice(&target.octets());
    b.extend_from_slice(&[option_type, 1]);
    b.extend_from_slice(&lladdr);
    b
}

/// Raw bytes as a transport payload (no checksum to fill in).
pub fn raw(bytes: &[u8]) -> impl FnOnce(u32) -> Vec<u8> {
    let v = bytes.to_vec();
    move |_| v
}

/// An IPv6 extension header (hop-by-hop, routing, destination options: 8 bytes) in front of
/// `inner`, whose protocol is `next`.
pub fn ipv6_ext(next: u8, inner: impl FnOnce(u32) -> Vec<u8>) -> impl FnOnce(u32) -> Vec<u8> {
    move |pseudo| {
        let mut h = vec![next, 0, 1, 4, 0, 0, 0, 0];
        h.extend_from_slice(&inner(pseudo));
        h
    }
}

/// An IPv6 fragment header with offset (in 8-byte units) and the more-fragments bit.
pub fn ipv6_frag(
    next: u8,
    offset: u16,
    more: bool,
    inner: impl FnOnce(u32) -> Vec<u8>,
) -> impl FnOnce(u32) -> Vec<u8> {
    move |pseudo| {
        let mut h = vec![next, 0];
        h.extend_from_slice(&(offset << 3 | u16::from(more)).to_be_bytes());
        h.extend_from_slice(&0x1234_5678u32.to_be_bytes());
        h.extend_from_slice(&inner(pseudo));
        h
    }
}

/// An MPLS label stack entry.
pub fn mpls_entry(label: u32, tc: u8, bos: bool, ttl: u8) -> [u8; 4] {
    (label << 12 | u32::from(tc) << 9 | u32::from(bos) << 8 | u32::from(ttl)).to_be_bytes()
}
