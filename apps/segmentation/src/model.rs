//! The tenant model: tenants, their virtual networks, logical ports and the hypervisors
//! (chassis) that carry them, with the rules that keep it consistent.
//!
//! The model is a deterministic state machine: [`Model::apply`] checks a [`ModelCommand`]
//! against every referential rule, changes nothing when one fails, and otherwise returns the
//! [`Effect`]: which networks changed and on which switches their flows live, so the app
//! recomputes only those. The controller's store applies the same commands in the same order,
//! so its copy and the app's agree.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The highest VXLAN network identifier (24 bits).
pub const MAX_VNI: u32 = 0x00ff_ffff;
/// The highest usable VLAN id.
pub const MAX_VLAN: u16 = 4094;
/// The highest network tag: tags name a network in metadata and in group ids.
pub const MAX_TAG: u16 = 0xfffe;
/// The longest name of a tenant, network or port.
pub const MAX_NAME: usize = 64;

/// A tenant: the owner of networks. Tenants never see each other's traffic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    /// Unique name.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
}

/// How a network is kept apart from the others on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// A VXLAN overlay between hypervisors, with this network identifier.
    Vxlan(u32),
    /// A VLAN on a physical fabric, with this id.
    Vlan(u16),
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Vxlan(vni) => write!(f, "vxlan:{vni}"),
            Segment::Vlan(vid) => write!(f, "vlan:{vid}"),
        }
    }
}

/// An IP subnet: an address whose host bits are zero, and a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Subnet {
    /// The network address.
    pub addr: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

impl Subnet {
    /// True if `ip` is inside the subnet.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl fmt::Display for Subnet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for Subnet {
    type Err = String;

    fn from_str(s: &str) -> Result<Subnet, String> {
        let (addr, prefix) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} is not ADDRESS/PREFIX"))?;
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{addr:?} is not an IP address"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| format!("{prefix:?} is not a prefix length from 0 to {max}"))?;
        let subnet = Subnet { addr, prefix };
        let canonical = Subnet {
            addr: match addr {
                IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(
                    u32::from(a) & u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0),
                )),
                IpAddr::V6(a) => IpAddr::V6(
                    (u128::from(a) & u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0))
                        .into(),
                ),
            },
            prefix,
        };
        if canonical != subnet {
            return Err(format!("{s} has host bits set (the subnet is {canonical})"));
        }
        Ok(subnet)
    }
}

/// A virtual network (a logical switch): one broadcast domain owned by a tenant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// Unique name.
    pub name: String,
    /// The owning tenant.
    pub tenant: String,
    /// VXLAN VNI or VLAN id.
    pub segment: Segment,
    /// IPv4 and IPv6 subnets; when there are any, every port address must be in one.
    #[serde(default)]
    pub subnets: Vec<Subnet>,
    /// The model's own small number for the network (in metadata and group ids); assigned
    /// when the network is created and kept for its life. Ignored in a put.
    #[serde(default)]
    pub tag: u16,
}

/// A logical port: a VM's (or container's) interface on a network, bound to an OVS
/// interface on one switch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogicalPort {
    /// Unique name.
    pub name: String,
    /// The network it belongs to.
    pub network: String,
    /// The switch (hypervisor bridge) it is bound to.
    pub dpid: u64,
    /// The OVS interface it is bound to, by name.
    pub iface: String,
    /// Its MAC address: the only source MAC it may send with.
    pub mac: [u8; 6],
    /// Its addresses: the only source addresses it may send with (none: any).
    #[serde(default)]
    pub ips: Vec<IpAddr>,
}

/// A hypervisor: a switch that terminates VXLAN tunnels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chassis {
    /// Its integration bridge.
    pub dpid: u64,
    /// A name for people.
    #[serde(default)]
    pub name: String,
    /// Its tunnel endpoint (underlay) address.
    pub tunnel_ip: Ipv4Addr,
    /// The name of the bridge's VXLAN port (`options:remote_ip=flow options:key=flow`).
    pub tunnel_port: String,
}

/// A change to the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelCommand {
    /// Create or update a tenant.
    TenantPut(Tenant),
    /// Delete a tenant that owns no network.
    TenantDelete {
        /// Its name.
        name: String,
    },
    /// Create or update a network.
    NetworkPut(Network),
    /// Delete a network and its ports.
    NetworkDelete {
        /// Its name.
        name: String,
    },
    /// Create or update (bind elsewhere, re-address) a logical port.
    PortPut(LogicalPort),
    /// Delete a logical port.
    PortDelete {
        /// Its name.
        name: String,
    },
    /// Create or update a chassis.
    ChassisPut(Chassis),
    /// Delete a chassis no VXLAN port is bound to.
    ChassisDelete {
        /// Its datapath id.
        dpid: u64,
    },
}

/// Why the model refused a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelErrorKind {
    /// Something the command names does not exist.
    NotFound,
    /// A field is malformed or out of range.
    Invalid,
    /// A field collides with something that exists (a VNI, a MAC in the network …).
    AlreadyExists,
    /// The command is well formed but the model's state forbids it now.
    FailedPrecondition,
}

/// A refused command: which field, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ModelError {
    /// The kind of refusal.
    pub kind: ModelErrorKind,
    /// The field, as the API names it (`port.mac`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

fn err(kind: ModelErrorKind, field: &str, message: impl Into<String>) -> ModelError {
    ModelError {
        kind,
        field: field.to_owned(),
        message: message.into(),
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ModelError {
    err(ModelErrorKind::Invalid, field, message)
}

/// Where a changed network's flows must be recomputed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    /// On these switches (where it had or has ports).
    Switches(BTreeSet<u64>),
    /// On every switch (a VLAN network is forwarded across the whole fabric).
    Everywhere,
}

/// What a command changed: networks (by tag) whose flows must be recomputed, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effect {
    /// Changed networks by tag.
    pub networks: BTreeMap<u16, Reach>,
}

impl Effect {
    fn touch(&mut self, tag: u16, reach: Reach) {
        match (self.networks.get_mut(&tag), reach) {
            (None, reach) => {
                self.networks.insert(tag, reach);
            }
            (Some(Reach::Switches(a)), Reach::Switches(b)) => a.extend(b),
            (Some(r), _) => *r = Reach::Everywhere,
        }
    }

    /// The switches the effect reaches, given every switch there is.
    pub fn switches(&self, all: impl Fn() -> BTreeSet<u64>) -> BTreeSet<u64> {
        let mut out = BTreeSet::new();
        for reach in self.networks.values() {
            match reach {
                Reach::Switches(s) => out.extend(s),
                Reach::Everywhere => return all(),
            }
        }
        out
    }
}

/// What a checked command will write.
enum Plan {
    TenantPut(Tenant),
    TenantDelete(String),
    NetworkPut {
        net: Network,
        old: Option<Network>,
    },
    NetworkDelete(Network),
    PortPut {
        port: LogicalPort,
        old: Option<LogicalPort>,
    },
    PortDelete(LogicalPort),
    ChassisPut(Chassis),
    ChassisDelete(Chassis),
}

/// The records, as stored.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Records {
    tenants: BTreeMap<String, Tenant>,
    networks: BTreeMap<String, Network>,
    ports: BTreeMap<String, LogicalPort>,
    chassis: BTreeMap<u64, Chassis>,
}

/// The tenant model with its indexes.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Records", into = "Records")]
pub struct Model {
    records: Records,
    /// Network name by tag.
    by_tag: BTreeMap<u16, String>,
    /// Network name by segment.
    by_segment: BTreeMap<Segment, String>,
    /// Port names of each network (by tag).
    net_ports: BTreeMap<u16, BTreeSet<String>>,
    /// Where each network (by tag) has ports: switch → how many.
    net_switches: BTreeMap<u16, BTreeMap<u64, usize>>,
    /// Networks (by tag) with ports on each switch.
    switch_nets: BTreeMap<u64, BTreeSet<u16>>,
    /// Port name by (switch, interface).
    by_iface: BTreeMap<(u64, String), String>,
    /// Chassis by tunnel address.
    by_tunnel_ip: BTreeMap<Ipv4Addr, u64>,
}

impl From<Records> for Model {
    fn from(records: Records) -> Model {
        let mut m = Model::default();
        for c in records.chassis.values() {
            m.by_tunnel_ip.insert(c.tunnel_ip, c.dpid);
        }
        for n in records.networks.values() {
            m.by_tag.insert(n.tag, n.name.clone());
            m.by_segment.insert(n.segment, n.name.clone());
            m.net_ports.insert(n.tag, BTreeSet::new());
        }
        let ports: Vec<LogicalPort> = records.ports.values().cloned().collect();
        m.records = records;
        for p in &ports {
            m.index_port(p);
        }
        m
    }
}

impl From<Model> for Records {
    fn from(m: Model) -> Records {
        m.records
    }
}

impl PartialEq for Model {
    fn eq(&self, other: &Model) -> bool {
        self.records.tenants == other.records.tenants
            && self.records.networks == other.records.networks
            && self.records.ports == other.records.ports
            && self.records.chassis == other.records.chassis
    }
}

impl Eq for Model {}

fn check_name(field: &str, name: &str) -> Result<(), ModelError> {
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(invalid(
            field,
            format!("must be 1 to {MAX_NAME} characters, got {}", name.len()),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')))
    {
        return Err(invalid(
            field,
            format!("{name:?} has {c:?}: use letters, digits, '-', '_', '.', ':'"),
        ));
    }
    Ok(())
}

fn check_iface(field: &str, name: &str) -> Result<(), ModelError> {
    if name.is_empty() || name.len() > 255 || name.contains(['/', ' ', '\0']) {
        return Err(invalid(field, format!("{name:?} is not an interface name")));
    }
    Ok(())
}

impl Model {
    /// An empty model.
    pub fn new() -> Model {
        Model::default()
    }

    /// Every tenant, by name.
    pub fn tenants(&self) -> impl Iterator<Item = &Tenant> {
        self.records.tenants.values()
    }

    /// A tenant.
    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.records.tenants.get(name)
    }

    /// Every network, by name.
    pub fn networks(&self) -> impl Iterator<Item = &Network> {
        self.records.networks.values()
    }

    /// A network.
    pub fn network(&self, name: &str) -> Option<&Network> {
        self.records.networks.get(name)
    }

    /// The network with this tag.
    pub fn network_by_tag(&self, tag: u16) -> Option<&Network> {
        self.by_tag
            .get(&tag)
            .and_then(|n| self.records.networks.get(n))
    }

    /// Every logical port, by name.
    pub fn ports(&self) -> impl Iterator<Item = &LogicalPort> {
        self.records.ports.values()
    }

    /// A logical port.
    pub fn port(&self, name: &str) -> Option<&LogicalPort> {
        self.records.ports.get(name)
    }

    /// The ports of the network with this tag, by name.
    pub fn ports_of(&self, tag: u16) -> impl Iterator<Item = &LogicalPort> {
        self.net_ports
            .get(&tag)
            .into_iter()
            .flatten()
            .filter_map(|n| self.records.ports.get(n))
    }

    /// The port bound to this interface of this switch.
    pub fn port_at(&self, dpid: u64, iface: &str) -> Option<&LogicalPort> {
        self.by_iface
            .get(&(dpid, iface.to_owned()))
            .and_then(|n| self.records.ports.get(n))
    }

    /// The switches where the network with this tag has ports.
    pub fn switches_of(&self, tag: u16) -> impl Iterator<Item = u64> + '_ {
        self.net_switches
            .get(&tag)
            .into_iter()
            .flat_map(|m| m.keys().copied())
    }

    /// The tags of the networks with ports on this switch.
    pub fn networks_at(&self, dpid: u64) -> impl Iterator<Item = u16> + '_ {
        self.switch_nets.get(&dpid).into_iter().flatten().copied()
    }

    /// Every chassis, by datapath id.
    pub fn chassis(&self) -> impl Iterator<Item = &Chassis> {
        self.records.chassis.values()
    }

    /// The chassis of a switch.
    pub fn chassis_of(&self, dpid: u64) -> Option<&Chassis> {
        self.records.chassis.get(&dpid)
    }

    /// The tags of every VLAN network.
    pub fn vlan_networks(&self) -> impl Iterator<Item = u16> + '_ {
        self.by_segment
            .iter()
            .filter(|(s, _)| matches!(s, Segment::Vlan(_)))
            .filter_map(|(_, n)| self.records.networks.get(n).map(|n| n.tag))
    }

    /// How many of each record there are: tenants, networks, ports, chassis.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (
            self.records.tenants.len(),
            self.records.networks.len(),
            self.records.ports.len(),
            self.records.chassis.len(),
        )
    }

    /// Where a network's flows live now.
    fn reach(&self, tag: u16) -> Reach {
        match self.network_by_tag(tag).map(|n| n.segment) {
            Some(Segment::Vlan(_)) => Reach::Everywhere,
            _ => Reach::Switches(self.switches_of(tag).collect()),
        }
    }

    /// Checks a command against every rule without changing anything.
    pub fn check(&self, cmd: &ModelCommand) -> Result<(), ModelError> {
        self.plan(cmd).map(|_| ())
    }

    /// Applies a command: every rule holds afterwards, or nothing changed and the error says
    /// which field broke which rule.
    pub fn apply(&mut self, cmd: &ModelCommand) -> Result<Effect, ModelError> {
        let plan = self.plan(cmd)?;
        Ok(self.commit(plan))
    }

    /// Every check of a command, and the records it will write.
    fn plan(&self, cmd: &ModelCommand) -> Result<Plan, ModelError> {
        match cmd {
            ModelCommand::TenantPut(t) => {
                check_name("tenant.name", &t.name)?;
                Ok(Plan::TenantPut(t.clone()))
            }
            ModelCommand::TenantDelete { name } => {
                if !self.records.tenants.contains_key(name) {
                    return Err(err(
                        ModelErrorKind::NotFound,
                        "name",
                        format!("no tenant named {name:?}"),
                    ));
                }
                let owned: Vec<&str> = self
                    .records
                    .networks
                    .values()
                    .filter(|n| n.tenant == *name)
                    .map(|n| n.name.as_str())
                    .collect();
                if !owned.is_empty() {
                    return Err(err(
                        ModelErrorKind::FailedPrecondition,
                        "name",
                        format!(
                            "tenant {name:?} still owns networks {}: delete them first",
                            owned.join(", ")
                        ),
                    ));
                }
                Ok(Plan::TenantDelete(name.clone()))
            }
            ModelCommand::NetworkPut(n) => self.plan_network(n),
            ModelCommand::NetworkDelete { name } => match self.records.networks.get(name) {
                Some(net) => Ok(Plan::NetworkDelete(net.clone())),
                None => Err(err(
                    ModelErrorKind::NotFound,
                    "name",
                    format!("no network named {name:?}"),
                )),
            },
            ModelCommand::PortPut(p) => self.plan_port(p),
            ModelCommand::PortDelete { name } => match self.records.ports.get(name) {
                Some(port) => Ok(Plan::PortDelete(port.clone())),
                None => Err(err(
                    ModelErrorKind::NotFound,
                    "name",
                    format!("no port named {name:?}"),
                )),
            },
            ModelCommand::ChassisPut(c) => self.plan_chassis(c),
            ModelCommand::ChassisDelete { dpid } => {
                let Some(c) = self.records.chassis.get(dpid) else {
                    return Err(err(
                        ModelErrorKind::NotFound,
                        "dpid",
                        format!("no chassis with datapath id {dpid:#018x}"),
                    ));
                };
                let bound: Vec<&str> = self
                    .networks_at(*dpid)
                    .filter_map(|t| self.network_by_tag(t))
                    .filter(|n| matches!(n.segment, Segment::Vxlan(_)))
                    .map(|n| n.name.as_str())
                    .collect();
                if !bound.is_empty() {
                    return Err(err(
                        ModelErrorKind::FailedPrecondition,
                        "dpid",
                        format!(
                            "ports of VXLAN networks {} are bound to chassis {dpid:#018x}: \
                             move or delete them first",
                            bound.join(", ")
                        ),
                    ));
                }
                Ok(Plan::ChassisDelete(c.clone()))
            }
        }
    }

    /// Writes what a plan says; the effect names every network whose flows change, where
    /// they were and where they are now.
    fn commit(&mut self, plan: Plan) -> Effect {
        let mut effect = Effect::default();
        match plan {
            Plan::TenantPut(t) => {
                self.records.tenants.insert(t.name.clone(), t);
            }
            Plan::TenantDelete(name) => {
                self.records.tenants.remove(&name);
            }
            Plan::NetworkPut { net, old } => {
                if let Some(old) = old {
                    effect.touch(old.tag, self.reach(old.tag));
                    self.by_segment.remove(&old.segment);
                }
                let tag = net.tag;
                self.by_tag.insert(tag, net.name.clone());
                self.by_segment.insert(net.segment, net.name.clone());
                self.net_ports.entry(tag).or_default();
                self.records.networks.insert(net.name.clone(), net);
                effect.touch(tag, self.reach(tag));
            }
            Plan::NetworkDelete(net) => {
                effect.touch(net.tag, self.reach(net.tag));
                let ports: Vec<String> = self
                    .net_ports
                    .get(&net.tag)
                    .into_iter()
                    .flatten()
                    .cloned()
                    .collect();
                for p in ports {
                    if let Some(port) = self.records.ports.remove(&p) {
                        self.unindex_port(&port);
                    }
                }
                self.records.networks.remove(&net.name);
                self.by_tag.remove(&net.tag);
                self.by_segment.remove(&net.segment);
                self.net_ports.remove(&net.tag);
                self.net_switches.remove(&net.tag);
            }
            Plan::PortPut { port, old } => {
                if let Some(old) = old {
                    let old_tag = self.records.networks[&old.network].tag;
                    effect.touch(old_tag, self.reach(old_tag));
                    self.unindex_port(&old);
                }
                let tag = self.records.networks[&port.network].tag;
                self.index_port(&port);
                self.records.ports.insert(port.name.clone(), port);
                effect.touch(tag, self.reach(tag));
            }
            Plan::PortDelete(port) => {
                let tag = self.records.networks[&port.network].tag;
                effect.touch(tag, self.reach(tag));
                self.records.ports.remove(&port.name);
                self.unindex_port(&port);
            }
            Plan::ChassisPut(c) => {
                if let Some(old) = self.records.chassis.insert(c.dpid, c.clone()) {
                    self.by_tunnel_ip.remove(&old.tunnel_ip);
                    // Every network here is reached through the address: recompute them
                    // wherever they live.
                    let tags: Vec<u16> = self.networks_at(c.dpid).collect();
                    for tag in tags {
                        effect.touch(tag, self.reach(tag));
                    }
                }
                self.by_tunnel_ip.insert(c.tunnel_ip, c.dpid);
            }
            Plan::ChassisDelete(c) => {
                self.records.chassis.remove(&c.dpid);
                self.by_tunnel_ip.remove(&c.tunnel_ip);
            }
        }
        effect
    }

    fn plan_network(&self, n: &Network) -> Result<Plan, ModelError> {
        check_name("network.name", &n.name)?;
        if !self.records.tenants.contains_key(&n.tenant) {
            return Err(err(
                ModelErrorKind::NotFound,
                "network.tenant",
                format!("no tenant named {:?}", n.tenant),
            ));
        }
        match n.segment {
            Segment::Vxlan(vni) if vni == 0 || vni > MAX_VNI => {
                return Err(invalid(
                    "network.vni",
                    format!("{vni} is out of range (1 to {MAX_VNI})"),
                ));
            }
            Segment::Vlan(vid) if vid == 0 || vid > MAX_VLAN => {
                return Err(invalid(
                    "network.vlan",
                    format!("{vid} is out of range (1 to {MAX_VLAN})"),
                ));
            }
            _ => {}
        }
        if let Some(other) = self.by_segment.get(&n.segment)
            && *other != n.name
        {
            let field = match n.segment {
                Segment::Vxlan(_) => "network.vni",
                Segment::Vlan(_) => "network.vlan",
            };
            return Err(err(
                ModelErrorKind::AlreadyExists,
                field,
                format!("{} is already network {other:?}'s", n.segment),
            ));
        }
        let mut subnets = n.subnets.clone();
        subnets.sort();
        subnets.dedup();
        for (i, s) in subnets.iter().enumerate() {
            if s.to_string().parse::<Subnet>().as_ref() != Ok(s) {
                return Err(invalid("network.subnets", format!("{s} is not a subnet")));
            }
            if let Some(o) = subnets[..i]
                .iter()
                .find(|o| o.contains(s.addr) || s.contains(o.addr))
            {
                return Err(invalid("network.subnets", format!("{s} overlaps {o}")));
            }
        }
        let old = self.records.networks.get(&n.name).cloned();
        let tag = match &old {
            Some(old) => {
                if old.tenant != n.tenant {
                    return Err(err(
                        ModelErrorKind::FailedPrecondition,
                        "network.tenant",
                        format!(
                            "network {:?} belongs to tenant {:?}: a network cannot change tenant",
                            n.name, old.tenant
                        ),
                    ));
                }
                if !subnets.is_empty() {
                    for p in self.ports_of(old.tag) {
                        if let Some(ip) = p
                            .ips
                            .iter()
                            .find(|ip| !subnets.iter().any(|s| s.contains(**ip)))
                        {
                            return Err(err(
                                ModelErrorKind::FailedPrecondition,
                                "network.subnets",
                                format!("port {:?} has {ip}, outside the new subnets", p.name),
                            ));
                        }
                    }
                }
                let vxlan = |s: Segment| matches!(s, Segment::Vxlan(_));
                if vxlan(old.segment) != vxlan(n.segment) && self.ports_of(old.tag).next().is_some()
                {
                    return Err(err(
                        ModelErrorKind::FailedPrecondition,
                        "network.segment",
                        "a network with ports cannot change between VXLAN and VLAN",
                    ));
                }
                old.tag
            }
            None => self.free_tag().ok_or_else(|| {
                err(
                    ModelErrorKind::FailedPrecondition,
                    "network",
                    format!("every one of the {MAX_TAG} network tags is in use"),
                )
            })?,
        };
        let net = Network {
            name: n.name.clone(),
            tenant: n.tenant.clone(),
            segment: n.segment,
            subnets,
            tag,
        };
        Ok(Plan::NetworkPut { net, old })
    }

    /// The smallest tag no network has.
    fn free_tag(&self) -> Option<u16> {
        let mut want = 1u16;
        for &t in self.by_tag.keys() {
            if t != want {
                break;
            }
            want = want.checked_add(1)?;
        }
        (want <= MAX_TAG).then_some(want)
    }

    fn plan_port(&self, p: &LogicalPort) -> Result<Plan, ModelError> {
        check_name("port.name", &p.name)?;
        let Some(net) = self.records.networks.get(&p.network) else {
            return Err(err(
                ModelErrorKind::NotFound,
                "port.network",
                format!("no network named {:?}", p.network),
            ));
        };
        if p.dpid == 0 {
            return Err(invalid("port.dpid", "a datapath id is required"));
        }
        check_iface("port.iface", &p.iface)?;
        if p.mac[0] & 1 == 1 || p.mac == [0; 6] {
            return Err(invalid(
                "port.mac",
                format!("{} is not a unicast address", fmt_mac(p.mac)),
            ));
        }
        if matches!(net.segment, Segment::Vxlan(_)) && !self.records.chassis.contains_key(&p.dpid) {
            return Err(err(
                ModelErrorKind::FailedPrecondition,
                "port.dpid",
                format!(
                    "switch {:#018x} is not a chassis: register its tunnel endpoint first",
                    p.dpid
                ),
            ));
        }
        let mut ips = p.ips.clone();
        ips.sort();
        ips.dedup();
        for ip in &ips {
            if ip.is_unspecified() || ip.is_multicast() || ip.is_loopback() {
                return Err(invalid("port.ips", format!("{ip} is not a host address")));
            }
            if !net.subnets.is_empty() && !net.subnets.iter().any(|s| s.contains(*ip)) {
                let subnets: Vec<String> = net.subnets.iter().map(|s| s.to_string()).collect();
                return Err(invalid(
                    "port.ips",
                    format!(
                        "{ip} is outside network {:?}'s subnets ({})",
                        net.name,
                        subnets.join(", ")
                    ),
                ));
            }
        }
        for other in self.ports_of(net.tag).filter(|o| o.name != p.name) {
            if other.mac == p.mac {
                return Err(err(
                    ModelErrorKind::AlreadyExists,
                    "port.mac",
                    format!(
                        "{} is already port {:?}'s on network {:?}",
                        fmt_mac(p.mac),
                        other.name,
                        net.name
                    ),
                ));
            }
            if let Some(ip) = ips.iter().find(|ip| other.ips.contains(ip)) {
                return Err(err(
                    ModelErrorKind::AlreadyExists,
                    "port.ips",
                    format!(
                        "{ip} is already port {:?}'s on network {:?}",
                        other.name, net.name
                    ),
                ));
            }
        }
        if let Some(other) = self.by_iface.get(&(p.dpid, p.iface.clone()))
            && *other != p.name
        {
            return Err(err(
                ModelErrorKind::AlreadyExists,
                "port.iface",
                format!(
                    "interface {} of {:#018x} is already bound to port {other:?}",
                    p.iface, p.dpid
                ),
            ));
        }
        Ok(Plan::PortPut {
            port: LogicalPort { ips, ..p.clone() },
            old: self.records.ports.get(&p.name).cloned(),
        })
    }

    fn plan_chassis(&self, c: &Chassis) -> Result<Plan, ModelError> {
        if c.dpid == 0 {
            return Err(invalid("chassis.dpid", "a datapath id is required"));
        }
        if c.tunnel_ip.is_unspecified() || c.tunnel_ip.is_multicast() || c.tunnel_ip.is_broadcast()
        {
            return Err(invalid(
                "chassis.tunnel_ip",
                format!("{} is not a unicast address", c.tunnel_ip),
            ));
        }
        check_iface("chassis.tunnel_port", &c.tunnel_port)?;
        if let Some(other) = self.by_tunnel_ip.get(&c.tunnel_ip)
            && *other != c.dpid
        {
            return Err(err(
                ModelErrorKind::AlreadyExists,
                "chassis.tunnel_ip",
                format!("{} is already chassis {other:#018x}'s", c.tunnel_ip),
            ));
        }
        Ok(Plan::ChassisPut(c.clone()))
    }

    fn index_port(&mut self, p: &LogicalPort) {
        let Some(tag) = self.records.networks.get(&p.network).map(|n| n.tag) else {
            return;
        };
        self.net_ports
            .entry(tag)
            .or_default()
            .insert(p.name.clone());
        *self
            .net_switches
            .entry(tag)
            .or_default()
            .entry(p.dpid)
            .or_default() += 1;
        self.switch_nets.entry(p.dpid).or_default().insert(tag);
        self.by_iface
            .insert((p.dpid, p.iface.clone()), p.name.clone());
    }

    fn unindex_port(&mut self, p: &LogicalPort) {
        let Some(tag) = self.records.networks.get(&p.network).map(|n| n.tag) else {
            return;
        };
        if let Some(set) = self.net_ports.get_mut(&tag) {
            set.remove(&p.name);
        }
        if let Some(counts) = self.net_switches.get_mut(&tag)
            && let Some(n) = counts.get_mut(&p.dpid)
        {
            *n -= 1;
            if *n == 0 {
                counts.remove(&p.dpid);
                if let Some(nets) = self.switch_nets.get_mut(&p.dpid) {
                    nets.remove(&tag);
                    if nets.is_empty() {
                        self.switch_nets.remove(&p.dpid);
                    }
                }
            }
        }
        self.by_iface.remove(&(p.dpid, p.iface.clone()));
    }
}

/// A MAC address as text.
pub fn fmt_mac(mac: [u8; 6]) -> String {
    let [a, b, c, d, e, f] = mac;
    format!("{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{f:02x}")
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
