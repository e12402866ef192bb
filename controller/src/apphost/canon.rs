//! Canonical forms of flow entries, so a flow dumped from a switch equals the one we asked for.
//!
//! A switch reports a flow in its own words: Open vSwitch sends match fields in its internal
//! order, turns an all-ones mask into an exact match, drops fields whose mask is zero, keeps
//! only the masked bits of a value, writes instructions in the order meter, apply-actions,
//! clear-actions, write-actions, write-metadata, goto-table, omits an empty apply-actions, and
//! remembers only the flags that describe a flow's state (not `check_overlap` or
//! `reset_counts`). The canonical form applies the same rules to both sides before comparing.

use bytes::Bytes;
use openflow::msg::{FlowMod, FlowModCommand, FlowModFlags, FlowStats};
use openflow::oxm::{OxmField, RawOxm};
use openflow::wire::{Src, Wire, complete};
use openflow::{Cookie, Instruction, Match, TableId};

use navarch_app::FlowSpec;

/// The has-mask bit of an OXM header.
const OXM_HASMASK: u32 = 1 << 8;

/// The flags a switch keeps with a flow and reports back.
const STATE_FLAGS: u16 =
    FlowModFlags::SEND_FLOW_REM.0 | FlowModFlags::NO_PKT_COUNTS.0 | FlowModFlags::NO_BYT_COUNTS.0;

/// The identity of a flow entry in canonical form: table, priority and the match as a sorted
/// set of normalised OXM TLVs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CanonicalKey {
    /// Table.
    pub table: TableId,
    /// Priority.
    pub priority: u16,
    /// Each field as `header ‖ payload` bytes, normalised, sorted and concatenated (one
    /// allocation per key, shared by its clones: the host indexes each installed flow's key by
    /// slice too; a TLV's header carries its length, so the concatenation is unambiguous).
    fields: std::sync::Arc<[u8]>,
}

/// What a flow entry does, in canonical form: instructions, timeouts and state flags.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CanonicalBody {
    /// Instructions in the order a switch reports them, empty apply-actions removed.
    pub instructions: Vec<Instruction>,
    /// Idle timeout.
    pub idle_timeout: u16,
    /// Hard timeout.
    pub hard_timeout: u16,
    /// The flags a switch keeps.
    pub flags: u16,
}

/// One flow entry as the app host handles it: what it is, what it does, and its cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowEntry {
    /// The cookie (owner and generation).
    pub cookie: Cookie,
    /// Table.
    pub table: TableId,
    /// Priority.
    pub priority: u16,
    /// The match as given (sent as is).
    pub match_: Match,
    /// The instructions as given (sent as is).
    pub instructions: Vec<Instruction>,
    /// Idle timeout.
    pub idle_timeout: u16,
    /// Hard timeout.
    pub hard_timeout: u16,
    /// FLOW_MOD flags.
    pub flags: FlowModFlags,
}

impl FlowEntry {
    /// An app's flow with the cookie the host gives it.
    pub fn from_spec(spec: &FlowSpec, cookie: Cookie) -> FlowEntry {
        FlowEntry {
            cookie,
            table: spec.table,
            priority: spec.priority,
            match_: spec.match_.clone(),
            instructions: spec.instructions.clone(),
            idle_timeout: spec.idle_timeout,
            hard_timeout: spec.hard_timeout,
            flags: spec.flags,
        }
    }

    /// A flow as a switch reported it in a flow-stats reply.
    pub fn from_stats(stats: &FlowStats) -> FlowEntry {
        FlowEntry {
            cookie: stats.cookie,
            table: stats.table_id,
            priority: stats.priority,
            match_: stats.match_.clone(),
            instructions: stats.instructions.clone(),
            idle_timeout: stats.idle_timeout,
            hard_timeout: stats.hard_timeout,
            flags: stats.flags,
        }
    }

    /// The entry's identity in canonical form.
    pub fn key(&self) -> CanonicalKey {
        CanonicalKey {
            table: self.table,
            priority: self.priority,
            fields: canonical_fields(&self.match_),
        }
    }

    /// What the entry does, in canonical form.
    pub fn body(&self) -> CanonicalBody {
        CanonicalBody {
            instructions: canonical_instructions(&self.instructions),
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            flags: self.flags.0 & STATE_FLAGS,
        }
    }

    /// True if the switch would report both entries the same way, cookie included.
    pub fn same_as(&self, other: &FlowEntry) -> bool {
        self.cookie == other.cookie && self.key() == other.key() && self.body() == other.body()
    }

    /// A FLOW_MOD that installs this entry with `command`. Modify and delete commands are
    /// filtered on the entry's whole cookie, so they can only touch this owner's flow.
    pub fn flow_mod(&self, command: FlowModCommand) -> FlowMod {
        let filtered = !matches!(command, FlowModCommand::Add);
        let carries_body = !matches!(
            command,
            FlowModCommand::Delete | FlowModCommand::DeleteStrict
        );
        FlowMod {
            cookie: self.cookie,
            cookie_mask: if filtered { u64::MAX } else { 0 },
            table_id: self.table,
            command,
            idle_timeout: if carries_body { self.idle_timeout } else { 0 },
            hard_timeout: if carries_body { self.hard_timeout } else { 0 },
            priority: self.priority,
            flags: if carries_body {
                self.flags
            } else {
                FlowModFlags::EMPTY
            },
            match_: wire_form(&self.match_),
            instructions: if carries_body {
                self.instructions.clone()
            } else {
                Vec::new()
            },
            ..FlowMod::default()
        }
    }
}

/// The match's fields as normalised TLV bytes, sorted: a full mask becomes an exact match, a
/// zero mask removes the field, and a masked value keeps only its masked bits.
fn canonical_fields(m: &Match) -> std::sync::Arc<[u8]> {
    let mut tlvs: Vec<Vec<u8>> = m
        .iter()
        .filter_map(|field| normalise(field.to_raw()))
        .collect();
    tlvs.sort();
    tlvs.dedup();
    tlvs.concat().into()
}

/// One TLV in canonical form, or `None` when its mask matches everything.
fn normalise(raw: RawOxm) -> Option<Vec<u8>> {
    let header = raw.header;
    let payload = raw.payload.as_ref();
    let has_mask = header & OXM_HASMASK != 0;
    // Experimenter classes (0xffff) carry a 4-byte experimenter id before value and mask.
    let lead = if header >> 16 == 0xffff { 4 } else { 0 };
    let body = payload.get(lead..).unwrap_or_default();
    if !has_mask || body.len() % 2 != 0 {
        return Some(tlv(header, payload));
    }
    let (value, mask) = body.split_at(body.len() / 2);
    if mask.iter().all(|b| *b == 0) {
        return None;
    }
    if mask.iter().all(|b| *b == 0xff) {
        let exact_len = (lead + value.len()) as u32;
        let exact = (header & !OXM_HASMASK & !0xff) | exact_len;
        let mut p = payload[..lead].to_vec();
        p.extend_from_slice(value);
        return Some(tlv(exact, &p));
    }
    let mut p = payload[..lead].to_vec();
    p.extend(value.iter().zip(mask).map(|(v, m)| v & m));
    p.extend_from_slice(mask);
    Some(tlv(header, &p))
}

/// The match as it goes on the wire: each field normalised (a switch refuses a masked value
/// with bits outside its mask), in OXM class and field-number order. Switches such as Open
/// vSwitch require a field's prerequisites to come before it (`eth_type` before `ip_proto`
/// before `tcp_dst`), and OpenFlow numbers the basic fields so that this order satisfies them.
pub fn wire_form(m: &Match) -> Match {
    let mut fields: Vec<OxmField> = m
        .iter()
        .filter_map(|f| normalise(f.to_raw()).map(|tlv| field_of(tlv).unwrap_or_else(|| f.clone())))
        .collect();
    fields.sort_by_key(|f| f.to_raw().header >> 9);
    Match { fields }
}

/// A TLV's field, or `None` if it does not parse (the caller keeps the original then).
fn field_of(tlv: Vec<u8>) -> Option<OxmField> {
    let bytes = Bytes::from(tlv);
    complete(OxmField::parse(Src::new(&bytes), &bytes)).ok()
}

/// `header ‖ payload` as bytes.
fn tlv(header: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = header.to_be_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}

/// Instructions in switch order, without an empty apply-actions (it does nothing).
fn canonical_instructions(instructions: &[Instruction]) -> Vec<Instruction> {
    let mut out: Vec<Instruction> = instructions
        .iter()
        .filter(|i| !matches!(i, Instruction::ApplyActions(a) if a.is_empty()))
        .cloned()
        .collect();
    out.sort_by_key(Instruction::print_rank);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::{Action, MacAddr, PortNo};

    fn entry(match_: Match, instructions: Vec<Instruction>) -> FlowEntry {
        let spec = FlowSpec::new(TableId(1), 10, match_, instructions);
        FlowEntry::from_spec(&spec, Cookie(7))
    }

    const MAC: MacAddr = MacAddr([0, 1, 2, 3, 4, 5]);

    #[test]
    fn field_order_does_not_matter() {
        let a = Match::new()
            .with(OxmField::InPort(PortNo(1)))
            .with(OxmField::EthDst(MAC, None));
        let b = Match::new()
            .with(OxmField::EthDst(MAC, None))
            .with(OxmField::InPort(PortNo(1)));
        assert_eq!(entry(a, vec![]).key(), entry(b, vec![]).key());
    }

    #[test]
    fn masks_normalise_as_a_switch_reports_them() {
        let full = Match::new().with(OxmField::EthDst(MAC, Some(MacAddr([0xff; 6]))));
        let exact = Match::new().with(OxmField::EthDst(MAC, None));
        assert_eq!(entry(full, vec![]).key(), entry(exact, vec![]).key());

        let zero = Match::new().with(OxmField::EthSrc(MAC, Some(MacAddr([0; 6]))));
        assert_eq!(entry(zero, vec![]).key(), entry(Match::new(), vec![]).key());

        let half = MacAddr([0xff, 0xff, 0xff, 0, 0, 0]);
        let noisy = Match::new().with(OxmField::EthDst(MAC, Some(half)));
        let clean = Match::new().with(OxmField::EthDst(MacAddr([0, 1, 2, 0, 0, 0]), Some(half)));
        assert_eq!(entry(noisy, vec![]).key(), entry(clean, vec![]).key());
    }

    #[test]
    fn different_values_are_different_keys() {
        let a = Match::new().with(OxmField::InPort(PortNo(1)));
        let b = Match::new().with(OxmField::InPort(PortNo(2)));
        assert_ne!(entry(a, vec![]).key(), entry(b, vec![]).key());
    }

    #[test]
    fn instructions_sort_into_switch_order_and_empty_apply_goes() {
        let out = Action::Output {
            port: PortNo(2),
            max_len: 0,
        };
        let ours = vec![
            Instruction::GotoTable(TableId(2)),
            Instruction::ApplyActions(vec![out.clone()]),
        ];
        let reported = vec![
            Instruction::ApplyActions(vec![out.clone()]),
            Instruction::GotoTable(TableId(2)),
        ];
        assert_eq!(
            entry(Match::new(), ours).body(),
            entry(Match::new(), reported).body()
        );
        let drop = entry(Match::new(), vec![Instruction::ApplyActions(vec![])]);
        assert_eq!(drop.body(), entry(Match::new(), vec![]).body());
        // Action order inside an instruction is meaningful and kept.
        let two = |a: u32, b: u32| {
            vec![Instruction::ApplyActions(vec![
                Action::output(PortNo(a)),
                Action::output(PortNo(b)),
            ])]
        };
        assert_ne!(
            entry(Match::new(), two(1, 2)).body(),
            entry(Match::new(), two(2, 1)).body()
        );
    }

    #[test]
    fn only_state_flags_count() {
        let mut a = entry(Match::new(), vec![]);
        let mut b = a.clone();
        a.flags = FlowModFlags::CHECK_OVERLAP | FlowModFlags::SEND_FLOW_REM;
        b.flags = FlowModFlags::SEND_FLOW_REM;
        assert!(a.same_as(&b));
        b.flags = FlowModFlags::EMPTY;
        assert!(!a.same_as(&b));
    }

    #[test]
    fn flow_mods_put_prerequisites_first() {
        let m = Match::new()
            .with(OxmField::TcpDst(80, None))
            .with(OxmField::IpProto(6))
            .with(OxmField::EthType(0x0800))
            .with(OxmField::InPort(PortNo(3)));
        let fm = entry(m.clone(), vec![]).flow_mod(FlowModCommand::Add);
        assert_eq!(
            fm.match_.fields,
            vec![
                OxmField::InPort(PortNo(3)),
                OxmField::EthType(0x0800),
                OxmField::IpProto(6),
                OxmField::TcpDst(80, None)
            ]
        );
        assert!(fm.match_.prerequisites_met());
        assert_eq!(entry(m, vec![]).key(), entry(fm.match_, vec![]).key());
    }

    #[test]
    fn flow_mods_send_normalised_fields() {
        let m = Match::new()
            .with(OxmField::EthSrc(MAC, Some(MacAddr([0; 6]))))
            .with(OxmField::EthDst(
                MAC,
                Some(MacAddr([0xff, 0xff, 0xff, 0, 0, 0])),
            ))
            .with(OxmField::InPort(PortNo(1)));
        let fm = entry(m, vec![]).flow_mod(FlowModCommand::Add);
        assert_eq!(
            fm.match_.fields,
            vec![
                OxmField::InPort(PortNo(1)),
                OxmField::EthDst(
                    MacAddr([0, 1, 2, 0, 0, 0]),
                    Some(MacAddr([0xff, 0xff, 0xff, 0, 0, 0]))
                ),
            ]
        );
    }

    #[test]
    fn deletes_carry_no_body_and_filter_on_the_cookie() {
        let mut e = entry(Match::new(), vec![Instruction::GotoTable(TableId(3))]);
        e.idle_timeout = 5;
        let del = e.flow_mod(FlowModCommand::DeleteStrict);
        assert_eq!((del.cookie, del.cookie_mask), (Cookie(7), u64::MAX));
        assert!(del.instructions.is_empty());
        assert_eq!(del.idle_timeout, 0);
        let add = e.flow_mod(FlowModCommand::Add);
        assert_eq!(add.cookie_mask, 0);
        assert_eq!(add.idle_timeout, 5);
    }
}
