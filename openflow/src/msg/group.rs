//! Groups: `OFPT_GROUP_MOD`, its buckets, and the group multipart records (`OFPMP_GROUP`,
//! `OFPMP_GROUP_DESC`, `OFPMP_GROUP_FEATURES`), after OVS's `lib/ofp-group.c`.

use crate::text::c_hex;
use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::action::Action;
use crate::errcode::{ErrorCode, GroupModFailedCode};
use crate::error::{Ctx, DecodeError};
use crate::msg::multipart::fmt_duration;
use crate::msg::table_features::fmt_action_bitmap;
use crate::types::{GroupId, PortNo};
use crate::wire::{
    PResult, Src, Wire, emit_all, fail, in_ctx, len_all, many_all, skip, u8_, u16_, u32_, u64_,
};

open_enum! {
    /// `ofp_group_mod_command`.
    pub enum GroupModCommand(u16) {
        /// New group.
        Add = 0 => "ADD",
        /// Modify all matching groups.
        Modify = 1 => "MOD",
        /// Delete all matching groups.
        Delete = 2 => "DEL",
        /// Open vSwitch extension: add the group, or modify it if it exists
        /// (`ovs-ofctl --may-create mod-group`).
        AddOrModify = 0x8000 => "ADD_OR_MOD",
    }
}

open_enum! {
    /// `ofp_group_type`.
    pub enum GroupType(u8) {
        /// All (multicast/broadcast) group.
        All = 0 => "all",
        /// Select group.
        Select = 1 => "select",
        /// Indirect group.
        Indirect = 2 => "indirect",
        /// Fast failover group.
        Ff = 3 => "ff",
    }
}

flags! {
    /// `ofp_group_capabilities`: what a switch's group table can do.
    pub struct GroupCapabilities(u32) {
        /// Support weight for select groups.
        const SELECT_WEIGHT = 1 << 0 => "select_weight";
        /// Support liveness for select groups.
        const SELECT_LIVENESS = 1 << 1 => "select_liveness";
        /// Support chaining groups.
        const CHAINING = 1 << 2 => "chaining";
        /// Check chaining for loops and delete.
        const CHAINING_CHECKS = 1 << 3 => "chaining_checks";
    }
}

/// Length of `ofp_group_mod` without its buckets.
const GROUP_MOD_LEN: usize = 8;
/// Length of `ofp_bucket` without its actions.
const BUCKET_LEN: usize = 16;
/// Length of `ofp_group_desc` without its buckets.
const GROUP_DESC_LEN: usize = 8;
/// Length of `ofp_group_stats` without its bucket counters.
const GROUP_STATS_LEN: usize = 40;
/// Length of `ofp_bucket_counter`.
const BUCKET_COUNTER_LEN: usize = 16;
/// Length of `ofp_group_features`.
const GROUP_FEATURES_LEN: usize = 40;

/// `OFPT_GROUP_MOD`: add, change or delete a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMod {
    /// What to do.
    pub command: GroupModCommand,
    /// The kind of group.
    pub group_type: GroupType,
    /// Which group.
    pub group_id: GroupId,
    /// The action buckets.
    pub buckets: Vec<Bucket>,
}

/// `ofp_bucket`: one set of actions of a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// Relative weight, for select groups.
    pub weight: u16,
    /// Port whose liveness decides whether the bucket is live (fast failover), or ANY.
    pub watch_port: PortNo,
    /// Group whose liveness decides whether the bucket is live, or ANY.
    pub watch_group: GroupId,
    /// The actions to apply.
    pub actions: Vec<Action>,
}

impl Bucket {
    /// A bucket with no liveness watch and the given actions.
    pub fn new(weight: u16, actions: Vec<Action>) -> Bucket {
        Bucket {
            weight,
            watch_port: PortNo::ANY,
            watch_group: GroupId::ANY,
            actions,
        }
    }
}

/// A malformed bucket: the spec's code is `OFPGMFC_BAD_BUCKET`, whatever the message.
fn bad_bucket(len: usize) -> DecodeError {
    DecodeError::BadValue {
        field: "bucket length",
        value: len as u64,
        code: ErrorCode::GroupModFailed(GroupModFailedCode::BadBucket),
    }
}

impl Wire for Bucket {
    fn wire_len(&self) -> usize {
        BUCKET_LEN + len_all(&self.actions)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.wire_len() as u16);
        out.put_u16(self.weight);
        out.put_u32(self.watch_port.0);
        out.put_u32(self.watch_group.0);
        out.put_bytes(0, 4);
        emit_all(&self.actions, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        if i.len() < BUCKET_LEN {
            return fail(bad_bucket(i.len()));
        }
        let len = u16::from_be_bytes([i[0], i[1]]) as usize;
        if len < BUCKET_LEN || len > i.len() {
            return fail(bad_bucket(len));
        }
        let (rec, rest) = i.split_at(len);
        let r = (|| {
            let (b, _) = skip(rec, 2)?;
            let (b, weight) = u16_(b)?;
            let (b, watch_port) = u32_(b)?;
            let (b, watch_group) = u32_(b)?;
            let (b, _) = skip(b, 4)?;
            let actions = many_all(src, b).map_err(nom::Err::Failure)?;
            Ok((
                rest,
                Bucket {
                    weight,
                    watch_port: PortNo(watch_port),
                    watch_group: GroupId(watch_group),
                    actions,
                },
            ))
        })();
        in_ctx(Ctx::Bucket, r)
    }
}

/// Parses buckets until `i` is used up.
fn buckets(src: Src<'_>, i: &[u8]) -> Result<Vec<Bucket>, DecodeError> {
    many_all(src, i)
}

impl Wire for GroupMod {
    fn wire_len(&self) -> usize {
        GROUP_MOD_LEN + len_all(&self.buckets)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.command.raw());
        out.put_u8(self.group_type.raw());
        out.put_u8(0);
        out.put_u32(self.group_id.0);
        emit_all(&self.buckets, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, command) = u16_(i)?;
        let (i, group_type) = u8_(i)?;
        let (i, _) = skip(i, 1)?;
        let (i, group_id) = u32_(i)?;
        let buckets = buckets(src, i).map_err(nom::Err::Failure)?;
        Ok((
            &i[i.len()..],
            GroupMod {
                command: command.into(),
                group_type: group_type.into(),
                group_id: GroupId(group_id),
                buckets,
            },
        ))
    }
}

/// Writes `group_id=N,type=T,bucket=…` as OVS's `ofputil_group_format` does.
fn fmt_group(
    f: &mut fmt::Formatter<'_>,
    group_id: GroupId,
    group_type: GroupType,
    buckets: &[Bucket],
) -> fmt::Result {
    let type_name = match group_type {
        GroupType::Unknown(_) => "unknown",
        t => t.name().unwrap_or("unknown"),
    };
    write!(f, "group_id={},type={}", group_id.0, type_name)?;
    for b in buckets {
        f.write_str(",")?;
        fmt_bucket(f, b, group_type)?;
    }
    Ok(())
}

/// Writes one bucket the way `ofputil_bucket_format` does for OpenFlow 1.3.
fn fmt_bucket(f: &mut fmt::Formatter<'_>, b: &Bucket, group_type: GroupType) -> fmt::Result {
    f.write_str("bucket=")?;
    // OVS leaves out the weight when it is the default for the group type.
    let default_weight = if group_type == GroupType::Select {
        1
    } else {
        0
    };
    if b.weight != default_weight {
        write!(f, "weight:{},", b.weight)?;
    }
    if b.watch_port != PortNo::ANY {
        write!(f, "watch_port:{},", b.watch_port)?;
    }
    if b.watch_group != GroupId::ANY {
        write!(f, "watch_group:{},", b.watch_group.0)?;
    }
    f.write_str("actions=")?;
    fmt_actions(f, &b.actions)
}

/// Writes an action list as `ofpacts_format` does: comma separated, `drop` when empty.
pub(crate) fn fmt_actions(f: &mut fmt::Formatter<'_>, actions: &[Action]) -> fmt::Result {
    if actions.is_empty() {
        return f.write_str("drop");
    }
    for (n, a) in actions.iter().enumerate() {
        if n > 0 {
            f.write_str(",")?;
        }
        write!(f, "{a}")?;
    }
    Ok(())
}

impl fmt::Display for Bucket {
    /// The bucket as OVS prints it inside a group (`bucket=weight:…,actions=…`), assuming a
    /// group type whose default weight is 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_bucket(f, self, GroupType::All)
    }
}

impl fmt::Display for GroupMod {
    /// `\n ADD group_id=…,type=…,bucket=…`, as after `OFPT_GROUP_MOD (OF1.3) (xid=…):`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\n ")?;
        match self.command.name() {
            Some(n) => f.write_str(n)?,
            None => write!(f, "cmd:{}", self.command.raw())?,
        }
        f.write_str(" ")?;
        fmt_group(f, self.group_id, self.group_type, &self.buckets)
    }
}

/// The body of an `OFPMP_GROUP` request: which group's counters to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupStatsRequest {
    /// The group, or ALL.
    pub group_id: GroupId,
}

impl Wire for GroupStatsRequest {
    fn wire_len(&self) -> usize {
        8
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.group_id.0);
        out.put_bytes(0, 4);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, group_id) = u32_(i)?;
        let (i, _) = skip(i, 4)?;
        Ok((
            i,
            GroupStatsRequest {
                group_id: GroupId(group_id),
            },
        ))
    }
}

impl fmt::Display for GroupStatsRequest {
    /// `group_id=N` (with `ALL`/`ANY` by name).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "group_id={}", self.group_id)
    }
}

/// `ofp_bucket_counter`: the counters of one bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BucketCounter {
    /// Packets processed by the bucket.
    pub packet_count: u64,
    /// Bytes processed by the bucket.
    pub byte_count: u64,
}

/// `ofp_group_stats`: the counters of one group (a record of an `OFPMP_GROUP` reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupStats {
    /// The group.
    pub group_id: GroupId,
    /// Flows or groups that forward to this group.
    pub ref_count: u32,
    /// Packets processed by the group.
    pub packet_count: u64,
    /// Bytes processed by the group.
    pub byte_count: u64,
    /// Seconds the group has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// One counter per bucket.
    pub bucket_stats: Vec<BucketCounter>,
}

impl Wire for GroupStats {
    fn wire_len(&self) -> usize {
        GROUP_STATS_LEN + BUCKET_COUNTER_LEN * self.bucket_stats.len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.wire_len() as u16);
        out.put_bytes(0, 2);
        out.put_u32(self.group_id.0);
        out.put_u32(self.ref_count);
        out.put_bytes(0, 4);
        out.put_u64(self.packet_count);
        out.put_u64(self.byte_count);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        for b in &self.bucket_stats {
            out.put_u64(b.packet_count);
            out.put_u64(b.byte_count);
        }
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let r = (|| {
            let (rec, rest) = split_record(i, GROUP_STATS_LEN)?;
            if !(rec.len() - GROUP_STATS_LEN).is_multiple_of(BUCKET_COUNTER_LEN) {
                return fail(DecodeError::BadLen {
                    ctx: None,
                    len: rec.len(),
                });
            }
            let (b, _) = skip(rec, 4)?;
            let (b, group_id) = u32_(b)?;
            let (b, ref_count) = u32_(b)?;
            let (b, _) = skip(b, 4)?;
            let (b, packet_count) = u64_(b)?;
            let (b, byte_count) = u64_(b)?;
            let (b, duration_sec) = u32_(b)?;
            let (mut b, duration_nsec) = u32_(b)?;
            let mut bucket_stats = Vec::with_capacity(b.len() / BUCKET_COUNTER_LEN);
            while !b.is_empty() {
                let (r, packet_count) = u64_(b)?;
                let (r, byte_count) = u64_(r)?;
                bucket_stats.push(BucketCounter {
                    packet_count,
                    byte_count,
                });
                b = r;
            }
            Ok((
                rest,
                GroupStats {
                    group_id: GroupId(group_id),
                    ref_count,
                    packet_count,
                    byte_count,
                    duration_sec,
                    duration_nsec,
                    bucket_stats,
                },
            ))
        })();
        in_ctx(Ctx::Multipart, r)
    }
}

/// Splits a record whose 16-bit length comes first and counts the whole record, which must
/// be at least `min` bytes; returns (record, rest).
pub(crate) fn split_record(i: &[u8], min: usize) -> Result<(&[u8], &[u8]), nom::Err<DecodeError>> {
    if i.len() < min {
        return Err(nom::Err::Failure(DecodeError::Truncated { ctx: None }));
    }
    let len = u16::from_be_bytes([i[0], i[1]]) as usize;
    if len < min || len > i.len() {
        return Err(nom::Err::Failure(DecodeError::BadLen { ctx: None, len }));
    }
    Ok(i.split_at(len))
}

impl fmt::Display for GroupStats {
    /// `group_id=N,duration=…s,ref_count=…,packet_count=…,byte_count=…,bucket0:…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "group_id={},", self.group_id.0)?;
        // OVS uses UINT32_MAX to mean "no duration" (OpenFlow 1.1), so it hides that value.
        if self.duration_sec != u32::MAX {
            f.write_str("duration=")?;
            fmt_duration(f, self.duration_sec, self.duration_nsec)?;
            f.write_str(",")?;
        }
        write!(
            f,
            "ref_count={},packet_count={},byte_count={}",
            self.ref_count, self.packet_count, self.byte_count
        )?;
        for (n, b) in self.bucket_stats.iter().enumerate() {
            if b.packet_count != u64::MAX {
                write!(
                    f,
                    ",bucket{n}:packet_count={},byte_count={}",
                    b.packet_count, b.byte_count
                )?;
            }
        }
        Ok(())
    }
}

/// `ofp_group_desc`: one group's definition (a record of an `OFPMP_GROUP_DESC` reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupDesc {
    /// The kind of group.
    pub group_type: GroupType,
    /// The group.
    pub group_id: GroupId,
    /// Its buckets.
    pub buckets: Vec<Bucket>,
}

impl Wire for GroupDesc {
    fn wire_len(&self) -> usize {
        GROUP_DESC_LEN + len_all(&self.buckets)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.wire_len() as u16);
        out.put_u8(self.group_type.raw());
        out.put_u8(0);
        out.put_u32(self.group_id.0);
        emit_all(&self.buckets, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let r = (|| {
            let (rec, rest) = split_record(i, GROUP_DESC_LEN)?;
            let (b, _) = skip(rec, 2)?;
            let (b, group_type) = u8_(b)?;
            let (b, _) = skip(b, 1)?;
            let (b, group_id) = u32_(b)?;
            let buckets = buckets(src, b).map_err(nom::Err::Failure)?;
            Ok((
                rest,
                GroupDesc {
                    group_type: group_type.into(),
                    group_id: GroupId(group_id),
                    buckets,
                },
            ))
        })();
        in_ctx(Ctx::Multipart, r)
    }
}

impl fmt::Display for GroupDesc {
    /// `group_id=N,type=T,bucket=…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_group(f, self.group_id, self.group_type, &self.buckets)
    }
}

/// `ofp_group_features`: what the switch's group table supports (`OFPMP_GROUP_FEATURES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct GroupFeatures {
    /// Bitmap of supported group types (`1 << OFPGT_*`).
    pub types: u32,
    /// Supported capabilities.
    pub capabilities: GroupCapabilities,
    /// Maximum number of groups for each type.
    pub max_groups: [u32; 4],
    /// Bitmaps of supported actions (`1 << OFPAT_*`) for each type.
    pub actions: [u32; 4],
}

impl Wire for GroupFeatures {
    fn wire_len(&self) -> usize {
        GROUP_FEATURES_LEN
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.types);
        out.put_u32(self.capabilities.bits());
        for v in self.max_groups.iter().chain(&self.actions) {
            out.put_u32(*v);
        }
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (mut i, types) = u32_(i)?;
        let (r, capabilities) = u32_(i)?;
        i = r;
        let mut words = [0u32; 8];
        for w in &mut words {
            let (r, v) = u32_(i)?;
            *w = v;
            i = r;
        }
        let mut max_groups = [0u32; 4];
        let mut actions = [0u32; 4];
        max_groups.copy_from_slice(&words[..4]);
        actions.copy_from_slice(&words[4..]);
        Ok((
            i,
            GroupFeatures {
                types,
                capabilities: GroupCapabilities(capabilities),
                max_groups,
                actions,
            },
        ))
    }
}

impl fmt::Display for GroupFeatures {
    /// The multi-line `Group table:` block OVS prints, starting with a newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 4] = ["all", "select", "indirect", "fast failover"];
        f.write_str("\n Group table:\n")?;
        writeln!(f, "    Types:  {:#x}", self.types)?;
        writeln!(f, "    Capabilities:  {:#x}", self.capabilities.bits())?;
        for (n, name) in NAMES.iter().enumerate() {
            if self.types & (1 << n) != 0 {
                writeln!(f, "    {name} group:")?;
                writeln!(
                    f,
                    "       max_groups={}",
                    c_hex(u64::from(self.max_groups[n]))
                )?;
                f.write_str("       actions: ")?;
                fmt_action_bitmap(f, self.actions[n])?;
                f.write_str("\n")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::action::Action;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use crate::message::{Body, Message};
    use crate::msg::{MultipartReply, MultipartReplyBody, MultipartReplyFlags};
    use crate::types::Xid;

    use crate::testutil::unhex as hex;

    use crate::testutil::ovs_text;

    /// A select group with a weighted bucket watching port 1 and a bucket watching group 5.
    const GROUP_MOD: &str = "040f003000000001 0000010000000001
        0010006400000001ffffffff00000000 00100001ffffffff0000000500000000";

    fn group_mod() -> GroupMod {
        GroupMod {
            command: GroupModCommand::Add,
            group_type: GroupType::Select,
            group_id: GroupId(1),
            buckets: vec![
                Bucket {
                    weight: 100,
                    watch_port: PortNo(1),
                    watch_group: GroupId::ANY,
                    actions: vec![],
                },
                Bucket {
                    weight: 1,
                    watch_port: PortNo::ANY,
                    watch_group: GroupId(5),
                    actions: vec![],
                },
            ],
        }
    }

    #[test]
    fn group_mod_deconstruct() {
        let m = Message::decode(&hex(GROUP_MOD)).unwrap();
        let Body::GroupMod(g) = &m.body else {
            panic!("{m:?}")
        };
        assert_eq!(g.command, GroupModCommand::Add);
        assert_eq!(g.group_type, GroupType::Select);
        assert_eq!(g.group_id, GroupId(1));
        assert_eq!(g.buckets.len(), 2);
        assert_eq!(g.buckets[0].weight, 100);
        assert_eq!(g.buckets[0].watch_port, PortNo(1));
        assert_eq!(g.buckets[1].watch_group, GroupId(5));
    }

    #[test]
    fn group_mod_construct_and_round_trip() {
        let m = Message::new(Xid(1), Body::GroupMod(group_mod()));
        assert_eq!(m.encode().unwrap(), hex(GROUP_MOD));
        assert_eq!(Message::decode(&hex(GROUP_MOD)).unwrap(), m);
    }

    #[test]
    fn group_mod_text_matches_ovs() {
        let m = Message::decode(&hex(GROUP_MOD)).unwrap();
        assert_eq!(
            ovs_text(&m),
            "OFPT_GROUP_MOD (OF1.3) (xid=0x1):\n \
             ADD group_id=1,type=select,bucket=weight:100,watch_port:1,actions=drop,\
             bucket=watch_group:5,actions=drop\n"
        );
        let m = Message::decode(&hex("040f001000000001 0002030000000005")).unwrap();
        assert_eq!(
            ovs_text(&m),
            "OFPT_GROUP_MOD (OF1.3) (xid=0x1):\n DEL group_id=5,type=ff\n"
        );
    }

    #[test]
    fn unknown_command_and_type_survive() {
        let bytes = hex("040f001000000001 0007090000000005");
        let m = Message::decode(&bytes).unwrap();
        let Body::GroupMod(g) = &m.body else { panic!() };
        assert_eq!(g.command, GroupModCommand::Unknown(7));
        assert_eq!(g.group_type, GroupType::Unknown(9));
        assert_eq!(m.encode().unwrap(), bytes);
        assert!(m.to_string().ends_with(" cmd:7 group_id=5,type=unknown"));
    }

    #[test]
    fn malformed_buckets_are_bad_bucket() {
        let bad_bucket = ErrorCode::GroupModFailed(GroupModFailedCode::BadBucket);
        for body in [
            // 8 bytes where a 16-byte bucket should be (OVS: OFPGMFC_BAD_BUCKET too).
            "040f001800000001 0001000300000005 0010000000000000",
            // Bucket length 8 < 16.
            "040f002000000001 0000000000000005 0008000000000000ffffffff00000000",
            // Bucket length 32 past the end.
            "040f002000000001 0000000000000005 0020000000000000ffffffff00000000",
        ] {
            let e = Message::decode(&hex(body)).unwrap_err();
            assert_eq!(e.ofp_error(), bad_bucket, "{body}");
        }
        // A group mod shorter than its fixed part.
        let e = Message::decode(&hex("040f000c00000001 00000000")).unwrap_err();
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
    }

    /// `OFPST_GROUP reply - OF1.3` from OVS's tests/ofp-print.at.
    const GROUP_STATS: &str = "04 13 00 b0 00 00 00 02 00 06 00 00 00 00 00 00 \
        00 58 00 00 87 65 43 21 00 00 00 04 00 00 00 00 \
        00 00 00 00 00 00 88 88 00 00 00 00 00 77 77 77 \
        00 00 00 12 1d cd 65 00 \
        00 00 00 00 00 00 11 11 00 00 00 00 00 22 22 22 \
        00 00 00 00 00 00 11 11 00 00 00 00 00 22 22 22 \
        00 00 00 00 00 00 66 66 00 00 00 00 00 33 33 33 \
        00 48 00 00 00 00 00 05 00 00 00 02 00 00 00 00 \
        00 00 00 00 00 00 88 88 00 00 00 00 00 77 77 77 \
        00 00 00 10 1d cd 65 00 \
        00 00 00 00 00 00 11 11 00 00 00 00 00 22 22 22 \
        00 00 00 00 00 00 11 11 00 00 00 00 00 22 22 22";

    #[test]
    fn group_stats_deconstruct_construct_and_text() {
        let bytes = hex(GROUP_STATS);
        let m = Message::decode(&bytes).unwrap();
        let Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::Group(stats),
            ..
        }) = &m.body
        else {
            panic!("{m:?}")
        };
        assert_eq!(stats.len(), 2);
        let s = &stats[0];
        assert_eq!(s.group_id, GroupId(0x87654321));
        assert_eq!(s.ref_count, 4);
        assert_eq!(s.packet_count, 0x8888);
        assert_eq!(s.byte_count, 0x777777);
        assert_eq!((s.duration_sec, s.duration_nsec), (0x12, 500_000_000));
        assert_eq!(s.bucket_stats.len(), 3);
        assert_eq!(
            s.bucket_stats[2],
            BucketCounter {
                packet_count: 0x6666,
                byte_count: 0x333333
            }
        );
        let built = GroupStats {
            group_id: GroupId(5),
            ref_count: 2,
            packet_count: 0x8888,
            byte_count: 0x777777,
            duration_sec: 0x10,
            duration_nsec: 500_000_000,
            bucket_stats: vec![
                BucketCounter {
                    packet_count: 0x1111,
                    byte_count: 0x222222
                };
                2
            ],
        };
        assert_eq!(stats[1], built);
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_GROUP reply (OF1.3) (xid=0x2):\n \
             group_id=2271560481,duration=18.500s,ref_count=4,packet_count=34952,byte_count=7829367,\
             bucket0:packet_count=4369,byte_count=2236962,bucket1:packet_count=4369,byte_count=2236962,\
             bucket2:packet_count=26214,byte_count=3355443\n \
             group_id=5,duration=16.500s,ref_count=2,packet_count=34952,byte_count=7829367,\
             bucket0:packet_count=4369,byte_count=2236962,bucket1:packet_count=4369,byte_count=2236962\n"
        );
    }

    #[test]
    fn group_stats_length_errors() {
        // A record whose length leaves half a bucket counter (OVS: OFPBRC_BAD_LEN).
        let e = Message::decode(&hex("04130038000000020006000000000000 \
            0030000000000001000000000000000000000000000000000000000000000000 0000000000000000"))
        .unwrap_err();
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
        // A record shorter than its fixed part.
        let e = Message::decode(&hex(
            "04130020000000020006000000000000 0000000000000001 00000000fffffffc",
        ))
        .unwrap_err();
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
    }

    const GROUP_DESC: &str = "04130028000000020007000100000000 0018010000002000 \
        0010000000000001ffffffff00000000";

    #[test]
    fn group_desc_round_trip_and_text() {
        let bytes = hex(GROUP_DESC);
        let m = Message::decode(&bytes).unwrap();
        let desc = GroupDesc {
            group_type: GroupType::Select,
            group_id: GroupId(8192),
            buckets: vec![Bucket {
                weight: 0,
                watch_port: PortNo(1),
                watch_group: GroupId::ANY,
                actions: vec![],
            }],
        };
        let built = Message::new(
            Xid(2),
            Body::MultipartReply(MultipartReply {
                flags: MultipartReplyFlags::REPLY_MORE,
                body: MultipartReplyBody::GroupDesc(vec![desc]),
            }),
        );
        assert_eq!(m, built);
        assert_eq!(built.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_GROUP_DESC reply (OF1.3) (xid=0x2): flags=[more]\n \
             group_id=8192,type=select,bucket=weight:0,watch_port:1,actions=drop\n"
        );
    }

    #[test]
    fn group_features_round_trip_and_text() {
        let bytes = hex("04130038000000020008000000000000 0000000f0000000f \
            00000001000000020000000300000004 00000001000200010006000100 0e0001");
        let m = Message::decode(&bytes).unwrap();
        let Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::GroupFeatures(g),
            ..
        }) = &m.body
        else {
            panic!()
        };
        assert_eq!(g.types, 0xf);
        assert!(g.capabilities.contains(GroupCapabilities::CHAINING_CHECKS));
        assert_eq!(g.max_groups, [1, 2, 3, 4]);
        assert_eq!(g.actions, [1, 0x20001, 0x60001, 0xe0001]);
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_GROUP_FEATURES reply (OF1.3) (xid=0x2):\n Group table:\n    Types:  0xf\n    \
             Capabilities:  0xf\n    all group:\n       max_groups=0x1\n       actions: output\n    \
             select group:\n       max_groups=0x2\n       actions: output push_vlan\n    \
             indirect group:\n       max_groups=0x3\n       actions: output strip_vlan push_vlan\n    \
             fast failover group:\n       max_groups=0x4\n       \
             actions: output strip_vlan push_vlan push_mpls\n"
        );
        let g = GroupFeatures {
            types: 5,
            capabilities: GroupCapabilities::SELECT_WEIGHT | GroupCapabilities::SELECT_LIVENESS,
            max_groups: [0, 2, 3, 4],
            // OFPAT_PUSH_PBB alone: OVS cannot represent it, so it shows `<none>`.
            actions: [1 << 26, 0, 0x60001, 0xe0001],
        };
        let m = Message::new(
            Xid(2),
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::GroupFeatures(g))),
        );
        assert_eq!(
            ovs_text(&m),
            "OFPST_GROUP_FEATURES reply (OF1.3) (xid=0x2):\n Group table:\n    Types:  0x5\n    \
             Capabilities:  0x3\n    all group:\n       max_groups=0\n       actions: <none>\n    \
             indirect group:\n       max_groups=0x3\n       actions: output strip_vlan push_vlan\n"
        );
    }

    #[test]
    fn group_stats_request_text() {
        let bytes = hex("04120018000000020006000000000000 ffffffff00000000");
        let m = Message::decode(&bytes).unwrap();
        assert_eq!(
            m.body,
            Body::MultipartRequest(crate::msg::MultipartRequest::new(
                crate::msg::MultipartRequestBody::Group(GroupStatsRequest {
                    group_id: GroupId::ANY
                })
            ))
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_GROUP request (OF1.3) (xid=0x2): group_id=ANY\n"
        );
    }

    /// Real replies of OVS 3.1 on a netdev bridge with three groups, as `ovs-ofctl` printed them.
    #[test]
    fn ovs_group_replies_round_trip_and_print_as_ovs() {
        for (h, text) in [
            (
                "041300e8000000b2000600000000000000480000000000010000000000000000 \
        00000000000000000000000000000000000000033019d7c00000000000000000 \
        0000000000000000000000000000000000000000000000000048000000000002 \
        000000000000000000000000000000000000000000000000000000032f167180 \
        0000000000000000000000000000000000000000000000000000000000000000 \
        0048000000000003000000000000000000000000000000000000000000000000 \
        000000032e501440000000000000000000000000000000000000000000000000 \
        0000000000000000",
                concat!(
                    "OFPST_GROUP reply (OF1.3) (xid=0xb2):\n",
                    " group_id=1,duration=3.807s,ref_count=0,packet_count=0,byte_count=0,bucket0:packet_count=0,byte_count=0,bucket1:packet_count=0,byte_count=0\n",
                    " group_id=2,duration=3.790s,ref_count=0,packet_count=0,byte_count=0,bucket0:packet_count=0,byte_count=0,bucket1:packet_count=0,byte_count=0\n",
                    " group_id=3,duration=3.777s,ref_count=0,packet_count=0,byte_count=0,bucket0:packet_count=0,byte_count=0,bucket1:packet_count=0,byte_count=0\n",
                ),
            ),
            (
                "04130038000000b300080000000000000000000f00000007ffffff00ffffff00 \
        ffffff00ffffff0003ff800103ff800103ff800103ff8001",
                concat!(
                    "OFPST_GROUP_FEATURES reply (OF1.3) (xid=0xb3):\n",
                    " Group table:\n",
                    "    Types:  0xf\n",
                    "    Capabilities:  0x7\n",
                    "    all group:\n",
                    "       max_groups=0xffffff00\n",
                    "       actions: output group set_field strip_vlan push_vlan mod_nw_ttl dec_ttl set_mpls_ttl dec_mpls_ttl push_mpls pop_mpls set_queue\n",
                    "    select group:\n",
                    "       max_groups=0xffffff00\n",
                    "       actions: output group set_field strip_vlan push_vlan mod_nw_ttl dec_ttl set_mpls_ttl dec_mpls_ttl push_mpls pop_mpls set_queue\n",
                    "    indirect group:\n",
                    "       max_groups=0xffffff00\n",
                    "       actions: output group set_field strip_vlan push_vlan mod_nw_ttl dec_ttl set_mpls_ttl dec_mpls_ttl push_mpls pop_mpls set_queue\n",
                    "    fast failover group:\n",
                    "       max_groups=0xffffff00\n",
                    "       actions: output group set_field strip_vlan push_vlan mod_nw_ttl dec_ttl set_mpls_ttl dec_mpls_ttl push_mpls pop_mpls set_queue\n",
                ),
            ),
        ] {
            let bytes = hex(h);
            let m = Message::decode(&bytes).unwrap();
            assert_eq!(m.encode().unwrap(), bytes);
            assert_eq!(ovs_text(&m), text);
        }
    }

    /// A group desc reply of OVS 3.1 with set-field, push-vlan and group actions in buckets.
    const OVS_GROUP_DESC: &str = "041300f8000000b1000700000000000000580100000000010020006400000001 \
        ffffffff000000000000001000000001000000000000000000300032ffffffff \
        ffffffff00000000001900108000060600112233445500000000001000000002 \
        000000000000000000600300000000020020000000000001ffffffff00000000 \
        000000100000000100000000000000000038000000000002ffffffff00000000 \
        00110008810000000019001080000c0210640000000000000000001000000002 \
        0000000000000000003000000000000300180000ffffffffffffffff00000000 \
        001600080000000100100000ffffffffffffffff00000000";

    #[test]
    fn ovs_group_desc_with_actions() {
        let bytes = hex(OVS_GROUP_DESC);
        let m = Message::decode(&bytes).unwrap();
        let Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::GroupDesc(groups),
            ..
        }) = &m.body
        else {
            panic!("{m:?}")
        };
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[2].group_type, GroupType::All);
        assert_eq!(
            groups[2].buckets[0].actions,
            vec![Action::Group(GroupId(1))]
        );
        assert!(groups[2].buckets[1].actions.is_empty());
        assert_eq!(
            groups[0].buckets[0].actions,
            vec![Action::Output {
                port: PortNo(1),
                max_len: 0
            }]
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            concat!(
                "OFPST_GROUP_DESC reply (OF1.3) (xid=0xb1):\n",
                " group_id=1,type=select,bucket=weight:100,watch_port:1,actions=output:1,bucket=weight:50,actions=set_field:00:11:22:33:44:55->eth_dst,output:2\n",
                " group_id=2,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2\n",
                " group_id=3,type=all,bucket=actions=group:1,bucket=actions=drop\n",
            )
        );
    }

    /// `OFPT_GROUP_MOD - OF1.1` from OVS's tests/ofp-print.at, as OpenFlow 1.3 (same layout).
    const GROUP_MOD_OUTPUTS: &str = "040f00701122334400000100876543210020006400000001ffffffff0000000000000010000000010000000000000000002000c800000002ffffffff0000000000000010000000020000000000000000002000c800000003ffffffff0000000000000010000000030000000000000000";

    #[test]
    fn group_mod_with_actions() {
        let bytes = hex(GROUP_MOD_OUTPUTS);
        let m = Message::decode(&bytes).unwrap();
        let output = |port| Action::Output {
            port: PortNo(port),
            max_len: 0,
        };
        let bucket = |weight, port| Bucket {
            weight,
            watch_port: PortNo(port),
            watch_group: GroupId::ANY,
            actions: vec![output(port)],
        };
        let built = GroupMod {
            command: GroupModCommand::Add,
            group_type: GroupType::Select,
            group_id: GroupId(0x8765_4321),
            buckets: vec![bucket(100, 1), bucket(200, 2), bucket(200, 3)],
        };
        assert_eq!(m, Message::new(Xid(0x1122_3344), Body::GroupMod(built)));
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPT_GROUP_MOD (OF1.3) (xid=0x11223344):\n \
             ADD group_id=2271560481,type=select,bucket=weight:100,watch_port:1,actions=output:1,\
             bucket=weight:200,watch_port:2,actions=output:2,bucket=weight:200,watch_port:3,\
             actions=output:3\n"
        );
    }

    #[test]
    fn bad_actions_inside_buckets_keep_their_own_code() {
        // An output action claiming 24 bytes inside a 24-byte bucket (OVS: OFPBAC_BAD_LEN).
        let bytes = hex("040f002800000001 0000000000000001 \
            0018000000000001ffffffff00000000 0000001800000001");
        let e = Message::decode(&bytes).unwrap_err();
        assert_eq!(
            e.ofp_error(),
            ErrorCode::BadAction(crate::errcode::BadActionCode::BadLen)
        );
    }

    proptest::proptest! {
        /// Arbitrary group-mod bodies: never a panic, and what parses re-parses the same.
        #[test]
        fn arbitrary_group_mods_never_panic(body in proptest::collection::vec(0u8..=255, 0..96)) {
            if let Ok(g) = GroupMod::from_bytes(&Bytes::from(body)) {
                let _ = g.to_string();
                proptest::prop_assert_eq!(GroupMod::from_bytes(&g.to_bytes()).unwrap(), g);
            }
        }
    }
}
