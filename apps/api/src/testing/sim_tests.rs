//! Tests of the simulator itself, with a hub app that floods everything everywhere.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Instant;

use openflow::instruction::Instruction;
use openflow::{Action as OfAction, DatapathId, MacAddr, Match, PortNo, TableId};

use super::packet::Packet;
use super::sim::{SimError, Simulation};
use super::view::topo;
use crate::{App, FlowSpec, View};

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
