//! Table features in the text of `ovs-ofctl` (OVS 3.1 `ofputil_table_features_format`).
//!
//! OVS does not print properties one by one: it folds them into bitmaps of its own field,
//! action and instruction ids, prints those in its own order with abbreviations
//! (`eth_{src,dst}`, `reg0...reg15`), and folds runs of tables equal to the previous one into
//! `tables 1...11: ditto`. This module reproduces that, including the quirks of 3.1.

use crate::text::c_hex;
use core::fmt;

use super::fields::{HEADERS, NAMES, VARIABLE};
use super::names::print_names;
use super::{FeatureId, OxmId, TableFeatureProp, TableFeatures};
use crate::wire::{Src, Wire, pad8};

/// OpenFlow 1.3 action types OVS understands, in the order of its internal action ids (the
/// order it prints them), with the names it prints.
const ACTIONS: [(u32, &str); 12] = [
    (0, "output"),
    (22, "group"),
    (25, "set_field"),
    (18, "strip_vlan"),
    (17, "push_vlan"),
    (23, "mod_nw_ttl"),
    (24, "dec_ttl"),
    (15, "set_mpls_ttl"),
    (16, "dec_mpls_ttl"),
    (19, "push_mpls"),
    (20, "pop_mpls"),
    (21, "set_queue"),
];

/// The bits of an `OFPAT_*` bitmap OVS keeps (the rest it cannot represent).
const ACTION_MASK: u32 = {
    let mut m = 0;
    let mut i = 0;
    while i < ACTIONS.len() {
        m |= 1 << ACTIONS[i].0;
        i += 1;
    }
    m
};

/// OVS's instruction ids in order, as (`OFPIT_*` type, name).
const INSTRUCTIONS: [(u16, &str); 6] = [
    (6, "meter"),
    (4, "apply_actions"),
    (5, "clear_actions"),
    (3, "write_actions"),
    (2, "write_metadata"),
    (1, "goto_table"),
];

/// Writes a bitmap of `OFPAT_*` bits as `ofpact_bitmap_format` does (`<none>` when empty).
pub(crate) fn fmt_action_bitmap(f: &mut fmt::Formatter<'_>, bits: u32) -> fmt::Result {
    let mut first = true;
    for (bit, name) in ACTIONS {
        if bits & (1 << bit) != 0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(name)?;
            first = false;
        }
    }
    if first {
        f.write_str("<none>")?;
    }
    Ok(())
}

/// A set of OVS field ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct FieldSet([u64; 3]);

impl FieldSet {
    fn set(&mut self, id: u16) {
        self.0[usize::from(id / 64)] |= 1 << (id % 64);
    }
    fn is_empty(&self) -> bool {
        self.0 == [0; 3]
    }
    fn or(self, o: FieldSet) -> FieldSet {
        FieldSet([self.0[0] | o.0[0], self.0[1] | o.0[1], self.0[2] | o.0[2]])
    }
    fn and(self, o: FieldSet) -> FieldSet {
        FieldSet([self.0[0] & o.0[0], self.0[1] & o.0[1], self.0[2] & o.0[2]])
    }
    fn not(self) -> FieldSet {
        FieldSet([!self.0[0], !self.0[1], !self.0[2]])
    }
    fn names(&self) -> Vec<&'static str> {
        (0..NAMES.len())
            .filter(|&i| self.0[i / 64] & (1 << (i % 64)) != 0)
            .map(|i| NAMES[i])
            .collect()
    }
}

/// A set of table ids (0 to 254).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct TableSet([u64; 4]);

impl TableSet {
    fn get(&self, t: usize) -> bool {
        t < 255 && self.0[t / 64] & (1 << (t % 64)) != 0
    }
    fn toggle(&mut self, t: usize) {
        self.0[t / 64] ^= 1 << (t % 64);
    }
    fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }
}

/// What OVS retains of the actions usable in one instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct ActionFeatures {
    /// `OFPAT_*` bits, restricted to those OVS knows.
    actions: u32,
    set_fields: FieldSet,
}

impl ActionFeatures {
    fn is_empty(&self) -> bool {
        self.actions == 0 && self.set_fields.is_empty()
    }
}

/// What OVS retains of the instructions of flows (or of the table-miss flow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct InstructionFeatures {
    next: TableSet,
    /// Bits in the order of [`INSTRUCTIONS`].
    instructions: u32,
    write: ActionFeatures,
    apply: ActionFeatures,
}

impl InstructionFeatures {
    fn is_empty(&self) -> bool {
        self.next.is_empty()
            && self.instructions == 0
            && self.write.is_empty()
            && self.apply.is_empty()
    }
}

/// `struct ofputil_table_features` as decoded by OVS for OpenFlow 1.3.
#[derive(Clone, Debug, PartialEq, Eq)]
struct View<'a> {
    table_id: usize,
    name: &'a str,
    metadata_match: u64,
    metadata_write: u64,
    max_entries: u32,
    nonmiss: InstructionFeatures,
    miss: InstructionFeatures,
    matches: FieldSet,
    mask: FieldSet,
    wildcard: FieldSet,
}

/// Why OVS would refuse to decode a table-features record.
struct Refused;

/// The OVS field id of an OXM id; `Ok(None)` for a field OVS does not know (which it skips).
fn field_id(id: &OxmId) -> Result<Option<u16>, Refused> {
    let class = id.class();
    let field = ((id.header >> 9) & 0x7f) as u8;
    let hasmask = id.header & 0x100 != 0;
    let len = (id.header & 0xff) as u8;
    let exp_len = if id.experimenter.is_some() { 4 } else { 0 };
    if len < exp_len {
        return Err(Refused);
    }
    let len = if hasmask {
        (len - exp_len) / 2 + exp_len
    } else {
        len
    };
    let vendor = id.experimenter.unwrap_or(0);
    Ok(HEADERS
        .iter()
        .find(|h| h.0 == vendor && h.1 == class && h.2 == field)
        .filter(|h| h.3 == len || VARIABLE.contains(&h.4))
        .map(|h| h.4))
}

/// OVS's `parse_oxms`: exact fields and, where allowed, masked ones.
fn oxms(ids: &[OxmId], masked_ok: bool) -> Result<(FieldSet, FieldSet), Refused> {
    let (mut exact, mut masked) = (FieldSet::default(), FieldSet::default());
    for id in ids {
        if let Some(f) = field_id(id)? {
            if id.header & 0x100 != 0 {
                masked.set(f);
            } else {
                exact.set(f);
            }
        }
    }
    if !masked_ok && !masked.is_empty() {
        return Err(Refused);
    }
    Ok((exact, masked))
}

fn action_bits(ids: &[FeatureId]) -> u32 {
    let mut bits = 0u32;
    for id in ids {
        // OVS reads only the type, whatever the length, and ignores types past 31.
        if let Some(b) = 1u32.checked_shl(u32::from(id.id_type())) {
            bits |= b;
        }
    }
    bits & ACTION_MASK
}

fn instruction_bits(ids: &[FeatureId]) -> u32 {
    let mut bits = 0;
    for id in ids {
        if let Some(n) = INSTRUCTIONS.iter().position(|(t, _)| *t == id.id_type()) {
            bits |= 1 << n;
        }
    }
    bits
}

fn next_tables(ids: &[crate::types::TableId]) -> Result<TableSet, Refused> {
    let mut set = TableSet::default();
    for t in ids {
        if t.0 == 255 {
            return Err(Refused);
        }
        set.0[usize::from(t.0) / 64] |= 1 << (t.0 % 64);
    }
    Ok(set)
}

/// Folds one property into `v` as OVS does.
fn apply(v: &mut View<'_>, p: &TableFeatureProp) -> Result<(), Refused> {
    use TableFeatureProp as P;
    match p {
        P::Instructions(ids) => v.nonmiss.instructions = instruction_bits(ids),
        P::InstructionsMiss(ids) => v.miss.instructions = instruction_bits(ids),
        P::NextTables(ids) => v.nonmiss.next = next_tables(ids)?,
        P::NextTablesMiss(ids) => v.miss.next = next_tables(ids)?,
        P::WriteActions(ids) => v.nonmiss.write.actions = action_bits(ids),
        P::WriteActionsMiss(ids) => v.miss.write.actions = action_bits(ids),
        P::ApplyActions(ids) => v.nonmiss.apply.actions = action_bits(ids),
        P::ApplyActionsMiss(ids) => v.miss.apply.actions = action_bits(ids),
        P::Match(ids) => (v.matches, v.mask) = oxms(ids, true)?,
        P::Wildcards(ids) => v.wildcard = oxms(ids, false)?.0,
        P::WriteSetfield(ids) => v.nonmiss.write.set_fields = oxms(ids, false)?.0,
        P::WriteSetfieldMiss(ids) => v.miss.write.set_fields = oxms(ids, false)?.0,
        P::ApplySetfield(ids) => v.nonmiss.apply.set_fields = oxms(ids, false)?.0,
        P::ApplySetfieldMiss(ids) => v.miss.apply.set_fields = oxms(ids, false)?.0,
        // OVS 3.1 reads only type 0xffff as an experimenter property, and then switches on
        // its 64-bit (experimenter, exp_type) truncated to the 32-bit exp_type: an
        // EXPERIMENTER_MISS property whose exp_type is a standard type is read as that type.
        P::ExperimenterMiss {
            experimenter,
            exp_type,
            data,
        } => {
            if *experimenter == 0 {
                return Err(Refused);
            }
            if let Some(inner) = reinterpret(*exp_type, data)? {
                apply(v, &inner)?;
            }
        }
        P::Experimenter { .. } | P::Unknown { .. } => {}
    }
    Ok(())
}

/// The payload of an experimenter property read as a standard property of type `exp_type`.
fn reinterpret(exp_type: u32, data: &[u8]) -> Result<Option<TableFeatureProp>, Refused> {
    if !matches!(exp_type, 0..=8 | 10 | 12..=15) {
        return Ok(None);
    }
    let len = 4 + data.len();
    let mut raw = Vec::with_capacity(pad8(len));
    raw.extend_from_slice(&(exp_type as u16).to_be_bytes());
    raw.extend_from_slice(&(len as u16).to_be_bytes());
    raw.extend_from_slice(data);
    raw.resize(pad8(len), 0);
    match TableFeatureProp::parse(Src::detached(), &raw) {
        Ok((_, p)) => Ok(Some(p)),
        Err(_) => Err(Refused),
    }
}

/// OVS's `ofputil_decode_table_features` in its lenient (controller) mode.
fn view(tf: &TableFeatures) -> Result<View<'_>, Refused> {
    if tf.table_id.0 == 255 {
        return Err(Refused);
    }
    let mut v = View {
        table_id: usize::from(tf.table_id.0),
        name: &tf.name,
        metadata_match: tf.metadata_match,
        metadata_write: tf.metadata_write,
        max_entries: tf.max_entries,
        nonmiss: InstructionFeatures::default(),
        miss: InstructionFeatures::default(),
        matches: FieldSet::default(),
        mask: FieldSet::default(),
        wildcard: FieldSet::default(),
    };
    let mut seen = 0u32;
    for p in &tf.properties {
        let t = p.prop_type().raw();
        if t < 32 {
            if seen & (1 << t) != 0 {
                return Err(Refused);
            }
            seen |= 1 << t;
        }
        apply(&mut v, p)?;
    }
    // INSTRUCTIONS, NEXT_TABLES, WRITE/APPLY_ACTIONS, MATCH, WILDCARDS, WRITE/APPLY_SETFIELD.
    const REQUIRED: u32 = 1 | 1 << 2 | 1 << 4 | 1 << 6 | 1 << 8 | 1 << 10 | 1 << 12 | 1 << 14;
    if seen & REQUIRED != REQUIRED {
        return Err(Refused);
    }
    if !tf.properties.is_empty() {
        let miss_seen = |t: u32| seen & (1 << t) != 0;
        if !miss_seen(1) {
            v.miss.instructions = v.nonmiss.instructions;
        }
        if !miss_seen(3) {
            v.miss.next = v.nonmiss.next;
        }
        if !miss_seen(5) {
            v.miss.write.actions = v.nonmiss.write.actions;
        }
        if !miss_seen(7) {
            v.miss.apply.actions = v.nonmiss.apply.actions;
        }
        if !miss_seen(13) {
            v.miss.write.set_fields = v.nonmiss.write.set_fields;
        }
        if !miss_seen(15) {
            v.miss.apply.set_fields = v.nonmiss.apply.set_fields;
        }
    }
    v.matches = v.matches.or(v.mask);
    v.wildcard = v.wildcard.or(v.mask).and(v.matches);
    Ok(v)
}

/// Next-table sets compare equal when the later table merely cannot go to itself
/// (`table_instruction_features_next_equal`).
fn next_equal(a: &TableSet, a_id: usize, b: &TableSet, b_id: usize) -> bool {
    if b_id == a_id + 1 && a.get(b_id) && !b.get(b_id) {
        let mut a = *a;
        a.toggle(b_id);
        a == *b
    } else if a_id == b_id + 1 {
        next_equal(b, b_id, a, a_id)
    } else {
        a == b
    }
}

fn instructions_equal(
    a: &InstructionFeatures,
    a_id: usize,
    b: &InstructionFeatures,
    b_id: usize,
) -> bool {
    next_equal(&a.next, a_id, &b.next, b_id)
        && a.instructions == b.instructions
        && a.write == b.write
        && a.apply == b.apply
}

fn features_equal(a: &View<'_>, b: &View<'_>) -> bool {
    a.metadata_match == b.metadata_match
        && a.metadata_write == b.metadata_write
        && a.max_entries == b.max_entries
        && instructions_equal(&a.nonmiss, a.table_id, &b.nonmiss, b.table_id)
        && instructions_equal(&a.miss, a.table_id, &b.miss, b.table_id)
        && a.matches == b.matches
}

fn fmt_fields(f: &mut fmt::Formatter<'_>, set: &FieldSet) -> fmt::Result {
    let names = set.names();
    if names.is_empty() {
        return Ok(());
    }
    let mut s = String::from(" ");
    print_names(&mut s, &names, 0);
    f.write_str(&s)
}

fn fmt_action_features(f: &mut fmt::Formatter<'_>, a: &ActionFeatures) -> fmt::Result {
    if a.actions != 0 {
        f.write_str("        actions: ")?;
        fmt_action_bitmap(f, a.actions)?;
        f.write_str("\n")?;
    }
    if !a.set_fields.is_empty() {
        f.write_str("        supported on Set-Field:")?;
        fmt_fields(f, &a.set_fields)?;
        f.write_str("\n")?;
    }
    Ok(())
}

fn fmt_instruction_features(
    f: &mut fmt::Formatter<'_>,
    tif: &InstructionFeatures,
    prev: Option<&InstructionFeatures>,
) -> fmt::Result {
    if !tif.next.is_empty() {
        let mut ranges = Vec::new();
        let mut t = 0;
        while t < 255 {
            if tif.next.get(t) {
                let start = t;
                while t < 255 && tif.next.get(t) {
                    t += 1;
                }
                ranges.push(if t == start + 1 {
                    format!("{start}")
                } else {
                    format!("{start}-{}", t - 1)
                });
            } else {
                t += 1;
            }
        }
        writeln!(f, "      next tables: {}", ranges.join(","))?;
    }
    if tif.instructions != 0 {
        if prev.is_some_and(|p| p.instructions == tif.instructions) {
            f.write_str("      (same instructions)\n")?;
        } else {
            let names: Vec<&str> = INSTRUCTIONS
                .iter()
                .enumerate()
                .filter(|(n, _)| tif.instructions & (1 << n) != 0)
                .map(|(_, (_, name))| *name)
                .collect();
            writeln!(f, "      instructions: {}", names.join(" "))?;
        }
    }
    if prev.is_some_and(|p| {
        tif.write == p.write && tif.apply == p.apply && !tif.write.set_fields.is_empty()
    }) {
        f.write_str("      (same actions)\n")?;
    } else if tif.write != tif.apply {
        f.write_str("      Write-Actions features:\n")?;
        fmt_action_features(f, &tif.write)?;
        f.write_str("      Apply-Actions features:\n")?;
        fmt_action_features(f, &tif.apply)?;
    } else if !tif.write.is_empty() {
        f.write_str("      Write-Actions and Apply-Actions features:\n")?;
        fmt_action_features(f, &tif.write)?;
    }
    Ok(())
}

fn fmt_matches(
    f: &mut fmt::Formatter<'_>,
    v: &View<'_>,
    mask: bool,
    wc: bool,
    title: &str,
) -> fmt::Result {
    let m = if mask { v.mask } else { v.mask.not() };
    let w = if wc { v.wildcard } else { v.wildcard.not() };
    let set = v.matches.and(m.and(w));
    if !set.is_empty() {
        write!(f, "      {title}:")?;
        fmt_fields(f, &set)?;
        f.write_str("\n")?;
    }
    Ok(())
}

/// Where a run of tables equal to their predecessor started and ended.
#[derive(Default)]
struct Ditto(Option<(usize, usize)>);

impl Ditto {
    fn finish(&mut self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.take() {
            None => Ok(()),
            Some((a, b)) if a == b => write!(f, "\n  table {a}: ditto\n"),
            Some((a, b)) => write!(f, "\n  tables {a}...{b}: ditto\n"),
        }
    }
}

/// `ofputil_table_features_format` for one table, given the previous table of the message.
fn fmt_view(
    f: &mut fmt::Formatter<'_>,
    v: &View<'_>,
    prev: Option<&View<'_>>,
    ditto: &mut Ditto,
) -> fmt::Result {
    let same = prev.is_some_and(|p| features_equal(v, p));
    if same && v.name.is_empty() {
        let first = ditto.0.map_or(v.table_id, |(a, _)| a);
        ditto.0 = Some((first, v.table_id));
        return Ok(());
    }
    ditto.finish(f)?;
    write!(f, "\n  table {}", v.table_id)?;
    if !v.name.is_empty() {
        write!(
            f,
            " (\"{}\")",
            crate::wire::fixed_str_text(v.name, super::MAX_TABLE_NAME_LEN)
        )?;
    }
    f.write_str(":")?;
    if same {
        return f.write_str(" ditto");
    }
    f.write_str("\n")?;
    if v.metadata_match != 0 || v.metadata_write != 0 {
        writeln!(
            f,
            "    metadata: match={} write={}",
            c_hex(v.metadata_match),
            c_hex(v.metadata_write)
        )?;
    }
    if v.max_entries != 0 {
        writeln!(f, "    max_entries={}", v.max_entries)?;
    }
    let (pn, pm) = (prev.map(|p| &p.nonmiss), prev.map(|p| &p.miss));
    let id = v.table_id;
    if let Some(p) = prev
        && instructions_equal(&v.nonmiss, id, &p.nonmiss, p.table_id)
        && instructions_equal(&v.miss, id, &p.miss, p.table_id)
    {
        if !v.nonmiss.is_empty() {
            f.write_str("    (same instructions)\n")?;
        }
    } else if !instructions_equal(&v.nonmiss, id, &v.miss, id) {
        f.write_str("    instructions (other than table miss):\n")?;
        fmt_instruction_features(f, &v.nonmiss, pn)?;
        f.write_str("    instructions (table miss):\n")?;
        fmt_instruction_features(f, &v.miss, pm)?;
    } else if !v.nonmiss.is_empty() {
        f.write_str("    instructions (table miss and others):\n")?;
        fmt_instruction_features(f, &v.nonmiss, pn)?;
    }
    if !v.matches.is_empty() {
        if prev.is_some_and(|p| p.matches == v.matches) {
            f.write_str("    (same matching)\n")?;
        } else {
            f.write_str("    matching:\n")?;
            fmt_matches(f, v, true, true, "arbitrary mask")?;
            fmt_matches(f, v, false, true, "exact match or wildcard")?;
            fmt_matches(f, v, false, false, "must exact match")?;
        }
    }
    Ok(())
}

/// A list of tables as one `OFPST_TABLE_FEATURES` message shows them: each table compared
/// with the one before it, runs of identical unnamed tables shown as `ditto`.
pub struct TableFeaturesList<'a>(pub &'a [TableFeatures]);

impl fmt::Display for TableFeaturesList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ditto = Ditto::default();
        let mut prev: Option<View<'_>> = None;
        for tf in self.0 {
            let Ok(v) = view(tf) else {
                // OVS stops at a table it cannot decode and reports a decode error.
                ditto.finish(f)?;
                return write!(f, " ***decode error in table {}***", tf.table_id.0);
            };
            fmt_view(f, &v, prev.as_ref(), &mut ditto)?;
            prev = Some(v);
        }
        ditto.finish(f)
    }
}
