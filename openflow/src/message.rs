//! A whole OpenFlow 1.3 message: header plus a typed body, and the dispatch between them.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::header::{HEADER_LEN, Header, MsgType, VERSION};
use crate::msg::{
    AsyncConfig, Echo, ErrorMsg, Experimenter, FeaturesReply, FlowMod, FlowRemoved, GroupMod,
    Hello, MeterMod, MultipartReply, MultipartRequest, PacketIn, PacketOut, PortMod, PortStatus,
    QueueGetConfigReply, QueueGetConfigRequest, Role, SwitchConfig, TableMod,
};
use crate::types::Xid;
use crate::wire::{Src, Wire, complete};

/// The largest message OpenFlow can carry (its length field is 16 bits).
pub const MAX_MESSAGE_LEN: usize = u16::MAX as usize;

/// Why a message could not be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The message would be longer than the 16-bit length field allows.
    #[error("{msg_type} of {len} bytes exceeds the OpenFlow maximum of 65535")]
    TooLong {
        /// The message's type.
        msg_type: MsgType,
        /// The length it would have.
        len: usize,
    },
}

/// One OpenFlow 1.3 message: a transaction id and a typed body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Transaction id.
    pub xid: Xid,
    /// What the message says.
    pub body: Body,
}

/// The body of a message, one variant per `ofp_type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// `OFPT_HELLO`.
    Hello(Hello),
    /// `OFPT_ERROR`.
    Error(ErrorMsg),
    /// `OFPT_ECHO_REQUEST`.
    EchoRequest(Echo),
    /// `OFPT_ECHO_REPLY`.
    EchoReply(Echo),
    /// `OFPT_EXPERIMENTER`, including the ONF bundle extension.
    Experimenter(Experimenter),
    /// `OFPT_FEATURES_REQUEST`.
    FeaturesRequest,
    /// `OFPT_FEATURES_REPLY`.
    FeaturesReply(FeaturesReply),
    /// `OFPT_GET_CONFIG_REQUEST`.
    GetConfigRequest,
    /// `OFPT_GET_CONFIG_REPLY`.
    GetConfigReply(SwitchConfig),
    /// `OFPT_SET_CONFIG`.
    SetConfig(SwitchConfig),
    /// `OFPT_PACKET_IN`.
    PacketIn(PacketIn),
    /// `OFPT_FLOW_REMOVED`.
    FlowRemoved(FlowRemoved),
    /// `OFPT_PORT_STATUS`.
    PortStatus(PortStatus),
    /// `OFPT_PACKET_OUT`.
    PacketOut(PacketOut),
    /// `OFPT_FLOW_MOD`.
    FlowMod(FlowMod),
    /// `OFPT_GROUP_MOD`.
    GroupMod(GroupMod),
    /// `OFPT_PORT_MOD`.
    PortMod(PortMod),
    /// `OFPT_TABLE_MOD`.
    TableMod(TableMod),
    /// `OFPT_MULTIPART_REQUEST`.
    MultipartRequest(MultipartRequest),
    /// `OFPT_MULTIPART_REPLY`.
    MultipartReply(MultipartReply),
    /// `OFPT_BARRIER_REQUEST`.
    BarrierRequest,
    /// `OFPT_BARRIER_REPLY`.
    BarrierReply,
    /// `OFPT_QUEUE_GET_CONFIG_REQUEST`.
    QueueGetConfigRequest(QueueGetConfigRequest),
    /// `OFPT_QUEUE_GET_CONFIG_REPLY`.
    QueueGetConfigReply(QueueGetConfigReply),
    /// `OFPT_ROLE_REQUEST`.
    RoleRequest(Role),
    /// `OFPT_ROLE_REPLY`.
    RoleReply(Role),
    /// `OFPT_GET_ASYNC_REQUEST`.
    GetAsyncRequest,
    /// `OFPT_GET_ASYNC_REPLY`.
    GetAsyncReply(AsyncConfig),
    /// `OFPT_SET_ASYNC`.
    SetAsync(AsyncConfig),
    /// `OFPT_METER_MOD`.
    MeterMod(MeterMod),
    /// A message type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw `ofp_type`.
        msg_type: u8,
        /// The body after the header.
        body: Bytes,
    },
}

impl Body {
    /// The message type this body is sent as.
    pub fn msg_type(&self) -> MsgType {
        match self {
            Body::Hello(_) => MsgType::Hello,
            Body::Error(_) => MsgType::Error,
            Body::EchoRequest(_) => MsgType::EchoRequest,
            Body::EchoReply(_) => MsgType::EchoReply,
            Body::Experimenter(_) => MsgType::Experimenter,
            Body::FeaturesRequest => MsgType::FeaturesRequest,
            Body::FeaturesReply(_) => MsgType::FeaturesReply,
            Body::GetConfigRequest => MsgType::GetConfigRequest,
            Body::GetConfigReply(_) => MsgType::GetConfigReply,
            Body::SetConfig(_) => MsgType::SetConfig,
            Body::PacketIn(_) => MsgType::PacketIn,
            Body::FlowRemoved(_) => MsgType::FlowRemoved,
            Body::PortStatus(_) => MsgType::PortStatus,
            Body::PacketOut(_) => MsgType::PacketOut,
            Body::FlowMod(_) => MsgType::FlowMod,
            Body::GroupMod(_) => MsgType::GroupMod,
            Body::PortMod(_) => MsgType::PortMod,
            Body::TableMod(_) => MsgType::TableMod,
            Body::MultipartRequest(_) => MsgType::MultipartRequest,
            Body::MultipartReply(_) => MsgType::MultipartReply,
            Body::BarrierRequest => MsgType::BarrierRequest,
            Body::BarrierReply => MsgType::BarrierReply,
            Body::QueueGetConfigRequest(_) => MsgType::QueueGetConfigRequest,
            Body::QueueGetConfigReply(_) => MsgType::QueueGetConfigReply,
            Body::RoleRequest(_) => MsgType::RoleRequest,
            Body::RoleReply(_) => MsgType::RoleReply,
            Body::GetAsyncRequest => MsgType::GetAsyncRequest,
            Body::GetAsyncReply(_) => MsgType::GetAsyncReply,
            Body::SetAsync(_) => MsgType::SetAsync,
            Body::MeterMod(_) => MsgType::MeterMod,
            Body::Unknown { msg_type, .. } => MsgType::Unknown(*msg_type),
        }
    }

    /// The length of the body, without the header.
    pub fn wire_len(&self) -> usize {
        match self {
            Body::Hello(b) => b.wire_len(),
            Body::Error(b) => b.wire_len(),
            Body::EchoRequest(b) | Body::EchoReply(b) => b.wire_len(),
            Body::Experimenter(b) => b.wire_len(),
            Body::FeaturesRequest
            | Body::GetConfigRequest
            | Body::BarrierRequest
            | Body::BarrierReply
            | Body::GetAsyncRequest => 0,
            Body::FeaturesReply(b) => b.wire_len(),
            Body::GetConfigReply(b) | Body::SetConfig(b) => b.wire_len(),
            Body::PacketIn(b) => b.wire_len(),
            Body::FlowRemoved(b) => b.wire_len(),
            Body::PortStatus(b) => b.wire_len(),
            Body::PacketOut(b) => b.wire_len(),
            Body::FlowMod(b) => b.wire_len(),
            Body::GroupMod(b) => b.wire_len(),
            Body::PortMod(b) => b.wire_len(),
            Body::TableMod(b) => b.wire_len(),
            Body::MultipartRequest(b) => b.wire_len(),
            Body::MultipartReply(b) => b.wire_len(),
            Body::QueueGetConfigRequest(b) => b.wire_len(),
            Body::QueueGetConfigReply(b) => b.wire_len(),
            Body::RoleRequest(b) | Body::RoleReply(b) => b.wire_len(),
            Body::GetAsyncReply(b) | Body::SetAsync(b) => b.wire_len(),
            Body::MeterMod(b) => b.wire_len(),
            Body::Unknown { body, .. } => body.len(),
        }
    }

    /// Appends the body (without the header).
    pub fn emit(&self, out: &mut BytesMut) {
        match self {
            Body::Hello(b) => b.emit(out),
            Body::Error(b) => b.emit(out),
            Body::EchoRequest(b) | Body::EchoReply(b) => b.emit(out),
            Body::Experimenter(b) => b.emit(out),
            Body::FeaturesRequest
            | Body::GetConfigRequest
            | Body::BarrierRequest
            | Body::BarrierReply
            | Body::GetAsyncRequest => {}
            Body::FeaturesReply(b) => b.emit(out),
            Body::GetConfigReply(b) | Body::SetConfig(b) => b.emit(out),
            Body::PacketIn(b) => b.emit(out),
            Body::FlowRemoved(b) => b.emit(out),
            Body::PortStatus(b) => b.emit(out),
            Body::PacketOut(b) => b.emit(out),
            Body::FlowMod(b) => b.emit(out),
            Body::GroupMod(b) => b.emit(out),
            Body::PortMod(b) => b.emit(out),
            Body::TableMod(b) => b.emit(out),
            Body::MultipartRequest(b) => b.emit(out),
            Body::MultipartReply(b) => b.emit(out),
            Body::QueueGetConfigRequest(b) => b.emit(out),
            Body::QueueGetConfigReply(b) => b.emit(out),
            Body::RoleRequest(b) | Body::RoleReply(b) => b.emit(out),
            Body::GetAsyncReply(b) | Body::SetAsync(b) => b.emit(out),
            Body::MeterMod(b) => b.emit(out),
            Body::Unknown { body, .. } => out.put_slice(body),
        }
    }

    /// Parses the body of a message of type `msg_type`; `body` is a slice of `src`'s frame
    /// and must be used up exactly.
    pub fn parse(src: Src<'_>, msg_type: MsgType, body: &[u8]) -> Result<Body, DecodeError> {
        fn whole<T: Wire>(src: Src<'_>, body: &[u8]) -> Result<T, DecodeError> {
            complete(T::parse(src, body))
        }
        fn empty(body: &[u8]) -> Result<(), DecodeError> {
            if body.is_empty() {
                Ok(())
            } else {
                Err(DecodeError::BadLen {
                    ctx: None,
                    len: HEADER_LEN + body.len(),
                })
            }
        }
        let ctx = match msg_type {
            MsgType::MultipartRequest | MsgType::MultipartReply => Ctx::Multipart,
            _ => Ctx::Message,
        };
        let b = match msg_type {
            MsgType::Hello => Body::Hello(whole(src, body)?),
            MsgType::Error => Body::Error(whole(src, body)?),
            MsgType::EchoRequest => Body::EchoRequest(whole(src, body)?),
            MsgType::EchoReply => Body::EchoReply(whole(src, body)?),
            MsgType::Experimenter => Body::Experimenter(whole(src, body)?),
            MsgType::FeaturesRequest => empty(body).map(|_| Body::FeaturesRequest)?,
            MsgType::FeaturesReply => Body::FeaturesReply(whole(src, body)?),
            MsgType::GetConfigRequest => empty(body).map(|_| Body::GetConfigRequest)?,
            MsgType::GetConfigReply => Body::GetConfigReply(whole(src, body)?),
            MsgType::SetConfig => Body::SetConfig(whole(src, body)?),
            MsgType::PacketIn => Body::PacketIn(whole(src, body)?),
            MsgType::FlowRemoved => Body::FlowRemoved(whole(src, body)?),
            MsgType::PortStatus => Body::PortStatus(whole(src, body)?),
            MsgType::PacketOut => Body::PacketOut(whole(src, body)?),
            MsgType::FlowMod => Body::FlowMod(whole(src, body)?),
            MsgType::GroupMod => Body::GroupMod(whole(src, body)?),
            MsgType::PortMod => Body::PortMod(whole(src, body)?),
            MsgType::TableMod => Body::TableMod(whole(src, body)?),
            MsgType::MultipartRequest => Body::MultipartRequest(whole(src, body)?),
            MsgType::MultipartReply => Body::MultipartReply(whole(src, body)?),
            MsgType::BarrierRequest => empty(body).map(|_| Body::BarrierRequest)?,
            MsgType::BarrierReply => empty(body).map(|_| Body::BarrierReply)?,
            MsgType::QueueGetConfigRequest => Body::QueueGetConfigRequest(whole(src, body)?),
            MsgType::QueueGetConfigReply => Body::QueueGetConfigReply(whole(src, body)?),
            MsgType::RoleRequest => Body::RoleRequest(whole(src, body)?),
            MsgType::RoleReply => Body::RoleReply(whole(src, body)?),
            MsgType::GetAsyncRequest => empty(body).map(|_| Body::GetAsyncRequest)?,
            MsgType::GetAsyncReply => Body::GetAsyncReply(whole(src, body)?),
            MsgType::SetAsync => Body::SetAsync(whole(src, body)?),
            MsgType::MeterMod => Body::MeterMod(whole(src, body)?),
            MsgType::Unknown(t) => Body::Unknown {
                msg_type: t,
                body: src.bytes(body),
            },
        };
        Ok(b).map_err(|e: DecodeError| e.in_ctx(ctx))
    }

    /// The name `ovs-ofctl` prints before ` (OF1.3) (xid=…):`.
    pub fn title(&self) -> std::borrow::Cow<'static, str> {
        match self {
            Body::MultipartRequest(m) => m.title().into(),
            Body::MultipartReply(m) => m.title().into(),
            Body::Experimenter(e) => e.title().into(),
            Body::Unknown { msg_type, .. } => format!("OFPT_UNKNOWN_{msg_type}").into(),
            other => other.msg_type().name().unwrap_or("OFPT_UNKNOWN").into(),
        }
    }
}

impl Message {
    /// A message with the given transaction id and body.
    pub fn new(xid: Xid, body: Body) -> Message {
        Message { xid, body }
    }

    /// The message's `ofp_type`.
    pub fn msg_type(&self) -> MsgType {
        self.body.msg_type()
    }

    /// The encoded length, header included.
    pub fn wire_len(&self) -> usize {
        HEADER_LEN + self.body.wire_len()
    }

    /// Decodes exactly one message that fills `frame`; payloads borrow from `frame`.
    pub fn decode(frame: &Bytes) -> Result<Message, DecodeError> {
        let (body, header) = match Header::parse_checked(frame) {
            Ok(v) => v,
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => return Err(e.in_ctx(Ctx::Message)),
            Err(nom::Err::Incomplete(_)) => return Err(DecodeError::truncated(Ctx::Message)),
        };
        if header.length as usize != frame.len() {
            return Err(DecodeError::bad_len(Ctx::Message, header.length as usize));
        }
        let body = Body::parse(Src::new(frame), header.msg_type, body)?;
        Ok(Message {
            xid: header.xid,
            body,
        })
    }

    /// Appends the encoded message to `out`.
    pub fn encode_into(&self, out: &mut BytesMut) -> Result<(), EncodeError> {
        let len = self.wire_len();
        if len > MAX_MESSAGE_LEN {
            return Err(EncodeError::TooLong {
                msg_type: self.msg_type(),
                len,
            });
        }
        out.reserve(len);
        Header {
            version: VERSION,
            msg_type: self.msg_type(),
            length: len as u16,
            xid: self.xid,
        }
        .emit(out);
        let start = out.len();
        self.body.emit(out);
        debug_assert_eq!(
            out.len() - start + HEADER_LEN,
            len,
            "{} wire_len disagrees with emit",
            self.msg_type()
        );
        Ok(())
    }

    /// The encoded message.
    pub fn encode(&self) -> Result<Bytes, EncodeError> {
        let mut out = BytesMut::with_capacity(self.wire_len());
        self.encode_into(&mut out)?;
        Ok(out.freeze())
    }
}

impl fmt::Display for Message {
    /// The message as `ovs-ofctl ofp-print` shows it: `OFPT_X (OF1.3) (xid=0x1):` and the body.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (OF1.3) (xid={:#x}):", self.body.title(), self.xid.0)?;
        match &self.body {
            // OVS dumps a hello it does not fully understand whole, header included.
            Body::Hello(h) => match self.encode() {
                Ok(bytes) => h.fmt_with(f, Some(&bytes)),
                Err(_) => h.fmt(f),
            },
            body => body.fmt(f),
        }
    }
}

impl fmt::Display for Body {
    /// What follows the colon of the title line, starting with its own space or newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Hello(b) => b.fmt(f),
            Body::Error(b) => b.fmt(f),
            Body::EchoRequest(b) | Body::EchoReply(b) => b.fmt(f),
            Body::Experimenter(b) => b.fmt(f),
            Body::FeaturesRequest
            | Body::GetConfigRequest
            | Body::BarrierRequest
            | Body::BarrierReply
            | Body::GetAsyncRequest => Ok(()),
            Body::FeaturesReply(b) => b.fmt(f),
            Body::GetConfigReply(b) | Body::SetConfig(b) => b.fmt(f),
            Body::PacketIn(b) => b.fmt(f),
            Body::FlowRemoved(b) => b.fmt(f),
            Body::PortStatus(b) => b.fmt(f),
            Body::PacketOut(b) => b.fmt(f),
            Body::FlowMod(b) => b.fmt(f),
            Body::GroupMod(b) => b.fmt(f),
            Body::PortMod(b) => b.fmt(f),
            Body::TableMod(b) => b.fmt(f),
            Body::MultipartRequest(b) => b.fmt(f),
            Body::MultipartReply(b) => b.fmt(f),
            Body::QueueGetConfigRequest(b) => b.fmt(f),
            Body::QueueGetConfigReply(b) => b.fmt(f),
            Body::RoleRequest(b) => b.fmt_as(f, false),
            Body::RoleReply(b) => b.fmt_as(f, true),
            Body::GetAsyncReply(b) | Body::SetAsync(b) => b.fmt(f),
            Body::MeterMod(b) => b.fmt(f),
            Body::Unknown { body, .. } => {
                write!(f, " ({} bytes)", body.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_bodies_round_trip() {
        for (body, ty) in [
            (Body::FeaturesRequest, 5u8),
            (Body::GetConfigRequest, 7),
            (Body::BarrierRequest, 20),
            (Body::BarrierReply, 21),
            (Body::GetAsyncRequest, 26),
        ] {
            let m = Message::new(Xid(0x11), body);
            let bytes = m.encode().unwrap();
            assert_eq!(&bytes[..], &[4, ty, 0, 8, 0, 0, 0, 0x11]);
            assert_eq!(Message::decode(&bytes).unwrap(), m);
        }
    }

    #[test]
    fn unknown_types_survive_byte_for_byte() {
        let bytes = Bytes::from_static(&[4, 99, 0, 11, 0, 0, 0, 1, 0xaa, 0xbb, 0xcc]);
        let m = Message::decode(&bytes).unwrap();
        assert_eq!(
            m.body,
            Body::Unknown {
                msg_type: 99,
                body: Bytes::from_static(&[0xaa, 0xbb, 0xcc])
            }
        );
        assert_eq!(m.encode().unwrap(), bytes);
    }

    #[test]
    fn framing_errors_are_typed() {
        use crate::errcode::{BadRequestCode, ErrorCode};
        let bad_len = ErrorCode::BadRequest(BadRequestCode::BadLen);
        // Length field disagrees with the frame.
        let e = Message::decode(&Bytes::from_static(&[4, 20, 0, 9, 0, 0, 0, 1])).unwrap_err();
        assert_eq!(e.ofp_error(), bad_len);
        // Extra bytes in a message that has no body.
        let e = Message::decode(&Bytes::from_static(&[4, 20, 0, 9, 0, 0, 0, 1, 0])).unwrap_err();
        assert_eq!(e.ofp_error(), bad_len);
        // Shorter than a header.
        let e = Message::decode(&Bytes::from_static(&[4, 20, 0])).unwrap_err();
        assert_eq!(e.ofp_error(), bad_len);
        // OpenFlow 1.0.
        let e = Message::decode(&Bytes::from_static(&[1, 0, 0, 8, 0, 0, 0, 1])).unwrap_err();
        assert_eq!(
            e.ofp_error(),
            ErrorCode::BadRequest(BadRequestCode::BadVersion)
        );
    }

    #[test]
    fn display_title_line() {
        let m = Message::new(Xid(3), Body::BarrierRequest);
        assert_eq!(m.to_string(), "OFPT_BARRIER_REQUEST (OF1.3) (xid=0x3):");
    }
}
