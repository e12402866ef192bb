//! Reading actions written in `ovs-ofctl` syntax (`output:2,mod_vlan_vid:5,set_field:…->eth_dst`).
//!
//! Legacy actions become the OpenFlow 1.3 actions Open vSwitch sends for them: `strip_vlan` is
//! `pop_vlan`, `mod_dl_src:M` is `set_field:M->eth_src`, `mod_nw_tos:T` sets `ip_dscp` to
//! `T>>2`, `set_tunnel:N` sets `tun_id`. Two translations depend on the flow's match, given as a
//! [`FlowContext`]: `mod_vlan_vid`/`mod_vlan_pcp` push an 802.1Q tag first when the packet has
//! none, and `mod_tp_src`/`mod_tp_dst` set the TCP, UDP or SCTP port the match selects.
//!
//! Nicira extension actions (`resubmit`, `ct`, `learn`, `load`, …) are not translated: this
//! crate keeps experimenter actions as raw bytes, written `experimenter(id=…,data=0x…)`.

use std::net::Ipv4Addr;

use bytes::Bytes;

use super::{Action, check_set_field};
use crate::oxm::{Match, OxmField, parse_ofctl_field};
use crate::text::{SyntaxError, parse_uint, split_items};
use crate::types::{GroupId, MacAddr, PortNo, QueueId};
use crate::wire::Wire;

/// What a flow's match tells about its packets, which decides how some legacy actions are
/// translated (as Open vSwitch does when it checks actions against a match).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlowContext {
    /// The packet carries a VLAN tag (the match requires `OFPVID_PRESENT`).
    pub has_vlan: bool,
    /// The IP protocol the match requires, if any.
    pub ip_proto: Option<u8>,
}

impl FlowContext {
    /// The context a match establishes.
    pub fn from_match(m: &Match) -> FlowContext {
        let mut ctx = FlowContext::default();
        for field in &m.fields {
            match *field {
                OxmField::VlanVid(vid, mask) => {
                    ctx.has_vlan = vid & 0x1000 != 0 && mask.is_none_or(|m| m & 0x1000 != 0);
                }
                OxmField::IpProto(proto) => ctx.ip_proto = Some(proto),
                _ => {}
            }
        }
        ctx
    }
}

/// The keys that name instructions rather than actions.
pub(crate) const INSTRUCTION_KEYS: &[&str] = &[
    "meter",
    "clear_actions",
    "write_actions",
    "write_metadata",
    "goto_table",
    "apply_actions",
    "experimenter_instruction",
    "unknown_instruction",
];

/// Parses an action list in `ovs-ofctl` syntax (a packet-out's or bucket's `actions=`) for a
/// packet about which nothing is known: `drop` or nothing is the empty list.
pub fn parse_ofctl_actions(text: &str) -> Result<Vec<Action>, SyntaxError> {
    parse_ofctl_actions_in(text, &mut FlowContext::default())
}

/// Parses an action list in `ovs-ofctl` syntax for packets that satisfy `m`.
pub fn parse_ofctl_actions_for(text: &str, m: &Match) -> Result<Vec<Action>, SyntaxError> {
    parse_ofctl_actions_in(text, &mut FlowContext::from_match(m))
}

/// Parses an action list, updating `ctx` as the actions change the packet.
pub(crate) fn parse_ofctl_actions_in(
    text: &str,
    ctx: &mut FlowContext,
) -> Result<Vec<Action>, SyntaxError> {
    let mut actions = Vec::new();
    let mut drop = false;
    for (key, value) in split_items(text, &['=', ':', '('])? {
        let lower = key.to_ascii_lowercase();
        if lower == "drop" {
            drop = true;
        } else if INSTRUCTION_KEYS.contains(&lower.as_str()) {
            return Err(SyntaxError::new(format!(
                "{lower} instruction not allowed here"
            )));
        } else {
            actions.extend(parse_action_item(&lower, value, ctx)?);
        }
    }
    if drop && !actions.is_empty() {
        return Err(drop_not_alone());
    }
    Ok(actions)
}

/// The error for `drop` next to other actions.
pub(crate) fn drop_not_alone() -> SyntaxError {
    SyntaxError::new("\"drop\" must not be accompanied by any other action or instruction")
}

/// Parses one action item (`key` in lower case) into the actions it stands for.
pub(crate) fn parse_action_item(
    key: &str,
    value: Option<&str>,
    ctx: &mut FlowContext,
) -> Result<Vec<Action>, SyntaxError> {
    let arg = || {
        value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| SyntaxError::new(format!("{key}: missing argument")))
    };
    let num = |bits| parse_uint(key, arg()?, bits);
    let one = |a: Action| Ok(vec![a]);
    let set = |f: OxmField| Ok(vec![Action::SetField(f)]);
    match key {
        "output" => one(parse_output(arg()?)?),
        "controller" => one(parse_controller(value.unwrap_or(""))?),
        "group" => one(Action::Group(GroupId(num(32)? as u32))),
        "set_queue" => one(Action::SetQueue(QueueId(num(32)? as u32))),
        "pop_vlan" | "strip_vlan" => {
            ctx.has_vlan = false;
            one(Action::PopVlan)
        }
        "push_vlan" => {
            let ethertype = num(16)? as u16;
            if ethertype != 0x8100 && ethertype != 0x88a8 {
                return Err(SyntaxError::new(format!(
                    "{}: not a valid VLAN ethertype",
                    arg()?
                )));
            }
            ctx.has_vlan = true;
            one(Action::PushVlan(ethertype))
        }
        "mod_vlan_vid" | "set_vlan_vid" => {
            let vid = num(16)? as u16;
            if vid > 0xfff {
                return Err(SyntaxError::new(format!(
                    "{}: not a valid VLAN VID",
                    arg()?
                )));
            }
            let mut out = tag_for(key, ctx)?;
            out.push(Action::SetField(OxmField::VlanVid(vid | 0x1000, None)));
            Ok(out)
        }
        "mod_vlan_pcp" | "set_vlan_pcp" => {
            let pcp = num(8)? as u8;
            if pcp > 7 {
                return Err(SyntaxError::new(format!(
                    "{}: not a valid VLAN PCP",
                    arg()?
                )));
            }
            let mut out = tag_for(key, ctx)?;
            out.push(Action::SetField(OxmField::VlanPcp(pcp)));
            Ok(out)
        }
        "mod_dl_src" => set(OxmField::EthSrc(parse_mac(key, arg()?)?, None)),
        "mod_dl_dst" => set(OxmField::EthDst(parse_mac(key, arg()?)?, None)),
        "mod_nw_src" => set(OxmField::Ipv4Src(parse_ipv4(key, arg()?)?, None)),
        "mod_nw_dst" => set(OxmField::Ipv4Dst(parse_ipv4(key, arg()?)?, None)),
        "mod_nw_tos" => {
            let tos = num(8)? as u8;
            if tos & 3 != 0 {
                return Err(SyntaxError::new(format!("{}: not a valid TOS", arg()?)));
            }
            set(OxmField::IpDscp(tos >> 2))
        }
        "mod_nw_ecn" => {
            let ecn = num(8)? as u8;
            if ecn > 3 {
                return Err(SyntaxError::new(format!("{}: not a valid ECN", arg()?)));
            }
            set(OxmField::IpEcn(ecn))
        }
        "mod_nw_ttl" | "set_nw_ttl" => one(Action::SetNwTtl(num(8)? as u8)),
        "dec_ttl" => match value.filter(|v| !v.is_empty()) {
            None => one(Action::DecNwTtl),
            Some(_) => Err(nicira(key)),
        },
        "mod_tp_src" | "mod_tp_dst" => {
            let port = num(16)? as u16;
            let src = key == "mod_tp_src";
            set(match (ctx.ip_proto, src) {
                (Some(6), true) => OxmField::TcpSrc(port, None),
                (Some(6), false) => OxmField::TcpDst(port, None),
                (Some(17), true) => OxmField::UdpSrc(port, None),
                (Some(17), false) => OxmField::UdpDst(port, None),
                (Some(132), true) => OxmField::SctpSrc(port, None),
                (Some(132), false) => OxmField::SctpDst(port, None),
                _ => {
                    return Err(SyntaxError::new(format!(
                        "{key} needs a match on tcp, udp or sctp"
                    )));
                }
            })
        }
        "set_mpls_label" => set(OxmField::MplsLabel(num(20)? as u32)),
        "set_mpls_tc" => {
            let tc = num(8)? as u8;
            if tc > 7 {
                return Err(SyntaxError::new(format!("{}: not a valid MPLS TC", arg()?)));
            }
            set(OxmField::MplsTc(tc))
        }
        "set_mpls_ttl" => one(Action::SetMplsTtl(num(8)? as u8)),
        "dec_mpls_ttl" => one(Action::DecMplsTtl),
        "push_mpls" => {
            let ethertype = num(16)? as u16;
            if ethertype != 0x8847 && ethertype != 0x8848 {
                return Err(SyntaxError::new(format!(
                    "{}: not a valid MPLS ethertype",
                    arg()?
                )));
            }
            one(Action::PushMpls(ethertype))
        }
        "pop_mpls" => one(Action::PopMpls(num(16)? as u16)),
        "set_tunnel" | "set_tunnel64" => set(OxmField::TunnelId(num(64)?, None)),
        "set_field" => set(parse_set_field(arg()?)?),
        "copy_ttl_out" => one(Action::CopyTtlOut),
        "copy_ttl_in" => one(Action::CopyTtlIn),
        "push_pbb" => {
            let ethertype = num(16)? as u16;
            if ethertype != 0x88e7 {
                return Err(SyntaxError::new(format!(
                    "{}: not a valid PBB ethertype",
                    arg()?
                )));
            }
            one(Action::PushPbb(ethertype))
        }
        "pop_pbb" => one(Action::PopPbb),
        "experimenter" => one(parse_experimenter(arg()?)?),
        "unknown_action" => one(parse_unknown(arg()?)?),
        _ if NICIRA_ACTIONS.contains(&key) => Err(nicira(key)),
        _ => match (value, key.parse::<PortNo>()) {
            (None, Ok(port)) => one(output_to(port, 0)?),
            _ => Err(SyntaxError::new(format!("unknown action {key}"))),
        },
    }
}

/// `mod_vlan_*` pushes a tag when the packet has none; `set_vlan_*` needs one already.
fn tag_for(key: &str, ctx: &mut FlowContext) -> Result<Vec<Action>, SyntaxError> {
    let mut out = Vec::new();
    if !ctx.has_vlan {
        if key.starts_with("set_") {
            return Err(SyntaxError::new(format!(
                "{key} needs a VLAN tag in the match (mod_vlan_* pushes one)"
            )));
        }
        out.push(Action::PushVlan(0x8100));
        ctx.has_vlan = true;
    }
    Ok(out)
}

/// Open vSwitch actions that are Nicira extensions, which this crate does not encode.
const NICIRA_ACTIONS: &[&str] = &[
    "resubmit",
    "ct",
    "ct_clear",
    "nat",
    "learn",
    "load",
    "move",
    "note",
    "conjunction",
    "multipath",
    "bundle",
    "bundle_load",
    "output_reg",
    "output_trunc",
    "push",
    "pop",
    "exit",
    "clone",
    "sample",
    "fin_timeout",
    "enqueue",
    "pop_queue",
    "encap",
    "decap",
    "dec_nsh_ttl",
    "check_pkt_larger",
    "delete_field",
    "learn_delete",
];

fn nicira(key: &str) -> SyntaxError {
    SyntaxError::new(format!(
        "{key}: Nicira extension actions are kept only as raw bytes; write \
         experimenter(id=0x2320,data=0x...)"
    ))
}

fn parse_output(arg: &str) -> Result<Action, SyntaxError> {
    if arg.contains("max_len") {
        return Err(nicira("output(port=...,max_len=...)"));
    }
    let port = arg
        .parse::<PortNo>()
        .map_err(|_| SyntaxError::new(format!("{arg}: output to unknown port")))?;
    let max_len = if port == PortNo::CONTROLLER {
        0xffff
    } else {
        0
    };
    output_to(port, max_len)
}

fn output_to(port: PortNo, max_len: u16) -> Result<Action, SyntaxError> {
    if port == PortNo::ANY {
        return Err(SyntaxError::new("output to ANY is not a valid action"));
    }
    Ok(Action::Output { port, max_len })
}

/// `controller`, `controller:N` and `controller(max_len=N)`; the other options need the
/// Nicira controller action.
fn parse_controller(arg: &str) -> Result<Action, SyntaxError> {
    let mut max_len = 0xffff;
    if !arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit()) {
        max_len = parse_uint("max_len", arg, 16)? as u16;
    } else {
        for (key, value) in split_items(arg, &['=', ':'])? {
            match (key, value) {
                ("max_len", Some(v)) => max_len = parse_uint("max_len", v, 16)? as u16,
                ("reason", Some("action")) | ("id", Some("0")) => {}
                _ => return Err(nicira(&format!("controller({key})"))),
            }
        }
    }
    Ok(Action::Output {
        port: PortNo::CONTROLLER,
        max_len,
    })
}

fn parse_mac(key: &str, s: &str) -> Result<MacAddr, SyntaxError> {
    s.parse()
        .map_err(|_| SyntaxError::new(format!("{key}: {s}: invalid Ethernet address")))
}

fn parse_ipv4(key: &str, s: &str) -> Result<Ipv4Addr, SyntaxError> {
    s.parse()
        .map_err(|_| SyntaxError::new(format!("{key}: {s}: invalid IP address")))
}

/// `VALUE->FIELD`: one unmasked field that a set-field may write.
fn parse_set_field(arg: &str) -> Result<OxmField, SyntaxError> {
    let (value, name) = arg
        .split_once("->")
        .ok_or_else(|| SyntaxError::new(format!("{arg}: missing `->'")))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(SyntaxError::new(format!(
            "{arg}: missing field name following `->'"
        )));
    }
    let fields = parse_ofctl_field(name, Some(value.trim()))?
        .ok_or_else(|| SyntaxError::new(format!("{name} is not a valid OXM field name")))?;
    let [field] = <[OxmField; 1]>::try_from(fields)
        .map_err(|_| SyntaxError::new(format!("{name} is not a single OXM field")))?;
    // The OXM header's has-mask bit: OpenFlow 1.3 set-field writes whole fields only.
    let bytes = field.to_bytes();
    if bytes.get(2).is_some_and(|b| b & 1 != 0) {
        return Err(SyntaxError::new(format!(
            "set_field:{arg}: a masked set_field needs OpenFlow 1.5"
        )));
    }
    if check_set_field(&field).is_err() {
        return Err(SyntaxError::new(match field {
            OxmField::InPort(_)
            | OxmField::InPhyPort(_)
            | OxmField::EthType(_)
            | OxmField::IpProto(_)
            | OxmField::MplsBos(_)
            | OxmField::Ipv6Exthdr(..) => format!("{name} is read-only"),
            OxmField::VlanVid(..) => format!(
                "{value} is not a valid value for field {name}: set_field on vlan_vid needs \
                 OFPVID_PRESENT (0x1000), as in 4101 for VLAN 5"
            ),
            _ => format!("{value} is not a valid value for field {name}"),
        }));
    }
    Ok(field)
}

/// `experimenter(id=N[,data=0xHEX])`, the raw form [`Action`]'s `Display` writes.
fn parse_experimenter(arg: &str) -> Result<Action, SyntaxError> {
    let (id, data) = raw_args(arg, "id", "data")?;
    let experimenter = parse_uint("experimenter id", id, 32)? as u32;
    Ok(Action::Experimenter {
        experimenter,
        data: parse_hex("experimenter data", data)?,
    })
}

/// `unknown_action(type=N[,body=0xHEX])`.
fn parse_unknown(arg: &str) -> Result<Action, SyntaxError> {
    let (ty, body) = raw_args(arg, "type", "body")?;
    let action_type = parse_uint("action type", ty, 16)? as u16;
    let known = super::ActionType::from_raw(action_type);
    if !matches!(known, super::ActionType::Unknown(_)) {
        return Err(SyntaxError::new(format!(
            "unknown_action: type {action_type} is {known}, write it as such"
        )));
    }
    Ok(Action::Unknown {
        action_type,
        body: parse_hex("action body", body)?,
    })
}

/// Reads `first=V[,second=HEX]`, the arguments of the raw forms.
pub(crate) fn raw_args<'a>(
    arg: &'a str,
    first: &str,
    second: &str,
) -> Result<(&'a str, &'a str), SyntaxError> {
    let mut a = None;
    let mut b = "";
    for (key, value) in split_items(arg, &['='])? {
        match (key, value) {
            (k, Some(v)) if k == first => a = Some(v),
            (k, Some(v)) if k == second => b = v,
            _ => return Err(SyntaxError::new(format!("{arg}: unexpected {key}"))),
        }
    }
    let a = a.ok_or_else(|| SyntaxError::new(format!("{arg}: missing {first}=")))?;
    Ok((a, b))
}

/// Hex digits (an optional `0x` first) as bytes.
pub(crate) fn parse_hex(what: &str, s: &str) -> Result<Bytes, SyntaxError> {
    let digits = s.strip_prefix("0x").unwrap_or(s);
    let err = || SyntaxError::new(format!("{what}: {s:?} is not an even number of hex digits"));
    if !digits.len().is_multiple_of(2) || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err());
    }
    (0..digits.len() / 2)
        .map(|n| {
            digits
                .get(2 * n..2 * n + 2)
                .and_then(|d| u8::from_str_radix(d, 16).ok())
                .ok_or_else(err)
        })
        .collect::<Result<Vec<u8>, _>>()
        .map(Bytes::from)
}
