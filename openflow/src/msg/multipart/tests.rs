use bytes::Bytes;

use super::*;
use crate::errcode::{BadRequestCode, ErrorCode};
use crate::message::{Body, Message};
use crate::msg::{
    Desc, GroupDesc, GroupFeatures, GroupType, MeterBand, MeterConfig, MeterFeatures, MeterFlags,
    TableStats,
};
use crate::types::{GroupId, MeterId, PortNo, QueueId, Xid};

use crate::testutil::unhex as hex;

use crate::testutil::ovs_text;

fn request(flags: u16, body: MultipartRequestBody) -> Message {
    Message::new(
        Xid(2),
        Body::MultipartRequest(MultipartRequest {
            flags: MultipartRequestFlags(flags),
            body,
        }),
    )
}

fn reply(flags: u16, body: MultipartReplyBody) -> Message {
    Message::new(
        Xid(2),
        Body::MultipartReply(MultipartReply {
            flags: MultipartReplyFlags(flags),
            body,
        }),
    )
}

#[test]
fn bodiless_requests_round_trip_and_print_as_ovs() {
    use MultipartRequestBody as B;
    for (t, flags, body, text) in [
        (
            0u16,
            0u16,
            B::Desc,
            "OFPST_DESC request (OF1.3) (xid=0x2):\n",
        ),
        (3, 0, B::Table, "OFPST_TABLE request (OF1.3) (xid=0x2):\n"),
        (
            7,
            3,
            B::GroupDesc,
            "OFPST_GROUP_DESC request (OF1.3) (xid=0x2): flags=[more][***unknown flags 0x0002***] group_id=ALL\n",
        ),
        (
            8,
            1,
            B::GroupFeatures,
            "OFPST_GROUP_FEATURES request (OF1.3) (xid=0x2): flags=[more]\n",
        ),
        (
            11,
            0,
            B::MeterFeatures,
            "OFPST_METER_FEATURES request (OF1.3) (xid=0x2):\n",
        ),
        (
            12,
            0,
            B::TableFeatures(vec![]),
            "OFPST_TABLE_FEATURES request (OF1.3) (xid=0x2):\n",
        ),
        (
            13,
            0,
            B::PortDesc,
            "OFPST_PORT_DESC request (OF1.3) (xid=0x2): port=ANY\n",
        ),
    ] {
        let bytes = hex(&format!("04120010 00000002 {t:04x}{flags:04x} 00000000"));
        let m = request(flags, body);
        assert_eq!(m.encode().unwrap(), bytes, "{text}");
        assert_eq!(Message::decode(&bytes).unwrap(), m, "{text}");
        assert_eq!(ovs_text(&m), text);
    }
}

#[test]
fn titles_name_every_type() {
    use MultipartReplyBody as R;
    let r = |body| MultipartReply::new(body).title();
    assert_eq!(r(R::Group(vec![])), "OFPST_GROUP reply");
    assert_eq!(r(R::PortDesc(vec![])), "OFPST_PORT_DESC reply");
    assert_eq!(r(R::PortStats(vec![])), "OFPST_PORT reply");
    assert_eq!(r(R::MeterConfig(vec![])), "OFPST_METER_CONFIG reply");
    assert_eq!(r(R::TableFeatures(vec![])), "OFPST_TABLE_FEATURES reply");
    let q = MultipartRequest::new(MultipartRequestBody::Unknown {
        mp_type: 20,
        body: Bytes::new(),
    });
    assert_eq!(q.title(), "OFPST_UNKNOWN_20 request");
    assert_eq!(MultipartType::PortStats.name(), Some("PORT"));
}

#[test]
fn reply_flags_print_as_ovs() {
    let m = reply(1, MultipartReplyBody::PortDesc(vec![]));
    assert_eq!(
        m.encode().unwrap(),
        hex("04130010 00000002 000d0001 00000000")
    );
    assert_eq!(
        ovs_text(&m),
        "OFPST_PORT_DESC reply (OF1.3) (xid=0x2): flags=[more]\n"
    );
    let m = reply(4, MultipartReplyBody::GroupDesc(vec![]));
    assert_eq!(
        ovs_text(&m),
        "OFPST_GROUP_DESC reply (OF1.3) (xid=0x2): flags=[***unknown flags 0x0004***]\n"
    );
    assert!(!MultipartReply::new(MultipartReplyBody::Table(vec![])).is_more());
}

#[test]
fn unknown_and_experimenter_types_survive() {
    for bytes in [
        hex("04120014 00000002 00140000 00000000 aabbccdd"),
        hex("04130014 00000002 00140000 00000000 aabbccdd"),
    ] {
        let m = Message::decode(&bytes).unwrap();
        let raw = Bytes::from_static(&[0xaa, 0xbb, 0xcc, 0xdd]);
        match &m.body {
            Body::MultipartRequest(r) => assert_eq!(
                r.body,
                MultipartRequestBody::Unknown {
                    mp_type: 20,
                    body: raw
                }
            ),
            Body::MultipartReply(r) => assert_eq!(
                r.body,
                MultipartReplyBody::Unknown {
                    mp_type: 20,
                    body: raw
                }
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(m.encode().unwrap(), bytes);
    }
    let bytes = hex("0413001a 00000002 ffff0000 00000000 00002320 00000007 0102");
    let m = Message::decode(&bytes).unwrap();
    assert_eq!(
        m,
        reply(
            0,
            MultipartReplyBody::Experimenter {
                experimenter: 0x2320,
                exp_type: 7,
                data: Bytes::from_static(&[1, 2])
            }
        )
    );
    assert_eq!(m.encode().unwrap(), bytes);
    assert_eq!(
        m.to_string(),
        "OFPST_EXPERIMENTER reply (OF1.3) (xid=0x2): experimenter=0x2320 exp_type=7 (2 bytes)"
    );
}

#[test]
fn malformed_bodies_are_bad_request_bad_len() {
    let bad_len = ErrorCode::BadRequest(BadRequestCode::BadLen);
    for body in [
        // A multipart header cut short.
        "0412000c 00000002 00000000",
        // A desc request with a body.
        "04120018 00000002 00000000 00000000 0000000000000000",
        // A group stats request of 4 bytes.
        "04120014 00000002 00060000 00000000 00000001",
        // A meter request with 4 stray bytes.
        "0412001c 00000002 00090000 00000000 0000000100000000 00000000",
        // An experimenter request without its type.
        "04120014 00000002 ffff0000 00000000 00002320",
        // A group features reply cut short.
        "04130018 00000002 00080000 00000000 0000000f0000000f",
    ] {
        let e = Message::decode(&hex(body)).unwrap_err();
        assert_eq!(e.ofp_error(), bad_len, "{body}");
    }
}

fn group_desc(id: u32) -> GroupDesc {
    GroupDesc {
        group_type: GroupType::All,
        group_id: GroupId(id),
        buckets: vec![],
    }
}

#[test]
fn continuations_extend_lists_of_the_same_type() {
    let mut body = MultipartReplyBody::GroupDesc(vec![group_desc(1)]);
    body.extend(MultipartReplyBody::GroupDesc(vec![
        group_desc(2),
        group_desc(3),
    ]))
    .unwrap();
    assert_eq!(
        body,
        MultipartReplyBody::GroupDesc(vec![group_desc(1), group_desc(2), group_desc(3)])
    );
    // A different list type, or a type that is not a list, comes back.
    let other = MultipartReplyBody::Meter(vec![]);
    assert_eq!(body.extend(other.clone()), Err(other));
    let mut features = MultipartReplyBody::MeterFeatures(MeterFeatures::default());
    let more = MultipartReplyBody::MeterFeatures(MeterFeatures::default());
    assert_eq!(features.extend(more.clone()), Err(more));
    assert!(!features.is_list());
    // Table-features requests are the one request that continues.
    let mut req = MultipartRequestBody::TableFeatures(vec![]);
    assert!(
        req.extend(MultipartRequestBody::TableFeatures(vec![]))
            .is_ok()
    );
    assert!(req.extend(MultipartRequestBody::Desc).is_err());
}

#[test]
fn split_keeps_each_message_under_the_limit() {
    // 10 group descs of 8 bytes, 4 per 48-byte message (16 bytes of headers).
    let all: Vec<GroupDesc> = (0..10).map(group_desc).collect();
    let whole = MultipartReply::new(MultipartReplyBody::GroupDesc(all.clone()));
    let parts = whole.clone().split(48);
    assert_eq!(parts.len(), 3);
    let mut joined = parts[0].clone();
    for p in &parts[1..] {
        assert!(joined.is_more());
        joined.body.extend(p.body.clone()).unwrap();
        joined.flags = p.flags;
    }
    assert_eq!(joined, whole);
    for p in &parts {
        let m = Message::new(Xid(1), Body::MultipartReply(p.clone()));
        assert!(m.encode().unwrap().len() <= 48);
    }
    // An empty list and a non-list stay one message.
    let empty = MultipartReply::new(MultipartReplyBody::Group(vec![]));
    assert_eq!(empty.clone().split(48), vec![empty]);
    let features = MultipartReply::new(MultipartReplyBody::GroupFeatures(GroupFeatures::default()));
    assert_eq!(features.clone().split(16), vec![features]);
}

#[test]
fn meter_config_request_and_reply_dispatch() {
    let m = reply(
        0,
        MultipartReplyBody::MeterConfig(vec![MeterConfig {
            flags: MeterFlags::PKTPS,
            meter_id: MeterId(7),
            bands: vec![MeterBand::Drop {
                rate: 5,
                burst_size: 0,
            }],
        }]),
    );
    let bytes = m.encode().unwrap();
    assert_eq!(
        bytes,
        hex(
            "04130028 00000002 000a0000 00000000 00180002 00000007 00010010 00000005 00000000 00000000"
        )
    );
    assert_eq!(Message::decode(&bytes).unwrap(), m);
    assert_eq!(
        ovs_text(&m),
        "OFPST_METER_CONFIG reply (OF1.3) (xid=0x2):\nmeter=7 pktps bands=\ntype=drop rate=5\n"
    );
}

#[test]
fn durations_print_like_ovs() {
    struct D(u32, u32);
    impl fmt::Display for D {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt_duration(f, self.0, self.1)
        }
    }
    assert_eq!(D(18, 0).to_string(), "18s");
    assert_eq!(D(18, 500_000_000).to_string(), "18.500s");
    assert_eq!(D(394, 174_990_148).to_string(), "394.174990148s");
    assert_eq!(D(1, 120_000).to_string(), "1.00012s");
}

/// `OFPST_QUEUE request - OF1.3` and `OFPST_QUEUE reply - OF1.3` from OVS's tests/ofp-print.at.
const QUEUE_REQUEST: &str = "04 12 00 18 00 00 00 02 00 05 00 00 00 00 00 00 \
    ff ff ff ff ff ff ff ff";
const QUEUE_REPLY: &str = "04 13 01 00 00 00 00 01 00 05 00 00 00 00 00 00 \
    00 00 00 03 00 00 00 01 00 00 00 00 00 00 01 2e \
    00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 \
    00 00 00 64 1d cd 65 00 \
    00 00 00 03 00 00 00 02 00 00 00 00 00 00 00 00 \
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
    00 00 00 64 1d cd 65 00 \
    00 00 00 02 00 00 00 01 00 00 00 00 00 00 08 34 \
    00 00 00 00 00 00 00 14 00 00 00 00 00 00 00 00 \
    00 00 00 64 1d cd 65 00 \
    00 00 00 02 00 00 00 02 00 00 00 00 00 00 00 00 \
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
    00 00 00 64 1d cd 65 00 \
    00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 \
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
    00 00 00 64 1d cd 65 00 \
    00 00 00 01 00 00 00 02 00 00 00 00 00 00 00 00 \
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \
    ff ff ff ff ff ff ff ff";

#[test]
fn queue_request_and_reply_dispatch() {
    let bytes = hex(QUEUE_REQUEST);
    let m = Message::decode(&bytes).unwrap();
    let Body::MultipartRequest(MultipartRequest {
        body: MultipartRequestBody::Queue(q),
        ..
    }) = &m.body
    else {
        panic!("{m:?}")
    };
    assert_eq!((q.port_no, q.queue_id), (PortNo::ANY, QueueId::ALL));
    assert_eq!(m.encode().unwrap(), bytes);
    assert_eq!(
        ovs_text(&m),
        "OFPST_QUEUE request (OF1.3) (xid=0x2): port=ANY queue=ALL\n"
    );

    let bytes = hex(QUEUE_REPLY);
    let m = Message::decode(&bytes).unwrap();
    let Body::MultipartReply(MultipartReply {
        body: MultipartReplyBody::Queue(stats),
        ..
    }) = &m.body
    else {
        panic!("{m:?}")
    };
    assert_eq!(stats.len(), 6);
    assert_eq!(stats[2].tx_bytes, 2100);
    assert_eq!(m.encode().unwrap(), bytes);
    assert_eq!(
        ovs_text(&m),
        "OFPST_QUEUE reply (OF1.3) (xid=0x1): 6 queues\n\
         \x20 port 3 queue 1: bytes=302, pkts=1, errors=0, duration=100.500s\n\
         \x20 port 3 queue 2: bytes=0, pkts=0, errors=0, duration=100.500s\n\
         \x20 port 2 queue 1: bytes=2100, pkts=20, errors=0, duration=100.500s\n\
         \x20 port 2 queue 2: bytes=0, pkts=0, errors=0, duration=100.500s\n\
         \x20 port 1 queue 1: bytes=0, pkts=0, errors=0, duration=100.500s\n\
         \x20 port 1 queue 2: bytes=0, pkts=0, errors=0, duration=?\n"
    );
}

#[test]
fn desc_reply_dispatch() {
    let desc = Desc {
        mfr_desc: "Nicira, Inc.".into(),
        hw_desc: "Open vSwitch".into(),
        sw_desc: "3.1.0".into(),
        serial_num: "None".into(),
        dp_desc: "br0".into(),
    };
    let m = reply(0, MultipartReplyBody::Desc(desc));
    let bytes = m.encode().unwrap();
    assert_eq!(bytes.len(), 16 + 1056);
    assert_eq!(
        &bytes[..16],
        &hex("04130430 00000002 00000000 00000000")[..]
    );
    assert_eq!(Message::decode(&bytes).unwrap(), m);
    assert_eq!(
        ovs_text(&m),
        "OFPST_DESC reply (OF1.3) (xid=0x2):\nManufacturer: Nicira, Inc.\n\
         Hardware: Open vSwitch\nSoftware: 3.1.0\nSerial Num: None\nDP Description: br0\n"
    );
    // A desc reply of the wrong length (OVS: OFPBRC_BAD_LEN).
    let e = Message::decode(&hex("04130010 00000002 00000000 00000000")).unwrap_err();
    assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
}

proptest::proptest! {
    /// Bodies of the types this module owns, from arbitrary bytes: never a panic (in parse or
    /// Display), and whatever parses re-emits to something that parses the same.
    #[test]
    fn arbitrary_reply_bodies_never_panic(
        mp_type in proptest::sample::select(vec![0u16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 20, 0xffff]),
        request in proptest::bool::ANY,
        body in proptest::collection::vec(0u8..=255, 0..200),
    ) {
        let mut frame = vec![4, if request { 18 } else { 19 }, 0, 0, 0, 0, 0, 1];
        frame.extend_from_slice(&mp_type.to_be_bytes());
        frame.extend_from_slice(&[0; 6]);
        frame.extend_from_slice(&body);
        let len = frame.len() as u16;
        frame[2..4].copy_from_slice(&len.to_be_bytes());
        if let Ok(m) = Message::decode(&Bytes::from(frame)) {
            let _ = m.to_string();
            let again = Message::decode(&m.encode().unwrap()).unwrap();
            proptest::prop_assert_eq!(again, m);
        }
    }
}

#[test]
fn table_features_requests_split_and_join() {
    let table = |id| crate::msg::TableFeatures {
        table_id: crate::types::TableId(id),
        name: format!("t{id}"),
        metadata_match: 0,
        metadata_write: 0,
        config: 0,
        max_entries: 10,
        properties: vec![],
    };
    let tables: Vec<_> = (0..5).map(table).collect();
    let whole = MultipartRequest::new(MultipartRequestBody::TableFeatures(tables));
    // Two 64-byte tables per 144-byte message.
    let parts = whole.clone().split(144);
    assert_eq!(parts.len(), 3);
    assert!(parts[0].is_more() && parts[1].is_more() && !parts[2].is_more());
    let mut joined = parts[0].clone();
    for p in &parts[1..] {
        joined.body.extend(p.body.clone()).unwrap();
        joined.flags = p.flags;
    }
    assert_eq!(joined, whole);
    let m = Message::new(Xid(9), Body::MultipartRequest(parts[0].clone()));
    let bytes = m.encode().unwrap();
    assert_eq!(bytes.len(), 144);
    assert_eq!(&bytes[8..12], &[0, 12, 0, 1]);
    assert_eq!(Message::decode(&bytes).unwrap(), m);
    let desc = MultipartRequest::new(MultipartRequestBody::Desc);
    assert_eq!(desc.clone().split(16), vec![desc]);
}

/// Messages whose records belong to other modules, dispatched and framed here: (what, hex,
/// what `ovs-ofctl ofp-print` says).
const DISPATCHED: &[(&str, &str, &str)] = &[
    (
        "OFPST_FLOW request - OF1.3 (ofp-print.at)",
        "04120038000000020001000000000000ff000000ffffffffffffffff00000000 \
             000000000000000000000000000000000001000400000000",
        "OFPST_FLOW request (OF1.3) (xid=0x2):\n",
    ),
    (
        "OFPST_AGGREGATE request - OF1.3 (ofp-print.at)",
        "04120038000000020002000000000000ff000000ffffffffffffffff00000000 \
             000000000000000000000000000000000001000400000000",
        "OFPST_AGGREGATE request (OF1.3) (xid=0x2):\n",
    ),
    (
        "OFPST_AGGREGATE reply - OF1.3 (ofp-print.at)",
        "0413002800000002000200000000000000000000000000790000000000004b4f \
             0000000300000000",
        "OFPST_AGGREGATE reply (OF1.3) (xid=0x2): packet_count=121 byte_count=19279 flow_count=3\n",
    ),
    (
        "OFPST_PORT request - 1.3 (ofp-print.at)",
        "04120018000000020004000000000000ffffffff00000000",
        "OFPST_PORT request (OF1.3) (xid=0x2): port_no=ANY\n",
    ),
    (
        "OFPST_PORT reply - OF1.3 (ofp-print.at)",
        "0413016000000002000400000000000000000002000000000000000000019556 \
             000000000000008800000000025d08980000000000002cf80000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             00000000000000000000000000000000000000000000000000000001000f4240 \
             fffffffe0000000000000000000000440000000000009d2c000000000000167c \
             00000000011e3644000000000000000000000000000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0000000000000000ffffffffffffffff00000001000000000000000000000044 \
             0000000000009d2c000000000000167c00000000011e36440000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             000000000000000000000000000000000000000000000000000000000754d4c0",
        concat!(
            "OFPST_PORT reply (OF1.3) (xid=0x2): 3 ports\n",
            "  port  2: rx pkts=103766, bytes=39651480, drop=0, errs=0, frame=0, over=0, crc=0\n",
            "           tx pkts=136, bytes=11512, drop=0, errs=0, coll=0\n",
            "           duration=1.001s\n",
            "  port LOCAL: rx pkts=68, bytes=5756, drop=0, errs=0, frame=0, over=0, crc=0\n",
            "           tx pkts=40236, bytes=18757188, drop=0, errs=0, coll=0\n",
            "  port  1: rx pkts=68, bytes=5756, drop=0, errs=0, frame=0, over=0, crc=0\n",
            "           tx pkts=40236, bytes=18757188, drop=0, errs=0, coll=0\n",
            "           duration=0.123s\n",
        ),
    ),
    (
        "flow stats reply of OVS 3.1 (group, meter, goto_table, NORMAL, drop)",
        "04130148000000c1000100000000000000600000000000000c845880000a0000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0001001d800000040000000180000a020800800014010680001c020050000000 \
             0004001000000000001600080000000100500000000000000bcd3d800005001e \
             0000000000000000000000000000123400000000000000000000000000000000 \
             0001000e80000606001122334455000000060008000000010001000801000000 \
             005000000000066104a62f800000000000000000000000000000000000000000 \
             0000000000000000000000000000000000010004000000000004001800000000 \
             00000010fffffffa000000000000000000380100000000000b16228000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0001000400000000",
        concat!(
            "OFPST_FLOW reply (OF1.3) (xid=0xc1):\n",
            " cookie=0x0, duration=0.210s, table=0, n_packets=0, n_bytes=0, priority=10,tcp,in_port=1,tp_dst=80 actions=group:1\n",
            " cookie=0x1234, duration=0.198s, table=0, n_packets=0, n_bytes=0, idle_timeout=30, priority=5,dl_dst=00:11:22:33:44:55 actions=meter:1,goto_table:1\n",
            " cookie=0x0, duration=1633.078s, table=0, n_packets=0, n_bytes=0, priority=0 actions=NORMAL\n",
            " cookie=0x0, duration=0.186s, table=1, n_packets=0, n_bytes=0, priority=0 actions=drop\n",
        ),
    ),
    (
        "aggregate reply of OVS 3.1",
        "04130028000000c2000200000000000000000000000000000000000000000000 \
             0000000400000000",
        "OFPST_AGGREGATE reply (OF1.3) (xid=0xc2): packet_count=0 byte_count=0 flow_count=4\n",
    ),
    (
        "port stats reply of OVS 3.1",
        "04130160000000c40004000000000000fffffffe000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000066104a62f80 \
             0000000100000000000000000000000000000000000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0000000000000000000002ab08c30ac000000002000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             0000000000000000000000000000000000000000000000000000000000000000 \
             000000000000000000000000000000000000000000000000000002ab07cee6c0",
        concat!(
            "OFPST_PORT reply (OF1.3) (xid=0xc4): 3 ports\n",
            "  port LOCAL: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0\n",
            "           tx pkts=0, bytes=0, drop=0, errs=0, coll=0\n",
            "           duration=1633.078s\n",
            "  port  1: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0\n",
            "           tx pkts=0, bytes=0, drop=0, errs=0, coll=0\n",
            "           duration=683.147s\n",
            "  port  2: rx pkts=0, bytes=0, drop=0, errs=0, frame=0, over=0, crc=0\n",
            "           tx pkts=0, bytes=0, drop=0, errs=0, coll=0\n",
            "           duration=683.131s\n",
        ),
    ),
    (
        "port desc reply of OVS 3.1 (LOCAL first on the wire, last in the text)",
        "041300d0000000c5000d000000000000fffffffe000000002ac8580ea4470000 \
             6762723000000000000000000000000000000001000000010000084000000000 \
             00000000000000000098968000000000000000010000000016e9734568c90000 \
             7031000000000000000000000000000000000001000000010000084000000000 \
             000000000000000000989680000000000000000200000000ce6607eca74d0000 \
             7032000000000000000000000000000000000001000000010000084000000000 \
             00000000000000000098968000000000",
        concat!(
            "OFPST_PORT_DESC reply (OF1.3) (xid=0xc5):\n",
            " 1(p1): addr:16:e9:73:45:68:c9\n",
            "     config:     PORT_DOWN\n",
            "     state:      LINK_DOWN\n",
            "     current:    10GB-FD COPPER\n",
            "     speed: 10000 Mbps now, 0 Mbps max\n",
            " 2(p2): addr:ce:66:07:ec:a7:4d\n",
            "     config:     PORT_DOWN\n",
            "     state:      LINK_DOWN\n",
            "     current:    10GB-FD COPPER\n",
            "     speed: 10000 Mbps now, 0 Mbps max\n",
            " LOCAL(gbr0): addr:2a:c8:58:0e:a4:47\n",
            "     config:     PORT_DOWN\n",
            "     state:      LINK_DOWN\n",
            "     current:    10GB-FD COPPER\n",
            "     speed: 10000 Mbps now, 0 Mbps max\n",
        ),
    ),
];

#[test]
fn other_modules_records_dispatch_and_print_as_ovs() {
    for (what, h, text) in DISPATCHED {
        let bytes = hex(h);
        let m = Message::decode(&bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(m.encode().unwrap(), bytes, "{what}");
        assert_eq!(ovs_text(&m), *text, "{what}");
    }
}

/// OVS 3.1's table stats reply for a bridge with 254 tables, 3 flows in table 0 and 1 in
/// table 1: 254 records, most equal, which OVS folds into "ditto".
#[test]
fn table_stats_reply_folds_runs_as_ovs() {
    let stats: Vec<TableStats> = (0..254)
        .map(|t| TableStats {
            table_id: crate::types::TableId(t),
            active_count: match t {
                0 => 3,
                1 => 1,
                _ => 0,
            },
            lookup_count: 0,
            matched_count: 0,
        })
        .collect();
    let m = Message::new(
        Xid(0xc3),
        Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Table(stats))),
    );
    let bytes = m.encode().unwrap();
    assert_eq!(bytes.len(), 16 + 254 * 24);
    assert_eq!(&bytes[..16], &hex("041317e0000000c30003000000000000")[..]);
    assert_eq!(
        &bytes[16..40],
        &hex("00000000000000030000000000000000 0000000000000000")[..]
    );
    assert_eq!(Message::decode(&bytes).unwrap(), m);
    assert_eq!(
        ovs_text(&m),
        concat!(
            "OFPST_TABLE reply (OF1.3) (xid=0xc3):\n",
            "  table 0:\n",
            "    active=3, lookup=0, matched=0\n",
            "\n",
            "  table 1:\n",
            "    active=1, lookup=0, matched=0\n",
            "\n",
            "  table 2:\n",
            "    active=0, lookup=0, matched=0\n",
            "\n",
            "  tables 3...253: ditto\n",
        )
    );
}
