//! Meters: `OFPT_METER_MOD`, meter bands, and the meter multipart records (`OFPMP_METER`,
//! `OFPMP_METER_CONFIG`, `OFPMP_METER_FEATURES`), after OVS's `lib/ofp-meter.c`.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::msg::group::split_record;
use crate::msg::multipart::fmt_duration;
use crate::types::MeterId;
use crate::wire::{
    PResult, Src, Wire, emit_all, fail, in_ctx, len_all, many_all, skip, u8_, u16_, u32_, u64_,
};

open_enum! {
    /// `ofp_meter_mod_command`.
    pub enum MeterModCommand(u16) {
        /// New meter.
        Add = 0 => "ADD",
        /// Modify specified meter.
        Modify = 1 => "MOD",
        /// Delete specified meter.
        Delete = 2 => "DEL",
    }
}

flags! {
    /// `ofp_meter_flags`: how a meter measures and what it records.
    pub struct MeterFlags(u16) {
        /// Rate value in kb/s (kilo-bit per second).
        const KBPS = 1 << 0 => "kbps";
        /// Rate value in packet/sec.
        const PKTPS = 1 << 1 => "pktps";
        /// Do burst size.
        const BURST = 1 << 2 => "burst";
        /// Collect statistics.
        const STATS = 1 << 3 => "stats";
    }
}

/// `OFPMBT_DROP`.
const BAND_DROP: u16 = 1;
/// `OFPMBT_DSCP_REMARK`.
const BAND_DSCP_REMARK: u16 = 2;
/// `OFPMBT_EXPERIMENTER`.
const BAND_EXPERIMENTER: u16 = 0xffff;
/// Length of `ofp_meter_band_header`.
const BAND_HEADER_LEN: usize = 12;
/// Length of the drop and DSCP-remark bands.
const BAND_LEN: usize = 16;
/// Length of `ofp_meter_mod` without its bands.
const METER_MOD_LEN: usize = 8;
/// Length of `ofp_meter_config` without its bands.
const METER_CONFIG_LEN: usize = 8;
/// Length of `ofp_meter_stats` without its band counters.
const METER_STATS_LEN: usize = 40;
/// Length of `ofp_meter_band_stats`.
const BAND_STATS_LEN: usize = 16;

/// One band of a meter: what happens to packets above `rate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeterBand {
    /// `OFPMBT_DROP`: drop packets above the rate.
    Drop {
        /// Rate for this band.
        rate: u32,
        /// Size of bursts.
        burst_size: u32,
    },
    /// `OFPMBT_DSCP_REMARK`: raise the drop precedence of the DSCP field.
    DscpRemark {
        /// Rate for this band.
        rate: u32,
        /// Size of bursts.
        burst_size: u32,
        /// Number of drop precedence levels to add.
        prec_level: u8,
    },
    /// `OFPMBT_EXPERIMENTER`: kept byte for byte after the experimenter id.
    Experimenter {
        /// Rate for this band.
        rate: u32,
        /// Size of bursts.
        burst_size: u32,
        /// Experimenter id.
        experimenter: u32,
        /// The bytes after the experimenter id.
        data: Bytes,
    },
    /// A band type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw band type.
        band_type: u16,
        /// Rate for this band.
        rate: u32,
        /// Size of bursts.
        burst_size: u32,
        /// The bytes after `burst_size`.
        body: Bytes,
    },
}

impl MeterBand {
    /// The raw `ofp_meter_band_type`.
    pub fn band_type(&self) -> u16 {
        match self {
            MeterBand::Drop { .. } => BAND_DROP,
            MeterBand::DscpRemark { .. } => BAND_DSCP_REMARK,
            MeterBand::Experimenter { .. } => BAND_EXPERIMENTER,
            MeterBand::Unknown { band_type, .. } => *band_type,
        }
    }

    /// The band's rate.
    pub fn rate(&self) -> u32 {
        match self {
            MeterBand::Drop { rate, .. }
            | MeterBand::DscpRemark { rate, .. }
            | MeterBand::Experimenter { rate, .. }
            | MeterBand::Unknown { rate, .. } => *rate,
        }
    }

    /// The band's burst size.
    pub fn burst_size(&self) -> u32 {
        match self {
            MeterBand::Drop { burst_size, .. }
            | MeterBand::DscpRemark { burst_size, .. }
            | MeterBand::Experimenter { burst_size, .. }
            | MeterBand::Unknown { burst_size, .. } => *burst_size,
        }
    }

    /// Writes `type=… rate=…` as OVS does; the burst size shows only under `BURST`.
    fn fmt_with(&self, f: &mut fmt::Formatter<'_>, flags: MeterFlags) -> fmt::Result {
        f.write_str("type=")?;
        match self {
            MeterBand::Drop { .. } => f.write_str("drop")?,
            MeterBand::DscpRemark { .. } => f.write_str("dscp_remark")?,
            other => write!(f, "{}", other.band_type())?,
        }
        write!(f, " rate={}", self.rate())?;
        if flags.contains(MeterFlags::BURST) {
            write!(f, " burst_size={}", self.burst_size())?;
        }
        if let MeterBand::DscpRemark { prec_level, .. } = self {
            write!(f, " prec_level={prec_level}")?;
        }
        Ok(())
    }
}

impl Wire for MeterBand {
    fn wire_len(&self) -> usize {
        match self {
            MeterBand::Drop { .. } | MeterBand::DscpRemark { .. } => BAND_LEN,
            MeterBand::Experimenter { data, .. } => BAND_HEADER_LEN + 4 + data.len(),
            MeterBand::Unknown { body, .. } => BAND_HEADER_LEN + body.len(),
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.band_type());
        out.put_u16(self.wire_len() as u16);
        out.put_u32(self.rate());
        out.put_u32(self.burst_size());
        match self {
            MeterBand::Drop { .. } => out.put_bytes(0, 4),
            MeterBand::DscpRemark { prec_level, .. } => {
                out.put_u8(*prec_level);
                out.put_bytes(0, 3);
            }
            MeterBand::Experimenter {
                experimenter, data, ..
            } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
            }
            MeterBand::Unknown { body, .. } => out.put_slice(body),
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let r = (|| {
            if i.len() < BAND_HEADER_LEN {
                return fail(DecodeError::Truncated { ctx: None });
            }
            let band_type = u16::from_be_bytes([i[0], i[1]]);
            let len = u16::from_be_bytes([i[2], i[3]]) as usize;
            let min = match band_type {
                BAND_DROP | BAND_DSCP_REMARK | BAND_EXPERIMENTER => BAND_LEN,
                _ => BAND_HEADER_LEN,
            };
            let exact = matches!(band_type, BAND_DROP | BAND_DSCP_REMARK);
            if len < min || len > i.len() || (exact && len != BAND_LEN) {
                return fail(DecodeError::BadLen { ctx: None, len });
            }
            let (rec, rest) = i.split_at(len);
            let (b, _) = skip(rec, 4)?;
            let (b, rate) = u32_(b)?;
            let (b, burst_size) = u32_(b)?;
            let band = match band_type {
                BAND_DROP => MeterBand::Drop { rate, burst_size },
                BAND_DSCP_REMARK => {
                    let (_, prec_level) = u8_(b)?;
                    MeterBand::DscpRemark {
                        rate,
                        burst_size,
                        prec_level,
                    }
                }
                BAND_EXPERIMENTER => {
                    let (b, experimenter) = u32_(b)?;
                    MeterBand::Experimenter {
                        rate,
                        burst_size,
                        experimenter,
                        data: src.bytes(b),
                    }
                }
                _ => MeterBand::Unknown {
                    band_type,
                    rate,
                    burst_size,
                    body: src.bytes(b),
                },
            };
            Ok((rest, band))
        })();
        in_ctx(Ctx::MeterBand, r)
    }
}

impl fmt::Display for MeterBand {
    /// `type=… rate=… burst_size=…` (the burst size always shown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_with(f, MeterFlags::BURST)
    }
}

/// Writes `meter=N` (or `meter:N`) as `ofputil_format_meter_id` does.
fn fmt_meter_id(f: &mut fmt::Formatter<'_>, id: MeterId, sep: char) -> fmt::Result {
    if id <= MeterId::MAX {
        return write!(f, "meter{sep}{}", id.0);
    }
    let name = match id {
        MeterId::SLOWPATH => "slowpath",
        MeterId::CONTROLLER => "controller",
        MeterId::ALL => "all",
        _ => "unknown",
    };
    write!(f, "meter{sep}{name}")
}

/// Writes `kbps burst stats ` (each followed by a space) as `ofp_print_meter_flags` does.
fn fmt_meter_flags(f: &mut fmt::Formatter<'_>, flags: MeterFlags) -> fmt::Result {
    for (flag, name) in MeterFlags::KNOWN {
        if flags.contains(*flag) {
            write!(f, "{name} ")?;
        }
    }
    if flags.unknown_bits() != 0 {
        write!(f, "flags:{:#x} ", flags.unknown_bits())?;
    }
    Ok(())
}

/// Writes `meter=N flags bands=\ntype=…\n` as `ofputil_format_meter_config` does.
fn fmt_meter_config(
    f: &mut fmt::Formatter<'_>,
    meter_id: MeterId,
    flags: MeterFlags,
    bands: &[MeterBand],
) -> fmt::Result {
    fmt_meter_id(f, meter_id, '=')?;
    f.write_str(" ")?;
    fmt_meter_flags(f, flags)?;
    f.write_str("bands=")?;
    for b in bands {
        f.write_str("\n")?;
        b.fmt_with(f, flags)?;
    }
    f.write_str("\n")
}

/// `OFPT_METER_MOD`: add, change or delete a meter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterMod {
    /// What to do.
    pub command: MeterModCommand,
    /// How the meter measures.
    pub flags: MeterFlags,
    /// Which meter.
    pub meter_id: MeterId,
    /// The bands.
    pub bands: Vec<MeterBand>,
}

impl Wire for MeterMod {
    fn wire_len(&self) -> usize {
        METER_MOD_LEN + len_all(&self.bands)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.command.raw());
        out.put_u16(self.flags.bits());
        out.put_u32(self.meter_id.0);
        emit_all(&self.bands, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, command) = u16_(i)?;
        let (i, flags) = u16_(i)?;
        let (i, meter_id) = u32_(i)?;
        let bands = many_all(src, i).map_err(nom::Err::Failure)?;
        Ok((
            &i[i.len()..],
            MeterMod {
                command: command.into(),
                flags: MeterFlags(flags),
                meter_id: MeterId(meter_id),
                bands,
            },
        ))
    }
}

impl fmt::Display for MeterMod {
    /// ` ADD meter=N kbps bands=\ntype=drop rate=…\n`; a delete shows no flags or bands, as in
    /// OVS, which ignores them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.command.name() {
            Some(n) => write!(f, " {n} ")?,
            None => write!(f, " cmd:{} ", self.command.raw())?,
        }
        if self.command == MeterModCommand::Delete {
            fmt_meter_config(f, self.meter_id, MeterFlags::EMPTY, &[])
        } else {
            fmt_meter_config(f, self.meter_id, self.flags, &self.bands)
        }
    }
}

/// The body of an `OFPMP_METER` or `OFPMP_METER_CONFIG` request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeterMultipartRequest {
    /// The meter, or ALL.
    pub meter_id: MeterId,
}

impl Wire for MeterMultipartRequest {
    fn wire_len(&self) -> usize {
        8
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.meter_id.0);
        out.put_bytes(0, 4);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, meter_id) = u32_(i)?;
        let (i, _) = skip(i, 4)?;
        Ok((
            i,
            MeterMultipartRequest {
                meter_id: MeterId(meter_id),
            },
        ))
    }
}

impl fmt::Display for MeterMultipartRequest {
    /// `meter=N` (`meter=all` for ALL).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_id(f, self.meter_id, '=')
    }
}

/// `ofp_meter_band_stats`: the counters of one band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MeterBandStats {
    /// Packets in band.
    pub packet_band_count: u64,
    /// Bytes in band.
    pub byte_band_count: u64,
}

/// `ofp_meter_stats`: the counters of one meter (a record of an `OFPMP_METER` reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterStats {
    /// The meter.
    pub meter_id: MeterId,
    /// Flows bound to the meter.
    pub flow_count: u32,
    /// Packets in input.
    pub packet_in_count: u64,
    /// Bytes in input.
    pub byte_in_count: u64,
    /// Seconds the meter has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// One counter per band.
    pub band_stats: Vec<MeterBandStats>,
}

impl Wire for MeterStats {
    fn wire_len(&self) -> usize {
        METER_STATS_LEN + BAND_STATS_LEN * self.band_stats.len()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.meter_id.0);
        out.put_u16(self.wire_len() as u16);
        out.put_bytes(0, 6);
        out.put_u32(self.flow_count);
        out.put_u64(self.packet_in_count);
        out.put_u64(self.byte_in_count);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
        for b in &self.band_stats {
            out.put_u64(b.packet_band_count);
            out.put_u64(b.byte_band_count);
        }
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let r = (|| {
            // The length sits after the meter id here, unlike most records.
            if i.len() < METER_STATS_LEN {
                return fail(DecodeError::Truncated { ctx: None });
            }
            let len = u16::from_be_bytes([i[4], i[5]]) as usize;
            if len < METER_STATS_LEN
                || len > i.len()
                || !(len - METER_STATS_LEN).is_multiple_of(BAND_STATS_LEN)
            {
                return fail(DecodeError::BadLen { ctx: None, len });
            }
            let (rec, rest) = i.split_at(len);
            let (b, meter_id) = u32_(rec)?;
            let (b, _) = skip(b, 8)?;
            let (b, flow_count) = u32_(b)?;
            let (b, packet_in_count) = u64_(b)?;
            let (b, byte_in_count) = u64_(b)?;
            let (b, duration_sec) = u32_(b)?;
            let (mut b, duration_nsec) = u32_(b)?;
            let mut band_stats = Vec::with_capacity(b.len() / BAND_STATS_LEN);
            while !b.is_empty() {
                let (r, packet_band_count) = u64_(b)?;
                let (r, byte_band_count) = u64_(r)?;
                band_stats.push(MeterBandStats {
                    packet_band_count,
                    byte_band_count,
                });
                b = r;
            }
            Ok((
                rest,
                MeterStats {
                    meter_id: MeterId(meter_id),
                    flow_count,
                    packet_in_count,
                    byte_in_count,
                    duration_sec,
                    duration_nsec,
                    band_stats,
                },
            ))
        })();
        in_ctx(Ctx::Multipart, r)
    }
}

impl fmt::Display for MeterStats {
    /// `meter:N flow_count:… duration:…s bands:\n0: packet_count:… byte_count:…\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_id(f, self.meter_id, ':')?;
        write!(
            f,
            " flow_count:{} packet_in_count:{} byte_in_count:{} duration:",
            self.flow_count, self.packet_in_count, self.byte_in_count
        )?;
        fmt_duration(f, self.duration_sec, self.duration_nsec)?;
        f.write_str(" bands:\n")?;
        for (n, b) in self.band_stats.iter().enumerate() {
            writeln!(
                f,
                "{n}: packet_count:{} byte_count:{}",
                b.packet_band_count, b.byte_band_count
            )?;
        }
        Ok(())
    }
}

/// `ofp_meter_config`: one meter's definition (a record of an `OFPMP_METER_CONFIG` reply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterConfig {
    /// How the meter measures.
    pub flags: MeterFlags,
    /// The meter.
    pub meter_id: MeterId,
    /// Its bands.
    pub bands: Vec<MeterBand>,
}

impl Wire for MeterConfig {
    fn wire_len(&self) -> usize {
        METER_CONFIG_LEN + len_all(&self.bands)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.wire_len() as u16);
        out.put_u16(self.flags.bits());
        out.put_u32(self.meter_id.0);
        emit_all(&self.bands, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let r = (|| {
            let (rec, rest) = split_record(i, METER_CONFIG_LEN)?;
            let (b, _) = skip(rec, 2)?;
            let (b, flags) = u16_(b)?;
            let (b, meter_id) = u32_(b)?;
            let bands = many_all(src, b).map_err(nom::Err::Failure)?;
            Ok((
                rest,
                MeterConfig {
                    flags: MeterFlags(flags),
                    meter_id: MeterId(meter_id),
                    bands,
                },
            ))
        })();
        in_ctx(Ctx::Multipart, r)
    }
}

impl fmt::Display for MeterConfig {
    /// `meter=N kbps burst bands=\ntype=drop rate=… burst_size=…\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_meter_config(f, self.meter_id, self.flags, &self.bands)
    }
}

/// `ofp_meter_features`: what the switch's meters support (`OFPMP_METER_FEATURES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MeterFeatures {
    /// Maximum number of meters.
    pub max_meter: u32,
    /// Bitmap of supported band types (`1 << OFPMBT_*`).
    pub band_types: u32,
    /// Bitmap of supported meter flags (`ofp_meter_flags`).
    pub capabilities: u32,
    /// Maximum bands per meter.
    pub max_bands: u8,
    /// Maximum color value.
    pub max_color: u8,
}

impl Wire for MeterFeatures {
    fn wire_len(&self) -> usize {
        16
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.max_meter);
        out.put_u32(self.band_types);
        out.put_u32(self.capabilities);
        out.put_u8(self.max_bands);
        out.put_u8(self.max_color);
        out.put_bytes(0, 2);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, max_meter) = u32_(i)?;
        let (i, band_types) = u32_(i)?;
        let (i, capabilities) = u32_(i)?;
        let (i, max_bands) = u8_(i)?;
        let (i, max_color) = u8_(i)?;
        let (i, _) = skip(i, 2)?;
        Ok((
            i,
            MeterFeatures {
                max_meter,
                band_types,
                capabilities,
                max_bands,
                max_color,
            },
        ))
    }
}

/// Writes the names of the set bits as `ofp_print_bit_names` does (`0` when none).
fn fmt_bit_names(
    f: &mut fmt::Formatter<'_>,
    mut bits: u32,
    name: fn(u32) -> Option<&'static str>,
) -> fmt::Result {
    if bits == 0 {
        return f.write_str("0");
    }
    let mut n = 0;
    for i in 0..32 {
        let bit = 1u32 << i;
        if bits & bit != 0
            && let Some(text) = name(bit)
        {
            if n > 0 {
                f.write_str(" ")?;
            }
            f.write_str(text)?;
            n += 1;
            bits &= !bit;
        }
    }
    if bits != 0 {
        if n > 0 {
            f.write_str(" ")?;
        }
        write!(f, "0x{bits:x}")?;
    }
    Ok(())
}

impl fmt::Display for MeterFeatures {
    /// `\nmax_meter:… max_bands:… max_color:…\nband_types: …\ncapabilities: …\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "\nmax_meter:{} max_bands:{} max_color:{}",
            self.max_meter, self.max_bands, self.max_color
        )?;
        f.write_str("band_types: ")?;
        fmt_bit_names(f, self.band_types, |bit| match bit {
            0b10 => Some("drop"),
            0b100 => Some("dscp_remark"),
            _ => None,
        })?;
        f.write_str("\ncapabilities: ")?;
        fmt_bit_names(f, self.capabilities, |bit| {
            let flag = MeterFlags(bit as u16);
            MeterFlags::KNOWN
                .iter()
                .find(|(k, _)| bit <= 0xffff && *k == flag)
                .map(|(_, n)| *n)
        })?;
        f.write_str("\n")
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use crate::message::{Body, Message};
    use crate::msg::{MultipartReply, MultipartReplyBody, MultipartRequest, MultipartRequestBody};
    use crate::types::Xid;

    use crate::testutil::unhex as hex;

    use crate::testutil::ovs_text;

    /// `OFPT_METER_MOD request - OF1.3` from OVS's tests/ofp-print.at.
    const METER_MOD: &str = "04 1d 00 20 00 00 00 02 00 00 00 0d 00 00 00 05 \
        00 01 00 10 00 00 04 00 00 00 00 80 00 00 00 00";

    #[test]
    fn meter_mod_deconstruct_construct_text() {
        let bytes = hex(METER_MOD);
        let m = Message::decode(&bytes).unwrap();
        let mm = MeterMod {
            command: MeterModCommand::Add,
            flags: MeterFlags::KBPS | MeterFlags::BURST | MeterFlags::STATS,
            meter_id: MeterId(5),
            bands: vec![MeterBand::Drop {
                rate: 1024,
                burst_size: 128,
            }],
        };
        assert_eq!(m, Message::new(Xid(2), Body::MeterMod(mm.clone())));
        assert_eq!(
            Message::new(Xid(2), Body::MeterMod(mm)).encode().unwrap(),
            bytes
        );
        assert_eq!(
            ovs_text(&m),
            "OFPT_METER_MOD (OF1.3) (xid=0x2): ADD meter=5 kbps burst stats bands=\n\
             type=drop rate=1024 burst_size=128\n"
        );
    }

    #[test]
    fn meter_mod_dscp_remark_and_delete() {
        let bytes = hex("041d003000000002 00010006ffff0000 \
            00010010000004000000008000000000 00020010000008000000010003000000");
        let m = Message::decode(&bytes).unwrap();
        let Body::MeterMod(mm) = &m.body else {
            panic!()
        };
        assert_eq!(
            mm.bands[1],
            MeterBand::DscpRemark {
                rate: 2048,
                burst_size: 256,
                prec_level: 3
            }
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPT_METER_MOD (OF1.3) (xid=0x2): MOD meter=4294901760 pktps burst bands=\n\
             type=drop rate=1024 burst_size=128\n\
             type=dscp_remark rate=2048 burst_size=256 prec_level=3\n"
        );
        // OVS ignores the flags and bands of a delete when printing it.
        let bytes = hex("041d002000000002 0002000dffffffff 00010010000004000000008000000000");
        let m = Message::decode(&bytes).unwrap();
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPT_METER_MOD (OF1.3) (xid=0x2): DEL meter=all bands=\n"
        );
    }

    #[test]
    fn experimenter_and_unknown_bands_survive() {
        let bytes = hex("041d003000000002 0000000400000001 \
            ffff00140000000a0000000b00002320aabbccdd 0005000c0000000200000003");
        let m = Message::decode(&bytes).unwrap();
        let Body::MeterMod(mm) = &m.body else {
            panic!()
        };
        assert_eq!(
            mm.bands,
            vec![
                MeterBand::Experimenter {
                    rate: 10,
                    burst_size: 11,
                    experimenter: 0x2320,
                    data: Bytes::from_static(&[0xaa, 0xbb, 0xcc, 0xdd]),
                },
                MeterBand::Unknown {
                    band_type: 5,
                    rate: 2,
                    burst_size: 3,
                    body: Bytes::new(),
                },
            ]
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(mm.bands[1].to_string(), "type=5 rate=2 burst_size=3");
    }

    #[test]
    fn malformed_bands_are_bad_len() {
        let bad_len = ErrorCode::BadRequest(BadRequestCode::BadLen);
        for body in [
            // A drop band of length 12 (OVS wants exactly 16).
            "041d001c00000002 0000000100000001 0001000c0000000200000002",
            // A band longer than what is left.
            "041d002000000002 0000000100000001 00010020000000020000000200000000",
            // Four stray bytes after the bands.
            "041d002400000002 0000000100000001 00010010000000020000000200000000 00010010",
        ] {
            let e = Message::decode(&hex(body)).unwrap_err();
            assert_eq!(e.ofp_error(), bad_len, "{body}");
        }
    }

    #[test]
    fn meter_requests() {
        for (t, body, text) in [
            (
                "0009",
                MultipartRequestBody::Meter(MeterMultipartRequest {
                    meter_id: MeterId(1),
                }),
                "OFPST_METER request (OF1.3) (xid=0x2): meter=1\n",
            ),
            (
                "000a",
                MultipartRequestBody::MeterConfig(MeterMultipartRequest {
                    meter_id: MeterId::ALL,
                }),
                "OFPST_METER_CONFIG request (OF1.3) (xid=0x2): meter=all\n",
            ),
        ] {
            let id = if t == "0009" { "00000001" } else { "ffffffff" };
            let bytes = hex(&format!("0412001800000002{t}000000000000{id}00000000"));
            let m = Message::new(Xid(2), Body::MultipartRequest(MultipartRequest::new(body)));
            assert_eq!(m.encode().unwrap(), bytes);
            assert_eq!(Message::decode(&bytes).unwrap(), m);
            assert_eq!(ovs_text(&m), text);
        }
        let m = Message::decode(&hex("0412001000000002000b000000000000")).unwrap();
        assert_eq!(
            ovs_text(&m),
            "OFPST_METER_FEATURES request (OF1.3) (xid=0x2):\n"
        );
    }

    #[test]
    fn meter_features_reply() {
        let bytes = hex("04 13 00 20 00 00 00 02 00 0b 00 00 00 00 00 00 \
            00 01 00 00 00 00 00 06 00 00 00 0F 10 02 00 00");
        let m = Message::decode(&bytes).unwrap();
        let features = MeterFeatures {
            max_meter: 65536,
            band_types: 6,
            capabilities: 0xf,
            max_bands: 16,
            max_color: 2,
        };
        assert_eq!(
            m.body,
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::MeterFeatures(
                features
            )))
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_METER_FEATURES reply (OF1.3) (xid=0x2):\n\
             max_meter:65536 max_bands:16 max_color:2\n\
             band_types: drop dscp_remark\n\
             capabilities: kbps pktps burst stats\n"
        );
        let none = MeterFeatures {
            max_meter: 65536,
            ..MeterFeatures::default()
        };
        assert_eq!(
            none.to_string(),
            "\nmax_meter:65536 max_bands:0 max_color:0\nband_types: 0\ncapabilities: 0\n"
        );
    }

    /// `OFPST_METER_CONFIG reply - OF1.3` from OVS's tests/ofp-print.at.
    const METER_CONFIG: &str = "04 13 00 50 00 00 00 02 00 0a 00 00 00 00 00 00 \
        00 28 00 05 00 00 00 01 \
        00 01 00 10 00 01 00 00 00 00 05 00 00 00 00 00 \
        00 02 00 10 00 10 00 00 00 00 f0 00 00 00 00 00 \
        00 18 00 09 00 00 00 02 \
        00 01 00 10 00 02 00 00 00 00 00 00 00 00 00 00";

    #[test]
    fn meter_config_reply() {
        let bytes = hex(METER_CONFIG);
        let m = Message::decode(&bytes).unwrap();
        let Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::MeterConfig(configs),
            ..
        }) = &m.body
        else {
            panic!()
        };
        assert_eq!(
            configs[1],
            MeterConfig {
                flags: MeterFlags::KBPS | MeterFlags::STATS,
                meter_id: MeterId(2),
                bands: vec![MeterBand::Drop {
                    rate: 0x20000,
                    burst_size: 0
                }],
            }
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_METER_CONFIG reply (OF1.3) (xid=0x2):\n\
             meter=1 kbps burst bands=\n\
             type=drop rate=65536 burst_size=1280\n\
             type=dscp_remark rate=1048576 burst_size=61440 prec_level=0\n\
             \n\
             meter=2 kbps stats bands=\n\
             type=drop rate=131072\n"
        );
    }

    /// `OFPST_METER reply - OF1.3` from OVS's tests/ofp-print.at.
    const METER_STATS: &str = "04 13 00 90 00 00 00 02 00 09 00 00 00 00 00 00 \
        00 00 00 01 00 48 00 00 00 00 00 00 00 00 00 05 \
        00 00 00 00 00 00 10 00 00 00 00 00 00 02 30 00 \
        00 00 01 8a 0a 6e 23 44 \
        00 00 00 00 00 00 00 7e 00 00 00 00 00 00 34 33 \
        00 00 00 00 00 00 00 e7 00 00 00 00 00 00 94 2e \
        00 00 00 02 00 38 00 00 00 00 00 00 00 00 00 02 \
        00 00 00 00 00 00 02 00 00 00 00 00 00 00 30 00 \
        00 00 01 87 0a 23 6e 44 \
        00 00 00 00 00 00 00 2a 00 00 00 00 00 00 04 33";

    #[test]
    fn meter_stats_reply() {
        let bytes = hex(METER_STATS);
        let m = Message::decode(&bytes).unwrap();
        let Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::Meter(stats),
            ..
        }) = &m.body
        else {
            panic!()
        };
        assert_eq!(
            stats[1],
            MeterStats {
                meter_id: MeterId(2),
                flow_count: 2,
                packet_in_count: 512,
                byte_in_count: 12288,
                duration_sec: 391,
                duration_nsec: 170094148,
                band_stats: vec![MeterBandStats {
                    packet_band_count: 42,
                    byte_band_count: 1075
                }],
            }
        );
        assert_eq!(m.encode().unwrap(), bytes);
        assert_eq!(
            ovs_text(&m),
            "OFPST_METER reply (OF1.3) (xid=0x2):\n\
             meter:1 flow_count:5 packet_in_count:4096 byte_in_count:143360 \
             duration:394.174990148s bands:\n\
             0: packet_count:126 byte_count:13363\n\
             1: packet_count:231 byte_count:37934\n\
             \n\
             meter:2 flow_count:2 packet_in_count:512 byte_in_count:12288 \
             duration:391.170094148s bands:\n\
             0: packet_count:42 byte_count:1075\n"
        );
        // A record length that leaves half a band counter.
        let mut bad = bytes.to_vec();
        bad[21] = 0x40;
        let e = Message::decode(&Bytes::from(bad)).unwrap_err();
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
    }

    /// Real replies of OVS 3.1 on a netdev bridge with two meters, as `ovs-ofctl` printed them.
    #[test]
    fn ovs_meter_replies_round_trip_and_print_as_ovs() {
        for (h, text) in [
            (
                "04130040000000b4000a0000000000000018000d0000000100010010000003e8 \
        00000064000000000018000200000002000100100000000a0000000a00000000",
                concat!(
                    "OFPST_METER_CONFIG reply (OF1.3) (xid=0xb4):\n",
                    "meter=1 kbps burst stats bands=\n",
                    "type=drop rate=1000 burst_size=100\n",
                    "\n",
                    "meter=2 pktps bands=\n",
                    "type=drop rate=10\n",
                ),
            ),
            (
                "04130080000000b5000900000000000000000001003800000000000000000000 \
        00000000000000000000000000000000000000032e130b400000000000000000 \
        0000000000000000000000020038000000000000000000000000000000000000 \
        0000000000000000000000032dd6024000000000000000000000000000000000",
                concat!(
                    "OFPST_METER reply (OF1.3) (xid=0xb5):\n",
                    "meter:1 flow_count:0 packet_in_count:0 byte_in_count:0 duration:3.773s bands:\n",
                    "0: packet_count:0 byte_count:0\n",
                    "\n",
                    "meter:2 flow_count:0 packet_in_count:0 byte_in_count:0 duration:3.769s bands:\n",
                    "0: packet_count:0 byte_count:0\n",
                ),
            ),
            (
                "04130020000000b6000b00000000000000040000000000020000000f08000000",
                concat!(
                    "OFPST_METER_FEATURES reply (OF1.3) (xid=0xb6):\n",
                    "max_meter:262144 max_bands:8 max_color:0\n",
                    "band_types: drop\n",
                    "capabilities: kbps pktps burst stats\n",
                ),
            ),
        ] {
            let bytes = hex(h);
            let m = Message::decode(&bytes).unwrap();
            assert_eq!(m.encode().unwrap(), bytes);
            assert_eq!(ovs_text(&m), text);
        }
    }

    proptest::proptest! {
        /// Arbitrary meter-mod bodies: never a panic, and what parses re-parses the same.
        #[test]
        fn arbitrary_meter_mods_never_panic(body in proptest::collection::vec(0u8..=255, 0..80)) {
            if let Ok(m) = MeterMod::from_bytes(&Bytes::from(body)) {
                let _ = m.to_string();
                proptest::prop_assert_eq!(MeterMod::from_bytes(&m.to_bytes()).unwrap(), m);
            }
        }
    }
}
