//! Live against real Open vSwitch (userspace, dummy ports, `ops/ovs/sandbox.sh`): the host's
//! plans are sent over the bridge's management socket, the switch's flow table is dumped with
//! OFPMP_FLOW, and a second reconciliation — by a freshly started host, as after a controller
//! restart — must find nothing to do. A switch that cannot start is a failure, never a skip.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use navarch_app::{App, FlowSpec, View};
use openflow::msg::{FlowModFlags, FlowStats};
use openflow::oxm::OxmField;
use openflow::{Action, DatapathId, Instruction, MacAddr, Match, PortNo, TableId};

use super::core::CoreApp;
use super::ovs_session::{DPID, Sandbox, Session};
use super::plan::{BundleIds, PlanConfig, plan};
use super::testing::EmptyView;
use super::{AppHost, FlowCookie, Owner};

/// An app with a fixed set of flows the test can change.
struct Fixed {
    flows: Arc<Mutex<Vec<FlowSpec>>>,
}

impl App for Fixed {
    fn name(&self) -> &'static str {
        "fixed"
    }
    fn tables(&self) -> Vec<TableId> {
        vec![TableId(0), TableId(1)]
    }
    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        self.flows.lock().expect("lock").clone()
    }
}

fn out(port: u32) -> Action {
    Action::output(PortNo(port))
}

const MAC_A: MacAddr = MacAddr([0x00, 0x00, 0x00, 0x00, 0x00, 0x0a]);
const MAC_B: MacAddr = MacAddr([0x00, 0x00, 0x00, 0x00, 0x00, 0x0b]);

/// Flows written in ways a switch reports differently: field order, full masks, noisy masked
/// values, instruction order, an empty apply-actions, flags it does not keep.
fn tricky_flows() -> Vec<FlowSpec> {
    let mut idle = FlowSpec::new(
        TableId(1),
        200,
        Match::new()
            .with(OxmField::EthDst(MAC_B, None))
            .with(OxmField::VlanVid(0x1000 | 10, None))
            .with(OxmField::InPort(PortNo(2))),
        vec![Instruction::ApplyActions(vec![Action::PopVlan, out(1)])],
    );
    idle.idle_timeout = 300;
    idle.flags = FlowModFlags::SEND_FLOW_REM | FlowModFlags::CHECK_OVERLAP;
    vec![
        FlowSpec::new(
            TableId(0),
            100,
            Match::new()
                .with(OxmField::EthDst(MAC_A, Some(MacAddr([0xff; 6]))))
                .with(OxmField::InPort(PortNo(1))),
            vec![
                Instruction::GotoTable(TableId(1)),
                Instruction::ApplyActions(vec![out(2)]),
            ],
        ),
        FlowSpec::new(
            TableId(0),
            90,
            Match::new()
                .with(OxmField::Ipv4Dst(
                    [10, 1, 2, 3].into(),
                    Some([255, 255, 0, 0].into()),
                ))
                .with(OxmField::EthType(0x0800)),
            vec![Instruction::ApplyActions(vec![])],
        ),
        FlowSpec::new(
            TableId(0),
            80,
            Match::new()
                .with(OxmField::TcpDst(80, None))
                .with(OxmField::IpProto(6))
                .with(OxmField::EthType(0x0800)),
            vec![
                Instruction::WriteActions(vec![out(2)]),
                Instruction::ApplyActions(vec![out(PortNo::CONTROLLER.0)]),
            ],
        ),
        FlowSpec::new(
            TableId(0),
            0,
            Match::new(),
            vec![Instruction::ApplyActions(vec![Action::Output {
                port: PortNo::CONTROLLER,
                max_len: 128,
            }])],
        ),
        idle,
    ]
}

fn host(flows: &Arc<Mutex<Vec<FlowSpec>>>, generation: u32) -> AppHost {
    let mut host = AppHost::new(Box::new(CoreApp::new(false)), 0);
    let app = Fixed {
        flows: flows.clone(),
    };
    host.register(Box::new(app), generation).expect("register");
    host
}

fn check_converged(
    session: &mut Session,
    flows: &Arc<Mutex<Vec<FlowSpec>>>,
    generation: u32,
) -> Vec<FlowStats> {
    let table = session.dump();
    let mut restarted = host(flows, generation);
    let again = restarted.reconcile(DPID, &EmptyView, &table);
    assert!(
        again.is_empty(),
        "switch table {table:#?}\nstill differs: {again:#?}"
    );
    assert!(restarted.take_errors().is_empty());
    table.flows
}

fn reconcile_is_idempotent(config: PlanConfig) {
    let sb = Sandbox::start();
    // Raw flows of others: cookie 0 from ovs-ofctl, and an operator flow added with our
    // operator cookie; neither may be touched.
    sb.ofctl(
        "add-flow",
        &["table=0,priority=50,in_port=2,actions=output:1"],
    );
    let operator = FlowCookie::new(Owner::Operator, 0).encode().0;
    sb.ofctl(
        "add-flow",
        &[&format!(
            "table=1,priority=7,cookie={operator:#x},actions=drop"
        )],
    );
    let mut session = Session::open(&sb.mgmt());
    let flows = Arc::new(Mutex::new(tricky_flows()));
    let mut ids = BundleIds::new();

    let mut first = host(&flows, 0);
    let mods = first.reconcile(DPID, &EmptyView, &session.dump());
    assert_eq!(mods.len(), tricky_flows().len() + 1, "app flows and LLDP");
    session.apply(plan(&mods, config, &mut ids));
    let before = check_converged(&mut session, &flows, 0);
    assert_eq!(before.len(), tricky_flows().len() + 3);

    // Let the flows age so a re-created one would show a younger duration.
    std::thread::sleep(Duration::from_millis(1100));
    // The app changes its mind: one flow goes, one changes actions, one is new.
    let mut next = tricky_flows();
    next.remove(1);
    next[0].instructions = vec![Instruction::ApplyActions(vec![out(1)])];
    next.push(FlowSpec::new(
        TableId(1),
        5,
        Match::new().with(OxmField::EthSrc(MAC_A, None)),
        vec![Instruction::ApplyActions(vec![out(2)])],
    ));
    *flows.lock().expect("lock") = next.clone();
    first.invalidate(DPID);
    let mods = first.refresh(DPID, &EmptyView);
    assert_eq!(mods.len(), 3);
    session.apply(plan(&mods, config, &mut ids));
    let after = check_converged(&mut session, &flows, 0);
    assert_eq!(after.len(), next.len() + 3);
    assert!(first.refresh(DPID, &EmptyView).is_empty());

    // Untouched flows and the one modified in place kept their age; only the new one is young.
    for f in &after {
        let young = f.table_id == TableId(1) && f.priority == 5;
        assert_eq!(
            f.duration_sec == 0,
            young,
            "flow at table {} priority {} has duration {}s",
            f.table_id.0,
            f.priority,
            f.duration_sec
        );
    }
    let modified = after
        .iter()
        .find(|f| f.priority == 100)
        .expect("modified flow");
    assert_eq!(
        modified.instructions,
        vec![Instruction::ApplyActions(vec![out(1)])]
    );
    // The others' flows are still there.
    assert!(after.iter().any(|f| f.cookie.0 == 0 && f.priority == 50));
    assert!(
        after
            .iter()
            .any(|f| f.cookie.0 == operator && f.priority == 7)
    );
}

#[test]
fn ovs_reconcile_is_idempotent_with_bundles() {
    reconcile_is_idempotent(PlanConfig {
        bundles: true,
        chunk: 3,
    });
}

#[test]
fn ovs_reconcile_is_idempotent_without_bundles() {
    reconcile_is_idempotent(PlanConfig {
        bundles: false,
        chunk: 2,
    });
}
