//! Strategies for groups and meters: group-mod and meter-mod, and their multipart bodies.

use openflow::msg::{
    Bucket, BucketCounter, GroupCapabilities, GroupDesc, GroupFeatures, GroupMod, GroupModCommand,
    GroupStats, GroupStatsRequest, GroupType, MeterBand, MeterBandStats, MeterConfig,
    MeterFeatures, MeterFlags, MeterMod, MeterModCommand, MeterMultipartRequest, MeterStats,
};
use openflow::{GroupId, MeterId, PortNo};
use proptest::collection::vec;
use proptest::prelude::*;

use super::action::{action_list, group_id};
use super::{bytes8, port};

/// Buckets as a group of `group_type` has them: select buckets carry a weight, fast-failover
/// buckets a port or group to watch, an indirect group exactly one bucket.
pub fn buckets(group_type: GroupType) -> BoxedStrategy<Vec<Bucket>> {
    let bucket = (
        any::<u16>(),
        port(),
        group_id(),
        action_list(),
        any::<bool>(),
    )
        .prop_map(move |(weight, watch_port, watch_group, actions, by_port)| {
            let (weight, watch_port, watch_group) = match group_type {
                GroupType::Select => (weight.max(1), PortNo::ANY, GroupId::ANY),
                GroupType::Ff if by_port => (0, watch_port, GroupId::ANY),
                GroupType::Ff => (0, PortNo::ANY, watch_group),
                _ => (0, PortNo::ANY, GroupId::ANY),
            };
            Bucket {
                weight,
                watch_port,
                watch_group,
                actions,
            }
        });
    match group_type {
        GroupType::Indirect => vec(bucket, 1).boxed(),
        _ => vec(bucket, 0..4).boxed(),
    }
}

fn group_type() -> impl Strategy<Value = GroupType> + Clone {
    (0u8..4).prop_map(GroupType::from_raw)
}

/// One bucket, as a group of some type has it.
pub fn bucket() -> impl Strategy<Value = Bucket> {
    group_type()
        .prop_flat_map(buckets)
        .prop_filter_map("no bucket", |b| b.into_iter().next())
}

/// A group-mod: adds and modifications carry the buckets their type calls for, deletes none
/// (and may name all groups).
pub fn group_mod() -> impl Strategy<Value = GroupMod> {
    (
        (0u16..3).prop_map(GroupModCommand::from_raw),
        group_type(),
        group_id(),
        any::<bool>(),
    )
        .prop_flat_map(|(command, group_type, group_id, all)| {
            let delete = command == GroupModCommand::Delete;
            let buckets = if delete {
                Just(Vec::new()).boxed()
            } else {
                buckets(group_type)
            };
            buckets.prop_map(move |buckets| GroupMod {
                command,
                group_type,
                group_id: if delete && all {
                    GroupId::ALL
                } else {
                    group_id
                },
                buckets,
            })
        })
}

/// A group statistics request.
pub fn group_stats_request() -> impl Strategy<Value = GroupStatsRequest> + Clone {
    prop_oneof![group_id(), Just(GroupId::ALL)].prop_map(|group_id| GroupStatsRequest { group_id })
}

/// One group statistics record.
pub fn group_stats() -> impl Strategy<Value = GroupStats> + Clone {
    (
        group_id(),
        any::<u32>(),
        any::<[u64; 2]>(),
        any::<u32>(),
        0u32..1_000_000_000,
        vec(any::<[u64; 2]>(), 0..4),
    )
        .prop_map(
            |(group_id, ref_count, c, duration_sec, duration_nsec, b)| GroupStats {
                group_id,
                ref_count,
                packet_count: c[0],
                byte_count: c[1],
                duration_sec,
                duration_nsec,
                bucket_stats: b
                    .into_iter()
                    .map(|c| BucketCounter {
                        packet_count: c[0],
                        byte_count: c[1],
                    })
                    .collect(),
            },
        )
}

/// One group description.
pub fn group_desc() -> impl Strategy<Value = GroupDesc> {
    (group_type(), group_id()).prop_flat_map(|(group_type, group_id)| {
        buckets(group_type).prop_map(move |buckets| GroupDesc {
            group_type,
            group_id,
            buckets,
        })
    })
}

/// A group features reply.
pub fn group_features() -> impl Strategy<Value = GroupFeatures> + Clone {
    (0u32..16, 0u32..16, any::<[u32; 4]>(), any::<[u32; 4]>()).prop_map(
        |(types, caps, max_groups, actions)| GroupFeatures {
            types,
            capabilities: GroupCapabilities(caps),
            max_groups,
            actions,
        },
    )
}

/// A meter band: drop, DSCP remark, experimenter (8-byte aligned data) or a band type the
/// spec does not define (its body keeps the band 8-byte aligned).
pub fn meter_band() -> impl Strategy<Value = MeterBand> + Clone {
    prop_oneof![
        (any::<u32>(), any::<u32>())
            .prop_map(|(rate, burst_size)| MeterBand::Drop { rate, burst_size }),
        (any::<u32>(), any::<u32>(), any::<u8>()).prop_map(|(rate, burst_size, prec_level)| {
            MeterBand::DscpRemark {
                rate,
                burst_size,
                prec_level,
            }
        }),
        (any::<u32>(), any::<u32>(), any::<u32>(), bytes8(2)).prop_map(
            |(rate, burst_size, experimenter, data)| MeterBand::Experimenter {
                rate,
                burst_size,
                experimenter,
                data,
            }
        ),
        (
            any::<u16>().prop_filter("undefined band", |t| ![1, 2, 0xffff].contains(t)),
            any::<u32>(),
            any::<u32>(),
            (0usize..3).prop_flat_map(|n| vec(any::<u8>(), 4 + 8 * n)),
        )
            .prop_map(|(band_type, rate, burst_size, body)| MeterBand::Unknown {
                band_type,
                rate,
                burst_size,
                body: body.into(),
            }),
    ]
}

fn meter_id() -> impl Strategy<Value = MeterId> + Clone {
    (1..=MeterId::MAX.0).prop_map(MeterId)
}

fn meter_flags() -> impl Strategy<Value = MeterFlags> + Clone {
    (0u16..16).prop_map(MeterFlags)
}

/// A meter-mod: deletes carry no bands and may name all meters.
pub fn meter_mod() -> impl Strategy<Value = MeterMod> + Clone {
    (
        (0u16..3).prop_map(MeterModCommand::from_raw),
        meter_flags(),
        prop_oneof![
            4 => meter_id(),
            1 => prop::sample::select(vec![MeterId::SLOWPATH, MeterId::CONTROLLER, MeterId::ALL]),
        ],
        vec(meter_band(), 0..4),
    )
        .prop_map(|(command, flags, meter_id, bands)| MeterMod {
            command,
            flags,
            meter_id,
            bands: if command == MeterModCommand::Delete {
                Vec::new()
            } else {
                bands
            },
        })
}

/// A meter statistics or configuration request.
pub fn meter_request() -> impl Strategy<Value = MeterMultipartRequest> + Clone {
    prop_oneof![meter_id(), Just(MeterId::ALL)]
        .prop_map(|meter_id| MeterMultipartRequest { meter_id })
}

/// One meter statistics record.
pub fn meter_stats() -> impl Strategy<Value = MeterStats> + Clone {
    (
        meter_id(),
        any::<u32>(),
        any::<[u64; 2]>(),
        any::<u32>(),
        0u32..1_000_000_000,
        vec(any::<[u64; 2]>(), 0..4),
    )
        .prop_map(
            |(meter_id, flow_count, c, duration_sec, duration_nsec, b)| MeterStats {
                meter_id,
                flow_count,
                packet_in_count: c[0],
                byte_in_count: c[1],
                duration_sec,
                duration_nsec,
                band_stats: b
                    .into_iter()
                    .map(|c| MeterBandStats {
                        packet_band_count: c[0],
                        byte_band_count: c[1],
                    })
                    .collect(),
            },
        )
}

/// One meter configuration record.
pub fn meter_config() -> impl Strategy<Value = MeterConfig> + Clone {
    (meter_flags(), meter_id(), vec(meter_band(), 0..4)).prop_map(|(flags, meter_id, bands)| {
        MeterConfig {
            flags,
            meter_id,
            bands,
        }
    })
}

/// A meter features reply.
pub fn meter_features() -> impl Strategy<Value = MeterFeatures> + Clone {
    (any::<u32>(), 0u32..8, 0u32..16, any::<u8>(), any::<u8>()).prop_map(
        |(max_meter, band_types, capabilities, max_bands, max_color)| MeterFeatures {
            max_meter,
            band_types,
            capabilities,
            max_bands,
            max_color,
        },
    )
}
