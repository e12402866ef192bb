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
