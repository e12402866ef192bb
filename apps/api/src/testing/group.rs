//! A fake switch's group table: the app's groups by local id (a simulation runs one app, so
//! its local ids are the switch's ids), and what each group type does with a packet.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use openflow::msg::{Bucket, GroupType};
use openflow::{Action, GroupId, PortNo, TableId};

use super::matcher::PipelinePacket;
use super::table::{Egress, TableError, apply};
use crate::{GroupSpec, LocalGroupId};

/// The groups of one fake switch.
pub type Groups = BTreeMap<LocalGroupId, GroupSpec>;

/// Deepest chain of groups a packet may go through (OpenFlow switches bound it too).
const MAX_DEPTH: usize = 8;

/// The group a `group` action or `watch_group` names, if the switch has it.
pub(crate) fn lookup(groups: &Groups, id: GroupId) -> Result<&GroupSpec, TableError> {
    LocalGroupId::from_written(id)
        .and_then(|local| groups.get(&local))
        .ok_or(TableError::NoSuchGroup(id))
}

/// Checks that every group a bucket names (by action or watch) exists.
pub(crate) fn check_chains(groups: &Groups) -> Result<(), TableError> {
    for g in groups.values() {
        for b in &g.buckets {
            if b.watch_group != GroupId::ANY {
                lookup(groups, b.watch_group)?;
            }
            for a in &b.actions {
                if let Action::Group(id) = a {
                    lookup(groups, *id)?;
                }
            }
        }
    }
    Ok(())
}

/// Runs a packet through group `id`: each bucket's actions on its own copy of the packet, for
/// the buckets the group type picks.
pub(crate) fn run(
    id: GroupId,
    pp: &PipelinePacket,
    table: TableId,
    ports: &[PortNo],
    groups: &Groups,
    depth: usize,
    out: &mut Vec<Egress>,
) -> Result<(), TableError> {
    if depth >= MAX_DEPTH {
        return Err(TableError::Unsupported(format!(
            "group chain deeper than {MAX_DEPTH}"
        )));
    }
    let group = lookup(groups, id)?;
    let live = |b: &&Bucket| {
        let port_up = b.watch_port == PortNo::ANY || ports.contains(&b.watch_port);
        let group_there = b.watch_group == GroupId::ANY || lookup(groups, b.watch_group).is_ok();
        port_up && group_there
    };
    let chosen: Vec<&Bucket> = match group.group_type {
        GroupType::All => group.buckets.iter().collect(),
        GroupType::Indirect => group.buckets.first().into_iter().collect(),
        GroupType::Ff => group.buckets.iter().find(live).into_iter().collect(),
        GroupType::Select => select(&group.buckets, pp).into_iter().collect(),
        other => {
            return Err(TableError::Unsupported(format!("group type {other:?}")));
        }
    };
    for bucket in chosen {
        let mut copy = pp.clone();
        apply(
            &bucket.actions,
            &mut copy,
            table,
            ports,
            groups,
            depth + 1,
            out,
        )?;
    }
    Ok(())
}

/// The bucket a select group uses for this packet: a hash of its headers, spread over the
/// buckets by weight, so one flow of packets always takes the same bucket.
fn select<'a>(buckets: &'a [Bucket], pp: &PipelinePacket) -> Option<&'a Bucket> {
    let total: u64 = buckets.iter().map(|b| u64::from(b.weight)).sum();
    if total == 0 {
        return None;
    }
    let mut h = DefaultHasher::new();
    pp.packet.hash(&mut h);
    let mut at = h.finish() % total;
    for b in buckets {
        let w = u64::from(b.weight);
        if at < w {
            return Some(b);
        }
        at -= w;
    }
    None
}
