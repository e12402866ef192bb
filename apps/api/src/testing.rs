//! Test doubles for apps, in the manner of Faucet's fake OpenFlow tables: a configurable
//! network ([`FakeView`]), fake switches whose tables hold [`FlowSpec`](crate::FlowSpec)s and
//! evaluate packets ([`FakeFlowTable`]), and a [`Simulation`] that runs an app over them so
//! tests assert intent — which ports a packet leaves by, whether the controller sees it,
//! whether a broadcast loops — rather than flow text.
//!
//! - `packet`: Ethernet/802.1Q/ARP/IPv4 frames parsed from and emitted to bytes;
//! - `matcher`: OXM matching (with masks) and set-field on those packets;
//! - `table`: multi-table lookup by priority, goto_table, apply/write actions, timeouts;
//! - `group`: the app's groups (all, select, indirect, fast failover) and their buckets;
//! - `view`: the fake network, its flood tree and shortest paths, and ready topologies;
//! - `sim`: packets followed across links, packet-ins to the app, its actions applied;
//! - `built`: the app's flows, groups and meters as built slice by slice, checked against a
//!   full recomputation.

mod built;
mod group;
mod matcher;
mod packet;
mod sim;
#[cfg(test)]
mod sim_tests;
mod table;
#[cfg(test)]
mod table_tests;
mod view;

pub use matcher::{OFPVID_PRESENT, PipelinePacket};
pub use packet::{
    Arp, ETH_TYPE_ARP, ETH_TYPE_IPV4, ETH_TYPE_VLAN, Ipv4, L3, Packet, PacketError, VlanTag,
};
pub use sim::{ControllerCopy, SimError, Simulation, Trace};
pub use table::{Egress, FakeFlowTable, InstalledFlow, TableError, TableMiss};
pub use view::{Endpoint, FakeView, topo};
