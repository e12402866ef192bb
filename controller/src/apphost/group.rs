//! Groups as the app host handles them: an entry per group id, compared as a switch reports
//! it, and the GROUP_MODs that add, modify and delete it.
//!
//! Open vSwitch reports a group exactly as it was given, bucket for bucket and action for
//! action. What it could have normalised it refuses instead: a bucket weight outside a
//! select group (`OFPGMFC_INVALID_GROUP`), a watch outside a fast-failover group
//! (`OFPGMFC_WATCH_UNSUPPORTED`). So the comparison is plain equality.

use openflow::GroupId;
use openflow::msg::{Bucket, GroupDesc, GroupMod, GroupModCommand, GroupType};

/// One group as the host handles it: its wire id, type and buckets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupEntry {
    /// The wire id (in an owner's namespace for ours).
    pub id: GroupId,
    /// All, select, indirect or fast failover.
    pub group_type: GroupType,
    /// The buckets as given (sent as is).
    pub buckets: Vec<Bucket>,
}

impl GroupEntry {
    /// A group as a switch reported it in a group-description reply.
    pub fn from_desc(desc: &GroupDesc) -> GroupEntry {
        GroupEntry {
            id: desc.group_id,
            group_type: desc.group_type,
            buckets: desc.buckets.clone(),
        }
    }

    /// True if the switch would report both groups the same way.
    pub fn same_as(&self, other: &GroupEntry) -> bool {
        self == other
    }

    /// A GROUP_MOD that applies `command` to this group; a delete carries no buckets.
    pub fn group_mod(&self, command: GroupModCommand) -> GroupMod {
        GroupMod {
            command,
            group_type: self.group_type,
            group_id: self.id,
            buckets: if command == GroupModCommand::Delete {
                Vec::new()
            } else {
                self.buckets.clone()
            },
        }
    }

    /// The group a GROUP_MOD adds or modifies (or names, for a delete).
    pub fn from_mod(group_mod: &GroupMod) -> GroupEntry {
        GroupEntry {
            id: group_mod.group_id,
            group_type: group_mod.group_type,
            buckets: group_mod.buckets.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::{Action, PortNo};

    fn group(group_type: GroupType, weight: u16) -> GroupEntry {
        GroupEntry {
            id: GroupId(0x6e10_0001),
            group_type,
            buckets: vec![
                Bucket::new(weight, vec![Action::output(PortNo(1))]),
                Bucket::new(weight, vec![Action::output(PortNo(2))]),
            ],
        }
    }

    #[test]
    fn type_and_weights_count() {
        assert!(!group(GroupType::Select, 1).same_as(&group(GroupType::Select, 2)));
        assert!(!group(GroupType::Select, 0).same_as(&group(GroupType::All, 0)));
        assert!(group(GroupType::Select, 1).same_as(&group(GroupType::Select, 1)));
    }

    #[test]
    fn bucket_order_and_actions_count() {
        let a = group(GroupType::All, 0);
        let mut b = a.clone();
        b.buckets.reverse();
        assert!(!a.same_as(&b));
        b.buckets.pop();
        assert!(!a.same_as(&b));
    }

    #[test]
    fn deletes_carry_no_buckets() {
        let g = group(GroupType::Select, 3);
        let del = g.group_mod(GroupModCommand::Delete);
        assert!(del.buckets.is_empty());
        assert_eq!(del.group_id, g.id);
        assert_eq!(g.group_mod(GroupModCommand::Add).buckets, g.buckets);
        assert_eq!(
            GroupEntry::from_mod(&g.group_mod(GroupModCommand::Modify)),
            g
        );
    }
}
