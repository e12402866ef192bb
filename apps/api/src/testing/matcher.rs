//! OXM matching and set-field against a [`Packet`], as a switch would do them.

use openflow::{MacAddr, OxmField, PortNo};

use super::packet::{L3, Packet, VlanTag};

/// `OFPVID_PRESENT`: the VLAN_VID bit saying a tag is present.
pub const OFPVID_PRESENT: u16 = 0x1000;

/// A packet in the pipeline: its headers and the pipeline fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelinePacket {
    /// The port it entered by.
    pub in_port: PortNo,
    /// Metadata written by earlier tables.
    pub metadata: u64,
    /// The headers.
    pub packet: Packet,
}

fn masked_eq(value: u64, want: u64, mask: Option<u64>) -> bool {
    let m = mask.unwrap_or(u64::MAX);
    value & m == want & m
}

fn mac(m: MacAddr) -> u64 {
    m.0.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

fn vlan_vid(p: &Packet) -> u16 {
    p.vlan.map_or(0, |t| OFPVID_PRESENT | t.vid)
}

/// True if `field` matches the packet; `Err` names a field the fake switch does not evaluate.
pub fn field_matches(field: &OxmField, pp: &PipelinePacket) -> Result<bool, String> {
    let p = &pp.packet;
    let arp = match &p.l3 {
        L3::Arp(a) => Some(a),
        _ => None,
    };
    let ip = match &p.l3 {
        L3::Ipv4(ip) => Some(ip),
        _ => None,
    };
    let ports = ip.and_then(|ip| ip.ports().map(|ports| (ip.proto, ports)));
    let v4 = |a: std::net::Ipv4Addr| u64::from(u32::from(a));
    let v4m = |m: &Option<std::net::Ipv4Addr>| m.map(v4);
    let macm = |m: &Option<MacAddr>| m.map(mac);
    Ok(match field {
        OxmField::InPort(port) => pp.in_port == *port,
        OxmField::Metadata(v, m) => masked_eq(pp.metadata, *v, *m),
        OxmField::EthDst(v, m) => masked_eq(mac(p.eth_dst), mac(*v), macm(m)),
        OxmField::EthSrc(v, m) => masked_eq(mac(p.eth_src), mac(*v), macm(m)),
        OxmField::EthType(t) => p.eth_type == *t,
        OxmField::VlanVid(v, m) => masked_eq(
            u64::from(vlan_vid(p)),
            u64::from(*v),
            Some(u64::from(m.unwrap_or(0x1fff))),
        ),
        OxmField::VlanPcp(pcp) => p.vlan.is_some_and(|t| t.pcp == *pcp),
        OxmField::IpDscp(d) => ip.is_some_and(|ip| ip.dscp == *d),
        OxmField::IpEcn(e) => ip.is_some_and(|ip| ip.ecn == *e),
        OxmField::IpProto(n) => ip.is_some_and(|ip| ip.proto == *n),
        OxmField::Ipv4Src(v, m) => ip.is_some_and(|ip| masked_eq(v4(ip.src), v4(*v), v4m(m))),
        OxmField::Ipv4Dst(v, m) => ip.is_some_and(|ip| masked_eq(v4(ip.dst), v4(*v), v4m(m))),
        OxmField::TcpSrc(v, m) | OxmField::UdpSrc(v, m) => ports.is_some_and(|(proto, (s, _))| {
            proto == proto_of(field) && masked_eq(u64::from(s), u64::from(*v), m.map(u64::from))
        }),
        OxmField::TcpDst(v, m) | OxmField::UdpDst(v, m) => ports.is_some_and(|(proto, (_, d))| {
            proto == proto_of(field) && masked_eq(u64::from(d), u64::from(*v), m.map(u64::from))
        }),
        OxmField::ArpOp(op) => arp.is_some_and(|a| a.op == *op),
        OxmField::ArpSpa(v, m) => arp.is_some_and(|a| masked_eq(v4(a.spa), v4(*v), v4m(m))),
        OxmField::ArpTpa(v, m) => arp.is_some_and(|a| masked_eq(v4(a.tpa), v4(*v), v4m(m))),
        OxmField::ArpSha(v, m) => arp.is_some_and(|a| masked_eq(mac(a.sha), mac(*v), macm(m))),
        OxmField::ArpTha(v, m) => arp.is_some_and(|a| masked_eq(mac(a.tha), mac(*v), macm(m))),
        other => {
            return Err(format!(
                "match field {} is not evaluated",
                other.id().name()
            ));
        }
    })
}

fn proto_of(field: &OxmField) -> u8 {
    match field {
        OxmField::TcpSrc(..) | OxmField::TcpDst(..) => 6,
        _ => 17,
    }
}

/// Applies a set-field action; `Err` names a field the fake switch cannot set.
pub fn set_field(field: &OxmField, pp: &mut PipelinePacket) -> Result<(), String> {
    let p = &mut pp.packet;
    match (field, &mut p.l3) {
        (OxmField::EthDst(v, None), _) => p.eth_dst = *v,
        (OxmField::EthSrc(v, None), _) => p.eth_src = *v,
        (OxmField::VlanVid(v, None), _) if p.vlan.is_some() => {
            p.vlan = Some(VlanTag {
                vid: v & 0x0fff,
                pcp: p.vlan.map_or(0, |t| t.pcp),
            });
        }
        (OxmField::VlanPcp(pcp), _) if p.vlan.is_some() => {
            p.vlan = p.vlan.map(|t| VlanTag {
                vid: t.vid,
                pcp: *pcp,
            });
        }
        (OxmField::Ipv4Src(v, None), L3::Ipv4(ip)) => ip.src = *v,
        (OxmField::Ipv4Dst(v, None), L3::Ipv4(ip)) => ip.dst = *v,
        (OxmField::IpDscp(d), L3::Ipv4(ip)) => ip.dscp = *d,
        (OxmField::Metadata(..), _) => {
            return Err("metadata is set by write_metadata, not set_field".into());
        }
        (other, _) => {
            return Err(format!(
                "set_field {} is not applicable to this packet",
                other.id().name()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const A: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);

    fn arp(vlan: Option<u16>) -> PipelinePacket {
        let mut packet =
            Packet::arp_request(A, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2));
        if let Some(v) = vlan {
            packet = packet.tagged(v);
        }
        PipelinePacket {
            in_port: PortNo(3),
            metadata: 0,
            packet,
        }
    }

    #[test]
    fn vlan_vid_distinguishes_untagged_tagged_and_any_tag() {
        let untagged = arp(None);
        let tagged = arp(Some(10));
        let none = OxmField::VlanVid(0, None);
        let ten = OxmField::VlanVid(OFPVID_PRESENT | 10, None);
        let any = OxmField::VlanVid(OFPVID_PRESENT, Some(OFPVID_PRESENT));
        assert_eq!(field_matches(&none, &untagged), Ok(true));
        assert_eq!(field_matches(&none, &tagged), Ok(false));
        assert_eq!(field_matches(&ten, &tagged), Ok(true));
        assert_eq!(field_matches(&ten, &untagged), Ok(false));
        assert_eq!(field_matches(&any, &tagged), Ok(true));
        assert_eq!(field_matches(&any, &untagged), Ok(false));
    }

    #[test]
    fn masks_apply_to_macs_and_addresses() {
        let p = arp(None);
        let group = OxmField::EthDst(
            MacAddr([1, 0, 0, 0, 0, 0]),
            Some(MacAddr([1, 0, 0, 0, 0, 0])),
        );
        assert_eq!(field_matches(&group, &p), Ok(true));
        let net = OxmField::ArpTpa(
            Ipv4Addr::new(10, 0, 0, 0),
            Some(Ipv4Addr::new(255, 255, 255, 0)),
        );
        assert_eq!(field_matches(&net, &p), Ok(true));
        let other = OxmField::ArpTpa(
            Ipv4Addr::new(10, 0, 1, 0),
            Some(Ipv4Addr::new(255, 255, 255, 0)),
        );
        assert_eq!(field_matches(&other, &p), Ok(false));
        assert_eq!(field_matches(&OxmField::IpProto(6), &p), Ok(false));
        assert!(field_matches(&OxmField::MplsLabel(1), &p).is_err());
    }

    #[test]
    fn set_field_rewrites_headers() {
        let mut p = arp(Some(10));
        set_field(&OxmField::VlanVid(OFPVID_PRESENT | 20, None), &mut p).unwrap();
        assert_eq!(p.packet.vid(), Some(20));
        set_field(&OxmField::EthSrc(MacAddr::ZERO, None), &mut p).unwrap();
        assert_eq!(p.packet.eth_src, MacAddr::ZERO);
        assert!(set_field(&OxmField::Ipv4Src(Ipv4Addr::LOCALHOST, None), &mut p).is_err());
    }
}
