//! The app host: registers apps, dispatches events to them, and turns the flows, groups and
//! meters they want into the messages that bring each switch there, sending only the
//! difference.
//!
//! Sans-IO: the runtime calls the host with events, dumps, errors and `now`, and sends what
//! it returns (through [`plan`](mod@super::plan)). Per switch the host keeps what it last pushed
//! (see `switch.rs`), each flow, group and meter with the app and [`Slice`] it
//! came from, and what is stale: whole apps or single slices. A
//! [`refresh`](AppHost::refresh) asks the apps again for only the stale part and sends only
//! what changed in it, so learning one host costs the flows of that host, not a
//! recomputation of the switch. [`reconcile`](AppHost::reconcile) on (re)connection or after
//! a controller restart diffs everything against the switch's real flows, groups and meters
//! and leaves identical ones untouched — counters and durations survive, which is what makes
//! a restart hitless.
//!
//! Groups and meters follow the flows' rules, keyed by id in each app's namespace (see
//! [`ids`]). The host keeps three invariants between them:
//!
//! * a flow is only sent when every group and meter it names is wanted on the switch (else
//!   it is dropped and reported), and the change set puts group and meter adds before it
//!   (see [`Changes`]);
//! * a group or meter is only deleted after the flows that named it: when a refresh deletes
//!   one that a flow of a slice not asked again still names, that flow is deleted first, as
//!   the switch would, reported ([`InstallError::Dangling`]), and its slice asked again;
//! * a flow held back because a group or meter it names was refused (or the switch has no
//!   table for it) is retried when that group or meter is next sent.
//!
//! Apps must be registered in the same order on every start: the registration index is the
//! owner in each flow's cookie (see [`cookie`](super::cookie)) and in each group's and
//! meter's id.

#[path = "collect.rs"]
mod collect;
#[path = "refused.rs"]
mod refused;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use navarch_app::{Action, App, Ctx, Event, Slice, View};
use openflow::msg::{FlowRemoved, FlowStats, GroupDesc, MeterConfig};
use openflow::{Cookie, DatapathId, GroupId, MeterId, TableId};

pub use super::error::{InstallError, Kind, RegisterError};

use super::canon::FlowEntry;
use super::cookie::{FlowCookie, Owner};
use super::diff::{Change, FlowDiff, FlowTable, IdDiff, change, changes, diff, diff_by_id};
use super::group::GroupEntry;
use super::ids::{self, OwnedId};
use super::meter::MeterEntry;
use super::plan::Changes;
use super::switch::{Entries, Named, Owned, Part, SwitchState};

/// What a switch reported it has: every flow, and every group and meter where it has a group
/// or meter table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwitchDump {
    /// Every flow of every table.
    pub flows: Vec<FlowStats>,
    /// Every group (`None`: the switch refused to describe its groups: it has none).
    pub groups: Option<Vec<GroupDesc>>,
    /// Every meter (`None`: the switch refused to describe its meters: it has none).
    pub meters: Option<Vec<MeterConfig>>,
}

impl SwitchDump {
    /// A switch with these flows and group and meter tables that are empty.
    pub fn flows(flows: Vec<FlowStats>) -> SwitchDump {
        SwitchDump {
            flows,
            groups: Some(Vec::new()),
            meters: Some(Vec::new()),
        }
    }
}

/// One registered app.
struct Registered {
    app: Box<dyn App>,
    owner: Owner,
    generation: u32,
    tables: BTreeSet<TableId>,
    /// A disabled app hears no events and has no flows, groups or meters on any switch.
    enabled: bool,
}

/// What the host says about one registered app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppStatus {
    /// Its name.
    pub name: &'static str,
    /// Its cookie owner.
    pub owner: Owner,
    /// Its cookie generation.
    pub generation: u32,
    /// The tables it owns.
    pub tables: Vec<TableId>,
    /// Whether it runs.
    pub enabled: bool,
}

/// What of one app's wishes on a switch must be asked for again.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Stale {
    /// Everything.
    All,
    /// These slices.
    Slices(BTreeSet<Slice>),
}

impl Stale {
    fn add(&mut self, slice: Option<Slice>) {
        match (self, slice) {
            (Stale::All, _) => {}
            (this, None) => *this = Stale::All,
            (Stale::Slices(set), Some(s)) => {
                set.insert(s);
            }
        }
    }
}

/// The stale part of each app's wishes on one switch, by registration index.
type StaleApps = BTreeMap<usize, Stale>;

/// The app host.
pub struct AppHost {
    apps: Vec<Registered>,
    switches: BTreeMap<DatapathId, SwitchState>,
    stale: BTreeMap<DatapathId, StaleApps>,
    errors: Vec<InstallError>,
}

impl AppHost {
    /// A host whose first app is the controller core (cookie owner [`Owner::Core`]).
    pub fn new(core: Box<dyn App>, core_generation: u32) -> AppHost {
        let tables = core.tables().into_iter().collect();
        AppHost {
            apps: vec![Registered {
                app: core,
                owner: Owner::Core,
                generation: core_generation,
                tables,
                enabled: true,
            }],
            switches: BTreeMap::new(),
            stale: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    /// Registers an enabled app after the ones already there; its cookie owner follows from
    /// the order. The core may share its tables; two enabled apps may not.
    pub fn register(&mut self, app: Box<dyn App>, generation: u32) -> Result<Owner, RegisterError> {
        self.register_as(app, generation, true)
    }

    /// Registers an app that starts disabled: it keeps its cookie owner, and may claim tables
    /// an enabled app owns until it is enabled itself.
    pub fn register_disabled(
        &mut self,
        app: Box<dyn App>,
        generation: u32,
    ) -> Result<Owner, RegisterError> {
        self.register_as(app, generation, false)
    }

    fn register_as(
        &mut self,
        app: Box<dyn App>,
        generation: u32,
        enabled: bool,
    ) -> Result<Owner, RegisterError> {
        let name = app.name();
        if self.apps.iter().any(|r| r.app.name() == name) {
            return Err(RegisterError::DuplicateName { app: name });
        }
        let index = self
            .apps
            .iter()
            .filter(|r| matches!(r.owner, Owner::App(_)))
            .count();
        let owner = Owner::app(index).ok_or(RegisterError::TooManyApps { app: name })?;
        let tables: BTreeSet<TableId> = app.tables().into_iter().collect();
        if enabled {
            self.check_tables(name, &tables, None)?;
        }
        self.apps.push(Registered {
            app,
            owner,
            generation,
            tables,
            enabled,
        });
        Ok(owner)
    }

    /// `TableTaken` if an enabled app other than `index` owns one of `tables`.
    fn check_tables(
        &self,
        name: &'static str,
        tables: &BTreeSet<TableId>,
        index: Option<usize>,
    ) -> Result<(), RegisterError> {
        for (i, other) in self.apps.iter().enumerate() {
            if Some(i) == index || !other.enabled || !matches!(other.owner, Owner::App(_)) {
                continue;
            }
            if let Some(table) = other.tables.intersection(tables).next() {
                return Err(RegisterError::TableTaken {
                    app: name,
                    table: *table,
                    owner: other.app.name(),
                });
            }
        }
        Ok(())
    }

    /// Registers the operator's flows (cookie owner [`Owner::Operator`]): like the core, it
    /// may use any table, and it comes before the apps, so an app flow with the key of an
    /// operator flow is the one refused.
    pub fn register_operator(&mut self, flows: Box<dyn App>) -> Result<(), RegisterError> {
        let name = flows.name();
        if self.apps.iter().any(|r| r.owner == Owner::Operator) {
            return Err(RegisterError::DuplicateName { app: name });
        }
        let tables = flows.tables().into_iter().collect();
        let at = self
            .apps
            .iter()
            .take_while(|r| r.owner == Owner::Core)
            .count();
        self.apps.insert(
            at,
            Registered {
                app: flows,
                owner: Owner::Operator,
                generation: 1,
                tables,
                enabled: true,
            },
        );
        Ok(())
    }

    /// Every registered app (the core and the operator's flows too), in registration order.
    pub fn apps(&self) -> Vec<AppStatus> {
        self.apps
            .iter()
            .map(|r| AppStatus {
                name: r.app.name(),
                owner: r.owner,
                generation: r.generation,
                tables: r.tables.iter().copied().collect(),
                enabled: r.enabled,
            })
            .collect()
    }

    /// Enables or disables an app: a disabled one hears no events, and its flows, groups and
    /// meters are removed from every switch at the next refresh; enabled again, it is asked
    /// for them everywhere. Returns false for an owner not registered; `TableTaken` (and
    /// nothing changes) when enabling an app whose tables another enabled app owns.
    pub fn set_enabled(&mut self, owner: Owner, enabled: bool) -> Result<bool, RegisterError> {
        let Some(index) = self.apps.iter().position(|r| r.owner == owner) else {
            return Ok(false);
        };
        if self.apps[index].enabled != enabled {
            if enabled && matches!(owner, Owner::App(_)) {
                let r = &self.apps[index];
                self.check_tables(r.app.name(), &r.tables, Some(index))?;
            }
            self.apps[index].enabled = enabled;
            self.mark_everywhere(index, None);
        }
        Ok(true)
    }

    /// `TableTaken` if enabling `owner` would make two enabled apps own one table.
    pub fn can_enable(&self, owner: Owner) -> Result<(), RegisterError> {
        match self.apps.iter().position(|r| r.owner == owner) {
            Some(index) if matches!(owner, Owner::App(_)) => {
                let r = &self.apps[index];
                self.check_tables(r.app.name(), &r.tables, Some(index))
            }
            _ => Ok(()),
        }
    }

    /// Marks one slice of one owner's flows on one switch stale (its state changed there).
    pub fn invalidate_slice(&mut self, dpid: DatapathId, owner: Owner, slice: Slice) {
        if let Some(index) = self.apps.iter().position(|r| r.owner == owner) {
            self.mark(dpid, index, Some(slice));
        }
    }

    /// Replaces an app's instance (built anew from a new configuration) and sets its
    /// generation; every switch is asked for its flows again. Returns false for an owner not
    /// registered, or an app of another name.
    pub fn replace(&mut self, owner: Owner, app: Box<dyn App>, generation: u32) -> bool {
        let Some(index) = self.apps.iter().position(|r| r.owner == owner) else {
            return false;
        };
        if self.apps[index].app.name() != app.name() {
            return false;
        }
        self.apps[index].app = app;
        self.apps[index].generation = generation;
        self.mark_everywhere(index, None);
        true
    }

    /// Marks one owner's flows on one switch stale (e.g. the operator's flows changed).
    pub fn invalidate_owner(&mut self, dpid: DatapathId, owner: Owner) {
        if let Some(index) = self.apps.iter().position(|r| r.owner == owner) {
            self.mark(dpid, index, None);
        }
    }

    /// The cookie owner of the app called `name`.
    pub fn owner_of(&self, name: &str) -> Option<Owner> {
        self.apps
            .iter()
            .find(|r| r.app.name() == name)
            .map(|r| r.owner)
    }

    /// Sets an app's generation (after its configuration changed) and marks every switch
    /// stale, so its flows are rewritten with the new generation in their cookies.
    pub fn set_generation(&mut self, owner: Owner, generation: u32) {
        if let Some(index) = self.apps.iter().position(|r| r.owner == owner)
            && self.apps[index].generation != generation
        {
            self.apps[index].generation = generation;
            let dpids: Vec<DatapathId> = self.switches.keys().copied().collect();
            for dpid in dpids {
                self.mark(dpid, index, None);
            }
        }
    }

    /// Gives an event to every app in registration order and returns what they asked for,
    /// except invalidations, which the host records ([`stale_switches`](AppHost::stale_switches)).
    /// `SwitchDown` also forgets what the host knew of that switch's flows.
    pub fn dispatch(&mut self, event: &Event<'_>, view: &dyn View, now: Instant) -> Vec<Action> {
        let mut rest = Vec::new();
        for index in 0..self.apps.len() {
            if !self.apps[index].enabled {
                continue;
            }
            let mut ctx = Ctx::new(now);
            self.apps[index].app.on_event(event, view, &mut ctx);
            let actions = ctx.take_actions();
            if !actions.is_empty() {
                self.absorb(index, actions, &mut rest);
            }
        }
        if let Event::SwitchDown(dpid) = event {
            self.switch_down(*dpid);
        }
        rest
    }

    /// Records app `index`'s invalidations among `actions` and adds the others to `rest`.
    fn absorb(&mut self, index: usize, actions: Vec<Action>, rest: &mut Vec<Action>) {
        for action in actions {
            match action {
                Action::Invalidate(dpid) => self.mark(dpid, index, None),
                Action::InvalidateAll => self.mark_everywhere(index, None),
                Action::InvalidateSlice(dpid, slice) => self.mark(dpid, index, Some(slice)),
                Action::InvalidateSliceEverywhere(slice) => {
                    self.mark_everywhere(index, Some(slice))
                }
                Action::PacketOut(dpid, mut po) => {
                    // Apps name groups by local id in packet-outs too.
                    let r = &self.apps[index];
                    let mut refs = ids::Refs::default();
                    match ids::map_actions(r.owner, &mut po.actions, &mut refs) {
                        Ok(()) => rest.push(Action::PacketOut(dpid, po)),
                        Err(reference) => {
                            let app = r.app.name();
                            self.report(InstallError::NotLocal {
                                dpid,
                                app,
                                reference,
                            });
                        }
                    }
                }
                other => rest.push(other),
            }
        }
    }

    /// Marks one app's flows on a reconciled switch stale: all of them, or one slice.
    fn mark(&mut self, dpid: DatapathId, index: usize, slice: Option<Slice>) {
        if !self.switches.contains_key(&dpid) {
            return;
        }
        self.stale
            .entry(dpid)
            .or_default()
            .entry(index)
            .or_insert_with(|| Stale::Slices(BTreeSet::new()))
            .add(slice);
    }

    fn mark_everywhere(&mut self, index: usize, slice: Option<Slice>) {
        let dpids: Vec<DatapathId> = self.switches.keys().copied().collect();
        for dpid in dpids {
            self.mark(dpid, index, slice.clone());
        }
    }

    /// Marks every app's flows on a switch stale: the runtime should call
    /// [`refresh`](AppHost::refresh).
    pub fn invalidate(&mut self, dpid: DatapathId) {
        for index in 0..self.apps.len() {
            self.mark(dpid, index, None);
        }
    }

    /// Marks every app's flows on every reconciled switch stale.
    pub fn invalidate_all(&mut self) {
        for index in 0..self.apps.len() {
            self.mark_everywhere(index, None);
        }
    }

    /// The switches with stale flows, in datapath-id order. They stay marked until
    /// [`refresh`](AppHost::refresh)ed or reconciled.
    pub fn stale_switches(&self) -> Vec<DatapathId> {
        self.stale.keys().copied().collect()
    }

    /// Forgets a switch (it disconnected); the next connection starts with
    /// [`reconcile`](AppHost::reconcile).
    pub fn switch_down(&mut self, dpid: DatapathId) {
        self.switches.remove(&dpid);
        self.stale.remove(&dpid);
    }

    /// The changes that bring a switch from what it reported (`dump`) to what the apps want:
    /// groups and meters by id, flows by key, ordered as [`Changes`] says. Flows, groups and
    /// meters the host does not manage are left alone; ours the switch has identically are not
    /// touched. Starts the switch's bookkeeping afresh (what failed before is tried again
    /// once). A switch without a group or meter table (`None` in the dump) gets none of the
    /// apps' groups or meters, each reported once.
    pub fn reconcile(&mut self, dpid: DatapathId, view: &dyn View, dump: &SwitchDump) -> Changes {
        let actual: FlowTable = dump
            .flows
            .iter()
            .map(FlowEntry::from_stats)
            .map(|e| (e.key(), e))
            .collect();
        let actual_groups: BTreeMap<GroupId, GroupEntry> = dump
            .groups
            .iter()
            .flatten()
            .map(|g| (g.group_id, GroupEntry::from_desc(g)))
            .collect();
        let actual_meters: BTreeMap<MeterId, MeterEntry> = dump
            .meters
            .iter()
            .flatten()
            .map(|m| (m.meter_id, MeterEntry::from_config(m)))
            .collect();
        let state = SwitchState::new(dump.groups.is_some(), dump.meters.is_some());
        self.switches.insert(dpid, state);
        self.stale.remove(&dpid);
        let answers = (0..self.apps.len())
            .map(|index| self.ask(index, dpid, None, view))
            .collect();
        let mut wanted = self.collect(dpid, answers, &Entries::default());

        let registered: BTreeSet<Owner> = self.apps.iter().map(|r| r.owner).collect();
        let managed = |owner: Option<Owner>| owner.is_some_and(|o| registered.contains(&o));
        let desired: FlowTable = wanted
            .flows
            .iter()
            .map(|(k, o)| (k.clone(), o.entry.clone()))
            .collect();
        let d = diff(&desired, &actual, |c| managed(cookie_owner(c)));
        let groups = diff_by_id(&entries(&wanted.groups), &actual_groups, |id| {
            managed(id_owner(id.0))
        });
        let meters = diff_by_id(&entries(&wanted.meters), &actual_meters, |id| {
            managed(id_owner(id.0))
        });
        let mut conflicted = BTreeMap::new();
        for conflict in &d.conflicts {
            let w = &conflict.wanted;
            let error = InstallError::Occupied {
                dpid,
                app: self.app_name(cookie_owner(w.cookie)),
                table: w.table,
                priority: w.priority,
                holder: conflict.holder,
            };
            self.report(error);
            conflicted.insert(w.key(), conflict.holder);
        }
        wanted.flows.retain(|k, _| !conflicted.contains_key(k));
        if let Some(state) = self.switches.get_mut(&dpid) {
            state.record(wanted);
            state.conflicted = conflicted;
        }
        log_changes(dpid, &d, &groups, &meters);
        changes(&d, &groups, &meters)
    }

    /// The changes that bring a reconciled switch from what the host last pushed to what the
    /// apps want now in the parts they invalidated, ordered as [`Changes`] says; empty for a
    /// switch never reconciled or with nothing stale.
    pub fn refresh(&mut self, dpid: DatapathId, view: &dyn View) -> Changes {
        let Some(stale) = self.stale.remove(&dpid) else {
            return Changes::default();
        };
        let Some(state) = self.switches.get(&dpid) else {
            return Changes::default();
        };
        // Ask the apps first, then take out everything the stale parts had installed, so an
        // entry that moved from one stale slice to another is compared, not deleted.
        let mut answers = Vec::new();
        let mut parts: Vec<Part> = Vec::new();
        for (&index, part) in &stale {
            match part {
                Stale::All => {
                    answers.push(self.ask(index, dpid, None, view));
                    parts.extend(state.parts_of(index));
                }
                Stale::Slices(slices) => {
                    for slice in slices {
                        answers.push(self.ask(index, dpid, Some(slice), view));
                        parts.push((index, slice.clone()));
                    }
                }
            }
        }
        let Some(state) = self.switches.get_mut(&dpid) else {
            return Changes::default();
        };
        let mut before = state.take(&parts);
        let wanted = self.collect(dpid, answers, &before);

        let mut d = FlowDiff::default();
        for (key, want) in &wanted.flows {
            match before.flows.remove(key) {
                None => d.adds.push(want.entry.clone()),
                Some(had) => match change(&want.entry, &had.entry) {
                    Change::None => {}
                    Change::Modify => d.modifies.push(want.entry.clone()),
                    Change::Add => d.adds.push(want.entry.clone()),
                },
            }
        }
        d.deletes = before.flows.into_values().map(|o| o.entry).collect();
        let groups = diff_by_id(&entries(&wanted.groups), &entries(&before.groups), |_| true);
        let meters = diff_by_id(&entries(&wanted.meters), &entries(&before.meters), |_| true);
        let Some(state) = self.switches.get_mut(&dpid) else {
            return Changes::default();
        };
        state.record(wanted);

        // Flows of parts not asked again that name a group or meter going away would vanish
        // with it: delete them first, and ask their slices again.
        let gone_groups: Vec<GroupId> = groups.deletes.iter().map(|g| g.id).collect();
        let gone_meters: Vec<MeterId> = meters.deletes.iter().map(|m| m.id).collect();
        let dangling = state.take_flows_naming(&gone_groups, &gone_meters);
        // Flows held back for want of a group or meter now sent are tried again.
        let sent_groups: Vec<GroupId> = groups
            .adds
            .iter()
            .chain(&groups.modifies)
            .map(|g| g.id)
            .collect();
        let sent_meters: Vec<MeterId> = meters
            .adds
            .iter()
            .chain(&meters.modifies)
            .map(|m| m.id)
            .collect();
        let retried = state.take_failed_naming(&sent_groups, &sent_meters);
        for (named, flow) in dangling {
            let (kind, local) = match named {
                Named::Group(g) => (Kind::Group, local_id(g.0)),
                Named::Meter(m) => (Kind::Meter, local_id(m.0)),
            };
            let error = InstallError::Dangling {
                dpid,
                app: self.apps[flow.app].app.name(),
                kind,
                id: local,
                table: flow.entry.table,
                priority: flow.entry.priority,
            };
            self.report(error);
            d.deletes.push(flow.entry);
            self.mark(dpid, flow.app, Some(flow.slice));
        }
        for (_, flow) in retried {
            self.mark(dpid, flow.app, Some(flow.slice));
        }
        log_changes(dpid, &d, &groups, &meters);
        changes(&d, &groups, &meters)
    }

    /// Handles a FLOW_REMOVED: forgets the flow and tells the app that owns it.
    pub fn on_flow_removed(
        &mut self,
        dpid: DatapathId,
        removed: &FlowRemoved,
        view: &dyn View,
        now: Instant,
    ) -> Vec<Action> {
        let entry = FlowEntry {
            cookie: removed.cookie,
            table: removed.table_id,
            priority: removed.priority,
            match_: removed.match_.clone(),
            instructions: Vec::new(),
            idle_timeout: 0,
            hard_timeout: 0,
            flags: Default::default(),
        };
        // A flow we believed installed is gone: its slice is stale, so a flow its app still
        // wants is put back. (Flows we deleted ourselves are no longer installed.)
        let key = entry.key();
        let gone = self.switches.get_mut(&dpid).and_then(|state| {
            let ours = state
                .installed
                .flows
                .get(&key)
                .is_some_and(|o| o.entry.cookie == removed.cookie);
            if ours {
                state.installed.flows.remove(&key)
            } else {
                None
            }
        });
        if let Some(gone) = gone {
            self.mark(dpid, gone.app, Some(gone.slice));
        }
        let Some(owner) = FlowCookie::decode(removed.cookie).map(|c| c.owner) else {
            return Vec::new();
        };
        let Some(index) = self.apps.iter().position(|r| r.owner == owner) else {
            return Vec::new();
        };
        let r = &mut self.apps[index];
        let event = Event::FlowRemoved {
            dpid,
            key: navarch_app::FlowKey {
                table: removed.table_id,
                priority: removed.priority,
                match_: removed.match_.clone(),
            },
            reason: removed.reason,
        };
        let mut ctx = Ctx::new(now);
        r.app.on_event(&event, view, &mut ctx);
        let mut rest = Vec::new();
        self.absorb(index, ctx.take_actions(), &mut rest);
        rest
    }

    /// Errors since the last call, oldest first.
    pub fn take_errors(&mut self) -> Vec<InstallError> {
        std::mem::take(&mut self.errors)
    }

    /// Our flows on `dpid` as last pushed, in key order (empty if never reconciled).
    pub fn installed(&self, dpid: DatapathId) -> Vec<&FlowEntry> {
        self.switches
            .get(&dpid)
            .map(|s| s.installed.flows.values().map(|o| &o.entry).collect())
            .unwrap_or_default()
    }

    /// Our groups on `dpid` as last pushed, in id order (empty if never reconciled).
    pub fn installed_groups(&self, dpid: DatapathId) -> Vec<&GroupEntry> {
        self.switches
            .get(&dpid)
            .map(|s| s.installed.groups.values().map(|o| &o.entry).collect())
            .unwrap_or_default()
    }

    /// Our meters on `dpid` as last pushed, in id order (empty if never reconciled).
    pub fn installed_meters(&self, dpid: DatapathId) -> Vec<&MeterEntry> {
        self.switches
            .get(&dpid)
            .map(|s| s.installed.meters.values().map(|o| &o.entry).collect())
            .unwrap_or_default()
    }

    /// Logs an error and keeps it for [`take_errors`](AppHost::take_errors).
    fn report(&mut self, error: InstallError) {
        tracing::warn!(%error, "not installed");
        self.errors.push(error);
    }

    /// The registration index of an owner, if registered.
    fn index_of(&self, owner: Option<Owner>) -> Option<usize> {
        let owner = owner?;
        self.apps.iter().position(|r| r.owner == owner)
    }

    /// The name of the app an owner is (`"foreign"` if none).
    fn app_name(&self, owner: Option<Owner>) -> &'static str {
        self.index_of(owner)
            .map_or("foreign", |i| self.apps[i].app.name())
    }
}

/// The owner a cookie names, if navarch wrote it.
fn cookie_owner(cookie: Cookie) -> Option<Owner> {
    FlowCookie::decode(cookie).map(|c| c.owner)
}

/// The owner a group or meter id names, if navarch chose it.
fn id_owner(raw: u32) -> Option<Owner> {
    OwnedId::decode(raw).map(|o| o.owner)
}

/// The owner's local id in a raw id of ours (the low bits of a foreign one).
fn local_id(raw: u32) -> u16 {
    OwnedId::decode(raw).map_or(raw as u16, |o| o.local)
}

/// The entries of owned ones.
fn entries<K: Ord + Copy, E: Clone>(owned: &BTreeMap<K, Owned<E>>) -> BTreeMap<K, E> {
    owned.iter().map(|(k, o)| (*k, o.entry.clone())).collect()
}

fn log_changes(
    dpid: DatapathId,
    flows: &FlowDiff,
    groups: &IdDiff<GroupEntry>,
    meters: &IdDiff<MeterEntry>,
) {
    if !flows.is_empty() || !groups.is_empty() || !meters.is_empty() {
        tracing::debug!(%dpid, deletes = flows.deletes.len(), modifies = flows.modifies.len(),
            adds = flows.adds.len(), group_changes = groups.adds.len() + groups.modifies.len()
            + groups.deletes.len(), meter_changes = meters.adds.len() + meters.modifies.len()
            + meters.deletes.len(), "changes");
    }
}

#[cfg(test)]
#[path = "host_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "host_group_tests.rs"]
mod group_tests;

#[cfg(test)]
#[path = "host_refusal_tests.rs"]
mod refusal_tests;
