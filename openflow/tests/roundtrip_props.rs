//! Property tests: every generated message and every wire structure survives
//! `parse(emit(x)) == x`, `wire_len()` is exactly what `emit` writes, and `Display` does not
//! panic.
//!
//! Each property runs [`CASES`] cases, enough to reach every variant many times while the
//! whole file stays within a few seconds in a debug build.

mod strategies;

use std::fmt::{Debug, Display};

use bytes::BytesMut;
use openflow::msg::{Experimenter, MultipartReplyBody as Rep, MultipartRequestBody as Req};
use openflow::{Body, HEADER_LEN, Header, Message, MsgType, Wire, Xid};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use strategies::simple as s;
use strategies::*;
use strategies::{action as act, flow, group, multipart as mp, oxm};

/// Cases per property.
const CASES: u32 = 512;

/// [`CASES`] cases, or `PROPTEST_CASES` when set (for a longer run by hand).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig::with_cases(cases)
}

/// The message contract: encode, decode back to an equal value, lengths agree, text renders.
fn check_message(m: &Message) -> Result<(), TestCaseError> {
    let bytes = m
        .encode()
        .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
    prop_assert_eq!(m.wire_len(), bytes.len(), "wire_len disagrees with encode");
    let back = Message::decode(&bytes)
        .map_err(|e| TestCaseError::fail(format!("decode failed: {e} on {bytes:02x?}")))?;
    prop_assert_eq!(&back, m, "bytes: {:02x?}", &bytes[..]);
    let _ = m.to_string();
    Ok(())
}

/// The structure contract, through `Wire::to_bytes` / `Wire::from_bytes`.
fn check_wire<T: Wire + PartialEq + Debug>(v: &T) -> Result<(), TestCaseError> {
    let bytes = v.to_bytes();
    prop_assert_eq!(v.wire_len(), bytes.len(), "wire_len disagrees with emit");
    let back = T::from_bytes(&bytes)
        .map_err(|e| TestCaseError::fail(format!("parse failed: {e} on {bytes:02x?}")))?;
    prop_assert_eq!(&back, v, "bytes: {:02x?}", &bytes[..]);
    Ok(())
}

/// [`check_wire`] plus a `Display` that does not panic.
fn check_shown<T: Wire + PartialEq + Debug + Display>(v: &T) -> Result<(), TestCaseError> {
    check_wire(v)?;
    let _ = v.to_string();
    Ok(())
}

/// One test per message type, named after it.
macro_rules! message_props {
    ($($name:ident => $body:expr;)*) => {
        proptest! {
            #![proptest_config(config())]
            $(
                #[test]
                fn $name(m in message($body)) {
                    check_message(&m)?;
                }
            )*
        }
    };
}

/// One test per structure, named after it; `shown` structures also implement `Display`.
macro_rules! wire_props {
    ($($check:ident $name:ident => $strategy:expr;)*) => {
        proptest! {
            #![proptest_config(config())]
            $(
                #[test]
                fn $name(v in $strategy) {
                    $check(&v)?;
                }
            )*
        }
    };
}

message_props! {
    msg_empty_bodies => empty_body();
    msg_unknown_type => unknown_body();
    msg_hello => s::hello().prop_map(Body::Hello);
    msg_error => s::error_msg().prop_map(Body::Error);
    msg_echo_request => s::echo().prop_map(Body::EchoRequest);
    msg_echo_reply => s::echo().prop_map(Body::EchoReply);
    msg_experimenter => s::experimenter_other().prop_map(Body::Experimenter);
    msg_bundle_control =>
        s::bundle_control().prop_map(|c| Body::Experimenter(Experimenter::BundleControl(c)));
    msg_bundle_add =>
        s::bundle_add(bundlable_message()).prop_map(|a| Body::Experimenter(Experimenter::BundleAdd(a)));
    msg_features_reply => s::features_reply().prop_map(Body::FeaturesReply);
    msg_get_config_reply => s::switch_config().prop_map(Body::GetConfigReply);
    msg_set_config => s::switch_config().prop_map(Body::SetConfig);
    msg_role_request => s::role().prop_map(Body::RoleRequest);
    msg_role_reply => s::role().prop_map(Body::RoleReply);
    msg_get_async_reply => s::async_config().prop_map(Body::GetAsyncReply);
    msg_set_async => s::async_config().prop_map(Body::SetAsync);
    msg_queue_get_config_request =>
        s::queue_get_config_request().prop_map(Body::QueueGetConfigRequest);
    msg_queue_get_config_reply => s::queue_get_config_reply().prop_map(Body::QueueGetConfigReply);
    msg_flow_mod => flow::flow_mod().prop_map(Body::FlowMod);
    msg_flow_removed => flow::flow_removed().prop_map(Body::FlowRemoved);
    msg_packet_in => flow::packet_in().prop_map(Body::PacketIn);
    msg_packet_out => flow::packet_out().prop_map(Body::PacketOut);
    msg_port_status => flow::port_status().prop_map(Body::PortStatus);
    msg_port_mod => flow::port_mod().prop_map(Body::PortMod);
    msg_table_mod => flow::table_mod().prop_map(Body::TableMod);
    msg_group_mod => group::group_mod().prop_map(Body::GroupMod);
    msg_meter_mod => group::meter_mod().prop_map(Body::MeterMod);
    msg_multipart_request => mp::multipart_request().prop_map(Body::MultipartRequest);
    msg_multipart_reply => mp::multipart_reply().prop_map(Body::MultipartReply);
}

proptest! {
    #![proptest_config(config())]

    /// The header alone: any version, type, length and xid survive `Header::parse`/`emit`.
    #[test]
    fn header(version in any::<u8>(), t in any::<u8>(), length in any::<u16>(), xid in any::<u32>()) {
        let h = Header { version, msg_type: MsgType::from_raw(t), length, xid: Xid(xid) };
        let mut out = BytesMut::new();
        h.emit(&mut out);
        prop_assert_eq!(out.len(), HEADER_LEN);
        let parsed = openflow::wire::complete(Header::parse(&out));
        prop_assert_eq!(parsed, Ok(h));
    }

    /// A bundle add built as the extension asks (outer xid = inner xid) survives too.
    #[test]
    fn msg_bundle_add_as_sent(m in s::bundle_add_message()) {
        check_message(&m)?;
    }

    /// The mixture every other test file draws from.
    #[test]
    fn msg_any(m in any_message()) {
        check_message(&m)?;
    }
}

wire_props! {
    check_wire hello_element => s::hello_element();
    check_shown hello_body => s::hello();
    check_shown echo_body => s::echo();
    check_shown error_body => s::error_msg();
    check_shown experimenter_body => s::experimenter_other();
    check_wire bundle_prop => s::bundle_prop();
    check_shown bundle_control => s::bundle_control();
    check_shown bundle_add => s::bundle_add(bundlable_message());
    check_shown features_reply => s::features_reply();
    check_shown switch_config => s::switch_config();
    check_shown role => s::role();
    check_shown async_config => s::async_config();
    check_wire queue_prop => s::queue_prop();
    check_shown packet_queue => s::packet_queue();
    check_shown queue_get_config_request => s::queue_get_config_request();
    check_shown queue_get_config_reply => s::queue_get_config_reply();
    check_shown queue_stats_request => s::queue_stats_request();
    check_shown queue_stats => s::queue_stats();
    check_shown desc => s::desc();
}

wire_props! {
    check_shown oxm_field => oxm::oxm_field();
    check_shown oxm_unknown_field => oxm::raw_oxm().prop_map(openflow::OxmField::Unknown);
    check_shown oxm_set_field_value => oxm::set_field();
    check_shown match_lenient => oxm::lenient_match();
}

proptest! {
    #![proptest_config(config())]

    /// A legal match round-trips, and the match module's own validation agrees it is legal
    /// (a disagreement is a bug in one of the two).
    #[test]
    fn match_legal(m in oxm::legal_match()) {
        check_shown(&m)?;
        prop_assert_eq!(m.validate(), Ok(()), "{:?}", m);
    }
}

wire_props! {
    check_shown action => act::action();
    check_shown instruction => act::instruction();
    check_shown apply_actions_list => act::action_list().prop_map(openflow::Instruction::ApplyActions);
    check_shown write_actions_set => act::action_set().prop_map(openflow::Instruction::WriteActions);
    check_shown flow_mod => flow::flow_mod();
    check_shown flow_removed => flow::flow_removed();
    check_shown packet_in => flow::packet_in();
    check_shown packet_out => flow::packet_out();
    check_shown port_desc => flow::port_desc();
    check_shown port_status => flow::port_status();
    check_shown port_mod => flow::port_mod();
    check_shown table_mod => flow::table_mod();
    check_shown flow_stats_request => flow::flow_stats_request();
    check_shown flow_stats => flow::flow_stats();
    check_shown aggregate_stats => flow::aggregate_stats();
    check_shown table_stats => flow::table_stats();
    check_shown port_stats_request => flow::port_stats_request();
    check_shown port_stats => flow::port_stats();
}

wire_props! {
    check_shown bucket => group::bucket();
    check_shown group_mod => group::group_mod();
    check_shown group_stats_request => group::group_stats_request();
    check_shown group_stats => group::group_stats();
    check_shown group_desc => group::group_desc();
    check_shown group_features => group::group_features();
    check_shown meter_band => group::meter_band();
    check_shown meter_mod => group::meter_mod();
    check_shown meter_request => group::meter_request();
    check_shown meter_stats => group::meter_stats();
    check_shown meter_config => group::meter_config();
    check_shown meter_features => group::meter_features();
    check_wire feature_id => mp::feature_id();
    check_wire table_features_oxm_id => mp::oxm_id();
    check_wire table_feature_prop => mp::table_feature_prop();
    check_shown table_features => mp::table_features();
    check_shown multipart_request => mp::multipart_request();
    check_shown multipart_reply => mp::multipart_reply();
}

/// One test per multipart body type, so that each gets its own cases.
macro_rules! multipart_props {
    ($($name:ident => $strategy:expr;)*) => {
        proptest! {
            #![proptest_config(config())]
            $(
                #[test]
                fn $name(m in message($strategy)) {
                    check_message(&m)?;
                }
            )*
        }
    };
}

fn request(body: openflow::msg::MultipartRequestBody) -> Body {
    Body::MultipartRequest(openflow::msg::MultipartRequest {
        flags: Default::default(),
        body,
    })
}

fn reply(body: openflow::msg::MultipartReplyBody) -> Body {
    Body::MultipartReply(openflow::msg::MultipartReply {
        flags: Default::default(),
        body,
    })
}

multipart_props! {
    mp_request_flow => flow::flow_stats_request().prop_map(|r| request(Req::Flow(r)));
    mp_request_aggregate => flow::flow_stats_request().prop_map(|r| request(Req::Aggregate(r)));
    mp_request_port_stats => flow::port_stats_request().prop_map(|r| request(Req::PortStats(r)));
    mp_request_queue => s::queue_stats_request().prop_map(|r| request(Req::Queue(r)));
    mp_request_group => group::group_stats_request().prop_map(|r| request(Req::Group(r)));
    mp_request_meter => group::meter_request().prop_map(|r| request(Req::Meter(r)));
    mp_request_meter_config => group::meter_request().prop_map(|r| request(Req::MeterConfig(r)));
    mp_request_table_features =>
        prop::collection::vec(mp::table_features(), 0..3).prop_map(|t| request(Req::TableFeatures(t)));
    mp_request_bodiless => prop::sample::select(vec![
        Req::Desc, Req::Table, Req::GroupDesc, Req::GroupFeatures, Req::MeterFeatures, Req::PortDesc,
    ]).prop_map(request);
    mp_reply_desc => s::desc().prop_map(|d| reply(Rep::Desc(d)));
    mp_reply_flow => prop::collection::vec(flow::flow_stats(), 0..4).prop_map(|v| reply(Rep::Flow(v)));
    mp_reply_aggregate => flow::aggregate_stats().prop_map(|a| reply(Rep::Aggregate(a)));
    mp_reply_table => prop::collection::vec(flow::table_stats(), 0..4).prop_map(|v| reply(Rep::Table(v)));
    mp_reply_port_stats =>
        prop::collection::vec(flow::port_stats(), 0..4).prop_map(|v| reply(Rep::PortStats(v)));
    mp_reply_queue => prop::collection::vec(s::queue_stats(), 0..4).prop_map(|v| reply(Rep::Queue(v)));
    mp_reply_group => prop::collection::vec(group::group_stats(), 0..4).prop_map(|v| reply(Rep::Group(v)));
    mp_reply_group_desc =>
        prop::collection::vec(group::group_desc(), 0..4).prop_map(|v| reply(Rep::GroupDesc(v)));
    mp_reply_group_features => group::group_features().prop_map(|g| reply(Rep::GroupFeatures(g)));
    mp_reply_meter => prop::collection::vec(group::meter_stats(), 0..4).prop_map(|v| reply(Rep::Meter(v)));
    mp_reply_meter_config =>
        prop::collection::vec(group::meter_config(), 0..4).prop_map(|v| reply(Rep::MeterConfig(v)));
    mp_reply_meter_features => group::meter_features().prop_map(|m| reply(Rep::MeterFeatures(m)));
    mp_reply_table_features =>
        prop::collection::vec(mp::table_features(), 0..3).prop_map(|v| reply(Rep::TableFeatures(v)));
    mp_reply_port_desc => prop::collection::vec(flow::port_desc(), 0..4).prop_map(|v| reply(Rep::PortDesc(v)));
}
