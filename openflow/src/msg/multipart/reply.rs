//! `OFPT_MULTIPART_REPLY` and its bodies, with the joining and cutting of replies that span
//! several messages.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use super::{
    MULTIPART_HEADER_LEN, MultipartReplyFlags, MultipartType, chunks, experimenter, fmt_flags,
    header, one, title,
};
use crate::error::{Ctx, DecodeError};
use crate::header::HEADER_LEN;
use crate::message::MAX_MESSAGE_LEN;
use crate::msg::{
    AggregateStats, Desc, FlowStats, FlowStatsList, GroupDesc, GroupFeatures, GroupStats,
    MeterConfig, MeterFeatures, MeterStats, Port, PortDescList, PortStats, PortStatsList,
    QueueStats, TableFeatures, TableFeaturesList, TableStats, TableStatsList,
};
use crate::wire::{PResult, Src, Wire, emit_all, len_all, many_all};

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
            B::Flow(v) => FlowStatsList(v).fmt(f),
            B::Aggregate(a) => a.fmt(f),
            B::Table(v) => TableStatsList(v).fmt(f),
            B::PortStats(v) => PortStatsList(v).fmt(f),
            B::Queue(v) => {
                writeln!(f, " {} queues", v.len())?;
                v.iter().try_for_each(|r| writeln!(f, "{r}"))
            }
            B::Group(v) => v.iter().try_for_each(|r| write!(f, "\n {r}")),
            B::GroupDesc(v) => v.iter().try_for_each(|r| write!(f, "\n {r}")),
            B::GroupFeatures(g) => g.fmt(f),
            B::Meter(v) => v.iter().try_for_each(|r| write!(f, "\n{r}")),
            B::MeterConfig(v) => v.iter().try_for_each(|r| write!(f, "\n{r}")),
            B::MeterFeatures(m) => m.fmt(f),
            B::TableFeatures(t) => TableFeaturesList(t).fmt(f),
            B::PortDesc(v) => PortDescList(v).fmt(f),
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
