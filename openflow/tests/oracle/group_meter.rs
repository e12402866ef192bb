//! Group mods (every type and command, buckets with weights and watch ports/groups) and
//! meter mods (every command, flag and band type).

use bytes::Bytes;
use openflow::msg::*;
use openflow::oxm::OxmField as F;
use openflow::{Action, Body, GroupId, MeterId, PortNo, QueueId};

use super::Case;
use super::build::out;

/// Buckets suited to each group type.
pub fn buckets(t: GroupType) -> Vec<Bucket> {
    match t {
        GroupType::All => vec![
            Bucket::new(0, vec![out(1)]),
            Bucket::new(
                0,
                vec![
                    Action::PushVlan(0x8100),
                    Action::SetField(F::VlanVid(0x1000 | 10, None)),
                    out(2),
                ],
            ),
            Bucket::new(0, vec![Action::SetQueue(QueueId(1)), out(3)]),
        ],
        GroupType::Select => vec![
            Bucket::new(1, vec![out(1)]),
            Bucket::new(
                100,
                vec![
                    Action::SetField(F::EthDst(openflow::MacAddr([2, 0, 0, 0, 0, 9]), None)),
                    out(2),
                ],
            ),
            Bucket::new(u16::MAX, vec![Action::Group(GroupId(7))]),
        ],
        GroupType::Indirect => vec![Bucket::new(
            0,
            vec![Action::DecNwTtl, out(PortNo::NORMAL.0)],
        )],
        GroupType::Ff => vec![
            Bucket {
                watch_port: PortNo(1),
                ..Bucket::new(0, vec![out(1)])
            },
            Bucket {
                watch_port: PortNo(2),
                watch_group: GroupId(3),
                ..Bucket::new(0, vec![out(2)])
            },
            Bucket {
                watch_group: GroupId(4),
                ..Bucket::new(0, vec![Action::Group(GroupId(4))])
            },
        ],
        GroupType::Unknown(_) => vec![],
    }
}

/// Group mods of every type and command, and the edge cases of ids and bucket lists.
pub fn group_mods() -> Vec<Case> {
    let mut cases = Vec::new();
    for &t in GroupType::ALL {
        for &command in GroupModCommand::ALL {
            let buckets = if command == GroupModCommand::Delete {
                vec![]
            } else {
                buckets(t)
            };
            cases.push(Case::body(
                format!("group_mod {command} {t}"),
                Body::GroupMod(GroupMod {
                    command,
                    group_type: t,
                    group_id: GroupId(1 + t.raw() as u32),
                    buckets,
                }),
            ));
        }
    }
    cases.push(Case::body(
        "group_mod add no buckets",
        Body::GroupMod(GroupMod {
            command: GroupModCommand::Add,
            group_type: GroupType::All,
            group_id: GroupId::MAX,
            buckets: vec![],
        }),
    ));
    cases.push(Case::body(
        "group_mod delete all",
        Body::GroupMod(GroupMod {
            command: GroupModCommand::Delete,
            group_type: GroupType::All,
            group_id: GroupId::ALL,
            buckets: vec![],
        }),
    ));
    cases.push(Case::body(
        "group_mod bucket without actions",
        Body::GroupMod(GroupMod {
            command: GroupModCommand::Modify,
            group_type: GroupType::Select,
            group_id: GroupId(9),
            buckets: vec![Bucket::new(5, vec![])],
        }),
    ));
    cases.push(
        Case::body(
            "group_mod unknown type",
            Body::GroupMod(GroupMod {
                command: GroupModCommand::Add,
                group_type: GroupType::Unknown(9),
                group_id: GroupId(1),
                buckets: vec![],
            }),
        )
        .rejected("OFPGMFC_BAD_TYPE", "a group type OpenFlow does not define"),
    );
    cases.push(
        Case::body(
            "group_mod unknown command",
            Body::GroupMod(GroupMod {
                command: GroupModCommand::Unknown(9),
                group_type: GroupType::All,
                group_id: GroupId(1),
                buckets: vec![],
            }),
        )
        .rejected("OFPGMFC_BAD_COMMAND", "a command OpenFlow does not define"),
    );
    cases
}

/// Bands of every type.
pub fn bands() -> Vec<MeterBand> {
    vec![
        MeterBand::Drop {
            rate: 1000,
            burst_size: 100,
        },
        MeterBand::DscpRemark {
            rate: 500,
            burst_size: 0,
            prec_level: 1,
        },
    ]
}

/// Meter mods of every command, flag set and band type.
pub fn meter_mods() -> Vec<Case> {
    let mut cases = Vec::new();
    let flag_sets = [
        MeterFlags::KBPS,
        MeterFlags::PKTPS,
        MeterFlags::KBPS | MeterFlags::BURST,
        MeterFlags::PKTPS | MeterFlags::BURST | MeterFlags::STATS,
        MeterFlags::KBPS | MeterFlags::STATS,
        MeterFlags::EMPTY,
    ];
    for &command in MeterModCommand::ALL {
        for (n, &flags) in flag_sets.iter().enumerate() {
            let bands = if command == MeterModCommand::Delete {
                vec![]
            } else {
                bands()
                    .into_iter()
                    .skip(n % 2)
                    .chain(bands().into_iter().take(n % 3))
                    .collect()
            };
            cases.push(Case::body(
                format!("meter_mod {command} flags={}", flags.bits()),
                Body::MeterMod(MeterMod {
                    command,
                    flags,
                    meter_id: MeterId(1 + n as u32),
                    bands,
                }),
            ));
        }
    }
    for (name, id) in [
        ("max", MeterId::MAX),
        ("slowpath", MeterId::SLOWPATH),
        ("controller", MeterId::CONTROLLER),
        ("all", MeterId::ALL),
    ] {
        cases.push(Case::body(
            format!("meter_mod id {name}"),
            Body::MeterMod(MeterMod {
                command: if id == MeterId::ALL {
                    MeterModCommand::Delete
                } else {
                    MeterModCommand::Add
                },
                flags: MeterFlags::KBPS,
                meter_id: id,
                bands: if id == MeterId::ALL { vec![] } else { bands() },
            }),
        ));
    }
    cases.push(
        Case::body(
            "meter_mod experimenter band",
            Body::MeterMod(MeterMod {
                command: MeterModCommand::Add,
                flags: MeterFlags::KBPS,
                meter_id: MeterId(5),
                bands: vec![MeterBand::Experimenter {
                    rate: 10,
                    burst_size: 1,
                    experimenter: 0x2320,
                    data: Bytes::new(),
                }],
            }),
        )
        .rejected(
            "OFPMMFC_BAD_BAND",
            "OVS implements no experimenter band; the crate keeps it raw",
        ),
    );
    cases.push(
        Case::body(
            "meter_mod unknown band",
            Body::MeterMod(MeterMod {
                command: MeterModCommand::Add,
                flags: MeterFlags::KBPS,
                meter_id: MeterId(6),
                bands: vec![MeterBand::Unknown {
                    band_type: 7,
                    rate: 10,
                    burst_size: 1,
                    body: Bytes::from_static(&[0; 4]),
                }],
            }),
        )
        .rejected("OFPMMFC_BAD_BAND", "a band type OpenFlow does not define"),
    );
    cases
}
