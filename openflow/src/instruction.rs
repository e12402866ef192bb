//! Instructions (`ofp_instruction_*`).
//!
//! SHAPE ONLY: the actions helper fills in parse, emit, Display and text parsing.

use core::fmt;

use bytes::{Bytes, BytesMut};

use crate::action::Action;
use crate::types::{MeterId, TableId};
use crate::wire::{PResult, Src, Wire};

/// One OpenFlow 1.3 instruction.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Instruction {
    /// `OFPIT_GOTO_TABLE`: continue in a later table.
    GotoTable(TableId),
    /// `OFPIT_WRITE_METADATA`: set the metadata bits under `mask`.
    WriteMetadata {
        /// Metadata value.
        metadata: u64,
        /// Which bits to write.
        mask: u64,
    },
    /// `OFPIT_WRITE_ACTIONS`: merge actions into the action set.
    WriteActions(Vec<Action>),
    /// `OFPIT_APPLY_ACTIONS`: apply actions immediately.
    ApplyActions(Vec<Action>),
    /// `OFPIT_CLEAR_ACTIONS`: clear the action set.
    ClearActions,
    /// `OFPIT_METER`: send the packet through a meter.
    Meter(MeterId),
    /// `OFPIT_EXPERIMENTER`: kept byte for byte after the experimenter id.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// The bytes after the experimenter id.
        data: Bytes,
    },
    /// An instruction type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw instruction type.
        instruction_type: u16,
        /// The bytes after the type and length fields.
        body: Bytes,
    },
}

impl Wire for Instruction {
    fn wire_len(&self) -> usize {
        todo!("actions helper")
    }
    fn emit(&self, _out: &mut BytesMut) {
        todo!("actions helper")
    }
    fn parse<'a>(_src: Src<'_>, _i: &'a [u8]) -> PResult<'a, Self> {
        todo!("actions helper")
    }
}

impl fmt::Display for Instruction {
    fn fmt(&self, _f: &mut fmt::Formatter<'_>) -> fmt::Result {
        todo!("actions helper")
    }
}
