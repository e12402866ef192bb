//! The commands in flight on one connection: which xid answers which caller, and the
//! batches (confirmed sends, bundles) whose outcome depends on several replies.

use std::collections::HashMap;
use std::time::Instant;

use bytes::Bytes;

use openflow::message::MAX_MESSAGE_LEN;
use openflow::msg::{
    BundleAdd, BundleControl, BundleCtrlType, BundleFailedCode, BundleFlags, ErrorMsg,
    Experimenter, bundlable,
};
use openflow::{Body, Channel, ChannelConfig, EncodeError, Message, SendError, Xid};
use tokio::sync::oneshot;

use super::handle::{ConfirmError, FailedMessage, RequestError};

/// Size of the experimenter and bundle headers a bundle add puts around its message.
const BUNDLE_ADD_OVERHEAD: usize = 24;

type BatchReply = oneshot::Sender<Result<(), ConfirmError>>;

/// What a sent xid is waiting for.
#[derive(Debug)]
enum Route {
    /// A caller's request.
    Request(oneshot::Sender<Result<Message, RequestError>>),
    /// A caller's barrier.
    Barrier(oneshot::Sender<Result<Vec<Xid>, RequestError>>),
    /// Message `index` of batch `batch`.
    Member { batch: u64, index: usize },
    /// The barrier that ends a confirmed batch.
    BatchBarrier { batch: u64 },
    /// The open request of a bundle.
    BundleOpen { batch: u64 },
    /// The barrier after a bundle's adds, which shows whether any add was refused.
    BundleBarrier { batch: u64 },
    /// The discard request of a bundle that will not be committed; its answer is moot.
    BundleDiscard,
    /// The commit request of a bundle.
    BundleCommit { batch: u64 },
}

/// A batch of messages whose outcome is reported together.
#[derive(Debug)]
struct Batch {
    reply: BatchReply,
    members: Vec<Xid>,
    failed: Vec<FailedMessage>,
    /// For a bundle: its id and flags.
    bundle: Option<(u32, BundleFlags)>,
    /// For a bundle: the error its open request drew.
    open_error: Option<ErrorMsg>,
}

/// Requests, barriers and batches awaiting the switch.
#[derive(Debug, Default)]
pub(super) struct Ops {
    routes: HashMap<Xid, Route>,
    batches: HashMap<u64, Batch>,
    next_batch: u64,
    next_bundle_id: u32,
}

impl Ops {
    /// Sends a caller's request.
    pub(super) fn request(
        &mut self,
        ch: &mut Channel,
        body: Body,
        reply: oneshot::Sender<Result<Message, RequestError>>,
        now: Instant,
    ) {
        match ch.request(body, now) {
            Ok(xid) => {
                self.routes.insert(xid, Route::Request(reply));
            }
            Err(e) => {
                let _ = reply.send(Err(e.into()));
            }
        }
    }

    /// Sends a caller's barrier.
    pub(super) fn barrier(
        &mut self,
        ch: &mut Channel,
        reply: oneshot::Sender<Result<Vec<Xid>, RequestError>>,
        now: Instant,
    ) {
        match ch.barrier(now) {
            Ok(xid) => {
                self.routes.insert(xid, Route::Barrier(reply));
            }
            Err(e) => {
                let _ = reply.send(Err(e.into()));
            }
        }
    }

    /// Sends tracked messages and a barrier; the reply waits for the barrier.
    pub(super) fn confirmed(
        &mut self,
        ch: &mut Channel,
        config: &ChannelConfig,
        bodies: Vec<Body>,
        reply: BatchReply,
        now: Instant,
    ) {
        let lens: Vec<usize> = bodies.iter().map(|b| 8 + b.wire_len()).collect();
        if let Err(e) = check_room(ch, config, &lens, bodies.len() + 1, &bodies) {
            let _ = reply.send(Err(e.into()));
            return;
        }
        let batch = self.new_batch(reply);
        for (index, body) in bodies.into_iter().enumerate() {
            match ch.send_tracked(body) {
                Ok(xid) => self.add_member(batch, index, xid),
                Err(e) => return self.abort(batch, e),
            }
        }
        match ch.barrier(now) {
            Ok(xid) => {
                self.routes.insert(xid, Route::BatchBarrier { batch });
            }
            Err(e) => self.abort(batch, e),
        }
    }

    /// Sends an atomic, ordered bundle: open and adds pipelined with a barrier; once the
    /// barrier shows every add accepted, the commit (otherwise a discard: OVS would commit
    /// the accepted rest).
    pub(super) fn bundle(
        &mut self,
        ch: &mut Channel,
        config: &ChannelConfig,
        bodies: Vec<Body>,
        reply: BatchReply,
        now: Instant,
    ) {
        if let Some((index, body)) = bodies
            .iter()
            .enumerate()
            .find(|(_, b)| !bundlable(b.msg_type()))
        {
            let msg_type = body.msg_type();
            let _ = reply.send(Err(ConfirmError::NotBundlable { index, msg_type }));
            return;
        }
        let lens: Vec<usize> = bodies
            .iter()
            .map(|b| 8 + b.wire_len() + BUNDLE_ADD_OVERHEAD)
            .collect();
        if let Err(e) = check_room(ch, config, &lens, 2, &bodies) {
            let _ = reply.send(Err(e.into()));
            return;
        }
        self.next_bundle_id = self.next_bundle_id.wrapping_add(1);
        let id = self.next_bundle_id;
        let flags = BundleFlags::ATOMIC | BundleFlags::ORDERED;
        let control = |t| {
            Body::Experimenter(Experimenter::BundleControl(BundleControl::new(
                id, t, flags,
            )))
        };
        let batch = self.new_batch(reply);
        if let Some(b) = self.batches.get_mut(&batch) {
            b.bundle = Some((id, flags));
        }
        let open = match ch.request(control(BundleCtrlType::OpenRequest), now) {
            Ok(xid) => xid,
            Err(e) => return self.abort(batch, e),
        };
        self.routes.insert(open, Route::BundleOpen { batch });
        // Adds carry the same xid inside and out (OVS reports a failed inner message by its
        // own xid). The channel hands out xids in sequence, so ones half the xid space away
        // from the open request's are not in use by anything pending.
        let base = open.0.wrapping_add(1 << 31);
        for (index, body) in bodies.into_iter().enumerate() {
            let xid = Xid(match base.wrapping_add(index as u32) {
                0 => 1,
                x => x,
            });
            let add = BundleAdd::new(id, flags, Message::new(xid, body)).into_message();
            if let Err(e) = ch.send_message(&add) {
                return self.abort(batch, e);
            }
            self.add_member(batch, index, xid);
        }
        match ch.barrier(now) {
            Ok(xid) => {
                self.routes.insert(xid, Route::BundleBarrier { batch });
            }
            Err(e) => self.abort(batch, e),
        }
    }

    /// Every add of a bundle has been seen: commit it, or discard it if any was refused.
    fn bundle_checked(&mut self, ch: &mut Channel, batch: u64, now: Instant) {
        let Some(b) = self.batches.get(&batch) else {
            return;
        };
        let Some((id, flags)) = b.bundle else {
            return;
        };
        let control = |t| {
            Body::Experimenter(Experimenter::BundleControl(BundleControl::new(
                id, t, flags,
            )))
        };
        if b.open_error.is_some() || !b.failed.is_empty() {
            if let Ok(xid) = ch.request(control(BundleCtrlType::DiscardRequest), now) {
                self.routes.insert(xid, Route::BundleDiscard);
            }
            let error = ErrorMsg::new(BundleFailedCode::MsgFailed.error_code(), Bytes::new());
            self.finish(batch, Some(error));
            return;
        }
        match ch.request(control(BundleCtrlType::CommitRequest), now) {
            Ok(xid) => {
                self.routes.insert(xid, Route::BundleCommit { batch });
            }
            Err(e) => self.abort(batch, e),
        }
    }

    /// A reply to something we sent; hands the message back if it was not ours.
    pub(super) fn on_reply(&mut self, msg: Message) -> Option<Message> {
        let Some(route) = self.routes.remove(&msg.xid) else {
            return Some(msg);
        };
        match route {
            Route::Request(reply) => {
                let _ = reply.send(Ok(msg));
            }
            Route::BundleOpen { batch } => {
                if !is_bundle_reply(&msg, BundleCtrlType::OpenReply)
                    && let Some(b) = self.batches.get_mut(&batch)
                {
                    b.open_error = Some(unexpected_error());
                }
            }
            Route::BundleDiscard => {}
            Route::BundleCommit { batch } => {
                if is_bundle_reply(&msg, BundleCtrlType::CommitReply) {
                    self.finish(batch, None);
                } else {
                    let e = RequestError::UnexpectedReply(msg.body.title().into_owned());
                    self.fail(batch, e);
                }
            }
            other => {
                // A barrier or member xid answered by a reply-type message: not ours to use.
                self.routes.insert(msg.xid, other);
                return Some(msg);
            }
        }
        self.release_if_idle();
        None
    }

    /// An `OFPT_ERROR` the channel matched to a request, tracked message or barrier, or an
    /// unsolicited one that may fail a bundle add; hands the error back if it was not ours.
    pub(super) fn on_error(&mut self, xid: Xid, error: ErrorMsg) -> Result<(), ErrorMsg> {
        let Some(route) = self.routes.remove(&xid) else {
            return Err(error);
        };
        match route {
            Route::Request(reply) => {
                let _ = reply.send(Err(RequestError::Rejected(error)));
            }
            Route::Barrier(reply) => {
                let _ = reply.send(Err(RequestError::Rejected(error)));
            }
            Route::Member { batch, index } => {
                if let Some(b) = self.batches.get_mut(&batch) {
                    b.failed.push(FailedMessage { index, xid, error });
                }
            }
            Route::BatchBarrier { batch } | Route::BundleBarrier { batch } => {
                self.fail(batch, RequestError::Rejected(error))
            }
            Route::BundleDiscard => {}
            Route::BundleOpen { batch } => {
                if let Some(b) = self.batches.get_mut(&batch) {
                    b.open_error = Some(error);
                }
            }
            Route::BundleCommit { batch } => self.finish(batch, Some(error)),
        }
        self.release_if_idle();
        Ok(())
    }

    /// A request or barrier of ours got no reply in time.
    pub(super) fn on_timeout(&mut self, xid: Xid) {
        match self.routes.remove(&xid) {
            Some(Route::Request(reply)) => {
                let _ = reply.send(Err(RequestError::TimedOut));
            }
            Some(Route::Barrier(reply)) => {
                let _ = reply.send(Err(RequestError::TimedOut));
            }
            Some(
                Route::BatchBarrier { batch }
                | Route::BundleBarrier { batch }
                | Route::BundleCommit { batch },
            ) => {
                self.fail(batch, RequestError::TimedOut);
            }
            // The commit's own deadline decides the bundle.
            Some(Route::BundleOpen { .. } | Route::Member { .. } | Route::BundleDiscard) | None => {
            }
        }
        self.release_if_idle();
    }

    /// A barrier completed; false if it was not ours.
    pub(super) fn on_barrier(
        &mut self,
        ch: &mut Channel,
        xid: Xid,
        confirmed: Vec<Xid>,
        now: Instant,
    ) -> bool {
        let ours = match self.routes.remove(&xid) {
            Some(Route::Barrier(reply)) => {
                let _ = reply.send(Ok(confirmed));
                true
            }
            Some(Route::BatchBarrier { batch }) => {
                self.finish(batch, None);
                true
            }
            Some(Route::BundleBarrier { batch }) => {
                self.bundle_checked(ch, batch, now);
                true
            }
            Some(other) => {
                self.routes.insert(xid, other);
                false
            }
            None => false,
        };
        self.release_if_idle();
        ours
    }

    /// Requests and batches still awaiting the switch.
    pub(super) fn len(&self) -> usize {
        self.routes.len()
    }

    /// Gives back the maps' room once nothing is awaited: a reconciliation's batch grows
    /// them to its size, and an idle connection should not keep that.
    fn release_if_idle(&mut self) {
        if self.routes.is_empty() {
            self.routes = HashMap::new();
        }
        if self.batches.is_empty() {
            self.batches = HashMap::new();
        }
    }

    fn new_batch(&mut self, reply: BatchReply) -> u64 {
        self.next_batch += 1;
        let batch = Batch {
            reply,
            members: Vec::new(),
            failed: Vec::new(),
            bundle: None,
            open_error: None,
        };
        self.batches.insert(self.next_batch, batch);
        self.next_batch
    }

    fn add_member(&mut self, batch: u64, index: usize, xid: Xid) {
        self.routes.insert(xid, Route::Member { batch, index });
        if let Some(b) = self.batches.get_mut(&batch) {
            b.members.push(xid);
        }
    }

    /// Ends a batch whose last reply arrived: `commit_error` is the bundle commit's error.
    fn finish(&mut self, batch: u64, commit_error: Option<ErrorMsg>) {
        let Some(b) = self.remove_batch(batch) else {
            return;
        };
        let result = match (b.open_error, commit_error) {
            (None, None) if b.failed.is_empty() => Ok(()),
            (None, None) => Err(ConfirmError::Rejected { failed: b.failed }),
            (Some(error), _) | (None, Some(error)) => Err(ConfirmError::BundleFailed {
                failed: b.failed,
                error,
            }),
        };
        let _ = b.reply.send(result);
    }

    fn fail(&mut self, batch: u64, e: RequestError) {
        if let Some(b) = self.remove_batch(batch) {
            let _ = b.reply.send(Err(e.into()));
        }
    }

    fn abort(&mut self, batch: u64, e: SendError) {
        self.fail(batch, e.into());
    }

    fn remove_batch(&mut self, batch: u64) -> Option<Batch> {
        let b = self.batches.remove(&batch)?;
        for xid in &b.members {
            self.routes.remove(xid);
        }
        self.routes.retain(|_, r| {
            !matches!(r, Route::BundleOpen { batch: x } | Route::BatchBarrier { batch: x }
                | Route::BundleBarrier { batch: x } | Route::BundleCommit { batch: x } if *x == batch)
        });
        Some(b)
    }
}

/// Checks that a batch of messages of `lens` bytes fits the channel's transmit queue and
/// that `extra_pending` more outstanding messages are allowed, before sending any of it.
fn check_room(
    ch: &Channel,
    config: &ChannelConfig,
    lens: &[usize],
    extra_pending: usize,
    bodies: &[Body],
) -> Result<(), RequestError> {
    if let Some((i, &len)) = lens.iter().enumerate().find(|(_, l)| **l > MAX_MESSAGE_LEN) {
        let msg_type = bodies[i].msg_type();
        return Err(SendError::Encode(EncodeError::TooLong { msg_type, len }).into());
    }
    let queued = ch.pending_transmit_bytes();
    let total: usize = lens.iter().sum::<usize>() + 64;
    if queued + total > config.max_transmit_bytes {
        let limit = config.max_transmit_bytes;
        return Err(SendError::Full { queued, limit }.into());
    }
    if ch.pending_requests() + extra_pending > config.max_pending {
        let limit = config.max_pending;
        return Err(SendError::TooManyPending { limit }.into());
    }
    Ok(())
}

fn is_bundle_reply(msg: &Message, want: BundleCtrlType) -> bool {
    matches!(&msg.body, Body::Experimenter(Experimenter::BundleControl(c)) if c.ctrl_type == want)
}

/// The error recorded for a bundle open answered by something other than an open reply.
fn unexpected_error() -> ErrorMsg {
    use openflow::errcode::{BadRequestCode, ErrorCode};
    ErrorMsg::new(
        ErrorCode::BadRequest(BadRequestCode::BadType),
        bytes::Bytes::new(),
    )
}

#[cfg(test)]
mod tests {
    use openflow::msg::{ConfigFlags, SwitchConfig};

    use super::*;

    #[test]
    fn nothing_awaited_holds_no_memory() {
        let now = Instant::now();
        let config = ChannelConfig::default();
        let mut ch = Channel::new(config.clone(), now);
        let mut ops = Ops::default();
        let body = Body::SetConfig(SwitchConfig {
            flags: ConfigFlags::FRAG_NORMAL,
            miss_send_len: SwitchConfig::NO_BUFFER,
        });
        let (reply, mut done) = oneshot::channel();
        ops.confirmed(&mut ch, &config, vec![body; 20], reply, now);
        assert_eq!(ops.len(), 21);
        let barrier = ops
            .routes
            .iter()
            .find_map(|(xid, r)| matches!(r, Route::BatchBarrier { .. }).then_some(*xid))
            .expect("a barrier");
        assert!(ops.on_barrier(&mut ch, barrier, Vec::new(), now));
        assert_eq!(done.try_recv(), Ok(Ok(())));
        assert_eq!(ops.len(), 0);
        assert_eq!(ops.routes.capacity(), 0);
        assert_eq!(ops.batches.capacity(), 0);
    }
}
