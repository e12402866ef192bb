//! Actions (`ofp_action_*`).
//!
//! SHAPE ONLY: the actions helper fills in parse, emit, Display and text parsing.

use core::fmt;

use bytes::{Bytes, BytesMut};

use crate::oxm::OxmField;
use crate::types::{GroupId, PortNo, QueueId};
use crate::wire::{PResult, Src, Wire};

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

impl Wire for Action {
    fn wire_len(&self) -> usize {
        todo!("actions helper")
    }
    fn emit(&self, _out: &mut BytesMut) {
        todo!("actions helper")
    }
    fn parse<'a>(_src: Src<'_>, _i: &'a [u8]) -> PResult<'a, Self> {
        todo!("actions helper")
    }
}

impl fmt::Display for Action {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("actions helper")
    }
}
