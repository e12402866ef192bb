//! The match as Open vSwitch holds it: one value and mask per packet header field, where
//! several OXM fields share one slot (TCP, UDP and SCTP ports and ICMP type/code share the
//! transport ports; IPv4 and ARP addresses share the network addresses; VLAN id and priority
//! are one TCI).
//!
//! Reading fields into this model with the semantics of OVS's `mf_set`, then writing it out
//! in the order of `nx_put_raw` or formatting it like `match_format`, gives the same bytes
//! and the same text as `ovs-ofctl` for the same flow.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{OxmField, RawOxm};
use crate::types::{MacAddr, PortNo};

pub(crate) const ETH_TYPE_IP: u16 = 0x0800;
pub(crate) const ETH_TYPE_ARP: u16 = 0x0806;
pub(crate) const ETH_TYPE_RARP: u16 = 0x8035;
pub(crate) const ETH_TYPE_IPV6: u16 = 0x86dd;
pub(crate) const ETH_TYPE_MPLS: u16 = 0x8847;
pub(crate) const ETH_TYPE_MPLS_MCAST: u16 = 0x8848;
pub(crate) const ETH_TYPE_PBB: u16 = 0x88e7;
pub(crate) const IPPROTO_ICMP: u8 = 1;
pub(crate) const IPPROTO_TCP: u8 = 6;
pub(crate) const IPPROTO_UDP: u8 = 17;
pub(crate) const IPPROTO_ICMPV6: u8 = 58;
pub(crate) const IPPROTO_SCTP: u8 = 132;
pub(crate) const ND_SOLICIT: u16 = 135;
pub(crate) const ND_ADVERT: u16 = 136;

pub(crate) const VLAN_CFI: u16 = 0x1000;
pub(crate) const VLAN_VID_MASK: u16 = 0x0fff;
pub(crate) const VLAN_PCP_MASK: u16 = 0xe000;

/// A value and its mask; a zero mask means the field is not matched.
pub(crate) type M<T> = (T, T);

pub(crate) fn mac_u64(m: MacAddr) -> u64 {
    let b = m.0;
    u64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]])
}

pub(crate) fn u64_mac(v: u64) -> MacAddr {
    let b = v.to_be_bytes();
    MacAddr([b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// A flow match in Open vSwitch's terms.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flow {
    pub in_port: Option<PortNo>,
    pub in_phy_port: Option<PortNo>,
    pub metadata: M<u64>,
    pub regs: [M<u32>; 16],
    pub tun_id: M<u64>,
    pub tun_src: M<u32>,
    pub tun_dst: M<u32>,
    pub dl_src: M<u64>,
    pub dl_dst: M<u64>,
    pub dl_type: Option<u16>,
    pub tci: M<u16>,
    pub nw_src: M<u32>,
    pub nw_dst: M<u32>,
    pub ipv6_src: M<u128>,
    pub ipv6_dst: M<u128>,
    pub ipv6_label: M<u32>,
    pub ipv6_exthdr: M<u16>,
    /// The IP protocol, or for ARP the opcode (OVS keeps both in one byte; we keep 16 bits).
    pub nw_proto: Option<u16>,
    /// DSCP in the position it has in the ToS byte (`nw_tos`).
    pub nw_tos: Option<u8>,
    pub nw_ecn: Option<u8>,
    pub mpls_label: Option<u32>,
    pub mpls_tc: Option<u8>,
    pub mpls_bos: Option<u8>,
    pub pbb_isid: M<u32>,
    pub tp_src: M<u16>,
    pub tp_dst: M<u16>,
    pub arp_sha: M<u64>,
    pub arp_tha: M<u64>,
    pub nd_target: M<u128>,
    pub unknown: Vec<RawOxm>,
}

fn set<T: Copy + core::ops::BitAnd<Output = T>>(slot: &mut M<T>, v: T, m: T) {
    *slot = (v & m, m);
}

fn full<T: Copy>(m: Option<T>, all: T) -> T {
    m.unwrap_or(all)
}

pub(crate) fn on<T: Default + PartialEq>(slot: &M<T>) -> bool {
    slot.1 != T::default()
}

fn opt_mask<T: PartialEq>(m: T, all: T) -> Option<T> {
    (m != all).then_some(m)
}

impl Flow {
    /// Reads fields in order, a later field overriding an earlier one in the same slot.
    pub fn from_fields(fields: &[OxmField]) -> Flow {
        let mut f = Flow::default();
        for field in fields {
            f.apply(field);
        }
        f
    }

    /// Sets one field, as OVS's `mf_set` does.
    pub fn apply(&mut self, field: &OxmField) {
        use OxmField as F;
        match *field {
            F::InPort(p) => self.in_port = Some(p),
            F::InPhyPort(p) => self.in_phy_port = Some(p),
            F::Metadata(v, m) => set(&mut self.metadata, v, full(m, u64::MAX)),
            F::EthDst(v, m) => set(
                &mut self.dl_dst,
                mac_u64(v),
                mac_u64(full(m, MacAddr::BROADCAST)),
            ),
            F::EthSrc(v, m) => set(
                &mut self.dl_src,
                mac_u64(v),
                mac_u64(full(m, MacAddr::BROADCAST)),
            ),
            F::EthType(t) => self.dl_type = Some(t),
            F::VlanVid(v, m) => {
                let m = full(m, u16::MAX) & (VLAN_VID_MASK | VLAN_CFI);
                self.tci.0 = (self.tci.0 & !(VLAN_VID_MASK | VLAN_CFI)) | (v & m);
                self.tci.1 = m | (self.tci.1 & VLAN_PCP_MASK);
            }
            F::VlanPcp(p) => {
                self.tci.0 = (self.tci.0 & !VLAN_PCP_MASK) | (u16::from(p & 7) << 13) | VLAN_CFI;
                self.tci.1 |= VLAN_CFI | VLAN_PCP_MASK;
            }
            F::IpDscp(d) => self.nw_tos = Some((d << 2) & 0xfc),
            F::IpEcn(e) => self.nw_ecn = Some(e & 3),
            F::IpProto(p) => self.nw_proto = Some(p.into()),
            F::ArpOp(op) => self.nw_proto = Some(op),
            F::Ipv4Src(v, m) | F::ArpSpa(v, m) => set(
                &mut self.nw_src,
                v.into(),
                full(m, Ipv4Addr::BROADCAST).into(),
            ),
            F::Ipv4Dst(v, m) | F::ArpTpa(v, m) => set(
                &mut self.nw_dst,
                v.into(),
                full(m, Ipv4Addr::BROADCAST).into(),
            ),
            F::TcpSrc(v, m) | F::UdpSrc(v, m) | F::SctpSrc(v, m) => {
                set(&mut self.tp_src, v, full(m, u16::MAX))
            }
            F::TcpDst(v, m) | F::UdpDst(v, m) | F::SctpDst(v, m) => {
                set(&mut self.tp_dst, v, full(m, u16::MAX))
            }
            F::Icmpv4Type(t) | F::Icmpv6Type(t) => self.tp_src = (t.into(), u16::MAX),
            F::Icmpv4Code(c) | F::Icmpv6Code(c) => self.tp_dst = (c.into(), u16::MAX),
            F::ArpSha(v, m) | F::Ipv6NdSll(v, m) => set(
                &mut self.arp_sha,
                mac_u64(v),
                mac_u64(full(m, MacAddr::BROADCAST)),
            ),
            F::ArpTha(v, m) | F::Ipv6NdTll(v, m) => set(
                &mut self.arp_tha,
                mac_u64(v),
                mac_u64(full(m, MacAddr::BROADCAST)),
            ),
            F::Ipv6Src(v, m) => set(
                &mut self.ipv6_src,
                v.into(),
                full(m, Ipv6Addr::from(u128::MAX)).into(),
            ),
            F::Ipv6Dst(v, m) => set(
                &mut self.ipv6_dst,
                v.into(),
                full(m, Ipv6Addr::from(u128::MAX)).into(),
            ),
            F::Ipv6NdTarget(v, m) => set(
                &mut self.nd_target,
                v.into(),
                full(m, Ipv6Addr::from(u128::MAX)).into(),
            ),
            // A mask covering the label's 20 bits makes an exact match (OVS's `mf_set`).
            F::Ipv6Flabel(v, m) => match m {
                Some(m) if m & 0xf_ffff != 0xf_ffff => set(&mut self.ipv6_label, v, m),
                _ => self.ipv6_label = (v, u32::MAX),
            },
            F::MplsLabel(l) => self.mpls_label = Some(l & 0xf_ffff),
            F::MplsTc(t) => self.mpls_tc = Some(t & 7),
            F::MplsBos(b) => self.mpls_bos = Some(b & 1),
            F::PbbIsid(v, m) => set(&mut self.pbb_isid, v, full(m, 0xff_ffff)),
            F::TunnelId(v, m) => set(&mut self.tun_id, v, full(m, u64::MAX)),
            F::Ipv6Exthdr(v, m) => set(&mut self.ipv6_exthdr, v, full(m, u16::MAX)),
            F::TunIpv4Src(v, m) => set(
                &mut self.tun_src,
                v.into(),
                full(m, Ipv4Addr::BROADCAST).into(),
            ),
            F::TunIpv4Dst(v, m) => set(
                &mut self.tun_dst,
                v.into(),
                full(m, Ipv4Addr::BROADCAST).into(),
            ),
            F::Reg(n, v, m) => match self.regs.get_mut(n as usize) {
                Some(slot) => set(slot, v, full(m, u32::MAX)),
                None => self.unknown.push(field.to_raw()),
            },
            F::Unknown(ref raw) => self.unknown.push(raw.clone()),
        }
    }

    pub(crate) fn is_ip(&self) -> bool {
        self.dl_type == Some(ETH_TYPE_IP)
    }

    pub(crate) fn is_ipv6(&self) -> bool {
        self.dl_type == Some(ETH_TYPE_IPV6)
    }

    pub(crate) fn is_arp(&self) -> bool {
        matches!(self.dl_type, Some(ETH_TYPE_ARP | ETH_TYPE_RARP))
    }

    fn proto_is(&self, p: u8) -> bool {
        self.nw_proto == Some(p.into())
    }

    pub(crate) fn is_icmpv4(&self) -> bool {
        self.is_ip() && self.proto_is(IPPROTO_ICMP)
    }

    pub(crate) fn is_icmpv6(&self) -> bool {
        self.is_ipv6() && self.proto_is(IPPROTO_ICMPV6)
    }

    /// Neighbour discovery: ICMPv6 type 135 or 136 with code 0 (OVS's `is_nd`).
    fn is_nd(&self) -> bool {
        self.is_icmpv6() && self.tp_dst.0 == 0 && matches!(self.tp_src.0, ND_SOLICIT | ND_ADVERT)
    }

    /// Writes the fields in the order Open vSwitch emits them (`nx_put_raw`). Fails with the
    /// `ovs-ofctl` name of a field whose prerequisites are not in the match, where OVS would
    /// silently drop it.
    pub fn to_fields(&self) -> Result<Vec<OxmField>, &'static str> {
        use OxmField as F;
        let mut out = Vec::new();
        if let Some(p) = self.in_port {
            out.push(F::InPort(p));
        }
        if let Some(p) = self.in_phy_port {
            if self.in_port.is_none() {
                return Err("in_phy_port");
            }
            out.push(F::InPhyPort(p));
        }
        if on(&self.dl_src) {
            out.push(F::EthSrc(
                u64_mac(self.dl_src.0),
                opt_mask(self.dl_src.1, 0xffff_ffff_ffff).map(u64_mac),
            ));
        }
        if on(&self.dl_dst) {
            out.push(F::EthDst(
                u64_mac(self.dl_dst.0),
                opt_mask(self.dl_dst.1, 0xffff_ffff_ffff).map(u64_mac),
            ));
        }
        if let Some(t) = self.dl_type {
            out.push(F::EthType(t));
        }
        let vid = self.tci.0 & (VLAN_VID_MASK | VLAN_CFI);
        let vid_mask = self.tci.1 & (VLAN_VID_MASK | VLAN_CFI);
        if vid_mask != 0 {
            out.push(F::VlanVid(
                vid,
                opt_mask(vid_mask, VLAN_VID_MASK | VLAN_CFI),
            ));
        }
        if vid != 0 && self.tci.1 & VLAN_PCP_MASK != 0 {
            out.push(F::VlanPcp((self.tci.0 >> 13) as u8));
        }

        let mpls = matches!(self.dl_type, Some(ETH_TYPE_MPLS | ETH_TYPE_MPLS_MCAST));
        for (set, name) in [
            (self.mpls_tc.map(F::MplsTc), "mpls_tc"),
            (self.mpls_bos.map(F::MplsBos), "mpls_bos"),
            (self.mpls_label.map(F::MplsLabel), "mpls_label"),
        ] {
            if let Some(field) = set {
                if !mpls {
                    return Err(name);
                }
                out.push(field);
            }
        }
        if on(&self.pbb_isid) {
            if self.dl_type != Some(ETH_TYPE_PBB) {
                return Err("pbb_isid");
            }
            out.push(F::PbbIsid(
                self.pbb_isid.0,
                opt_mask(self.pbb_isid.1, 0xff_ffff),
            ));
        }

        if self.is_ip() || self.is_ipv6() {
            self.put_ip(&mut out)?;
        } else if self.is_arp() {
            if let Some(op) = self.nw_proto {
                out.push(F::ArpOp(op));
            }
            if on(&self.nw_src) {
                out.push(F::ArpSpa(self.nw_src.0.into(), ipv4_mask(self.nw_src.1)));
            }
            if on(&self.nw_dst) {
                out.push(F::ArpTpa(self.nw_dst.0.into(), ipv4_mask(self.nw_dst.1)));
            }
            if on(&self.arp_sha) {
                out.push(F::ArpSha(u64_mac(self.arp_sha.0), mac_mask(self.arp_sha.1)));
            }
            if on(&self.arp_tha) {
                out.push(F::ArpTha(u64_mac(self.arp_tha.0), mac_mask(self.arp_tha.1)));
            }
            self.no_ip_fields(true)?;
        } else {
            self.no_ip_fields(false)?;
        }

        if on(&self.tun_id) {
            out.push(F::TunnelId(
                self.tun_id.0,
                opt_mask(self.tun_id.1, u64::MAX),
            ));
        }
        if on(&self.tun_src) {
            out.push(F::TunIpv4Src(
                self.tun_src.0.into(),
                ipv4_mask(self.tun_src.1),
            ));
        }
        if on(&self.tun_dst) {
            out.push(F::TunIpv4Dst(
                self.tun_dst.0.into(),
                ipv4_mask(self.tun_dst.1),
            ));
        }
        for (n, r) in self.regs.iter().enumerate() {
            if on(r) {
                out.push(F::Reg(n as u8, r.0, opt_mask(r.1, u32::MAX)));
            }
        }
        if on(&self.metadata) {
            out.push(F::Metadata(
                self.metadata.0,
                opt_mask(self.metadata.1, u64::MAX),
            ));
        }
        out.extend(self.unknown.iter().cloned().map(F::Unknown));
        Ok(out)
    }

    /// The IPv4/IPv6 part of `to_fields` (`nxm_put_ip`).
    fn put_ip(&self, out: &mut Vec<OxmField>) -> Result<(), &'static str> {
        use OxmField as F;
        if self.is_ip() {
            if on(&self.nw_src) {
                out.push(F::Ipv4Src(self.nw_src.0.into(), ipv4_mask(self.nw_src.1)));
            }
            if on(&self.nw_dst) {
                out.push(F::Ipv4Dst(self.nw_dst.0.into(), ipv4_mask(self.nw_dst.1)));
            }
            self.no_ipv6_fields()?;
        } else {
            if on(&self.ipv6_src) {
                out.push(F::Ipv6Src(
                    self.ipv6_src.0.into(),
                    ipv6_mask(self.ipv6_src.1),
                ));
            }
            if on(&self.ipv6_dst) {
                out.push(F::Ipv6Dst(
                    self.ipv6_dst.0.into(),
                    ipv6_mask(self.ipv6_dst.1),
                ));
            }
            if on(&self.nw_src) {
                return Err("nw_src");
            }
            if on(&self.nw_dst) {
                return Err("nw_dst");
            }
        }
        if let Some(tos) = self.nw_tos {
            out.push(F::IpDscp(tos >> 2));
        }
        if let Some(ecn) = self.nw_ecn {
            out.push(F::IpEcn(ecn));
        }
        if on(&self.ipv6_label) {
            out.push(F::Ipv6Flabel(
                self.ipv6_label.0,
                opt_mask(self.ipv6_label.1, u32::MAX),
            ));
        }
        if on(&self.ipv6_exthdr) {
            out.push(F::Ipv6Exthdr(
                self.ipv6_exthdr.0,
                opt_mask(self.ipv6_exthdr.1, u16::MAX),
            ));
        }
        let proto = match self.nw_proto {
            Some(p) => u8::try_from(p).map_err(|_| "nw_proto")?,
            None => {
                return self.no_transport_fields();
            }
        };
        out.push(F::IpProto(proto));
        let (src, dst) = (self.tp_src, self.tp_dst);
        let ports = |out: &mut Vec<OxmField>,
                     mk_src: fn(u16, Option<u16>) -> OxmField,
                     mk_dst: fn(u16, Option<u16>) -> OxmField| {
            if on(&src) {
                out.push(mk_src(src.0, opt_mask(src.1, u16::MAX)));
            }
            if on(&dst) {
                out.push(mk_dst(dst.0, opt_mask(dst.1, u16::MAX)));
            }
        };
        let mut nd = false;
        match proto {
            IPPROTO_TCP => ports(out, F::TcpSrc, F::TcpDst),
            IPPROTO_UDP => ports(out, F::UdpSrc, F::UdpDst),
            IPPROTO_SCTP => ports(out, F::SctpSrc, F::SctpDst),
            IPPROTO_ICMP if self.is_ip() => {
                out.extend(icmp(src, "icmp_type", F::Icmpv4Type)?);
                out.extend(icmp(dst, "icmp_code", F::Icmpv4Code)?);
            }
            IPPROTO_ICMPV6 if self.is_ipv6() => {
                out.extend(icmp(src, "icmp_type", F::Icmpv6Type)?);
                out.extend(icmp(dst, "icmp_code", F::Icmpv6Code)?);
                if self.is_nd() {
                    nd = true;
                    if on(&self.nd_target) {
                        out.push(F::Ipv6NdTarget(
                            self.nd_target.0.into(),
                            ipv6_mask(self.nd_target.1),
                        ));
                    }
                    if on(&self.arp_sha) {
                        if self.tp_src.0 != ND_SOLICIT {
                            return Err("nd_sll");
                        }
                        out.push(F::Ipv6NdSll(
                            u64_mac(self.arp_sha.0),
                            mac_mask(self.arp_sha.1),
                        ));
                    }
                    if on(&self.arp_tha) {
                        if self.tp_src.0 != ND_ADVERT {
                            return Err("nd_tll");
                        }
                        out.push(F::Ipv6NdTll(
                            u64_mac(self.arp_tha.0),
                            mac_mask(self.arp_tha.1),
                        ));
                    }
                }
            }
            _ => {
                if on(&src) {
                    return Err("tp_src");
                }
                if on(&dst) {
                    return Err("tp_dst");
                }
            }
        }
        if !nd {
            if on(&self.nd_target) {
                return Err("nd_target");
            }
            if on(&self.arp_sha) {
                return Err("arp_sha");
            }
            if on(&self.arp_tha) {
                return Err("arp_tha");
            }
        }
        Ok(())
    }

    fn no_ipv6_fields(&self) -> Result<(), &'static str> {
        for (set, name) in [
            (on(&self.ipv6_src), "ipv6_src"),
            (on(&self.ipv6_dst), "ipv6_dst"),
            (on(&self.ipv6_label), "ipv6_label"),
            (on(&self.ipv6_exthdr), "ipv6_exthdr"),
        ] {
            if set {
                return Err(name);
            }
        }
        Ok(())
    }

    fn no_transport_fields(&self) -> Result<(), &'static str> {
        for (set, name) in [
            (on(&self.tp_src), "tp_src"),
            (on(&self.tp_dst), "tp_dst"),
            (on(&self.nd_target), "nd_target"),
            (on(&self.arp_sha), "arp_sha"),
            (on(&self.arp_tha), "arp_tha"),
        ] {
            if set {
                return Err(name);
            }
        }
        Ok(())
    }

    /// Fails on any field that needs IP (or, unless `arp`, ARP) in a match without it.
    fn no_ip_fields(&self, arp: bool) -> Result<(), &'static str> {
        if !arp {
            for (set, name) in [
                (self.nw_proto.is_some(), "nw_proto"),
                (on(&self.nw_src), "nw_src"),
                (on(&self.nw_dst), "nw_dst"),
                (on(&self.arp_sha), "arp_sha"),
                (on(&self.arp_tha), "arp_tha"),
            ] {
                if set {
                    return Err(name);
                }
            }
        }
        for (set, name) in [
            (self.nw_tos.is_some(), "nw_tos"),
            (self.nw_ecn.is_some(), "nw_ecn"),
            (on(&self.tp_src), "tp_src"),
            (on(&self.tp_dst), "tp_dst"),
            (on(&self.nd_target), "nd_target"),
        ] {
            if set {
                return Err(name);
            }
        }
        self.no_ipv6_fields()
    }
}

fn ipv4_mask(m: u32) -> Option<Ipv4Addr> {
    opt_mask(m, u32::MAX).map(Ipv4Addr::from)
}

fn ipv6_mask(m: u128) -> Option<Ipv6Addr> {
    opt_mask(m, u128::MAX).map(Ipv6Addr::from)
}

fn mac_mask(m: u64) -> Option<MacAddr> {
    opt_mask(m, 0xffff_ffff_ffff).map(u64_mac)
}

/// An ICMP type or code from a transport port slot: exact and at most 255, or an error.
fn icmp(
    slot: M<u16>,
    name: &'static str,
    mk: fn(u8) -> OxmField,
) -> Result<Option<OxmField>, &'static str> {
    if !on(&slot) {
        return Ok(None);
    }
    match u8::try_from(slot.0) {
        Ok(v) if slot.1 == u16::MAX => Ok(Some(mk(v))),
        _ => Err(name),
    }
}
