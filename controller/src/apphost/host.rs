//! The app host: registers apps, dispatches events to them, and turns the flows they want into
//! the FLOW_MODs that bring each switch there, sending only the difference.
//!
//! Sans-IO: the runtime calls the host with events, flow dumps, errors and `now`, and sends
//! what it returns (through [`plan`](super::plan)). Per switch the host keeps what it last
//! pushed (`installed`), each flow with the app and [`Slice`] it came from, and what is stale:
//! whole apps or single slices. A [`refresh`](AppHost::refresh) asks the apps again for only
//! the stale part and sends only what changed in it, so learning one host costs the flows of
//! that host, not a recomputation of the switch. [`reconcile`](AppHost::reconcile) on
//! (re)connection or after a controller restart diffs everything against the switch's real
//! table and leaves identical flows untouched — counters and durations survive, which is what
//! makes a restart hitless.
//!
//! Apps must be registered in the same order on every start: the registration index is the
//! owner in each flow's cookie (see [`cookie`](super::cookie)).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use navarch_app::{Action, App, Ctx, Event, FlowSpec, Slice, View};
use openflow::msg::{ErrorMsg, FlowMod, FlowModCommand, FlowRemoved, FlowStats};
use openflow::{Cookie, DatapathId, ErrorCode, TableId};

use super::canon::{CanonicalKey, FlowEntry};
use super::cookie::{FlowCookie, Owner};
use super::diff::{FlowDiff, FlowTable, diff};

/// Why an app could not be registered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// The cookie layout has no owner value left for another app.
    #[error(
        "app {app}: no room for more than {} apps in the cookie",
        Owner::MAX_APPS
    )]
    TooManyApps {
        /// The app refused.
        app: &'static str,
    },
    /// An app with this name is already registered.
    #[error("app {app} is already registered")]
    DuplicateName {
        /// The name.
        app: &'static str,
    },
    /// Another app already owns a table this app claims.
    #[error("app {app} claims table {}, which app {owner} owns", table.0)]
    TableTaken {
        /// The app refused.
        app: &'static str,
        /// The table.
        table: TableId,
        /// The app that owns it.
        owner: &'static str,
    },
}

/// A flow the host did not install, or the switch refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// An app asked for a flow in a table it does not own; the flow was dropped.
    #[error("{dpid}: app {app} wants a flow in table {}, which it does not own", table.0)]
    ForeignTable {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// The table it asked for.
        table: TableId,
    },
    /// Two flows wanted the same table, priority and match; the later one was dropped.
    #[error("{dpid}: app {app} wants a flow at table {} priority {priority} that app {first} already wants", table.0)]
    DuplicateKey {
        /// The switch.
        dpid: DatapathId,
        /// The app whose flow was dropped.
        app: &'static str,
        /// The app whose flow was kept.
        first: &'static str,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
    },
    /// An app's `slice_flows` returned a flow of another slice; the flow was dropped.
    #[error("{dpid}: app {app} returned a flow of slice {got:?} when asked for slice {asked:?}")]
    WrongSlice {
        /// The switch.
        dpid: DatapathId,
        /// The app.
        app: &'static str,
        /// The slice asked for.
        asked: Slice,
        /// The slice of the flow returned.
        got: Slice,
    },
    /// A flow the host does not manage holds the key of a wanted flow; it was left alone.
    #[error("{dpid}: app {app} wants a flow at table {} priority {priority}, held by foreign cookie {:#x}", table.0, holder.0)]
    Occupied {
        /// The switch.
        dpid: DatapathId,
        /// The app that wanted the key.
        app: &'static str,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
        /// The cookie of the flow on the switch.
        holder: Cookie,
    },
    /// The switch answered a FLOW_MOD with an error; the flow is not retried until it changes.
    #[error("{dpid}: switch refused {command:?} for app {app} at table {} priority {priority}: {code:?}", table.0)]
    Rejected {
        /// The switch.
        dpid: DatapathId,
        /// The owner of the flow.
        app: &'static str,
        /// The command refused.
        command: FlowModCommand,
        /// The table.
        table: TableId,
        /// The priority.
        priority: u16,
        /// The switch's error.
        code: ErrorCode,
    },
}

/// One registered app.
struct Registered {
    app: Box<dyn App>,
    owner: Owner,
    generation: u32,
    tables: BTreeSet<TableId>,
}

/// A flow of ours on a switch, with where it came from.
#[derive(Clone, Debug)]
struct Installed {
    entry: FlowEntry,
    /// The app's registration index.
    app: usize,
    slice: Slice,
}

/// What the host knows of one switch.
#[derive(Default)]
struct SwitchFlows {
    /// Our flows as we last pushed them (or found them at reconciliation).
    installed: BTreeMap<CanonicalKey, Installed>,
    /// The keys each (app, slice) installed. May name keys since removed or now held by
    /// another slice: readers check `installed`.
    slices: HashMap<(usize, Slice), Vec<CanonicalKey>>,
    /// Flows the switch refused, as we sent them; not sent again while the app wants the same.
    failed: BTreeMap<CanonicalKey, FlowEntry>,
    /// Keys a flow we do not manage held at reconciliation: never written until the next one.
    conflicted: BTreeMap<CanonicalKey, Cookie>,
}

/// What of one app's flows on a switch must be asked for again.
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

/// The stale part of each app's flows on one switch, by registration index.
type StaleApps = BTreeMap<usize, Stale>;

/// The app host.
pub struct AppHost {
    apps: Vec<Registered>,
    switches: BTreeMap<DatapathId, SwitchFlows>,
    stale: BTreeMap<DatapathId, StaleApps>,
    errors: Vec<FlowError>,
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
            }],
            switches: BTreeMap::new(),
            stale: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    /// Registers an app after the ones already there; its cookie owner follows from the
    /// order. The core may share its tables; two apps may not.
    pub fn register(&mut self, app: Box<dyn App>, generation: u32) -> Result<Owner, RegisterError> {
        let name = app.name();
        if self.apps.iter().any(|r| r.app.name() == name) {
            return Err(RegisterError::DuplicateName { app: name });
        }
        let index = self.apps.len() - 1;
        let owner = Owner::app(index).ok_or(RegisterError::TooManyApps { app: name })?;
        let tables: BTreeSet<TableId> = app.tables().into_iter().collect();
        for other in self.apps.iter().filter(|r| r.owner != Owner::Core) {
            if let Some(table) = other.tables.intersection(&tables).next() {
                return Err(RegisterError::TableTaken {
                    app: name,
                    table: *table,
                    owner: other.app.name(),
                });
            }
        }
        self.apps.push(Registered {
            app,
            owner,
            generation,
            tables,
        });
        Ok(owner)
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
    /// except invalidations, which the host records ([`take_stale`](AppHost::take_stale)).
    /// `SwitchDown` also forgets what the host knew of that switch's flows.
    pub fn dispatch(&mut self, event: &Event<'_>, view: &dyn View, now: Instant) -> Vec<Action> {
        let mut rest = Vec::new();
        for index in 0..self.apps.len() {
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

    /// The FLOW_MODs that bring a switch from its real flow table `actual` (a complete flow
    /// dump) to what the apps want, deletes first. Flows the host does not manage are left
    /// alone; flows of ours the switch has identically are not touched. Starts the switch's
    /// bookkeeping afresh (flows that failed before are tried again once).
    pub fn reconcile(
        &mut self,
        dpid: DatapathId,
        view: &dyn View,
        actual: &[FlowStats],
    ) -> Vec<FlowMod> {
        let actual: FlowTable = actual
            .iter()
            .map(FlowEntry::from_stats)
            .map(|e| (e.key(), e))
            .collect();
        self.switches.insert(dpid, SwitchFlows::default());
        self.stale.remove(&dpid);
        let mut wanted = BTreeMap::new();
        for index in 0..self.apps.len() {
            let flows = self.apps[index].app.flows(dpid, view);
            self.collect(dpid, index, None, flows, &mut wanted);
        }
        let desired: FlowTable = wanted
            .iter()
            .map(|(k, i): (&CanonicalKey, &Installed)| (k.clone(), i.entry.clone()))
            .collect();
        let count = self.apps.len();
        let d: FlowDiff = diff(&desired, &actual, |c| managed(c, count));
        let mut conflicted = BTreeMap::new();
        for conflict in &d.conflicts {
            let w = &conflict.wanted;
            let error = FlowError::Occupied {
                dpid,
                app: self.app_name(w.cookie),
                table: w.table,
                priority: w.priority,
                holder: conflict.holder,
            };
            self.report(error);
            conflicted.insert(w.key(), conflict.holder);
        }
        let flows = self.switches.entry(dpid).or_default();
        for (key, installed) in wanted {
            if conflicted.contains_key(&key) {
                continue;
            }
            flows
                .slices
                .entry((installed.app, installed.slice.clone()))
                .or_default()
                .push(key.clone());
            flows.installed.insert(key, installed);
        }
        flows.conflicted = conflicted;
        let mods = d.flow_mods();
        if !mods.is_empty() {
            tracing::debug!(%dpid, deletes = d.deletes.len(), modifies = d.modifies.len(),
                adds = d.adds.len(), "flow changes");
        }
        mods
    }

    /// The FLOW_MODs that bring a reconciled switch from what the host last pushed to what
    /// the apps want now in the parts they invalidated, deletes first; empty for a switch
    /// never reconciled or with nothing stale.
    pub fn refresh(&mut self, dpid: DatapathId, view: &dyn View) -> Vec<FlowMod> {
        let Some(stale) = self.stale.remove(&dpid) else {
            return Vec::new();
        };
        if !self.switches.contains_key(&dpid) {
            return Vec::new();
        }
        // Ask the apps first, then take out everything the stale parts had installed, so a
        // flow that moved from one stale slice to another is compared, not deleted.
        let mut fresh: Vec<(usize, Option<Slice>, Vec<FlowSpec>)> = Vec::new();
        for (&index, part) in &stale {
            let app = &self.apps[index].app;
            match part {
                Stale::All => fresh.push((index, None, app.flows(dpid, view))),
                Stale::Slices(slices) => {
                    for slice in slices {
                        let flows = app.slice_flows(dpid, slice, view);
                        fresh.push((index, Some(slice.clone()), flows));
                    }
                }
            }
        }
        let Some(flows) = self.switches.get_mut(&dpid) else {
            return Vec::new();
        };
        let mut before: BTreeMap<CanonicalKey, Installed> = BTreeMap::new();
        for (&index, part) in &stale {
            let parts: Vec<(usize, Slice)> = match part {
                Stale::All => flows
                    .slices
                    .keys()
                    .filter(|(i, _)| *i == index)
                    .cloned()
                    .collect(),
                Stale::Slices(slices) => slices.iter().map(|s| (index, s.clone())).collect(),
            };
            for part in parts {
                for key in flows.slices.remove(&part).unwrap_or_default() {
                    let owned = flows
                        .installed
                        .get(&key)
                        .is_some_and(|i| (i.app, &i.slice) == (part.0, &part.1));
                    if owned && let Some(installed) = flows.installed.remove(&key) {
                        before.insert(key, installed);
                    }
                }
            }
        }
        let mut wanted = BTreeMap::new();
        for (index, slice, specs) in fresh {
            self.collect(dpid, index, slice.as_ref(), specs, &mut wanted);
        }
        let mut d = FlowDiff::default();
        let Some(flows) = self.switches.get_mut(&dpid) else {
            return Vec::new();
        };
        for (key, want) in wanted {
            match before.remove(&key) {
                None => d.adds.push(want.entry.clone()),
                Some(had) => match change(&want.entry, &had.entry) {
                    Change::None => {}
                    Change::Modify => d.modifies.push(want.entry.clone()),
                    Change::Add => d.adds.push(want.entry.clone()),
                },
            }
            flows
                .slices
                .entry((want.app, want.slice.clone()))
                .or_default()
                .push(key.clone());
            flows.installed.insert(key, want);
        }
        d.deletes = before.into_values().map(|i| i.entry).collect();
        let mods = d.flow_mods();
        if !mods.is_empty() {
            tracing::debug!(%dpid, deletes = d.deletes.len(), modifies = d.modifies.len(),
                adds = d.adds.len(), "flow changes");
        }
        mods
    }

    /// Turns an app's flows into entries with its cookie, into `out`, dropping (and
    /// reporting) flows in tables it does not own, of another slice than asked, or whose key
    /// is already wanted or installed by another app or slice; and silently dropping flows
    /// the switch refused before in the same form, or whose key a foreign flow holds.
    fn collect(
        &mut self,
        dpid: DatapathId,
        index: usize,
        asked: Option<&Slice>,
        specs: Vec<FlowSpec>,
        out: &mut BTreeMap<CanonicalKey, Installed>,
    ) {
        let r = &self.apps[index];
        let cookie = FlowCookie::new(r.owner, r.generation).encode();
        let name = r.app.name();
        let mut errors = Vec::new();
        let flows = self.switches.get(&dpid);
        for spec in specs {
            if !r.tables.contains(&spec.table) {
                errors.push(FlowError::ForeignTable {
                    dpid,
                    app: name,
                    table: spec.table,
                });
                continue;
            }
            if let Some(asked) = asked
                && spec.slice != *asked
            {
                errors.push(FlowError::WrongSlice {
                    dpid,
                    app: name,
                    asked: asked.clone(),
                    got: spec.slice,
                });
                continue;
            }
            let entry = FlowEntry::from_spec(&spec, cookie);
            let key = entry.key();
            let holder = out
                .get(&key)
                .map(|i| i.app)
                .or_else(|| flows.and_then(|f| f.installed.get(&key)).map(|i| i.app));
            if let Some(first) = holder {
                errors.push(FlowError::DuplicateKey {
                    dpid,
                    app: name,
                    first: self.apps[first].app.name(),
                    table: spec.table,
                    priority: spec.priority,
                });
                continue;
            }
            if let Some(f) = flows
                && (f.conflicted.contains_key(&key)
                    || f.failed
                        .get(&key)
                        .is_some_and(|failed| failed.same_as(&entry)))
            {
                continue;
            }
            out.insert(
                key,
                Installed {
                    entry,
                    app: index,
                    slice: spec.slice,
                },
            );
        }
        for e in errors {
            self.report(e);
        }
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
        let gone = self.switches.get_mut(&dpid).and_then(|flows| {
            let ours = flows
                .installed
                .get(&key)
                .is_some_and(|i| i.entry.cookie == removed.cookie);
            if ours {
                flows.installed.remove(&key)
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

    /// Handles the switch's error for a FLOW_MOD the host produced: the flow is marked failed
    /// (not retried until its app wants something different, or the switch reconnects) and
    /// the error is reported and returned.
    pub fn on_flow_mod_error(
        &mut self,
        dpid: DatapathId,
        flow_mod: &FlowMod,
        error: &ErrorMsg,
    ) -> FlowError {
        let entry = FlowEntry {
            cookie: flow_mod.cookie,
            table: flow_mod.table_id,
            priority: flow_mod.priority,
            match_: flow_mod.match_.clone(),
            instructions: flow_mod.instructions.clone(),
            idle_timeout: flow_mod.idle_timeout,
            hard_timeout: flow_mod.hard_timeout,
            flags: flow_mod.flags,
        };
        if let Some(flows) = self.switches.get_mut(&dpid) {
            let key = entry.key();
            flows.installed.remove(&key);
            if matches!(
                flow_mod.command,
                FlowModCommand::Add | FlowModCommand::Modify | FlowModCommand::ModifyStrict
            ) {
                flows.failed.insert(key, entry);
            }
        }
        let failure = FlowError::Rejected {
            dpid,
            app: self.app_name(flow_mod.cookie),
            command: flow_mod.command,
            table: flow_mod.table_id,
            priority: flow_mod.priority,
            code: error.code,
        };
        self.report(failure.clone());
        failure
    }

    /// Errors since the last call, oldest first.
    pub fn take_errors(&mut self) -> Vec<FlowError> {
        std::mem::take(&mut self.errors)
    }

    /// Our flows on `dpid` as last pushed, in key order (empty if never reconciled).
    pub fn installed(&self, dpid: DatapathId) -> Vec<&FlowEntry> {
        self.switches
            .get(&dpid)
            .map(|s| s.installed.values().map(|i| &i.entry).collect())
            .unwrap_or_default()
    }

    /// Logs an error and keeps it for [`take_errors`](AppHost::take_errors).
    fn report(&mut self, error: FlowError) {
        tracing::warn!(%error, "flow not installed");
        self.errors.push(error);
    }

    /// The name of the app a cookie belongs to (`"foreign"` if none).
    fn app_name(&self, cookie: Cookie) -> &'static str {
        FlowCookie::decode(cookie)
            .and_then(|c| self.apps.iter().find(|r| r.owner == c.owner))
            .map_or("foreign", |r| r.app.name())
    }
}

/// What it takes to turn a flow we installed into the one wanted at the same key.
enum Change {
    /// Nothing: they are the same.
    None,
    /// `MODIFY_STRICT`: only the instructions differ.
    Modify,
    /// `ADD` over it: the cookie, timeouts or flags differ.
    Add,
}

/// Compares two entries at the same key by the rules of [`diff`].
fn change(want: &FlowEntry, had: &FlowEntry) -> Change {
    let same_settings = want.cookie == had.cookie
        && want.idle_timeout == had.idle_timeout
        && want.hard_timeout == had.hard_timeout;
    // Both are ours and built the same way: equal as given is the common, cheap case.
    if same_settings && want.flags == had.flags && want.instructions == had.instructions {
        return Change::None;
    }
    if want.same_as(had) {
        return Change::None;
    }
    if same_settings && want.body().flags == had.body().flags {
        Change::Modify
    } else {
        Change::Add
    }
}

/// True if a flow with this cookie is the host's to change: the core's or a registered app's.
/// Operator flows, foreign cookies and apps not registered (now) are left alone.
fn managed(cookie: Cookie, registered: usize) -> bool {
    match FlowCookie::decode(cookie).map(|c| c.owner) {
        Some(Owner::Core) => true,
        Some(Owner::App(i)) => usize::from(i) + 1 < registered,
        Some(Owner::Operator) | None => false,
    }
}

#[cfg(test)]
#[path = "host_tests.rs"]
mod tests;
