//! Tests of the app host's groups and meters: the id namespace, the diff rules by id, the
//! order of a change set, slices, and what happens when a switch refuses or lacks them.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use navarch_app::{
    Action, App, Ctx, Event, FlowSpec, GroupSpec, LocalGroupId, LocalMeterId, MeterSpec, Slice,
    View,
};
use openflow::msg::{
    Bucket, FlowModCommand, FlowStats, GroupDesc, GroupModCommand, GroupType, MeterBand,
    MeterConfig, MeterFlags, MeterModCommand, PacketOut,
};
use openflow::oxm::OxmField;
use openflow::{
    Action as OfAction, Body, BufferId, DatapathId, GroupId, Instruction, Match, MeterId, PortNo,
    TableId,
};

use super::*;
use crate::apphost::core::CoreApp;
use crate::apphost::ids::{BadRef, group_id, meter_id};
use crate::apphost::plan::{BundleIds, PlanConfig, plan};
use crate::apphost::testing::EmptyView;

pub(super) const DPID: DatapathId = DatapathId(1);

/// What a test app wants; the test changes it.
#[derive(Clone, Default)]
pub(super) struct Wishes {
    pub(super) flows: Vec<FlowSpec>,
    pub(super) groups: Vec<GroupSpec>,
    pub(super) meters: Vec<MeterSpec>,
}

/// An app whose wishes the test sets; a topology change invalidates the slices the test
/// names, a port change everything.
struct Tenant {
    name: &'static str,
    wishes: Arc<Mutex<Wishes>>,
    invalidates: Arc<Mutex<Vec<Slice>>>,
}

impl App for Tenant {
    fn name(&self) -> &'static str {
        self.name
    }
    fn tables(&self) -> Vec<TableId> {
        vec![TableId(if self.name == "tenant" { 0 } else { 1 })]
    }
    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        self.wishes.lock().expect("lock").flows.clone()
    }
    fn groups(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<GroupSpec> {
        self.wishes.lock().expect("lock").groups.clone()
    }
    fn meters(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<MeterSpec> {
        self.wishes.lock().expect("lock").meters.clone()
    }
    fn on_event(&mut self, event: &Event<'_>, _view: &dyn View, ctx: &mut Ctx) {
        match event {
            Event::TopologyChanged => {
                for s in self.invalidates.lock().expect("lock").iter() {
                    ctx.invalidate_slice(DPID, s.clone());
                }
            }
            Event::PortChanged { dpid, .. } => ctx.invalidate(*dpid),
            Event::PacketIn { dpid, .. } => ctx.packet_out(
                *dpid,
                PacketOut {
                    buffer_id: BufferId::NO_BUFFER,
                    in_port: PortNo::CONTROLLER,
                    actions: self.wishes.lock().expect("lock").flows[0].instructions[1..]
                        .iter()
                        .flat_map(|i| match i {
                            Instruction::ApplyActions(a) => a.clone(),
                            _ => Vec::new(),
                        })
                        .collect(),
                    data: bytes::Bytes::new(),
                },
            ),
            _ => {}
        }
    }
}

pub(super) struct Handle {
    pub(super) wishes: Arc<Mutex<Wishes>>,
    invalidates: Arc<Mutex<Vec<Slice>>>,
}

impl Handle {
    pub(super) fn set(&self, f: impl FnOnce(&mut Wishes)) {
        f(&mut self.wishes.lock().expect("lock"));
    }

    /// Invalidates these slices only (through a topology change).
    pub(super) fn invalidate(&self, host: &mut AppHost, slices: &[Slice]) {
        *self.invalidates.lock().expect("lock") = slices.to_vec();
        host.dispatch(&Event::TopologyChanged, &EmptyView, Instant::now());
    }
}

pub(super) fn tenant(name: &'static str, wishes: Wishes) -> (Box<dyn App>, Handle) {
    let wishes = Arc::new(Mutex::new(wishes));
    let invalidates = Arc::new(Mutex::new(Vec::new()));
    let app = Tenant {
        name,
        wishes: wishes.clone(),
        invalidates: invalidates.clone(),
    };
    (
        Box::new(app),
        Handle {
            wishes,
            invalidates,
        },
    )
}

/// A host with the core and the tenant app (owner App(0)).
pub(super) fn host_with(wishes: Wishes) -> (AppHost, Handle) {
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), 0);
    let (app, handle) = tenant("tenant", wishes);
    assert_eq!(host.register(app, 0), Ok(Owner::App(0)));
    (host, handle)
}

pub(super) const FLOOD: LocalGroupId = LocalGroupId(1);
pub(super) const SPREAD: LocalGroupId = LocalGroupId(2);
pub(super) const LIMIT: LocalMeterId = LocalMeterId(1);

pub(super) fn out(port: u32) -> OfAction {
    OfAction::output(PortNo(port))
}

pub(super) fn all(id: LocalGroupId, ports: &[u32]) -> GroupSpec {
    let buckets = ports
        .iter()
        .map(|p| Bucket::new(0, vec![out(*p)]))
        .collect();
    GroupSpec::new(id, GroupType::All, buckets)
}

pub(super) fn meter(id: LocalMeterId, rate: u32) -> MeterSpec {
    let band = MeterBand::Drop {
        rate,
        burst_size: 0,
    };
    MeterSpec::new(id, MeterFlags::KBPS, vec![band])
}

/// A flow in table 0 from `in_port` through `instructions`.
pub(super) fn flow(in_port: u32, instructions: Vec<Instruction>) -> FlowSpec {
    FlowSpec::new(
        TableId(0),
        100,
        Match::new().with(OxmField::InPort(PortNo(in_port))),
        instructions,
    )
}

/// A flow from `in_port`, metered by LIMIT, into group `g`.
pub(super) fn into_group(in_port: u32, g: LocalGroupId) -> FlowSpec {
    flow(
        in_port,
        vec![
            LIMIT.instruction(),
            Instruction::ApplyActions(vec![g.action()]),
        ],
    )
}

/// A flood group, a meter, and a flow using both.
pub(super) fn flooding() -> Wishes {
    Wishes {
        flows: vec![into_group(1, FLOOD)],
        groups: vec![all(FLOOD, &[1, 2, 3])],
        meters: vec![meter(LIMIT, 1000)],
    }
}

/// What a switch reports with exactly what `host` installed on `DPID`.
pub(super) fn dump_of(host: &AppHost) -> SwitchDump {
    let flows = host
        .installed(DPID)
        .into_iter()
        .map(|e| FlowStats {
            table_id: e.table,
            duration_sec: 5,
            duration_nsec: 0,
            priority: e.priority,
            idle_timeout: e.idle_timeout,
            hard_timeout: e.hard_timeout,
            flags: e.flags,
            cookie: e.cookie,
            packet_count: 0,
            byte_count: 0,
            match_: e.match_.clone(),
            instructions: e.instructions.clone(),
        })
        .collect();
    let groups = host
        .installed_groups(DPID)
        .into_iter()
        .map(|g| GroupDesc {
            group_type: g.group_type,
            group_id: g.id,
            buckets: g.buckets.clone(),
        })
        .collect();
    let meters = host
        .installed_meters(DPID)
        .into_iter()
        .map(|m| MeterConfig {
            flags: m.flags,
            meter_id: m.id,
            // A switch reports a burst size of 0 as the rate.
            bands: m
                .bands
                .iter()
                .map(|b| match b {
                    MeterBand::Drop {
                        rate,
                        burst_size: 0,
                    } => MeterBand::Drop {
                        rate: *rate,
                        burst_size: *rate,
                    },
                    other => other.clone(),
                })
                .collect(),
        })
        .collect();
    SwitchDump {
        flows,
        groups: Some(groups),
        meters: Some(meters),
    }
}

pub(super) fn empty() -> SwitchDump {
    SwitchDump::flows(Vec::new())
}

pub(super) fn groups_sent(c: &Changes) -> Vec<(GroupModCommand, GroupId)> {
    c.groups_first
        .iter()
        .chain(&c.groups_last)
        .map(|g| (g.command, g.group_id))
        .collect()
}

pub(super) fn meters_sent(c: &Changes) -> Vec<(MeterModCommand, MeterId)> {
    c.meters_first
        .iter()
        .chain(&c.meters_last)
        .map(|m| (m.command, m.meter_id))
        .collect()
}

pub(super) fn flows_sent(c: &Changes) -> Vec<(FlowModCommand, Option<PortNo>)> {
    c.flows
        .iter()
        .map(|f| (f.command, f.match_.in_port()))
        .collect()
}

pub(super) fn gid(owner: Owner, local: LocalGroupId) -> GroupId {
    group_id(owner, local)
}

pub(super) fn mid(owner: Owner, local: LocalMeterId) -> MeterId {
    meter_id(owner, local)
}

#[test]
fn local_ids_become_wire_ids_in_each_apps_namespace() {
    let (mut host, _tenant) = host_with(flooding());
    // A second app uses the same local ids, in its own namespace.
    let mut other = flooding();
    other.flows[0].table = TableId(1);
    let (app, _other) = tenant("other", other);
    assert_eq!(host.register(app, 0), Ok(Owner::App(1)));

    let changes = host.reconcile(DPID, &EmptyView, &empty());
    assert_eq!(host.take_errors(), []);
    let (a, b) = (Owner::App(0), Owner::App(1));
    assert_eq!(
        meters_sent(&changes),
        [
            (MeterModCommand::Add, mid(a, LIMIT)),
            (MeterModCommand::Add, mid(b, LIMIT))
        ]
    );
    assert_eq!(
        groups_sent(&changes),
        [
            (GroupModCommand::Add, gid(a, FLOOD)),
            (GroupModCommand::Add, gid(b, FLOOD))
        ]
    );
    assert_eq!(gid(a, FLOOD), GroupId(0x6e10_0001));
    assert_eq!(gid(b, FLOOD), GroupId(0x6e11_0001));
    // Each app's flow names its own group and meter.
    let names = |table: u8| {
        let f = changes
            .flows
            .iter()
            .find(|f| f.table_id == TableId(table))
            .expect("flow");
        f.instructions.clone()
    };
    for (table, owner) in [(0, a), (1, b)] {
        assert_eq!(
            names(table),
            [
                Instruction::Meter(mid(owner, LIMIT)),
                Instruction::ApplyActions(vec![OfAction::Group(gid(owner, FLOOD))])
            ]
        );
    }
}

#[test]
fn a_restart_finds_identical_groups_and_meters_and_sends_nothing() {
    let (mut host, _app) = host_with(flooding());
    let changes = host.reconcile(DPID, &EmptyView, &empty());
    assert_eq!(changes.len(), 4, "a meter, a group, the flow and LLDP");
    let (mut restarted, _app) = host_with(flooding());
    let again = restarted.reconcile(DPID, &EmptyView, &dump_of(&host));
    assert!(again.is_empty(), "{again:#?}");
    assert!(restarted.refresh(DPID, &EmptyView).is_empty());
    assert_eq!(restarted.take_errors(), []);
}

#[test]
fn groups_and_meters_diff_by_id_and_others_ids_are_never_touched() {
    let ours = Owner::App(0);
    let group = |id: GroupId, port: u32| GroupDesc {
        group_type: GroupType::All,
        group_id: id,
        buckets: vec![Bucket::new(0, vec![out(port)])],
    };
    let config = |id: MeterId, rate: u32| MeterConfig {
        flags: MeterFlags::KBPS,
        meter_id: id,
        bands: vec![MeterBand::Drop {
            rate,
            burst_size: rate,
        }],
    };
    let untouchable_groups = [
        GroupId(5),                  // an ovs-ofctl group
        gid(Owner::Operator, FLOOD), // the operator's namespace
        gid(Owner::App(7), FLOOD),   // an app not registered now
        GroupId(0x6e05_0001),        // our magic, no owner
    ];
    let mut groups: Vec<GroupDesc> = untouchable_groups.iter().map(|id| group(*id, 9)).collect();
    groups.push(group(gid(ours, FLOOD), 1)); // wanted, identical
    groups.push(group(gid(ours, SPREAD), 9)); // wanted, different
    groups.push(group(gid(ours, LocalGroupId(3)), 1)); // not wanted
    let mut meters: Vec<MeterConfig> = [MeterId(5), mid(Owner::Operator, LIMIT)]
        .iter()
        .map(|id| config(*id, 10))
        .collect();
    meters.push(config(mid(ours, LIMIT), 500)); // wanted at 1000
    meters.push(config(mid(ours, LocalMeterId(2)), 10)); // not wanted
    let dump = SwitchDump {
        flows: Vec::new(),
        groups: Some(groups),
        meters: Some(meters),
    };
    let mut wishes = flooding();
    wishes.groups = vec![
        all(FLOOD, &[1]),
        all(SPREAD, &[1, 2]),
        all(LocalGroupId(4), &[2]),
    ];
    let (mut host, _app) = host_with(wishes);
    let changes = host.reconcile(DPID, &EmptyView, &dump);
    assert_eq!(
        groups_sent(&changes),
        [
            (GroupModCommand::Add, gid(ours, LocalGroupId(4))),
            (GroupModCommand::Modify, gid(ours, SPREAD)),
            (GroupModCommand::Delete, gid(ours, LocalGroupId(3))),
        ]
    );
    assert_eq!(
        meters_sent(&changes),
        [
            (MeterModCommand::Modify, mid(ours, LIMIT)),
            (MeterModCommand::Delete, mid(ours, LocalMeterId(2))),
        ]
    );
    assert_eq!(
        changes.groups_first[1].buckets.len(),
        2,
        "a modify carries the buckets"
    );
    assert!(changes.groups_last[0].buckets.is_empty());
}

#[test]
fn a_change_set_adds_groups_before_the_flows_that_name_them_and_deletes_them_after() {
    let (mut host, app) = host_with(flooding());
    host.reconcile(DPID, &EmptyView, &empty());
    // The flow moves from the flood group to a new spread group; the flood group goes.
    app.set(|w| {
        w.flows = vec![into_group(1, SPREAD)];
        w.groups = vec![all(SPREAD, &[2])];
    });
    host.invalidate(DPID);
    let changes = host.refresh(DPID, &EmptyView);
    let ours = Owner::App(0);
    assert_eq!(
        groups_sent(&changes),
        [
            (GroupModCommand::Add, gid(ours, SPREAD)),
            (GroupModCommand::Delete, gid(ours, FLOOD))
        ]
    );
    assert_eq!(
        flows_sent(&changes),
        [(FlowModCommand::ModifyStrict, Some(PortNo(1)))]
    );
    for bundles in [false, true] {
        let config = PlanConfig { bundles, chunk: 10 };
        let order: Vec<&'static str> = plan(&changes, config, &mut BundleIds::new())
            .iter()
            .filter_map(|b| match super::super::plan::sent(b) {
                Body::GroupMod(g) if g.command == GroupModCommand::Add => Some("group add"),
                Body::GroupMod(_) => Some("group delete"),
                Body::FlowMod(_) => Some("flow"),
                _ => None,
            })
            .collect();
        assert_eq!(order, ["group add", "flow", "group delete"]);
    }
}

#[test]
fn slices_refresh_their_groups_alone_and_a_group_may_move_between_stale_slices() {
    let (h1, h2) = (Slice::Id(1), Slice::Id(2));
    let mut wishes = flooding();
    wishes.groups = vec![
        all(FLOOD, &[1, 2]).in_slice(h1.clone()),
        all(SPREAD, &[3]).in_slice(h2.clone()),
    ];
    let (mut host, app) = host_with(wishes);
    host.reconcile(DPID, &EmptyView, &empty());
    // Both groups change, but only slice 1 is asked again.
    app.set(|w| {
        w.groups = vec![
            all(FLOOD, &[1]).in_slice(h1.clone()),
            all(SPREAD, &[1]).in_slice(h2.clone()),
        ];
    });
    app.invalidate(&mut host, std::slice::from_ref(&h1));
    let changes = host.refresh(DPID, &EmptyView);
    assert_eq!(
        groups_sent(&changes),
        [(GroupModCommand::Modify, gid(Owner::App(0), FLOOD))]
    );
    assert_eq!(changes.len(), 1);
    // The flood group moves to slice 2 with both slices stale: compared, not re-created.
    app.set(|w| {
        w.groups = vec![
            all(FLOOD, &[1]).in_slice(h2.clone()),
            all(SPREAD, &[1]).in_slice(h2.clone()),
        ];
    });
    app.invalidate(&mut host, &[h1.clone(), h2.clone()]);
    let changes = host.refresh(DPID, &EmptyView);
    assert_eq!(
        groups_sent(&changes),
        [(GroupModCommand::Modify, gid(Owner::App(0), SPREAD))]
    );
    // Slice 1 is now empty of groups: asking it again changes nothing.
    app.invalidate(&mut host, std::slice::from_ref(&h1));
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert_eq!(host.take_errors(), []);
}

#[test]
fn a_group_dropped_under_a_flow_of_another_slice_takes_the_flow_first() {
    let mut wishes = flooding();
    wishes.groups[0].slice = Slice::Id(7);
    let (mut host, app) = host_with(wishes);
    host.reconcile(DPID, &EmptyView, &empty());
    app.set(|w| w.groups.clear());
    app.invalidate(&mut host, &[Slice::Id(7)]);
    let changes = host.refresh(DPID, &EmptyView);
    assert_eq!(
        flows_sent(&changes),
        [(FlowModCommand::DeleteStrict, Some(PortNo(1)))]
    );
    assert_eq!(
        groups_sent(&changes),
        [(GroupModCommand::Delete, gid(Owner::App(0), FLOOD))]
    );
    assert_eq!(
        host.take_errors(),
        [InstallError::Dangling {
            dpid: DPID,
            app: "tenant",
            kind: Kind::Group,
            id: 1,
            table: TableId(0),
            priority: 100
        }]
    );
    // The flow's slice is asked again; the app still names the group: refused, reported.
    assert_eq!(host.stale_switches(), [DPID]);
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert!(matches!(
        host.take_errors()[..],
        [InstallError::MissingGroup { group: FLOOD, .. }]
    ));
    assert_eq!(host.installed(DPID).len(), 1, "LLDP only");
}

#[test]
fn flows_naming_what_their_app_does_not_want_or_not_by_local_id_are_refused() {
    let mut wishes = flooding();
    wishes.flows.push(into_group(2, SPREAD));
    wishes.flows.push(flow(
        3,
        vec![Instruction::ApplyActions(vec![OfAction::Group(GroupId(
            0x1_0000,
        ))])],
    ));
    wishes
        .flows
        .push(flow(4, vec![LocalMeterId(9).instruction()]));
    let (mut host, _app) = host_with(wishes);
    let changes = host.reconcile(DPID, &EmptyView, &empty());
    assert_eq!(changes.flows.len(), 2, "the good flow and LLDP");
    let errors = host.take_errors();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(matches!(
        errors[0],
        InstallError::MissingGroup { group: SPREAD, .. }
    ));
    assert_eq!(
        errors[1],
        InstallError::NotLocal {
            dpid: DPID,
            app: "tenant",
            reference: BadRef::Group(GroupId(0x1_0000))
        }
    );
    assert!(matches!(
        errors[2],
        InstallError::MissingMeter {
            meter: LocalMeterId(9),
            ..
        }
    ));
}

#[test]
fn packet_outs_name_groups_by_local_id_too() {
    let (mut host, app) = host_with(flooding());
    host.reconcile(DPID, &EmptyView, &empty());
    let pin = openflow::msg::PacketIn {
        buffer_id: BufferId::NO_BUFFER,
        total_len: 0,
        reason: openflow::msg::PacketInReason::NoMatch,
        table_id: TableId(0),
        cookie: openflow::Cookie(0),
        match_: Match::new(),
        data: bytes::Bytes::new(),
    };
    let event = Event::PacketIn {
        dpid: DPID,
        packet_in: &pin,
        held: false,
    };
    let actions = host.dispatch(&event, &EmptyView, Instant::now());
    match &actions[..] {
        [Action::PacketOut(_, po)] => {
            assert_eq!(po.actions, [OfAction::Group(gid(Owner::App(0), FLOOD))])
        }
        other => panic!("{other:?}"),
    }
    // Not a local id: dropped and reported.
    app.set(|w| {
        w.flows[0].instructions[1] = Instruction::ApplyActions(vec![OfAction::Group(GroupId::ALL)])
    });
    assert!(host.dispatch(&event, &EmptyView, Instant::now()).is_empty());
    assert!(matches!(
        host.take_errors()[..],
        [InstallError::NotLocal { .. }]
    ));
}

#[test]
fn duplicate_ids_and_entries_of_other_slices_are_reported_and_dropped() {
    let mut wishes = flooding();
    wishes.groups.push(all(FLOOD, &[9]));
    wishes.meters.push(meter(LIMIT, 5));
    let (mut host, app) = host_with(wishes);
    let changes = host.reconcile(DPID, &EmptyView, &empty());
    assert_eq!(
        (changes.groups_first.len(), changes.meters_first.len()),
        (1, 1)
    );
    let errors = host.take_errors();
    assert!(
        matches!(
            errors[..],
            [
                InstallError::DuplicateId {
                    kind: Kind::Meter,
                    id: 1,
                    ..
                },
                InstallError::DuplicateId {
                    kind: Kind::Group,
                    id: 1,
                    ..
                }
            ]
        ),
        "{errors:#?}"
    );
    assert_eq!(app.wishes.lock().expect("lock").groups.len(), 2);
}

/// An app whose `slice_groups` answers with a group of the base slice.
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
    fn slice_groups(&self, _dpid: DatapathId, _slice: &Slice, _view: &dyn View) -> Vec<GroupSpec> {
        vec![all(FLOOD, &[1])]
    }
    fn on_event(&mut self, _event: &Event<'_>, _view: &dyn View, ctx: &mut Ctx) {
        ctx.invalidate_slice(DPID, Slice::Id(5));
    }
}

#[test]
fn a_group_of_another_slice_than_asked_is_refused() {
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), 0);
    host.register(Box::new(Liar), 0).expect("register");
    host.reconcile(DPID, &EmptyView, &empty());
    host.dispatch(&Event::TopologyChanged, &EmptyView, Instant::now());
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert!(matches!(
        host.take_errors()[..],
        [InstallError::WrongSlice {
            app: "liar",
            kind: Kind::Group,
            got: Slice::Base,
            ..
        }]
    ));
}
