//! The messages of the simple families: hello, error, echo, experimenter and the ONF bundle
//! extension, features, switch config, barrier, queue config, role and async config.

use bytes::Bytes;
use openflow::errcode::*;
use openflow::msg::*;
use openflow::{Body, DatapathId, ErrorCode, Message, PortNo, QueueId, Xid};

use super::Case;

/// Hello with version bitmaps of one and two words, and an element OVS does not know.
pub fn hello() -> Vec<Case> {
    vec![
        Case::body("hello of13", Body::Hello(Hello::of13())),
        Case::body("hello no elements", Body::Hello(Hello::default())),
        Case::body("hello 1.0+1.3", Body::Hello(Hello::with_versions(&[1, 4]))),
        Case::body(
            "hello 1.0..1.5",
            Body::Hello(Hello::with_versions(&[1, 2, 3, 4, 5, 6])),
        ),
        Case::body(
            "hello two-word bitmap",
            Body::Hello(Hello::with_versions(&[4, 33])),
        ),
        Case::body(
            "hello unknown element",
            Body::Hello(Hello {
                elements: vec![
                    HelloElement::VersionBitmap(vec![0x10]),
                    HelloElement::Unknown {
                        element_type: 7,
                        body: Bytes::from_static(&[1, 2, 3]),
                    },
                ],
            }),
        ),
    ]
}

/// A request to quote in errors: a features request, 8 bytes.
fn quoted_request() -> Bytes {
    Message::new(Xid(0x42), Body::FeaturesRequest)
        .encode()
        .unwrap()
}

/// Every error code of every type, each quoting a request; hello-failed with text; the ONF
/// bundle errors and an experimenter error OVS does not know.
pub fn errors() -> Vec<Case> {
    let mut codes: Vec<ErrorCode> = Vec::new();
    codes.extend(
        HelloFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::HelloFailed(c)),
    );
    codes.extend(
        BadRequestCode::ALL
            .iter()
            .map(|&c| ErrorCode::BadRequest(c)),
    );
    codes.extend(BadActionCode::ALL.iter().map(|&c| ErrorCode::BadAction(c)));
    codes.extend(
        BadInstructionCode::ALL
            .iter()
            .map(|&c| ErrorCode::BadInstruction(c)),
    );
    codes.extend(BadMatchCode::ALL.iter().map(|&c| ErrorCode::BadMatch(c)));
    codes.extend(
        FlowModFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::FlowModFailed(c)),
    );
    codes.extend(
        GroupModFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::GroupModFailed(c)),
    );
    codes.extend(
        PortModFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::PortModFailed(c)),
    );
    codes.extend(
        TableModFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::TableModFailed(c)),
    );
    codes.extend(
        QueueOpFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::QueueOpFailed(c)),
    );
    codes.extend(
        SwitchConfigFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::SwitchConfigFailed(c)),
    );
    codes.extend(
        RoleRequestFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::RoleRequestFailed(c)),
    );
    codes.extend(
        MeterModFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::MeterModFailed(c)),
    );
    codes.extend(
        TableFeaturesFailedCode::ALL
            .iter()
            .map(|&c| ErrorCode::TableFeaturesFailed(c)),
    );
    codes.extend(BundleFailedCode::ALL.iter().map(|c| c.error_code()));

    let mut cases: Vec<Case> = codes
        .into_iter()
        .map(|code| {
            Case::body(
                format!("error {code}"),
                Body::Error(ErrorMsg::for_request(code, quoted_request())),
            )
        })
        .collect();
    cases.push(Case::body(
        "error hello_failed text",
        Body::Error(ErrorMsg::hello_failed(
            HelloFailedCode::Incompatible,
            "We support versions 0x04 to 0x04 inclusive but you support no later than \
             version 0x01.",
        )),
    ));
    cases.push(Case::body(
        "error hello_failed eperm text",
        Body::Error(ErrorMsg::hello_failed(HelloFailedCode::Eperm, "no")),
    ));
    // The data of an error is the start of the failed message, cut at 64 bytes.
    let long_echo = Message::new(Xid(9), Body::EchoRequest(Echo::new(vec![0xab; 100])))
        .encode()
        .unwrap();
    cases.push(Case::body(
        "error quoting a truncated echo",
        Body::Error(ErrorMsg::for_request(
            ErrorCode::BadRequest(BadRequestCode::BadLen),
            long_echo,
        )),
    ));
    cases.push(Case::body(
        "error with no data",
        Body::Error(ErrorMsg::new(
            ErrorCode::BadRequest(BadRequestCode::BadType),
            Bytes::new(),
        )),
    ));
    cases
}

/// Echo requests and replies, empty and with payloads of several lengths.
pub fn echo() -> Vec<Case> {
    let mut cases = Vec::new();
    for (n, data) in [
        Vec::new(),
        b"hello".to_vec(),
        (0u8..=40).collect::<Vec<u8>>(),
    ]
    .into_iter()
    .enumerate()
    {
        let e = Echo::new(data);
        cases.push(Case::body(
            format!("echo request {n}"),
            Body::EchoRequest(e.clone()),
        ));
        cases.push(Case::body(
            format!("echo reply {n}"),
            Body::EchoReply(e.reply()),
        ));
    }
    cases
}

/// Bundle control of every type and flag combination, with and without properties.
pub fn bundle_control() -> Vec<Case> {
    let mut cases = Vec::new();
    let flag_sets = [
        BundleFlags::EMPTY,
        BundleFlags::ATOMIC,
        BundleFlags::ORDERED,
        BundleFlags::ATOMIC | BundleFlags::ORDERED,
    ];
    for &t in BundleCtrlType::ALL {
        for (n, &flags) in flag_sets.iter().enumerate() {
            let c = BundleControl::new(0x10 + n as u32, t, flags);
            cases.push(Case::body(
                format!("bundle control {t} flags={}", flags.bits()),
                Body::Experimenter(Experimenter::BundleControl(c)),
            ));
        }
    }
    let mut c = BundleControl::new(
        0xffff_ffff,
        BundleCtrlType::CommitRequest,
        BundleFlags::ATOMIC,
    );
    c.properties = vec![BundleProp::Experimenter {
        experimenter: 0x2320,
        exp_type: 7,
        data: Bytes::from_static(&[1, 2, 3, 4, 5]),
    }];
    cases.push(Case::body(
        "bundle control with experimenter property",
        Body::Experimenter(Experimenter::BundleControl(c)),
    ));
    cases
}

/// Bundle add messages around the given inner messages (flags and properties varied).
pub fn bundle_add(inner: Vec<(String, Message)>) -> Vec<Case> {
    let mut cases = Vec::new();
    for (n, (name, msg)) in inner.into_iter().enumerate() {
        let flags = match n % 3 {
            0 => BundleFlags::ATOMIC,
            1 => BundleFlags::ATOMIC | BundleFlags::ORDERED,
            _ => BundleFlags::EMPTY,
        };
        let mut add = BundleAdd::new(n as u32 + 1, flags, msg);
        if n % 4 == 3 {
            add.properties = vec![BundleProp::Experimenter {
                experimenter: 0x2320,
                exp_type: 1,
                data: Bytes::from_static(b"prop"),
            }];
        }
        cases.push(Case::new(format!("bundle add {name}"), add.into_message()));
    }
    cases
}

/// Experimenter messages the crate keeps raw: one OVS knows (Nicira), one it cannot know.
pub fn experimenter_other() -> Vec<Case> {
    vec![
        // NXT_FLOW_AGE (Nicira subtype 18) has an empty body.
        Case::body(
            "experimenter nicira flow_age",
            Body::Experimenter(Experimenter::Other {
                experimenter: NICIRA_EXPERIMENTER,
                exp_type: 18,
                data: Bytes::new(),
            }),
        )
        .differs(
            "the crate keeps Nicira messages raw and prints them generically \
             (experimenter.rs); OVS decodes and names them",
        ),
        Case::body(
            "experimenter unknown",
            Body::Experimenter(Experimenter::Other {
                experimenter: 0x00ab_cdef,
                exp_type: 0x1234,
                data: Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]),
            }),
        )
        .rejected(
            "OFPBRC_BAD_VENDOR",
            "an experimenter id OVS does not know; the crate keeps it raw",
        ),
    ]
}

/// Features request and replies with several capability sets.
pub fn features() -> Vec<Case> {
    let all = Capabilities::KNOWN
        .iter()
        .fold(Capabilities::EMPTY, |a, (f, _)| a | *f);
    let mut cases = vec![Case::body("features request", Body::FeaturesRequest)];
    for (n, caps) in [
        Capabilities::EMPTY,
        all,
        Capabilities::FLOW_STATS | Capabilities::PORT_STATS | Capabilities::GROUP_STATS,
        Capabilities(all.bits() | 1 << 4 | 1 << 12),
    ]
    .into_iter()
    .enumerate()
    {
        cases.push(Case::body(
            format!("features reply {n}"),
            Body::FeaturesReply(FeaturesReply {
                datapath_id: DatapathId(0x0000_5254_0012_3456 + n as u64),
                n_buffers: [0, 256, u32::MAX, 1][n],
                n_tables: [254, 1, 255, 64][n],
                auxiliary_id: [0, 1, 0, 255][n],
                capabilities: caps,
                reserved: 0,
            }),
        ));
    }
    cases
}

/// Get/set config with every fragment mode and several miss_send_len values.
pub fn config() -> Vec<Case> {
    let mut cases = vec![Case::body("get config request", Body::GetConfigRequest)];
    for (n, (flags, miss)) in [
        (
            ConfigFlags::FRAG_NORMAL,
            SwitchConfig::DEFAULT_MISS_SEND_LEN,
        ),
        (ConfigFlags::FRAG_DROP, 0),
        (ConfigFlags::FRAG_REASM, SwitchConfig::NO_BUFFER),
        (ConfigFlags::FRAG_MASK, 1500),
    ]
    .into_iter()
    .enumerate()
    {
        let c = SwitchConfig {
            flags,
            miss_send_len: miss,
        };
        cases.push(Case::body(
            format!("get config reply {n}"),
            Body::GetConfigReply(c),
        ));
        cases.push(Case::body(format!("set config {n}"), Body::SetConfig(c)));
    }
    cases.push(Case::body(
        "set config default",
        Body::SetConfig(SwitchConfig::default()),
    ));
    cases
}

/// Barrier request and reply.
pub fn barrier() -> Vec<Case> {
    vec![
        Case::new(
            "barrier request",
            Message::new(Xid(0xffff_fffe), Body::BarrierRequest),
        ),
        Case::new("barrier reply", Message::new(Xid(0), Body::BarrierReply)),
    ]
}

/// Queue get-config requests and replies with every property kind.
pub fn queue_config() -> Vec<Case> {
    let mut cases = Vec::new();
    for port in [PortNo(1), PortNo::ANY, PortNo(0xfeff)] {
        cases.push(Case::body(
            format!("queue get config request {port}"),
            Body::QueueGetConfigRequest(QueueGetConfigRequest { port }),
        ));
    }
    let queue = |id: u32, props: Vec<QueueProp>| PacketQueue {
        queue_id: QueueId(id),
        port: PortNo(3),
        properties: props,
    };
    cases.push(Case::body(
        "queue get config reply empty",
        Body::QueueGetConfigReply(QueueGetConfigReply {
            port: PortNo(3),
            queues: vec![],
        }),
    ));
    cases.push(
        Case::body(
            "queue get config reply",
            Body::QueueGetConfigReply(QueueGetConfigReply {
                port: PortNo(3),
                queues: vec![
                    queue(7, vec![QueueProp::MinRate(500), QueueProp::MaxRate(800)]),
                    queue(1, vec![]),
                    queue(2, vec![QueueProp::MinRate(RATE_DISABLED_)]),
                    queue(3, vec![QueueProp::MaxRate(1000)]),
                    queue(
                        4,
                        vec![
                            QueueProp::MinRate(10),
                            QueueProp::Experimenter {
                                experimenter: 0x2320,
                                data: Bytes::from_static(&[0; 8]),
                            },
                        ],
                    ),
                ],
            }),
        )
        .logs(
            "unknown queue property 65535",
            "OVS skips experimenter queue properties, and so does our text",
        ),
    );
    cases
}

const RATE_DISABLED_: u16 = RATE_DISABLED;

/// Role requests and replies for every role, with and without a generation id.
pub fn role() -> Vec<Case> {
    let mut cases = Vec::new();
    for &r in ControllerRole::ALL {
        for gen_id in [NO_GENERATION_ID, 0, 0x1234_5678_9abc_def0] {
            let role = Role::new(r, gen_id);
            cases.push(Case::body(
                format!("role request {r} {gen_id:#x}"),
                Body::RoleRequest(role),
            ));
            cases.push(Case::body(
                format!("role reply {r} {gen_id:#x}"),
                Body::RoleReply(role),
            ));
        }
    }
    cases
}

/// Get-async request, get-async replies and set-async with several masks.
pub fn async_config() -> Vec<Case> {
    let mut cases = vec![Case::body("get async request", Body::GetAsyncRequest)];
    let all = AsyncConfig {
        packet_in_mask: [7, 7],
        port_status_mask: [7, 7],
        flow_removed_mask: [0x3f, 0x3f],
    };
    let mut mixed = AsyncConfig::default();
    mixed.set_packet_in(true, PacketInMask::INVALID_TTL);
    mixed.set_port_status(false, PortStatusMask::MODIFY);
    mixed.set_flow_removed(
        true,
        FlowRemovedMask::EVICTION | FlowRemovedMask::IDLE_TIMEOUT,
    );
    let unknown_bits = AsyncConfig {
        packet_in_mask: [0x81, 0],
        port_status_mask: [0, 0x100],
        flow_removed_mask: [0xff00, 2],
    };
    for (name, c) in [
        ("switch default", AsyncConfig::switch_default()),
        ("none", AsyncConfig::default()),
        ("all", all),
        ("mixed", mixed),
        ("unknown bits", unknown_bits),
    ] {
        cases.push(Case::body(
            format!("get async reply {name}"),
            Body::GetAsyncReply(c),
        ));
        cases.push(Case::body(format!("set async {name}"), Body::SetAsync(c)));
    }
    cases
}

/// Experimenter messages: bundle control and the ones kept raw.
pub fn experimenter() -> Vec<Case> {
    let mut cases = bundle_control();
    cases.extend(experimenter_other());
    cases
}

/// Features, switch config and barrier messages.
pub fn features_config_barrier() -> Vec<Case> {
    let mut cases = features();
    cases.extend(config());
    cases.extend(barrier());
    cases
}

/// Bundle adds around flow mods, port mods, packet-outs and group mods, and around a
/// message OVS does not allow in a bundle.
pub fn bundle_adds() -> Vec<Case> {
    use super::Expect;
    let mut inner: Vec<(String, Message)> = Vec::new();
    for (n, case) in super::flow::flow_mods()
        .into_iter()
        .filter(|c| matches!(c.expect, Expect::Same))
        .step_by(7)
        .enumerate()
    {
        inner.push((case.name, Message::new(Xid(100 + n as u32), case.msg.body)));
    }
    for case in super::port::port_mods().into_iter().take(2) {
        inner.push((case.name, Message::new(Xid(200), case.msg.body)));
    }
    for case in super::packet::packet_outs().into_iter().step_by(9) {
        inner.push((case.name, Message::new(Xid(300), case.msg.body)));
    }
    for case in super::group_meter::group_mods()
        .into_iter()
        .filter(|c| matches!(c.expect, Expect::Same))
        .step_by(4)
    {
        inner.push((case.name, Message::new(Xid(400), case.msg.body)));
    }
    let mut cases = bundle_add(inner);
    cases.push(
        bundle_add(vec![(
            "barrier".to_string(),
            Message::new(Xid(500), Body::BarrierRequest),
        )])
        .remove(0)
        .rejected(
            "OFPBFC_MSG_UNSUP",
            "OVS allows only flow, group and port mods and packet-outs in a bundle \
             (bundle::bundlable); the crate encodes and decodes any message there",
        ),
    );
    cases
}
