//! `OFPT_ERROR`: a type and code, then (usually) the first bytes of the request that failed.
//!
//! Experimenter errors (`type` 0xffff) carry an experimenter-defined type and the
//! experimenter id before their data; OpenFlow 1.3 switches such as OVS use them with the ONF
//! id for the bundle extension's errors.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use super::bundle::BundleFailedCode;
use super::echo::hex_dump;
use super::experimenter::ONF_EXPERIMENTER;
use crate::errcode::{ErrorCode, HelloFailedCode, OFPET_EXPERIMENTER};
use crate::error::{Ctx, DecodeError};
use crate::header::{HEADER_LEN, Header, MsgType, VERSION};
use crate::message::Message;
use crate::wire::{PResult, Src, Wire, in_ctx, u16_, u32_};

/// The most bytes of a failed request an error carries back (the spec's minimum, which is
/// also what switches send).
pub const ERROR_DATA_MAX: usize = 64;

/// The body of an `OFPT_ERROR`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMsg {
    /// What went wrong.
    pub code: ErrorCode,
    /// The start of the offending message, or ASCII text for `OFPET_HELLO_FAILED`.
    pub data: Bytes,
}

impl ErrorMsg {
    /// An error with the given data, kept whole.
    pub fn new(code: ErrorCode, data: impl Into<Bytes>) -> ErrorMsg {
        ErrorMsg {
            code,
            data: data.into(),
        }
    }

    /// The error answering `request`: its data is at most the first 64 bytes of the request.
    pub fn for_request(code: ErrorCode, request: impl AsRef<[u8]>) -> ErrorMsg {
        let request = request.as_ref();
        let n = request.len().min(ERROR_DATA_MAX);
        ErrorMsg::new(code, Bytes::copy_from_slice(&request[..n]))
    }

    /// The error the spec prescribes for a request that failed to decode.
    pub fn for_decode_error(e: &DecodeError, request: impl AsRef<[u8]>) -> ErrorMsg {
        ErrorMsg::for_request(e.ofp_error(), request)
    }

    /// An `OFPET_HELLO_FAILED` error explaining itself in ASCII text.
    pub fn hello_failed(code: HelloFailedCode, text: &str) -> ErrorMsg {
        ErrorMsg::new(
            ErrorCode::HelloFailed(code),
            Bytes::copy_from_slice(text.as_bytes()),
        )
    }
}

impl Wire for ErrorMsg {
    fn wire_len(&self) -> usize {
        let head = match self.code {
            ErrorCode::Experimenter { .. } => 8,
            _ => 4,
        };
        head + self.data.len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.code.error_type());
        out.put_u16(self.code.code());
        if let ErrorCode::Experimenter { experimenter, .. } = self.code {
            out.put_u32(experimenter);
        }
        out.put_slice(&self.data);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Message, parse_error(src, i))
    }
}

fn parse_error<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, ErrorMsg> {
    let (i, error_type) = u16_(i)?;
    let (i, code) = u16_(i)?;
    let (i, code) = if error_type == OFPET_EXPERIMENTER {
        let (i, experimenter) = u32_(i)?;
        (
            i,
            ErrorCode::Experimenter {
                exp_type: code,
                experimenter,
            },
        )
    } else {
        (i, ErrorCode::from_raw(error_type, code))
    };
    Ok((
        &i[i.len()..],
        ErrorMsg {
            code,
            data: src.bytes(i),
        },
    ))
}

/// The code's name as `ovs-ofctl` prints it, including the ONF bundle errors OVS sends as
/// experimenter errors in OpenFlow 1.3.
fn code_name(code: ErrorCode) -> String {
    match code {
        ErrorCode::Experimenter {
            exp_type,
            experimenter: ONF_EXPERIMENTER,
        } => match BundleFailedCode::from_raw(exp_type).name() {
            Some(n) => n.to_string(),
            None => code.to_string(),
        },
        _ => code.to_string(),
    }
}

impl fmt::Display for ErrorMsg {
    /// The code's name, then the data: ASCII text for a failed hello, otherwise the failed
    /// message decoded the way `ovs-ofctl` shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " {}", code_name(self.code))?;
        if let ErrorCode::HelloFailed(HelloFailedCode::Incompatible | HelloFailedCode::Eperm) =
            self.code
        {
            if !self.data.is_empty() {
                f.write_str("\n")?;
                printable(f, &self.data)?;
            }
            return Ok(());
        }
        f.write_str("\n")?;
        fmt_embedded(f, &self.data)
    }
}

/// Text as OVS's `ds_put_printable` writes it: octal escapes for anything unprintable.
fn printable(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    for &c in data {
        if !(0x20..=0x7e).contains(&c) || c == b'\\' || c == b'"' {
            write!(f, "\\{c:03o}")?;
        } else {
            write!(f, "{}", c as char)?;
        }
    }
    Ok(())
}

/// An embedded (possibly truncated) OpenFlow message, as OVS's `ofp_to_string` shows it.
fn fmt_embedded(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    if data.is_empty() {
        return f.write_str("OpenFlow message is empty");
    }
    let header = match Header::parse(data) {
        Ok((_, h)) => h,
        Err(_) => {
            writeln!(f, "OpenFlow packet too short (only {} bytes):", data.len())?;
            return hex_dump(f, data);
        }
    };
    let claimed = header.length as usize;
    if claimed > data.len() {
        if let Some(title) = partial_title(&header, data) {
            writeln!(f, "{title} (OF1.3) (xid={:#x}):", header.xid.0)?;
        }
        writeln!(
            f,
            "(***truncated to {} bytes from {claimed}***)",
            data.len()
        )?;
        return hex_dump(f, data);
    }
    if claimed < data.len() {
        writeln!(f, "(***only uses {claimed} bytes out of {}***)", data.len())?;
        return hex_dump(f, data);
    }
    if header.version != VERSION {
        // Only OpenFlow 1.3 can be decoded here.
        return hex_dump(f, data);
    }
    match Message::decode(&Bytes::copy_from_slice(data)) {
        Ok(m) => write!(f, "{m}"),
        Err(e) => {
            if let Some(title) = partial_title(&header, data) {
                write!(f, "{title} (OF1.3) (xid={:#x}): ", header.xid.0)?;
            }
            writeln!(f, "***decode error: {}***", code_name(e.ofp_error()))?;
            hex_dump(f, data)
        }
    }
}

/// The title `ovs-ofctl` gives a message it can only see the start of, when it can tell.
fn partial_title(header: &Header, data: &[u8]) -> Option<String> {
    if header.version != VERSION {
        return None;
    }
    let u16_at = |o: usize| Some(u16::from_be_bytes([*data.get(o)?, *data.get(o + 1)?]));
    let u32_at = |o: usize| Some(u32::from_be_bytes(data.get(o..o + 4)?.try_into().ok()?));
    match header.msg_type {
        MsgType::MultipartRequest | MsgType::MultipartReply => {
            let name = MULTIPART_NAMES
                .iter()
                .find(|(t, _)| Some(*t) == u16_at(HEADER_LEN))?
                .1;
            let dir = if header.msg_type == MsgType::MultipartRequest {
                "request"
            } else {
                "reply"
            };
            Some(format!("{name} {dir}"))
        }
        MsgType::Experimenter => {
            let title = super::experimenter::title_of(u32_at(HEADER_LEN)?, u32_at(12)?)?;
            Some(title.to_string())
        }
        t => t.name().map(str::to_string),
    }
}

/// `ofp_multipart_type` values and the names `ovs-ofctl` prints for them.
const MULTIPART_NAMES: [(u16, &str); 14] = [
    (0, "OFPST_DESC"),
    (1, "OFPST_FLOW"),
    (2, "OFPST_AGGREGATE"),
    (3, "OFPST_TABLE"),
    (4, "OFPST_PORT"),
    (5, "OFPST_QUEUE"),
    (6, "OFPST_GROUP"),
    (7, "OFPST_GROUP_DESC"),
    (8, "OFPST_GROUP_FEATURES"),
    (9, "OFPST_METER"),
    (10, "OFPST_METER_CONFIG"),
    (11, "OFPST_METER_FEATURES"),
    (12, "OFPST_TABLE_FEATURES"),
    (13, "OFPST_PORT_DESC"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadMatchCode, BadRequestCode, SwitchConfigFailedCode};
    use crate::message::Body;
    use crate::types::Xid;

    /// `OFPBRC_BAD_LEN` for a features request with xid 0xff.
    const BAD_LEN: [u8; 20] = [
        0x04, 0x01, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x01, 0x00, 0x06, //
        0x04, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0xff,
    ];

    /// The ONF bundle error `OFPBFC_BAD_ID` (exp_type 2302) for a features request, xid 7.
    const BUNDLE_BAD_ID: [u8; 24] = [
        0x04, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01, //
        0xff, 0xff, 0x08, 0xfe, 0x4f, 0x4e, 0x46, 0x00, //
        0x04, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07,
    ];

    fn decode(b: &[u8]) -> Message {
        Message::decode(&Bytes::copy_from_slice(b)).unwrap()
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn deconstruct() {
        let frame = Bytes::from_static(&BAD_LEN);
        let m = Message::decode(&frame).unwrap();
        let Body::Error(e) = &m.body else {
            panic!("not an error")
        };
        assert_eq!(e.code, ErrorCode::BadRequest(BadRequestCode::BadLen));
        assert_eq!(&e.data[..], &BAD_LEN[12..]);
        assert_eq!(e.data.as_ptr(), frame[12..].as_ptr());

        let m = decode(&BUNDLE_BAD_ID);
        let Body::Error(e) = &m.body else {
            panic!("not an error")
        };
        assert_eq!(
            e.code,
            ErrorCode::Experimenter {
                exp_type: 2302,
                experimenter: ONF_EXPERIMENTER
            }
        );
        assert_eq!(&e.data[..], &BUNDLE_BAD_ID[16..]);
    }

    #[test]
    fn construct() {
        let request = [0x04, 0x05, 0x00, 0x08, 0x00, 0x00, 0x00, 0xff];
        let e = ErrorMsg::for_request(ErrorCode::BadRequest(BadRequestCode::BadLen), request);
        let m = Message::new(Xid(1), Body::Error(e));
        assert_eq!(&m.encode().unwrap()[..], &BAD_LEN);

        let e = ErrorMsg::new(
            ErrorCode::Experimenter {
                exp_type: BundleFailedCode::BadId.raw(),
                experimenter: ONF_EXPERIMENTER,
            },
            Bytes::copy_from_slice(&BUNDLE_BAD_ID[16..]),
        );
        assert_eq!(e.wire_len(), 16);
        let m = Message::new(Xid(1), Body::Error(e));
        assert_eq!(&m.encode().unwrap()[..], &BUNDLE_BAD_ID);
    }

    #[test]
    fn round_trip() {
        for b in [
            &BAD_LEN[..],
            &BUNDLE_BAD_ID[..],
            &[4, 1, 0, 12, 0, 0, 0, 1, 0, 99, 0, 7],
        ] {
            assert_eq!(&decode(b).encode().unwrap()[..], b);
        }
    }

    #[test]
    fn for_request_keeps_64_bytes() {
        let request: Vec<u8> = (0..200u8).collect();
        let e = ErrorMsg::for_request(ErrorCode::BadMatch(BadMatchCode::BadLen), &request);
        assert_eq!(&e.data[..], &request[..64]);
        let short = ErrorMsg::for_request(ErrorCode::BadMatch(BadMatchCode::BadLen), &request[..9]);
        assert_eq!(short.data.len(), 9);

        let err = DecodeError::truncated(Ctx::SwitchConfig);
        let e = ErrorMsg::for_decode_error(&err, &request[..12]);
        assert_eq!(
            e.code,
            ErrorCode::SwitchConfigFailed(SwitchConfigFailedCode::BadLen)
        );
    }

    #[test]
    fn malformed() {
        for body in [
            &[][..],
            &[0, 1, 0][..],
            &[0xff, 0xff, 0, 1, 0x4f, 0x4e, 0x46][..],
        ] {
            let e = ErrorMsg::from_bytes(&Bytes::copy_from_slice(body)).unwrap_err();
            assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
        }
    }

    /// Every expected text below is what `ovs-ofctl ofp-print` prints for the hex given.
    #[test]
    fn display_matches_ovs() {
        let cases: &[(&str, &str)] = &[
            (
                "04010014000000010001000604050008000000ff",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_LEN\n\
                 OFPT_FEATURES_REQUEST (OF1.3) (xid=0xff):",
            ),
            (
                "04010014000000010004000a04050008000000ff",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBMC_DUP_FIELD\n\
                 OFPT_FEATURES_REQUEST (OF1.3) (xid=0xff):",
            ),
            (
                "0401001800000001ffff08fe4f4e46000405000800000007",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBFC_BAD_ID\n\
                 OFPT_FEATURES_REQUEST (OF1.3) (xid=0x7):",
            ),
            (
                "0401001000000001ffff08fe4f4e4600",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBFC_BAD_ID\nOpenFlow message is empty",
            ),
            (
                "0401000f0000000100010006040000",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_LEN\n\
                 OpenFlow packet too short (only 3 bytes):\n\
                 00000000  04 00 00                                        |...             |",
            ),
            (
                "0401001400000001000100060405001000000002",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_LEN\n\
                 OFPT_FEATURES_REQUEST (OF1.3) (xid=0x2):\n\
                 (***truncated to 8 bytes from 16***)\n\
                 00000000  04 05 00 10 00 00 00 02-                        |........        |",
            ),
            (
                "040100180000000100010001041900100000000100000000",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_TYPE\n\
                 OFPT_ROLE_REPLY (OF1.3) (xid=0x1):\n\
                 (***truncated to 12 bytes from 16***)\n\
                 00000000  04 19 00 10 00 00 00 01-00 00 00 00             |............    |",
            ),
            (
                "0401001c00000001000100060412002000000005000d000000000000",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_LEN\n\
                 OFPST_PORT_DESC request (OF1.3) (xid=0x5):\n\
                 (***truncated to 16 bytes from 32***)\n\
                 00000000  04 12 00 20 00 00 00 05-00 0d 00 00 00 00 00 00 |... ............|",
            ),
            (
                "04010022000000010000000050726f746f636f6c206572726f720a22015c7fff00ff",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPHFC_INCOMPATIBLE\n\
                 Protocol error\\012\\042\\001\\134\\177\\377\\000\\377",
            ),
            (
                "0401000c0000000100000001",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPHFC_EPERM",
            ),
            (
                "0401001800000001000100060400000800000001aabbccdd",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_LEN\n\
                 (***only uses 8 bytes out of 12***)\n\
                 00000000  04 00 00 08 00 00 00 01-aa bb cc dd             |............    |",
            ),
            (
                "0401001c000000010001000604000010000000010001000800000010",
                "OFPT_ERROR (OF1.3) (xid=0x1): OFPBRC_BAD_LEN\n\
                 OFPT_HELLO (OF1.3) (xid=0x1):\n version bitmap: 0x04",
            ),
        ];
        for (h, text) in cases {
            let bytes = hex(h);
            // The test vectors must be well-formed as whole messages.
            assert_eq!(
                bytes.len(),
                u16::from_be_bytes([bytes[2], bytes[3]]) as usize
            );
            assert_eq!(decode(&bytes).to_string(), *text, "{h}");
        }
    }

    #[test]
    fn display_of_undecodable_request() {
        // ovs-ofctl ofp-print
        // 0401002400000001000b000204180018000000ff0000000400000000ffffffffffffffff
        let m = decode(&hex(
            "0401002400000001000b000204180018000000ff0000000400000000ffffffffffffffff",
        ));
        assert_eq!(
            m.to_string(),
            "OFPT_ERROR (OF1.3) (xid=0x1): OFPRRFC_BAD_ROLE\n\
             OFPT_ROLE_REQUEST (OF1.3) (xid=0xff): ***decode error: OFPRRFC_BAD_ROLE***\n\
             00000000  04 18 00 18 00 00 00 ff-00 00 00 04 00 00 00 00 |................|\n\
             00000010  ff ff ff ff ff ff ff ff-                        |........        |"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(0u8..=255, 0..32)) {
            let b = Bytes::from(body);
            if let Ok(e) = ErrorMsg::from_bytes(&b) {
                proptest::prop_assert_eq!(e.to_bytes(), b);
            }
        }

        #[test]
        fn embedded_text_never_panics(mut data in proptest::collection::vec(0u8..=255, 0..40)) {
            // Keep embedded messages to types whose modules are complete here.
            if let Some(t) = data.get_mut(1) {
                *t %= 4;
            }
            let _ = ErrorMsg::new(ErrorCode::BadRequest(BadRequestCode::BadLen), data).to_string();
        }
    }
}
