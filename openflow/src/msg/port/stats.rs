//! Port statistics: the `OFPMP_PORT_STATS` request body and reply records.

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::Ctx;
use crate::types::PortNo;
use crate::wire::{PResult, Src, Wire, in_ctx, skip, u32_, u64_};

use crate::msg::flow::fmt_duration;

/// `ofp_port_stats_request`: the body of an `OFPMP_PORT_STATS` request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortStatsRequest {
    /// The port to report, or `PortNo::ANY` for all.
    pub port_no: PortNo,
}

impl Wire for PortStatsRequest {
    fn wire_len(&self) -> usize {
        8
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port_no.0);
        out.put_bytes(0, 4);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, port_no) = in_ctx(Ctx::Multipart, u32_(i))?;
        let (i, _) = in_ctx(Ctx::Multipart, skip(i, 4))?;
        Ok((
            i,
            PortStatsRequest {
                port_no: PortNo(port_no),
            },
        ))
    }
}

impl fmt::Display for PortStatsRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " port_no={}", self.port_no)
    }
}

/// `ofp_port_stats`: one record of an `OFPMP_PORT_STATS` reply (112 bytes). Counters a
/// switch does not support are all ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct PortStats {
    /// Port number.
    pub port_no: PortNo,
    /// Number of received packets.
    pub rx_packets: u64,
    /// Number of transmitted packets.
    pub tx_packets: u64,
    /// Number of received bytes.
    pub rx_bytes: u64,
    /// Number of transmitted bytes.
    pub tx_bytes: u64,
    /// Number of packets dropped by RX.
    pub rx_dropped: u64,
    /// Number of packets dropped by TX.
    pub tx_dropped: u64,
    /// Number of receive errors.
    pub rx_errors: u64,
    /// Number of transmit errors.
    pub tx_errors: u64,
    /// Number of frame alignment errors.
    pub rx_frame_err: u64,
    /// Number of packets with RX overrun.
    pub rx_over_err: u64,
    /// Number of CRC errors.
    pub rx_crc_err: u64,
    /// Number of collisions.
    pub collisions: u64,
    /// Time the port has been alive in seconds.
    pub duration_sec: u32,
    /// Time alive in nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
}

/// Length of `ofp_port_stats`.
pub const PORT_STATS_LEN: usize = 112;

impl PortStats {
    fn counters(&self) -> [u64; 12] {
        [
            self.rx_packets,
            self.tx_packets,
            self.rx_bytes,
            self.tx_bytes,
            self.rx_dropped,
            self.tx_dropped,
            self.rx_errors,
            self.tx_errors,
            self.rx_frame_err,
            self.rx_over_err,
            self.rx_crc_err,
            self.collisions,
        ]
    }
}

impl Wire for PortStats {
    fn wire_len(&self) -> usize {
        PORT_STATS_LEN
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port_no.0);
        out.put_bytes(0, 4);
        for c in self.counters() {
            out.put_u64(c);
        }
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Multipart, parse_port_stats(i))
    }
}

fn parse_port_stats(i: &[u8]) -> PResult<'_, PortStats> {
    let (i, port_no) = u32_(i)?;
    let (mut i, _) = skip(i, 4)?;
    let mut c = [0u64; 12];
    for v in c.iter_mut() {
        let (rest, x) = u64_(i)?;
        *v = x;
        i = rest;
    }
    let (i, duration_sec) = u32_(i)?;
    let (i, duration_nsec) = u32_(i)?;
    let [
        rx_packets,
        tx_packets,
        rx_bytes,
        tx_bytes,
        rx_dropped,
        tx_dropped,
        rx_errors,
        tx_errors,
        rx_frame_err,
        rx_over_err,
        rx_crc_err,
        collisions,
    ] = c;
    Ok((
        i,
        PortStats {
            port_no: PortNo(port_no),
            rx_packets,
            tx_packets,
            rx_bytes,
            tx_bytes,
            rx_dropped,
            tx_dropped,
            rx_errors,
            tx_errors,
            rx_frame_err,
            rx_over_err,
            rx_crc_err,
            collisions,
            duration_sec,
            duration_nsec,
        },
    ))
}

/// A counter as OVS prints it: `?` when the switch does not support it.
struct Stat(u64);

impl fmt::Display for Stat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == u64::MAX {
            f.write_str("?")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl fmt::Display for PortStats {
    /// The record's lines in an `OFPST_PORT` reply (`  port  1: rx pkts=…`), without a final
    /// newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let port = self.port_no;
        // OVS lines up one-digit port numbers with two-digit ones.
        let pad = if port.0 < 10 { " " } else { "" };
        writeln!(
            f,
            "  port {pad}{port}: rx pkts={}, bytes={}, drop={}, errs={}, frame={}, over={}, crc={}",
            Stat(self.rx_packets),
            Stat(self.rx_bytes),
            Stat(self.rx_dropped),
            Stat(self.rx_errors),
            Stat(self.rx_frame_err),
            Stat(self.rx_over_err),
            Stat(self.rx_crc_err)
        )?;
        write!(
            f,
            "           tx pkts={}, bytes={}, drop={}, errs={}, coll={}",
            Stat(self.tx_packets),
            Stat(self.tx_bytes),
            Stat(self.tx_dropped),
            Stat(self.tx_errors),
            Stat(self.collisions)
        )?;
        if self.duration_sec != u32::MAX {
            f.write_str("\n           duration=")?;
            fmt_duration(f, self.duration_sec, self.duration_nsec)?;
        }
        Ok(())
    }
}

/// The records of an `OFPST_PORT` reply as OVS prints them after the title: ` N ports` and
/// each record on its own lines.
pub struct PortStatsList<'a>(pub &'a [PortStats]);

impl fmt::Display for PortStatsList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " {} ports", self.0.len())?;
        for s in self.0 {
            write!(f, "\n{s}")?;
        }
        Ok(())
    }
}
