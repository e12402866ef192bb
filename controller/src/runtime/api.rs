//! The runtime's side of the northbound API. The gRPC services (in [`crate::api`]) send
//! [`ApiRequest`]s over a channel to the runtime's task, which answers reads from its state
//! at once and applies writes in order with everything else: commit to the store first
//! (the reply never says done before that), then let the app host push the difference.
//!
//! A write that asks to be confirmed waits until every switch it affects has answered a
//! barrier sent after its flow changes ([`Waits`]); a switch that refuses the written flow
//! fails the wait with its error, one that disconnects fails it as unavailable. Either way
//! the change stays committed: the controller keeps bringing switches to the stored state.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use navarch_proto::v1::{AppEvent, event};
use openflow::msg::{ErrorMsg, FlowMod};
use openflow::{Body, DatapathId};
use segmentation::model::ModelCommand;
use serde_json::{Map, Value};
use tokio::sync::{mpsc, oneshot};
use tracing::{info, warn};

use super::{GENERATION, Runtime, Switch};
use crate::apphost::operator;
use crate::apphost::{AppHost, AppStatus, FlowCookie, Owner};
use crate::catalog;
use crate::journal::Journal;
use crate::store::{Command, OperatorFlowKey, State};
use crate::topology::Topology;

/// How API tasks reach the runtime. Cheap to clone.
#[derive(Clone)]
pub struct ApiHandle {
    requests: mpsc::Sender<ApiRequest>,
    journal: Arc<Journal>,
}

/// The runtime stopped: nothing can be read or written any more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the controller is shutting down")]
pub struct Stopped;

impl ApiHandle {
    pub(super) fn new(requests: mpsc::Sender<ApiRequest>, journal: Arc<Journal>) -> ApiHandle {
        ApiHandle { requests, journal }
    }

    /// Runs `read` on the runtime's task against its current state.
    pub async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&ReadView<'_>) -> T + Send + 'static,
    ) -> Result<T, Stopped> {
        let (tx, rx) = oneshot::channel();
        let request = ApiRequest::Read(Box::new(move |view| {
            let _ = tx.send(read(view));
        }));
        self.requests.send(request).await.map_err(|_| Stopped)?;
        rx.await.map_err(|_| Stopped)
    }

    /// Applies a write; returns once it is committed (and confirmed, if it asked).
    pub async fn write(&self, write: Write) -> Result<Written, WriteError> {
        let (tx, rx) = oneshot::channel();
        let gone = || WriteError::Unavailable(Stopped.to_string());
        self.requests
            .send(ApiRequest::Write(write, tx))
            .await
            .map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }

    /// The event journal.
    pub fn journal(&self) -> &Arc<Journal> {
        &self.journal
    }
}

/// A request from an API task.
pub(super) enum ApiRequest {
    /// Read the state (the closure answers its caller itself).
    Read(Box<dyn FnOnce(&ReadView<'_>) + Send>),
    /// Change it.
    Write(Write, oneshot::Sender<Result<Written, WriteError>>),
}

/// A change asked for through the API.
#[derive(Debug)]
pub enum Write {
    /// Store an operator flow (parsed with [`operator::parse_add`]) and install it.
    AddFlow {
        /// The switch.
        dpid: DatapathId,
        /// The flow.
        flow: FlowMod,
        /// Wait for the switch's barrier.
        confirm: bool,
    },
    /// Remove stored operator flows (pattern parsed with [`operator::parse_delete`]).
    DeleteFlow {
        /// The switch.
        dpid: DatapathId,
        /// Table, priority and match.
        pattern: FlowMod,
        /// Every flow the pattern's match contains, instead of the one with its key.
        loose: bool,
        /// Wait for the switch's barrier.
        confirm: bool,
    },
    /// Change the tenant model (checked by its rules) and the segmentation app's flows.
    Tenant {
        /// The change.
        cmd: ModelCommand,
        /// Wait for the barrier of every connected switch the change reaches.
        confirm: bool,
    },
    /// Enable, disable or reconfigure an app.
    App {
        /// Its name.
        name: String,
        /// What to change.
        change: AppChange,
        /// Wait for every connected switch's barrier.
        confirm: bool,
    },
}

/// A change to an app.
#[derive(Debug)]
pub enum AppChange {
    /// Enable (`true`) or disable it.
    Enable(bool),
    /// Replace these fields of its configuration.
    Configure(Map<String, Value>),
}

/// What a write did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The store revision it committed at (the current one when it changed nothing).
    pub revision: u64,
    /// Operator flows deleted.
    pub deleted: u32,
}

/// Why a write failed. Only [`WriteError::Invalid`] and [`WriteError::NotFound`] mean
/// nothing changed; the others come after the commit, which stands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// What the write names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// A field of the request is wrong.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The change is refused in the current state (nothing changed), or a switch refused
    /// it (it stays committed).
    #[error("{0}")]
    Refused(String),
    /// A field collides with something that exists; nothing changed.
    #[error("{field}: {message}")]
    AlreadyExists {
        /// The field.
        field: String,
        /// What it collides with.
        message: String,
    },
    /// The change could not be committed, or not confirmed.
    #[error("{0}")]
    Unavailable(String),
}

/// The runtime's state, read-only, for API reads.
pub struct ReadView<'a> {
    pub(super) topo: &'a Topology,
    pub(super) state: &'a State,
    pub(super) host: &'a AppHost,
    pub(super) switches: &'a BTreeMap<DatapathId, Switch>,
    pub(super) app_configs: &'a AppConfigs,
    pub(super) writable: bool,
}

/// A connected switch, as the API shows it.
pub struct SwitchInfo<'a> {
    /// The connection.
    pub handle: &'a crate::southbound::SwitchHandle,
    /// When it connected.
    pub connected_at: SystemTime,
    /// Its flows were reconciled.
    pub reconciled: bool,
}

/// An app, as the API shows it.
pub struct AppInfo {
    /// What the host says.
    pub status: AppStatus,
    /// Its complete configuration.
    pub config: Map<String, Value>,
}

impl ReadView<'_> {
    /// Whether the store takes writes.
    pub fn writable(&self) -> bool {
        self.writable
    }

    /// The topology.
    pub fn topology(&self) -> &Topology {
        self.topo
    }

    /// The store's state.
    pub fn state(&self) -> &State {
        self.state
    }

    /// The connected switches, in datapath-id order.
    pub fn switches(&self) -> impl Iterator<Item = (DatapathId, SwitchInfo<'_>)> {
        self.switches.iter().map(|(dpid, sw)| {
            (
                *dpid,
                SwitchInfo {
                    handle: &sw.handle,
                    connected_at: sw.connected_at,
                    reconciled: sw.reconciled,
                },
            )
        })
    }

    /// One connected switch.
    pub fn switch(&self, dpid: DatapathId) -> Option<SwitchInfo<'_>> {
        self.switches.get(&dpid).map(|sw| SwitchInfo {
            handle: &sw.handle,
            connected_at: sw.connected_at,
            reconciled: sw.reconciled,
        })
    }

    /// The apps of the catalog (not the core or the operator's flows), in name order.
    pub fn apps(&self) -> Vec<AppInfo> {
        let mut apps: Vec<AppInfo> = self
            .host
            .apps()
            .into_iter()
            .filter(|a| matches!(a.owner, Owner::App(_)))
            .map(|status| AppInfo {
                config: self
                    .app_configs
                    .get(status.name)
                    .cloned()
                    .unwrap_or_default(),
                status,
            })
            .collect();
        apps.sort_by_key(|a| a.status.name);
        apps
    }

    /// Who owns a flow with this cookie: `core`, `operator`, an app's name or `foreign`.
    pub fn cookie_owner(&self, cookie: u64) -> String {
        match FlowCookie::decode(openflow::Cookie(cookie)) {
            Some(c) => self.owner_name(c.owner),
            None => "foreign".into(),
        }
    }

    /// Who owns a group or meter with this id.
    pub fn id_owner(&self, id: u32) -> String {
        match crate::apphost::OwnedId::decode(id) {
            Some(o) => self.owner_name(o.owner),
            None => "foreign".into(),
        }
    }

    fn owner_name(&self, owner: Owner) -> String {
        self.host
            .apps()
            .iter()
            .find(|a| a.owner == owner)
            .map_or_else(|| "foreign".into(), |a| a.name.to_string())
    }
}

/// Writes waiting for switches to confirm.
#[derive(Default)]
pub(super) struct Waits {
    next_id: u64,
    /// Per switch, the waits its next push confirms.
    by_switch: BTreeMap<DatapathId, Vec<Waiter>>,
    pending: BTreeMap<u64, Pending>,
}

/// One switch's part of a wait.
#[derive(Clone, Debug)]
pub(super) struct Waiter {
    id: u64,
    /// The operator flow written, to tell whether a refusal is about it.
    key: Option<OperatorFlowKey>,
}

struct Pending {
    remaining: usize,
    written: Written,
    reply: oneshot::Sender<Result<Written, WriteError>>,
}

impl Waits {
    /// Switches with waits for their next push.
    pub(super) fn switches(&self) -> Vec<DatapathId> {
        self.by_switch.keys().copied().collect()
    }

    /// The waits the next push to `dpid` will confirm.
    pub(super) fn take(&mut self, dpid: DatapathId) -> Vec<Waiter> {
        self.by_switch.remove(&dpid).unwrap_or_default()
    }

    /// Fails every wait on `dpid`, pending or taken.
    pub(super) fn fail_switch(&mut self, dpid: DatapathId, waiters: Vec<Waiter>, why: &str) {
        let all = waiters.into_iter().chain(self.take(dpid));
        for w in all.collect::<Vec<_>>() {
            self.resolve(&w, Some(WriteError::Unavailable(why.to_owned())));
        }
    }

    /// Records `dpid`'s answer for one waiter: an error ends the wait at once; the wait
    /// succeeds when every switch answered.
    pub(super) fn resolve(&mut self, w: &Waiter, error: Option<WriteError>) {
        let Some(p) = self.pending.get_mut(&w.id) else {
            return;
        };
        p.remaining = p.remaining.saturating_sub(1);
        if error.is_some() || p.remaining == 0 {
            let p = self.pending.remove(&w.id).expect("present");
            let _ = p.reply.send(match error {
                Some(e) => Err(e),
                None => Ok(p.written),
            });
        }
    }

    /// Resolves waiters after a push: refused if the switch refused their flow.
    pub(super) fn confirmed(&mut self, waiters: Vec<Waiter>, refused: &[(Body, ErrorMsg)]) {
        for w in waiters {
            let refusal = w.key.as_ref().and_then(|key| {
                refused.iter().find_map(|(body, error)| match body {
                    Body::FlowMod(fm)
                        if operator::key_of(fm.table_id, fm.priority, &fm.match_) == *key =>
                    {
                        Some(WriteError::Refused(format!(
                            "the switch refused the flow: {}",
                            crate::southbound::describe_error(error)
                        )))
                    }
                    _ => None,
                })
            });
            self.resolve(&w, refusal);
        }
    }
}

impl Runtime {
    pub(super) fn on_api(&mut self, request: ApiRequest) {
        match request {
            ApiRequest::Read(read) => read(&ReadView {
                topo: &self.topo,
                state: self.store.state(),
                host: &self.host,
                switches: &self.switches,
                app_configs: &self.app_configs,
                writable: self.store.is_writable(),
            }),
            ApiRequest::Write(write, reply) => {
                // What the events before it changed is committed first, in order.
                self.commit();
                self.on_write(write, reply);
            }
        }
    }

    fn on_write(&mut self, write: Write, reply: oneshot::Sender<Result<Written, WriteError>>) {
        match write {
            Write::AddFlow {
                dpid,
                flow,
                confirm,
            } => {
                if let Err(e) = self.known(dpid) {
                    let _ = reply.send(Err(e));
                    return;
                }
                let record = operator::record_of(&flow);
                let key = record.key();
                let cmd = Command::OperatorFlowSet {
                    dpid: dpid.0,
                    flow: record,
                };
                let written = match self.apply_now(&cmd) {
                    Ok(revision) => Written {
                        revision,
                        deleted: 0,
                    },
                    Err(e) => {
                        let _ = reply.send(Err(e));
                        return;
                    }
                };
                info!(%dpid, flow = %flow, "operator flow stored");
                self.sync_operator(dpid);
                self.reply_or_wait(vec![dpid], Some(key), written, confirm, reply);
            }
            Write::DeleteFlow {
                dpid,
                pattern,
                loose,
                confirm,
            } => {
                if let Err(e) = self.known(dpid) {
                    let _ = reply.send(Err(e));
                    return;
                }
                let keys: Vec<OperatorFlowKey> = if loose {
                    self.store
                        .state()
                        .operator_flows(dpid.0)
                        .filter(|r| {
                            operator::spec_of(r)
                                .is_ok_and(|spec| operator::loosely_matches(&pattern, &spec))
                        })
                        .map(|r| r.key())
                        .collect()
                } else {
                    let key = operator::key_of(pattern.table_id, pattern.priority, &pattern.match_);
                    let stored = self
                        .store
                        .state()
                        .operator_flows(dpid.0)
                        .any(|r| r.key() == key);
                    if stored { vec![key] } else { Vec::new() }
                };
                if keys.is_empty() {
                    let _ = reply.send(Ok(Written {
                        revision: self.store.revision().0,
                        deleted: 0,
                    }));
                    return;
                }
                let deleted = keys.len() as u32;
                let cmd = Command::OperatorFlowsRemoved { dpid: dpid.0, keys };
                let revision = match self.apply_now(&cmd) {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = reply.send(Err(e));
                        return;
                    }
                };
                info!(%dpid, deleted, "operator flows deleted");
                self.sync_operator(dpid);
                let written = Written { revision, deleted };
                self.reply_or_wait(vec![dpid], None, written, confirm, reply);
            }
            Write::App {
                name,
                change,
                confirm,
            } => self.on_app_write(&name, change, confirm, reply),
            Write::Tenant { cmd, confirm } => self.on_tenant_write(cmd, confirm, reply),
        }
    }

    /// Commits a change to the tenant model, hands it to the segmentation app's copy and
    /// marks stale exactly the networks it changed, on the switches they reach.
    fn on_tenant_write(
        &mut self,
        cmd: ModelCommand,
        confirm: bool,
        reply: oneshot::Sender<Result<Written, WriteError>>,
    ) {
        if let Err(e) = self.store.state().tenants().check(&cmd) {
            let _ = reply.send(Err(model_error(e)));
            return;
        }
        let revision = match self.apply_now(&Command::Segmentation(cmd.clone())) {
            Ok(r) => r,
            Err(e) => {
                let _ = reply.send(Err(e));
                return;
            }
        };
        let effect = match self.app_context.tenants.apply(&cmd) {
            Ok(effect) => effect,
            Err(e) => {
                // The app's copy disagrees with the store: take the store's whole.
                warn!(error = %e, "tenant model out of step with the store; reloaded");
                *self.app_context.tenants.lock() = self.store.state().tenants().clone();
                segmentation::model::Effect::default()
            }
        };
        let connected: Vec<DatapathId> = self.switches.keys().copied().collect();
        let mut affected = std::collections::BTreeSet::new();
        let owner = self.host.owner_of(segmentation::NAME);
        let enabled = self
            .host
            .apps()
            .iter()
            .any(|a| Some(a.owner) == owner && a.enabled);
        if let Some(owner) = owner.filter(|_| enabled) {
            for (dpid, slice) in segmentation::Segmentation::invalidations(&effect, &connected) {
                self.host.invalidate_slice(dpid, owner, slice);
                affected.insert(dpid);
            }
        }
        info!(change = ?cmd, networks = effect.networks.len(), switches = affected.len(),
            "tenant model changed");
        let written = Written {
            revision,
            deleted: 0,
        };
        // Switches the change reaches that are not connected get it when they connect.
        let dpids = affected
            .into_iter()
            .filter(|d| self.switches.contains_key(d))
            .collect();
        self.reply_or_wait(dpids, None, written, confirm, reply);
    }

    fn on_app_write(
        &mut self,
        name: &str,
        change: AppChange,
        confirm: bool,
        reply: oneshot::Sender<Result<Written, WriteError>>,
    ) {
        let (Some(entry), Some(owner)) = (catalog::entry(name), self.host.owner_of(name)) else {
            let _ = reply.send(Err(WriteError::NotFound(format!("no app named {name:?}"))));
            return;
        };
        let status = |host: &AppHost| host.apps().into_iter().find(|a| a.owner == owner);
        let Some(before) = status(&self.host) else {
            let _ = reply.send(Err(WriteError::NotFound(format!("no app named {name:?}"))));
            return;
        };
        let result = match change {
            AppChange::Enable(enabled) => {
                if before.enabled == enabled {
                    Ok(None)
                } else {
                    let cmd = Command::AppEnabled {
                        app: entry.name.to_owned(),
                        enabled,
                    };
                    // Two enabled apps cannot own the same table: refuse before committing.
                    let probe = if enabled {
                        self.host.can_enable(owner)
                    } else {
                        Ok(())
                    };
                    match probe {
                        Err(e) => Err(WriteError::Refused(format!(
                            "{e}: disable {} first",
                            match &e {
                                crate::apphost::RegisterError::TableTaken { owner, .. } => owner,
                                _ => "it",
                            }
                        ))),
                        Ok(()) => self.apply_now(&cmd).map(|revision| {
                            let _ = self.host.set_enabled(owner, enabled);
                            Some(revision)
                        }),
                    }
                }
            }
            AppChange::Configure(patch) => {
                let current = self
                    .app_configs
                    .get(entry.name)
                    .cloned()
                    .unwrap_or_default();
                match entry.configure(&current, &patch, &self.app_context) {
                    Err(e) => Err(WriteError::Invalid {
                        field: e.field,
                        message: e.message,
                    }),
                    Ok((merged, _)) if merged == current => Ok(None),
                    Ok((merged, app)) => {
                        let cmd = Command::AppConfigSet {
                            app: entry.name.to_owned(),
                            config: Value::Object(merged.clone()),
                        };
                        self.apply_now(&cmd).map(|revision| {
                            let generation = app_generation(self.store.state(), entry.name);
                            self.host.replace(owner, app, generation);
                            self.app_configs.insert(entry.name, merged);
                            Some(revision)
                        })
                    }
                }
            }
        };
        let revision = match result {
            Err(e) => {
                let _ = reply.send(Err(e));
                return;
            }
            Ok(None) => {
                let _ = reply.send(Ok(Written {
                    revision: self.store.revision().0,
                    deleted: 0,
                }));
                return;
            }
            Ok(Some(revision)) => revision,
        };
        let after = status(&self.host).unwrap_or(before.clone());
        info!(
            app = name,
            enabled = after.enabled,
            generation = after.generation,
            "app changed"
        );
        self.journal.push(event::Event::App(AppEvent {
            name: name.to_owned(),
            enabled: after.enabled,
            generation: after.generation,
        }));
        // Its flows change on every switch where it runs or ran.
        let affected = if before.enabled || after.enabled {
            self.switches.keys().copied().collect()
        } else {
            Vec::new()
        };
        let written = Written {
            revision,
            deleted: 0,
        };
        self.reply_or_wait(affected, None, written, confirm, reply);
    }

    /// NOT_FOUND unless the store knows the switch (it connected at least once).
    fn known(&self, dpid: DatapathId) -> Result<(), WriteError> {
        if self.store.state().switch(dpid.0).is_some() {
            Ok(())
        } else {
            Err(WriteError::NotFound(format!(
                "dpid: no switch with datapath id {dpid} is known (it never connected)"
            )))
        }
    }

    /// Applies one command durably now; its revision, or UNAVAILABLE.
    fn apply_now(&mut self, cmd: &Command) -> Result<u64, WriteError> {
        self.store
            .apply(cmd)
            .map(|applied| applied.revision.0)
            .map_err(|e| {
                warn!(error = %e, "API write not committed");
                WriteError::Unavailable(format!("the change could not be committed: {e}"))
            })
    }

    /// Replies now, or once every switch in `dpids` has confirmed its next push.
    fn reply_or_wait(
        &mut self,
        dpids: Vec<DatapathId>,
        key: Option<OperatorFlowKey>,
        written: Written,
        confirm: bool,
        reply: oneshot::Sender<Result<Written, WriteError>>,
    ) {
        if !confirm || dpids.is_empty() {
            let _ = reply.send(Ok(written));
            return;
        }
        if let Some(gone) = dpids.iter().find(|d| !self.switches.contains_key(d)) {
            let _ = reply.send(Err(WriteError::Unavailable(format!(
                "switch {gone} is not connected: the change is committed and will be applied \
                 when it connects"
            ))));
            return;
        }
        let id = self.waits.next_id;
        self.waits.next_id += 1;
        self.waits.pending.insert(
            id,
            Pending {
                remaining: dpids.len(),
                written,
                reply,
            },
        );
        for dpid in dpids {
            self.waits.by_switch.entry(dpid).or_default().push(Waiter {
                id,
                key: key.clone(),
            });
        }
    }

    /// Hands a switch's stored operator flows to the host and marks them stale there.
    pub(super) fn sync_operator(&mut self, dpid: DatapathId) {
        let specs = self
            .store
            .state()
            .operator_flows(dpid.0)
            .filter_map(|r| match operator::spec_of(r) {
                Ok(spec) => Some(spec),
                Err(e) => {
                    warn!(%dpid, flow = r.flow, error = %e, "stored operator flow does not parse");
                    None
                }
            })
            .collect();
        self.book.set(dpid, specs);
        self.host.invalidate_owner(dpid, Owner::Operator);
    }

    /// A switch expired an operator flow with a timeout: forget it too.
    pub(super) fn operator_flow_expired(
        &mut self,
        dpid: DatapathId,
        fr: &openflow::msg::FlowRemoved,
    ) {
        let key = operator::key_of(fr.table_id, fr.priority, &fr.match_);
        let stored = self
            .store
            .state()
            .operator_flows(dpid.0)
            .any(|r| r.key() == key);
        if stored {
            info!(%dpid, table = key.table, priority = key.priority, r#match = key.match_,
                "operator flow expired on the switch; forgotten");
            let cmd = Command::OperatorFlowsRemoved {
                dpid: dpid.0,
                keys: vec![key],
            };
            if self.apply_now(&cmd).is_ok() {
                self.sync_operator(dpid);
            }
        }
    }
}

/// A refusal of the tenant model as a write error.
fn model_error(e: segmentation::model::ModelError) -> WriteError {
    use segmentation::model::ModelErrorKind as K;
    match e.kind {
        K::NotFound => WriteError::NotFound(format!("{}: {}", e.field, e.message)),
        K::Invalid => WriteError::Invalid {
            field: e.field,
            message: e.message,
        },
        K::AlreadyExists => WriteError::AlreadyExists {
            field: e.field,
            message: e.message,
        },
        K::FailedPrecondition => WriteError::Refused(format!("{}: {}", e.field, e.message)),
    }
}

/// Each app's complete configuration, by name.
pub(super) type AppConfigs = BTreeMap<&'static str, Map<String, Value>>;

/// The cookie generation of an app: the runtime's base plus its configuration changes.
pub(super) fn app_generation(state: &State, app: &str) -> u32 {
    GENERATION.wrapping_add(state.app(app).map_or(0, |r| r.generation))
}

/// Registers the operator's flows and the catalog's apps in catalog order, each with its
/// stored state, or else what the config file says; returns each app's configuration.
pub(super) fn register_apps(
    host: &mut AppHost,
    state: &State,
    configured: &[super::AppSetup],
    context: &catalog::AppContext,
) -> Result<(AppConfigs, operator::OperatorBook), super::RuntimeError> {
    let (flows, book) = operator::operator_flows();
    host.register_operator(Box::new(flows))?;
    for dpid in state.operator_flow_switches() {
        let specs = state
            .operator_flows(dpid)
            .filter_map(|r| operator::spec_of(r).ok())
            .collect();
        book.set(DatapathId(dpid), specs);
    }
    let mut configs = BTreeMap::new();
    for entry in catalog::catalog() {
        let file = configured.iter().find(|a| a.name == entry.name);
        let stored = state.app(entry.name);
        let current = match stored.and_then(|r| r.config.as_ref()) {
            Some(Value::Object(m)) => m.clone(),
            _ => file.map(|f| f.settings.clone()).unwrap_or_default(),
        };
        let (config, app) = entry
            .configure(&current, &Map::new(), context)
            .map_err(|e| super::RuntimeError::App(format!("app {}: {e}", entry.name)))?;
        let enabled = stored
            .and_then(|r| r.enabled)
            .unwrap_or_else(|| file.is_some_and(|f| f.enabled));
        let generation = app_generation(state, entry.name);
        if enabled {
            host.register(app, generation)?;
        } else {
            host.register_disabled(app, generation)?;
        }
        info!(app = entry.name, enabled, "app registered");
        configs.insert(entry.name, config);
    }
    Ok((configs, book))
}
