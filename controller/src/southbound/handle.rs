//! The controller's side of one switch connection: commands sent to its task over a bounded
//! queue, each answered over its own one-shot channel.

use openflow::msg::{
    FeaturesReply, FlowStats, FlowStatsRequest, GroupDesc, MeterConfig, MeterMultipartRequest,
    MultipartReplyBody, MultipartRequest, MultipartRequestBody, Port,
};
use openflow::{Body, DatapathId, Message, MeterId, MsgType, SendError, Xid};
use tokio::sync::{mpsc, oneshot};

use openflow::msg::ErrorMsg;

/// Why a command to a switch failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The switch is disconnected (or disconnected before answering).
    #[error("switch {0} is disconnected")]
    Disconnected(DatapathId),
    /// The switch's command queue is full: it is not keeping up.
    #[error("command queue of switch {0} is full")]
    QueueFull(DatapathId),
    /// The OpenFlow channel refused the message (transmit queue full, too many outstanding
    /// requests, or the message cannot be encoded).
    #[error(transparent)]
    Send(#[from] SendError),
    /// The switch answered with `OFPT_ERROR`.
    #[error("switch refused the request: {}", super::event::describe_error(.0))]
    Rejected(ErrorMsg),
    /// No answer before the request deadline.
    #[error("no reply before the request deadline")]
    TimedOut,
    /// The switch answered with a message of another kind than asked.
    #[error("unexpected reply: {0}")]
    UnexpectedReply(String),
}

/// One message of a batch that the switch refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedMessage {
    /// Its position in the batch.
    pub index: usize,
    /// The xid it was sent with.
    pub xid: Xid,
    /// The switch's `OFPT_ERROR`.
    pub error: ErrorMsg,
}

/// Why a confirmed batch or a bundle did not apply cleanly.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfirmError {
    /// The switch refused these messages of a confirmed batch; the others were applied.
    #[error("{} message(s) refused by the switch", .failed.len())]
    Rejected {
        /// The refused messages, in send order.
        failed: Vec<FailedMessage>,
    },
    /// The bundle failed and nothing of it was applied.
    #[error("bundle failed: {}", super::event::describe_error(.error))]
    BundleFailed {
        /// The messages the switch refused (at add or commit time).
        failed: Vec<FailedMessage>,
        /// The error of the bundle open or commit.
        error: ErrorMsg,
    },
    /// A message cannot go in a bundle (only flow, group and port mods and packet-outs).
    #[error("message {index} ({msg_type}) cannot be bundled")]
    NotBundlable {
        /// Its position in the batch.
        index: usize,
        /// Its type.
        msg_type: MsgType,
    },
    /// The batch could not be sent or confirmed.
    #[error(transparent)]
    Request(#[from] RequestError),
}

/// A command to a switch's task.
///
/// Kept small (24 bytes, not the 136 of an inline [`Body`]): the command queue allocates
/// room for 32 commands up front, which every connected switch holds even when idle.
#[derive(Debug)]
pub(super) enum Command {
    /// Send without tracking.
    Send(Box<Body>),
    /// Send several, in order, without tracking.
    SendAll(Box<[Body]>),
    /// Send and wait for the reply.
    Request {
        body: Box<Body>,
        reply: oneshot::Sender<Result<Message, RequestError>>,
    },
    /// Send a barrier; answer with the tracked messages it confirmed.
    Barrier {
        reply: oneshot::Sender<Result<Vec<Xid>, RequestError>>,
    },
    /// Send tracked messages then a barrier.
    Confirmed(Box<Batch>),
    /// Send the messages as one atomic, ordered bundle.
    Bundle(Box<Batch>),
    /// Close the connection.
    Close,
}

/// Messages to send together, and where to say how it went.
#[derive(Debug)]
pub(super) struct Batch {
    pub(super) bodies: Vec<Body>,
    pub(super) reply: oneshot::Sender<Result<(), ConfirmError>>,
}

/// Commands to one connected switch; cheap to clone.
#[derive(Clone, Debug)]
pub struct SwitchHandle {
    features: FeaturesReply,
    peer: super::PeerAddr,
    commands: mpsc::Sender<Command>,
}

impl SwitchHandle {
    /// A handle to the connection whose task reads `commands`.
    pub(super) fn new(
        features: FeaturesReply,
        peer: super::PeerAddr,
        commands: mpsc::Sender<Command>,
    ) -> SwitchHandle {
        SwitchHandle {
            features,
            peer,
            commands,
        }
    }

    /// Where the switch connected from.
    pub fn peer(&self) -> &super::PeerAddr {
        &self.peer
    }

    /// The switch's datapath id.
    pub fn dpid(&self) -> DatapathId {
        self.features.datapath_id
    }

    /// The switch's `OFPT_FEATURES_REPLY`.
    pub fn features(&self) -> &FeaturesReply {
        &self.features
    }

    /// Whether the connection is over.
    pub fn is_closed(&self) -> bool {
        self.commands.is_closed()
    }

    /// Sends a message without waiting (its reply or error, if any, arrives as an event);
    /// fails at once if the switch is gone or its queue is full.
    pub fn send(&self, body: Body) -> Result<(), RequestError> {
        self.try_command(Command::Send(Box::new(body)))
    }

    /// Queues messages to send in order, untracked, as one entry of the switch's queue (so a
    /// batch costs one queue operation); fails like [`send`](Self::send), for all of them.
    pub fn send_all(&self, bodies: Vec<Body>) -> Result<(), RequestError> {
        self.try_command(Command::SendAll(bodies.into_boxed_slice()))
    }

    /// Queues the messages, then a barrier, at once (so they keep their place before
    /// anything queued after this call); the receiver says how it went, as
    /// [`send_confirmed`](Self::send_confirmed) would. Fails at once like
    /// [`send_all`](Self::send_all).
    pub fn send_confirmed_now(
        &self,
        bodies: Vec<Body>,
    ) -> Result<oneshot::Receiver<Result<(), ConfirmError>>, RequestError> {
        let (reply, rx) = oneshot::channel();
        self.try_command(Command::Confirmed(Box::new(Batch { bodies, reply })))?;
        Ok(rx)
    }

    /// Queues the messages untracked, then a barrier, at once; the receiver resolves when
    /// the barrier is answered (everything before it was processed). Fails at once like
    /// [`send_all`](Self::send_all).
    pub fn send_all_then_barrier(
        &self,
        bodies: Vec<Body>,
    ) -> Result<oneshot::Receiver<Result<Vec<Xid>, RequestError>>, RequestError> {
        if !bodies.is_empty() {
            self.send_all(bodies)?;
        }
        let (reply, rx) = oneshot::channel();
        self.try_command(Command::Barrier { reply })?;
        Ok(rx)
    }

    fn try_command(&self, cmd: Command) -> Result<(), RequestError> {
        self.commands.try_send(cmd).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => RequestError::QueueFull(self.dpid()),
            mpsc::error::TrySendError::Closed(_) => RequestError::Disconnected(self.dpid()),
        })
    }

    /// Sends a request and waits for its reply (a multipart reply arrives whole) or error.
    pub async fn request(&self, body: Body) -> Result<Message, RequestError> {
        let (reply, rx) = oneshot::channel();
        let body = Box::new(body);
        self.call(Command::Request { body, reply }, rx).await?
    }

    /// Sends a barrier and waits for it; returns the xids of the messages sent with
    /// [`send_confirmed`](Self::send_confirmed) that it confirmed.
    pub async fn barrier(&self) -> Result<Vec<Xid>, RequestError> {
        let (reply, rx) = oneshot::channel();
        self.call(Command::Barrier { reply }, rx).await?
    }

    /// Sends the messages, then a barrier; succeeds when the switch applied them all, or
    /// names those it refused (the others were applied).
    pub async fn send_confirmed(&self, bodies: Vec<Body>) -> Result<(), ConfirmError> {
        let (reply, rx) = oneshot::channel();
        self.call(Command::Confirmed(Box::new(Batch { bodies, reply })), rx)
            .await?
    }

    /// Applies the messages as one ONF bundle (OpenFlow 1.3 extension), atomically and in
    /// order: all of them or none.
    pub async fn bundle(&self, bodies: Vec<Body>) -> Result<(), ConfirmError> {
        let (reply, rx) = oneshot::channel();
        self.call(Command::Bundle(Box::new(Batch { bodies, reply })), rx)
            .await?
    }

    /// Every flow of every table.
    pub async fn dump_flows(&self) -> Result<Vec<FlowStats>, RequestError> {
        let req = MultipartRequestBody::Flow(FlowStatsRequest::default());
        match self.multipart(req).await? {
            MultipartReplyBody::Flow(flows) => Ok(flows),
            other => Err(unexpected(&other)),
        }
    }

    /// Every group's description.
    pub async fn dump_groups(&self) -> Result<Vec<GroupDesc>, RequestError> {
        match self.multipart(MultipartRequestBody::GroupDesc).await? {
            MultipartReplyBody::GroupDesc(groups) => Ok(groups),
            other => Err(unexpected(&other)),
        }
    }

    /// Every meter's configuration.
    pub async fn dump_meters(&self) -> Result<Vec<MeterConfig>, RequestError> {
        let all = MeterMultipartRequest {
            meter_id: MeterId::ALL,
        };
        match self
            .multipart(MultipartRequestBody::MeterConfig(all))
            .await?
        {
            MultipartReplyBody::MeterConfig(meters) => Ok(meters),
            other => Err(unexpected(&other)),
        }
    }

    /// The switch's ports as they are now.
    pub async fn port_desc(&self) -> Result<Vec<Port>, RequestError> {
        match self.multipart(MultipartRequestBody::PortDesc).await? {
            MultipartReplyBody::PortDesc(ports) => Ok(ports),
            other => Err(unexpected(&other)),
        }
    }

    /// Closes the connection (a [`Disconnected`](super::SwitchEventKind::Disconnected) event
    /// follows).
    pub async fn close(&self) {
        // Already gone is as good as closed.
        let _ = self.commands.send(Command::Close).await;
    }

    async fn multipart(
        &self,
        body: MultipartRequestBody,
    ) -> Result<MultipartReplyBody, RequestError> {
        let msg = self
            .request(Body::MultipartRequest(MultipartRequest::new(body)))
            .await?;
        match msg.body {
            Body::MultipartReply(reply) => Ok(reply.body),
            other => Err(RequestError::UnexpectedReply(other.title().into_owned())),
        }
    }

    async fn call<T>(&self, cmd: Command, rx: oneshot::Receiver<T>) -> Result<T, RequestError> {
        let gone = RequestError::Disconnected(self.dpid());
        self.commands.send(cmd).await.map_err(|_| gone.clone())?;
        rx.await.map_err(|_| gone)
    }
}

fn unexpected(body: &MultipartReplyBody) -> RequestError {
    RequestError::UnexpectedReply(format!("{:?} multipart reply", body.mp_type()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every connected switch holds room for 32 commands: each byte here costs 32 per switch.
    #[test]
    fn a_command_is_three_words() {
        assert!(
            std::mem::size_of::<Command>() <= 24,
            "{}",
            std::mem::size_of::<Command>()
        );
    }
}
