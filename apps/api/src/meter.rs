//! Meters an app wants on a switch, named by app-local ids.

use openflow::msg::{MeterBand, MeterFlags};
use openflow::{Instruction, MeterId};

use crate::Slice;

/// An app's own name for one of its meters on a switch.
///
/// A flow's `meter` instruction names the meter by this id (as `MeterId(id.into())`, which
/// [`instruction`](LocalMeterId::instruction) builds); the host maps it into the app's
/// namespace on the wire. An id above `u16::MAX` names no meter of the app and is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalMeterId(pub u16);

impl LocalMeterId {
    /// The instruction that runs a flow's packets through this meter.
    pub fn instruction(self) -> Instruction {
        Instruction::Meter(self.into())
    }

    /// The local id an app wrote as a `MeterId` (`None`: above `u16::MAX`, not a local id).
    pub fn from_written(id: MeterId) -> Option<LocalMeterId> {
        u16::try_from(id.0).ok().map(LocalMeterId)
    }
}

impl From<LocalMeterId> for MeterId {
    /// The id as the app writes it in a meter instruction (before the host maps it).
    fn from(id: LocalMeterId) -> MeterId {
        MeterId(u32::from(id.0))
    }
}

/// One meter an app wants on a switch. The host gives it a wire id and sends it as a
/// METER_MOD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterSpec {
    /// The app's id for it, unique among the app's meters on the switch.
    pub id: LocalMeterId,
    /// Rate unit (`KBPS` or `PKTPS`), `BURST`, `STATS`.
    pub flags: MeterFlags,
    /// Its bands.
    pub bands: Vec<MeterBand>,
    /// The part of the app's state it belongs to (see the crate docs on slices).
    pub slice: Slice,
}

impl MeterSpec {
    /// A meter in the base slice.
    pub fn new(id: LocalMeterId, flags: MeterFlags, bands: Vec<MeterBand>) -> MeterSpec {
        MeterSpec {
            id,
            flags,
            bands,
            slice: Slice::Base,
        }
    }

    /// The same meter in another slice.
    pub fn in_slice(mut self, slice: Slice) -> MeterSpec {
        self.slice = slice;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_ids_are_written_as_small_meter_ids() {
        assert_eq!(
            LocalMeterId(3).instruction(),
            Instruction::Meter(MeterId(3))
        );
        assert_eq!(LocalMeterId::from_written(MeterId(0x1_0000)), None);
        assert_eq!(
            LocalMeterId::from_written(MeterId(1)),
            Some(LocalMeterId(1))
        );
    }
}
