//! The controller's main loop: one task owns the view (topology), the store and the app host;
//! switch I/O happens in the southbound's per-switch tasks, reached through their handles.
//!
//! Order of work for each switch event:
//! 1. the topology absorbs it (ports, links from verified LLDP, hosts from packet-ins);
//! 2. every durable change goes through the store, written once per batch of events (one
//!    fsync), before the batch's flow changes are pushed;
//! 3. apps hear about it and answer with packet-outs and invalidations;
//! 4. stale switches get only the difference between what the apps want and what was pushed.
//!
//! A switch that connects is reconciled once the view has settled (its links re-probed and
//! its ports past their hold-down): the host dumps its flows, groups and meters and sends only
//! the difference — groups and flows in an ONF bundle, meters (which bundles do not take)
//! before and after it. Until then nothing is pushed to it, so a controller restart never
//! disturbs flows that are still right.

mod api;
mod events;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

pub use api::{
    ApiHandle, AppChange, AppInfo, ReadView, Stopped, SwitchInfo, Write, WriteError, Written,
};

use navarch_app::{Action, Attachment, Event};
use openflow::msg::{ErrorMsg, PacketOut, PortReason};
use openflow::{Body, BufferId, DatapathId, Message, PortNo};
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use crate::apphost::{
    AppHost, BundleIds, Changes, CoreApp, FlowCookie, OwnedId, PlanConfig, SwitchDump, plan,
};
use crate::southbound::{
    ConfirmError, ListenAddr, RequestError, Southbound, SouthboundConfig, SwitchEvent,
    SwitchEventKind, SwitchHandle,
};
use crate::store::{Command, Store, StoreOptions};
use crate::topology::{Change, HostChange, Topology, TopologyConfig, lldp};

/// Everything the runtime needs to start.
pub struct RuntimeConfig {
    /// Where switches connect.
    pub listen: Vec<ListenAddr>,
    /// Southbound limits and policies.
    pub southbound: SouthboundConfig,
    /// The data directory of the store.
    pub data_dir: PathBuf,
    /// Store durability options.
    pub store: StoreOptions,
    /// Topology timers and bounds.
    pub topology: TopologyConfig,
    /// The secret LLDP probes are signed with (at least 16 bytes).
    pub cluster_secret: Vec<u8>,
    /// What the config file says of each app (the store's record wins once the API changed
    /// an app); apps of the catalog not listed start disabled.
    pub apps: Vec<AppSetup>,
    /// Send reconciliation plans in ONF bundles.
    pub bundles: bool,
}

/// An app as the config file sets it up.
#[derive(Clone, Debug, PartialEq)]
pub struct AppSetup {
    /// The app's name in the catalog.
    pub name: String,
    /// Whether it runs.
    pub enabled: bool,
    /// Its settings (the rest keep their defaults).
    pub settings: serde_json::Map<String, serde_json::Value>,
}

/// Why the runtime stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The store could not be opened.
    #[error("store: {0}")]
    Store(#[from] crate::store::StoreError),
    /// The LLDP secret is unusable.
    #[error("topology: {0}")]
    Secret(#[from] crate::topology::SecretError),
    /// An app could not be registered.
    #[error("apps: {0}")]
    Register(#[from] crate::apphost::RegisterError),
    /// The southbound could not listen.
    #[error("southbound: {0}")]
    Bind(#[from] crate::southbound::BindError),
    /// An app's stored or configured settings are refused.
    #[error("{0}")]
    App(String),
}

/// Where the runtime listens, once it does.
pub struct Running {
    /// The bound addresses (port 0 resolved).
    pub listen: Vec<ListenAddr>,
    /// How the API reaches the runtime.
    pub api: ApiHandle,
}

/// A connected switch as the runtime tracks it.
struct Switch {
    handle: SwitchHandle,
    /// When its view will have settled enough to reconcile.
    settle_at: Instant,
    /// Reconciled: pushes go to it incrementally from now on.
    reconciled: bool,
    /// A dump (flows, groups, meters) is under way.
    dumping: bool,
    bundle_ids: BundleIds,
    /// When it connected.
    connected_at: SystemTime,
}

/// Results of work done off the main loop.
enum Internal {
    /// A switch's dump for reconciliation.
    Dumped {
        dpid: DatapathId,
        generation: u64,
        dump: Result<SwitchDump, String>,
    },
    /// A reconciliation plan was applied (or refused in part).
    Pushed {
        dpid: DatapathId,
        generation: u64,
        outcome: Pushed,
        /// How many changes the plan had.
        changes: usize,
        /// The store revision it was computed at.
        revision: u64,
    },
    /// A switch answered the barrier after a push of flow changes.
    Confirmed {
        dpid: DatapathId,
        generation: u64,
        /// How many changes the push had.
        changes: usize,
        /// The store revision it was computed at.
        revision: u64,
        /// The writes it confirms.
        waiters: Vec<api::Waiter>,
        /// What the switch refused, or why the push is not confirmed.
        outcome: Result<Vec<(Body, ErrorMsg)>, String>,
    },
}

/// How a reconciliation plan went.
#[derive(Debug, Default)]
struct Pushed {
    /// The messages the switch refused, with its errors; the rest was applied.
    refused: Vec<(Body, ErrorMsg)>,
    /// Why some messages may not have been applied at all (not sent, no answer).
    failures: Vec<String>,
}

struct Runtime {
    topo: Topology,
    store: Store,
    host: AppHost,
    switches: BTreeMap<DatapathId, Switch>,
    /// Bumped at each connection so a late dump of an old connection is ignored.
    connection_generation: BTreeMap<DatapathId, u64>,
    internal: mpsc::Sender<Internal>,
    settle: Duration,
    bundles: bool,
    /// Store commands of the current batch of events.
    pending: Vec<Command>,
    /// Packet-outs of the current batch of events, per switch, sent as one queue entry each.
    outgoing: BTreeMap<DatapathId, Vec<Body>>,
    /// Packets that entered ports still probing, held until the port settles.
    held: Held,
    /// Until when ports may still be probing: fast probes go out until then.
    fast_probe_until: Option<Instant>,
    /// How long a port probes.
    holddown: Duration,
    /// Where events are recorded for API watchers.
    journal: Arc<crate::journal::Journal>,
    /// The operator's flows, as the host asks for them.
    book: crate::apphost::operator::OperatorBook,
    /// Each app's complete configuration.
    app_configs: api::AppConfigs,
    /// What apps share with the runtime (the tenant model).
    app_context: crate::catalog::AppContext,
    /// API writes waiting for switches to confirm.
    waits: api::Waits,
    /// What the port status being handled says happened, for port events.
    port_cause: Option<PortReason>,
}

/// Packets that entered probing ports: the switch did not forward them. When the port
/// settles as an edge port they are handed to the topology and apps as if they had just
/// arrived; when it turns out to be a link they are dropped. Bounded per port and in all.
#[derive(Default)]
struct Held {
    ports: BTreeMap<(DatapathId, PortNo), std::collections::VecDeque<openflow::msg::PacketIn>>,
    count: usize,
    dropped: u64,
}

/// Most packets held per probing port (the oldest go first).
const HELD_PER_PORT: usize = 64;
/// Most packets held in all.
const HELD_TOTAL: usize = 8192;

impl Held {
    fn hold(&mut self, dpid: DatapathId, port: PortNo, pin: openflow::msg::PacketIn) {
        if self.count >= HELD_TOTAL {
            self.dropped += 1;
            return;
        }
        let queue = self.ports.entry((dpid, port)).or_default();
        if queue.len() >= HELD_PER_PORT {
            queue.pop_front();
            self.count -= 1;
            self.dropped += 1;
        }
        queue.push_back(pin);
        self.count += 1;
    }

    fn take(&mut self, dpid: DatapathId, port: PortNo) -> Vec<openflow::msg::PacketIn> {
        let queue = self.ports.remove(&(dpid, port)).unwrap_or_default();
        self.count -= queue.len();
        queue.into()
    }

    fn forget_switch(&mut self, dpid: DatapathId) {
        let ports: Vec<_> = self
            .ports
            .range((dpid, PortNo(0))..=(dpid, PortNo(u32::MAX)))
            .map(|(k, _)| *k)
            .collect();
        for (d, p) in ports {
            self.take(d, p);
        }
    }
}

/// The base of every app's cookie generation (each configuration change adds one, stored),
/// so that a restarted controller recognises its own flows (it is part of the cookie).
const GENERATION: u32 = 1;

/// How often ports that are probing (and links seen one way) are probed.
const FAST_PROBE_INTERVAL: Duration = Duration::from_millis(100);

/// Most switch events handled between two store writes and flow pushes.
const EVENT_BATCH: usize = 1024;

/// API requests queued for the runtime before API tasks wait.
const API_QUEUE: usize = 1024;

/// Runs the controller until `shutdown` resolves. `ready` learns the bound addresses.
pub async fn run(
    config: RuntimeConfig,
    ready: impl FnOnce(Running),
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), RuntimeError> {
    let now = Instant::now();
    let store = Store::open(&config.data_dir, config.store.clone())?;
    let session = session_id();
    let settle = config
        .topology
        .edge_holddown
        .max(config.topology.probe_interval * 2)
        + config.topology.probe_interval;
    let mut topo = Topology::new(
        config.topology.clone(),
        &config.cluster_secret,
        session,
        now,
    )?;
    let links: Vec<_> = store.state().links().cloned().collect();
    let hosts: Vec<_> = store.state().hosts().cloned().collect();
    topo.restore_links(&links, now);
    topo.restore_hosts(&hosts);
    info!(revision = ?store.revision(), links = links.len(), hosts = hosts.len(), "state restored");

    // The core sends table misses to the controller unless an app owns the ingress table;
    // registering the apps tells which, so the core goes first with a placeholder answer
    // and is asked again below.
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), GENERATION);
    let app_context = crate::catalog::AppContext {
        tenants: segmentation::SharedModel::new(store.state().tenants().clone()),
    };
    let (app_configs, book) =
        api::register_apps(&mut host, store.state(), &config.apps, &app_context)?;
    let claims_ingress = host.apps().iter().any(|a| {
        matches!(a.owner, crate::apphost::Owner::App(_)) && a.tables.contains(&openflow::TableId(0))
    });
    host.replace(
        crate::apphost::Owner::Core,
        Box::new(CoreApp::new(!claims_ingress)),
        GENERATION,
    );

    let (southbound, mut events) =
        Southbound::bind(&config.listen, config.southbound.clone()).await?;
    for addr in southbound.local_addrs() {
        info!(%addr, "listening for switches");
    }
    let journal = Arc::new(crate::journal::Journal::new());
    journal.push(navarch_proto::v1::event::Event::Cluster(
        navarch_proto::v1::ClusterEvent {
            leader_id: crate::api::NODE_ID,
            term: 1,
        },
    ));
    let (api_tx, mut api_rx) = mpsc::channel(API_QUEUE);
    ready(Running {
        listen: southbound.local_addrs().to_vec(),
        api: ApiHandle::new(api_tx, journal.clone()),
    });

    let (internal_tx, mut internal_rx) = mpsc::channel(64);
    let mut rt = Runtime {
        topo,
        store,
        host,
        switches: BTreeMap::new(),
        connection_generation: BTreeMap::new(),
        internal: internal_tx,
        settle,
        bundles: config.bundles,
        pending: Vec::new(),
        outgoing: BTreeMap::new(),
        held: Held::default(),
        fast_probe_until: None,
        holddown: config.topology.edge_holddown,
        journal,
        book,
        app_configs,
        app_context,
        waits: api::Waits::default(),
        port_cause: None,
    };
    let mut fast_probe = tokio::time::interval(FAST_PROBE_INTERVAL);
    fast_probe.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut probe = tokio::time::interval(config.topology.probe_interval);
    probe.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);

    loop {
        let wake = rt.next_wake();
        tokio::select! {
            ev = events.recv() => match ev {
                Some(ev) => {
                    // One clock reading for the batch: it is handled at once.
                    let now = Instant::now();
                    rt.on_switch_event(ev, now);
                    // Whatever else is already queued joins this batch: one store write and
                    // one flow push for all of it.
                    for _ in 0..EVENT_BATCH {
                        match events.try_recv() {
                            Ok(ev) => rt.on_switch_event(ev, now),
                            Err(_) => break,
                        }
                    }
                }
                None => break,
            },
            Some(msg) = internal_rx.recv() => rt.on_internal(msg),
            Some(request) = api_rx.recv() => rt.on_api(request),
            _ = probe.tick() => rt.send_probes(),
            _ = fast_probe.tick(), if rt.fast_probe_until.is_some() => rt.send_fast_probes(),
            _ = tokio::time::sleep_until(wake.into()) => rt.on_timer(),
            _ = &mut shutdown => {
                info!("shutting down");
                break;
            }
        }
        rt.commit();
        rt.send_packet_outs();
        rt.flush();
    }
    // Keep draining events so every connection can deliver its last one and close.
    let drain = tokio::spawn(async move { while events.recv().await.is_some() {} });
    southbound.shutdown(Duration::from_secs(3)).await;
    drain.abort();
    Ok(())
}

/// A number that differs between controller runs (it keys LLDP probes to this run).
fn session_id() -> u64 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (t.as_nanos() as u64) ^ (u64::from(std::process::id()) << 32)
}

impl Runtime {
    /// When the loop must wake next even with no events.
    fn next_wake(&self) -> Instant {
        let far = Instant::now() + Duration::from_secs(3600);
        let settle = self
            .switches
            .values()
            .filter(|s| !s.reconciled && !s.dumping)
            .map(|s| s.settle_at)
            .min();
        [self.topo.poll_timeout(), settle]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(far)
    }

    fn on_switch_event(&mut self, ev: SwitchEvent, now: Instant) {
        let dpid = ev.dpid;
        match ev.kind {
            SwitchEventKind::Connected {
                features,
                ports,
                handle,
            } => {
                info!(%dpid, ports = ports.len(), "switch connected");
                self.record_switch(dpid, true, String::new());
                let changes = self.topo.switch_up(dpid, features.n_tables, ports, now);
                if let Some(cmd) = self.topo.switch_command(dpid) {
                    self.persist(&cmd);
                }
                let generation = self.connection_generation.entry(dpid).or_default();
                *generation += 1;
                self.switches.insert(
                    dpid,
                    Switch {
                        handle,
                        settle_at: now + self.settle,
                        reconciled: false,
                        dumping: false,
                        bundle_ids: BundleIds::new(),
                        connected_at: SystemTime::now(),
                    },
                );
                for (d, port, frame) in self.topo.lldp_frames_for(dpid, now) {
                    self.packet_out(d, probe_out(port, frame));
                }
                self.fast_probe_for_a_while(now);
                self.port_cause = Some(PortReason::Add);
                self.apply_changes(changes, now);
                self.port_cause = None;
                self.dispatch(&Event::SwitchUp(dpid), now);
                // A switch with none of our flows is set up at once; one that has some (we
                // restarted, or it reconnected) waits for the view to settle first.
                self.start_reconcile(dpid);
            }
            SwitchEventKind::Disconnected { reason } => {
                info!(%dpid, %reason, "switch disconnected");
                self.record_switch(dpid, false, reason.to_string());
                self.switches.remove(&dpid);
                self.held.forget_switch(dpid);
                self.waits.fail_switch(
                    dpid,
                    Vec::new(),
                    &format!(
                        "switch {dpid} disconnected before confirming; the change is committed \
                         and will be applied when it reconnects"
                    ),
                );
                let changes = self.topo.switch_down(dpid);
                self.port_cause = Some(PortReason::Delete);
                self.apply_changes(changes, now);
                self.port_cause = None;
                self.dispatch(&Event::SwitchDown(dpid), now);
            }
            SwitchEventKind::Message(msg) => self.on_message(dpid, msg, now),
        }
    }

    fn on_message(&mut self, dpid: DatapathId, msg: Message, now: Instant) {
        match msg.body {
            Body::PacketIn(pin) => {
                let Some(in_port) = pin.in_port() else {
                    debug!(%dpid, "packet-in without in_port ignored");
                    return;
                };
                if lldp::is_lldp(&pin.data) {
                    match self.topo.handle_lldp(dpid, in_port, &pin.data, now) {
                        Ok(changes) => {
                            self.probe_back(&changes, now);
                            self.apply_changes(changes, now);
                        }
                        Err(e) => debug!(%dpid, %in_port, error = %e, "LLDP probe rejected"),
                    }
                    return;
                }
                if self.topo.is_probing(dpid, in_port) {
                    // The switch did not forward it (see the L2 pipeline): keep it until the
                    // port shows whether a host or a switch sits behind it.
                    self.held.hold(dpid, in_port, pin);
                    return;
                }
                self.packet_in(dpid, in_port, &pin, false, now);
            }
            Body::PortStatus(ps) => {
                let port = ps.desc.port_no;
                let changes = self.topo.port_status(dpid, ps.reason, ps.desc, now);
                if self.topo.is_probing(dpid, port) {
                    // A port that came up is probed at once, well inside its hold-down.
                    self.probe_from(crate::topology::LinkEnd::new(dpid, port), now);
                    self.fast_probe_for_a_while(now);
                }
                if (ps.reason != PortReason::Modify || !changes.is_empty())
                    && let Some(cmd) = self.topo.switch_command(dpid)
                {
                    self.persist(&cmd);
                }
                debug!(%dpid, %port, reason = %ps.reason, "port status");
                self.port_cause = Some(ps.reason);
                self.apply_changes(changes, now);
                self.port_cause = None;
            }
            Body::FlowRemoved(fr) => {
                let operator = FlowCookie::decode(fr.cookie)
                    .is_some_and(|c| c.owner == crate::apphost::Owner::Operator);
                if operator
                    && matches!(
                        fr.reason,
                        openflow::msg::FlowRemovedReason::IdleTimeout
                            | openflow::msg::FlowRemovedReason::HardTimeout
                    )
                {
                    self.operator_flow_expired(dpid, &fr);
                }
                let actions = self.host.on_flow_removed(dpid, &fr, &self.topo, now);
                self.run_actions(actions, now);
            }
            Body::Error(e) => {
                warn!(%dpid, xid = %msg.xid, error = %e.code, "switch reported an error");
            }
            other => debug!(%dpid, msg_type = %other.msg_type(), "unsolicited message ignored"),
        }
    }

    /// Persists and announces the view's changes.
    fn apply_changes(&mut self, changes: Vec<Change>, now: Instant) {
        let mut topology_changed = false;
        for change in changes {
            if let Some(cmd) = change.command() {
                self.persist(&cmd);
            }
            self.record_change(&change);
            match change {
                Change::Port { dpid, port } => {
                    self.dispatch(&Event::PortChanged { dpid, port }, now);
                    self.release_held(dpid, port, now);
                }
                Change::Link(link) => {
                    match link {
                        crate::topology::LinkChange::Added(l) => info!(link = ?l, "link up"),
                        crate::topology::LinkChange::Removed(l) => info!(link = ?l, "link down"),
                    }
                    topology_changed = true;
                }
                Change::Host(h) => {
                    let event = host_event(&h);
                    self.dispatch(&event, now);
                }
            }
        }
        if topology_changed {
            self.dispatch(&Event::TopologyChanged, now);
        }
    }

    /// A packet from a host (or held while its port probed): the topology learns its sender,
    /// then apps hear of it.
    fn packet_in(
        &mut self,
        dpid: DatapathId,
        in_port: PortNo,
        pin: &openflow::msg::PacketIn,
        held: bool,
        now: Instant,
    ) {
        let changes = self.topo.learn_host(dpid, in_port, &pin.data);
        self.apply_changes(changes, now);
        self.dispatch(
            &Event::PacketIn {
                dpid,
                packet_in: pin,
                held,
            },
            now,
        );
    }

    /// Hands over the packets held at a port that stopped probing, if it settled as an edge
    /// port; drops them if it is a link or went away.
    fn release_held(&mut self, dpid: DatapathId, port: PortNo, now: Instant) {
        if self.topo.is_probing(dpid, port) {
            return;
        }
        let held = self.held.take(dpid, port);
        if held.is_empty() || !self.topo.is_edge_port(dpid, port) {
            return;
        }
        debug!(%dpid, %port, packets = held.len(), "port settled: handing over held packets");
        for pin in held {
            self.packet_in(dpid, port, &pin, true, now);
        }
    }

    /// Answers each link seen in one direction only with a probe the other way, so it is up
    /// both ways (and joins paths and the flood tree) within a round trip.
    fn probe_back(&mut self, changes: &[Change], now: Instant) {
        for change in changes {
            if let Change::Link(crate::topology::LinkChange::Added(link)) = change
                && !self.topo.has_link(link.reversed())
            {
                self.probe_from(link.dst, now);
            }
        }
    }

    /// Sends a probe out of one port.
    fn probe_from(&mut self, end: crate::topology::LinkEnd, now: Instant) {
        if let Some(frame) = self.topo.probe(end.dpid, end.port, now) {
            self.packet_out(end.dpid, probe_out(end.port, frame));
        }
    }

    /// Once a switch takes our flows (so LLDP that reaches it comes to us): probes out of
    /// its ports, and into it from the far end of each link it showed only outwards. Probes
    /// that crossed before either switch had our flows were lost; these find the links within
    /// a round trip.
    fn probe_towards(&mut self, dpid: DatapathId) {
        let now = Instant::now();
        for (d, port, frame) in self.topo.lldp_frames_for(dpid, now) {
            self.packet_out(d, probe_out(port, frame));
        }
        let unanswered: Vec<crate::topology::LinkEnd> = self
            .topo
            .links()
            .one_way()
            .filter(|l| l.src.dpid == dpid)
            .map(|l| l.dst)
            .collect();
        for end in unanswered {
            self.probe_from(end, now);
        }
    }

    /// Queues a command for the store; [`commit`](Self::commit) writes the batch.
    fn persist(&mut self, cmd: &Command) {
        self.pending.push(cmd.clone());
    }

    /// Writes the queued commands as one durable batch (one fsync). A command the state
    /// refuses (for example a link the store already dropped with its switch) changes nothing:
    /// it is logged and left out, and the rest is written.
    fn commit(&mut self) {
        while !self.pending.is_empty() {
            match self.store.apply_batch(&self.pending) {
                Ok(_) => break,
                Err(crate::store::StoreError::Rejected { index, source }) => {
                    let cmd = self.pending.remove(index);
                    debug!(?cmd, reason = %source, "store refused a redundant command");
                }
                Err(e) => {
                    warn!(error = %e, commands = self.pending.len(), "store write failed");
                    break;
                }
            }
        }
        self.pending.clear();
    }

    fn dispatch(&mut self, event: &Event<'_>, now: Instant) {
        let actions = self.host.dispatch(event, &self.topo, now);
        self.run_actions(actions, now);
    }

    fn run_actions(&mut self, actions: Vec<Action>, now: Instant) {
        for action in actions {
            match action {
                Action::PacketOut(dpid, po) => self.packet_out(dpid, po),
                Action::ForgetHost { mac, vlan } => {
                    if let Some(change) = self.topo.forget_host(mac, vlan) {
                        self.apply_changes(vec![change], now);
                    }
                }
                // The host keeps invalidations itself; none reach here.
                Action::Invalidate(_)
                | Action::InvalidateAll
                | Action::InvalidateSlice(..)
                | Action::InvalidateSliceEverywhere(_) => {}
            }
        }
    }

    /// Queues a packet-out; [`send_packet_outs`](Self::send_packet_outs) sends the batch.
    fn packet_out(&mut self, dpid: DatapathId, po: PacketOut) {
        if self.switches.contains_key(&dpid) {
            self.outgoing
                .entry(dpid)
                .or_default()
                .push(Body::PacketOut(po));
        }
    }

    /// Sends the batch's packet-outs, before its flow changes, as before them in time.
    fn send_packet_outs(&mut self) {
        for (dpid, bodies) in std::mem::take(&mut self.outgoing) {
            if let Some(sw) = self.switches.get(&dpid)
                && let Err(e) = sw.handle.send_all(bodies)
            {
                debug!(%dpid, error = %e, "packet-outs dropped");
            }
        }
    }

    /// Probes probing ports and one-way links until the last port that came up has settled.
    fn send_fast_probes(&mut self) {
        let now = Instant::now();
        if self.fast_probe_until.is_some_and(|until| now > until) {
            self.fast_probe_until = None;
            return;
        }
        for (dpid, port, frame) in self.topo.fast_probe_frames(now) {
            self.packet_out(dpid, probe_out(port, frame));
        }
    }

    /// Keeps fast probes going while ports that came up now probe.
    fn fast_probe_for_a_while(&mut self, now: Instant) {
        let until = now + self.holddown;
        self.fast_probe_until = Some(self.fast_probe_until.map_or(until, |u| u.max(until)));
    }

    fn send_probes(&mut self) {
        let now = Instant::now();
        for (dpid, port, frame) in self.topo.lldp_frames(now) {
            self.packet_out(dpid, probe_out(port, frame));
        }
    }

    fn on_timer(&mut self) {
        let now = Instant::now();
        let changes = self.topo.expire(now);
        self.apply_changes(changes, now);
        let due: Vec<DatapathId> = self
            .switches
            .iter()
            .filter(|(_, s)| !s.reconciled && !s.dumping && s.settle_at <= now)
            .map(|(d, _)| *d)
            .collect();
        for dpid in due {
            self.start_reconcile(dpid);
        }
    }

    /// Dumps a settled switch's flows, groups and meters off the loop; the result comes back
    /// as `Dumped`.
    fn start_reconcile(&mut self, dpid: DatapathId) {
        let Some(sw) = self.switches.get_mut(&dpid) else {
            return;
        };
        sw.dumping = true;
        let handle = sw.handle.clone();
        let generation = self
            .connection_generation
            .get(&dpid)
            .copied()
            .unwrap_or_default();
        let tx = self.internal.clone();
        tokio::spawn(async move {
            let dump = dump_switch(&handle).await.map_err(|e| e.to_string());
            let _ = tx
                .send(Internal::Dumped {
                    dpid,
                    generation,
                    dump,
                })
                .await;
        });
    }

    fn on_internal(&mut self, msg: Internal) {
        match msg {
            Internal::Dumped {
                dpid,
                generation,
                dump,
            } => {
                if self.connection_generation.get(&dpid) != Some(&generation) {
                    return;
                }
                let Some(sw) = self.switches.get_mut(&dpid) else {
                    return;
                };
                sw.dumping = false;
                let dump = match dump {
                    Ok(d) => d,
                    Err(e) => {
                        warn!(%dpid, error = %e, "dump failed; will retry");
                        sw.settle_at = Instant::now() + Duration::from_secs(1);
                        return;
                    }
                };
                if has_ours(&dump) && Instant::now() < sw.settle_at {
                    debug!(%dpid, "switch has our flows: reconciling once the view settles");
                    return;
                }
                let changes = self.host.reconcile(dpid, &self.topo, &dump);
                info!(%dpid, flows = dump.flows.len(),
                    groups = dump.groups.as_ref().map(Vec::len),
                    meters = dump.meters.as_ref().map(Vec::len),
                    changes = changes.len(), "reconciling");
                if changes.is_empty() {
                    sw.reconciled = true;
                    self.probe_towards(dpid);
                    return;
                }
                let handle = sw.handle.clone();
                let bundles = self.bundles;
                let tx = self.internal.clone();
                let revision = self.store.revision().0;
                tokio::spawn(async move {
                    let outcome = push_changes(&handle, &changes, bundles).await;
                    let _ = tx
                        .send(Internal::Pushed {
                            dpid,
                            generation,
                            outcome,
                            changes: changes.len(),
                            revision,
                        })
                        .await;
                });
            }
            Internal::Pushed {
                dpid,
                generation,
                outcome,
                changes,
                revision,
            } => {
                if self.connection_generation.get(&dpid) != Some(&generation) {
                    return;
                }
                if outcome.failures.is_empty() {
                    self.record_applied(dpid, changes - outcome.refused.len(), revision);
                }
                // What the switch refused is held back, not retried until it changes.
                for (body, error) in &outcome.refused {
                    self.host.on_refused(dpid, body, error);
                }
                let Some(sw) = self.switches.get_mut(&dpid) else {
                    return;
                };
                if outcome.refused.is_empty() && outcome.failures.is_empty() {
                    info!(%dpid, "reconciled");
                } else {
                    warn!(%dpid, refused = outcome.refused.len(), failures = ?outcome.failures,
                        "reconciled, with some changes refused or not sent");
                }
                // Whatever changed while the plan was in flight goes out now, in order.
                sw.reconciled = true;
                self.host.invalidate(dpid);
                self.probe_towards(dpid);
            }
            Internal::Confirmed {
                dpid,
                generation,
                changes,
                revision,
                waiters,
                outcome,
            } => {
                if self.connection_generation.get(&dpid) != Some(&generation) {
                    let why = format!(
                        "switch {dpid} reconnected before confirming; the change is committed \
                         and is being reconciled"
                    );
                    self.waits.fail_switch(dpid, waiters, &why);
                    return;
                }
                match outcome {
                    Ok(refused) => {
                        for (body, error) in &refused {
                            self.host.on_refused(dpid, body, error);
                        }
                        self.record_applied(dpid, changes - refused.len(), revision);
                        self.waits.confirmed(waiters, &refused);
                    }
                    Err(e) => {
                        let why = format!("switch {dpid} did not confirm the change: {e}");
                        self.waits.fail_switch(dpid, waiters, &why);
                        // What it has is unknown now: find out again, the hitless way.
                        if let Some(sw) = self.switches.get_mut(&dpid) {
                            warn!(%dpid, error = %e, "push not confirmed; reconciling again");
                            sw.reconciled = false;
                            sw.settle_at = Instant::now();
                        }
                    }
                }
            }
        }
    }

    /// Pushes the difference to every stale, reconciled switch, then a barrier; the answer
    /// comes back as `Confirmed` (to record the flows applied and answer waiting writes).
    /// A write waiting on the switch gets its push tracked message by message, so a refusal
    /// of its flow reaches it; a push nobody waits on is confirmed by the barrier alone.
    fn flush(&mut self) {
        let mut dpids = self.host.stale_switches();
        dpids.extend(self.waits.switches());
        dpids.sort_unstable();
        dpids.dedup();
        for dpid in dpids {
            let Some(sw) = self.switches.get_mut(&dpid) else {
                continue;
            };
            if !sw.reconciled {
                // Waits stay until the reconciliation's push (it sends everything).
                continue;
            }
            let changes = self.host.refresh(dpid, &self.topo);
            let waiters = self.waits.take(dpid);
            if changes.is_empty() && waiters.is_empty() {
                continue;
            }
            debug!(%dpid, changes = changes.len(), "pushing flow changes");
            let config = PlanConfig {
                bundles: false,
                ..PlanConfig::default()
            };
            let n = changes.len();
            let bodies = plan(&changes, config, &mut sw.bundle_ids);
            let generation = self
                .connection_generation
                .get(&dpid)
                .copied()
                .unwrap_or_default();
            let revision = self.store.revision().0;
            let tx = self.internal.clone();
            let sent = if waiters.is_empty() || bodies.is_empty() {
                sw.handle.send_all_then_barrier(bodies).map(|rx| {
                    tokio::spawn(async move {
                        let outcome = match rx.await {
                            Ok(Ok(_)) => Ok(Vec::new()),
                            Ok(Err(e)) => Err(e.to_string()),
                            Err(_) => Err("disconnected".to_owned()),
                        };
                        let _ = tx
                            .send(Internal::Confirmed {
                                dpid,
                                generation,
                                changes: n,
                                revision,
                                waiters,
                                outcome,
                            })
                            .await;
                    });
                })
            } else {
                let kept = bodies.clone();
                sw.handle.send_confirmed_now(bodies).map(|rx| {
                    tokio::spawn(async move {
                        let outcome = match rx.await {
                            Ok(Ok(())) => Ok(Vec::new()),
                            Ok(Err(ConfirmError::Rejected { failed })) => Ok(failed
                                .into_iter()
                                .filter_map(|f| kept.get(f.index).map(|b| (b.clone(), f.error)))
                                .collect()),
                            Ok(Err(e)) => Err(e.to_string()),
                            Err(_) => Err("disconnected".to_owned()),
                        };
                        let _ = tx
                            .send(Internal::Confirmed {
                                dpid,
                                generation,
                                changes: n,
                                revision,
                                waiters,
                                outcome,
                            })
                            .await;
                    });
                })
            };
            if let Err(e) = sent {
                // What the host counts as installed is no longer what the switch has: find
                // out again, the hitless way.
                warn!(%dpid, error = %e, "could not queue flow changes; reconciling again");
                sw.reconciled = false;
                sw.settle_at = Instant::now();
            }
        }
    }
}

/// A switch's flows, groups and meters, dumped at once. A switch that answers the group or
/// meter request with an error has no such table: it is reconciled without (the host reports
/// the apps' groups or meters it cannot have, once). Any other failure fails the dump.
async fn dump_switch(handle: &SwitchHandle) -> Result<SwitchDump, RequestError> {
    let (flows, groups, meters) = tokio::join!(
        handle.dump_flows(),
        handle.dump_groups(),
        handle.dump_meters()
    );
    let dpid = handle.dpid();
    Ok(SwitchDump {
        flows: flows?,
        groups: table_or_none(dpid, "group", groups)?,
        meters: table_or_none(dpid, "meter", meters)?,
    })
}

/// A group or meter dump, `None` when the switch refused it (it has no such table).
fn table_or_none<T>(
    dpid: DatapathId,
    what: &str,
    dump: Result<Vec<T>, RequestError>,
) -> Result<Option<Vec<T>>, RequestError> {
    match dump {
        Ok(entries) => Ok(Some(entries)),
        Err(RequestError::Rejected(error)) => {
            info!(%dpid, code = ?error.code, "switch has no {what} table");
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// True if the switch has anything of ours: a flow with our cookie, a group or meter in our
/// id layout.
fn has_ours(dump: &SwitchDump) -> bool {
    dump.flows
        .iter()
        .any(|f| FlowCookie::decode(f.cookie).is_some())
        || dump
            .groups
            .iter()
            .flatten()
            .any(|g| OwnedId::decode(g.group_id.0).is_some())
        || dump
            .meters
            .iter()
            .flatten()
            .any(|m| OwnedId::decode(m.meter_id.0).is_some())
}

/// Applies a reconciliation's changes in phase order (see [`Changes`]): meters added or
/// modified, confirmed by a barrier; groups and flows atomically in one ONF bundle when asked
/// and the switch takes it, else phase by phase, each confirmed by a barrier; meters deleted,
/// confirmed. A phase refused in part does not stop the next: what depends on a refused
/// message is refused in turn, and reported with it.
async fn push_changes(handle: &SwitchHandle, changes: &Changes, bundles: bool) -> Pushed {
    let mut out = Pushed::default();
    confirm(handle, changes.first_meters(), &mut out).await;
    let bundlable = changes.bundlable();
    let bundled = if bundles && !bundlable.is_empty() {
        match handle.bundle(bundlable).await {
            Ok(()) => true,
            Err(e) => {
                warn!(dpid = %handle.dpid(), error = %e, "bundle refused; applying phase by phase");
                false
            }
        }
    } else {
        false
    };
    if !bundled {
        for phase in changes.bundlable_phases() {
            confirm(handle, phase, &mut out).await;
        }
    }
    confirm(handle, changes.last_meters(), &mut out).await;
    out
}

/// Sends `bodies` confirmed by a barrier, noting what the switch refused in `out`.
async fn confirm(handle: &SwitchHandle, bodies: Vec<Body>, out: &mut Pushed) {
    if bodies.is_empty() {
        return;
    }
    match handle.send_confirmed(bodies.clone()).await {
        Ok(()) => {}
        Err(ConfirmError::Rejected { failed }) => {
            for f in failed {
                if let Some(body) = bodies.get(f.index) {
                    out.refused.push((body.clone(), f.error));
                }
            }
        }
        Err(e) => out.failures.push(e.to_string()),
    }
}

/// How apps hear of a host change.
fn host_event(change: &HostChange) -> Event<'static> {
    let at = |h: &navarch_app::HostInfo| Attachment {
        dpid: h.dpid,
        port: h.port,
    };
    let (before, after) = match change {
        HostChange::Added(h) => (None, Some(at(h))),
        HostChange::Moved { host, from } => (
            Some(Attachment {
                dpid: from.dpid,
                port: from.port,
            }),
            Some(at(host)),
        ),
        HostChange::AddressAdded(h) => (Some(at(h)), Some(at(h))),
        HostChange::Removed(h) => (Some(at(h)), None),
    };
    let h = change.host();
    Event::HostChanged {
        mac: h.mac,
        vlan: h.vlan,
        before,
        after,
    }
}

/// An LLDP probe sent out of one port.
fn probe_out(port: PortNo, frame: bytes::Bytes) -> PacketOut {
    PacketOut {
        buffer_id: BufferId::NO_BUFFER,
        in_port: PortNo::CONTROLLER,
        actions: vec![openflow::Action::Output { port, max_len: 0 }],
        data: frame,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::errcode::ErrorCode;
    use openflow::msg::{PacketIn, PacketInReason};
    use openflow::{Cookie, Match, OxmField, TableId};

    fn pin(n: u8, port: u32) -> PacketIn {
        PacketIn {
            buffer_id: BufferId::NO_BUFFER,
            total_len: 1,
            reason: PacketInReason::Action,
            table_id: TableId(0),
            cookie: Cookie(0),
            match_: Match::new().with(OxmField::InPort(PortNo(port))),
            data: bytes::Bytes::from(vec![n]),
        }
    }

    #[test]
    fn held_packets_are_bounded_per_port_and_in_all_and_kept_in_order() {
        let mut held = Held::default();
        let (s1, s2) = (DatapathId(1), DatapathId(2));
        for n in 0..(HELD_PER_PORT + 3) {
            held.hold(s1, PortNo(1), pin(n as u8, 1));
        }
        held.hold(s2, PortNo(1), pin(0, 1));
        assert_eq!(held.count, HELD_PER_PORT + 1);
        assert_eq!(held.dropped, 3);
        // The oldest went first; what is left comes out in arrival order.
        let out: Vec<u8> = held.take(s1, PortNo(1)).iter().map(|p| p.data[0]).collect();
        assert_eq!(out, (3..(HELD_PER_PORT + 3) as u8).collect::<Vec<u8>>());
        assert!(held.take(s1, PortNo(1)).is_empty());
        held.forget_switch(s2);
        assert_eq!(held.count, 0);
        assert!(held.ports.is_empty());

        // The total bound holds across ports.
        let ports = HELD_TOTAL / HELD_PER_PORT + 1;
        for p in 0..ports {
            for n in 0..HELD_PER_PORT {
                held.hold(s1, PortNo(p as u32), pin(n as u8, p as u32));
            }
        }
        assert_eq!(held.count, HELD_TOTAL);
        assert_eq!(held.dropped, 3 + HELD_PER_PORT as u64);
    }

    #[test]
    fn a_refused_group_or_meter_dump_means_no_such_table_and_other_failures_fail() {
        let dpid = DatapathId(1);
        let listed: Result<Vec<u32>, RequestError> = Ok(vec![7]);
        assert_eq!(table_or_none(dpid, "meter", listed), Ok(Some(vec![7])));
        // OFPBRC_BAD_STAT: the switch has no meter table.
        let refused = RequestError::Rejected(ErrorMsg::new(ErrorCode::from_raw(1, 2), Vec::new()));
        assert_eq!(table_or_none::<u32>(dpid, "meter", Err(refused)), Ok(None));
        let lost = RequestError::TimedOut;
        assert_eq!(
            table_or_none::<u32>(dpid, "group", Err(lost.clone())),
            Err(lost)
        );
    }

    #[test]
    fn only_our_cookies_and_ids_count_as_ours() {
        use crate::apphost::{OwnedId, Owner};
        use openflow::msg::{GroupDesc, GroupType, MeterConfig, MeterFlags};
        let theirs = SwitchDump {
            flows: Vec::new(),
            groups: Some(vec![GroupDesc {
                group_type: GroupType::All,
                group_id: openflow::GroupId(5),
                buckets: Vec::new(),
            }]),
            meters: None,
        };
        assert!(!has_ours(&theirs));
        let mut ours = theirs.clone();
        ours.meters = Some(vec![MeterConfig {
            flags: MeterFlags::KBPS,
            meter_id: OwnedId::new(Owner::App(0), 1).meter(),
            bands: Vec::new(),
        }]);
        assert!(has_ours(&ours));
    }
}
