//! The common `ofp_header` and the message type numbers of OpenFlow 1.3.

use bytes::{BufMut, BytesMut};

use crate::error::DecodeError;
use crate::types::Xid;
use crate::wire::{PResult, fail, u8_, u16_, u32_};

/// The OpenFlow 1.3 version number (`OFP13_VERSION`).
pub const VERSION: u8 = 0x04;

/// Length of `ofp_header`.
pub const HEADER_LEN: usize = 8;

open_enum! {
    /// `ofp_type`: the message type numbers of OpenFlow 1.3.
    pub enum MsgType(u8) {
        /// Symmetric hello.
        Hello = 0 => "OFPT_HELLO",
        /// Symmetric error.
        Error = 1 => "OFPT_ERROR",
        /// Symmetric echo request.
        EchoRequest = 2 => "OFPT_ECHO_REQUEST",
        /// Symmetric echo reply.
        EchoReply = 3 => "OFPT_ECHO_REPLY",
        /// Symmetric experimenter message.
        Experimenter = 4 => "OFPT_EXPERIMENTER",
        /// Controller/switch features request.
        FeaturesRequest = 5 => "OFPT_FEATURES_REQUEST",
        /// Controller/switch features reply.
        FeaturesReply = 6 => "OFPT_FEATURES_REPLY",
        /// Get-config request.
        GetConfigRequest = 7 => "OFPT_GET_CONFIG_REQUEST",
        /// Get-config reply.
        GetConfigReply = 8 => "OFPT_GET_CONFIG_REPLY",
        /// Set-config.
        SetConfig = 9 => "OFPT_SET_CONFIG",
        /// Async packet-in.
        PacketIn = 10 => "OFPT_PACKET_IN",
        /// Async flow-removed.
        FlowRemoved = 11 => "OFPT_FLOW_REMOVED",
        /// Async port-status.
        PortStatus = 12 => "OFPT_PORT_STATUS",
        /// Packet-out.
        PacketOut = 13 => "OFPT_PACKET_OUT",
        /// Flow-mod.
        FlowMod = 14 => "OFPT_FLOW_MOD",
        /// Group-mod.
        GroupMod = 15 => "OFPT_GROUP_MOD",
        /// Port-mod.
        PortMod = 16 => "OFPT_PORT_MOD",
        /// Table-mod.
        TableMod = 17 => "OFPT_TABLE_MOD",
        /// Multipart request.
        MultipartRequest = 18 => "OFPST_REQUEST",
        /// Multipart reply.
        MultipartReply = 19 => "OFPST_REPLY",
        /// Barrier request.
        BarrierRequest = 20 => "OFPT_BARRIER_REQUEST",
        /// Barrier reply.
        BarrierReply = 21 => "OFPT_BARRIER_REPLY",
        /// Queue get-config request.
        QueueGetConfigRequest = 22 => "OFPT_QUEUE_GET_CONFIG_REQUEST",
        /// Queue get-config reply.
        QueueGetConfigReply = 23 => "OFPT_QUEUE_GET_CONFIG_REPLY",
        /// Role request.
        RoleRequest = 24 => "OFPT_ROLE_REQUEST",
        /// Role reply.
        RoleReply = 25 => "OFPT_ROLE_REPLY",
        /// Get-async request.
        GetAsyncRequest = 26 => "OFPT_GET_ASYNC_REQUEST",
        /// Get-async reply.
        GetAsyncReply = 27 => "OFPT_GET_ASYNC_REPLY",
        /// Set-async.
        SetAsync = 28 => "OFPT_SET_ASYNC",
        /// Meter-mod.
        MeterMod = 29 => "OFPT_METER_MOD",
    }
}

/// `ofp_header`: version, type, length (of the whole message) and transaction id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Protocol version.
    pub version: u8,
    /// Message type.
    pub msg_type: MsgType,
    /// Length of the whole message, header included.
    pub length: u16,
    /// Transaction id.
    pub xid: Xid,
}

impl Header {
    /// Parses a header without judging its version or length.
    pub fn parse(i: &[u8]) -> PResult<'_, Header> {
        let (i, version) = u8_(i)?;
        let (i, msg_type) = u8_(i)?;
        let (i, length) = u16_(i)?;
        let (i, xid) = u32_(i)?;
        Ok((
            i,
            Header {
                version,
                msg_type: MsgType::from_raw(msg_type),
                length,
                xid: Xid(xid),
            },
        ))
    }

    /// Parses a header and checks it is OpenFlow 1.3 with a plausible length.
    pub fn parse_checked(i: &[u8]) -> PResult<'_, Header> {
        let (rest, h) = Header::parse(i)?;
        if h.version != VERSION {
            return fail(DecodeError::BadVersion { version: h.version });
        }
        if (h.length as usize) < HEADER_LEN {
            return fail(DecodeError::BadLen {
                ctx: None,
                len: h.length as usize,
            });
        }
        Ok((rest, h))
    }

    /// Appends the header.
    pub fn emit(&self, out: &mut BytesMut) {
        out.put_u8(self.version);
        out.put_u8(self.msg_type.raw());
        out.put_u16(self.length);
        out.put_u32(self.xid.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::complete;

    const BYTES: [u8; 8] = [0x04, 0x0e, 0x00, 0x50, 0x00, 0x00, 0x00, 0x07];

    #[test]
    fn deconstruct() {
        let h = complete(Header::parse(&BYTES)).unwrap();
        assert_eq!(h.version, VERSION);
        assert_eq!(h.msg_type, MsgType::FlowMod);
        assert_eq!(h.length, 0x50);
        assert_eq!(h.xid, Xid(7));
    }

    #[test]
    fn construct() {
        let h = Header {
            version: VERSION,
            msg_type: MsgType::FlowMod,
            length: 0x50,
            xid: Xid(7),
        };
        let mut out = BytesMut::new();
        h.emit(&mut out);
        assert_eq!(&out[..], &BYTES);
    }

    #[test]
    fn checked_rejects_other_versions_and_short_lengths() {
        let mut b = BYTES;
        b[0] = 0x01;
        assert!(matches!(
            Header::parse_checked(&b),
            Err(nom::Err::Failure(DecodeError::BadVersion { version: 1 }))
        ));
        let mut b = BYTES;
        b[3] = 4;
        assert!(Header::parse_checked(&b).is_err());
        assert_eq!(MsgType::from_raw(99), MsgType::Unknown(99));
    }
}
