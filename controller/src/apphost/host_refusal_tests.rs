//! Tests of the app host when a switch refuses groups or meters, or has none.

use openflow::errcode::ErrorCode;
use openflow::msg::{ErrorMsg, FlowModCommand, GroupModCommand};
use openflow::{Body, Instruction, PortNo};

use super::group_tests::{
    DPID, FLOOD, all, empty, flooding, flow, flows_sent, gid, groups_sent, host_with,
};
use super::*;
use crate::apphost::plan::{BundleIds, PlanConfig, plan};
use crate::apphost::testing::EmptyView;

#[test]
fn a_switch_without_meters_gets_none_and_each_is_reported_once() {
    let (mut host, app) = host_with(flooding());
    let dump = SwitchDump {
        flows: Vec::new(),
        groups: Some(Vec::new()),
        meters: None,
    };
    let changes = host.reconcile(DPID, &EmptyView, &dump);
    assert!(changes.meters_first.is_empty());
    assert_eq!(changes.groups_first.len(), 1);
    assert_eq!(
        changes.flows.len(),
        1,
        "LLDP only: the app's flow needs the meter"
    );
    assert_eq!(
        host.take_errors(),
        [InstallError::Unsupported {
            dpid: DPID,
            app: "tenant",
            kind: Kind::Meter,
            id: 1
        }]
    );
    // Asked again and again: nothing sent, nothing reported again.
    for _ in 0..3 {
        host.invalidate(DPID);
        assert!(host.refresh(DPID, &EmptyView).is_empty());
    }
    assert_eq!(host.take_errors(), []);
    // Flows that need no meter are still installed.
    app.set(|w| {
        w.flows.push(flow(
            2,
            vec![Instruction::ApplyActions(vec![FLOOD.action()])],
        ))
    });
    host.invalidate(DPID);
    assert_eq!(
        flows_sent(&host.refresh(DPID, &EmptyView)),
        [(FlowModCommand::Add, Some(PortNo(2)))]
    );
    assert_eq!(host.take_errors(), []);
}

#[test]
fn a_refused_group_is_held_back_and_its_flows_wait_for_it() {
    let (mut host, app) = host_with(flooding());
    let changes = host.reconcile(DPID, &EmptyView, &empty());
    let refused = ErrorMsg::new(ErrorCode::from_raw(6, 0), Vec::new());
    // The switch refuses the group, and so the flow naming it.
    let group = Body::GroupMod(changes.groups_first[0].clone());
    let error = host.on_refused(DPID, &group, &refused).expect("ours");
    assert!(matches!(
        error,
        InstallError::GroupRejected {
            app: "tenant",
            command: GroupModCommand::Add,
            id: 1,
            ..
        }
    ));
    let the_flow = changes
        .flows
        .iter()
        .find(|f| f.priority == 100)
        .expect("flow");
    host.on_refused(DPID, &Body::FlowMod(the_flow.clone()), &refused);
    host.take_errors();
    assert!(host.installed_groups(DPID).is_empty());
    // Not retried while the app wants the same.
    host.invalidate(DPID);
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    // A new flow naming the held group waits too, silently.
    app.set(|w| {
        w.flows.push(flow(
            2,
            vec![Instruction::WriteActions(vec![FLOOD.action()])],
        ))
    });
    host.invalidate(DPID);
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert_eq!(host.take_errors(), []);
    // The group changes: it is sent, and both flows follow on the next refresh.
    app.set(|w| w.groups = vec![all(FLOOD, &[1, 2])]);
    host.invalidate(DPID);
    let changes = host.refresh(DPID, &EmptyView);
    assert_eq!(
        groups_sent(&changes),
        [(GroupModCommand::Add, gid(Owner::App(0), FLOOD))]
    );
    assert_eq!(host.stale_switches(), [DPID]);
    let changes = host.refresh(DPID, &EmptyView);
    assert_eq!(
        flows_sent(&changes),
        [
            (FlowModCommand::Add, Some(PortNo(1))),
            (FlowModCommand::Add, Some(PortNo(2)))
        ]
    );
}

#[test]
fn a_refused_modify_leaves_the_group_counted_present() {
    let (mut host, app) = host_with(flooding());
    host.reconcile(DPID, &EmptyView, &empty());
    app.set(|w| w.groups = vec![all(FLOOD, &[2])]);
    host.invalidate(DPID);
    let changes = host.refresh(DPID, &EmptyView);
    let modify = Body::GroupMod(changes.groups_first[0].clone());
    let refused = ErrorMsg::new(ErrorCode::from_raw(6, 0), Vec::new());
    host.on_refused(DPID, &modify, &refused);
    host.take_errors();
    // The switch still has the old group: flows naming it stay, nothing is re-sent...
    host.invalidate(DPID);
    assert!(host.refresh(DPID, &EmptyView).is_empty());
    assert_eq!(host.installed_groups(DPID).len(), 1);
    // ...and when the app drops it, the group is deleted (after its flow).
    app.set(|w| {
        w.groups.clear();
        w.flows.clear();
    });
    host.invalidate(DPID);
    let changes = host.refresh(DPID, &EmptyView);
    assert_eq!(
        groups_sent(&changes),
        [(GroupModCommand::Delete, gid(Owner::App(0), FLOOD))]
    );
    assert_eq!(changes.flows.len(), 1);
    assert_eq!(host.take_errors(), []);
}

#[test]
fn a_refused_meter_inside_a_bundle_is_found_and_held_back() {
    let (mut host, _app) = host_with(flooding());
    let changes = host.reconcile(DPID, &EmptyView, &empty());
    let bodies = plan(&changes, PlanConfig::default(), &mut BundleIds::new());
    // The meter went before the bundle; the group inside it.
    let group_in_bundle = bodies
        .iter()
        .find(|b| {
            matches!(super::super::plan::sent(b), Body::GroupMod(_))
                && matches!(b, Body::Experimenter(_))
        })
        .expect("a bundled group");
    let refused = ErrorMsg::new(ErrorCode::from_raw(6, 0), Vec::new());
    assert!(matches!(
        host.on_refused(DPID, group_in_bundle, &refused),
        Some(InstallError::GroupRejected { .. })
    ));
    let meter = bodies
        .iter()
        .find(|b| matches!(b, Body::MeterMod(_)))
        .expect("a meter outside");
    assert!(matches!(
        host.on_refused(DPID, meter, &refused),
        Some(InstallError::MeterRejected { id: 1, .. })
    ));
    assert_eq!(host.on_refused(DPID, &Body::BarrierRequest, &refused), None);
    assert!(host.installed_meters(DPID).is_empty());
}
