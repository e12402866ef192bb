//! Strategies for actions and instructions.

use bytes::Bytes;
use openflow::{Action, GroupId, Instruction, MeterId, QueueId, TableId};
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;

use super::{bytes8, oxm, port};

/// The action types OpenFlow 1.3 defines (`ofp_action_type`).
const ACTION_TYPES: [u16; 17] = [
    0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 0xffff,
];

/// A raw body after a 4-byte type/length header that keeps the record 8-byte aligned: 4,
/// 12, 20, … bytes.
fn body_after_header() -> impl Strategy<Value = Bytes> + Clone {
    (0usize..3)
        .prop_flat_map(|n| vec(any::<u8>(), 4 + 8 * n))
        .prop_map(Bytes::from)
}

/// A group a bucket or action may name: a real group id (not ALL or ANY).
pub fn group_id() -> impl Strategy<Value = GroupId> + Clone {
    (0..=GroupId::MAX.0).prop_map(GroupId)
}

/// Any action, every variant.
pub fn action() -> BoxedStrategy<Action> {
    prop_oneof![
        4 => (port(), any::<u16>()).prop_map(|(port, max_len)| Action::Output { port, max_len }),
        1 => Just(Action::CopyTtlOut),
        1 => Just(Action::CopyTtlIn),
        1 => any::<u8>().prop_map(Action::SetMplsTtl),
        1 => Just(Action::DecMplsTtl),
        1 => prop::sample::select(vec![0x8100u16, 0x88a8]).prop_map(Action::PushVlan),
        1 => Just(Action::PopVlan),
        1 => prop::sample::select(vec![0x8847u16, 0x8848]).prop_map(Action::PushMpls),
        1 => any::<u16>().prop_map(Action::PopMpls),
        1 => any::<u32>().prop_map(|q| Action::SetQueue(QueueId(q))),
        1 => group_id().prop_map(Action::Group),
        1 => any::<u8>().prop_map(Action::SetNwTtl),
        1 => Just(Action::DecNwTtl),
        4 => oxm::set_field().prop_map(Action::SetField),
        1 => Just(Action::PushPbb(0x88e7)),
        1 => Just(Action::PopPbb),
        1 => (any::<u32>(), bytes8(3))
            .prop_map(|(experimenter, data)| Action::Experimenter { experimenter, data }),
        1 => (
            any::<u16>().prop_filter("undefined type", |t| !ACTION_TYPES.contains(t)),
            body_after_header()
        )
            .prop_map(|(action_type, body)| Action::Unknown { action_type, body }),
    ]
    .boxed()
}

/// An action list (apply-actions, packet-out, bucket).
pub fn action_list() -> impl Strategy<Value = Vec<Action>> + Clone {
    vec(action(), 0..5)
}

/// An action set (write-actions): each action type once, and each set-field field once.
pub fn action_set() -> impl Strategy<Value = Vec<Action>> + Clone {
    vec(action(), 0..5).prop_map(|actions| {
        let mut out: Vec<Action> = Vec::new();
        for a in actions {
            let dup = out.iter().any(|b| match (&a, b) {
                (Action::SetField(x), Action::SetField(y)) => oxm::same_field(x, y),
                (
                    Action::Unknown { action_type: x, .. },
                    Action::Unknown { action_type: y, .. },
                ) => x == y,
                (Action::Experimenter { .. }, _) => false,
                _ => std::mem::discriminant(&a) == std::mem::discriminant(b),
            });
            if !dup {
                out.push(a);
            }
        }
        out
    })
}

/// Any instruction, every variant.
pub fn instruction() -> BoxedStrategy<Instruction> {
    prop_oneof![
        (0u8..=254).prop_map(|t| Instruction::GotoTable(TableId(t))),
        (any::<u64>(), any::<u64>()).prop_map(|(m, mask)| Instruction::WriteMetadata {
            metadata: m & mask,
            mask
        }),
        action_set().prop_map(Instruction::WriteActions),
        action_list().prop_map(Instruction::ApplyActions),
        Just(Instruction::ClearActions),
        (1..=MeterId::MAX.0).prop_map(|m| Instruction::Meter(MeterId(m))),
        (any::<u32>(), bytes8(3))
            .prop_map(|(experimenter, data)| Instruction::Experimenter { experimenter, data }),
        (
            any::<u16>().prop_filter("undefined type", |t| !(1..=6).contains(t) && *t != 0xffff),
            body_after_header()
        )
            .prop_map(|(instruction_type, body)| Instruction::Unknown {
                instruction_type,
                body
            }),
    ]
    .boxed()
}

/// An instruction list as a controller sends it: each standard type at most once, in the
/// order the spec executes them, then experimenter instructions.
pub fn instruction_list() -> impl Strategy<Value = Vec<Instruction>> + Clone {
    (
        of((1..=MeterId::MAX.0).prop_map(|m| Instruction::Meter(MeterId(m)))),
        of(action_list().prop_map(Instruction::ApplyActions)),
        of(Just(Instruction::ClearActions)),
        of(action_set().prop_map(Instruction::WriteActions)),
        of(
            (any::<u64>(), any::<u64>()).prop_map(|(m, mask)| Instruction::WriteMetadata {
                metadata: m & mask,
                mask,
            }),
        ),
        of((0u8..=254).prop_map(|t| Instruction::GotoTable(TableId(t)))),
        vec(
            (any::<u32>(), bytes8(2))
                .prop_map(|(experimenter, data)| Instruction::Experimenter { experimenter, data }),
            0..2,
        ),
    )
        .prop_map(|(a, b, c, d, e, f, exp)| {
            a.into_iter()
                .chain(b)
                .chain(c)
                .chain(d)
                .chain(e)
                .chain(f)
                .chain(exp)
                .collect()
        })
}
