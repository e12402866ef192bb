//! Conversions between the runtime's types and the API's messages.

use std::time::SystemTime;

use navarch_proto::v1 as pb;
use openflow::DatapathId;
use openflow::instruction::InstructionsText;
use openflow::msg::{FlowStats, GroupDesc, MeterConfig, PortConfig, PortState};
use prost_types::value::Kind;
use serde_json::{Map, Value};

use crate::runtime::{AppInfo, ReadView, SwitchInfo};
use crate::store::MacText;
use crate::topology::LinkEnd;

/// A connected switch with its ports (no counters).
pub(super) fn switch(view: &ReadView<'_>, dpid: DatapathId, info: &SwitchInfo<'_>) -> pb::Switch {
    let topo = view.topology();
    let known = topo.switch(dpid);
    let ports = known
        .map(|s| {
            s.ports
                .iter()
                .map(|(no, p)| {
                    let d = &p.desc;
                    pb::Port {
                        port_no: no.0,
                        name: d.name.clone(),
                        hw_addr: MacText(d.hw_addr.0).to_string(),
                        up: p.is_up(),
                        admin_down: d.config.contains(PortConfig::PORT_DOWN),
                        link_down: d.state.contains(PortState::LINK_DOWN),
                        link: topo.links().is_link_port(LinkEnd::new(dpid, *no)),
                        probing: p.is_probing(),
                        curr_speed_kbps: d.curr_speed,
                        counters: None,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    pb::Switch {
        dpid: dpid.0,
        dpid_text: dpid.to_string(),
        address: info.handle.peer().to_string(),
        n_tables: u32::from(known.map_or(info.handle.features().n_tables, |s| s.n_tables)),
        connected_seconds: SystemTime::now()
            .duration_since(info.connected_at)
            .map_or(0, |d| d.as_secs()),
        ports,
        reconciled: info.reconciled,
    }
}

/// A flow entry as the switch reported it.
pub(super) fn flow(view: &ReadView<'_>, f: &FlowStats) -> pb::Flow {
    pb::Flow {
        table: u32::from(f.table_id.0),
        priority: u32::from(f.priority),
        cookie: f.cookie.0,
        owner: view.cookie_owner(f.cookie.0),
        r#match: f.match_.to_string(),
        actions: format!("actions={}", InstructionsText(&f.instructions)),
        idle_timeout: u32::from(f.idle_timeout),
        hard_timeout: u32::from(f.hard_timeout),
        packet_count: f.packet_count,
        byte_count: f.byte_count,
        duration_seconds: f64::from(f.duration_sec) + f64::from(f.duration_nsec) / 1e9,
        text: f.to_string().trim().to_owned(),
    }
}

/// A group as the switch described it.
pub(super) fn group(view: &ReadView<'_>, g: &GroupDesc) -> pb::Group {
    let text = g.to_string();
    let buckets = text
        .split(",bucket=")
        .skip(1)
        .map(|b| format!("bucket={b}"))
        .collect();
    pb::Group {
        group_id: g.group_id.0,
        r#type: g.group_type.name().unwrap_or("unknown").to_owned(),
        owner: view.id_owner(g.group_id.0),
        buckets,
        text,
    }
}

/// A meter as the switch described it.
pub(super) fn meter(view: &ReadView<'_>, m: &MeterConfig) -> pb::Meter {
    pb::Meter {
        meter_id: m.meter_id.0,
        owner: view.id_owner(m.meter_id.0),
        text: m.to_string().trim().to_owned(),
    }
}

/// An app with its configuration.
pub(super) fn app(a: &AppInfo) -> pb::App {
    pb::App {
        name: a.status.name.to_owned(),
        enabled: a.status.enabled,
        tables: a.status.tables.iter().map(|t| u32::from(t.0)).collect(),
        config: Some(to_struct(&a.config)),
        generation: a.status.generation,
    }
}

/// A JSON object as a protobuf Struct.
pub(super) fn to_struct(map: &Map<String, Value>) -> prost_types::Struct {
    prost_types::Struct {
        fields: map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect(),
    }
}

fn to_value(v: &Value) -> prost_types::Value {
    let kind = match v {
        Value::Null => Kind::NullValue(0),
        Value::Bool(b) => Kind::BoolValue(*b),
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Array(a) => Kind::ListValue(prost_types::ListValue {
            values: a.iter().map(to_value).collect(),
        }),
        Value::Object(o) => Kind::StructValue(to_struct(o)),
    };
    prost_types::Value { kind: Some(kind) }
}

/// A protobuf Struct as a JSON object; whole numbers become integers.
pub(super) fn from_struct(s: &prost_types::Struct) -> Map<String, Value> {
    s.fields
        .iter()
        .map(|(k, v)| (k.clone(), from_value(v)))
        .collect()
}

fn from_value(v: &prost_types::Value) -> Value {
    match &v.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(*b),
        Some(Kind::NumberValue(n)) => {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::from(*n as i64)
            } else {
                Value::from(*n)
            }
        }
        Some(Kind::StringValue(s)) => Value::String(s.clone()),
        Some(Kind::ListValue(l)) => Value::Array(l.values.iter().map(from_value).collect()),
        Some(Kind::StructValue(s)) => Value::Object(from_struct(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_survives_a_trip_through_struct_and_whole_numbers_stay_integers() {
        let json = serde_json::json!({
            "idle_timeout": 60, "ratio": 0.5, "name": "x", "on": true, "none": null,
            "list": [1, "a"], "nested": {"k": 2}
        });
        let map = json.as_object().unwrap();
        assert_eq!(Value::Object(from_struct(&to_struct(map))), json);
    }
}
