use super::*;

/// A network under construction: ports are numbered from 1 on each switch in the order links
/// are added.
#[derive(Default)]
struct Net {
    switches: BTreeSet<DatapathId>,
    links: Vec<(LinkEnd, LinkEnd)>,
    next_port: BTreeMap<DatapathId, u32>,
}

impl Net {
    fn switch(&mut self, dpid: u64) {
        self.switches.insert(DatapathId(dpid));
    }

    fn connect(&mut self, a: u64, b: u64) {
        let mut end = |dpid: u64| {
            let dpid = DatapathId(dpid);
            self.switches.insert(dpid);
            let port = self.next_port.entry(dpid).or_insert(0);
            *port += 1;
            LinkEnd::new(dpid, PortNo(*port))
        };
        let (a, b) = (end(a), end(b));
        self.links.push((a, b));
    }

    fn graph(&self) -> SwitchGraph {
        SwitchGraph::new(self.switches.iter().copied(), self.links.iter().copied())
    }
}

/// Mininet's `tree,depth=2,fanout=3`: switch 1 above switches 2, 3 and 4.
fn tree() -> Net {
    let mut net = Net::default();
    for child in 2..=4 {
        net.connect(1, child);
    }
    net
}

fn ring(n: u64) -> Net {
    let mut net = Net::default();
    for i in 1..=n {
        net.connect(i, i % n + 1);
    }
    net
}

/// Mininet's `torus,3,3`: a 3x3 grid with wrap-around rows and columns.
fn torus3x3() -> Net {
    let mut net = Net::default();
    let id = |row: u64, col: u64| row * 3 + col + 1;
    for row in 0..3 {
        for col in 0..3 {
            net.connect(id(row, col), id(row, (col + 1) % 3));
            net.connect(id(row, col), id((row + 1) % 3, col));
        }
    }
    net
}

/// Hop counts between every pair, by Floyd-Warshall (independent of the BFS under test).
fn distances(net: &Net) -> BTreeMap<(DatapathId, DatapathId), usize> {
    let nodes: Vec<DatapathId> = net.switches.iter().copied().collect();
    let mut d = BTreeMap::new();
    for &a in &nodes {
        d.insert((a, a), 0);
    }
    for (a, b) in &net.links {
        if a.dpid != b.dpid {
            d.insert((a.dpid, b.dpid), 1);
            d.insert((b.dpid, a.dpid), 1);
        }
    }
    for &k in &nodes {
        for &i in &nodes {
            for &j in &nodes {
                if let (Some(&ik), Some(&kj)) = (d.get(&(i, k)), d.get(&(k, j))) {
                    let via = ik + kj;
                    if d.get(&(i, j)).is_none_or(|&ij| via < ij) {
                        d.insert((i, j), via);
                    }
                }
            }
        }
    }
    d
}

fn peer_of(graph: &SwitchGraph, dpid: DatapathId, port: PortNo) -> (DatapathId, PortNo) {
    let e = graph
        .edges(dpid)
        .iter()
        .find(|e| e.port == port)
        .expect("port carries a link");
    (e.peer, e.peer_port)
}

/// Asserts the flood tree spans every switch without a cycle, and that a frame flooded along
/// it from any switch reaches every switch exactly once.
fn assert_spanning_tree(net: &Net) {
    let graph = net.graph();
    let n = net.switches.len();
    assert_eq!(graph.tree_links().len(), n - 1);
    // Union-find over the tree links: a cycle would join two already-joined switches.
    let mut parent: BTreeMap<DatapathId, DatapathId> =
        net.switches.iter().map(|&d| (d, d)).collect();
    fn find(p: &mut BTreeMap<DatapathId, DatapathId>, x: DatapathId) -> DatapathId {
        let up = p[&x];
        if up == x {
            return x;
        }
        let root = find(p, up);
        p.insert(x, root);
        root
    }
    for (a, b) in graph.tree_links() {
        let (ra, rb) = (find(&mut parent, a.dpid), find(&mut parent, b.dpid));
        assert_ne!(ra, rb, "tree link {a:?}-{b:?} closes a cycle");
        parent.insert(ra, rb);
    }
    for &start in &net.switches {
        let mut visits: BTreeMap<DatapathId, usize> = BTreeMap::new();
        let mut queue = VecDeque::from([(start, None::<PortNo>)]);
        while let Some((at, in_port)) = queue.pop_front() {
            *visits.entry(at).or_default() += 1;
            assert!(visits[&at] <= n, "flooding loops");
            for out in graph.tree_ports(at).filter(|p| Some(*p) != in_port) {
                let (peer, peer_port) = peer_of(&graph, at, out);
                assert!(graph.is_tree_port(peer, peer_port));
                queue.push_back((peer, Some(peer_port)));
            }
        }
        for &s in &net.switches {
            assert_eq!(visits.get(&s), Some(&1), "from {start}: switch {s}");
        }
    }
}

/// Asserts every path is shortest and really leads where it says.
fn assert_shortest_paths(net: &Net) {
    let graph = net.graph();
    let d = distances(net);
    for &from in &net.switches {
        for &to in &net.switches {
            let path = graph.path(from, to).expect("connected");
            assert_eq!(path.len(), d[&(from, to)], "{from} -> {to}");
            let mut at = from;
            for hop in &path {
                assert_eq!(hop.dpid, at);
                at = peer_of(&graph, at, hop.port).0;
            }
            assert_eq!(at, to);
            assert_eq!(graph.next_hop(from, to), path.first().map(|h| h.port));
        }
    }
}

#[test]
fn tree_topology() {
    let net = tree();
    assert_spanning_tree(&net);
    assert_shortest_paths(&net);
    let graph = net.graph();
    // Every link of a tree is a tree link.
    assert_eq!(graph.tree_links().len(), net.links.len());
    assert_eq!(
        graph.next_hop(DatapathId(2), DatapathId(4)),
        Some(PortNo(1))
    );
    assert_eq!(
        graph.path(DatapathId(2), DatapathId(4)).unwrap(),
        vec![
            LinkEnd::new(DatapathId(2), PortNo(1)),
            LinkEnd::new(DatapathId(1), PortNo(3))
        ]
    );
}

#[test]
fn ring_topology_breaks_ties_towards_lower_dpids() {
    let net = ring(4);
    assert_spanning_tree(&net);
    assert_shortest_paths(&net);
    let graph = net.graph();
    // 1 reaches 3 equally via 2 (its port 1) and via 4 (its port 2): the lower dpid wins.
    assert_eq!(
        graph.next_hop(DatapathId(1), DatapathId(3)),
        Some(PortNo(1))
    );
    // BFS from 1 takes 1-2 and 1-4, then 2-3; the link 3-4 is left out.
    assert!(graph.is_tree_port(DatapathId(3), PortNo(1)));
    assert!(!graph.is_tree_port(DatapathId(3), PortNo(2)));
    assert!(!graph.is_tree_port(DatapathId(4), PortNo(1)));
    assert!(graph.is_tree_port(DatapathId(4), PortNo(2)));
    assert_spanning_tree(&ring(7));
    assert_shortest_paths(&ring(7));
}

#[test]
fn torus_topology() {
    let net = torus3x3();
    assert_eq!(net.links.len(), 18);
    assert_spanning_tree(&net);
    assert_shortest_paths(&net);
}

#[test]
fn the_graph_is_a_function_of_its_links_not_their_order() {
    let net = torus3x3();
    let mut reversed = Net {
        switches: net.switches.clone(),
        links: net.links.iter().rev().map(|&(a, b)| (b, a)).collect(),
        next_port: BTreeMap::new(),
    };
    reversed.links.rotate_left(5);
    assert_eq!(net.graph(), reversed.graph());
}

#[test]
fn components_get_their_own_trees() {
    let mut net = Net::default();
    net.connect(1, 2);
    net.connect(5, 6);
    net.switch(9);
    let graph = net.graph();
    assert_eq!(graph.tree_links().len(), 2);
    assert_eq!(graph.next_hop(DatapathId(1), DatapathId(6)), None);
    assert_eq!(graph.path(DatapathId(9), DatapathId(9)), Some(vec![]));
    assert_eq!(graph.next_hop(DatapathId(9), DatapathId(9)), None);
    assert_eq!(graph.path(DatapathId(1), DatapathId(77)), None);
}

#[test]
fn parallel_and_self_links_stay_off_the_tree() {
    let mut net = Net::default();
    net.connect(1, 2);
    net.connect(1, 2);
    net.connect(2, 2);
    let graph = net.graph();
    assert_eq!(graph.tree_links().len(), 1);
    assert_eq!(
        graph.tree_ports(DatapathId(1)).collect::<Vec<_>>(),
        vec![PortNo(1)]
    );
    assert_eq!(
        graph.tree_ports(DatapathId(2)).collect::<Vec<_>>(),
        vec![PortNo(1)]
    );
}

#[test]
fn links_to_unknown_switches_are_left_out() {
    let links = [(
        LinkEnd::new(DatapathId(1), PortNo(1)),
        LinkEnd::new(DatapathId(2), PortNo(1)),
    )];
    let graph = SwitchGraph::new([DatapathId(1)], links);
    assert!(graph.edges(DatapathId(1)).is_empty());
    assert!(graph.tree_links().is_empty());
}
