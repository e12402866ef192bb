//! A fake switch's flow tables: they hold [`FlowSpec`]s (and the app's groups and meters)
//! and evaluate packets through them the way an OpenFlow 1.3 pipeline does, so tests check
//! where packets go, not flow text.

use core::fmt;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use openflow::instruction::Instruction;
use openflow::msg::FlowRemovedReason;
use openflow::{Action, GroupId, MeterId, PortNo, TableId};

use super::group::{self, Groups};
use super::matcher::{PipelinePacket, field_matches, set_field};
use super::packet::{Packet, VlanTag};
use crate::{FlowKey, FlowSpec, GroupSpec, LocalGroupId, LocalMeterId, MeterSpec};

/// Why a packet could not be evaluated or flows not installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableError {
    /// Two flows with the same table, priority and match.
    DuplicateFlow(FlowKey),
    /// A goto_table to a table not after the current one.
    BadGoto {
        /// The table the instruction is in.
        from: TableId,
        /// The table it names.
        to: TableId,
    },
    /// A match field, action or instruction the fake switch does not evaluate.
    Unsupported(String),
    /// Two groups with the same id.
    DuplicateGroup(LocalGroupId),
    /// Two meters with the same id.
    DuplicateMeter(LocalMeterId),
    /// A flow or bucket names a group the switch does not have.
    NoSuchGroup(GroupId),
    /// A flow names a meter the switch does not have.
    NoSuchMeter(MeterId),
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::DuplicateFlow(k) => write!(
                f,
                "two flows in table {} with priority {} and match {}",
                k.table.0, k.priority, k.match_
            ),
            TableError::BadGoto { from, to } => {
                write!(f, "goto_table:{} from table {}", to.0, from.0)
            }
            TableError::Unsupported(what) => write!(f, "unsupported: {what}"),
            TableError::DuplicateGroup(id) => write!(f, "two groups with id {}", id.0),
            TableError::DuplicateMeter(id) => write!(f, "two meters with id {}", id.0),
            TableError::NoSuchGroup(id) => write!(f, "no group {id}"),
            TableError::NoSuchMeter(id) => write!(f, "no meter {id}"),
        }
    }
}

impl std::error::Error for TableError {}

/// A flow installed in the fake switch, with the state its timeouts need.
#[derive(Clone, Debug)]
pub struct InstalledFlow {
    /// What the app asked for.
    pub spec: FlowSpec,
    /// When it was installed (hard timeout).
    pub installed: Instant,
    /// When a packet last matched it (idle timeout).
    pub last_hit: Instant,
    /// Packets that matched it.
    pub packets: u64,
}

/// Where a packet went when it left the pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Egress {
    /// Out of a port, as these headers.
    Port(PortNo, Packet),
    /// To the controller, from this table.
    Controller {
        /// The table whose flow (or miss) sent it.
        table: TableId,
        /// True for a table miss, false for an explicit output action.
        miss: bool,
        /// The packet as it was then.
        packet: Packet,
    },
}

/// What the switch does when no flow in a table matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableMiss {
    /// Send to the controller (the controller installs such a default).
    Controller,
    /// Drop (OpenFlow 1.3 without a table-miss flow).
    Drop,
}

/// A switch's flow tables.
#[derive(Clone, Debug)]
pub struct FakeFlowTable {
    tables: BTreeMap<TableId, Vec<InstalledFlow>>,
    groups: Groups,
    meters: BTreeMap<LocalMeterId, MeterSpec>,
    miss: TableMiss,
}

impl FakeFlowTable {
    /// Empty tables with the given table-miss behaviour.
    pub fn new(miss: TableMiss) -> FakeFlowTable {
        FakeFlowTable {
            tables: BTreeMap::new(),
            groups: Groups::new(),
            meters: BTreeMap::new(),
            miss,
        }
    }

    /// Makes the switch hold exactly these groups. Refuses two with one id, or a bucket
    /// naming a group not among them. Flows naming a group that went must go with the next
    /// [`reconcile`](Self::reconcile), which checks.
    pub fn set_groups(&mut self, specs: Vec<GroupSpec>) -> Result<(), TableError> {
        let mut groups = Groups::new();
        for g in specs {
            let id = g.id;
            if groups.insert(id, g).is_some() {
                return Err(TableError::DuplicateGroup(id));
            }
        }
        group::check_chains(&groups)?;
        self.groups = groups;
        Ok(())
    }

    /// Makes the switch hold exactly these meters. Refuses two with one id.
    pub fn set_meters(&mut self, specs: Vec<MeterSpec>) -> Result<(), TableError> {
        let mut meters = BTreeMap::new();
        for m in specs {
            let id = m.id;
            if meters.insert(id, m).is_some() {
                return Err(TableError::DuplicateMeter(id));
            }
        }
        self.meters = meters;
        Ok(())
    }

    /// The switch's groups, by id.
    pub fn groups(&self) -> impl Iterator<Item = &GroupSpec> {
        self.groups.values()
    }

    /// The group table, for actions run outside the pipeline (packet-outs).
    pub(crate) fn group_table(&self) -> &Groups {
        &self.groups
    }

    /// The switch's meters, by id.
    pub fn meters(&self) -> impl Iterator<Item = &MeterSpec> {
        self.meters.values()
    }

    /// Checks that every group and meter a flow names is on the switch, as a switch does
    /// before it accepts the flow.
    fn check_references(&self, spec: &FlowSpec) -> Result<(), TableError> {
        let actions = spec.instructions.iter().flat_map(|i| match i {
            Instruction::ApplyActions(a) | Instruction::WriteActions(a) => a.as_slice(),
            _ => &[],
        });
        for a in actions {
            if let Action::Group(id) = a {
                group::lookup(&self.groups, *id)?;
            }
        }
        for i in &spec.instructions {
            if let Instruction::Meter(id) = i {
                let known =
                    LocalMeterId::from_written(*id).is_some_and(|m| self.meters.contains_key(&m));
                if !known {
                    return Err(TableError::NoSuchMeter(*id));
                }
            }
        }
        Ok(())
    }

    /// Makes the table hold exactly `specs`, as hitless reconciliation would: a flow whose
    /// spec is unchanged keeps its timers and counters. Returns the flows that left.
    pub fn reconcile(
        &mut self,
        specs: Vec<FlowSpec>,
        now: Instant,
    ) -> Result<Vec<FlowSpec>, TableError> {
        let mut old: BTreeMap<(TableId, u16, String), InstalledFlow> = BTreeMap::new();
        for flow in self.tables.values().flatten() {
            old.insert(sort_key(&flow.spec.key()), flow.clone());
        }
        let mut next: BTreeMap<(TableId, u16, String), InstalledFlow> = BTreeMap::new();
        for spec in specs {
            self.check_references(&spec)?;
            let key = sort_key(&spec.key());
            let kept = old
                .get(&key)
                .filter(|f| f.spec == spec)
                .cloned()
                .unwrap_or(InstalledFlow {
                    spec: spec.clone(),
                    installed: now,
                    last_hit: now,
                    packets: 0,
                });
            if next.insert(key, kept).is_some() {
                return Err(TableError::DuplicateFlow(spec.key()));
            }
        }
        let removed = old
            .into_iter()
            .filter(|(k, f)| next.get(k).is_none_or(|n| n.spec != f.spec))
            .map(|(_, f)| f.spec)
            .collect();
        self.tables.clear();
        for flow in next.into_values() {
            self.tables.entry(flow.spec.table).or_default().push(flow);
        }
        for flows in self.tables.values_mut() {
            flows.sort_by_key(|f| std::cmp::Reverse(f.spec.priority));
        }
        Ok(removed)
    }

    /// Every installed flow, by table then falling priority.
    pub fn flows(&self) -> impl Iterator<Item = &InstalledFlow> {
        self.tables.values().flatten()
    }

    /// Removes the flows whose idle or hard timeout has passed at `now`.
    pub fn expire(&mut self, now: Instant) -> Vec<(FlowSpec, FlowRemovedReason)> {
        let mut gone = Vec::new();
        for flows in self.tables.values_mut() {
            flows.retain(|f| {
                let after = |secs: u16, since: Instant| {
                    secs != 0 && now.duration_since(since) >= Duration::from_secs(u64::from(secs))
                };
                let reason = if after(f.spec.hard_timeout, f.installed) {
                    FlowRemovedReason::HardTimeout
                } else if after(f.spec.idle_timeout, f.last_hit) {
                    FlowRemovedReason::IdleTimeout
                } else {
                    return true;
                };
                gone.push((f.spec.clone(), reason));
                false
            });
        }
        gone
    }

    /// The highest-priority flow of `table` matching the packet, as an index.
    fn lookup(&self, table: TableId, pp: &PipelinePacket) -> Result<Option<usize>, TableError> {
        let Some(flows) = self.tables.get(&table) else {
            return Ok(None);
        };
        for (n, flow) in flows.iter().enumerate() {
            let mut all = true;
            for field in flow.spec.match_.iter() {
                if !field_matches(field, pp).map_err(TableError::Unsupported)? {
                    all = false;
                    break;
                }
            }
            if all {
                return Ok(Some(n));
            }
        }
        Ok(None)
    }

    /// Runs a packet that entered by `in_port` through the pipeline from table 0. `ports` are
    /// the switch's up ports, for `FLOOD` and `ALL`.
    pub fn evaluate(
        &mut self,
        in_port: PortNo,
        packet: Packet,
        ports: &[PortNo],
        now: Instant,
    ) -> Result<Vec<Egress>, TableError> {
        let mut pp = PipelinePacket {
            in_port,
            metadata: 0,
            packet,
        };
        let mut out = Vec::new();
        let mut action_set: Vec<Action> = Vec::new();
        let mut table = TableId(0);
        loop {
            let Some(n) = self.lookup(table, &pp)? else {
                if self.miss == TableMiss::Controller {
                    out.push(Egress::Controller {
                        table,
                        miss: true,
                        packet: pp.packet.clone(),
                    });
                }
                return Ok(out);
            };
            let flows = self.tables.get_mut(&table).map(|f| &mut f[n]);
            let Some(flow) = flows else {
                return Ok(out);
            };
            flow.last_hit = now;
            flow.packets += 1;
            let instructions = flow.spec.instructions.clone();
            let groups = &self.groups;
            let mut goto = None;
            for ins in &instructions {
                match ins {
                    Instruction::ApplyActions(actions) => {
                        apply(actions, &mut pp, table, ports, groups, 0, &mut out)?;
                    }
                    Instruction::WriteActions(actions) => action_set.extend(actions.clone()),
                    Instruction::ClearActions => action_set.clear(),
                    Instruction::WriteMetadata { metadata, mask } => {
                        pp.metadata = (pp.metadata & !mask) | (metadata & mask);
                    }
                    Instruction::GotoTable(t) if *t > table => goto = Some(*t),
                    Instruction::GotoTable(t) => {
                        return Err(TableError::BadGoto {
                            from: table,
                            to: *t,
                        });
                    }
                    // Meters limit rates; the simulation checks only that they exist.
                    Instruction::Meter(_) => {}
                    other => {
                        return Err(TableError::Unsupported(format!(
                            "instruction {}",
                            other.instruction_type()
                        )));
                    }
                }
            }
            match goto {
                Some(t) => table = t,
                None => {
                    // The action set runs at the end of the pipeline: edits, then a group if
                    // there is one, else the output.
                    let (exits, edits): (Vec<Action>, Vec<Action>) = action_set
                        .into_iter()
                        .partition(|a| matches!(a, Action::Output { .. } | Action::Group(_)));
                    apply(&edits, &mut pp, table, ports, groups, 0, &mut out)?;
                    let group = exits.iter().rfind(|a| matches!(a, Action::Group(_)));
                    match group {
                        Some(g) => apply(
                            std::slice::from_ref(g),
                            &mut pp,
                            table,
                            ports,
                            groups,
                            0,
                            &mut out,
                        )?,
                        None => apply(&exits, &mut pp, table, ports, groups, 0, &mut out)?,
                    }
                    return Ok(out);
                }
            }
        }
    }
}

/// Applies actions in order, emitting a copy of the packet for each output; `depth` is how
/// many groups deep the actions are.
pub(crate) fn apply(
    actions: &[Action],
    pp: &mut PipelinePacket,
    table: TableId,
    ports: &[PortNo],
    groups: &Groups,
    depth: usize,
    out: &mut Vec<Egress>,
) -> Result<(), TableError> {
    for action in actions {
        match action {
            Action::Output { port, .. } => match *port {
                PortNo::CONTROLLER => out.push(Egress::Controller {
                    table,
                    miss: false,
                    packet: pp.packet.clone(),
                }),
                PortNo::IN_PORT => out.push(Egress::Port(pp.in_port, pp.packet.clone())),
                // Only a packet-out may say this; the simulator runs it through the tables.
                PortNo::TABLE => out.push(Egress::Port(PortNo::TABLE, pp.packet.clone())),
                PortNo::FLOOD | PortNo::ALL => {
                    for p in ports.iter().filter(|p| **p != pp.in_port) {
                        out.push(Egress::Port(*p, pp.packet.clone()));
                    }
                }
                // OpenFlow never sends a packet back out of its input port unless told to.
                p if p == pp.in_port => {}
                p if p.0 <= PortNo::MAX.0 => out.push(Egress::Port(p, pp.packet.clone())),
                p => {
                    return Err(TableError::Unsupported(format!("output to port {p}")));
                }
            },
            Action::PushVlan(_) => {
                let pcp = pp.packet.vlan.map_or(0, |t| t.pcp);
                let vid = pp.packet.vlan.map_or(0, |t| t.vid);
                pp.packet.vlan = Some(VlanTag { vid, pcp });
            }
            Action::PopVlan => pp.packet.vlan = None,
            Action::SetField(field) => set_field(field, pp).map_err(TableError::Unsupported)?,
            Action::SetQueue(_) => {}
            Action::Group(id) => group::run(*id, pp, table, ports, groups, depth, out)?,
            other => {
                return Err(TableError::Unsupported(format!(
                    "action {}",
                    other.action_type()
                )));
            }
        }
    }
    Ok(())
}

fn sort_key(key: &FlowKey) -> (TableId, u16, String) {
    // Match has no order; its canonical ovs-ofctl text serves as one.
    (key.table, key.priority, key.match_.to_string())
}
