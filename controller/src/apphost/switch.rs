//! What the app host knows of one switch: the flows, groups and meters it pushed there, by
//! app and slice, and what it holds back.

use std::collections::{BTreeMap, HashMap};

use navarch_app::Slice;
use openflow::{Action, Cookie, GroupId, Instruction, MeterId};

use super::canon::{CanonicalKey, FlowEntry};
use super::group::GroupEntry;
use super::meter::MeterEntry;

/// One entry of an app's on a switch (a flow, group or meter), with where it came from.
#[derive(Clone, Debug)]
pub(super) struct Owned<E> {
    /// The entry as sent.
    pub entry: E,
    /// The app's registration index.
    pub app: usize,
    /// The slice it belongs to.
    pub slice: Slice,
}

/// An app and one of its slices.
pub(super) type Part = (usize, Slice);

/// The keys of what one (app, slice) installed. May name entries since removed or now held by
/// another slice: readers check the owner.
#[derive(Clone, Debug, Default)]
pub(super) struct SliceKeys {
    pub flows: Vec<CanonicalKey>,
    pub groups: Vec<GroupId>,
    pub meters: Vec<MeterId>,
}

/// Flows, groups and meters by key.
#[derive(Debug, Default)]
pub(super) struct Entries {
    pub flows: BTreeMap<CanonicalKey, Owned<FlowEntry>>,
    pub groups: BTreeMap<GroupId, Owned<GroupEntry>>,
    pub meters: BTreeMap<MeterId, Owned<MeterEntry>>,
}

/// What the host knows of one switch.
#[derive(Debug, Default)]
pub(super) struct SwitchState {
    /// Ours as we last pushed them (or found them at reconciliation).
    pub installed: Entries,
    /// What each (app, slice) installed.
    pub slices: HashMap<Part, SliceKeys>,
    /// Flows not installed, as the app wanted them: the switch refused them, or a group or
    /// meter they name is held back. Not sent again while the app wants the same, until that
    /// group or meter is sent.
    pub failed: BTreeMap<CanonicalKey, Owned<FlowEntry>>,
    /// Groups held back as the app wanted them: the switch refused them or has no group
    /// table. Not sent again while the app wants the same.
    pub failed_groups: BTreeMap<GroupId, GroupEntry>,
    /// Meters held back likewise.
    pub failed_meters: BTreeMap<MeterId, MeterEntry>,
    /// Keys a flow we do not manage held at reconciliation: never written until the next one.
    pub conflicted: BTreeMap<CanonicalKey, Cookie>,
    /// The switch has no group table (it refused to describe its groups).
    pub no_groups: bool,
    /// The switch has no meter table (it refused to describe its meters).
    pub no_meters: bool,
}

impl SwitchState {
    /// A switch that has group and meter tables as given.
    pub fn new(groups: bool, meters: bool) -> SwitchState {
        SwitchState {
            no_groups: !groups,
            no_meters: !meters,
            ..SwitchState::default()
        }
    }

    /// Records `wanted` as installed, under its app and slice.
    pub fn record(&mut self, wanted: Entries) {
        for (key, f) in wanted.flows {
            self.part(&f).flows.push(key.clone());
            self.installed.flows.insert(key, f);
        }
        for (id, g) in wanted.groups {
            self.part(&g).groups.push(id);
            self.installed.groups.insert(id, g);
        }
        for (id, m) in wanted.meters {
            self.part(&m).meters.push(id);
            self.installed.meters.insert(id, m);
        }
    }

    fn part<E>(&mut self, owned: &Owned<E>) -> &mut SliceKeys {
        self.slices
            .entry((owned.app, owned.slice.clone()))
            .or_default()
    }

    /// Takes out everything `parts` installed.
    pub fn take(&mut self, parts: &[Part]) -> Entries {
        let mut taken = Entries::default();
        for part in parts {
            let keys = self.slices.remove(part).unwrap_or_default();
            take_owned(
                &mut self.installed.flows,
                keys.flows,
                part,
                &mut taken.flows,
            );
            take_owned(
                &mut self.installed.groups,
                keys.groups,
                part,
                &mut taken.groups,
            );
            take_owned(
                &mut self.installed.meters,
                keys.meters,
                part,
                &mut taken.meters,
            );
        }
        taken
    }

    /// Every (app, slice) of app `index` that installed something.
    pub fn parts_of(&self, index: usize) -> Vec<Part> {
        self.slices
            .keys()
            .filter(|(i, _)| *i == index)
            .cloned()
            .collect()
    }

    /// Takes out the installed flows that name any of these groups or meters.
    pub fn take_flows_naming(
        &mut self,
        groups: &[GroupId],
        meters: &[MeterId],
    ) -> Vec<(Named, Owned<FlowEntry>)> {
        take_naming(&mut self.installed.flows, groups, meters)
    }

    /// Takes out the failed flows that name any of these groups or meters.
    pub fn take_failed_naming(
        &mut self,
        groups: &[GroupId],
        meters: &[MeterId],
    ) -> Vec<(Named, Owned<FlowEntry>)> {
        take_naming(&mut self.failed, groups, meters)
    }
}

/// Moves the entries at `keys` that `part` still owns from `from` to `into`.
fn take_owned<K: Ord + Clone, E>(
    from: &mut BTreeMap<K, Owned<E>>,
    keys: Vec<K>,
    part: &Part,
    into: &mut BTreeMap<K, Owned<E>>,
) {
    for key in keys {
        let owned = from
            .get(&key)
            .is_some_and(|o| (o.app, &o.slice) == (part.0, &part.1));
        if owned && let Some(o) = from.remove(&key) {
            into.insert(key, o);
        }
    }
}

/// Takes out of `flows` those that name any of these groups or meters, with the first each
/// names.
fn take_naming(
    flows: &mut BTreeMap<CanonicalKey, Owned<FlowEntry>>,
    groups: &[GroupId],
    meters: &[MeterId],
) -> Vec<(Named, Owned<FlowEntry>)> {
    if groups.is_empty() && meters.is_empty() {
        return Vec::new();
    }
    let hits: Vec<(CanonicalKey, Named)> = flows
        .iter()
        .filter_map(|(k, f)| {
            first_named(&f.entry.instructions, groups, meters).map(|n| (k.clone(), n))
        })
        .collect();
    hits.into_iter()
        .filter_map(|(k, n)| flows.remove(&k).map(|f| (n, f)))
        .collect()
}

/// A group or meter a flow names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Named {
    /// A group.
    Group(GroupId),
    /// A meter.
    Meter(MeterId),
}

/// The first of these groups or meters the instructions name.
fn first_named(
    instructions: &[Instruction],
    groups: &[GroupId],
    meters: &[MeterId],
) -> Option<Named> {
    instructions.iter().find_map(|i| match i {
        Instruction::Meter(m) if meters.contains(m) => Some(Named::Meter(*m)),
        Instruction::ApplyActions(a) | Instruction::WriteActions(a) => {
            a.iter().find_map(|a| match a {
                Action::Group(g) if groups.contains(g) => Some(Named::Group(*g)),
                _ => None,
            })
        }
        _ => None,
    })
}
