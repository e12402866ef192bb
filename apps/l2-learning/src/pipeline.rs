//! The flows of one switch, as a pure function of the configuration and the view.

use std::collections::{BTreeMap, BTreeSet};

use navarch_app::{FlowSpec, HostInfo, View};
use openflow::instruction::Instruction;
use openflow::msg::FlowModFlags;
use openflow::{Action, DatapathId, Match, OxmField, PortNo};

use crate::config::L2Config;

/// `OFPVID_PRESENT`: the VLAN_VID bit saying a tag is present.
const OFPVID_PRESENT: u16 = 0x1000;
/// `OFPCML_NO_BUFFER`: send the whole frame to the controller.
const NO_BUFFER: u16 = 0xffff;

/// The `VLAN_VID` match value of a VLAN (`None`: untagged).
pub fn vlan_vid(vlan: Option<u16>) -> OxmField {
    OxmField::VlanVid(vlan.map_or(0, |v| OFPVID_PRESENT | (v & 0x0fff)), None)
}

fn output(ports: &[PortNo]) -> Vec<Instruction> {
    if ports.is_empty() {
        // No instructions: the packet is dropped.
        return Vec::new();
    }
    vec![Instruction::ApplyActions(
        ports
            .iter()
            .map(|&port| Action::Output { port, max_len: 0 })
            .collect(),
    )]
}

/// Where a switch's known hosts live: the VLANs seen on each edge port.
pub struct Membership(BTreeMap<PortNo, BTreeSet<Option<u16>>>);

impl Membership {
    /// The VLAN membership of `dpid`'s edge ports, from the hosts attached there.
    pub fn of(dpid: DatapathId, hosts: &[HostInfo]) -> Membership {
        let mut ports: BTreeMap<PortNo, BTreeSet<Option<u16>>> = BTreeMap::new();
        for h in hosts.iter().filter(|h| h.dpid == dpid) {
            ports.entry(h.port).or_default().insert(h.vlan);
        }
        Membership(ports)
    }

    /// True if a frame of `vlan` may leave by edge port `port`: the port has a known host on
    /// that VLAN, or no known host at all (its membership is unknown). `vlan` of `None` in
    /// the outer option means "a VLAN no known host is on".
    fn admits(&self, port: PortNo, vlan: Option<Option<u16>>) -> bool {
        match (self.0.get(&port), vlan) {
            (None, _) => true,
            (Some(vlans), Some(v)) => vlans.contains(&v),
            (Some(_), None) => false,
        }
    }
}

/// The ports a frame of `vlan` entering `dpid` at `in_port` is flooded to: the view's flood
/// ports (the loop-free tree plus up edge ports), minus edge ports of other VLANs.
pub fn flood_targets(
    view: &dyn View,
    membership: &Membership,
    dpid: DatapathId,
    in_port: PortNo,
    vlan: Option<Option<u16>>,
) -> Vec<PortNo> {
    view.flood_ports(dpid, in_port)
        .into_iter()
        .filter(|&p| view.is_link_port(dpid, p) || membership.admits(p, vlan))
        .collect()
}

/// The port of `dpid` towards a host: its edge port or the next hop to its switch.
pub fn port_towards(view: &dyn View, dpid: DatapathId, host: &HostInfo) -> Option<PortNo> {
    if host.dpid == dpid {
        Some(host.port)
    } else {
        view.next_hop(dpid, host.dpid)
    }
}

/// Every flow the app wants on `dpid`.
pub fn flows(config: &L2Config, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec> {
    let p = &config.priorities;
    let src = config.source_table;
    let dst = config.destination_table;
    let goto_dst = || vec![Instruction::GotoTable(dst)];
    let hosts: Vec<HostInfo> = view
        .hosts()
        .into_iter()
        .filter(|h| !h.mac.is_multicast())
        .collect();
    let ports: Vec<PortNo> = view.ports(dpid).into_iter().map(|p| p.port_no).collect();
    let mut out = Vec::new();

    // Source table: known hosts at their edge ports (these flows carry the idle timeout
    // that forgets a silent host), frames from other switches, and unknown senders.
    for h in hosts.iter().filter(|h| h.dpid == dpid) {
        let m = Match::new()
            .with(OxmField::InPort(h.port))
            .with(OxmField::EthSrc(h.mac, None))
            .with(vlan_vid(h.vlan));
        let mut flow = FlowSpec::new(src, p.known_source, m, goto_dst());
        flow.idle_timeout = config.idle_timeout;
        flow.flags = FlowModFlags::SEND_FLOW_REM;
        out.push(flow);
    }
    for &port in ports.iter().filter(|&&port| view.is_link_port(dpid, port)) {
        let m = Match::new().with(OxmField::InPort(port));
        out.push(FlowSpec::new(src, p.link_source, m, goto_dst()));
    }
    let to_controller = Action::Output {
        port: PortNo::CONTROLLER,
        max_len: NO_BUFFER,
    };
    out.push(FlowSpec::new(
        src,
        p.unknown_source,
        Match::new(),
        vec![
            Instruction::ApplyActions(vec![to_controller.clone()]),
            Instruction::GotoTable(dst),
        ],
    ));

    // Destination table: known hosts by MAC and VLAN.
    let mut next_hops: BTreeMap<DatapathId, Option<PortNo>> = BTreeMap::new();
    for h in &hosts {
        let port = if h.dpid == dpid {
            Some(h.port)
        } else {
            *next_hops
                .entry(h.dpid)
                .or_insert_with(|| view.next_hop(dpid, h.dpid))
        };
        let Some(port) = port else { continue };
        let m = Match::new()
            .with(OxmField::EthDst(h.mac, None))
            .with(vlan_vid(h.vlan));
        out.push(FlowSpec::new(dst, p.destination, m, output(&[port])));
    }

    // Destination table: floods (broadcast, multicast, unknown unicast) per input port,
    // per VLAN, along the flood tree only.
    let membership = Membership::of(dpid, &hosts);
    let mut vlans: BTreeSet<Option<u16>> = hosts.iter().map(|h| h.vlan).collect();
    vlans.insert(None);
    for &in_port in &ports {
        for &vlan in &vlans {
            let targets = flood_targets(view, &membership, dpid, in_port, Some(vlan));
            let m = Match::new()
                .with(OxmField::InPort(in_port))
                .with(vlan_vid(vlan));
            out.push(FlowSpec::new(dst, p.vlan_flood, m, output(&targets)));
        }
        let targets = flood_targets(view, &membership, dpid, in_port, None);
        let m = Match::new().with(OxmField::InPort(in_port));
        out.push(FlowSpec::new(dst, p.flood, m, output(&targets)));
    }
    out.push(FlowSpec::new(
        dst,
        p.destination_miss,
        Match::new(),
        vec![Instruction::ApplyActions(vec![to_controller])],
    ));
    out
}
