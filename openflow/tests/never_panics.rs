//! Property tests: decoding never panics, whatever the bytes.
//!
//! (a) random bodies behind a valid header of every message type, known or not; (b) valid
//! encodings of generated messages, mutated (bit flips, overwritten bytes, truncation,
//! extension, inserted and removed bytes, edited length fields); (c) the same streams cut by
//! the framer; (d) every error says what `OFPT_ERROR` answers it and has text. Whenever a
//! decode succeeds, the value must re-encode to bytes that decode to the same value.

mod strategies;

use bytes::{BufMut, Bytes, BytesMut};
use openflow::msg::{BundleFailedCode, ErrorMsg};
use openflow::{Body, Ctx, DecodeError, HEADER_LEN, Message, Xid};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;

use strategies::any_message;

/// Cases per property: more than the round-trip tests, since most inputs fail early.
const CASES: u32 = 512;

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(CASES)
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
            if back != m && lossy_fixed_string(&m) {
                // KNOWN BUG (wire.rs `fixed_str`/`put_fixed_str`, reported): a NUL-padded
                // string field holding invalid UTF-8 decodes with U+FFFD replacements, which
                // can make it too long for its field, so the re-encoded string is cut and
                // decodes shorter. See `known_bug_lossy_fixed_string` for the minimal case.
                // Remove this skip once the codec keeps such strings lossless.
                return Ok(Some(m));
            }
            prop_assert_eq!(&back, &m, "from {:02x?}", &frame[..]);
            Ok(Some(m))
        }
        Err(e) => {
            check_error(&e, frame)?;
            Ok(None)
        }
    }
}

/// Whether a string field of `m` holds a replacement character, i.e. was decoded from
/// invalid UTF-8.
fn lossy_fixed_string(m: &Message) -> bool {
    format!("{m:?}").contains('\u{fffd}')
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

/// Message types whose modules are still placeholders in this branch's base.
// TODO(prop): empty this list as the flow, packet, port, table, group, meter and multipart
// modules land.
const PENDING: &[u8] = &[15, 18, 19, 29];

fn msg_type() -> impl Strategy<Value = u8> {
    (0u8..=35).prop_filter("module pending", |t| !PENDING.contains(t))
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
        prop_assume!(bytes.len() < 2 || !PENDING.contains(&bytes[1]));
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

/// The minimal case of a known codec bug, kept as a reproducer: a port-status whose port
/// name is six 0xff bytes decodes to six U+FFFD characters (18 bytes of UTF-8), which no
/// longer fit the 16-byte name field, so the re-encoded message decodes to five.
#[test]
#[ignore = "known bug in wire.rs fixed_str (lossy UTF-8), reported to the lead"]
fn known_bug_lossy_fixed_string() {
    let mut body = vec![0u8; 72];
    body[0] = 0; // reason ADD
    body[8..12].copy_from_slice(&1u32.to_be_bytes()); // port_no
    body[24..30].copy_from_slice(&[0xff; 6]); // name
    let m = Message::decode(&frame(12, 0, &body)).expect("a valid port status");
    let again = Message::decode(&m.encode().expect("fits")).expect("re-encoded decodes");
    assert_eq!(again, m);
}
