//! Port tests: golden bytes from OVS `tests/ofp-print.at` or built by hand, every text
//! checked with `ovs-ofctl ofp-print`.
use super::*;
use crate::errcode::{BadRequestCode, ErrorCode};
use bytes::Bytes;

use crate::testutil::unhex as hex;

const BAD_LEN: ErrorCode = ErrorCode::BadRequest(BadRequestCode::BadLen);

// From OVS tests/ofp-print.at "OFPT_PORT_STATUS - OF1.1", body after the header.
const PORT_STATUS: &str = "02 00 00 00 00 00 00 00 \
        00 00 00 03 00 00 00 00 50 54 00 00 00 01 00 00 \
        65 74 68 30 00 00 00 00 00 00 00 00 00 00 00 00 \
        00 00 00 00 00 00 00 00 00 00 20 08 00 00 28 0f \
        00 00 28 0f 00 00 00 00 00 01 86 a0 00 01 86 a0";

fn port_status() -> PortStatus {
    PortStatus {
        reason: PortReason::Modify,
        desc: Port {
            port_no: PortNo(3),
            hw_addr: "50:54:00:00:00:01".parse().unwrap(),
            name: "eth0".into(),
            config: PortConfig::EMPTY,
            state: PortState::EMPTY,
            curr: PortFeatures::RATE_100MB_FD | PortFeatures::AUTONEG,
            advertised: PortFeatures(0x280f),
            supported: PortFeatures(0x280f),
            peer: PortFeatures::EMPTY,
            curr_speed: 100_000,
            max_speed: 100_000,
        },
    }
}

#[test]
fn port_status_deconstruct() {
    let b = hex(PORT_STATUS);
    let ps = PortStatus::from_bytes(&b).unwrap();
    assert_eq!(ps, port_status());
    assert!(ps.desc.advertised.contains(PortFeatures::COPPER));
}

#[test]
fn port_status_construct_and_round_trip() {
    let ps = port_status();
    assert_eq!(ps.to_bytes(), hex(PORT_STATUS));
    assert_eq!(ps.wire_len(), 72);
    assert_eq!(PortStatus::from_bytes(&ps.to_bytes()).unwrap(), ps);
}

#[test]
fn port_status_display_matches_ovs() {
    assert_eq!(
        port_status().to_string(),
        " MOD: 3(eth0): addr:50:54:00:00:00:01
     config:     0
     state:      0
     current:    100MB-FD AUTO_NEG
     advertised: 10MB-HD 10MB-FD 100MB-HD 100MB-FD COPPER AUTO_NEG
     supported:  10MB-HD 10MB-FD 100MB-HD 100MB-FD COPPER AUTO_NEG
     speed: 100 Mbps now, 100 Mbps max"
    );
}

// Checked with `ovs-ofctl ofp-print 040c0050000000010000000000000000 <port>`.
#[test]
fn port_flags_display_matches_ovs() {
    let b = hex("00 00 00 00 00 00 00 00 \
            ff ff ff fe 00 00 00 00 0a 1b 2c 3d 4e 5f 00 00 \
            62 72 30 00 00 00 00 00 00 00 00 00 00 00 00 00 \
            ff ff ff ff ff ff ff ff 00 00 00 00 00 00 00 00 \
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    let ps = PortStatus::from_bytes(&b).unwrap();
    assert_eq!(ps.desc.port_no, PortNo::LOCAL);
    assert_eq!(ps.to_bytes(), b);
    assert_eq!(
        ps.to_string(),
        " ADD: LOCAL(br0): addr:0a:1b:2c:3d:4e:5f
     config:     PORT_DOWN NO_RECV NO_FWD NO_PACKET_IN
     state:      LINK_DOWN BLOCKED LIVE
     speed: 0 Mbps now, 0 Mbps max"
    );
}

#[test]
fn port_desc_list_sorts_like_ovs() {
    let mut local = port_status().desc;
    local.port_no = PortNo::LOCAL;
    local.name = "br0".into();
    local.curr = PortFeatures::EMPTY;
    local.advertised = PortFeatures(0xffff);
    local.supported = PortFeatures::EMPTY;
    local.config = PortConfig::PORT_DOWN;
    local.state = PortState::LIVE;
    let one = port_status().desc;
    let text = PortDescList(&[local, one]).to_string();
    assert_eq!(
            text,
            "
 3(eth0): addr:50:54:00:00:00:01
     config:     0
     state:      0
     current:    100MB-FD AUTO_NEG
     advertised: 10MB-HD 10MB-FD 100MB-HD 100MB-FD COPPER AUTO_NEG
     supported:  10MB-HD 10MB-FD 100MB-HD 100MB-FD COPPER AUTO_NEG
     speed: 100 Mbps now, 100 Mbps max
 LOCAL(br0): addr:50:54:00:00:00:01
     config:     PORT_DOWN
     state:      LIVE
     advertised: 10MB-HD 10MB-FD 100MB-HD 100MB-FD 1GB-HD 1GB-FD 10GB-FD 40GB-FD 100GB-FD 1TB-FD OTHER COPPER FIBER AUTO_NEG AUTO_PAUSE AUTO_PAUSE_ASYM
     speed: 100 Mbps now, 100 Mbps max"
        );
}

#[test]
fn port_malformed() {
    let b = hex(PORT_STATUS);
    for n in [0, 5, 8, 40, 71] {
        let e = PortStatus::from_bytes(&b.slice(..n)).unwrap_err();
        assert_eq!(e.ofp_error(), BAD_LEN, "{n} bytes");
    }
    let e = Port::from_bytes(&b.slice(8..40)).unwrap_err();
    assert_eq!(e, crate::DecodeError::truncated(Ctx::Port));
    let mut long = BytesMut::from(&b[..]);
    long.put_u8(0);
    let e = PortStatus::from_bytes(&long.freeze()).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
}

#[test]
fn port_name_is_truncated_to_fit() {
    let mut p = port_status().desc;
    p.name = "a-very-long-port-name".into();
    let b = p.to_bytes();
    assert_eq!(b.len(), PORT_LEN);
    assert_eq!(Port::from_bytes(&b).unwrap().name, "a-very-long-por");
}

// From OVS tests/ofp-print.at "OFPT_PORT_MOD - OF1.3".
const PORT_MOD: &str = "00 00 00 03 00 00 00 00 \
        50 54 00 00 00 01 00 00 00 00 00 01 00 00 00 01 \
        00 00 00 00 00 00 00 00";

fn port_mod() -> PortMod {
    PortMod {
        port_no: PortNo(3),
        hw_addr: "50:54:00:00:00:01".parse().unwrap(),
        config: PortConfig::PORT_DOWN,
        mask: PortConfig::PORT_DOWN,
        advertise: PortFeatures::EMPTY,
    }
}

#[test]
fn port_mod_wire() {
    let b = hex(PORT_MOD);
    assert_eq!(PortMod::from_bytes(&b).unwrap(), port_mod());
    assert_eq!(port_mod().to_bytes(), b);
    assert_eq!(port_mod().wire_len(), b.len());
    let e = PortMod::from_bytes(&b.slice(..31)).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
}

#[test]
fn port_mod_display_matches_ovs() {
    assert_eq!(
        port_mod().to_string(),
        " port: 3: addr:50:54:00:00:00:01
     config: PORT_DOWN
     mask:   PORT_DOWN
     advertise: UNCHANGED"
    );
    // Checked with ovs-ofctl: config bits outside the mask are not shown.
    let pm = PortMod {
        config: PortConfig::PORT_DOWN | PortConfig::NO_FWD,
        mask: PortConfig::NO_FWD | PortConfig::NO_RECV,
        advertise: PortFeatures::RATE_10MB_HD,
        ..port_mod()
    };
    assert_eq!(
        pm.to_string(),
        " port: 3: addr:50:54:00:00:00:01
     config: NO_FWD
     mask:   NO_RECV NO_FWD
     advertise: 10MB-HD"
    );
}

#[test]
fn port_stats_request_wire_and_text() {
    // OVS "OFPST_PORT request - 1.3": port_no=ANY.
    let b = hex("ff ff ff ff 00 00 00 00");
    let r = PortStatsRequest::from_bytes(&b).unwrap();
    assert_eq!(r.port_no, PortNo::ANY);
    assert_eq!(r.to_bytes(), b);
    assert_eq!(r.to_string(), " port_no=ANY");
    assert_eq!(
        PortStatsRequest {
            port_no: PortNo(0xffff_fff7)
        }
        .to_string(),
        " port_no=UNSET"
    );
    assert_eq!(
        PortStatsRequest {
            port_no: PortNo(0xffff_ff0a)
        }
        .to_string(),
        " port_no=65290"
    );
    let e = PortStatsRequest::from_bytes(&b.slice(..6)).unwrap_err();
    assert_eq!(e.ofp_error(), BAD_LEN);
}

const PORT_STATS: &str = "00 00 00 0c 00 00 00 00 \
        00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 03 \
        00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 06 \
        00 00 00 00 00 00 00 07 00 00 00 00 00 00 00 08 00 00 00 00 00 00 00 09 \
        00 00 00 00 00 00 00 0a 00 00 00 00 00 00 00 0b ff ff ff ff ff ff ff ff \
        00 00 00 05 1d cd 65 00";

fn port_stats() -> PortStats {
    PortStats {
        port_no: PortNo(12),
        rx_packets: 1,
        tx_packets: 2,
        rx_bytes: 3,
        tx_bytes: 4,
        rx_dropped: 5,
        tx_dropped: 6,
        rx_errors: 7,
        tx_errors: 8,
        rx_frame_err: 9,
        rx_over_err: 10,
        rx_crc_err: 11,
        collisions: u64::MAX,
        duration_sec: 5,
        duration_nsec: 500_000_000,
    }
}

#[test]
fn port_stats_wire() {
    let b = hex(PORT_STATS);
    assert_eq!(b.len(), PORT_STATS_LEN);
    assert_eq!(PortStats::from_bytes(&b).unwrap(), port_stats());
    assert_eq!(port_stats().to_bytes(), b);
    let e = PortStats::from_bytes(&b.slice(..100)).unwrap_err();
    assert_eq!(e, crate::DecodeError::truncated(Ctx::Multipart));
    assert_eq!(e.ofp_error(), BAD_LEN);
}

// Checked with `ovs-ofctl ofp-print` on an OFPST_PORT reply holding these two records.
#[test]
fn port_stats_display_matches_ovs() {
    let mut local = port_stats();
    local.port_no = PortNo::LOCAL;
    local.duration_sec = u32::MAX;
    local.duration_nsec = 0;
    assert_eq!(
        PortStatsList(&[port_stats(), local]).to_string(),
        " 2 ports
  port 12: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11
           tx pkts=2, bytes=4, drop=6, errs=8, coll=?
           duration=5.500s
  port LOCAL: rx pkts=1, bytes=3, drop=5, errs=7, frame=9, over=10, crc=11
           tx pkts=2, bytes=4, drop=6, errs=8, coll=?"
    );
    let mut one = port_stats();
    one.port_no = PortNo(1);
    assert!(one.to_string().starts_with("  port  1: rx pkts=1,"));
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(0u8..=255, 0..130)) {
        let b = Bytes::from(body);
        if let Ok(ps) = PortStatus::from_bytes(&b) {
            let _ = ps.to_string();
            proptest::prop_assert_eq!(ps.to_bytes().len(), ps.wire_len());
            // Padding aside, what was parsed is emitted unchanged, except for names that
            // are not UTF-8 or that fill the field with no NUL (the name is a `String`
            // that always ends with a NUL on the wire).
            if ps.desc.name.is_ascii() && ps.desc.name.len() < PORT_NAME_LEN {
                proptest::prop_assert_eq!(PortStatus::from_bytes(&ps.to_bytes()).unwrap(), ps);
            }
        }
        if let Ok(pm) = PortMod::from_bytes(&b) {
            let _ = pm.to_string();
            proptest::prop_assert_eq!(PortMod::from_bytes(&pm.to_bytes()).unwrap(), pm);
        }
        if let Ok(s) = PortStats::from_bytes(&b) {
            let _ = s.to_string();
            proptest::prop_assert_eq!(PortStats::from_bytes(&s.to_bytes()).unwrap(), s);
        }
        if let Ok(ports) = crate::wire::many_all::<Port>(Src::new(&b), &b) {
            let _ = PortDescList(&ports).to_string();
        }
    }
}
