//! One task per switch connection: a thin loop over the socket, the command queue, the
//! event queue and the channel's timer that pumps `openflow::Channel`, in a tracing span
//! keyed by the peer and, once known, the datapath id.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Buf, Bytes};
use openflow::msg::{
    AsyncConfig, ConfigFlags, FeaturesReply, FlowRemovedMask, MultipartReplyBody, MultipartRequest,
    MultipartRequestBody, Port, SwitchConfig,
};
use openflow::{Body, Channel, DatapathId, Event, Message, Xid};
use tokio::sync::{mpsc, oneshot, watch};
use tracing::Instrument;

use super::Shared;
use super::event::{DisconnectReason, PeerAddr, SwitchEvent, SwitchEventKind, describe_error};
use super::handle::{Batch, Command, SwitchHandle};
use super::ops::Ops;
use super::registry::Claim;
use super::stream::SwitchStream;

/// Most bytes taken from a socket in one read.
const READ_CHUNK: usize = 64 * 1024;

thread_local! {
    /// Where each worker thread reads sockets into: the channel then copies only the bytes
    /// that arrived, so a connection's receive buffer is sized by its traffic (an idle
    /// switch's echo costs a few bytes, not a read-sized buffer per connection).
    static READ_SCRATCH: RefCell<Box<[u8]>> = RefCell::new(vec![0; READ_CHUNK].into_boxed_slice());
}
/// Time given to queued bytes (a final `OFPT_ERROR`) to leave when a connection ends.
const FINAL_FLUSH: Duration = Duration::from_secs(1);
/// Most queued commands handled in one go before the session writes and looks at its other
/// work again.
const COMMAND_BURST: usize = 256;
/// Longest wait for a replaced connection to announce its end before the new one is
/// announced anyway.
const HANDOVER_WAIT: Duration = Duration::from_secs(5);

/// Where the connection stands beyond the channel's own handshake.
#[derive(Debug)]
enum Phase {
    /// Hello and features (the channel's handshake).
    Handshake,
    /// Features known; port descriptions and configuration outstanding.
    Configuring {
        features: FeaturesReply,
        port_desc: Xid,
        barrier: Xid,
        /// The SET_CONFIG and SET_ASYNC xids, whose failure is worth a warning.
        config: [Xid; 2],
        ports: Option<Vec<Port>>,
        barrier_done: bool,
        deadline: Instant,
    },
    /// Announced to the runtime.
    Running(DatapathId),
}

/// Runs one connection to its end.
///
/// Not an `async fn`, and the session is borrowed, never moved, by what it awaits: an async
/// fn stores its arguments twice (rust-lang/rust#62958), and each copy of the session in the
/// task's future costs every connection about a kilobyte.
pub(super) fn run(
    shared: Arc<Shared>,
    stream: SwitchStream,
    peer: PeerAddr,
    id: u64,
) -> impl Future<Output = ()> + Send {
    let span = tracing::info_span!("switch", %peer, dpid = tracing::field::Empty);
    let now = Instant::now();
    let (cmd_tx, cmd_rx) = mpsc::channel(shared.config.command_queue.max(1));
    let (done_tx, _) = watch::channel(false);
    let mut session = Session {
        ch: Channel::new(shared.config.channel.clone(), now),
        shutdown: shared.shutdown.clone(),
        shared,
        id,
        peer,
        stream,
        out: Bytes::new(),
        stall_since: None,
        phase: Phase::Handshake,
        ops: Ops::default(),
        outbox: VecDeque::new(),
        early: Vec::new(),
        cmd_rx,
        cmd_tx: Some(cmd_tx),
        commands_open: true,
        kick: None,
        shutdown_seen: false,
        done: done_tx,
        end: None,
        span: span.clone(),
    };
    async move {
        let reason = session.pump().await;
        session.finish(reason).await;
    }
    .instrument(span)
}

struct Session {
    shared: Arc<Shared>,
    id: u64,
    peer: PeerAddr,
    stream: SwitchStream,
    ch: Channel,
    /// Bytes being written: everything the channel had queued, coalesced.
    out: Bytes,
    /// Since when `out` has been waiting without the socket taking a byte.
    stall_since: Option<Instant>,
    phase: Phase,
    ops: Ops,
    /// Control events waiting for room in the event queue.
    outbox: VecDeque<SwitchEvent>,
    /// Messages received before the switch was announced.
    early: Vec<Message>,
    cmd_rx: mpsc::Receiver<Command>,
    /// The sender given to the switch's handle when it is announced.
    cmd_tx: Option<mpsc::Sender<Command>>,
    commands_open: bool,
    /// Fires when another connection replaces this one.
    kick: Option<oneshot::Receiver<PeerAddr>>,
    shutdown: watch::Receiver<bool>,
    shutdown_seen: bool,
    /// Set once this connection's disconnection has been announced.
    done: watch::Sender<bool>,
    /// Why the connection ends, once decided.
    end: Option<DisconnectReason>,
    span: tracing::Span,
}

impl Session {
    /// The loop: hand channel output to the socket and channel events to their owners,
    /// then wait for whichever of socket, commands, event queue, timer comes first.
    async fn pump(&mut self) -> DisconnectReason {
        loop {
            let now = Instant::now();
            while let Some(ev) = self.ch.poll_event() {
                self.on_channel_event(ev, now).await;
            }
            if let Some(reason) = self.end.take() {
                return reason;
            }
            if self.out.is_empty()
                && let Some(bytes) = self.ch.poll_transmit()
            {
                self.out = bytes;
            }
            if self.out.is_empty() {
                self.stall_since = None;
            } else if self.stall_since.is_none() {
                self.stall_since = Some(now);
            }

            let config = &self.shared.config;
            let queued = self.out.len() + self.ch.pending_transmit_bytes();
            let congested = queued > config.transmit_high_water;
            let can_read = !congested && self.outbox.len() < config.control_backlog;
            let can_command =
                !congested && self.commands_open && matches!(self.phase, Phase::Running(_));
            let deadline = self.next_deadline();
            let wake = tokio::time::Instant::from_std(deadline.unwrap_or(now));
            let stream = &self.stream;
            let kick = &mut self.kick;
            let shutdown = &mut self.shutdown;
            // Its own reference, as a reserved slot borrows the queue across the handler.
            let shared = self.shared.clone();
            let events = &shared.events;

            tokio::select! {
                r = stream.readable(), if can_read => {
                    if let Err(e) = io_reason(r).and_then(|()| self.read(Instant::now())) {
                        return e;
                    }
                }
                r = stream.writable(), if !self.out.is_empty() => {
                    if let Err(e) = io_reason(r).and_then(|()| self.write(Instant::now())) {
                        return e;
                    }
                }
                cmd = self.cmd_rx.recv(), if can_command => match cmd {
                    Some(cmd) => {
                        let now = Instant::now();
                        self.on_command(cmd, now);
                        // Take what else is queued now, so it leaves in one write.
                        self.drain_commands(now);
                    }
                    None => self.commands_open = false,
                },
                permit = events.reserve(), if !self.outbox.is_empty() => match permit {
                    Ok(permit) => {
                        if let Some(ev) = self.outbox.pop_front() {
                            permit.send(ev);
                        }
                    }
                    // The runtime is gone: so is the point of this connection.
                    Err(_) => return DisconnectReason::Local,
                },
                new_peer = async { kick.as_mut().expect("guarded").await }, if kick.is_some() => {
                    self.kick = None;
                    if let Ok(new_peer) = new_peer {
                        self.close_with(DisconnectReason::Replaced { new_peer: new_peer.to_string() });
                    }
                }
                _ = shutdown.changed(), if !self.shutdown_seen => {
                    self.shutdown_seen = true;
                    self.close_with(DisconnectReason::Local);
                }
                () = tokio::time::sleep_until(wake), if deadline.is_some() => {
                    self.on_timer(Instant::now());
                }
            }
        }
    }

    /// Handles commands already queued, up to [`COMMAND_BURST`] and while the transmit
    /// backlog stays under its high-water mark.
    fn drain_commands(&mut self, now: Instant) {
        for _ in 0..COMMAND_BURST {
            let queued = self.out.len() + self.ch.pending_transmit_bytes();
            if queued > self.shared.config.transmit_high_water || self.end.is_some() {
                return;
            }
            match self.cmd_rx.try_recv() {
                Ok(cmd) => self.on_command(cmd, now),
                Err(_) => return,
            }
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        let configure = match &self.phase {
            Phase::Configuring { deadline, .. } => Some(*deadline),
            _ => None,
        };
        let stall = self
            .stall_since
            .map(|t| t + self.shared.config.write_stall_timeout);
        [self.ch.poll_timeout(), configure, stall]
            .into_iter()
            .flatten()
            .min()
    }

    fn read(&mut self, now: Instant) -> Result<(), DisconnectReason> {
        READ_SCRATCH.with_borrow_mut(|scratch| match self.stream.try_read(scratch) {
            Ok(0) => Err(DisconnectReason::PeerClosed),
            Ok(n) => {
                self.ch.handle_input(&scratch[..n], now);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
            Err(e) => Err(DisconnectReason::Io(e.to_string())),
        })
    }

    fn write(&mut self, now: Instant) -> Result<(), DisconnectReason> {
        match self.stream.try_write(&self.out) {
            Ok(n) => {
                self.out.advance(n);
                self.stall_since = (!self.out.is_empty()).then_some(now);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
            Err(e) => Err(DisconnectReason::Io(e.to_string())),
        }
    }

    fn on_timer(&mut self, now: Instant) {
        self.ch.handle_timeout(now);
        if let Phase::Configuring { deadline, .. } = &self.phase
            && now >= *deadline
        {
            self.close_with(DisconnectReason::ConfigureFailed(
                "no port descriptions or barrier reply in time".into(),
            ));
        }
        if let Some(since) = self.stall_since
            && now >= since + self.shared.config.write_stall_timeout
        {
            let queued = self.out.len() + self.ch.pending_transmit_bytes();
            self.close_with(DisconnectReason::WriteStalled { queued });
        }
    }

    /// Decides the end of the connection (the first reason wins) and closes the channel.
    fn close_with(&mut self, reason: DisconnectReason) {
        self.end.get_or_insert(reason);
        self.ch.close();
    }

    fn on_command(&mut self, cmd: Command, now: Instant) {
        let config = &self.shared.config.channel;
        match cmd {
            Command::Send(body) => {
                if let Err(e) = self.ch.send(*body) {
                    tracing::warn!("dropping a message for the switch: {e}");
                }
            }
            Command::SendAll(bodies) => {
                for body in bodies {
                    if let Err(e) = self.ch.send(body) {
                        tracing::warn!("dropping a message for the switch: {e}");
                    }
                }
            }
            Command::Request { body, reply } => self.ops.request(&mut self.ch, *body, reply, now),
            Command::Barrier { reply } => self.ops.barrier(&mut self.ch, reply, now),
            Command::Confirmed(batch) => {
                let Batch { bodies, reply } = *batch;
                self.ops.confirmed(&mut self.ch, config, bodies, reply, now)
            }
            Command::Bundle(batch) => {
                let Batch { bodies, reply } = *batch;
                self.ops.bundle(&mut self.ch, config, bodies, reply, now)
            }
            Command::Close => self.close_with(DisconnectReason::Local),
        }
    }

    async fn on_channel_event(&mut self, ev: Event, now: Instant) {
        match ev {
            Event::Ready { features } => self.configure(features, now),
            Event::Reply(msg) => {
                if let Phase::Configuring {
                    port_desc, ports, ..
                } = &mut self.phase
                    && msg.xid == *port_desc
                {
                    match msg.body {
                        Body::MultipartReply(r) => match r.body {
                            MultipartReplyBody::PortDesc(p) => *ports = Some(p),
                            other => self.close_with(DisconnectReason::ConfigureFailed(format!(
                                "port description request answered with {:?}",
                                other.mp_type()
                            ))),
                        },
                        other => self.close_with(DisconnectReason::ConfigureFailed(format!(
                            "port description request answered with {}",
                            other.title()
                        ))),
                    }
                } else if let Some(msg) = self.ops.on_reply(msg) {
                    tracing::debug!(
                        xid = msg.xid.0,
                        "reply to nothing we wait for: {}",
                        msg.body.title()
                    );
                }
            }
            Event::RequestFailed { xid, error } => {
                if let Phase::Configuring {
                    port_desc,
                    barrier,
                    config,
                    ..
                } = &self.phase
                {
                    if xid == *port_desc || xid == *barrier {
                        let what = describe_error(&error);
                        self.close_with(DisconnectReason::ConfigureFailed(format!(
                            "the switch refused the port description request or barrier: {what}"
                        )));
                        return;
                    }
                    if config.contains(&xid) {
                        tracing::warn!(
                            "the switch refused SET_CONFIG or SET_ASYNC ({}): packet-ins or \
                             port status may not arrive as configured",
                            describe_error(&error)
                        );
                        return;
                    }
                }
                if let Err(error) = self.ops.on_error(xid, error) {
                    tracing::debug!(
                        xid = xid.0,
                        "error for a forgotten request: {}",
                        describe_error(&error)
                    );
                }
            }
            Event::RequestTimedOut { xid } => {
                if let Phase::Configuring {
                    port_desc, barrier, ..
                } = &self.phase
                    && (xid == *port_desc || xid == *barrier)
                {
                    self.close_with(DisconnectReason::ConfigureFailed(
                        "port description or barrier timed out".into(),
                    ));
                    return;
                }
                self.ops.on_timeout(xid);
            }
            Event::BarrierComplete { xid, confirmed } => {
                if let Phase::Configuring {
                    barrier,
                    barrier_done,
                    ..
                } = &mut self.phase
                    && xid == *barrier
                {
                    *barrier_done = true;
                } else {
                    self.ops.on_barrier(&mut self.ch, xid, confirmed, now);
                }
            }
            Event::Message(msg) => self.on_message(msg, now),
            Event::Closed { reason } => {
                self.end.get_or_insert(DisconnectReason::Channel(reason));
            }
        }
        if let Phase::Configuring {
            ports: Some(_),
            barrier_done: true,
            ..
        } = &self.phase
        {
            self.announce(now).await;
        }
    }

    /// After the features reply: ask for the ports, make packet-ins carry whole packets
    /// (`miss_send_len` 0xffff) and ask for every packet-in, port status and flow removed
    /// reason, then a barrier that proves the configuration applied.
    fn configure(&mut self, features: FeaturesReply, now: Instant) {
        let dpid = features.datapath_id;
        self.span.record("dpid", tracing::field::display(dpid));
        if features.auxiliary_id != 0 {
            self.close_with(DisconnectReason::ConfigureFailed(format!(
                "auxiliary connection {} is not supported",
                features.auxiliary_id
            )));
            return;
        }
        let switch_config = SwitchConfig {
            flags: ConfigFlags::FRAG_NORMAL,
            miss_send_len: SwitchConfig::NO_BUFFER,
        };
        let mut async_config = AsyncConfig::switch_default();
        let removed = async_config.flow_removed(false) | FlowRemovedMask::METER_DELETE;
        async_config.set_flow_removed(false, removed);
        let port_desc_req = MultipartRequest::new(MultipartRequestBody::PortDesc);
        let sent = (|| {
            let c = self.ch.send_tracked(Body::SetConfig(switch_config))?;
            let a = self.ch.send_tracked(Body::SetAsync(async_config))?;
            let p = self
                .ch
                .request(Body::MultipartRequest(port_desc_req), now)?;
            let b = self.ch.barrier(now)?;
            Ok::<_, openflow::SendError>(([c, a], p, b))
        })();
        match sent {
            Ok((config, port_desc, barrier)) => {
                tracing::debug!(
                    n_tables = features.n_tables,
                    "features received; configuring"
                );
                self.phase = Phase::Configuring {
                    features,
                    port_desc,
                    barrier,
                    config,
                    ports: None,
                    barrier_done: false,
                    deadline: now + self.shared.config.configure_timeout,
                };
            }
            Err(e) => self.close_with(DisconnectReason::ConfigureFailed(e.to_string())),
        }
    }

    /// Claims the datapath id under the duplicate policy and announces the switch.
    async fn announce(&mut self, now: Instant) {
        let Phase::Configuring {
            features, ports, ..
        } = std::mem::replace(&mut self.phase, Phase::Handshake)
        else {
            return;
        };
        let ports = ports.unwrap_or_default();
        let dpid = features.datapath_id;
        let (kick_tx, kick_rx) = oneshot::channel();
        let claim = self.shared.registry.claim(
            dpid,
            self.id,
            &self.peer,
            kick_tx,
            self.done.subscribe(),
            now,
        );
        match claim {
            Claim::Granted => {}
            Claim::Replaced { old_peer, mut done } => {
                // The old connection's Disconnected must reach the runtime before our
                // Connected, or the runtime would drop the switch we are announcing. Boxed:
                // this rare wait would otherwise enlarge every connection's future.
                let wait = tokio::time::timeout(HANDOVER_WAIT, done.wait_for(|d| *d));
                let waited = Box::pin(wait).await;
                if waited.is_err() {
                    tracing::warn!(old = %old_peer, "replaced connection did not end in time");
                }
            }
            Claim::Rejected { old_peer } => {
                self.close_with(DisconnectReason::ConfigureFailed(format!(
                    "datapath id already connected from {old_peer}"
                )));
                return;
            }
        }
        self.kick = Some(kick_rx);
        self.phase = Phase::Running(dpid);
        let Some(commands) = self.cmd_tx.take() else {
            return;
        };
        tracing::info!(
            ports = ports.len(),
            n_tables = features.n_tables,
            "switch connected"
        );
        let handle = SwitchHandle::new(features, self.peer.clone(), commands);
        self.outbox.push_back(SwitchEvent {
            dpid,
            kind: SwitchEventKind::Connected {
                features,
                ports,
                handle,
            },
        });
        for msg in std::mem::take(&mut self.early) {
            self.outbox.push_back(SwitchEvent {
                dpid,
                kind: SwitchEventKind::Message(msg),
            });
        }
    }

    fn on_message(&mut self, msg: Message, now: Instant) {
        let msg = match msg.body {
            Body::Error(error) => match self.ops.on_error(msg.xid, error) {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(
                        xid = msg.xid.0,
                        "switch sent an error: {}",
                        describe_error(&error)
                    );
                    Message::new(msg.xid, Body::Error(error))
                }
            },
            body => Message::new(msg.xid, body),
        };
        let Phase::Running(dpid) = self.phase else {
            if !matches!(msg.body, Body::PacketIn(_))
                && self.early.len() < self.shared.config.control_backlog
            {
                self.early.push(msg);
            } else {
                tracing::debug!(
                    "dropping {} received before the switch was configured",
                    msg.body.title()
                );
            }
            return;
        };
        let event = SwitchEvent {
            dpid,
            kind: SwitchEventKind::Message(msg),
        };
        let is_packet_in = matches!(
            &event.kind,
            SwitchEventKind::Message(Message {
                body: Body::PacketIn(_),
                ..
            })
        );
        if !is_packet_in {
            self.outbox.push_back(event);
            return;
        }
        // Packet-ins go straight to the queue. Behind a control event still waiting (the
        // announcement of the switch, right after it connects) they wait too, in order, up to
        // half the control backlog; when the queue is full they are dropped (under overload
        // the switch sends the next packet anyway).
        if !self.outbox.is_empty() {
            if self.outbox.len() < self.shared.config.control_backlog / 2 {
                self.outbox.push_back(event);
            } else {
                self.shared.drops.drop_packet_in(dpid, now);
            }
        } else if self.shared.events.try_send(event).is_err() {
            self.shared.drops.drop_packet_in(dpid, now);
        }
    }

    /// Sends what is still queued (a final error), announces the end, releases the id.
    async fn finish(&mut self, reason: DisconnectReason) {
        let flush = async {
            loop {
                if self.out.is_empty() {
                    match self.ch.poll_transmit() {
                        Some(b) => self.out = b,
                        None => break,
                    }
                }
                if self.stream.writable().await.is_err() {
                    break;
                }
                match self.stream.try_write(&self.out) {
                    Ok(n) => self.out.advance(n),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(_) => break,
                }
            }
        };
        let _ = tokio::time::timeout(FINAL_FLUSH, flush).await;
        if let Phase::Running(dpid) = self.phase {
            tracing::warn!(%reason, pending_requests = self.ops.len(), "switch disconnected");
            self.shared.registry.release(dpid, self.id);
            let events = &self.shared.events;
            for ev in self.outbox.drain(..) {
                if events.send(ev).await.is_err() {
                    break;
                }
            }
            let kind = SwitchEventKind::Disconnected { reason };
            let _ = events.send(SwitchEvent { dpid, kind }).await;
        } else {
            tracing::info!(%reason, "connection closed before the switch was announced");
        }
        self.done.send_replace(true);
    }
}

fn io_reason(r: io::Result<()>) -> Result<(), DisconnectReason> {
    r.map_err(|e| DisconnectReason::Io(e.to_string()))
}
