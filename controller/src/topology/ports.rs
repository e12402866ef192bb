//! A switch's ports by number: a sorted vector, not a B-tree. A switch has a handful of ports
//! and the controller keeps one map per connected switch, so the B-tree's 11-slot nodes cost
//! more than the ports themselves; lookups here are binary searches over a few entries.

use openflow::PortNo;

use super::SwitchPort;

/// Ports in port-number order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortMap {
    entries: Vec<(PortNo, SwitchPort)>,
}

impl PortMap {
    /// No ports.
    pub fn new() -> PortMap {
        PortMap::default()
    }

    fn find(&self, port: &PortNo) -> Result<usize, usize> {
        self.entries.binary_search_by_key(port, |(p, _)| *p)
    }

    /// The port numbered `port`.
    pub fn get(&self, port: &PortNo) -> Option<&SwitchPort> {
        self.find(port).ok().map(|i| &self.entries[i].1)
    }

    /// The port numbered `port`, to change.
    pub fn get_mut(&mut self, port: &PortNo) -> Option<&mut SwitchPort> {
        self.find(port).ok().map(|i| &mut self.entries[i].1)
    }

    /// True if there is a port numbered `port`.
    pub fn contains_key(&self, port: &PortNo) -> bool {
        self.find(port).is_ok()
    }

    /// Adds or replaces a port; returns the one replaced.
    pub fn insert(&mut self, port: PortNo, value: SwitchPort) -> Option<SwitchPort> {
        match self.find(&port) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (port, value));
                self.entries.shrink_to_fit();
                None
            }
        }
    }

    /// Removes a port.
    pub fn remove(&mut self, port: &PortNo) -> Option<SwitchPort> {
        let i = self.find(port).ok()?;
        let (_, value) = self.entries.remove(i);
        self.entries.shrink_to_fit();
        Some(value)
    }

    /// The port numbers, in order.
    pub fn keys(&self) -> impl Iterator<Item = &PortNo> {
        self.entries.iter().map(|(p, _)| p)
    }

    /// The ports, in number order.
    pub fn values(&self) -> impl Iterator<Item = &SwitchPort> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The ports, in number order, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut SwitchPort> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Numbers and ports, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&PortNo, &SwitchPort)> {
        self.entries.iter().map(|(p, v)| (p, v))
    }

    /// How many ports.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'a> IntoIterator for &'a PortMap {
    type Item = (&'a PortNo, &'a SwitchPort);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (PortNo, SwitchPort)>,
        fn(&'a (PortNo, SwitchPort)) -> (&'a PortNo, &'a SwitchPort),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(p, v)| (p, v))
    }
}

impl FromIterator<(PortNo, SwitchPort)> for PortMap {
    fn from_iter<I: IntoIterator<Item = (PortNo, SwitchPort)>>(iter: I) -> PortMap {
        let mut entries: Vec<(PortNo, SwitchPort)> = iter.into_iter().collect();
        entries.sort_by_key(|(p, _)| *p);
        entries.dedup_by_key(|(p, _)| *p);
        entries.shrink_to_fit();
        PortMap { entries }
    }
}
