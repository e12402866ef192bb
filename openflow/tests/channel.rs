//! The sans-IO channel driven in memory with a fake clock: a controller channel against a
//! scripted switch (raw bytes in, raw bytes out) or against a switch-side channel.

use std::time::{Duration, Instant};

use bytes::{BufMut, Bytes, BytesMut};
use openflow::channel::State;
use openflow::errcode::{BadRequestCode, ErrorCode, HelloFailedCode};
use openflow::msg::{Echo, ErrorMsg, FeaturesReply, MultipartRequest, MultipartRequestBody};
use openflow::{
    Body, Channel, ChannelConfig, CloseReason, DatapathId, Event, FrameError, Framer, Message,
    SendError, Wire, Xid,
};

// ---- Fixtures (bytes checked with `ovs-ofctl ofp-print`) ----

/// `OFPT_HELLO (OF1.3) (xid=0x1): version bitmap: 0x04`.
const HELLO13: [u8; 16] = [
    0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10,
];

/// `OFPT_HELLO (OF1.0) (xid=0x1):` with no elements.
const HELLO10: [u8; 8] = [0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01];

/// `OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:0000000000000abc n_tables:254,
/// n_buffers:0 capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS`.
fn features_reply(xid: u32) -> Bytes {
    let mut b = BytesMut::new();
    b.put_slice(&[0x04, 0x06, 0x00, 0x20]);
    b.put_u32(xid);
    b.put_u64(0xabc); // datapath id
    b.put_u32(0); // n_buffers
    b.put_u8(254); // n_tables
    b.put_u8(0); // auxiliary id
    b.put_u16(0); // pad
    b.put_u32(0x4f); // capabilities
    b.put_u32(0); // reserved
    b.freeze()
}

fn features() -> FeaturesReply {
    FeaturesReply::from_bytes(&features_reply(0).slice(8..)).unwrap()
}

/// An `OFPST_GROUP_DESC` reply part describing bucketless groups `groups`, e.g.
/// `OFPST_GROUP_DESC reply (OF1.3) (xid=0x30): flags=[more]` then ` group_id=1,type=all`.
fn group_desc_part(xid: u32, more: bool, groups: std::ops::Range<u32>) -> Bytes {
    let mut b = BytesMut::new();
    let len = 16 + 8 * groups.len();
    b.put_slice(&[0x04, 0x13]);
    b.put_u16(len as u16);
    b.put_u32(xid);
    b.put_u16(7); // OFPMP_GROUP_DESC
    b.put_u16(u16::from(more)); // OFPMPF_REPLY_MORE
    b.put_u32(0);
    for g in groups {
        b.put_u16(8); // length
        b.put_u8(0); // OFPGT_ALL
        b.put_u8(0);
        b.put_u32(g);
    }
    b.freeze()
}

fn group_desc_request() -> Body {
    Body::MultipartRequest(MultipartRequest::new(MultipartRequestBody::GroupDesc))
}

fn encode(xid: u32, body: Body) -> Bytes {
    Message::new(Xid(xid), body).encode().unwrap()
}

fn error_code(msg: &Message) -> ErrorCode {
    match &msg.body {
        Body::Error(e) => e.code,
        other => panic!("expected an error, got {other:?}"),
    }
}

// ---- A small harness ----

fn t0() -> Instant {
    // A fixed base; only differences matter.
    Instant::now()
}

fn config() -> ChannelConfig {
    ChannelConfig::default()
}

/// Everything `ch` wants to send, split into frames.
fn sent_frames(ch: &mut Channel) -> Vec<Bytes> {
    let mut framer = Framer::default();
    while let Some(b) = ch.poll_transmit() {
        framer.push(&b);
    }
    let mut out = Vec::new();
    while let Some(f) = framer.next_frame().unwrap() {
        out.push(f);
    }
    assert!(framer.buffered().is_empty(), "partial frame transmitted");
    out
}

/// Everything `ch` wants to send, decoded.
fn sent(ch: &mut Channel) -> Vec<Message> {
    sent_frames(ch)
        .iter()
        .map(|f| Message::decode(f).unwrap())
        .collect()
}

fn events(ch: &mut Channel) -> Vec<Event> {
    std::iter::from_fn(|| ch.poll_event()).collect()
}

/// A controller channel that has exchanged hellos with a scripted switch and holds its
/// features request (xid 2) unanswered.
fn after_hello(cfg: ChannelConfig, now: Instant) -> Channel {
    let mut c = Channel::new(cfg, now);
    assert_eq!(sent_frames(&mut c), vec![Bytes::from_static(&HELLO13)]);
    c.handle_input(&HELLO13, now);
    let out = sent(&mut c);
    assert_eq!(out, vec![Message::new(Xid(2), Body::FeaturesRequest)]);
    assert_eq!(c.state(), State::Features);
    c
}

/// A controller channel that completed the handshake with a scripted switch.
fn ready(cfg: ChannelConfig, now: Instant) -> Channel {
    let mut c = after_hello(cfg, now);
    c.handle_input(&features_reply(2), now);
    let ev = events(&mut c);
    assert!(matches!(&ev[..], [Event::Ready { .. }]), "{ev:?}");
    c
}

/// Moves bytes both ways until neither side has anything to send; events are left queued.
fn pump(a: &mut Channel, b: &mut Channel, now: Instant) {
    loop {
        let mut moved = false;
        while let Some(bytes) = a.poll_transmit() {
            b.handle_input(&bytes, now);
            moved = true;
        }
        while let Some(bytes) = b.poll_transmit() {
            a.handle_input(&bytes, now);
            moved = true;
        }
        if !moved {
            break;
        }
    }
}

// ---- Handshake ----

#[test]
fn handshake_controller_against_switch_channel() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    let mut s = Channel::switch(config(), features(), now);
    pump(&mut c, &mut s, now);
    assert_eq!(c.state(), State::Ready);
    assert_eq!(s.state(), State::Ready);
    assert_eq!(
        events(&mut c),
        vec![Event::Ready {
            features: features()
        }]
    );
    assert_eq!(
        events(&mut s),
        vec![Event::Ready {
            features: features()
        }]
    );
    assert_eq!(c.datapath_id(), Some(DatapathId(0xabc)));
    assert_eq!(c.features().map(|f| f.n_tables), Some(254));
}

#[test]
fn controller_sends_hello_then_features_request() {
    let now = t0();
    let mut c = after_hello(config(), now);
    assert_eq!(c.datapath_id(), None);
    c.handle_input(&features_reply(2), now);
    assert_eq!(
        events(&mut c),
        vec![Event::Ready {
            features: features()
        }]
    );
    assert_eq!(c.datapath_id(), Some(DatapathId(0xabc)));
}

#[test]
fn hello_without_bitmap_from_a_later_version_negotiates_1_3() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    // OpenFlow 1.5 header, no elements: the peer also speaks every earlier version.
    c.handle_input(&[0x06, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x09], now);
    assert_eq!(
        sent(&mut c),
        vec![Message::new(Xid(2), Body::FeaturesRequest)]
    );
}

#[test]
fn hello_bitmap_with_1_3_in_a_later_header_negotiates() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    // OpenFlow 1.5 header, bitmap {1.3, 1.4, 1.5}.
    c.handle_input(
        &[
            0x06, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x09, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00,
            0x00, 0x70,
        ],
        now,
    );
    assert_eq!(c.state(), State::Features);
}

#[test]
fn openflow_1_0_hello_is_refused_like_ovs() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    c.handle_input(&HELLO10, now);
    let frames = sent_frames(&mut c);
    // `OFPT_ERROR (xid=0x0): OFPHFC_INCOMPATIBLE` in OpenFlow 1.0, which the peer reads.
    let text = b"We support version 0x04, you support version 0x01, no common versions.";
    let mut expected = vec![
        0x01,
        0x01,
        0x00,
        12 + text.len() as u8,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ];
    expected.extend_from_slice(text);
    assert_eq!(frames, vec![Bytes::from(expected)]);
    assert_eq!(c.state(), State::Closed);
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::VersionMismatch {
                peer_versions: 0b10
            }
        }]
    );
    // Closed for good: further input, sends and timers do nothing.
    c.handle_input(&HELLO13, now);
    assert!(sent(&mut c).is_empty());
    assert_eq!(c.send(Body::BarrierRequest), Err(SendError::Closed));
    assert_eq!(c.poll_timeout(), None);
    c.close();
    assert!(events(&mut c).is_empty());
}

#[test]
fn hello_bitmap_lacking_1_3_is_refused() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    // OpenFlow 1.4 header, bitmap {1.0, 1.4}.
    c.handle_input(
        &[
            0x05, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00,
            0x00, 0x22,
        ],
        now,
    );
    let frames = sent_frames(&mut c);
    assert_eq!(frames.len(), 1);
    // Sent in the peer's highest version (0x05); type HELLO_FAILED, code INCOMPATIBLE.
    assert_eq!(&frames[0][..2], &[0x05, 0x01]);
    assert_eq!(&frames[0][8..12], &[0, 0, 0, 0]);
    assert_eq!(
        &frames[0][12..],
        b"We support version 0x04, you support versions 0x01, 0x05, no common versions."
    );
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::VersionMismatch {
                peer_versions: 0x22
            }
        }]
    );
}

#[test]
fn message_before_hello_is_bad_version_and_closes() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    let barrier = encode(7, Body::BarrierRequest);
    c.handle_input(&barrier, now);
    let out = sent(&mut c);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].xid, Xid(7));
    assert_eq!(
        out[0].body,
        Body::Error(ErrorMsg {
            code: ErrorCode::BadRequest(BadRequestCode::BadVersion),
            data: barrier,
        })
    );
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::NoHello
        }]
    );
}

#[test]
fn peer_refusing_our_hello_closes() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    let error = ErrorMsg {
        code: ErrorCode::HelloFailed(HelloFailedCode::Incompatible),
        data: Bytes::from_static(b"no"),
    };
    c.handle_input(&encode(0, Body::Error(error.clone())), now);
    assert!(sent(&mut c).is_empty());
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::Rejected(error)
        }]
    );
}

#[test]
fn error_for_the_features_request_closes() {
    let now = t0();
    let mut c = after_hello(config(), now);
    let error = ErrorMsg {
        code: ErrorCode::BadRequest(BadRequestCode::Eperm),
        data: Bytes::new(),
    };
    c.handle_input(&encode(2, Body::Error(error.clone())), now);
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::Rejected(error)
        }]
    );
}

#[test]
fn handshake_timeout() {
    let now = t0();
    let mut c = after_hello(config(), now);
    let deadline = now + Duration::from_secs(10);
    // The keepalive comes first, then the handshake deadline.
    assert_eq!(c.poll_timeout(), Some(now + Duration::from_secs(5)));
    c.handle_timeout(now + Duration::from_secs(5));
    assert_eq!(c.poll_timeout(), Some(deadline));
    c.handle_timeout(deadline - Duration::from_millis(1));
    assert!(events(&mut c).is_empty());
    c.handle_timeout(deadline);
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::HandshakeTimeout
        }]
    );
}

// ---- Keepalive ----

#[test]
fn echo_request_is_answered_with_same_xid_and_data() {
    let now = t0();
    let mut c = ready(config(), now);
    let echo = Echo {
        data: Bytes::from_static(b"ping"),
    };
    c.handle_input(&encode(0x77, Body::EchoRequest(echo.clone())), now);
    assert_eq!(
        sent(&mut c),
        vec![Message::new(Xid(0x77), Body::EchoReply(echo))]
    );
    assert!(events(&mut c).is_empty());
}

#[test]
fn idle_peer_is_probed_then_declared_dead() {
    let now = t0();
    let mut c = ready(config(), now);
    let probe_at = now + Duration::from_secs(5);
    assert_eq!(c.poll_timeout(), Some(probe_at));
    c.handle_timeout(probe_at - Duration::from_millis(1));
    assert!(sent(&mut c).is_empty());
    c.handle_timeout(probe_at);
    let out = sent(&mut c);
    assert_eq!(out.len(), 1);
    assert!(matches!(out[0].body, Body::EchoRequest(_)));
    // The reply (or any input) proves life and restarts the idle timer; it is no event.
    let reply_at = probe_at + Duration::from_secs(1);
    c.handle_input(
        &encode(out[0].xid.0, Body::EchoReply(Echo { data: Bytes::new() })),
        reply_at,
    );
    assert!(events(&mut c).is_empty());
    let probe2 = reply_at + Duration::from_secs(5);
    assert_eq!(c.poll_timeout(), Some(probe2));
    c.handle_timeout(probe2);
    assert_eq!(sent(&mut c).len(), 1);
    // Silence: dead after the echo timeout.
    let dead = probe2 + Duration::from_secs(5);
    assert_eq!(c.poll_timeout(), Some(dead));
    c.handle_timeout(dead);
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::PeerDead
        }]
    );
    assert_eq!(c.poll_timeout(), None);
}

#[test]
fn keepalive_between_two_channels() {
    let mut now = t0();
    let mut c = Channel::new(config(), now);
    let mut s = Channel::switch(config(), features(), now);
    pump(&mut c, &mut s, now);
    events(&mut c);
    events(&mut s);
    // A minute of idle time in steps: each side probes, the other answers, nobody dies.
    for _ in 0..60 {
        now += Duration::from_secs(1);
        c.handle_timeout(now);
        s.handle_timeout(now);
        pump(&mut c, &mut s, now);
    }
    assert_eq!(c.state(), State::Ready);
    assert_eq!(s.state(), State::Ready);
    assert!(events(&mut c).is_empty());
    assert!(events(&mut s).is_empty());
}

// ---- Requests ----

#[test]
fn request_reply_correlation() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    let mut s = Channel::switch(config(), features(), now);
    pump(&mut c, &mut s, now);
    events(&mut c);
    events(&mut s);
    let echo = Echo {
        data: Bytes::from_static(b"abc"),
    };
    let a = c.request(Body::EchoRequest(echo.clone()), now).unwrap();
    let b = c.request(Body::FeaturesRequest, now).unwrap();
    assert_eq!(c.pending_requests(), 2);
    pump(&mut c, &mut s, now);
    assert_eq!(
        events(&mut c),
        vec![
            Event::Reply(Message::new(a, Body::EchoReply(echo))),
            Event::Reply(Message::new(b, Body::FeaturesReply(features()))),
        ]
    );
    assert_eq!(c.pending_requests(), 0);
}

#[test]
fn xids_are_monotonic_and_skip_zero() {
    let now = t0();
    let mut c = ready(config(), now);
    let a = c.send(Body::BarrierRequest).unwrap();
    let b = c.send(Body::BarrierRequest).unwrap();
    assert_eq!((a, b), (Xid(3), Xid(4)));
}

#[test]
fn error_fails_the_request_with_its_xid() {
    let now = t0();
    let mut c = ready(config(), now);
    let xid = c.request(Body::GetAsyncRequest, now).unwrap();
    let frame = sent_frames(&mut c).pop().unwrap();
    let error = ErrorMsg {
        code: ErrorCode::BadRequest(BadRequestCode::BadType),
        data: frame,
    };
    c.handle_input(&encode(xid.0, Body::Error(error.clone())), now);
    assert_eq!(events(&mut c), vec![Event::RequestFailed { xid, error }]);
    // An error for an xid nobody waits for is just a message.
    let stray = ErrorMsg {
        code: ErrorCode::BadRequest(BadRequestCode::BadType),
        data: Bytes::new(),
    };
    c.handle_input(&encode(999, Body::Error(stray.clone())), now);
    assert_eq!(
        events(&mut c),
        vec![Event::Message(Message::new(Xid(999), Body::Error(stray)))]
    );
}

#[test]
fn request_times_out() {
    let now = t0();
    let mut c = ready(config(), now);
    let late = c
        .request_with_timeout(Body::GetAsyncRequest, Some(Duration::from_secs(2)), now)
        .unwrap();
    let _forever = c
        .request_with_timeout(Body::GetConfigRequest, None, now)
        .unwrap();
    assert_eq!(c.poll_timeout(), Some(now + Duration::from_secs(2)));
    c.handle_timeout(now + Duration::from_secs(2));
    assert_eq!(events(&mut c), vec![Event::RequestTimedOut { xid: late }]);
    assert_eq!(c.pending_requests(), 1);
    // A reply after the deadline is unsolicited.
    c.handle_input(&encode(late.0, Body::BarrierReply), now);
    assert_eq!(
        events(&mut c),
        vec![Event::Message(Message::new(late, Body::BarrierReply))]
    );
}

#[test]
fn unsolicited_messages_are_delivered() {
    let now = t0();
    let mut c = ready(config(), now);
    let body = Body::Unknown {
        msg_type: 200,
        body: Bytes::from_static(&[1, 2, 3]),
    };
    c.handle_input(&encode(0, body.clone()), now);
    assert_eq!(
        events(&mut c),
        vec![Event::Message(Message::new(Xid(0), body))]
    );
}

// ---- Multipart ----

#[test]
fn multipart_reply_is_reassembled() {
    let now = t0();
    let mut c = ready(config(), now);
    let xid = c.request(group_desc_request(), now).unwrap();
    let mut stream = BytesMut::new();
    stream.put_slice(&group_desc_part(xid.0, true, 0..2));
    stream.put_slice(&group_desc_part(xid.0, true, 2..3));
    stream.put_slice(&group_desc_part(xid.0, false, 3..5));
    c.handle_input(&stream, now);
    let ev = events(&mut c);
    let [Event::Reply(reply)] = &ev[..] else {
        panic!("{ev:?}");
    };
    // One reply holding the five entries, without the REPLY_MORE flag.
    assert_eq!(reply.encode().unwrap(), group_desc_part(xid.0, false, 0..5));
    assert_eq!(c.pending_requests(), 0);
}

#[test]
fn multipart_parts_of_untracked_requests_pass_through() {
    let now = t0();
    let mut c = ready(config(), now);
    c.handle_input(&group_desc_part(50, true, 0..1), now);
    c.handle_input(&group_desc_part(50, false, 1..2), now);
    assert_eq!(events(&mut c).len(), 2);
}

#[test]
fn multipart_overflow_fails_the_request_and_swallows_the_rest() {
    let now = t0();
    let cfg = ChannelConfig {
        max_multipart_bytes: 50,
        ..config()
    };
    let mut c = ready(cfg, now);
    let xid = c.request(group_desc_request(), now).unwrap();
    // A 32-byte part fits; 32 more do not.
    c.handle_input(&group_desc_part(xid.0, true, 0..2), now);
    assert!(events(&mut c).is_empty());
    c.handle_input(&group_desc_part(xid.0, true, 2..4), now);
    let overflow = ErrorCode::BadRequest(BadRequestCode::MultipartBufferOverflow);
    assert_eq!(
        events(&mut c),
        vec![Event::RequestFailed {
            xid,
            error: ErrorMsg {
                code: overflow,
                data: Bytes::new()
            }
        }]
    );
    // The remaining parts vanish, the last one included.
    c.handle_input(&group_desc_part(xid.0, true, 4..6), now);
    c.handle_input(&group_desc_part(xid.0, false, 6..7), now);
    assert!(events(&mut c).is_empty());
    assert_eq!(c.pending_requests(), 0);
    // The budget is free again.
    let xid = c.request(group_desc_request(), now).unwrap();
    c.handle_input(&group_desc_part(xid.0, true, 0..2), now);
    c.handle_input(&group_desc_part(xid.0, false, 2..3), now);
    assert!(matches!(&events(&mut c)[..], [Event::Reply(_)]));
}

#[test]
fn multipart_parts_of_different_types_fail_the_request() {
    let now = t0();
    let mut c = ready(config(), now);
    let xid = c.request(group_desc_request(), now).unwrap();
    c.handle_input(&group_desc_part(xid.0, true, 0..1), now);
    // A final part of an unknown multipart type (100) under the same xid.
    let mut other = BytesMut::new();
    other.put_slice(&[0x04, 0x13, 0x00, 0x10]);
    other.put_u32(xid.0);
    other.put_slice(&[0x00, 100, 0, 0, 0, 0, 0, 0]);
    c.handle_input(&other, now);
    assert_eq!(
        events(&mut c),
        vec![Event::RequestFailed {
            xid,
            error: ErrorMsg::new(
                ErrorCode::BadRequest(BadRequestCode::BadMultipart),
                Bytes::new()
            )
        }]
    );
    assert_eq!(c.pending_requests(), 0);
}

// ---- Barriers ----

#[test]
fn barrier_confirms_tracked_messages_that_drew_no_error() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    let mut s = Channel::switch(config(), features(), now);
    pump(&mut c, &mut s, now);
    events(&mut c);
    events(&mut s);
    let body = |n| Body::Unknown {
        msg_type: 200,
        body: Bytes::from(vec![n]),
    };
    let x1 = c.send_tracked(body(1)).unwrap();
    let x2 = c.send_tracked(body(2)).unwrap();
    let x3 = c.send_tracked(body(3)).unwrap();
    let b = c.barrier(now).unwrap();
    let x4 = c.send_tracked(body(4)).unwrap();
    // The switch's application rejects the second message while handling its events; the
    // barrier reply waits until it has seen every message before the barrier.
    let from_c = c.poll_transmit().unwrap();
    s.handle_input(&from_c, now);
    let mut handled = Vec::new();
    while let Some(e) = s.poll_event() {
        let Event::Message(m) = e else {
            panic!("{e:?}")
        };
        if m.body == body(2) {
            let error = ErrorMsg {
                code: ErrorCode::BadRequest(BadRequestCode::BadType),
                data: Bytes::new(),
            };
            s.send_message(&Message::new(m.xid, Body::Error(error)))
                .unwrap();
        }
        handled.push(m.xid);
    }
    assert_eq!(handled, vec![x1, x2, x3, x4]);
    pump(&mut c, &mut s, now);
    let ev = events(&mut c);
    assert!(
        matches!(ev[0], Event::RequestFailed { xid, .. } if xid == x2),
        "{ev:?}"
    );
    assert_eq!(
        ev[1],
        Event::BarrierComplete {
            xid: b,
            confirmed: vec![x1, x3]
        }
    );
    assert_eq!(ev.len(), 2);
    // The message after the barrier waits for the next one.
    assert_eq!(c.pending_requests(), 1);
    let b2 = c.barrier(now).unwrap();
    pump(&mut c, &mut s, now);
    events(&mut s);
    pump(&mut c, &mut s, now);
    assert_eq!(
        events(&mut c),
        vec![Event::BarrierComplete {
            xid: b2,
            confirmed: vec![x4]
        }]
    );
    assert_eq!(c.pending_requests(), 0);
}

// ---- Malformed input ----

#[test]
fn malformed_message_gets_an_error_and_the_channel_continues() {
    let now = t0();
    let mut c = ready(config(), now);
    // A barrier reply with a stray body byte.
    let bad = Bytes::from_static(&[0x04, 0x15, 0x00, 0x09, 0x00, 0x00, 0x00, 0x42, 0xff]);
    c.handle_input(&bad, now);
    let out = sent(&mut c);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].xid, Xid(0x42));
    assert_eq!(
        out[0].body,
        Body::Error(ErrorMsg {
            code: ErrorCode::BadRequest(BadRequestCode::BadLen),
            data: bad,
        })
    );
    // A truncated features reply: also BAD_LEN, quoting only the first 64 bytes of a long one.
    let mut long = BytesMut::new();
    long.put_slice(&[0x04, 0x06, 0x00, 0x50, 0x00, 0x00, 0x00, 0x43]);
    long.put_bytes(0xee, 0x48);
    c.handle_input(&long, now);
    let out = sent(&mut c);
    assert_eq!(
        error_code(&out[0]),
        ErrorCode::BadRequest(BadRequestCode::BadLen)
    );
    assert!(matches!(&out[0].body, Body::Error(e) if e.data[..] == long[..64]));
    // Another version after negotiation: BAD_VERSION.
    c.handle_input(&[0x01, 0x02, 0x00, 0x08, 0x00, 0x00, 0x00, 0x44], now);
    let out = sent(&mut c);
    assert_eq!(out[0].xid, Xid(0x44));
    assert_eq!(
        error_code(&out[0]),
        ErrorCode::BadRequest(BadRequestCode::BadVersion)
    );
    // Still working.
    assert_eq!(c.state(), State::Ready);
    c.handle_input(
        &encode(5, Body::EchoRequest(Echo { data: Bytes::new() })),
        now,
    );
    assert_eq!(sent(&mut c).len(), 1);
    assert!(events(&mut c).is_empty());
}

#[test]
fn malformed_error_is_not_answered() {
    let now = t0();
    let mut c = ready(config(), now);
    c.handle_input(&[0x04, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x42, 0xff], now);
    assert!(sent(&mut c).is_empty());
    assert_eq!(c.state(), State::Ready);
}

#[test]
fn framing_error_sends_bad_len_and_closes() {
    let now = t0();
    let mut c = ready(config(), now);
    let head = [0x04, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x42];
    c.handle_input(&head, now);
    let out = sent(&mut c);
    assert_eq!(
        out,
        vec![Message::new(
            Xid(0x42),
            Body::Error(ErrorMsg {
                code: ErrorCode::BadRequest(BadRequestCode::BadLen),
                data: Bytes::copy_from_slice(&head),
            })
        )]
    );
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::Framing(FrameError::TooShort { len: 4 })
        }]
    );
}

#[test]
fn oversized_message_closes_before_its_body_arrives() {
    let now = t0();
    let cfg = ChannelConfig {
        max_message_len: 1024,
        ..config()
    };
    let mut c = ready(cfg, now);
    c.handle_input(&[0x04, 0x0a, 0x10, 0x00], now);
    let out = sent(&mut c);
    assert_eq!(
        error_code(&out[0]),
        ErrorCode::BadRequest(BadRequestCode::BadLen)
    );
    assert_eq!(out[0].xid, Xid(0));
    assert_eq!(
        events(&mut c),
        vec![Event::Closed {
            reason: CloseReason::Framing(FrameError::TooLong {
                len: 4096,
                max: 1024
            })
        }]
    );
}

// ---- Byte streams ----

/// What a switch sends in a typical session start, as one stream.
fn switch_stream() -> Bytes {
    let mut b = BytesMut::new();
    b.put_slice(&HELLO13);
    b.put_slice(&features_reply(2));
    b.put_slice(&encode(
        9,
        Body::EchoRequest(Echo {
            data: Bytes::from_static(b"xy"),
        }),
    ));
    b.put_slice(&group_desc_part(0x30, false, 0..1));
    b.put_slice(&encode(
        0,
        Body::Unknown {
            msg_type: 200,
            body: Bytes::new(),
        },
    ));
    b.freeze()
}

/// Runs a fresh controller over `chunks`, returning what it sent and reported.
fn run(chunks: &[&[u8]]) -> (Vec<Message>, Vec<Event>) {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    for chunk in chunks {
        c.handle_input(chunk, now);
    }
    (sent(&mut c), events(&mut c))
}

#[test]
fn every_split_point_gives_the_same_result() {
    let stream = switch_stream();
    let whole = run(&[&stream]);
    assert_eq!(whole.0.len(), 2); // features request, echo reply
    assert_eq!(whole.1.len(), 3); // ready, table stats, unknown
    for cut in 0..=stream.len() {
        assert_eq!(
            run(&[&stream[..cut], &stream[cut..]]),
            whole,
            "cut at {cut}"
        );
    }
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(run(&bytes), whole);
}

#[test]
fn reading_into_the_receive_buffer() {
    let now = t0();
    let mut c = Channel::new(config(), now);
    sent(&mut c);
    let stream = switch_stream();
    c.recv_buf().extend_from_slice(&stream[..20]);
    c.handle_received(now);
    c.recv_buf().extend_from_slice(&stream[20..]);
    c.handle_received(now);
    assert_eq!((sent(&mut c), events(&mut c)), run(&[&stream]));
}

// ---- Bounds ----

#[test]
fn transmit_queue_is_bounded_and_coalesced() {
    let now = t0();
    let cfg = ChannelConfig {
        max_transmit_bytes: 64,
        ..config()
    };
    let mut c = ready(cfg, now);
    for _ in 0..8 {
        c.send(Body::BarrierRequest).unwrap();
    }
    assert_eq!(c.pending_transmit_bytes(), 64);
    assert_eq!(
        c.send(Body::BarrierRequest),
        Err(SendError::Full {
            queued: 64,
            limit: 64
        })
    );
    // Protocol replies still get through, in a reserve beyond the limit.
    c.handle_input(
        &encode(5, Body::EchoRequest(Echo { data: Bytes::new() })),
        now,
    );
    assert_eq!(c.pending_transmit_bytes(), 72);
    // One buffer holds everything.
    let all = c.poll_transmit().unwrap();
    assert_eq!(all.len(), 72);
    assert_eq!(c.poll_transmit(), None);
    assert_eq!(c.pending_transmit_bytes(), 0);
    c.send(Body::BarrierRequest).unwrap();
}

#[test]
fn too_long_message_is_refused() {
    let now = t0();
    let mut c = ready(config(), now);
    let body = Body::Unknown {
        msg_type: 200,
        body: Bytes::from(vec![0; 65535]),
    };
    assert!(matches!(c.send(body), Err(SendError::Encode(_))));
    assert_eq!(c.pending_transmit_bytes(), 0);
}

#[test]
fn pending_requests_are_bounded() {
    let now = t0();
    let cfg = ChannelConfig {
        max_pending: 2,
        ..config()
    };
    let mut c = ready(cfg, now);
    c.request(Body::GetConfigRequest, now).unwrap();
    c.send_tracked(Body::BarrierRequest).unwrap();
    let full = Err(SendError::TooManyPending { limit: 2 });
    assert_eq!(c.request(Body::GetConfigRequest, now), full);
    assert_eq!(c.send_tracked(Body::BarrierRequest), full);
    // A barrier, which is what releases tracked messages, still goes out.
    c.barrier(now).unwrap();
    c.barrier(now).unwrap();
    assert_eq!(c.barrier(now), Err(SendError::TooManyPending { limit: 2 }));
    // Untracked sends are not limited.
    c.send(Body::BarrierRequest).unwrap();
}

// ---- Hostile input ----

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// Message types whose bodies the channel itself interprets, plus multipart replies and
    /// unknown types.
    const TYPES: [u8; 14] = [0, 1, 2, 3, 5, 6, 7, 19, 20, 21, 26, 40, 99, 200];

    /// Frames with plausible headers (so that bodies get parsed), as one stream.
    fn frames() -> impl Strategy<Value = Vec<u8>> {
        let frame = (
            proptest::sample::select(&TYPES[..]),
            0u32..8,
            proptest::collection::vec(any::<u8>(), 0..80),
        )
            .prop_map(|(ty, xid, body)| {
                let mut f = vec![4, ty];
                f.extend_from_slice(&((8 + body.len()) as u16).to_be_bytes());
                f.extend_from_slice(&xid.to_be_bytes());
                f.extend_from_slice(&body);
                f
            });
        proptest::collection::vec(frame, 0..20).prop_map(|v| v.concat())
    }

    /// Feeds `input` in chunks of `chunk` bytes and checks what comes out.
    fn check(mut c: Channel, input: &[u8], chunk: usize) {
        let now = t0();
        // Outstanding requests of every kind, with xids the input may hit.
        c.request(Body::GetConfigRequest, now).unwrap();
        c.send_tracked(Body::GetAsyncRequest).unwrap();
        c.barrier(now).unwrap();
        c.request(Body::GetConfigRequest, now).unwrap();
        for piece in input.chunks(chunk.max(1)) {
            c.handle_input(piece, now);
            c.handle_timeout(now + Duration::from_secs(1));
        }
        // Whatever the channel sends is well framed, and (having agreed on 1.3) is 1.3.
        for f in sent_frames(&mut c) {
            Message::decode(&f).unwrap();
        }
        let closed = events(&mut c)
            .iter()
            .filter(|e| matches!(e, Event::Closed { .. }))
            .count();
        assert_eq!(closed, usize::from(c.is_closed()));
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn ready_channel_survives_any_bytes(
            input in proptest::collection::vec(any::<u8>(), 0..300),
            chunk in 1usize..40,
        ) {
            check(ready(config(), t0()), &input, chunk);
        }

        #[test]
        fn ready_channel_survives_any_frames(input in frames(), chunk in 1usize..100) {
            check(ready(config(), t0()), &input, chunk);
        }

        #[test]
        fn fresh_channel_survives_any_frames_after_hello(input in frames(), chunk in 1usize..100) {
            let mut c = Channel::new(config(), t0());
            sent(&mut c);
            let mut stream = HELLO13.to_vec();
            stream.extend_from_slice(&input);
            check(c, &stream, chunk);
        }
    }
}
