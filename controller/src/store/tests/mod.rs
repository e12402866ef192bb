//! Store tests: the state machine, durability and recovery, and a property test that a
//! reopened store always equals the one that wrote it.

mod durability;
mod property;
mod recovery;
mod state_machine;

use std::net::Ipv4Addr;

use super::{Command, HostRecord, LinkRecord, PortRecord, StoreOptions};

/// Options for tests: fsync on (the real path), automatic snapshots off unless a test asks.
fn options() -> StoreOptions {
    StoreOptions {
        sync: true,
        snapshot_every: 0,
    }
}

/// A switch with the given port numbers, all up.
fn switch(dpid: u64, ports: &[u32]) -> Command {
    Command::SwitchSeen {
        dpid,
        n_tables: 254,
        ports: ports
            .iter()
            .map(|&port_no| PortRecord {
                port_no,
                name: format!("s{dpid}-eth{port_no}"),
                hw_addr: [2, 0, 0, dpid as u8, 0, port_no as u8],
                up: true,
            })
            .collect(),
    }
}

/// A directed link.
fn link(src_dpid: u64, src_port: u32, dst_dpid: u64, dst_port: u32) -> LinkRecord {
    LinkRecord {
        src_dpid,
        src_port,
        dst_dpid,
        dst_port,
    }
}

/// A unicast MAC numbered `n`.
fn mac(n: u8) -> [u8; 6] {
    [2, 0, 0, 0, 0, n]
}

/// An untagged host numbered `n` at `dpid:port` with one IPv4 address.
fn host(n: u8, dpid: u64, port: u32) -> HostRecord {
    HostRecord {
        mac: mac(n),
        vlan: None,
        dpid,
        port,
        ipv4: vec![Ipv4Addr::new(10, 0, 0, n)],
        ipv6: vec![],
    }
}

/// A small history touching every kind of command: two switches, a link pair, hosts, app
/// settings, a move, a removal.
fn history() -> Vec<Command> {
    vec![
        switch(1, &[1, 2, 3]),
        switch(2, &[1, 2]),
        Command::LinkUp(link(1, 3, 2, 2)),
        Command::LinkUp(link(2, 2, 1, 3)),
        Command::HostUpsert(host(1, 1, 1)),
        Command::HostUpsert(host(2, 2, 1)),
        Command::AppConfigSet {
            app: "l2-learning".into(),
            config: serde_json::json!({"idle_timeout": 60}),
        },
        Command::AppEnabled {
            app: "l2-learning".into(),
            enabled: true,
        },
        Command::HostUpsert(host(1, 1, 2)),
        Command::LinkDown(link(2, 2, 1, 3)),
        Command::HostRemove {
            mac: mac(2),
            vlan: None,
        },
    ]
}
