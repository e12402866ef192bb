//! The Ethernet header of a packet-in's frame: what the app needs to forward it.

use openflow::MacAddr;

const ETH_HEADER_LEN: usize = 14;
const ETH_TYPE_VLAN: u16 = 0x8100;

/// Destination, source and VLAN of an Ethernet frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthernetHeader {
    /// Destination MAC.
    pub dst: MacAddr,
    /// Source MAC.
    pub src: MacAddr,
    /// The 802.1Q VLAN id (`None`: untagged).
    pub vlan: Option<u16>,
}

/// True for the IEEE 802.1D reserved link-local group 01:80:c2:00:00:00 to :0f.
pub trait LinkLocal {
    /// True if bridges must not forward frames sent to this address.
    fn is_link_local(&self) -> bool;
}

impl LinkLocal for MacAddr {
    fn is_link_local(&self) -> bool {
        self.0[..5] == [0x01, 0x80, 0xc2, 0x00, 0x00] && self.0[5] & 0xf0 == 0
    }
}

impl EthernetHeader {
    /// Reads the header; `None` if the frame is too short to hold it.
    pub fn parse(frame: &[u8]) -> Option<EthernetHeader> {
        if frame.len() < ETH_HEADER_LEN {
            return None;
        }
        let mac = |at: usize| {
            let mut m = [0u8; 6];
            m.copy_from_slice(&frame[at..at + 6]);
            MacAddr(m)
        };
        let eth_type = u16::from_be_bytes([frame[12], frame[13]]);
        let vlan = if eth_type == ETH_TYPE_VLAN {
            let tci = frame.get(14..16)?;
            Some(u16::from_be_bytes([tci[0], tci[1]]) & 0x0fff)
        } else {
            None
        };
        Some(EthernetHeader {
            dst: mac(0),
            src: mac(6),
            vlan,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_untagged_and_tagged_headers_and_refuses_short_ones() {
        let mut f = vec![0xff; 6];
        f.extend([2, 0, 0, 0, 0, 1, 0x08, 0x06]);
        let h = EthernetHeader::parse(&f).unwrap();
        assert_eq!(
            (h.dst, h.src, h.vlan),
            (MacAddr::BROADCAST, MacAddr([2, 0, 0, 0, 0, 1]), None)
        );
        f[12..14].copy_from_slice(&[0x81, 0x00]);
        assert_eq!(EthernetHeader::parse(&f), None);
        f.extend([0x20, 0x0a, 0x08, 0x06]);
        assert_eq!(EthernetHeader::parse(&f).unwrap().vlan, Some(10));
        assert_eq!(EthernetHeader::parse(&f[..13]), None);
        assert!(MacAddr([0x01, 0x80, 0xc2, 0, 0, 0x0e]).is_link_local());
        assert!(!MacAddr([0x01, 0x80, 0xc2, 0, 0, 0x10]).is_link_local());
        assert!(!MacAddr::BROADCAST.is_link_local());
    }
}
