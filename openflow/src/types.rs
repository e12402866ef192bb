//! Identifier newtypes shared by every message family.

use core::fmt;
use core::str::FromStr;

/// A switch's 64-bit datapath id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DatapathId(pub u64);

impl fmt::Display for DatapathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for DatapathId {
    type Err = ParseIdError;
    /// Accepts `0x1a`, `000000000000001a` (16 hex digits, as OVS prints), colon-separated
    /// hex bytes (`00:00:..:1a`) or a decimal number.
    fn from_str(s: &str) -> Result<Self, ParseIdError> {
        let err = || ParseIdError {
            what: "datapath id",
            text: s.to_string(),
        };
        let v = if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            u64::from_str_radix(hex, 16).map_err(|_| err())?
        } else if s.contains(':') {
            let hex: String = s.split(':').collect();
            if hex.len() > 16 {
                return Err(err());
            }
            u64::from_str_radix(&hex, 16).map_err(|_| err())?
        } else if s.len() == 16 {
            u64::from_str_radix(s, 16).map_err(|_| err())?
        } else {
            s.parse().map_err(|_| err())?
        };
        Ok(DatapathId(v))
    }
}

/// Text that is not a valid identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {text:?}")]
pub struct ParseIdError {
    /// What kind of identifier was expected.
    pub what: &'static str,
    /// The text given.
    pub text: String,
}

/// A transaction id correlating a request with its reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Xid(pub u32);

impl fmt::Display for Xid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

/// A switch port number (`ofp_port_no`), including the reserved ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PortNo(pub u32);

impl PortNo {
    /// Maximum number of physical and logical switch ports.
    pub const MAX: PortNo = PortNo(0xffff_ff00);
    /// Send the packet out the input port.
    pub const IN_PORT: PortNo = PortNo(0xffff_fff8);
    /// Submit the packet to the first flow table.
    pub const TABLE: PortNo = PortNo(0xffff_fff9);
    /// Forward using non-OpenFlow pipeline.
    pub const NORMAL: PortNo = PortNo(0xffff_fffa);
    /// Flood using non-OpenFlow pipeline.
    pub const FLOOD: PortNo = PortNo(0xffff_fffb);
    /// All standard ports except input port.
    pub const ALL: PortNo = PortNo(0xffff_fffc);
    /// Send to controller.
    pub const CONTROLLER: PortNo = PortNo(0xffff_fffd);
    /// Local openflow "port".
    pub const LOCAL: PortNo = PortNo(0xffff_fffe);
    /// Special value used in some requests when no port is specified (wildcard).
    pub const ANY: PortNo = PortNo(0xffff_ffff);

    const RESERVED: [(PortNo, &'static str); 8] = [
        (PortNo::IN_PORT, "IN_PORT"),
        (PortNo::TABLE, "TABLE"),
        (PortNo::NORMAL, "NORMAL"),
        (PortNo::FLOOD, "FLOOD"),
        (PortNo::ALL, "ALL"),
        (PortNo::CONTROLLER, "CONTROLLER"),
        (PortNo::LOCAL, "LOCAL"),
        (PortNo::ANY, "ANY"),
    ];

    /// The reserved port's name as `ovs-ofctl` prints it, if this is a reserved port.
    pub fn reserved_name(self) -> Option<&'static str> {
        Self::RESERVED
            .iter()
            .find(|(p, _)| *p == self)
            .map(|(_, n)| *n)
    }
}

impl fmt::Display for PortNo {
    /// As `ovs-ofctl` prints ports: reserved names, and the rest of the reserved range
    /// (0xffffff00 and above) folded to OVS's 16-bit numbering.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reserved_name() {
            Some(n) => f.write_str(n),
            None if self.0 == 0xffff_fff7 => f.write_str("UNSET"),
            None if self.0 >= PortNo::MAX.0 => write!(f, "{}", self.0 - 0xffff_0000),
            None => write!(f, "{}", self.0),
        }
    }
}

impl FromStr for PortNo {
    type Err = ParseIdError;
    /// Accepts a number or a reserved port name (`LOCAL`, `CONTROLLER`, `in_port`, …).
    fn from_str(s: &str) -> Result<Self, ParseIdError> {
        if let Some((p, _)) = Self::RESERVED
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(s))
        {
            return Ok(*p);
        }
        if s.eq_ignore_ascii_case("none") {
            return Ok(PortNo::ANY);
        }
        parse_u32(s).map(PortNo).ok_or_else(|| ParseIdError {
            what: "port",
            text: s.to_string(),
        })
    }
}

/// A flow table id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TableId(pub u8);

impl TableId {
    /// Last usable table number.
    pub const MAX: TableId = TableId(0xfe);
    /// Wildcard table used for table config, flow stats and flow deletes.
    pub const ALL: TableId = TableId(0xff);
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == TableId::ALL {
            f.write_str("ALL")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// A group id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct GroupId(pub u32);

impl GroupId {
    /// Last usable group number.
    pub const MAX: GroupId = GroupId(0xffff_ff00);
    /// Represents all groups for group delete commands.
    pub const ALL: GroupId = GroupId(0xffff_fffc);
    /// Wildcard group used only for flow stats requests.
    pub const ANY: GroupId = GroupId(0xffff_ffff);
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            GroupId::ALL => f.write_str("ALL"),
            GroupId::ANY => f.write_str("ANY"),
            GroupId(n) => write!(f, "{n}"),
        }
    }
}

/// A meter id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MeterId(pub u32);

impl MeterId {
    /// Last usable meter.
    pub const MAX: MeterId = MeterId(0xffff_0000);
    /// Meter for slow datapath.
    pub const SLOWPATH: MeterId = MeterId(0xffff_fffd);
    /// Meter for controller connection.
    pub const CONTROLLER: MeterId = MeterId(0xffff_fffe);
    /// Represents all meters for stat requests commands.
    pub const ALL: MeterId = MeterId(0xffff_ffff);
}

impl fmt::Display for MeterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            MeterId::SLOWPATH => f.write_str("slowpath"),
            MeterId::CONTROLLER => f.write_str("controller"),
            MeterId::ALL => f.write_str("all"),
            MeterId(n) => write!(f, "{n}"),
        }
    }
}

/// An opaque flow cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Cookie(pub u64);

impl fmt::Display for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

/// A buffered packet's id on the switch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BufferId(pub u32);

impl BufferId {
    /// The packet is not buffered: the full frame is in the message.
    pub const NO_BUFFER: BufferId = BufferId(0xffff_ffff);
}

impl Default for BufferId {
    fn default() -> Self {
        BufferId::NO_BUFFER
    }
}

impl fmt::Display for BufferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == BufferId::NO_BUFFER {
            f.write_str("none")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// A queue id on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct QueueId(pub u32);

impl QueueId {
    /// All queues (in stats and config requests).
    pub const ALL: QueueId = QueueId(0xffff_ffff);
}

impl fmt::Display for QueueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == QueueId::ALL {
            f.write_str("ALL")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// An Ethernet MAC address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// The broadcast address ff:ff:ff:ff:ff:ff.
    pub const BROADCAST: MacAddr = MacAddr([0xff; 6]);
    /// The all-zero address.
    pub const ZERO: MacAddr = MacAddr([0; 6]);

    /// True for group (multicast and broadcast) addresses.
    pub const fn is_multicast(self) -> bool {
        self.0[0] & 1 == 1
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

impl FromStr for MacAddr {
    type Err = ParseIdError;
    fn from_str(s: &str) -> Result<Self, ParseIdError> {
        let err = || ParseIdError {
            what: "MAC address",
            text: s.to_string(),
        };
        let mut out = [0u8; 6];
        let mut parts = s.split(':');
        for b in out.iter_mut() {
            let p = parts.next().ok_or_else(err)?;
            if p.is_empty() || p.len() > 2 {
                return Err(err());
            }
            *b = u8::from_str_radix(p, 16).map_err(|_| err())?;
        }
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(MacAddr(out))
    }
}

/// Parses a decimal or `0x`-prefixed hexadecimal `u32`.
pub(crate) fn parse_u32(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_names_round_trip() {
        for (p, n) in PortNo::RESERVED {
            assert_eq!(p.to_string(), n);
            assert_eq!(n.parse::<PortNo>().unwrap(), p);
        }
        assert_eq!("7".parse::<PortNo>().unwrap(), PortNo(7));
        assert!("seven".parse::<PortNo>().is_err());
        assert_eq!(PortNo(0xffff_ff00).to_string(), "65280");
        assert_eq!(PortNo(0xffff_fff7).to_string(), "UNSET");
    }

    #[test]
    fn mac_text() {
        let m: MacAddr = "00:1b:21:3c:4d:5e".parse().unwrap();
        assert_eq!(m.0, [0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e]);
        assert_eq!(m.to_string(), "00:1b:21:3c:4d:5e");
        assert!("00:1b:21:3c:4d".parse::<MacAddr>().is_err());
        assert!("00:1b:21:3c:4d:5e:6f".parse::<MacAddr>().is_err());
    }

    #[test]
    fn dpid_text() {
        assert_eq!("0x1a".parse::<DatapathId>().unwrap(), DatapathId(0x1a));
        assert_eq!(
            "000000000000001a".parse::<DatapathId>().unwrap(),
            DatapathId(0x1a)
        );
        assert_eq!(
            "00:00:00:00:00:00:00:1a".parse::<DatapathId>().unwrap(),
            DatapathId(0x1a)
        );
        assert_eq!("26".parse::<DatapathId>().unwrap(), DatapathId(26));
        assert_eq!(DatapathId(0x1a).to_string(), "000000000000001a");
    }
}
