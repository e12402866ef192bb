//! The operator's flows: raw flows added through the API in `ovs-ofctl` syntax. They live in
//! the store (one [`OperatorFlowRecord`] each) and reach switches like an app's flows: the
//! host registers [`OperatorFlows`] under [`Owner::Operator`](super::Owner::Operator), so
//! reconciliation installs the stored ones a switch lacks, keeps the ones it has (counters
//! intact) and removes operator-cookie flows the store no longer holds.
//!
//! The runtime owns the records; it hands each switch's flows to the registered app through
//! an [`OperatorBook`] (both sides of one shared table) and then invalidates the switch.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use navarch_app::{App, FlowSpec, Slice, View};
use openflow::instruction::{Instruction, InstructionsText};
use openflow::msg::{FlowMod, FlowModCommand, FlowModFlags};
use openflow::{Action, DatapathId, OxmField, PortNo, TableId};

use super::canon::wire_form;
use crate::store::{OperatorFlowKey, OperatorFlowRecord};

/// The app name operator flows go by (`Flow.owner` in the API).
pub const OPERATOR: &str = "operator";

type Table = Arc<Mutex<BTreeMap<DatapathId, Vec<FlowSpec>>>>;

/// The operator's flows as an app: every table, one slice per switch.
pub struct OperatorFlows {
    table: Table,
}

/// The runtime's side of [`OperatorFlows`]: sets what a switch should have.
#[derive(Clone)]
pub struct OperatorBook {
    table: Table,
}

/// The app to register and the book that fills it.
pub fn operator_flows() -> (OperatorFlows, OperatorBook) {
    let table = Table::default();
    (
        OperatorFlows {
            table: table.clone(),
        },
        OperatorBook { table },
    )
}

impl OperatorBook {
    /// Replaces a switch's operator flows (the host must then be told it is stale).
    pub fn set(&self, dpid: DatapathId, flows: Vec<FlowSpec>) {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        if flows.is_empty() {
            table.remove(&dpid);
        } else {
            table.insert(dpid, flows);
        }
    }
}

impl App for OperatorFlows {
    fn name(&self) -> &'static str {
        OPERATOR
    }

    fn tables(&self) -> Vec<TableId> {
        (0..=TableId::MAX.0).map(TableId).collect()
    }

    fn flows(&self, dpid: DatapathId, _view: &dyn View) -> Vec<FlowSpec> {
        let table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        table.get(&dpid).cloned().unwrap_or_default()
    }

    fn slice_flows(&self, dpid: DatapathId, slice: &Slice, view: &dyn View) -> Vec<FlowSpec> {
        match slice {
            Slice::Base => self.flows(dpid, view),
            _ => Vec::new(),
        }
    }
}

/// Why flow text cannot be an operator flow. The message names what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FlowTextError(pub String);

/// Parses an operator flow for an add: `ovs-ofctl add-flow` syntax, no cookie, a table
/// from 0 to 254, ports in range. A flow with a timeout gets `send_flow_rem`, so the
/// controller hears when the switch expires it and forgets it too.
pub fn parse_add(text: &str) -> Result<FlowMod, FlowTextError> {
    let mut fm =
        FlowMod::from_ofctl(text, FlowModCommand::Add).map_err(|e| FlowTextError(e.message))?;
    if fm.cookie.0 != 0 {
        return Err(FlowTextError(
            "a cookie is not allowed: operator flows carry the operator cookie".into(),
        ));
    }
    check_table(text)?;
    check_ports(&fm)?;
    if fm.idle_timeout != 0 || fm.hard_timeout != 0 {
        fm.flags |= FlowModFlags::SEND_FLOW_REM;
    }
    Ok(fm)
}

/// Parses table, priority and match for a delete (`ovs-ofctl del-flows` syntax; actions are
/// ignored). Without `table=` it means table 0, as for an add.
pub fn parse_delete(text: &str) -> Result<FlowMod, FlowTextError> {
    let without_actions = match text.find("action") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut fm = FlowMod::from_ofctl(without_actions, FlowModCommand::DeleteStrict)
        .map_err(|e| FlowTextError(e.message))?;
    check_table(text)?;
    check_ports(&fm)?;
    if fm.table_id == TableId::ALL {
        fm.table_id = TableId(0);
    }
    Ok(fm)
}

/// Refuses `table=255` (all tables), which the parser reads as the default table for adds.
fn check_table(text: &str) -> Result<(), FlowTextError> {
    let all = text
        .split([',', ' ', '\t'])
        .any(|item| matches!(item.trim(), "table=255" | "table:255"));
    if all {
        Err(FlowTextError(
            "table 255 is out of range (a flow table is 0 to 254)".into(),
        ))
    } else {
        Ok(())
    }
}

/// Refuses port numbers above OFPP_MAX that are not one of the reserved ports.
fn check_ports(fm: &FlowMod) -> Result<(), FlowTextError> {
    let check = |what: &str, port: PortNo| {
        if port.0 > PortNo::MAX.0 && port.0 < PortNo::IN_PORT.0 {
            Err(FlowTextError(format!(
                "{what} port {} is out of range (1 to {} or a reserved port)",
                port.0,
                PortNo::MAX.0
            )))
        } else {
            Ok(())
        }
    };
    for field in fm.match_.iter() {
        if let OxmField::InPort(port) = field {
            check("in_port", *port)?;
        }
    }
    for instruction in &fm.instructions {
        if let Instruction::ApplyActions(actions) | Instruction::WriteActions(actions) = instruction
        {
            for action in actions {
                if let Action::Output { port, .. } = action {
                    check("output", *port)?;
                }
            }
        }
    }
    Ok(())
}

/// The key a flow is stored under: table, priority, canonical match text.
pub fn key_of(table: TableId, priority: u16, match_: &openflow::Match) -> OperatorFlowKey {
    OperatorFlowKey {
        table: table.0,
        priority,
        match_: wire_form(match_).to_string(),
    }
}

/// The record that stores a parsed add.
pub fn record_of(fm: &FlowMod) -> OperatorFlowRecord {
    let key = key_of(fm.table_id, fm.priority, &fm.match_);
    let mut text = format!("table={},priority={}", fm.table_id.0, fm.priority);
    if !key.match_.is_empty() {
        text.push(',');
        text.push_str(&key.match_);
    }
    if fm.idle_timeout != 0 {
        text.push_str(&format!(",idle_timeout={}", fm.idle_timeout));
    }
    if fm.hard_timeout != 0 {
        text.push_str(&format!(",hard_timeout={}", fm.hard_timeout));
    }
    for (flag, name) in [
        (FlowModFlags::SEND_FLOW_REM, "send_flow_rem"),
        (FlowModFlags::CHECK_OVERLAP, "check_overlap"),
        (FlowModFlags::RESET_COUNTS, "reset_counts"),
        (FlowModFlags::NO_PKT_COUNTS, "no_packet_counts"),
        (FlowModFlags::NO_BYT_COUNTS, "no_byte_counts"),
    ] {
        if fm.flags.contains(flag) {
            text.push(',');
            text.push_str(name);
        }
    }
    text.push_str(&format!(",actions={}", InstructionsText(&fm.instructions)));
    OperatorFlowRecord {
        table: key.table,
        priority: key.priority,
        match_: key.match_,
        flow: text,
    }
}

/// The flow a stored record asks for.
pub fn spec_of(record: &OperatorFlowRecord) -> Result<FlowSpec, FlowTextError> {
    let fm = FlowMod::from_ofctl(&record.flow, FlowModCommand::Add)
        .map_err(|e| FlowTextError(e.message))?;
    Ok(FlowSpec {
        table: fm.table_id,
        priority: fm.priority,
        match_: fm.match_,
        instructions: fm.instructions,
        idle_timeout: fm.idle_timeout,
        hard_timeout: fm.hard_timeout,
        flags: fm.flags,
        slice: Slice::Base,
    })
}

/// True if a stored flow falls under a loose delete (OFPFC_DELETE): same table, and its
/// match has every field of `pattern` with a value inside the pattern's (for a masked pattern
/// field, equal under the mask; the flow's own mask must be at least as specific).
pub fn loosely_matches(pattern: &FlowMod, flow: &FlowSpec) -> bool {
    if flow.table != pattern.table_id {
        return false;
    }
    let flow_fields: Vec<(u32, Vec<u8>)> = wire_form(&flow.match_)
        .iter()
        .map(|f| {
            let raw = f.to_raw();
            (raw.header, raw.payload.to_vec())
        })
        .collect();
    wire_form(&pattern.match_).iter().all(|f| {
        let raw = f.to_raw();
        let (value, mask) = value_and_mask(raw.header, &raw.payload);
        let field = raw.header & !0x1ff; // class and field, without has-mask and length
        flow_fields.iter().any(|(header, payload)| {
            if header & !0x1ff != field {
                return false;
            }
            let (flow_value, flow_mask) = value_and_mask(*header, payload);
            if flow_value.len() != value.len() {
                return false;
            }
            // The flow must fix every bit the pattern fixes, to the same value.
            (0..value.len()).all(|i| {
                let pm = mask.map_or(0xff, |m| m[i]);
                let fm = flow_mask.map_or(0xff, |m| m[i]);
                fm & pm == pm && flow_value[i] & pm == value[i] & pm
            })
        })
    })
}

/// An OXM payload split into value and mask (`None`: exact match).
fn value_and_mask(header: u32, payload: &[u8]) -> (&[u8], Option<&[u8]>) {
    let has_mask = header & 0x100 != 0;
    if has_mask && payload.len().is_multiple_of(2) {
        let (value, mask) = payload.split_at(payload.len() / 2);
        (value, Some(mask))
    } else {
        (payload, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parsed_flow_is_stored_as_text_that_parses_back_to_it() {
        for text in [
            "table=0,priority=40000,in_port=1,dl_dst=00:00:00:00:00:02,actions=drop",
            "priority=100 tcp,nw_dst=10.0.0.0/24,tp_dst=80 actions=output:2,controller",
            "table=3,priority=7,idle_timeout=30,ip,actions=goto_table:4",
            "table=1,actions=write_actions(output:1),goto_table:2",
        ] {
            let fm = parse_add(text).unwrap();
            let record = record_of(&fm);
            let spec = spec_of(&record).unwrap();
            assert_eq!(spec.table, fm.table_id, "{text}");
            assert_eq!(spec.priority, fm.priority);
            assert_eq!(wire_form(&spec.match_), wire_form(&fm.match_));
            assert_eq!(spec.instructions, fm.instructions, "{}", record.flow);
            assert_eq!(spec.flags, fm.flags);
            // Stable: storing the re-parsed flow gives the same record.
            let again = FlowMod::from_ofctl(&record.flow, FlowModCommand::Add).unwrap();
            assert_eq!(record_of(&again), record);
        }
    }

    #[test]
    fn equal_matches_written_differently_have_one_key() {
        let a = parse_add("dl_dst=00:00:00:00:00:02,in_port=1,actions=drop").unwrap();
        let b = parse_add("in_port=1,dl_dst=00:00:00:00:00:02 actions=output:3").unwrap();
        assert_eq!(record_of(&a).key(), record_of(&b).key());
    }

    #[test]
    fn bad_flows_are_refused_with_what_is_wrong() {
        let err = |t: &str| parse_add(t).unwrap_err().0;
        assert!(err("in_port=1,actions=bogus").contains("bogus"));
        assert!(err("cookie=0x5,actions=drop").contains("cookie"));
        assert!(err("table=255,actions=drop").contains("table 255"));
        assert!(err("in_port=4294967100,actions=drop").contains("in_port port 4294967100"));
        assert!(err("actions=output:4294967200").contains("output port"));
        assert!(err("in_port=1").contains("action"));
        assert!(err("in_port=99999999999,actions=drop").contains("in_port"));
        // Reserved ports are fine.
        parse_add("in_port=LOCAL,actions=output:CONTROLLER,IN_PORT").unwrap();
    }

    #[test]
    fn timeouts_ask_for_flow_removed() {
        let fm = parse_add("hard_timeout=5,actions=drop").unwrap();
        assert!(fm.flags.contains(FlowModFlags::SEND_FLOW_REM));
        assert!(parse_add("actions=drop").unwrap().flags.is_empty());
    }

    #[test]
    fn a_loose_delete_takes_the_flows_its_match_contains() {
        let spec = |t: &str| spec_of(&record_of(&parse_add(t).unwrap())).unwrap();
        let del = |t: &str| parse_delete(t).unwrap();
        let flow = spec("priority=5,tcp,in_port=1,nw_dst=10.0.0.7,tp_dst=80,actions=drop");
        assert!(loosely_matches(&del(""), &flow));
        assert!(loosely_matches(&del("in_port=1"), &flow));
        assert!(loosely_matches(&del("ip,nw_dst=10.0.0.0/24"), &flow));
        assert!(!loosely_matches(&del("in_port=2"), &flow));
        assert!(!loosely_matches(&del("ip,nw_dst=10.0.1.0/24"), &flow));
        assert!(!loosely_matches(&del("table=1"), &flow));
        assert!(!loosely_matches(&del("udp"), &flow));
        // A less specific flow is not inside a more specific pattern.
        let wide = spec("priority=5,ip,nw_dst=10.0.0.0/8,actions=drop");
        assert!(!loosely_matches(&del("ip,nw_dst=10.0.0.0/24"), &wide));
    }
}
