//! Multipart (statistics) messages: `OFPT_MULTIPART_REQUEST` and `OFPT_MULTIPART_REPLY`,
//! dispatched on `ofp_multipart_type` to the records of each family.
//!
//! A reply too long for one message is sent as several, all but the last flagged
//! `REPLY_MORE`; [`MultipartReplyBody::extend`] joins them again and
//! [`MultipartReply::split`] cuts a long reply into messages that fit.

use core::fmt;

use bytes::Bytes;

use crate::error::{Ctx, DecodeError};
use crate::wire::{PResult, Src, Wire, complete, in_ctx, skip, u16_, u32_};

mod reply;
mod request;

pub use reply::{MultipartReply, MultipartReplyBody};
pub use request::{MultipartRequest, MultipartRequestBody};

open_enum! {
    /// `ofp_multipart_type`; the name is what `ovs-ofctl` prints after `OFPST_`.
    pub enum MultipartType(u16) {
        /// Description of this OpenFlow switch.
        Desc = 0 => "DESC",
        /// Individual flow statistics.
        Flow = 1 => "FLOW",
        /// Aggregate flow statistics.
        Aggregate = 2 => "AGGREGATE",
        /// Flow table statistics.
        Table = 3 => "TABLE",
        /// Port statistics.
        PortStats = 4 => "PORT",
        /// Queue statistics for a port.
        Queue = 5 => "QUEUE",
        /// Group counter statistics.
        Group = 6 => "GROUP",
        /// Group description.
        GroupDesc = 7 => "GROUP_DESC",
        /// Group features.
        GroupFeatures = 8 => "GROUP_FEATURES",
        /// Meter statistics.
        Meter = 9 => "METER",
        /// Meter configuration.
        MeterConfig = 10 => "METER_CONFIG",
        /// Meter features.
        MeterFeatures = 11 => "METER_FEATURES",
        /// Table features.
        TableFeatures = 12 => "TABLE_FEATURES",
        /// Port description.
        PortDesc = 13 => "PORT_DESC",
        /// Experimenter extension.
        Experimenter = 0xffff => "EXPERIMENTER",
    }
}

flags! {
    /// `ofp_multipart_request_flags`.
    pub struct MultipartRequestFlags(u16) {
        /// More requests to follow.
        const REQ_MORE = 1 << 0 => "more";
    }
}

flags! {
    /// `ofp_multipart_reply_flags`.
    pub struct MultipartReplyFlags(u16) {
        /// More replies to follow.
        const REPLY_MORE = 1 << 0 => "more";
    }
}

/// Length of the multipart header after `ofp_header` (type, flags, padding).
pub const MULTIPART_HEADER_LEN: usize = 8;

/// Writes a duration as OVS's `ofp_print_duration` does: `18.5s` → `18.500s`, and as many
/// digits as the nanoseconds need beyond milliseconds.
pub(crate) fn fmt_duration(f: &mut fmt::Formatter<'_>, sec: u32, nsec: u32) -> fmt::Result {
    write!(f, "{sec}")?;
    if nsec > 0 {
        if nsec.is_multiple_of(1_000_000) {
            write!(f, ".{:03}", nsec / 1_000_000)?;
        } else {
            let digits = format!("{nsec:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
    }
    f.write_str("s")
}

/// Writes ` flags=[more]…` as OVS's `ofp_print_stats` does, or nothing without flags.
pub(super) fn fmt_flags(f: &mut fmt::Formatter<'_>, flags: u16) -> fmt::Result {
    if flags == 0 {
        return Ok(());
    }
    f.write_str(" flags=")?;
    if flags & 1 != 0 {
        f.write_str("[more]")?;
    }
    let rest = flags & !1;
    if rest != 0 {
        write!(f, "[***unknown flags 0x{rest:04x}***]")?;
    }
    Ok(())
}

/// A body that must be empty for its type.
pub(super) fn empty(body: &[u8]) -> Result<(), DecodeError> {
    if body.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::bad_len(Ctx::Multipart, body.len()))
    }
}

/// A whole body of one `T`.
pub(super) fn one<T: Wire>(src: Src<'_>, body: &[u8]) -> Result<T, DecodeError> {
    complete(T::parse(src, body))
}

/// The experimenter id and type at the front of an experimenter body, and the rest.
pub(super) fn experimenter(src: Src<'_>, body: &[u8]) -> Result<(u32, u32, Bytes), DecodeError> {
    let r: PResult<'_, (u32, u32)> = (|| {
        let (b, e) = u32_(body)?;
        let (b, t) = u32_(b)?;
        Ok((b, (e, t)))
    })();
    match r {
        Ok((rest, (e, t))) => Ok((e, t, src.bytes(rest))),
        Err(_) => Err(DecodeError::bad_len(Ctx::Multipart, body.len())),
    }
}

/// Cuts `items` into runs whose wire length stays within `max` (a record longer than `max`
/// goes alone).
pub(super) fn chunks<T: Wire>(items: Vec<T>, max: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    let mut len = 0;
    for it in items {
        let l = it.wire_len();
        if !cur.is_empty() && len + l > max {
            out.push(core::mem::take(&mut cur));
            len = 0;
        }
        len += l;
        cur.push(it);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// `OFPST_X request` / `OFPST_X reply`.
pub(super) fn title(t: MultipartType, dir: &str) -> String {
    match t.name() {
        Some(n) => format!("OFPST_{n} {dir}"),
        None => format!("OFPST_UNKNOWN_{} {dir}", t.raw()),
    }
}

/// Parses the multipart header, returning (type, flags, body).
pub(super) fn header(i: &[u8]) -> Result<(u16, u16, &[u8]), DecodeError> {
    let r: PResult<'_, (u16, u16)> = (|| {
        let (i, t) = u16_(i)?;
        let (i, flags) = u16_(i)?;
        let (i, _) = skip(i, 4)?;
        Ok((i, (t, flags)))
    })();
    match in_ctx(Ctx::Multipart, r) {
        Ok((body, (t, flags))) => Ok((t, flags, body)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e),
        Err(nom::Err::Incomplete(_)) => Err(DecodeError::truncated(Ctx::Multipart)),
    }
}

#[cfg(test)]
mod tests;
