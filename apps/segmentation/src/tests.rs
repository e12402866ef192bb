use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::time::Instant;

use navarch_app::testing::{Arp, FakeView, L3, Packet, Simulation, topo};
use navarch_app::{App, Slice};
use openflow::{DatapathId, MacAddr, PortNo};

use crate::model::{Chassis, LogicalPort, Model, ModelCommand, Network, Segment, Tenant};
use crate::{Segmentation, SharedModel, pipeline};

fn apply(model: &SharedModel, cmds: Vec<ModelCommand>) {
    for c in cmds {
        model.apply(&c).unwrap_or_else(|e| panic!("{c:?}: {e}"));
    }
}

fn net(name: &str, tenant: &str, segment: Segment) -> ModelCommand {
    ModelCommand::NetworkPut(Network {
        name: name.into(),
        tenant: tenant.into(),
        segment,
        subnets: vec!["10.0.0.0/24".parse().unwrap()],
        tag: 0,
    })
}

fn tenant(name: &str) -> ModelCommand {
    ModelCommand::TenantPut(Tenant {
        name: name.into(),
        description: String::new(),
    })
}

/// A port on switch `dpid`'s port `n` (the fake view names it s<dpid>-eth<n>).
fn lport(name: &str, net: &str, dpid: u64, n: u32, last: u8) -> ModelCommand {
    ModelCommand::PortPut(LogicalPort {
        name: name.into(),
        network: net.into(),
        dpid,
        iface: format!("s{dpid}-eth{n}"),
        mac: [2, 0, 0, 0, 0, last],
        ips: vec![format!("10.0.0.{last}").parse().unwrap()],
    })
}

fn hypervisors() -> (FakeView, SharedModel) {
    let mut view = FakeView::new();
    let model = SharedModel::default();
    for d in 1..=3u64 {
        // Port 9 plays the VXLAN port.
        view.add_switch(DatapathId(d), &[1, 2, 3, 9]);
        apply(
            &model,
            vec![ModelCommand::ChassisPut(Chassis {
                dpid: d,
                name: String::new(),
                tunnel_ip: Ipv4Addr::new(192, 168, 254, d as u8),
                tunnel_port: format!("s{d}-eth9"),
            })],
        );
    }
    apply(
        &model,
        vec![
            tenant("a"),
            tenant("b"),
            net("a-net", "a", Segment::Vxlan(100)),
            net("b-net", "b", Segment::Vxlan(200)),
            lport("a1", "a-net", 1, 1, 1),
            lport("a2", "a-net", 2, 1, 2),
            lport("b1", "b-net", 1, 2, 1),
            lport("b2", "b-net", 2, 2, 2),
        ],
    );
    (view, model)
}

/// Every switch's flows and groups, built slice by slice, equal a full computation.
fn assert_slices_add_up(app: &Segmentation, view: &FakeView, model: &Model) {
    for d in 1..=3u64 {
        let dpid = DatapathId(d);
        let full = app.flows(dpid, view);
        let mut slices: BTreeSet<Slice> = full.iter().map(|f| f.slice.clone()).collect();
        slices.extend(model.networks().map(|n| pipeline::slice_of(n.tag)));
        let mut by_slice = Vec::new();
        for s in &slices {
            let part = app.slice_flows(dpid, s, view);
            assert!(part.iter().all(|f| f.slice == *s));
            by_slice.extend(part);
        }
        let key = |f: &navarch_app::FlowSpec| format!("{f:?}");
        let mut a: Vec<String> = full.iter().map(key).collect();
        let mut b: Vec<String> = by_slice.iter().map(key).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "switch {d}");
        let mut keys = BTreeSet::new();
        for f in &full {
            assert!(keys.insert(format!("{:?}", f.key())), "duplicate key {f:?}");
        }
    }
}

#[test]
fn a_network_lives_only_on_its_hypervisors_and_slices_add_up() {
    let (view, model) = hypervisors();
    let app = Segmentation::new(model.clone());
    let m = model.lock().clone();
    assert_slices_add_up(&app, &view, &m);
    let a = m.network("a-net").unwrap().tag;
    // Chassis 3 has no port of a-net: none of its flows or its group are there.
    assert!(
        app.slice_flows(DatapathId(3), &pipeline::slice_of(a), &view)
            .is_empty()
    );
    assert!(app.groups(DatapathId(3), &view).is_empty());
    // On chassis 1, a-net's group replicates to a1 and into the tunnel to chassis 2 only.
    let groups = app.slice_groups(DatapathId(1), &pipeline::slice_of(a), &view);
    assert_eq!(groups.len(), 1);
    let text: Vec<String> = groups[0]
        .buckets
        .iter()
        .map(|b| format!("{:?}", b.actions))
        .collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(text[1].contains("192.168.254.2"), "{text:?}");
    drop(m);
    // A third port on chassis 3 brings the network there, and one more bucket on 1.
    apply(&model, vec![lport("a3", "a-net", 3, 1, 3)]);
    assert!(
        !app.slice_flows(DatapathId(3), &pipeline::slice_of(a), &view)
            .is_empty()
    );
    let groups = app.slice_groups(DatapathId(1), &pipeline::slice_of(a), &view);
    assert_eq!(groups[0].buckets.len(), 3);
    let m = model.lock().clone();
    assert_slices_add_up(&app, &view, &m);
}

fn arp_request(src_mac: [u8; 6], spa: [u8; 4], tpa: [u8; 4]) -> Packet {
    Packet {
        eth_dst: MacAddr::BROADCAST,
        eth_src: MacAddr(src_mac),
        vlan: None,
        eth_type: navarch_app::testing::ETH_TYPE_ARP,
        l3: L3::Arp(Arp {
            op: 1,
            sha: MacAddr(src_mac),
            spa: Ipv4Addr::from(spa),
            tha: MacAddr([0; 6]),
            tpa: Ipv4Addr::from(tpa),
        }),
    }
}

/// VLAN networks of two tenants on a ring of switches (a loop), with the same subnet and
/// the same MACs: floods stay in their network and never loop, unicast crosses the fabric,
/// and spoofed frames die at the first switch.
#[test]
fn vlan_networks_are_isolated_on_a_looped_fabric() {
    let (mut view, _) = topo::ring(4);
    let model = SharedModel::default();
    apply(
        &model,
        vec![
            tenant("a"),
            tenant("b"),
            net("a-net", "a", Segment::Vlan(10)),
            net("b-net", "b", Segment::Vlan(20)),
        ],
    );
    // Port 1 of each switch is tenant a's, port 4 tenant b's, with the same MACs.
    for s in 1..=4u64 {
        view.add_switch(DatapathId(s), &[4]);
        apply(
            &model,
            vec![
                lport(&format!("a{s}"), "a-net", s, 1, s as u8),
                lport(&format!("b{s}"), "b-net", s, 4, s as u8),
            ],
        );
    }
    let mut sim = Simulation::new(view, Segmentation::new(model.clone()), Instant::now()).unwrap();
    let at = |s: u64, p: u32| (DatapathId(s), PortNo(p));
    // A broadcast from a1 reaches a2..a4 once each, and no port of b.
    let trace = sim
        .inject(
            at(1, 1),
            arp_request([2, 0, 0, 0, 0, 1], [10, 0, 0, 1], [10, 0, 0, 77]),
        )
        .unwrap();
    let reached = trace.reached();
    let expect = BTreeSet::from([at(2, 1), at(3, 1), at(4, 1)]);
    assert_eq!(
        reached.keys().copied().collect::<BTreeSet<_>>(),
        expect,
        "{trace:?}"
    );
    assert!(reached.values().all(|n| *n == 1), "{reached:?}");
    // Unicast from b3 to b1's MAC reaches b1 only (tenant a's port 1 has the same MAC).
    let mut unicast = arp_request([2, 0, 0, 0, 0, 3], [10, 0, 0, 3], [10, 0, 0, 1]);
    unicast.eth_dst = MacAddr([2, 0, 0, 0, 0, 1]);
    if let L3::Arp(arp) = &mut unicast.l3 {
        arp.op = 2;
    }
    let trace = sim.inject(at(3, 4), unicast).unwrap();
    assert_eq!(
        trace.reached().keys().copied().collect::<Vec<_>>(),
        [at(1, 4)],
        "{trace:?}"
    );
    // A spoofed source MAC goes nowhere.
    let trace = sim
        .inject(
            at(1, 1),
            arp_request([2, 0, 0, 0, 0, 9], [10, 0, 0, 1], [10, 0, 0, 77]),
        )
        .unwrap();
    assert!(trace.reached().is_empty(), "{trace:?}");
}
