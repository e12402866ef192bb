//! Packets between switch and controller: `OFPT_PACKET_IN` and `OFPT_PACKET_OUT`.
//!
//! `PACKET_IN` decoding is the controller's hottest path: the packet data is a zero-copy
//! slice of the received frame, and nothing beyond the match's field list is allocated.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::action::{Action, ActionsText};
use crate::error::{Ctx, DecodeError};
use crate::oxm::{Match, OxmField};
use crate::types::{BufferId, Cookie, PortNo, TableId};
use crate::wire::{PResult, Src, Wire, fail, in_ctx, len_all, skip, take, u8_, u16_, u32_, u64_};

use super::flow::{DEFAULT_PRIORITY, MatchText};

mod dissect;

pub use dissect::PacketSummary;

open_enum! {
    /// `ofp_packet_in_reason`. The last three are OpenFlow 1.4 values that OVS names in any
    /// version.
    pub enum PacketInReason(u8) {
        /// No matching flow (table-miss flow entry).
        NoMatch = 0 => "no_match",
        /// Action explicitly output to controller.
        Action = 1 => "action",
        /// Packet has invalid TTL.
        InvalidTtl = 2 => "invalid_ttl",
        /// Output to controller in the action set (OpenFlow 1.4).
        ActionSet = 3 => "action_set",
        /// Output to controller in a group bucket (OpenFlow 1.4).
        Group = 4 => "group",
        /// Output to controller in a packet-out (OpenFlow 1.4).
        PacketOut = 5 => "packet_out",
    }
}

/// `OFPT_PACKET_IN`: a packet sent from the switch to the controller.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PacketIn {
    /// Id of the buffered packet on the switch, or `BufferId::NO_BUFFER`.
    pub buffer_id: BufferId,
    /// Full length of the frame (`data` may be a prefix of it).
    pub total_len: u16,
    /// Why the packet is being sent.
    pub reason: PacketInReason,
    /// The table that was looked up.
    pub table_id: TableId,
    /// Cookie of the flow entry that sent it (all ones when none did).
    pub cookie: Cookie,
    /// Packet metadata: the input port and other pipeline fields.
    pub match_: Match,
    /// The Ethernet frame, or its first bytes.
    pub data: Bytes,
}

/// Length of `ofp_packet_in` before its match.
const PACKET_IN_FIXED_LEN: usize = 16;

impl PacketIn {
    /// The input port, from the match's `in_port` field.
    pub fn in_port(&self) -> Option<PortNo> {
        self.match_.fields.iter().find_map(|f| match f {
            OxmField::InPort(p) => Some(*p),
            _ => None,
        })
    }
}

impl Wire for PacketIn {
    fn wire_len(&self) -> usize {
        PACKET_IN_FIXED_LEN + self.match_.wire_len() + 2 + self.data.len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.buffer_id.0);
        out.put_u16(self.total_len);
        out.put_u8(self.reason.raw());
        out.put_u8(self.table_id.0);
        out.put_u64(self.cookie.0);
        self.match_.emit(out);
        out.put_bytes(0, 2);
        out.put_slice(&self.data);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, (buffer_id, total_len, reason, table_id, cookie)) =
            in_ctx(Ctx::Message, packet_in_head(i))?;
        let (i, match_) = Match::parse(src, i)?;
        let (data, _) = in_ctx(Ctx::Message, skip(i, 2))?;
        Ok((
            &[],
            PacketIn {
                buffer_id: BufferId(buffer_id),
                total_len,
                reason: PacketInReason::from_raw(reason),
                table_id: TableId(table_id),
                cookie: Cookie(cookie),
                match_,
                data: src.bytes(data),
            },
        ))
    }
}

fn packet_in_head(i: &[u8]) -> PResult<'_, (u32, u16, u8, u8, u64)> {
    let (i, buffer_id) = u32_(i)?;
    let (i, total_len) = u16_(i)?;
    let (i, reason) = u8_(i)?;
    let (i, table_id) = u8_(i)?;
    let (i, cookie) = u64_(i)?;
    Ok((i, (buffer_id, total_len, reason, table_id, cookie)))
}

impl fmt::Display for PacketIn {
    /// The summary line and, on the next line, the packet's headers, as `ovs-ofctl` shows
    /// them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.table_id.0 != 0 {
            write!(f, " table_id={}", self.table_id.0)?;
        }
        if self.cookie.0 != u64::MAX {
            write!(f, " cookie={:#x}", self.cookie.0)?;
        }
        write!(
            f,
            " total_len={} {}",
            self.total_len,
            MatchText(&self.match_, DEFAULT_PRIORITY)
        )?;
        match self.reason.name() {
            Some(n) => write!(f, " (via {n})")?,
            None => write!(f, " (via {})", self.reason.raw())?,
        }
        let data_len = self.data.len();
        write!(f, " data_len={data_len}")?;
        if self.buffer_id == BufferId::NO_BUFFER {
            f.write_str(" (unbuffered)")?;
            if usize::from(self.total_len) != data_len {
                f.write_str(" (***total_len != data_len***)")?;
            }
        } else {
            write!(f, " buffer=0x{:08x}", self.buffer_id.0)?;
            if usize::from(self.total_len) < data_len {
                f.write_str(" (***total_len < data_len***)")?;
            }
        }
        write!(f, "\n{}", PacketSummary(&self.data))
    }
}

/// `OFPT_PACKET_OUT`: the controller sends a packet (or a buffered one) through actions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PacketOut {
    /// Id of a packet buffered on the switch, or `BufferId::NO_BUFFER` to send `data`.
    pub buffer_id: BufferId,
    /// The port the packet is considered to have come in on (`PortNo::CONTROLLER` if none).
    pub in_port: PortNo,
    /// What to do with the packet.
    pub actions: Vec<Action>,
    /// The frame to send when `buffer_id` is `NO_BUFFER`.
    pub data: Bytes,
}

/// Length of `ofp_packet_out` before its actions.
const PACKET_OUT_FIXED_LEN: usize = 16;

impl Wire for PacketOut {
    fn wire_len(&self) -> usize {
        PACKET_OUT_FIXED_LEN + len_all(&self.actions) + self.data.len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.buffer_id.0);
        out.put_u32(self.in_port.0);
        // Actions longer than the field can say make a message longer than 64 KiB, which
        // the message encoder refuses.
        out.put_u16(len_all(&self.actions).min(u16::MAX as usize) as u16);
        out.put_bytes(0, 6);
        for a in &self.actions {
            a.emit(out);
        }
        out.put_slice(&self.data);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, (buffer_id, in_port, actions_len)) = in_ctx(Ctx::Message, packet_out_head(i))?;
        let actions_len = usize::from(actions_len);
        // OVS (ofpacts_pull_openflow_actions) requires whole 8-byte units.
        if actions_len % 8 != 0 || actions_len > i.len() {
            return fail(DecodeError::bad_len(Ctx::Message, actions_len));
        }
        let (data, mut acts) = take(i, actions_len)?;
        let mut actions = Vec::new();
        while !acts.is_empty() {
            let (rest, a) = Action::parse(src, acts)?;
            actions.push(a);
            acts = rest;
        }
        Ok((
            &[],
            PacketOut {
                buffer_id: BufferId(buffer_id),
                in_port: PortNo(in_port),
                actions,
                data: src.bytes(data),
            },
        ))
    }
}

fn packet_out_head(i: &[u8]) -> PResult<'_, (u32, u32, u16)> {
    let (i, buffer_id) = u32_(i)?;
    let (i, in_port) = u32_(i)?;
    let (i, actions_len) = u16_(i)?;
    let (i, _) = skip(i, 6)?;
    Ok((i, (buffer_id, in_port, actions_len)))
}

impl fmt::Display for PacketOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            " in_port={} actions={}",
            self.in_port,
            ActionsText(&self.actions)
        )?;
        if self.buffer_id == BufferId::NO_BUFFER {
            write!(f, " data_len={}", self.data.len())?;
            if !self.data.is_empty() {
                write!(f, "\n{}", PacketSummary(&self.data))?;
            }
        } else {
            write!(f, " buffer=0x{:08x}", self.buffer_id.0)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
