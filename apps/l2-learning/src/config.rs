//! The app's configuration: its two tables, the idle timeout of learned hosts, priorities.

use openflow::TableId;

/// Priorities at or above this belong to the controller's own core flows (LLDP and such).
pub const CORE_PRIORITY_FLOOR: u16 = 0xff00;

/// Priorities of the app's flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Priorities {
    /// Source table: a known host at its edge port.
    pub known_source: u16,
    /// Source table: anything arriving over an inter-switch link.
    pub link_source: u16,
    /// Source table: an unknown sender (copied to the controller, then forwarded). Must be
    /// above 0: a priority-0 catch-all is a table-miss entry, which changes the packet-in
    /// reason the app relies on.
    pub unknown_source: u16,
    /// Destination table: anything that entered a port still probing for links goes to the
    /// controller only (it holds it until the port settles). Above `destination`, so nothing
    /// entering such a port is forwarded by the switch.
    pub probing: u16,
    /// Destination table: a known host.
    pub destination: u16,
    /// Destination table: flood of one VLAN (or untagged) from one input port.
    pub vlan_flood: u16,
    /// Destination table: flood of any other VLAN from one input port.
    pub flood: u16,
    /// Destination table: anything else goes to the controller.
    pub destination_miss: u16,
}

impl Default for Priorities {
    fn default() -> Priorities {
        Priorities {
            known_source: 0x4000,
            link_source: 0x3000,
            unknown_source: 0x0100,
            probing: 0x5000,
            destination: 0x4000,
            vlan_flood: 0x2100,
            flood: 0x2000,
            destination_miss: 0,
        }
    }
}

/// How the L2 learning app is set up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct L2Config {
    /// The source-check table (shared with the controller's core flows in table 0).
    pub source_table: TableId,
    /// The destination table; must come after the source table.
    pub destination_table: TableId,
    /// Seconds without traffic from a host before its source flow expires and the host is
    /// forgotten (0: never).
    pub idle_timeout: u16,
    /// Flow priorities.
    pub priorities: Priorities,
}

impl Default for L2Config {
    fn default() -> L2Config {
        L2Config {
            source_table: TableId(0),
            destination_table: TableId(1),
            idle_timeout: 300,
            priorities: Priorities::default(),
        }
    }
}

/// A configuration the app cannot run with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The destination table does not come after the source table.
    #[error("destination table {destination_table} must come after source table {source_table}")]
    TableOrder {
        /// The source table.
        source_table: u8,
        /// The destination table.
        destination_table: u8,
    },
    /// A priority is in the controller's reserved range.
    #[error("priority {name}={value:#x} is reserved for the controller (must be below 0xff00)")]
    Reserved {
        /// Which priority.
        name: &'static str,
        /// Its value.
        value: u16,
    },
    /// Two priorities are in an order that would make flows shadow each other.
    #[error("priority {higher} must be above {lower}")]
    Order {
        /// The one that must be higher.
        higher: &'static str,
        /// The one that must be lower.
        lower: &'static str,
    },
}

impl L2Config {
    /// Checks the tables and priorities.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.destination_table <= self.source_table {
            return Err(ConfigError::TableOrder {
                source_table: self.source_table.0,
                destination_table: self.destination_table.0,
            });
        }
        let p = &self.priorities;
        let all = [
            ("known_source", p.known_source),
            ("link_source", p.link_source),
            ("unknown_source", p.unknown_source),
            ("probing", p.probing),
            ("destination", p.destination),
            ("vlan_flood", p.vlan_flood),
            ("flood", p.flood),
            ("destination_miss", p.destination_miss),
        ];
        if let Some((name, value)) = all.into_iter().find(|(_, v)| *v >= CORE_PRIORITY_FLOOR) {
            return Err(ConfigError::Reserved { name, value });
        }
        let order = [
            (
                ("known_source", p.known_source),
                ("unknown_source", p.unknown_source),
            ),
            (
                ("link_source", p.link_source),
                ("unknown_source", p.unknown_source),
            ),
            (("unknown_source", p.unknown_source), ("table-miss", 0)),
            (("probing", p.probing), ("destination", p.destination)),
            (("destination", p.destination), ("vlan_flood", p.vlan_flood)),
            (("vlan_flood", p.vlan_flood), ("flood", p.flood)),
            (("flood", p.flood), ("destination_miss", p.destination_miss)),
        ];
        match order.into_iter().find(|((_, hi), (_, lo))| hi <= lo) {
            Some(((higher, _), (lower, _))) => Err(ConfigError::Order { higher, lower }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(L2Config::default().validate(), Ok(()));
    }

    #[test]
    fn bad_tables_and_priorities_are_named() {
        let mut c = L2Config {
            destination_table: TableId(0),
            ..L2Config::default()
        };
        assert_eq!(
            c.validate(),
            Err(ConfigError::TableOrder {
                source_table: 0,
                destination_table: 0
            })
        );
        c = L2Config::default();
        c.priorities.destination = 0xff00;
        assert_eq!(
            c.validate(),
            Err(ConfigError::Reserved {
                name: "destination",
                value: 0xff00
            })
        );
        c = L2Config::default();
        c.priorities.unknown_source = 0;
        assert_eq!(
            c.validate(),
            Err(ConfigError::Order {
                higher: "unknown_source",
                lower: "table-miss"
            })
        );
        c = L2Config::default();
        c.priorities.flood = c.priorities.vlan_flood;
        assert_eq!(
            c.validate(),
            Err(ConfigError::Order {
                higher: "vlan_flood",
                lower: "flood"
            })
        );
    }
}
