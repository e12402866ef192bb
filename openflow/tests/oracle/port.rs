//! Port status (every reason), port mods and table mods.

use openflow::msg::*;
use openflow::{Body, MacAddr, PortNo, TableId};

use super::Case;

fn all<T: Copy + core::ops::BitOr<Output = T>>(known: &[(T, &str)], empty: T) -> T {
    known.iter().fold(empty, |a, (f, _)| a | *f)
}

/// Port descriptions: a plain 1G copper port, one with every bit set, a down port with no
/// features, the local port, and one with bits OVS does not decode.
pub fn ports() -> Vec<(&'static str, Port)> {
    let g1 = PortFeatures::RATE_1GB_FD | PortFeatures::COPPER | PortFeatures::AUTONEG;
    vec![
        (
            "eth0",
            Port {
                port_no: PortNo(1),
                hw_addr: MacAddr([0x52, 0x54, 0, 0x12, 0x34, 0x56]),
                name: "eth0".into(),
                config: PortConfig::EMPTY,
                state: PortState::LIVE,
                curr: g1,
                advertised: g1 | PortFeatures::PAUSE,
                supported: g1 | PortFeatures::RATE_100MB_FD | PortFeatures::RATE_10MB_HD,
                peer: g1,
                curr_speed: 1_000_000,
                max_speed: 1_000_000,
            },
        ),
        (
            "everything",
            Port {
                port_no: PortNo(0xfeff),
                hw_addr: MacAddr([0xff; 6]),
                name: "a-fifteen-chars".into(),
                config: all(PortConfig::KNOWN, PortConfig::EMPTY),
                state: all(PortState::KNOWN, PortState::EMPTY),
                curr: all(PortFeatures::KNOWN, PortFeatures::EMPTY),
                advertised: all(PortFeatures::KNOWN, PortFeatures::EMPTY),
                supported: all(PortFeatures::KNOWN, PortFeatures::EMPTY),
                peer: all(PortFeatures::KNOWN, PortFeatures::EMPTY),
                curr_speed: 100_000_000,
                max_speed: u32::MAX,
            },
        ),
        (
            "down",
            Port {
                port_no: PortNo(7),
                hw_addr: MacAddr([0x02, 0, 0, 0, 0, 7]),
                name: "vxlan_sys_4789".into(),
                config: PortConfig::PORT_DOWN | PortConfig::NO_PACKET_IN,
                state: PortState::LINK_DOWN,
                curr: PortFeatures::EMPTY,
                advertised: PortFeatures::EMPTY,
                supported: PortFeatures::EMPTY,
                peer: PortFeatures::EMPTY,
                curr_speed: 0,
                max_speed: 0,
            },
        ),
        (
            "local",
            Port {
                port_no: PortNo::LOCAL,
                hw_addr: MacAddr([0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f]),
                name: "br0".into(),
                config: PortConfig::NO_RECV | PortConfig::NO_FWD,
                state: PortState::BLOCKED,
                curr: PortFeatures::RATE_10GB_FD | PortFeatures::FIBER,
                advertised: PortFeatures::EMPTY,
                supported: PortFeatures::RATE_40GB_FD
                    | PortFeatures::RATE_100GB_FD
                    | PortFeatures::RATE_1TB_FD
                    | PortFeatures::OTHER,
                peer: PortFeatures::PAUSE_ASYM,
                curr_speed: 10_000_000,
                max_speed: 100_000_000,
            },
        ),
        (
            "unknown bits",
            Port {
                port_no: PortNo(3),
                hw_addr: MacAddr([0, 1, 2, 3, 4, 5]),
                name: String::new(),
                config: PortConfig(1 << 1 | 1 << 3 | 1 << 31),
                state: PortState(1 << 3 | 1 << 30),
                curr: PortFeatures(1 << 16 | 1 << 20),
                advertised: PortFeatures(0x8000_0001),
                supported: PortFeatures::EMPTY,
                peer: PortFeatures::EMPTY,
                curr_speed: 1,
                max_speed: 2,
            },
        ),
    ]
}

/// Port-status messages for every reason and port.
pub fn port_status() -> Vec<Case> {
    let mut cases = Vec::new();
    for (n, (name, port)) in ports().into_iter().enumerate() {
        for &reason in PortReason::ALL {
            cases.push(Case::body(
                format!("port_status {reason} {name}"),
                Body::PortStatus(PortStatus {
                    reason,
                    desc: port.clone(),
                }),
            ));
        }
        if n == 0 {
            cases.push(
                Case::body(
                    "port_status unknown reason",
                    Body::PortStatus(PortStatus {
                        reason: PortReason::Unknown(9),
                        desc: port,
                    }),
                )
                .rejected(
                    "NXBRC_BAD_REASON",
                    "a reason OpenFlow does not define; the crate keeps it raw",
                ),
            );
        }
    }
    cases
}

/// Port mods: config changes under masks, advertisements, reserved ports.
pub fn port_mods() -> Vec<Case> {
    let mac = MacAddr([0x52, 0x54, 0, 0, 0, 1]);
    let all_config = all(PortConfig::KNOWN, PortConfig::EMPTY);
    let mods = [
        (
            "down",
            PortNo(1),
            PortConfig::PORT_DOWN,
            PortConfig::PORT_DOWN,
            PortFeatures::EMPTY,
        ),
        (
            "up",
            PortNo(1),
            PortConfig::EMPTY,
            PortConfig::PORT_DOWN,
            PortFeatures::EMPTY,
        ),
        (
            "all config",
            PortNo(2),
            all_config,
            all_config,
            PortFeatures::EMPTY,
        ),
        (
            "config outside mask",
            PortNo(2),
            all_config,
            PortConfig::NO_FWD,
            PortFeatures::EMPTY,
        ),
        (
            "advertise",
            PortNo(3),
            PortConfig::EMPTY,
            PortConfig::EMPTY,
            PortFeatures::RATE_1GB_FD | PortFeatures::RATE_10GB_FD | PortFeatures::PAUSE,
        ),
        (
            "advertise all",
            PortNo(0xfeff),
            PortConfig::NO_PACKET_IN,
            PortConfig::NO_PACKET_IN | PortConfig::NO_RECV,
            all(PortFeatures::KNOWN, PortFeatures::EMPTY),
        ),
        (
            "local",
            PortNo::LOCAL,
            PortConfig::EMPTY,
            PortConfig::EMPTY,
            PortFeatures::EMPTY,
        ),
    ];
    mods.into_iter()
        .map(|(name, port_no, config, mask, advertise)| {
            Case::body(
                format!("port_mod {name}"),
                Body::PortMod(PortMod {
                    port_no,
                    hw_addr: mac,
                    config,
                    mask,
                    advertise,
                }),
            )
        })
        .collect()
}

/// Table mods for one table and all tables, with and without (deprecated) config bits.
pub fn table_mods() -> Vec<Case> {
    [
        (TableId(0), 0),
        (TableId(7), 3),
        (TableId(254), 0),
        (TableId::ALL, 0),
        (TableId::ALL, 3),
    ]
    .into_iter()
    .map(|(table_id, config)| {
        Case::body(
            format!("table_mod {} {config}", table_id.0),
            Body::TableMod(TableMod { table_id, config }),
        )
    })
    .collect()
}
