//! Classifying raw captured messages without the codec under test: message type, multipart
//! type, experimenter, and (for coverage checks) the OXM fields, instructions and actions a
//! flow-mod or group-mod carries. Deliberately independent of `openflow::Message`, so that a
//! capture that silently lacks a family is caught even while the codec is incomplete.

use std::collections::BTreeMap;

const TYPE_NAMES: [&str; 30] = [
    "OFPT_HELLO",
    "OFPT_ERROR",
    "OFPT_ECHO_REQUEST",
    "OFPT_ECHO_REPLY",
    "OFPT_EXPERIMENTER",
    "OFPT_FEATURES_REQUEST",
    "OFPT_FEATURES_REPLY",
    "OFPT_GET_CONFIG_REQUEST",
    "OFPT_GET_CONFIG_REPLY",
    "OFPT_SET_CONFIG",
    "OFPT_PACKET_IN",
    "OFPT_FLOW_REMOVED",
    "OFPT_PORT_STATUS",
    "OFPT_PACKET_OUT",
    "OFPT_FLOW_MOD",
    "OFPT_GROUP_MOD",
    "OFPT_PORT_MOD",
    "OFPT_TABLE_MOD",
    "OFPT_MULTIPART_REQUEST",
    "OFPT_MULTIPART_REPLY",
    "OFPT_BARRIER_REQUEST",
    "OFPT_BARRIER_REPLY",
    "OFPT_QUEUE_GET_CONFIG_REQUEST",
    "OFPT_QUEUE_GET_CONFIG_REPLY",
    "OFPT_ROLE_REQUEST",
    "OFPT_ROLE_REPLY",
    "OFPT_GET_ASYNC_REQUEST",
    "OFPT_GET_ASYNC_REPLY",
    "OFPT_SET_ASYNC",
    "OFPT_METER_MOD",
];

const MULTIPART_NAMES: [&str; 14] = [
    "DESC",
    "FLOW",
    "AGGREGATE",
    "TABLE",
    "PORT_STATS",
    "QUEUE",
    "GROUP",
    "GROUP_DESC",
    "GROUP_FEATURES",
    "METER",
    "METER_CONFIG",
    "METER_FEATURES",
    "TABLE_FEATURES",
    "PORT_DESC",
];

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The name of a message type (`OFPT_FLOW_MOD`), or `OFPT_UNKNOWN_<n>`.
pub fn type_name(t: u8) -> String {
    TYPE_NAMES
        .get(usize::from(t))
        .map(|s| s.to_string())
        .unwrap_or_else(|| format!("OFPT_UNKNOWN_{t}"))
}

/// The name of a multipart type (`OFPMP_FLOW`).
pub fn multipart_name(t: u16) -> String {
    match MULTIPART_NAMES.get(usize::from(t)) {
        Some(n) => format!("OFPMP_{n}"),
        None if t == 0xffff => "OFPMP_EXPERIMENTER".to_string(),
        None => format!("OFPMP_UNKNOWN_{t}"),
    }
}

fn experimenter_name(id: u32, exp_type: u32) -> String {
    let known = match (id, exp_type) {
        (0x4f4e_4600, 2300) => Some("ONFT_BUNDLE_CONTROL"),
        (0x4f4e_4600, 2301) => Some("ONFT_BUNDLE_ADD_MESSAGE"),
        (0x4f4e_4600, 1870) => Some("ONFMP_FLOW_MONITOR"),
        (0x0000_2320, 16) => Some("NXT_SET_PACKET_IN_FORMAT"),
        (0x0000_2320, 30) => Some("NXT_PACKET_IN2"),
        _ => None,
    };
    match known {
        Some(n) => format!("{n} ({id:#010x}/{exp_type})"),
        None => format!("experimenter {id:#010x}/{exp_type}"),
    }
}

/// A family name for a raw message: its type, plus the multipart type and direction, or the
/// experimenter and its subtype.
pub fn family(m: &[u8]) -> String {
    let Some(&t) = m.get(1) else {
        return "runt".to_string();
    };
    match t {
        4 => match (be32(m, 8), be32(m, 12)) {
            (Some(id), Some(sub)) => format!("OFPT_EXPERIMENTER {}", experimenter_name(id, sub)),
            _ => "OFPT_EXPERIMENTER (short)".to_string(),
        },
        18 | 19 => {
            let dir = if t == 18 { "request" } else { "reply" };
            match be16(m, 8) {
                Some(0xffff) => match (be32(m, 16), be32(m, 20)) {
                    (Some(id), Some(sub)) => {
                        format!("OFPMP_EXPERIMENTER {} {dir}", experimenter_name(id, sub))
                    }
                    _ => format!("OFPMP_EXPERIMENTER (short) {dir}"),
                },
                Some(mp) => format!("{} {dir}", multipart_name(mp)),
                None => format!("{} (short)", type_name(t)),
            }
        }
        _ => type_name(t),
    }
}

/// Counts of messages per family.
pub fn count_families<'a>(msgs: impl IntoIterator<Item = &'a [u8]>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for m in msgs {
        *counts.entry(family(m)).or_insert(0) += 1;
    }
    counts
}

/// What flow-mods and group-mods in a capture exercise.
#[derive(Default, Debug)]
pub struct Coverage {
    /// OXM (class, field, hasmask) triples seen in flow-mod matches and set-field actions.
    pub oxm: BTreeMap<(u16, u8, bool), usize>,
    /// Instruction types seen.
    pub instructions: BTreeMap<u16, usize>,
    /// Action types seen (experimenter actions as 0xffff).
    pub actions: BTreeMap<u16, usize>,
    /// Group types seen in group-mods.
    pub group_types: BTreeMap<u8, usize>,
    /// Meter band types seen in meter-mods.
    pub meter_bands: BTreeMap<u16, usize>,
    /// OFPT_ERROR (type, code) pairs seen.
    pub errors: BTreeMap<(u16, u16), usize>,
}

impl Coverage {
    /// Adds what one raw message exercises.
    pub fn add(&mut self, m: &[u8]) {
        match m.get(1) {
            Some(1) => {
                if let (Some(t), Some(c)) = (be16(m, 8), be16(m, 10)) {
                    *self.errors.entry((t, c)).or_insert(0) += 1;
                }
            }
            Some(14) => self.flow_mod(m),
            Some(15) => self.group_mod(m),
            Some(29) => self.meter_mod(m),
            _ => {}
        }
    }

    fn oxms(&mut self, fields: &[u8]) {
        let mut i = 0;
        while let (Some(class), Some(&fh), Some(&len)) =
            (be16(fields, i), fields.get(i + 2), fields.get(i + 3))
        {
            *self.oxm.entry((class, fh >> 1, fh & 1 == 1)).or_insert(0) += 1;
            i += 4 + usize::from(len);
        }
    }

    fn flow_mod(&mut self, m: &[u8]) {
        let Some(match_len) = be16(m, 50) else { return };
        let match_len = usize::from(match_len);
        if let Some(fields) = m.get(52..48 + match_len) {
            self.oxms(fields);
        }
        let mut i = 48 + match_len.div_ceil(8) * 8;
        while let (Some(t), Some(len)) = (be16(m, i), be16(m, i + 2)) {
            let len = usize::from(len);
            if len < 4 {
                break;
            }
            *self.instructions.entry(t).or_insert(0) += 1;
            if let (3 | 4, Some(acts)) = (t, m.get(i + 8..i + len)) {
                self.actions_in(acts);
            }
            i += len;
        }
    }

    fn actions_in(&mut self, acts: &[u8]) {
        let mut i = 0;
        while let (Some(t), Some(len)) = (be16(acts, i), be16(acts, i + 2)) {
            let len = usize::from(len);
            if len < 8 {
                break;
            }
            *self.actions.entry(t).or_insert(0) += 1;
            // Set-field holds one OXM, then padding: only the first TLV counts.
            if let (25, Some(f)) = (t, acts.get(i + 4..i + len))
                && let (Some(class), Some(&fh)) = (be16(f, 0), f.get(2))
            {
                *self.oxm.entry((class, fh >> 1, fh & 1 == 1)).or_insert(0) += 1;
            }
            i += len;
        }
    }

    fn group_mod(&mut self, m: &[u8]) {
        if let Some(&t) = m.get(10) {
            *self.group_types.entry(t).or_insert(0) += 1;
        }
        let mut i = 16;
        while let Some(len) = be16(m, i) {
            let len = usize::from(len);
            if len < 16 {
                break;
            }
            if let Some(acts) = m.get(i + 16..i + len) {
                self.actions_in(acts);
            }
            i += len;
        }
    }

    fn meter_mod(&mut self, m: &[u8]) {
        let mut i = 16;
        while let (Some(t), Some(len)) = (be16(m, i), be16(m, i + 2)) {
            if len < 4 {
                break;
            }
            *self.meter_bands.entry(t).or_insert(0) += 1;
            i += usize::from(len);
        }
    }
}
