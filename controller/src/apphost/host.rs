//! The app host: registers apps, dispatches events to them, and turns the flows they want into
//! the FLOW_MODs that bring each switch there, sending only the difference.
//!
//! Sans-IO: the runtime calls the host with events, flow dumps, errors and `now`, and sends
//! what it returns (through [`plan`](super::plan)). Per switch the host keeps what it last
//! pushed (`installed`), so a [`refresh`](AppHost::refresh) after an app invalidates a switch
//! costs only the changed flows, and [`reconcile`](AppHost::reconcile) on (re)connection or
//! after a controller restart diffs against the switch's real table and leaves identical flows
//! untouched — counters and durations survive, which is what makes a restart hitless.
//!
//! Apps must be registered in the same order on every start: the registration index is the
//! owner in each flow's cookie (see [`cookie`](super::cookie)).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use navarch_app::{Action, App, Ctx, Event, View};
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

/// What the host knows of one switch.
#[derive(Default)]
struct SwitchFlows {
    /// Our flows as we last pushed them (or found them at reconciliation).
    installed: FlowTable,
    /// Flows the switch refused, as we sent them; not sent again while the app wants the same.
    failed: BTreeMap<CanonicalKey, FlowEntry>,
}

/// The app host.
pub struct AppHost {
    apps: Vec<Registered>,
    switches: BTreeMap<DatapathId, SwitchFlows>,
    stale: BTreeSet<DatapathId>,
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
            stale: BTreeSet::new(),
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
        if let Some(r) = self.apps.iter_mut().find(|r| r.owner == owner)
            && r.generation != generation
        {
            r.generation = generation;
            self.invalidate_all();
        }
    }

    /// Gives an event to every app in registration order and returns what they asked for,
    /// except invalidations, which the host records ([`take_stale`](AppHost::take_stale)).
    /// `SwitchDown` also forgets what the host knew of that switch's flows.
    pub fn dispatch(&mut self, event: &Event<'_>, view: &dyn View, now: Instant) -> Vec<Action> {
        let mut actions = Vec::new();
        for r in &mut self.apps {
            let mut ctx = Ctx::new(now);
            r.app.on_event(event, view, &mut ctx);
            actions.extend(ctx.take_actions());
        }
        if let Event::SwitchDown(dpid) = event {
            self.switch_down(*dpid);
        }
        self.absorb(actions)
    }

    /// Records the invalidations among `actions` and returns the others.
    fn absorb(&mut self, actions: Vec<Action>) -> Vec<Action> {
        let mut rest = Vec::new();
        for action in actions {
            match action {
                Action::Invalidate(dpid) => self.invalidate(dpid),
                Action::InvalidateAll => self.invalidate_all(),
                other => rest.push(other),
            }
        }
        rest
    }

    /// Marks a switch's flows stale: the runtime should call [`refresh`](AppHost::refresh).
    pub fn invalidate(&mut self, dpid: DatapathId) {
        if self.switches.contains_key(&dpid) {
            self.stale.insert(dpid);
        }
    }

    /// Marks every reconciled switch stale.
    pub fn invalidate_all(&mut self) {
        self.stale.extend(self.switches.keys().copied());
    }

    /// The stale switches, in datapath-id order; they are no longer marked.
    pub fn take_stale(&mut self) -> Vec<DatapathId> {
        std::mem::take(&mut self.stale).into_iter().collect()
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
        self.push(dpid, view, &actual)
    }

    /// The FLOW_MODs that bring a reconciled switch from what the host last pushed to what
    /// the apps want now, deletes first; empty for a switch never reconciled.
    pub fn refresh(&mut self, dpid: DatapathId, view: &dyn View) -> Vec<FlowMod> {
        self.stale.remove(&dpid);
        let Some(flows) = self.switches.get(&dpid) else {
            return Vec::new();
        };
        let installed = flows.installed.clone();
        self.push(dpid, view, &installed)
    }

    /// Diffs the apps' flows against `actual`, records the result as installed, and returns
    /// the FLOW_MODs.
    fn push(&mut self, dpid: DatapathId, view: &dyn View, actual: &FlowTable) -> Vec<FlowMod> {
        let desired = self.desired(dpid, view);
        let count = self.apps.len();
        let d: FlowDiff = diff(&desired, actual, |c| managed(c, count));
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
        }
        let conflicted: BTreeSet<CanonicalKey> =
            d.conflicts.iter().map(|c| c.wanted.key()).collect();
        let flows = self.switches.entry(dpid).or_default();
        flows.installed = desired
            .into_iter()
            .filter(|(k, _)| !conflicted.contains(k))
            .collect();
        let mods = d.flow_mods();
        if !mods.is_empty() {
            tracing::debug!(%dpid, deletes = d.deletes.len(), modifies = d.modifies.len(),
                adds = d.adds.len(), "flow changes");
        }
        mods
    }

    /// Every flow the apps want on `dpid` now, with cookies, minus refused ones: flows in
    /// tables their app does not own, duplicate keys, and flows the switch refused before in
    /// the same form.
    fn desired(&mut self, dpid: DatapathId, view: &dyn View) -> FlowTable {
        let mut out = FlowTable::new();
        let mut owners: BTreeMap<CanonicalKey, &'static str> = BTreeMap::new();
        let mut errors = Vec::new();
        let failed = self.switches.get(&dpid).map(|s| &s.failed);
        for r in &self.apps {
            let cookie = FlowCookie::new(r.owner, r.generation).encode();
            for spec in r.app.flows(dpid, view) {
                if !r.tables.contains(&spec.table) {
                    errors.push(FlowError::ForeignTable {
                        dpid,
                        app: r.app.name(),
                        table: spec.table,
                    });
                    continue;
                }
                let entry = FlowEntry::from_spec(&spec, cookie);
                let key = entry.key();
                if let Some(first) = owners.get(&key) {
                    errors.push(FlowError::DuplicateKey {
                        dpid,
                        app: r.app.name(),
                        first,
                        table: spec.table,
                        priority: spec.priority,
                    });
                    continue;
                }
                if failed
                    .and_then(|f| f.get(&key))
                    .is_some_and(|f| f.same_as(&entry))
                {
                    continue;
                }
                owners.insert(key.clone(), r.app.name());
                out.insert(key, entry);
            }
        }
        for e in errors {
            self.report(e);
        }
        out
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
        if let Some(flows) = self.switches.get_mut(&dpid) {
            let key = entry.key();
            if flows
                .installed
                .get(&key)
                .is_some_and(|e| e.cookie == removed.cookie)
            {
                flows.installed.remove(&key);
            }
        }
        let Some(owner) = FlowCookie::decode(removed.cookie).map(|c| c.owner) else {
            return Vec::new();
        };
        let Some(r) = self.apps.iter_mut().find(|r| r.owner == owner) else {
            return Vec::new();
        };
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
        let actions = ctx.take_actions();
        self.absorb(actions)
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
            .map(|s| s.installed.values().collect())
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
