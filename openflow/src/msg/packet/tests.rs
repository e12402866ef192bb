//! Packet-in and packet-out tests. Golden bytes are from OVS `tests/ofp-print.at` or built
//! by hand; every expected text was printed by `ovs-ofctl ofp-print` for the same bytes.

use bytes::Bytes;

use super::*;
use crate::errcode::{BadActionCode, BadMatchCode, BadRequestCode, ErrorCode};
use crate::message::{Body, Message};
use crate::types::Xid;

use crate::testutil::unhex;

const BAD_LEN: ErrorCode = ErrorCode::BadRequest(BadRequestCode::BadLen);

/// A TCP SYN from 192.168.0.1:10031 to 192.168.0.2:80, with one byte of padding.
const FRAME: &str = "5054000000065054000000050800450000281234000040064bcdc0a80001c0a80002272f\
    00500000000100000002500202000026e80000";

const SUMMARY: &str = "tcp,vlan_tci=0x0000,dl_src=50:54:00:00:00:05,dl_dst=50:54:00:00:00:06,\
    nw_src=192.168.0.1,nw_dst=192.168.0.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=10031,\
    tp_dst=80,tcp_flags=syn tcp_csum:26";

const PACKET_IN: &str = "040a006100000001ffffffff00370101ffffffffffffffff0001000c800000040000\
    0001000000000000";

fn packet_in_frame() -> Bytes {
    let mut v = unhex(PACKET_IN).to_vec();
    v.extend_from_slice(&unhex(FRAME));
    Bytes::from(v)
}

fn packet_in() -> PacketIn {
    PacketIn {
        buffer_id: BufferId::NO_BUFFER,
        total_len: 55,
        reason: PacketInReason::Action,
        table_id: TableId(1),
        cookie: Cookie(u64::MAX),
        match_: Match {
            fields: vec![OxmField::InPort(PortNo(1))],
        },
        data: unhex(FRAME),
    }
}

#[test]
fn packet_in_deconstruct() {
    let frame = packet_in_frame();
    let Body::PacketIn(pi) = Message::decode(&frame).unwrap().body else {
        panic!("not a packet-in");
    };
    assert_eq!(pi, packet_in());
    assert_eq!(pi.in_port(), Some(PortNo(1)));
    // The packet data is a slice of the frame, not a copy.
    assert_eq!(pi.data.as_ptr(), frame[frame.len() - 55..].as_ptr());
}

#[test]
fn packet_in_construct_and_round_trip() {
    let frame = packet_in_frame();
    assert_eq!(packet_in().to_bytes(), frame.slice(8..));
    assert_eq!(packet_in().wire_len(), frame.len() - 8);
    let m = Message::new(Xid(1), Body::PacketIn(packet_in()));
    assert_eq!(m.encode().unwrap(), frame);
    assert_eq!(Message::decode(&frame).unwrap(), m);
}

#[test]
fn packet_in_display_matches_ovs() {
    let m = Message::new(Xid(1), Body::PacketIn(packet_in()));
    assert_eq!(
        m.to_string(),
        format!(
            "OFPT_PACKET_IN (OF1.3) (xid=0x1): table_id=1 total_len=55 in_port=1 (via action) \
             data_len=55 (unbuffered)\n{SUMMARY}"
        )
    );
    let odd = PacketIn {
        total_len: 99,
        reason: PacketInReason::Unknown(9),
        table_id: TableId(0),
        cookie: Cookie(5),
        ..packet_in()
    };
    assert_eq!(
        odd.to_string(),
        format!(
            " cookie=0x5 total_len=99 in_port=1 (via 9) data_len=55 (unbuffered) \
             (***total_len != data_len***)\n{SUMMARY}"
        )
    );
    let buffered = PacketIn {
        buffer_id: BufferId(0x100),
        total_len: 100,
        reason: PacketInReason::NoMatch,
        table_id: TableId(0),
        cookie: Cookie(5),
        match_: Match::default(),
        data: unhex(FRAME).slice(..20),
    };
    assert_eq!(
        buffered.to_string(),
        " cookie=0x5 total_len=100  (via no_match) data_len=20 buffer=0x00000100\n\
         ip,vlan_tci=0x0000,dl_src=50:54:00:00:00:05,dl_dst=50:54:00:00:00:06,nw_src=0.0.0.0,\
         nw_dst=0.0.0.0,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no"
    );
    assert_eq!(
        buffered.to_bytes(),
        unhex(
            "00000100006400000000000000000005000100040000000000005054000000065054000000050800450000281234"
        )
    );
}

// OVS tests/ofp-print.at "OFPT_PACKET_IN - OF1.3".
#[test]
fn packet_in_from_ovs_tests() {
    let frame = unhex(
        "04 0a 00 54 00 00 00 00 ff ff ff 00 00 2a 00 00 \
         01 02 03 04 05 06 07 08 00 01 00 0c 80 00 00 04 \
         ff ff ff fe 00 00 00 00 00 00 ff ff ff ff ff ff \
         00 23 20 83 c1 5f 80 35 00 01 08 00 06 04 00 03 \
         00 23 20 83 c1 5f 00 00 00 00 00 23 20 83 c1 5f \
         00 00 00 00",
    );
    let m = Message::decode(&frame).unwrap();
    let Body::PacketIn(pi) = &m.body else {
        panic!("not a packet-in")
    };
    assert_eq!(pi.in_port(), Some(PortNo::LOCAL));
    assert_eq!(pi.buffer_id, BufferId(0xffffff00));
    assert_eq!(pi.data.len(), 42);
    assert_eq!(
        m.to_string(),
        "OFPT_PACKET_IN (OF1.3) (xid=0x0): cookie=0x102030405060708 total_len=42 \
         in_port=LOCAL (via no_match) data_len=42 buffer=0xffffff00\n\
         rarp,vlan_tci=0x0000,dl_src=00:23:20:83:c1:5f,dl_dst=ff:ff:ff:ff:ff:ff,\
         arp_spa=0.0.0.0,arp_tpa=0.0.0.0,arp_op=3,arp_sha=00:23:20:83:c1:5f,\
         arp_tha=00:23:20:83:c1:5f"
    );
    assert_eq!(m.encode().unwrap(), frame);
}

#[test]
fn packet_in_malformed() {
    let body = packet_in_frame().slice(8..);
    // Cut in the fixed part.
    let e = PacketIn::from_bytes(&body.slice(..10)).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
    // Cut in the match.
    let e = PacketIn::from_bytes(&body.slice(..22)).unwrap_err();
    assert_eq!(e.ofp_error(), ErrorCode::BadMatch(BadMatchCode::BadLen));
    // Match but no room for the two pad bytes.
    let e = PacketIn::from_bytes(&body.slice(..32)).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
    // No packet at all is fine.
    let pi = PacketIn::from_bytes(&body.slice(..34)).unwrap();
    assert!(pi.data.is_empty());
}

const PACKET_OUT: &str = "040d005f00000001fffffffffffffffd00100000000000000000001000000001ffe5\
    000000000000";

fn packet_out_frame() -> Bytes {
    let mut v = unhex(PACKET_OUT).to_vec();
    v.extend_from_slice(&unhex(FRAME));
    Bytes::from(v)
}

fn packet_out() -> PacketOut {
    PacketOut {
        buffer_id: BufferId::NO_BUFFER,
        in_port: PortNo::CONTROLLER,
        actions: vec![Action::Output {
            port: PortNo(1),
            max_len: 0xffe5,
        }],
        data: unhex(FRAME),
    }
}

#[test]
fn packet_out_wire() {
    let frame = packet_out_frame();
    let m = Message::decode(&frame).unwrap();
    let Body::PacketOut(po) = &m.body else {
        panic!("not a packet-out")
    };
    assert_eq!(*po, packet_out());
    assert_eq!(po.data.as_ptr(), frame[frame.len() - 55..].as_ptr());
    assert_eq!(packet_out().to_bytes(), frame.slice(8..));
    assert_eq!(m.encode().unwrap(), frame);
}

#[test]
fn packet_out_display_matches_ovs() {
    assert_eq!(
        Message::new(Xid(1), Body::PacketOut(packet_out())).to_string(),
        format!(
            "OFPT_PACKET_OUT (OF1.3) (xid=0x1): in_port=CONTROLLER actions=output:1 \
             data_len=55\n{SUMMARY}"
        )
    );
    let buffered = PacketOut {
        buffer_id: BufferId(0x22),
        in_port: PortNo(1),
        data: Bytes::new(),
        ..packet_out()
    };
    assert_eq!(
        buffered.to_string(),
        " in_port=1 actions=output:1 buffer=0x00000022"
    );
    assert_eq!(
        buffered.to_bytes(),
        unhex("000000220000000100100000000000000000001000000001ffe5000000000000")
    );
    let empty = PacketOut {
        buffer_id: BufferId::NO_BUFFER,
        in_port: PortNo::ANY,
        actions: vec![],
        data: Bytes::new(),
    };
    assert_eq!(empty.to_string(), " in_port=ANY actions=drop data_len=0");
    assert_eq!(empty.to_bytes(), unhex("ffffffffffffffff0000000000000000"));
}

#[test]
fn packet_out_malformed() {
    let body = packet_out_frame().slice(8..);
    let e = PacketOut::from_bytes(&body.slice(..15)).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
    // actions_len longer than the message.
    let e = PacketOut::from_bytes(&body.slice(..24)).unwrap_err();
    assert_eq!(e, DecodeError::bad_len(Ctx::Message, 16));
    assert_eq!(e.ofp_error(), BAD_LEN);
    // actions_len not a multiple of 8.
    let mut bad = body.to_vec();
    bad[9] = 0x0c;
    let e = PacketOut::from_bytes(&Bytes::from(bad)).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
    // An action whose own length overruns actions_len.
    let mut bad = body.to_vec();
    bad[19] = 0x18;
    let e = PacketOut::from_bytes(&Bytes::from(bad)).unwrap_err();
    assert_eq!(e.ofp_error(), ErrorCode::BadAction(BadActionCode::BadLen));
}

#[test]
fn reasons_have_ovs_names() {
    assert_eq!(PacketInReason::from_raw(0).to_string(), "no_match");
    assert_eq!(PacketInReason::from_raw(2).to_string(), "invalid_ttl");
    assert_eq!(PacketInReason::from_raw(5).to_string(), "packet_out");
    assert_eq!(PacketInReason::from_raw(6).to_string(), "6");
}

proptest::proptest! {
    #[test]
    fn arbitrary_packet_bodies_never_panic(tail in proptest::collection::vec(0u8..=255, 0..120), cut in 0usize..60) {
        let mut body = packet_in_frame().slice(8..).to_vec();
        body.truncate(cut.min(body.len()));
        body.extend_from_slice(&tail);
        let b = Bytes::from(body);
        if let Ok(pi) = PacketIn::from_bytes(&b) {
            let _ = pi.to_string();
            proptest::prop_assert_eq!(PacketIn::from_bytes(&pi.to_bytes()).unwrap(), pi);
        }
        if let Ok(po) = PacketOut::from_bytes(&b) {
            let _ = po.to_string();
            proptest::prop_assert_eq!(PacketOut::from_bytes(&po.to_bytes()).unwrap(), po);
        }
    }
}
