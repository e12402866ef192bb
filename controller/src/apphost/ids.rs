//! The group and meter id layout: who owns a group or meter, read from its id alone.
//!
//! ```text
//!  31           24 23           16 15                             0
//! +---------------+---------------+--------------------------------+
//! |  magic 0x6e   |     owner     |          app-local id          |
//! |     ("n")     |               |                                |
//! +---------------+---------------+--------------------------------+
//! ```
//!
//! * **magic** marks an id navarch chose. A group or meter whose id lacks it (the small ids
//!   operators and most controllers use, ids an `ovs-ofctl add-group` made) is foreign:
//!   reconciliation never modifies or deletes it.
//! * **owner** is the owner byte of the flow cookie ([`Owner::byte`]): the core 0x00, the
//!   operator 0x01 (never reconciled), the app at registration index `i` 0x10 + `i`. An
//!   unused owner byte makes the id foreign, as does an app no longer registered.
//! * **app-local id** is the app's [`LocalGroupId`] or [`LocalMeterId`].
//!
//! Groups and meters share the layout. Every id in it lies in `0x6e00_0000..=0x6eff_ffff`:
//! below `OFPG_MAX` (0xffff_ff00) and `OFPM_MAX` (0xffff_0000), never 0 (an invalid meter),
//! never a reserved id. Open vSwitch takes any such id (its meter limit counts meters, not
//! ids).
//!
//! # Apps name groups and meters by local id; the host maps them
//!
//! An app writes its local ids wherever it names a group or meter: flows' `group` actions
//! and `meter` instructions, buckets' `group` actions and `watch_group`, packet-outs. The
//! host maps each into the app's namespace here ([`map_instructions`], [`map_buckets`],
//! [`map_actions`]) rather than have apps compute wire ids, because:
//!
//! * an app's flows stay a pure function of its state and the view, independent of its
//!   registration index — the same in the simulation, in unit tests and in any host;
//! * an app cannot name another owner's group or meter, by mistake or otherwise: every id
//!   it writes lands in its own namespace, and one that is not a local id is refused;
//! * the mapping is one pass over actions the host already copies.

use navarch_app::{LocalGroupId, LocalMeterId};
use openflow::msg::Bucket;
use openflow::{Action, GroupId, Instruction, MeterId};

use super::cookie::Owner;

/// The magic in bits 31..24 of every group and meter id navarch chooses.
pub const MAGIC: u8 = 0x6e;

/// Bits 31..24 of an id.
const MAGIC_SHIFT: u32 = 24;
/// Bits 23..16 of an id.
const OWNER_SHIFT: u32 = 16;

/// A decoded navarch group or meter id: owner and app-local id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnedId {
    /// Who owns the group or meter.
    pub owner: Owner,
    /// The owner's own id for it.
    pub local: u16,
}

impl OwnedId {
    /// The id `local` of `owner`.
    pub fn new(owner: Owner, local: u16) -> OwnedId {
        OwnedId { owner, local }
    }

    /// The id as a switch stores it.
    pub fn encode(self) -> u32 {
        (u32::from(MAGIC) << MAGIC_SHIFT)
            | (u32::from(self.owner.byte()) << OWNER_SHIFT)
            | u32::from(self.local)
    }

    /// The owner and local id of a raw id, or `None` when navarch did not choose it.
    pub fn decode(raw: u32) -> Option<OwnedId> {
        if (raw >> MAGIC_SHIFT) as u8 != MAGIC {
            return None;
        }
        let owner = Owner::from_byte((raw >> OWNER_SHIFT) as u8)?;
        Some(OwnedId {
            owner,
            local: raw as u16,
        })
    }

    /// As a group id.
    pub fn group(self) -> GroupId {
        GroupId(self.encode())
    }

    /// As a meter id.
    pub fn meter(self) -> MeterId {
        MeterId(self.encode())
    }
}

/// The wire id of `owner`'s group `local`.
pub fn group_id(owner: Owner, local: LocalGroupId) -> GroupId {
    OwnedId::new(owner, local.0).group()
}

/// The wire id of `owner`'s meter `local`.
pub fn meter_id(owner: Owner, local: LocalMeterId) -> MeterId {
    OwnedId::new(owner, local.0).meter()
}

/// A reference an app wrote that is not one of its local ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadRef {
    /// A `group` action or `watch_group` naming this id.
    Group(GroupId),
    /// A `meter` instruction naming this id.
    Meter(MeterId),
}

/// The groups and meters something names, by wire id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refs {
    /// Groups named.
    pub groups: Vec<GroupId>,
    /// Meters named.
    pub meters: Vec<MeterId>,
}

impl Refs {
    /// True when nothing is named.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.meters.is_empty()
    }
}

/// Maps the local ids in an app's instructions into `owner`'s namespace, in place, and adds
/// what they name to `refs`.
pub fn map_instructions(
    owner: Owner,
    instructions: &mut [Instruction],
    refs: &mut Refs,
) -> Result<(), BadRef> {
    for ins in instructions {
        match ins {
            Instruction::ApplyActions(actions) | Instruction::WriteActions(actions) => {
                map_actions(owner, actions, refs)?;
            }
            Instruction::Meter(id) => {
                let local = LocalMeterId::from_written(*id).ok_or(BadRef::Meter(*id))?;
                *id = meter_id(owner, local);
                refs.meters.push(*id);
            }
            _ => {}
        }
    }
    Ok(())
}

/// Maps the local ids in an app's actions into `owner`'s namespace, in place, and adds the
/// groups they name to `refs`.
pub fn map_actions(owner: Owner, actions: &mut [Action], refs: &mut Refs) -> Result<(), BadRef> {
    for action in actions {
        if let Action::Group(id) = action {
            *id = map_group(owner, *id)?;
            refs.groups.push(*id);
        }
    }
    Ok(())
}

/// Maps the local ids in an app's buckets (`group` actions, `watch_group`) into `owner`'s
/// namespace, in place, and adds the groups they name to `refs`.
pub fn map_buckets(owner: Owner, buckets: &mut [Bucket], refs: &mut Refs) -> Result<(), BadRef> {
    for bucket in buckets {
        if bucket.watch_group != GroupId::ANY {
            bucket.watch_group = map_group(owner, bucket.watch_group)?;
            refs.groups.push(bucket.watch_group);
        }
        map_actions(owner, &mut bucket.actions, refs)?;
    }
    Ok(())
}

fn map_group(owner: Owner, written: GroupId) -> Result<GroupId, BadRef> {
    let local = LocalGroupId::from_written(written).ok_or(BadRef::Group(written))?;
    Ok(group_id(owner, local))
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::PortNo;

    #[test]
    fn layout_is_magic_owner_local() {
        assert_eq!(OwnedId::new(Owner::App(2), 0xbeef).encode(), 0x6e12_beef);
        assert_eq!(OwnedId::new(Owner::Core, 0).encode(), 0x6e00_0000);
        assert_eq!(OwnedId::new(Owner::Operator, 7).encode(), 0x6e01_0007);
        assert_eq!(
            group_id(Owner::App(0), LocalGroupId(1)),
            GroupId(0x6e10_0001)
        );
        assert_eq!(
            meter_id(Owner::App(239), LocalMeterId(u16::MAX)),
            MeterId(0x6eff_ffff)
        );
    }

    #[test]
    fn every_id_is_a_usable_group_and_meter_number() {
        for owner in [Owner::Core, Owner::Operator, Owner::App(0), Owner::App(239)] {
            for local in [0, 1, u16::MAX] {
                let id = OwnedId::new(owner, local);
                assert!(id.group() <= GroupId::MAX);
                assert!(id.meter() <= MeterId::MAX);
                assert_ne!(id.meter(), MeterId(0));
                assert_eq!(OwnedId::decode(id.encode()), Some(id));
            }
        }
    }

    #[test]
    fn ids_outside_the_layout_are_foreign() {
        assert_eq!(OwnedId::decode(1), None);
        assert_eq!(OwnedId::decode(GroupId::ALL.0), None);
        assert_eq!(OwnedId::decode(GroupId::ANY.0), None);
        // Right magic, unused owner byte.
        assert_eq!(OwnedId::decode(0x6e05_0001), None);
        assert_eq!(OwnedId::decode(0x6f10_0001), None);
    }

    #[test]
    fn local_references_map_into_the_owners_namespace() {
        let owner = Owner::App(1);
        let mut refs = Refs::default();
        let mut ins = vec![
            LocalMeterId(3).instruction(),
            Instruction::ApplyActions(vec![Action::output(PortNo(1)), LocalGroupId(4).action()]),
            Instruction::WriteActions(vec![LocalGroupId(5).action()]),
        ];
        map_instructions(owner, &mut ins, &mut refs).expect("local ids");
        assert_eq!(ins[0], Instruction::Meter(MeterId(0x6e11_0003)));
        assert_eq!(
            ins[1],
            Instruction::ApplyActions(vec![
                Action::output(PortNo(1)),
                Action::Group(GroupId(0x6e11_0004))
            ])
        );
        assert_eq!(refs.groups, [GroupId(0x6e11_0004), GroupId(0x6e11_0005)]);
        assert_eq!(refs.meters, [MeterId(0x6e11_0003)]);

        let mut buckets = vec![Bucket {
            watch_group: GroupId(9),
            ..Bucket::new(0, vec![LocalGroupId(8).action()])
        }];
        let mut refs = Refs::default();
        map_buckets(owner, &mut buckets, &mut refs).expect("local ids");
        assert_eq!(buckets[0].watch_group, GroupId(0x6e11_0009));
        assert_eq!(buckets[0].actions, [Action::Group(GroupId(0x6e11_0008))]);
        assert_eq!(refs.groups.len(), 2);
    }

    #[test]
    fn ids_that_are_not_local_are_refused() {
        let mut refs = Refs::default();
        let mut ins = vec![Instruction::Meter(MeterId(0x1_0000))];
        assert_eq!(
            map_instructions(Owner::App(0), &mut ins, &mut refs),
            Err(BadRef::Meter(MeterId(0x1_0000)))
        );
        let mut actions = vec![Action::Group(GroupId(0x6e10_0001))];
        assert_eq!(
            map_actions(Owner::App(0), &mut actions, &mut refs),
            Err(BadRef::Group(GroupId(0x6e10_0001)))
        );
        // ANY in watch_group means "no watch" and stays.
        let mut buckets = vec![Bucket::new(0, vec![])];
        map_buckets(Owner::App(0), &mut buckets, &mut refs).expect("no references");
        assert_eq!(buckets[0].watch_group, GroupId::ANY);
    }
}
