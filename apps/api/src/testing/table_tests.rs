//! Tests of the fake flow tables.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use openflow::instruction::Instruction;
use openflow::msg::{Bucket, FlowModFlags, FlowRemovedReason, GroupType, MeterFlags};
use openflow::{Action, GroupId, MacAddr, Match, MeterId, OxmField, PortNo, TableId};

use super::matcher::OFPVID_PRESENT;
use super::packet::Packet;
use super::table::{Egress, FakeFlowTable, TableError, TableMiss};
use crate::{FlowSpec, GroupSpec, LocalGroupId, LocalMeterId, MeterSpec};

const A: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);
const B: MacAddr = MacAddr([2, 0, 0, 0, 0, 2]);
const PORTS: [PortNo; 3] = [PortNo(1), PortNo(2), PortNo(3)];

fn out(port: u32) -> Action {
    Action::Output {
        port: PortNo(port),
        max_len: 0,
    }
}

fn udp() -> Packet {
    Packet::udp(
        A,
        B,
        Ipv4Addr::new(10, 0, 0, 1),
        Ipv4Addr::new(10, 0, 0, 2),
        (1, 2),
    )
}

fn ports_of(egress: &[Egress]) -> Vec<PortNo> {
    egress
        .iter()
        .filter_map(|e| match e {
            Egress::Port(p, _) => Some(*p),
            Egress::Controller { .. } => None,
        })
        .collect()
}

#[test]
fn highest_priority_wins_and_goto_carries_metadata() {
    let now = Instant::now();
    let mut t = FakeFlowTable::new(TableMiss::Drop);
    t.reconcile(
        vec![
            FlowSpec::new(
                TableId(0),
                10,
                Match::new(),
                vec![Instruction::ApplyActions(vec![out(3)])],
            ),
            FlowSpec::new(
                TableId(0),
                20,
                Match::new().with(OxmField::EthSrc(A, None)),
                vec![
                    Instruction::WriteMetadata {
                        metadata: 7,
                        mask: 0xff,
                    },
                    Instruction::GotoTable(TableId(2)),
                ],
            ),
            FlowSpec::new(
                TableId(2),
                5,
                Match::new().with(OxmField::Metadata(7, Some(0xff))),
                vec![Instruction::ApplyActions(vec![out(2)])],
            ),
        ],
        now,
    )
    .unwrap();
    let e = t.evaluate(PortNo(1), udp(), &PORTS, now).unwrap();
    assert_eq!(ports_of(&e), vec![PortNo(2)]);
    let mut other = udp();
    other.eth_src = B;
    let e = t.evaluate(PortNo(1), other, &PORTS, now).unwrap();
    assert_eq!(ports_of(&e), vec![PortNo(3)]);
}

#[test]
fn actions_rewrite_what_later_outputs_send_and_the_action_set_runs_last() {
    let now = Instant::now();
    let mut t = FakeFlowTable::new(TableMiss::Drop);
    let spec = FlowSpec::new(
        TableId(0),
        1,
        Match::new(),
        vec![
            Instruction::WriteActions(vec![out(3)]),
            Instruction::ApplyActions(vec![
                out(2),
                Action::PushVlan(0x8100),
                Action::SetField(OxmField::VlanVid(OFPVID_PRESENT | 30, None)),
                Action::Output {
                    port: PortNo::FLOOD,
                    max_len: 0,
                },
            ]),
        ],
    );
    t.reconcile(vec![spec], now).unwrap();
    let e = t.evaluate(PortNo(1), udp(), &PORTS, now).unwrap();
    let seen: Vec<(PortNo, Option<u16>)> = e
        .iter()
        .filter_map(|e| match e {
            Egress::Port(p, pk) => Some((*p, pk.vid())),
            Egress::Controller { .. } => None,
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (PortNo(2), None),
            (PortNo(2), Some(30)),
            (PortNo(3), Some(30)),
            (PortNo(3), Some(30)),
        ]
    );
}

#[test]
fn a_miss_goes_to_the_controller_or_is_dropped() {
    let now = Instant::now();
    let mut to_ctl = FakeFlowTable::new(TableMiss::Controller);
    let e = to_ctl.evaluate(PortNo(1), udp(), &PORTS, now).unwrap();
    assert!(matches!(
        e.as_slice(),
        [Egress::Controller {
            table: TableId(0),
            miss: true,
            ..
        }]
    ));
    let mut drop = FakeFlowTable::new(TableMiss::Drop);
    assert_eq!(drop.evaluate(PortNo(1), udp(), &PORTS, now), Ok(vec![]));
}

#[test]
fn bad_flows_are_errors() {
    let now = Instant::now();
    let mut t = FakeFlowTable::new(TableMiss::Drop);
    let f = FlowSpec::new(TableId(0), 1, Match::new(), vec![]);
    assert_eq!(
        t.reconcile(vec![f.clone(), f.clone()], now),
        Err(TableError::DuplicateFlow(f.key()))
    );
    let back = FlowSpec::new(
        TableId(1),
        1,
        Match::new(),
        vec![Instruction::GotoTable(TableId(0))],
    );
    let to_one = FlowSpec::new(
        TableId(0),
        1,
        Match::new(),
        vec![Instruction::GotoTable(TableId(1))],
    );
    t.reconcile(vec![to_one, back], now).unwrap();
    assert_eq!(
        t.evaluate(PortNo(1), udp(), &PORTS, now),
        Err(TableError::BadGoto {
            from: TableId(1),
            to: TableId(0)
        })
    );
    let mpls = FlowSpec::new(
        TableId(0),
        1,
        Match::new().with(OxmField::MplsLabel(3)),
        vec![],
    );
    t.reconcile(vec![mpls], now).unwrap();
    assert!(matches!(
        t.evaluate(PortNo(1), udp(), &PORTS, now),
        Err(TableError::Unsupported(_))
    ));
}

#[test]
fn timeouts_expire_flows_and_reconciling_keeps_unchanged_ones_timers() {
    let t0 = Instant::now();
    let secs = Duration::from_secs;
    let mut idle = FlowSpec::new(
        TableId(0),
        2,
        Match::new().with(OxmField::EthSrc(A, None)),
        vec![],
    );
    idle.idle_timeout = 10;
    idle.flags = FlowModFlags::SEND_FLOW_REM;
    let mut hard = FlowSpec::new(TableId(0), 1, Match::new(), vec![]);
    hard.hard_timeout = 25;
    let mut t = FakeFlowTable::new(TableMiss::Drop);
    t.reconcile(vec![idle.clone(), hard.clone()], t0).unwrap();
    t.evaluate(PortNo(1), udp(), &PORTS, t0 + secs(8)).unwrap();
    // Reconciling to the same flows keeps the idle timer from the hit at 8 s.
    let removed = t
        .reconcile(vec![idle.clone(), hard.clone()], t0 + secs(9))
        .unwrap();
    assert!(removed.is_empty());
    assert!(t.expire(t0 + secs(17)).is_empty());
    assert_eq!(
        t.expire(t0 + secs(18)),
        vec![(idle.clone(), FlowRemovedReason::IdleTimeout)]
    );
    assert_eq!(
        t.expire(t0 + secs(25)),
        vec![(hard.clone(), FlowRemovedReason::HardTimeout)]
    );
    // A changed flow with the same key replaces the old one, which is reported as gone.
    t.reconcile(vec![idle.clone()], t0).unwrap();
    let mut changed = idle.clone();
    changed.instructions = vec![Instruction::ApplyActions(vec![out(2)])];
    assert_eq!(t.reconcile(vec![changed], t0), Ok(vec![idle]));
}

#[test]
fn flows_must_name_groups_and_meters_the_switch_has_and_a_set_group_beats_output() {
    let now = Instant::now();
    let mut t = FakeFlowTable::new(TableMiss::Drop);
    let to_group = FlowSpec::new(
        TableId(0),
        1,
        Match::new(),
        vec![
            LocalMeterId(4).instruction(),
            Instruction::WriteActions(vec![out(3), LocalGroupId(9).action()]),
        ],
    );
    assert_eq!(
        t.reconcile(vec![to_group.clone()], now),
        Err(TableError::NoSuchGroup(GroupId(9)))
    );
    let group = GroupSpec::new(
        LocalGroupId(9),
        GroupType::All,
        vec![Bucket::new(0, vec![out(1)]), Bucket::new(0, vec![out(2)])],
    );
    t.set_groups(vec![group.clone(), group.clone()])
        .expect_err("one id twice");
    t.set_groups(vec![group]).unwrap();
    assert_eq!(
        t.reconcile(vec![to_group.clone()], now),
        Err(TableError::NoSuchMeter(MeterId(4)))
    );
    let meter = MeterSpec::new(LocalMeterId(4), MeterFlags::PKTPS, Vec::new());
    t.set_meters(vec![meter]).unwrap();
    t.reconcile(vec![to_group], now).unwrap();
    // In an action set a group takes precedence over an output.
    let egress = t.evaluate(PortNo(3), udp(), &PORTS, now).unwrap();
    assert_eq!(ports_of(&egress), [PortNo(1), PortNo(2)]);
}
