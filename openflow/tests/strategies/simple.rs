//! Strategies for the simple messages: hello, error, echo, experimenter and the ONF bundle
//! extension, features and switch config, role, async config and queues.

use openflow::errcode::{ErrorCode, HelloFailedCode};
use openflow::msg::{
    AsyncConfig, BundleAdd, BundleControl, BundleCtrlType, BundleFlags, BundleProp, Capabilities,
    ConfigFlags, ControllerRole, Desc, Echo, ErrorMsg, Experimenter, FeaturesReply, Hello,
    HelloElement, OFPBPT_EXPERIMENTER, OFPHET_VERSIONBITMAP, OFPQT_EXPERIMENTER, OFPQT_MAX_RATE,
    OFPQT_MIN_RATE, ONF_EXPERIMENTER, ONFT_BUNDLE_ADD_MESSAGE, ONFT_BUNDLE_CONTROL, PacketQueue,
    QueueGetConfigReply, QueueGetConfigRequest, QueueProp, QueueStats, QueueStatsRequest, Role,
    SwitchConfig,
};
use openflow::{Body, DatapathId, Message, QueueId};
use proptest::collection::vec;
use proptest::prelude::*;

use super::{bytes, bytes8, message, port};

/// A hello element: a version bitmap, or an element type OpenFlow 1.3 does not define.
pub fn hello_element() -> impl Strategy<Value = HelloElement> + Clone {
    prop_oneof![
        3 => vec(any::<u32>(), 0..4).prop_map(HelloElement::VersionBitmap),
        1 => (any::<u16>().prop_filter("not a bitmap", |t| *t != OFPHET_VERSIONBITMAP), bytes(20))
            .prop_map(|(element_type, body)| HelloElement::Unknown { element_type, body }),
    ]
}

/// An `OFPT_HELLO` body.
pub fn hello() -> impl Strategy<Value = Hello> + Clone {
    vec(hello_element(), 0..4).prop_map(|elements| Hello { elements })
}

/// An echo payload.
pub fn echo() -> impl Strategy<Value = Echo> + Clone {
    bytes(64).prop_map(|data| Echo { data })
}

/// Any error code: every standard type with any code (known codes most of the time), or an
/// experimenter error.
pub fn error_code() -> impl Strategy<Value = ErrorCode> + Clone {
    prop_oneof![
        3 => (0u16..=13, 0u16..16).prop_map(|(t, c)| ErrorCode::from_raw(t, c)),
        1 => (0u16..0xffff, any::<u16>()).prop_map(|(t, c)| ErrorCode::from_raw(t, c)),
        1 => (any::<u16>(), any::<u32>()).prop_map(|(exp_type, experimenter)| {
            ErrorCode::Experimenter { exp_type, experimenter }
        }),
        1 => (2300u16..=2315).prop_map(|exp_type| ErrorCode::Experimenter {
            exp_type,
            experimenter: ONF_EXPERIMENTER,
        }),
    ]
}

/// An `OFPT_ERROR` body: hello failures carry ASCII text, other errors the first bytes (at
/// most 64) of the message that failed, or arbitrary bytes.
pub fn error_msg() -> impl Strategy<Value = ErrorMsg> {
    let request = prop_oneof![
        message(leaf_body()).boxed(),
        super::bundlable_message().boxed()
    ];
    let failed = request.prop_flat_map(|m| {
        let b = m.encode().expect("generated messages fit");
        let n = b.len().min(64);
        (0..=n).prop_map(move |k| b.slice(..k))
    });
    prop_oneof![
        (
            prop::sample::select(vec![HelloFailedCode::Incompatible, HelloFailedCode::Eperm]),
            "[ -~]{0,40}"
        )
            .prop_map(|(c, text)| ErrorMsg::hello_failed(c, &text)),
        (error_code(), failed).prop_map(|(code, data)| ErrorMsg { code, data }),
        (error_code(), bytes(64)).prop_map(|(code, data)| ErrorMsg { code, data }),
    ]
}

/// An experimenter message of an experimenter or type this crate does not decode.
pub fn experimenter_other() -> impl Strategy<Value = Experimenter> + Clone {
    (any::<u32>(), any::<u32>(), bytes(48))
        .prop_filter("not a bundle message", |(e, t, _)| {
            !(*e == ONF_EXPERIMENTER
                && (*t == ONFT_BUNDLE_CONTROL || *t == ONFT_BUNDLE_ADD_MESSAGE))
        })
        .prop_map(|(experimenter, exp_type, data)| Experimenter::Other {
            experimenter,
            exp_type,
            data,
        })
}

/// A bundle property: experimenter, or a type the extension does not define.
pub fn bundle_prop() -> impl Strategy<Value = BundleProp> + Clone {
    prop_oneof![
        (any::<u32>(), any::<u32>(), bytes(20)).prop_map(|(experimenter, exp_type, data)| {
            BundleProp::Experimenter {
                experimenter,
                exp_type,
                data,
            }
        }),
        (
            any::<u16>().prop_filter("not experimenter", |t| *t != OFPBPT_EXPERIMENTER),
            bytes(20)
        )
            .prop_map(|(prop_type, body)| BundleProp::Unknown { prop_type, body }),
    ]
}

/// Bundle flags: the two defined ones most of the time.
pub fn bundle_flags() -> impl Strategy<Value = BundleFlags> + Clone {
    prop_oneof![4 => 0u16..4, 1 => any::<u16>()].prop_map(BundleFlags)
}

/// A bundle control message body.
pub fn bundle_control() -> impl Strategy<Value = BundleControl> + Clone {
    (
        any::<u32>(),
        prop_oneof![4 => 0u16..8, 1 => any::<u16>()].prop_map(BundleCtrlType::from_raw),
        bundle_flags(),
        vec(bundle_prop(), 0..3),
    )
        .prop_map(|(bundle_id, ctrl_type, flags, properties)| BundleControl {
            bundle_id,
            ctrl_type,
            flags,
            properties,
        })
}

/// A bundle add message body around an inner message from `inner`.
pub fn bundle_add(inner: impl Strategy<Value = Message>) -> impl Strategy<Value = BundleAdd> {
    (
        any::<u32>(),
        bundle_flags(),
        inner,
        vec(bundle_prop(), 0..3),
    )
        .prop_map(|(bundle_id, flags, message, properties)| BundleAdd {
            bundle_id,
            flags,
            message: Box::new(message),
            properties,
        })
}

/// An `OFPT_FEATURES_REPLY` body.
pub fn features_reply() -> impl Strategy<Value = FeaturesReply> + Clone {
    (
        any::<u64>(),
        any::<u32>(),
        any::<u8>(),
        any::<u8>(),
        any::<u32>(),
        any::<u32>(),
    )
        .prop_map(
            |(dpid, n_buffers, n_tables, auxiliary_id, caps, reserved)| FeaturesReply {
                datapath_id: DatapathId(dpid),
                n_buffers,
                n_tables,
                auxiliary_id,
                capabilities: Capabilities(caps),
                reserved,
            },
        )
}

/// A switch configuration.
pub fn switch_config() -> impl Strategy<Value = SwitchConfig> + Clone {
    (any::<u16>(), any::<u16>()).prop_map(|(flags, miss_send_len)| SwitchConfig {
        flags: ConfigFlags(flags),
        miss_send_len,
    })
}

/// A role request or reply: only the four roles the spec defines (others are refused).
pub fn role() -> impl Strategy<Value = Role> + Clone {
    (0u32..4, any::<u64>()).prop_map(|(r, generation_id)| Role {
        role: ControllerRole::from_raw(r),
        generation_id,
    })
}

/// An async configuration.
pub fn async_config() -> impl Strategy<Value = AsyncConfig> + Clone {
    any::<[u32; 6]>().prop_map(|w| AsyncConfig {
        packet_in_mask: [w[0], w[1]],
        port_status_mask: [w[2], w[3]],
        flow_removed_mask: [w[4], w[5]],
    })
}

/// A queue property; raw bodies are whole 8-byte words, as properties must be aligned.
pub fn queue_prop() -> impl Strategy<Value = QueueProp> + Clone {
    prop_oneof![
        any::<u16>().prop_map(QueueProp::MinRate),
        any::<u16>().prop_map(QueueProp::MaxRate),
        (any::<u32>(), bytes8(3))
            .prop_map(|(experimenter, data)| QueueProp::Experimenter { experimenter, data }),
        (
            any::<u16>().prop_filter("undefined property", |p| {
                ![OFPQT_MIN_RATE, OFPQT_MAX_RATE, OFPQT_EXPERIMENTER].contains(p)
            }),
            bytes8(3)
        )
            .prop_map(|(property, body)| QueueProp::Unknown { property, body }),
    ]
}

/// A queue description.
pub fn packet_queue() -> impl Strategy<Value = PacketQueue> + Clone {
    (any::<u32>(), port(), vec(queue_prop(), 0..4)).prop_map(|(q, port, properties)| PacketQueue {
        queue_id: QueueId(q),
        port,
        properties,
    })
}

/// An `OFPT_QUEUE_GET_CONFIG_REQUEST` body.
pub fn queue_get_config_request() -> impl Strategy<Value = QueueGetConfigRequest> + Clone {
    port().prop_map(|port| QueueGetConfigRequest { port })
}

/// An `OFPT_QUEUE_GET_CONFIG_REPLY` body.
pub fn queue_get_config_reply() -> impl Strategy<Value = QueueGetConfigReply> + Clone {
    (port(), vec(packet_queue(), 0..4))
        .prop_map(|(port, queues)| QueueGetConfigReply { port, queues })
}

/// An `OFPMP_QUEUE` request body.
pub fn queue_stats_request() -> impl Strategy<Value = QueueStatsRequest> + Clone {
    (port(), any::<u32>()).prop_map(|(port_no, q)| QueueStatsRequest {
        port_no,
        queue_id: QueueId(q),
    })
}

/// One `OFPMP_QUEUE` reply record.
pub fn queue_stats() -> impl Strategy<Value = QueueStats> + Clone {
    (
        port(),
        any::<u32>(),
        any::<[u64; 3]>(),
        any::<u32>(),
        0u32..1_000_000_000,
    )
        .prop_map(|(port_no, q, c, duration_sec, duration_nsec)| QueueStats {
            port_no,
            queue_id: QueueId(q),
            tx_bytes: c[0],
            tx_packets: c[1],
            tx_errors: c[2],
            duration_sec,
            duration_nsec,
        })
}

/// An `OFPMP_DESC` reply body: printable ASCII strings that fit their NUL-padded fields.
pub fn desc() -> impl Strategy<Value = Desc> + Clone {
    (
        "[ -~]{0,60}",
        "[ -~]{0,60}",
        "[ -~]{0,60}",
        "[ -~]{0,31}",
        "[ -~]{0,60}",
    )
        .prop_map(|(mfr_desc, hw_desc, sw_desc, serial_num, dp_desc)| Desc {
            mfr_desc,
            hw_desc,
            sw_desc,
            serial_num,
            dp_desc,
        })
}

/// Bodies of simple messages that do not contain another message (usable inside an error
/// or a bundle without recursion).
pub fn leaf_body() -> impl Strategy<Value = Body> + Clone {
    prop_oneof![
        super::empty_body(),
        hello().prop_map(Body::Hello),
        echo().prop_map(Body::EchoRequest),
        echo().prop_map(Body::EchoReply),
        experimenter_other().prop_map(Body::Experimenter),
        bundle_control().prop_map(|c| Body::Experimenter(Experimenter::BundleControl(c))),
        features_reply().prop_map(Body::FeaturesReply),
        switch_config().prop_map(Body::GetConfigReply),
        switch_config().prop_map(Body::SetConfig),
        role().prop_map(Body::RoleRequest),
        role().prop_map(Body::RoleReply),
        async_config().prop_map(Body::GetAsyncReply),
        async_config().prop_map(Body::SetAsync),
        queue_get_config_request().prop_map(Body::QueueGetConfigRequest),
        queue_get_config_reply().prop_map(Body::QueueGetConfigReply),
    ]
}

/// A bundle add message as the extension requires it: the outer xid equals the inner one.
pub fn bundle_add_message() -> impl Strategy<Value = Message> {
    bundle_add(super::bundlable_message()).prop_map(BundleAdd::into_message)
}

/// Any body of a simple message.
pub fn any_simple_body() -> BoxedStrategy<Body> {
    prop_oneof![
        8 => leaf_body(),
        1 => error_msg().prop_map(Body::Error),
        1 => bundle_add(super::bundlable_message())
            .prop_map(|a| Body::Experimenter(Experimenter::BundleAdd(a))),
    ]
    .boxed()
}
