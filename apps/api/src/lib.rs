//! The app API of navarch.
//!
//! An app decides flows; it never does I/O. The controller's app host calls an app with
//! events and a read-only [`View`] of the network, and asks it for the complete set of flows it
//! wants on a switch ([`App::flows`]). The host owns everything else: cookies (which app, which
//! generation), ordering (deletes first), barriers, bundles, error handling and hitless
//! reconciliation against what the switch really has. Apps only say *what*, declaratively, so
//! the same code serves a first connection, a reconnection and a controller restart.
//!
//! Apps react through [`Ctx`]: mark flows stale so the host asks again and pushes only the
//! difference, send a packet out, or ask the controller to forget a host.
//!
//! # Slices: incremental flow computation
//!
//! Recomputing every flow of every switch after each event costs time in proportion to the
//! whole network. So an app divides its flows on a switch into [`Slice`]s — the flows that
//! exist because of one host, one network, one logical port — and tags each [`FlowSpec`] with
//! its slice. After an event it invalidates only the slices the event can change
//! ([`Ctx::invalidate_slice`], [`Ctx::invalidate_slice_everywhere`]); the host asks for just
//! those ([`App::slice_flows`]) and diffs them against what it pushed for the same slices.
//! Whole-switch invalidation ([`Ctx::invalidate`]) stays available, and reconciliation always
//! asks for everything. An app that does not care puts every flow in [`Slice::Base`].
//!
//! The contract: on every switch, each flow is in exactly one slice, and
//! `slice_flows(dpid, s)` returns exactly the flows of `flows(dpid)` tagged `s`. The
//! [`testing::Simulation`] checks after every event that the flows built slice by slice equal
//! a full recomputation, so an invalidation an app forgot fails its tests.
//!
//! # Groups and meters
//!
//! An app that replicates (an OpenFlow ALL group per network), balances (SELECT groups) or
//! rate-limits (meters) says so the same way: [`App::groups`] and [`App::meters`] return every
//! [`GroupSpec`] and [`MeterSpec`] it wants on a switch, each tagged with a slice, and
//! [`App::slice_groups`] / [`App::slice_meters`] those of one slice. Invalidating a slice asks
//! for its flows, groups and meters together.
//!
//! An app names its groups and meters by its own small ids ([`LocalGroupId`],
//! [`LocalMeterId`]), everywhere: in the specs, in flows' `group` actions and `meter`
//! instructions, in buckets, in packet-outs. The host maps them into a namespace of wire ids
//! that is the app's alone, so an app's flows are a pure function of its state and the view
//! (the same in the `testing` simulation, in any registration order, after a restart) and can
//! never name another owner's group. The host diffs groups and meters by id against the
//! switch, like flows: identical ones are left alone, changed ones modified in place, and it
//! orders each change so no flow ever points at a group or meter that is not there.
//!
//! The contract: every group or meter a flow (or a bucket) names is one the app wants on
//! that switch, in any slice; when a slice stops wanting a group, the flows that name it
//! must go in the same invalidation (OpenFlow deletes a flow whose group is deleted). The
//! simulation checks both after every event.

use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Instant;

mod group;
mod meter;

pub use group::{GroupSpec, LocalGroupId};
pub use meter::{LocalMeterId, MeterSpec};
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
    /// The part of the app's flows this one belongs to (not part of the flow's identity on
    /// the switch: see the crate docs on slices).
    pub slice: Slice,
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
            slice: Slice::Base,
        }
    }

    /// The same flow in another slice.
    pub fn in_slice(mut self, slice: Slice) -> FlowSpec {
        self.slice = slice;
        self
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

/// A part of an app's flows on a switch that can be recomputed on its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slice {
    /// Flows that belong to no narrower slice: the switch's own pipeline, floods, misses.
    Base,
    /// The flows that exist because of one host (on one VLAN).
    Host {
        /// Its MAC.
        mac: MacAddr,
        /// Its VLAN (`None`: untagged).
        vlan: Option<u16>,
    },
    /// An app-defined part: a network, a logical port, a chain.
    Id(u64),
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
    /// True while the controller finds out whether a switch sits behind the port (it came
    /// up recently and link probes have not had time to answer). Frames entering it are not
    /// forwarded by the switch: they reach the controller, which holds them until the port
    /// settles and then hands them to apps as [`Event::PacketIn`] with `held` set.
    pub probing: bool,
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

/// Where a host is attached: a switch and one of its edge ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Attachment {
    /// The switch.
    pub dpid: DatapathId,
    /// The edge port.
    pub port: PortNo,
}

/// The controller's current, read-only view of the network.
pub trait View {
    /// Connected switches, in datapath-id order.
    fn switches(&self) -> Vec<DatapathId>;
    /// A switch's ports (empty if unknown).
    fn ports(&self, dpid: DatapathId) -> Vec<PortInfo>;
    /// The number of the port called `name` on `dpid`, if it has one. The default scans
    /// [`ports`](View::ports); views keep it cheaper, for apps that bind by interface name.
    fn port_named(&self, dpid: DatapathId, name: &str) -> Option<PortNo> {
        self.ports(dpid)
            .into_iter()
            .find(|p| p.name == name)
            .map(|p| p.port_no)
    }
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
    /// Where the host with this MAC on this VLAN is attached, if known: [`host`](View::host)
    /// without its addresses, for the per-packet path. The default asks `host`.
    fn attachment(&self, mac: MacAddr, vlan: Option<u16>) -> Option<Attachment> {
        self.host(mac, vlan).map(|h| Attachment {
            dpid: h.dpid,
            port: h.port,
        })
    }
    /// Every known host.
    fn hosts(&self) -> Vec<HostInfo>;
    /// The VLANs of the hosts attached to each edge port of `dpid` (`None`: untagged); ports
    /// with no known host are absent. The default scans [`hosts`](View::hosts); views with
    /// many hosts keep an index.
    fn edge_vlans(&self, dpid: DatapathId) -> BTreeMap<PortNo, BTreeSet<Option<u16>>> {
        let mut out: BTreeMap<PortNo, BTreeSet<Option<u16>>> = BTreeMap::new();
        for h in self.hosts().into_iter().filter(|h| h.dpid == dpid) {
            out.entry(h.port).or_default().insert(h.vlan);
        }
        out
    }
    /// Every VLAN with known hosts (`None`: untagged), with how many. The default counts
    /// [`hosts`](View::hosts); views with many hosts keep an index.
    fn vlans(&self) -> BTreeMap<Option<u16>, usize> {
        let mut out = BTreeMap::new();
        for h in self.hosts() {
            *out.entry(h.vlan).or_default() += 1;
        }
        out
    }
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
    /// A host was learned, moved, forgotten, or seen with a new address (then `before`
    /// equals `after`). The view already shows the host as it is after the change.
    HostChanged {
        /// Its MAC.
        mac: MacAddr,
        /// Its VLAN.
        vlan: Option<u16>,
        /// Where it was attached before (`None`: it was not known).
        before: Option<Attachment>,
        /// Where it is attached now (`None`: it was forgotten).
        after: Option<Attachment>,
    },
    /// A packet reached the controller (after the host tracker saw it).
    PacketIn {
        /// The switch.
        dpid: DatapathId,
        /// The message.
        packet_in: &'a PacketIn,
        /// The packet entered a port that was probing: the switch did not forward it, and
        /// the controller held it until the port settled as an edge port. Apps that forward
        /// must forward it themselves.
        held: bool,
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
    /// Ask [`App::flows`] (and groups and meters) again for this switch and push the
    /// difference.
    Invalidate(DatapathId),
    /// Ask [`App::flows`] (and groups and meters) again for every switch.
    InvalidateAll,
    /// Ask [`App::slice_flows`] (and groups and meters) again for one slice of one switch.
    InvalidateSlice(DatapathId, Slice),
    /// Ask [`App::slice_flows`] (and groups and meters) again for one slice on every switch.
    InvalidateSliceEverywhere(Slice),
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

    /// Marks a switch's flows, groups and meters stale.
    pub fn invalidate(&mut self, dpid: DatapathId) {
        self.actions.push(Action::Invalidate(dpid));
    }

    /// Marks every switch's flows, groups and meters stale.
    pub fn invalidate_all(&mut self) {
        self.actions.push(Action::InvalidateAll);
    }

    /// Marks one slice of a switch's flows, groups and meters stale.
    pub fn invalidate_slice(&mut self, dpid: DatapathId, slice: Slice) {
        self.actions.push(Action::InvalidateSlice(dpid, slice));
    }

    /// Marks one slice stale on every switch.
    pub fn invalidate_slice_everywhere(&mut self, slice: Slice) {
        self.actions.push(Action::InvalidateSliceEverywhere(slice));
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

    /// Every flow this app wants on `dpid` now, each tagged with its slice. Must be a pure
    /// function of the app's state and the view, so the host can diff it against the switch at
    /// any time.
    fn flows(&self, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec>;

    /// The flows of one slice on `dpid`: exactly those of [`flows`](App::flows) tagged
    /// `slice`. The default computes them all and keeps that slice; apps that invalidate
    /// slices implement it to compute only what the slice needs.
    fn slice_flows(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<FlowSpec> {
        let mut flows = self.flows(dpid, view);
        flows.retain(|f| f.slice == *slice);
        flows
    }

    /// Every group this app wants on `dpid` now, each tagged with its slice; a pure function
    /// like [`flows`](App::flows). The default wants none.
    fn groups(&self, dpid: DatapathId, view: &dyn View) -> Vec<GroupSpec> {
        let _ = (dpid, view);
        Vec::new()
    }

    /// The groups of one slice on `dpid`: exactly those of [`groups`](App::groups) tagged
    /// `slice`. The default computes them all and keeps that slice.
    fn slice_groups(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<GroupSpec> {
        let mut groups = self.groups(dpid, view);
        groups.retain(|g| g.slice == *slice);
        groups
    }

    /// Every meter this app wants on `dpid` now, each tagged with its slice; a pure function
    /// like [`flows`](App::flows). The default wants none.
    fn meters(&self, dpid: DatapathId, view: &dyn View) -> Vec<MeterSpec> {
        let _ = (dpid, view);
        Vec::new()
    }

    /// The meters of one slice on `dpid`: exactly those of [`meters`](App::meters) tagged
    /// `slice`. The default computes them all and keeps that slice.
    fn slice_meters(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<MeterSpec> {
        let mut meters = self.meters(dpid, view);
        meters.retain(|m| m.slice == *slice);
        meters
    }

    /// Reacts to an event. The default does nothing.
    fn on_event(&mut self, event: &Event<'_>, view: &dyn View, ctx: &mut Ctx) {
        let _ = (event, view, ctx);
    }
}

#[cfg(any(test, feature = "testing"))]
pub mod testing;
