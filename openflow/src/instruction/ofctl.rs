//! Reading a flow's instructions in `ovs-ofctl` syntax: the value of `actions=`.
//!
//! Plain actions form one Apply-Actions instruction. As in Open vSwitch, the items must come
//! in execution order — `meter`, the plain actions, `clear_actions`, `write_actions(…)`,
//! `write_metadata`, `goto_table` — each instruction at most once, and the result lists the
//! instructions in that order, leaving out an Apply-Actions or Write-Actions with no actions.

use super::Instruction;
use crate::action::{
    FlowContext, drop_not_alone, parse_action_item, parse_hex, parse_ofctl_actions_in, raw_args,
};
use crate::oxm::Match;
use crate::text::{SyntaxError, parse_uint, split_items};
use crate::types::{MeterId, TableId};

/// Parses the value of `actions=` in `ovs-ofctl` flow syntax for a flow whose match says
/// nothing about the packet (see [`parse_ofctl_instructions_for`]).
pub fn parse_ofctl_instructions(text: &str) -> Result<Vec<Instruction>, SyntaxError> {
    parse_in(text, FlowContext::default())
}

/// Parses the value of `actions=` for a flow with match `m`, which decides how `mod_vlan_vid`
/// and `mod_tp_src`-style actions translate.
pub fn parse_ofctl_instructions_for(
    text: &str,
    m: &Match,
) -> Result<Vec<Instruction>, SyntaxError> {
    parse_in(text, FlowContext::from_match(m))
}

/// The position of each kind of item in the required order, and its name in errors.
const ORDER: [&str; 7] = [
    "meter",
    "apply_actions",
    "clear_actions",
    "write_actions",
    "write_metadata",
    "goto_table",
    "experimenter_instruction",
];

fn parse_in(text: &str, mut ctx: FlowContext) -> Result<Vec<Instruction>, SyntaxError> {
    let mut meter = None;
    let mut apply = Vec::new();
    let mut clear = false;
    let mut write = Vec::new();
    let mut metadata = None;
    let mut goto = None;
    let mut raw = Vec::new();
    let mut drop = false;
    let mut last: Option<usize> = None;
    for (key, value) in split_items(text, &['=', ':', '('])? {
        let key = key.to_ascii_lowercase();
        let arg = || {
            value
                .filter(|v| !v.is_empty())
                .ok_or_else(|| SyntaxError::new(format!("{key}: missing argument")))
        };
        let rank = match key.as_str() {
            "drop" => {
                drop = true;
                continue;
            }
            "apply_actions" => {
                return Err(SyntaxError::new("apply_actions is the default instruction"));
            }
            "meter" => 0,
            "clear_actions" => 2,
            "write_actions" => 3,
            "write_metadata" => 4,
            "goto_table" => 5,
            "experimenter_instruction" | "unknown_instruction" => 6,
            _ => 1,
        };
        if let Some(last) = last {
            if rank == last && rank != 1 && rank != 6 {
                return Err(SyntaxError::new(format!(
                    "duplicate {} instruction not allowed, for OpenFlow 1.1+ compatibility",
                    ORDER[rank]
                )));
            }
            if rank < last {
                return Err(SyntaxError::new(format!(
                    "invalid instruction ordering: {} must appear before {}, for OpenFlow \
                     1.1+ compatibility",
                    ORDER[rank], ORDER[last]
                )));
            }
        }
        last = Some(rank);
        match key.as_str() {
            "meter" => {
                let id = parse_uint("meter", arg()?, 32)? as u32;
                if id == 0 || id > MeterId::MAX.0 {
                    return Err(SyntaxError::new(format!("meter:{id}: invalid meter id")));
                }
                meter = Some(MeterId(id));
            }
            "clear_actions" => clear = true,
            "write_actions" => {
                // The action set starts from the packet as the applied actions left it.
                write = parse_ofctl_actions_in(value.unwrap_or(""), &mut ctx.clone())?;
            }
            "write_metadata" => {
                let arg = arg()?;
                let (v, m) = match arg.split_once('/') {
                    Some((v, m)) => (v, parse_uint("write_metadata mask", m, 64)?),
                    None => (arg, u64::MAX),
                };
                metadata = Some(Instruction::WriteMetadata {
                    metadata: parse_uint("write_metadata", v, 64)?,
                    mask: m,
                });
            }
            "goto_table" => goto = Some(TableId(parse_uint("goto_table", arg()?, 8)? as u8)),
            "experimenter_instruction" => {
                let (id, data) = raw_args(arg()?, "id", "data")?;
                raw.push(Instruction::Experimenter {
                    experimenter: parse_uint("experimenter id", id, 32)? as u32,
                    data: parse_hex("experimenter data", data)?,
                });
            }
            "unknown_instruction" => {
                let (ty, body) = raw_args(arg()?, "type", "body")?;
                let ty = parse_uint("instruction type", ty, 16)? as u16;
                if let Some(name) = super::InstructionType::from_raw(ty).name() {
                    return Err(SyntaxError::new(format!(
                        "unknown_instruction: type {ty} is {name}, write it as such"
                    )));
                }
                raw.push(Instruction::Unknown {
                    instruction_type: ty,
                    body: parse_hex("instruction body", body)?,
                });
            }
            _ => {
                apply.extend(parse_action_item(&key, value, &mut ctx)?);
            }
        }
    }
    let mut out = Vec::new();
    out.extend(meter.map(Instruction::Meter));
    if !apply.is_empty() {
        out.push(Instruction::ApplyActions(apply));
    }
    if clear {
        out.push(Instruction::ClearActions);
    }
    if !write.is_empty() {
        out.push(Instruction::WriteActions(write));
    }
    out.extend(metadata);
    out.extend(goto.map(Instruction::GotoTable));
    out.extend(raw);
    if drop && last.is_some() {
        return Err(drop_not_alone());
    }
    Ok(out)
}
