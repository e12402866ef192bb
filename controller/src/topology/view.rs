//! The topology as apps read it.

use std::collections::{BTreeMap, BTreeSet};

use navarch_app::{Attachment, HostInfo, PortInfo, View};
use openflow::{DatapathId, MacAddr, PortNo};

use super::{LinkEnd, Topology};

impl View for Topology {
    fn switches(&self) -> Vec<DatapathId> {
        self.switches.keys().copied().collect()
    }

    fn port_named(&self, dpid: DatapathId, name: &str) -> Option<PortNo> {
        let switch = self.switches.get(&dpid)?;
        switch
            .ports
            .values()
            .find(|p| p.desc.name == name)
            .map(|p| p.desc.port_no)
    }

    fn ports(&self, dpid: DatapathId) -> Vec<PortInfo> {
        self.switches
            .get(&dpid)
            .map(|s| {
                s.ports
                    .values()
                    .map(|p| PortInfo {
                        port_no: p.desc.port_no,
                        name: p.desc.name.clone(),
                        hw_addr: p.desc.hw_addr,
                        up: p.is_up(),
                        probing: p.is_up() && p.is_probing(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn is_link_port(&self, dpid: DatapathId, port: PortNo) -> bool {
        self.links.is_link_port(LinkEnd::new(dpid, port))
    }

    fn flood_ports(&self, dpid: DatapathId, in_port: PortNo) -> Vec<PortNo> {
        let Some(switch) = self.switches.get(&dpid) else {
            return Vec::new();
        };
        let on_tree = |port: PortNo| self.graph.is_tree_port(dpid, port);
        let is_link = |port: PortNo| self.links.is_link_port(LinkEnd::new(dpid, port));
        // A frame that entered a link off the tree, or a port still probing, goes nowhere.
        let entered_probing = switch
            .ports
            .get(&in_port)
            .is_some_and(|p| p.is_probing() && !is_link(in_port));
        if (is_link(in_port) && !on_tree(in_port)) || entered_probing {
            return Vec::new();
        }
        // Probing ports are flooded to: whatever a switch behind one sends back is held at its
        // own probing port, never forwarded, so an undiscovered link cannot close a loop.
        switch
            .ports
            .values()
            .filter(|p| {
                let port = p.desc.port_no;
                port != in_port
                    && port <= PortNo::MAX
                    && p.is_up()
                    && (on_tree(port) || !is_link(port))
            })
            .map(|p| p.desc.port_no)
            .collect()
    }

    fn next_hop(&self, from: DatapathId, to: DatapathId) -> Option<PortNo> {
        self.graph.next_hop(from, to)
    }

    fn host(&self, mac: MacAddr, vlan: Option<u16>) -> Option<HostInfo> {
        self.hosts.get(mac, vlan).cloned()
    }

    fn attachment(&self, mac: MacAddr, vlan: Option<u16>) -> Option<Attachment> {
        self.hosts.attachment(mac, vlan)
    }

    fn hosts(&self) -> Vec<HostInfo> {
        self.hosts.hosts()
    }

    fn edge_vlans(&self, dpid: DatapathId) -> BTreeMap<PortNo, BTreeSet<Option<u16>>> {
        self.hosts.edge_vlans(dpid)
    }

    fn vlans(&self) -> BTreeMap<Option<u16>, usize> {
        self.hosts.vlans()
    }
}
