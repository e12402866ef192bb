//! The controller's view of the network: switches and their ports, inter-switch links found by
//! signed LLDP probes, hosts learned from packet-ins, and the switch graph with shortest paths
//! and a loop-free flood tree.
//!
//! Sans-IO: the runtime feeds in what switches say (features and port descriptions, port
//! status, packet-ins) with the time, sends the probes [`Topology::lldp_frames`] returns, calls
//! [`Topology::expire`] when [`Topology::poll_timeout`] is due, and turns the returned
//! [`Change`]s into events. Apps read the result through [`navarch_app::View`].
//!
//! A port that comes up is *probing* for [`TopologyConfig::edge_holddown`]: until probes have
//! had time to show whether a switch sits behind it, nothing is learned from it and the
//! switch forwards nothing that enters it (the runtime holds those frames and hands them to
//! apps once the port settles as an edge port), so an undiscovered link in a loop cannot carry
//! a flood storm. Floods do go out of probing ports, so hosts there hear broadcasts at once.
//! The runtime probes a port as soon as it comes up (with its switch or alone) and answers a
//! link seen in one direction with a probe the other way, so links show within a round trip,
//! well inside the hold-down.

pub mod frame;
pub mod graph;
pub mod hosts;
pub mod links;
pub mod lldp;
mod persist;
pub mod ports;
mod view;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use openflow::msg::{Port, PortConfig, PortReason, PortState};
use openflow::{DatapathId, MacAddr, PortNo};

pub use graph::SwitchGraph;
pub use hosts::{HostChange, HostRecord, HostTable};
pub use links::{Link, LinkChange, LinkEnd, LinkRecord, LinkTable};
pub use lldp::{LldpError, LldpSigner, SecretError};
pub use ports::PortMap;

/// Timing and size limits of the topology.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopologyConfig {
    /// How often to send probes on every port.
    pub probe_interval: Duration,
    /// How long a link stays up without a probe; also the oldest probe accepted.
    pub link_timeout: Duration,
    /// How long a port that came up waits before it counts as an edge port.
    pub edge_holddown: Duration,
    /// The most hosts tracked at once.
    pub max_hosts: usize,
}

impl Default for TopologyConfig {
    fn default() -> TopologyConfig {
        TopologyConfig {
            probe_interval: Duration::from_secs(1),
            link_timeout: Duration::from_secs(5),
            edge_holddown: Duration::from_millis(500),
            max_hosts: 100_000,
        }
    }
}

/// Something in the view changed; the runtime turns these into events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A port was added, removed, changed state or finished probing.
    Port {
        /// The switch.
        dpid: DatapathId,
        /// The port.
        port: PortNo,
    },
    /// A link came up or went down (paths and the flood tree may have changed).
    Link(LinkChange),
    /// A host was learned, moved, changed addresses or forgotten.
    Host(HostChange),
}

/// A port of a connected switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwitchPort {
    /// The port as the switch last described it.
    pub desc: Port,
    /// Until when the port is probing (`None`: settled).
    pub probing_until: Option<Instant>,
}

impl SwitchPort {
    /// True when the link is up and the port is not administratively down.
    pub fn is_up(&self) -> bool {
        port_is_up(&self.desc)
    }

    /// True while the port waits to learn whether a switch sits behind it.
    pub fn is_probing(&self) -> bool {
        self.probing_until.is_some()
    }
}

/// A connected switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Switch {
    /// Its datapath id.
    pub dpid: DatapathId,
    /// How many flow tables it has.
    pub n_tables: u8,
    /// Its ports by number.
    pub ports: PortMap,
}

/// When a port that came up at `now` stops probing (`None`: at once, no hold-down).
fn settle_at(now: Instant, holddown: Duration) -> Option<Instant> {
    (!holddown.is_zero()).then(|| now + holddown)
}

/// True when the link is up and the port is not administratively down.
pub fn port_is_up(port: &Port) -> bool {
    !port.config.contains(PortConfig::PORT_DOWN) && !port.state.contains(PortState::LINK_DOWN)
}

/// The network view.
#[derive(Debug)]
pub struct Topology {
    config: TopologyConfig,
    signer: LldpSigner,
    switches: BTreeMap<DatapathId, Switch>,
    links: LinkTable,
    hosts: HostTable,
    graph: SwitchGraph,
}

impl Topology {
    /// An empty view at `now`, signing probes with the cluster `secret` under `session` (a
    /// random number picked when the controller starts).
    pub fn new(
        config: TopologyConfig,
        secret: &[u8],
        session: u64,
        now: Instant,
    ) -> Result<Topology, SecretError> {
        let signer = LldpSigner::new(secret, session, now, config.link_timeout)?;
        Ok(Topology {
            links: LinkTable::new(config.link_timeout),
            hosts: HostTable::new(config.max_hosts),
            signer,
            config,
            switches: BTreeMap::new(),
            graph: SwitchGraph::default(),
        })
    }

    /// The limits in force.
    pub fn config(&self) -> &TopologyConfig {
        &self.config
    }

    /// A connected switch.
    pub fn switch(&self, dpid: DatapathId) -> Option<&Switch> {
        self.switches.get(&dpid)
    }

    /// The up links.
    pub fn links(&self) -> &LinkTable {
        &self.links
    }

    /// The known hosts.
    pub fn host_table(&self) -> &HostTable {
        &self.hosts
    }

    /// The switch graph.
    pub fn graph(&self) -> &SwitchGraph {
        &self.graph
    }

    /// A switch finished its handshake with `n_tables` tables and these ports (or reconnected:
    /// links and hosts on ports it no longer has up are dropped).
    pub fn switch_up(
        &mut self,
        dpid: DatapathId,
        n_tables: u8,
        ports: Vec<Port>,
        now: Instant,
    ) -> Vec<Change> {
        let old = self.switches.remove(&dpid);
        let mut changes = Vec::new();
        let mut new_ports = PortMap::new();
        for desc in ports {
            let port_no = desc.port_no;
            let before = old.as_ref().and_then(|s| s.ports.get(&port_no));
            let probing_until = match before {
                Some(b) if b.is_up() && port_is_up(&desc) => b.probing_until,
                _ => settle_at(now, self.config.edge_holddown),
            };
            new_ports.insert(
                port_no,
                SwitchPort {
                    desc,
                    probing_until,
                },
            );
        }
        if let Some(old) = &old {
            for (port_no, port) in &old.ports {
                let still_up = new_ports.get(port_no).is_some_and(SwitchPort::is_up);
                if port.is_up() && !still_up {
                    changes.extend(self.drop_port(LinkEnd::new(dpid, *port_no)));
                }
            }
            // On a reconnection, every port added, removed or changed is reported.
            let numbers: std::collections::BTreeSet<PortNo> =
                old.ports.keys().chain(new_ports.keys()).copied().collect();
            for port_no in numbers {
                let before = old.ports.get(&port_no).map(|p| &p.desc);
                if before != new_ports.get(&port_no).map(|p| &p.desc) {
                    changes.push(Change::Port {
                        dpid,
                        port: port_no,
                    });
                }
            }
        }
        self.switches.insert(
            dpid,
            Switch {
                dpid,
                n_tables,
                ports: new_ports,
            },
        );
        self.rebuild_graph();
        changes
    }

    /// A switch disconnected: its links and hosts go with it.
    pub fn switch_down(&mut self, dpid: DatapathId) -> Vec<Change> {
        if self.switches.remove(&dpid).is_none() {
            return Vec::new();
        }
        let mut changes: Vec<Change> = self
            .links
            .remove_switch(dpid)
            .into_iter()
            .map(Change::Link)
            .collect();
        changes.extend(self.hosts.remove_switch(dpid).into_iter().map(Change::Host));
        self.rebuild_graph();
        changes
    }

    /// A PORT_STATUS from `dpid`.
    pub fn port_status(
        &mut self,
        dpid: DatapathId,
        reason: PortReason,
        desc: Port,
        now: Instant,
    ) -> Vec<Change> {
        let port_no = desc.port_no;
        let end = LinkEnd::new(dpid, port_no);
        let holddown = self.config.edge_holddown;
        let Some(switch) = self.switches.get_mut(&dpid) else {
            return Vec::new();
        };
        let mut changes = vec![Change::Port {
            dpid,
            port: port_no,
        }];
        let was_up = switch.ports.get(&port_no).is_some_and(SwitchPort::is_up);
        let is_up = reason != PortReason::Delete && port_is_up(&desc);
        if reason == PortReason::Delete {
            switch.ports.remove(&port_no);
        } else {
            let probing_until = match switch.ports.get(&port_no) {
                Some(p) if was_up && is_up => p.probing_until,
                _ => settle_at(now, holddown),
            };
            switch.ports.insert(
                port_no,
                SwitchPort {
                    desc,
                    probing_until,
                },
            );
        }
        if was_up && !is_up {
            changes.extend(self.drop_port(end));
            self.rebuild_graph();
        }
        changes
    }

    /// The probes to send now: one per up port of every switch.
    pub fn lldp_frames(&self, now: Instant) -> Vec<(DatapathId, PortNo, Bytes)> {
        self.switches
            .keys()
            .flat_map(|&dpid| self.lldp_frames_for(dpid, now))
            .collect()
    }

    /// The probe to send out of one up port now (`None`: no such port, or it is down).
    pub fn probe(&self, dpid: DatapathId, port: PortNo, now: Instant) -> Option<Bytes> {
        let p = self.switches.get(&dpid)?.ports.get(&port)?;
        (p.is_up() && port <= PortNo::MAX)
            .then(|| self.signer.build(dpid, port, p.desc.hw_addr, now))
    }

    /// The probes that settle new ports quickly: out of every probing port, and out of the
    /// far end of every link seen in one direction only. Sent often while ports probe, they
    /// find a link even when the first probes crossed before a switch had our flows.
    pub fn fast_probe_frames(&self, now: Instant) -> Vec<(DatapathId, PortNo, Bytes)> {
        let mut ends: Vec<LinkEnd> = Vec::new();
        for (&dpid, switch) in &self.switches {
            for p in switch.ports.values() {
                if p.is_up() && p.is_probing() {
                    ends.push(LinkEnd::new(dpid, p.desc.port_no));
                }
            }
        }
        ends.extend(self.links.one_way().map(|l| l.dst));
        ends.sort();
        ends.dedup();
        ends.into_iter()
            .filter_map(|e| Some((e.dpid, e.port, self.probe(e.dpid, e.port, now)?)))
            .collect()
    }

    /// True if the link is up in this direction.
    pub fn has_link(&self, link: Link) -> bool {
        self.links.contains(link)
    }

    /// True while a port of a connected switch is probing (and not already known as a link).
    pub fn is_probing(&self, dpid: DatapathId, port: PortNo) -> bool {
        self.switches
            .get(&dpid)
            .and_then(|s| s.ports.get(&port))
            .is_some_and(|p| p.is_up() && p.is_probing())
            && !self.links.is_link_port(LinkEnd::new(dpid, port))
    }

    /// True if the port is up, settled and not a link: frames entering it come from hosts.
    pub fn is_edge_port(&self, dpid: DatapathId, port: PortNo) -> bool {
        self.switches
            .get(&dpid)
            .and_then(|s| s.ports.get(&port))
            .is_some_and(|p| p.is_up() && !p.is_probing())
            && !self.links.is_link_port(LinkEnd::new(dpid, port))
    }

    /// The probes to send now on the up ports of one switch (for example right after it
    /// connected).
    pub fn lldp_frames_for(
        &self,
        dpid: DatapathId,
        now: Instant,
    ) -> Vec<(DatapathId, PortNo, Bytes)> {
        let Some(switch) = self.switches.get(&dpid) else {
            return Vec::new();
        };
        switch
            .ports
            .values()
            .filter(|p| p.is_up() && p.desc.port_no <= PortNo::MAX)
            .map(|p| {
                let frame = self.signer.build(dpid, p.desc.port_no, p.desc.hw_addr, now);
                (dpid, p.desc.port_no, frame)
            })
            .collect()
    }

    /// An LLDP frame came in at `in_port` of `dpid`: if it is a genuine, fresh probe of ours,
    /// the link from the port it names to `in_port` is up.
    pub fn handle_lldp(
        &mut self,
        dpid: DatapathId,
        in_port: PortNo,
        frame: &[u8],
        now: Instant,
    ) -> Result<Vec<Change>, LldpError> {
        let probe = self.signer.verify(frame, now)?;
        if !self.is_known_port(dpid, in_port) {
            return Err(LldpError::UnknownIngress {
                dpid,
                port: in_port,
            });
        }
        if !self.is_known_port(probe.dpid, probe.port) {
            return Err(LldpError::UnknownSource {
                dpid: probe.dpid,
                port: probe.port,
            });
        }
        let link = Link {
            src: LinkEnd::new(probe.dpid, probe.port),
            dst: LinkEnd::new(dpid, in_port),
        };
        if link.src == link.dst {
            return Err(LldpError::SelfLoop);
        }
        let link_changes = self.links.observe(link, now);
        if link_changes.is_empty() {
            return Ok(Vec::new());
        }
        let mut changes: Vec<Change> = link_changes.into_iter().map(Change::Link).collect();
        // Hosts "seen" on these ports were frames in transit, learned before the link was known.
        for end in [link.src, link.dst] {
            changes.extend(self.hosts.remove_port(end).into_iter().map(Change::Host));
        }
        self.rebuild_graph();
        Ok(changes)
    }

    /// Learns the sender of a packet-in that entered `in_port` of `dpid`, if that is a settled
    /// edge port (not a link port, not probing) of a connected switch.
    pub fn learn_host(&mut self, dpid: DatapathId, in_port: PortNo, frame: &[u8]) -> Vec<Change> {
        let Some(port) = self.switches.get(&dpid).and_then(|s| s.ports.get(&in_port)) else {
            return Vec::new();
        };
        if !port.is_up() || port.is_probing() {
            return Vec::new();
        }
        if self.links.is_link_port(LinkEnd::new(dpid, in_port)) {
            return Vec::new();
        }
        let Some(sender) = frame::read_sender(frame) else {
            return Vec::new();
        };
        self.hosts
            .learn(dpid, in_port, &sender)
            .into_iter()
            .map(Change::Host)
            .collect()
    }

    /// Forgets a host.
    pub fn forget_host(&mut self, mac: MacAddr, vlan: Option<u16>) -> Option<Change> {
        self.hosts.forget(mac, vlan).map(Change::Host)
    }

    /// Takes down links not seen within the timeout and settles ports whose probing is over.
    pub fn expire(&mut self, now: Instant) -> Vec<Change> {
        let mut changes = Vec::new();
        for switch in self.switches.values_mut() {
            for port in switch.ports.values_mut() {
                if port.probing_until.is_some_and(|until| until <= now) {
                    port.probing_until = None;
                    changes.push(Change::Port {
                        dpid: switch.dpid,
                        port: port.desc.port_no,
                    });
                }
            }
        }
        let expired = self.links.expire(now);
        if !expired.is_empty() {
            changes.extend(expired.into_iter().map(Change::Link));
            self.rebuild_graph();
        }
        changes
    }

    /// When [`Topology::expire`] next has something to do.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let settling = self
            .switches
            .values()
            .flat_map(|s| s.ports.values())
            .filter_map(|p| p.probing_until)
            .min();
        let expiry = self
            .links
            .next_expiry()
            .map(|t| t + Duration::from_millis(1));
        settling.into_iter().chain(expiry).min()
    }

    /// The links as the store persists them.
    pub fn link_records(&self) -> Vec<LinkRecord> {
        self.links.records()
    }

    /// The hosts as the store persists them.
    pub fn host_records(&self) -> Vec<HostRecord> {
        self.hosts.records()
    }

    /// Restores persisted links as seen at `now`; probes must confirm them within the link
    /// timeout. Links with an end on a switch not connected yet still count, so they hold their
    /// ports off the flood set until they are confirmed or expire.
    pub fn restore_links(&mut self, records: &[LinkRecord], now: Instant) -> Vec<Change> {
        let changes: Vec<Change> = self
            .links
            .restore(records, now)
            .into_iter()
            .map(Change::Link)
            .collect();
        self.rebuild_graph();
        changes
    }

    /// Restores persisted hosts.
    pub fn restore_hosts(&mut self, records: &[HostRecord]) -> Vec<Change> {
        self.hosts
            .restore(records)
            .into_iter()
            .map(Change::Host)
            .collect()
    }

    fn is_known_port(&self, dpid: DatapathId, port: PortNo) -> bool {
        self.switches
            .get(&dpid)
            .is_some_and(|s| s.ports.contains_key(&port))
    }

    /// Drops the links and hosts at a port that went down or away.
    fn drop_port(&mut self, end: LinkEnd) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .links
            .remove_port(end)
            .into_iter()
            .map(Change::Link)
            .collect();
        changes.extend(self.hosts.remove_port(end).into_iter().map(Change::Host));
        changes
    }

    fn rebuild_graph(&mut self) {
        self.graph = SwitchGraph::new(self.switches.keys().copied(), self.links.bidirectional());
    }
}

#[cfg(test)]
mod tests;
