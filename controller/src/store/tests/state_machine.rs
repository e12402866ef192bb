//! The state machine alone: validation, changes, cascades, determinism.

use std::net::Ipv4Addr;

use super::super::{ApplyError, Change, Command, HostKey, Revision, State};
use super::{history, host, link, mac, switch};

fn state_after(cmds: &[Command]) -> State {
    let mut state = State::new();
    for cmd in cmds {
        state.apply(cmd).unwrap();
    }
    state
}

#[test]
fn history_reaches_the_expected_state() {
    let state = state_after(&history());
    assert_eq!(state.revision(), Revision(history().len() as u64));
    assert_eq!(state.switches().map(|s| s.dpid).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        state.links().copied().collect::<Vec<_>>(),
        [link(1, 3, 2, 2)]
    );
    assert_eq!(state.hosts().cloned().collect::<Vec<_>>(), [host(1, 1, 2)]);
    assert_eq!(
        state.app_config("l2-learning"),
        Some(&serde_json::json!({"idle_timeout": 60}))
    );
    assert_eq!(state.app_enabled("l2-learning"), Some(true));
    assert_eq!(state.app_enabled("other"), None);
}

#[test]
fn invalid_commands_are_refused_and_change_nothing() {
    let state = state_after(&history());
    let bad_vlan = {
        let mut h = host(9, 1, 1);
        h.vlan = Some(4096);
        h
    };
    let cases: Vec<(Command, ApplyError)> = vec![
        (
            Command::SwitchSeen {
                dpid: 3,
                n_tables: 0,
                ports: vec![],
            },
            ApplyError::NoTables { dpid: 3 },
        ),
        (
            switch(3, &[1, 2, 1]),
            ApplyError::DuplicatePort { dpid: 3, port: 1 },
        ),
        (
            Command::SwitchForgotten { dpid: 9 },
            ApplyError::UnknownSwitch { dpid: 9 },
        ),
        (
            Command::LinkUp(link(1, 1, 9, 1)),
            ApplyError::UnknownSwitch { dpid: 9 },
        ),
        (
            Command::LinkUp(link(1, 7, 2, 1)),
            ApplyError::UnknownPort { dpid: 1, port: 7 },
        ),
        (
            Command::LinkUp(link(1, 1, 1, 1)),
            ApplyError::SelfLink(link(1, 1, 1, 1)),
        ),
        (
            Command::LinkDown(link(2, 2, 1, 3)),
            ApplyError::UnknownLink(link(2, 2, 1, 3)),
        ),
        (
            Command::HostUpsert(host(9, 2, 3)),
            ApplyError::UnknownPort { dpid: 2, port: 3 },
        ),
        (
            Command::HostUpsert(host(9, 5, 1)),
            ApplyError::UnknownSwitch { dpid: 5 },
        ),
        (
            Command::HostUpsert({
                let mut h = host(9, 1, 1);
                h.mac = [0xff; 6];
                h
            }),
            ApplyError::NotUnicastMac { mac: [0xff; 6] },
        ),
        (
            Command::HostUpsert({
                let mut h = host(9, 1, 1);
                h.mac = [0; 6];
                h
            }),
            ApplyError::NotUnicastMac { mac: [0; 6] },
        ),
        (
            Command::HostUpsert(bad_vlan),
            ApplyError::InvalidVlan { vlan: 4096 },
        ),
        (
            Command::HostRemove {
                mac: mac(1),
                vlan: Some(10),
            },
            ApplyError::UnknownHost(HostKey {
                mac: mac(1),
                vlan: Some(10),
            }),
        ),
        (
            Command::AppEnabled {
                app: "L2".into(),
                enabled: true,
            },
            ApplyError::InvalidAppName { app: "L2".into() },
        ),
        (
            Command::AppConfigSet {
                app: String::new(),
                config: serde_json::Value::Null,
            },
            ApplyError::InvalidAppName { app: String::new() },
        ),
        (
            Command::AppConfigSet {
                app: "a".repeat(65),
                config: serde_json::Value::Null,
            },
            ApplyError::InvalidAppName {
                app: "a".repeat(65),
            },
        ),
    ];
    for (cmd, expected) in cases {
        let mut after = state.clone();
        assert_eq!(after.check(&cmd), Err(expected.clone()), "{cmd:?}");
        assert_eq!(after.apply(&cmd), Err(expected), "{cmd:?}");
        assert_eq!(
            after.to_bytes(),
            state.to_bytes(),
            "{cmd:?} changed the state"
        );
    }
}

#[test]
fn changes_describe_what_happened() {
    let mut state = State::new();
    let added = state.apply(&switch(1, &[1, 2])).unwrap();
    assert_eq!(added.revision, Revision(1));
    assert!(matches!(added.changes[0], Change::SwitchAdded { dpid: 1 }));
    assert_eq!(added.changes.len(), 3, "switch plus two ports");

    let applied = state.apply(&Command::HostUpsert(host(1, 1, 1))).unwrap();
    assert_eq!(applied.changes, [Change::HostAdded(host(1, 1, 1))]);
    let applied = state.apply(&Command::HostUpsert(host(1, 1, 2))).unwrap();
    assert_eq!(
        applied.changes,
        [Change::HostMoved {
            from_dpid: 1,
            from_port: 1,
            host: host(1, 1, 2)
        }]
    );
    let mut more_addresses = host(1, 1, 2);
    more_addresses.ipv4.push(Ipv4Addr::new(10, 0, 0, 100));
    let applied = state
        .apply(&Command::HostUpsert(more_addresses.clone()))
        .unwrap();
    assert_eq!(
        applied.changes,
        [Change::HostAddressesChanged(more_addresses)]
    );

    // Confirming what is already there is accepted, takes a revision, changes nothing.
    let before = state.clone();
    let confirmed = state.apply(&switch(1, &[1, 2])).unwrap();
    assert_eq!(confirmed.revision, Revision(5));
    assert!(confirmed.changes.is_empty());
    assert_eq!(state.switch(1), before.switch(1));
}

#[test]
fn vanished_ports_take_their_links_and_hosts_with_them() {
    let mut state = state_after(&[
        switch(1, &[1, 2, 3]),
        switch(2, &[1, 2]),
        Command::LinkUp(link(1, 3, 2, 2)),
        Command::LinkUp(link(2, 2, 1, 3)),
        Command::LinkUp(link(1, 2, 2, 1)),
        Command::HostUpsert(host(1, 1, 1)),
        Command::HostUpsert(host(3, 1, 3)),
    ]);
    let applied = state.apply(&switch(1, &[1, 2])).unwrap();
    assert!(
        applied
            .changes
            .contains(&Change::LinkRemoved(link(1, 3, 2, 2)))
    );
    assert!(
        applied
            .changes
            .contains(&Change::LinkRemoved(link(2, 2, 1, 3)))
    );
    assert!(
        applied
            .changes
            .contains(&Change::HostRemoved(host(3, 1, 3)))
    );
    assert!(matches!(
        applied.changes.last(),
        Some(Change::PortRemoved { dpid: 1, port }) if port.port_no == 3
    ));
    assert_eq!(
        state.links().copied().collect::<Vec<_>>(),
        [link(1, 2, 2, 1)]
    );
    assert_eq!(state.hosts().count(), 1);

    let applied = state.apply(&Command::SwitchForgotten { dpid: 2 }).unwrap();
    assert_eq!(
        applied.changes,
        [
            Change::LinkRemoved(link(1, 2, 2, 1)),
            Change::SwitchRemoved { dpid: 2 }
        ]
    );
    assert_eq!(state.links().count(), 0);
    assert!(state.switch(2).is_none());
    assert_eq!(state.hosts_at(1).count(), 1);
}

#[test]
fn a_port_that_changes_is_reported_changed() {
    let mut state = state_after(&[switch(1, &[1])]);
    let Command::SwitchSeen { ports, .. } = switch(1, &[1]) else {
        unreachable!()
    };
    let mut down = ports[0].clone();
    down.up = false;
    let applied = state
        .apply(&Command::SwitchSeen {
            dpid: 1,
            n_tables: 8,
            ports: vec![down.clone()],
        })
        .unwrap();
    assert_eq!(
        applied.changes,
        [
            Change::SwitchTablesChanged {
                dpid: 1,
                n_tables: 8
            },
            Change::PortChanged {
                dpid: 1,
                port: down
            }
        ]
    );
}

#[test]
fn the_same_commands_give_the_same_bytes() {
    assert_eq!(
        state_after(&history()).to_bytes(),
        state_after(&history()).to_bytes()
    );
    // Address order in a command does not leak into the state.
    let mut a = host(1, 1, 1);
    a.ipv4 = vec![Ipv4Addr::new(10, 0, 0, 2), Ipv4Addr::new(10, 0, 0, 1)];
    let mut b = host(1, 1, 1);
    b.ipv4 = vec![
        Ipv4Addr::new(10, 0, 0, 1),
        Ipv4Addr::new(10, 0, 0, 2),
        Ipv4Addr::new(10, 0, 0, 1),
    ];
    let one = state_after(&[switch(1, &[1]), Command::HostUpsert(a)]);
    let two = state_after(&[switch(1, &[1]), Command::HostUpsert(b)]);
    assert_eq!(one.to_bytes(), two.to_bytes());
}

#[test]
fn serialized_state_round_trips_and_is_checked() {
    let state = state_after(&history());
    assert_eq!(State::from_bytes(&state.to_bytes()).unwrap(), state);

    // A link to a port the state lacks is refused, not loaded.
    let mut text = String::from_utf8(state.to_bytes()).unwrap();
    text = text.replace(r#""dst_port":2"#, r#""dst_port":77"#);
    assert!(matches!(
        State::from_bytes(text.as_bytes()),
        Err(super::super::StateDecodeError::Dangling(_))
    ));
    assert!(State::from_bytes(b"[1,2,3]").is_err());
}

#[test]
fn operator_flows_are_set_replaced_removed_and_survive_a_reopen() {
    use crate::store::{Change, OperatorFlowRecord, Store, StoreError};
    let flow = |priority: u16, actions: &str| OperatorFlowRecord {
        table: 0,
        priority,
        match_: "in_port=1".into(),
        flow: format!("priority={priority},in_port=1 actions={actions}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), super::options()).unwrap();
    // Only on a known switch.
    let set = |f: OperatorFlowRecord| Command::OperatorFlowSet { dpid: 1, flow: f };
    assert!(matches!(
        store.apply(&set(flow(10, "drop"))),
        Err(StoreError::Rejected { .. })
    ));
    store.apply(&super::switch(1, &[1, 2])).unwrap();
    let applied = store.apply(&set(flow(10, "drop"))).unwrap();
    assert_eq!(
        applied.changes,
        vec![Change::OperatorFlowsChanged { dpid: 1 }]
    );
    // Same key: replaced; same flow again: no change.
    store.apply(&set(flow(10, "output:2"))).unwrap();
    assert!(
        store
            .apply(&set(flow(10, "output:2")))
            .unwrap()
            .changes
            .is_empty()
    );
    store.apply(&set(flow(20, "drop"))).unwrap();
    let texts: Vec<_> = store
        .state()
        .operator_flows(1)
        .map(|f| f.flow.clone())
        .collect();
    assert_eq!(
        texts,
        [
            "priority=10,in_port=1 actions=output:2",
            "priority=20,in_port=1 actions=drop"
        ]
    );
    // Removing what is not there is refused and changes nothing.
    let missing = Command::OperatorFlowsRemoved {
        dpid: 1,
        keys: vec![flow(10, "drop").key(), flow(30, "drop").key()],
    };
    assert!(store.apply(&missing).is_err());
    assert_eq!(store.state().operator_flows(1).count(), 2);
    drop(store);
    let mut store = Store::open(dir.path(), super::options()).unwrap();
    store.snapshot().unwrap();
    drop(store);
    let mut store = Store::open(dir.path(), super::options()).unwrap();
    assert_eq!(store.state().operator_flows(1).count(), 2);
    store
        .apply(&Command::OperatorFlowsRemoved {
            dpid: 1,
            keys: vec![flow(10, "drop").key()],
        })
        .unwrap();
    assert_eq!(store.state().operator_flows(1).count(), 1);
    // Forgetting the switch forgets its flows.
    store.apply(&Command::SwitchForgotten { dpid: 1 }).unwrap();
    assert_eq!(store.state().operator_flow_switches().count(), 0);
}

#[test]
fn a_config_change_bumps_the_app_generation_and_the_same_config_does_not() {
    use crate::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path(), super::options()).unwrap();
    let set = |v: u64| Command::AppConfigSet {
        app: "l2-learning".into(),
        config: serde_json::json!({ "idle_timeout": v }),
    };
    store.apply(&set(60)).unwrap();
    store.apply(&set(60)).unwrap();
    assert_eq!(store.state().app("l2-learning").unwrap().generation, 1);
    store.apply(&set(30)).unwrap();
    assert_eq!(store.state().app("l2-learning").unwrap().generation, 2);
}
