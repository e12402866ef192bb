//! Ports: the `ofp_port` description, `OFPT_PORT_STATUS`, `OFPT_PORT_MOD`, and the port
//! statistics multipart records (the way OVS groups them in `lib/ofp-port.c`).

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::Ctx;
use crate::types::{MacAddr, PortNo};
use crate::wire::{
    PResult, Src, Wire, fixed_str, in_ctx, mac, put_fixed_str, put_mac, skip, u8_, u32_,
};

/// Length of `ofp_port`.
pub const PORT_LEN: usize = 64;
/// Length of the name field of `ofp_port`.
pub const PORT_NAME_LEN: usize = 16;

flags! {
    /// `ofp_port_config`: administrative settings of a port.
    pub struct PortConfig(u32) {
        /// Port is administratively down.
        const PORT_DOWN = 1 << 0 => "PORT_DOWN";
        /// Drop all packets received by port.
        const NO_RECV = 1 << 2 => "NO_RECV";
        /// Drop packets forwarded to port.
        const NO_FWD = 1 << 5 => "NO_FWD";
        /// Do not send packet-in messages for port.
        const NO_PACKET_IN = 1 << 6 => "NO_PACKET_IN";
    }
}

flags! {
    /// `ofp_port_state`: current state of the physical port (read-only).
    pub struct PortState(u32) {
        /// No physical link present.
        const LINK_DOWN = 1 << 0 => "LINK_DOWN";
        /// Port is blocked.
        const BLOCKED = 1 << 1 => "BLOCKED";
        /// Live for fast failover groups.
        const LIVE = 1 << 2 => "LIVE";
    }
}

flags! {
    /// `ofp_port_features`: link speeds, media and negotiation abilities.
    pub struct PortFeatures(u32) {
        /// 10 Mb half-duplex rate support.
        const RATE_10MB_HD = 1 << 0 => "10MB-HD";
        /// 10 Mb full-duplex rate support.
        const RATE_10MB_FD = 1 << 1 => "10MB-FD";
        /// 100 Mb half-duplex rate support.
        const RATE_100MB_HD = 1 << 2 => "100MB-HD";
        /// 100 Mb full-duplex rate support.
        const RATE_100MB_FD = 1 << 3 => "100MB-FD";
        /// 1 Gb half-duplex rate support.
        const RATE_1GB_HD = 1 << 4 => "1GB-HD";
        /// 1 Gb full-duplex rate support.
        const RATE_1GB_FD = 1 << 5 => "1GB-FD";
        /// 10 Gb full-duplex rate support.
        const RATE_10GB_FD = 1 << 6 => "10GB-FD";
        /// 40 Gb full-duplex rate support.
        const RATE_40GB_FD = 1 << 7 => "40GB-FD";
        /// 100 Gb full-duplex rate support.
        const RATE_100GB_FD = 1 << 8 => "100GB-FD";
        /// 1 Tb full-duplex rate support.
        const RATE_1TB_FD = 1 << 9 => "1TB-FD";
        /// Other rate, not in the list.
        const OTHER = 1 << 10 => "OTHER";
        /// Copper medium.
        const COPPER = 1 << 11 => "COPPER";
        /// Fiber medium.
        const FIBER = 1 << 12 => "FIBER";
        /// Auto-negotiation.
        const AUTONEG = 1 << 13 => "AUTO_NEG";
        /// Pause.
        const PAUSE = 1 << 14 => "AUTO_PAUSE";
        /// Asymmetric pause.
        const PAUSE_ASYM = 1 << 15 => "AUTO_PAUSE_ASYM";
    }
}

open_enum! {
    /// `ofp_port_reason`: why a port status message was sent.
    pub enum PortReason(u8) {
        /// The port was added.
        Add = 0 => "ADD",
        /// The port was removed.
        Delete = 1 => "DEL",
        /// Some attribute of the port has changed.
        Modify = 2 => "MOD",
    }
}

/// Writes `bits` the way OVS's `ofp_print_bit_names` does, after OVS has dropped the bits it
/// does not decode: known names from the lowest bit up, `0` when nothing is set.
fn fmt_bits(f: &mut fmt::Formatter<'_>, bits: u32, known: &[(u32, &str)]) -> fmt::Result {
    let mut first = true;
    for &(bit, name) in known {
        if bits & bit != 0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(name)?;
            first = false;
        }
    }
    if first {
        f.write_str("0")?;
    }
    Ok(())
}

macro_rules! ovs_bits {
    ($t:ty) => {
        impl $t {
            /// The set as `ovs-ofctl` shows it in a port description (bits OVS does not decode
            /// are left out; `0` when empty).
            pub fn ovs_text(self) -> impl fmt::Display {
                struct T($t);
                impl fmt::Display for T {
                    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        let known: Vec<(u32, &str)> =
                            <$t>::KNOWN.iter().map(|(b, n)| (b.0, *n)).collect();
                        fmt_bits(f, self.0.0, &known)
                    }
                }
                T(self)
            }
        }
    };
}
ovs_bits!(PortConfig);
ovs_bits!(PortState);
ovs_bits!(PortFeatures);

/// `ofp_port`: the description of one switch port (64 bytes).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    /// Port number.
    pub port_no: PortNo,
    /// Hardware address.
    pub hw_addr: MacAddr,
    /// Interface name (at most 15 bytes on the wire).
    pub name: String,
    /// Administrative settings.
    pub config: PortConfig,
    /// Link state.
    pub state: PortState,
    /// Current features.
    pub curr: PortFeatures,
    /// Features being advertised by the port.
    pub advertised: PortFeatures,
    /// Features supported by the port.
    pub supported: PortFeatures,
    /// Features advertised by the peer.
    pub peer: PortFeatures,
    /// Current port bitrate in kbps.
    pub curr_speed: u32,
    /// Maximum port bitrate in kbps.
    pub max_speed: u32,
}

impl Wire for Port {
    fn wire_len(&self) -> usize {
        PORT_LEN
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port_no.0);
        out.put_bytes(0, 4);
        put_mac(out, self.hw_addr);
        out.put_bytes(0, 2);
        put_fixed_str(out, &self.name, PORT_NAME_LEN);
        out.put_u32(self.config.0);
        out.put_u32(self.state.0);
        out.put_u32(self.curr.0);
        out.put_u32(self.advertised.0);
        out.put_u32(self.supported.0);
        out.put_u32(self.peer.0);
        out.put_u32(self.curr_speed);
        out.put_u32(self.max_speed);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Port, parse_port(i))
    }
}

fn parse_port(i: &[u8]) -> PResult<'_, Port> {
    let (i, port_no) = u32_(i)?;
    let (i, _) = skip(i, 4)?;
    let (i, hw_addr) = mac(i)?;
    let (i, _) = skip(i, 2)?;
    let (i, name) = fixed_str(i, PORT_NAME_LEN)?;
    let (i, config) = u32_(i)?;
    let (i, state) = u32_(i)?;
    let (i, curr) = u32_(i)?;
    let (i, advertised) = u32_(i)?;
    let (i, supported) = u32_(i)?;
    let (i, peer) = u32_(i)?;
    let (i, curr_speed) = u32_(i)?;
    let (i, max_speed) = u32_(i)?;
    Ok((
        i,
        Port {
            port_no: PortNo(port_no),
            hw_addr,
            name,
            config: PortConfig(config),
            state: PortState(state),
            curr: PortFeatures(curr),
            advertised: PortFeatures(advertised),
            supported: PortFeatures(supported),
            peer: PortFeatures(peer),
            curr_speed,
            max_speed,
        },
    ))
}

impl fmt::Display for Port {
    /// The port as OVS shows it in a port status or port description reply: a first line
    /// ` 1(eth0): addr:…` and indented detail lines, without a final newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // OVS shows at most 15 bytes and stops at the first unprintable one.
        let name: String = self
            .name
            .chars()
            .take(PORT_NAME_LEN - 1)
            .take_while(|c| (' '..='~').contains(c))
            .collect();
        writeln!(f, " {}({name}): addr:{}", self.port_no, self.hw_addr)?;
        writeln!(f, "     config:     {}", self.config.ovs_text())?;
        writeln!(f, "     state:      {}", self.state.ovs_text())?;
        // OVS keeps only the 16 feature bits it knows.
        for (label, feat) in [
            ("current:   ", self.curr),
            ("advertised:", self.advertised),
            ("supported: ", self.supported),
            ("peer:      ", self.peer),
        ] {
            if feat.0 & 0xffff != 0 {
                writeln!(f, "     {label} {}", feat.ovs_text())?;
            }
        }
        write!(
            f,
            "     speed: {} Mbps now, {} Mbps max",
            self.curr_speed / 1000,
            self.max_speed / 1000
        )
    }
}

/// A list of port descriptions as OVS prints an `OFPST_PORT_DESC` reply: sorted by port
/// number, each on its own lines after a newline.
pub struct PortDescList<'a>(pub &'a [Port]);

impl fmt::Display for PortDescList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ports: Vec<&Port> = self.0.iter().collect();
        ports.sort_by_key(|p| ovs_order(p.port_no));
        for p in ports {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

/// `OFPT_PORT_STATUS`: a port was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortStatus {
    /// What happened.
    pub reason: PortReason,
    /// The port as it is now.
    pub desc: Port,
}

impl Wire for PortStatus {
    fn wire_len(&self) -> usize {
        8 + PORT_LEN
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u8(self.reason.raw());
        out.put_bytes(0, 7);
        self.desc.emit(out);
    }

    fn parse<'a>(src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, reason) = in_ctx(Ctx::Message, u8_(i))?;
        let (i, _) = in_ctx(Ctx::Message, skip(i, 7))?;
        let (i, desc) = Port::parse(src, i)?;
        Ok((
            i,
            PortStatus {
                reason: PortReason::from_raw(reason),
                desc,
            },
        ))
    }
}

impl fmt::Display for PortStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason.name() {
            Some(n) => write!(f, " {n}:")?,
            None => write!(f, " reason={}:", self.reason.raw())?,
        }
        self.desc.fmt(f)
    }
}

/// `OFPT_PORT_MOD`: change the administrative settings of a port.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PortMod {
    /// The port to change.
    pub port_no: PortNo,
    /// Its hardware address, as a sanity check (not configurable).
    pub hw_addr: MacAddr,
    /// The new values of the bits selected by `mask`.
    pub config: PortConfig,
    /// Which config bits to change.
    pub mask: PortConfig,
    /// Features to advertise; empty leaves them unchanged.
    pub advertise: PortFeatures,
}

impl Wire for PortMod {
    fn wire_len(&self) -> usize {
        32
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u32(self.port_no.0);
        out.put_bytes(0, 4);
        put_mac(out, self.hw_addr);
        out.put_bytes(0, 2);
        out.put_u32(self.config.0);
        out.put_u32(self.mask.0);
        out.put_u32(self.advertise.0);
        out.put_bytes(0, 4);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Message, parse_port_mod(i))
    }
}

fn parse_port_mod(i: &[u8]) -> PResult<'_, PortMod> {
    let (i, port_no) = u32_(i)?;
    let (i, _) = skip(i, 4)?;
    let (i, hw_addr) = mac(i)?;
    let (i, _) = skip(i, 2)?;
    let (i, config) = u32_(i)?;
    let (i, mask) = u32_(i)?;
    let (i, advertise) = u32_(i)?;
    let (i, _) = skip(i, 4)?;
    Ok((
        i,
        PortMod {
            port_no: PortNo(port_no),
            hw_addr,
            config: PortConfig(config),
            mask: PortConfig(mask),
            advertise: PortFeatures(advertise),
        },
    ))
}

impl fmt::Display for PortMod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, " port: {}: addr:{}", self.port_no, self.hw_addr)?;
        // OVS shows only the config bits that the mask selects.
        let config = PortConfig(self.config.0 & self.mask.0);
        writeln!(f, "     config: {}", config.ovs_text())?;
        writeln!(f, "     mask:   {}", self.mask.ovs_text())?;
        if self.advertise.0 & 0xffff != 0 {
            write!(f, "     advertise: {}", self.advertise.ovs_text())
        } else {
            f.write_str("     advertise: UNCHANGED")
        }
    }
}

mod stats;

pub use stats::{PORT_STATS_LEN, PortStats, PortStatsList, PortStatsRequest};

/// Where OVS sorts a port: by its 16-bit number (`ofputil_port_from_ofp11`: reserved ports
/// at the top, numbers OVS cannot map first).
fn ovs_order(port: PortNo) -> u16 {
    match port.0 {
        p if p < 0xff00 => p as u16,
        p if p >= PortNo::MAX.0 => (p - 0xffff_0000) as u16,
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
