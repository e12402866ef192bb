//! The southbound: switch connections over OpenFlow 1.3.
//!
//! [`Southbound::bind`] listens on `tcp:` and `unix:` addresses and runs one task per
//! connection. Each task drives an [`openflow::Channel`] (hello, features, echo keepalive,
//! request correlation), configures the switch (port descriptions, `miss_send_len` 0xffff,
//! async config) and then announces it with [`SwitchEventKind::Connected`], which carries a
//! [`SwitchHandle`] for commands. Every queue is bounded: a switch that does not read is
//! dropped after [`SouthboundConfig::write_stall_timeout`], a full event queue drops
//! packet-ins (counted, with a rate-limited warning) but never connection or port events,
//! and a second connection with a connected datapath id is handled by
//! [`DuplicatePolicy`].

mod addr;
mod config;
mod event;
mod handle;
mod ops;
mod registry;
mod session;
mod stream;

pub use addr::{DEFAULT_OPENFLOW_PORT, ListenAddr, ListenAddrError};
pub use config::{DuplicatePolicy, SouthboundConfig};
pub use event::{DisconnectReason, PeerAddr, SwitchEvent, SwitchEventKind, describe_error};
pub use handle::{ConfirmError, FailedMessage, RequestError, SwitchHandle};

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, UnixListener, UnixStream};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;

use event::DropCounter;
use registry::Registry;
use stream::SwitchStream;

/// Why the southbound could not start listening.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// Binding a listening socket failed.
    #[error("cannot listen on {addr}: {source}")]
    Io {
        /// The address.
        addr: ListenAddr,
        /// The cause.
        source: io::Error,
    },
    /// Another process is listening on this Unix socket path.
    #[error("cannot listen on unix:{}: another process is accepting connections there", .0.display())]
    UnixInUse(PathBuf),
    /// No address was given.
    #[error("no listen address given")]
    NoAddress,
}

/// Counters of the southbound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SouthboundStats {
    /// Open connections, announced or not.
    pub connections: usize,
    /// Announced switches.
    pub switches: usize,
    /// Packet-ins dropped because the event queue was full.
    pub dropped_packet_ins: u64,
}

/// What every connection task shares.
#[derive(Debug)]
struct Shared {
    config: SouthboundConfig,
    registry: Registry,
    drops: DropCounter,
    events: mpsc::Sender<SwitchEvent>,
    shutdown: watch::Receiver<bool>,
    connections: AtomicUsize,
    /// Signalled whenever a connection ends (for shutdown).
    ended: Notify,
    next_session: AtomicU64,
}

/// The listening southbound; dropping it stops accepting (use [`shutdown`] to also close
/// every connection and wait for them).
///
/// [`shutdown`]: Southbound::shutdown
#[derive(Debug)]
pub struct Southbound {
    shared: Arc<Shared>,
    local: Vec<ListenAddr>,
    shutdown: watch::Sender<bool>,
    acceptors: Vec<JoinHandle<()>>,
    unix_paths: Vec<PathBuf>,
}

impl Southbound {
    /// Listens on `addrs`; switch events arrive on the returned receiver.
    pub async fn bind(
        addrs: &[ListenAddr],
        config: SouthboundConfig,
    ) -> Result<(Southbound, mpsc::Receiver<SwitchEvent>), BindError> {
        if addrs.is_empty() {
            return Err(BindError::NoAddress);
        }
        let (events_tx, events_rx) = mpsc::channel(config.event_queue.max(1));
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            registry: Registry::new(
                config.duplicate_policy,
                config.flap_threshold,
                config.flap_window,
            ),
            drops: DropCounter::new(config.drop_warning_interval),
            config,
            events: events_tx,
            shutdown: shutdown_rx,
            connections: AtomicUsize::new(0),
            ended: Notify::new(),
            next_session: AtomicU64::new(1),
        });
        let mut sb = Southbound {
            shared,
            local: Vec::new(),
            shutdown: shutdown_tx,
            acceptors: Vec::new(),
            unix_paths: Vec::new(),
        };
        for addr in addrs {
            let io_err = |source| BindError::Io {
                addr: addr.clone(),
                source,
            };
            match addr {
                ListenAddr::Tcp(a) => {
                    let listener = TcpListener::bind(a).await.map_err(io_err)?;
                    let bound = listener.local_addr().map_err(io_err)?;
                    tracing::info!(listen = %ListenAddr::Tcp(bound), "listening for switches");
                    sb.local.push(ListenAddr::Tcp(bound));
                    sb.acceptors
                        .push(tokio::spawn(accept_tcp(listener, sb.shared.clone())));
                }
                ListenAddr::Unix(path) => {
                    remove_stale_socket(path).await?;
                    let listener = UnixListener::bind(path).map_err(io_err)?;
                    tracing::info!(listen = %addr, "listening for switches");
                    sb.local.push(addr.clone());
                    sb.unix_paths.push(path.clone());
                    let label = path.display().to_string();
                    sb.acceptors.push(tokio::spawn(accept_unix(
                        listener,
                        label,
                        sb.shared.clone(),
                    )));
                }
            }
        }
        Ok((sb, events_rx))
    }

    /// The addresses actually bound (`tcp:…:0` resolved to its port).
    pub fn local_addrs(&self) -> &[ListenAddr] {
        &self.local
    }

    /// Current counters.
    pub fn stats(&self) -> SouthboundStats {
        SouthboundStats {
            connections: self.shared.connections.load(Ordering::Relaxed),
            switches: self.shared.registry.len(),
            dropped_packet_ins: self.shared.drops.total(),
        }
    }

    /// Stops accepting, closes every connection (each announced switch gets its
    /// `Disconnected` event, so keep draining the event receiver) and waits up to `grace`
    /// for them to end.
    pub async fn shutdown(mut self, grace: Duration) {
        self.stop_accepting();
        self.shutdown.send_replace(true);
        let shared = self.shared.clone();
        let all_ended = async {
            loop {
                let ended = shared.ended.notified();
                if shared.connections.load(Ordering::Acquire) == 0 {
                    break;
                }
                ended.await;
            }
        };
        if tokio::time::timeout(grace, all_ended).await.is_err() {
            tracing::warn!(
                remaining = self.shared.connections.load(Ordering::Relaxed),
                "switch connections still open after the shutdown grace period"
            );
        }
    }

    fn stop_accepting(&mut self) {
        for task in self.acceptors.drain(..) {
            task.abort();
        }
        for path in self.unix_paths.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Drop for Southbound {
    fn drop(&mut self) {
        self.stop_accepting();
    }
}

/// A socket file left by a process that is gone is removed; one that accepts connections
/// belongs to a live process and is an error.
async fn remove_stale_socket(path: &Path) -> Result<(), BindError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    if UnixStream::connect(path).await.is_ok() {
        return Err(BindError::UnixInUse(path.to_path_buf()));
    }
    std::fs::remove_file(path).map_err(|source| BindError::Io {
        addr: ListenAddr::Unix(path.to_path_buf()),
        source,
    })
}

/// Backoff after a failed accept (out of file descriptors), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

async fn accept_tcp(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                // Coalescing happens in the channel; Nagle would only add latency.
                let _ = stream.set_nodelay(true);
                start(&shared, SwitchStream::Tcp(stream), PeerAddr::Tcp(peer));
            }
            Err(e) => {
                tracing::warn!("accepting a switch connection failed: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

async fn accept_unix(listener: UnixListener, label: String, shared: Arc<Shared>) {
    let mut n = 0u64;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                n += 1;
                let peer = PeerAddr::Unix(format!("{label}#{n}"));
                start(&shared, SwitchStream::Unix(stream), peer);
            }
            Err(e) => {
                tracing::warn!("accepting a switch connection failed: {e}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

/// Spawns the task of an accepted connection.
fn start(shared: &Arc<Shared>, stream: SwitchStream, peer: PeerAddr) {
    let id = shared.next_session.fetch_add(1, Ordering::Relaxed);
    shared.connections.fetch_add(1, Ordering::AcqRel);
    let shared = shared.clone();
    tokio::spawn(async move {
        session::run(shared.clone(), stream, peer, id).await;
        shared.connections.fetch_sub(1, Ordering::AcqRel);
        shared.ended.notify_waiters();
    });
}
