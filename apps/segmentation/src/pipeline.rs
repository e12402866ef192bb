//! The OpenFlow pipeline of the segmentation app: four tables, and the flows and groups one
//! network needs on one switch.
//!
//! | table | name | matches | does |
//! |---|---|---|---|
//! | 0 | classify | `in_port` of a bound VM port; the tunnel port with `tun_id` and `tun_src` of a chassis the network lives on; a fabric link with the network's VLAN | writes the network's tag (and where the frame came from) into metadata |
//! | 1 | port security | `in_port` + the port's MAC and, per address, ARP `arp_spa`/`arp_sha` or IPv4/IPv6 source | lets the frame on; anything else is dropped |
//! | 2 | ARP responder | tag + ARP request for a known address | answers from the switch itself, out of the port it came in by |
//! | 3 | forward | tag + `eth_dst` of a port | outputs locally, into the tunnel (`tun_id`, `tun_dst`) or tagged towards the switch it is on; the rest (broadcast, multicast, unknown unicast) goes to the network's ALL group |
//!
//! Metadata carries the network's tag in its low 16 bits, [`META_REMOTE`] when the frame came
//! from a tunnel or a fabric link, and [`META_OFF_TREE`] when that link is off the flood tree.

use std::net::IpAddr;

use bytes::Bytes;
use navarch_app::{FlowSpec, GroupSpec, LocalGroupId, Slice, View};
use openflow::msg::{Bucket, GroupType};
use openflow::oxm::OxmField;
use openflow::{Action, DatapathId, Instruction, MacAddr, Match, PortNo, TableId};

use crate::model::{LogicalPort, Model, Network, Segment};

/// Table 0: every frame is classified into a network, or dropped.
pub const CLASSIFY: TableId = TableId(0);
/// Table 1: a VM may only send with its own addresses.
pub const PORT_SECURITY: TableId = TableId(1);
/// Table 2: ARP requests for known addresses are answered by the switch.
pub const ARP_RESPONDER: TableId = TableId(2);
/// Table 3: delivery to local ports, tunnels, fabric links and flood groups.
pub const FORWARD: TableId = TableId(3);

/// The metadata bits that hold a network's tag.
pub const META_TAG: u64 = 0xffff;
/// Metadata bit: the frame came from a tunnel or a fabric link, not a local VM.
pub const META_REMOTE: u64 = 1 << 16;
/// Metadata bit: the frame came by a fabric link off the flood tree (never flooded).
pub const META_OFF_TREE: u64 = 1 << 17;
/// Every metadata bit the app writes.
pub const META_MASK: u64 = META_TAG | META_REMOTE | META_OFF_TREE;

/// Priority of the flows that match a port, an address or a network.
pub const PRIO_EXACT: u16 = 100;
/// Priority of a network's flood flows in the forward table.
pub const PRIO_FLOOD: u16 = 10;
/// Priority of the table misses.
pub const PRIO_MISS: u16 = 0;

const ETH_TYPE_ARP: u16 = 0x0806;
const ETH_TYPE_IPV4: u16 = 0x0800;
const ETH_TYPE_IPV6: u16 = 0x86dd;
const ETH_TYPE_VLAN: u16 = 0x8100;
const OFPVID_PRESENT: u16 = 0x1000;
const ARP_REQUEST: u16 = 1;
const ARP_REPLY: u16 = 2;

/// The Nicira experimenter id.
const NX_VENDOR: u32 = 0x0000_2320;
/// `NXAST_REG_MOVE`: copy bits from one field to another.
const NXAST_REG_MOVE: u16 = 6;
/// NXM headers of the fields the ARP responder copies.
const NXM_OF_ETH_DST: u32 = 0x0000_0206;
const NXM_OF_ETH_SRC: u32 = 0x0000_0406;
const NXM_OF_ARP_SPA: u32 = 0x0000_2004;
const NXM_OF_ARP_TPA: u32 = 0x0000_2204;
const NXM_NX_ARP_SHA: u32 = 0x0001_2206;
const NXM_NX_ARP_THA: u32 = 0x0001_2406;

/// The tables the app owns.
pub fn tables() -> Vec<TableId> {
    vec![CLASSIFY, PORT_SECURITY, ARP_RESPONDER, FORWARD]
}

/// The slice of one network's flows and group.
pub fn slice_of(tag: u16) -> Slice {
    Slice::Id(u64::from(tag))
}

/// The switch's own flows: each table's miss.
pub fn base_flows() -> Vec<FlowSpec> {
    vec![
        FlowSpec::new(CLASSIFY, PRIO_MISS, Match::new(), Vec::new()),
        FlowSpec::new(PORT_SECURITY, PRIO_MISS, Match::new(), Vec::new()),
        FlowSpec::new(
            ARP_RESPONDER,
            PRIO_MISS,
            Match::new(),
            vec![Instruction::GotoTable(FORWARD)],
        ),
        FlowSpec::new(FORWARD, PRIO_MISS, Match::new(), Vec::new()),
    ]
}

/// The body of an `NXAST_REG_MOVE` of a whole field into another of the same width:
/// subtype, bit count, source and destination offsets, source and destination headers.
const fn reg_move_body(src: u32, dst: u32) -> [u8; 16] {
    let bits = ((src & 0xff) * 8) as u16;
    let [s0, s1, s2, s3] = src.to_be_bytes();
    let [d0, d1, d2, d3] = dst.to_be_bytes();
    let [t0, t1] = NXAST_REG_MOVE.to_be_bytes();
    let [b0, b1] = bits.to_be_bytes();
    [t0, t1, b0, b1, 0, 0, 0, 0, s0, s1, s2, s3, d0, d1, d2, d3]
}

// Static bodies: a fleet's ARP responders hold millions of these moves, none allocated.
static MOVE_ETH_SRC_TO_DST: [u8; 16] = reg_move_body(NXM_OF_ETH_SRC, NXM_OF_ETH_DST);
static MOVE_ARP_SHA_TO_THA: [u8; 16] = reg_move_body(NXM_NX_ARP_SHA, NXM_NX_ARP_THA);
static MOVE_ARP_SPA_TO_TPA: [u8; 16] = reg_move_body(NXM_OF_ARP_SPA, NXM_OF_ARP_TPA);

/// An `NXAST_REG_MOVE` action with one of the static bodies.
fn reg_move(body: &'static [u8; 16]) -> Action {
    Action::Experimenter {
        experimenter: NX_VENDOR,
        data: Bytes::from_static(body),
    }
}

fn mac(m: [u8; 6]) -> MacAddr {
    MacAddr(m)
}

fn output(port: PortNo) -> Action {
    Action::Output { port, max_len: 0 }
}

fn meta(value: u64, mask: u64) -> OxmField {
    OxmField::Metadata(value, Some(mask))
}

/// What a switch offers the pipeline: its ports by interface name, and its links (read
/// from the view only when a VLAN network needs them).
pub struct SwitchPorts<'v> {
    dpid: DatapathId,
    view: &'v dyn View,
    links: std::cell::OnceCell<(Vec<PortNo>, Vec<PortNo>)>,
}

impl<'v> SwitchPorts<'v> {
    /// A switch's ports, as the view has them.
    pub fn of(dpid: DatapathId, view: &'v dyn View) -> SwitchPorts<'v> {
        SwitchPorts {
            dpid,
            view,
            links: std::cell::OnceCell::new(),
        }
    }

    /// The port number of an interface.
    pub fn port(&self, name: &str) -> Option<PortNo> {
        self.view.port_named(self.dpid, name)
    }

    /// The switch's link ports, and those of them on the flood tree.
    fn links(&self) -> &(Vec<PortNo>, Vec<PortNo>) {
        self.links.get_or_init(|| {
            let (dpid, view) = (self.dpid, self.view);
            let links: Vec<PortNo> = view
                .ports(dpid)
                .iter()
                .map(|p| p.port_no)
                .filter(|p| view.is_link_port(dpid, *p))
                .collect();
            let tree = view
                .flood_ports(dpid, PortNo::CONTROLLER)
                .into_iter()
                .filter(|p| links.contains(p))
                .collect();
            (links, tree)
        })
    }
}

/// One network's flows and group on one switch.
pub struct NetworkFlows<'a> {
    model: &'a Model,
    net: &'a Network,
    dpid: DatapathId,
    ports: &'a SwitchPorts<'a>,
    flows: Vec<FlowSpec>,
    groups: Vec<GroupSpec>,
    /// False when only the group is wanted: flows are then not built at all.
    want_flows: bool,
}

impl<'a> NetworkFlows<'a> {
    /// Computes the flows (unless `want_flows` is false) and group of network `tag` on
    /// `dpid`: nothing if the network does not reach that switch.
    pub fn compute(
        model: &'a Model,
        tag: u16,
        dpid: DatapathId,
        ports: &'a SwitchPorts<'a>,
        view: &dyn View,
        want_flows: bool,
    ) -> (Vec<FlowSpec>, Vec<GroupSpec>) {
        let Some(net) = model.network_by_tag(tag) else {
            return (Vec::new(), Vec::new());
        };
        let mut nf = NetworkFlows {
            model,
            net,
            dpid,
            ports,
            flows: Vec::new(),
            groups: Vec::new(),
            want_flows,
        };
        match net.segment {
            Segment::Vxlan(vni) => nf.vxlan(vni),
            Segment::Vlan(vid) => nf.vlan(vid, view),
        }
        let slice = slice_of(tag);
        let flows = nf
            .flows
            .into_iter()
            .map(|f| f.in_slice(slice.clone()))
            .collect();
        let groups = nf
            .groups
            .into_iter()
            .map(|g| g.in_slice(slice.clone()))
            .collect();
        (flows, groups)
    }

    fn tag(&self) -> u64 {
        u64::from(self.net.tag)
    }

    fn add(&mut self, table: TableId, priority: u16, m: Match, instructions: Vec<Instruction>) {
        self.flows
            .push(FlowSpec::new(table, priority, m, instructions));
    }

    /// This network's ports on this switch that the switch has, with their port numbers.
    fn local_ports(&self) -> Vec<(&'a LogicalPort, PortNo)> {
        self.model
            .ports_of(self.net.tag)
            .filter(|p| p.dpid == self.dpid.0)
            .filter_map(|p| self.ports.port(&p.iface).map(|no| (p, no)))
            .collect()
    }

    /// The network's ALL group: a bucket per local port, then `remote` (tunnels or trunks).
    fn flood_group(
        &mut self,
        local: &[(&LogicalPort, PortNo)],
        remote: Vec<Bucket>,
    ) -> LocalGroupId {
        let mut buckets: Vec<Bucket> = local
            .iter()
            .map(|&(_, no)| Bucket::new(0, vec![output(no)]))
            .collect();
        buckets.extend(remote);
        let group = LocalGroupId(self.net.tag);
        self.groups
            .push(GroupSpec::new(group, GroupType::All, buckets));
        group
    }

    /// Classification, port security and ARP answers for the local VM ports.
    fn local_ingress(&mut self, local: &[(&'a LogicalPort, PortNo)]) {
        let tag = self.tag();
        for &(p, no) in local {
            self.add(
                CLASSIFY,
                PRIO_EXACT,
                // Untagged only: a VM cannot slip a tag of its own onto a fabric.
                Match::new()
                    .with(OxmField::InPort(no))
                    .with(OxmField::VlanVid(0, None)),
                vec![
                    Instruction::WriteMetadata {
                        metadata: tag,
                        mask: META_MASK,
                    },
                    Instruction::GotoTable(PORT_SECURITY),
                ],
            );
            self.port_security(p, no);
        }
        if local.is_empty() {
            return;
        }
        for q in self.model.ports_of(self.net.tag) {
            for ip in &q.ips {
                let IpAddr::V4(ip) = *ip else { continue };
                let m = Match::new()
                    .with(meta(tag, META_TAG))
                    .with(OxmField::EthType(ETH_TYPE_ARP))
                    .with(OxmField::ArpOp(ARP_REQUEST))
                    .with(OxmField::ArpTpa(ip, None));
                let actions = vec![
                    reg_move(&MOVE_ETH_SRC_TO_DST),
                    Action::SetField(OxmField::EthSrc(mac(q.mac), None)),
                    Action::SetField(OxmField::ArpOp(ARP_REPLY)),
                    reg_move(&MOVE_ARP_SHA_TO_THA),
                    reg_move(&MOVE_ARP_SPA_TO_TPA),
                    Action::SetField(OxmField::ArpSha(mac(q.mac), None)),
                    Action::SetField(OxmField::ArpSpa(ip, None)),
                    output(PortNo::IN_PORT),
                ];
                self.add(
                    ARP_RESPONDER,
                    PRIO_EXACT,
                    m,
                    vec![Instruction::ApplyActions(actions)],
                );
            }
        }
    }

    /// The flows that let a VM port send with its own MAC and addresses only.
    fn port_security(&mut self, p: &LogicalPort, no: PortNo) {
        let base = || {
            Match::new()
                .with(OxmField::InPort(no))
                .with(OxmField::EthSrc(mac(p.mac), None))
        };
        let to = |table| vec![Instruction::GotoTable(table)];
        if p.ips.is_empty() {
            self.add(PORT_SECURITY, PRIO_EXACT, base(), to(ARP_RESPONDER));
            return;
        }
        let mut v6 = false;
        for ip in &p.ips {
            match *ip {
                IpAddr::V4(a) => {
                    let arp = base()
                        .with(OxmField::EthType(ETH_TYPE_ARP))
                        .with(OxmField::ArpSpa(a, None))
                        .with(OxmField::ArpSha(mac(p.mac), None));
                    self.add(PORT_SECURITY, PRIO_EXACT, arp, to(ARP_RESPONDER));
                    let ip4 = base()
                        .with(OxmField::EthType(ETH_TYPE_IPV4))
                        .with(OxmField::Ipv4Src(a, None));
                    self.add(PORT_SECURITY, PRIO_EXACT, ip4, to(FORWARD));
                }
                IpAddr::V6(a) => {
                    v6 = true;
                    let ip6 = base()
                        .with(OxmField::EthType(ETH_TYPE_IPV6))
                        .with(OxmField::Ipv6Src(a, None));
                    self.add(PORT_SECURITY, PRIO_EXACT, ip6, to(FORWARD));
                }
            }
        }
        if v6 {
            // Neighbour discovery and duplicate address detection use link-local and
            // unspecified sources.
            let link_local = base()
                .with(OxmField::EthType(ETH_TYPE_IPV6))
                .with(OxmField::Ipv6Src(
                    "fe80::".parse().expect("literal"),
                    Some("ffc0::".parse().expect("literal")),
                ));
            self.add(PORT_SECURITY, PRIO_EXACT, link_local, to(FORWARD));
            let unspecified = base()
                .with(OxmField::EthType(ETH_TYPE_IPV6))
                .with(OxmField::Ipv6Src(std::net::Ipv6Addr::UNSPECIFIED, None));
            self.add(PORT_SECURITY, PRIO_EXACT, unspecified, to(FORWARD));
        }
    }

    /// A VXLAN network on a hypervisor: only where it has ports.
    fn vxlan(&mut self, vni: u32) {
        let tag = self.tag();
        if !self
            .model
            .switches_of(self.net.tag)
            .any(|d| d == self.dpid.0)
        {
            return;
        }
        let local = self.local_ports();
        if self.want_flows {
            self.local_ingress(&local);
        }
        let tunnel = self
            .model
            .chassis_of(self.dpid.0)
            .and_then(|c| self.ports.port(&c.tunnel_port));
        // The other chassis this network lives on, with their tunnel addresses.
        let remotes: Vec<_> = self
            .model
            .switches_of(self.net.tag)
            .filter(|d| *d != self.dpid.0)
            .filter_map(|d| self.model.chassis_of(d))
            .map(|c| (c.dpid, c.tunnel_ip))
            .collect();
        let vni = u64::from(vni);
        if let Some(tunnel) = tunnel.filter(|_| self.want_flows) {
            for &(_, ip) in &remotes {
                self.add(
                    CLASSIFY,
                    PRIO_EXACT,
                    Match::new()
                        .with(OxmField::InPort(tunnel))
                        .with(OxmField::TunnelId(vni, None))
                        .with(OxmField::TunIpv4Src(ip, None)),
                    vec![
                        Instruction::WriteMetadata {
                            metadata: tag | META_REMOTE,
                            mask: META_MASK,
                        },
                        Instruction::GotoTable(FORWARD),
                    ],
                );
            }
        }
        for &(p, no) in &local {
            self.add(
                FORWARD,
                PRIO_EXACT,
                Match::new()
                    .with(meta(tag, META_TAG))
                    .with(OxmField::EthDst(mac(p.mac), None)),
                vec![Instruction::ApplyActions(vec![output(no)])],
            );
        }
        let mut buckets = Vec::new();
        if let Some(tunnel) = tunnel {
            let remote_ip = |d: u64| remotes.iter().find(|r| r.0 == d).map(|r| r.1);
            let model = self.model;
            let want = self.want_flows;
            for q in model.ports_of(self.net.tag).filter(|_| want) {
                let Some(ip) = remote_ip(q.dpid) else {
                    continue;
                };
                // Only what a local VM sent goes into a tunnel: a frame from one never
                // goes back into another.
                self.add(
                    FORWARD,
                    PRIO_EXACT,
                    Match::new()
                        .with(meta(tag, META_TAG | META_REMOTE))
                        .with(OxmField::EthDst(mac(q.mac), None)),
                    vec![Instruction::ApplyActions(vec![
                        Action::SetField(OxmField::TunnelId(vni, None)),
                        Action::SetField(OxmField::TunIpv4Dst(ip, None)),
                        output(tunnel),
                    ])],
                );
            }
            for &(_, ip) in &remotes {
                buckets.push(Bucket::new(
                    0,
                    vec![
                        Action::SetField(OxmField::TunIpv4Dst(ip, None)),
                        output(tunnel),
                    ],
                ));
            }
        }
        let group = self.flood_group(&local, buckets);
        self.add(
            FORWARD,
            PRIO_FLOOD,
            Match::new().with(meta(tag, META_TAG | META_REMOTE)),
            vec![Instruction::ApplyActions(vec![
                Action::SetField(OxmField::TunnelId(vni, None)),
                group.action(),
            ])],
        );
        // From a tunnel: to the local ports only (head-end replication already happened).
        self.add(
            FORWARD,
            PRIO_FLOOD,
            Match::new().with(meta(tag | META_REMOTE, META_TAG | META_REMOTE)),
            vec![Instruction::ApplyActions(
                local.iter().map(|&(_, no)| output(no)).collect(),
            )],
        );
    }

    /// A VLAN network on a fabric switch: everywhere, since any switch may be on its path.
    fn vlan(&mut self, vid: u16, view: &dyn View) {
        let tag = self.tag();
        let local = self.local_ports();
        if self.want_flows {
            self.local_ingress(&local);
        }
        let tagged = OFPVID_PRESENT | vid;
        let push = |port: PortNo| {
            vec![
                Action::PushVlan(ETH_TYPE_VLAN),
                Action::SetField(OxmField::VlanVid(tagged, None)),
                output(port),
            ]
        };
        let (links, tree_links) = self.ports.links();
        for &link in links {
            let on_tree = tree_links.contains(&link);
            let bits = if on_tree {
                META_REMOTE
            } else {
                META_REMOTE | META_OFF_TREE
            };
            self.add(
                CLASSIFY,
                PRIO_EXACT,
                Match::new()
                    .with(OxmField::InPort(link))
                    .with(OxmField::VlanVid(tagged, None)),
                vec![
                    Instruction::ApplyActions(vec![Action::PopVlan]),
                    Instruction::WriteMetadata {
                        metadata: tag | bits,
                        mask: META_MASK,
                    },
                    Instruction::GotoTable(FORWARD),
                ],
            );
        }
        for q in self.model.ports_of(self.net.tag) {
            let m = Match::new()
                .with(meta(tag, META_TAG))
                .with(OxmField::EthDst(mac(q.mac), None));
            let actions = if q.dpid == self.dpid.0 {
                match self.ports.port(&q.iface) {
                    Some(no) => vec![output(no)],
                    None => continue,
                }
            } else {
                match view.next_hop(self.dpid, DatapathId(q.dpid)) {
                    Some(hop) => push(hop),
                    None => continue,
                }
            };
            self.add(
                FORWARD,
                PRIO_EXACT,
                m,
                vec![Instruction::ApplyActions(actions)],
            );
        }
        let trunks = tree_links
            .iter()
            .map(|&l| Bucket::new(0, push(l)))
            .collect();
        let group = self.flood_group(&local, trunks);
        // Floods follow the tree; the switch skips the port a frame came in by.
        self.add(
            FORWARD,
            PRIO_FLOOD,
            Match::new().with(meta(tag, META_TAG | META_OFF_TREE)),
            vec![Instruction::ApplyActions(vec![group.action()])],
        );
    }
}
