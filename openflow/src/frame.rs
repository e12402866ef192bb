//! Splitting a TCP byte stream into OpenFlow frames, by the 16-bit length in each header.
//!
//! The [`Framer`] only buffers bytes it has actually received: it never reserves room for a
//! message from its (unvalidated) length field, and it checks that field as soon as its two
//! bytes arrive, so a hostile peer cannot make it wait for, or allocate, more than
//! `max_len` bytes per frame. Frames come out as [`Bytes`] split off the receive buffer,
//! without copying.
//!
//! Framing looks only at the length, not at the version or type: a frame may still be
//! rejected by [`Message::decode`](crate::Message::decode), which a connection survives, while
//! a bad length loses the message boundaries and ends it.

use bytes::{Buf, Bytes, BytesMut};

use crate::errcode::{BadRequestCode, ErrorCode};
use crate::header::HEADER_LEN;
use crate::message::MAX_MESSAGE_LEN;

/// Why the byte stream cannot be split into messages any more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// A header's length is smaller than the header itself.
    #[error("message length {len} is shorter than the 8-byte header")]
    TooShort {
        /// The length field received.
        len: usize,
    },
    /// A header's length exceeds the configured maximum message size.
    #[error("message length {len} exceeds the maximum of {max}")]
    TooLong {
        /// The length field received.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
}

impl FrameError {
    /// The `OFPT_ERROR` code to send before closing: `OFPET_BAD_REQUEST`/`OFPBRC_BAD_LEN`.
    pub fn ofp_error(&self) -> ErrorCode {
        ErrorCode::BadRequest(BadRequestCode::BadLen)
    }
}

/// Splits received bytes into whole OpenFlow messages.
///
/// Push bytes with [`push`](Framer::push) (or append to [`buf_mut`](Framer::buf_mut), e.g.
/// with an async `read_buf`), then call [`next_frame`](Framer::next_frame) until it returns
/// `Ok(None)`. After an error the framer stays failed: the stream has lost its message
/// boundaries.
#[derive(Debug)]
pub struct Framer {
    buf: BytesMut,
    max_len: usize,
    failed: Option<FrameError>,
}

impl Default for Framer {
    fn default() -> Self {
        Framer::new(MAX_MESSAGE_LEN)
    }
}

impl Framer {
    /// A framer accepting messages of at most `max_len` bytes (clamped to `8..=65535`).
    pub fn new(max_len: usize) -> Framer {
        Framer {
            buf: BytesMut::new(),
            max_len: max_len.clamp(HEADER_LEN, MAX_MESSAGE_LEN),
            failed: None,
        }
    }

    /// The largest message accepted.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Appends received bytes.
    ///
    /// When nothing is buffered the bytes get a new buffer of their exact size: the empty
    /// buffer left behind by earlier frames still holds their allocation, and appending to
    /// it would reuse that (room for the largest read ever made) for as long as the
    /// connection lives.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.buf.is_empty() {
            self.buf = BytesMut::from(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// The receive buffer, for reading from a socket straight into it; only append to it.
    pub fn buf_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Bytes received but not yet returned as frames.
    pub fn buffered(&self) -> &[u8] {
        &self.buf
    }

    /// The next complete frame, `Ok(None)` if more bytes are needed, or the framing error.
    ///
    /// On error the offending header stays at the front of [`buffered`](Framer::buffered), so
    /// that it can be quoted in the `OFPT_ERROR` sent back.
    pub fn next_frame(&mut self) -> Result<Option<Bytes>, FrameError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let Some(len_bytes) = self.buf.get(2..4) else {
            return Ok(None);
        };
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        let err = if len < HEADER_LEN {
            FrameError::TooShort { len }
        } else if len > self.max_len {
            FrameError::TooLong {
                len,
                max: self.max_len,
            }
        } else if self.buf.len() < len {
            return Ok(None);
        } else {
            return Ok(Some(self.buf.split_to(len).freeze()));
        };
        self.failed = Some(err);
        Err(err)
    }

    /// Discards everything buffered (e.g. once the connection is closed).
    pub fn clear(&mut self) {
        self.buf.advance(self.buf.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two messages: a 12-byte echo request and an 8-byte barrier request.
    const STREAM: [u8; 20] = [
        0x04, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef, // echo
        0x04, 0x14, 0x00, 0x08, 0x00, 0x00, 0x00, 0x02, // barrier
    ];

    fn drain(f: &mut Framer) -> Vec<Bytes> {
        let mut out = Vec::new();
        while let Some(frame) = f.next_frame().unwrap() {
            out.push(frame);
        }
        out
    }

    #[test]
    fn coalesced_stream_yields_each_frame() {
        let mut f = Framer::default();
        f.push(&STREAM);
        let frames = drain(&mut f);
        assert_eq!(frames.len(), 2);
        assert_eq!(&frames[0][..], &STREAM[..12]);
        assert_eq!(&frames[1][..], &STREAM[12..]);
        assert!(f.buffered().is_empty());
    }

    #[test]
    fn every_split_point_and_byte_by_byte() {
        for cut in 0..=STREAM.len() {
            let mut f = Framer::default();
            f.push(&STREAM[..cut]);
            let mut frames = drain(&mut f);
            f.push(&STREAM[cut..]);
            frames.extend(drain(&mut f));
            assert_eq!(frames.len(), 2, "cut at {cut}");
            assert_eq!(&frames[0][..], &STREAM[..12]);
            assert_eq!(&frames[1][..], &STREAM[12..]);
        }
        let mut f = Framer::default();
        let mut frames = Vec::new();
        for b in STREAM {
            f.push(&[b]);
            frames.extend(drain(&mut f));
        }
        assert_eq!(frames.concat(), STREAM);
    }

    #[test]
    fn partial_frame_waits() {
        let mut f = Framer::default();
        f.push(&STREAM[..11]);
        assert_eq!(f.next_frame(), Ok(None));
        assert_eq!(f.buffered().len(), 11);
    }

    #[test]
    fn short_length_is_fatal_and_sticky() {
        let mut f = Framer::default();
        f.push(&[0x04, 0x00, 0x00, 0x07]);
        assert_eq!(f.next_frame(), Err(FrameError::TooShort { len: 7 }));
        f.push(&STREAM);
        assert_eq!(f.next_frame(), Err(FrameError::TooShort { len: 7 }));
        assert_eq!(
            FrameError::TooShort { len: 7 }.ofp_error(),
            ErrorCode::BadRequest(BadRequestCode::BadLen)
        );
        // The offending header is kept for the error reply.
        assert_eq!(&f.buffered()[..4], &[0x04, 0x00, 0x00, 0x07]);
    }

    #[test]
    fn long_length_is_fatal_before_the_body_arrives() {
        let mut f = Framer::new(1024);
        // Only the first four bytes: the length is judged at once, nothing is reserved.
        f.push(&[0x04, 0x0a, 0x04, 0x01]);
        assert_eq!(
            f.next_frame(),
            Err(FrameError::TooLong {
                len: 1025,
                max: 1024
            })
        );
        let mut f = Framer::new(1024);
        let mut msg = vec![0x04, 0x0a, 0x04, 0x00, 0, 0, 0, 9];
        msg.resize(1024, 0xab);
        f.push(&msg);
        assert_eq!(f.next_frame().unwrap().unwrap().len(), 1024);
    }

    #[test]
    fn max_len_is_clamped() {
        assert_eq!(Framer::new(0).max_len(), 8);
        assert_eq!(Framer::new(1 << 20).max_len(), 65535);
        let mut f = Framer::default();
        let mut msg = vec![0x04, 0x0a, 0xff, 0xff, 0, 0, 0, 9];
        msg.resize(65535, 0);
        f.push(&msg);
        assert_eq!(f.next_frame().unwrap().unwrap().len(), 65535);
    }

    #[test]
    fn a_small_push_after_a_large_one_gets_a_small_buffer() {
        let mut f = Framer::default();
        let mut big = vec![0x04, 0x0a, 0xff, 0xff, 0, 0, 0, 9];
        big.resize(65535, 0);
        f.push(&big);
        assert_eq!(f.next_frame().unwrap().unwrap().len(), 65535);
        assert!(f.buffered().is_empty());
        f.push(&STREAM);
        assert_eq!(f.buf.capacity(), STREAM.len());
        assert_eq!(drain(&mut f).concat(), STREAM);
        // A partial frame is appended to, not replaced.
        f.push(&STREAM[..5]);
        f.push(&STREAM[5..]);
        assert_eq!(drain(&mut f).concat(), STREAM);
    }

    #[test]
    fn frames_share_the_receive_buffer() {
        let mut f = Framer::default();
        f.buf_mut().extend_from_slice(&STREAM);
        let a = f.next_frame().unwrap().unwrap();
        let b = f.next_frame().unwrap().unwrap();
        // Zero copy: the second frame starts right where the first ends.
        assert_eq!(a.as_ptr().wrapping_add(a.len()), b.as_ptr());
    }
}
