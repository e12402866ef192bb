//! The PACKET_INs an emulated switch sends, built once and pre-encoded, in the manner of
//! cbench: each switch has its own set of hosts (MAC addresses), and packet `i` goes from
//! host `i mod macs` to another of the switch's hosts, so that a learning controller soon
//! knows every destination.

use bytes::Bytes;
use openflow::msg::{PacketIn, PacketInReason};
use openflow::{
    Body, BufferId, Cookie, EncodeError, Match, Message, OxmField, PortNo, TableId, Xid,
};

/// Length of the Ethernet frames carried (the minimum frame without FCS).
pub const FRAME_LEN: usize = 60;

/// The MAC address of host `host` behind switch `switch` (unicast, locally administered).
pub fn host_mac(switch: u32, host: u32) -> [u8; 6] {
    let s = switch.to_be_bytes();
    let h = host.to_be_bytes();
    [0x02, s[2], s[3], h[1], h[2], h[3]]
}

/// The switch port host `host` sits behind, among ports `1..=ports`.
pub fn host_port(host: u32, ports: u16) -> u32 {
    1 + host % u32::from(ports.max(1))
}

/// A UDP/IPv4 Ethernet frame from host `src` to host `dst` of switch `switch`.
pub fn udp_frame(switch: u32, src: u32, dst: u32) -> [u8; FRAME_LEN] {
    let mut f = [0u8; FRAME_LEN];
    f[0..6].copy_from_slice(&host_mac(switch, dst));
    f[6..12].copy_from_slice(&host_mac(switch, src));
    f[12..14].copy_from_slice(&0x0800u16.to_be_bytes());
    let ip = &mut f[14..34];
    ip[0] = 0x45;
    ip[2..4].copy_from_slice(&46u16.to_be_bytes()); // IPv4 + UDP + 18 bytes of payload
    ip[8] = 64; // TTL
    ip[9] = 17; // UDP
    let sw = switch.to_be_bytes();
    ip[12..16].copy_from_slice(&[10, sw[3], (src >> 8) as u8, src as u8]);
    ip[16..20].copy_from_slice(&[10, sw[3], (dst >> 8) as u8, dst as u8]);
    let checksum = ipv4_checksum(ip);
    ip[10..12].copy_from_slice(&checksum.to_be_bytes());
    let udp = &mut f[34..42];
    udp[0..2].copy_from_slice(&9u16.to_be_bytes()); // discard
    udp[2..4].copy_from_slice(&9u16.to_be_bytes());
    udp[4..6].copy_from_slice(&26u16.to_be_bytes());
    // A zero UDP checksum means "none" over IPv4.
    f
}

fn ipv4_checksum(header: &[u8]) -> u16 {
    let mut sum: u32 = header
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The pre-encoded PACKET_INs of one switch, sent in rotation.
#[derive(Clone, Debug)]
pub struct PacketInPool {
    messages: Vec<Bytes>,
    next: usize,
}

impl PacketInPool {
    /// One unbuffered table-miss PACKET_IN per host of switch `switch` (of `macs` hosts on
    /// `ports` ports); packet `i` goes from host `i` to host `(i + macs/2 + 1) mod macs`.
    pub fn new(switch: u32, macs: u32, ports: u16) -> Result<PacketInPool, EncodeError> {
        let macs = macs.max(2);
        let messages = (0..macs)
            .map(|src| {
                let dst = (src + macs / 2 + 1) % macs;
                let dst = if dst == src { (src + 1) % macs } else { dst };
                let pi = PacketIn {
                    buffer_id: BufferId::NO_BUFFER,
                    total_len: FRAME_LEN as u16,
                    reason: PacketInReason::NoMatch,
                    table_id: TableId(0),
                    cookie: Cookie(0),
                    match_: Match {
                        fields: vec![OxmField::InPort(PortNo(host_port(src, ports)))],
                    },
                    data: Bytes::copy_from_slice(&udp_frame(switch, src, dst)),
                };
                Message::new(Xid(src + 1), Body::PacketIn(pi)).encode()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PacketInPool { messages, next: 0 })
    }

    /// The next PACKET_IN to send.
    pub fn next_message(&mut self) -> &[u8] {
        let m = &self.messages[self.next];
        self.next = (self.next + 1) % self.messages.len();
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openflow::msg::PacketSummary;

    #[test]
    fn pool_packets_decode_as_unbuffered_table_misses_between_distinct_hosts() {
        let mut pool = PacketInPool::new(3, 10, 4).unwrap();
        for i in 0..10u32 {
            let bytes = Bytes::copy_from_slice(pool.next_message());
            let msg = Message::decode(&bytes).unwrap();
            let Body::PacketIn(pi) = msg.body else {
                panic!("not a packet-in: {msg}");
            };
            assert_eq!(pi.buffer_id, BufferId::NO_BUFFER);
            assert_eq!(pi.in_port(), Some(PortNo(host_port(i, 4))));
            assert_eq!(&pi.data[6..12], &host_mac(3, i));
            assert_ne!(&pi.data[0..6], &pi.data[6..12]);
            assert_eq!(pi.data[0] & 1, 0, "destination must be unicast");
        }
        // The rotation starts over.
        let again = Message::decode(&Bytes::copy_from_slice(pool.next_message())).unwrap();
        assert_eq!(again.xid, Xid(1));
    }

    #[test]
    fn frames_are_well_formed_udp_over_ipv4() {
        let f = udp_frame(1, 2, 7);
        assert_eq!(ipv4_checksum(&f[14..34]), 0, "header checksum must verify");
        let text = PacketSummary(&f).to_string();
        assert!(text.starts_with("udp,"), "{text}");
        assert!(text.contains("nw_src=10.1.0.2,nw_dst=10.1.0.7"), "{text}");
    }
}
