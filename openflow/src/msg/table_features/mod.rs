//! `OFPMP_TABLE_FEATURES` records (`ofp_table_features`) and their properties.
//!
//! Every OpenFlow 1.3 property type is decoded; experimenter and unknown properties are kept
//! raw. Each property is padded to 8 bytes on the wire, the padding not counted in its length.
//! The `ovs-ofctl` text lives in [`ovs_text`], since it needs Open vSwitch's own tables of
//! field, action and instruction names.

mod fields;
mod names;
mod ovs_text;

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{Ctx, DecodeError};
use crate::types::TableId;
use crate::wire::{
    PResult, Src, Wire, fail, fixed_str, in_ctx, pad8, put_fixed_str, skip, u8_, u32_, u64_,
};

pub use ovs_text::TableFeaturesList;
pub(crate) use ovs_text::fmt_action_bitmap;

/// Length of `ofp_table_features` without its properties.
const TABLE_FEATURES_LEN: usize = 64;
/// Length of the table name field.
pub(crate) const MAX_TABLE_NAME_LEN: usize = 32;
/// Length of a property header (type and length).
const PROP_HEADER_LEN: usize = 4;
/// `OFPIT_EXPERIMENTER` / `OFPAT_EXPERIMENTER`: the id type that carries an experimenter id.
const ID_EXPERIMENTER: u16 = 0xffff;
/// `OFPXMC_EXPERIMENTER`: the OXM class whose headers are followed by an experimenter id.
const OXM_CLASS_EXPERIMENTER: u16 = 0xffff;

open_enum! {
    /// `ofp_table_feature_prop_type`.
    pub enum TableFeaturePropType(u16) {
        /// Instructions property.
        Instructions = 0 => "instructions",
        /// Instructions for table-miss.
        InstructionsMiss = 1 => "instructions_miss",
        /// Next Table property.
        NextTables = 2 => "next_tables",
        /// Next Table for table-miss.
        NextTablesMiss = 3 => "next_tables_miss",
        /// Write Actions property.
        WriteActions = 4 => "write_actions",
        /// Write Actions for table-miss.
        WriteActionsMiss = 5 => "write_actions_miss",
        /// Apply Actions property.
        ApplyActions = 6 => "apply_actions",
        /// Apply Actions for table-miss.
        ApplyActionsMiss = 7 => "apply_actions_miss",
        /// Match property.
        Match = 8 => "match",
        /// Wildcards property.
        Wildcards = 10 => "wildcards",
        /// Write Set-Field property.
        WriteSetfield = 12 => "write_setfield",
        /// Write Set-Field for table-miss.
        WriteSetfieldMiss = 13 => "write_setfield_miss",
        /// Apply Set-Field property.
        ApplySetfield = 14 => "apply_setfield",
        /// Apply Set-Field for table-miss.
        ApplySetfieldMiss = 15 => "apply_setfield_miss",
        /// Experimenter property.
        Experimenter = 0xfffe => "experimenter",
        /// Experimenter for table-miss.
        ExperimenterMiss = 0xffff => "experimenter_miss",
    }
}

/// An instruction or action id in a table-features property (`ofp_instruction_id`,
/// `ofp_action_id`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FeatureId {
    /// A standard id: just its type (4 bytes on the wire).
    Type(u16),
    /// An experimenter id (type `0xffff`): its experimenter and any bytes after it.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// The bytes after the experimenter id.
        data: Bytes,
    },
    /// An id whose length does not fit its type, kept byte for byte.
    Raw {
        /// The raw type.
        id_type: u16,
        /// The bytes after the type and length fields.
        body: Bytes,
    },
}

/// An instruction id (`ofp_instruction_id`).
pub type InstructionId = FeatureId;
/// An action id (`ofp_action_id`).
pub type ActionId = FeatureId;

impl FeatureId {
    /// The raw instruction or action type.
    pub fn id_type(&self) -> u16 {
        match self {
            FeatureId::Type(t) | FeatureId::Raw { id_type: t, .. } => *t,
            FeatureId::Experimenter { .. } => ID_EXPERIMENTER,
        }
    }
}

impl Wire for FeatureId {
    fn wire_len(&self) -> usize {
        match self {
            FeatureId::Type(_) => 4,
            FeatureId::Experimenter { data, .. } => 8 + data.len(),
            FeatureId::Raw { body, .. } => 4 + body.len(),
        }
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.id_type());
        out.put_u16(self.wire_len() as u16);
        match self {
            FeatureId::Type(_) => {}
            FeatureId::Experimenter { experimenter, data } => {
                out.put_u32(*experimenter);
                out.put_slice(data);
            }
            FeatureId::Raw { body, .. } => out.put_slice(body),
        }
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        if i.len() < 4 {
            return fail(DecodeError::Truncated { ctx: None });
        }
        let id_type = u16::from_be_bytes([i[0], i[1]]);
        let len = u16::from_be_bytes([i[2], i[3]]) as usize;
        if len < 4 || len > i.len() {
            return fail(DecodeError::BadLen { ctx: None, len });
        }
        let (rec, rest) = i.split_at(len);
        let id = match (id_type, len) {
            (ID_EXPERIMENTER, 8..) => FeatureId::Experimenter {
                experimenter: u32::from_be_bytes([rec[4], rec[5], rec[6], rec[7]]),
                data: src.bytes(&rec[8..]),
            },
            (_, 4) => FeatureId::Type(id_type),
            _ => FeatureId::Raw {
                id_type,
                body: src.bytes(&rec[4..]),
            },
        };
        Ok((rest, id))
    }
}

/// An OXM id in a table-features property: a 32-bit OXM header, followed by an experimenter
/// id when its class is `OFPXMC_EXPERIMENTER`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OxmId {
    /// The OXM header (class, field, has-mask bit, payload length).
    pub header: u32,
    /// The experimenter id, present exactly when the class is `0xffff`.
    pub experimenter: Option<u32>,
}

impl OxmId {
    /// An OXM id for a standard header.
    pub const fn new(header: u32) -> OxmId {
        OxmId {
            header,
            experimenter: None,
        }
    }

    /// The OXM class.
    pub const fn class(&self) -> u16 {
        (self.header >> 16) as u16
    }
}

impl Wire for OxmId {
    fn wire_len(&self) -> usize {
        if self.experimenter.is_some() { 8 } else { 4 }
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.header);
        if let Some(e) = self.experimenter {
            out.put_u32(e);
        }
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, header) = u32_(i)?;
        if (header >> 16) as u16 == OXM_CLASS_EXPERIMENTER {
            let (i, e) = u32_(i)?;
            return Ok((
                i,
                OxmId {
                    header,
                    experimenter: Some(e),
                },
            ));
        }
        Ok((i, OxmId::new(header)))
    }
}

/// One table-features property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableFeatureProp {
    /// `OFPTFPT_INSTRUCTIONS`: instructions usable in flows of the table.
    Instructions(Vec<InstructionId>),
    /// `OFPTFPT_INSTRUCTIONS_MISS`: instructions usable in the table-miss flow.
    InstructionsMiss(Vec<InstructionId>),
    /// `OFPTFPT_NEXT_TABLES`: tables a `goto_table` may name.
    NextTables(Vec<TableId>),
    /// `OFPTFPT_NEXT_TABLES_MISS`: tables the table-miss flow's `goto_table` may name.
    NextTablesMiss(Vec<TableId>),
    /// `OFPTFPT_WRITE_ACTIONS`: actions usable in `write_actions`.
    WriteActions(Vec<ActionId>),
    /// `OFPTFPT_WRITE_ACTIONS_MISS`: the same for the table-miss flow.
    WriteActionsMiss(Vec<ActionId>),
    /// `OFPTFPT_APPLY_ACTIONS`: actions usable in `apply_actions`.
    ApplyActions(Vec<ActionId>),
    /// `OFPTFPT_APPLY_ACTIONS_MISS`: the same for the table-miss flow.
    ApplyActionsMiss(Vec<ActionId>),
    /// `OFPTFPT_MATCH`: fields the table can match (masked headers: maskable fields).
    Match(Vec<OxmId>),
    /// `OFPTFPT_WILDCARDS`: fields the table can wildcard.
    Wildcards(Vec<OxmId>),
    /// `OFPTFPT_WRITE_SETFIELD`: fields `set_field` can write in `write_actions`.
    WriteSetfield(Vec<OxmId>),
    /// `OFPTFPT_WRITE_SETFIELD_MISS`: the same for the table-miss flow.
    WriteSetfieldMiss(Vec<OxmId>),
    /// `OFPTFPT_APPLY_SETFIELD`: fields `set_field` can write in `apply_actions`.
    ApplySetfield(Vec<OxmId>),
    /// `OFPTFPT_APPLY_SETFIELD_MISS`: the same for the table-miss flow.
    ApplySetfieldMiss(Vec<OxmId>),
    /// `OFPTFPT_EXPERIMENTER`: kept byte for byte after the experimenter type.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// The bytes after `exp_type` (not the padding).
        data: Bytes,
    },
    /// `OFPTFPT_EXPERIMENTER_MISS`: kept byte for byte after the experimenter type.
    ExperimenterMiss {
        /// Experimenter id.
        experimenter: u32,
        /// Experimenter-defined type.
        exp_type: u32,
        /// The bytes after `exp_type` (not the padding).
        data: Bytes,
    },
    /// A property type this crate does not know, kept byte for byte.
    Unknown {
        /// The raw property type.
        prop_type: u16,
        /// The bytes after the type and length fields (not the padding).
        body: Bytes,
    },
}

impl TableFeatureProp {
    /// The property's type.
    pub fn prop_type(&self) -> TableFeaturePropType {
        use TableFeaturePropType as T;
        match self {
            TableFeatureProp::Instructions(_) => T::Instructions,
            TableFeatureProp::InstructionsMiss(_) => T::InstructionsMiss,
            TableFeatureProp::NextTables(_) => T::NextTables,
            TableFeatureProp::NextTablesMiss(_) => T::NextTablesMiss,
            TableFeatureProp::WriteActions(_) => T::WriteActions,
            TableFeatureProp::WriteActionsMiss(_) => T::WriteActionsMiss,
            TableFeatureProp::ApplyActions(_) => T::ApplyActions,
            TableFeatureProp::ApplyActionsMiss(_) => T::ApplyActionsMiss,
            TableFeatureProp::Match(_) => T::Match,
            TableFeatureProp::Wildcards(_) => T::Wildcards,
            TableFeatureProp::WriteSetfield(_) => T::WriteSetfield,
            TableFeatureProp::WriteSetfieldMiss(_) => T::WriteSetfieldMiss,
            TableFeatureProp::ApplySetfield(_) => T::ApplySetfield,
            TableFeatureProp::ApplySetfieldMiss(_) => T::ApplySetfieldMiss,
            TableFeatureProp::Experimenter { .. } => T::Experimenter,
            TableFeatureProp::ExperimenterMiss { .. } => T::ExperimenterMiss,
            TableFeatureProp::Unknown { prop_type, .. } => T::Unknown(*prop_type),
        }
    }

    /// The property's length field: header and payload, without the padding.
    fn unpadded_len(&self) -> usize {
        PROP_HEADER_LEN
            + match self {
                TableFeatureProp::Instructions(ids)
                | TableFeatureProp::InstructionsMiss(ids)
                | TableFeatureProp::WriteActions(ids)
                | TableFeatureProp::WriteActionsMiss(ids)
                | TableFeatureProp::ApplyActions(ids)
                | TableFeatureProp::ApplyActionsMiss(ids) => ids.iter().map(Wire::wire_len).sum(),
                TableFeatureProp::NextTables(t) | TableFeatureProp::NextTablesMiss(t) => t.len(),
                TableFeatureProp::Match(o)
                | TableFeatureProp::Wildcards(o)
                | TableFeatureProp::WriteSetfield(o)
                | TableFeatureProp::WriteSetfieldMiss(o)
                | TableFeatureProp::ApplySetfield(o)
                | TableFeatureProp::ApplySetfieldMiss(o) => o.iter().map(Wire::wire_len).sum(),
                TableFeatureProp::Experimenter { data, .. }
                | TableFeatureProp::ExperimenterMiss { data, .. } => 8 + data.len(),
                TableFeatureProp::Unknown { body, .. } => body.len(),
            }
    }
}

/// Parses `T`s until `i` is used up, as nom failures.
fn ids<T: Wire>(src: Src<'_>, mut i: &[u8]) -> Result<Vec<T>, nom::Err<DecodeError>> {
    let mut out = Vec::new();
    while !i.is_empty() {
        let (rest, v) = match T::parse(src, i) {
            Ok(v) => v,
            Err(nom::Err::Error(e)) => return Err(nom::Err::Failure(e)),
            Err(e) => return Err(e),
        };
        out.push(v);
        i = rest;
    }
    Ok(out)
}

impl Wire for TableFeatureProp {
    fn wire_len(&self) -> usize {
        pad8(self.unpadded_len())
    }

    fn emit(&self, out: &mut BytesMut) {
        let len = self.unpadded_len();
        out.put_u16(self.prop_type().raw());
        out.put_u16(len as u16);
        match self {
            TableFeatureProp::Instructions(ids)
            | TableFeatureProp::InstructionsMiss(ids)
            | TableFeatureProp::WriteActions(ids)
            | TableFeatureProp::WriteActionsMiss(ids)
            | TableFeatureProp::ApplyActions(ids)
            | TableFeatureProp::ApplyActionsMiss(ids) => ids.iter().for_each(|id| id.emit(out)),
            TableFeatureProp::NextTables(t) | TableFeatureProp::NextTablesMiss(t) => {
                t.iter().for_each(|t| out.put_u8(t.0))
            }
            TableFeatureProp::Match(o)
            | TableFeatureProp::Wildcards(o)
            | TableFeatureProp::WriteSetfield(o)
            | TableFeatureProp::WriteSetfieldMiss(o)
            | TableFeatureProp::ApplySetfield(o)
            | TableFeatureProp::ApplySetfieldMiss(o) => o.iter().for_each(|o| o.emit(out)),
            TableFeatureProp::Experimenter {
                experimenter,
                exp_type,
                data,
            }
            | TableFeatureProp::ExperimenterMiss {
                experimenter,
                exp_type,
                data,
            } => {
                out.put_u32(*experimenter);
                out.put_u32(*exp_type);
                out.put_slice(data);
            }
            TableFeatureProp::Unknown { body, .. } => out.put_slice(body),
        }
        out.put_bytes(0, pad8(len) - len);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        use TableFeatureProp as P;
        let r = (|| {
            if i.len() < PROP_HEADER_LEN {
                return fail(DecodeError::Truncated { ctx: None });
            }
            let prop_type = u16::from_be_bytes([i[0], i[1]]);
            let len = u16::from_be_bytes([i[2], i[3]]) as usize;
            // The padding after the property must be there too.
            if len < PROP_HEADER_LEN || pad8(len) > i.len() {
                return fail(DecodeError::BadLen { ctx: None, len });
            }
            let body = &i[PROP_HEADER_LEN..len];
            let rest = &i[pad8(len)..];
            let tables = |b: &[u8]| b.iter().map(|&t| TableId(t)).collect::<Vec<_>>();
            let exp = |b: &'a [u8]| -> Result<(u32, u32, Bytes), nom::Err<DecodeError>> {
                let (b, experimenter) = u32_(b)?;
                let (b, exp_type) = u32_(b)?;
                Ok((experimenter, exp_type, src.bytes(b)))
            };
            let prop = match TableFeaturePropType::from_raw(prop_type) {
                TableFeaturePropType::Instructions => P::Instructions(ids(src, body)?),
                TableFeaturePropType::InstructionsMiss => P::InstructionsMiss(ids(src, body)?),
                TableFeaturePropType::NextTables => P::NextTables(tables(body)),
                TableFeaturePropType::NextTablesMiss => P::NextTablesMiss(tables(body)),
                TableFeaturePropType::WriteActions => P::WriteActions(ids(src, body)?),
                TableFeaturePropType::WriteActionsMiss => P::WriteActionsMiss(ids(src, body)?),
                TableFeaturePropType::ApplyActions => P::ApplyActions(ids(src, body)?),
                TableFeaturePropType::ApplyActionsMiss => P::ApplyActionsMiss(ids(src, body)?),
                TableFeaturePropType::Match => P::Match(ids(src, body)?),
                TableFeaturePropType::Wildcards => P::Wildcards(ids(src, body)?),
                TableFeaturePropType::WriteSetfield => P::WriteSetfield(ids(src, body)?),
                TableFeaturePropType::WriteSetfieldMiss => P::WriteSetfieldMiss(ids(src, body)?),
                TableFeaturePropType::ApplySetfield => P::ApplySetfield(ids(src, body)?),
                TableFeaturePropType::ApplySetfieldMiss => P::ApplySetfieldMiss(ids(src, body)?),
                TableFeaturePropType::Experimenter => {
                    let (experimenter, exp_type, data) = exp(body)?;
                    P::Experimenter {
                        experimenter,
                        exp_type,
                        data,
                    }
                }
                TableFeaturePropType::ExperimenterMiss => {
                    let (experimenter, exp_type, data) = exp(body)?;
                    P::ExperimenterMiss {
                        experimenter,
                        exp_type,
                        data,
                    }
                }
                TableFeaturePropType::Unknown(_) => P::Unknown {
                    prop_type,
                    body: src.bytes(body),
                },
            };
            Ok((rest, prop))
        })();
        in_ctx(Ctx::TableFeatures, r)
    }
}

/// `ofp_table_features`: what one flow table supports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableFeatures {
    /// The table.
    pub table_id: TableId,
    /// Its name (at most 31 bytes on the wire).
    pub name: String,
    /// Bits of metadata the table can match.
    pub metadata_match: u64,
    /// Bits of metadata the table can write.
    pub metadata_write: u64,
    /// `OFPTC_*` flags (deprecated in OpenFlow 1.3; kept as sent).
    pub config: u32,
    /// Maximum number of entries supported.
    pub max_entries: u32,
    /// The properties, in wire order.
    pub properties: Vec<TableFeatureProp>,
}

impl Wire for TableFeatures {
    fn wire_len(&self) -> usize {
        TABLE_FEATURES_LEN + self.properties.iter().map(Wire::wire_len).sum::<usize>()
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.wire_len() as u16);
        out.put_u8(self.table_id.0);
        out.put_bytes(0, 5);
        put_fixed_str(out, &self.name, MAX_TABLE_NAME_LEN);
        out.put_u64(self.metadata_match);
        out.put_u64(self.metadata_write);
        out.put_u32(self.config);
        out.put_u32(self.max_entries);
        self.properties.iter().for_each(|p| p.emit(out));
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let r = (|| {
            if i.len() < TABLE_FEATURES_LEN {
                return fail(DecodeError::Truncated { ctx: None });
            }
            let len = u16::from_be_bytes([i[0], i[1]]) as usize;
            if len < TABLE_FEATURES_LEN || len > i.len() {
                return fail(DecodeError::BadLen { ctx: None, len });
            }
            let (rec, rest) = i.split_at(len);
            let (b, _) = skip(rec, 2)?;
            let (b, table_id) = u8_(b)?;
            let (b, _) = skip(b, 5)?;
            let (b, name) = fixed_str(b, MAX_TABLE_NAME_LEN)?;
            let (b, metadata_match) = u64_(b)?;
            let (b, metadata_write) = u64_(b)?;
            let (b, config) = u32_(b)?;
            let (b, max_entries) = u32_(b)?;
            let properties = ids(src, b)?;
            Ok((
                rest,
                TableFeatures {
                    table_id: TableId(table_id),
                    name,
                    metadata_match,
                    metadata_write,
                    config,
                    max_entries,
                    properties,
                },
            ))
        })();
        in_ctx(Ctx::TableFeatures, r)
    }
}

impl fmt::Display for TableFeatures {
    /// The table as the first (or only) one of an `OFPST_TABLE_FEATURES` message:
    /// `\n  table 0 ("name"):\n    metadata: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        TableFeaturesList(core::slice::from_ref(self)).fmt(f)
    }
}

#[cfg(test)]
mod tests;
