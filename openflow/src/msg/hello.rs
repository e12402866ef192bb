//! `OFPT_HELLO`: the first message on a connection, announcing the versions a side speaks.
//!
//! The body is a list of hello elements (`ofp_hello_elem_header`: type, length, data), each
//! padded to 8 bytes; the padding is not part of the element's length. The only element
//! OpenFlow 1.3 defines is the version bitmap. Nothing here depends on the header's version,
//! because a peer's HELLO is parsed before the version is agreed.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::wire::{PResult, Src, Wire, fail, in_ctx, pad8, record, u16_, u32_};

/// `OFPHET_VERSIONBITMAP`.
pub const OFPHET_VERSIONBITMAP: u16 = 1;

/// Length of `ofp_hello_elem_header`.
const ELEM_HEADER_LEN: usize = 4;

/// The body of an `OFPT_HELLO`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Hello {
    /// The hello elements, in wire order.
    pub elements: Vec<HelloElement>,
}

/// One hello element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelloElement {
    /// `OFPHET_VERSIONBITMAP`: bit `v % 32` of word `v / 32` is set if version `v` is spoken.
    VersionBitmap(Vec<u32>),
    /// An element type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw element type.
        element_type: u16,
        /// The element's data after its 4-byte header, without padding.
        body: Bytes,
    },
}

impl Hello {
    /// The hello this crate sends: a version bitmap announcing OpenFlow 1.3 only.
    pub fn of13() -> Hello {
        Hello::with_versions(&[crate::header::VERSION])
    }

    /// A hello whose version bitmap announces exactly `versions`.
    pub fn with_versions(versions: &[u8]) -> Hello {
        let words = versions
            .iter()
            .map(|&v| v as usize / 32 + 1)
            .max()
            .unwrap_or(1);
        let mut bitmap = vec![0u32; words];
        for &v in versions {
            if let Some(w) = bitmap.get_mut(v as usize / 32) {
                *w |= 1 << (v % 32);
            }
        }
        Hello {
            elements: vec![HelloElement::VersionBitmap(bitmap)],
        }
    }

    /// The first version bitmap element, if the peer sent one.
    pub fn bitmap(&self) -> Option<&[u32]> {
        self.elements.iter().find_map(|e| match e {
            HelloElement::VersionBitmap(b) => Some(b.as_slice()),
            HelloElement::Unknown { .. } => None,
        })
    }

    /// Whether the version bitmap announces `version`; `None` when there is no bitmap (then
    /// only the header's version says what the peer speaks).
    pub fn bitmap_supports(&self, version: u8) -> Option<bool> {
        let bitmap = self.bitmap()?;
        let word = bitmap.get(version as usize / 32).copied().unwrap_or(0);
        Some(word & (1 << (version % 32)) != 0)
    }
}

impl HelloElement {
    fn element_type(&self) -> u16 {
        match self {
            HelloElement::VersionBitmap(_) => OFPHET_VERSIONBITMAP,
            HelloElement::Unknown { element_type, .. } => *element_type,
        }
    }

    /// The element's length field: header and data, without padding.
    fn unpadded_len(&self) -> usize {
        ELEM_HEADER_LEN
            + match self {
                HelloElement::VersionBitmap(words) => 4 * words.len(),
                HelloElement::Unknown { body, .. } => body.len(),
            }
    }
}

impl Wire for HelloElement {
    fn wire_len(&self) -> usize {
        pad8(self.unpadded_len())
    }

    fn emit(&self, out: &mut BytesMut) {
        let len = self.unpadded_len();
        out.put_u16(self.element_type());
        out.put_u16(len as u16);
        match self {
            HelloElement::VersionBitmap(words) => words.iter().for_each(|w| out.put_u32(*w)),
            HelloElement::Unknown { body, .. } => out.put_slice(body),
        }
        out.put_bytes(0, pad8(len) - len);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Hello, parse_element(src, i))
    }
}

fn parse_element<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, HelloElement> {
    let (_, rec) = record(i, 2, ELEM_HEADER_LEN, Ctx::Hello)?;
    let (data, element_type) = u16_(rec)?;
    let data = &data[2..];
    let len = rec.len();
    // Each element is padded to 8 bytes. A last element whose padding is missing is still
    // accepted: refusing a peer's HELLO over absent trailing zeros would only break the
    // handshake (OVS, too, never rejects a HELLO).
    let consumed = if i.len() == len { len } else { pad8(len) };
    if i.len() < consumed {
        return fail(DecodeError::bad_len(Ctx::Hello, len));
    }
    let rest = &i[consumed..];
    let element = if element_type == OFPHET_VERSIONBITMAP && data.len() % 4 == 0 {
        let mut words = Vec::with_capacity(data.len() / 4);
        let mut d = data;
        while !d.is_empty() {
            let (r, w) = u32_(d)?;
            words.push(w);
            d = r;
        }
        HelloElement::VersionBitmap(words)
    } else {
        HelloElement::Unknown {
            element_type,
            body: src.bytes(data),
        }
    };
    Ok((rest, element))
}

impl Wire for Hello {
    fn wire_len(&self) -> usize {
        crate::wire::len_all(&self.elements)
    }

    fn emit(&self, out: &mut BytesMut) {
        crate::wire::emit_all(&self.elements, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let elements =
            crate::wire::many_all(src, i).map_err(|e| nom::Err::Failure(e.in_ctx(Ctx::Hello)))?;
        Ok((&i[i.len()..], Hello { elements }))
    }
}

impl fmt::Display for Hello {
    /// `ovs-ofctl` shows the versions the peer allows: those of the first usable bitmap, or
    /// 1.0 to 1.3 (everything up to the header's version) when there is none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_with(f, None)
    }
}

impl Hello {
    /// Writes the body text; when the hello is not fully understood OVS dumps the whole
    /// message, so the caller that knows the header passes the encoded message.
    pub(crate) fn fmt_with(&self, f: &mut fmt::Formatter<'_>, whole: Option<&[u8]>) -> fmt::Result {
        // Like OVS, only the first word counts and a bitmap naming no version but 0 is not
        // usable; anything unusable makes the hello "not fully understood".
        let mut allowed: u32 = 0x1e;
        let mut understood = true;
        for e in &self.elements {
            match e {
                HelloElement::VersionBitmap(words) if !words.is_empty() && words[0] & !1 != 0 => {
                    allowed = words[0] & !1;
                }
                _ => understood = false,
            }
        }
        f.write_str("\n version bitmap: ")?;
        let mut first = true;
        for v in (0..32).filter(|v| allowed & (1 << v) != 0) {
            if !first {
                f.write_str(", ")?;
            }
            write!(f, "{v:#04x}")?;
            first = false;
        }
        if !understood {
            f.write_str("\n unknown data in hello:\n")?;
            match whole {
                Some(bytes) => super::echo::hex_dump(f, bytes)?,
                None => super::echo::hex_dump(f, &self.to_bytes())?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use crate::message::{Body, Message};
    use crate::types::Xid;

    /// `Hello::of13()` with xid 1: one bitmap element with bit 4 set.
    const OF13: [u8; 16] = [
        0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10,
    ];

    /// A bitmap for 1.0 and 1.3 followed by an unknown element (type 2, two data bytes)
    /// padded to 8 bytes.
    const MIXED: [u8; 24] = [
        0x04, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x12, //
        0x00, 0x02, 0x00, 0x06, 0xaa, 0xbb, 0x00, 0x00,
    ];

    fn decode(b: &'static [u8]) -> Result<Message, DecodeError> {
        Message::decode(&Bytes::from_static(b))
    }

    #[test]
    fn deconstruct() {
        let m = decode(&MIXED).unwrap();
        let Body::Hello(h) = m.body else {
            panic!("not a hello")
        };
        assert_eq!(
            h.elements,
            vec![
                HelloElement::VersionBitmap(vec![0x12]),
                HelloElement::Unknown {
                    element_type: 2,
                    body: Bytes::from_static(&[0xaa, 0xbb]),
                },
            ]
        );
        assert_eq!(h.bitmap_supports(4), Some(true));
        assert_eq!(h.bitmap_supports(1), Some(true));
        assert_eq!(h.bitmap_supports(2), Some(false));
        assert_eq!(h.bitmap_supports(40), Some(false));
    }

    #[test]
    fn construct() {
        let m = Message::new(Xid(1), Body::Hello(Hello::of13()));
        assert_eq!(&m.encode().unwrap()[..], &OF13);
        let h = Hello {
            elements: vec![
                HelloElement::VersionBitmap(vec![0x12]),
                HelloElement::Unknown {
                    element_type: 2,
                    body: Bytes::from_static(&[0xaa, 0xbb]),
                },
            ],
        };
        assert_eq!(&h.to_bytes()[..], &MIXED[8..]);
        assert_eq!(h.wire_len(), 16);
    }

    #[test]
    fn round_trip() {
        for bytes in [&OF13[..], &MIXED[..], &[4, 0, 0, 8, 0, 0, 0, 1]] {
            let m = Message::decode(&Bytes::copy_from_slice(bytes)).unwrap();
            assert_eq!(&m.encode().unwrap()[..], bytes);
        }
        // Two bitmap words (versions 1 and 33), length 12 padded to 16.
        let h = Hello::with_versions(&[1, 33]);
        let b = h.to_bytes();
        assert_eq!(&b[..], &[0, 1, 0, 12, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0]);
        assert_eq!(Hello::from_bytes(&b).unwrap(), h);
        assert_eq!(h.bitmap_supports(33), Some(true));
    }

    #[test]
    fn empty_hello_has_no_bitmap() {
        let h = Hello::from_bytes(&Bytes::new()).unwrap();
        assert_eq!(h.bitmap_supports(4), None);
    }

    #[test]
    fn body_parse_ignores_header_version() {
        // An OF1.0 HELLO announcing 1.0 to 1.4; the channel parses its body directly.
        let frame = Bytes::from_static(&[
            0x01, 0x00, 0x00, 0x10, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x08, 0, 0, 0, 0x1e,
        ]);
        let h = Hello::from_bytes(&frame.slice(8..)).unwrap();
        assert_eq!(h.bitmap_supports(4), Some(true));
        assert_eq!(h.bitmap_supports(5), Some(false));
    }

    #[test]
    fn missing_final_padding_is_tolerated() {
        let b = Bytes::from_static(&[0, 1, 0, 8, 0, 0, 0, 0x10, 0, 9, 0, 5, 7]);
        let h = Hello::from_bytes(&b).unwrap();
        assert_eq!(h.elements.len(), 2);
        assert_eq!(h.bitmap_supports(4), Some(true));
        // A bitmap whose length is not a whole number of words is kept as raw bytes.
        let b = Bytes::from_static(&[0, 1, 0, 6, 0, 0x10, 0, 0]);
        let h = Hello::from_bytes(&b).unwrap();
        assert!(matches!(
            h.elements[0],
            HelloElement::Unknown {
                element_type: 1,
                ..
            }
        ));
        assert_eq!(h.bitmap_supports(4), None);
        assert_eq!(h.to_bytes(), b);
    }

    #[test]
    fn malformed() {
        let bad_len = ErrorCode::BadRequest(BadRequestCode::BadLen);
        for body in [
            &[0, 1, 0, 3, 0, 0, 0, 0][..],          // length below the header
            &[0, 1, 0, 12, 0, 0, 0, 0x10][..],      // length past the end
            &[0, 1, 0, 8, 0, 0, 0, 0x10, 0, 1][..], // a second element cut short
            &[0, 1, 0, 4, 0, 0][..],                // padding partly present
        ] {
            let e = Hello::from_bytes(&Bytes::copy_from_slice(body)).unwrap_err();
            assert_eq!(e.ofp_error(), bad_len, "{body:?}");
            assert!(e.to_string().starts_with("hello element"), "{e}");
        }
    }

    #[test]
    fn display_matches_ovs() {
        // ovs-ofctl ofp-print 04000010000000010001000800000010
        assert_eq!(
            decode(&OF13).unwrap().to_string(),
            "OFPT_HELLO (OF1.3) (xid=0x1):\n version bitmap: 0x04"
        );
        // ovs-ofctl ofp-print 0400000800000001
        assert_eq!(
            decode(&[4, 0, 0, 8, 0, 0, 0, 1]).unwrap().to_string(),
            "OFPT_HELLO (OF1.3) (xid=0x1):\n version bitmap: 0x01, 0x02, 0x03, 0x04"
        );
        // ovs-ofctl ofp-print 0400001800000001000100080000001200020006aabb0000: the whole
        // message is dumped, header included.
        assert_eq!(
            decode(&MIXED).unwrap().to_string(),
            "OFPT_HELLO (OF1.3) (xid=0x1):\n version bitmap: 0x01, 0x04\n unknown data in hello:\n\
             00000000  04 00 00 18 00 00 00 01-00 01 00 08 00 00 00 12 |................|\n\
             00000010  00 02 00 06 aa bb 00 00-                        |........        |"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(0u8..=255, 0..48)) {
            if let Ok(h) = Hello::from_bytes(&Bytes::from(body)) {
                let _ = h.to_string();
                let _ = h.bitmap_supports(4);
                proptest::prop_assert_eq!(Hello::from_bytes(&h.to_bytes()).unwrap(), h);
            }
        }
    }
}
