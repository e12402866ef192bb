//! Tests of the app host against a tiny view and apps whose wishes the test controls.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use navarch_app::{Action, App, Ctx, Event, FlowSpec, Slice, View};
use openflow::errcode::ErrorCode;
use openflow::msg::{
    ErrorMsg, FlowModCommand, FlowModFlags, FlowRemoved, FlowRemovedReason, FlowStats,
};
use openflow::oxm::OxmField;
use openflow::{Cookie, DatapathId, Instruction, MacAddr, Match, PortNo, TableId};

use super::*;
use crate::apphost::core::CoreApp;
use crate::apphost::testing::EmptyView;

const DPID: DatapathId = DatapathId(1);

/// An app whose flows the test sets through a shared handle, and which records its events.
struct Scripted {
    name: &'static str,
    tables: Vec<TableId>,
    flows: Arc<Mutex<Vec<FlowSpec>>>,
    heard: Arc<Mutex<Vec<String>>>,
}

impl App for Scripted {
    fn name(&self) -> &'static str {
        self.name
    }
    fn tables(&self) -> Vec<TableId> {
        self.tables.clone()
    }
    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        self.flows.lock().expect("lock").clone()
    }
    fn on_event(&mut self, event: &Event<'_>, _view: &dyn View, ctx: &mut Ctx) {
        self.heard.lock().expect("lock").push(format!("{event:?}"));
        match event {
            Event::PortChanged { dpid, .. } => ctx.invalidate(*dpid),
            Event::HostChanged { mac, vlan, .. } => {
                ctx.invalidate_slice_everywhere(host_slice(*mac, *vlan))
            }
            _ => {}
        }
    }
}

struct Handle {
    flows: Arc<Mutex<Vec<FlowSpec>>>,
    heard: Arc<Mutex<Vec<String>>>,
}

impl Handle {
    fn set(&self, flows: Vec<FlowSpec>) {
        *self.flows.lock().expect("lock") = flows;
    }
}

fn scripted(name: &'static str, tables: &[u8]) -> (Box<dyn App>, Handle) {
    let flows = Arc::new(Mutex::new(Vec::new()));
    let heard = Arc::new(Mutex::new(Vec::new()));
    let app = Scripted {
        name,
        tables: tables.iter().copied().map(TableId).collect(),
        flows: flows.clone(),
        heard: heard.clone(),
    };
    (Box::new(app), Handle { flows, heard })
}

/// A forwarding flow in `table`: from `in_port` out of `out`.
fn fwd(table: u8, in_port: u32, out: u32) -> FlowSpec {
    FlowSpec::new(
        TableId(table),
        100,
        Match::new().with(OxmField::InPort(PortNo(in_port))),
        vec![Instruction::ApplyActions(vec![openflow::Action::output(
            PortNo(out),
        )])],
    )
}

/// A host with the core (no ingress miss) and one app owning table 0.
fn host_with_app() -> (AppHost, Handle) {
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), 0);
    let (app, handle) = scripted("l2", &[0]);
    assert_eq!(host.register(app, 0), Ok(Owner::App(0)));
    (host, handle)
}

/// A switch with nothing on it.
fn empty() -> SwitchDump {
    SwitchDump::flows(Vec::new())
}

/// What a switch would report with these flows (and no groups or meters).
fn stats(entries: &[FlowEntry]) -> SwitchDump {
    SwitchDump::flows(flow_stats(entries))
}

/// The flow-stats records a switch would report for these flows.
fn flow_stats(entries: &[FlowEntry]) -> Vec<FlowStats> {
    entries
        .iter()
        .map(|e| FlowStats {
            table_id: e.table,
            duration_sec: 5,
            duration_nsec: 0,
            priority: e.priority,
            idle_timeout: e.idle_timeout,
            hard_timeout: e.hard_timeout,
            flags: e.flags,
            cookie: e.cookie,
            packet_count: 3,
            byte_count: 300,
            // A switch reports fields in its own order.
            match_: Match {
                fields: e.match_.fields.iter().rev().cloned().collect(),
            },
            instructions: e.instructions.clone(),
        })
        .collect()
}

fn commands(mods: &[openflow::msg::FlowMod]) -> Vec<(FlowModCommand, u16)> {
    mods.iter().map(|m| (m.command, m.priority)).collect()
}

fn app_cookie(generation: u32) -> Cookie {
    FlowCookie::new(Owner::App(0), generation).encode()
}

#[test]
fn first_contact_adds_every_flow_and_a_second_reconcile_adds_nothing() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2), fwd(0, 2, 1)]);
    let mods = host.reconcile(DPID, &EmptyView, &empty()).flows;
    assert_eq!(mods.len(), 3, "LLDP and two app flows");
    assert!(mods.iter().all(|m| m.command == FlowModCommand::Add));
    assert!(
        mods.iter()
            .any(|m| m.cookie == FlowCookie::new(Owner::Core, 0).encode())
    );

    let installed: Vec<FlowEntry> = host.installed(DPID).into_iter().cloned().collect();
    assert_eq!(installed.len(), 3);
    // A restarted controller finds the same flows: nothing to send.
    let (mut restarted, app2) = host_with_app();
    app2.set(vec![fwd(0, 1, 2), fwd(0, 2, 1)]);
    assert!(
        restarted
            .reconcile(DPID, &EmptyView, &stats(&installed))
            .is_empty()
    );
    assert!(restarted.refresh(DPID, &EmptyView).is_empty());
}

#[test]
fn refresh_sends_only_the_difference_deletes_first() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2), fwd(0, 2, 1), fwd(0, 3, 1)]);
    host.reconcile(DPID, &EmptyView, &empty());
    let mut changed = fwd(0, 3, 1);
    changed.idle_timeout = 60;
    app.set(vec![fwd(0, 1, 9), changed, fwd(0, 4, 1)]);
    assert!(
        host.refresh(DPID, &EmptyView).is_empty(),
        "nothing is asked again before the app invalidates"
    );
    host.invalidate(DPID);
    let mods = host.refresh(DPID, &EmptyView).flows;
    assert_eq!(
        commands(&mods),
        [
            (FlowModCommand::DeleteStrict, 100),
            (FlowModCommand::ModifyStrict, 100),
            (FlowModCommand::Add, 100),
            (FlowModCommand::Add, 100)
        ]
    );
    assert_eq!(mods[0].match_.in_port(), Some(PortNo(2)));
    assert_eq!(mods[1].match_.in_port(), Some(PortNo(1)));
    assert!(
        host.refresh(DPID, &EmptyView).is_empty(),
        "second refresh is a no-op"
    );
}

#[test]
fn operator_foreign_and_unregistered_flows_are_left_alone() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2)]);
    let operator =
        FlowEntry::from_spec(&fwd(0, 7, 7), FlowCookie::new(Owner::Operator, 0).encode());
    let foreign = FlowEntry::from_spec(&fwd(0, 8, 8), Cookie(0));
    let other_app = FlowEntry::from_spec(&fwd(5, 9, 9), FlowCookie::new(Owner::App(3), 0).encode());
    let stale_ours = FlowEntry::from_spec(&fwd(0, 6, 6), app_cookie(0));
    let mods = host
        .reconcile(
            DPID,
            &EmptyView,
            &stats(&[operator, foreign, other_app, stale_ours]),
        )
        .flows;
    assert_eq!(
        commands(&mods),
        [
            (FlowModCommand::DeleteStrict, 100),
            (FlowModCommand::Add, 100),
            (FlowModCommand::Add, 0xffff)
        ]
    );
    assert_eq!(mods[0].match_.in_port(), Some(PortNo(6)));
}

#[test]
fn a_foreign_flow_at_our_key_is_a_reported_conflict_not_an_overwrite() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2)]);
    let lldp = FlowEntry::from_spec(&CoreApp::lldp_flow(), Cookie(0));
    let theirs = FlowEntry::from_spec(&fwd(0, 1, 5), Cookie(0x99));
    let mods = host.reconcile(DPID, &EmptyView, &stats(&[lldp, theirs]));
    assert!(mods.is_empty());
    let errors = host.take_errors();
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|e| matches!(e, InstallError::Occupied { .. }))
    );
}

#[test]
fn flows_outside_the_apps_tables_are_refused() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2), fwd(3, 1, 2)]);
    let mods = host.reconcile(DPID, &EmptyView, &empty()).flows;
    assert_eq!(mods.len(), 2, "LLDP and the table-0 flow only");
    assert!(mods.iter().all(|m| m.table_id == TableId(0)));
    assert_eq!(
        host.take_errors(),
        vec![InstallError::ForeignTable {
            dpid: DPID,
            app: "l2",
            table: TableId(3)
        }]
    );
}

#[test]
fn registration_refuses_duplicates_and_shared_tables() {
    let (mut host, _app) = host_with_app();
    let (again, _) = scripted("l2", &[4]);
    assert_eq!(
        host.register(again, 0),
        Err(RegisterError::DuplicateName { app: "l2" })
    );
    let (greedy, _) = scripted("acl", &[1, 0]);
    assert_eq!(
        host.register(greedy, 0),
        Err(RegisterError::TableTaken {
            app: "acl",
            table: TableId(0),
            owner: "l2"
        })
    );
    let (fine, _) = scripted("acl", &[1]);
    assert_eq!(host.register(fine, 0), Ok(Owner::App(1)));
    assert_eq!(host.owner_of("acl"), Some(Owner::App(1)));
}

#[test]
fn duplicate_keys_keep_the_first_app() {
    let (mut host, app) = host_with_app();
    // The app asks for the core's LLDP key.
    app.set(vec![CoreApp::lldp_flow()]);
    let mods = host.reconcile(DPID, &EmptyView, &empty()).flows;
    assert_eq!(mods.len(), 1);
    assert_eq!(mods[0].cookie, FlowCookie::new(Owner::Core, 0).encode());
    assert!(matches!(
        host.take_errors().as_slice(),
        [InstallError::DuplicateKey {
            app: "l2",
            first: "core",
            ..
        }]
    ));
}

#[test]
fn events_reach_every_app_and_invalidations_mark_switches_stale() {
    let (mut host, app) = host_with_app();
    let now = Instant::now();
    // Unknown switches cannot go stale.
    let port = Event::PortChanged {
        dpid: DPID,
        port: PortNo(1),
    };
    assert!(host.dispatch(&port, &EmptyView, now).is_empty());
    assert!(host.stale_switches().is_empty());
    host.reconcile(DPID, &EmptyView, &empty());
    assert!(host.dispatch(&port, &EmptyView, now).is_empty());
    assert_eq!(host.stale_switches(), vec![DPID]);
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert!(host.stale_switches().is_empty());
    assert_eq!(app.heard.lock().expect("lock").len(), 2);

    host.dispatch(&Event::SwitchDown(DPID), &EmptyView, now);
    assert!(host.installed(DPID).is_empty());
    assert!(host.refresh(DPID, &EmptyView).is_empty());
}

#[test]
fn a_refused_flow_is_reported_and_not_retried_until_it_changes() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2)]);
    let mods = host.reconcile(DPID, &EmptyView, &empty()).flows;
    let bad = mods.iter().find(|m| m.priority == 100).expect("app flow");
    let code = ErrorCode::from_raw(5, 6);
    let error = host.on_flow_mod_error(DPID, bad, &ErrorMsg::new(code, Vec::new()));
    assert!(matches!(error, InstallError::Rejected { app: "l2", .. }));
    assert_eq!(host.take_errors(), vec![error]);
    host.invalidate(DPID);
    assert!(host.refresh(DPID, &EmptyView).is_empty(), "not retried");
    app.set(vec![fwd(0, 1, 3)]);
    host.invalidate(DPID);
    assert_eq!(
        commands(&host.refresh(DPID, &EmptyView).flows),
        [(FlowModCommand::Add, 100)]
    );
}

#[test]
fn flow_removed_goes_to_its_app_and_the_flow_is_forgotten() {
    let (mut host, app) = host_with_app();
    let mut idle = fwd(0, 1, 2);
    idle.idle_timeout = 10;
    idle.flags = FlowModFlags::SEND_FLOW_REM;
    app.set(vec![idle.clone()]);
    host.reconcile(DPID, &EmptyView, &empty());
    let removed = FlowRemoved {
        cookie: app_cookie(0),
        priority: 100,
        reason: FlowRemovedReason::IdleTimeout,
        table_id: TableId(0),
        duration_sec: 10,
        duration_nsec: 0,
        idle_timeout: 10,
        hard_timeout: 0,
        packet_count: 0,
        byte_count: 0,
        match_: idle.match_.clone(),
    };
    let actions: Vec<Action> = host.on_flow_removed(DPID, &removed, &EmptyView, Instant::now());
    assert!(actions.is_empty());
    assert!(app.heard.lock().expect("lock")[0].starts_with("FlowRemoved"));
    assert_eq!(host.installed(DPID).len(), 1, "only LLDP is left");
    // The app still wants it: its slice is stale and the next refresh puts it back.
    assert_eq!(host.stale_switches(), vec![DPID]);
    assert_eq!(
        commands(&host.refresh(DPID, &EmptyView).flows),
        [(FlowModCommand::Add, 100)]
    );
}

#[test]
fn a_new_generation_rewrites_flows_with_add() {
    let (mut host, app) = host_with_app();
    app.set(vec![fwd(0, 1, 2)]);
    host.reconcile(DPID, &EmptyView, &empty());
    host.set_generation(Owner::App(0), 2);
    assert_eq!(host.stale_switches(), vec![DPID]);
    let mods = host.refresh(DPID, &EmptyView).flows;
    assert_eq!(commands(&mods), [(FlowModCommand::Add, 100)]);
    assert_eq!(mods[0].cookie, app_cookie(2));
}

fn host_slice(mac: MacAddr, vlan: Option<u16>) -> Slice {
    Slice::Host { mac, vlan }
}

fn mac(n: u8) -> MacAddr {
    MacAddr([2, 0, 0, 0, 0, n])
}

/// The event that invalidates host `n`'s slice in the scripted app.
fn host_changed(n: u8) -> Event<'static> {
    Event::HostChanged {
        mac: mac(n),
        vlan: None,
        before: None,
        after: None,
    }
}

#[test]
fn a_stale_slice_is_asked_again_alone() {
    let (mut host, app) = host_with_app();
    let h1 = host_slice(mac(1), None);
    let h2 = host_slice(mac(2), None);
    app.set(vec![
        fwd(0, 1, 2),
        fwd(0, 2, 1).in_slice(h1.clone()),
        fwd(0, 3, 1).in_slice(h2.clone()),
    ]);
    host.reconcile(DPID, &EmptyView, &empty());
    // Both the base and host 2's flows change, but only host 1's slice is invalidated:
    // its flow changes, nothing else is asked for or sent.
    app.set(vec![
        fwd(0, 1, 9),
        fwd(0, 2, 7).in_slice(h1.clone()),
        fwd(0, 3, 7).in_slice(h2.clone()),
        fwd(0, 4, 1).in_slice(h1.clone()),
    ]);
    host.dispatch(&host_changed(1), &EmptyView, Instant::now());
    let mods = host.refresh(DPID, &EmptyView).flows;
    assert_eq!(
        commands(&mods),
        [
            (FlowModCommand::ModifyStrict, 100),
            (FlowModCommand::Add, 100)
        ]
    );
    assert_eq!(
        mods.iter().map(|m| m.match_.in_port()).collect::<Vec<_>>(),
        [Some(PortNo(2)), Some(PortNo(4))]
    );
    // Host 1 is forgotten: exactly its flows go.
    app.set(vec![fwd(0, 1, 9), fwd(0, 3, 7).in_slice(h2.clone())]);
    host.dispatch(&host_changed(1), &EmptyView, Instant::now());
    let mods = host.refresh(DPID, &EmptyView).flows;
    assert_eq!(
        commands(&mods),
        [
            (FlowModCommand::DeleteStrict, 100),
            (FlowModCommand::DeleteStrict, 100)
        ]
    );
    // A full invalidation catches up with everything else.
    host.invalidate(DPID);
    assert_eq!(
        commands(&host.refresh(DPID, &EmptyView).flows),
        [
            (FlowModCommand::ModifyStrict, 100),
            (FlowModCommand::ModifyStrict, 100)
        ]
    );
    let installed: Vec<FlowEntry> = host.installed(DPID).into_iter().cloned().collect();
    let (mut fresh, app2) = host_with_app();
    app2.set(app.flows.lock().expect("lock").clone());
    assert!(
        fresh
            .reconcile(DPID, &EmptyView, &stats(&installed))
            .is_empty(),
        "what slices built equals what a full reconciliation wants"
    );
}

#[test]
fn a_flow_moving_between_stale_slices_is_not_rewritten() {
    let (mut host, app) = host_with_app();
    let h1 = host_slice(mac(1), None);
    let h2 = host_slice(mac(2), None);
    app.set(vec![fwd(0, 2, 1).in_slice(h1.clone())]);
    host.reconcile(DPID, &EmptyView, &empty());
    app.set(vec![fwd(0, 2, 1).in_slice(h2.clone())]);
    host.dispatch(&host_changed(2), &EmptyView, Instant::now());
    host.dispatch(&host_changed(1), &EmptyView, Instant::now());
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    // The flow now belongs to host 2: forgetting host 1 leaves it alone.
    host.dispatch(&host_changed(1), &EmptyView, Instant::now());
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    app.set(vec![]);
    host.dispatch(&host_changed(2), &EmptyView, Instant::now());
    assert_eq!(
        commands(&host.refresh(DPID, &EmptyView).flows),
        [(FlowModCommand::DeleteStrict, 100)]
    );
}

#[test]
fn slice_contract_breaches_are_reported_and_dropped() {
    let (mut host, app) = host_with_app();
    let h1 = host_slice(mac(1), None);
    let h2 = host_slice(mac(2), None);
    app.set(vec![fwd(0, 2, 1).in_slice(h1.clone())]);
    host.reconcile(DPID, &EmptyView, &empty());
    host.take_errors();
    // The same key in a second slice while the first still holds it.
    app.set(vec![
        fwd(0, 2, 1).in_slice(h1.clone()),
        fwd(0, 2, 5).in_slice(h2.clone()),
    ]);
    host.dispatch(&host_changed(2), &EmptyView, Instant::now());
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert!(matches!(
        host.take_errors()[..],
        [InstallError::DuplicateKey {
            app: "l2",
            first: "l2",
            ..
        }]
    ));
}

/// An app whose `slice_flows` answers with flows of the wrong slice.
struct Liar;

impl App for Liar {
    fn name(&self) -> &'static str {
        "liar"
    }
    fn tables(&self) -> Vec<TableId> {
        vec![TableId(0)]
    }
    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        Vec::new()
    }
    fn slice_flows(&self, _dpid: DatapathId, _slice: &Slice, _view: &dyn View) -> Vec<FlowSpec> {
        vec![fwd(0, 1, 2)]
    }
    fn on_event(&mut self, _event: &Event<'_>, _view: &dyn View, ctx: &mut Ctx) {
        ctx.invalidate_slice(DPID, host_slice(mac(1), None));
    }
}

#[test]
fn a_flow_of_another_slice_than_asked_is_refused() {
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), 0);
    host.register(Box::new(Liar), 0).expect("register");
    host.reconcile(DPID, &EmptyView, &empty());
    host.dispatch(&Event::TopologyChanged, &EmptyView, Instant::now());
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert!(matches!(
        host.take_errors()[..],
        [InstallError::WrongSlice {
            app: "liar",
            got: Slice::Base,
            ..
        }]
    ));
}
