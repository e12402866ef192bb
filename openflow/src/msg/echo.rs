//! `OFPT_ECHO_REQUEST` and `OFPT_ECHO_REPLY`: an opaque payload the peer sends back, used as a
//! keepalive and to measure latency.
//!
//! Also home of `hex_dump`, the `ovs-ofctl` hex dump that several displays share.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::wire::{PResult, Src, Wire};

/// The body of an echo request or reply: arbitrary bytes, returned unchanged by the peer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Echo {
    /// The payload (zero-copy from the frame when parsed).
    pub data: Bytes,
}

impl Echo {
    /// An echo carrying `data`.
    pub fn new(data: impl Into<Bytes>) -> Echo {
        Echo { data: data.into() }
    }

    /// The reply the spec asks for: the same payload sent back.
    pub fn reply(&self) -> Echo {
        self.clone()
    }
}

impl Wire for Echo {
    fn wire_len(&self) -> usize {
        self.data.len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_slice(&self.data);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        Ok((&i[i.len()..], Echo { data: src.bytes(i) }))
    }
}

impl fmt::Display for Echo {
    /// ` N bytes of payload` and, as `ovs-ofctl ofp-print` does by default, a hex dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " {} bytes of payload", self.data.len())?;
        if !self.data.is_empty() {
            f.write_str("\n")?;
            hex_dump(f, &self.data)?;
        }
        Ok(())
    }
}

/// Writes `data` the way OVS's `ds_put_hex_dump` does (offset, 16 bytes in two groups of
/// eight, printable ASCII), lines separated by newlines and without a final newline.
pub(crate) fn hex_dump(f: &mut fmt::Formatter<'_>, data: &[u8]) -> fmt::Result {
    for (n, line) in data.chunks(16).enumerate() {
        if n > 0 {
            f.write_str("\n")?;
        }
        write!(f, "{:08x}  ", n * 16)?;
        for i in 0..16 {
            match line.get(i) {
                Some(b) => write!(f, "{b:02x}{}", if i == 7 { '-' } else { ' ' })?,
                None => f.write_str("   ")?,
            }
        }
        f.write_str("|")?;
        for i in 0..16 {
            let c = match line.get(i) {
                Some(&b) if (32..127).contains(&b) => b as char,
                Some(_) => '.',
                None => ' ',
            };
            write!(f, "{c}")?;
        }
        f.write_str("|")?;
    }
    Ok(())
}

/// A [`hex_dump`] as a value for `format!` and `write!`.
pub(crate) struct HexDump<'a>(pub &'a [u8]);

impl fmt::Display for HexDump<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        hex_dump(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Body, Message};
    use crate::types::Xid;

    /// `OFPT_ECHO_REQUEST`, xid 1, 8 bytes of payload.
    const REQUEST: [u8; 16] = [
        0x04, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, //
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xff,
    ];

    #[test]
    fn deconstruct() {
        let frame = Bytes::from_static(&REQUEST);
        let m = Message::decode(&frame).unwrap();
        assert_eq!(m.xid, Xid(1));
        let Body::EchoRequest(e) = &m.body else {
            panic!("not an echo request: {m:?}")
        };
        assert_eq!(&e.data[..], &REQUEST[8..]);
        // The payload borrows from the frame.
        assert_eq!(e.data.as_ptr(), frame[8..].as_ptr());
    }

    #[test]
    fn construct() {
        let m = Message::new(Xid(1), Body::EchoRequest(Echo::new(&REQUEST[8..])));
        assert_eq!(&m.encode().unwrap()[..], &REQUEST);
        let reply = Message::new(Xid(9), Body::EchoReply(Echo::default()));
        assert_eq!(&reply.encode().unwrap()[..], &[4, 3, 0, 8, 0, 0, 0, 9]);
    }

    #[test]
    fn round_trip() {
        let e = Echo::from_bytes(&Bytes::from_static(b"keepalive")).unwrap();
        assert_eq!(e.wire_len(), 9);
        assert_eq!(&e.reply().to_bytes()[..], b"keepalive");
    }

    #[test]
    fn display_matches_ovs() {
        // ovs-ofctl ofp-print 040200100000000101020304050607ff
        let m = Message::decode(&Bytes::from_static(&REQUEST)).unwrap();
        assert_eq!(
            m.to_string(),
            "OFPT_ECHO_REQUEST (OF1.3) (xid=0x1): 8 bytes of payload\n\
             00000000  01 02 03 04 05 06 07 ff-                        |........        |"
        );
        // ovs-ofctl ofp-print 0403000800000001
        let m = Message::decode(&Bytes::from_static(&[4, 3, 0, 8, 0, 0, 0, 1])).unwrap();
        assert_eq!(
            m.to_string(),
            "OFPT_ECHO_REPLY (OF1.3) (xid=0x1): 0 bytes of payload"
        );
    }

    #[test]
    fn hex_dump_matches_ovs() {
        // The dump ovs-ofctl prints for 0401001c000000010000000150726f746f636f6c206572726f72.
        let data = [
            0x04, 0x01, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x50, 0x72,
            0x6f, 0x74, 0x6f, 0x63, 0x6f, 0x6c, 0x20, 0x65, 0x72, 0x72, 0x6f, 0x72,
        ];
        assert_eq!(
            HexDump(&data).to_string(),
            "00000000  04 01 00 1c 00 00 00 01-00 00 00 01 50 72 6f 74 |............Prot|\n\
             00000010  6f 63 6f 6c 20 65 72 72-6f 72                   |ocol error      |"
        );
        assert_eq!(HexDump(&[]).to_string(), "");
    }
}
