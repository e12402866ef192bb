//! `OFPT_MULTIPART_REQUEST` and its bodies.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use super::{
    MULTIPART_HEADER_LEN, MultipartRequestFlags, MultipartType, chunks, empty, experimenter,
    fmt_flags, header, one, title,
};
use crate::error::{Ctx, DecodeError};
use crate::header::HEADER_LEN;
use crate::message::MAX_MESSAGE_LEN;
use crate::msg::{
    FlowStatsRequest, GroupStatsRequest, MeterMultipartRequest, PortStatsRequest,
    QueueStatsRequest, TableFeatures, TableFeaturesList,
};
use crate::wire::{PResult, Src, Wire, emit_all, len_all, many_all};

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
            // These records write their own leading space.
            B::Flow(r) | B::Aggregate(r) => r.fmt(f),
            B::PortStats(r) => r.fmt(f),
            B::Queue(r) => r.fmt(f),
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

    /// Cuts a table-features request into requests whose messages are at most
    /// `max_message_len` bytes (capped at 65535), all but the last flagged `REQ_MORE`; other
    /// requests come back whole.
    pub fn split(self, max_message_len: usize) -> Vec<MultipartRequest> {
        let max_body = max_message_len
            .min(MAX_MESSAGE_LEN)
            .saturating_sub(HEADER_LEN + MULTIPART_HEADER_LEN);
        let MultipartRequestBody::TableFeatures(tables) = self.body else {
            return vec![self];
        };
        let more =
            MultipartRequestFlags(self.flags.bits() | MultipartRequestFlags::REQ_MORE.bits());
        let mut parts: Vec<MultipartRequest> = chunks(tables, max_body)
            .into_iter()
            .map(|t| MultipartRequest {
                flags: more,
                body: MultipartRequestBody::TableFeatures(t),
            })
            .collect();
        if let Some(last) = parts.last_mut() {
            last.flags = self.flags;
        }
        parts
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
