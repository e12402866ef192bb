//! What of the topology the store keeps: the commands that record a change, and the records
//! the view is rebuilt from after a restart.

use openflow::DatapathId;

use super::{Change, HostChange, LinkChange, Topology};
use crate::store::{Command, HostRecord, LinkRecord, PortRecord};

impl Change {
    /// The store command that records this change (`None`: ports are recorded by
    /// [`Topology::switch_command`], with the whole inventory).
    pub fn command(&self) -> Option<Command> {
        match self {
            Change::Port { .. } => None,
            Change::Link(LinkChange::Added(link)) => Some(Command::LinkUp(LinkRecord::from(*link))),
            Change::Link(LinkChange::Removed(link)) => {
                Some(Command::LinkDown(LinkRecord::from(*link)))
            }
            Change::Host(HostChange::Removed(host)) => Some(Command::HostRemove {
                mac: host.mac.0,
                vlan: host.vlan,
            }),
            Change::Host(change) => Some(Command::HostUpsert(HostRecord::from(change.host()))),
        }
    }
}

impl Topology {
    /// The store command recording a connected switch's table count and port inventory.
    pub fn switch_command(&self, dpid: DatapathId) -> Option<Command> {
        let switch = self.switch(dpid)?;
        Some(Command::SwitchSeen {
            dpid: dpid.0,
            n_tables: switch.n_tables,
            ports: switch
                .ports
                .values()
                .map(|p| PortRecord {
                    port_no: p.desc.port_no.0,
                    name: p.desc.name.clone(),
                    hw_addr: p.desc.hw_addr.0,
                    up: p.is_up(),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use navarch_app::HostInfo;
    use openflow::msg::{Port, PortConfig, PortFeatures, PortState};
    use openflow::{MacAddr, PortNo};

    use super::*;
    use crate::topology::{LinkEnd, TopologyConfig};

    fn port(no: u32) -> Port {
        Port {
            port_no: PortNo(no),
            hw_addr: MacAddr([2, 0, 0, 0, 0, no as u8]),
            name: format!("s1-eth{no}"),
            config: PortConfig::PORT_DOWN,
            state: PortState::EMPTY,
            curr: PortFeatures::EMPTY,
            advertised: PortFeatures::EMPTY,
            supported: PortFeatures::EMPTY,
            peer: PortFeatures::EMPTY,
            curr_speed: 0,
            max_speed: 0,
        }
    }

    #[test]
    fn switch_inventory_command() {
        let t0 = Instant::now();
        let mut topo = Topology::new(TopologyConfig::default(), &[7; 32], 1, t0).unwrap();
        topo.switch_up(DatapathId(1), 8, vec![port(2)], t0);
        assert_eq!(
            topo.switch_command(DatapathId(1)),
            Some(Command::SwitchSeen {
                dpid: 1,
                n_tables: 8,
                ports: vec![PortRecord {
                    port_no: 2,
                    name: "s1-eth2".into(),
                    hw_addr: [2, 0, 0, 0, 0, 2],
                    up: false,
                }],
            })
        );
        assert_eq!(topo.switch_command(DatapathId(2)), None);
    }

    #[test]
    fn changes_map_to_commands() {
        let link = crate::topology::Link {
            src: LinkEnd::new(DatapathId(1), PortNo(1)),
            dst: LinkEnd::new(DatapathId(2), PortNo(3)),
        };
        let record = LinkRecord {
            src_dpid: 1,
            src_port: 1,
            dst_dpid: 2,
            dst_port: 3,
        };
        assert_eq!(
            Change::Link(LinkChange::Added(link)).command(),
            Some(Command::LinkUp(record))
        );
        assert_eq!(
            Change::Link(LinkChange::Removed(link)).command(),
            Some(Command::LinkDown(record))
        );
        let host = HostInfo {
            mac: MacAddr([2, 0, 0, 0, 0, 9]),
            vlan: Some(5),
            dpid: DatapathId(2),
            port: PortNo(4),
            ipv4: vec![[10, 0, 0, 9].into()],
            ipv6: vec![],
        };
        let upsert = Some(Command::HostUpsert(HostRecord::from(&host)));
        assert_eq!(
            Change::Host(HostChange::Added(host.clone())).command(),
            upsert
        );
        let moved = HostChange::Moved {
            host: host.clone(),
            from: LinkEnd::new(DatapathId(1), PortNo(1)),
        };
        assert_eq!(Change::Host(moved).command(), upsert);
        assert_eq!(
            Change::Host(HostChange::Removed(host)).command(),
            Some(Command::HostRemove {
                mac: [2, 0, 0, 0, 0, 9],
                vlan: Some(5)
            })
        );
        let port = Change::Port {
            dpid: DatapathId(1),
            port: PortNo(1),
        };
        assert_eq!(port.command(), None);
    }
}
