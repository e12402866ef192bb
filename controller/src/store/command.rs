//! The commands that change durable state, and the records they carry.
//!
//! # Encoding
//!
//! A command is JSON, internally tagged by `"op"` in snake case; record fields appear inline:
//!
//! ```json
//! {"op":"link_up","src_dpid":1,"src_port":2,"dst_dpid":3,"dst_port":1}
//! {"op":"host_upsert","mac":[2,0,0,0,0,1],"vlan":null,"dpid":1,"port":3,
//!  "ipv4":["10.0.0.1"],"ipv6":[]}
//! {"op":"app_config_set","app":"l2-learning","config":{"idle_timeout":60}}
//! {"op":"segmentation","kind":"port_put","name":"vm1","network":"web","dpid":1,
//!  "iface":"tap1","mac":[2,0,0,0,0,1],"ips":["10.0.0.1"]}
//! ```
//!
//! Commands travel in batches. A batch, the payload of one log record, is the envelope
//! `{"v":1,"commands":[...]}`; `v` is [`COMMAND_FORMAT_VERSION`], so a later format can be
//! told apart and a reader refuses versions it does not know instead of guessing. Datapath ids
//! are JSON numbers (serde_json keeps all 64 bits), MAC addresses arrays of six bytes, IP
//! addresses strings.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use segmentation::model::ModelCommand;
use serde::{Deserialize, Serialize};

/// The version written in every batch envelope.
pub const COMMAND_FORMAT_VERSION: u32 = 1;

/// One port of a switch, as its port description reports it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortRecord {
    /// OpenFlow port number.
    pub port_no: u32,
    /// Interface name.
    pub name: String,
    /// Hardware address.
    pub hw_addr: [u8; 6],
    /// True when the link is up and the port is not administratively down.
    pub up: bool,
}

/// A directed inter-switch link: LLDP sent from `src` arrived at `dst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LinkRecord {
    /// Datapath id of the switch that sent the probe.
    pub src_dpid: u64,
    /// Port the probe left by.
    pub src_port: u32,
    /// Datapath id of the switch that received the probe.
    pub dst_dpid: u64,
    /// Port the probe arrived on.
    pub dst_port: u32,
}

impl LinkRecord {
    /// The same link seen from the other end.
    pub fn reversed(&self) -> LinkRecord {
        LinkRecord {
            src_dpid: self.dst_dpid,
            src_port: self.dst_port,
            dst_dpid: self.src_dpid,
            dst_port: self.src_port,
        }
    }

    /// True if either end is `(dpid, port)`.
    pub fn touches(&self, dpid: u64, port: u32) -> bool {
        (self.src_dpid == dpid && self.src_port == port)
            || (self.dst_dpid == dpid && self.dst_port == port)
    }

    /// True if either end is on switch `dpid`.
    pub fn touches_switch(&self, dpid: u64) -> bool {
        self.src_dpid == dpid || self.dst_dpid == dpid
    }
}

impl fmt::Display for LinkRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016x}:{} -> {:016x}:{}",
            self.src_dpid, self.src_port, self.dst_dpid, self.dst_port
        )
    }
}

/// A host: where a MAC address (on a VLAN) is attached, and the addresses it uses.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HostRecord {
    /// The host's MAC address (unicast).
    pub mac: [u8; 6],
    /// The VLAN it was seen on (`None`: untagged).
    pub vlan: Option<u16>,
    /// The switch it is attached to.
    pub dpid: u64,
    /// The edge port it is attached to.
    pub port: u32,
    /// IPv4 addresses seen from it (stored sorted, without duplicates).
    pub ipv4: Vec<Ipv4Addr>,
    /// IPv6 addresses seen from it (stored sorted, without duplicates).
    pub ipv6: Vec<Ipv6Addr>,
}

impl HostRecord {
    /// The key the store files this host under.
    pub fn key(&self) -> HostKey {
        HostKey {
            mac: self.mac,
            vlan: self.vlan,
        }
    }
}

/// What identifies a host: its MAC address on a VLAN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HostKey {
    /// The host's MAC address.
    pub mac: [u8; 6],
    /// The VLAN (`None`: untagged).
    pub vlan: Option<u16>,
}

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", MacText(self.mac))?;
        match self.vlan {
            Some(vlan) => write!(f, " vlan {vlan}"),
            None => write!(f, " untagged"),
        }
    }
}

/// A MAC address printed as `aa:bb:cc:dd:ee:ff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MacText(pub [u8; 6]);

impl fmt::Display for MacText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// An operator flow: a raw flow added through the API, kept on its switch by the controller.
/// Identified on its switch by table, priority and match, as OpenFlow identifies a flow.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OperatorFlowRecord {
    /// The flow table.
    pub table: u8,
    /// The priority.
    pub priority: u16,
    /// The match in canonical `ovs-ofctl` syntax (the controller's rendering of it, so equal
    /// matches give equal text): with `table` and `priority`, the flow's identity.
    #[serde(rename = "match")]
    pub match_: String,
    /// The whole flow in `ovs-ofctl` syntax without a cookie, as the controller renders it;
    /// parsing it gives the flow back.
    pub flow: String,
}

impl OperatorFlowRecord {
    /// What identifies the flow on its switch.
    pub fn key(&self) -> OperatorFlowKey {
        OperatorFlowKey {
            table: self.table,
            priority: self.priority,
            match_: self.match_.clone(),
        }
    }
}

/// What identifies an operator flow on its switch: table, priority and canonical match text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OperatorFlowKey {
    /// The flow table.
    pub table: u8,
    /// The priority.
    pub priority: u16,
    /// The match in canonical `ovs-ofctl` syntax.
    #[serde(rename = "match")]
    pub match_: String,
}

/// A change to durable state. The state machine applies these in order; nothing else changes
/// what the store holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// A switch completed its handshake: its table count and full port inventory. Replaces
    /// the previous inventory; links and hosts on ports that vanished go with them.
    SwitchSeen {
        /// Datapath id.
        dpid: u64,
        /// Number of flow tables (at least one).
        n_tables: u8,
        /// Every port, each port number once.
        ports: Vec<PortRecord>,
    },
    /// Forget a switch, with its links and the hosts attached to it.
    SwitchForgotten {
        /// Datapath id.
        dpid: u64,
    },
    /// A directed link was discovered (or confirmed).
    LinkUp(LinkRecord),
    /// A directed link went away.
    LinkDown(LinkRecord),
    /// Learn a host or update where it is and what addresses it uses.
    HostUpsert(HostRecord),
    /// Forget a host.
    HostRemove {
        /// The host's MAC address.
        mac: [u8; 6],
        /// Its VLAN (`None`: untagged).
        vlan: Option<u16>,
    },
    /// Replace an app's configuration.
    AppConfigSet {
        /// App name (lowercase letters, digits, `-`, `_`; 1 to 64 characters).
        app: String,
        /// The configuration, opaque to the store.
        config: serde_json::Value,
    },
    /// Enable or disable an app.
    AppEnabled {
        /// App name.
        app: String,
        /// Whether it runs.
        enabled: bool,
    },
    /// Add an operator flow to a known switch, replacing the one with the same key.
    OperatorFlowSet {
        /// Datapath id.
        dpid: u64,
        /// The flow.
        flow: OperatorFlowRecord,
    },
    /// Remove operator flows of a switch (all must exist).
    OperatorFlowsRemoved {
        /// Datapath id.
        dpid: u64,
        /// The flows' keys.
        keys: Vec<OperatorFlowKey>,
    },
    /// A change to the tenant model (tenants, networks, logical ports, chassis), checked
    /// against its referential rules.
    Segmentation(ModelCommand),
}

/// Why a batch payload could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The payload is not a valid batch envelope.
    #[error("malformed command batch: {0}")]
    Malformed(#[from] serde_json::Error),
    /// The envelope names a format version this build does not read.
    #[error("command format version {found} is not supported (this build reads {supported})")]
    UnsupportedVersion {
        /// The version in the envelope.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
}

#[derive(Serialize)]
struct BatchOut<'a> {
    v: u32,
    commands: &'a [Command],
}

#[derive(Deserialize)]
struct BatchIn {
    v: u32,
    commands: Vec<Command>,
}

/// Encode a batch of commands as one versioned envelope.
pub fn encode_batch(commands: &[Command]) -> Vec<u8> {
    let out = BatchOut {
        v: COMMAND_FORMAT_VERSION,
        commands,
    };
    // Serializing these types cannot fail: every map key is a string and every value is
    // representable in JSON.
    serde_json::to_vec(&out).unwrap_or_default()
}

/// Decode a batch envelope written by [`encode_batch`].
pub fn decode_batch(bytes: &[u8]) -> Result<Vec<Command>, DecodeError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        v: u32,
    }
    // Read the version alone first, so a newer format is reported as such rather than as
    // whatever field it changed.
    let VersionOnly { v } = serde_json::from_slice(bytes)?;
    if v != COMMAND_FORMAT_VERSION {
        return Err(DecodeError::UnsupportedVersion {
            found: v,
            supported: COMMAND_FORMAT_VERSION,
        });
    }
    let batch: BatchIn = serde_json::from_slice(bytes)?;
    debug_assert_eq!(batch.v, COMMAND_FORMAT_VERSION);
    Ok(batch.commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_encoding_is_what_is_written() {
        let cmd = Command::LinkUp(LinkRecord {
            src_dpid: 1,
            src_port: 2,
            dst_dpid: 3,
            dst_port: 1,
        });
        assert_eq!(
            String::from_utf8(encode_batch(std::slice::from_ref(&cmd))).unwrap(),
            r#"{"v":1,"commands":[{"op":"link_up","src_dpid":1,"src_port":2,"dst_dpid":3,"dst_port":1}]}"#
        );
    }

    #[test]
    fn every_command_round_trips() {
        let cmds = vec![
            Command::SwitchSeen {
                dpid: u64::MAX,
                n_tables: 254,
                ports: vec![PortRecord {
                    port_no: 0xffff_fffe,
                    name: "br0".into(),
                    hw_addr: [2, 0, 0, 0, 0, 9],
                    up: true,
                }],
            },
            Command::SwitchForgotten { dpid: 7 },
            Command::LinkDown(LinkRecord {
                src_dpid: 1,
                src_port: 1,
                dst_dpid: 2,
                dst_port: 2,
            }),
            Command::HostUpsert(HostRecord {
                mac: [2, 0, 0, 0, 0, 1],
                vlan: Some(10),
                dpid: 1,
                port: 3,
                ipv4: vec![Ipv4Addr::new(10, 0, 0, 1)],
                ipv6: vec!["fe80::1".parse().unwrap()],
            }),
            Command::HostRemove {
                mac: [2, 0, 0, 0, 0, 1],
                vlan: None,
            },
            Command::AppConfigSet {
                app: "l2-learning".into(),
                config: serde_json::json!({"idle_timeout": 60, "nested": [1, "x", null]}),
            },
            Command::AppEnabled {
                app: "l2-learning".into(),
                enabled: false,
            },
            Command::OperatorFlowSet {
                dpid: 1,
                flow: OperatorFlowRecord {
                    table: 0,
                    priority: 40000,
                    match_: "in_port=1".into(),
                    flow: "priority=40000,in_port=1 actions=drop".into(),
                },
            },
            Command::OperatorFlowsRemoved {
                dpid: 1,
                keys: vec![OperatorFlowKey {
                    table: 0,
                    priority: 40000,
                    match_: "in_port=1".into(),
                }],
            },
            Command::Segmentation(ModelCommand::NetworkDelete { name: "web".into() }),
        ];
        assert_eq!(decode_batch(&encode_batch(&cmds)).unwrap(), cmds);
    }

    #[test]
    fn an_unknown_version_is_refused_by_name() {
        let err = decode_batch(br#"{"v":2,"commands":[{"op":"teleport"}]}"#).unwrap_err();
        assert!(matches!(
            err,
            DecodeError::UnsupportedVersion {
                found: 2,
                supported: 1
            }
        ));
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        assert!(matches!(
            decode_batch(b"\x00\xffnot json"),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            decode_batch(br#"{"v":1,"commands":[{"op":"link_up"}]}"#),
            Err(DecodeError::Malformed(_))
        ));
    }
}
