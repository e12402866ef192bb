//! A match in the text `ovs-ofctl` prints (`match_format` in OVS's `lib/match.c`): the
//! priority, a protocol shorthand standing for the Ethernet type and IP protocol, then the
//! fields in OVS's order under OVS's names, with masks as OVS writes them.

use crate::text::c_hex;
use core::fmt::{self, Write};

use super::field::REG_NAMES;
use super::model::*;
use super::text::{fmt_eth_masked, fmt_ip_masked, fmt_ipv6_masked, fmt_raw_oxm};

impl Flow {
    /// Formats the match as `match_format` does: priority, protocol shorthand, then fields
    /// in OVS's order. Fields OVS would not print for lack of context are printed after
    /// their usual place rather than hidden.
    pub fn format(&self, f: &mut fmt::Formatter<'_>, priority: Option<u16>) -> fmt::Result {
        let mut s = String::new();
        self.format_into(&mut s, priority)?;
        f.write_str(s.strip_suffix(',').unwrap_or(&s))
    }

    fn format_into(&self, s: &mut String, priority: Option<u16>) -> fmt::Result {
        if let Some(p) = priority.filter(|&p| p != 0x8000) {
            write!(s, "priority={p},")?;
        }
        let (mut skip_type, mut skip_proto) = (false, false);
        if let Some(t) = self.dl_type {
            skip_type = true;
            let shorthand = match t {
                ETH_TYPE_IP | ETH_TYPE_IPV6 => {
                    let v6 = t == ETH_TYPE_IPV6;
                    skip_proto = true;
                    match self.nw_proto.and_then(|p| u8::try_from(p).ok()) {
                        Some(IPPROTO_ICMP) if !v6 => "icmp",
                        Some(IPPROTO_ICMPV6) if v6 => "icmp6",
                        Some(IPPROTO_TCP) => {
                            if v6 {
                                "tcp6"
                            } else {
                                "tcp"
                            }
                        }
                        Some(IPPROTO_UDP) => {
                            if v6 {
                                "udp6"
                            } else {
                                "udp"
                            }
                        }
                        Some(IPPROTO_SCTP) => {
                            if v6 {
                                "sctp6"
                            } else {
                                "sctp"
                            }
                        }
                        _ => {
                            skip_proto = false;
                            if v6 { "ipv6" } else { "ip" }
                        }
                    }
                }
                ETH_TYPE_ARP => "arp",
                ETH_TYPE_RARP => "rarp",
                ETH_TYPE_MPLS => "mpls",
                ETH_TYPE_MPLS_MCAST => "mplsm",
                _ => {
                    skip_type = false;
                    ""
                }
            };
            if skip_type {
                write!(s, "{shorthand},")?;
            }
        }
        for (n, r) in self.regs.iter().enumerate() {
            if on(r) {
                hex_item(s, REG_NAMES[n], r.0.into(), r.1.into(), u32::MAX.into())?;
            }
        }
        if on(&self.tun_id) {
            hex64(s, "tun_id", self.tun_id)?;
        }
        ip_item(s, "tun_src", self.tun_src)?;
        ip_item(s, "tun_dst", self.tun_dst)?;
        if on(&self.metadata) {
            hex64(s, "metadata", self.metadata)?;
        }
        if let Some(p) = self.in_port {
            write!(s, "in_port={p}")?;
            s.push(',');
        }
        if let Some(p) = self.in_phy_port {
            write!(s, "in_phy_port={p}")?;
            s.push(',');
        }
        self.format_vlan(s)?;
        eth_item(s, "dl_src", self.dl_src)?;
        eth_item(s, "dl_dst", self.dl_dst)?;
        if let (Some(t), false) = (self.dl_type, skip_type) {
            write!(s, "dl_type=0x{t:04x},")?;
        }
        let ipv6_fields = |s: &mut String| -> fmt::Result {
            ipv6_item(s, "ipv6_src", self.ipv6_src)?;
            ipv6_item(s, "ipv6_dst", self.ipv6_dst)?;
            if on(&self.ipv6_label) {
                write!(s, "ipv6_label=0x{:05x}", self.ipv6_label.0)?;
                if self.ipv6_label.1 != u32::MAX {
                    write!(s, "/0x{:05x}", self.ipv6_label.1)?;
                }
                s.push(',');
            }
            if on(&self.ipv6_exthdr) {
                hex_item(
                    s,
                    "ipv6_exthdr",
                    self.ipv6_exthdr.0.into(),
                    self.ipv6_exthdr.1.into(),
                    0xffff,
                )
            } else {
                Ok(())
            }
        };
        if self.is_ipv6() {
            ipv6_fields(s)?;
        } else if self.is_arp() {
            ip_item(s, "arp_spa", self.nw_src)?;
            ip_item(s, "arp_tpa", self.nw_dst)?;
            ipv6_fields(s)?;
        } else {
            ip_item(s, "nw_src", self.nw_src)?;
            ip_item(s, "nw_dst", self.nw_dst)?;
            ipv6_fields(s)?;
        }
        if let (Some(p), false) = (self.nw_proto, skip_proto) {
            let name = if self.is_arp() { "arp_op" } else { "nw_proto" };
            write!(s, "{name}={p},")?;
        }
        if self.is_arp() {
            eth_item(s, "arp_sha", self.arp_sha)?;
            eth_item(s, "arp_tha", self.arp_tha)?;
        }
        if let Some(tos) = self.nw_tos {
            write!(s, "nw_tos={tos},")?;
        }
        if let Some(ecn) = self.nw_ecn {
            write!(s, "nw_ecn={ecn},")?;
        }
        if let Some(l) = self.mpls_label {
            write!(s, "mpls_label={l},")?;
        }
        if let Some(tc) = self.mpls_tc {
            write!(s, "mpls_tc={tc},")?;
        }
        if let Some(bos) = self.mpls_bos {
            write!(s, "mpls_bos={bos},")?;
        }
        if on(&self.pbb_isid) {
            hex_item(
                s,
                "pbb_isid",
                self.pbb_isid.0.into(),
                self.pbb_isid.1.into(),
                0xff_ffff,
            )?;
        }
        let icmpv6 = self.is_icmpv6();
        if self.is_icmpv4() || icmpv6 {
            be16_item(s, "icmp_type", self.tp_src)?;
            be16_item(s, "icmp_code", self.tp_dst)?;
        } else {
            be16_item(s, "tp_src", self.tp_src)?;
            be16_item(s, "tp_dst", self.tp_dst)?;
        }
        if icmpv6 {
            ipv6_item(s, "nd_target", self.nd_target)?;
            eth_item(s, "nd_sll", self.arp_sha)?;
            eth_item(s, "nd_tll", self.arp_tha)?;
        } else {
            ipv6_item(s, "nd_target", self.nd_target)?;
            if !self.is_arp() {
                eth_item(s, "arp_sha", self.arp_sha)?;
                eth_item(s, "arp_tha", self.arp_tha)?;
            }
        }
        for raw in &self.unknown {
            s.push_str("unknown_oxm=");
            fmt_raw_oxm(s, raw)?;
            s.push(',');
        }
        Ok(())
    }

    fn format_vlan(&self, s: &mut String) -> fmt::Result {
        let (v, m) = self.tci;
        if m == 0 {
            return Ok(());
        }
        let vid_mask = m & VLAN_VID_MASK;
        let pcp_mask = m & VLAN_PCP_MASK;
        if m & VLAN_CFI != 0
            && v & VLAN_CFI != 0
            && (vid_mask == 0 || vid_mask == VLAN_VID_MASK)
            && (pcp_mask == 0 || pcp_mask == VLAN_PCP_MASK)
            && (vid_mask | pcp_mask) != 0
        {
            if vid_mask != 0 {
                write!(s, "dl_vlan={},", v & VLAN_VID_MASK)?;
            }
            if pcp_mask != 0 {
                write!(s, "dl_vlan_pcp={},", v >> 13)?;
            }
        } else if m == u16::MAX {
            write!(s, "vlan_tci=0x{v:04x},")?;
        } else {
            write!(s, "vlan_tci=0x{v:04x}/0x{m:04x},")?;
        }
        Ok(())
    }
}

/// `name=0x..[/0x..],` as `format_be64_masked` writes it.
fn hex64(s: &mut String, name: &str, (v, m): M<u64>) -> fmt::Result {
    hex_item(s, name, v, m, u64::MAX)
}

fn hex_item(s: &mut String, name: &str, v: u64, m: u64, all: u64) -> fmt::Result {
    write!(s, "{name}=")?;
    write!(s, "{}", c_hex(v))?;
    if m != all {
        s.push('/');
        write!(s, "{}", c_hex(m))?;
    }
    s.push(',');
    Ok(())
}

/// `name=N,` or `name=0x..&/0x..,` as `format_be16_masked` writes it.
fn be16_item(s: &mut String, name: &str, (v, m): M<u16>) -> fmt::Result {
    match m {
        0 => Ok(()),
        u16::MAX => write!(s, "{name}={v},"),
        _ => write!(s, "{name}=0x{v:x}/0x{m:x},"),
    }
}

fn ip_item(s: &mut String, name: &str, (v, m): M<u32>) -> fmt::Result {
    if m == 0 {
        return Ok(());
    }
    write!(s, "{name}=")?;
    fmt_ip_masked(s, v.into(), m.into())?;
    s.push(',');
    Ok(())
}

fn ipv6_item(s: &mut String, name: &str, (v, m): M<u128>) -> fmt::Result {
    if m == 0 {
        return Ok(());
    }
    write!(s, "{name}=")?;
    fmt_ipv6_masked(s, v.into(), Some(m.into()))?;
    s.push(',');
    Ok(())
}

fn eth_item(s: &mut String, name: &str, (v, m): M<u64>) -> fmt::Result {
    if m == 0 {
        return Ok(());
    }
    write!(s, "{name}=")?;
    fmt_eth_masked(s, u64_mac(v), Some(u64_mac(m)))?;
    s.push(',');
    Ok(())
}
