//! Queues: `OFPT_QUEUE_GET_CONFIG_REQUEST` / `_REPLY` (which queues a port has and their
//! rates) and the bodies of the `OFPMP_QUEUE` multipart request and reply (per-queue
//! counters).
//!
//! Queue properties (`ofp_queue_prop_header`: type, length, 4 bytes of padding) are 8-byte
//! aligned: OVS rejects any other length, and so does this parser.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::types::{PortNo, QueueId};
use crate::wire::{
    PResult, Src, Wire, emit_all, fail, in_ctx, len_all, many_all, pad8, record, skip, u16_, u32_,
    u64_,
};

/// `OFPQT_MIN_RATE`.
pub const OFPQT_MIN_RATE: u16 = 1;
/// `OFPQT_MAX_RATE`.
pub const OFPQT_MAX_RATE: u16 = 2;
/// `OFPQT_EXPERIMENTER`.
pub const OFPQT_EXPERIMENTER: u16 = 0xffff;

/// Rates are in tenths of a percent of the port speed; above 1000 means disabled.
pub const RATE_DISABLED: u16 = 0xffff;

/// Length of `ofp_queue_prop_header`.
const PROP_HEADER_LEN: usize = 8;
/// Length of `ofp_packet_queue` without properties.
const QUEUE_HEADER_LEN: usize = 16;

/// The body of `OFPT_QUEUE_GET_CONFIG_REQUEST`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueueGetConfigRequest {
    /// The port to query (`ANY` for all ports).
    pub port: PortNo,
}

impl Wire for QueueGetConfigRequest {
    fn wire_len(&self) -> usize {
        8
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port.0);
        out.put_u32(0);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, port) = in_ctx(Ctx::Queue, u32_(i))?;
        let (i, _) = in_ctx(Ctx::Queue, skip(i, 4))?;
        Ok((i, QueueGetConfigRequest { port: PortNo(port) }))
    }
}

impl fmt::Display for QueueGetConfigRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " port={}", self.port)
    }
}

/// The body of `OFPT_QUEUE_GET_CONFIG_REPLY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueGetConfigReply {
    /// The port that was queried.
    pub port: PortNo,
    /// Its queues.
    pub queues: Vec<PacketQueue>,
}

impl Wire for QueueGetConfigReply {
    fn wire_len(&self) -> usize {
        8 + len_all(&self.queues)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port.0);
        out.put_u32(0);
        emit_all(&self.queues, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, port) = in_ctx(Ctx::Queue, u32_(i))?;
        let (i, _) = in_ctx(Ctx::Queue, skip(i, 4))?;
        let queues = many_all(src, i).map_err(nom::Err::Failure)?;
        Ok((
            &i[i.len()..],
            QueueGetConfigReply {
                port: PortNo(port),
                queues,
            },
        ))
    }
}

impl fmt::Display for QueueGetConfigReply {
    /// As `ovs-ofctl`: the port, then one line per queue in queue id order with its rates.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.queues.is_empty() {
            return Ok(());
        }
        f.write_str(" ")?;
        // OVS prints the port only when it differs from its initial 0.
        if self.port.0 != 0 {
            writeln!(f, "port={}", self.port)?;
        }
        let mut queues: Vec<&PacketQueue> = self.queues.iter().collect();
        queues.sort_by_key(|q| q.queue_id);
        for (n, q) in queues.iter().enumerate() {
            if n > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{q}")?;
        }
        Ok(())
    }
}

/// One queue of a port (`ofp_packet_queue`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketQueue {
    /// The queue's id.
    pub queue_id: QueueId,
    /// The port it is attached to.
    pub port: PortNo,
    /// Its properties.
    pub properties: Vec<QueueProp>,
}

impl PacketQueue {
    /// The minimum rate in tenths of a percent, if a property sets it (the last one wins,
    /// as in OVS).
    pub fn min_rate(&self) -> Option<u16> {
        self.properties.iter().rev().find_map(|p| match p {
            QueueProp::MinRate(r) => Some(*r),
            _ => None,
        })
    }

    /// The maximum rate in tenths of a percent, if a property sets it.
    pub fn max_rate(&self) -> Option<u16> {
        self.properties.iter().rev().find_map(|p| match p {
            QueueProp::MaxRate(r) => Some(*r),
            _ => None,
        })
    }
}

impl Wire for PacketQueue {
    fn wire_len(&self) -> usize {
        QUEUE_HEADER_LEN + len_all(&self.properties)
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.queue_id.0);
        out.put_u32(self.port.0);
        out.put_u16(self.wire_len() as u16);
        out.put_bytes(0, 6);
        emit_all(&self.properties, out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Queue, parse_queue(src, i))
    }
}

fn parse_queue<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, PacketQueue> {
    let (rest, rec) = record(i, 8, QUEUE_HEADER_LEN, Ctx::Queue)?;
    if rec.len() % 8 != 0 {
        return fail(DecodeError::bad_len(Ctx::Queue, rec.len()));
    }
    let (r, queue_id) = u32_(rec)?;
    let (r, port) = u32_(r)?;
    let (r, _) = skip(r, 8)?;
    let properties = many_all(src, r).map_err(nom::Err::Failure)?;
    Ok((
        rest,
        PacketQueue {
            queue_id: QueueId(queue_id),
            port: PortNo(port),
            properties,
        },
    ))
}

/// Writes a rate the way OVS's `print_queue_rate` does.
fn fmt_rate(f: &mut fmt::Formatter<'_>, name: &str, rate: Option<u16>) -> fmt::Result {
    match rate {
        Some(r) if r <= 1000 => write!(f, " {name}:{}.{}%", r / 10, r % 10),
        Some(r) if r < RATE_DISABLED => write!(f, " {name}:(disabled)"),
        _ => Ok(()),
    }
}

impl fmt::Display for PacketQueue {
    /// `queue 1: min_rate:50.0% max_rate:100.0%`, the line `ovs-ofctl` prints per queue.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue {}:", self.queue_id.0)?;
        fmt_rate(f, "min_rate", self.min_rate())?;
        fmt_rate(f, "max_rate", self.max_rate())
    }
}

/// A queue property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueProp {
    /// `OFPQT_MIN_RATE`, in tenths of a percent of the port speed.
    MinRate(u16),
    /// `OFPQT_MAX_RATE`, in tenths of a percent of the port speed.
    MaxRate(u16),
    /// `OFPQT_EXPERIMENTER`. On emit, data is padded with zeros to a multiple of 8 bytes.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined data (including any padding received).
        data: Bytes,
    },
    /// A property type this crate does not know. On emit, the body is padded with zeros to
    /// a multiple of 8 bytes.
    Unknown {
        /// The raw property type.
        property: u16,
        /// The bytes after the 8-byte property header.
        body: Bytes,
    },
}

impl Wire for QueueProp {
    fn wire_len(&self) -> usize {
        match self {
            QueueProp::MinRate(_) | QueueProp::MaxRate(_) => 16,
            QueueProp::Experimenter { data, .. } => 16 + pad8(data.len()),
            QueueProp::Unknown { body, .. } => PROP_HEADER_LEN + pad8(body.len()),
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        let len = self.wire_len();
        let (property, payload): (u16, &[u8]) = match self {
            QueueProp::MinRate(_) => (OFPQT_MIN_RATE, &[]),
            QueueProp::MaxRate(_) => (OFPQT_MAX_RATE, &[]),
            QueueProp::Experimenter { data, .. } => (OFPQT_EXPERIMENTER, data),
            QueueProp::Unknown { property, body } => (*property, body),
        };
        out.put_u16(property);
        out.put_u16(len as u16);
        out.put_u32(0);
        match self {
            QueueProp::MinRate(rate) | QueueProp::MaxRate(rate) => {
                out.put_u16(*rate);
                out.put_bytes(0, 6);
            }
            QueueProp::Experimenter { experimenter, .. } => {
                out.put_u32(*experimenter);
                out.put_u32(0);
                out.put_slice(payload);
                out.put_bytes(0, pad8(payload.len()) - payload.len());
            }
            QueueProp::Unknown { .. } => {
                out.put_slice(payload);
                out.put_bytes(0, pad8(payload.len()) - payload.len());
            }
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Queue, parse_prop(src, i))
    }
}

fn parse_prop<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, QueueProp> {
    let (rest, rec) = record(i, 2, PROP_HEADER_LEN, Ctx::Queue)?;
    let len = rec.len();
    if len % 8 != 0 {
        return fail(DecodeError::bad_len(Ctx::Queue, len));
    }
    let (r, property) = u16_(rec)?;
    let (body, _) = skip(r, 6)?;
    let prop = match property {
        OFPQT_MIN_RATE | OFPQT_MAX_RATE => {
            if len != 16 {
                return fail(DecodeError::bad_len(Ctx::Queue, len));
            }
            let (_, rate) = u16_(body)?;
            if property == OFPQT_MIN_RATE {
                QueueProp::MinRate(rate)
            } else {
                QueueProp::MaxRate(rate)
            }
        }
        OFPQT_EXPERIMENTER => {
            if len < 16 {
                return fail(DecodeError::bad_len(Ctx::Queue, len));
            }
            let (data, experimenter) = u32_(body)?;
            let (data, _) = skip(data, 4)?;
            QueueProp::Experimenter {
                experimenter,
                data: src.bytes(data),
            }
        }
        _ => QueueProp::Unknown {
            property,
            body: src.bytes(body),
        },
    };
    Ok((rest, prop))
}

/// The body of an `OFPMP_QUEUE` multipart request (`ofp_queue_stats_request`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueueStatsRequest {
    /// The port (`ANY` for all ports).
    pub port_no: PortNo,
    /// The queue (`ALL` for all queues).
    pub queue_id: QueueId,
}

impl Wire for QueueStatsRequest {
    fn wire_len(&self) -> usize {
        8
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port_no.0);
        out.put_u32(self.queue_id.0);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, port_no) = in_ctx(Ctx::Multipart, u32_(i))?;
        let (i, queue_id) = in_ctx(Ctx::Multipart, u32_(i))?;
        Ok((
            i,
            QueueStatsRequest {
                port_no: PortNo(port_no),
                queue_id: QueueId(queue_id),
            },
        ))
    }
}

impl fmt::Display for QueueStatsRequest {
    /// ` port=ANY queue=ALL`, what follows `OFPST_QUEUE request (OF1.3) (xid=…):`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " port={} queue={}", self.port_no, self.queue_id)
    }
}

/// One record of an `OFPMP_QUEUE` multipart reply (`ofp_queue_stats`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueueStats {
    /// The port.
    pub port_no: PortNo,
    /// The queue.
    pub queue_id: QueueId,
    /// Bytes transmitted (all ones if unavailable).
    pub tx_bytes: u64,
    /// Packets transmitted (all ones if unavailable).
    pub tx_packets: u64,
    /// Packets dropped due to overrun (all ones if unavailable).
    pub tx_errors: u64,
    /// Seconds the queue has been installed (all ones if unavailable).
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
}

impl Wire for QueueStats {
    fn wire_len(&self) -> usize {
        40
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port_no.0);
        out.put_u32(self.queue_id.0);
        out.put_u64(self.tx_bytes);
        out.put_u64(self.tx_packets);
        out.put_u64(self.tx_errors);
        out.put_u32(self.duration_sec);
        out.put_u32(self.duration_nsec);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Multipart, parse_stats(i))
    }
}

fn parse_stats(i: &[u8]) -> PResult<'_, QueueStats> {
    let (i, port_no) = u32_(i)?;
    let (i, queue_id) = u32_(i)?;
    let (i, tx_bytes) = u64_(i)?;
    let (i, tx_packets) = u64_(i)?;
    let (i, tx_errors) = u64_(i)?;
    let (i, duration_sec) = u32_(i)?;
    let (i, duration_nsec) = u32_(i)?;
    Ok((
        i,
        QueueStats {
            port_no: PortNo(port_no),
            queue_id: QueueId(queue_id),
            tx_bytes,
            tx_packets,
            tx_errors,
            duration_sec,
            duration_nsec,
        },
    ))
}

/// A counter, or `?` when the switch does not keep it (all ones).
struct Counter(u64);

impl fmt::Display for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == u64::MAX {
            f.write_str("?")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// A duration the way OVS's `ofp_print_duration` writes it: whole seconds, then
/// milliseconds when exact, else as many nanosecond digits as needed, then `s`.
pub(crate) fn fmt_duration(f: &mut fmt::Formatter<'_>, sec: u32, nsec: u32) -> fmt::Result {
    write!(f, "{sec}")?;
    if nsec > 0 {
        if nsec.is_multiple_of(1_000_000) {
            write!(f, ".{:03}", nsec / 1_000_000)?;
        } else {
            let digits = format!("{nsec:09}");
            f.write_str(".")?;
            f.write_str(digits.trim_end_matches('0'))?;
        }
    }
    f.write_str("s")
}

impl fmt::Display for QueueStats {
    /// The line `ovs-ofctl` prints for this queue in an `OFPST_QUEUE` reply (indented by
    /// two spaces, without the final newline).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "  port {} queue {}: bytes={}, pkts={}, errors={}, duration=",
            self.port_no,
            self.queue_id,
            Counter(self.tx_bytes),
            Counter(self.tx_packets),
            Counter(self.tx_errors)
        )?;
        if self.duration_sec == u32::MAX {
            f.write_str("?")
        } else {
            fmt_duration(f, self.duration_sec, self.duration_nsec)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use crate::message::{Body, Message};
    use crate::types::Xid;

    /// QUEUE_GET_CONFIG_REQUEST, xid 1, port 1.
    const REQUEST: [u8; 16] = [
        0x04, 0x16, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    ];

    /// QUEUE_GET_CONFIG_REPLY, xid 1, port 1: queue 2 (no properties), then queue 1 with
    /// min rate 500, max rate 1001 and a Nicira experimenter property of 8 data bytes.
    const REPLY: [u8; 104] = [
        0x04, 0x17, 0x00, 0x68, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, //
        // queue 2
        0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
        // queue 1
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
        0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, //
        0x01, 0xf4, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
        0x00, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, //
        0x03, 0xe9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
        0xff, 0xff, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00, //
        0x00, 0x00, 0x23, 0x20, 0x00, 0x00, 0x00, 0x00, //
        0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x11,
    ];

    /// OFPST_QUEUE reply body records: port 1 queue 2, then LOCAL queue 0 with nothing
    /// known.
    const STATS: [u8; 80] = [
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, //
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64, //
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, //
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //
        0x00, 0x00, 0x00, 0x05, 0x1d, 0xcd, 0x65, 0x00, //
        0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x00, //
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, //
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, //
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, //
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];

    fn decode(b: &[u8]) -> Result<Message, DecodeError> {
        Message::decode(&Bytes::copy_from_slice(b))
    }

    fn reply() -> QueueGetConfigReply {
        QueueGetConfigReply {
            port: PortNo(1),
            queues: vec![
                PacketQueue {
                    queue_id: QueueId(2),
                    port: PortNo(1),
                    properties: vec![],
                },
                PacketQueue {
                    queue_id: QueueId(1),
                    port: PortNo(1),
                    properties: vec![
                        QueueProp::MinRate(500),
                        QueueProp::MaxRate(1001),
                        QueueProp::Experimenter {
                            experimenter: 0x2320,
                            data: Bytes::from_static(&[
                                0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 0x11,
                            ]),
                        },
                    ],
                },
            ],
        }
    }

    fn stats() -> [QueueStats; 2] {
        [
            QueueStats {
                port_no: PortNo(1),
                queue_id: QueueId(2),
                tx_bytes: 100,
                tx_packets: 10,
                tx_errors: 0,
                duration_sec: 5,
                duration_nsec: 500_000_000,
            },
            QueueStats {
                port_no: PortNo::LOCAL,
                queue_id: QueueId(0),
                tx_bytes: u64::MAX,
                tx_packets: u64::MAX,
                tx_errors: u64::MAX,
                duration_sec: u32::MAX,
                duration_nsec: u32::MAX,
            },
        ]
    }

    #[test]
    fn deconstruct() {
        assert_eq!(
            decode(&REQUEST).unwrap().body,
            Body::QueueGetConfigRequest(QueueGetConfigRequest { port: PortNo(1) })
        );
        let frame = Bytes::from_static(&REPLY);
        let m = Message::decode(&frame).unwrap();
        let Body::QueueGetConfigReply(r) = &m.body else {
            panic!("not a queue config reply")
        };
        assert_eq!(*r, reply());
        assert_eq!(r.queues[1].min_rate(), Some(500));
        assert_eq!(r.queues[0].max_rate(), None);
        let QueueProp::Experimenter { data, .. } = &r.queues[1].properties[2] else {
            unreachable!()
        };
        assert_eq!(data.as_ptr(), frame[96..].as_ptr());

        let b = Bytes::from_static(&STATS);
        let (rest, s) = QueueStats::parse(Src::new(&b), &b).unwrap();
        assert_eq!(s, stats()[0]);
        assert_eq!(
            QueueStats::from_bytes(&Bytes::copy_from_slice(rest)).unwrap(),
            stats()[1]
        );
        let req = QueueStatsRequest::from_bytes(&Bytes::from_static(&[0, 0, 0, 1, 0, 0, 0, 2]));
        assert_eq!(
            req.unwrap(),
            QueueStatsRequest {
                port_no: PortNo(1),
                queue_id: QueueId(2)
            }
        );
    }

    #[test]
    fn construct() {
        let m = Message::new(
            Xid(1),
            Body::QueueGetConfigRequest(QueueGetConfigRequest { port: PortNo(1) }),
        );
        assert_eq!(&m.encode().unwrap()[..], &REQUEST);
        let m = Message::new(Xid(1), Body::QueueGetConfigReply(reply()));
        assert_eq!(&m.encode().unwrap()[..], &REPLY);
        let mut out = BytesMut::new();
        emit_all(&stats(), &mut out);
        assert_eq!(&out[..], &STATS);
        let req = QueueStatsRequest {
            port_no: PortNo::ANY,
            queue_id: QueueId::ALL,
        };
        assert_eq!(&req.to_bytes()[..], &[0xff; 8]);
    }

    #[test]
    fn round_trip() {
        for b in [&REQUEST[..], &REPLY] {
            assert_eq!(&decode(b).unwrap().encode().unwrap()[..], b);
        }
        // Unknown properties survive; odd-sized payloads are padded to stay 8-aligned.
        let q = PacketQueue {
            queue_id: QueueId(9),
            port: PortNo(3),
            properties: vec![
                QueueProp::Unknown {
                    property: 7,
                    body: Bytes::from_static(&[1; 8]),
                },
                QueueProp::Experimenter {
                    experimenter: 1,
                    data: Bytes::from_static(&[2; 3]),
                },
            ],
        };
        let b = q.to_bytes();
        assert_eq!(b.len(), 16 + 16 + 24);
        let back = PacketQueue::from_bytes(&b).unwrap();
        assert_eq!(back.properties[0], q.properties[0]);
        assert_eq!(
            back.properties[1],
            QueueProp::Experimenter {
                experimenter: 1,
                data: Bytes::from_static(&[2, 2, 2, 0, 0, 0, 0, 0]),
            }
        );
        assert_eq!(back.to_bytes(), b);
    }

    #[test]
    fn malformed() {
        let bad_len = ErrorCode::BadRequest(BadRequestCode::BadLen);
        let with = |at: usize, value: u8, ctx: Ctx| {
            let mut b = REPLY.to_vec();
            b[at] = value;
            let e = decode(&b).unwrap_err();
            assert_eq!(e.ofp_error(), bad_len);
            assert!(
                matches!(e, DecodeError::BadLen { ctx: Some(c), .. } if c == ctx),
                "{e:?}"
            );
        };
        with(25, 0x08, Ctx::Queue); // queue length below its header
        with(25, 0x12, Ctx::Queue); // queue length not a multiple of 8
        with(41, 0x50, Ctx::Queue); // queue length past the end
        with(51, 0x08, Ctx::Queue); // rate property of length 8
        with(51, 0x0c, Ctx::Queue); // property length not a multiple of 8
        with(83, 0x08, Ctx::Queue); // experimenter property without its id
        let mut short = REQUEST[..12].to_vec();
        short[3] = 12;
        let e = decode(&short).unwrap_err();
        assert_eq!(e, DecodeError::truncated(Ctx::Queue));
        let e = QueueStats::from_bytes(&Bytes::copy_from_slice(&STATS[..39])).unwrap_err();
        assert_eq!(e, DecodeError::truncated(Ctx::Multipart));
    }

    /// Expected texts are `ovs-ofctl ofp-print` output for the same bytes.
    #[test]
    fn display_matches_ovs() {
        assert_eq!(
            decode(&REQUEST).unwrap().to_string(),
            "OFPT_QUEUE_GET_CONFIG_REQUEST (OF1.3) (xid=0x1): port=1"
        );
        assert_eq!(
            decode(&REPLY).unwrap().to_string(),
            "OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3) (xid=0x1): port=1\n\
             queue 1: min_rate:50.0% max_rate:(disabled)\n\
             queue 2:"
        );
        // 0417001000000001ffffffff00000000: no queues, nothing after the colon.
        let empty = QueueGetConfigReply {
            port: PortNo::ANY,
            queues: vec![],
        };
        assert_eq!(
            Message::new(Xid(1), Body::QueueGetConfigReply(empty)).to_string(),
            "OFPT_QUEUE_GET_CONFIG_REPLY (OF1.3) (xid=0x1):"
        );
        // The request and the lines of "OFPST_QUEUE reply (OF1.3) (xid=0x1): 2 queues".
        let req = QueueStatsRequest {
            port_no: PortNo::ANY,
            queue_id: QueueId::ALL,
        };
        assert_eq!(req.to_string(), " port=ANY queue=ALL");
        let [a, b] = stats();
        assert_eq!(
            a.to_string(),
            "  port 1 queue 2: bytes=100, pkts=10, errors=0, duration=5.500s"
        );
        assert_eq!(
            b.to_string(),
            "  port LOCAL queue 0: bytes=?, pkts=?, errors=?, duration=?"
        );
        let c = QueueStats {
            duration_sec: 7,
            duration_nsec: 120_000,
            ..a
        };
        assert!(c.to_string().ends_with("duration=7.00012s"), "{c}");
        let c = QueueStats {
            duration_nsec: 0,
            ..a
        };
        assert!(c.to_string().ends_with("duration=5s"), "{c}");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(body in proptest::collection::vec(0u8..=255, 0..80)) {
            let b = Bytes::from(body);
            if let Ok(r) = QueueGetConfigReply::from_bytes(&b) {
                let _ = r.to_string();
                // Padding aside, what was parsed is emitted unchanged.
                proptest::prop_assert_eq!(QueueGetConfigReply::from_bytes(&r.to_bytes()).unwrap(), r);
            }
            if let Ok(q) = PacketQueue::from_bytes(&b) {
                proptest::prop_assert_eq!(q.to_bytes().len(), b.len());
            }
        }
    }
}
