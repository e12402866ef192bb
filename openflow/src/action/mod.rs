//! Actions (`ofp_action_*`): the wire form, the `ovs-ofctl` text form, and lists of them.
//!
//! Every action is a TLV whose length is a multiple of 8. Standard actions are decoded;
//! experimenter actions (Nicira `resubmit`, `ct`, `learn`, …) and action types this crate does
//! not know are kept byte for byte, borrowing from the frame.
//!
//! Decoding follows the spec's error codes: a bad length is `OFPBAC_BAD_LEN`; a `set_field`
//! whose OXM does not fit is `OFPBAC_BAD_SET_LEN`, one naming a field that cannot be decoded is
//! `OFPBAC_BAD_SET_TYPE`, and one that is masked, read-only or holds an impossible value is
//! `OFPBAC_BAD_SET_ARGUMENT` (Open vSwitch answers the same for all but the mask, for which it
//! uses an ONF extension code that OpenFlow 1.3 does not define).

mod display;
mod ofctl;

use bytes::{BufMut, Bytes, BytesMut};

use crate::errcode::{BadActionCode, BadMatchCode, ErrorCode};
use crate::error::{Ctx, DecodeError};
use crate::oxm::OxmField;
use crate::types::{GroupId, PortNo, QueueId};
use crate::wire::{PResult, Src, Wire, complete_err, fail, in_ctx, pad8, record, take};

pub use display::ActionsText;
pub(crate) use display::{HexBytes, c_hex};
pub use ofctl::{FlowContext, parse_ofctl_actions, parse_ofctl_actions_for};
pub(crate) use ofctl::{
    drop_not_alone, parse_action_item, parse_hex, parse_ofctl_actions_in, raw_args,
};

/// One OpenFlow 1.3 action.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// `OFPAT_OUTPUT`: output to a port; `max_len` bytes go to the controller.
    Output {
        /// Output port.
        port: PortNo,
        /// Max bytes to send when `port` is CONTROLLER (`0xffff`: no buffering, whole frame).
        max_len: u16,
    },
    /// `OFPAT_COPY_TTL_OUT`: copy TTL "outwards".
    CopyTtlOut,
    /// `OFPAT_COPY_TTL_IN`: copy TTL "inwards".
    CopyTtlIn,
    /// `OFPAT_SET_MPLS_TTL`.
    SetMplsTtl(u8),
    /// `OFPAT_DEC_MPLS_TTL`.
    DecMplsTtl,
    /// `OFPAT_PUSH_VLAN` with the tag's ethertype.
    PushVlan(u16),
    /// `OFPAT_POP_VLAN`.
    PopVlan,
    /// `OFPAT_PUSH_MPLS` with the ethertype.
    PushMpls(u16),
    /// `OFPAT_POP_MPLS` with the ethertype of the payload.
    PopMpls(u16),
    /// `OFPAT_SET_QUEUE`.
    SetQueue(QueueId),
    /// `OFPAT_GROUP`.
    Group(GroupId),
    /// `OFPAT_SET_NW_TTL`.
    SetNwTtl(u8),
    /// `OFPAT_DEC_NW_TTL`.
    DecNwTtl,
    /// `OFPAT_SET_FIELD`: set one header field (any OXM field, Nicira ones included).
    SetField(OxmField),
    /// `OFPAT_PUSH_PBB` with the ethertype.
    PushPbb(u16),
    /// `OFPAT_POP_PBB`.
    PopPbb,
    /// `OFPAT_EXPERIMENTER`: kept byte for byte after the experimenter id.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// The bytes after the experimenter id, padding included.
        data: Bytes,
    },
    /// An action type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw action type.
        action_type: u16,
        /// The bytes after the type and length fields.
        body: Bytes,
    },
}

open_enum! {
    /// `ofp_action_type`, named as `ovs-ofctl` names the action.
    pub enum ActionType(u16) {
        /// `OFPAT_OUTPUT`.
        Output = 0 => "output",
        /// `OFPAT_COPY_TTL_OUT`.
        CopyTtlOut = 11 => "copy_ttl_out",
        /// `OFPAT_COPY_TTL_IN`.
        CopyTtlIn = 12 => "copy_ttl_in",
        /// `OFPAT_SET_MPLS_TTL`.
        SetMplsTtl = 15 => "set_mpls_ttl",
        /// `OFPAT_DEC_MPLS_TTL`.
        DecMplsTtl = 16 => "dec_mpls_ttl",
        /// `OFPAT_PUSH_VLAN`.
        PushVlan = 17 => "push_vlan",
        /// `OFPAT_POP_VLAN`.
        PopVlan = 18 => "pop_vlan",
        /// `OFPAT_PUSH_MPLS`.
        PushMpls = 19 => "push_mpls",
        /// `OFPAT_POP_MPLS`.
        PopMpls = 20 => "pop_mpls",
        /// `OFPAT_SET_QUEUE`.
        SetQueue = 21 => "set_queue",
        /// `OFPAT_GROUP`.
        Group = 22 => "group",
        /// `OFPAT_SET_NW_TTL`.
        SetNwTtl = 23 => "mod_nw_ttl",
        /// `OFPAT_DEC_NW_TTL`.
        DecNwTtl = 24 => "dec_ttl",
        /// `OFPAT_SET_FIELD`.
        SetField = 25 => "set_field",
        /// `OFPAT_PUSH_PBB`.
        PushPbb = 26 => "push_pbb",
        /// `OFPAT_POP_PBB`.
        PopPbb = 27 => "pop_pbb",
        /// `OFPAT_EXPERIMENTER`.
        Experimenter = 0xffff => "experimenter",
    }
}

/// The experimenter id of Nicira (Open vSwitch) extensions.
pub const NX_EXPERIMENTER_ID: u32 = 0x0000_2320;

/// Length of the action header (`type`, `len`) and of the smallest action.
const HEADER_LEN: usize = 4;
const MIN_LEN: usize = 8;
const OUTPUT_LEN: usize = 16;

/// The OXM header bit saying a mask follows the value.
const OXM_HASMASK: u32 = 0x100;

impl Action {
    /// The action's `ofp_action_type`.
    pub fn action_type(&self) -> ActionType {
        match self {
            Action::Output { .. } => ActionType::Output,
            Action::CopyTtlOut => ActionType::CopyTtlOut,
            Action::CopyTtlIn => ActionType::CopyTtlIn,
            Action::SetMplsTtl(_) => ActionType::SetMplsTtl,
            Action::DecMplsTtl => ActionType::DecMplsTtl,
            Action::PushVlan(_) => ActionType::PushVlan,
            Action::PopVlan => ActionType::PopVlan,
            Action::PushMpls(_) => ActionType::PushMpls,
            Action::PopMpls(_) => ActionType::PopMpls,
            Action::SetQueue(_) => ActionType::SetQueue,
            Action::Group(_) => ActionType::Group,
            Action::SetNwTtl(_) => ActionType::SetNwTtl,
            Action::DecNwTtl => ActionType::DecNwTtl,
            Action::SetField(_) => ActionType::SetField,
            Action::PushPbb(_) => ActionType::PushPbb,
            Action::PopPbb => ActionType::PopPbb,
            Action::Experimenter { .. } => ActionType::Experimenter,
            Action::Unknown { action_type, .. } => ActionType::from_raw(*action_type),
        }
    }

    /// Output to `port`; CONTROLLER gets the whole packet (`max_len` 0xffff), as `ovs-ofctl`
    /// does for `output:CONTROLLER`.
    pub fn output(port: PortNo) -> Action {
        let max_len = if port == PortNo::CONTROLLER {
            0xffff
        } else {
            0
        };
        Action::Output { port, max_len }
    }
}

impl Wire for Action {
    fn wire_len(&self) -> usize {
        match self {
            Action::Output { .. } => OUTPUT_LEN,
            Action::SetField(field) => pad8(HEADER_LEN + field.wire_len()),
            Action::Experimenter { data, .. } => pad8(MIN_LEN + data.len()),
            Action::Unknown { body, .. } => pad8(HEADER_LEN + body.len()),
            _ => MIN_LEN,
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        let len = self.wire_len();
        out.put_u16(self.action_type().raw());
        // A length past 16 bits cannot be framed; the enclosing message is then too long and
        // `Message::encode` refuses it, so the truncation here is never sent.
        out.put_u16(len as u16);
        match self {
            Action::Output { port, max_len } => {
                out.put_u32(port.0);
                out.put_u16(*max_len);
                out.put_bytes(0, 6);
            }
            Action::CopyTtlOut
            | Action::CopyTtlIn
            | Action::DecMplsTtl
            | Action::PopVlan
            | Action::DecNwTtl
            | Action::PopPbb => out.put_bytes(0, 4),
            Action::SetMplsTtl(ttl) | Action::SetNwTtl(ttl) => {
                out.put_u8(*ttl);
                out.put_bytes(0, 3);
            }
            Action::PushVlan(ethertype)
            | Action::PushMpls(ethertype)
            | Action::PopMpls(ethertype)
            | Action::PushPbb(ethertype) => {
                out.put_u16(*ethertype);
                out.put_bytes(0, 2);
            }
            Action::SetQueue(queue) => out.put_u32(queue.0),
            Action::Group(group) => out.put_u32(group.0),
            Action::SetField(field) => {
                field.emit(out);
                out.put_bytes(0, len - HEADER_LEN - field.wire_len());
            }
            Action::Experimenter { experimenter, data } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
                out.put_bytes(0, len - MIN_LEN - data.len());
            }
            Action::Unknown { body, .. } => {
                out.put_slice(body);
                out.put_bytes(0, len - HEADER_LEN - body.len());
            }
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Action, parse_action(src, i))
    }
}

fn parse_action<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Action> {
    let (rest, rec) = record(i, 2, MIN_LEN, Ctx::Action)?;
    let len = rec.len();
    if !len.is_multiple_of(8) {
        return fail(DecodeError::bad_len(Ctx::Action, len));
    }
    let action_type = u16::from_be_bytes([rec[0], rec[1]]);
    let body = &rec[HEADER_LEN..];
    let exact = |want: usize| {
        if len == want {
            Ok(())
        } else {
            Err(nom::Err::Failure(DecodeError::bad_len(Ctx::Action, len)))
        }
    };
    let u8_at = |b: &[u8]| b.first().copied().unwrap_or(0);
    let u16_at = |b: &[u8]| match b {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    };
    let u32_at = |b: &[u8]| match b {
        [a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => 0,
    };
    // `record` guaranteed at least MIN_LEN bytes, so `body` holds at least 4.
    let action = match ActionType::from_raw(action_type) {
        ActionType::Output => {
            exact(OUTPUT_LEN)?;
            Action::Output {
                port: PortNo(u32_at(body)),
                max_len: u16_at(&body[4..]),
            }
        }
        ActionType::CopyTtlOut => exact(MIN_LEN).map(|_| Action::CopyTtlOut)?,
        ActionType::CopyTtlIn => exact(MIN_LEN).map(|_| Action::CopyTtlIn)?,
        ActionType::DecMplsTtl => exact(MIN_LEN).map(|_| Action::DecMplsTtl)?,
        ActionType::PopVlan => exact(MIN_LEN).map(|_| Action::PopVlan)?,
        ActionType::DecNwTtl => exact(MIN_LEN).map(|_| Action::DecNwTtl)?,
        ActionType::PopPbb => exact(MIN_LEN).map(|_| Action::PopPbb)?,
        ActionType::SetMplsTtl => exact(MIN_LEN).map(|_| Action::SetMplsTtl(u8_at(body)))?,
        ActionType::SetNwTtl => exact(MIN_LEN).map(|_| Action::SetNwTtl(u8_at(body)))?,
        ActionType::PushVlan => {
            exact(MIN_LEN)?;
            let ethertype = u16_at(body);
            check_ethertype("push_vlan", ethertype, &[0x8100, 0x88a8])?;
            Action::PushVlan(ethertype)
        }
        ActionType::PushMpls => {
            exact(MIN_LEN)?;
            let ethertype = u16_at(body);
            check_ethertype("push_mpls", ethertype, &[0x8847, 0x8848])?;
            Action::PushMpls(ethertype)
        }
        ActionType::PushPbb => {
            exact(MIN_LEN)?;
            let ethertype = u16_at(body);
            check_ethertype("push_pbb", ethertype, &[0x88e7])?;
            Action::PushPbb(ethertype)
        }
        ActionType::PopMpls => exact(MIN_LEN).map(|_| Action::PopMpls(u16_at(body)))?,
        ActionType::SetQueue => exact(MIN_LEN).map(|_| Action::SetQueue(QueueId(u32_at(body))))?,
        ActionType::Group => exact(MIN_LEN).map(|_| Action::Group(GroupId(u32_at(body))))?,
        ActionType::SetField => parse_set_field(src, rec).map_err(nom::Err::Failure)?,
        ActionType::Experimenter => Action::Experimenter {
            experimenter: u32_at(body),
            data: src.bytes(&body[4..]),
        },
        ActionType::Unknown(action_type) => Action::Unknown {
            action_type,
            body: src.bytes(body),
        },
    };
    Ok((rest, action))
}

/// Push actions name the tag they push; any other ethertype is `OFPBAC_BAD_ARGUMENT`.
fn check_ethertype(
    field: &'static str,
    ethertype: u16,
    allowed: &[u16],
) -> Result<(), nom::Err<DecodeError>> {
    if allowed.contains(&ethertype) {
        Ok(())
    } else {
        Err(nom::Err::Failure(DecodeError::BadValue {
            field,
            value: ethertype.into(),
            code: ErrorCode::BadAction(BadActionCode::BadArgument),
        }))
    }
}

/// `rec` is the whole action, at least 8 bytes and a multiple of 8.
fn parse_set_field(src: Src<'_>, rec: &[u8]) -> Result<Action, DecodeError> {
    let oxm_area = rec.get(HEADER_LEN..).unwrap_or_default();
    let header = match oxm_area {
        [a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => return Err(DecodeError::bad_len(Ctx::Action, rec.len())),
    };
    let bad = |code| set_field_error(header, code);
    let oxm_end = 4 + (header & 0xff) as usize;
    let Some(oxm) = oxm_area.get(..oxm_end) else {
        return Err(bad(BadActionCode::BadSetLen));
    };
    // Exactly the padding needed to reach a multiple of 8: more would not survive a
    // parse/emit round trip (Open vSwitch would accept extra zero bytes here).
    if pad8(HEADER_LEN + oxm_end) != rec.len() {
        return Err(bad(BadActionCode::BadSetLen));
    }
    if header & OXM_HASMASK != 0 {
        return Err(bad(BadActionCode::BadSetArgument));
    }
    if oxm_area[oxm_end..].iter().any(|&b| b != 0) {
        return Err(bad(BadActionCode::BadSetArgument));
    }
    let field = match complete_err(OxmField::parse(src, oxm)) {
        Ok(([], field)) => field,
        Ok(_) => return Err(bad(BadActionCode::BadSetLen)),
        Err(e) => return Err(bad(set_field_code(&e))),
    };
    check_set_field(&field).map_err(bad)?;
    Ok(Action::SetField(field))
}

fn set_field_error(header: u32, code: BadActionCode) -> DecodeError {
    DecodeError::BadValue {
        field: "set_field",
        value: header.into(),
        code: ErrorCode::BadAction(code),
    }
}

/// Translates the match-context error of an OXM TLV into the set-field code the spec gives
/// for the same problem.
fn set_field_code(e: &DecodeError) -> BadActionCode {
    match e {
        DecodeError::Truncated { .. } | DecodeError::BadLen { .. } => BadActionCode::BadSetLen,
        _ => match e.ofp_error() {
            ErrorCode::BadMatch(BadMatchCode::BadLen) => BadActionCode::BadSetLen,
            ErrorCode::BadMatch(BadMatchCode::BadField | BadMatchCode::BadType) => {
                BadActionCode::BadSetType
            }
            _ => BadActionCode::BadSetArgument,
        },
    }
}

/// What a switch must refuse in a set-field: pipeline fields and fields that describe rather
/// than carry a header (Open vSwitch marks them read-only), and values a match could not hold.
/// The VLAN id must carry `OFPVID_PRESENT`, since the action rewrites an existing tag.
pub(crate) fn check_set_field(field: &OxmField) -> Result<(), BadActionCode> {
    let ok = match *field {
        OxmField::InPort(_)
        | OxmField::InPhyPort(_)
        | OxmField::EthType(_)
        | OxmField::IpProto(_)
        | OxmField::MplsBos(_)
        | OxmField::Ipv6Exthdr(..) => false,
        OxmField::VlanVid(vid, _) => vid & 0x1000 != 0 && vid <= 0x1fff,
        OxmField::VlanPcp(v) | OxmField::MplsTc(v) => v <= 7,
        OxmField::IpDscp(v) => v <= 0x3f,
        OxmField::IpEcn(v) => v <= 3,
        OxmField::MplsLabel(v) | OxmField::Ipv6Flabel(v, _) => v < 1 << 20,
        OxmField::PbbIsid(v, _) => v < 1 << 24,
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(BadActionCode::BadSetArgument)
    }
}

/// Parses actions until `i` is used up (the action list of a packet-out, bucket or
/// instruction, already cut to its length).
pub fn parse_actions(src: Src<'_>, mut i: &[u8]) -> Result<Vec<Action>, DecodeError> {
    let mut out = Vec::new();
    while !i.is_empty() {
        let (rest, action) = complete_err(Action::parse(src, i))?;
        out.push(action);
        i = rest;
    }
    Ok(out)
}

/// Parses an action list of `len` bytes from the front of `i` (a length field read by the
/// caller); a `len` past the end of `i` is a truncation in the caller's context.
pub fn parse_action_list<'a>(src: Src<'_>, i: &'a [u8], len: usize) -> PResult<'a, Vec<Action>> {
    let (rest, list) = take(i, len)?;
    match parse_actions(src, list) {
        Ok(actions) => Ok((rest, actions)),
        Err(e) => Err(nom::Err::Failure(e)),
    }
}

/// The wire length of an action list.
pub fn actions_len(actions: &[Action]) -> usize {
    actions.iter().map(Wire::wire_len).sum()
}

/// Appends an action list.
pub fn emit_actions(actions: &[Action], out: &mut BytesMut) {
    for action in actions {
        action.emit(out);
    }
}

#[cfg(test)]
pub(crate) mod tests;
