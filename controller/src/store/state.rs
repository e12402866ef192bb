//! The durable state and its queries. [`State::apply`](super::apply) is the only way to change
//! it; every collection is ordered, so iteration and serialization are deterministic.

use std::collections::{BTreeMap, BTreeSet};

use segmentation::model::Model;
use serde::{Deserialize, Serialize};

use super::change::Revision;
use super::command::{
    HostKey, HostRecord, LinkRecord, OperatorFlowKey, OperatorFlowRecord, PortRecord,
};

/// A switch the store knows: its table count and port inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchRecord {
    /// Datapath id.
    pub dpid: u64,
    /// Number of flow tables.
    pub n_tables: u8,
    /// Ports by port number.
    #[serde(with = "keyed")]
    pub ports: BTreeMap<u32, PortRecord>,
}

/// An app's durable settings. Either part is `None` until a command sets it; what an unset
/// part means (default config, enabled or not) is the app host's decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRecord {
    /// The configuration last set.
    pub config: Option<serde_json::Value>,
    /// Whether the app was last enabled or disabled.
    pub enabled: Option<bool>,
    /// How many times its configuration changed: part of its flows' cookie generation.
    #[serde(default)]
    pub generation: u32,
}

/// Everything the store holds, at one revision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub(super) revision: Revision,
    #[serde(with = "keyed")]
    pub(super) switches: BTreeMap<u64, SwitchRecord>,
    pub(super) links: BTreeSet<LinkRecord>,
    #[serde(with = "keyed")]
    pub(super) hosts: BTreeMap<HostKey, HostRecord>,
    pub(super) apps: BTreeMap<String, AppRecord>,
    /// Operator flows per switch.
    #[serde(default, with = "operator_flows")]
    pub(super) operator_flows: BTreeMap<u64, BTreeMap<OperatorFlowKey, OperatorFlowRecord>>,
    /// The tenant model.
    #[serde(default)]
    pub(super) tenants: Model,
}

impl State {
    /// The empty state at revision 0.
    pub fn new() -> State {
        State::default()
    }

    /// The number of commands applied to reach this state.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// Known switches in datapath-id order.
    pub fn switches(&self) -> impl Iterator<Item = &SwitchRecord> {
        self.switches.values()
    }

    /// One switch.
    pub fn switch(&self, dpid: u64) -> Option<&SwitchRecord> {
        self.switches.get(&dpid)
    }

    /// One port of one switch.
    pub fn port(&self, dpid: u64, port_no: u32) -> Option<&PortRecord> {
        self.switches.get(&dpid)?.ports.get(&port_no)
    }

    /// Known directed links in (source, destination) order.
    pub fn links(&self) -> impl Iterator<Item = &LinkRecord> {
        self.links.iter()
    }

    /// Links with an end on switch `dpid`.
    pub fn links_of(&self, dpid: u64) -> impl Iterator<Item = &LinkRecord> {
        self.links.iter().filter(move |l| l.touches_switch(dpid))
    }

    /// True if the link is known.
    pub fn has_link(&self, link: &LinkRecord) -> bool {
        self.links.contains(link)
    }

    /// Known hosts in (MAC, VLAN) order.
    pub fn hosts(&self) -> impl Iterator<Item = &HostRecord> {
        self.hosts.values()
    }

    /// The host with this MAC on this VLAN.
    pub fn host(&self, mac: [u8; 6], vlan: Option<u16>) -> Option<&HostRecord> {
        self.hosts.get(&HostKey { mac, vlan })
    }

    /// Hosts attached to switch `dpid`.
    pub fn hosts_at(&self, dpid: u64) -> impl Iterator<Item = &HostRecord> {
        self.hosts.values().filter(move |h| h.dpid == dpid)
    }

    /// Apps with stored settings, in name order.
    pub fn apps(&self) -> impl Iterator<Item = (&str, &AppRecord)> {
        self.apps
            .iter()
            .map(|(name, record)| (name.as_str(), record))
    }

    /// An app's stored configuration.
    pub fn app_config(&self, app: &str) -> Option<&serde_json::Value> {
        self.apps.get(app)?.config.as_ref()
    }

    /// Whether an app was last enabled (`None`: never set).
    pub fn app_enabled(&self, app: &str) -> Option<bool> {
        self.apps.get(app)?.enabled
    }

    /// The app's record (`None`: nothing stored for it).
    pub fn app(&self, app: &str) -> Option<&AppRecord> {
        self.apps.get(app)
    }

    /// The tenant model: tenants, networks, logical ports and chassis.
    pub fn tenants(&self) -> &Model {
        &self.tenants
    }

    /// A switch's operator flows, in key order.
    pub fn operator_flows(&self, dpid: u64) -> impl Iterator<Item = &OperatorFlowRecord> {
        self.operator_flows
            .get(&dpid)
            .into_iter()
            .flat_map(|f| f.values())
    }

    /// Switches with operator flows, in datapath-id order.
    pub fn operator_flow_switches(&self) -> impl Iterator<Item = u64> + '_ {
        self.operator_flows.keys().copied()
    }

    /// The canonical serialization: equal states give equal bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Cannot fail: every map is written as a sequence or has string keys.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Read a state written by [`State::to_bytes`], checking that every link and host refers
    /// to a switch port the state holds.
    pub fn from_bytes(bytes: &[u8]) -> Result<State, StateDecodeError> {
        let state: State = serde_json::from_slice(bytes)?;
        for link in &state.links {
            for (dpid, port) in [
                (link.src_dpid, link.src_port),
                (link.dst_dpid, link.dst_port),
            ] {
                if state.port(dpid, port).is_none() {
                    return Err(StateDecodeError::Dangling(format!(
                        "link {link} ends at unknown port"
                    )));
                }
            }
        }
        for host in state.hosts.values() {
            if state.port(host.dpid, host.port).is_none() {
                return Err(StateDecodeError::Dangling(format!(
                    "host {} is attached to unknown port {:016x}:{}",
                    host.key(),
                    host.dpid,
                    host.port
                )));
            }
        }
        Ok(state)
    }
}

/// Why serialized state could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StateDecodeError {
    /// The bytes are not a serialized state.
    #[error("malformed state: {0}")]
    Malformed(#[from] serde_json::Error),
    /// A link or host refers to something the state does not hold.
    #[error("inconsistent state: {0}")]
    Dangling(String),
}

/// A value that carries its own map key, so a map of them serializes as a plain list.
trait Keyed {
    type Key: Ord;
    fn key(&self) -> Self::Key;
}

impl Keyed for PortRecord {
    type Key = u32;
    fn key(&self) -> u32 {
        self.port_no
    }
}

impl Keyed for SwitchRecord {
    type Key = u64;
    fn key(&self) -> u64 {
        self.dpid
    }
}

impl Keyed for HostRecord {
    type Key = HostKey;
    fn key(&self) -> HostKey {
        HostRecord::key(self)
    }
}

/// Serde adapter: a `BTreeMap<K, V>` whose values carry their keys, written as a list of
/// values in key order (JSON objects only allow string keys) and read back with a duplicate
/// check.
/// Operator flows serialized as one list of `{"dpid":..,"flow":{..}}`, in (dpid, key) order.
mod operator_flows {
    use std::collections::BTreeMap;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{OperatorFlowKey, OperatorFlowRecord};

    type Flows = BTreeMap<u64, BTreeMap<OperatorFlowKey, OperatorFlowRecord>>;

    #[derive(Serialize)]
    struct Out<'a> {
        dpid: u64,
        flow: &'a OperatorFlowRecord,
    }

    #[derive(Deserialize)]
    struct In {
        dpid: u64,
        flow: OperatorFlowRecord,
    }

    pub fn serialize<S: Serializer>(map: &Flows, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            map.iter()
                .flat_map(|(dpid, flows)| flows.values().map(|flow| Out { dpid: *dpid, flow })),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Flows, D::Error> {
        let mut map = Flows::new();
        for In { dpid, flow } in Vec::<In>::deserialize(deserializer)? {
            if map
                .entry(dpid)
                .or_default()
                .insert(flow.key(), flow)
                .is_some()
            {
                return Err(D::Error::custom("duplicate operator flow"));
            }
        }
        Ok(map)
    }
}

mod keyed {
    use std::collections::BTreeMap;

    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Keyed;

    pub fn serialize<S, V>(map: &BTreeMap<V::Key, V>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        V: Keyed + Serialize,
    {
        serializer.collect_seq(map.values())
    }

    pub fn deserialize<'de, D, V>(deserializer: D) -> Result<BTreeMap<V::Key, V>, D::Error>
    where
        D: Deserializer<'de>,
        V: Keyed + Deserialize<'de>,
    {
        let values = Vec::<V>::deserialize(deserializer)?;
        let mut map = BTreeMap::new();
        for value in values {
            if map.insert(value.key(), value).is_some() {
                return Err(D::Error::custom("duplicate key in keyed list"));
            }
        }
        Ok(map)
    }
}
