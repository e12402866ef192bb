//! The rules OpenFlow 1.3 puts on a match beyond its syntax: no field twice, masks only on
//! maskable fields and only over bits the mask keeps, and each field's prerequisites
//! (table 12 of the spec) present.
//!
//! Parsing stays lenient so that any match survives a round trip; these checks run when a
//! caller asks for them.

use super::field::OxmId;
use super::model::{
    ETH_TYPE_ARP, ETH_TYPE_IP, ETH_TYPE_IPV6, ETH_TYPE_MPLS, ETH_TYPE_MPLS_MCAST, ETH_TYPE_PBB,
    IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP, mac_u64,
};
use super::{Match, OxmField};
use crate::errcode::{BadMatchCode, ErrorCode};
use crate::error::DecodeError;

/// What a field needs elsewhere in the match.
enum Needs {
    Nothing,
    EthType(&'static [u16]),
    IpProto(u8),
    Icmpv6Type(&'static [u8]),
    InPort,
    VlanPresent,
}

const IP_ANY: &[u16] = &[ETH_TYPE_IP, ETH_TYPE_IPV6];

fn needs(id: OxmId) -> Needs {
    use OxmId as I;
    match id {
        I::InPhyPort => Needs::InPort,
        I::VlanPcp => Needs::VlanPresent,
        I::IpDscp | I::IpEcn | I::IpProto => Needs::EthType(IP_ANY),
        I::Ipv4Src | I::Ipv4Dst => Needs::EthType(&[ETH_TYPE_IP]),
        I::TcpSrc | I::TcpDst => Needs::IpProto(IPPROTO_TCP),
        I::UdpSrc | I::UdpDst => Needs::IpProto(IPPROTO_UDP),
        I::SctpSrc | I::SctpDst => Needs::IpProto(IPPROTO_SCTP),
        I::Icmpv4Type | I::Icmpv4Code => Needs::IpProto(IPPROTO_ICMP),
        I::ArpOp | I::ArpSpa | I::ArpTpa | I::ArpSha | I::ArpTha => Needs::EthType(&[ETH_TYPE_ARP]),
        I::Ipv6Src | I::Ipv6Dst | I::Ipv6Flabel | I::Ipv6Exthdr => Needs::EthType(&[ETH_TYPE_IPV6]),
        I::Icmpv6Type | I::Icmpv6Code => Needs::IpProto(IPPROTO_ICMPV6),
        I::Ipv6NdTarget => Needs::Icmpv6Type(&[135, 136]),
        I::Ipv6NdSll => Needs::Icmpv6Type(&[135]),
        I::Ipv6NdTll => Needs::Icmpv6Type(&[136]),
        I::MplsLabel | I::MplsTc | I::MplsBos => {
            Needs::EthType(&[ETH_TYPE_MPLS, ETH_TYPE_MPLS_MCAST])
        }
        I::PbbIsid => Needs::EthType(&[ETH_TYPE_PBB]),
        _ => Needs::Nothing,
    }
}

/// The value bits outside the mask, if the field is masked (as one wide integer).
fn bits_outside_mask(f: &OxmField) -> Option<u128> {
    use OxmField as F;
    let out = |v: u128, m: Option<u128>| m.map(|m| v & !m);
    match *f {
        F::Metadata(v, m) | F::TunnelId(v, m) => out(v.into(), m.map(Into::into)),
        F::EthDst(v, m)
        | F::EthSrc(v, m)
        | F::ArpSha(v, m)
        | F::ArpTha(v, m)
        | F::Ipv6NdSll(v, m)
        | F::Ipv6NdTll(v, m) => out(mac_u64(v).into(), m.map(|m| mac_u64(m).into())),
        F::VlanVid(v, m)
        | F::TcpSrc(v, m)
        | F::TcpDst(v, m)
        | F::UdpSrc(v, m)
        | F::UdpDst(v, m)
        | F::SctpSrc(v, m)
        | F::SctpDst(v, m)
        | F::Ipv6Exthdr(v, m) => out(v.into(), m.map(Into::into)),
        F::Ipv4Src(v, m)
        | F::Ipv4Dst(v, m)
        | F::ArpSpa(v, m)
        | F::ArpTpa(v, m)
        | F::TunIpv4Src(v, m)
        | F::TunIpv4Dst(v, m) => out(u32::from(v).into(), m.map(|m| u32::from(m).into())),
        F::Ipv6Src(v, m) | F::Ipv6Dst(v, m) | F::Ipv6NdTarget(v, m) => {
            out(v.into(), m.map(Into::into))
        }
        F::Ipv6Flabel(v, m) | F::PbbIsid(v, m) | F::Reg(_, v, m) => {
            out(v.into(), m.map(Into::into))
        }
        _ => None,
    }
}

impl Match {
    /// The first field before position `before` with identity `id` and an exact value.
    fn exact(&self, before: usize, id: OxmId) -> Option<&OxmField> {
        self.fields
            .get(..before)?
            .iter()
            .find(|f| f.id() == id && !f.has_mask())
    }

    /// Whether the fields before position `at` satisfy `needs`.
    fn prereq_met(&self, at: usize, needs: Needs) -> bool {
        match needs {
            Needs::Nothing => true,
            Needs::InPort => self.exact(at, OxmId::InPort).is_some(),
            Needs::EthType(types) => {
                matches!(self.exact(at, OxmId::EthType), Some(OxmField::EthType(t)) if types.contains(t))
            }
            Needs::IpProto(p) => {
                matches!(self.exact(at, OxmId::IpProto), Some(OxmField::IpProto(x)) if *x == p)
                    && self.prereq_met(at, Needs::EthType(IP_ANY))
            }
            Needs::Icmpv6Type(types) => {
                matches!(self.exact(at, OxmId::Icmpv6Type), Some(OxmField::Icmpv6Type(t)) if types.contains(t))
                    && self.prereq_met(at, Needs::IpProto(IPPROTO_ICMPV6))
            }
            // "VLAN_VID != NONE": a tag must be present, exactly or through a mask that
            // keeps the present bit.
            Needs::VlanPresent => self.fields[..at].iter().any(|f| {
                matches!(f, OxmField::VlanVid(v, m) if v & 0x1000 != 0 && m.is_none_or(|m| m & 0x1000 != 0))
            }),
        }
    }

    /// Checks the match against OpenFlow 1.3's rules, reporting the first problem with the
    /// error the spec prescribes: a field twice (`OFPBMC_DUP_FIELD`), a mask on a field the
    /// spec does not let be masked even where Open vSwitch would (`OFPBMC_BAD_MASK`), value
    /// bits set where the mask is zero (`OFPBMC_BAD_WILDCARDS`, as section 7.2.3.5 says), or a
    /// field without its prerequisites before it (`OFPBMC_BAD_PREREQ`: the spec wants a field
    /// after the fields it depends on, and Open vSwitch enforces that). Unknown fields are
    /// checked only for duplicates.
    pub fn validate(&self) -> Result<(), DecodeError> {
        for (n, f) in self.fields.iter().enumerate() {
            let id = f.id();
            if self.fields[..n].iter().any(|g| g.id() == id) {
                return Err(DecodeError::DupField { field: id.name() });
            }
        }
        for f in &self.fields {
            if matches!(f, OxmField::Unknown(_)) {
                continue;
            }
            if f.has_mask() && !f.maskable_in_spec() {
                return Err(DecodeError::BadMask {
                    field: f.ofctl_name(),
                });
            }
            if let Some(extra) = bits_outside_mask(f).filter(|&b| b != 0) {
                return Err(DecodeError::BadValue {
                    field: f.ofctl_name(),
                    value: extra as u64,
                    code: ErrorCode::BadMatch(BadMatchCode::BadWildcards),
                });
            }
        }
        self.check_prerequisites()
    }

    /// Checks only prerequisites (`OFPBMC_BAD_PREREQ` for the first field lacking one among
    /// the fields before it). [`Match::from_ofctl_fields`] puts fields in an order that
    /// satisfies this.
    pub fn check_prerequisites(&self) -> Result<(), DecodeError> {
        for (at, f) in self.fields.iter().enumerate() {
            if !self.prereq_met(at, needs(f.id())) {
                return Err(DecodeError::BadPrereq {
                    field: f.ofctl_name(),
                });
            }
        }
        Ok(())
    }

    /// True if every field's prerequisites come before it in the match.
    pub fn prerequisites_met(&self) -> bool {
        self.check_prerequisites().is_ok()
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::types::MacAddr;
    use OxmField as F;

    fn m(fields: &[OxmField]) -> Match {
        Match {
            fields: fields.to_vec(),
        }
    }

    fn code(r: Result<(), DecodeError>) -> Option<BadMatchCode> {
        match r.err()?.ofp_error() {
            ErrorCode::BadMatch(c) => Some(c),
            other => panic!("not a match error: {other:?}"),
        }
    }

    const IP: F = F::EthType(ETH_TYPE_IP);
    const IPV6: F = F::EthType(ETH_TYPE_IPV6);
    const ARP: F = F::EthType(ETH_TYPE_ARP);

    #[test]
    fn prerequisites_met() {
        let ok: &[&[OxmField]] = &[
            &[],
            &[
                F::InPort(crate::PortNo(1)),
                F::Reg(0, 1, None),
                F::TunnelId(5, None),
            ],
            &[IP, F::Ipv4Src(Ipv4Addr::LOCALHOST, None)],
            &[IP, F::IpProto(6), F::TcpDst(80, None)],
            &[IPV6, F::IpProto(6), F::TcpSrc(80, None)],
            &[IP, F::IpProto(17), F::UdpDst(53, None)],
            &[IP, F::IpProto(132), F::SctpDst(1, None)],
            &[IP, F::IpProto(1), F::Icmpv4Type(8), F::Icmpv4Code(0)],
            &[IP, F::IpDscp(46), F::IpEcn(1)],
            &[ARP, F::ArpOp(1), F::ArpSpa(Ipv4Addr::LOCALHOST, None)],
            &[IPV6, F::Ipv6Flabel(1, None), F::Ipv6Exthdr(1, None)],
            &[
                IPV6,
                F::IpProto(58),
                F::Icmpv6Type(135),
                F::Ipv6NdTarget("::1".parse().unwrap(), None),
                F::Ipv6NdSll(MacAddr::ZERO, None),
            ],
            &[
                IPV6,
                F::IpProto(58),
                F::Icmpv6Type(136),
                F::Ipv6NdTll(MacAddr::ZERO, None),
            ],
            &[
                F::EthType(ETH_TYPE_MPLS),
                F::MplsLabel(5),
                F::MplsTc(1),
                F::MplsBos(1),
            ],
            &[F::EthType(ETH_TYPE_MPLS_MCAST), F::MplsLabel(5)],
            &[F::EthType(ETH_TYPE_PBB), F::PbbIsid(5, None)],
            &[F::VlanVid(0x1005, None), F::VlanPcp(3)],
            &[F::VlanVid(0x1000, Some(0x1000)), F::VlanPcp(3)],
            &[F::InPort(crate::PortNo(1)), F::InPhyPort(crate::PortNo(2))],
        ];
        for fields in ok {
            assert_eq!(m(fields).validate(), Ok(()), "{fields:?}");
            assert!(m(fields).prerequisites_met());
        }
    }

    #[test]
    fn missing_or_late_prerequisites() {
        let bad: &[(&[OxmField], &str)] = &[
            (&[F::Ipv4Src(Ipv4Addr::LOCALHOST, None)], "ip_src"),
            (&[IPV6, F::Ipv4Dst(Ipv4Addr::LOCALHOST, None)], "ip_dst"),
            (&[IP, F::TcpDst(80, None)], "tcp_dst"),
            (&[IP, F::IpProto(17), F::TcpDst(80, None)], "tcp_dst"),
            (&[F::IpProto(6), F::TcpDst(80, None)], "nw_proto"),
            (&[ARP, F::IpProto(6)], "nw_proto"),
            (&[IP, F::IpProto(6), F::UdpSrc(1, None)], "udp_src"),
            (&[IP, F::IpProto(6), F::SctpSrc(1, None)], "sctp_src"),
            (&[IP, F::IpProto(58), F::Icmpv4Type(1)], "icmp_type"),
            (&[IP, F::ArpOp(1)], "arp_op"),
            (
                &[
                    F::EthType(super::super::model::ETH_TYPE_RARP),
                    F::ArpTha(MacAddr::ZERO, None),
                ],
                "arp_tha",
            ),
            (&[IP, F::Ipv6Src("::1".parse().unwrap(), None)], "ipv6_src"),
            (&[IP, F::Ipv6Exthdr(1, None)], "ipv6_exthdr"),
            (&[IPV6, F::IpProto(6), F::Icmpv6Code(0)], "icmpv6_code"),
            (
                &[
                    IPV6,
                    F::IpProto(58),
                    F::Icmpv6Type(128),
                    F::Ipv6NdTarget("::1".parse().unwrap(), None),
                ],
                "nd_target",
            ),
            (
                &[
                    IPV6,
                    F::IpProto(58),
                    F::Icmpv6Type(136),
                    F::Ipv6NdSll(MacAddr::ZERO, None),
                ],
                "nd_sll",
            ),
            (
                &[
                    IPV6,
                    F::IpProto(58),
                    F::Icmpv6Type(135),
                    F::Ipv6NdTll(MacAddr::ZERO, None),
                ],
                "nd_tll",
            ),
            (&[IP, F::MplsLabel(1)], "mpls_label"),
            (&[F::MplsBos(1)], "mpls_bos"),
            (
                &[F::EthType(ETH_TYPE_MPLS), F::PbbIsid(1, None)],
                "pbb_isid",
            ),
            (&[F::VlanPcp(1)], "vlan_pcp"),
            (&[F::VlanVid(0, None), F::VlanPcp(1)], "vlan_pcp"),
            (
                &[F::VlanVid(0x0005, Some(0x0fff)), F::VlanPcp(1)],
                "vlan_pcp",
            ),
            (&[F::InPhyPort(crate::PortNo(2))], "in_phy_port"),
            // The spec wants prerequisites first, and Open vSwitch enforces it.
            (&[F::TcpDst(80, None), IP, F::IpProto(6)], "tcp_dst"),
            (&[F::VlanPcp(3), F::VlanVid(0x1005, None)], "vlan_pcp"),
        ];
        for (fields, name) in bad {
            let e = m(fields).validate().unwrap_err();
            assert_eq!(e, DecodeError::BadPrereq { field: name }, "{fields:?}");
            assert_eq!(code(Err(e)), Some(BadMatchCode::BadPrereq));
            assert!(!m(fields).prerequisites_met());
        }
    }

    #[test]
    fn duplicates() {
        let e = m(&[IP, IP]).validate().unwrap_err();
        assert_eq!(e, DecodeError::DupField { field: "eth_type" });
        assert_eq!(code(Err(e)), Some(BadMatchCode::DupField));
        let dup = [
            F::Reg(1, 1, None),
            F::Reg(2, 1, None),
            F::Reg(1, 2, Some(3)),
        ];
        assert_eq!(
            m(&dup).validate(),
            Err(DecodeError::DupField { field: "reg1" })
        );
        let raw = |h: u32, p: &'static [u8]| {
            F::Unknown(super::super::RawOxm {
                header: h,
                payload: bytes::Bytes::from_static(p),
            })
        };
        // Two experimenters may use the same field number; one may not twice.
        let a = raw(0xffff_0204, &[0, 0, 0, 1]);
        let b = raw(0xffff_0204, &[0, 0, 0, 2]);
        assert_eq!(m(&[a.clone(), b]).validate(), Ok(()));
        assert_eq!(
            m(&[a.clone(), a]).validate(),
            Err(DecodeError::DupField {
                field: "unknown_oxm"
            })
        );
    }

    #[test]
    fn masks() {
        // Open vSwitch masks transport ports and ND fields; OpenFlow 1.3 does not.
        let cases = [
            (
                vec![IP, F::IpProto(6), F::TcpDst(0x50, Some(0xfff0))],
                "tcp_dst",
            ),
            (
                vec![
                    IPV6,
                    F::IpProto(58),
                    F::Icmpv6Type(135),
                    F::Ipv6NdSll(MacAddr::ZERO, Some(MacAddr::ZERO)),
                ],
                "nd_sll",
            ),
        ];
        for (fields, name) in cases {
            let e = m(&fields).validate().unwrap_err();
            assert_eq!(e, DecodeError::BadMask { field: name });
            assert_eq!(code(Err(e)), Some(BadMatchCode::BadMask));
        }
        // Value bits where the mask is zero: OFPBMC_BAD_WILDCARDS.
        let e = m(&[
            IP,
            F::Ipv4Src(
                Ipv4Addr::new(10, 0, 0, 1),
                Some(Ipv4Addr::new(255, 0, 0, 0)),
            ),
        ])
        .validate()
        .unwrap_err();
        assert_eq!(
            e.ofp_error(),
            ErrorCode::BadMatch(BadMatchCode::BadWildcards)
        );
        assert_eq!(
            e,
            DecodeError::BadValue {
                field: "ip_src",
                value: 1,
                code: ErrorCode::BadMatch(BadMatchCode::BadWildcards)
            }
        );
        for f in [
            F::Metadata(3, Some(1)),
            F::EthDst(MacAddr::BROADCAST, Some(MacAddr([1, 0, 0, 0, 0, 0]))),
            F::Reg(0, 0x10, Some(0x0f)),
            F::TunnelId(0x100, Some(0xff)),
            F::VlanVid(0x1005, Some(0x1000)),
        ] {
            assert_eq!(
                code(m(std::slice::from_ref(&f)).validate()),
                Some(BadMatchCode::BadWildcards),
                "{f:?}"
            );
        }
        assert_eq!(
            m(&[F::Metadata(1, Some(1)), F::Reg(0, 0x10, Some(0xf0))]).validate(),
            Ok(())
        );
    }
}
