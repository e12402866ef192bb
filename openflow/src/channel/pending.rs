//! What the channel remembers about messages it sent: requests awaiting a reply (with
//! multipart reassembly and deadlines), messages confirmed only by a later barrier, and the
//! barriers themselves.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::Instant;

use bytes::Bytes;

use crate::errcode::{BadRequestCode, ErrorCode};
use crate::message::{Body, Message};
use crate::msg::{ErrorMsg, MultipartReply};
use crate::types::Xid;

use super::Event;

/// What became of a received message the tracker was shown.
pub(super) enum Outcome {
    /// It answers nothing we are waiting for: deliver it as it is.
    Unsolicited(Message),
    /// It completed or failed something: deliver this event.
    Event(Event),
    /// It was absorbed (a multipart part, or a part of a reply already failed).
    Absorbed,
}

/// The kinds of sent message the tracker remembers.
#[derive(Debug)]
enum Kind {
    /// A request that expects one reply, perhaps in several multipart parts.
    Request {
        /// The multipart parts received so far, merged (boxed: most requests never have
        /// any, and every entry of the map is as large as its largest kind).
        partial: Option<Box<MultipartReply>>,
        /// The wire bytes of `partial`, counted against the reassembly budget.
        bytes: usize,
        /// The reply already failed (reassembly overflow): swallow its remaining parts.
        discarding: bool,
    },
    /// A message that expects no reply: an error fails it, a later barrier confirms it.
    Tracked,
    /// A barrier request.
    Barrier,
}

#[derive(Debug)]
struct Entry {
    kind: Kind,
    /// Send order, to know which tracked messages precede a barrier.
    seq: u64,
    deadline: Option<Instant>,
}

/// Outstanding requests by xid.
#[derive(Debug, Default)]
pub(super) struct Pending {
    entries: HashMap<Xid, Entry>,
    /// Tracked messages in send order; stale items (already failed) are skipped lazily.
    tracked: VecDeque<(u64, Xid)>,
    /// How many items of `tracked` are still live, to know when to compact it.
    live_tracked: usize,
    deadlines: BTreeSet<(Instant, Xid)>,
    seq: u64,
    /// Wire bytes held in all partial multipart replies.
    multipart_bytes: usize,
}

impl Pending {
    /// How many sent messages are remembered (the measure the pending limit bounds).
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Remembers a request expecting a reply.
    pub(super) fn add_request(&mut self, xid: Xid, deadline: Option<Instant>) {
        let kind = Kind::Request {
            partial: None,
            bytes: 0,
            discarding: false,
        };
        self.add(xid, kind, deadline);
    }

    /// Remembers a message that a barrier will confirm.
    pub(super) fn add_tracked(&mut self, xid: Xid) {
        let seq = self.add(xid, Kind::Tracked, None);
        self.tracked.push_back((seq, xid));
        self.live_tracked += 1;
    }

    /// Remembers a barrier request.
    pub(super) fn add_barrier(&mut self, xid: Xid, deadline: Option<Instant>) {
        self.add(xid, Kind::Barrier, deadline);
    }

    fn add(&mut self, xid: Xid, kind: Kind, deadline: Option<Instant>) -> u64 {
        self.seq += 1;
        let seq = self.seq;
        if let Some(d) = deadline {
            self.deadlines.insert((d, xid));
        }
        // A reused xid (after 2^32 messages) replaces the forgotten old entry.
        if let Some(old) = self.entries.insert(
            xid,
            Entry {
                kind,
                seq,
                deadline,
            },
        ) {
            self.forget(xid, &old);
        }
        seq
    }

    /// Drops the bookkeeping of an entry that has been removed from `entries`.
    fn forget(&mut self, xid: Xid, entry: &Entry) {
        if let Some(d) = entry.deadline {
            self.deadlines.remove(&(d, xid));
        }
        match entry.kind {
            Kind::Request { bytes, .. } => self.multipart_bytes -= bytes,
            Kind::Tracked => self.live_tracked -= 1,
            Kind::Barrier => {}
        }
    }

    fn remove(&mut self, xid: Xid) -> Option<Entry> {
        let entry = self.entries.remove(&xid)?;
        self.forget(xid, &entry);
        if self.entries.is_empty() {
            // Nothing is outstanding: give back the room the busiest moment needed, so that
            // an idle connection holds none. What is left in `tracked` is stale.
            debug_assert!(self.live_tracked == 0 && self.multipart_bytes == 0);
            *self = Pending {
                seq: self.seq,
                ..Pending::default()
            };
        }
        Some(entry)
    }

    /// An `OFPT_ERROR` from the peer: it fails whatever sent message carries its xid.
    pub(super) fn on_error(&mut self, msg: Message) -> Outcome {
        let Body::Error(error) = msg.body else {
            return Outcome::Unsolicited(msg);
        };
        let removed = self.remove(msg.xid);
        // Failed tracked messages leave stale items in `tracked` until a barrier; do not let
        // them pile up when no barrier comes.
        if self.tracked.len() > 2 * self.live_tracked + 64 {
            let entries = &self.entries;
            self.tracked
                .retain(|(s, x)| entries.get(x).is_some_and(|e| e.seq == *s));
        }
        match removed {
            None => Outcome::Unsolicited(Message::new(msg.xid, Body::Error(error))),
            Some(Entry {
                kind: Kind::Request {
                    discarding: true, ..
                },
                ..
            }) => Outcome::Absorbed,
            Some(_) => Outcome::Event(Event::RequestFailed {
                xid: msg.xid,
                error,
            }),
        }
    }

    /// A reply-type message from the peer (`len` is its size on the wire); `budget` bounds
    /// the bytes held by all partial multipart replies together.
    pub(super) fn on_reply(&mut self, msg: Message, len: usize, budget: usize) -> Outcome {
        let xid = msg.xid;
        let Some(entry) = self.entries.get_mut(&xid) else {
            return Outcome::Unsolicited(msg);
        };
        match (&mut entry.kind, msg.body) {
            (Kind::Barrier, Body::BarrierReply) => {
                let seq = entry.seq;
                self.remove(xid);
                let confirmed = self.confirm_before(seq);
                Outcome::Event(Event::BarrierComplete { xid, confirmed })
            }
            (
                Kind::Request {
                    partial,
                    bytes,
                    discarding,
                },
                Body::MultipartReply(part),
            ) => {
                if *discarding {
                    if !part.is_more() {
                        self.remove(xid);
                    }
                    return Outcome::Absorbed;
                }
                let more = part.is_more();
                let merged = match partial.take() {
                    None => Ok(part),
                    Some(mut acc) => acc.body.extend(part.body).map(|()| {
                        // The last part's flags describe the whole reply.
                        acc.flags = part.flags;
                        *acc
                    }),
                };
                let merged = match merged {
                    Ok(m) => m,
                    Err(_) => {
                        // A part of another multipart type: the reply makes no sense.
                        let code = ErrorCode::BadRequest(BadRequestCode::BadMultipart);
                        return self.fail_reassembly(xid, more, code);
                    }
                };
                if !more {
                    self.remove(xid);
                    let msg = Message::new(xid, Body::MultipartReply(merged));
                    return Outcome::Event(Event::Reply(msg));
                }
                if self.multipart_bytes + len > budget {
                    let code = ErrorCode::BadRequest(BadRequestCode::MultipartBufferOverflow);
                    return self.fail_reassembly(xid, more, code);
                }
                *partial = Some(Box::new(merged));
                *bytes += len;
                self.multipart_bytes += len;
                Outcome::Absorbed
            }
            (Kind::Request { .. }, body) => {
                self.remove(xid);
                Outcome::Event(Event::Reply(Message::new(xid, body)))
            }
            (_, body) => Outcome::Unsolicited(Message::new(xid, body)),
        }
    }

    /// Fails a request whose multipart reply cannot be reassembled; if more parts are
    /// coming, keeps swallowing them until the last.
    fn fail_reassembly(&mut self, xid: Xid, more: bool, code: ErrorCode) -> Outcome {
        if more {
            if let Some(Entry {
                kind:
                    Kind::Request {
                        partial,
                        bytes,
                        discarding,
                    },
                ..
            }) = self.entries.get_mut(&xid)
            {
                *partial = None;
                self.multipart_bytes -= *bytes;
                *bytes = 0;
                *discarding = true;
            }
        } else {
            self.remove(xid);
        }
        let error = ErrorMsg::new(code, Bytes::new());
        Outcome::Event(Event::RequestFailed { xid, error })
    }

    /// Confirms (and forgets) the tracked messages sent before sequence number `seq`.
    fn confirm_before(&mut self, seq: u64) -> Vec<Xid> {
        let mut confirmed = Vec::new();
        while let Some(&(s, xid)) = self.tracked.front() {
            if s >= seq {
                break;
            }
            self.tracked.pop_front();
            // Skip entries failed by an error (gone) or replaced by a reused xid.
            if self
                .entries
                .get(&xid)
                .is_some_and(|e| e.seq == s && matches!(e.kind, Kind::Tracked))
            {
                self.remove(xid);
                confirmed.push(xid);
            }
        }
        confirmed
    }

    /// The earliest deadline of an outstanding request.
    pub(super) fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.first().map(|&(d, _)| d)
    }

    /// Removes the requests whose deadline has passed, with an event for each one that was
    /// still expected by the caller.
    pub(super) fn expire(&mut self, now: Instant, events: &mut Vec<Event>) {
        while let Some(&(d, xid)) = self.deadlines.first() {
            if d > now {
                break;
            }
            match self.remove(xid) {
                Some(Entry {
                    kind:
                        Kind::Request {
                            discarding: true, ..
                        },
                    ..
                }) => {}
                Some(_) => events.push(Event::RequestTimedOut { xid }),
                // `remove` drops the deadline; this only guards against a stale one.
                None => {
                    self.deadlines.remove(&(d, xid));
                }
            }
        }
    }

    /// Forgets everything (the connection is closed).
    pub(super) fn clear(&mut self) {
        *self = Pending::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(xid: Xid) -> Message {
        let error = ErrorMsg {
            code: ErrorCode::BadRequest(BadRequestCode::BadType),
            data: Bytes::new(),
        };
        Message::new(xid, Body::Error(error))
    }

    #[test]
    fn failed_tracked_messages_do_not_pile_up_without_barriers() {
        let mut p = Pending::default();
        for x in 1..=10_000 {
            p.add_tracked(Xid(x));
            assert!(matches!(p.on_error(error(Xid(x))), Outcome::Event(_)));
        }
        assert_eq!(p.len(), 0);
        assert!(p.tracked.len() <= 64 + 1, "{}", p.tracked.len());
        // Live ones survive compaction, in order.
        for x in [20_001, 20_002, 20_003] {
            p.add_tracked(Xid(x));
        }
        for x in 30_000..30_200 {
            p.add_tracked(Xid(x));
            p.on_error(error(Xid(x)));
        }
        p.add_barrier(Xid(40_000), None);
        let Outcome::Event(Event::BarrierComplete { confirmed, .. }) =
            p.on_reply(Message::new(Xid(40_000), Body::BarrierReply), 8, 0)
        else {
            panic!("no barrier completion");
        };
        assert_eq!(confirmed, vec![Xid(20_001), Xid(20_002), Xid(20_003)]);
        assert_eq!(p.len(), 0);
        assert_eq!(p.live_tracked, 0);
    }

    #[test]
    fn nothing_outstanding_holds_no_memory() {
        let t = Instant::now();
        let mut p = Pending::default();
        for x in 1..=100 {
            p.add_tracked(Xid(x));
        }
        p.add_request(Xid(200), Some(t));
        p.add_barrier(Xid(201), None);
        assert!(p.entries.capacity() >= 102);
        // The failed tracked message leaves a stale item; the request expires.
        p.on_error(error(Xid(1)));
        p.expire(t, &mut Vec::new());
        let Outcome::Event(Event::BarrierComplete { confirmed, .. }) =
            p.on_reply(Message::new(Xid(201), Body::BarrierReply), 8, 0)
        else {
            panic!("no barrier completion");
        };
        assert_eq!(confirmed, (2..=100).map(Xid).collect::<Vec<_>>());
        assert_eq!(p.len(), 0);
        assert_eq!(p.entries.capacity(), 0);
        assert_eq!(p.tracked.capacity(), 0);
        assert!(p.deadlines.is_empty());
        // Sequence numbers keep increasing, so the order of later sends is still known.
        let seq = p.seq;
        p.add_tracked(Xid(300));
        assert!(p.seq > seq);
    }

    #[test]
    fn deadlines_expire_in_order() {
        let t = Instant::now();
        let mut p = Pending::default();
        p.add_request(Xid(1), Some(t + std::time::Duration::from_secs(2)));
        p.add_barrier(Xid(2), Some(t + std::time::Duration::from_secs(1)));
        p.add_request(Xid(3), None);
        assert_eq!(
            p.next_deadline(),
            Some(t + std::time::Duration::from_secs(1))
        );
        let mut ev = Vec::new();
        p.expire(t + std::time::Duration::from_secs(5), &mut ev);
        assert_eq!(
            ev,
            vec![
                Event::RequestTimedOut { xid: Xid(2) },
                Event::RequestTimedOut { xid: Xid(1) }
            ]
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p.next_deadline(), None);
    }
}
