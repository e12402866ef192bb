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
