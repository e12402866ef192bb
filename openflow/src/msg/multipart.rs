//! Multipart (statistics) messages: `OFPT_MULTIPART_REQUEST` and `OFPT_MULTIPART_REPLY`,
//! dispatched on `ofp_multipart_type` to the records of each family.
//!
//! A reply too long for one message is sent as several, all but the last flagged
//! `REPLY_MORE`; [`MultipartReplyBody::extend`] joins them again and
//! [`MultipartReply::split`] cuts a long reply into messages that fit.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::header::HEADER_LEN;
use crate::message::MAX_MESSAGE_LEN;
use crate::msg::{
    AggregateStats, Desc, FlowStats, FlowStatsRequest, GroupDesc, GroupFeatures, GroupStats,
    GroupStatsRequest, MeterConfig, MeterFeatures, MeterMultipartRequest, MeterStats, Port,
    PortStats, PortStatsRequest, QueueStats, QueueStatsRequest, TableFeatures, TableFeaturesList,
    TableStats,
};
use crate::wire::{
    PResult, Src, Wire, complete, emit_all, in_ctx, len_all, many_all, skip, u16_, u32_,
};

open_enum! {
    /// `ofp_multipart_type`; the name is what `ovs-ofctl` prints after `OFPST_`.
    pub enum MultipartType(u16) {
        /// Description of this OpenFlow switch.
        Desc = 0 => "DESC",
        /// Individual flow statistics.
        Flow = 1 => "FLOW",
        /// Aggregate flow statistics.
        Aggregate = 2 => "AGGREGATE",
        /// Flow table statistics.
        Table = 3 => "TABLE",
        /// Port statistics.
        PortStats = 4 => "PORT",
        /// Queue statistics for a port.
        Queue = 5 => "QUEUE",
        /// Group counter statistics.
        Group = 6 => "GROUP",
        /// Group description.
        GroupDesc = 7 => "GROUP_DESC",
        /// Group features.
        GroupFeatures = 8 => "GROUP_FEATURES",
        /// Meter statistics.
        Meter = 9 => "METER",
        /// Meter configuration.
        MeterConfig = 10 => "METER_CONFIG",
        /// Meter features.
        MeterFeatures = 11 => "METER_FEATURES",
        /// Table features.
        TableFeatures = 12 => "TABLE_FEATURES",
        /// Port description.
        PortDesc = 13 => "PORT_DESC",
        /// Experimenter extension.
        Experimenter = 0xffff => "EXPERIMENTER",
    }
}

flags! {
    /// `ofp_multipart_request_flags`.
    pub struct MultipartRequestFlags(u16) {
        /// More requests to follow.
        const REQ_MORE = 1 << 0 => "more";
    }
}

flags! {
    /// `ofp_multipart_reply_flags`.
    pub struct MultipartReplyFlags(u16) {
        /// More replies to follow.
        const REPLY_MORE = 1 << 0 => "more";
    }
}

/// Length of the multipart header after `ofp_header` (type, flags, padding).
pub const MULTIPART_HEADER_LEN: usize = 8;

/// Writes a duration as OVS's `ofp_print_duration` does: `18.5s` → `18.500s`, and as many
/// digits as the nanoseconds need beyond milliseconds.
pub(crate) fn fmt_duration(f: &mut fmt::Formatter<'_>, sec: u32, nsec: u32) -> fmt::Result {
    write!(f, "{sec}")?;
    if nsec > 0 {
        if nsec.is_multiple_of(1_000_000) {
            write!(f, ".{:03}", nsec / 1_000_000)?;
        } else {
            let digits = format!("{nsec:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
    }
    f.write_str("s")
}

/// Writes ` flags=[more]…` as OVS's `ofp_print_stats` does, or nothing without flags.
fn fmt_flags(f: &mut fmt::Formatter<'_>, flags: u16) -> fmt::Result {
    if flags == 0 {
        return Ok(());
    }
    f.write_str(" flags=")?;
    if flags & 1 != 0 {
        f.write_str("[more]")?;
    }
    let rest = flags & !1;
    if rest != 0 {
        write!(f, "[***unknown flags 0x{rest:04x}***]")?;
    }
    Ok(())
}

/// A body that must be empty for its type.
fn empty(body: &[u8]) -> Result<(), DecodeError> {
    if body.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::bad_len(Ctx::Multipart, body.len()))
    }
}

/// A whole body of one `T`.
fn one<T: Wire>(src: Src<'_>, body: &[u8]) -> Result<T, DecodeError> {
    complete(T::parse(src, body))
}

/// The experimenter id and type at the front of an experimenter body, and the rest.
fn experimenter(src: Src<'_>, body: &[u8]) -> Result<(u32, u32, Bytes), DecodeError> {
    let r: PResult<'_, (u32, u32)> = (|| {
        let (b, e) = u32_(body)?;
        let (b, t) = u32_(b)?;
        Ok((b, (e, t)))
    })();
    match r {
        Ok((rest, (e, t))) => Ok((e, t, src.bytes(rest))),
        Err(_) => Err(DecodeError::bad_len(Ctx::Multipart, body.len())),
    }
}

/// The body of an `OFPT_MULTIPART_REQUEST`, one variant per `ofp_multipart_type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MultipartRequestBody {
    /// `OFPMP_DESC`.
    Desc,
    /// `OFPMP_FLOW`.
    Flow(FlowStatsRequest),
    /// `OFPMP_AGGREGATE`.
    Aggregate(FlowStatsRequest),
    /// `OFPMP_TABLE`.
    Table,
    /// `OFPMP_PORT_STATS`.
    PortStats(PortStatsRequest),
    /// `OFPMP_QUEUE`.
    Queue(QueueStatsRequest),
    /// `OFPMP_GROUP`.
    Group(GroupStatsRequest),
    /// `OFPMP_GROUP_DESC`.
    GroupDesc,
    /// `OFPMP_GROUP_FEATURES`.
    GroupFeatures,
    /// `OFPMP_METER`.
    Meter(MeterMultipartRequest),
    /// `OFPMP_METER_CONFIG`.
    MeterConfig(MeterMultipartRequest),
    /// `OFPMP_METER_FEATURES`.
    MeterFeatures,
    /// `OFPMP_TABLE_FEATURES`: empty to query, or the tables to set.
    TableFeatures(Vec<TableFeatures>),
    /// `OFPMP_PORT_DESC`.
    PortDesc,
    /// `OFPMP_EXPERIMENTER`: kept byte for byte after the experimenter type.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// The bytes after `exp_type`.
        data: Bytes,
    },
    /// A multipart type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw `ofp_multipart_type`.
        mp_type: u16,
        /// The body after the multipart header.
        body: Bytes,
    },
}

impl MultipartRequestBody {
    /// The multipart type this body is sent as.
    pub fn mp_type(&self) -> MultipartType {
        use MultipartRequestBody as B;
        match self {
            B::Desc => MultipartType::Desc,
            B::Flow(_) => MultipartType::Flow,
            B::Aggregate(_) => MultipartType::Aggregate,
            B::Table => MultipartType::Table,
            B::PortStats(_) => MultipartType::PortStats,
            B::Queue(_) => MultipartType::Queue,
            B::Group(_) => MultipartType::Group,
            B::GroupDesc => MultipartType::GroupDesc,
            B::GroupFeatures => MultipartType::GroupFeatures,
            B::Meter(_) => MultipartType::Meter,
            B::MeterConfig(_) => MultipartType::MeterConfig,
            B::MeterFeatures => MultipartType::MeterFeatures,
            B::TableFeatures(_) => MultipartType::TableFeatures,
            B::PortDesc => MultipartType::PortDesc,
            B::Experimenter { .. } => MultipartType::Experimenter,
            B::Unknown { mp_type, .. } => MultipartType::Unknown(*mp_type),
        }
    }

    fn wire_len(&self) -> usize {
        use MultipartRequestBody as B;
        match self {
            B::Desc
            | B::Table
            | B::GroupDesc
            | B::GroupFeatures
            | B::MeterFeatures
            | B::PortDesc => 0,
            B::Flow(r) | B::Aggregate(r) => r.wire_len(),
            B::PortStats(r) => r.wire_len(),
            B::Queue(r) => r.wire_len(),
            B::Group(r) => r.wire_len(),
            B::Meter(r) | B::MeterConfig(r) => r.wire_len(),
            B::TableFeatures(t) => len_all(t),
            B::Experimenter { data, .. } => 8 + data.len(),
            B::Unknown { body, .. } => body.len(),
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        use MultipartRequestBody as B;
        match self {
            B::Desc
            | B::Table
            | B::GroupDesc
            | B::GroupFeatures
            | B::MeterFeatures
            | B::PortDesc => {}
            B::Flow(r) | B::Aggregate(r) => r.emit(out),
            B::PortStats(r) => r.emit(out),
            B::Queue(r) => r.emit(out),
            B::Group(r) => r.emit(out),
            B::Meter(r) | B::MeterConfig(r) => r.emit(out),
            B::TableFeatures(t) => emit_all(t, out),
            B::Experimenter {
                experimenter,
                exp_type,
                data,
            } => {
                out.put_u32(*experimenter);
                out.put_u32(*exp_type);
                out.put_slice(data);
            }
            B::Unknown { body, .. } => out.put_slice(body),
        }
    }

    fn parse(src: Src<'_>, mp_type: u16, body: &[u8]) -> Result<Self, DecodeError> {
        use MultipartRequestBody as B;
        Ok(match MultipartType::from_raw(mp_type) {
            MultipartType::Desc => empty(body).map(|_| B::Desc)?,
            MultipartType::Flow => B::Flow(one(src, body)?),
            MultipartType::Aggregate => B::Aggregate(one(src, body)?),
            MultipartType::Table => empty(body).map(|_| B::Table)?,
            MultipartType::PortStats => B::PortStats(one(src, body)?),
            MultipartType::Queue => B::Queue(one(src, body)?),
            MultipartType::Group => B::Group(one(src, body)?),
            MultipartType::GroupDesc => empty(body).map(|_| B::GroupDesc)?,
            MultipartType::GroupFeatures => empty(body).map(|_| B::GroupFeatures)?,
            MultipartType::Meter => B::Meter(one(src, body)?),
            MultipartType::MeterConfig => B::MeterConfig(one(src, body)?),
            MultipartType::MeterFeatures => empty(body).map(|_| B::MeterFeatures)?,
            MultipartType::TableFeatures => B::TableFeatures(many_all(src, body)?),
            MultipartType::PortDesc => empty(body).map(|_| B::PortDesc)?,
            MultipartType::Experimenter => {
                let (experimenter, exp_type, data) = self::experimenter(src, body)?;
                B::Experimenter {
                    experimenter,
                    exp_type,
                    data,
                }
            }
            MultipartType::Unknown(mp_type) => B::Unknown {
                mp_type,
                body: src.bytes(body),
            },
        })
    }

    /// Appends the tables of a `REQ_MORE` continuation; gives `more` back unless both are
    /// table-features requests (the only request that spans messages).
    pub fn extend(&mut self, more: MultipartRequestBody) -> Result<(), MultipartRequestBody> {
        match (self, more) {
            (MultipartRequestBody::TableFeatures(a), MultipartRequestBody::TableFeatures(b)) => {
                a.extend(b);
                Ok(())
            }
            (_, more) => Err(more),
        }
    }
}

impl fmt::Display for MultipartRequestBody {
    /// What OVS prints after the title and flags.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MultipartRequestBody as B;
        match self {
            B::Desc | B::Table | B::GroupFeatures | B::MeterFeatures => Ok(()),
            B::Flow(r) | B::Aggregate(r) => write!(f, " {r}"),
            B::PortStats(r) => write!(f, " {r}"),
            B::Queue(r) => write!(f, " {r}"),
            B::Group(r) => write!(f, " {r}"),
            // OpenFlow 1.3 cannot name a group or port here; OVS shows the implied one.
            B::GroupDesc => f.write_str(" group_id=ALL"),
            B::PortDesc => f.write_str(" port=ANY"),
            B::Meter(r) | B::MeterConfig(r) => write!(f, " {r}"),
            B::TableFeatures(t) => TableFeaturesList(t).fmt(f),
            B::Experimenter {
                experimenter,
                exp_type,
                data,
            } => write!(
                f,
                " experimenter={experimenter:#x} exp_type={exp_type} ({} bytes)",
                data.len()
            ),
            B::Unknown { body, .. } => write!(f, " ({} bytes)", body.len()),
        }
    }
}

/// `OFPT_MULTIPART_REQUEST`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultipartRequest {
    /// `REQ_MORE` when more requests follow.
    pub flags: MultipartRequestFlags,
    /// The request.
    pub body: MultipartRequestBody,
}

impl MultipartRequest {
    /// A single-message request.
    pub fn new(body: MultipartRequestBody) -> MultipartRequest {
        MultipartRequest {
            flags: MultipartRequestFlags::EMPTY,
            body,
        }
    }

    /// The name `ovs-ofctl` prints before ` (OF1.3) (xid=…):`, e.g. `OFPST_FLOW request`.
    pub fn title(&self) -> String {
        title(self.body.mp_type(), "request")
    }

    /// True if more requests of this multipart sequence follow.
    pub fn is_more(&self) -> bool {
        self.flags.contains(MultipartRequestFlags::REQ_MORE)
    }
}

/// `OFPST_X request` / `OFPST_X reply`.
fn title(t: MultipartType, dir: &str) -> String {
    match t.name() {
        Some(n) => format!("OFPST_{n} {dir}"),
        None => format!("OFPST_UNKNOWN_{} {dir}", t.raw()),
    }
}

/// Parses the multipart header, returning (type, flags, body).
fn header(i: &[u8]) -> Result<(u16, u16, &[u8]), DecodeError> {
    let r: PResult<'_, (u16, u16)> = (|| {
        let (i, t) = u16_(i)?;
        let (i, flags) = u16_(i)?;
        let (i, _) = skip(i, 4)?;
        Ok((i, (t, flags)))
    })();
    match in_ctx(Ctx::Multipart, r) {
        Ok((body, (t, flags))) => Ok((t, flags, body)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e),
        Err(nom::Err::Incomplete(_)) => Err(DecodeError::truncated(Ctx::Multipart)),
    }
}

impl Wire for MultipartRequest {
    fn wire_len(&self) -> usize {
        MULTIPART_HEADER_LEN + self.body.wire_len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.body.mp_type().raw());
        out.put_u16(self.flags.bits());
        out.put_bytes(0, 4);
        self.body.emit(out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let parsed = header(i).and_then(|(t, flags, body)| {
            Ok(MultipartRequest {
                flags: MultipartRequestFlags(flags),
                body: MultipartRequestBody::parse(src, t, body)?,
            })
        });
        match parsed {
            Ok(m) => Ok((&i[i.len()..], m)),
            Err(e) => Err(nom::Err::Failure(e.in_ctx(Ctx::Multipart))),
        }
    }
}

impl fmt::Display for MultipartRequest {
    /// ` flags=[more]` if set, then the body as OVS prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_flags(f, self.flags.bits())?;
        self.body.fmt(f)
    }
}

/// The body of an `OFPT_MULTIPART_REPLY`, one variant per `ofp_multipart_type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MultipartReplyBody {
    /// `OFPMP_DESC`.
    Desc(Desc),
    /// `OFPMP_FLOW`.
    Flow(Vec<FlowStats>),
    /// `OFPMP_AGGREGATE`.
    Aggregate(AggregateStats),
    /// `OFPMP_TABLE`.
    Table(Vec<TableStats>),
    /// `OFPMP_PORT_STATS`.
    PortStats(Vec<PortStats>),
    /// `OFPMP_QUEUE`.
    Queue(Vec<QueueStats>),
    /// `OFPMP_GROUP`.
    Group(Vec<GroupStats>),
    /// `OFPMP_GROUP_DESC`.
    GroupDesc(Vec<GroupDesc>),
    /// `OFPMP_GROUP_FEATURES`.
    GroupFeatures(GroupFeatures),
    /// `OFPMP_METER`.
    Meter(Vec<MeterStats>),
    /// `OFPMP_METER_CONFIG`.
    MeterConfig(Vec<MeterConfig>),
    /// `OFPMP_METER_FEATURES`.
    MeterFeatures(MeterFeatures),
    /// `OFPMP_TABLE_FEATURES`.
    TableFeatures(Vec<TableFeatures>),
    /// `OFPMP_PORT_DESC`.
    PortDesc(Vec<Port>),
    /// `OFPMP_EXPERIMENTER`: kept byte for byte after the experimenter type.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// The bytes after `exp_type`.
        data: Bytes,
    },
    /// A multipart type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw `ofp_multipart_type`.
        mp_type: u16,
        /// The body after the multipart header.
        body: Bytes,
    },
}

/// Applies `$e` to the record list of a list-shaped reply body, or `$other` otherwise.
macro_rules! with_list {
    ($body:expr, $v:ident => $e:expr, $other:expr) => {
        match $body {
            MultipartReplyBody::Flow($v) => $e,
            MultipartReplyBody::Table($v) => $e,
            MultipartReplyBody::PortStats($v) => $e,
            MultipartReplyBody::Queue($v) => $e,
            MultipartReplyBody::Group($v) => $e,
            MultipartReplyBody::GroupDesc($v) => $e,
            MultipartReplyBody::Meter($v) => $e,
            MultipartReplyBody::MeterConfig($v) => $e,
            MultipartReplyBody::TableFeatures($v) => $e,
            MultipartReplyBody::PortDesc($v) => $e,
            _ => $other,
        }
    };
}

/// Cuts `items` into runs whose wire length stays within `max` (a record longer than `max`
/// goes alone).
fn chunks<T: Wire>(items: Vec<T>, max: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut len = 0;
    for it in items {
        let l = it.wire_len();
        if !cur.is_empty() && len + l > max {
            out.push(core::mem::take(&mut cur));
            len = 0;
        }
        len += l;
        cur.push(it);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

impl MultipartReplyBody {
    /// The multipart type this body is sent as.
    pub fn mp_type(&self) -> MultipartType {
        use MultipartReplyBody as B;
        match self {
            B::Desc(_) => MultipartType::Desc,
            B::Flow(_) => MultipartType::Flow,
            B::Aggregate(_) => MultipartType::Aggregate,
            B::Table(_) => MultipartType::Table,
            B::PortStats(_) => MultipartType::PortStats,
            B::Queue(_) => MultipartType::Queue,
            B::Group(_) => MultipartType::Group,
            B::GroupDesc(_) => MultipartType::GroupDesc,
            B::GroupFeatures(_) => MultipartType::GroupFeatures,
            B::Meter(_) => MultipartType::Meter,
            B::MeterConfig(_) => MultipartType::MeterConfig,
            B::MeterFeatures(_) => MultipartType::MeterFeatures,
            B::TableFeatures(_) => MultipartType::TableFeatures,
            B::PortDesc(_) => MultipartType::PortDesc,
            B::Experimenter { .. } => MultipartType::Experimenter,
            B::Unknown { mp_type, .. } => MultipartType::Unknown(*mp_type),
        }
    }

    fn wire_len(&self) -> usize {
        use MultipartReplyBody as B;
        with_list!(self, v => len_all(v), match self {
            B::Desc(d) => d.wire_len(),
            B::Aggregate(a) => a.wire_len(),
            B::GroupFeatures(g) => g.wire_len(),
            B::MeterFeatures(m) => m.wire_len(),
            B::Experimenter { data, .. } => 8 + data.len(),
            B::Unknown { body, .. } => body.len(),
            _ => 0,
        })
    }

    fn emit(&self, out: &mut BytesMut) {
        use MultipartReplyBody as B;
        with_list!(self, v => emit_all(v, out), match self {
            B::Desc(d) => d.emit(out),
            B::Aggregate(a) => a.emit(out),
            B::GroupFeatures(g) => g.emit(out),
            B::MeterFeatures(m) => m.emit(out),
            B::Experimenter {
                experimenter,
                exp_type,
                data,
            } => {
                out.put_u32(*experimenter);
                out.put_u32(*exp_type);
                out.put_slice(data);
            }
            B::Unknown { body, .. } => out.put_slice(body),
            _ => {}
        })
    }

    fn parse(src: Src<'_>, mp_type: u16, body: &[u8]) -> Result<Self, DecodeError> {
        use MultipartReplyBody as B;
        Ok(match MultipartType::from_raw(mp_type) {
            MultipartType::Desc => B::Desc(one(src, body)?),
            MultipartType::Flow => B::Flow(many_all(src, body)?),
            MultipartType::Aggregate => B::Aggregate(one(src, body)?),
            MultipartType::Table => B::Table(many_all(src, body)?),
            MultipartType::PortStats => B::PortStats(many_all(src, body)?),
            MultipartType::Queue => B::Queue(many_all(src, body)?),
            MultipartType::Group => B::Group(many_all(src, body)?),
            MultipartType::GroupDesc => B::GroupDesc(many_all(src, body)?),
            MultipartType::GroupFeatures => B::GroupFeatures(one(src, body)?),
            MultipartType::Meter => B::Meter(many_all(src, body)?),
            MultipartType::MeterConfig => B::MeterConfig(many_all(src, body)?),
            MultipartType::MeterFeatures => B::MeterFeatures(one(src, body)?),
            MultipartType::TableFeatures => B::TableFeatures(many_all(src, body)?),
            MultipartType::PortDesc => B::PortDesc(many_all(src, body)?),
            MultipartType::Experimenter => {
                let (experimenter, exp_type, data) = self::experimenter(src, body)?;
                B::Experimenter {
                    experimenter,
                    exp_type,
                    data,
                }
            }
            MultipartType::Unknown(mp_type) => B::Unknown {
                mp_type,
                body: src.bytes(body),
            },
        })
    }

    /// True for the types whose body is a list of records (which may span messages).
    pub fn is_list(&self) -> bool {
        with_list!(self, _v => true, false)
    }

    /// The number of records in a list-shaped body (1 for the others).
    pub fn len(&self) -> usize {
        with_list!(self, v => v.len(), 1)
    }

    /// True for a list-shaped body with no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends the records of a `REPLY_MORE` continuation of the same list type; gives `more`
    /// back when the types differ or the type is not a list.
    pub fn extend(&mut self, more: MultipartReplyBody) -> Result<(), MultipartReplyBody> {
        use MultipartReplyBody as B;
        match (self, more) {
            (B::Flow(a), B::Flow(b)) => a.extend(b),
            (B::Table(a), B::Table(b)) => a.extend(b),
            (B::PortStats(a), B::PortStats(b)) => a.extend(b),
            (B::Queue(a), B::Queue(b)) => a.extend(b),
            (B::Group(a), B::Group(b)) => a.extend(b),
            (B::GroupDesc(a), B::GroupDesc(b)) => a.extend(b),
            (B::Meter(a), B::Meter(b)) => a.extend(b),
            (B::MeterConfig(a), B::MeterConfig(b)) => a.extend(b),
            (B::TableFeatures(a), B::TableFeatures(b)) => a.extend(b),
            (B::PortDesc(a), B::PortDesc(b)) => a.extend(b),
            (_, more) => return Err(more),
        }
        Ok(())
    }

    /// Cuts a list-shaped body into bodies of at most `max_body_len` bytes each (a single
    /// record longer than that goes alone); other bodies come back whole.
    pub fn split(self, max_body_len: usize) -> Vec<MultipartReplyBody> {
        use MultipartReplyBody as B;
        fn wrap<T: Wire>(v: Vec<T>, max: usize, f: fn(Vec<T>) -> B) -> Vec<B> {
            chunks(v, max).into_iter().map(f).collect()
        }
        let m = max_body_len;
        match self {
            B::Flow(v) => wrap(v, m, B::Flow),
            B::Table(v) => wrap(v, m, B::Table),
            B::PortStats(v) => wrap(v, m, B::PortStats),
            B::Queue(v) => wrap(v, m, B::Queue),
            B::Group(v) => wrap(v, m, B::Group),
            B::GroupDesc(v) => wrap(v, m, B::GroupDesc),
            B::Meter(v) => wrap(v, m, B::Meter),
            B::MeterConfig(v) => wrap(v, m, B::MeterConfig),
            B::TableFeatures(v) => wrap(v, m, B::TableFeatures),
            B::PortDesc(v) => wrap(v, m, B::PortDesc),
            other => vec![other],
        }
    }
}

impl fmt::Display for MultipartReplyBody {
    /// What OVS prints after the title and flags.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MultipartReplyBody as B;
        match self {
            B::Desc(d) => d.fmt(f),
            B::Flow(v) => v.iter().try_for_each(|r| write!(f, "\n {r}")),
            B::Aggregate(a) => write!(f, " {a}"),
            B::Table(v) => v.iter().try_for_each(|r| write!(f, "{r}")),
            B::PortStats(v) => {
                writeln!(f, " {} ports", v.len())?;
                v.iter().try_for_each(|r| write!(f, "{r}"))
            }
            B::Queue(v) => {
                writeln!(f, " {} queues", v.len())?;
                v.iter().try_for_each(|r| write!(f, "{r}"))
            }
            B::Group(v) => v.iter().try_for_each(|r| write!(f, "\n {r}")),
            B::GroupDesc(v) => v.iter().try_for_each(|r| write!(f, "\n {r}")),
            B::GroupFeatures(g) => g.fmt(f),
            B::Meter(v) => v.iter().try_for_each(|r| write!(f, "\n{r}")),
            B::MeterConfig(v) => v.iter().try_for_each(|r| write!(f, "\n{r}")),
            B::MeterFeatures(m) => m.fmt(f),
            B::TableFeatures(t) => TableFeaturesList(t).fmt(f),
            B::PortDesc(v) => {
                f.write_str("\n")?;
                v.iter().try_for_each(|r| write!(f, "{r}"))
            }
            B::Experimenter {
                experimenter,
                exp_type,
                data,
            } => write!(
                f,
                " experimenter={experimenter:#x} exp_type={exp_type} ({} bytes)",
                data.len()
            ),
            B::Unknown { body, .. } => write!(f, " ({} bytes)", body.len()),
        }
    }
}

/// `OFPT_MULTIPART_REPLY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultipartReply {
    /// `REPLY_MORE` when more replies follow.
    pub flags: MultipartReplyFlags,
    /// The reply.
    pub body: MultipartReplyBody,
}

impl MultipartReply {
    /// A single-message reply.
    pub fn new(body: MultipartReplyBody) -> MultipartReply {
        MultipartReply {
            flags: MultipartReplyFlags::EMPTY,
            body,
        }
    }

    /// The name `ovs-ofctl` prints before ` (OF1.3) (xid=…):`, e.g. `OFPST_FLOW reply`.
    pub fn title(&self) -> String {
        title(self.body.mp_type(), "reply")
    }

    /// True if more replies of this multipart sequence follow.
    pub fn is_more(&self) -> bool {
        self.flags.contains(MultipartReplyFlags::REPLY_MORE)
    }

    /// Cuts the reply into replies whose messages are at most `max_message_len` bytes (header
    /// included; capped at 65535), all but the last flagged `REPLY_MORE`. A record too long
    /// for one message goes alone (and cannot be encoded).
    pub fn split(self, max_message_len: usize) -> Vec<MultipartReply> {
        let max = max_message_len.min(MAX_MESSAGE_LEN);
        let max_body = max.saturating_sub(HEADER_LEN + MULTIPART_HEADER_LEN);
        let last_flags = self.flags;
        let mut parts: Vec<MultipartReply> = self
            .body
            .split(max_body)
            .into_iter()
            .map(|body| MultipartReply {
                flags: MultipartReplyFlags(
                    last_flags.bits() | MultipartReplyFlags::REPLY_MORE.bits(),
                ),
                body,
            })
            .collect();
        if let Some(last) = parts.last_mut() {
            last.flags = last_flags;
        }
        parts
    }
}

impl Wire for MultipartReply {
    fn wire_len(&self) -> usize {
        MULTIPART_HEADER_LEN + self.body.wire_len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.body.mp_type().raw());
        out.put_u16(self.flags.bits());
        out.put_bytes(0, 4);
        self.body.emit(out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let parsed = header(i).and_then(|(t, flags, body)| {
            Ok(MultipartReply {
                flags: MultipartReplyFlags(flags),
                body: MultipartReplyBody::parse(src, t, body)?,
            })
        });
        match parsed {
            Ok(m) => Ok((&i[i.len()..], m)),
            Err(e) => Err(nom::Err::Failure(e.in_ctx(Ctx::Multipart))),
        }
    }
}

impl fmt::Display for MultipartReply {
    /// ` flags=[more]` if set, then the records as OVS prints them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_flags(f, self.flags.bits())?;
        self.body.fmt(f)
    }
}

#[cfg(test)]
mod tests;
