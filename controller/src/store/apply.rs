//! The deterministic state machine: how each [`Command`] changes a [`State`].
//!
//! Every command is validated against the state first and either refused with an
//! [`ApplyError`] (state untouched) or applied in full. The outcome depends only on the state
//! and the command, never on clocks, randomness or hash order, so every replica (and every
//! replay of the log) that applies the same commands reaches the same bytes.

use std::collections::BTreeMap;

use super::change::{Applied, ApplyError, Change};
use super::command::{Command, HostKey, HostRecord, LinkRecord, PortRecord};
use super::state::{State, SwitchRecord};

/// The highest VLAN id a 12-bit VID field holds.
const MAX_VLAN: u16 = 4095;
/// The longest app name accepted.
const MAX_APP_NAME: usize = 64;

impl State {
    /// Apply one command: on success the revision advances by one and the changes are
    /// returned; on error nothing changes.
    pub fn apply(&mut self, cmd: &Command) -> Result<Applied, ApplyError> {
        self.check(cmd)?;
        let changes = match cmd {
            Command::SwitchSeen {
                dpid,
                n_tables,
                ports,
            } => self.switch_seen(*dpid, *n_tables, ports),
            Command::SwitchForgotten { dpid } => self.switch_forgotten(*dpid),
            Command::LinkUp(link) => self.link_up(*link),
            Command::LinkDown(link) => {
                self.links.remove(link);
                vec![Change::LinkRemoved(*link)]
            }
            Command::HostUpsert(host) => self.host_upsert(host),
            Command::HostRemove { mac, vlan } => {
                let key = HostKey {
                    mac: *mac,
                    vlan: *vlan,
                };
                self.hosts
                    .remove(&key)
                    .map(Change::HostRemoved)
                    .into_iter()
                    .collect()
            }
            Command::AppConfigSet { app, config } => {
                let record = self.apps.entry(app.clone()).or_default();
                if record.config.as_ref() == Some(config) {
                    vec![]
                } else {
                    record.config = Some(config.clone());
                    record.generation = record.generation.wrapping_add(1);
                    vec![Change::AppConfigChanged { app: app.clone() }]
                }
            }
            Command::AppEnabled { app, enabled } => {
                let record = self.apps.entry(app.clone()).or_default();
                if record.enabled == Some(*enabled) {
                    vec![]
                } else {
                    record.enabled = Some(*enabled);
                    vec![Change::AppEnabledChanged {
                        app: app.clone(),
                        enabled: *enabled,
                    }]
                }
            }
            Command::OperatorFlowSet { dpid, flow } => {
                let flows = self.operator_flows.entry(*dpid).or_default();
                if flows.get(&flow.key()) == Some(flow) {
                    vec![]
                } else {
                    flows.insert(flow.key(), flow.clone());
                    vec![Change::OperatorFlowsChanged { dpid: *dpid }]
                }
            }
            Command::OperatorFlowsRemoved { dpid, keys } => {
                if let Some(flows) = self.operator_flows.get_mut(dpid) {
                    for key in keys {
                        flows.remove(key);
                    }
                    if flows.is_empty() {
                        self.operator_flows.remove(dpid);
                    }
                }
                if keys.is_empty() {
                    vec![]
                } else {
                    vec![Change::OperatorFlowsChanged { dpid: *dpid }]
                }
            }
            Command::Segmentation(cmd) => {
                self.tenants.apply(cmd).map_err(ApplyError::Tenant)?;
                vec![Change::TenantModelChanged]
            }
        };
        self.revision = self.revision.next();
        Ok(Applied {
            revision: self.revision,
            changes,
        })
    }

    /// Whether [`State::apply`] would accept `cmd`, without applying it.
    pub fn check(&self, cmd: &Command) -> Result<(), ApplyError> {
        match cmd {
            Command::SwitchSeen {
                dpid,
                n_tables,
                ports,
            } => {
                if *n_tables == 0 {
                    return Err(ApplyError::NoTables { dpid: *dpid });
                }
                let mut seen = std::collections::BTreeSet::new();
                for port in ports {
                    if !seen.insert(port.port_no) {
                        return Err(ApplyError::DuplicatePort {
                            dpid: *dpid,
                            port: port.port_no,
                        });
                    }
                }
                Ok(())
            }
            Command::SwitchForgotten { dpid } => self.check_switch(*dpid),
            Command::OperatorFlowSet { dpid, flow } => {
                self.check_switch(*dpid)?;
                if flow.table > 254 {
                    return Err(ApplyError::InvalidTable { table: flow.table });
                }
                Ok(())
            }
            Command::OperatorFlowsRemoved { dpid, keys } => {
                let flows = self.operator_flows.get(dpid);
                for key in keys {
                    if !flows.is_some_and(|f| f.contains_key(key)) {
                        return Err(ApplyError::UnknownOperatorFlow {
                            dpid: *dpid,
                            table: key.table,
                            priority: key.priority,
                            match_: key.match_.clone(),
                        });
                    }
                }
                Ok(())
            }
            Command::Segmentation(cmd) => self.tenants.check(cmd).map_err(ApplyError::Tenant),
            Command::LinkUp(link) => {
                if link.src_dpid == link.dst_dpid && link.src_port == link.dst_port {
                    return Err(ApplyError::SelfLink(*link));
                }
                self.check_port(link.src_dpid, link.src_port)?;
                self.check_port(link.dst_dpid, link.dst_port)
            }
            Command::LinkDown(link) => {
                if self.links.contains(link) {
                    Ok(())
                } else {
                    Err(ApplyError::UnknownLink(*link))
                }
            }
            Command::HostUpsert(host) => {
                check_host_mac(host.mac)?;
                check_vlan(host.vlan)?;
                self.check_port(host.dpid, host.port)
            }
            Command::HostRemove { mac, vlan } => {
                let key = HostKey {
                    mac: *mac,
                    vlan: *vlan,
                };
                if self.hosts.contains_key(&key) {
                    Ok(())
                } else {
                    Err(ApplyError::UnknownHost(key))
                }
            }
            Command::AppConfigSet { app, .. } | Command::AppEnabled { app, .. } => {
                check_app_name(app)
            }
        }
    }

    fn check_switch(&self, dpid: u64) -> Result<(), ApplyError> {
        if self.switches.contains_key(&dpid) {
            Ok(())
        } else {
            Err(ApplyError::UnknownSwitch { dpid })
        }
    }

    fn check_port(&self, dpid: u64, port: u32) -> Result<(), ApplyError> {
        let switch = self
            .switches
            .get(&dpid)
            .ok_or(ApplyError::UnknownSwitch { dpid })?;
        if switch.ports.contains_key(&port) {
            Ok(())
        } else {
            Err(ApplyError::UnknownPort { dpid, port })
        }
    }

    fn switch_seen(&mut self, dpid: u64, n_tables: u8, ports: &[PortRecord]) -> Vec<Change> {
        let new_ports: BTreeMap<u32, PortRecord> =
            ports.iter().map(|p| (p.port_no, p.clone())).collect();
        let Some(old) = self.switches.get(&dpid) else {
            let mut changes = vec![Change::SwitchAdded { dpid }];
            changes.extend(new_ports.values().map(|port| Change::PortAdded {
                dpid,
                port: port.clone(),
            }));
            self.switches.insert(
                dpid,
                SwitchRecord {
                    dpid,
                    n_tables,
                    ports: new_ports,
                },
            );
            return changes;
        };

        let mut changes = Vec::new();
        if old.n_tables != n_tables {
            changes.push(Change::SwitchTablesChanged { dpid, n_tables });
        }
        let vanished: Vec<PortRecord> = old
            .ports
            .values()
            .filter(|p| !new_ports.contains_key(&p.port_no))
            .cloned()
            .collect();
        for port in new_ports.values() {
            match old.ports.get(&port.port_no) {
                None => changes.push(Change::PortAdded {
                    dpid,
                    port: port.clone(),
                }),
                Some(before) if before != port => changes.push(Change::PortChanged {
                    dpid,
                    port: port.clone(),
                }),
                Some(_) => {}
            }
        }
        // Links and hosts must always refer to ports that exist: drop those on vanished ports
        // before reporting the ports themselves gone.
        for port in vanished {
            changes.extend(self.drop_links_where(|l| l.touches(dpid, port.port_no)));
            changes.extend(self.drop_hosts_where(|h| h.dpid == dpid && h.port == port.port_no));
            changes.push(Change::PortRemoved { dpid, port });
        }
        self.switches.insert(
            dpid,
            SwitchRecord {
                dpid,
                n_tables,
                ports: new_ports,
            },
        );
        changes
    }

    fn switch_forgotten(&mut self, dpid: u64) -> Vec<Change> {
        let mut changes = self.drop_links_where(|l| l.touches_switch(dpid));
        changes.extend(self.drop_hosts_where(|h| h.dpid == dpid));
        if self.operator_flows.remove(&dpid).is_some() {
            changes.push(Change::OperatorFlowsChanged { dpid });
        }
        self.switches.remove(&dpid);
        changes.push(Change::SwitchRemoved { dpid });
        changes
    }

    fn link_up(&mut self, link: LinkRecord) -> Vec<Change> {
        if self.links.insert(link) {
            vec![Change::LinkAdded(link)]
        } else {
            vec![]
        }
    }

    fn host_upsert(&mut self, host: &HostRecord) -> Vec<Change> {
        let mut host = host.clone();
        // Canonical address lists, so the same set of addresses is the same state.
        host.ipv4.sort_unstable();
        host.ipv4.dedup();
        host.ipv6.sort_unstable();
        host.ipv6.dedup();
        let change = match self.hosts.get(&host.key()) {
            None => Some(Change::HostAdded(host.clone())),
            Some(old) if old.dpid != host.dpid || old.port != host.port => {
                Some(Change::HostMoved {
                    from_dpid: old.dpid,
                    from_port: old.port,
                    host: host.clone(),
                })
            }
            Some(old) if *old != host => Some(Change::HostAddressesChanged(host.clone())),
            Some(_) => None,
        };
        self.hosts.insert(host.key(), host);
        change.into_iter().collect()
    }

    fn drop_links_where(&mut self, doomed: impl Fn(&LinkRecord) -> bool) -> Vec<Change> {
        let gone: Vec<LinkRecord> = self.links.iter().filter(|l| doomed(l)).copied().collect();
        for link in &gone {
            self.links.remove(link);
        }
        gone.into_iter().map(Change::LinkRemoved).collect()
    }

    fn drop_hosts_where(&mut self, doomed: impl Fn(&HostRecord) -> bool) -> Vec<Change> {
        let gone: Vec<HostKey> = self
            .hosts
            .values()
            .filter(|h| doomed(h))
            .map(HostRecord::key)
            .collect();
        gone.into_iter()
            .filter_map(|key| self.hosts.remove(&key))
            .map(Change::HostRemoved)
            .collect()
    }
}

fn check_host_mac(mac: [u8; 6]) -> Result<(), ApplyError> {
    // The group bit marks multicast and broadcast; all zeros is no address at all.
    if mac[0] & 1 != 0 || mac == [0; 6] {
        Err(ApplyError::NotUnicastMac { mac })
    } else {
        Ok(())
    }
}

fn check_vlan(vlan: Option<u16>) -> Result<(), ApplyError> {
    match vlan {
        Some(vlan) if vlan > MAX_VLAN => Err(ApplyError::InvalidVlan { vlan }),
        _ => Ok(()),
    }
}

fn check_app_name(app: &str) -> Result<(), ApplyError> {
    let valid = !app.is_empty()
        && app.len() <= MAX_APP_NAME
        && app
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(ApplyError::InvalidAppName {
            app: app.to_owned(),
        })
    }
}
