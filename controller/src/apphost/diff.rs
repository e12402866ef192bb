//! The difference between the flows we want on a switch and the flows it has.
//!
//! Both sides are maps from [`CanonicalKey`] to [`FlowEntry`]. A flow on the switch that the
//! host does not manage (a foreign cookie, the operator's, or an app no longer registered) is
//! never deleted or changed; if we want a flow with the same key, that is a [`Conflict`] and
//! the switch's flow stays. For flows we manage:
//!
//! * wanted and identical (cookie, canonical match, instructions, timeouts, state flags):
//!   nothing is sent, so its counters and duration survive;
//! * wanted with other instructions only: `MODIFY_STRICT` filtered on the cookie. Open vSwitch
//!   swaps the actions atomically and keeps counters, duration, timeouts and flags; OpenFlow
//!   1.3 modify cannot change a cookie, timeouts or flags;
//! * wanted with other timeouts, flags or cookie (a new generation): `ADD`, which overwrites
//!   the entry in place. Open vSwitch carries the packet and byte counters over (we never set
//!   `reset_counts`); the duration restarts;
//! * not wanted: `DELETE_STRICT` filtered on the whole cookie, so it cannot remove a flow
//!   someone else has put at the same key meanwhile;
//! * wanted and missing: `ADD`.
//!
//! The result lists deletes first, then modifies, then adds, each in key order so plans are
//! deterministic.

use std::collections::BTreeMap;

use openflow::Cookie;
use openflow::msg::{FlowMod, FlowModCommand};

use super::canon::{CanonicalKey, FlowEntry};

/// Flows by canonical key.
pub type FlowTable = BTreeMap<CanonicalKey, FlowEntry>;

/// A flow we want whose key a flow we do not manage already holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The flow we wanted.
    pub wanted: FlowEntry,
    /// The cookie of the switch's flow at that key.
    pub holder: Cookie,
}

/// What must change on a switch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowDiff {
    /// Flows of ours the switch has and we no longer want.
    pub deletes: Vec<FlowEntry>,
    /// Flows whose instructions changed (sent as `MODIFY_STRICT`).
    pub modifies: Vec<FlowEntry>,
    /// Flows missing, or changed in timeouts, flags or cookie (sent as `ADD`).
    pub adds: Vec<FlowEntry>,
    /// Wanted flows left out because a flow we do not manage holds their key.
    pub conflicts: Vec<Conflict>,
}

impl FlowDiff {
    /// True when the switch already has exactly what we want.
    pub fn is_empty(&self) -> bool {
        self.deletes.is_empty() && self.modifies.is_empty() && self.adds.is_empty()
    }

    /// The FLOW_MODs that apply the difference, deletes first.
    pub fn flow_mods(&self) -> Vec<FlowMod> {
        let deletes = self
            .deletes
            .iter()
            .map(|e| e.flow_mod(FlowModCommand::DeleteStrict));
        let modifies = self
            .modifies
            .iter()
            .map(|e| e.flow_mod(FlowModCommand::ModifyStrict));
        let adds = self.adds.iter().map(|e| e.flow_mod(FlowModCommand::Add));
        deletes.chain(modifies).chain(adds).collect()
    }
}

/// The difference that turns `actual` into `desired`, touching only flows whose cookie
/// `managed` accepts.
pub fn diff(desired: &FlowTable, actual: &FlowTable, managed: impl Fn(Cookie) -> bool) -> FlowDiff {
    let mut out = FlowDiff::default();
    for (key, have) in actual {
        let want = desired.get(key);
        if !managed(have.cookie) {
            if let Some(want) = want {
                out.conflicts.push(Conflict {
                    wanted: want.clone(),
                    holder: have.cookie,
                });
            }
            continue;
        }
        match want {
            None => out.deletes.push(have.clone()),
            Some(want) if want.same_as(have) => {}
            Some(want) => {
                let (w, h) = (want.body(), have.body());
                let only_instructions = want.cookie == have.cookie
                    && w.idle_timeout == h.idle_timeout
                    && w.hard_timeout == h.hard_timeout
                    && w.flags == h.flags;
                if only_instructions {
                    out.modifies.push(want.clone());
                } else {
                    out.adds.push(want.clone());
                }
            }
        }
    }
    for (key, want) in desired {
        if !actual.contains_key(key) {
            out.adds.push(want.clone());
        }
    }
    // Adds came from two passes; restore key order.
    out.adds.sort_by_key(|e| e.key());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use navarch_app::FlowSpec;
    use openflow::oxm::OxmField;
    use openflow::{Action, Instruction, Match, PortNo, TableId};

    const OURS: Cookie = Cookie(0x6e76_1000_0000_0000);
    const FOREIGN: Cookie = Cookie(0);

    fn flow(cookie: Cookie, in_port: u32, out: u32) -> FlowEntry {
        let spec = FlowSpec::new(
            TableId(0),
            100,
            Match::new().with(OxmField::InPort(PortNo(in_port))),
            vec![Instruction::ApplyActions(vec![Action::output(PortNo(out))])],
        );
        FlowEntry::from_spec(&spec, cookie)
    }

    fn table(entries: &[FlowEntry]) -> FlowTable {
        entries.iter().map(|e| (e.key(), e.clone())).collect()
    }

    fn ours(c: Cookie) -> bool {
        c == OURS
    }

    #[test]
    fn identical_tables_need_nothing() {
        let t = table(&[flow(OURS, 1, 2), flow(OURS, 2, 1)]);
        let d = diff(&t, &t, ours);
        assert!(d.is_empty());
        assert!(d.flow_mods().is_empty());
    }

    #[test]
    fn adds_missing_deletes_unwanted_modifies_changed() {
        let desired = table(&[flow(OURS, 1, 2), flow(OURS, 3, 9)]);
        let actual = table(&[flow(OURS, 1, 5), flow(OURS, 2, 1)]);
        let d = diff(&desired, &actual, ours);
        assert_eq!(d.deletes, vec![flow(OURS, 2, 1)]);
        assert_eq!(d.modifies, vec![flow(OURS, 1, 2)]);
        assert_eq!(d.adds, vec![flow(OURS, 3, 9)]);
        let commands: Vec<_> = d.flow_mods().iter().map(|m| m.command).collect();
        assert_eq!(
            commands,
            [
                FlowModCommand::DeleteStrict,
                FlowModCommand::ModifyStrict,
                FlowModCommand::Add
            ]
        );
    }

    #[test]
    fn changed_timeouts_or_generation_overwrite_with_add() {
        let mut want = flow(OURS, 1, 2);
        want.idle_timeout = 30;
        let d = diff(&table(&[want.clone()]), &table(&[flow(OURS, 1, 2)]), ours);
        assert_eq!((d.adds.len(), d.modifies.len(), d.deletes.len()), (1, 0, 0));

        let newer = flow(Cookie(OURS.0 | 1), 1, 2);
        let managed = |c: Cookie| c.0 >> 40 == OURS.0 >> 40;
        let d = diff(
            &table(&[newer.clone()]),
            &table(&[flow(OURS, 1, 2)]),
            managed,
        );
        assert_eq!(d.adds, vec![newer]);
        assert!(d.deletes.is_empty());
    }

    #[test]
    fn foreign_flows_are_kept_and_their_keys_are_conflicts() {
        let actual = table(&[flow(FOREIGN, 1, 7), flow(FOREIGN, 4, 4)]);
        let desired = table(&[flow(OURS, 1, 2)]);
        let d = diff(&desired, &actual, ours);
        assert!(d.is_empty());
        assert_eq!(
            d.conflicts,
            vec![Conflict {
                wanted: flow(OURS, 1, 2),
                holder: FOREIGN
            }]
        );
    }

    #[test]
    fn deletes_are_strict_and_cookie_filtered() {
        let d = diff(&FlowTable::new(), &table(&[flow(OURS, 1, 2)]), ours);
        let mods = d.flow_mods();
        assert_eq!(mods.len(), 1);
        assert_eq!(mods[0].command, FlowModCommand::DeleteStrict);
        assert_eq!((mods[0].cookie, mods[0].cookie_mask), (OURS, u64::MAX));
    }
}
