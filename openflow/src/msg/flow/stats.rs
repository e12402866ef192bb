//! Flow and aggregate statistics multipart records (`OFPMP_FLOW`, `OFPMP_AGGREGATE`).

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::instruction::{Instruction, InstructionsText};
use crate::oxm::Match;
use crate::types::{Cookie, GroupId, PortNo, TableId};
use crate::wire::{PResult, Src, Wire, fail, in_ctx, len_all, record, skip, u8_, u16_, u32_, u64_};

use super::{FlowModFlags, MatchText, fmt_duration, fmt_flow_flags, instructions_all};

/// `ofp_flow_stats_request`: the body of an `OFPMP_FLOW` or `OFPMP_AGGREGATE` request (the
/// two share one layout).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowStatsRequest {
    /// Table to read, or `TableId::ALL`.
    pub table_id: TableId,
    /// Only flows that output to this port (`PortNo::ANY`: any).
    pub out_port: PortNo,
    /// Only flows that output to this group (`GroupId::ANY`: any).
    pub out_group: GroupId,
    /// Only flows whose cookie matches under `cookie_mask`.
    pub cookie: Cookie,
    /// Which cookie bits must match; 0 matches any.
    pub cookie_mask: u64,
    /// Only flows that this match covers.
    pub match_: Match,
}

impl Default for FlowStatsRequest {
    /// Every flow of every table.
    fn default() -> FlowStatsRequest {
        FlowStatsRequest {
            table_id: TableId::ALL,
            out_port: PortNo::ANY,
            out_group: GroupId::ANY,
            cookie: Cookie(0),
            cookie_mask: 0,
            match_: Match::default(),
        }
    }
}

/// Length of `ofp_flow_stats_request` before its match.
const FLOW_STATS_REQUEST_FIXED_LEN: usize = 32;

impl Wire for FlowStatsRequest {
    fn wire_len(&self) -> usize {
        FLOW_STATS_REQUEST_FIXED_LEN + self.match_.wire_len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u8(self.table_id.0);
        out.put_bytes(0, 3);
        out.put_u32(self.out_port.0);
        out.put_u32(self.out_group.0);
        out.put_bytes(0, 4);
        out.put_u64(self.cookie.0);
        out.put_u64(self.cookie_mask);
        self.match_.emit(out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, head) = in_ctx(Ctx::Multipart, request_head(i))?;
        let (i, match_) = Match::parse(src, i)?;
        Ok((i, FlowStatsRequest { match_, ..head }))
    }
}

fn request_head(i: &[u8]) -> PResult<'_, FlowStatsRequest> {
    let (i, table_id) = u8_(i)?;
    let (i, _) = skip(i, 3)?;
    let (i, out_port) = u32_(i)?;
    let (i, out_group) = u32_(i)?;
    let (i, _) = skip(i, 4)?;
    let (i, cookie) = u64_(i)?;
    let (i, cookie_mask) = u64_(i)?;
    Ok((
        i,
        FlowStatsRequest {
            table_id: TableId(table_id),
            out_port: PortNo(out_port),
            out_group: GroupId(out_group),
            cookie: Cookie(cookie),
            cookie_mask,
            match_: Match::default(),
        },
    ))
}

impl fmt::Display for FlowStatsRequest {
    /// As OVS prints a flow or aggregate stats request (it does not show the cookie or the
    /// out group).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.table_id != TableId::ALL {
            write!(f, " table={}", self.table_id.0)?;
        }
        if self.out_port != PortNo::ANY {
            write!(f, " out_port={}", self.out_port)?;
        }
        let m = MatchText(&self.match_, super::DEFAULT_PRIORITY).to_string();
        if !m.is_empty() {
            write!(f, " {m}")?;
        }
        Ok(())
    }
}

/// `ofp_flow_stats`: one flow in an `OFPMP_FLOW` reply, delimited by its own length field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowStats {
    /// The flow's table.
    pub table_id: TableId,
    /// Time the flow has been alive in seconds.
    pub duration_sec: u32,
    /// Time alive in nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Priority of the entry.
    pub priority: u16,
    /// Idle timeout.
    pub idle_timeout: u16,
    /// Hard timeout.
    pub hard_timeout: u16,
    /// Flow-mod flags the flow was added with.
    pub flags: FlowModFlags,
    /// Opaque controller-issued identifier.
    pub cookie: Cookie,
    /// Number of packets in flow.
    pub packet_count: u64,
    /// Number of bytes in flow.
    pub byte_count: u64,
    /// The flow's match.
    pub match_: Match,
    /// The flow's instructions.
    pub instructions: Vec<Instruction>,
}

/// Length of `ofp_flow_stats` before its match.
const FLOW_STATS_FIXED_LEN: usize = 48;

impl Wire for FlowStats {
    fn wire_len(&self) -> usize {
        FLOW_STATS_FIXED_LEN + self.match_.wire_len() + len_all(&self.instructions)
    }

    fn emit(&self, out: &mut BytesMut) {
        // A record too long for its 16-bit length cannot be sent; the message encoder
        // rejects the whole message as too long before this matters.
        out.put_u16(self.wire_len().min(u16::MAX as usize) as u16);
        out.put_u8(self.table_id.0);
        out.put_u8(0);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        out.put_u16(self.priority);
        out.put_u16(self.idle_timeout);
        out.put_u16(self.hard_timeout);
        out.put_u16(self.flags.0);
        out.put_bytes(0, 4);
        out.put_u64(self.cookie.0);
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        self.match_.emit(out);
        for ins in &self.instructions {
            ins.emit(out);
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (rest, rec) = record(i, 0, FLOW_STATS_FIXED_LEN, Ctx::Multipart)?;
        let (r, head) = in_ctx(Ctx::Multipart, flow_stats_head(rec))?;
        let (r, match_) = Match::parse(src, r)?;
        let (r, instructions) = instructions_all(src, r)?;
        if !r.is_empty() {
            return fail(DecodeError::bad_len(Ctx::Multipart, rec.len()));
        }
        Ok((
            rest,
            FlowStats {
                match_,
                instructions,
                ..head
            },
        ))
    }
}

fn flow_stats_head(i: &[u8]) -> PResult<'_, FlowStats> {
    let (i, _length) = u16_(i)?;
    let (i, table_id) = u8_(i)?;
    let (i, _) = skip(i, 1)?;
    let (i, duration_sec) = u32_(i)?;
    let (i, duration_nsec) = u32_(i)?;
    let (i, priority) = u16_(i)?;
    let (i, idle_timeout) = u16_(i)?;
    let (i, hard_timeout) = u16_(i)?;
    let (i, flags) = u16_(i)?;
    let (i, _) = skip(i, 4)?;
    let (i, cookie) = u64_(i)?;
    let (i, packet_count) = u64_(i)?;
    let (i, byte_count) = u64_(i)?;
    Ok((
        i,
        FlowStats {
            table_id: TableId(table_id),
            duration_sec,
            duration_nsec,
            priority,
            idle_timeout,
            hard_timeout,
            flags: FlowModFlags(flags),
            cookie: Cookie(cookie),
            packet_count,
            byte_count,
            match_: Match::default(),
            instructions: Vec::new(),
        },
    ))
}

impl fmt::Display for FlowStats {
    /// The flow as `ovs-ofctl dump-flows` shows it (`cookie=0x0, duration=1.5s, table=0, …`),
    /// which is also its line in an `OFPST_FLOW` reply.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cookie={:#x}, duration=", self.cookie.0)?;
        fmt_duration(f, self.duration_sec, self.duration_nsec)?;
        write!(f, ", table={}, ", self.table_id.0)?;
        for (name, v) in [
            ("n_packets", self.packet_count),
            ("n_bytes", self.byte_count),
        ] {
            if v == u64::MAX {
                write!(f, "{name}=?, ")?;
            } else {
                write!(f, "{name}={v}, ")?;
            }
        }
        if self.idle_timeout != 0 {
            write!(f, "idle_timeout={}, ", self.idle_timeout)?;
        }
        if self.hard_timeout != 0 {
            write!(f, "hard_timeout={}, ", self.hard_timeout)?;
        }
        fmt_flow_flags(f, self.flags)?;
        let m = MatchText(&self.match_, self.priority).to_string();
        if !m.is_empty() {
            write!(f, "{m} ")?;
        }
        write!(f, "actions={}", InstructionsText(&self.instructions))
    }
}

/// The records of an `OFPST_FLOW` reply as OVS prints them after the title: each flow on
/// its own line, indented by one space.
pub struct FlowStatsList<'a>(pub &'a [FlowStats]);

impl fmt::Display for FlowStatsList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in self.0 {
            write!(f, "\n {s}")?;
        }
        Ok(())
    }
}

/// `ofp_aggregate_stats_reply`: the body of an `OFPMP_AGGREGATE` reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct AggregateStats {
    /// Number of packets in flows.
    pub packet_count: u64,
    /// Number of bytes in flows.
    pub byte_count: u64,
    /// Number of flows.
    pub flow_count: u32,
}

impl Wire for AggregateStats {
    fn wire_len(&self) -> usize {
        24
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        out.put_u32(self.flow_count);
        out.put_bytes(0, 4);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Multipart, aggregate(i))
    }
}

fn aggregate(i: &[u8]) -> PResult<'_, AggregateStats> {
    let (i, packet_count) = u64_(i)?;
    let (i, byte_count) = u64_(i)?;
    let (i, flow_count) = u32_(i)?;
    let (i, _) = skip(i, 4)?;
    Ok((
        i,
        AggregateStats {
            packet_count,
            byte_count,
            flow_count,
        },
    ))
}

impl fmt::Display for AggregateStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            " packet_count={} byte_count={} flow_count={}",
            self.packet_count, self.byte_count, self.flow_count
        )
    }
}
