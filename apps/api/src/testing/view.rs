//! A configurable network that implements [`View`]: switches, ports, links and hosts, with
//! a deterministic flood tree (BFS from the lowest datapath id) and BFS shortest paths.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use openflow::{DatapathId, MacAddr, PortNo};

use crate::{HostInfo, PortInfo, View};

/// One end of a link: a switch and its port.
pub type Endpoint = (DatapathId, PortNo);

/// A fake network view.
#[derive(Clone, Debug, Default)]
pub struct FakeView {
    ports: BTreeMap<DatapathId, BTreeMap<PortNo, PortInfo>>,
    links: BTreeMap<Endpoint, Endpoint>,
    hosts: BTreeMap<(MacAddr, Option<u16>), HostInfo>,
}

impl FakeView {
    /// An empty network.
    pub fn new() -> FakeView {
        FakeView::default()
    }

    /// Adds a switch with these port numbers, all up (ports are added to an existing switch).
    pub fn add_switch(&mut self, dpid: DatapathId, ports: &[u32]) {
        let table = self.ports.entry(dpid).or_default();
        for &n in ports {
            let b = n.to_be_bytes();
            table.insert(
                PortNo(n),
                PortInfo {
                    port_no: PortNo(n),
                    name: format!("s{}-eth{n}", dpid.0),
                    hw_addr: MacAddr([0x0a, dpid.0 as u8, b[0], b[1], b[2], b[3]]),
                    up: true,
                    probing: false,
                },
            );
        }
    }

    /// Sets a port up or down; false if there is no such port.
    pub fn set_port_up(&mut self, dpid: DatapathId, port: PortNo, up: bool) -> bool {
        match self.ports.get_mut(&dpid).and_then(|p| p.get_mut(&port)) {
            Some(info) => {
                info.up = up;
                true
            }
            None => false,
        }
    }

    /// Links two ports (both must exist and be free); false otherwise.
    pub fn add_link(&mut self, a: Endpoint, b: Endpoint) -> bool {
        let exists = |e: &Endpoint| self.ports.get(&e.0).is_some_and(|p| p.contains_key(&e.1));
        if a == b || !exists(&a) || !exists(&b) {
            return false;
        }
        if self.links.contains_key(&a) || self.links.contains_key(&b) {
            return false;
        }
        self.links.insert(a, b);
        self.links.insert(b, a);
        true
    }

    /// Removes the link at `a`; false if there was none.
    pub fn remove_link(&mut self, a: Endpoint) -> bool {
        match self.links.remove(&a) {
            Some(b) => {
                self.links.remove(&b);
                true
            }
            None => false,
        }
    }

    /// Records a host where it was seen; true if it is new or moved.
    pub fn learn_host(
        &mut self,
        mac: MacAddr,
        vlan: Option<u16>,
        dpid: DatapathId,
        port: PortNo,
    ) -> bool {
        let host = self.hosts.entry((mac, vlan)).or_insert_with(|| HostInfo {
            mac,
            vlan,
            dpid,
            port: PortNo::ANY,
            ipv4: Vec::new(),
            ipv6: Vec::new(),
        });
        let changed = (host.dpid, host.port) != (dpid, port);
        host.dpid = dpid;
        host.port = port;
        changed
    }

    /// Forgets a host.
    pub fn remove_host(&mut self, mac: MacAddr, vlan: Option<u16>) -> Option<HostInfo> {
        self.hosts.remove(&(mac, vlan))
    }

    fn port_up(&self, e: Endpoint) -> bool {
        self.ports
            .get(&e.0)
            .and_then(|p| p.get(&e.1))
            .is_some_and(|p| p.up)
    }

    /// The other end of an up link at `e`.
    pub fn peer(&self, e: Endpoint) -> Option<Endpoint> {
        let peer = *self.links.get(&e)?;
        (self.port_up(e) && self.port_up(peer)).then_some(peer)
    }

    /// A switch's neighbours over up links, by local port number.
    fn neighbours(&self, dpid: DatapathId) -> Vec<(PortNo, Endpoint)> {
        let Some(ports) = self.ports.get(&dpid) else {
            return Vec::new();
        };
        ports
            .keys()
            .filter_map(|p| self.peer((dpid, *p)).map(|peer| (*p, peer)))
            .collect()
    }

    /// The link ports on the flood tree: BFS over up links from the lowest datapath id of
    /// each connected part, neighbours taken in port order, one link per switch pair.
    pub fn tree_ports(&self) -> BTreeSet<Endpoint> {
        let mut seen = BTreeSet::new();
        let mut tree = BTreeSet::new();
        for &root in self.ports.keys() {
            if !seen.insert(root) {
                continue;
            }
            let mut queue = VecDeque::from([root]);
            while let Some(s) = queue.pop_front() {
                for (port, (peer, peer_port)) in self.neighbours(s) {
                    if seen.insert(peer) {
                        tree.insert((s, port));
                        tree.insert((peer, peer_port));
                        queue.push_back(peer);
                    }
                }
            }
        }
        tree
    }

    /// Hop distances from every switch to `to` over up links.
    fn distances_to(&self, to: DatapathId) -> BTreeMap<DatapathId, usize> {
        let mut dist = BTreeMap::from([(to, 0)]);
        let mut queue = VecDeque::from([to]);
        while let Some(s) = queue.pop_front() {
            let d = dist[&s];
            for (_, (peer, _)) in self.neighbours(s) {
                dist.entry(peer).or_insert_with(|| {
                    queue.push_back(peer);
                    d + 1
                });
            }
        }
        dist
    }
}

impl View for FakeView {
    fn switches(&self) -> Vec<DatapathId> {
        self.ports.keys().copied().collect()
    }

    fn ports(&self, dpid: DatapathId) -> Vec<PortInfo> {
        self.ports
            .get(&dpid)
            .map(|p| p.values().cloned().collect())
            .unwrap_or_default()
    }

    fn is_link_port(&self, dpid: DatapathId, port: PortNo) -> bool {
        self.peer((dpid, port)).is_some()
    }

    fn flood_ports(&self, dpid: DatapathId, in_port: PortNo) -> Vec<PortNo> {
        let tree = self.tree_ports();
        if self.is_link_port(dpid, in_port) && !tree.contains(&(dpid, in_port)) {
            return Vec::new();
        }
        self.ports(dpid)
            .into_iter()
            .filter(|p| p.up && p.port_no != in_port)
            .map(|p| p.port_no)
            .filter(|&p| !self.is_link_port(dpid, p) || tree.contains(&(dpid, p)))
            .collect()
    }

    fn next_hop(&self, from: DatapathId, to: DatapathId) -> Option<PortNo> {
        if from == to {
            return None;
        }
        let dist = self.distances_to(to);
        let d = *dist.get(&from)?;
        self.neighbours(from)
            .into_iter()
            .find(|(_, (peer, _))| dist.get(peer) == Some(&(d - 1)))
            .map(|(port, _)| port)
    }

    fn host(&self, mac: MacAddr, vlan: Option<u16>) -> Option<HostInfo> {
        self.hosts.get(&(mac, vlan)).cloned()
    }

    fn hosts(&self) -> Vec<HostInfo> {
        self.hosts.values().cloned().collect()
    }
}

/// Ready-made networks, with the edge ports where hosts attach.
pub mod topo {
    use super::*;

    /// A network and the edge ports its hosts attach to, in host order.
    pub type Network = (FakeView, Vec<Endpoint>);

    /// Mininet's `tree,depth,fanout`: switch 1 is the root; each switch's port 1..=fanout
    /// goes down, port fanout+1 (absent on the root) goes up; leaves carry hosts on ports 1..=fanout.
    pub fn tree(depth: u32, fanout: u32) -> Network {
        let mut view = FakeView::new();
        let mut hosts = Vec::new();
        let mut next = 1u64;
        build_tree(&mut view, &mut hosts, &mut next, depth, fanout, None);
        (view, hosts)
    }

    fn build_tree(
        view: &mut FakeView,
        hosts: &mut Vec<Endpoint>,
        next: &mut u64,
        depth: u32,
        fanout: u32,
        parent: Option<Endpoint>,
    ) {
        let me = DatapathId(*next);
        *next += 1;
        // The root has no uplink port.
        let uplink = u32::from(parent.is_some());
        let ports: Vec<u32> = (1..=fanout + uplink).collect();
        view.add_switch(me, &ports);
        if let Some(parent) = parent {
            view.add_link(parent, (me, PortNo(fanout + 1)));
        }
        for p in 1..=fanout {
            if depth <= 1 {
                hosts.push((me, PortNo(p)));
            } else {
                build_tree(view, hosts, next, depth - 1, fanout, Some((me, PortNo(p))));
            }
        }
    }

    /// A ring of `n` switches (n ≥ 3): port 1 has a host, port 2 goes to the next switch,
    /// port 3 to the previous one.
    pub fn ring(n: u64) -> Network {
        let mut view = FakeView::new();
        let mut hosts = Vec::new();
        for s in 1..=n {
            view.add_switch(DatapathId(s), &[1, 2, 3]);
            hosts.push((DatapathId(s), PortNo(1)));
        }
        for s in 1..=n {
            let next = s % n + 1;
            view.add_link((DatapathId(s), PortNo(2)), (DatapathId(next), PortNo(3)));
        }
        (view, hosts)
    }

    /// Mininet's `torus,x,y` (x, y ≥ 3): switch (i, j) has datapath id `i * y + j + 1`, a
    /// host on port 1, and links right (port 2 → port 3 of its neighbour) and down (port 4 →
    /// port 5), wrapping around.
    pub fn torus(x: u64, y: u64) -> Network {
        let mut view = FakeView::new();
        let mut hosts = Vec::new();
        let id = |i: u64, j: u64| DatapathId(i * y + j + 1);
        for i in 0..x {
            for j in 0..y {
                view.add_switch(id(i, j), &[1, 2, 3, 4, 5]);
                hosts.push((id(i, j), PortNo(1)));
            }
        }
        for i in 0..x {
            for j in 0..y {
                view.add_link((id(i, j), PortNo(2)), (id(i, (j + 1) % y), PortNo(3)));
                view.add_link((id(i, j), PortNo(4)), (id((i + 1) % x, j), PortNo(5)));
            }
        }
        (view, hosts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_flood_tree_leaves_exactly_one_link_out() {
        let (view, _) = topo::ring(4);
        let tree = view.tree_ports();
        // Four switches need three tree links, six tree ports.
        assert_eq!(tree.len(), 6);
        let d = DatapathId;
        // The link 3→4 (BFS reaches 3 and 4 from 2 and 1) is not on the tree.
        assert!(!tree.contains(&(d(3), PortNo(2))));
        assert_eq!(view.flood_ports(d(3), PortNo(1)), vec![PortNo(3)]);
        assert_eq!(view.flood_ports(d(4), PortNo(3)), Vec::<PortNo>::new());
        assert_eq!(
            view.flood_ports(d(1), PortNo(1)),
            vec![PortNo(2), PortNo(3)]
        );
    }

    #[test]
    fn next_hop_follows_shortest_paths_and_port_failures() {
        let (mut view, _) = topo::ring(5);
        let d = DatapathId;
        assert_eq!(view.next_hop(d(1), d(2)), Some(PortNo(2)));
        assert_eq!(view.next_hop(d(1), d(5)), Some(PortNo(3)));
        assert_eq!(view.next_hop(d(1), d(1)), None);
        assert!(view.set_port_up(d(1), PortNo(3), false));
        assert_eq!(view.next_hop(d(1), d(5)), Some(PortNo(2)));
        assert!(!view.is_link_port(d(5), PortNo(2)));
    }

    #[test]
    fn tree_and_torus_have_the_mininet_shape() {
        let (tree, hosts) = topo::tree(2, 3);
        assert_eq!(tree.switches().len(), 4);
        assert_eq!(hosts.len(), 9);
        let (torus, hosts) = topo::torus(3, 3);
        assert_eq!(torus.switches().len(), 9);
        assert_eq!(hosts.len(), 9);
        assert_eq!(torus.tree_ports().len(), 16);
        assert!(torus.is_link_port(DatapathId(9), PortNo(2)));
    }

    #[test]
    fn hosts_are_learned_and_moved() {
        let mut view = FakeView::new();
        let mac = MacAddr([2, 0, 0, 0, 0, 1]);
        assert!(view.learn_host(mac, Some(10), DatapathId(1), PortNo(1)));
        assert!(!view.learn_host(mac, Some(10), DatapathId(1), PortNo(1)));
        assert!(view.learn_host(mac, Some(10), DatapathId(1), PortNo(2)));
        assert_eq!(view.host(mac, None), None);
        assert_eq!(view.hosts().len(), 1);
        assert!(view.remove_host(mac, Some(10)).is_some());
    }
}
