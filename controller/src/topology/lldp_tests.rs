use super::*;
use proptest::prelude::*;

const SECRET: &[u8] = b"a cluster secret of some length";
const TIMEOUT: Duration = Duration::from_secs(10);
const SRC: MacAddr = MacAddr([0x02, 0, 0, 0, 0, 0x11]);

fn signer(epoch: Instant) -> LldpSigner {
    LldpSigner::new(SECRET, 0x5e55_1011, epoch, TIMEOUT).unwrap()
}

/// Offset of the HMAC tag in a built probe: Ethernet, chassis (2+22), port (2+5), TTL (2+2),
/// signature header (2) and OUI, subtype, session, timestamp (20).
const TAG_AT: usize = 14 + 24 + 7 + 4 + 2 + 20;

#[test]
fn build_parse_verify_round_trip() {
    let t0 = Instant::now();
    let s = signer(t0);
    let frame = s.build(
        DatapathId(0x1a2b),
        PortNo(7),
        SRC,
        t0 + Duration::from_millis(1500),
    );
    assert_eq!(frame[..6], LLDP_DST.0);
    assert_eq!(frame[6..12], SRC.0);
    assert_eq!(frame[12..14], [0x88, 0xcc]);
    assert_eq!(frame[14 + 3..14 + 24], *b"dpid:0000000000001a2b");
    assert_eq!(frame.len(), TAG_AT + 32 + 2);
    assert!(is_lldp(&frame));
    assert!(!is_lldp(&frame[..13]));

    let fields = parse(&frame).unwrap();
    assert_eq!(fields.dpid, DatapathId(0x1a2b));
    assert_eq!(fields.port, PortNo(7));
    assert_eq!(fields.ttl_secs, 10);
    assert_eq!(fields.session, 0x5e55_1011);
    assert_eq!(fields.timestamp_ms, 1500);

    let probe = s.verify(&frame, t0 + Duration::from_millis(1700)).unwrap();
    assert_eq!(probe.dpid, DatapathId(0x1a2b));
    assert_eq!(probe.port, PortNo(7));
    assert_eq!(probe.age, Duration::from_millis(200));
}

#[test]
fn padding_after_end_is_ignored() {
    let t0 = Instant::now();
    let s = signer(t0);
    let mut frame = s.build(DatapathId(1), PortNo(1), SRC, t0).to_vec();
    frame.extend_from_slice(&[0xee; 20]);
    assert!(s.verify(&frame, t0).is_ok());
}

#[test]
fn short_secret_is_refused() {
    let err = LldpSigner::new(b"short", 1, Instant::now(), TIMEOUT).unwrap_err();
    assert_eq!(err, SecretError::TooShort(5));
}

#[test]
fn debug_does_not_print_the_key() {
    let text = format!("{:?}", signer(Instant::now()));
    assert!(!text.contains("secret"));
    assert!(text.contains("session"));
}

#[test]
fn wrong_secret_is_rejected() {
    let t0 = Instant::now();
    let forger = LldpSigner::new(b"not the cluster secret!", 0x5e55_1011, t0, TIMEOUT).unwrap();
    let frame = forger.build(DatapathId(1), PortNo(1), SRC, t0);
    assert_eq!(signer(t0).verify(&frame, t0), Err(LldpError::BadHmac));
}

#[test]
fn tampered_fields_are_rejected() {
    let t0 = Instant::now();
    let s = signer(t0);
    let frame = s.build(DatapathId(0x1a2b), PortNo(7), SRC, t0).to_vec();
    // Another dpid digit, another port, another session, another timestamp, a flipped tag bit.
    for at in [14 + 23, 14 + 24 + 6, TAG_AT - 16, TAG_AT - 1, TAG_AT + 5] {
        let mut bad = frame.clone();
        bad[at] ^= if at == 14 + 23 { 0x01 } else { 0x10 };
        assert_eq!(s.verify(&bad, t0), Err(LldpError::BadHmac), "byte {at}");
    }
}

#[test]
fn frame_without_signature_is_rejected() {
    let t0 = Instant::now();
    let s = signer(t0);
    let frame = s.build(DatapathId(3), PortNo(2), SRC, t0);
    // Keep Ethernet, chassis, port and TTL, then an End TLV: plain LLDP as a host would send.
    let mut plain = frame[..14 + 24 + 7 + 4].to_vec();
    plain.extend_from_slice(&[0, 0]);
    assert_eq!(s.verify(&plain, t0), Err(LldpError::MissingHmac));
    // A foreign organizationally specific TLV is skipped, and still no signature.
    let mut foreign = frame[..14 + 24 + 7 + 4].to_vec();
    foreign.extend_from_slice(&[0xfe, 0x06, 0x00, 0x80, 0xc2, 0x01, 0x00, 0x01, 0, 0]);
    assert_eq!(s.verify(&foreign, t0), Err(LldpError::MissingHmac));
}

#[test]
fn replayed_probe_is_rejected_after_the_timeout() {
    let t0 = Instant::now();
    let s = signer(t0);
    let frame = s.build(DatapathId(1), PortNo(1), SRC, t0);
    assert!(s.verify(&frame, t0 + TIMEOUT).is_ok());
    assert_eq!(
        s.verify(&frame, t0 + TIMEOUT + Duration::from_millis(1)),
        Err(LldpError::Expired {
            age: TIMEOUT + Duration::from_millis(1)
        })
    );
}

#[test]
fn probe_from_the_future_or_another_session_is_rejected() {
    let t0 = Instant::now();
    let s = signer(t0);
    let later = s.build(DatapathId(1), PortNo(1), SRC, t0 + Duration::from_secs(5));
    assert_eq!(s.verify(&later, t0), Err(LldpError::FromFuture));

    let before_restart = LldpSigner::new(SECRET, 99, t0, TIMEOUT).unwrap();
    let old = before_restart.build(DatapathId(1), PortNo(1), SRC, t0);
    assert_eq!(s.verify(&old, t0), Err(LldpError::OtherSession));
}

#[test]
fn every_truncation_is_rejected() {
    let t0 = Instant::now();
    let s = signer(t0);
    let frame = s.build(DatapathId(9), PortNo(4), SRC, t0);
    // Up to the End TLV every prefix is missing something; a frame without End is accepted.
    for len in 0..frame.len() - 2 {
        assert!(
            s.verify(&frame[..len], t0).is_err(),
            "prefix of {len} bytes"
        );
    }
    assert!(s.verify(&frame[..frame.len() - 2], t0).is_ok());
}

#[test]
fn structural_errors_are_typed() {
    let t0 = Instant::now();
    let s = signer(t0);
    let frame = s.build(DatapathId(9), PortNo(4), SRC, t0).to_vec();
    assert_eq!(parse(&frame[..10]), Err(LldpError::Truncated));

    let mut ipv4 = frame.clone();
    ipv4[12..14].copy_from_slice(&[0x08, 0x00]);
    assert_eq!(parse(&ipv4), Err(LldpError::NotLldp(0x0800)));
    assert!(!is_lldp(&ipv4));

    let mut no_chassis = frame.clone();
    no_chassis[14] = 0x04; // TLV type 2 where the chassis id belongs
    assert_eq!(parse(&no_chassis), Err(LldpError::MissingTlv("chassis id")));

    let mut mac_chassis = frame.clone();
    mac_chassis[16] = 4; // chassis subtype "MAC address"
    assert_eq!(
        parse(&mac_chassis),
        Err(LldpError::MalformedTlv("chassis id"))
    );

    let mut bad_hex = frame.clone();
    bad_hex[14 + 10] = b'g';
    assert_eq!(parse(&bad_hex), Err(LldpError::MalformedTlv("chassis id")));

    let mut repeated = frame[..frame.len() - 2].to_vec();
    repeated.extend_from_slice(&frame[TAG_AT - 22..]);
    assert_eq!(
        parse(&repeated),
        Err(LldpError::MalformedTlv("signature (repeated)"))
    );
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let t0 = Instant::now();
        let s = signer(t0);
        let _ = parse(&bytes);
        prop_assert!(s.verify(&bytes, t0).is_err());
    }

    #[test]
    fn random_lldp_payloads_never_verify(
        payload in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let t0 = Instant::now();
        let s = signer(t0);
        let mut frame = vec![0x01, 0x80, 0xc2, 0, 0, 0x0e, 2, 0, 0, 0, 0, 1, 0x88, 0xcc];
        frame.extend_from_slice(&payload);
        prop_assert!(s.verify(&frame, t0).is_err());
    }

    #[test]
    fn mutated_probes_never_panic_and_never_verify_with_another_source(
        flips in proptest::collection::vec((0usize..200, any::<u8>()), 1..4),
        dpid in any::<u64>(),
        port in any::<u32>(),
    ) {
        let t0 = Instant::now();
        let s = signer(t0);
        let mut frame = s.build(DatapathId(dpid), PortNo(port), SRC, t0).to_vec();
        for (at, x) in flips {
            let at = at % frame.len();
            frame[at] ^= x;
        }
        if let Ok(probe) = s.verify(&frame, t0) {
            // Only flips outside the signed contents (MACs, TTL, padding) may survive.
            prop_assert_eq!(probe.dpid, DatapathId(dpid));
            prop_assert_eq!(probe.port, PortNo(port));
        }
    }
}
