//! What a channel reports to the application.

use crate::frame::FrameError;
use crate::message::Message;
use crate::msg::{ErrorMsg, FeaturesReply};
use crate::types::Xid;

/// Something the application must know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The handshake is complete: the switch's features (on a switch-side channel, its own).
    Ready {
        /// The `OFPT_FEATURES_REPLY` body, with the datapath id.
        features: FeaturesReply,
    },
    /// A message that answers no pending request: packet-ins, port status, flow removed, …,
    /// replies to untracked sends, and requests from the peer the channel does not answer.
    Message(Message),
    /// The reply to a [`Channel::request`](super::Channel::request); a multipart reply
    /// arrives here whole.
    Reply(Message),
    /// The peer answered a request, tracked message or barrier with `OFPT_ERROR`; also a
    /// multipart reply that could not be reassembled (`OFPBRC_MULTIPART_BUFFER_OVERFLOW` when
    /// too large, `OFPBRC_BAD_MULTIPART` when its parts disagree, both with empty data).
    RequestFailed {
        /// The request's xid.
        xid: Xid,
        /// The error.
        error: ErrorMsg,
    },
    /// A request or barrier got no reply before its deadline; it is forgotten.
    RequestTimedOut {
        /// The request's xid.
        xid: Xid,
    },
    /// A barrier reply arrived: every message sent before the barrier has been processed.
    BarrierComplete {
        /// The barrier's xid.
        xid: Xid,
        /// The [`Channel::send_tracked`](super::Channel::send_tracked) messages sent
        /// before the barrier that drew no error, in send order: the switch has applied
        /// them.
        confirmed: Vec<Xid>,
    },
    /// The connection is over (reported once): flush
    /// [`Channel::poll_transmit`](super::Channel::poll_transmit), then close the socket.
    /// Outstanding requests are abandoned without further events.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// Why a connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CloseReason {
    /// The peer does not speak OpenFlow 1.3; we sent `OFPET_HELLO_FAILED`.
    VersionMismatch {
        /// The versions the peer offered, bit `v` for version `v`.
        peer_versions: u32,
    },
    /// The peer's first message was not a hello; we sent `OFPBRC_BAD_VERSION`.
    NoHello,
    /// The peer refused the handshake with this `OFPT_ERROR`.
    Rejected(ErrorMsg),
    /// The handshake did not complete within
    /// [`ChannelConfig::handshake_timeout`](super::ChannelConfig::handshake_timeout).
    HandshakeTimeout,
    /// Nothing was received for an echo interval plus an echo timeout.
    PeerDead,
    /// The byte stream lost its message boundaries; we sent `OFPBRC_BAD_LEN`.
    Framing(FrameError),
    /// [`Channel::close`](super::Channel::close) was called.
    Local,
}
