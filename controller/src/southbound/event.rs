//! What the southbound tells the runtime: switches coming and going and the messages they
//! send on their own.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use openflow::msg::{ErrorMsg, FeaturesReply, Port};
use openflow::{CloseReason, DatapathId, Message};

use super::handle::SwitchHandle;

/// Something that happened to one switch.
#[derive(Debug)]
pub struct SwitchEvent {
    /// The switch.
    pub dpid: DatapathId,
    /// What happened.
    pub kind: SwitchEventKind,
}

/// The kinds of [`SwitchEvent`].
#[derive(Debug)]
pub enum SwitchEventKind {
    /// The switch finished its handshake and is configured (features, port descriptions,
    /// `miss_send_len`, async config); the first event of a connection.
    Connected {
        /// Its `OFPT_FEATURES_REPLY`.
        features: FeaturesReply,
        /// Its ports (`OFPMP_PORT_DESC`), the local port included.
        ports: Vec<Port>,
        /// Commands to this connection.
        handle: SwitchHandle,
    },
    /// A message the switch sent on its own: packet-in, port status, flow removed, or an
    /// error that answers nothing we wait for.
    Message(Message),
    /// The connection is over; the last event of a connection.
    Disconnected {
        /// Why.
        reason: DisconnectReason,
    },
}

/// Why a switch connection ended.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DisconnectReason {
    /// The OpenFlow channel closed (peer dead, protocol failure, local close).
    #[error("OpenFlow channel closed: {0:?}")]
    Channel(CloseReason),
    /// The peer closed its end of the connection.
    #[error("the switch closed the connection")]
    PeerClosed,
    /// Reading or writing the socket failed.
    #[error("socket error: {0}")]
    Io(String),
    /// The switch took no byte for the write stall timeout while we had bytes for it.
    #[error("the switch stopped reading ({queued} bytes queued for it)")]
    WriteStalled {
        /// Bytes waiting to be written when it was dropped.
        queued: usize,
    },
    /// Another connection with the same datapath id replaced this one.
    #[error("replaced by a new connection from {new_peer}")]
    Replaced {
        /// The peer of the new connection.
        new_peer: String,
    },
    /// The switch refused part of its configuration or did not answer it in time.
    #[error("configuration failed: {0}")]
    ConfigureFailed(String),
    /// A [`SwitchHandle::close`](super::SwitchHandle::close) or southbound shutdown.
    #[error("closed by the controller")]
    Local,
}

/// The peer of a connection, for logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PeerAddr {
    /// A TCP peer.
    Tcp(SocketAddr),
    /// A Unix socket peer (connection number on that listener's path).
    Unix(String),
}

impl std::fmt::Display for PeerAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeerAddr::Tcp(a) => write!(f, "tcp:{a}"),
            PeerAddr::Unix(p) => write!(f, "unix:{p}"),
        }
    }
}

/// An `OFPT_ERROR` that answers nothing the caller waits for, as a readable line.
pub fn describe_error(e: &ErrorMsg) -> String {
    let t = e.code.type_name().unwrap_or("unknown type");
    let c = e.code.code_name().unwrap_or("unknown code");
    format!("{t}/{c}")
}

/// Packet-ins dropped because the event queue was full, with a rate-limited warning.
#[derive(Debug)]
pub(super) struct DropCounter {
    dropped: AtomicU64,
    interval: Duration,
    /// When the last warning was logged, and the count it reported.
    last_warning: Mutex<Option<(Instant, u64)>>,
}

impl DropCounter {
    /// A counter warning at most once per `interval`.
    pub(super) fn new(interval: Duration) -> DropCounter {
        DropCounter {
            dropped: AtomicU64::new(0),
            interval,
            last_warning: Mutex::new(None),
        }
    }

    /// Counts one dropped packet-in from `dpid` at `now`, warning if none was logged lately.
    pub(super) fn drop_packet_in(&self, dpid: DatapathId, now: Instant) {
        let total = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        let Ok(mut last) = self.last_warning.lock() else {
            return;
        };
        let since = match *last {
            Some((at, _)) if now < at + self.interval => return,
            Some((_, count)) => total - count,
            None => total,
        };
        *last = Some((now, total));
        tracing::warn!(
            %dpid,
            dropped_since_last_warning = since,
            dropped_total = total,
            "event queue full: dropping packet-ins"
        );
    }

    /// Packet-ins dropped so far.
    pub(super) fn total(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drop_counter_counts_every_drop() {
        let c = DropCounter::new(Duration::from_secs(5));
        let t = Instant::now();
        for i in 0..10 {
            c.drop_packet_in(DatapathId(1), t + Duration::from_millis(i));
        }
        assert_eq!(c.total(), 10);
        let last = *c.last_warning.lock().unwrap();
        // One warning for the first drop; the next nine fall inside the interval.
        assert_eq!(last, Some((t, 1)));
        c.drop_packet_in(DatapathId(1), t + Duration::from_secs(6));
        assert_eq!(
            *c.last_warning.lock().unwrap(),
            Some((t + Duration::from_secs(6), 11))
        );
    }
}
