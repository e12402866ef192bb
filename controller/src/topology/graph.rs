//! The switch graph: switches joined by links that are up in both directions, with shortest
//! paths and a loop-free flood tree.
//!
//! Everything is deterministic: neighbors are visited in order of (neighbor dpid, local port,
//! neighbor port), so equal-cost paths are broken towards lower dpids and ports, and the flood
//! tree of each connected component is the breadth-first tree from its lowest dpid. The graph
//! is rebuilt from scratch on every link change, which costs O(E log E) and keeps the flood
//! tree a pure function of the up links.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use openflow::{DatapathId, PortNo};

use super::links::LinkEnd;

/// A link seen from one of its switches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The neighbor switch.
    pub peer: DatapathId,
    /// The local port the link leaves from.
    pub port: PortNo,
    /// The neighbor's port.
    pub peer_port: PortNo,
}

/// Switches, the links between them, and the flood tree over them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwitchGraph {
    adjacency: BTreeMap<DatapathId, Vec<Edge>>,
    tree_ports: BTreeMap<DatapathId, BTreeSet<PortNo>>,
    tree_links: Vec<(LinkEnd, LinkEnd)>,
    /// For each switch with links, the port of the first hop towards every switch it reaches
    /// (the first hop of [`SwitchGraph::path`]), so next hops cost a lookup.
    first_hops: BTreeMap<DatapathId, BTreeMap<DatapathId, PortNo>>,
}

impl SwitchGraph {
    /// The graph of `switches` joined by `links` (each an undirected pair of ends). Links with an
    /// end on a switch not in `switches` are left out.
    pub fn new(
        switches: impl IntoIterator<Item = DatapathId>,
        links: impl IntoIterator<Item = (LinkEnd, LinkEnd)>,
    ) -> SwitchGraph {
        let mut adjacency: BTreeMap<DatapathId, Vec<Edge>> =
            switches.into_iter().map(|d| (d, Vec::new())).collect();
        for (a, b) in links {
            if !(adjacency.contains_key(&a.dpid) && adjacency.contains_key(&b.dpid)) {
                continue;
            }
            for (from, to) in [(a, b), (b, a)] {
                if let Some(edges) = adjacency.get_mut(&from.dpid) {
                    edges.push(Edge {
                        peer: to.dpid,
                        port: from.port,
                        peer_port: to.port,
                    });
                }
            }
        }
        for edges in adjacency.values_mut() {
            edges.sort();
            edges.dedup();
        }
        let mut graph = SwitchGraph {
            adjacency,
            tree_ports: BTreeMap::new(),
            tree_links: Vec::new(),
            first_hops: BTreeMap::new(),
        };
        graph.build_flood_tree();
        graph.build_first_hops();
        graph
    }

    /// The switches, in dpid order.
    pub fn switches(&self) -> impl Iterator<Item = DatapathId> + '_ {
        self.adjacency.keys().copied()
    }

    /// The links of `dpid`, in visiting order.
    pub fn edges(&self, dpid: DatapathId) -> &[Edge] {
        self.adjacency.get(&dpid).map_or(&[], Vec::as_slice)
    }

    /// The ports to leave by on a shortest path from `from` to `to`, one per switch before
    /// `to` (empty when `from == to`); `None` if `to` is unreachable or unknown.
    pub fn path(&self, from: DatapathId, to: DatapathId) -> Option<Vec<LinkEnd>> {
        if !self.adjacency.contains_key(&from) || !self.adjacency.contains_key(&to) {
            return None;
        }
        // Breadth-first from `from`; `via[v]` is the switch and port v was first reached by.
        let mut via: BTreeMap<DatapathId, LinkEnd> = BTreeMap::new();
        let mut queue = VecDeque::from([from]);
        let mut reached = BTreeSet::from([from]);
        while let Some(u) = queue.pop_front() {
            if u == to {
                break;
            }
            for e in self.edges(u) {
                if reached.insert(e.peer) {
                    via.insert(e.peer, LinkEnd::new(u, e.port));
                    queue.push_back(e.peer);
                }
            }
        }
        if !reached.contains(&to) {
            return None;
        }
        let mut hops = Vec::new();
        let mut at = to;
        while at != from {
            let hop = via[&at];
            hops.push(hop);
            at = hop.dpid;
        }
        hops.reverse();
        Some(hops)
    }

    /// The port of `from` on a shortest path to `to` (`None`: unreachable, unknown or same).
    pub fn next_hop(&self, from: DatapathId, to: DatapathId) -> Option<PortNo> {
        self.first_hops.get(&from)?.get(&to).copied()
    }

    /// Breadth-first from every switch that has links, in the same order as
    /// [`path`](SwitchGraph::path), recording the port each reached switch's path leaves by.
    fn build_first_hops(&mut self) {
        for (&from, edges) in &self.adjacency {
            if edges.is_empty() {
                continue;
            }
            let mut hops: BTreeMap<DatapathId, PortNo> = BTreeMap::new();
            let mut queue = VecDeque::from([from]);
            let mut reached = BTreeSet::from([from]);
            while let Some(u) = queue.pop_front() {
                for e in self.edges(u) {
                    if reached.insert(e.peer) {
                        let first = if u == from { e.port } else { hops[&u] };
                        hops.insert(e.peer, first);
                        queue.push_back(e.peer);
                    }
                }
            }
            self.first_hops.insert(from, hops);
        }
    }

    /// True if `port` of `dpid` carries a flood-tree link.
    pub fn is_tree_port(&self, dpid: DatapathId, port: PortNo) -> bool {
        self.tree_ports
            .get(&dpid)
            .is_some_and(|ports| ports.contains(&port))
    }

    /// The flood-tree ports of `dpid`, in order.
    pub fn tree_ports(&self, dpid: DatapathId) -> impl Iterator<Item = PortNo> + '_ {
        self.tree_ports.get(&dpid).into_iter().flatten().copied()
    }

    /// The links of the flood tree, each as (parent end, child end), in the order they were
    /// added.
    pub fn tree_links(&self) -> &[(LinkEnd, LinkEnd)] {
        &self.tree_links
    }

    /// Breadth-first trees from the lowest dpid of each connected component.
    fn build_flood_tree(&mut self) {
        let mut reached = BTreeSet::new();
        for &root in self.adjacency.keys() {
            if !reached.insert(root) {
                continue;
            }
            let mut queue = VecDeque::from([root]);
            while let Some(u) = queue.pop_front() {
                for e in &self.adjacency[&u] {
                    if reached.insert(e.peer) {
                        self.tree_ports.entry(u).or_default().insert(e.port);
                        self.tree_ports
                            .entry(e.peer)
                            .or_default()
                            .insert(e.peer_port);
                        self.tree_links
                            .push((LinkEnd::new(u, e.port), LinkEnd::new(e.peer, e.peer_port)));
                        queue.push_back(e.peer);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "graph_tests.rs"]
mod tests;
