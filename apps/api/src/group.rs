//! Groups an app wants on a switch, named by app-local ids.

use openflow::msg::{Bucket, GroupType};
use openflow::{Action, GroupId};

use crate::Slice;

/// An app's own name for one of its groups on a switch.
///
/// Wherever an app names a group — in a flow's `group` action, in a bucket's `group` action
/// or `watch_group`, in a packet-out — it writes this id (as `GroupId(id.into())`, which
/// [`action`](LocalGroupId::action) builds). The host maps it into the app's namespace on the
/// wire, so apps never see, choose or collide on wire ids; an id above `u16::MAX` in those
/// places names no group of the app and is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalGroupId(pub u16);

impl LocalGroupId {
    /// The action that hands a packet to this group.
    pub fn action(self) -> Action {
        Action::Group(self.into())
    }

    /// The local id an app wrote as a `GroupId` (`None`: above `u16::MAX`, not a local id).
    pub fn from_written(id: GroupId) -> Option<LocalGroupId> {
        u16::try_from(id.0).ok().map(LocalGroupId)
    }
}

impl From<LocalGroupId> for GroupId {
    /// The id as the app writes it in actions and buckets (before the host maps it).
    fn from(id: LocalGroupId) -> GroupId {
        GroupId(u32::from(id.0))
    }
}

/// One group an app wants on a switch. The host gives it a wire id and sends it as a
/// GROUP_MOD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSpec {
    /// The app's id for it, unique among the app's groups on the switch.
    pub id: LocalGroupId,
    /// All, select, indirect or fast failover.
    pub group_type: GroupType,
    /// Its buckets; `group` actions and `watch_group` in them name the app's groups by
    /// local id.
    pub buckets: Vec<Bucket>,
    /// The part of the app's state it belongs to (see the crate docs on slices).
    pub slice: Slice,
}

impl GroupSpec {
    /// A group in the base slice.
    pub fn new(id: LocalGroupId, group_type: GroupType, buckets: Vec<Bucket>) -> GroupSpec {
        GroupSpec {
            id,
            group_type,
            buckets,
            slice: Slice::Base,
        }
    }

    /// The same group in another slice.
    pub fn in_slice(mut self, slice: Slice) -> GroupSpec {
        self.slice = slice;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_ids_are_written_as_small_group_ids() {
        assert_eq!(LocalGroupId(7).action(), Action::Group(GroupId(7)));
        assert_eq!(
            LocalGroupId::from_written(GroupId(0xffff)),
            Some(LocalGroupId(0xffff))
        );
        assert_eq!(LocalGroupId::from_written(GroupId(0x1_0000)), None);
        assert_eq!(LocalGroupId::from_written(GroupId::ANY), None);
    }
}
