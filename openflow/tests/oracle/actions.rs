//! Every action (each in a flow whose match makes it valid) and instruction lists of every
//! instruction, in spec order and not.

use bytes::Bytes;
use openflow::oxm::{Match, OxmField as F};
use openflow::{Action, GroupId, Instruction, MeterId, PortNo, QueueId, TableId};

use super::Case;
use super::build::out;

/// An action list to put in a flow, with what OVS makes of it.
pub struct ActionCase {
    /// Label.
    pub name: &'static str,
    /// A match that meets the actions' prerequisites.
    pub match_: Match,
    /// The actions.
    pub actions: Vec<Action>,
    /// Applies the expectation to a case carrying these actions.
    pub expect: fn(Case) -> Case,
}

fn ac(name: &'static str, match_: Match, actions: Vec<Action>) -> ActionCase {
    ActionCase {
        name,
        match_,
        actions,
        expect: |c| c,
    }
}

/// Every action, each in a flow whose match makes it valid; set-field is covered by
/// [`matches`].
pub fn actions() -> Vec<ActionCase> {
    let any = Match::new();
    let ip = Match::new().with(F::EthType(0x0800));
    let mpls = Match::new().with(F::EthType(0x8847));
    let vlan = Match::new().with(F::VlanVid(0x1000 | 10, None));
    vec![
        ac(
            "output ports",
            any.clone(),
            vec![
                out(1),
                out(0xfeff),
                Action::Output {
                    port: PortNo::CONTROLLER,
                    max_len: 128,
                },
                Action::output(PortNo::CONTROLLER),
                out(PortNo::IN_PORT.0),
                out(PortNo::NORMAL.0),
                out(PortNo::FLOOD.0),
                out(PortNo::ALL.0),
                out(PortNo::LOCAL.0),
            ],
        ),
        ac("output table", any.clone(), vec![out(PortNo::TABLE.0)]),
        ac(
            "nw ttl",
            ip.clone(),
            vec![Action::SetNwTtl(64), Action::DecNwTtl, out(2)],
        ),
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_TYPE",
                    "OVS does not implement OFPAT_COPY_TTL_OUT/IN",
                )
            },
            ..ac(
                "copy ttl",
                ip.clone(),
                vec![Action::CopyTtlOut, Action::CopyTtlIn],
            )
        },
        ActionCase {
            expect: |c| {
                c.logs(
                    "OFPAT_SET_MPLS_TTL is deprecated",
                    "OVS decodes it but logs that set-field is preferred",
                )
            },
            ..ac(
                "mpls ttl",
                mpls.clone(),
                vec![
                    Action::SetMplsTtl(10),
                    Action::DecMplsTtl,
                    Action::PopMpls(0x0800),
                    out(2),
                ],
            )
        },
        ac(
            "push mpls",
            ip.clone(),
            vec![Action::PushMpls(0x8847), Action::PushMpls(0x8848), out(3)],
        ),
        ac(
            "vlan",
            any.clone(),
            vec![
                Action::PushVlan(0x8100),
                Action::PushVlan(0x88a8),
                Action::SetField(F::VlanVid(0x1000 | 7, None)),
                out(1),
            ],
        ),
        ac("pop vlan", vlan, vec![Action::PopVlan, out(1)]),
        ac(
            "queue group",
            any.clone(),
            vec![
                Action::SetQueue(QueueId(3)),
                Action::Group(GroupId(1)),
                Action::Group(GroupId(0xffff_ff00)),
            ],
        ),
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_TYPE",
                    "OVS does not implement OFPAT_PUSH_PBB/POP_PBB",
                )
            },
            ..ac(
                "pbb",
                any.clone(),
                vec![Action::PushPbb(0x88e7), Action::PopPbb],
            )
        },
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_SET_ARGUMENT",
                    "mpls_bos is read-only (OVS and the crate's decoder both refuse it)",
                )
            },
            ..ac(
                "set_field mpls_bos",
                mpls.clone(),
                vec![Action::SetField(F::MplsBos(0))],
            )
        },
        ActionCase {
            expect: |c| {
                c.differs(
                    "the crate keeps experimenter actions raw and prints \
                     experimenter(id=..,data=..); OVS decodes Nicira actions (resubmit:5)",
                )
            },
            // NXAST_RESUBMIT (subtype 1) to port 5: subtype, port, table 255, pad.
            ..ac(
                "nicira experimenter",
                any.clone(),
                vec![Action::Experimenter {
                    experimenter: 0x2320,
                    data: Bytes::from_static(&[0, 1, 0, 5, 0xff, 0, 0, 0]),
                }],
            )
        },
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_VENDOR",
                    "an experimenter OVS does not know; the crate keeps it raw",
                )
            },
            ..ac(
                "unknown experimenter",
                any.clone(),
                vec![Action::Experimenter {
                    experimenter: 0x00ab_cdef,
                    data: Bytes::from_static(&[1, 2, 3, 4, 5, 6, 7, 8]),
                }],
            )
        },
        ActionCase {
            expect: |c| {
                c.rejected(
                    "OFPBAC_BAD_TYPE",
                    "an action type OVS does not know; the crate keeps it raw",
                )
            },
            ..ac(
                "unknown type",
                any.clone(),
                vec![Action::Unknown {
                    action_type: 0x1234,
                    body: Bytes::from_static(&[0, 0, 0, 0]),
                }],
            )
        },
    ]
}

/// Instruction lists: every instruction alone and in combinations, in wire orders other
/// than OVS's.
pub fn instructions() -> Vec<(&'static str, Vec<Instruction>)> {
    vec![
        ("drop", vec![]),
        ("goto", vec![Instruction::GotoTable(TableId(5))]),
        (
            "write_metadata",
            vec![Instruction::WriteMetadata {
                metadata: 0x10,
                mask: u64::MAX,
            }],
        ),
        (
            "write_metadata masked",
            vec![Instruction::WriteMetadata {
                metadata: 0x1,
                mask: 0xff,
            }],
        ),
        (
            "write_actions",
            vec![Instruction::WriteActions(vec![
                Action::SetQueue(QueueId(1)),
                out(3),
            ])],
        ),
        (
            "apply_actions",
            vec![Instruction::ApplyActions(vec![out(1), out(2)])],
        ),
        ("clear_actions", vec![Instruction::ClearActions]),
        ("meter", vec![Instruction::Meter(MeterId(1))]),
        (
            "all in spec order",
            vec![
                Instruction::Meter(MeterId(7)),
                Instruction::ApplyActions(vec![Action::PushVlan(0x8100), out(1)]),
                Instruction::ClearActions,
                Instruction::WriteActions(vec![Action::Group(GroupId(2))]),
                Instruction::WriteMetadata {
                    metadata: 0xab00,
                    mask: 0xff00,
                },
                Instruction::GotoTable(TableId(9)),
            ],
        ),
        (
            "all reversed",
            vec![
                Instruction::GotoTable(TableId(9)),
                Instruction::WriteMetadata {
                    metadata: 0xab00,
                    mask: 0xff00,
                },
                Instruction::WriteActions(vec![out(4)]),
                Instruction::ClearActions,
                Instruction::ApplyActions(vec![out(1)]),
                Instruction::Meter(MeterId(7)),
            ],
        ),
        (
            "empty action lists",
            vec![
                Instruction::ApplyActions(vec![]),
                Instruction::WriteActions(vec![]),
            ],
        ),
    ]
}
