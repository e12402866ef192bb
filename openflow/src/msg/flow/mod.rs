//! Flows: `OFPT_FLOW_MOD`, `OFPT_FLOW_REMOVED`, and the flow and aggregate statistics
//! multipart records (the way OVS groups them in `lib/ofp-flow.c`).
//!
//! `FLOW_MOD` encoding is on the controller's hot path: `emit` writes straight into the
//! output buffer with no intermediate allocation.

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::Ctx;
use crate::instruction::{Instruction, InstructionsText};
use crate::oxm::Match;
use crate::types::{BufferId, Cookie, GroupId, PortNo, TableId};
use crate::wire::{PResult, Src, Wire, in_ctx, len_all, skip, u8_, u16_, u32_, u64_};

mod stats;
mod text;

pub use stats::{AggregateStats, FlowStats, FlowStatsList, FlowStatsRequest};

/// `OFP_DEFAULT_PRIORITY`: the priority OVS leaves out when it prints a flow.
pub const DEFAULT_PRIORITY: u16 = 0x8000;

open_enum! {
    /// `ofp_flow_mod_command`.
    pub enum FlowModCommand(u8) {
        /// New flow.
        Add = 0 => "ADD",
        /// Modify all matching flows.
        Modify = 1 => "MOD",
        /// Modify entry strictly matching wildcards and priority.
        ModifyStrict = 2 => "MOD_STRICT",
        /// Delete all matching flows.
        Delete = 3 => "DEL",
        /// Delete entry strictly matching wildcards and priority.
        DeleteStrict = 4 => "DEL_STRICT",
    }
}

flags! {
    /// `ofp_flow_mod_flags`.
    pub struct FlowModFlags(u16) {
        /// Send a flow removed message when the flow expires or is deleted.
        const SEND_FLOW_REM = 1 << 0 => "send_flow_rem";
        /// Check for overlapping entries first.
        const CHECK_OVERLAP = 1 << 1 => "check_overlap";
        /// Reset flow packet and byte counts.
        const RESET_COUNTS = 1 << 2 => "reset_counts";
        /// Don't keep track of packet count.
        const NO_PKT_COUNTS = 1 << 3 => "no_packet_counts";
        /// Don't keep track of byte count.
        const NO_BYT_COUNTS = 1 << 4 => "no_byte_counts";
    }
}

open_enum! {
    /// `ofp_flow_removed_reason`. The last two are OpenFlow 1.4 values that OVS names in any
    /// version.
    pub enum FlowRemovedReason(u8) {
        /// Flow idle time exceeded `idle_timeout`.
        IdleTimeout = 0 => "idle",
        /// Time exceeded `hard_timeout`.
        HardTimeout = 1 => "hard",
        /// Evicted by a DELETE flow mod.
        Delete = 2 => "delete",
        /// Group was removed.
        GroupDelete = 3 => "group_delete",
        /// Meter was removed (OpenFlow 1.4).
        MeterDelete = 4 => "meter_delete",
        /// Switch eviction to free resources (OpenFlow 1.4).
        Eviction = 5 => "eviction",
    }
}

/// Writes flow-mod flags as OVS does inside a flow: each set flag's name followed by a space.
pub(crate) fn fmt_flow_flags(f: &mut fmt::Formatter<'_>, flags: FlowModFlags) -> fmt::Result {
    for (flag, name) in FlowModFlags::KNOWN {
        if flags.contains(*flag) {
            write!(f, "{name} ")?;
        }
    }
    // OVS refuses unknown flags; show them rather than hide them.
    if flags.unknown_bits() != 0 {
        write!(f, "flags:{:#x} ", flags.unknown_bits())?;
    }
    Ok(())
}

/// Writes a duration as OVS's `ofp_print_duration`: seconds, then milliseconds when exact,
/// else as many nanosecond digits as needed, then `s`.
pub(crate) fn fmt_duration(f: &mut fmt::Formatter<'_>, sec: u32, nsec: u32) -> fmt::Result {
    write!(f, "{sec}")?;
    if nsec > 0 {
        let msec = nsec / 1_000_000;
        if msec * 1_000_000 == nsec {
            write!(f, ".{msec:03}")?;
        } else {
            let digits = format!("{nsec:09}");
            f.write_str(".")?;
            f.write_str(digits.trim_end_matches('0'))?;
        }
    }
    f.write_str("s")
}

/// A match as OVS prints it in a flow, `priority=N,` first unless it is the default.
pub(crate) struct MatchText<'a>(pub &'a Match, pub u16);

impl fmt::Display for MatchText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let priority = (self.1 != DEFAULT_PRIORITY).then_some(self.1);
        self.0.fmt_ofctl(f, priority)
    }
}

/// `OFPT_FLOW_MOD`: add, modify or delete flows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowMod {
    /// Opaque controller-issued identifier (for a modify or delete: the value to match).
    pub cookie: Cookie,
    /// Which cookie bits must match for a modify or delete; 0 matches any cookie.
    pub cookie_mask: u64,
    /// The table to put the flow in, or `TableId::ALL` for a delete.
    pub table_id: TableId,
    /// What to do.
    pub command: FlowModCommand,
    /// Idle time before discarding, in seconds (0: never).
    pub idle_timeout: u16,
    /// Max time before discarding, in seconds (0: never).
    pub hard_timeout: u16,
    /// Priority level of the flow entry.
    pub priority: u16,
    /// Buffered packet to apply to, or `BufferId::NO_BUFFER`.
    pub buffer_id: BufferId,
    /// For deletes: only flows that output to this port (`PortNo::ANY`: any).
    pub out_port: PortNo,
    /// For deletes: only flows that output to this group (`GroupId::ANY`: any).
    pub out_group: GroupId,
    /// Flags.
    pub flags: FlowModFlags,
    /// The fields to match.
    pub match_: Match,
    /// The instructions to run on a match.
    pub instructions: Vec<Instruction>,
}

/// Length of `ofp_flow_mod` before its match.
const FLOW_MOD_FIXED_LEN: usize = 40;

impl Default for FlowMod {
    /// An `ADD` to table 0 at the default priority, matching everything, with no
    /// instructions (so it drops).
    fn default() -> FlowMod {
        FlowMod {
            cookie: Cookie(0),
            cookie_mask: 0,
            table_id: TableId(0),
            command: FlowModCommand::Add,
            idle_timeout: 0,
            hard_timeout: 0,
            priority: DEFAULT_PRIORITY,
            buffer_id: BufferId::NO_BUFFER,
            out_port: PortNo::ANY,
            out_group: GroupId::ANY,
            flags: FlowModFlags::EMPTY,
            match_: Match::default(),
            instructions: Vec::new(),
        }
    }
}

impl Wire for FlowMod {
    fn wire_len(&self) -> usize {
        FLOW_MOD_FIXED_LEN + self.match_.wire_len() + len_all(&self.instructions)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u64(self.cookie.0);
        out.put_u64(self.cookie_mask);
        out.put_u8(self.table_id.0);
        out.put_u8(self.command.raw());
        out.put_u16(self.idle_timeout);
        out.put_u16(self.hard_timeout);
        out.put_u16(self.priority);
        out.put_u32(self.buffer_id.0);
        out.put_u32(self.out_port.0);
        out.put_u32(self.out_group.0);
        out.put_u16(self.flags.0);
        out.put_bytes(0, 2);
        self.match_.emit(out);
        for ins in &self.instructions {
            ins.emit(out);
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, head) = in_ctx(Ctx::Message, flow_mod_head(i))?;
        let (i, match_) = Match::parse(src, i)?;
        let (i, instructions) = instructions_all(src, i)?;
        Ok((
            i,
            FlowMod {
                match_,
                instructions,
                ..head
            },
        ))
    }
}

fn flow_mod_head(i: &[u8]) -> PResult<'_, FlowMod> {
    let (i, cookie) = u64_(i)?;
    let (i, cookie_mask) = u64_(i)?;
    let (i, table_id) = u8_(i)?;
    let (i, command) = u8_(i)?;
    let (i, idle_timeout) = u16_(i)?;
    let (i, hard_timeout) = u16_(i)?;
    let (i, priority) = u16_(i)?;
    let (i, buffer_id) = u32_(i)?;
    let (i, out_port) = u32_(i)?;
    let (i, out_group) = u32_(i)?;
    let (i, flags) = u16_(i)?;
    let (i, _) = skip(i, 2)?;
    Ok((
        i,
        FlowMod {
            cookie: Cookie(cookie),
            cookie_mask,
            table_id: TableId(table_id),
            command: FlowModCommand::from_raw(command),
            idle_timeout,
            hard_timeout,
            priority,
            buffer_id: BufferId(buffer_id),
            out_port: PortNo(out_port),
            out_group: GroupId(out_group),
            flags: FlowModFlags(flags),
            match_: Match::default(),
            instructions: Vec::new(),
        },
    ))
}

/// Parses instructions until `i` is used up; each instruction checks its own length.
pub(crate) fn instructions_all<'a>(src: Src<'_>, mut i: &'a [u8]) -> PResult<'a, Vec<Instruction>> {
    let mut out = Vec::new();
    while !i.is_empty() {
        let (rest, ins) = Instruction::parse(src, i)?;
        out.push(ins);
        i = rest;
    }
    Ok((i, out))
}

impl fmt::Display for FlowMod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.command.name() {
            Some(n) => write!(f, " {n}")?,
            None => write!(f, " cmd:{}", self.command.raw())?,
        }
        if self.table_id.0 != 0 {
            write!(f, " table:{}", self.table_id.0)?;
        }
        f.write_str(" ")?;
        let m = MatchText(&self.match_, self.priority).to_string();
        if !m.is_empty() {
            write!(f, "{m} ")?;
        }
        // An add sets the cookie; the other commands match on it (OVS shows only a mask).
        if self.command == FlowModCommand::Add {
            if self.cookie.0 != 0 && self.cookie.0 != u64::MAX {
                write!(f, "cookie:{:#x} ", self.cookie.0)?;
            }
        } else if self.cookie_mask != 0 {
            write!(f, "cookie:{:#x}/{:#x} ", self.cookie.0, self.cookie_mask)?;
        }
        if self.idle_timeout != 0 {
            write!(f, "idle:{} ", self.idle_timeout)?;
        }
        if self.hard_timeout != 0 {
            write!(f, "hard:{} ", self.hard_timeout)?;
        }
        if self.buffer_id != BufferId::NO_BUFFER {
            write!(f, "buf:{:#x} ", self.buffer_id.0)?;
        }
        if self.out_port != PortNo::ANY {
            write!(f, "out_port:{} ", self.out_port)?;
        }
        fmt_flow_flags(f, self.flags)?;
        write!(f, "actions={}", InstructionsText(&self.instructions))
    }
}

/// `OFPT_FLOW_REMOVED`: a flow expired or was deleted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowRemoved {
    /// The flow's cookie.
    pub cookie: Cookie,
    /// The flow's priority.
    pub priority: u16,
    /// Why it was removed.
    pub reason: FlowRemovedReason,
    /// The table it was in.
    pub table_id: TableId,
    /// Time the flow was alive in seconds.
    pub duration_sec: u32,
    /// Time alive in nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Its idle timeout.
    pub idle_timeout: u16,
    /// Its hard timeout.
    pub hard_timeout: u16,
    /// Packets it matched.
    pub packet_count: u64,
    /// Bytes it matched.
    pub byte_count: u64,
    /// Its match.
    pub match_: Match,
}

/// Length of `ofp_flow_removed` before its match.
const FLOW_REMOVED_FIXED_LEN: usize = 40;

impl Wire for FlowRemoved {
    fn wire_len(&self) -> usize {
        FLOW_REMOVED_FIXED_LEN + self.match_.wire_len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u64(self.cookie.0);
        out.put_u16(self.priority);
        out.put_u8(self.reason.raw());
        out.put_u8(self.table_id.0);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        out.put_u16(self.idle_timeout);
        out.put_u16(self.hard_timeout);
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        self.match_.emit(out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, head) = in_ctx(Ctx::Message, flow_removed_head(i))?;
        let (i, match_) = Match::parse(src, i)?;
        Ok((i, FlowRemoved { match_, ..head }))
    }
}

fn flow_removed_head(i: &[u8]) -> PResult<'_, FlowRemoved> {
    let (i, cookie) = u64_(i)?;
    let (i, priority) = u16_(i)?;
    let (i, reason) = u8_(i)?;
    let (i, table_id) = u8_(i)?;
    let (i, duration_sec) = u32_(i)?;
    let (i, duration_nsec) = u32_(i)?;
    let (i, idle_timeout) = u16_(i)?;
    let (i, hard_timeout) = u16_(i)?;
    let (i, packet_count) = u64_(i)?;
    let (i, byte_count) = u64_(i)?;
    Ok((
        i,
        FlowRemoved {
            cookie: Cookie(cookie),
            priority,
            reason: FlowRemovedReason::from_raw(reason),
            table_id: TableId(table_id),
            duration_sec,
            duration_nsec,
            idle_timeout,
            hard_timeout,
            packet_count,
            byte_count,
            match_: Match::default(),
        },
    ))
}

impl fmt::Display for FlowRemoved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " {}", MatchText(&self.match_, self.priority))?;
        write!(f, " reason={}", self.reason)?;
        if self.table_id != TableId::ALL {
            write!(f, " table_id={}", self.table_id.0)?;
        }
        if self.cookie.0 != 0 {
            write!(f, " cookie:{:#x}", self.cookie.0)?;
        }
        f.write_str(" duration")?;
        fmt_duration(f, self.duration_sec, self.duration_nsec)?;
        write!(f, " idle{}", self.idle_timeout)?;
        // OVS leaves out a zero hard timeout (it was new in OpenFlow 1.2).
        if self.hard_timeout != 0 {
            write!(f, " hard{}", self.hard_timeout)?;
        }
        write!(f, " pkts{} bytes{}", self.packet_count, self.byte_count)
    }
}

#[cfg(test)]
mod tests;
