//! Messages with values the spec or OVS does not define, which the crate keeps and can
//! therefore emit: each says what OVS makes of it.

use bytes::Bytes;
use openflow::errcode::*;
use openflow::msg::*;
use openflow::oxm::{Match, OxmField as F};
use openflow::{
    Action, Body, BufferId, Cookie, ErrorCode, Instruction, Message, PortNo, TableId, Xid,
};

use super::Case;
use super::build::out;

fn flow(match_: Match, instructions: Vec<Instruction>) -> FlowMod {
    FlowMod {
        match_,
        instructions,
        ..FlowMod::default()
    }
}

/// Errors quoting whole messages of several types (OVS decodes the quoted message), and
/// error types OVS does not know.
pub fn errors() -> Vec<Case> {
    let fm = Message::new(
        Xid(7),
        Body::FlowMod(flow(
            Match::new().with(F::InPort(PortNo(1))),
            vec![Instruction::ApplyActions(vec![out(2)])],
        )),
    )
    .encode()
    .unwrap();
    let po = Message::new(
        Xid(8),
        Body::PacketOut(PacketOut {
            buffer_id: BufferId(5),
            in_port: PortNo::CONTROLLER,
            actions: vec![out(1)],
            data: Bytes::new(),
        }),
    )
    .encode()
    .unwrap();
    vec![
        Case::body(
            "error quoting a whole flow mod",
            Body::Error(ErrorMsg::new(
                ErrorCode::FlowModFailed(FlowModFailedCode::TableFull),
                fm.clone(),
            )),
        ),
        Case::body(
            "error quoting a cut flow mod",
            Body::Error(ErrorMsg::for_request(
                ErrorCode::BadMatch(BadMatchCode::BadPrereq),
                fm,
            )),
        ),
        Case::body(
            "error quoting a packet out",
            Body::Error(ErrorMsg::for_request(
                ErrorCode::BadRequest(BadRequestCode::BufferUnknown),
                po,
            )),
        ),
        Case::body(
            "error unknown code",
            Body::Error(ErrorMsg::new(
                ErrorCode::BadMatch(BadMatchCode::Unknown(99)),
                Bytes::new(),
            )),
        )
        .rejected(
            "OFPBRC_BAD_LEN",
            "OVS cannot decode an error code it does not know (it reports BAD_LEN)",
        ),
        Case::body(
            "error unknown type",
            Body::Error(ErrorMsg::new(
                ErrorCode::Unknown {
                    error_type: 99,
                    code: 1,
                },
                Bytes::new(),
            )),
        )
        .rejected(
            "OFPBRC_BAD_LEN",
            "OVS cannot decode an error type it does not know (it reports BAD_LEN)",
        ),
        Case::body(
            "error unknown experimenter",
            Body::Error(ErrorMsg::new(
                ErrorCode::Experimenter {
                    exp_type: 5,
                    experimenter: 0x00ab_cdef,
                },
                Bytes::from_static(b"abc"),
            )),
        )
        .rejected(
            "OFPBRC_BAD_LEN",
            "OVS cannot decode an experimenter error it does not know (it reports BAD_LEN)",
        ),
    ]
}

/// Values outside the spec that the crate keeps raw.
pub fn unknown_values() -> Vec<Case> {
    let in1 = Match::new().with(F::InPort(PortNo(1)));
    vec![
        Case::body(
            "message type 99",
            Body::Unknown {
                msg_type: 99,
                body: Bytes::from_static(&[1, 2, 3, 4]),
            },
        )
        .rejected(
            "OFPBRC_BAD_TYPE",
            "a message type OpenFlow 1.3 does not define",
        ),
        Case::body(
            "flow_mod command 9",
            Body::FlowMod(FlowMod {
                command: FlowModCommand::Unknown(9),
                ..flow(in1.clone(), vec![])
            }),
        )
        .rejected("OFPFMFC_BAD_COMMAND", "a command OpenFlow does not define"),
        Case::body(
            "flow_mod unknown flag",
            Body::FlowMod(FlowMod {
                flags: FlowModFlags(1 << 9),
                ..flow(in1.clone(), vec![])
            }),
        )
        .rejected(
            "OFPFMFC_BAD_FLAGS",
            "a flag OpenFlow 1.3 does not define; the crate keeps it and prints flags:0x200",
        ),
        Case::body(
            "flow_removed reason 9",
            Body::FlowRemoved(FlowRemoved {
                cookie: Cookie(1),
                priority: 1,
                reason: FlowRemovedReason::Unknown(9),
                table_id: TableId(0),
                duration_sec: 1,
                duration_nsec: 0,
                idle_timeout: 0,
                hard_timeout: 0,
                packet_count: 0,
                byte_count: 0,
                match_: in1.clone(),
            }),
        ),
        Case::body(
            "packet_in reason 9",
            Body::PacketIn(PacketIn {
                buffer_id: BufferId::NO_BUFFER,
                total_len: 0,
                reason: PacketInReason::Unknown(9),
                table_id: TableId(0),
                cookie: Cookie(u64::MAX),
                match_: in1.clone(),
                data: Bytes::new(),
            }),
        ),
        Case::body(
            "instruction experimenter",
            Body::FlowMod(flow(
                in1.clone(),
                vec![Instruction::Experimenter {
                    experimenter: 0x00ab_cdef,
                    data: Bytes::from_static(&[0; 8]),
                }],
            )),
        )
        .rejected(
            "OFPBIC_BAD_EXPERIMENTER",
            "an experimenter instruction OVS does not know; the crate keeps it raw",
        ),
        Case::body(
            "instruction unknown type",
            Body::FlowMod(flow(
                in1.clone(),
                vec![Instruction::Unknown {
                    instruction_type: 0x77,
                    body: Bytes::from_static(&[0, 0, 0, 0]),
                }],
            )),
        )
        .rejected(
            "OFPBIC_UNKNOWN_INST",
            "an instruction type OpenFlow 1.3 does not define",
        ),
        Case::body(
            "set_field with mask",
            Body::FlowMod(flow(
                Match::new().with(F::EthType(0x0800)),
                vec![Instruction::ApplyActions(vec![Action::SetField(
                    F::Ipv4Src(
                        "10.0.0.0".parse().unwrap(),
                        Some("255.255.255.0".parse().unwrap()),
                    ),
                )])],
            )),
        )
        .rejected(
            "OFPBAC_BAD_SET_MASK",
            "OpenFlow 1.3 set-field takes no mask (OpenFlow 1.5 does)",
        ),
        Case::body(
            "match missing prerequisite",
            Body::FlowMod(flow(Match::new().with(F::TcpDst(80, None)), vec![])),
        )
        .rejected(
            "OFPBMC_BAD_PREREQ",
            "tcp_dst without eth_type and ip_proto (Match::validate refuses it too)",
        ),
        Case::body(
            "match duplicate field",
            Body::FlowMod(flow(
                Match::new()
                    .with(F::InPort(PortNo(1)))
                    .with(F::InPort(PortNo(2))),
                vec![],
            )),
        )
        .rejected(
            "OFPBMC_DUP_FIELD",
            "in_port twice (Match::validate refuses it too)",
        ),
        Case::body(
            "packet_in total_len != data_len",
            Body::PacketIn(PacketIn {
                buffer_id: BufferId::NO_BUFFER,
                total_len: 100,
                reason: PacketInReason::NoMatch,
                table_id: TableId(0),
                cookie: Cookie(u64::MAX),
                match_: in1.clone(),
                data: Bytes::from_static(&[0xff; 14]),
            }),
        )
        .flagged(
            "total_len != data_len",
            "an unbuffered packet-in whose frame was cut; OVS and our text both say so",
        ),
        Case::body(
            "packet_in total_len < data_len",
            Body::PacketIn(PacketIn {
                buffer_id: BufferId(7),
                total_len: 10,
                reason: PacketInReason::NoMatch,
                table_id: TableId(0),
                cookie: Cookie(u64::MAX),
                match_: in1.clone(),
                data: Bytes::from_static(&[0xff; 14]),
            }),
        )
        .flagged(
            "total_len < data_len",
            "a buffered packet-in carrying more than the frame; OVS and our text both say so",
        ),
        Case::body(
            "packet_in with non-pipeline fields",
            Body::PacketIn(PacketIn {
                buffer_id: BufferId::NO_BUFFER,
                total_len: 0,
                reason: PacketInReason::Action,
                table_id: TableId(0),
                cookie: Cookie(u64::MAX),
                match_: Match::new()
                    .with(F::InPort(PortNo(1)))
                    .with(F::EthType(0x0800))
                    .with(F::IpProto(6)),
                data: Bytes::new(),
            }),
        ),
        Case::body(
            "multipart reply unknown flags",
            Body::MultipartReply(MultipartReply {
                flags: MultipartReplyFlags(0x8001),
                body: MultipartReplyBody::PortDesc(vec![]),
            }),
        )
        .flagged(
            "unknown flags 0x8000",
            "a flag OpenFlow does not define; OVS and our text both show it",
        ),
        Case::body(
            "multipart request unknown flags",
            Body::MultipartRequest(MultipartRequest {
                flags: MultipartRequestFlags(0x0002),
                body: MultipartRequestBody::PortDesc,
            }),
        )
        .flagged(
            "unknown flags 0x0002",
            "a flag OpenFlow does not define; OVS and our text both show it",
        ),
        Case::body(
            "hello unknown element only",
            Body::Hello(Hello {
                elements: vec![HelloElement::Unknown {
                    element_type: 2,
                    body: Bytes::new(),
                }],
            }),
        ),
        Case::body(
            "queue property unknown",
            Body::QueueGetConfigReply(QueueGetConfigReply {
                port: PortNo(1),
                queues: vec![PacketQueue {
                    queue_id: openflow::QueueId(1),
                    port: PortNo(1),
                    properties: vec![QueueProp::Unknown {
                        property: 7,
                        body: Bytes::from_static(&[0; 8]),
                    }],
                }],
            }),
        )
        .logs(
            "unknown queue property 7",
            "OVS skips unknown queue properties, and so does our text",
        ),
    ]
}

/// Errors quoting requests of other families, and strings longer than their fields.
pub fn quotes_and_lengths() -> Vec<Case> {
    let quote = |code: ErrorCode, msg: Message| {
        Body::Error(ErrorMsg::for_request(code, msg.encode().unwrap()))
    };
    let flow_req = Message::new(
        Xid(3),
        Body::MultipartRequest(MultipartRequest::new(MultipartRequestBody::Flow(
            FlowStatsRequest {
                match_: Match::new()
                    .with(F::EthType(0x0800))
                    .with(F::Ipv4Src("10.0.0.1".parse().unwrap(), None)),
                ..FlowStatsRequest::default()
            },
        ))),
    );
    let group_mod = Message::new(
        Xid(4),
        Body::GroupMod(GroupMod {
            command: GroupModCommand::Add,
            group_type: GroupType::Select,
            group_id: openflow::GroupId(1),
            buckets: vec![Bucket::new(1, vec![out(1)]), Bucket::new(2, vec![out(2)])],
        }),
    );
    let meter_mod = Message::new(
        Xid(5),
        Body::MeterMod(MeterMod {
            command: MeterModCommand::Add,
            flags: MeterFlags::KBPS,
            meter_id: openflow::MeterId(1),
            bands: vec![MeterBand::Drop {
                rate: 1,
                burst_size: 0,
            }],
        }),
    );
    let bundle = Message::new(
        Xid(6),
        Body::Experimenter(Experimenter::BundleControl(BundleControl::new(
            1,
            BundleCtrlType::CommitRequest,
            BundleFlags::ATOMIC,
        ))),
    );
    let long = "x".repeat(300);
    vec![
        Case::body(
            "error quoting a flow stats request",
            quote(
                ErrorCode::BadRequest(BadRequestCode::BadMultipart),
                flow_req,
            ),
        ),
        Case::body(
            "error quoting a group mod",
            quote(
                ErrorCode::GroupModFailed(GroupModFailedCode::GroupExists),
                group_mod,
            ),
        ),
        Case::body(
            "error quoting a meter mod",
            quote(
                ErrorCode::MeterModFailed(MeterModFailedCode::MeterExists),
                meter_mod,
            ),
        ),
        Case::body(
            "bundle error quoting a bundle control",
            quote(BundleFailedCode::ALL[3].error_code(), bundle),
        ),
        Case::body(
            "desc reply with strings longer than their fields",
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Desc(Desc {
                mfr_desc: long.clone(),
                hw_desc: long.clone(),
                sw_desc: long.clone(),
                serial_num: long.clone(),
                dp_desc: long.clone(),
            }))),
        )
        .lossy("Desc strings are cut to their fields on emit"),
        Case::body(
            "port status with a name longer than 15",
            Body::PortStatus(PortStatus {
                reason: PortReason::Add,
                desc: Port {
                    name: "a-very-long-port-name".into(),
                    ..super::port::ports().remove(0).1
                },
            }),
        )
        .lossy("port names are cut to 15 bytes on emit"),
        Case::body(
            "table features with a long name",
            Body::MultipartReply(MultipartReply::new(MultipartReplyBody::TableFeatures(
                vec![TableFeatures {
                    name: long,
                    ..super::multipart::table_features().remove(2)
                }],
            ))),
        )
        .lossy("table names are cut to 31 bytes on emit"),
    ]
}

/// Table features with a property type OpenFlow 1.3 does not define.
pub fn unknown_table_feature_prop() -> Vec<Case> {
    let mut tf = super::multipart::table_features().remove(2);
    tf.properties.push(TableFeatureProp::Unknown {
        prop_type: 0x0020,
        body: Bytes::from_static(&[1, 2, 3, 4]),
    });
    vec![Case::body(
        "table features unknown property",
        Body::MultipartReply(MultipartReply::new(MultipartReplyBody::TableFeatures(
            vec![tf],
        ))),
    )]
}

/// Every edge corpus.
pub fn all() -> Vec<Case> {
    let mut cases = errors();
    cases.extend(unknown_values());
    cases.extend(quotes_and_lengths());
    cases.extend(unknown_table_feature_prop());
    cases
}
