//! The difference between the flows we want on a switch and the flows it has.
//!
//! Both sides are maps from [`CanonicalKey`] to [`FlowEntry`]. A flow on the switch that the
//! host does not manage (a foreign cookie, the operator's, or an app no longer registered) is
//! never deleted or changed; if we want a flow with the same key, that is a [`Conflict`] and
//! the switch's flow stays. For flows we manage:
//!
//! * wanted and identical (cookie, canonical match, instructions, timeouts, state flags):
//!   nothing is sent, so its counters and duration survive;
//! * wanted with other instructions only: `MODIFY_STRICT` filtered on the cookie. Open vSwitch
//!   swaps the actions atomically and keeps counters, duration, timeouts and flags; OpenFlow
//!   1.3 modify cannot change a cookie, timeouts or flags;
//! * wanted with other timeouts, flags or cookie (a new generation): `ADD`, which overwrites
//!   the entry in place. Open vSwitch carries the packet and byte counters over (we never set
//!   `reset_counts`); the duration restarts;
//! * not wanted: `DELETE_STRICT` filtered on the whole cookie, so it cannot remove a flow
//!   someone else has put at the same key meanwhile;
//! * wanted and missing: `ADD`.
//!
//! The result lists deletes first, then modifies, then adds, each in key order so plans are
//! deterministic.
//!
//! Groups and meters are keyed by id, not by match, and their id says whose they are (see
//! [`ids`](super::ids)), so [`diff_by_id`] needs no conflicts: for ids we manage, identical
//! means nothing is sent, different a `MODIFY` (in place: flows that use the group or meter
//! keep using it), missing an `ADD`, unwanted a `DELETE`. Ids we do not manage are never
//! touched.

use std::collections::BTreeMap;

use openflow::Cookie;
use openflow::msg::{
    FlowMod, FlowModCommand, GroupMod, GroupModCommand, MeterMod, MeterModCommand,
};

use super::canon::{CanonicalKey, FlowEntry};
use super::group::GroupEntry;
use super::meter::MeterEntry;
use super::plan::Changes;

/// Flows by canonical key.
pub type FlowTable = BTreeMap<CanonicalKey, FlowEntry>;

/// A flow we want whose key a flow we do not manage already holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The flow we wanted.
    pub wanted: FlowEntry,
    /// The cookie of the switch's flow at that key.
    pub holder: Cookie,
}

/// What must change on a switch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowDiff {
    /// Flows of ours the switch has and we no longer want.
    pub deletes: Vec<FlowEntry>,
    /// Flows whose instructions changed (sent as `MODIFY_STRICT`).
    pub modifies: Vec<FlowEntry>,
    /// Flows missing, or changed in timeouts, flags or cookie (sent as `ADD`).
    pub adds: Vec<FlowEntry>,
    /// Wanted flows left out because a flow we do not manage holds their key.
    pub conflicts: Vec<Conflict>,
}

impl FlowDiff {
    /// True when the switch already has exactly what we want.
    pub fn is_empty(&self) -> bool {
        self.deletes.is_empty() && self.modifies.is_empty() && self.adds.is_empty()
    }

    /// The FLOW_MODs that apply the difference, deletes first.
    pub fn flow_mods(&self) -> Vec<FlowMod> {
        let deletes = self
            .deletes
            .iter()
            .map(|e| e.flow_mod(FlowModCommand::DeleteStrict));
        let modifies = self
            .modifies
            .iter()
            .map(|e| e.flow_mod(FlowModCommand::ModifyStrict));
        let adds = self.adds.iter().map(|e| e.flow_mod(FlowModCommand::Add));
        deletes.chain(modifies).chain(adds).collect()
    }
}

/// The difference that turns `actual` into `desired`, touching only flows whose cookie
/// `managed` accepts.
pub fn diff(desired: &FlowTable, actual: &FlowTable, managed: impl Fn(Cookie) -> bool) -> FlowDiff {
    let mut out = FlowDiff::default();
    for (key, have) in actual {
        let want = desired.get(key);
        if !managed(have.cookie) {
            if let Some(want) = want {
                out.conflicts.push(Conflict {
                    wanted: want.clone(),
                    holder: have.cookie,
                });
            }
            continue;
        }
        match want {
            None => out.deletes.push(have.clone()),
            Some(want) => match change(want, have) {
                Change::None => {}
                Change::Modify => out.modifies.push(want.clone()),
                Change::Add => out.adds.push(want.clone()),
            },
        }
    }
    for (key, want) in desired {
        if !actual.contains_key(key) {
            out.adds.push(want.clone());
        }
    }
    // Adds came from two passes; restore key order.
    out.adds.sort_by_key(|e| e.key());
    out
}

/// An entry a switch keys by id: a group or a meter.
pub trait ById: Clone {
    /// Its id type.
    type Id: Ord + Copy;
    /// Its id.
    fn id(&self) -> Self::Id;
    /// True if the switch would report both the same way.
    fn same_as(&self, other: &Self) -> bool;
}

impl ById for GroupEntry {
    type Id = openflow::GroupId;
    fn id(&self) -> Self::Id {
        self.id
    }
    fn same_as(&self, other: &Self) -> bool {
        GroupEntry::same_as(self, other)
    }
}

impl ById for MeterEntry {
    type Id = openflow::MeterId;
    fn id(&self) -> Self::Id {
        self.id
    }
    fn same_as(&self, other: &Self) -> bool {
        MeterEntry::same_as(self, other)
    }
}

/// What must change among a switch's groups or meters, each list in id order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdDiff<E> {
    /// Ours, present, no longer wanted.
    pub deletes: Vec<E>,
    /// Present and wanted otherwise.
    pub modifies: Vec<E>,
    /// Wanted and missing.
    pub adds: Vec<E>,
}

impl<E> Default for IdDiff<E> {
    fn default() -> IdDiff<E> {
        IdDiff {
            deletes: Vec::new(),
            modifies: Vec::new(),
            adds: Vec::new(),
        }
    }
}

impl<E> IdDiff<E> {
    /// True when nothing changes.
    pub fn is_empty(&self) -> bool {
        self.deletes.is_empty() && self.modifies.is_empty() && self.adds.is_empty()
    }
}

/// The difference that turns `actual` into `desired`, touching only ids `managed` accepts.
pub fn diff_by_id<E: ById>(
    desired: &BTreeMap<E::Id, E>,
    actual: &BTreeMap<E::Id, E>,
    managed: impl Fn(E::Id) -> bool,
) -> IdDiff<E> {
    let mut out = IdDiff::default();
    for (id, have) in actual {
        if !managed(*id) {
            continue;
        }
        match desired.get(id) {
            None => out.deletes.push(have.clone()),
            Some(want) if want.same_as(have) => {}
            Some(want) => out.modifies.push(want.clone()),
        }
    }
    for (id, want) in desired {
        if !actual.contains_key(id) {
            out.adds.push(want.clone());
        }
    }
    out
}

/// What it takes to turn a flow we installed into the one wanted at the same key.
pub enum Change {
    /// Nothing: they are the same.
    None,
    /// `MODIFY_STRICT`: only the instructions differ.
    Modify,
    /// `ADD` over it: the cookie, timeouts or flags differ.
    Add,
}

/// Compares two entries at the same key: the one rule for what to send, used by [`diff`] (a
/// dump against what the apps want) and by the host's refresh (what it pushed against what a
/// stale slice wants now).
pub fn change(want: &FlowEntry, had: &FlowEntry) -> Change {
    let same_settings = want.cookie == had.cookie
        && want.idle_timeout == had.idle_timeout
        && want.hard_timeout == had.hard_timeout;
    // Both are ours and built the same way: equal as given is the common, cheap case.
    if same_settings && want.flags == had.flags && want.instructions == had.instructions {
        return Change::None;
    }
    if want.same_as(had) {
        return Change::None;
    }
    if same_settings && want.body().flags == had.body().flags {
        Change::Modify
    } else {
        Change::Add
    }
}

/// The messages of a flow diff and a group and meter diff, in phases.
pub fn changes(
    flows: &FlowDiff,
    groups: &IdDiff<GroupEntry>,
    meters: &IdDiff<MeterEntry>,
) -> Changes {
    Changes {
        meters_first: meter_mods(&meters.adds, MeterModCommand::Add)
            .chain(meter_mods(&meters.modifies, MeterModCommand::Modify))
            .collect(),
        groups_first: group_mods(&groups.adds, GroupModCommand::Add)
            .chain(group_mods(&groups.modifies, GroupModCommand::Modify))
            .collect(),
        flows: flows.flow_mods(),
        groups_last: group_mods(&groups.deletes, GroupModCommand::Delete).collect(),
        meters_last: meter_mods(&meters.deletes, MeterModCommand::Delete).collect(),
    }
}

fn group_mods(groups: &[GroupEntry], command: GroupModCommand) -> impl Iterator<Item = GroupMod> {
    groups.iter().map(move |g| g.group_mod(command))
}

fn meter_mods(meters: &[MeterEntry], command: MeterModCommand) -> impl Iterator<Item = MeterMod> {
    meters.iter().map(move |m| m.meter_mod(command))
}

#[cfg(test)]
mod tests {
    use super::*;
    use navarch_app::FlowSpec;
    use openflow::oxm::OxmField;
    use openflow::{Action, Instruction, Match, PortNo, TableId};

    const OURS: Cookie = Cookie(0x6e76_1000_0000_0000);
    const FOREIGN: Cookie = Cookie(0);

    fn flow(cookie: Cookie, in_port: u32, out: u32) -> FlowEntry {
        let spec = FlowSpec::new(
            TableId(0),
            100,
            Match::new().with(OxmField::InPort(PortNo(in_port))),
            vec![Instruction::ApplyActions(vec![Action::output(PortNo(out))])],
        );
        FlowEntry::from_spec(&spec, cookie)
    }

    fn table(entries: &[FlowEntry]) -> FlowTable {
        entries.iter().map(|e| (e.key(), e.clone())).collect()
    }

    fn ours(c: Cookie) -> bool {
        c == OURS
    }

    #[test]
    fn identical_tables_need_nothing() {
        let t = table(&[flow(OURS, 1, 2), flow(OURS, 2, 1)]);
        let d = diff(&t, &t, ours);
        assert!(d.is_empty());
        assert!(d.flow_mods().is_empty());
    }

    #[test]
    fn adds_missing_deletes_unwanted_modifies_changed() {
        let desired = table(&[flow(OURS, 1, 2), flow(OURS, 3, 9)]);
        let actual = table(&[flow(OURS, 1, 5), flow(OURS, 2, 1)]);
        let d = diff(&desired, &actual, ours);
        assert_eq!(d.deletes, vec![flow(OURS, 2, 1)]);
        assert_eq!(d.modifies, vec![flow(OURS, 1, 2)]);
        assert_eq!(d.adds, vec![flow(OURS, 3, 9)]);
        let commands: Vec<_> = d.flow_mods().iter().map(|m| m.command).collect();
        assert_eq!(
            commands,
            [
                FlowModCommand::DeleteStrict,
                FlowModCommand::ModifyStrict,
                FlowModCommand::Add
            ]
        );
    }

    #[test]
    fn changed_timeouts_or_generation_overwrite_with_add() {
        let mut want = flow(OURS, 1, 2);
        want.idle_timeout = 30;
        let d = diff(&table(&[want.clone()]), &table(&[flow(OURS, 1, 2)]), ours);
        assert_eq!((d.adds.len(), d.modifies.len(), d.deletes.len()), (1, 0, 0));

        let newer = flow(Cookie(OURS.0 | 1), 1, 2);
        let managed = |c: Cookie| c.0 >> 40 == OURS.0 >> 40;
        let d = diff(
            &table(std::slice::from_ref(&newer)),
            &table(&[flow(OURS, 1, 2)]),
            managed,
        );
        assert_eq!(d.adds, vec![newer]);
        assert!(d.deletes.is_empty());
    }

    #[test]
    fn foreign_flows_are_kept_and_their_keys_are_conflicts() {
        let actual = table(&[flow(FOREIGN, 1, 7), flow(FOREIGN, 4, 4)]);
        let desired = table(&[flow(OURS, 1, 2)]);
        let d = diff(&desired, &actual, ours);
        assert!(d.is_empty());
        assert_eq!(
            d.conflicts,
            vec![Conflict {
                wanted: flow(OURS, 1, 2),
                holder: FOREIGN
            }]
        );
    }

    fn group(id: u32, port: u32) -> GroupEntry {
        GroupEntry {
            id: openflow::GroupId(id),
            group_type: openflow::msg::GroupType::All,
            buckets: vec![openflow::msg::Bucket::new(
                0,
                vec![Action::output(PortNo(port))],
            )],
        }
    }

    fn by_id(entries: &[GroupEntry]) -> BTreeMap<openflow::GroupId, GroupEntry> {
        entries.iter().map(|g| (g.id, g.clone())).collect()
    }

    #[test]
    fn groups_diff_by_id_and_leave_unmanaged_ids_alone() {
        let actual = by_id(&[group(1, 1), group(0x6e10_0001, 1), group(0x6e10_0002, 1)]);
        let desired = by_id(&[
            group(0x6e10_0001, 1),
            group(0x6e10_0002, 2),
            group(0x6e10_0003, 3),
        ]);
        let ours = |id: openflow::GroupId| id.0 >> 16 == 0x6e10;
        let d = diff_by_id(&desired, &actual, ours);
        assert!(d.deletes.is_empty(), "group 1 is not ours");
        assert_eq!(d.modifies, [group(0x6e10_0002, 2)]);
        assert_eq!(d.adds, [group(0x6e10_0003, 3)]);
        let d = diff_by_id(&BTreeMap::new(), &actual, ours);
        assert_eq!(d.deletes, [group(0x6e10_0001, 1), group(0x6e10_0002, 1)]);
        assert!(diff_by_id(&desired, &desired, ours).is_empty());
    }

    #[test]
    fn deletes_are_strict_and_cookie_filtered() {
        let d = diff(&FlowTable::new(), &table(&[flow(OURS, 1, 2)]), ours);
        let mods = d.flow_mods();
        assert_eq!(mods.len(), 1);
        assert_eq!(mods[0].command, FlowModCommand::DeleteStrict);
        assert_eq!((mods[0].cookie, mods[0].cookie_mask), (OURS, u64::MAX));
    }
}
