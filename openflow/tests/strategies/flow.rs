//! Strategies for flows, packets, ports and tables: flow-mod, flow-removed, packet-in,
//! packet-out, port status and port-mod, table-mod, and their multipart bodies.

use bytes::Bytes;
use openflow::msg::{
    AggregateStats, FlowMod, FlowModCommand, FlowModFlags, FlowRemoved, FlowRemovedReason,
    FlowStats, FlowStatsRequest, PacketIn, PacketInReason, PacketOut, Port, PortConfig,
    PortFeatures, PortMod, PortReason, PortState, PortStats, PortStatsRequest, PortStatus,
    TableMod, TableStats,
};
use openflow::{BufferId, Cookie, GroupId, MacAddr, PortNo, TableId};
use proptest::prelude::*;

use super::action::{action_list, instruction_list};
use super::oxm::legal_match;
use super::{bytes, port};

/// A flow table a flow lives in.
pub fn table_id() -> impl Strategy<Value = TableId> + Clone {
    (0..=TableId::MAX.0).prop_map(TableId)
}

/// A buffer id: none most of the time, as OVS sends.
pub fn buffer_id() -> impl Strategy<Value = BufferId> + Clone {
    prop_oneof![3 => Just(BufferId::NO_BUFFER), 1 => (0u32..0xffff_ffff).prop_map(BufferId)]
}

/// A port that exists on a switch: a physical port or the local one.
pub fn switch_port() -> impl Strategy<Value = PortNo> + Clone {
    prop_oneof![9 => (1..=PortNo::MAX.0).prop_map(PortNo), 1 => Just(PortNo::LOCAL)]
}

fn cookie() -> impl Strategy<Value = Cookie> + Clone {
    any::<u64>().prop_map(Cookie)
}

fn flow_mod_flags() -> impl Strategy<Value = FlowModFlags> + Clone {
    (0u16..32).prop_map(FlowModFlags)
}

/// A flow-mod as a controller sends it: adds and modifications name a real table, deletes
/// may name all of them, and only deletes filter by out port and group.
pub fn flow_mod() -> impl Strategy<Value = FlowMod> {
    (
        (0u8..5).prop_map(FlowModCommand::from_raw),
        cookie(),
        any::<u64>(),
        table_id(),
        any::<[u16; 3]>(),
        buffer_id(),
        port(),
        any::<u32>(),
        flow_mod_flags(),
        legal_match(),
        instruction_list(),
    )
        .prop_map(
            |(
                command,
                cookie,
                cookie_mask,
                table_id,
                t,
                buffer_id,
                out_port,
                out_group,
                flags,
                match_,
                instructions,
            )| {
                let delete = matches!(
                    command,
                    FlowModCommand::Delete | FlowModCommand::DeleteStrict
                );
                FlowMod {
                    cookie,
                    cookie_mask,
                    table_id: if delete && t[0] % 4 == 0 {
                        TableId::ALL
                    } else {
                        table_id
                    },
                    command,
                    idle_timeout: t[1],
                    hard_timeout: t[2],
                    priority: t[0],
                    buffer_id: if delete {
                        BufferId::NO_BUFFER
                    } else {
                        buffer_id
                    },
                    out_port: if delete { out_port } else { PortNo::ANY },
                    out_group: if delete {
                        GroupId(out_group)
                    } else {
                        GroupId::ANY
                    },
                    flags,
                    match_,
                    instructions: if delete { Vec::new() } else { instructions },
                }
            },
        )
}

/// A flow-removed message.
pub fn flow_removed() -> impl Strategy<Value = FlowRemoved> {
    (
        cookie(),
        any::<u16>(),
        (0u8..6).prop_map(FlowRemovedReason::from_raw),
        table_id(),
        any::<u32>(),
        0u32..1_000_000_000,
        any::<[u16; 2]>(),
        any::<[u64; 2]>(),
        legal_match(),
    )
        .prop_map(
            |(cookie, priority, reason, table_id, duration_sec, duration_nsec, t, c, match_)| {
                FlowRemoved {
                    cookie,
                    priority,
                    reason,
                    table_id,
                    duration_sec,
                    duration_nsec,
                    idle_timeout: t[0],
                    hard_timeout: t[1],
                    packet_count: c[0],
                    byte_count: c[1],
                    match_,
                }
            },
        )
}

/// Packet data: an Ethernet frame whose headers (VLAN tags, IPv4, IPv6, ARP, MPLS, and a
/// transport protocol) are plausible and whose remaining bytes are random, or plain random
/// bytes; `Display` dissects it the way OVS does.
pub fn packet_data() -> impl Strategy<Value = Bytes> {
    let l3 = prop_oneof![
        // IPv4 with a 20-byte header.
        (
            any::<[u8; 12]>(),
            prop::sample::select(vec![1u8, 6, 17, 132, 47]),
            any::<u16>()
        )
            .prop_map(|(addrs, proto, frag)| {
                let mut h = vec![0x08, 0x00, 0x45, 0, 0, 60, 0, 1];
                h.extend_from_slice(&(frag & 0x3fff).to_be_bytes());
                h.extend_from_slice(&[64, proto, 0, 0]);
                h.extend_from_slice(&addrs[..8]);
                h
            }),
        // IPv6.
        (
            any::<[u8; 32]>(),
            prop::sample::select(vec![6u8, 17, 58, 132, 44, 0])
        )
            .prop_map(|(addrs, next)| {
                let mut h = vec![0x86, 0xdd, 0x60, 0, 0, 0, 0, 40, next, 64];
                h.extend_from_slice(&addrs);
                h
            }),
        // ARP for IPv4 over Ethernet.
        (1u8..3).prop_map(|op| vec![0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, op]),
        // One MPLS label.
        any::<[u8; 4]>().prop_map(|lse| {
            let mut h = vec![0x88, 0x47];
            h.extend_from_slice(&lse);
            h
        }),
        any::<u16>().prop_map(|t| t.to_be_bytes().to_vec()),
    ];
    let frame = (
        any::<[u8; 12]>(),
        prop::collection::vec(any::<u16>(), 0..3),
        l3,
        prop::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(macs, vlans, l3, rest)| {
            let mut f = macs.to_vec();
            for tci in vlans {
                f.extend_from_slice(&[0x81, 0x00]);
                f.extend_from_slice(&tci.to_be_bytes());
            }
            f.extend_from_slice(&l3);
            f.extend_from_slice(&rest);
            Bytes::from(f)
        });
    prop_oneof![3 => frame, 1 => bytes(120)]
}

/// A packet-in: the data is the packet or its first bytes, `total_len` the whole packet's
/// length.
pub fn packet_in() -> impl Strategy<Value = PacketIn> {
    (
        buffer_id(),
        // OpenFlow 1.3's reasons; OVS maps the 1.4 ones to ACTION.
        (0u8..3).prop_map(PacketInReason::from_raw),
        table_id(),
        cookie(),
        legal_match(),
        packet_data(),
        0u16..100,
    )
        .prop_map(
            |(buffer_id, reason, table_id, cookie, match_, data, extra)| PacketIn {
                buffer_id,
                total_len: data.len() as u16
                    + if buffer_id == BufferId::NO_BUFFER {
                        0
                    } else {
                        extra
                    },
                reason,
                table_id,
                cookie,
                match_,
                data,
            },
        )
}

/// A packet-out: a buffered packet carries no data.
pub fn packet_out() -> impl Strategy<Value = PacketOut> {
    let in_port = prop_oneof![4 => switch_port(), 1 => Just(PortNo::CONTROLLER)];
    (buffer_id(), in_port, action_list(), packet_data()).prop_map(
        |(buffer_id, in_port, actions, data)| PacketOut {
            buffer_id,
            in_port,
            actions,
            data: if buffer_id == BufferId::NO_BUFFER {
                data
            } else {
                Default::default()
            },
        },
    )
}

fn mac() -> impl Strategy<Value = MacAddr> + Clone {
    any::<[u8; 6]>().prop_map(MacAddr)
}

/// A port description: a name that fits its 16-byte field with its NUL.
pub fn port_desc() -> impl Strategy<Value = Port> + Clone {
    (
        switch_port(),
        mac(),
        "[a-z][a-z0-9_.-]{0,14}",
        any::<[u32; 6]>(),
        any::<[u32; 2]>(),
    )
        .prop_map(|(port_no, hw_addr, name, f, speed)| Port {
            port_no,
            hw_addr,
            name,
            config: PortConfig(f[0]),
            state: PortState(f[1]),
            curr: PortFeatures(f[2]),
            advertised: PortFeatures(f[3]),
            supported: PortFeatures(f[4]),
            peer: PortFeatures(f[5]),
            curr_speed: speed[0],
            max_speed: speed[1],
        })
}

/// A port-status message.
pub fn port_status() -> impl Strategy<Value = PortStatus> + Clone {
    ((0u8..3).prop_map(PortReason::from_raw), port_desc())
        .prop_map(|(reason, desc)| PortStatus { reason, desc })
}

/// A port-mod message.
pub fn port_mod() -> impl Strategy<Value = PortMod> + Clone {
    (switch_port(), mac(), any::<[u32; 3]>()).prop_map(|(port_no, hw_addr, f)| PortMod {
        port_no,
        hw_addr,
        config: PortConfig(f[0] & f[1]),
        mask: PortConfig(f[1]),
        advertise: PortFeatures(f[2]),
    })
}

/// A table-mod message.
pub fn table_mod() -> impl Strategy<Value = TableMod> + Clone {
    (prop_oneof![table_id(), Just(TableId::ALL)], any::<u32>())
        .prop_map(|(table_id, config)| TableMod { table_id, config })
}

/// A flow (or aggregate) statistics request.
pub fn flow_stats_request() -> impl Strategy<Value = FlowStatsRequest> {
    (
        prop_oneof![table_id(), Just(TableId::ALL)],
        port(),
        any::<u32>(),
        cookie(),
        any::<u64>(),
        legal_match(),
    )
        .prop_map(
            |(table_id, out_port, out_group, cookie, cookie_mask, match_)| FlowStatsRequest {
                table_id,
                out_port,
                out_group: GroupId(out_group),
                cookie,
                cookie_mask,
                match_,
            },
        )
}

/// One flow statistics record.
pub fn flow_stats() -> impl Strategy<Value = FlowStats> {
    (
        table_id(),
        any::<u32>(),
        0u32..1_000_000_000,
        any::<[u16; 3]>(),
        flow_mod_flags(),
        cookie(),
        any::<[u64; 2]>(),
        legal_match(),
        instruction_list(),
    )
        .prop_map(
            |(table_id, duration_sec, duration_nsec, t, flags, cookie, c, match_, instructions)| {
                FlowStats {
                    table_id,
                    duration_sec,
                    duration_nsec,
                    priority: t[0],
                    idle_timeout: t[1],
                    hard_timeout: t[2],
                    flags,
                    cookie,
                    packet_count: c[0],
                    byte_count: c[1],
                    match_,
                    instructions,
                }
            },
        )
}

/// An aggregate statistics reply.
pub fn aggregate_stats() -> impl Strategy<Value = AggregateStats> + Clone {
    (any::<u64>(), any::<u64>(), any::<u32>()).prop_map(|(packet_count, byte_count, flow_count)| {
        AggregateStats {
            packet_count,
            byte_count,
            flow_count,
        }
    })
}

/// One table statistics record.
pub fn table_stats() -> impl Strategy<Value = TableStats> + Clone {
    (table_id(), any::<u32>(), any::<u64>(), any::<u64>()).prop_map(
        |(table_id, active_count, lookup_count, matched_count)| TableStats {
            table_id,
            active_count,
            lookup_count,
            matched_count,
        },
    )
}

/// A port statistics request.
pub fn port_stats_request() -> impl Strategy<Value = PortStatsRequest> + Clone {
    port().prop_map(|port_no| PortStatsRequest { port_no })
}

/// One port statistics record.
pub fn port_stats() -> impl Strategy<Value = PortStats> + Clone {
    (
        port(),
        any::<[u64; 12]>(),
        any::<u32>(),
        0u32..1_000_000_000,
    )
        .prop_map(|(port_no, c, duration_sec, duration_nsec)| PortStats {
            port_no,
            rx_packets: c[0],
            tx_packets: c[1],
            rx_bytes: c[2],
            tx_bytes: c[3],
            rx_dropped: c[4],
            tx_dropped: c[5],
            rx_errors: c[6],
            tx_errors: c[7],
            rx_frame_err: c[8],
            rx_over_err: c[9],
            rx_crc_err: c[10],
            collisions: c[11],
            duration_sec,
            duration_nsec,
        })
}
