//! Host tracking: where each MAC address (on a VLAN) is attached, and the IP addresses it uses.
//!
//! The topology feeds this table only with frames that entered on edge ports. The table is
//! bounded: when it is full, learning a new host evicts the least recently seen one, so a flood
//! of random source MACs cannot grow memory without bound.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use navarch_app::{Attachment, HostInfo};
use openflow::{DatapathId, MacAddr, PortNo};

pub use crate::store::HostRecord;

use super::frame::{Sender, SenderIp};
use super::links::LinkEnd;
use super::lldp::ETHERTYPE_LLDP;

/// The most addresses of each family remembered per host; older ones are dropped first.
pub const MAX_ADDRESSES_PER_FAMILY: usize = 8;

/// What identifies a host: its MAC address and VLAN.
pub type HostKey = (MacAddr, Option<u16>);

/// A change to the set of known hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostChange {
    /// A host was learned.
    Added(HostInfo),
    /// A known host appeared on another edge port.
    Moved {
        /// The host at its new attachment point.
        host: HostInfo,
        /// Where it was attached before.
        from: LinkEnd,
    },
    /// A known host was seen using a new IP address.
    AddressAdded(HostInfo),
    /// A host was forgotten (asked to, its port or switch went away, or it was evicted).
    Removed(HostInfo),
}

impl HostChange {
    /// The host the change is about, as it is after the change (or was, when removed).
    pub fn host(&self) -> &HostInfo {
        match self {
            HostChange::Added(h) | HostChange::AddressAdded(h) | HostChange::Removed(h) => h,
            HostChange::Moved { host, .. } => host,
        }
    }
}

impl From<&HostInfo> for HostRecord {
    fn from(h: &HostInfo) -> HostRecord {
        HostRecord {
            mac: h.mac.0,
            vlan: h.vlan,
            dpid: h.dpid.0,
            port: h.port.0,
            ipv4: h.ipv4.clone(),
            ipv6: h.ipv6.clone(),
        }
    }
}

impl From<HostRecord> for HostInfo {
    fn from(r: HostRecord) -> HostInfo {
        HostInfo {
            mac: MacAddr(r.mac),
            vlan: r.vlan,
            dpid: DatapathId(r.dpid),
            port: PortNo(r.port),
            ipv4: r.ipv4,
            ipv6: r.ipv6,
        }
    }
}

#[derive(Clone, Debug)]
struct Entry {
    info: HostInfo,
    /// When it was last seen, on the table's clock; larger is more recent.
    seen: u64,
    /// Its place in the recency order: when it was last *ordered*, at most `seen`. Seeing a
    /// host only updates `seen`; eviction moves entries whose place is stale (see
    /// [`HostTable::evict_oldest`]), so a packet from a known host costs no reordering.
    queued: u64,
    /// The IP address it last used, so a known host's packets skip the address list.
    last_ip: Option<SenderIp>,
}

/// The VLANs of the hosts on each edge port of one switch, with host counts.
type PortVlans = BTreeMap<PortNo, BTreeMap<Option<u16>, usize>>;

/// The known hosts, bounded in number.
#[derive(Clone, Debug)]
pub struct HostTable {
    max_hosts: usize,
    /// Keyed by what packets claim: a fast hash with a random seed per table.
    hosts: HashMap<HostKey, Entry, foldhash::fast::RandomState>,
    /// Hosts by the `queued` stamp of their entries, oldest first.
    recency: BTreeMap<u64, HostKey>,
    clock: u64,
    /// Index: VLAN membership of edge ports, per switch.
    membership: HashMap<DatapathId, PortVlans>,
    /// Index: hosts per VLAN.
    vlans: BTreeMap<Option<u16>, usize>,
}

impl HostTable {
    /// An empty table holding at most `max_hosts` hosts.
    pub fn new(max_hosts: usize) -> HostTable {
        HostTable {
            max_hosts,
            hosts: HashMap::default(),
            recency: BTreeMap::new(),
            clock: 0,
            membership: HashMap::new(),
            vlans: BTreeMap::new(),
        }
    }

    /// Counts a host in the indexes.
    fn index(&mut self, h: &HostInfo) {
        *self
            .membership
            .entry(h.dpid)
            .or_default()
            .entry(h.port)
            .or_default()
            .entry(h.vlan)
            .or_default() += 1;
        *self.vlans.entry(h.vlan).or_default() += 1;
    }

    /// Removes a host from the indexes.
    fn unindex(&mut self, h: &HostInfo) {
        fn decrement<K: Ord>(map: &mut BTreeMap<K, usize>, key: K) {
            if let Some(n) = map.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&key);
                }
            }
        }
        if let Some(ports) = self.membership.get_mut(&h.dpid) {
            if let Some(vlans) = ports.get_mut(&h.port) {
                decrement(vlans, h.vlan);
                if vlans.is_empty() {
                    ports.remove(&h.port);
                }
            }
            if ports.is_empty() {
                self.membership.remove(&h.dpid);
            }
        }
        decrement(&mut self.vlans, h.vlan);
    }

    /// The VLANs of the hosts on each edge port of `dpid`.
    pub fn edge_vlans(&self, dpid: DatapathId) -> BTreeMap<PortNo, BTreeSet<Option<u16>>> {
        self.membership
            .get(&dpid)
            .map(|ports| {
                ports
                    .iter()
                    .map(|(port, vlans)| (*port, vlans.keys().copied().collect()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every VLAN with known hosts, with how many.
    pub fn vlans(&self) -> BTreeMap<Option<u16>, usize> {
        self.vlans.clone()
    }

    /// The most hosts held at once.
    pub fn max_hosts(&self) -> usize {
        self.max_hosts
    }

    /// Learns from a frame that entered edge port `port` of `dpid`. Frames whose source is a
    /// group or zero address, and LLDP, teach nothing.
    pub fn learn(&mut self, dpid: DatapathId, port: PortNo, sender: &Sender) -> Vec<HostChange> {
        if sender.src.is_multicast()
            || sender.src == MacAddr::ZERO
            || sender.ethertype == ETHERTYPE_LLDP
            || self.max_hosts == 0
        {
            return Vec::new();
        }
        let key = (sender.src, sender.vlan);
        let seen = self.tick();
        if let Some(entry) = self.hosts.get_mut(&key) {
            entry.seen = seen;
            let info = &mut entry.info;
            if (info.dpid, info.port) == (dpid, port)
                && (sender.ip.is_none() || sender.ip == entry.last_ip)
            {
                // The common case: a known host, where it was, as it was.
                return Vec::new();
            }
            if sender.ip.is_some() {
                entry.last_ip = sender.ip;
            }
            let mut changes = Vec::new();
            if (info.dpid, info.port) != (dpid, port) {
                let old = info.clone();
                let from = LinkEnd::new(info.dpid, info.port);
                info.dpid = dpid;
                info.port = port;
                add_address(info, sender.ip);
                let host = info.clone();
                self.unindex(&old);
                self.index(&host);
                changes.push(HostChange::Moved { host, from });
            } else if add_address(info, sender.ip) {
                changes.push(HostChange::AddressAdded(info.clone()));
            }
            return changes;
        }

        let mut changes = Vec::new();
        while self.hosts.len() >= self.max_hosts {
            match self.evict_oldest() {
                Some(change) => changes.push(change),
                None => break,
            }
        }
        let mut info = HostInfo {
            mac: sender.src,
            vlan: sender.vlan,
            dpid,
            port,
            ipv4: Vec::new(),
            ipv6: Vec::new(),
        };
        add_address(&mut info, sender.ip);
        changes.push(HostChange::Added(info.clone()));
        self.index(&info);
        self.hosts.insert(
            key,
            Entry {
                info,
                seen,
                queued: seen,
                last_ip: sender.ip,
            },
        );
        self.recency.insert(seen, key);
        changes
    }

    /// Forgets a host.
    pub fn forget(&mut self, mac: MacAddr, vlan: Option<u16>) -> Option<HostChange> {
        let entry = self.hosts.remove(&(mac, vlan))?;
        self.recency.remove(&entry.queued);
        self.unindex(&entry.info);
        Some(HostChange::Removed(entry.info))
    }

    /// Forgets every host attached at `end`.
    pub fn remove_port(&mut self, end: LinkEnd) -> Vec<HostChange> {
        self.remove_where(|h| h.dpid == end.dpid && h.port == end.port)
    }

    /// Forgets every host attached to `dpid`.
    pub fn remove_switch(&mut self, dpid: DatapathId) -> Vec<HostChange> {
        self.remove_where(|h| h.dpid == dpid)
    }

    /// Where the host with this MAC on this VLAN is attached.
    pub fn attachment(&self, mac: MacAddr, vlan: Option<u16>) -> Option<Attachment> {
        self.hosts.get(&(mac, vlan)).map(|e| Attachment {
            dpid: e.info.dpid,
            port: e.info.port,
        })
    }

    /// The host with this MAC on this VLAN.
    pub fn get(&self, mac: MacAddr, vlan: Option<u16>) -> Option<&HostInfo> {
        self.hosts.get(&(mac, vlan)).map(|e| &e.info)
    }

    /// Every known host, ordered by MAC and VLAN.
    pub fn hosts(&self) -> Vec<HostInfo> {
        let mut all: Vec<HostInfo> = self.hosts.values().map(|e| e.info.clone()).collect();
        all.sort_by_key(|h| (h.mac, h.vlan));
        all
    }

    /// The number of known hosts.
    pub fn len(&self) -> usize {
        self.hosts.len()
    }

    /// True if no host is known.
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    /// The hosts as the store persists them, ordered by MAC and VLAN.
    pub fn records(&self) -> Vec<HostRecord> {
        self.hosts().iter().map(HostRecord::from).collect()
    }

    /// Restores persisted hosts (in the given order, so later records count as more recent),
    /// replacing any known host with the same MAC and VLAN.
    pub fn restore(&mut self, records: &[HostRecord]) -> Vec<HostChange> {
        let mut changes = Vec::new();
        for record in records {
            let info = HostInfo::from(record.clone());
            let key = (info.mac, info.vlan);
            if let Some(old) = self.hosts.remove(&key) {
                self.recency.remove(&old.queued);
                self.unindex(&old.info);
            }
            while self.hosts.len() >= self.max_hosts {
                match self.evict_oldest() {
                    Some(change) => changes.push(change),
                    None => break,
                }
            }
            if self.max_hosts == 0 {
                break;
            }
            let seen = self.tick();
            changes.push(HostChange::Added(info.clone()));
            self.index(&info);
            self.hosts.insert(
                key,
                Entry {
                    info,
                    seen,
                    queued: seen,
                    last_ip: None,
                },
            );
            self.recency.insert(seen, key);
        }
        changes
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn evict_oldest(&mut self) -> Option<HostChange> {
        // The first entry whose place is current is the least recently seen: every other
        // entry's place is at most its `seen`, and places are unique ticks. Entries seen
        // since they were placed move to where their last sighting puts them.
        loop {
            let (_, key) = self.recency.pop_first()?;
            let entry = self.hosts.get_mut(&key)?;
            if entry.queued != entry.seen {
                entry.queued = entry.seen;
                self.recency.insert(entry.seen, key);
                continue;
            }
            let entry = self.hosts.remove(&key)?;
            self.unindex(&entry.info);
            return Some(HostChange::Removed(entry.info));
        }
    }

    fn remove_where(&mut self, hit: impl Fn(&HostInfo) -> bool) -> Vec<HostChange> {
        let mut keys: Vec<HostKey> = self
            .hosts
            .iter()
            .filter(|(_, e)| hit(&e.info))
            .map(|(k, _)| *k)
            .collect();
        keys.sort();
        keys.into_iter()
            .filter_map(|(mac, vlan)| self.forget(mac, vlan))
            .collect()
    }
}

/// Adds an address the host claims; reports whether it was new.
fn add_address(info: &mut HostInfo, ip: Option<SenderIp>) -> bool {
    fn push<T: PartialEq>(list: &mut Vec<T>, ip: T) -> bool {
        if list.contains(&ip) {
            return false;
        }
        if list.len() >= MAX_ADDRESSES_PER_FAMILY {
            list.remove(0);
        }
        list.push(ip);
        true
    }
    match ip {
        Some(SenderIp::V4(ip)) => push(&mut info.ipv4, ip),
        Some(SenderIp::V6(ip)) => push(&mut info.ipv6, ip),
        None => false,
    }
}

#[cfg(test)]
#[path = "hosts_tests.rs"]
mod tests;
