//! Strategies for table features and for every multipart request and reply body.

use openflow::msg::table_features::OxmId;
use openflow::msg::{
    FeatureId, MultipartReply, MultipartReplyBody, MultipartReplyFlags, MultipartRequest,
    MultipartRequestBody, MultipartRequestFlags, TableFeatureProp, TableFeatures,
};
use openflow::{Body, TableId};
use proptest::collection::vec;
use proptest::prelude::*;

use super::{bytes, flow, group, simple};

/// An instruction or action id: a bare type, an experimenter's, or a type with a body.
pub fn feature_id() -> impl Strategy<Value = FeatureId> + Clone {
    prop_oneof![
        6 => any::<u16>().prop_map(FeatureId::Type),
        1 => (any::<u32>(), bytes(8))
            .prop_map(|(experimenter, data)| FeatureId::Experimenter { experimenter, data }),
        1 => (
            any::<u16>().prop_filter("not experimenter", |t| *t != 0xffff),
            (1usize..3).prop_flat_map(|n| vec(any::<u8>(), 4 * n))
        )
            .prop_map(|(id_type, body)| FeatureId::Raw { id_type, body: body.into() }),
    ]
}

/// An OXM id as table features list them: a field header, with the experimenter id for
/// the experimenter class.
pub fn oxm_id() -> impl Strategy<Value = OxmId> + Clone {
    prop_oneof![
        4 => (0u32..40, any::<bool>(), 1u32..=16).prop_map(|(f, hm, len)| OxmId {
            header: 0x8000 << 16 | f << 9 | u32::from(hm) << 8 | len << u32::from(hm),
            experimenter: None,
        }),
        1 => (0u32..=15, any::<bool>()).prop_map(|(r, hm)| OxmId {
            header: 0x0001 << 16 | r << 9 | u32::from(hm) << 8 | 4 << u32::from(hm),
            experimenter: None,
        }),
        1 => (0u32..0x80, 4u32..=20, any::<u32>()).prop_map(|(f, len, e)| OxmId {
            header: 0xffff << 16 | f << 9 | len,
            experimenter: Some(e),
        }),
    ]
}

/// A table features property, every variant.
pub fn table_feature_prop() -> impl Strategy<Value = TableFeatureProp> + Clone {
    use TableFeatureProp as P;
    let ids = vec(feature_id(), 0..5);
    let tables = vec(any::<u8>().prop_map(TableId), 0..12);
    let oxms = vec(oxm_id(), 0..6);
    let exp = (any::<u32>(), any::<u32>(), bytes(12));
    prop_oneof![
        ids.clone().prop_map(P::Instructions),
        ids.clone().prop_map(P::InstructionsMiss),
        tables.clone().prop_map(P::NextTables),
        tables.prop_map(P::NextTablesMiss),
        ids.clone().prop_map(P::WriteActions),
        ids.clone().prop_map(P::WriteActionsMiss),
        ids.clone().prop_map(P::ApplyActions),
        ids.prop_map(P::ApplyActionsMiss),
        oxms.clone().prop_map(P::Match),
        oxms.clone().prop_map(P::Wildcards),
        oxms.clone().prop_map(P::WriteSetfield),
        oxms.clone().prop_map(P::WriteSetfieldMiss),
        oxms.clone().prop_map(P::ApplySetfield),
        oxms.prop_map(P::ApplySetfieldMiss),
        exp.clone()
            .prop_map(|(experimenter, exp_type, data)| P::Experimenter {
                experimenter,
                exp_type,
                data
            }),
        exp.prop_map(|(experimenter, exp_type, data)| P::ExperimenterMiss {
            experimenter,
            exp_type,
            data
        }),
        (
            prop_oneof![Just(9u16), Just(11u16), 16u16..0xfffe],
            bytes(12)
        )
            .prop_map(|(prop_type, body)| P::Unknown { prop_type, body }),
    ]
}

/// One table's features: a name that fits its 32-byte field.
pub fn table_features() -> impl Strategy<Value = TableFeatures> + Clone {
    (
        flow::table_id(),
        "[a-z][a-z0-9_-]{0,30}",
        any::<[u64; 2]>(),
        0u32..4,
        any::<u32>(),
        vec(table_feature_prop(), 0..6),
    )
        .prop_map(
            |(table_id, name, m, config, max_entries, properties)| TableFeatures {
                table_id,
                name,
                metadata_match: m[0],
                metadata_write: m[1],
                config,
                max_entries,
                properties,
            },
        )
}

/// The multipart types OpenFlow 1.3 defines.
const MP_TYPES: [u16; 15] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0xffff];

fn unknown_mp_type() -> impl Strategy<Value = u16> + Clone {
    any::<u16>().prop_filter("undefined type", |t| !MP_TYPES.contains(t))
}

/// Every multipart request body.
pub fn multipart_request_body() -> BoxedStrategy<MultipartRequestBody> {
    use MultipartRequestBody as R;
    prop_oneof![
        Just(R::Desc),
        flow::flow_stats_request().prop_map(R::Flow),
        flow::flow_stats_request().prop_map(R::Aggregate),
        Just(R::Table),
        flow::port_stats_request().prop_map(R::PortStats),
        simple::queue_stats_request().prop_map(R::Queue),
        group::group_stats_request().prop_map(R::Group),
        Just(R::GroupDesc),
        Just(R::GroupFeatures),
        group::meter_request().prop_map(R::Meter),
        group::meter_request().prop_map(R::MeterConfig),
        Just(R::MeterFeatures),
        vec(table_features(), 0..3).prop_map(R::TableFeatures),
        Just(R::PortDesc),
        (any::<u32>(), any::<u32>(), bytes(32)).prop_map(|(experimenter, exp_type, data)| {
            R::Experimenter {
                experimenter,
                exp_type,
                data,
            }
        }),
        (unknown_mp_type(), bytes(32)).prop_map(|(mp_type, body)| R::Unknown { mp_type, body }),
    ]
    .boxed()
}

/// Every multipart reply body.
pub fn multipart_reply_body() -> BoxedStrategy<MultipartReplyBody> {
    use MultipartReplyBody as R;
    prop_oneof![
        simple::desc().prop_map(R::Desc),
        vec(flow::flow_stats(), 0..3).prop_map(R::Flow),
        flow::aggregate_stats().prop_map(R::Aggregate),
        vec(flow::table_stats(), 0..4).prop_map(R::Table),
        vec(flow::port_stats(), 0..3).prop_map(R::PortStats),
        vec(simple::queue_stats(), 0..3).prop_map(R::Queue),
        vec(group::group_stats(), 0..3).prop_map(R::Group),
        vec(group::group_desc(), 0..3).prop_map(R::GroupDesc),
        group::group_features().prop_map(R::GroupFeatures),
        vec(group::meter_stats(), 0..3).prop_map(R::Meter),
        vec(group::meter_config(), 0..3).prop_map(R::MeterConfig),
        group::meter_features().prop_map(R::MeterFeatures),
        vec(table_features(), 0..3).prop_map(R::TableFeatures),
        vec(flow::port_desc(), 0..4).prop_map(R::PortDesc),
        (any::<u32>(), any::<u32>(), bytes(32)).prop_map(|(experimenter, exp_type, data)| {
            R::Experimenter {
                experimenter,
                exp_type,
                data,
            }
        }),
        (unknown_mp_type(), bytes(32)).prop_map(|(mp_type, body)| R::Unknown { mp_type, body }),
    ]
    .boxed()
}

/// A multipart request; "more follows" is set now and then.
pub fn multipart_request() -> impl Strategy<Value = MultipartRequest> {
    (0u16..2, multipart_request_body()).prop_map(|(flags, body)| MultipartRequest {
        flags: MultipartRequestFlags(flags),
        body,
    })
}

/// A multipart reply; "more follows" is set now and then.
pub fn multipart_reply() -> impl Strategy<Value = MultipartReply> {
    (0u16..2, multipart_reply_body()).prop_map(|(flags, body)| MultipartReply {
        flags: MultipartReplyFlags(flags),
        body,
    })
}

/// Multipart request and reply messages.
pub fn multipart_body() -> impl Strategy<Value = Body> {
    prop_oneof![
        multipart_request().prop_map(Body::MultipartRequest),
        multipart_reply().prop_map(Body::MultipartReply),
    ]
}
