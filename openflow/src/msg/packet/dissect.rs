//! A summary of a packet's headers in the words `ovs-ofctl` uses under a `PACKET_IN` or
//! `PACKET_OUT` (`tcp,vlan_tci=0x0000,dl_src=…,tp_dst=80,tcp_flags=syn tcp_csum:26e8`).
//!
//! It follows OVS's `flow_extract` (which headers it reads and when it gives up) and the
//! way `flow_format` prints an exact-match flow: Ethernet (with LLC/SNAP), up to two VLAN
//! tags, MPLS, ARP/RARP, IPv4, IPv6 with its extension headers, TCP, UDP, SCTP, ICMP, IGMP
//! and ICMPv6 with neighbour discovery. Other protocols (NSH, for one) are shown only by
//! their Ethernet type.

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::types::MacAddr;

const ETH_TYPE_IP: u16 = 0x0800;
const ETH_TYPE_ARP: u16 = 0x0806;
const ETH_TYPE_RARP: u16 = 0x8035;
const ETH_TYPE_IPV6: u16 = 0x86dd;
const ETH_TYPE_MPLS: u16 = 0x8847;
const ETH_TYPE_MPLS_MCAST: u16 = 0x8848;
/// What OVS records for an 802.3 frame that carries no Ethernet type.
const DL_TYPE_NONE: u16 = 0x05ff;

const IPPROTO_ICMP: u8 = 1;
const IPPROTO_IGMP: u8 = 2;
const IPPROTO_TCP: u8 = 6;
const IPPROTO_UDP: u8 = 17;
const IPPROTO_ROUTING: u8 = 43;
const IPPROTO_FRAGMENT: u8 = 44;
const IPPROTO_AH: u8 = 51;
const IPPROTO_ICMPV6: u8 = 58;
const IPPROTO_DSTOPTS: u8 = 60;
const IPPROTO_HOPOPTS: u8 = 0;
const IPPROTO_SCTP: u8 = 132;

const FRAG_ANY: u8 = 1;
const FRAG_LATER: u8 = 2;

/// The header fields OVS extracts from a packet (a subset of its `struct flow`).
#[derive(Clone, Debug, Default)]
struct Flow<'a> {
    dl_dst: MacAddr,
    dl_src: MacAddr,
    dl_type: u16,
    vlans: [u16; 2],
    mpls: [u32; 3],
    nw_src: u32,
    nw_dst: u32,
    ipv6_src: [u8; 16],
    ipv6_dst: [u8; 16],
    ipv6_label: u32,
    nw_frag: u8,
    nw_tos: u8,
    nw_ttl: u8,
    nw_proto: u8,
    arp_sha: MacAddr,
    arp_tha: MacAddr,
    nd_target: [u8; 16],
    tp_src: u16,
    tp_dst: u16,
    tcp_flags: u16,
    /// The transport header and payload, without link-layer padding, when the network header
    /// was whole.
    l4: Option<&'a [u8]>,
}

fn be16(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(s) => u16::from_be_bytes([s[0], s[1]]),
        None => 0,
    }
}

fn be32(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

fn mac_at(b: &[u8], at: usize) -> MacAddr {
    let mut m = [0u8; 6];
    if let Some(s) = b.get(at..at + 6) {
        m.copy_from_slice(s);
    }
    MacAddr(m)
}

fn addr16(b: &[u8], at: usize) -> [u8; 16] {
    let mut a = [0u8; 16];
    if let Some(s) = b.get(at..at + 16) {
        a.copy_from_slice(s);
    }
    a
}

/// Reads the headers of an Ethernet frame the way OVS's `miniflow_extract` does.
fn extract(data: &[u8]) -> Flow<'_> {
    let mut fl = Flow::default();
    if data.len() < 14 {
        return fl;
    }
    fl.dl_dst = mac_at(data, 0);
    fl.dl_src = mac_at(data, 6);
    let mut d = &data[12..];

    let mut n = 0;
    while n < 2 && matches!(be16(d, 0), 0x8100 | 0x88a8) {
        if d.len() < 6 {
            break;
        }
        fl.vlans[n] = be16(d, 2) | 0x1000;
        d = &d[4..];
        n += 1;
    }

    // The Ethernet type, or an 802.2 LLC/SNAP header carrying one.
    let proto = be16(d, 0);
    d = d.get(2..).unwrap_or(&[]);
    fl.dl_type = if proto >= 0x600 {
        proto
    } else if d.len() >= 8 && d[..6] == [0xaa, 0xaa, 0x03, 0, 0, 0] {
        let t = be16(d, 6);
        d = &d[8..];
        if t >= 0x600 { t } else { DL_TYPE_NONE }
    } else {
        DL_TYPE_NONE
    };

    if matches!(fl.dl_type, ETH_TYPE_MPLS | ETH_TYPE_MPLS_MCAST) {
        let mut count = 0;
        while d.len() >= 4 {
            let lse = be32(d, 0);
            d = &d[4..];
            if count < 3 {
                fl.mpls[count] = lse;
            }
            count += 1;
            if lse & 0x100 != 0 {
                break;
            }
        }
        return fl;
    }

    match fl.dl_type {
        ETH_TYPE_IP => extract_ipv4(&mut fl, d),
        ETH_TYPE_IPV6 => extract_ipv6(&mut fl, d),
        ETH_TYPE_ARP | ETH_TYPE_RARP => extract_arp(&mut fl, d),
        _ => {}
    }
    fl
}

fn extract_ipv4<'a>(fl: &mut Flow<'a>, d: &'a [u8]) {
    if d.len() < 20 {
        return;
    }
    let ip_len = usize::from(d[0] & 0x0f) * 4;
    let tot_len = usize::from(be16(d, 2));
    if ip_len < 20 || d.len() < ip_len || tot_len > d.len() || ip_len > tot_len {
        return;
    }
    fl.nw_src = be32(d, 12);
    fl.nw_dst = be32(d, 16);
    fl.nw_tos = d[1];
    fl.nw_ttl = d[8];
    fl.nw_proto = d[9];
    let frag_off = be16(d, 6);
    if frag_off & 0x3fff != 0 {
        fl.nw_frag = FRAG_ANY;
        if frag_off & 0x1fff != 0 {
            fl.nw_frag |= FRAG_LATER;
        }
    }
    extract_l4(fl, &d[ip_len..tot_len]);
}

fn extract_ipv6<'a>(fl: &mut Flow<'a>, d: &'a [u8]) {
    if d.len() < 40 {
        return;
    }
    let plen = usize::from(be16(d, 4));
    if plen + 40 > d.len() {
        return;
    }
    fl.ipv6_src = addr16(d, 8);
    fl.ipv6_dst = addr16(d, 24);
    let tc_flow = be32(d, 0);
    let mut proto = d[6];
    let ttl = d[7];
    let mut frag = 0u8;
    let mut p = &d[40..40 + plen];
    // Extension headers, as OVS's parse_ipv6_ext_hdrs__: give up on any that is cut short.
    loop {
        if !matches!(
            proto,
            IPPROTO_HOPOPTS | IPPROTO_ROUTING | IPPROTO_DSTOPTS | IPPROTO_AH | IPPROTO_FRAGMENT
        ) {
            break;
        }
        if p.len() < 8 {
            return;
        }
        let next = p[0];
        let len = match proto {
            IPPROTO_AH => (usize::from(p[1]) + 2) * 4,
            IPPROTO_FRAGMENT => 8,
            _ => (usize::from(p[1]) + 1) * 8,
        };
        if proto == IPPROTO_FRAGMENT {
            let offlg = be16(p, 2);
            p = &p[8..];
            proto = next;
            if offlg != 0 {
                frag = FRAG_ANY;
                if offlg & 0xfff8 != 0 {
                    frag |= FRAG_LATER;
                    proto = IPPROTO_FRAGMENT;
                    break;
                }
            }
            continue;
        }
        match p.get(len..) {
            Some(rest) => p = rest,
            None => return,
        }
        proto = next;
    }
    fl.ipv6_label = tc_flow & 0x000f_ffff;
    fl.nw_tos = (tc_flow >> 20) as u8;
    fl.nw_ttl = ttl;
    fl.nw_proto = proto;
    fl.nw_frag = frag;
    extract_l4(fl, p);
}

fn extract_arp(fl: &mut Flow<'_>, d: &[u8]) {
    if d.len() < 28 || be16(d, 0) != 1 || be16(d, 2) != ETH_TYPE_IP || d[4] != 6 || d[5] != 4 {
        return;
    }
    fl.nw_src = be32(d, 14);
    fl.nw_dst = be32(d, 24);
    let op = be16(d, 6);
    // OVS matches only the low 8 bits of the opcode, and drops larger ones.
    if op <= 0xff {
        fl.nw_proto = op as u8;
    }
    fl.arp_sha = mac_at(d, 8);
    fl.arp_tha = mac_at(d, 18);
}

fn extract_l4<'a>(fl: &mut Flow<'a>, d: &'a [u8]) {
    fl.l4 = Some(d);
    if fl.nw_frag & FRAG_LATER != 0 {
        return;
    }
    match fl.nw_proto {
        IPPROTO_TCP => {
            let hdr_len = usize::from(d.get(12).copied().unwrap_or(0) >> 4) * 4;
            if d.len() >= 20 && hdr_len >= 20 && d.len() >= hdr_len {
                fl.tcp_flags = be16(d, 12) & 0x0fff;
                fl.tp_src = be16(d, 0);
                fl.tp_dst = be16(d, 2);
            }
        }
        IPPROTO_UDP | IPPROTO_SCTP => {
            let min = if fl.nw_proto == IPPROTO_UDP { 8 } else { 12 };
            if d.len() >= min {
                fl.tp_src = be16(d, 0);
                fl.tp_dst = be16(d, 2);
            }
        }
        // OVS reads ICMP and IGMP type and code whatever the IP version.
        IPPROTO_ICMP | IPPROTO_IGMP | IPPROTO_ICMPV6 if d.len() >= 8 => {
            fl.tp_src = u16::from(d[0]);
            fl.tp_dst = u16::from(d[1]);
            if fl.nw_proto == IPPROTO_ICMPV6 && fl.tp_dst == 0 && matches!(fl.tp_src, 135 | 136) {
                extract_nd(fl, &d[8..]);
            }
        }
        _ => {}
    }
}

/// Neighbour discovery: the target address and the link-layer address options.
fn extract_nd(fl: &mut Flow<'_>, d: &[u8]) {
    if d.len() < 16 {
        return;
    }
    let target = addr16(d, 0);
    let mut opts = &d[16..];
    let (mut sll, mut tll) = (MacAddr::ZERO, MacAddr::ZERO);
    while opts.len() >= 8 {
        let opt_len = usize::from(opts[1]) * 8;
        if opt_len == 0 || opt_len > opts.len() {
            break;
        }
        let m = mac_at(opts, 2);
        match (opts[0], opt_len) {
            (1, 8) if sll == MacAddr::ZERO => sll = m,
            (2, 8) if tll == MacAddr::ZERO => tll = m,
            // A second address of the same kind makes OVS forget all of them.
            (1, 8) | (2, 8) => return,
            _ => {}
        }
        opts = &opts[opt_len..];
    }
    fl.nd_target = target;
    fl.arp_sha = sll;
    fl.arp_tha = tll;
}

/// An IPv6 address as glibc's `inet_ntop` writes it (which is what OVS prints): like
/// Rust's, except that an IPv4-compatible address `::a.b.c.d` keeps its dotted quad.
struct Ipv6Text([u8; 16]);

impl fmt::Display for Ipv6Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = Ipv6Addr::from(self.0);
        let s = a.segments();
        if s[..6] == [0; 6] && s[6] != 0 {
            let [.., w, x, y, z] = self.0;
            return write!(f, "::{w}.{x}.{y}.{z}");
        }
        write!(f, "{a}")
    }
}

/// The summary line OVS prints for a packet's data (`ofp_packet_to_string`), without its
/// final newline.
pub struct PacketSummary<'a>(pub &'a [u8]);

impl fmt::Display for PacketSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fl = extract(self.0);
        let mut items: Vec<String> = Vec::new();
        let is_ip = fl.dl_type == ETH_TYPE_IP;
        let is_ipv6 = fl.dl_type == ETH_TYPE_IPV6;
        let is_arp = matches!(fl.dl_type, ETH_TYPE_ARP | ETH_TYPE_RARP);
        let is_mpls = matches!(fl.dl_type, ETH_TYPE_MPLS | ETH_TYPE_MPLS_MCAST);

        let mut skip_proto = false;
        let shorthand = match (fl.dl_type, fl.nw_proto) {
            (ETH_TYPE_IP, IPPROTO_ICMP) => Some("icmp"),
            (ETH_TYPE_IP, IPPROTO_TCP) => Some("tcp"),
            (ETH_TYPE_IP, IPPROTO_UDP) => Some("udp"),
            (ETH_TYPE_IP, IPPROTO_SCTP) => Some("sctp"),
            (ETH_TYPE_IP, _) => Some("ip"),
            (ETH_TYPE_IPV6, IPPROTO_ICMPV6) => Some("icmp6"),
            (ETH_TYPE_IPV6, IPPROTO_TCP) => Some("tcp6"),
            (ETH_TYPE_IPV6, IPPROTO_UDP) => Some("udp6"),
            (ETH_TYPE_IPV6, IPPROTO_SCTP) => Some("sctp6"),
            (ETH_TYPE_IPV6, _) => Some("ipv6"),
            (ETH_TYPE_ARP, _) => Some("arp"),
            (ETH_TYPE_RARP, _) => Some("rarp"),
            (ETH_TYPE_MPLS, _) => Some("mpls"),
            (ETH_TYPE_MPLS_MCAST, _) => Some("mplsm"),
            _ => None,
        };
        if let Some(s) = shorthand {
            skip_proto = (is_ip || is_ipv6) && !matches!(s, "ip" | "ipv6");
            items.push(s.to_string());
        }

        // The first tag is always shown, even when absent; the second only behind a first.
        for (i, &tci) in fl.vlans.iter().enumerate() {
            let sfx = if i == 0 { String::new() } else { i.to_string() };
            if tci & 0x1000 != 0 {
                items.push(format!("dl_vlan{sfx}={}", tci & 0x0fff));
                items.push(format!("dl_vlan_pcp{sfx}={}", tci >> 13));
            } else {
                items.push(format!("vlan_tci{sfx}=0x{tci:04x}"));
            }
            if tci == 0 {
                break;
            }
        }
        items.push(format!("dl_src={}", fl.dl_src));
        items.push(format!("dl_dst={}", fl.dl_dst));
        if shorthand.is_none() {
            items.push(format!("dl_type=0x{:04x}", fl.dl_type));
        }

        if is_ipv6 {
            items.push(format!("ipv6_src={}", Ipv6Text(fl.ipv6_src)));
            items.push(format!("ipv6_dst={}", Ipv6Text(fl.ipv6_dst)));
            items.push(format!("ipv6_label=0x{:05x}", fl.ipv6_label));
        } else if is_arp {
            items.push(format!("arp_spa={}", Ipv4Addr::from(fl.nw_src)));
            items.push(format!("arp_tpa={}", Ipv4Addr::from(fl.nw_dst)));
        } else if is_ip {
            items.push(format!("nw_src={}", Ipv4Addr::from(fl.nw_src)));
            items.push(format!("nw_dst={}", Ipv4Addr::from(fl.nw_dst)));
        }
        if !skip_proto && (is_ip || is_ipv6 || is_arp) {
            let key = if is_arp { "arp_op" } else { "nw_proto" };
            items.push(format!("{key}={}", fl.nw_proto));
        }
        if is_arp {
            items.push(format!("arp_sha={}", fl.arp_sha));
            items.push(format!("arp_tha={}", fl.arp_tha));
        }
        if is_ip || is_ipv6 {
            items.push(format!("nw_tos={}", fl.nw_tos & 0xfc));
            items.push(format!("nw_ecn={}", fl.nw_tos & 0x03));
            items.push(format!("nw_ttl={}", fl.nw_ttl));
        }
        if is_mpls {
            let lse = fl.mpls[0];
            items.push(format!("mpls_label={}", (lse >> 12) & 0xf_ffff));
            items.push(format!("mpls_tc={}", (lse >> 9) & 7));
            items.push(format!("mpls_ttl={}", lse & 0xff));
            items.push(format!("mpls_bos={}", (lse >> 8) & 1));
            // OVS shows the following entries up to the bottom of the stack.
            for (i, &lse) in fl.mpls.iter().enumerate().skip(1) {
                if fl.mpls[i - 1] & 0x100 != 0 {
                    break;
                }
                items.push(format!("mpls_lse{i}={lse}"));
            }
        }
        if is_ip || is_ipv6 {
            let frag = match fl.nw_frag {
                0 => "no",
                FRAG_ANY => "first",
                _ => "later",
            };
            items.push(format!("nw_frag={frag}"));
        }

        let has_l4 = (is_ip || is_ipv6)
            && fl.nw_frag & FRAG_LATER == 0
            && matches!(
                fl.nw_proto,
                IPPROTO_ICMP
                    | IPPROTO_ICMPV6
                    | IPPROTO_TCP
                    | IPPROTO_UDP
                    | IPPROTO_SCTP
                    | IPPROTO_IGMP
            );
        if is_ip && fl.nw_proto == IPPROTO_ICMP {
            if has_l4 {
                items.push(format!("icmp_type={}", fl.tp_src));
                items.push(format!("icmp_code={}", fl.tp_dst));
            }
        } else if is_ipv6 && fl.nw_proto == IPPROTO_ICMPV6 {
            if has_l4 {
                items.push(format!("icmp_type={}", fl.tp_src));
                items.push(format!("icmp_code={}", fl.tp_dst));
            }
            if fl.tp_dst == 0 && matches!(fl.tp_src, 135 | 136) {
                items.push(format!("nd_target={}", Ipv6Text(fl.nd_target)));
                items.push(format!("nd_sll={}", fl.arp_sha));
                items.push(format!("nd_tll={}", fl.arp_tha));
            }
        } else if has_l4 {
            items.push(format!("tp_src={}", fl.tp_src));
            items.push(format!("tp_dst={}", fl.tp_dst));
        }
        if has_l4 && fl.nw_proto == IPPROTO_TCP {
            items.push(format!("tcp_flags={}", TcpFlags(fl.tcp_flags)));
        }
        f.write_str(&items.join(","))?;

        let l4 = fl.l4.unwrap_or(&[]);
        match fl.nw_proto {
            IPPROTO_TCP if l4.len() >= 20 => write!(f, " tcp_csum:{:x}", be16(l4, 16)),
            IPPROTO_UDP if l4.len() >= 8 => write!(f, " udp_csum:{:x}", be16(l4, 6)),
            IPPROTO_SCTP if l4.len() >= 12 => write!(f, " sctp_csum:{:x}", be32(l4, 8)),
            IPPROTO_ICMP if l4.len() >= 8 => write!(f, " icmp_csum:{:x}", be16(l4, 2)),
            IPPROTO_ICMPV6 if l4.len() >= 4 => write!(f, " icmp6_csum:{:x}", be16(l4, 2)),
            _ => Ok(()),
        }
    }
}

/// TCP flags the way OVS's `format_flags` writes them: names from the lowest bit, joined
/// by `|`, `0` for none.
struct TcpFlags(u16);

impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 12] = [
            "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns", "[200]", "[400]", "[800]",
        ];
        if self.0 == 0 {
            return f.write_str("0");
        }
        let mut first = true;
        for (bit, name) in NAMES.iter().enumerate() {
            if self.0 & (1 << bit) != 0 {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
