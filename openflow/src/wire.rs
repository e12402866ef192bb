//! The codec conventions every structure follows, and the small parsers and emitters they
//! share.
//!
//! Every wire structure implements [`Wire`]: `parse` (nom, over a subslice of the frame) and
//! `emit` mirror each other, and `wire_len` is exactly what `emit` writes. Payload fields
//! borrow from the frame through [`Src`] instead of copying.

use std::net::{Ipv4Addr, Ipv6Addr};

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::types::MacAddr;

/// The result of a nom parser in this crate.
pub type PResult<'a, T> = nom::IResult<&'a [u8], T, DecodeError>;

/// The frame being decoded, so that payload fields can borrow from it without copying.
#[derive(Clone, Copy, Debug, Default)]
pub struct Src<'s> {
    frame: Option<&'s Bytes>,
}

impl<'s> Src<'s> {
    /// A source over `frame`; slices of it become zero-copy `Bytes`.
    pub fn new(frame: &'s Bytes) -> Src<'s> {
        Src { frame: Some(frame) }
    }

    /// A source with no frame behind it: payloads are copied.
    pub const fn detached() -> Src<'static> {
        Src { frame: None }
    }

    /// `sub` as `Bytes`: a zero-copy slice when `sub` lies inside the frame, else a copy.
    pub fn bytes(&self, sub: &[u8]) -> Bytes {
        if sub.is_empty() {
            return Bytes::new();
        }
        if let Some(frame) = self.frame {
            let start = frame.as_ptr() as usize;
            let p = sub.as_ptr() as usize;
            if p >= start && p + sub.len() <= start + frame.len() {
                return frame.slice_ref(sub);
            }
        }
        Bytes::copy_from_slice(sub)
    }
}

/// A structure with a wire form: `parse` and `emit` mirror each other.
pub trait Wire: Sized {
    /// The number of bytes `emit` writes.
    fn wire_len(&self) -> usize;

    /// Appends the wire form to `out`.
    fn emit(&self, out: &mut BytesMut);

    /// Parses one value from the front of `i`, a slice of `src`'s frame, returning the rest.
    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self>;

    /// The wire form as new bytes.
    fn to_bytes(&self) -> Bytes {
        let mut out = BytesMut::with_capacity(self.wire_len());
        self.emit(&mut out);
        out.freeze()
    }

    /// Parses a value that must fill `bytes` exactly.
    fn from_bytes(bytes: &Bytes) -> Result<Self, DecodeError> {
        complete(Self::parse(Src::new(bytes), bytes))
    }
}

/// The value of a parser that must consume all of its input.
pub fn complete<T>(r: PResult<'_, T>) -> Result<T, DecodeError> {
    match r {
        Ok(([], v)) => Ok(v),
        Ok((rest, _)) => Err(DecodeError::BadLen {
            ctx: None,
            len: rest.len(),
        }),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e),
        Err(nom::Err::Incomplete(_)) => Err(DecodeError::Truncated { ctx: None }),
    }
}

/// Turns a decode error into a nom failure (it stops the parse; nothing backtracks here).
pub fn fail<T>(e: DecodeError) -> PResult<'static, T> {
    Err(nom::Err::Failure(e))
}

/// Sets the context of a parser's error if it has none yet.
pub fn in_ctx<'a, T>(ctx: Ctx, r: PResult<'a, T>) -> PResult<'a, T> {
    r.map_err(|e| e.map(|e| e.in_ctx(ctx)))
}

/// One byte.
pub fn u8_(i: &[u8]) -> PResult<'_, u8> {
    nom::number::complete::be_u8(i)
}

/// A big-endian `u16`.
pub fn u16_(i: &[u8]) -> PResult<'_, u16> {
    nom::number::complete::be_u16(i)
}

/// A big-endian `u32`.
pub fn u32_(i: &[u8]) -> PResult<'_, u32> {
    nom::number::complete::be_u32(i)
}

/// A big-endian `u64`.
pub fn u64_(i: &[u8]) -> PResult<'_, u64> {
    nom::number::complete::be_u64(i)
}

/// The next `n` bytes.
pub fn take(i: &[u8], n: usize) -> PResult<'_, &[u8]> {
    if i.len() < n {
        return Err(nom::Err::Error(DecodeError::Truncated { ctx: None }));
    }
    Ok((&i[n..], &i[..n]))
}

/// Skips `n` bytes of padding (their content is ignored; `emit` writes zeros).
pub fn skip(i: &[u8], n: usize) -> PResult<'_, ()> {
    take(i, n).map(|(rest, _)| (rest, ()))
}

/// A MAC address.
pub fn mac(i: &[u8]) -> PResult<'_, MacAddr> {
    let (rest, b) = take(i, 6)?;
    let mut m = [0u8; 6];
    m.copy_from_slice(b);
    Ok((rest, MacAddr(m)))
}

/// An IPv4 address.
pub fn ipv4(i: &[u8]) -> PResult<'_, Ipv4Addr> {
    u32_(i).map(|(rest, v)| (rest, Ipv4Addr::from(v)))
}

/// An IPv6 address.
pub fn ipv6(i: &[u8]) -> PResult<'_, Ipv6Addr> {
    let (rest, b) = take(i, 16)?;
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    Ok((rest, Ipv6Addr::from(a)))
}

/// A NUL-padded string field of `n` bytes (port names, descriptions); text stops at the first
/// NUL.
pub fn fixed_str(i: &[u8], n: usize) -> PResult<'_, String> {
    let (rest, b) = take(i, n)?;
    let end = b.iter().position(|&c| c == 0).unwrap_or(n);
    let mut text = String::with_capacity(end);
    // Each byte that is not UTF-8 becomes one '?', so the text never grows past the field and
    // re-emitting it gives the same length.
    for chunk in b[..end].utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(chunk.invalid().iter().map(|_| '?'));
    }
    // An unterminated field keeps n - 1 bytes, as OVS does and as `put_fixed_str` writes.
    let keep = fixed_str_text(&text, n).len();
    text.truncate(keep);
    Ok((rest, text))
}

/// The part of `s` that fits an `n`-byte NUL-padded field: at most `n - 1` bytes, cut at a
/// character boundary. `put_fixed_str` writes exactly this, and text output shows it too.
pub fn fixed_str_text(s: &str, n: usize) -> &str {
    let mut len = s.len().min(n.saturating_sub(1));
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    &s[..len]
}

/// Writes `s` into an `n`-byte NUL-padded field, truncated so that a NUL always ends it.
pub fn put_fixed_str(out: &mut BytesMut, s: &str, n: usize) {
    let b = fixed_str_text(s, n).as_bytes();
    out.put_slice(b);
    out.put_bytes(0, n - b.len());
}

/// Writes a MAC address.
pub fn put_mac(out: &mut BytesMut, m: MacAddr) {
    out.put_slice(&m.0);
}

/// `len` rounded up to a multiple of 8.
pub const fn pad8(len: usize) -> usize {
    (len + 7) & !7
}

/// Parses records of type `T` until `i` is used up.
pub fn many_all<T: Wire>(src: Src<'_>, mut i: &[u8]) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::new();
    while !i.is_empty() {
        let (rest, v) = complete_err(T::parse(src, i))?;
        out.push(v);
        i = rest;
    }
    Ok(out)
}

/// A parser's result with the nom wrapper removed.
pub fn complete_err<'a, T>(r: PResult<'a, T>) -> Result<(&'a [u8], T), DecodeError> {
    r.map_err(|e| match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => e,
        nom::Err::Incomplete(_) => DecodeError::Truncated { ctx: None },
    })
}

/// Emits every record of a list.
pub fn emit_all<T: Wire>(items: &[T], out: &mut BytesMut) {
    for it in items {
        it.emit(out);
    }
}

/// The summed wire length of a list.
pub fn len_all<T: Wire>(items: &[T]) -> usize {
    items.iter().map(Wire::wire_len).sum()
}

/// Splits a TLV-style record whose 16-bit length (at `len_offset`, counting the whole record)
/// must be at least `min` and fit in `i`; returns (rest, record).
pub fn record(i: &[u8], len_offset: usize, min: usize, ctx: Ctx) -> PResult<'_, &[u8]> {
    if i.len() < len_offset + 2 {
        return fail(DecodeError::truncated(ctx));
    }
    let len = u16::from_be_bytes([i[len_offset], i[len_offset + 1]]) as usize;
    if len < min.max(len_offset + 2) || len > i.len() {
        return fail(DecodeError::bad_len(ctx, len));
    }
    Ok((&i[len..], &i[..len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn src_slices_without_copy_inside_the_frame() {
        let frame = Bytes::from_static(b"0123456789");
        let src = Src::new(&frame);
        let sub = &frame[2..5];
        let b = src.bytes(sub);
        assert_eq!(&b[..], b"234");
        assert_eq!(b.as_ptr(), sub.as_ptr());
        let other = [1u8, 2, 3];
        assert_eq!(&src.bytes(&other)[..], &other);
        assert_eq!(&Src::detached().bytes(&other)[..], &other);
    }

    #[test]
    fn primitives_report_truncation() {
        assert_eq!(
            complete(u32_(&[1, 2, 3])),
            Err(DecodeError::Truncated { ctx: None })
        );
        assert_eq!(
            complete(u16_(&[1, 2, 3])),
            Err(DecodeError::BadLen { ctx: None, len: 1 })
        );
        assert_eq!(complete(u16_(&[1, 2])), Ok(0x0102));
    }

    #[test]
    fn fixed_strings_round_trip() {
        let mut out = BytesMut::new();
        put_fixed_str(&mut out, "eth0", 16);
        assert_eq!(out.len(), 16);
        assert_eq!(complete(fixed_str(&out, 16)).unwrap(), "eth0");
        let mut out = BytesMut::new();
        put_fixed_str(&mut out, "a-very-long-port-name", 16);
        assert_eq!(out[15], 0);
    }

    #[test]
    fn record_checks_its_length() {
        // type 1, length 4
        assert!(record(&[0, 1, 0, 4, 9], 2, 4, Ctx::Action).is_ok());
        assert!(record(&[0, 1, 0, 9, 9], 2, 4, Ctx::Action).is_err());
        assert!(record(&[0, 1, 0, 2], 2, 4, Ctx::Action).is_err());
        assert!(record(&[0, 1, 0], 2, 4, Ctx::Action).is_err());
    }
}
