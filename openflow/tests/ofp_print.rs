//! Every message the crate can emit, decoded by Open vSwitch: `ovs-ofctl` must decode our
//! bytes without error and print exactly our `Display` text (see `oracle/mod.rs`).
//!
//! These tests need `ovs-ofctl` (Open vSwitch 3.x) and fail without it.

mod oracle;

use oracle::{check, simple};

#[test]
fn hello() {
    check("hello", simple::hello());
}

#[test]
fn error() {
    check("error", simple::errors());
}

#[test]
fn echo() {
    check("echo", simple::echo());
}

#[test]
fn experimenter() {
    let mut cases = simple::bundle_control();
    cases.extend(simple::experimenter_other());
    check("experimenter", cases);
}

#[test]
fn features_config_barrier() {
    let mut cases = simple::features();
    cases.extend(simple::config());
    cases.extend(simple::barrier());
    check("features/config/barrier", cases);
}

#[test]
fn queue_config() {
    check("queue config", simple::queue_config());
}

#[test]
fn role() {
    check("role", simple::role());
}

#[test]
fn async_config() {
    check("async config", simple::async_config());
}

#[test]
fn flow_mod() {
    check("flow mod", oracle::flow::flow_mods());
}

#[test]
fn flow_removed() {
    check("flow removed", oracle::flow::flow_removed());
}

#[test]
fn packet_in() {
    check("packet in", oracle::packet::packet_ins());
}

#[test]
fn packet_out() {
    check("packet out", oracle::packet::packet_outs());
}

#[test]
fn port_status() {
    check("port status", oracle::port::port_status());
}

#[test]
fn port_mod() {
    check("port mod", oracle::port::port_mods());
}

#[test]
fn table_mod() {
    check("table mod", oracle::port::table_mods());
}

#[test]
fn bundle_add() {
    use openflow::{Body, Message, Xid};
    let mut inner: Vec<(String, Message)> = Vec::new();
    for (n, case) in oracle::flow::flow_mods()
        .into_iter()
        .filter(|c| matches!(c.expect, oracle::Expect::Same))
        .step_by(7)
        .enumerate()
    {
        inner.push((case.name, Message::new(Xid(100 + n as u32), case.msg.body)));
    }
    for case in oracle::port::port_mods().into_iter().take(2) {
        inner.push((case.name, Message::new(Xid(200), case.msg.body)));
    }
    for case in oracle::packet::packet_outs().into_iter().step_by(9) {
        inner.push((case.name, Message::new(Xid(300), case.msg.body)));
    }
    let mut cases = simple::bundle_add(inner);
    cases.push(
        simple::bundle_add(vec![(
            "barrier".to_string(),
            Message::new(Xid(400), Body::BarrierRequest),
        )])
        .remove(0)
        .rejected(
            "OFPBFC_MSG_UNSUP",
            "OVS allows only flow, group and port mods and packet-outs in a bundle \
             (bundle::bundlable); the crate encodes and decodes any message there",
        ),
    );
    check("bundle add", cases);
}

#[test]
fn edge_values() {
    let mut cases = oracle::edge::errors();
    cases.extend(oracle::edge::unknown_values());
    check("edge values", cases);
}

#[test]
fn group_mod() {
    check("group mod", oracle::group_meter::group_mods());
}

#[test]
fn meter_mod() {
    check("meter mod", oracle::group_meter::meter_mods());
}

#[test]
fn multipart_request() {
    check("multipart request", oracle::multipart::requests());
}

#[test]
fn multipart_reply() {
    check("multipart reply", oracle::multipart::replies());
}
