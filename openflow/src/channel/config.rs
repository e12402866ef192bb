//! The limits and timers of a channel.

use std::time::Duration;

use crate::message::MAX_MESSAGE_LEN;

/// Limits and timers of a [`Channel`](super::Channel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelConfig {
    /// Largest message accepted from the peer (at most 65535); longer ends the connection.
    pub max_message_len: usize,
    /// Idle time after which an `OFPT_ECHO_REQUEST` probes the peer.
    pub echo_interval: Duration,
    /// Time to wait for any sign of life after a probe before declaring the peer dead.
    pub echo_timeout: Duration,
    /// Time allowed for the hello and features exchange.
    pub handshake_timeout: Duration,
    /// Default deadline of [`Channel::request`](super::Channel::request) and
    /// [`Channel::barrier`](super::Channel::barrier); `None` waits forever.
    pub request_timeout: Option<Duration>,
    /// Bytes the transmit queue may hold before sends fail with
    /// [`SendError::Full`](super::SendError::Full).
    pub max_transmit_bytes: usize,
    /// Bytes all partial multipart replies together may hold.
    pub max_multipart_bytes: usize,
    /// Requests and tracked messages remembered at once; barriers, which release tracked
    /// messages, may use as many again.
    pub max_pending: usize,
}

impl Default for ChannelConfig {
    fn default() -> Self {
        ChannelConfig {
            max_message_len: MAX_MESSAGE_LEN,
            echo_interval: Duration::from_secs(5),
            echo_timeout: Duration::from_secs(5),
            handshake_timeout: Duration::from_secs(10),
            request_timeout: Some(Duration::from_secs(30)),
            max_transmit_bytes: 4 << 20,
            max_multipart_bytes: 64 << 20,
            max_pending: 1 << 16,
        }
    }
}
