use super::*;

pub(crate) fn tenant(name: &str) -> ModelCommand {
    ModelCommand::TenantPut(Tenant {
        name: name.into(),
        description: String::new(),
    })
}

pub(crate) fn vxlan(name: &str, tenant: &str, vni: u32, subnet: &str) -> ModelCommand {
    ModelCommand::NetworkPut(Network {
        name: name.into(),
        tenant: tenant.into(),
        segment: Segment::Vxlan(vni),
        subnets: vec![subnet.parse().unwrap()],
        tag: 0,
    })
}

pub(crate) fn chassis(dpid: u64) -> ModelCommand {
    ModelCommand::ChassisPut(Chassis {
        dpid,
        name: format!("hv{dpid}"),
        tunnel_ip: Ipv4Addr::new(192, 168, 254, dpid as u8),
        tunnel_port: "vxlan0".into(),
    })
}

pub(crate) fn port(name: &str, net: &str, dpid: u64, last: u8, ip: &str) -> ModelCommand {
    ModelCommand::PortPut(LogicalPort {
        name: name.into(),
        network: net.into(),
        dpid,
        iface: format!("v{name}"),
        mac: [2, 0, 0, 0, 0, last],
        ips: vec![ip.parse().unwrap()],
    })
}

/// Two tenants with the same subnet and the same MACs, on two chassis.
pub(crate) fn two_tenants() -> Model {
    let mut m = Model::new();
    for c in [
        chassis(1),
        chassis(2),
        tenant("a"),
        tenant("b"),
        vxlan("a-net", "a", 100, "10.0.0.0/24"),
        vxlan("b-net", "b", 200, "10.0.0.0/24"),
        port("a1", "a-net", 1, 1, "10.0.0.1"),
        port("a2", "a-net", 2, 2, "10.0.0.2"),
        port("b1", "b-net", 1, 1, "10.0.0.1"),
        port("b2", "b-net", 2, 2, "10.0.0.2"),
    ] {
        m.apply(&c).unwrap();
    }
    m
}

fn refused(m: &mut Model, cmd: ModelCommand) -> ModelError {
    let before = m.clone();
    let e = m.apply(&cmd).unwrap_err();
    assert_eq!(*m, before, "a refused command changed nothing");
    e
}

#[test]
fn tenants_may_overlap_macs_and_subnets_but_not_vnis() {
    let mut m = two_tenants();
    assert_eq!(m.counts(), (2, 2, 4, 2));
    let e = refused(&mut m, vxlan("c-net", "b", 100, "10.1.0.0/24"));
    assert_eq!(
        (e.kind, e.field.as_str()),
        (ModelErrorKind::AlreadyExists, "network.vni")
    );
    let e = refused(&mut m, vxlan("c-net", "b", 0x100_0000, "10.1.0.0/24"));
    assert_eq!(
        (e.kind, e.field.as_str()),
        (ModelErrorKind::Invalid, "network.vni")
    );
    let e = refused(&mut m, vxlan("c-net", "nobody", 7, "10.1.0.0/24"));
    assert_eq!(
        (e.kind, e.field.as_str()),
        (ModelErrorKind::NotFound, "network.tenant")
    );
}

#[test]
fn ports_are_checked_against_their_network() {
    let mut m = two_tenants();
    // Same MAC within a network.
    let e = refused(&mut m, port("a3", "a-net", 2, 1, "10.0.0.3"));
    assert_eq!(
        (e.kind, e.field.as_str()),
        (ModelErrorKind::AlreadyExists, "port.mac")
    );
    // Same address within a network.
    let e = refused(&mut m, port("a3", "a-net", 2, 3, "10.0.0.1"));
    assert_eq!(e.field, "port.ips");
    // Outside the subnet.
    let e = refused(&mut m, port("a3", "a-net", 2, 3, "10.9.0.1"));
    assert_eq!(
        (e.kind, e.field.as_str()),
        (ModelErrorKind::Invalid, "port.ips")
    );
    // No such network; no chassis for a VXLAN port.
    let e = refused(&mut m, port("a3", "gone", 2, 3, "10.0.0.3"));
    assert_eq!(
        (e.kind, e.field.as_str()),
        (ModelErrorKind::NotFound, "port.network")
    );
    let e = refused(&mut m, port("a3", "a-net", 9, 3, "10.0.0.3"));
    assert_eq!(e.kind, ModelErrorKind::FailedPrecondition);
    // The interface is taken on that switch.
    let mut p = port("a3", "a-net", 1, 3, "10.0.0.3");
    if let ModelCommand::PortPut(lp) = &mut p {
        lp.iface = "va1".into();
    }
    let e = refused(&mut m, p);
    assert_eq!(e.field, "port.iface");
    // Multicast MAC.
    let mut p = port("a3", "a-net", 1, 3, "10.0.0.3");
    if let ModelCommand::PortPut(lp) = &mut p {
        lp.mac = [1, 0, 0x5e, 0, 0, 1];
    }
    assert_eq!(refused(&mut m, p).field, "port.mac");
}

#[test]
fn effects_name_the_switches_a_network_lives_on_before_and_after() {
    let mut m = two_tenants();
    let a = m.network("a-net").unwrap().tag;
    // Moving a2 from chassis 2 to 3 touches a-net on 1, 2 and 3, and nothing of b-net.
    m.apply(&chassis(3)).unwrap();
    let effect = m.apply(&port("a2", "a-net", 3, 2, "10.0.0.2")).unwrap();
    assert_eq!(
        effect.networks,
        BTreeMap::from([(a, Reach::Switches(BTreeSet::from([1, 2, 3])))])
    );
    assert_eq!(m.switches_of(a).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(m.networks_at(2).count(), 1);
}

#[test]
fn deleting_a_network_deletes_its_ports_and_frees_its_vni() {
    let mut m = two_tenants();
    let e = refused(&mut m, ModelCommand::TenantDelete { name: "a".into() });
    assert_eq!(e.kind, ModelErrorKind::FailedPrecondition);
    let tag = m.network("a-net").unwrap().tag;
    let effect = m
        .apply(&ModelCommand::NetworkDelete {
            name: "a-net".into(),
        })
        .unwrap();
    assert_eq!(
        effect.networks,
        BTreeMap::from([(tag, Reach::Switches(BTreeSet::from([1, 2])))])
    );
    assert!(m.port("a1").is_none() && m.port_at(1, "va1").is_none());
    assert_eq!(m.counts(), (2, 1, 2, 2));
    m.apply(&vxlan("a-net2", "a", 100, "10.0.0.0/24")).unwrap();
    // The freed tag is reused by the next network.
    assert_eq!(m.network("a-net2").unwrap().tag, tag);
    m.apply(&ModelCommand::TenantDelete { name: "b".into() })
        .unwrap_err();
}

#[test]
fn chassis_with_vxlan_ports_cannot_go_and_addresses_are_unique() {
    let mut m = two_tenants();
    let e = refused(&mut m, ModelCommand::ChassisDelete { dpid: 1 });
    assert_eq!(e.kind, ModelErrorKind::FailedPrecondition);
    let mut c = chassis(3);
    if let ModelCommand::ChassisPut(ch) = &mut c {
        ch.tunnel_ip = Ipv4Addr::new(192, 168, 254, 1);
    }
    assert_eq!(refused(&mut m, c).field, "chassis.tunnel_ip");
}

#[test]
fn subnets_must_be_canonical() {
    assert!(
        "10.0.0.1/24"
            .parse::<Subnet>()
            .unwrap_err()
            .contains("host bits")
    );
    assert!("10.0.0.0/33".parse::<Subnet>().is_err());
    let s: Subnet = "fd00::/64".parse().unwrap();
    assert!(s.contains("fd00::5".parse().unwrap()));
    assert!(!s.contains("fd01::5".parse().unwrap()));
}

#[test]
fn the_model_round_trips_through_json_with_its_indexes() {
    let m = two_tenants();
    let json = serde_json::to_string(&m).unwrap();
    let back: Model = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    let tag = m.network("b-net").unwrap().tag;
    assert_eq!(back.switches_of(tag).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(back.port_at(2, "vb2").unwrap().name, "b2");
    let cmd = serde_json::to_value(port("x", "a-net", 1, 9, "10.0.0.9")).unwrap();
    assert_eq!(cmd["kind"], "port_put");
}
