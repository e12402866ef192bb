//! The link table: directed inter-switch links observed by verified LLDP probes.
//!
//! A probe sent from `src` and received at `dst` observes the directed link `src → dst`. A link
//! stays up while it is seen again within the timeout. Ports are point to point, so a port is
//! the source of at most one link and the destination of at most one; a newer observation
//! replaces an older one (the cable moved).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use openflow::{DatapathId, PortNo};

pub use crate::store::LinkRecord;

/// One end of a link: a port of a switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkEnd {
    /// The switch.
    pub dpid: DatapathId,
    /// The port.
    pub port: PortNo,
}

impl LinkEnd {
    /// The end at `port` of `dpid`.
    pub const fn new(dpid: DatapathId, port: PortNo) -> LinkEnd {
        LinkEnd { dpid, port }
    }
}

/// A directed link: frames sent out of `src` arrive at `dst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    /// Where frames leave.
    pub src: LinkEnd,
    /// Where they arrive.
    pub dst: LinkEnd,
}

impl Link {
    /// The link in the other direction.
    pub const fn reversed(self) -> Link {
        Link {
            src: self.dst,
            dst: self.src,
        }
    }
}

/// A change to the set of up links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkChange {
    /// A link came up.
    Added(Link),
    /// A link went down (timed out, port down, switch gone or replaced).
    Removed(Link),
}

impl From<Link> for LinkRecord {
    fn from(link: Link) -> LinkRecord {
        LinkRecord {
            src_dpid: link.src.dpid.0,
            src_port: link.src.port.0,
            dst_dpid: link.dst.dpid.0,
            dst_port: link.dst.port.0,
        }
    }
}

impl From<LinkRecord> for Link {
    fn from(r: LinkRecord) -> Link {
        Link {
            src: LinkEnd::new(DatapathId(r.src_dpid), PortNo(r.src_port)),
            dst: LinkEnd::new(DatapathId(r.dst_dpid), PortNo(r.dst_port)),
        }
    }
}

/// The up links and when each was last seen.
#[derive(Clone, Debug)]
pub struct LinkTable {
    timeout: Duration,
    last_seen: BTreeMap<Link, Instant>,
    by_src: BTreeMap<LinkEnd, Link>,
    by_dst: BTreeMap<LinkEnd, Link>,
}

impl LinkTable {
    /// An empty table whose links go down when not seen for `timeout`.
    pub fn new(timeout: Duration) -> LinkTable {
        LinkTable {
            timeout,
            last_seen: BTreeMap::new(),
            by_src: BTreeMap::new(),
            by_dst: BTreeMap::new(),
        }
    }

    /// How long a link stays up without being seen.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Records that `link` was seen at `now`; reports it added if new, and any link it
    /// replaces (one sharing its source or destination port) removed.
    pub fn observe(&mut self, link: Link, now: Instant) -> Vec<LinkChange> {
        if let Some(seen) = self.last_seen.get_mut(&link) {
            *seen = now;
            return Vec::new();
        }
        let mut changes = Vec::new();
        for old in [self.by_src.get(&link.src), self.by_dst.get(&link.dst)]
            .into_iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
        {
            if self.remove(old) {
                changes.push(LinkChange::Removed(old));
            }
        }
        self.last_seen.insert(link, now);
        self.by_src.insert(link.src, link);
        self.by_dst.insert(link.dst, link);
        changes.push(LinkChange::Added(link));
        changes
    }

    /// Takes down every link not seen within the timeout before `now`.
    pub fn expire(&mut self, now: Instant) -> Vec<LinkChange> {
        let stale: Vec<Link> = self
            .last_seen
            .iter()
            .filter(|(_, seen)| now.saturating_duration_since(**seen) > self.timeout)
            .map(|(link, _)| *link)
            .collect();
        self.remove_all(stale)
    }

    /// The earliest time at which a link may expire, if any link is up.
    pub fn next_expiry(&self) -> Option<Instant> {
        self.last_seen
            .values()
            .min()
            .map(|seen| *seen + self.timeout)
    }

    /// Takes down the links at `end` (its port went down or was deleted).
    pub fn remove_port(&mut self, end: LinkEnd) -> Vec<LinkChange> {
        let hit: Vec<Link> = [self.by_src.get(&end), self.by_dst.get(&end)]
            .into_iter()
            .flatten()
            .copied()
            .collect();
        self.remove_all(hit)
    }

    /// Takes down every link with an end on `dpid` (it disconnected).
    pub fn remove_switch(&mut self, dpid: DatapathId) -> Vec<LinkChange> {
        let hit: Vec<Link> = self
            .last_seen
            .keys()
            .filter(|l| l.src.dpid == dpid || l.dst.dpid == dpid)
            .copied()
            .collect();
        self.remove_all(hit)
    }

    /// True if `end` is either end of an up link.
    pub fn is_link_port(&self, end: LinkEnd) -> bool {
        self.by_src.contains_key(&end) || self.by_dst.contains_key(&end)
    }

    /// True if `link` is up.
    pub fn contains(&self, link: Link) -> bool {
        self.last_seen.contains_key(&link)
    }

    /// Every up link, in order.
    pub fn links(&self) -> impl Iterator<Item = Link> + '_ {
        self.last_seen.keys().copied()
    }

    /// The number of up links.
    pub fn len(&self) -> usize {
        self.last_seen.len()
    }

    /// True if no link is up.
    pub fn is_empty(&self) -> bool {
        self.last_seen.is_empty()
    }

    /// Links up in this direction only: the other way has not been seen (yet).
    pub fn one_way(&self) -> impl Iterator<Item = Link> + '_ {
        self.links().filter(|l| !self.contains(l.reversed()))
    }

    /// Links up in both directions, each once as `(lower end, higher end)`.
    pub fn bidirectional(&self) -> Vec<(LinkEnd, LinkEnd)> {
        self.last_seen
            .keys()
            .filter(|l| l.src < l.dst && self.contains(l.reversed()))
            .map(|l| (l.src, l.dst))
            .collect()
    }

    /// The links as the store persists them.
    pub fn records(&self) -> Vec<LinkRecord> {
        self.links().map(LinkRecord::from).collect()
    }

    /// Restores persisted links as seen at `now` (they must be confirmed by a probe within the
    /// timeout or they expire).
    pub fn restore(&mut self, records: &[LinkRecord], now: Instant) -> Vec<LinkChange> {
        records
            .iter()
            .flat_map(|r| self.observe(Link::from(*r), now))
            .collect()
    }

    fn remove(&mut self, link: Link) -> bool {
        if self.last_seen.remove(&link).is_none() {
            return false;
        }
        self.by_src.remove(&link.src);
        self.by_dst.remove(&link.dst);
        true
    }

    fn remove_all(&mut self, links: Vec<Link>) -> Vec<LinkChange> {
        links
            .into_iter()
            .filter(|l| self.remove(*l))
            .map(LinkChange::Removed)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(10);

    fn end(dpid: u64, port: u32) -> LinkEnd {
        LinkEnd::new(DatapathId(dpid), PortNo(port))
    }

    fn link(a: (u64, u32), b: (u64, u32)) -> Link {
        Link {
            src: end(a.0, a.1),
            dst: end(b.0, b.1),
        }
    }

    #[test]
    fn observe_adds_once_then_refreshes() {
        let t0 = Instant::now();
        let mut table = LinkTable::new(T);
        let l = link((1, 1), (2, 1));
        assert_eq!(table.observe(l, t0), vec![LinkChange::Added(l)]);
        assert!(table.observe(l, t0 + T).is_empty());
        assert!(table.is_link_port(end(1, 1)));
        assert!(table.is_link_port(end(2, 1)));
        assert!(!table.is_link_port(end(1, 2)));
        // Refreshed at t0 + T, so still up at t0 + 2T.
        assert!(table.expire(t0 + 2 * T).is_empty());
        assert_eq!(
            table.expire(t0 + 2 * T + Duration::from_millis(1)),
            vec![LinkChange::Removed(l)]
        );
        assert!(table.is_empty());
        assert!(!table.is_link_port(end(1, 1)));
    }

    #[test]
    fn next_expiry_is_the_oldest_link_plus_timeout() {
        let t0 = Instant::now();
        let mut table = LinkTable::new(T);
        assert_eq!(table.next_expiry(), None);
        table.observe(link((1, 1), (2, 1)), t0 + Duration::from_secs(3));
        table.observe(link((2, 1), (1, 1)), t0 + Duration::from_secs(1));
        assert_eq!(table.next_expiry(), Some(t0 + Duration::from_secs(11)));
    }

    #[test]
    fn a_moved_cable_replaces_the_old_link() {
        let t0 = Instant::now();
        let mut table = LinkTable::new(T);
        let old = link((1, 1), (2, 1));
        table.observe(old, t0);
        let new = link((3, 5), (2, 1));
        assert_eq!(
            table.observe(new, t0),
            vec![LinkChange::Removed(old), LinkChange::Added(new)]
        );
        assert!(!table.is_link_port(end(1, 1)));
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn port_and_switch_removal() {
        let t0 = Instant::now();
        let mut table = LinkTable::new(T);
        let a = link((1, 1), (2, 1));
        let b = link((2, 1), (1, 1));
        let c = link((2, 2), (3, 1));
        for l in [a, b, c] {
            table.observe(l, t0);
        }
        assert_eq!(
            table.remove_port(end(1, 1)),
            vec![LinkChange::Removed(a), LinkChange::Removed(b)]
        );
        assert!(table.remove_port(end(1, 1)).is_empty());
        assert_eq!(
            table.remove_switch(DatapathId(3)),
            vec![LinkChange::Removed(c)]
        );
        assert!(table.is_empty());
    }

    #[test]
    fn bidirectional_pairs_each_once() {
        let t0 = Instant::now();
        let mut table = LinkTable::new(T);
        table.observe(link((2, 1), (1, 1)), t0);
        table.observe(link((1, 1), (2, 1)), t0);
        table.observe(link((2, 2), (3, 1)), t0); // one way only
        assert_eq!(table.bidirectional(), vec![(end(1, 1), end(2, 1))]);
        assert_eq!(
            table.one_way().collect::<Vec<_>>(),
            vec![link((2, 2), (3, 1))]
        );
    }

    #[test]
    fn records_round_trip_through_restore() {
        let t0 = Instant::now();
        let mut table = LinkTable::new(T);
        table.observe(link((1, 1), (2, 1)), t0);
        table.observe(link((2, 1), (1, 1)), t0);
        let records = table.records();
        let json = serde_json::to_string(&records).unwrap();
        let back: Vec<LinkRecord> = serde_json::from_str(&json).unwrap();
        let mut restored = LinkTable::new(T);
        let t1 = t0 + Duration::from_secs(100);
        assert_eq!(restored.restore(&back, t1).len(), 2);
        assert_eq!(restored.records(), records);
        // Restored links must be confirmed within the timeout.
        assert_eq!(restored.expire(t1 + T + Duration::from_millis(1)).len(), 2);
    }
}
