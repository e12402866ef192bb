//! A network simulator that runs an app over a [`FakeView`]: packets enter at hosts, follow
//! the fake flow tables switch to switch across links, and reach the app as packet-ins; the
//! app's requests (invalidations, packet-outs, forgetting hosts) are carried out at once.

use core::fmt;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use openflow::msg::{FlowRemovedReason, PacketIn, PacketInReason};
use openflow::{BufferId, Cookie, DatapathId, Match, OxmField, PortNo, TableId};

use super::built::Built;
use super::group::Groups;
use super::matcher::PipelinePacket;
use super::packet::{Packet, PacketError};
use super::table::{Egress, FakeFlowTable, TableError, TableMiss, apply};
use super::view::{Endpoint, FakeView};
use crate::{Action, App, Attachment, Ctx, Event, FlowSpec, GroupSpec, MeterSpec, View};

/// Why the simulation stopped.
#[derive(Debug)]
pub enum SimError {
    /// A fake switch refused flows or a packet.
    Table(DatapathId, TableError),
    /// A packet-out carried bytes that are not a packet.
    Packet(PacketError),
    /// The app wants a flow in a table it does not own.
    ForeignTable(DatapathId, TableId),
    /// A packet was injected at a port that does not exist.
    NoSuchPort(Endpoint),
    /// `slice_flows` (or `slice_groups`, `slice_meters`) returned an entry tagged with another
    /// slice.
    WrongSlice(DatapathId, crate::Slice, crate::Slice),
    /// After an event, the flows built from the app's invalidations differ from a full
    /// recomputation: the app failed to invalidate a slice the event changed.
    Stale {
        /// The switch.
        dpid: DatapathId,
        /// Flows a full recomputation wants that the incremental state lacks.
        missing: Vec<FlowSpec>,
        /// Flows the incremental state has that a full recomputation does not want.
        extra: Vec<FlowSpec>,
    },
    /// After an event, the groups built from the app's invalidations differ from a full
    /// recomputation.
    StaleGroups {
        /// The switch.
        dpid: DatapathId,
        /// Groups a full recomputation wants that the incremental state lacks.
        missing: Vec<GroupSpec>,
        /// Groups the incremental state has that a full recomputation does not want.
        extra: Vec<GroupSpec>,
    },
    /// After an event, the meters built from the app's invalidations differ from a full
    /// recomputation.
    StaleMeters {
        /// The switch.
        dpid: DatapathId,
        /// Meters a full recomputation wants that the incremental state lacks.
        missing: Vec<MeterSpec>,
        /// Meters the incremental state has that a full recomputation does not want.
        extra: Vec<MeterSpec>,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Table(d, e) => write!(f, "switch {d}: {e}"),
            SimError::Packet(e) => write!(f, "packet-out: {e}"),
            SimError::ForeignTable(d, t) => write!(f, "switch {d}: flow in foreign table {}", t.0),
            SimError::NoSuchPort((d, p)) => write!(f, "no port {p} on switch {d}"),
            SimError::WrongSlice(d, asked, got) => {
                write!(
                    f,
                    "switch {d}: slice_flows({asked:?}) returned a flow of {got:?}"
                )
            }
            SimError::Stale {
                dpid,
                missing,
                extra,
            } => write!(
                f,
                "switch {dpid}: incremental flows differ from a full recomputation \
                 (missing {missing:?}, extra {extra:?})"
            ),
            SimError::StaleGroups {
                dpid,
                missing,
                extra,
            } => write!(
                f,
                "switch {dpid}: incremental groups differ from a full recomputation \
                 (missing {missing:?}, extra {extra:?})"
            ),
            SimError::StaleMeters {
                dpid,
                missing,
                extra,
            } => write!(
                f,
                "switch {dpid}: incremental meters differ from a full recomputation \
                 (missing {missing:?}, extra {extra:?})"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// A packet that reached the controller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControllerCopy {
    /// The switch that sent it.
    pub dpid: DatapathId,
    /// Its input port.
    pub in_port: PortNo,
    /// The table that sent it.
    pub table: TableId,
    /// The packet.
    pub packet: Packet,
}

/// Where one injected packet (and the packet-outs it caused) went.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Copies that left by an edge port (not a link), in order.
    pub delivered: Vec<(Endpoint, Packet)>,
    /// Copies that reached the controller.
    pub to_controller: Vec<ControllerCopy>,
    /// True if some copy went round more switches than a loop-free path can have.
    pub looped: bool,
}

impl Trace {
    /// The edge ports reached, with how many copies reached each.
    pub fn reached(&self) -> BTreeMap<Endpoint, usize> {
        let mut out = BTreeMap::new();
        for (e, _) in &self.delivered {
            *out.entry(*e).or_default() += 1;
        }
        out
    }
}

/// An app running on a simulated network.
///
/// The simulated controller keeps each switch's flows, groups and meters as the app host
/// does: built once in full, then changed slice by slice as the app invalidates slices. After
/// every event it checks that what it built equals a full recomputation ([`SimError::Stale`]
/// and its kin otherwise), and each fake switch refuses a flow or bucket that names a group
/// or meter it does not have — the app dropped a group but not the flows using it.
pub struct Simulation<A: App> {
    view: FakeView,
    switches: BTreeMap<DatapathId, FakeFlowTable>,
    /// The app's flows, groups and meters per switch, as built from its invalidations.
    built: Built,
    app: A,
    now: Instant,
}

struct Copy {
    dpid: DatapathId,
    in_port: PortNo,
    packet: Packet,
    hops: usize,
}

/// Events the simulated controller still has to give the app.
enum Pending {
    HostChanged {
        mac: openflow::MacAddr,
        vlan: Option<u16>,
        before: Option<Attachment>,
        after: Option<Attachment>,
    },
    PacketIn(DatapathId, PacketIn),
    FlowRemoved(DatapathId, crate::FlowKey, FlowRemovedReason),
    TopologyChanged,
}

/// Hard bound on copies per injection, so a storm ends the test instead of the machine.
const MAX_COPIES: usize = 100_000;

impl<A: App> Simulation<A> {
    /// Starts the app on `view` at `now` and installs its flows on every switch.
    pub fn new(view: FakeView, app: A, now: Instant) -> Result<Simulation<A>, SimError> {
        let switches = view
            .switches()
            .into_iter()
            .map(|d| (d, FakeFlowTable::new(TableMiss::Controller)))
            .collect();
        let mut sim = Simulation {
            view,
            switches,
            built: Built::default(),
            app,
            now,
        };
        for dpid in sim.view.switches() {
            sim.built.recompute(&sim.app, &sim.view, dpid, None)?;
            sim.install(dpid)?;
        }
        Ok(sim)
    }

    /// The network as the controller sees it.
    pub fn view(&self) -> &FakeView {
        &self.view
    }

    /// The app.
    pub fn app(&self) -> &A {
        &self.app
    }

    /// A switch's flow tables.
    pub fn switch(&self, dpid: DatapathId) -> Option<&FakeFlowTable> {
        self.switches.get(&dpid)
    }

    /// The simulated time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Empties a switch's tables, groups and meters, as a switch that restarted before the
    /// controller reconciled it; the next invalidation of that switch installs them again.
    pub fn wipe_flows(&mut self, dpid: DatapathId) -> Result<(), SimError> {
        if let Some(table) = self.switches.get_mut(&dpid) {
            let wipe = table
                .reconcile(Vec::new(), self.now)
                .and_then(|_| table.set_groups(Vec::new()))
                .and_then(|_| table.set_meters(Vec::new()));
            wipe.map_err(|e| SimError::Table(dpid, e))?;
        }
        Ok(())
    }

    /// Changes the topology (links, ports) and tells the app, as link discovery would.
    pub fn change_topology(&mut self, change: impl FnOnce(&mut FakeView)) -> Result<(), SimError> {
        change(&mut self.view);
        self.dispatch(
            VecDeque::from([Pending::TopologyChanged]),
            &mut VecDeque::new(),
        )
    }

    /// Sends a frame from the host at `at` and follows every copy.
    pub fn inject(&mut self, at: Endpoint, packet: Packet) -> Result<Trace, SimError> {
        if !self.view.ports(at.0).iter().any(|p| p.port_no == at.1) {
            return Err(SimError::NoSuchPort(at));
        }
        let mut trace = Trace::default();
        let mut queue = VecDeque::from([Copy {
            dpid: at.0,
            in_port: at.1,
            packet,
            hops: 0,
        }]);
        // A loop-free path visits each switch at most once.
        let max_hops = self.switches.len() + 1;
        let mut copies = 0;
        while let Some(copy) = queue.pop_front() {
            copies += 1;
            if copy.hops > max_hops || copies > MAX_COPIES {
                trace.looped = true;
                continue;
            }
            let ports = self.up_ports(copy.dpid);
            let Some(table) = self.switches.get_mut(&copy.dpid) else {
                continue;
            };
            let egress = table
                .evaluate(copy.in_port, copy.packet, &ports, self.now)
                .map_err(|e| SimError::Table(copy.dpid, e))?;
            self.forward(
                copy.dpid,
                copy.in_port,
                copy.hops,
                egress,
                &mut queue,
                &mut trace,
            )?;
        }
        Ok(trace)
    }

    /// Moves time on by `by`; flows that time out leave their switches, and the app hears of
    /// those installed with `SEND_FLOW_REM`.
    pub fn advance(&mut self, by: Duration) -> Result<(), SimError> {
        self.now += by;
        let mut events = VecDeque::new();
        for (dpid, table) in &mut self.switches {
            for (spec, reason) in table.expire(self.now) {
                if spec
                    .flags
                    .contains(openflow::msg::FlowModFlags::SEND_FLOW_REM)
                {
                    events.push_back(Pending::FlowRemoved(*dpid, spec.key(), reason));
                }
            }
        }
        self.dispatch(events, &mut VecDeque::new())
    }

    fn up_ports(&self, dpid: DatapathId) -> Vec<PortNo> {
        self.view
            .ports(dpid)
            .into_iter()
            .filter(|p| p.up)
            .map(|p| p.port_no)
            .collect()
    }

    /// Sends a copy that left by `out` across its link, or records it delivered at an up
    /// edge port.
    fn route(
        &self,
        out: Endpoint,
        packet: Packet,
        hops: usize,
        queue: &mut VecDeque<Copy>,
        trace: &mut Trace,
    ) {
        match self.view.peer(out) {
            Some((dpid, in_port)) => queue.push_back(Copy {
                dpid,
                in_port,
                packet,
                hops: hops + 1,
            }),
            None if self.up_ports(out.0).contains(&out.1) => trace.delivered.push((out, packet)),
            None => {}
        }
    }

    /// Sends a switch's output on: across links, out of edge ports, or to the controller.
    fn forward(
        &mut self,
        dpid: DatapathId,
        in_port: PortNo,
        hops: usize,
        egress: Vec<Egress>,
        queue: &mut VecDeque<Copy>,
        trace: &mut Trace,
    ) -> Result<(), SimError> {
        let mut events = VecDeque::new();
        for e in egress {
            match e {
                Egress::Port(port, packet) => {
                    self.route((dpid, port), packet, hops, queue, trace);
                }
                Egress::Controller {
                    table,
                    miss,
                    packet,
                } => {
                    trace.to_controller.push(ControllerCopy {
                        dpid,
                        in_port,
                        table,
                        packet: packet.clone(),
                    });
                    // The controller's host tracker learns senders at edge ports first.
                    let (mac, vlan) = (packet.eth_src, packet.vid());
                    let before = self.view.host(mac, vlan).map(|h| Attachment {
                        dpid: h.dpid,
                        port: h.port,
                    });
                    if !self.view.is_link_port(dpid, in_port)
                        && !mac.is_multicast()
                        && self.view.learn_host(mac, vlan, dpid, in_port)
                    {
                        events.push_back(Pending::HostChanged {
                            mac,
                            vlan,
                            before,
                            after: Some(Attachment {
                                dpid,
                                port: in_port,
                            }),
                        });
                    }
                    let data = packet.to_bytes();
                    events.push_back(Pending::PacketIn(
                        dpid,
                        PacketIn {
                            buffer_id: BufferId::NO_BUFFER,
                            total_len: data.len() as u16,
                            reason: if miss {
                                PacketInReason::NoMatch
                            } else {
                                PacketInReason::Action
                            },
                            table_id: table,
                            cookie: Cookie(0),
                            match_: Match::new().with(OxmField::InPort(in_port)),
                            data,
                        },
                    ));
                }
            }
        }
        let mut outs = VecDeque::new();
        self.dispatch(events, &mut outs)?;
        while let Some((dpid, po)) = outs.pop_front() {
            let packet = Packet::parse(&po.data).map_err(SimError::Packet)?;
            let mut pp = PipelinePacket {
                in_port: po.in_port,
                metadata: 0,
                packet,
            };
            let mut egress = Vec::new();
            let ports = self.up_ports(dpid);
            let no_groups = Groups::new();
            let groups = self
                .switches
                .get(&dpid)
                .map_or(&no_groups, |t| t.group_table());
            apply(
                &po.actions,
                &mut pp,
                TableId(0),
                &ports,
                groups,
                0,
                &mut egress,
            )
            .map_err(|e| SimError::Table(dpid, e))?;
            let mut through_tables = Vec::new();
            egress.retain(|e| match e {
                Egress::Port(PortNo::TABLE, p) => {
                    through_tables.push(p.clone());
                    false
                }
                _ => true,
            });
            for packet in through_tables {
                let table = self.switches.get_mut(&dpid);
                if let Some(table) = table {
                    let more = table
                        .evaluate(po.in_port, packet, &ports, self.now)
                        .map_err(|e| SimError::Table(dpid, e))?;
                    egress.extend(more);
                }
            }
            // Copies sent by a packet-out leave as from the packet's own switch.
            let mut nested = Trace::default();
            self.forward_plain(dpid, hops, egress, queue, &mut nested);
            trace.delivered.extend(nested.delivered);
            trace.to_controller.extend(nested.to_controller);
        }
        Ok(())
    }

    /// Forwards packet-out copies; a copy a packet-out sends to the controller is recorded
    /// but not given to the app again.
    fn forward_plain(
        &self,
        dpid: DatapathId,
        hops: usize,
        egress: Vec<Egress>,
        queue: &mut VecDeque<Copy>,
        trace: &mut Trace,
    ) {
        for e in egress {
            match e {
                Egress::Port(port, packet) => {
                    self.route((dpid, port), packet, hops, queue, trace);
                }
                Egress::Controller { table, packet, .. } => {
                    trace.to_controller.push(ControllerCopy {
                        dpid,
                        in_port: PortNo::CONTROLLER,
                        table,
                        packet,
                    });
                }
            }
        }
    }

    /// Gives the app its events in order, carrying out what it asks; packet-outs are
    /// collected in `outs`.
    fn dispatch(
        &mut self,
        mut events: VecDeque<Pending>,
        outs: &mut VecDeque<(DatapathId, openflow::msg::PacketOut)>,
    ) -> Result<(), SimError> {
        while let Some(pending) = events.pop_front() {
            let mut ctx = Ctx::new(self.now);
            match &pending {
                Pending::HostChanged {
                    mac,
                    vlan,
                    before,
                    after,
                } => {
                    let event = Event::HostChanged {
                        mac: *mac,
                        vlan: *vlan,
                        before: *before,
                        after: *after,
                    };
                    self.app.on_event(&event, &self.view, &mut ctx);
                }
                Pending::PacketIn(dpid, pi) => {
                    let event = Event::PacketIn {
                        dpid: *dpid,
                        packet_in: pi,
                        held: false,
                    };
                    self.app.on_event(&event, &self.view, &mut ctx);
                }
                Pending::FlowRemoved(dpid, key, reason) => {
                    let event = Event::FlowRemoved {
                        dpid: *dpid,
                        key: key.clone(),
                        reason: *reason,
                    };
                    self.app.on_event(&event, &self.view, &mut ctx);
                }
                Pending::TopologyChanged => {
                    self.app
                        .on_event(&Event::TopologyChanged, &self.view, &mut ctx);
                }
            }
            let mut stale = BTreeSet::new();
            for action in ctx.take_actions() {
                match action {
                    Action::Invalidate(d) => {
                        self.built.recompute(&self.app, &self.view, d, None)?;
                        stale.insert(d);
                    }
                    Action::InvalidateAll => {
                        for d in self.view.switches() {
                            self.built.recompute(&self.app, &self.view, d, None)?;
                            stale.insert(d);
                        }
                    }
                    Action::InvalidateSlice(d, slice) => {
                        self.built
                            .recompute(&self.app, &self.view, d, Some(&slice))?;
                        stale.insert(d);
                    }
                    Action::InvalidateSliceEverywhere(slice) => {
                        for d in self.view.switches() {
                            self.built
                                .recompute(&self.app, &self.view, d, Some(&slice))?;
                            stale.insert(d);
                        }
                    }
                    Action::PacketOut(d, po) => outs.push_back((d, po)),
                    Action::ForgetHost { mac, vlan } => {
                        if let Some(h) = self.view.remove_host(mac, vlan) {
                            events.push_back(Pending::HostChanged {
                                mac,
                                vlan,
                                before: Some(Attachment {
                                    dpid: h.dpid,
                                    port: h.port,
                                }),
                                after: None,
                            });
                        }
                    }
                }
            }
            for dpid in stale {
                for removed in self.install(dpid)? {
                    if removed
                        .flags
                        .contains(openflow::msg::FlowModFlags::SEND_FLOW_REM)
                    {
                        events.push_back(Pending::FlowRemoved(
                            dpid,
                            removed.key(),
                            FlowRemovedReason::Delete,
                        ));
                    }
                }
            }
        }
        // Every event is handled and every host change announced: the view and the app
        // agree again.
        self.built.check(&self.app, &self.view)
    }

    /// Reconciles the fake switch to the meters, groups and flows built for it.
    fn install(&mut self, dpid: DatapathId) -> Result<Vec<FlowSpec>, SimError> {
        let tables = self.app.tables();
        let (flows, groups, meters) = self.built.of(dpid);
        if let Some(bad) = flows.iter().find(|f| !tables.contains(&f.table)) {
            return Err(SimError::ForeignTable(dpid, bad.table));
        }
        let Some(table) = self.switches.get_mut(&dpid) else {
            return Ok(Vec::new());
        };
        table
            .set_meters(meters)
            .and_then(|_| table.set_groups(groups))
            .and_then(|_| table.reconcile(flows, self.now))
            .map_err(|e| SimError::Table(dpid, e))
    }
}
