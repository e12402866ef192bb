//! What applying a command did ([`Applied`], the change feed) or why it was refused
//! ([`ApplyError`]).

use serde::{Deserialize, Serialize};

use super::command::{HostKey, HostRecord, LinkRecord, MacText, PortRecord};

/// The position of a command in the store's history: the number of commands applied so far.
/// Revision 0 is the empty state; the first command applied makes revision 1.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Revision(pub u64);

impl Revision {
    /// The revision after this one.
    pub fn next(self) -> Revision {
        Revision(self.0 + 1)
    }
}

impl std::fmt::Display for Revision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The outcome of one applied command: its revision and every change it made, in the order
/// made. An empty `changes` means the command confirmed what the state already held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The revision the command was given.
    pub revision: Revision,
    /// What changed.
    pub changes: Vec<Change>,
}

/// One observable change to the state, for the runtime to turn into events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A switch became known.
    SwitchAdded {
        /// Datapath id.
        dpid: u64,
    },
    /// A known switch's table count changed.
    SwitchTablesChanged {
        /// Datapath id.
        dpid: u64,
        /// The new table count.
        n_tables: u8,
    },
    /// A switch was forgotten (its links and hosts are reported removed before this).
    SwitchRemoved {
        /// Datapath id.
        dpid: u64,
    },
    /// A port appeared on a switch.
    PortAdded {
        /// Datapath id.
        dpid: u64,
        /// The new port.
        port: PortRecord,
    },
    /// A port's name, address or state changed.
    PortChanged {
        /// Datapath id.
        dpid: u64,
        /// The port as it is now.
        port: PortRecord,
    },
    /// A port disappeared from a switch.
    PortRemoved {
        /// Datapath id.
        dpid: u64,
        /// The port as it was.
        port: PortRecord,
    },
    /// A link became known.
    LinkAdded(LinkRecord),
    /// A link was removed (explicitly, or because a switch or port went away).
    LinkRemoved(LinkRecord),
    /// A host became known.
    HostAdded(HostRecord),
    /// A known host was seen at a different switch port.
    HostMoved {
        /// Switch it was attached to.
        from_dpid: u64,
        /// Port it was attached to.
        from_port: u32,
        /// The host as it is now.
        host: HostRecord,
    },
    /// A known host's addresses changed (same attachment point).
    HostAddressesChanged(HostRecord),
    /// A host was forgotten (explicitly, or because its switch or port went away).
    HostRemoved(HostRecord),
    /// An app's configuration was replaced by a different one.
    AppConfigChanged {
        /// App name.
        app: String,
    },
    /// An app was enabled or disabled.
    AppEnabledChanged {
        /// App name.
        app: String,
        /// Whether it now runs.
        enabled: bool,
    },
    /// A switch's operator flows changed.
    OperatorFlowsChanged {
        /// Datapath id.
        dpid: u64,
    },
    /// The tenant model changed.
    TenantModelChanged,
}

/// Why the state machine refused a command. A refused command changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// The tenant model refused a change.
    #[error("{0}")]
    Tenant(segmentation::model::ModelError),
    /// The command names a switch the state does not hold.
    #[error("unknown switch {dpid:016x}")]
    UnknownSwitch {
        /// Datapath id.
        dpid: u64,
    },
    /// `OperatorFlowsRemoved` names a flow the switch does not have.
    #[error(
        "switch {dpid:016x} has no operator flow at table {table} priority {priority} matching {match_}"
    )]
    UnknownOperatorFlow {
        /// Datapath id.
        dpid: u64,
        /// Its table.
        table: u8,
        /// Its priority.
        priority: u16,
        /// Its match.
        match_: String,
    },
    /// The command names a port the switch does not have.
    #[error("switch {dpid:016x} has no port {port}")]
    UnknownPort {
        /// Datapath id.
        dpid: u64,
        /// Port number.
        port: u32,
    },
    /// `LinkDown` for a link the state does not hold.
    #[error("unknown link {0}")]
    UnknownLink(LinkRecord),
    /// `HostRemove` for a host the state does not hold.
    #[error("unknown host {0}")]
    UnknownHost(HostKey),
    /// A switch inventory lists the same port number twice.
    #[error("switch {dpid:016x} lists port {port} more than once")]
    DuplicatePort {
        /// Datapath id.
        dpid: u64,
        /// The repeated port number.
        port: u32,
    },
    /// A switch inventory claims zero flow tables.
    #[error("switch {dpid:016x} reports no flow tables")]
    NoTables {
        /// Datapath id.
        dpid: u64,
    },
    /// A flow table number above 254 (255 means "all tables").
    #[error("table {table} is not a flow table (0 to 254)")]
    InvalidTable {
        /// The table number.
        table: u8,
    },
    /// A link whose two ends are the same port.
    #[error("link {0} connects a port to itself")]
    SelfLink(LinkRecord),
    /// A host MAC that is multicast, broadcast or all zeros.
    #[error("{} is not a unicast host address", MacText(*mac))]
    NotUnicastMac {
        /// The address.
        mac: [u8; 6],
    },
    /// A VLAN id outside 0..=4095.
    #[error("VLAN id {vlan} is outside 0..=4095")]
    InvalidVlan {
        /// The VLAN id.
        vlan: u16,
    },
    /// An app name that is empty, too long, or has characters outside `[a-z0-9_-]`.
    #[error("invalid app name {app:?} (1 to 64 of a-z, 0-9, '-', '_')")]
    InvalidAppName {
        /// The name.
        app: String,
    },
}
