//! Property: whatever sequence of commands, batches, snapshots and reopens a store goes
//! through, its state equals an in-memory state machine fed the same commands, and a
//! reopened store equals the one that closed.

use std::net::Ipv4Addr;

use proptest::prelude::*;

use super::super::{
    Command, HostRecord, LinkRecord, PortRecord, State, Store, StoreError, StoreOptions,
};

/// One step of a random store history.
#[derive(Clone, Debug)]
enum Step {
    Apply(Command),
    Batch(Vec<Command>),
    Snapshot,
    Reopen,
}

fn command() -> impl Strategy<Value = Command> {
    // A small universe (3 switches, 4 ports, 4 MACs) so commands often refer to things that
    // exist and often to things that do not.
    let dpid = 1u64..=3;
    let port = 1u32..=4;
    prop_oneof![
        3 => (dpid.clone(), 1u8..=3, proptest::collection::vec(any::<bool>(), 4)).prop_map(
            |(dpid, n_tables, present)| Command::SwitchSeen {
                dpid,
                n_tables,
                ports: (1..=4u32)
                    .zip(present)
                    .filter(|(_, p)| *p)
                    .map(|(port_no, _)| PortRecord {
                        port_no,
                        name: format!("p{port_no}"),
                        hw_addr: [2, 0, 0, 0, dpid as u8, port_no as u8],
                        up: port_no % 2 == 1,
                    })
                    .collect(),
            }
        ),
        1 => dpid.clone().prop_map(|dpid| Command::SwitchForgotten { dpid }),
        3 => (dpid.clone(), port.clone(), dpid.clone(), port.clone(), any::<bool>()).prop_map(
            |(src_dpid, src_port, dst_dpid, dst_port, up)| {
                let link = LinkRecord { src_dpid, src_port, dst_dpid, dst_port };
                if up { Command::LinkUp(link) } else { Command::LinkDown(link) }
            }
        ),
        3 => (0u8..=4, proptest::option::of(1u16..=2), dpid.clone(), port.clone(),
              proptest::collection::vec(1u8..=3, 0..3)).prop_map(
            |(m, vlan, dpid, port, ips)| Command::HostUpsert(HostRecord {
                mac: [2, 0, 0, 0, 0, m],
                vlan,
                dpid,
                port,
                ipv4: ips.into_iter().map(|i| Ipv4Addr::new(10, 0, 0, i)).collect(),
                ipv6: vec![],
            })
        ),
        1 => (1u8..=4, proptest::option::of(1u16..=2)).prop_map(|(m, vlan)| Command::HostRemove {
            mac: [2, 0, 0, 0, 0, m],
            vlan,
        }),
        1 => (prop_oneof![Just("a"), Just("b"), Just("B")], 0i64..3).prop_map(|(app, v)| {
            Command::AppConfigSet { app: app.into(), config: serde_json::json!({ "v": v }) }
        }),
        1 => (prop_oneof![Just("a"), Just("b")], any::<bool>()).prop_map(|(app, enabled)| {
            Command::AppEnabled { app: app.into(), enabled }
        }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => command().prop_map(Step::Apply),
        3 => proptest::collection::vec(command(), 0..5).prop_map(Step::Batch),
        1 => Just(Step::Snapshot),
        1 => Just(Step::Reopen),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_store_always_equals_its_in_memory_model(
        steps in proptest::collection::vec(step(), 1..60),
        snapshot_every in prop_oneof![Just(0u64), 1u64..8],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let opts = StoreOptions { sync: false, snapshot_every };
        let mut store = Store::open(dir.path(), opts.clone()).unwrap();
        let mut model = State::new();
        for step in steps {
            match step {
                Step::Apply(cmd) => match (store.apply(&cmd), model.apply(&cmd)) {
                    (Ok(stored), Ok(expected)) => prop_assert_eq!(stored, expected),
                    (Err(StoreError::Rejected { source, .. }), Err(expected)) => {
                        prop_assert_eq!(source, expected)
                    }
                    (stored, expected) => {
                        prop_assert!(false, "store {:?} but model {:?}", stored, expected)
                    }
                },
                Step::Batch(cmds) => {
                    let mut next = model.clone();
                    let expected: Result<Vec<_>, _> =
                        cmds.iter().map(|c| next.apply(c)).collect();
                    match (store.apply_batch(&cmds), expected) {
                        (Ok(stored), Ok(expected)) => {
                            prop_assert_eq!(stored, expected);
                            model = next;
                        }
                        (Err(StoreError::Rejected { source, .. }), Err(expected)) => {
                            prop_assert_eq!(source, expected)
                        }
                        (stored, expected) => {
                            prop_assert!(false, "store {:?} but model {:?}", stored, expected)
                        }
                    }
                }
                Step::Snapshot => {
                    prop_assert_eq!(store.snapshot().unwrap(), model.revision());
                }
                Step::Reopen => {
                    drop(store);
                    store = Store::open(dir.path(), opts.clone()).unwrap();
                }
            }
            prop_assert_eq!(store.state(), &model);
        }
        drop(store);
        let reopened = Store::open(dir.path(), opts).unwrap();
        prop_assert_eq!(reopened.state().to_bytes(), model.to_bytes());
    }
}
