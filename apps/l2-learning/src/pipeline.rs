//! The flows of one switch, as a pure function of the configuration and the view, in slices:
//! [`Slice::Base`] holds the switch's own pipeline (link ports, unknown senders, floods,
//! misses); [`Slice::Host`] holds the flows one host causes (its source flow on its own
//! switch, its destination flow everywhere it is reachable).

use std::collections::{BTreeMap, BTreeSet};

use navarch_app::{Attachment, FlowSpec, Slice, View};
use openflow::instruction::Instruction;
use openflow::msg::FlowModFlags;
use openflow::{Action, DatapathId, MacAddr, Match, OxmField, PortNo};

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
    pub fn of(view: &dyn View, dpid: DatapathId) -> Membership {
        Membership(view.edge_vlans(dpid))
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

/// The port of `dpid` towards a host attached at `at`: its edge port or the next hop to its
/// switch.
pub fn port_towards(view: &dyn View, dpid: DatapathId, at: Attachment) -> Option<PortNo> {
    if at.dpid == dpid {
        Some(at.port)
    } else {
        view.next_hop(dpid, at.dpid)
    }
}

/// Every flow the app wants on `dpid`: its base slice and one slice per known host.
pub fn flows(config: &L2Config, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec> {
    let mut out = base_flows(config, dpid, view);
    let mut next_hops: BTreeMap<DatapathId, Option<PortNo>> = BTreeMap::new();
    for h in view.hosts() {
        let port = if h.dpid == dpid {
            Some(h.port)
        } else {
            *next_hops
                .entry(h.dpid)
                .or_insert_with(|| view.next_hop(dpid, h.dpid))
        };
        let at = Attachment {
            dpid: h.dpid,
            port: h.port,
        };
        host_flows(config, dpid, h.mac, h.vlan, at, port, &mut out);
    }
    out
}

/// The flows of one slice of `dpid`.
pub fn slice_flows(
    config: &L2Config,
    dpid: DatapathId,
    slice: &Slice,
    view: &dyn View,
) -> Vec<FlowSpec> {
    match slice {
        Slice::Base => base_flows(config, dpid, view),
        Slice::Host { mac, vlan } => {
            let mut out = Vec::new();
            if let Some(at) = view.attachment(*mac, *vlan) {
                let port = port_towards(view, dpid, at);
                host_flows(config, dpid, *mac, *vlan, at, port, &mut out);
            }
            out
        }
        Slice::Id(_) => Vec::new(),
    }
}

/// The slice of a host's flows.
pub fn host_slice(mac: MacAddr, vlan: Option<u16>) -> Slice {
    Slice::Host { mac, vlan }
}

/// The flows that exist on `dpid` because of the host `mac` on `vlan` attached at `at`,
/// which `dpid` reaches by `port`: its source flow on its own switch, and its destination flow
/// wherever it is reachable.
fn host_flows(
    config: &L2Config,
    dpid: DatapathId,
    mac: MacAddr,
    vlan: Option<u16>,
    at: Attachment,
    port: Option<PortNo>,
    out: &mut Vec<FlowSpec>,
) {
    if mac.is_multicast() {
        return;
    }
    let p = &config.priorities;
    let slice = host_slice(mac, vlan);
    if at.dpid == dpid {
        // The source flow carries the idle timeout that forgets a silent host.
        let m = Match::new()
            .with(OxmField::InPort(at.port))
            .with(OxmField::EthSrc(mac, None))
            .with(vlan_vid(vlan));
        let mut flow = FlowSpec::new(
            config.source_table,
            p.known_source,
            m,
            vec![Instruction::GotoTable(config.destination_table)],
        );
        flow.idle_timeout = config.idle_timeout;
        flow.flags = FlowModFlags::SEND_FLOW_REM;
        out.push(flow.in_slice(slice.clone()));
    }
    if let Some(port) = port {
        let m = Match::new()
            .with(OxmField::EthDst(mac, None))
            .with(vlan_vid(vlan));
        out.push(
            FlowSpec::new(config.destination_table, p.destination, m, output(&[port]))
                .in_slice(slice),
        );
    }
}

/// The switch's own pipeline: frames from other switches, unknown senders, floods per input
/// port and VLAN along the flood tree, and the destination miss.
fn base_flows(config: &L2Config, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec> {
    let p = &config.priorities;
    let src = config.source_table;
    let dst = config.destination_table;
    let goto_dst = || vec![Instruction::GotoTable(dst)];
    let infos = view.ports(dpid);
    let ports: Vec<PortNo> = infos.iter().map(|p| p.port_no).collect();
    let mut out = Vec::new();
    let to_controller = Action::Output {
        port: PortNo::CONTROLLER,
        max_len: NO_BUFFER,
    };

    for info in &infos {
        let port = info.port_no;
        let m = Match::new().with(OxmField::InPort(port));
        if view.is_link_port(dpid, port) {
            out.push(FlowSpec::new(src, p.link_source, m, goto_dst()));
        } else if info.probing {
            // Not forwarded until the port settles: the destination table sends what enters to
            // the controller, which holds it. (From the destination table, so a packet that
            // still takes this path just after the port settled reaches the app as one the
            // switch did not forward.)
            out.push(FlowSpec::new(src, p.link_source, m.clone(), goto_dst()));
            let hold = vec![Instruction::ApplyActions(vec![to_controller.clone()])];
            out.push(FlowSpec::new(dst, p.probing, m, hold));
        }
    }
    out.push(FlowSpec::new(
        src,
        p.unknown_source,
        Match::new(),
        vec![
            Instruction::ApplyActions(vec![to_controller.clone()]),
            Instruction::GotoTable(dst),
        ],
    ));

    // Floods (broadcast, multicast, unknown unicast) per input port, per VLAN, along the
    // flood tree only.
    let membership = Membership::of(view, dpid);
    let mut vlans: BTreeSet<Option<u16>> = view.vlans().into_keys().collect();
    vlans.insert(None);
    for &in_port in &ports {
        let any = flood_targets(view, &membership, dpid, in_port, None);
        for &vlan in &vlans {
            let targets = flood_targets(view, &membership, dpid, in_port, Some(vlan));
            if targets == any {
                // The port's catch-all flood below does the same for this VLAN: one flow
                // fewer per port and VLAN (every switch keeps them).
                continue;
            }
            let m = Match::new()
                .with(OxmField::InPort(in_port))
                .with(vlan_vid(vlan));
            out.push(FlowSpec::new(dst, p.vlan_flood, m, output(&targets)));
        }
        let m = Match::new().with(OxmField::InPort(in_port));
        out.push(FlowSpec::new(dst, p.flood, m, output(&any)));
    }
    out.push(FlowSpec::new(
        dst,
        p.destination_miss,
        Match::new(),
        vec![Instruction::ApplyActions(vec![to_controller])],
    ));
    out
}
