//! Limits, timers and policies of the southbound.

use std::time::Duration;

use openflow::ChannelConfig;

/// What to do when a second connection announces a datapath id that is already connected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DuplicatePolicy {
    /// The new connection wins; the old one is closed with a warning naming both peers
    /// (a switch that restarted often reconnects before its old connection times out).
    #[default]
    ReplaceOld,
    /// The old connection stays; the new one is closed with a warning naming both peers.
    RejectNew,
}

/// How the southbound runs its switch connections.
#[derive(Clone, Debug)]
pub struct SouthboundConfig {
    /// Limits and timers of each OpenFlow channel (keepalive, handshake, request deadlines,
    /// transmit and reassembly bounds).
    pub channel: ChannelConfig,
    /// What a duplicate datapath id does.
    pub duplicate_policy: DuplicatePolicy,
    /// Capacity of the event queue to the runtime; when it is full packet-ins are dropped,
    /// other events wait.
    pub event_queue: usize,
    /// Capacity of each switch's command queue; a full queue makes
    /// [`SwitchHandle::send`](super::SwitchHandle::send) fail at once.
    pub command_queue: usize,
    /// Control events (connect, disconnect, port status, …) a switch may hold while the
    /// event queue is full; past it the switch stops reading its socket.
    pub control_backlog: usize,
    /// A switch whose socket takes no byte for this long while we have bytes for it is
    /// dropped (it does not read).
    pub write_stall_timeout: Duration,
    /// Bytes queued for a switch above which its socket is no longer read and its commands
    /// wait, so that a switch that does not read cannot make us buffer without bound.
    pub transmit_high_water: usize,
    /// Time to finish the configuration after the features reply (port descriptions,
    /// switch and async config, barrier).
    pub configure_timeout: Duration,
    /// Connections of one datapath id replaced within [`flap_window`](Self::flap_window)
    /// beyond which an error is logged: the switch is flapping.
    pub flap_threshold: u32,
    /// The window in which replacements of one datapath id are counted.
    pub flap_window: Duration,
    /// Minimum time between two warnings about dropped packet-ins.
    pub drop_warning_interval: Duration,
}

impl Default for SouthboundConfig {
    fn default() -> Self {
        let channel = ChannelConfig::default();
        SouthboundConfig {
            transmit_high_water: channel.max_transmit_bytes / 2,
            channel,
            duplicate_policy: DuplicatePolicy::default(),
            event_queue: 4096,
            command_queue: 1024,
            control_backlog: 64,
            write_stall_timeout: Duration::from_secs(15),
            configure_timeout: Duration::from_secs(15),
            flap_threshold: 3,
            flap_window: Duration::from_secs(60),
            drop_warning_interval: Duration::from_secs(5),
        }
    }
}
