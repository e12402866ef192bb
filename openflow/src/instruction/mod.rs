//! Instructions (`ofp_instruction_*`): the wire form, the `ovs-ofctl` text form, and the
//! instruction list of a flow.
//!
//! Errors use `Ctx::Instruction` (`OFPBIC_BAD_LEN` for a bad length); the actions inside
//! Write-Actions and Apply-Actions keep their own `OFPBAC_*` codes. A list holding two
//! instructions of one type is refused the way Open vSwitch refuses it in OpenFlow 1.3, with
//! the ONF extension error `OFPBIC_DUP_INST` (experimenter `0x4f4e4600`, type 2600), since 1.3
//! itself defines no code for it. Experimenter and unknown instructions are kept byte for byte.

mod ofctl;

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::action::{
    Action, ActionsText, HexBytes, actions_len, c_hex, emit_actions, parse_actions,
};
use crate::errcode::ErrorCode;
use crate::error::{Ctx, DecodeError};
use crate::types::{MeterId, TableId};
use crate::wire::{PResult, Src, Wire, complete_err, fail, in_ctx, pad8, record, take};

pub use ofctl::{parse_ofctl_instructions, parse_ofctl_instructions_for};

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

open_enum! {
    /// `ofp_instruction_type`, named as `ovs-ofctl` names the instruction.
    pub enum InstructionType(u16) {
        /// `OFPIT_GOTO_TABLE`.
        GotoTable = 1 => "goto_table",
        /// `OFPIT_WRITE_METADATA`.
        WriteMetadata = 2 => "write_metadata",
        /// `OFPIT_WRITE_ACTIONS`.
        WriteActions = 3 => "write_actions",
        /// `OFPIT_APPLY_ACTIONS`.
        ApplyActions = 4 => "apply_actions",
        /// `OFPIT_CLEAR_ACTIONS`.
        ClearActions = 5 => "clear_actions",
        /// `OFPIT_METER`.
        Meter = 6 => "meter",
        /// `OFPIT_EXPERIMENTER`.
        Experimenter = 0xffff => "experimenter",
    }
}

/// The ONF experimenter id, under which OpenFlow 1.3 extension errors are reported.
pub const ONF_EXPERIMENTER_ID: u32 = 0x4f4e_4600;

/// The error Open vSwitch reports in OpenFlow 1.3 for a repeated instruction type
/// (`OFPBIC_DUP_INST`, an ONF extension code).
pub const DUP_INST: ErrorCode = ErrorCode::Experimenter {
    exp_type: 2600,
    experimenter: ONF_EXPERIMENTER_ID,
};

const HEADER_LEN: usize = 4;
const MIN_LEN: usize = 8;
const WRITE_METADATA_LEN: usize = 24;

impl Instruction {
    /// The instruction's `ofp_instruction_type`.
    pub fn instruction_type(&self) -> InstructionType {
        match self {
            Instruction::GotoTable(_) => InstructionType::GotoTable,
            Instruction::WriteMetadata { .. } => InstructionType::WriteMetadata,
            Instruction::WriteActions(_) => InstructionType::WriteActions,
            Instruction::ApplyActions(_) => InstructionType::ApplyActions,
            Instruction::ClearActions => InstructionType::ClearActions,
            Instruction::Meter(_) => InstructionType::Meter,
            Instruction::Experimenter { .. } => InstructionType::Experimenter,
            Instruction::Unknown {
                instruction_type, ..
            } => InstructionType::from_raw(*instruction_type),
        }
    }

    /// Where Open vSwitch places the instruction when it prints or reports a flow: meter,
    /// apply-actions, clear-actions, write-actions, write-metadata, goto-table (the order the
    /// spec executes them in), then anything else.
    pub fn print_rank(&self) -> u8 {
        match self {
            Instruction::Meter(_) => 0,
            Instruction::ApplyActions(_) => 1,
            Instruction::ClearActions => 2,
            Instruction::WriteActions(_) => 3,
            Instruction::WriteMetadata { .. } => 4,
            Instruction::GotoTable(_) => 5,
            Instruction::Experimenter { .. } | Instruction::Unknown { .. } => 6,
        }
    }
}

impl Wire for Instruction {
    fn wire_len(&self) -> usize {
        match self {
            Instruction::WriteMetadata { .. } => WRITE_METADATA_LEN,
            Instruction::WriteActions(actions) | Instruction::ApplyActions(actions) => {
                MIN_LEN + actions_len(actions)
            }
            Instruction::Experimenter { data, .. } => pad8(MIN_LEN + data.len()),
            Instruction::Unknown { body, .. } => pad8(HEADER_LEN + body.len()),
            Instruction::GotoTable(_) | Instruction::ClearActions | Instruction::Meter(_) => {
                MIN_LEN
            }
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        let len = self.wire_len();
        out.put_u16(self.instruction_type().raw());
        // An over-long instruction makes its message too long, which `Message::encode` refuses.
        out.put_u16(len as u16);
        match self {
            Instruction::GotoTable(table) => {
                out.put_u8(table.0);
                out.put_bytes(0, 3);
            }
            Instruction::WriteMetadata { metadata, mask } => {
                out.put_bytes(0, 4);
                out.put_u64(*metadata);
                out.put_u64(*mask);
            }
            Instruction::WriteActions(actions) | Instruction::ApplyActions(actions) => {
                out.put_bytes(0, 4);
                emit_actions(actions, out);
            }
            Instruction::ClearActions => out.put_bytes(0, 4),
            Instruction::Meter(meter) => out.put_u32(meter.0),
            Instruction::Experimenter { experimenter, data } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
                out.put_bytes(0, len - MIN_LEN - data.len());
            }
            Instruction::Unknown { body, .. } => {
                out.put_slice(body);
                out.put_bytes(0, len - HEADER_LEN - body.len());
            }
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Instruction, parse_instruction(src, i))
    }
}

fn parse_instruction<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Instruction> {
    let (rest, rec) = record(i, 2, MIN_LEN, Ctx::Instruction)?;
    let len = rec.len();
    if !len.is_multiple_of(8) {
        return fail(DecodeError::bad_len(Ctx::Instruction, len));
    }
    let bad_len = || nom::Err::Failure(DecodeError::bad_len(Ctx::Instruction, len));
    let exact = |want: usize| if len == want { Ok(()) } else { Err(bad_len()) };
    let instruction_type = u16::from_be_bytes([rec[0], rec[1]]);
    // `record` guaranteed MIN_LEN bytes, so `body` holds at least 4.
    let body = &rec[HEADER_LEN..];
    let u32_at = |b: &[u8]| match b {
        [a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => 0,
    };
    let u64_at = |b: &[u8]| match b.get(..8) {
        Some(s) => s.iter().fold(0u64, |v, &x| v << 8 | u64::from(x)),
        None => 0,
    };
    let instruction = match InstructionType::from_raw(instruction_type) {
        InstructionType::GotoTable => {
            exact(MIN_LEN)?;
            Instruction::GotoTable(TableId(body[0]))
        }
        InstructionType::WriteMetadata => {
            exact(WRITE_METADATA_LEN)?;
            Instruction::WriteMetadata {
                metadata: u64_at(&body[4..]),
                mask: u64_at(&body[12..]),
            }
        }
        InstructionType::WriteActions => {
            Instruction::WriteActions(parse_actions(src, &body[4..]).map_err(nom::Err::Failure)?)
        }
        InstructionType::ApplyActions => {
            Instruction::ApplyActions(parse_actions(src, &body[4..]).map_err(nom::Err::Failure)?)
        }
        InstructionType::ClearActions => {
            exact(MIN_LEN)?;
            Instruction::ClearActions
        }
        InstructionType::Meter => {
            exact(MIN_LEN)?;
            Instruction::Meter(MeterId(u32_at(body)))
        }
        InstructionType::Experimenter => Instruction::Experimenter {
            experimenter: u32_at(body),
            data: src.bytes(&body[4..]),
        },
        InstructionType::Unknown(instruction_type) => Instruction::Unknown {
            instruction_type,
            body: src.bytes(body),
        },
    };
    Ok((rest, instruction))
}

/// Parses a flow's instructions until `i` is used up, refusing a repeated instruction type.
pub fn parse_instructions(src: Src<'_>, mut i: &[u8]) -> Result<Vec<Instruction>, DecodeError> {
    let mut out: Vec<Instruction> = Vec::new();
    while !i.is_empty() {
        let (rest, instruction) = complete_err(Instruction::parse(src, i))?;
        let ty = instruction.instruction_type();
        // Experimenter instructions differ by experimenter id and content; only standard
        // types are limited to one each.
        if ty != InstructionType::Experimenter
            && out.iter().any(|other| other.instruction_type() == ty)
        {
            return Err(DecodeError::BadValue {
                field: "instruction type",
                value: ty.raw().into(),
                code: DUP_INST,
            });
        }
        out.push(instruction);
        i = rest;
    }
    Ok(out)
}

/// Parses an instruction list of `len` bytes from the front of `i`; a `len` past the end of
/// `i` is a truncation in the caller's context.
pub fn parse_instruction_list<'a>(
    src: Src<'_>,
    i: &'a [u8],
    len: usize,
) -> PResult<'a, Vec<Instruction>> {
    let (rest, list) = take(i, len)?;
    match parse_instructions(src, list) {
        Ok(instructions) => Ok((rest, instructions)),
        Err(e) => Err(nom::Err::Failure(e)),
    }
}

/// The wire length of an instruction list.
pub fn instructions_len(instructions: &[Instruction]) -> usize {
    instructions.iter().map(Wire::wire_len).sum()
}

/// Appends an instruction list.
pub fn emit_instructions(instructions: &[Instruction], out: &mut BytesMut) {
    for instruction in instructions {
        instruction.emit(out);
    }
}

impl fmt::Display for Instruction {
    /// The instruction as it appears after `actions=`; Apply-Actions shows its actions inline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Instruction::GotoTable(table) => write!(f, "goto_table:{}", table.0),
            Instruction::WriteMetadata { metadata, mask } => {
                write!(f, "write_metadata:{}", c_hex(*metadata))?;
                if *mask != u64::MAX {
                    write!(f, "/{}", c_hex(*mask))?;
                }
                Ok(())
            }
            Instruction::WriteActions(actions) => {
                write!(f, "write_actions({})", ActionsText(actions))
            }
            Instruction::ApplyActions(actions) => ActionsText(actions).fmt(f),
            Instruction::ClearActions => f.write_str("clear_actions"),
            Instruction::Meter(meter) => write!(f, "meter:{}", meter.0),
            Instruction::Experimenter { experimenter, data } => {
                write!(f, "experimenter_instruction(id={}", c_hex(*experimenter))?;
                if !data.is_empty() {
                    write!(f, ",data={}", HexBytes(data))?;
                }
                f.write_str(")")
            }
            Instruction::Unknown {
                instruction_type,
                body,
            } => {
                write!(f, "unknown_instruction(type={instruction_type}")?;
                if !body.is_empty() {
                    write!(f, ",body={}", HexBytes(body))?;
                }
                f.write_str(")")
            }
        }
    }
}

/// A flow's instructions as `ovs-ofctl` prints them after `actions=`: in execution order
/// whatever the wire order, Apply-Actions inline, an empty Apply-Actions left out, and `drop`
/// when nothing remains.
#[derive(Clone, Copy, Debug)]
pub struct InstructionsText<'a>(pub &'a [Instruction]);

impl fmt::Display for InstructionsText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: Vec<&Instruction> = self
            .0
            .iter()
            .filter(|i| !matches!(i, Instruction::ApplyActions(a) if a.is_empty()))
            .collect();
        if shown.is_empty() {
            return f.write_str("drop");
        }
        // A stable sort keeps the wire order among instructions of equal rank.
        shown.sort_by_key(|i| i.print_rank());
        for (n, instruction) in shown.iter().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            instruction.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
