//! Which fields there are: OXM classes, field numbers, payload sizes, names and whether a
//! field may be masked, by OpenFlow 1.3 or by Open vSwitch.

use super::OxmField;

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

    /// The field number of an OpenFlow-basic field (its index in `OPENFLOW_BASIC`).
    const fn basic_number(self) -> Option<u8> {
        Some(match self {
            OxmId::InPort => 0,
            OxmId::InPhyPort => 1,
            OxmId::Metadata => 2,
            OxmId::EthDst => 3,
            OxmId::EthSrc => 4,
            OxmId::EthType => 5,
            OxmId::VlanVid => 6,
            OxmId::VlanPcp => 7,
            OxmId::IpDscp => 8,
            OxmId::IpEcn => 9,
            OxmId::IpProto => 10,
            OxmId::Ipv4Src => 11,
            OxmId::Ipv4Dst => 12,
            OxmId::TcpSrc => 13,
            OxmId::TcpDst => 14,
            OxmId::UdpSrc => 15,
            OxmId::UdpDst => 16,
            OxmId::SctpSrc => 17,
            OxmId::SctpDst => 18,
            OxmId::Icmpv4Type => 19,
            OxmId::Icmpv4Code => 20,
            OxmId::ArpOp => 21,
            OxmId::ArpSpa => 22,
            OxmId::ArpTpa => 23,
            OxmId::ArpSha => 24,
            OxmId::ArpTha => 25,
            OxmId::Ipv6Src => 26,
            OxmId::Ipv6Dst => 27,
            OxmId::Ipv6Flabel => 28,
            OxmId::Icmpv6Type => 29,
            OxmId::Icmpv6Code => 30,
            OxmId::Ipv6NdTarget => 31,
            OxmId::Ipv6NdSll => 32,
            OxmId::Ipv6NdTll => 33,
            OxmId::MplsLabel => 34,
            OxmId::MplsTc => 35,
            OxmId::MplsBos => 36,
            OxmId::PbbIsid => 37,
            OxmId::TunnelId => 38,
            OxmId::Ipv6Exthdr => 39,
            _ => return None,
        })
    }

    /// The table entry of a decoded field; `None` for unknown fields.
    pub(crate) fn info(self) -> Option<Info> {
        let (len, maskable, spec_maskable, name) = match self {
            OxmId::Reg(n) if n < 16 => (4, true, true, REG_NAMES[n as usize]),
            OxmId::Reg(_) | OxmId::Unknown { .. } => return None,
            OxmId::TunIpv4Src => (4, true, true, "tun_src"),
            OxmId::TunIpv4Dst => (4, true, true, "tun_dst"),
            id => {
                let (_, len, maskable, spec, name) = OPENFLOW_BASIC[id.basic_number()? as usize];
                (len, maskable, spec, name)
            }
        };
        Some(Info {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use OxmField as F;

    #[test]
    fn every_basic_field_number_is_known_with_its_size() {
        // OpenFlow 1.3 defines 40 basic fields, 0 to 39; 40 and up are later versions'.
        for n in 0..40u8 {
            let id = OxmId::from_header(oxm_header(CLASS_OPENFLOW_BASIC, n, false, 0), &[]);
            assert_eq!(id.basic_number(), Some(n));
            assert!(id.info().is_some());
        }
        let id = OxmId::from_header(oxm_header(CLASS_OPENFLOW_BASIC, 40, false, 0), &[]);
        assert!(id.info().is_none());
        let sizes: Vec<u8> = (0..40).map(|n| OPENFLOW_BASIC[n].1).collect();
        assert_eq!(
            sizes,
            [
                4, 4, 8, 6, 6, 2, 2, 1, 1, 1, 1, 4, 4, 2, 2, 2, 2, 2, 2, 1, 1, 2, 4, 4, 6, 6, 16,
                16, 4, 1, 1, 16, 6, 6, 4, 1, 1, 3, 8, 2
            ]
        );
    }

    #[test]
    fn spec_maskability_differs_from_ovs() {
        assert!(OxmId::Ipv4Src.maskable_in_spec());
        assert!(OxmId::PbbIsid.maskable_in_spec());
        assert!(!OxmId::TcpDst.maskable_in_spec());
        assert!(!OxmId::Ipv6NdTarget.maskable_in_spec());
        assert!(OxmId::TcpDst.info().unwrap().maskable);
        assert!(!F::TcpDst(80, Some(0xfff0)).maskable_in_spec());
        assert!(F::Reg(3, 0, None).maskable_in_spec());
    }
}
