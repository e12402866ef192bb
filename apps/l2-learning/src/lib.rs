//! L2 learning switching for navarch, VLAN-aware and loop-safe.
//!
//! The controller's host tracker learns where each MAC address (on each VLAN) is attached
//! from packet-ins, and tells the app with [`Event::HostChanged`] before it delivers the
//! packet-in. The app keeps no table of its own: its flows are a pure function of
//! [`View::hosts`] and the topology, so they are the same after a controller restart and the
//! host can reconcile them without touching a switch.
//!
//! # Pipeline (per switch)
//!
//! ```text
//! table 0 (source)         known host:  in_port=edge, eth_src, vlan_vid  → goto 1
//!                                       (idle timeout, send_flow_rem: silence forgets it)
//!                          link port:   in_port=link                      → goto 1
//!                          probing port: in_port=probing                 → goto 1
//!                          otherwise:                                    → controller, goto 1
//! table 1 (destination)    probing port: in_port=probing → controller only (held)
//!                          known host:  eth_dst, vlan_vid → edge port or next hop to its switch
//!                          flood:       in_port, vlan_vid → flood-tree ports for that VLAN
//!                          flood:       in_port           → flood-tree ports, unknown VLAN
//!                          otherwise:                     → controller
//! ```
//!
//! The switch forwards every packet itself, the first one included: an unknown sender's frame
//! is copied to the controller (to learn it) and goes on to the destination table, so the
//! controller never has to send it. Broadcast, multicast and unknown unicast follow
//! [`View::flood_ports`] (a loop-free tree plus edge ports), so a ring never storms. Once the
//! sender is learned its source flow matches and the controller sees nothing more from it.
//! Only packets that missed the pipeline (an unknown input port, a switch whose flows are not
//! yet installed) are forwarded by the app with a packet-out, along the same paths.
//!
//! A port that just came up is *probing* until link discovery has had time to show whether a
//! switch sits behind it. Frames entering it go to the controller only (never forwarded by
//! the switch, so an undiscovered link cannot carry a loop); the controller holds them and,
//! once the port settles as an edge port, hands them over marked `held`, and the app forwards
//! them. Floods do reach probing ports, so hosts there hear broadcasts from the first packet.
//!
//! # VLANs
//!
//! The VLAN id is part of every host key (untagged is `None`). An edge port's VLANs are those
//! of the hosts known on it; a port with no known host is open to every VLAN. A flood of VLAN
//! 10 goes to inter-switch links on the tree and to edge ports that have a VLAN 10 host or no
//! known host, never to a port whose hosts are all on other VLANs.
//!
//! # Expiry and moves
//!
//! A source flow idles out after [`L2Config::idle_timeout`] seconds without traffic from its
//! host; the app hears [`Event::FlowRemoved`] and asks the controller to forget the host,
//! whose flows then disappear everywhere. A host seen at a new port is moved by the host
//! tracker.
//!
//! # Incremental
//!
//! Each host's flows form a slice ([`navarch_app::Slice::Host`]); the rest of a switch's flows
//! are its base slice. A learned, moved or forgotten host invalidates its own slice on every
//! switch and the base slice of the switches it left and joined (their ports' VLAN membership
//! shapes the floods); the base slice of every switch only when the set of VLANs with known
//! hosts changes. Learning a host therefore costs a few flows per switch, not a recomputation
//! of every host's flows. Link changes recompute everything.

mod config;
mod frame;
mod pipeline;

use bytes::Bytes;
use std::collections::BTreeSet;

use navarch_app::{App, Ctx, Event, FlowKey, FlowSpec, Slice, View};
use openflow::msg::{FlowRemovedReason, PacketIn, PacketInReason, PacketOut};
use openflow::{Action, BufferId, DatapathId, OxmField, TableId};

pub use config::{CORE_PRIORITY_FLOOR, ConfigError, L2Config, Priorities};
pub use frame::{EthernetHeader, LinkLocal};

use pipeline::{Membership, flood_targets, port_towards};

/// The L2 learning app.
#[derive(Clone, Debug, Default)]
pub struct L2Learning {
    config: L2Config,
    /// The VLANs with known hosts when the base slices were last invalidated for a change
    /// of that set (each VLAN has its own flood flows in every switch's base slice).
    flood_vlans: BTreeSet<Option<u16>>,
}

impl L2Learning {
    /// The app with a checked configuration.
    pub fn new(config: L2Config) -> Result<L2Learning, ConfigError> {
        config.validate()?;
        Ok(L2Learning {
            config,
            flood_vlans: BTreeSet::new(),
        })
    }

    /// The configuration in force.
    pub fn config(&self) -> &L2Config {
        &self.config
    }

    /// Forwards a packet the pipeline did not forward: to its known destination, or flooded
    /// along the flood tree for its VLAN.
    fn forward(&self, dpid: DatapathId, pi: &PacketIn, view: &dyn View, ctx: &mut Ctx) {
        let (Some(in_port), Some(eth)) = (pi.in_port(), EthernetHeader::parse(&pi.data)) else {
            return;
        };
        if eth.dst.is_link_local() {
            // 802.1D: bridges never forward the reserved link-local group (LLDP, STP, …).
            return;
        }
        let known = (!eth.dst.is_multicast())
            .then(|| view.attachment(eth.dst, eth.vlan))
            .flatten();
        let ports = match known.and_then(|at| port_towards(view, dpid, at)) {
            Some(port) if port != in_port => vec![port],
            Some(_) => Vec::new(),
            None => {
                let membership = Membership::of(view, dpid);
                let vlan_known = eth.vlan.is_none() || view.vlans().contains_key(&eth.vlan);
                let class = vlan_known.then_some(eth.vlan);
                flood_targets(view, &membership, dpid, in_port, class)
            }
        };
        if ports.is_empty() {
            return;
        }
        let buffered = pi.buffer_id != BufferId::NO_BUFFER;
        ctx.packet_out(
            dpid,
            PacketOut {
                buffer_id: pi.buffer_id,
                in_port,
                actions: ports
                    .into_iter()
                    .map(|port| Action::Output { port, max_len: 0 })
                    .collect(),
                data: if buffered {
                    Bytes::new()
                } else {
                    pi.data.clone()
                },
            },
        );
    }

    /// Forgets a host whose source flow idled out, if the host is still where that flow was.
    fn expired(&self, dpid: DatapathId, key: &FlowKey, view: &dyn View, ctx: &mut Ctx) {
        if key.table != self.config.source_table
            || key.priority != self.config.priorities.known_source
        {
            return;
        }
        let (mut port, mut mac, mut vid) = (None, None, None);
        for field in key.match_.iter() {
            match field {
                OxmField::InPort(p) => port = Some(*p),
                OxmField::EthSrc(m, None) => mac = Some(*m),
                OxmField::VlanVid(v, None) => vid = Some(*v),
                _ => {}
            }
        }
        let (Some(port), Some(mac), Some(vid)) = (port, mac, vid) else {
            return;
        };
        let vlan = (vid & 0x1000 != 0).then_some(vid & 0x0fff);
        if view
            .host(mac, vlan)
            .is_some_and(|h| h.dpid == dpid && h.port == port)
        {
            ctx.forget_host(mac, vlan);
        }
    }
}

impl App for L2Learning {
    fn name(&self) -> &'static str {
        "l2-learning"
    }

    fn tables(&self) -> Vec<TableId> {
        vec![self.config.source_table, self.config.destination_table]
    }

    fn flows(&self, dpid: DatapathId, view: &dyn View) -> Vec<FlowSpec> {
        pipeline::flows(&self.config, dpid, view)
    }

    fn slice_flows(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<FlowSpec> {
        pipeline::slice_flows(&self.config, dpid, slice, view)
    }

    fn on_event(&mut self, event: &Event<'_>, view: &dyn View, ctx: &mut Ctx) {
        match event {
            Event::SwitchUp(dpid) => ctx.invalidate(*dpid),
            // Port state and probing decide the floods; hosts on a port that went away are
            // forgotten with events of their own, and links with TopologyChanged.
            Event::PortChanged { dpid, .. } => ctx.invalidate_slice(*dpid, Slice::Base),
            // Paths and the flood tree may have changed everywhere.
            Event::TopologyChanged => ctx.invalidate_all(),
            Event::HostChanged {
                mac,
                vlan,
                before,
                after,
            } => {
                if before == after {
                    // Only its addresses changed: L2 forwarding does not look at them.
                    return;
                }
                // Every switch has a path to every host: its slice changes everywhere.
                ctx.invalidate_slice_everywhere(pipeline::host_slice(*mac, *vlan));
                // The VLAN membership of the ports it left and joined decides floods there.
                for at in before.iter().chain(after.iter()) {
                    ctx.invalidate_slice(at.dpid, Slice::Base);
                }
                let vlans: BTreeSet<Option<u16>> = view.vlans().into_keys().collect();
                if vlans != self.flood_vlans {
                    self.flood_vlans = vlans;
                    ctx.invalidate_slice_everywhere(Slice::Base);
                }
            }
            Event::PacketIn {
                dpid,
                packet_in,
                held,
            } => {
                // The source table's copy to the controller goes on through the pipeline;
                // anything else, and a copy held while its port was probing, was not
                // forwarded by the switch.
                let forwarded = !held
                    && packet_in.table_id == self.config.source_table
                    && packet_in.reason == PacketInReason::Action;
                if !forwarded {
                    self.forward(*dpid, packet_in, view, ctx);
                }
            }
            Event::FlowRemoved { dpid, key, reason } => {
                if *reason == FlowRemovedReason::IdleTimeout {
                    self.expired(*dpid, key, view, ctx);
                }
            }
            Event::SwitchDown(_) => {}
        }
    }
}
