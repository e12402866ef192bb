//! One OpenFlow 1.3 connection as a sans-IO state machine, in the manner of `quinn-proto`.
//!
//! A [`Channel`] never reads a clock or touches a socket: the runtime feeds it received
//! bytes and the current time, sends what it hands out, and sleeps until the deadline it
//! names. One turn of a runtime's loop:
//!
//! ```text
//! on bytes from the socket  → channel.handle_input(&bytes, now)
//! on a command               → channel.request(body, now) / send / barrier …
//! on the timer               → channel.handle_timeout(now)
//! then: while let Some(bytes) = channel.poll_transmit() → write bytes to the socket
//!       while let Some(event) = channel.poll_event()    → act on event
//!       sleep until channel.poll_timeout()
//! ```
//!
//! The channel does the protocol's housekeeping itself: the hello exchange (OpenFlow 1.3
//! only), the features handshake, echo keepalive, `OFPT_ERROR` replies to malformed
//! messages, xid allocation, correlation of replies and errors with requests, reassembly of
//! multipart replies and barrier confirmation. Everything it holds is bounded by
//! [`ChannelConfig`].
//!
//! ```
//! use std::time::Instant;
//! use openflow::channel::State;
//! use openflow::{Channel, ChannelConfig, MsgType};
//!
//! let now = Instant::now();
//! let mut ch = Channel::new(ChannelConfig::default(), now);
//! // Our hello goes out as soon as the connection is accepted.
//! let out = ch.poll_transmit().unwrap();
//! assert_eq!(MsgType::from_raw(out[1]), MsgType::Hello);
//! // The switch's hello (OpenFlow 1.3, no elements) arrives; we ask for its features.
//! ch.handle_input(&[0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01], now);
//! let out = ch.poll_transmit().unwrap();
//! assert_eq!(MsgType::from_raw(out[1]), MsgType::FeaturesRequest);
//! assert_eq!(ch.state(), State::Features);
//! // Until the reply, the next thing to do is the keepalive (or the handshake timeout).
//! assert!(ch.poll_timeout().is_some());
//! ```

mod config;
mod event;
mod hello;
mod pending;

pub use config::ChannelConfig;
pub use event::{CloseReason, Event};

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};

use crate::errcode::{BadRequestCode, ErrorCode, HelloFailedCode};
use crate::frame::Framer;
use crate::header::{HEADER_LEN, Header, MsgType};
use crate::message::{Body, EncodeError, MAX_MESSAGE_LEN, Message};
use crate::msg::{Echo, ErrorMsg, FeaturesReply, Hello};
use crate::types::{DatapathId, Xid};
use crate::wire::{Src, Wire, complete};

use pending::{Outcome, Pending};

/// Room beyond [`ChannelConfig::max_transmit_bytes`] kept for the replies the channel makes
/// itself (echo replies, errors), so that a full queue of the caller's messages does not
/// starve the protocol; past it, such replies are dropped.
const CONTROL_RESERVE: usize = MAX_MESSAGE_LEN;

/// Where a connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Our hello is sent; waiting for the peer's.
    Hello,
    /// OpenFlow 1.3 agreed; waiting for the `OFPT_FEATURES_REPLY` (controller side).
    Features,
    /// Handshake complete.
    Ready,
    /// The connection is over; only queued bytes remain to be sent.
    Closed,
}

/// Why a message could not be sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The connection is closed.
    #[error("the OpenFlow channel is closed")]
    Closed,
    /// The transmit queue is full: write out [`Channel::poll_transmit`] first.
    #[error("transmit queue full ({queued} bytes queued, limit {limit})")]
    Full {
        /// Bytes already queued.
        queued: usize,
        /// The configured limit.
        limit: usize,
    },
    /// Too many sent messages await a reply, an error or a barrier.
    #[error("too many outstanding requests (limit {limit})")]
    TooManyPending {
        /// The configured limit.
        limit: usize,
    },
    /// The message cannot be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// Which end of the connection this channel plays.
#[derive(Clone, Debug)]
enum Side {
    /// The controller: asks for the features once the versions agree.
    Controller,
    /// An (emulated) switch: answers features, echo and barrier requests itself.
    Switch,
}

/// An item of the event queue.
#[derive(Debug)]
enum Queued {
    Event(Event),
    /// A switch-side barrier reply, sent when the application has taken every event before
    /// it, so that anything it sent for those messages goes out first.
    BarrierReply(Xid),
}

/// The state machine of one OpenFlow 1.3 connection.
#[derive(Debug)]
pub struct Channel {
    config: ChannelConfig,
    side: Side,
    state: State,
    framer: Framer,
    /// Bytes of the framer's buffer already seen, to notice new input in `handle_received`.
    rx_seen: usize,
    tx: BytesMut,
    events: VecDeque<Queued>,
    pending: Pending,
    next_xid: u32,
    features: Option<FeaturesReply>,
    /// The xid of our `OFPT_FEATURES_REQUEST` while it is outstanding.
    features_xid: Option<Xid>,
    handshake_deadline: Instant,
    last_rx: Instant,
    /// When our keepalive probe went out, until anything arrives.
    probe: Option<Instant>,
    /// The xid of our last probe, whose reply is ours to swallow even if other input
    /// already proved the peer alive.
    probe_xid: Option<Xid>,
}

impl Channel {
    /// A controller-side channel for a connection accepted at `now`; its hello is already
    /// queued for [`poll_transmit`](Channel::poll_transmit).
    pub fn new(config: ChannelConfig, now: Instant) -> Channel {
        Channel::with_side(config, Side::Controller, None, now)
    }

    /// A switch-side channel (for emulated switches) that will report `features` and answer
    /// features, echo and barrier requests itself.
    pub fn switch(config: ChannelConfig, features: FeaturesReply, now: Instant) -> Channel {
        Channel::with_side(config, Side::Switch, Some(features), now)
    }

    fn with_side(
        config: ChannelConfig,
        side: Side,
        features: Option<FeaturesReply>,
        now: Instant,
    ) -> Channel {
        let mut ch = Channel {
            framer: Framer::new(config.max_message_len),
            handshake_deadline: now + config.handshake_timeout,
            config,
            side,
            state: State::Hello,
            rx_seen: 0,
            tx: BytesMut::new(),
            events: VecDeque::new(),
            pending: Pending::default(),
            next_xid: 1,
            features,
            features_xid: None,
            last_rx: now,
            probe: None,
            probe_xid: None,
        };
        let xid = ch.alloc_xid();
        ch.queue_control(&Message::new(xid, Body::Hello(Hello::of13())));
        ch
    }

    /// Where the connection stands.
    pub fn state(&self) -> State {
        self.state
    }

    /// Whether the connection is over.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// The switch's features, once the handshake is complete.
    pub fn features(&self) -> Option<&FeaturesReply> {
        self.features
            .as_ref()
            .filter(|_| self.state == State::Ready)
    }

    /// The switch's datapath id, once the handshake is complete.
    pub fn datapath_id(&self) -> Option<DatapathId> {
        self.features().map(|f| f.datapath_id)
    }

    /// Bytes queued for transmission; a runtime stops reading its socket while this is high.
    pub fn pending_transmit_bytes(&self) -> usize {
        self.tx.len()
    }

    /// Sent messages still awaiting a reply, an error or a barrier.
    pub fn pending_requests(&self) -> usize {
        self.pending.len()
    }

    // ---- Input ----

    /// Takes bytes received from the peer.
    pub fn handle_input(&mut self, bytes: &[u8], now: Instant) {
        if self.state == State::Closed {
            return;
        }
        self.framer.push(bytes);
        self.handle_received(now);
    }

    /// The receive buffer, for reading the socket straight into it (saving the copy of
    /// [`handle_input`](Channel::handle_input)); call
    /// [`handle_received`](Channel::handle_received) after appending.
    pub fn recv_buf(&mut self) -> &mut BytesMut {
        self.framer.buf_mut()
    }

    /// Processes the bytes appended to [`recv_buf`](Channel::recv_buf).
    pub fn handle_received(&mut self, now: Instant) {
        if self.state == State::Closed {
            self.framer.clear();
            return;
        }
        if self.framer.buffered().len() != self.rx_seen {
            // Any byte is a sign of life.
            self.last_rx = now;
            self.probe = None;
        }
        while self.state != State::Closed {
            match self.framer.next_frame() {
                Ok(Some(frame)) => self.handle_frame(frame),
                Ok(None) => break,
                Err(e) => {
                    let head = self.framer.buffered();
                    let xid = head
                        .get(4..8)
                        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                    let error = ErrorMsg::for_request(e.ofp_error(), head);
                    self.queue_error(Xid(xid), error);
                    self.close_with(CloseReason::Framing(e));
                }
            }
        }
        self.rx_seen = self.framer.buffered().len();
    }

    fn handle_frame(&mut self, frame: Bytes) {
        // The framer guarantees at least a header.
        let Ok((_, header)) = Header::parse(&frame) else {
            return;
        };
        if self.state == State::Hello {
            self.handle_first(header, frame);
            return;
        }
        match Message::decode(&frame) {
            Ok(msg) => self.dispatch(msg, frame.len()),
            // Never answer an error with an error: two confused peers would loop.
            Err(_) if header.msg_type == MsgType::Error => {}
            Err(e) => self.queue_error(header.xid, ErrorMsg::for_decode_error(&e, &frame)),
        }
    }

    /// The first message from the peer: its hello, negotiated by version bitmap.
    fn handle_first(&mut self, header: Header, frame: Bytes) {
        match header.msg_type {
            MsgType::Hello => {
                let peer_versions = hello::peer_versions(&header, &frame);
                if peer_versions & hello::OUR_VERSIONS == 0 {
                    let error = hello::incompatible(peer_versions, header.version);
                    self.queue_raw(&error);
                    self.close_with(CloseReason::VersionMismatch { peer_versions });
                    return;
                }
                match self.side {
                    Side::Controller => {
                        let xid = self.alloc_xid();
                        self.features_xid = Some(xid);
                        self.state = State::Features;
                        self.queue_control(&Message::new(xid, Body::FeaturesRequest));
                    }
                    Side::Switch => self.become_ready(),
                }
            }
            MsgType::Error => {
                // The peer refuses our hello (typically HELLO_FAILED, in its own version).
                let body = frame.slice(HEADER_LEN..);
                let parsed = complete(<ErrorMsg as Wire>::parse(Src::new(&frame), &body));
                let error = parsed.unwrap_or_else(|_| {
                    let code = ErrorCode::HelloFailed(HelloFailedCode::Incompatible);
                    ErrorMsg::new(code, body)
                });
                self.close_with(CloseReason::Rejected(error));
            }
            _ => {
                let code = ErrorCode::BadRequest(BadRequestCode::BadVersion);
                self.queue_error(header.xid, ErrorMsg::for_request(code, &frame));
                self.close_with(CloseReason::NoHello);
            }
        }
    }

    fn become_ready(&mut self) {
        self.state = State::Ready;
        if let Some(features) = self.features {
            self.push_event(Event::Ready { features });
        }
    }

    /// A well-formed message after the hello exchange.
    fn dispatch(&mut self, msg: Message, len: usize) {
        let xid = msg.xid;
        match msg.body {
            Body::EchoRequest(echo) => {
                self.queue_control(&Message::new(xid, Body::EchoReply(echo)));
                return;
            }
            Body::EchoReply(_) if self.probe_xid == Some(xid) => {
                // Liveness was already noted when the bytes arrived.
                self.probe_xid = None;
                return;
            }
            // A repeated hello changes nothing.
            Body::Hello(_) => return,
            _ => {}
        }
        if self.features_xid == Some(xid) {
            match msg.body {
                Body::FeaturesReply(features) => {
                    self.features_xid = None;
                    self.features = Some(features);
                    self.become_ready();
                }
                Body::Error(error) => self.close_with(CloseReason::Rejected(error)),
                body => self.push_event(Event::Message(Message::new(xid, body))),
            }
            return;
        }
        if let Side::Switch = self.side {
            match msg.body {
                Body::FeaturesRequest => {
                    if let Some(f) = self.features {
                        self.queue_control(&Message::new(xid, Body::FeaturesReply(f)));
                    }
                    return;
                }
                Body::BarrierRequest => {
                    self.events.push_back(Queued::BarrierReply(xid));
                    return;
                }
                _ => {}
            }
        }
        let outcome = if msg.msg_type() == MsgType::Error {
            self.pending.on_error(msg)
        } else if is_reply(msg.msg_type()) {
            self.pending
                .on_reply(msg, len, self.config.max_multipart_bytes)
        } else {
            Outcome::Unsolicited(msg)
        };
        match outcome {
            Outcome::Unsolicited(msg) => self.push_event(Event::Message(msg)),
            Outcome::Event(e) => self.push_event(e),
            Outcome::Absorbed => {}
        }
    }

    // ---- Timers ----

    /// The next instant at which [`handle_timeout`](Channel::handle_timeout) has work.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let keepalive = match (self.state, self.probe) {
            (State::Closed, _) => return None,
            (State::Hello, _) => None,
            (_, Some(sent)) => Some(sent + self.config.echo_timeout),
            (_, None) => Some(self.last_rx + self.config.echo_interval),
        };
        let handshake = (self.state != State::Ready).then_some(self.handshake_deadline);
        [keepalive, handshake, self.pending.next_deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Runs the timers due at `now`: handshake timeout, keepalive, request deadlines.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Closed {
            return;
        }
        if self.state != State::Ready && now >= self.handshake_deadline {
            self.close_with(CloseReason::HandshakeTimeout);
            return;
        }
        if self.state != State::Hello {
            match self.probe {
                Some(sent) if now >= sent + self.config.echo_timeout => {
                    self.close_with(CloseReason::PeerDead);
                    return;
                }
                None if now >= self.last_rx + self.config.echo_interval => {
                    let xid = self.alloc_xid();
                    let echo = Echo { data: Bytes::new() };
                    self.queue_control(&Message::new(xid, Body::EchoRequest(echo)));
                    self.probe = Some(now);
                    self.probe_xid = Some(xid);
                }
                _ => {}
            }
        }
        let mut expired = Vec::new();
        self.pending.expire(now, &mut expired);
        for e in expired {
            self.push_event(e);
        }
    }

    // ---- Output ----

    /// Sends a message that needs no tracking (its reply, if any, comes as
    /// [`Event::Message`]); returns its xid.
    pub fn send(&mut self, body: Body) -> Result<Xid, SendError> {
        self.check_open()?;
        let xid = self.alloc_xid();
        self.queue_user(&Message::new(xid, body))?;
        Ok(xid)
    }

    /// Sends a message with a chosen xid (e.g. a reply to the peer's request).
    pub fn send_message(&mut self, msg: &Message) -> Result<(), SendError> {
        self.check_open()?;
        self.queue_user(msg)
    }

    /// Sends a message that expects no reply (a flow-mod, group-mod, …) and remembers it
    /// until an `OFPT_ERROR` fails it ([`Event::RequestFailed`]) or a later barrier confirms
    /// it ([`Event::BarrierComplete`]).
    pub fn send_tracked(&mut self, body: Body) -> Result<Xid, SendError> {
        self.check_pending(1)?;
        let xid = self.alloc_xid();
        self.queue_user(&Message::new(xid, body))?;
        self.pending.add_tracked(xid);
        Ok(xid)
    }

    /// Sends a request whose reply comes as [`Event::Reply`] (or [`Event::RequestFailed`],
    /// or [`Event::RequestTimedOut`] after [`ChannelConfig::request_timeout`]).
    pub fn request(&mut self, body: Body, now: Instant) -> Result<Xid, SendError> {
        self.request_with_timeout(body, self.config.request_timeout, now)
    }

    /// [`request`](Channel::request) with its own deadline (`None`: wait forever).
    pub fn request_with_timeout(
        &mut self,
        body: Body,
        timeout: Option<Duration>,
        now: Instant,
    ) -> Result<Xid, SendError> {
        self.check_pending(1)?;
        let xid = self.alloc_xid();
        self.queue_user(&Message::new(xid, body))?;
        self.pending.add_request(xid, timeout.map(|t| now + t));
        Ok(xid)
    }

    /// Sends `OFPT_BARRIER_REQUEST`; its reply comes as [`Event::BarrierComplete`].
    pub fn barrier(&mut self, now: Instant) -> Result<Xid, SendError> {
        self.check_pending(2)?;
        let xid = self.alloc_xid();
        self.queue_user(&Message::new(xid, Body::BarrierRequest))?;
        let deadline = self.config.request_timeout.map(|t| now + t);
        self.pending.add_barrier(xid, deadline);
        Ok(xid)
    }

    /// Ends the connection from our side ([`Event::Closed`] with [`CloseReason::Local`]);
    /// bytes already queued can still be flushed.
    pub fn close(&mut self) {
        if self.state != State::Closed {
            self.close_with(CloseReason::Local);
        }
    }

    /// Everything queued for the peer, coalesced into one buffer.
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        (!self.tx.is_empty()).then(|| self.tx.split().freeze())
    }

    /// The next event for the application.
    pub fn poll_event(&mut self) -> Option<Event> {
        loop {
            let Some(item) = self.events.pop_front() else {
                // Drained: give the queue's room back (events are large and bursts make it
                // grow), so that an idle connection holds none.
                self.events = VecDeque::new();
                return None;
            };
            match item {
                Queued::Event(e) => return Some(e),
                Queued::BarrierReply(xid) => {
                    if self.state != State::Closed {
                        self.queue_control(&Message::new(xid, Body::BarrierReply));
                    }
                }
            }
        }
    }

    // ---- Internals ----

    fn alloc_xid(&mut self) -> Xid {
        let xid = Xid(self.next_xid);
        self.next_xid = self.next_xid.checked_add(1).unwrap_or(1);
        xid
    }

    fn check_open(&self) -> Result<(), SendError> {
        if self.state == State::Closed {
            return Err(SendError::Closed);
        }
        Ok(())
    }

    /// Checks that `factor` times the pending limit leaves room for one more entry.
    fn check_pending(&self, factor: usize) -> Result<(), SendError> {
        self.check_open()?;
        if self.pending.len() >= self.config.max_pending.saturating_mul(factor) {
            return Err(SendError::TooManyPending {
                limit: self.config.max_pending,
            });
        }
        Ok(())
    }

    /// Queues a message of the application's, within the transmit limit.
    fn queue_user(&mut self, msg: &Message) -> Result<(), SendError> {
        let limit = self.config.max_transmit_bytes;
        if self.tx.len() + msg.wire_len() > limit {
            return Err(SendError::Full {
                queued: self.tx.len(),
                limit,
            });
        }
        msg.encode_into(&mut self.tx)?;
        Ok(())
    }

    /// Queues a message the protocol requires, using the control reserve; drops it if even
    /// that is full (the peer is not reading, and will time out or retry).
    fn queue_control(&mut self, msg: &Message) {
        if self.tx.len() + msg.wire_len() <= self.config.max_transmit_bytes + CONTROL_RESERVE {
            // Control messages are small or echo a frame no longer than the maximum.
            let _ = msg.encode_into(&mut self.tx);
        }
    }

    fn queue_raw(&mut self, bytes: &[u8]) {
        if self.tx.len() + bytes.len() <= self.config.max_transmit_bytes + CONTROL_RESERVE {
            self.tx.extend_from_slice(bytes);
        }
    }

    fn queue_error(&mut self, xid: Xid, error: ErrorMsg) {
        self.queue_control(&Message::new(xid, Body::Error(error)));
    }

    fn push_event(&mut self, e: Event) {
        self.events.push_back(Queued::Event(e));
    }

    fn close_with(&mut self, reason: CloseReason) {
        self.state = State::Closed;
        self.framer.clear();
        self.pending.clear();
        self.features_xid = None;
        self.probe = None;
        self.push_event(Event::Closed { reason });
    }
}

/// Message types that answer a request (and so carry the request's xid).
fn is_reply(t: MsgType) -> bool {
    matches!(
        t,
        MsgType::EchoReply
            | MsgType::Experimenter
            | MsgType::FeaturesReply
            | MsgType::GetConfigReply
            | MsgType::MultipartReply
            | MsgType::BarrierReply
            | MsgType::QueueGetConfigReply
            | MsgType::RoleReply
            | MsgType::GetAsyncReply
    )
}

#[cfg(test)]
mod tests;
