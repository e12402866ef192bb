//! Property tests: decoding never panics, whatever the bytes.
//!
//! (a) random bodies behind a valid header of every message type, known or not; (b) valid
//! encodings of generated messages, mutated (bit flips, overwritten bytes, truncation,
//! extension, inserted and removed bytes, edited length fields); (c) the same streams cut by
//! the framer; (d) every error says what `OFPT_ERROR` answers it and has text. Whenever a
//! decode succeeds, the value must re-encode to bytes that decode to the same value.

mod strategies;

use bytes::{BufMut, Bytes, BytesMut};
use openflow::errcode::BadRequestCode;
use openflow::msg::{BundleFailedCode, ErrorMsg};
use openflow::{Body, Ctx, DecodeError, ErrorCode, Framer, HEADER_LEN, Message, Xid};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

use strategies::any_message;

/// Cases per property: more than the round-trip tests, as each case is cheap and damages a
/// message at a different place.
const CASES: u32 = 2048;

/// [`CASES`] cases, or `PROPTEST_CASES` when set (for a longer run by hand).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig::with_cases(cases)
}

/// What every decode error must offer: text, and an error code the peer can understand.
fn check_error(e: &DecodeError, frame: &[u8]) -> Result<(), TestCaseError> {
    prop_assert!(!e.to_string().is_empty(), "{e:?} has no text");
    let code = e.ofp_error();
    let named = (code.type_name().is_some() && code.code_name().is_some())
        || BundleFailedCode::from_error_code(code).is_some();
    prop_assert!(named, "{e:?} answers with an unnamed code {code:?}");
    prop_assert!(!code.to_string().is_empty());
    // The answer itself must be a message we can send and read back.
    let reply = Message::new(Xid(1), Body::Error(ErrorMsg::for_decode_error(e, frame)));
    let bytes = reply.encode().expect("an error reply is small");
    let back = Message::decode(&bytes);
    prop_assert_eq!(back.as_ref(), Ok(&reply));
    Ok(())
}

/// Decodes `frame`; on success, the value must survive a re-encode and print; on failure,
/// the error must pass [`check_error`].
fn decode_and_check(frame: &Bytes) -> Result<Option<Message>, TestCaseError> {
    match Message::decode(frame) {
        Ok(m) => {
            let _ = m.to_string();
            let again = m
                .encode()
                .map_err(|e| TestCaseError::fail(format!("re-encode of {m:?} failed: {e}")))?;
            prop_assert_eq!(m.wire_len(), again.len());
            let back = Message::decode(&again).map_err(|e| {
                TestCaseError::fail(format!(
                    "re-encoded bytes do not decode: {e}\n from {:02x?}\n to   {:02x?}",
                    &frame[..],
                    &again[..]
                ))
            })?;
            prop_assert_eq!(&back, &m, "from {:02x?}", &frame[..]);
            Ok(Some(m))
        }
        Err(e) => {
            check_error(&e, frame)?;
            Ok(None)
        }
    }
}

/// A header that describes `body` correctly, then `body`.
fn frame(msg_type: u8, xid: u32, body: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(HEADER_LEN + body.len());
    out.put_u8(openflow::VERSION);
    out.put_u8(msg_type);
    out.put_u16((HEADER_LEN + body.len()) as u16);
    out.put_u32(xid);
    out.put_slice(body);
    out.freeze()
}

/// One change to a valid encoding.
#[derive(Clone, Debug)]
enum Mutation {
    /// Flip one bit.
    FlipBit(Index, u8),
    /// Replace one byte.
    Overwrite(Index, u8),
    /// Cut the message short.
    Truncate(Index),
    /// Append bytes.
    Extend(Vec<u8>),
    /// Insert bytes in the middle.
    Insert(Index, Vec<u8>),
    /// Remove up to `n` bytes.
    Remove(Index, usize),
    /// Write a 16-bit value (most lengths are 16 bits) anywhere: small, aligned, or any.
    SetU16(Index, u16),
    /// Add a small signed amount to a 16-bit field, as an off-by-a-few length would.
    NudgeU16(Index, i8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let u16_value = prop_oneof![0u16..24, (0u16..64).prop_map(|w| w * 8), any::<u16>(),];
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Overwrite(i, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => vec(any::<u8>(), 1..24).prop_map(Mutation::Extend),
        1 => (any::<Index>(), vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => (any::<Index>(), 1usize..16).prop_map(|(i, n)| Mutation::Remove(i, n)),
        3 => (any::<Index>(), u16_value).prop_map(|(i, v)| Mutation::SetU16(i, v)),
        2 => (any::<Index>(), -9i8..=9).prop_map(|(i, d)| Mutation::NudgeU16(i, d)),
    ]
}

fn apply(b: &mut Vec<u8>, m: &Mutation) {
    if b.is_empty() {
        if let Mutation::Extend(x) | Mutation::Insert(_, x) = m {
            b.extend_from_slice(x);
        }
        return;
    }
    match m {
        Mutation::FlipBit(i, bit) => {
            let at = i.index(b.len());
            b[at] ^= 1 << bit;
        }
        Mutation::Overwrite(i, v) => {
            let at = i.index(b.len());
            b[at] = *v;
        }
        Mutation::Truncate(i) => b.truncate(i.index(b.len())),
        Mutation::Extend(x) => b.extend_from_slice(x),
        Mutation::Insert(i, x) => {
            let at = i.index(b.len() + 1);
            b.splice(at..at, x.iter().copied());
        }
        Mutation::Remove(i, n) => {
            let at = i.index(b.len());
            let end = (at + n).min(b.len());
            b.drain(at..end);
        }
        Mutation::SetU16(i, v) if b.len() >= 2 => {
            let at = i.index(b.len() - 1);
            b[at..at + 2].copy_from_slice(&v.to_be_bytes());
        }
        Mutation::NudgeU16(i, d) if b.len() >= 2 => {
            let at = i.index(b.len() - 1);
            let v = u16::from_be_bytes([b[at], b[at + 1]]).wrapping_add_signed(i16::from(*d));
            b[at..at + 2].copy_from_slice(&v.to_be_bytes());
        }
        Mutation::SetU16(..) | Mutation::NudgeU16(..) => {}
    }
}

/// A valid encoding with a few mutations applied; most of the time the header's length is
/// then made true again, so that the damage reaches the body parsers instead of stopping at
/// the length check.
fn mutated_frame() -> impl Strategy<Value = (Message, Bytes)> {
    (
        any_message(),
        vec(mutation(), 1..4),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(m, muts, fix_len)| {
            let mut b = m.encode().expect("generated messages fit").to_vec();
            for mu in &muts {
                apply(&mut b, mu);
            }
            if fix_len && b.len() >= 4 && b.len() <= usize::from(u16::MAX) {
                let len = (b.len() as u16).to_be_bytes();
                b[2..4].copy_from_slice(&len);
            }
            (m, Bytes::from(b))
        })
}

/// Every decode error, in every context.
fn decode_error() -> impl Strategy<Value = DecodeError> {
    let ctx = prop::sample::select(vec![
        Ctx::Message,
        Ctx::Multipart,
        Ctx::Match,
        Ctx::Action,
        Ctx::Instruction,
        Ctx::Bucket,
        Ctx::MeterBand,
        Ctx::TableFeatures,
        Ctx::Queue,
        Ctx::Port,
        Ctx::SwitchConfig,
        Ctx::Hello,
        Ctx::Bundle,
        Ctx::Async,
    ]);
    let field = prop::sample::select(vec!["eth_type", "vlan_vid", "in_port", "x"]);
    prop_oneof![
        prop::option::of(ctx.clone()).prop_map(|ctx| DecodeError::Truncated { ctx }),
        (prop::option::of(ctx), any::<u16>()).prop_map(|(ctx, len)| DecodeError::BadLen {
            ctx,
            len: len.into()
        }),
        any::<u8>().prop_map(|version| DecodeError::BadVersion { version }),
        (any::<u16>(), any::<u16>()).prop_map(|(len, max)| DecodeError::TooLong {
            len: len.into(),
            max: max.into()
        }),
        field
            .clone()
            .prop_map(|field| DecodeError::DupField { field }),
        field
            .clone()
            .prop_map(|field| DecodeError::BadPrereq { field }),
        field.prop_map(|field| DecodeError::BadMask { field }),
    ]
}

/// Every message type OpenFlow 1.3 defines, and a few past them.
fn msg_type() -> impl Strategy<Value = u8> {
    0u8..=35
}

proptest! {
    #![proptest_config(config())]

    /// (a) A valid header of any type, known or unknown, then random bytes.
    #[test]
    fn random_bodies(t in msg_type(), xid in any::<u32>(), body in vec(any::<u8>(), 0..160)) {
        decode_and_check(&frame(t, xid, &body))?;
    }

    /// (a) Random bodies made of plausible 16-bit fields (small lengths, types, zeros), which
    /// reach deeper than uniform bytes.
    #[test]
    fn random_structured_bodies(
        t in msg_type(),
        words in vec(prop_oneof![0u16..32, (0u16..16).prop_map(|w| w * 8), any::<u16>()], 0..64),
    ) {
        let body: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
        decode_and_check(&frame(t, 7, &body))?;
    }

    /// (b) Valid encodings, mutated.
    #[test]
    fn mutated_messages((_orig, bytes) in mutated_frame()) {
        decode_and_check(&bytes)?;
    }

    /// (b) Every prefix and a sample of one-byte extensions of a valid encoding, with the
    /// header's length made true: truncation at every boundary.
    #[test]
    fn truncated_messages(m in any_message(), tail in any::<u8>()) {
        let full = m.encode().expect("generated messages fit").to_vec();
        for n in HEADER_LEN..full.len() {
            let mut b = full[..n].to_vec();
            b[2..4].copy_from_slice(&(n as u16).to_be_bytes());
            decode_and_check(&Bytes::from(b))?;
        }
        let mut b = full.clone();
        b.push(tail);
        let len = (b.len() as u16).to_be_bytes();
        b[2..4].copy_from_slice(&len);
        decode_and_check(&Bytes::from(b))?;
    }

    /// (d) Every kind of decode error names the error to send back and has text.
    #[test]
    fn every_error_has_a_code_and_text(e in decode_error()) {
        check_error(&e, &[4, 0, 0, 8, 0, 0, 0, 1])?;
    }

    /// (d) An error raised with a spec-prescribed code keeps it.
    #[test]
    fn bad_values_keep_their_code(code in strategies::simple::error_code(), value in any::<u64>()) {
        let e = DecodeError::BadValue { field: "field", value, code };
        prop_assert_eq!(e.ofp_error(), code);
        prop_assert!(!e.to_string().is_empty());
    }
}

/// Feeds `stream` to a framer in pieces of the given sizes (cycled), decoding each frame;
/// returns the frames, stopping at a framing error (which must carry a code and text).
fn frame_stream(stream: &[u8], pieces: &[usize]) -> Result<Vec<Bytes>, TestCaseError> {
    let mut framer = Framer::default();
    let mut frames = Vec::new();
    let mut at = 0;
    let mut sizes = pieces.iter().copied().cycle();
    while at < stream.len() {
        let n = sizes.next().unwrap_or(1).clamp(1, stream.len() - at);
        framer.push(&stream[at..at + n]);
        at += n;
        loop {
            match framer.next_frame() {
                Ok(Some(frame)) => {
                    decode_and_check(&frame)?;
                    frames.push(frame);
                }
                Ok(None) => break,
                Err(e) => {
                    prop_assert!(!e.to_string().is_empty());
                    prop_assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
                    return Ok(frames);
                }
            }
        }
    }
    // Whatever is left is less than one whole frame.
    let rest = framer.buffered();
    if rest.len() >= 4 {
        let len = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
        prop_assert!(rest.len() < len, "a whole frame was left in the buffer");
    }
    Ok(frames)
}

proptest! {
    #![proptest_config(config())]

    /// (c) Valid messages back to back, arriving in arbitrary pieces, come out of the
    /// framer as exactly the same frames and decode to the same messages.
    #[test]
    fn framer_splits_valid_streams(
        msgs in vec(any_message(), 1..6),
        pieces in vec(prop_oneof![1usize..8, 1usize..200], 1..8),
    ) {
        let encoded: Vec<Bytes> = msgs.iter().map(|m| m.encode().expect("fits")).collect();
        let stream: Vec<u8> = encoded.iter().flat_map(|b| b.iter().copied()).collect();
        let frames = frame_stream(&stream, &pieces)?;
        prop_assert_eq!(&frames, &encoded);
        for (frame, m) in frames.iter().zip(&msgs) {
            prop_assert_eq!(&Message::decode(frame).expect("valid"), m);
        }
    }

    /// (c) The same with a mutated message in the stream: the framer and the decoder never
    /// panic, and every frame before the damage is intact.
    #[test]
    fn framer_survives_mutated_streams(
        before in vec(any_message(), 0..3),
        (_orig, bad) in mutated_frame(),
        after in vec(any_message(), 0..3),
        pieces in vec(prop_oneof![1usize..8, 1usize..200], 1..8),
    ) {
        let head: Vec<Bytes> = before.iter().map(|m| m.encode().expect("fits")).collect();
        let mut stream: Vec<u8> = head.iter().flat_map(|b| b.iter().copied()).collect();
        stream.extend_from_slice(&bad);
        for m in &after {
            stream.extend_from_slice(&m.encode().expect("fits"));
        }
        let frames = frame_stream(&stream, &pieces)?;
        prop_assert!(frames.len() >= head.len());
        prop_assert_eq!(&frames[..head.len()], &head[..]);
    }

    /// (c) Random bytes as a stream.
    #[test]
    fn framer_survives_random_streams(
        stream in vec(any::<u8>(), 0..600),
        pieces in vec(1usize..64, 1..8),
    ) {
        frame_stream(&stream, &pieces)?;
    }
}

/// NUL-padded string fields stay stable through a decode/encode round trip: (1) bytes that
/// are not UTF-8, (2) a name that fills all 16 bytes with no NUL, (3) the same with a two-byte
/// character at the end, which must not be split.
#[test]
fn fixed_strings_are_stable() {
    for name in [
        &[0xff; 6][..],
        b"abcdefghijklmnop",
        b"abcdefghijklmn\xcb\x80",
    ] {
        let mut body = vec![0u8; 72];
        body[8..12].copy_from_slice(&1u32.to_be_bytes()); // port_no 1, reason ADD
        body[24..24 + name.len()].copy_from_slice(name);
        let m = Message::decode(&frame(12, 0, &body)).expect("a valid port status");
        let again = Message::decode(&m.encode().expect("fits")).expect("re-encoded decodes");
        assert_eq!(again, m);
    }
}
