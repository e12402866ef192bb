//! The app API of navarch.
//!
//! An app decides flows; it never does I/O. The controller's app host calls an app with
//! events and a read-only [`View`] of the network, and asks it for the complete set of flows it
//! wants on a switch ([`App::flows`]). The host owns everything else: cookies (which app, which
//! generation), ordering (deletes first), barriers, bundles, error handling and hitless
//! reconciliation against what the switch really has. Apps only say *what*, declaratively, so
//! the same code serves a first connection, a reconnection and a controller restart.
//!
//! Apps react through [`Ctx`]: mark a switch's flows stale (`invalidate`) so the host asks
//! again and pushes only the difference, send a packet out, or ask the controller to forget a
//! host.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Instant;

pub use openflow;
use openflow::instruction::Instruction;
use openflow::msg::{FlowModFlags, FlowRemovedReason, PacketIn, PacketOut};
use openflow::{DatapathId, MacAddr, Match, PortNo, TableId};

/// One flow an app wants on a switch. The host adds the cookie and sends it as a FLOW_MOD.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowSpec {
    /// Table the flow goes in; it must be one of the app's [`App::tables`].
    pub table: TableId,
    /// Priority within the table.
    pub priority: u16,
    /// What it matches.
    pub match_: Match,
    /// What it does.
    pub instructions: Vec<Instruction>,
    /// Idle timeout in seconds (0: none).
    pub idle_timeout: u16,
    /// Hard timeout in seconds (0: none).
    pub hard_timeout: u16,
    /// FLOW_MOD flags (`SEND_FLOW_REM` to hear of its expiry).
    pub flags: FlowModFlags,
}

impl FlowSpec {
    /// A permanent flow with no flags.
    pub fn new(
        table: TableId,
        priority: u16,
        match_: Match,
        instructions: Vec<Instruction>,
    ) -> FlowSpec {
        FlowSpec {
            table,
            priority,
            match_,
            instructions,
            idle_timeout: 0,
            hard_timeout: 0,
            flags: FlowModFlags::EMPTY,
        }
    }

    /// What identifies the flow in a switch's table: OpenFlow treats two flows with the same
    /// table, priority and match as the same entry.
    pub fn key(&self) -> FlowKey {
        FlowKey {
            table: self.table,
            priority: self.priority,
            match_: self.match_.clone(),
        }
    }
}

/// The identity of a flow entry in a switch: table, priority and match.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FlowKey {
    /// Table.
    pub table: TableId,
    /// Priority.
    pub priority: u16,
    /// Match.
    pub match_: Match,
}

/// A switch port as the controller sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortInfo {
    /// Port number.
    pub port_no: PortNo,
    /// Interface name.
    pub name: String,
    /// Hardware address.
    pub hw_addr: MacAddr,
    /// True when the link is up and the port is not administratively down.
    pub up: bool,
}

/// A host the controller has learned: where a MAC address (on a VLAN) is attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostInfo {
    /// The host's MAC address.
    pub mac: MacAddr,
    /// The VLAN it was seen on (`None`: untagged).
    pub vlan: Option<u16>,
    /// The switch it is attached to.
    pub dpid: DatapathId,
    /// The edge port it is attached to.
    pub port: PortNo,
    /// IPv4 addresses seen from it.
    pub ipv4: Vec<Ipv4Addr>,
    /// IPv6 addresses seen from it.
    pub ipv6: Vec<Ipv6Addr>,
}

/// The controller's current, read-only view of the network.
pub trait View {
    /// Connected switches, in datapath-id order.
    fn switches(&self) -> Vec<DatapathId>;
    /// A switch's ports (empty if unknown).
    fn ports(&self, dpid: DatapathId) -> Vec<PortInfo>;
    /// True if the port is one end of a discovered inter-switch link.
    fn is_link_port(&self, dpid: DatapathId, port: PortNo) -> bool;
    /// Where to flood a frame that entered `dpid` at `in_port` so that it reaches every host
    /// once and never loops: up edge ports plus the links of the loop-free flood tree, never
    /// `in_port`. A frame arriving on a link port that is not on the tree gets no ports.
    fn flood_ports(&self, dpid: DatapathId, in_port: PortNo) -> Vec<PortNo>;
    /// The port of `from` on a shortest path towards switch `to` (`None`: unreachable or same).
    fn next_hop(&self, from: DatapathId, to: DatapathId) -> Option<PortNo>;
    /// The host with this MAC on this VLAN, if known.
    fn host(&self, mac: MacAddr, vlan: Option<u16>) -> Option<HostInfo>;
    /// Every known host.
    fn hosts(&self) -> Vec<HostInfo>;
}

/// Something that happened, as an app hears it.
#[derive(Clone, Debug)]
pub enum Event<'a> {
    /// A switch finished its handshake.
    SwitchUp(DatapathId),
    /// A switch disconnected.
    SwitchDown(DatapathId),
    /// A port was added, removed or changed state.
    PortChanged {
        /// The switch.
        dpid: DatapathId,
        /// The port.
        port: PortNo,
    },
    /// Links were discovered or lost; flood trees and paths may have changed.
    TopologyChanged,
    /// A host was learned, moved or forgotten.
    HostChanged {
        /// Its MAC.
        mac: MacAddr,
        /// Its VLAN.
        vlan: Option<u16>,
    },
    /// A packet reached the controller (after the host tracker saw it).
    PacketIn {
        /// The switch.
        dpid: DatapathId,
        /// The message.
        packet_in: &'a PacketIn,
    },
    /// A flow of this app left a switch.
    FlowRemoved {
        /// The switch.
        dpid: DatapathId,
        /// Which flow.
        key: FlowKey,
        /// Why.
        reason: FlowRemovedReason,
    },
}

/// What an app asks the controller to do in response to an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Ask [`App::flows`] again for this switch and push the difference.
    Invalidate(DatapathId),
    /// Ask [`App::flows`] again for every switch.
    InvalidateAll,
    /// Send a packet out of a switch.
    PacketOut(DatapathId, PacketOut),
    /// Forget a host (for example when its flows idled out).
    ForgetHost {
        /// Its MAC.
        mac: MacAddr,
        /// Its VLAN.
        vlan: Option<u16>,
    },
}

/// The context of one call into an app: the time, and where its requests go.
#[derive(Debug)]
pub struct Ctx {
    now: Instant,
    actions: Vec<Action>,
}

impl Ctx {
    /// A context at `now` with no requests yet.
    pub fn new(now: Instant) -> Ctx {
        Ctx {
            now,
            actions: Vec::new(),
        }
    }

    /// The time of the event.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Marks a switch's flows stale.
    pub fn invalidate(&mut self, dpid: DatapathId) {
        self.actions.push(Action::Invalidate(dpid));
    }

    /// Marks every switch's flows stale.
    pub fn invalidate_all(&mut self) {
        self.actions.push(Action::InvalidateAll);
    }

    /// Sends a packet out of a switch.
    pub fn packet_out(&mut self, dpid: DatapathId, packet_out: PacketOut) {
        self.actions.push(Action::PacketOut(dpid, packet_out));
    }

    /// Asks the controller to forget a host.
    pub fn forget_host(&mut self, mac: MacAddr, vlan: Option<u16>) {
        self.actions.push(Action::ForgetHost { mac, vlan });
    }

    /// The requests made so far, in order.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Takes the requests made so far.
    pub fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }
}

/// An app: it decides flows from events and the view, and never does I/O.
pub trait App: Send {
    /// The app's name (unique in a controller; used in logs, cookies and the API).
    fn name(&self) -> &'static str;

    /// The tables this app owns. The host refuses flows in other tables.
    fn tables(&self) -> Vec<TableId>;

    /// Every flow this app wants on `dpid` now. Must be a pure function of the app's state and
    /// the view, so the host can diff it against the switch at any time.
    fn flows(&self, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec>;

    /// Reacts to an event. The default does nothing.
    fn on_event(&mut self, event: &Event<'_>, view: &dyn View, ctx: &mut Ctx) {
        let _ = (event, view, ctx);
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod testing;
