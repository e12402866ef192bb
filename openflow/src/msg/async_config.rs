//! `OFPT_GET_ASYNC_REPLY` and `OFPT_SET_ASYNC`: which asynchronous messages (packet-in,
//! port-status, flow-removed) a connection receives, per reason, for each role.
//!
//! Each mask is a pair: index 0 applies while the controller is master or equal, index 1
//! while it is slave. Bit `r` set means "send messages with reason `r`".

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::Ctx;
use crate::wire::{PResult, Src, Wire, in_ctx, u32_};

flags! {
    /// Packet-in reasons (`1 << ofp_packet_in_reason`).
    pub struct PacketInMask(u32) {
        /// No matching flow (table-miss flow entry).
        const NO_MATCH = 1 << 0 => "no_match";
        /// Action explicitly output to controller.
        const ACTION = 1 << 1 => "action";
        /// Packet has invalid TTL.
        const INVALID_TTL = 1 << 2 => "invalid_ttl";
    }
}

flags! {
    /// Port-status reasons (`1 << ofp_port_reason`).
    pub struct PortStatusMask(u32) {
        /// The port was added.
        const ADD = 1 << 0 => "add";
        /// The port was removed.
        const DELETE = 1 << 1 => "delete";
        /// Some attribute of the port has changed.
        const MODIFY = 1 << 2 => "modify";
    }
}

flags! {
    /// Flow-removed reasons (`1 << ofp_flow_removed_reason`). The last two are OpenFlow 1.4
    /// reasons that OVS also accepts, and prints, in OpenFlow 1.3.
    pub struct FlowRemovedMask(u32) {
        /// Flow idle time exceeded idle_timeout.
        const IDLE_TIMEOUT = 1 << 0 => "idle";
        /// Time exceeded hard_timeout.
        const HARD_TIMEOUT = 1 << 1 => "hard";
        /// Evicted by a DELETE flow mod.
        const DELETE = 1 << 2 => "delete";
        /// Group was removed.
        const GROUP_DELETE = 1 << 3 => "group_delete";
        /// Meter was removed.
        const METER_DELETE = 1 << 4 => "meter_delete";
        /// Switch eviction to free resources.
        const EVICTION = 1 << 5 => "eviction";
    }
}

/// The body of `OFPT_GET_ASYNC_REPLY` and `OFPT_SET_ASYNC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct AsyncConfig {
    /// Packet-in reasons: `[master/equal, slave]`.
    pub packet_in_mask: [u32; 2],
    /// Port-status reasons: `[master/equal, slave]`.
    pub port_status_mask: [u32; 2],
    /// Flow-removed reasons: `[master/equal, slave]`.
    pub flow_removed_mask: [u32; 2],
}

impl AsyncConfig {
    /// Index of the masks that apply while master or equal.
    pub const MASTER: usize = 0;
    /// Index of the masks that apply while slave.
    pub const SLAVE: usize = 1;

    /// The configuration a switch starts a connection with (OpenFlow 1.3 spec, "Set
    /// Asynchronous Configuration Message"): master/equal get packet-ins for table misses
    /// and output actions, every port-status and every flow-removed; slaves get only
    /// port-status.
    pub fn switch_default() -> AsyncConfig {
        let all_ports = PortStatusMask::ADD | PortStatusMask::DELETE | PortStatusMask::MODIFY;
        let all_removed = FlowRemovedMask::IDLE_TIMEOUT
            | FlowRemovedMask::HARD_TIMEOUT
            | FlowRemovedMask::DELETE
            | FlowRemovedMask::GROUP_DELETE;
        AsyncConfig {
            packet_in_mask: [(PacketInMask::NO_MATCH | PacketInMask::ACTION).bits(), 0],
            port_status_mask: [all_ports.bits(), all_ports.bits()],
            flow_removed_mask: [all_removed.bits(), 0],
        }
    }

    /// Packet-in reasons for master/equal (`slave == false`) or slave.
    pub fn packet_in(&self, slave: bool) -> PacketInMask {
        PacketInMask(self.packet_in_mask[slave as usize])
    }

    /// Port-status reasons for master/equal (`slave == false`) or slave.
    pub fn port_status(&self, slave: bool) -> PortStatusMask {
        PortStatusMask(self.port_status_mask[slave as usize])
    }

    /// Flow-removed reasons for master/equal (`slave == false`) or slave.
    pub fn flow_removed(&self, slave: bool) -> FlowRemovedMask {
        FlowRemovedMask(self.flow_removed_mask[slave as usize])
    }

    /// Sets the packet-in reasons for master/equal or slave.
    pub fn set_packet_in(&mut self, slave: bool, mask: PacketInMask) {
        self.packet_in_mask[slave as usize] = mask.bits();
    }

    /// Sets the port-status reasons for master/equal or slave.
    pub fn set_port_status(&mut self, slave: bool, mask: PortStatusMask) {
        self.port_status_mask[slave as usize] = mask.bits();
    }

    /// Sets the flow-removed reasons for master/equal or slave.
    pub fn set_flow_removed(&mut self, slave: bool, mask: FlowRemovedMask) {
        self.flow_removed_mask[slave as usize] = mask.bits();
    }
}

impl Wire for AsyncConfig {
    fn wire_len(&self) -> usize {
        24
    }

    fn emit(&self, out: &mut BytesMut) {
        for pair in [
            self.packet_in_mask,
            self.port_status_mask,
            self.flow_removed_mask,
        ] {
            out.put_u32(pair[0]);
            out.put_u32(pair[1]);
        }
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Async, parse_async(i))
    }
}

fn parse_async(i: &[u8]) -> PResult<'_, AsyncConfig> {
    let mut words = [0u32; 6];
    let mut i = i;
    for w in words.iter_mut() {
        let (rest, v) = u32_(i)?;
        *w = v;
        i = rest;
    }
    Ok((
        i,
        AsyncConfig {
            packet_in_mask: [words[0], words[1]],
            port_status_mask: [words[2], words[3]],
            flow_removed_mask: [words[4], words[5]],
        },
    ))
}

/// One line of the OVS table: the message name right-aligned in 16 columns, then the known
/// reasons set (OVS ignores the others), or `(off)`.
fn line<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    known: u32,
    mask: T,
) -> fmt::Result {
    write!(f, "\n{name:>16}:")?;
    if known == 0 {
        f.write_str(" (off)")
    } else {
        write!(f, " {mask}")
    }
}

impl fmt::Display for AsyncConfig {
    /// The `primary:` / `secondary:` tables of `ovs-ofctl`, including the three OpenFlow 1.4
    /// message kinds that OpenFlow 1.3 cannot enable (always `(off)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for slave in [false, true] {
            if slave {
                f.write_str("\n")?;
            }
            f.write_str(if slave {
                "\n secondary:"
            } else {
                "\n primary:"
            })?;
            let pin = self.packet_in(slave);
            let pin = PacketInMask(pin.bits() & !pin.unknown_bits());
            line(f, "PACKET_IN", pin.bits(), pin)?;
            let ps = self.port_status(slave);
            let ps = PortStatusMask(ps.bits() & !ps.unknown_bits());
            line(f, "PORT_STATUS", ps.bits(), ps)?;
            let fr = self.flow_removed(slave);
            let fr = FlowRemovedMask(fr.bits() & !fr.unknown_bits());
            line(f, "FLOW_REMOVED", fr.bits(), fr)?;
            for name in ["ROLE_STATUS", "TABLE_STATUS", "REQUESTFORWARD"] {
                line(f, name, 0, "")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode};
    use crate::error::DecodeError;
    use crate::message::{Body, Message};
    use crate::types::Xid;
    use bytes::Bytes;

    /// SET_ASYNC, xid 1: master packet-in no_match, port modify, flow idle; slave packet-in
    /// action, port add, flow hard.
    const SET_ASYNC: [u8; 32] = [
        0x04, 0x1c, 0x00, 0x20, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, //
        0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
    ];

    fn decode(b: &[u8]) -> Result<Message, DecodeError> {
        Message::decode(&Bytes::copy_from_slice(b))
    }

    fn config() -> AsyncConfig {
        let mut c = AsyncConfig::default();
        c.set_packet_in(false, PacketInMask::NO_MATCH);
        c.set_packet_in(true, PacketInMask::ACTION);
        c.set_port_status(false, PortStatusMask::MODIFY);
        c.set_port_status(true, PortStatusMask::ADD);
        c.set_flow_removed(false, FlowRemovedMask::IDLE_TIMEOUT);
        c.set_flow_removed(true, FlowRemovedMask::HARD_TIMEOUT);
        c
    }

    #[test]
    fn deconstruct() {
        let m = decode(&SET_ASYNC).unwrap();
        let Body::SetAsync(c) = m.body else {
            panic!("not a set-async")
        };
        assert_eq!(c.packet_in_mask, [1, 2]);
        assert_eq!(c.port_status_mask, [4, 1]);
        assert_eq!(c.flow_removed_mask, [1, 2]);
        assert_eq!(c.packet_in(true), PacketInMask::ACTION);
        assert_eq!(c, config());
    }

    #[test]
    fn construct() {
        let m = Message::new(Xid(1), Body::SetAsync(config()));
        assert_eq!(&m.encode().unwrap()[..], &SET_ASYNC);
    }

    #[test]
    fn round_trip() {
        assert_eq!(
            &decode(&SET_ASYNC).unwrap().encode().unwrap()[..],
            &SET_ASYNC
        );
        let odd = AsyncConfig {
            packet_in_mask: [u32::MAX, 0x100],
            ..AsyncConfig::switch_default()
        };
        assert_eq!(AsyncConfig::from_bytes(&odd.to_bytes()).unwrap(), odd);
    }

    #[test]
    fn malformed() {
        let mut short = SET_ASYNC[..30].to_vec();
        short[3] = 30;
        let e = decode(&short).unwrap_err();
        assert_eq!(e, DecodeError::truncated(Ctx::Async));
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
    }

    /// Expected texts are `ovs-ofctl ofp-print` output for the same bytes.
    #[test]
    fn display_matches_ovs() {
        assert_eq!(
            decode(&SET_ASYNC).unwrap().to_string(),
            "OFPT_SET_ASYNC (OF1.3) (xid=0x1):
 primary:
       PACKET_IN: no_match
     PORT_STATUS: modify
    FLOW_REMOVED: idle
     ROLE_STATUS: (off)
    TABLE_STATUS: (off)
  REQUESTFORWARD: (off)

 secondary:
       PACKET_IN: action
     PORT_STATUS: add
    FLOW_REMOVED: hard
     ROLE_STATUS: (off)
    TABLE_STATUS: (off)
  REQUESTFORWARD: (off)"
        );
        // ovs-ofctl ofp-print
        // 041b002000000001000000070000000000000007ffffffff0000000fffffffff
        let c = AsyncConfig {
            packet_in_mask: [7, 0],
            port_status_mask: [7, u32::MAX],
            flow_removed_mask: [0xf, u32::MAX],
        };
        assert_eq!(
            Message::new(Xid(1), Body::GetAsyncReply(c)).to_string(),
            "OFPT_GET_ASYNC_REPLY (OF1.3) (xid=0x1):
 primary:
       PACKET_IN: no_match action invalid_ttl
     PORT_STATUS: add delete modify
    FLOW_REMOVED: idle hard delete group_delete
     ROLE_STATUS: (off)
    TABLE_STATUS: (off)
  REQUESTFORWARD: (off)

 secondary:
       PACKET_IN: (off)
     PORT_STATUS: add delete modify
    FLOW_REMOVED: idle hard delete group_delete meter_delete eviction
     ROLE_STATUS: (off)
    TABLE_STATUS: (off)
  REQUESTFORWARD: (off)"
        );
        // ovs-ofctl ofp-print 041c002000000001000001000000000000000000000000000000000000000000
        // (only an unknown bit) shows PACKET_IN as off.
        let c = AsyncConfig {
            packet_in_mask: [0x100, 0],
            ..AsyncConfig::default()
        };
        assert!(
            c.to_string()
                .starts_with("\n primary:\n       PACKET_IN: (off)\n")
        );
    }
}
