//! Proptest strategies for every public wire type of the `openflow` crate, shared by the
//! property-test files (`mod strategies;`).
//!
//! Values are generated the way a switch or a controller could legally send them: padding is
//! not represented (so it is always zero on the wire), lengths fit their fields, masked OXM
//! values have no bits outside their mask, raw experimenter and unknown bodies respect the
//! alignment their container imposes. That makes `parse(emit(x)) == x` the real contract
//! rather than a weakened one.

// Each test binary uses a different subset of these strategies.
#![allow(dead_code)]

pub mod action;
pub mod flow;
pub mod group;
pub mod multipart;
pub mod oxm;
pub mod simple;

use bytes::Bytes;
use openflow::{Body, Message, PortNo, Xid};
use proptest::collection::vec;
use proptest::prelude::*;

/// Arbitrary bytes, at most `max` of them.
pub fn bytes(max: usize) -> impl Strategy<Value = Bytes> + Clone {
    vec(any::<u8>(), 0..=max).prop_map(Bytes::from)
}

/// Arbitrary bytes whose length is a multiple of 8, at most `max_words` words.
pub fn bytes8(max_words: usize) -> impl Strategy<Value = Bytes> + Clone {
    (0..=max_words)
        .prop_flat_map(|n| vec(any::<u8>(), n * 8))
        .prop_map(Bytes::from)
}

/// A port number a switch could report or a controller name: a physical port or a reserved
/// one.
pub fn port() -> impl Strategy<Value = PortNo> + Clone {
    prop_oneof![
        4 => (1u32..=PortNo::MAX.0).prop_map(PortNo),
        1 => prop::sample::select(vec![
            PortNo::IN_PORT,
            PortNo::TABLE,
            PortNo::NORMAL,
            PortNo::FLOOD,
            PortNo::ALL,
            PortNo::CONTROLLER,
            PortNo::LOCAL,
            PortNo::ANY,
        ]),
    ]
}

/// A whole message with an arbitrary xid around a body from `body`.
pub fn message(body: impl Strategy<Value = Body>) -> impl Strategy<Value = Message> {
    (any::<u32>(), body).prop_map(|(xid, body)| Message::new(Xid(xid), body))
}

/// Bodies that have no fields.
pub fn empty_body() -> impl Strategy<Value = Body> + Clone {
    prop::sample::select(vec![
        Body::FeaturesRequest,
        Body::GetConfigRequest,
        Body::BarrierRequest,
        Body::BarrierReply,
        Body::GetAsyncRequest,
    ])
}

/// A message type OpenFlow 1.3 does not define, kept byte for byte.
pub fn unknown_body() -> impl Strategy<Value = Body> + Clone {
    (30u8..=255, bytes(64)).prop_map(|(msg_type, body)| Body::Unknown { msg_type, body })
}

/// Any body of any message type.
pub fn any_body() -> BoxedStrategy<Body> {
    prop_oneof![
        1 => empty_body(),
        1 => unknown_body(),
        6 => simple::any_simple_body(),
        6 => flow_family_body(),
        2 => group::group_mod().prop_map(Body::GroupMod),
        2 => group::meter_mod().prop_map(Body::MeterMod),
        5 => multipart::multipart_body(),
    ]
    .boxed()
}

/// A message OVS accepts inside a bundle: a flow, group or port mod, or a packet-out.
pub fn bundlable_message() -> impl Strategy<Value = Message> {
    message(prop_oneof![
        flow::flow_mod().prop_map(Body::FlowMod),
        group::group_mod().prop_map(Body::GroupMod),
        flow::port_mod().prop_map(Body::PortMod),
        flow::packet_out().prop_map(Body::PacketOut),
    ])
}

/// Bodies of the flow, packet, port and table messages.
pub fn flow_family_body() -> BoxedStrategy<Body> {
    prop_oneof![
        flow::flow_mod().prop_map(Body::FlowMod),
        flow::flow_removed().prop_map(Body::FlowRemoved),
        flow::packet_in().prop_map(Body::PacketIn),
        flow::packet_out().prop_map(Body::PacketOut),
        flow::port_status().prop_map(Body::PortStatus),
        flow::port_mod().prop_map(Body::PortMod),
        flow::table_mod().prop_map(Body::TableMod),
    ]
    .boxed()
}

/// Any message.
pub fn any_message() -> impl Strategy<Value = Message> {
    message(any_body())
}
