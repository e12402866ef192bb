//! Tests of the simulator itself, with a hub app that floods everything everywhere and an app
//! that replicates and balances through groups.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Instant;

use openflow::instruction::Instruction;
use openflow::msg::{Bucket, GroupType, MeterBand, MeterFlags};
use openflow::{
    Action as OfAction, DatapathId, GroupId, MacAddr, Match, OxmField, PortNo, TableId,
};

use super::packet::Packet;
use super::sim::{SimError, Simulation};
use super::table::TableError;
use super::view::{FakeView, topo};
use crate::{
    App, Ctx, Event, FlowSpec, GroupSpec, LocalGroupId, LocalMeterId, MeterSpec, Slice, View,
};

/// Floods every packet out of every port: fine on a tree, a storm on a ring.
struct Hub {
    table: TableId,
}

impl App for Hub {
    fn name(&self) -> &'static str {
        "hub"
    }

    fn tables(&self) -> Vec<TableId> {
        vec![TableId(0)]
    }

    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        let flood = OfAction::Output {
            port: PortNo::FLOOD,
            max_len: 0,
        };
        vec![FlowSpec::new(
            self.table,
            1,
            Match::new(),
            vec![Instruction::ApplyActions(vec![flood])],
        )]
    }
}

fn arp() -> Packet {
    let a = MacAddr([2, 0, 0, 0, 0, 1]);
    Packet::arp_request(a, Ipv4Addr::new(10, 0, 0, 1), Ipv4Addr::new(10, 0, 0, 2))
}

#[test]
fn a_hub_on_a_tree_reaches_everyone_once() {
    let (view, hosts) = topo::tree(2, 2);
    let mut sim = Simulation::new(view, Hub { table: TableId(0) }, Instant::now()).unwrap();
    let trace = sim.inject(hosts[0], arp()).unwrap();
    assert!(!trace.looped);
    let want: BTreeMap<_, _> = hosts[1..].iter().map(|&h| (h, 1)).collect();
    assert_eq!(trace.reached(), want);
    assert!(trace.to_controller.is_empty());
}

#[test]
fn a_hub_on_a_ring_is_caught_looping() {
    let (view, hosts) = topo::ring(3);
    let mut sim = Simulation::new(view, Hub { table: TableId(0) }, Instant::now()).unwrap();
    let trace = sim.inject(hosts[0], arp()).unwrap();
    assert!(trace.looped);
    assert!(trace.reached().values().any(|&n| n > 1));
}

#[test]
fn flows_outside_the_apps_tables_and_unknown_ports_are_refused() {
    let (view, _) = topo::ring(3);
    let refused = Simulation::new(view.clone(), Hub { table: TableId(4) }, Instant::now());
    assert!(matches!(
        refused,
        Err(SimError::ForeignTable(DatapathId(1), TableId(4)))
    ));
    let mut sim = Simulation::new(view, Hub { table: TableId(0) }, Instant::now()).unwrap();
    let at = (DatapathId(1), PortNo(9));
    assert!(matches!(
        sim.inject(at, arp()),
        Err(SimError::NoSuchPort(e)) if e == at
    ));
}

/// One switch, ports 1-4: port 1 floods through an ALL group of slice `Id(1)` (metered),
/// port 4 is balanced over ports 2 and 3 by a SELECT group. A topology change moves it to
/// its next `step`: the ALL group loses port 3, or (with `drop_group`) goes, and the app
/// invalidates `invalidates` — a test chooses a right or a wrong one.
struct Replicator {
    step: u32,
    drop_group: bool,
    invalidates: Option<Slice>,
}

const FLOOD: LocalGroupId = LocalGroupId(1);
const SPREAD: LocalGroupId = LocalGroupId(2);
const LIMIT: LocalMeterId = LocalMeterId(1);

impl Replicator {
    fn new(drop_group: bool, invalidates: Option<Slice>) -> Replicator {
        Replicator {
            step: 0,
            drop_group,
            invalidates,
        }
    }
}

fn bucket(port: u32) -> Bucket {
    Bucket::new(1, vec![OfAction::output(PortNo(port))])
}

impl App for Replicator {
    fn name(&self) -> &'static str {
        "replicator"
    }

    fn tables(&self) -> Vec<TableId> {
        vec![TableId(0)]
    }

    fn flows(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        let from = |port: u32| Match::new().with(OxmField::InPort(PortNo(port)));
        vec![
            FlowSpec::new(
                TableId(0),
                10,
                from(1),
                vec![
                    LIMIT.instruction(),
                    Instruction::ApplyActions(vec![FLOOD.action()]),
                ],
            ),
            FlowSpec::new(
                TableId(0),
                10,
                from(4),
                vec![Instruction::WriteActions(vec![SPREAD.action()])],
            ),
        ]
    }

    fn groups(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<GroupSpec> {
        let mut groups = vec![GroupSpec::new(
            SPREAD,
            GroupType::Select,
            vec![bucket(2), bucket(3)],
        )];
        let flood = match self.step {
            0 => Some(vec![bucket(2), bucket(3)]),
            _ if self.drop_group => None,
            _ => Some(vec![bucket(2)]),
        };
        if let Some(buckets) = flood {
            groups.push(GroupSpec::new(FLOOD, GroupType::All, buckets).in_slice(Slice::Id(1)));
        }
        groups
    }

    fn meters(&self, _dpid: DatapathId, _view: &dyn View) -> Vec<MeterSpec> {
        let band = MeterBand::Drop {
            rate: 1000,
            burst_size: 0,
        };
        vec![MeterSpec::new(LIMIT, MeterFlags::KBPS, vec![band])]
    }

    fn on_event(&mut self, event: &Event<'_>, _view: &dyn View, ctx: &mut Ctx) {
        if let Event::TopologyChanged = event {
            self.step += 1;
            if let Some(slice) = &self.invalidates {
                ctx.invalidate_slice_everywhere(slice.clone());
            }
        }
    }
}

fn one_switch() -> FakeView {
    let mut view = FakeView::new();
    view.add_switch(DatapathId(1), &[1, 2, 3, 4]);
    view
}

fn at(port: u32) -> (DatapathId, PortNo) {
    (DatapathId(1), PortNo(port))
}

#[test]
fn all_groups_replicate_and_select_groups_pick_one_bucket() {
    let app = Replicator::new(false, Some(Slice::Id(1)));
    let mut sim = Simulation::new(one_switch(), app, Instant::now()).unwrap();
    let table = sim.switch(DatapathId(1)).unwrap();
    assert_eq!(table.groups().count(), 2);
    assert_eq!(table.meters().count(), 1);
    let trace = sim.inject(at(1), arp()).unwrap();
    assert_eq!(trace.reached(), BTreeMap::from([(at(2), 1), (at(3), 1)]));
    let trace = sim.inject(at(4), arp()).unwrap();
    assert_eq!(trace.reached().values().sum::<usize>(), 1);
    // The same packet always takes the same bucket.
    let again = sim.inject(at(4), arp()).unwrap();
    assert_eq!(trace.reached(), again.reached());

    // The group's slice is invalidated with the change: only its bucket changes.
    sim.change_topology(|_| {}).unwrap();
    let trace = sim.inject(at(1), arp()).unwrap();
    assert_eq!(trace.reached(), BTreeMap::from([(at(2), 1)]));
}

#[test]
fn a_changed_group_whose_slice_was_not_invalidated_is_caught() {
    let app = Replicator::new(false, None);
    let mut sim = Simulation::new(one_switch(), app, Instant::now()).unwrap();
    let err = sim.change_topology(|_| {}).unwrap_err();
    assert!(
        matches!(&err, SimError::StaleGroups { missing, extra, .. }
            if missing[0].buckets.len() == 1 && extra[0].buckets.len() == 2),
        "{err}"
    );
}

#[test]
fn a_group_dropped_under_a_flow_that_still_names_it_is_caught() {
    // Only the group's slice is asked again; the base flow naming it stays.
    let app = Replicator::new(true, Some(Slice::Id(1)));
    let mut sim = Simulation::new(one_switch(), app, Instant::now()).unwrap();
    let err = sim.change_topology(|_| {}).unwrap_err();
    assert!(
        matches!(
            err,
            SimError::Table(DatapathId(1), TableError::NoSuchGroup(GroupId(1)))
        ),
        "{err}"
    );
}
