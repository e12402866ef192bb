use bytes::Bytes;

use super::*;
use crate::errcode::{ErrorCode, TableFeaturesFailedCode};
use crate::message::{Body, Message};
use crate::msg::{MultipartReply, MultipartReplyBody};

use crate::testutil::ovs_text;

use crate::testutil::unhex as hex;

/// The first and last of the 20 messages of OVS 3.1's reply to `dump-table-features` on a
/// netdev bridge (254 tables), and what `ovs-ofctl ofp-print` says about them.
const OVS_FIRST: &[u8] = include_bytes!("testdata/ovs31_reply_first.bin");
const OVS_FIRST_TEXT: &str = include_str!("testdata/ovs31_reply_first.txt");
const OVS_LAST: &[u8] = include_bytes!("testdata/ovs31_reply_last.bin");
const OVS_LAST_TEXT: &str = include_str!("testdata/ovs31_reply_last.txt");

fn tables(m: &Message) -> &[TableFeatures] {
    match &m.body {
        Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::TableFeatures(t),
            ..
        }) => t,
        other => panic!("not a table-features reply: {other:?}"),
    }
}

#[test]
fn ovs_reply_round_trips_and_prints_as_ovs() {
    for (bytes, text) in [(OVS_FIRST, OVS_FIRST_TEXT), (OVS_LAST, OVS_LAST_TEXT)] {
        let frame = Bytes::from_static(bytes);
        let m = Message::decode(&frame).unwrap();
        assert_eq!(m.encode().unwrap(), frame);
        assert_eq!(ovs_text(&m), text);
    }
}

/// A table using every property type, including experimenter ids and an unknown property.
fn every_property() -> TableFeatures {
    use TableFeatureProp as P;
    let exp_id = FeatureId::Experimenter {
        experimenter: 0x2320,
        data: Bytes::new(),
    };
    TableFeatures {
        table_id: TableId(1),
        name: "tbl".into(),
        metadata_match: 0xff,
        metadata_write: 0,
        config: 3,
        max_entries: 100,
        properties: vec![
            P::Instructions(vec![FeatureId::Type(1), FeatureId::Type(4), exp_id.clone()]),
            P::InstructionsMiss(vec![FeatureId::Type(4)]),
            P::NextTables(vec![TableId(2), TableId(3), TableId(5)]),
            P::NextTablesMiss(vec![]),
            P::WriteActions(vec![FeatureId::Type(0), FeatureId::Type(22)]),
            P::WriteActionsMiss(vec![FeatureId::Type(0)]),
            P::ApplyActions(vec![FeatureId::Type(0), FeatureId::Type(17), exp_id]),
            P::ApplyActionsMiss(vec![FeatureId::Type(0), FeatureId::Type(17)]),
            P::Match(vec![
                OxmId::new(0x8000_0004),
                OxmId::new(0x8000_070c),
                OxmId {
                    header: 0xffff_0008,
                    experimenter: Some(0x2320),
                },
            ]),
            P::Wildcards(vec![OxmId::new(0x8000_0606)]),
            P::WriteSetfield(vec![OxmId::new(0x8000_0606)]),
            P::WriteSetfieldMiss(vec![]),
            P::ApplySetfield(vec![OxmId::new(0x8000_0606), OxmId::new(0x8000_0806)]),
            P::ApplySetfieldMiss(vec![OxmId::new(0x8000_0606)]),
            P::Experimenter {
                experimenter: 0x2320,
                exp_type: 7,
                data: Bytes::from_static(&[1, 2, 3]),
            },
            P::ExperimenterMiss {
                experimenter: 0x2320,
                exp_type: 0x100,
                data: Bytes::new(),
            },
            P::Unknown {
                prop_type: 0x20,
                body: Bytes::from_static(&[9]),
            },
        ],
    }
}

/// [`every_property`] as an `OFPST_TABLE_FEATURES` reply with xid 3 (checked with
/// `ovs-ofctl ofp-print`).
const EVERY_PROPERTY: &str = "0413013000000003000c000000000000012001000000000074626c000000000000000000000000000000000000000000000000000000000000000000000000ff00000000000000000000000300000064000000140001000400040004ffff000800002320000000000001000800040004000200070203050000030004000000000004000c0000000400160004000000000005000800000004000600140000000400110004ffff000800002320000000000007000c00000004001100040000000000080014800000048000070cffff00080000232000000000000a000880000606000c000880000606000d000400000000000e000c800006068000080600000000000f000880000606fffe000f000023200000000701020300ffff000c0000232000000100000000000020000509000000";

#[test]
fn every_property_deconstruct() {
    let m = Message::decode(&hex(EVERY_PROPERTY)).unwrap();
    let t = &tables(&m)[0];
    assert_eq!(t.table_id, TableId(1));
    assert_eq!(t.name, "tbl");
    assert_eq!((t.metadata_match, t.metadata_write), (0xff, 0));
    assert_eq!((t.config, t.max_entries), (3, 100));
    assert_eq!(t.properties.len(), 17);
    assert_eq!(
        t.properties[0],
        TableFeatureProp::Instructions(vec![
            FeatureId::Type(1),
            FeatureId::Type(4),
            FeatureId::Experimenter {
                experimenter: 0x2320,
                data: Bytes::new()
            }
        ])
    );
    assert_eq!(
        t.properties[2],
        TableFeatureProp::NextTables(vec![TableId(2), TableId(3), TableId(5)])
    );
    assert_eq!(
        t.properties[8],
        TableFeatureProp::Match(vec![
            OxmId::new(0x8000_0004),
            OxmId::new(0x8000_070c),
            OxmId {
                header: 0xffff_0008,
                experimenter: Some(0x2320)
            }
        ])
    );
    assert_eq!(
        t.properties[16].prop_type(),
        TableFeaturePropType::Unknown(0x20)
    );
    assert_eq!(t.properties[14].wire_len(), 16);
}

#[test]
fn every_property_construct_and_round_trip() {
    let m = Message::new(
        crate::Xid(3),
        Body::MultipartReply(MultipartReply::new(MultipartReplyBody::TableFeatures(
            vec![every_property()],
        ))),
    );
    let bytes = hex(EVERY_PROPERTY);
    assert_eq!(m.encode().unwrap(), bytes);
    assert_eq!(Message::decode(&bytes).unwrap(), m);
    assert_eq!(
        every_property().to_bytes().len(),
        every_property().wire_len()
    );
}

#[test]
fn every_property_text_matches_ovs() {
    let m = Message::decode(&hex(EVERY_PROPERTY)).unwrap();
    assert_eq!(
        ovs_text(&m),
        concat!(
            "OFPST_TABLE_FEATURES reply (OF1.3) (xid=0x3):\n",
            "  table 1 (\"tbl\"):\n",
            "    metadata: match=0xff write=0\n",
            "    max_entries=100\n",
            "    instructions (other than table miss):\n",
            "      next tables: 2-3,5\n",
            "      instructions: apply_actions goto_table\n",
            "      Write-Actions features:\n",
            "        actions: output group\n",
            "        supported on Set-Field: eth_dst\n",
            "      Apply-Actions features:\n",
            "        actions: output push_vlan\n",
            "        supported on Set-Field: eth_{src,dst}\n",
            "    instructions (table miss):\n",
            "      instructions: apply_actions\n",
            "      Write-Actions features:\n",
            "        actions: output\n",
            "      Apply-Actions features:\n",
            "        actions: output push_vlan\n",
            "        supported on Set-Field: eth_dst\n",
            "    matching:\n",
            "      arbitrary mask: eth_dst\n",
            "      must exact match: dp_hash in_port_oxm\n",
        )
    );
}

#[test]
fn ovs_reads_an_experimenter_miss_property_as_its_exp_type() {
    // OVS 3.1 switches on the experimenter property's exp_type: exp_type 8 (MATCH) with no
    // payload empties the match, so the "matching" section disappears, as in ovs-ofctl.
    let mut t = every_property();
    t.properties[15] = TableFeatureProp::ExperimenterMiss {
        experimenter: 0x2320,
        exp_type: 8,
        data: Bytes::new(),
    };
    let text = t.to_string();
    assert!(text.contains("supported on Set-Field: eth_dst"));
    assert!(!text.contains("matching"), "{text}");
}

#[test]
fn replies_with_more_chain_and_split() {
    let first = Message::decode(&Bytes::from_static(OVS_FIRST)).unwrap();
    let last = Message::decode(&Bytes::from_static(OVS_LAST)).unwrap();
    let (Body::MultipartReply(a), Body::MultipartReply(b)) = (first.body, last.body) else {
        panic!()
    };
    assert!(a.is_more() && !b.is_more());
    let (na, nb) = (a.body.len(), b.body.len());
    let mut whole = a.clone();
    whole.body.extend(b.body.clone()).unwrap();
    whole.flags = b.flags;
    assert_eq!(whole.body.len(), na + nb);
    // Cut again at 64 KiB: OVS's first message comes back byte for byte.
    let parts = whole.split(65535);
    assert_eq!(parts[0], a);
    assert!(parts.iter().rev().skip(1).all(MultipartReply::is_more));
    assert!(!parts.last().unwrap().is_more());
    for p in &parts {
        let m = Message::new(crate::Xid(0xaa), Body::MultipartReply(p.clone()));
        assert!(m.encode().unwrap().len() <= 65535);
    }
}

#[test]
fn malformed_table_features_are_table_features_bad_len() {
    let bad_len = ErrorCode::TableFeaturesFailed(TableFeaturesFailedCode::BadLen);
    let good = hex(EVERY_PROPERTY).to_vec();
    // Offsets into the message: 16 = record length, 80 = first property.
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("record shorter than its fixed part", {
            let mut b = good.clone();
            b[16..18].copy_from_slice(&[0, 0x3f]);
            b
        }),
        ("record longer than the message", {
            let mut b = good.clone();
            b[16..18].copy_from_slice(&[0x01, 0x28]);
            b
        }),
        ("property length under 4", {
            let mut b = good.clone();
            b[82..84].copy_from_slice(&[0, 2]);
            b
        }),
        ("instruction id length under 4", {
            let mut b = good.clone();
            b[86..88].copy_from_slice(&[0, 2]);
            b
        }),
        ("property padding missing at the end", {
            // Drop the last property's padding (3 bytes) from both lengths.
            let mut b = good.clone();
            b.truncate(b.len() - 3);
            let n = b.len();
            b[2..4].copy_from_slice(&(n as u16).to_be_bytes());
            b[16..18].copy_from_slice(&((n - 16) as u16).to_be_bytes());
            b
        }),
    ];
    for (what, bytes) in cases {
        let e = Message::decode(&Bytes::from(bytes)).unwrap_err();
        assert_eq!(e.ofp_error(), bad_len, "{what}: {e}");
    }
    // An experimenter OXM id cut after its header.
    let cut = hex("0008000c80000004ffff0008 00000000");
    let e = crate::wire::complete(TableFeatureProp::parse(Src::detached(), &cut)).unwrap_err();
    assert_eq!(e.ofp_error(), bad_len);
    let whole = hex("0008000cffff000800002320 00000000");
    assert!(TableFeatureProp::parse(Src::detached(), &whole).is_ok());
    // An experimenter property too short for its experimenter type.
    let short = hex("fffe000800002320");
    let e = crate::wire::complete(TableFeatureProp::parse(Src::detached(), &short)).unwrap_err();
    assert_eq!(e.ofp_error(), bad_len);
}

proptest::proptest! {
    /// Well-framed properties with arbitrary payloads: never a panic in parse or Display, and
    /// what parses re-emits byte for byte (padding aside, which is zero here).
    #[test]
    fn arbitrary_properties_never_panic(
        props in proptest::collection::vec(
            (
                proptest::sample::select(vec![0u16, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13, 14, 15, 9, 0x40, 0xfffe, 0xffff]),
                proptest::collection::vec(proptest::sample::select(vec![0u8, 1, 4, 8, 0x80, 0xff, 0x23, 0x20, 0x06]), 0..24),
            ),
            0..12,
        ),
        table_id in 0u8..=255,
    ) {
        let mut rec = vec![0u8; 64];
        rec[2] = table_id;
        for (t, payload) in &props {
            let len = 4 + payload.len();
            rec.extend_from_slice(&t.to_be_bytes());
            rec.extend_from_slice(&(len as u16).to_be_bytes());
            rec.extend_from_slice(payload);
            rec.resize(rec.len() + crate::wire::pad8(len) - len, 0);
        }
        let n = rec.len() as u16;
        rec[0..2].copy_from_slice(&n.to_be_bytes());
        let bytes = Bytes::from(rec);
        if let Ok(t) = TableFeatures::from_bytes(&bytes) {
            let _ = t.to_string();
            proptest::prop_assert_eq!(t.to_bytes(), bytes);
        }
    }
}
