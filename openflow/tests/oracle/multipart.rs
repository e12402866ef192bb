//! Every multipart request and reply type, with `REQ_MORE`/`REPLY_MORE`, empty and full
//! record lists, and table features with every property type.

use bytes::Bytes;
use openflow::msg::*;
use openflow::oxm::{CLASS_NXM_1, CLASS_OPENFLOW_BASIC, Match, OxmField as F, oxm_header};
use openflow::{Action, Body, Cookie, GroupId, Instruction, MeterId, PortNo, QueueId, TableId};

use super::Case;
use super::build::out;

fn req(name: impl Into<String>, body: MultipartRequestBody) -> Case {
    Case::body(name, Body::MultipartRequest(MultipartRequest::new(body)))
}

fn rep(name: impl Into<String>, body: MultipartReplyBody) -> Case {
    Case::body(name, Body::MultipartReply(MultipartReply::new(body)))
}

/// Multipart requests of every type.
pub fn requests() -> Vec<Case> {
    use MultipartRequestBody as R;
    let tcp = Match::new()
        .with(F::EthType(0x0800))
        .with(F::IpProto(6))
        .with(F::TcpDst(80, None));
    let flow_reqs = [
        ("all", FlowStatsRequest::default()),
        (
            "filtered",
            FlowStatsRequest {
                table_id: TableId(1),
                out_port: PortNo(2),
                out_group: GroupId(3),
                cookie: Cookie(0x10),
                cookie_mask: 0xff,
                match_: tcp.clone(),
            },
        ),
        (
            "match only",
            FlowStatsRequest {
                match_: Match::new().with(F::InPort(PortNo(1))),
                ..FlowStatsRequest::default()
            },
        ),
    ];
    let mut cases = vec![
        req("desc request", R::Desc),
        req("table request", R::Table),
        req("group desc request", R::GroupDesc),
        req("group features request", R::GroupFeatures),
        req("meter features request", R::MeterFeatures),
        req("port desc request", R::PortDesc),
        req("table features request", R::TableFeatures(vec![])),
    ];
    for (name, r) in flow_reqs {
        cases.push(req(format!("flow request {name}"), R::Flow(r.clone())));
        cases.push(req(format!("aggregate request {name}"), R::Aggregate(r)));
    }
    for port_no in [PortNo::ANY, PortNo(1), PortNo::LOCAL] {
        cases.push(req(
            format!("port stats request {port_no}"),
            R::PortStats(PortStatsRequest { port_no }),
        ));
    }
    for (port_no, queue_id) in [
        (PortNo::ANY, QueueId::ALL),
        (PortNo(1), QueueId(2)),
        (PortNo(3), QueueId::ALL),
    ] {
        cases.push(req(
            format!("queue request {port_no} {queue_id}"),
            R::Queue(QueueStatsRequest { port_no, queue_id }),
        ));
    }
    for group_id in [GroupId::ALL, GroupId(5)] {
        cases.push(req(
            format!("group request {group_id}"),
            R::Group(GroupStatsRequest { group_id }),
        ));
    }
    for meter_id in [MeterId::ALL, MeterId(5), MeterId::CONTROLLER] {
        cases.push(req(
            format!("meter request {meter_id}"),
            R::Meter(MeterMultipartRequest { meter_id }),
        ));
        cases.push(req(
            format!("meter config request {meter_id}"),
            R::MeterConfig(MeterMultipartRequest { meter_id }),
        ));
    }
    cases.push(req(
        "table features request set",
        R::TableFeatures(table_features()),
    ));
    cases.push(Case::body(
        "port desc request more",
        Body::MultipartRequest(MultipartRequest {
            flags: MultipartRequestFlags::REQ_MORE,
            body: R::PortDesc,
        }),
    ));
    cases.push(
        req(
            "experimenter request nicira ipfix bridge",
            R::Experimenter {
                experimenter: NICIRA_EXPERIMENTER,
                exp_type: 3,
                data: Bytes::new(),
            },
        )
        .differs(
            "the crate keeps experimenter multiparts raw (OFPST_EXPERIMENTER request, \
             multipart/request.rs); OVS decodes Nicira ones (NXST_IPFIX_BRIDGE request)",
        ),
    );
    cases.push(
        req(
            "experimenter request unknown",
            R::Experimenter {
                experimenter: 0x00ab_cdef,
                exp_type: 1,
                data: Bytes::from_static(&[1, 2, 3, 4]),
            },
        )
        .rejected(
            "OFPBRC_BAD_VENDOR",
            "an experimenter OVS does not know; the crate keeps it raw",
        ),
    );
    cases.push(
        req(
            "unknown type request",
            R::Unknown {
                mp_type: 99,
                body: Bytes::new(),
            },
        )
        .rejected(
            "OFPBRC_BAD_STAT",
            "a multipart type OpenFlow 1.3 does not define",
        ),
    );
    cases
}

fn flow_stats() -> Vec<FlowStats> {
    vec![
        FlowStats {
            table_id: TableId(0),
            duration_sec: 10,
            duration_nsec: 500_000_000,
            priority: 0x8000,
            idle_timeout: 0,
            hard_timeout: 0,
            flags: FlowModFlags::EMPTY,
            cookie: Cookie(0),
            packet_count: 1,
            byte_count: 60,
            match_: Match::new(),
            instructions: vec![],
        },
        FlowStats {
            table_id: TableId(3),
            duration_sec: 0,
            duration_nsec: 123,
            priority: 100,
            idle_timeout: 10,
            hard_timeout: 60,
            flags: FlowModFlags::SEND_FLOW_REM | FlowModFlags::NO_BYT_COUNTS,
            cookie: Cookie(0xabc),
            packet_count: u64::MAX,
            byte_count: u64::MAX,
            match_: Match::new()
                .with(F::InPort(PortNo(1)))
                .with(F::EthType(0x0800))
                .with(F::IpProto(17))
                .with(F::UdpDst(53, None)),
            instructions: vec![
                Instruction::ApplyActions(vec![Action::SetField(F::UdpDst(5353, None)), out(2)]),
                Instruction::GotoTable(TableId(4)),
            ],
        },
        FlowStats {
            table_id: TableId(254),
            duration_sec: 86400,
            duration_nsec: 1,
            priority: 0,
            idle_timeout: 0,
            hard_timeout: 0,
            flags: FlowModFlags::RESET_COUNTS
                | FlowModFlags::CHECK_OVERLAP
                | FlowModFlags::NO_PKT_COUNTS,
            cookie: Cookie(u64::MAX),
            packet_count: 0,
            byte_count: 0,
            match_: Match::new()
                .with(F::Reg(3, 7, None))
                .with(F::TunnelId(9, None)),
            instructions: vec![
                Instruction::Meter(MeterId(1)),
                Instruction::WriteActions(vec![out(PortNo::CONTROLLER.0)]),
            ],
        },
    ]
}

fn port_stats() -> Vec<PortStats> {
    vec![
        PortStats {
            port_no: PortNo(1),
            rx_packets: 10,
            tx_packets: 20,
            rx_bytes: 1000,
            tx_bytes: 2000,
            rx_dropped: 1,
            tx_dropped: 2,
            rx_errors: 3,
            tx_errors: 4,
            rx_frame_err: 5,
            rx_over_err: 6,
            rx_crc_err: 7,
            collisions: 8,
            duration_sec: 100,
            duration_nsec: 250_000_000,
        },
        PortStats {
            port_no: PortNo::LOCAL,
            rx_packets: u64::MAX,
            tx_packets: u64::MAX,
            rx_bytes: u64::MAX,
            tx_bytes: u64::MAX,
            rx_dropped: u64::MAX,
            tx_dropped: u64::MAX,
            rx_errors: u64::MAX,
            tx_errors: u64::MAX,
            rx_frame_err: u64::MAX,
            rx_over_err: u64::MAX,
            rx_crc_err: u64::MAX,
            collisions: u64::MAX,
            duration_sec: u32::MAX,
            duration_nsec: u32::MAX,
        },
        PortStats {
            port_no: PortNo(2),
            ..PortStats::default()
        },
    ]
}

fn basic(field: u8, len: u8, mask: bool) -> openflow::msg::OxmId {
    openflow::msg::OxmId::new(oxm_header(CLASS_OPENFLOW_BASIC, field, mask, len))
}

/// Three tables: one with every property type, one equal to it (OVS prints `ditto`), and a
/// smaller last table; experimenter properties on the first.
pub fn table_features() -> Vec<TableFeatures> {
    use TableFeatureProp as P;
    let instructions: Vec<InstructionId> = (1..=6).map(FeatureId::Type).collect();
    let actions: Vec<ActionId> = [
        0u16, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    ]
    .into_iter()
    .map(FeatureId::Type)
    .collect();
    let some_actions: Vec<ActionId> = [0u16, 22, 25].into_iter().map(FeatureId::Type).collect();
    let matches = vec![
        basic(0, 4, false),
        basic(2, 8, true),
        basic(3, 6, true),
        basic(4, 6, true),
        basic(5, 2, false),
        basic(6, 2, true),
        basic(10, 1, false),
        basic(11, 4, true),
        basic(12, 4, true),
        basic(13, 2, false),
        basic(14, 2, false),
        basic(38, 8, true),
        openflow::msg::OxmId::new(oxm_header(CLASS_NXM_1, 0, false, 4)),
        openflow::msg::OxmId::new(oxm_header(CLASS_NXM_1, 31, true, 4)),
    ];
    let wildcards = vec![basic(0, 4, false), basic(3, 6, false), basic(11, 4, false)];
    let setfields = vec![
        basic(3, 6, false),
        basic(4, 6, false),
        basic(6, 2, false),
        basic(11, 4, false),
    ];
    let full = |table_id: u8| TableFeatures {
        table_id: TableId(table_id),
        name: format!("table{table_id}"),
        metadata_match: u64::MAX,
        metadata_write: u64::MAX,
        config: 0,
        max_entries: 1_000_000,
        properties: vec![
            P::Instructions(instructions.clone()),
            P::InstructionsMiss(instructions[..3].to_vec()),
            P::NextTables((table_id + 1..=table_id + 3).map(TableId).collect()),
            P::NextTablesMiss(vec![TableId(table_id + 1)]),
            P::WriteActions(actions.clone()),
            P::WriteActionsMiss(some_actions.clone()),
            P::ApplyActions(actions.clone()),
            P::ApplyActionsMiss(some_actions.clone()),
            P::Match(matches.clone()),
            P::Wildcards(wildcards.clone()),
            P::WriteSetfield(setfields.clone()),
            P::WriteSetfieldMiss(setfields[..1].to_vec()),
            P::ApplySetfield(setfields.clone()),
            P::ApplySetfieldMiss(setfields[..2].to_vec()),
        ],
    };
    let mut first = full(0);
    first.properties.push(P::Experimenter {
        experimenter: 0x2320,
        exp_type: 1,
        data: Bytes::from_static(&[1, 2, 3, 4]),
    });
    first.properties.push(P::ExperimenterMiss {
        experimenter: 0x2320,
        exp_type: 2,
        data: Bytes::new(),
    });
    let mut last = full(1);
    last.table_id = TableId(2);
    last.name = "last".into();
    last.metadata_match = 0;
    last.metadata_write = 0xff;
    last.max_entries = 16;
    last.properties = vec![
        P::Instructions(vec![FeatureId::Type(4)]),
        P::NextTables(vec![]),
        P::WriteActions(vec![]),
        P::ApplyActions(vec![FeatureId::Type(0)]),
        P::Match(vec![basic(0, 4, false)]),
        P::Wildcards(vec![]),
        P::WriteSetfield(vec![]),
        P::ApplySetfield(vec![]),
    ];
    let mut second = full(0);
    second.table_id = TableId(1);
    second.name = "table1".into();
    vec![first, second, last]
}

/// Multipart replies of every type.
pub fn replies() -> Vec<Case> {
    use MultipartReplyBody as R;
    let mut cases = vec![
        rep(
            "desc reply",
            R::Desc(Desc {
                mfr_desc: "Nicira, Inc.".into(),
                hw_desc: "Open vSwitch".into(),
                sw_desc: "3.1.0".into(),
                serial_num: "None".into(),
                dp_desc: "br0".into(),
            }),
        ),
        rep("desc reply empty", R::Desc(Desc::default())),
        rep("flow reply", R::Flow(flow_stats())),
        rep("flow reply empty", R::Flow(vec![])),
        rep(
            "aggregate reply",
            R::Aggregate(AggregateStats {
                packet_count: 12,
                byte_count: 3456,
                flow_count: 7,
            }),
        ),
        rep(
            "table reply",
            R::Table(
                (0..3)
                    .map(|t| TableStats {
                        table_id: TableId(t),
                        active_count: u32::from(t) * 10,
                        lookup_count: 1000 + u64::from(t),
                        matched_count: 900,
                    })
                    .collect(),
            ),
        ),
        rep("port stats reply", R::PortStats(port_stats())),
        rep(
            "queue reply",
            R::Queue(vec![
                QueueStats {
                    port_no: PortNo(1),
                    queue_id: QueueId(0),
                    tx_bytes: 100,
                    tx_packets: 2,
                    tx_errors: 0,
                    duration_sec: 5,
                    duration_nsec: 0,
                },
                QueueStats {
                    port_no: PortNo(2),
                    queue_id: QueueId(7),
                    tx_bytes: u64::MAX,
                    tx_packets: u64::MAX,
                    tx_errors: u64::MAX,
                    duration_sec: u32::MAX,
                    duration_nsec: u32::MAX,
                },
            ]),
        ),
        rep(
            "group reply",
            R::Group(vec![
                GroupStats {
                    group_id: GroupId(1),
                    ref_count: 2,
                    packet_count: 30,
                    byte_count: 4000,
                    duration_sec: 12,
                    duration_nsec: 345_000_000,
                    bucket_stats: vec![
                        BucketCounter {
                            packet_count: 10,
                            byte_count: 1000,
                        },
                        BucketCounter {
                            packet_count: 20,
                            byte_count: 3000,
                        },
                    ],
                },
                GroupStats {
                    group_id: GroupId(2),
                    ref_count: 0,
                    packet_count: u64::MAX,
                    byte_count: u64::MAX,
                    duration_sec: 0,
                    duration_nsec: 0,
                    bucket_stats: vec![],
                },
            ]),
        ),
        rep(
            "group desc reply",
            R::GroupDesc(
                GroupType::ALL
                    .iter()
                    .map(|&t| GroupDesc {
                        group_type: t,
                        group_id: GroupId(10 + u32::from(t.raw())),
                        buckets: super::group_meter::buckets(t),
                    })
                    .collect(),
            ),
        ),
        rep(
            "group features reply",
            R::GroupFeatures(GroupFeatures {
                types: 0xf,
                capabilities: GroupCapabilities::SELECT_WEIGHT
                    | GroupCapabilities::SELECT_LIVENESS
                    | GroupCapabilities::CHAINING,
                max_groups: [0xffff_ff00, 100, 2, 3],
                actions: [1 | 1 << 22 | 1 << 25, 1 << 17 | 1 << 18, 0, (1 << 28) - 1],
            }),
        ),
        rep(
            "group features reply empty",
            R::GroupFeatures(GroupFeatures::default()),
        ),
        rep(
            "meter reply",
            R::Meter(vec![
                MeterStats {
                    meter_id: MeterId(1),
                    flow_count: 3,
                    packet_in_count: 100,
                    byte_in_count: 6400,
                    duration_sec: 30,
                    duration_nsec: 1_000_000,
                    band_stats: vec![
                        MeterBandStats {
                            packet_band_count: 5,
                            byte_band_count: 320,
                        },
                        MeterBandStats::default(),
                    ],
                },
                MeterStats {
                    meter_id: MeterId(2),
                    flow_count: 0,
                    packet_in_count: 0,
                    byte_in_count: 0,
                    duration_sec: 0,
                    duration_nsec: 0,
                    band_stats: vec![],
                },
            ]),
        ),
        rep(
            "meter config reply",
            R::MeterConfig(vec![
                MeterConfig {
                    flags: MeterFlags::KBPS | MeterFlags::BURST | MeterFlags::STATS,
                    meter_id: MeterId(1),
                    bands: super::group_meter::bands(),
                },
                MeterConfig {
                    flags: MeterFlags::PKTPS,
                    meter_id: MeterId(2),
                    bands: vec![MeterBand::Drop {
                        rate: 5,
                        burst_size: 0,
                    }],
                },
            ]),
        ),
        rep(
            "meter features reply",
            R::MeterFeatures(MeterFeatures {
                max_meter: 65536,
                band_types: 0b110,
                capabilities: 0xf,
                max_bands: 8,
                max_color: 0,
            }),
        ),
        rep(
            "meter features reply empty",
            R::MeterFeatures(MeterFeatures::default()),
        ),
        rep("table features reply", R::TableFeatures(table_features())),
        rep(
            "port desc reply",
            R::PortDesc(super::port::ports().into_iter().map(|(_, p)| p).collect()),
        ),
        rep("port desc reply empty", R::PortDesc(vec![])),
    ];
    cases.push(Case::body(
        "flow reply more",
        Body::MultipartReply(MultipartReply {
            flags: MultipartReplyFlags::REPLY_MORE,
            body: R::Flow(flow_stats()),
        }),
    ));
    cases.push(Case::body(
        "port desc reply more",
        Body::MultipartReply(MultipartReply {
            flags: MultipartReplyFlags::REPLY_MORE,
            body: R::PortDesc(vec![super::port::ports().remove(0).1]),
        }),
    ));
    // A long reply cut by the crate: every part must print on its own.
    let many: Vec<FlowStats> = (0..400)
        .map(|n| FlowStats {
            priority: n,
            cookie: Cookie(u64::from(n)),
            match_: Match::new().with(F::InPort(PortNo(u32::from(n) + 1))),
            instructions: vec![Instruction::ApplyActions(vec![out(2)])],
            ..flow_stats().remove(0)
        })
        .collect();
    for (n, part) in MultipartReply::new(R::Flow(many))
        .split(16_000)
        .into_iter()
        .enumerate()
    {
        cases.push(Case::body(
            format!("flow reply split part {n}"),
            Body::MultipartReply(part),
        ));
    }
    cases.push(
        rep(
            "experimenter reply nicira ipfix bridge",
            R::Experimenter {
                experimenter: NICIRA_EXPERIMENTER,
                exp_type: 3,
                data: Bytes::from(vec![0u8; 88]),
            },
        )
        .differs(
            "the crate keeps experimenter multiparts raw (OFPST_EXPERIMENTER reply, \
             multipart/reply.rs); OVS decodes Nicira ones (NXST_IPFIX_BRIDGE reply)",
        ),
    );
    cases.push(
        rep(
            "unknown type reply",
            R::Unknown {
                mp_type: 99,
                body: Bytes::new(),
            },
        )
        .rejected(
            "OFPBRC_BAD_STAT",
            "a multipart type OpenFlow 1.3 does not define",
        ),
    );
    cases
}
