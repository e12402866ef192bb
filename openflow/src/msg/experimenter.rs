//! `OFPT_EXPERIMENTER`: an experimenter id and type, then experimenter-defined data.
//!
//! The ONF bundle extension is decoded ([`super::bundle`]); every other experimenter message
//! is kept byte for byte.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use super::bundle::{BundleAdd, BundleControl, ONFT_BUNDLE_ADD_MESSAGE, ONFT_BUNDLE_CONTROL};
use super::echo::HexDump;
use crate::error::Ctx;
use crate::wire::{PResult, Src, Wire, in_ctx, u32_};

/// The Nicira (Open vSwitch) experimenter id.
pub const NICIRA_EXPERIMENTER: u32 = 0x0000_2320;
/// The Open Networking Foundation experimenter id.
pub const ONF_EXPERIMENTER: u32 = 0x4f4e_4600;

/// The body of an `OFPT_EXPERIMENTER` message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Experimenter {
    /// ONF bundle control (`exp_type` 2300).
    BundleControl(BundleControl),
    /// ONF bundle add message (`exp_type` 2301).
    BundleAdd(BundleAdd),
    /// Any other experimenter message, kept byte for byte.
    Other {
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// Everything after the experimenter header.
        data: Bytes,
    },
}

impl Experimenter {
    /// The experimenter id.
    pub fn experimenter(&self) -> u32 {
        match self {
            Experimenter::BundleControl(_) | Experimenter::BundleAdd(_) => ONF_EXPERIMENTER,
            Experimenter::Other { experimenter, .. } => *experimenter,
        }
    }

    /// The experimenter-defined type.
    pub fn exp_type(&self) -> u32 {
        match self {
            Experimenter::BundleControl(_) => ONFT_BUNDLE_CONTROL,
            Experimenter::BundleAdd(_) => ONFT_BUNDLE_ADD_MESSAGE,
            Experimenter::Other { exp_type, .. } => *exp_type,
        }
    }

    /// The name `ovs-ofctl` prints before ` (OF1.3) (xid=…):`; `OFPT_EXPERIMENTER` for a
    /// message this crate does not decode.
    pub fn title(&self) -> String {
        title_of(self.experimenter(), self.exp_type())
            .unwrap_or("OFPT_EXPERIMENTER")
            .to_string()
    }
}

/// The `ovs-ofctl` name of the experimenter messages this crate decodes.
pub(crate) fn title_of(experimenter: u32, exp_type: u32) -> Option<&'static str> {
    match (experimenter, exp_type) {
        (ONF_EXPERIMENTER, ONFT_BUNDLE_CONTROL) => Some("ONFT_BUNDLE_CONTROL"),
        (ONF_EXPERIMENTER, ONFT_BUNDLE_ADD_MESSAGE) => Some("ONFT_BUNDLE_ADD_MESSAGE"),
        _ => None,
    }
}

impl Wire for Experimenter {
    fn wire_len(&self) -> usize {
        8 + match self {
            Experimenter::BundleControl(c) => c.wire_len(),
            Experimenter::BundleAdd(a) => a.wire_len(),
            Experimenter::Other { data, .. } => data.len(),
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.experimenter());
        out.put_u32(self.exp_type());
        match self {
            Experimenter::BundleControl(c) => c.emit(out),
            Experimenter::BundleAdd(a) => a.emit(out),
            Experimenter::Other { data, .. } => out.put_slice(data),
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, experimenter) = in_ctx(Ctx::Message, u32_(i))?;
        let (i, exp_type) = in_ctx(Ctx::Message, u32_(i))?;
        let body = match (experimenter, exp_type) {
            (ONF_EXPERIMENTER, ONFT_BUNDLE_CONTROL) => {
                let (rest, c) = BundleControl::parse(src, i)?;
                return Ok((rest, Experimenter::BundleControl(c)));
            }
            (ONF_EXPERIMENTER, ONFT_BUNDLE_ADD_MESSAGE) => {
                let (rest, a) = BundleAdd::parse(src, i)?;
                return Ok((rest, Experimenter::BundleAdd(a)));
            }
            _ => Experimenter::Other {
                experimenter,
                exp_type,
                data: src.bytes(i),
            },
        };
        Ok((&i[i.len()..], body))
    }
}

impl fmt::Display for Experimenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Experimenter::BundleControl(c) => c.fmt(f),
            Experimenter::BundleAdd(a) => a.fmt(f),
            // OVS cannot print experimenter messages it does not know; this follows its
            // habits: ids in hex, a length, and a dump of the data.
            Experimenter::Other {
                experimenter,
                exp_type,
                data,
            } => {
                write!(
                    f,
                    " experimenter={experimenter:#010x} exp_type={exp_type} ({} bytes of data)",
                    data.len()
                )?;
                if !data.is_empty() {
                    write!(f, "\n{}", HexDump(data))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use crate::message::{Body, Message};
    use crate::types::Xid;

    /// A Nicira message of a subtype this crate does not decode (999), xid 1.
    const NX_UNKNOWN: [u8; 20] = [
        0x04, 0x04, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x23, 0x20, 0x00, 0x00, 0x03, 0xe7, //
        0xaa, 0xbb, 0xcc, 0xdd,
    ];

    #[test]
    fn deconstruct() {
        let frame = Bytes::from_static(&NX_UNKNOWN);
        let m = Message::decode(&frame).unwrap();
        let Body::Experimenter(e) = &m.body else {
            panic!("not an experimenter message")
        };
        let Experimenter::Other {
            experimenter,
            exp_type,
            data,
        } = e
        else {
            panic!("decoded as {e:?}")
        };
        assert_eq!((*experimenter, *exp_type), (NICIRA_EXPERIMENTER, 999));
        assert_eq!(&data[..], &[0xaa, 0xbb, 0xcc, 0xdd]);
        assert_eq!(data.as_ptr(), frame[16..].as_ptr());
    }

    #[test]
    fn construct() {
        let e = Experimenter::Other {
            experimenter: NICIRA_EXPERIMENTER,
            exp_type: 999,
            data: Bytes::from_static(&[0xaa, 0xbb, 0xcc, 0xdd]),
        };
        assert_eq!(e.wire_len(), 12);
        let m = Message::new(Xid(1), Body::Experimenter(e));
        assert_eq!(&m.encode().unwrap()[..], &NX_UNKNOWN);
    }

    #[test]
    fn round_trip() {
        let m = Message::decode(&Bytes::from_static(&NX_UNKNOWN)).unwrap();
        assert_eq!(&m.encode().unwrap()[..], &NX_UNKNOWN);
        // An ONF message that is not a bundle message stays raw.
        let b = Bytes::from_static(&[0x4f, 0x4e, 0x46, 0x00, 0, 0, 0, 1]);
        let e = Experimenter::from_bytes(&b).unwrap();
        assert_eq!(e.title(), "OFPT_EXPERIMENTER");
        assert_eq!(e.to_bytes(), b);
    }

    #[test]
    fn malformed() {
        for body in [&[][..], &[0, 0, 0x23, 0x20, 0, 0, 3][..]] {
            let e = Experimenter::from_bytes(&Bytes::copy_from_slice(body)).unwrap_err();
            assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
        }
    }

    #[test]
    fn display() {
        // OVS prints only "***decode error: OFPBRC_BAD_SUBTYPE***" and a dump for this.
        let m = Message::decode(&Bytes::from_static(&NX_UNKNOWN)).unwrap();
        assert_eq!(
            m.to_string(),
            "OFPT_EXPERIMENTER (OF1.3) (xid=0x1): experimenter=0x00002320 exp_type=999 \
             (4 bytes of data)\n\
             00000000  aa bb cc dd                                     |....            |"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(0u8..=255, 0..40)) {
            let b = Bytes::from(body);
            if let Ok(e) = Experimenter::from_bytes(&b) {
                let _ = (e.to_string(), e.title());
                proptest::prop_assert_eq!(e.to_bytes(), b);
            }
        }
    }
}
