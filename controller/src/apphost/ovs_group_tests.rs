//! Live against real Open vSwitch: groups and meters. The host's plans go over the bridge's
//! management socket; what the switch has is read back with OFPMP_GROUP_DESC and
//! OFPMP_METER_CONFIG (and checked with `ovs-ofctl dump-groups`/`dump-meters`), and a freshly
//! started host — as after a controller restart — must find nothing to send.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use navarch_app::{
    App, Ctx, Event, FlowSpec, GroupSpec, LocalGroupId, LocalMeterId, MeterSpec, Slice, View,
};
use openflow::msg::{
    Bucket, BundleAdd, Experimenter, GroupModCommand, GroupType, MeterBand, MeterFlags,
    MeterModCommand,
};
use openflow::oxm::OxmField;
use openflow::{
    Action, Body, DatapathId, ErrorCode, Instruction, Match, Message, PortNo, TableId, Xid,
};

use super::core::CoreApp;
use super::ovs_session::{DPID, Sandbox, Session};
use super::plan::{BundleIds, Changes, PlanConfig, plan};
use super::testing::EmptyView;
use super::{AppHost, InstallError, Kind, Owner, SwitchDump, ids};

/// What the test app wants; the test changes it.
#[derive(Clone, Default)]
struct Wishes {
    flows: Vec<FlowSpec>,
    groups: Vec<GroupSpec>,
    meters: Vec<MeterSpec>,
}

/// An app whose flows, groups and meters the test sets; a topology change invalidates
/// slice `Id(7)` only.
struct Tenant {
    wishes: Arc<Mutex<Wishes>>,
}

impl App for Tenant {
    fn name(&self) -> &'static str {
        "tenant"
    }
    fn tables(&self) -> Vec<TableId> {
        vec![TableId(0)]
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
        if let Event::TopologyChanged = event {
            ctx.invalidate_slice_everywhere(Slice::Id(7));
        }
    }
}

fn host(wishes: &Arc<Mutex<Wishes>>) -> AppHost {
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), 0);
    let app = Tenant {
        wishes: wishes.clone(),
    };
    assert_eq!(host.register(Box::new(app), 0), Ok(Owner::App(0)));
    host
}

const FLOOD: LocalGroupId = LocalGroupId(1);
const SPREAD: LocalGroupId = LocalGroupId(2);
const FAILOVER: LocalGroupId = LocalGroupId(3);
const LIMIT: LocalMeterId = LocalMeterId(1);
const BURSTY: LocalMeterId = LocalMeterId(2);

fn out(port: u32) -> Action {
    Action::output(PortNo(port))
}

fn from(port: u32) -> Match {
    Match::new().with(OxmField::InPort(PortNo(port)))
}

/// An ALL group flooding to every port, a SELECT group balancing by weight, a fast-failover
/// group watching ports, a two-band meter (burst sizes left to the switch) and a bursty one,
/// and flows using them: port 1 metered into the flood, port 2 into the balancer through the
/// action set, port 3 metered to port 1.
fn wishes() -> Wishes {
    let spread = vec![Bucket::new(10, vec![out(1)]), Bucket::new(20, vec![out(3)])];
    Wishes {
        flows: vec![
            FlowSpec::new(
                TableId(0),
                100,
                from(1),
                vec![
                    LIMIT.instruction(),
                    Instruction::ApplyActions(vec![FLOOD.action()]),
                ],
            ),
            FlowSpec::new(
                TableId(0),
                100,
                from(2),
                vec![Instruction::WriteActions(vec![SPREAD.action()])],
            ),
            FlowSpec::new(
                TableId(0),
                100,
                from(3),
                vec![
                    BURSTY.instruction(),
                    Instruction::ApplyActions(vec![out(1)]),
                ],
            ),
        ],
        groups: vec![
            GroupSpec::new(
                FLOOD,
                GroupType::All,
                vec![
                    Bucket::new(0, vec![out(1)]),
                    Bucket::new(0, vec![out(2)]),
                    Bucket::new(0, vec![out(3)]),
                ],
            ),
            GroupSpec::new(SPREAD, GroupType::Select, spread),
            GroupSpec::new(
                FAILOVER,
                GroupType::Ff,
                vec![
                    Bucket {
                        watch_port: PortNo(1),
                        ..Bucket::new(0, vec![out(1)])
                    },
                    Bucket {
                        watch_port: PortNo(2),
                        ..Bucket::new(0, vec![out(2)])
                    },
                ],
            ),
        ],
        meters: vec![
            MeterSpec::new(
                LIMIT,
                MeterFlags::KBPS,
                vec![
                    MeterBand::Drop {
                        rate: 1000,
                        burst_size: 0,
                    },
                    MeterBand::Drop {
                        rate: 5000,
                        burst_size: 0,
                    },
                ],
            ),
            MeterSpec::new(
                BURSTY,
                MeterFlags::PKTPS | MeterFlags::BURST | MeterFlags::STATS,
                vec![MeterBand::Drop {
                    rate: 100,
                    burst_size: 20,
                }],
            ),
        ],
    }
}

/// Checks that a fresh host finds the switch as wanted: zero messages, no errors.
fn check_converged(session: &mut Session, wishes: &Arc<Mutex<Wishes>>) -> SwitchDump {
    let dump = session.dump();
    let mut restarted = host(wishes);
    let again = restarted.reconcile(DPID, &EmptyView, &dump);
    assert!(
        again.is_empty(),
        "switch has {dump:#?}\nstill differs: {again:#?}"
    );
    assert_eq!(restarted.take_errors(), []);
    dump
}

fn group_commands(c: &Changes) -> Vec<GroupModCommand> {
    c.groups_first
        .iter()
        .chain(&c.groups_last)
        .map(|g| g.command)
        .collect()
}

fn meter_commands(c: &Changes) -> Vec<MeterModCommand> {
    c.meters_first
        .iter()
        .chain(&c.meters_last)
        .map(|m| m.command)
        .collect()
}

fn groups_and_meters_reconcile_hitlessly(config: PlanConfig) {
    let sb = Sandbox::start();
    // The operator's group and meter, with small ids outside our layout, and a flow using
    // them: none may be touched.
    sb.ofctl("add-group", &["group_id=5,type=all,bucket=output:2"]);
    sb.ofctl("add-meter", &["meter=5,pktps,bands=type=drop,rate=10"]);
    sb.ofctl(
        "add-flow",
        &["table=0,priority=50,in_port=3,actions=meter:5,group:5"],
    );
    let mut session = Session::open(&sb.mgmt());
    let wishes = Arc::new(Mutex::new(wishes()));
    let mut ids = BundleIds::new();

    let mut first = host(&wishes);
    let changes = first.reconcile(DPID, &EmptyView, &session.dump());
    assert_eq!(meter_commands(&changes), [MeterModCommand::Add; 2]);
    assert_eq!(group_commands(&changes), [GroupModCommand::Add; 3]);
    assert_eq!(changes.flows.len(), 4, "three app flows and LLDP");
    session.apply(plan(&changes, config, &mut ids));
    assert_eq!(first.take_errors(), []);
    check_converged(&mut session, &wishes);

    // What ovs-ofctl sees: our groups and meters under our ids, the operator's untouched.
    let flood = ids::group_id(Owner::App(0), FLOOD).0;
    let spread = ids::group_id(Owner::App(0), SPREAD).0;
    let limit = ids::meter_id(Owner::App(0), LIMIT).0;
    let groups = sb.ofctl("dump-groups", &[]);
    assert!(
        groups.contains(&format!(
            "group_id={flood},type=all,bucket=actions=output:1,bucket=actions=output:2,bucket=actions=output:3"
        )),
        "{groups}"
    );
    assert!(
        groups.contains(&format!(
            "group_id={spread},type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:3"
        )),
        "{groups}"
    );
    assert!(
        groups.contains("group_id=5,type=all,bucket=actions=output:2"),
        "{groups}"
    );
    let meters = sb.ofctl("dump-meters", &[]);
    assert!(
        meters.contains(&format!(
            "meter={limit} kbps bands=\ntype=drop rate=1000\ntype=drop rate=5000"
        )),
        "{meters}"
    );
    assert!(meters.contains("meter=5 pktps bands="), "{meters}");
    let flows = sb.ofctl("dump-flows", &[]);
    assert!(
        flows.contains(&format!("in_port=1 actions=meter:{limit},group:{flood}")),
        "{flows}"
    );

    // Let the flows age so a re-created one would show a younger duration.
    std::thread::sleep(Duration::from_millis(1100));
    // One bucket changes: exactly one GROUP_MOD MODIFY, and the flow using the group stays.
    wishes.lock().expect("lock").groups[1].buckets[1] = Bucket::new(30, vec![out(3)]);
    first.invalidate(DPID);
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(group_commands(&changes), [GroupModCommand::Modify]);
    session.apply(plan(&changes, config, &mut ids));
    // So does a meter's rate: one METER_MOD MODIFY.
    wishes.lock().expect("lock").meters[0].bands[0] = MeterBand::Drop {
        rate: 2000,
        burst_size: 0,
    };
    first.invalidate(DPID);
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(meter_commands(&changes), [MeterModCommand::Modify]);
    session.apply(plan(&changes, config, &mut ids));
    let dump = check_converged(&mut session, &wishes);
    assert!(
        dump.flows.iter().all(|f| f.duration_sec >= 1),
        "a flow was re-created: {:#?}",
        dump.flows
    );
    assert!(
        sb.ofctl("dump-groups", &[])
            .contains("bucket=weight:30,actions=output:3")
    );

    // The flood group and the flow using it go: the flow is deleted before the group.
    {
        let mut w = wishes.lock().expect("lock");
        w.flows.remove(0);
        w.groups.remove(0);
    }
    first.invalidate(DPID);
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(changes.flows.len(), 1);
    assert_eq!(group_commands(&changes), [GroupModCommand::Delete]);
    let bodies = plan(&changes, config, &mut ids);
    let sent = |want: &dyn Fn(&Body) -> bool| {
        bodies
            .iter()
            .position(|b| want(super::plan::sent(b)))
            .expect("sent")
    };
    let flow_delete = sent(&|b| matches!(b, Body::FlowMod(_)));
    let group_delete = sent(&|b| matches!(b, Body::GroupMod(_)));
    assert!(flow_delete < group_delete, "{bodies:#?}");
    session.apply(bodies);
    let dump = check_converged(&mut session, &wishes);
    assert_eq!(
        dump.groups.as_ref().map(Vec::len),
        Some(3),
        "ours and the operator's"
    );
    let groups = sb.ofctl("dump-groups", &[]);
    assert!(!groups.contains(&format!("group_id={flood},")), "{groups}");
    assert!(groups.contains("group_id=5,"), "{groups}");
    let flows = sb.ofctl("dump-flows", &[]);
    assert!(flows.contains("actions=meter:5,group:5"), "{flows}");
    assert!(sb.ofctl("dump-meters", &[]).contains("meter=5 "));

    // Everything of ours goes; the operator's stays.
    *wishes.lock().expect("lock") = Wishes::default();
    first.invalidate(DPID);
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(group_commands(&changes), [GroupModCommand::Delete; 2]);
    assert_eq!(meter_commands(&changes), [MeterModCommand::Delete; 2]);
    session.apply(plan(&changes, config, &mut ids));
    let dump = check_converged(&mut session, &wishes);
    let ours = |raw: u32| ids::OwnedId::decode(raw).is_some();
    assert!(!dump.groups.iter().flatten().any(|g| ours(g.group_id.0)));
    assert!(!dump.meters.iter().flatten().any(|m| ours(m.meter_id.0)));
    assert_eq!(dump.groups.map(|g| g.len()), Some(1));
    assert_eq!(dump.meters.map(|m| m.len()), Some(1));
}

#[test]
fn ovs_groups_and_meters_reconcile_hitlessly_with_bundles() {
    groups_and_meters_reconcile_hitlessly(PlanConfig {
        bundles: true,
        chunk: 3,
    });
}

#[test]
fn ovs_groups_and_meters_reconcile_hitlessly_without_bundles() {
    groups_and_meters_reconcile_hitlessly(PlanConfig {
        bundles: false,
        chunk: 2,
    });
}

#[test]
fn ovs_bundles_take_group_mods_but_not_meter_mods() {
    let sb = Sandbox::start();
    let mut session = Session::open(&sb.mgmt());
    let wishes = Arc::new(Mutex::new(wishes()));
    let changes = host(&wishes).reconcile(DPID, &EmptyView, &session.dump());
    // A group and a flow using it, in one ordered bundle: accepted.
    let bundled = Changes {
        groups_first: changes.groups_first.clone(),
        flows: changes.flows[1..2].to_vec(),
        ..Changes::default()
    };
    let config = PlanConfig {
        bundles: true,
        chunk: 10,
    };
    session.apply(plan(&bundled, config, &mut BundleIds::new()));
    let flows = sb.ofctl("dump-flows", &[]);
    assert!(
        flows.contains("in_port=2 actions=write_actions(group:"),
        "{flows}"
    );
    // A meter in a bundle: refused, which is why plans send meters outside.
    let meter = Body::MeterMod(changes.meters_first[0].clone());
    let add = BundleAdd::new(77, super::plan::BUNDLE_FLAGS, Message::new(Xid(0), meter));
    let open = openflow::msg::BundleControl::new(
        77,
        openflow::msg::BundleCtrlType::OpenRequest,
        super::plan::BUNDLE_FLAGS,
    );
    let errors = session.try_apply(vec![
        Body::Experimenter(Experimenter::BundleControl(open)),
        Body::Experimenter(Experimenter::BundleAdd(add)),
        Body::BarrierRequest,
    ]);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    // OpenFlow 1.3 switches report bundle errors as ONF experimenter errors: 2310 is
    // ONFBFC_MSG_UNSUP.
    assert_eq!(
        errors[0].1.code,
        ErrorCode::Experimenter {
            exp_type: 2310,
            experimenter: 0x4f4e_4600
        },
        "{errors:#?}"
    );
}

#[test]
fn ovs_a_refused_meter_holds_its_flow_back_until_it_changes() {
    let sb = Sandbox::start();
    let mut session = Session::open(&sb.mgmt());
    // Open vSwitch meters only drop: a DSCP-remark band is refused.
    let mut w = wishes();
    w.meters[0].bands = vec![MeterBand::DscpRemark {
        rate: 1000,
        burst_size: 0,
        prec_level: 1,
    }];
    let wishes = Arc::new(Mutex::new(w));
    let mut ids = BundleIds::new();
    let mut first = host(&wishes);
    let config = PlanConfig {
        bundles: false,
        chunk: 100,
    };
    let changes = first.reconcile(DPID, &EmptyView, &session.dump());
    let refused = session.try_apply(plan(&changes, config, &mut ids));
    // The meter, and the flow that names it (the switch has no such meter).
    assert_eq!(refused.len(), 2, "{refused:#?}");
    for (body, error) in &refused {
        first.on_refused(DPID, body, error).expect("one of ours");
    }
    let errors = first.take_errors();
    assert!(
        matches!(
            errors[..],
            [
                InstallError::MeterRejected {
                    app: "tenant",
                    id: 1,
                    ..
                },
                InstallError::Rejected { .. }
            ]
        ),
        "{errors:#?}"
    );
    // Not retried while the app wants the same.
    first.invalidate(DPID);
    assert!(first.refresh(DPID, &EmptyView).is_empty());
    // The app changes the meter: it is sent, and the flow held back for it follows.
    wishes.lock().expect("lock").meters[0] = wishes_meter_limit();
    first.invalidate(DPID);
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(meter_commands(&changes), [MeterModCommand::Add]);
    session.apply(plan(&changes, config, &mut ids));
    assert_eq!(
        first.stale_switches(),
        [DPID],
        "the held flow's slice is asked again"
    );
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(changes.flows.len(), 1);
    session.apply(plan(&changes, config, &mut ids));
    check_converged(&mut session, &wishes);
    assert_eq!(first.take_errors(), []);
}

fn wishes_meter_limit() -> MeterSpec {
    wishes().meters[0].clone()
}

#[test]
fn ovs_a_group_dropped_under_a_flow_of_another_slice_takes_the_flow_first() {
    let sb = Sandbox::start();
    let mut session = Session::open(&sb.mgmt());
    // The flood group lives in its network's slice; the flow using it in the base slice.
    let mut w = wishes();
    w.groups[0].slice = Slice::Id(7);
    let wishes = Arc::new(Mutex::new(w));
    let mut first = host(&wishes);
    let mut ids = BundleIds::new();
    let config = PlanConfig::default();
    let changes = first.reconcile(DPID, &EmptyView, &session.dump());
    session.apply(plan(&changes, config, &mut ids));
    // The app drops the group and invalidates only its slice.
    wishes.lock().expect("lock").groups.remove(0);
    first.dispatch(
        &Event::TopologyChanged,
        &EmptyView,
        std::time::Instant::now(),
    );
    let changes = first.refresh(DPID, &EmptyView);
    assert_eq!(group_commands(&changes), [GroupModCommand::Delete]);
    assert_eq!(changes.flows.len(), 1, "the flow naming it, deleted first");
    let errors = first.take_errors();
    assert!(
        matches!(
            errors[..],
            [InstallError::Dangling {
                kind: Kind::Group,
                id: 1,
                ..
            }]
        ),
        "{errors:#?}"
    );
    session.apply(plan(&changes, config, &mut ids));
    // The flow's slice is asked again: the app still wants the flow, which names a group it
    // no longer wants, so it is refused with an error and the switch is as the host thinks.
    let changes = first.refresh(DPID, &EmptyView);
    assert!(changes.is_empty(), "{changes:#?}");
    assert!(matches!(
        first.take_errors()[..],
        [InstallError::MissingGroup { .. }]
    ));
    let dump = session.dump();
    assert_eq!(dump.flows.len(), first.installed(DPID).len());
}
