//! What a switch says about itself: `OFPT_FEATURES_REPLY` (datapath id, buffers, tables,
//! capabilities), the switch configuration of `OFPT_GET_CONFIG_REPLY` / `OFPT_SET_CONFIG`,
//! and the `OFPMP_DESC` multipart reply body (manufacturer, hardware, software, ...).

use core::fmt;

use bytes::{BufMut, BytesMut};

use crate::error::Ctx;
use crate::types::DatapathId;
use crate::wire::{
    PResult, Src, Wire, fixed_str, fixed_str_text, in_ctx, put_fixed_str, skip, u8_, u16_, u32_,
    u64_,
};

flags! {
    /// `ofp_capabilities`, in the order `ovs-ofctl` prints them.
    pub struct Capabilities(u32) {
        /// Flow statistics.
        const FLOW_STATS = 1 << 0 => "FLOW_STATS";
        /// Table statistics.
        const TABLE_STATS = 1 << 1 => "TABLE_STATS";
        /// Port statistics.
        const PORT_STATS = 1 << 2 => "PORT_STATS";
        /// Group statistics.
        const GROUP_STATS = 1 << 3 => "GROUP_STATS";
        /// Can reassemble IP fragments.
        const IP_REASM = 1 << 5 => "IP_REASM";
        /// Queue statistics.
        const QUEUE_STATS = 1 << 6 => "QUEUE_STATS";
        /// Switch will block looping ports.
        const PORT_BLOCKED = 1 << 8 => "PORT_BLOCKED";
    }
}

/// The body of `OFPT_FEATURES_REPLY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FeaturesReply {
    /// The datapath's unique id.
    pub datapath_id: DatapathId,
    /// Packets the switch can buffer for the controller at once.
    pub n_buffers: u32,
    /// Number of flow tables.
    pub n_tables: u8,
    /// Which auxiliary connection this is (0 for the main one).
    pub auxiliary_id: u8,
    /// What the switch supports.
    pub capabilities: Capabilities,
    /// Reserved; kept as received.
    pub reserved: u32,
}

impl Wire for FeaturesReply {
    fn wire_len(&self) -> usize {
        24
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u64(self.datapath_id.0);
        out.put_u32(self.n_buffers);
        out.put_u8(self.n_tables);
        out.put_u8(self.auxiliary_id);
        out.put_u16(0);
        out.put_u32(self.capabilities.bits());
        out.put_u32(self.reserved);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Message, parse_features(i))
    }
}

fn parse_features(i: &[u8]) -> PResult<'_, FeaturesReply> {
    let (i, datapath_id) = u64_(i)?;
    let (i, n_buffers) = u32_(i)?;
    let (i, n_tables) = u8_(i)?;
    let (i, auxiliary_id) = u8_(i)?;
    let (i, _) = skip(i, 2)?;
    let (i, capabilities) = u32_(i)?;
    let (i, reserved) = u32_(i)?;
    Ok((
        i,
        FeaturesReply {
            datapath_id: DatapathId(datapath_id),
            n_buffers,
            n_tables,
            auxiliary_id,
            capabilities: Capabilities(capabilities),
            reserved,
        },
    ))
}

impl fmt::Display for FeaturesReply {
    /// As `ovs-ofctl`, which shows only the capabilities OpenFlow 1.3 defines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            " dpid:{}\nn_tables:{}, n_buffers:{}",
            self.datapath_id, self.n_tables, self.n_buffers
        )?;
        if self.auxiliary_id != 0 {
            write!(f, ", auxiliary_id:{}", self.auxiliary_id)?;
        }
        let known = Capabilities(self.capabilities.bits() & !self.capabilities.unknown_bits());
        if known.is_empty() {
            f.write_str("\ncapabilities: 0")
        } else {
            write!(f, "\ncapabilities: {known}")
        }
    }
}

flags! {
    /// `ofp_config_flags`: how IP fragments are handled. The two low bits form one value
    /// (see [`ConfigFlags::frag`]), not independent flags.
    pub struct ConfigFlags(u16) {
        /// Drop fragments.
        const FRAG_DROP = 1 << 0 => "drop";
        /// Reassemble (only if `OFPC_IP_REASM` is set).
        const FRAG_REASM = 1 << 1 => "reassemble";
    }
}

impl ConfigFlags {
    /// No special handling for fragments.
    pub const FRAG_NORMAL: ConfigFlags = ConfigFlags(0);
    /// The bits that hold the fragment handling.
    pub const FRAG_MASK: ConfigFlags = ConfigFlags(3);

    /// The fragment handling: one of `FRAG_NORMAL`, `FRAG_DROP`, `FRAG_REASM`, or 3 (which
    /// OpenFlow 1.3 leaves undefined and OVS calls `nx-match`).
    pub const fn frag(self) -> ConfigFlags {
        ConfigFlags(self.0 & Self::FRAG_MASK.0)
    }

    /// The fragment handling as `ovs-ofctl` names it.
    pub fn frag_name(self) -> &'static str {
        match self.frag().0 {
            0 => "normal",
            1 => "drop",
            2 => "reassemble",
            _ => "nx-match",
        }
    }
}

/// The body of `OFPT_GET_CONFIG_REPLY` and `OFPT_SET_CONFIG`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SwitchConfig {
    /// Fragment handling (and any other bits, kept as received).
    pub flags: ConfigFlags,
    /// Bytes of each packet sent to the controller by the table-miss flow (or
    /// `OFPCML_NO_BUFFER`, 0xffff, for the whole packet).
    pub miss_send_len: u16,
}

impl SwitchConfig {
    /// `OFPCML_NO_BUFFER`: send whole packets, do not buffer them.
    pub const NO_BUFFER: u16 = 0xffff;
    /// `OFP_DEFAULT_MISS_SEND_LEN`.
    pub const DEFAULT_MISS_SEND_LEN: u16 = 128;
}

impl Default for SwitchConfig {
    fn default() -> SwitchConfig {
        SwitchConfig {
            flags: ConfigFlags::FRAG_NORMAL,
            miss_send_len: SwitchConfig::DEFAULT_MISS_SEND_LEN,
        }
    }
}

impl Wire for SwitchConfig {
    fn wire_len(&self) -> usize {
        4
    }

    fn emit(&self, out: &mut BytesMut) {
        out.put_u16(self.flags.bits());
        out.put_u16(self.miss_send_len);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        let (i, flags) = in_ctx(Ctx::SwitchConfig, u16_(i))?;
        let (i, miss_send_len) = in_ctx(Ctx::SwitchConfig, u16_(i))?;
        Ok((
            i,
            SwitchConfig {
                flags: ConfigFlags(flags),
                miss_send_len,
            },
        ))
    }
}

impl fmt::Display for SwitchConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            " frags={} miss_send_len={}",
            self.flags.frag_name(),
            self.miss_send_len
        )
    }
}

/// `DESC_STR_LEN`: the size of each description string field.
pub const DESC_STR_LEN: usize = 256;
/// `SERIAL_NUM_LEN`: the size of the serial number field.
pub const SERIAL_NUM_LEN: usize = 32;

/// The body of an `OFPMP_DESC` reply (`ofp_desc`): NUL-padded strings describing the
/// switch. Longer strings are cut on emit so that a NUL always ends each field.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Desc {
    /// Manufacturer description.
    pub mfr_desc: String,
    /// Hardware description.
    pub hw_desc: String,
    /// Software description.
    pub sw_desc: String,
    /// Serial number.
    pub serial_num: String,
    /// Human readable description of the datapath.
    pub dp_desc: String,
}

impl Wire for Desc {
    fn wire_len(&self) -> usize {
        4 * DESC_STR_LEN + SERIAL_NUM_LEN
    }

    fn emit(&self, out: &mut BytesMut) {
        put_fixed_str(out, &self.mfr_desc, DESC_STR_LEN);
        put_fixed_str(out, &self.hw_desc, DESC_STR_LEN);
        put_fixed_str(out, &self.sw_desc, DESC_STR_LEN);
        put_fixed_str(out, &self.serial_num, SERIAL_NUM_LEN);
        put_fixed_str(out, &self.dp_desc, DESC_STR_LEN);
    }

    fn parse<'a>(_src: Src<'_>, i: &'a [u8]) -> PResult<'a, Self> {
        in_ctx(Ctx::Multipart, parse_desc(i))
    }
}

fn parse_desc(i: &[u8]) -> PResult<'_, Desc> {
    let (i, mfr_desc) = fixed_str(i, DESC_STR_LEN)?;
    let (i, hw_desc) = fixed_str(i, DESC_STR_LEN)?;
    let (i, sw_desc) = fixed_str(i, DESC_STR_LEN)?;
    let (i, serial_num) = fixed_str(i, SERIAL_NUM_LEN)?;
    let (i, dp_desc) = fixed_str(i, DESC_STR_LEN)?;
    Ok((
        i,
        Desc {
            mfr_desc,
            hw_desc,
            sw_desc,
            serial_num,
            dp_desc,
        },
    ))
}

impl fmt::Display for Desc {
    /// What `ovs-ofctl` prints after `OFPST_DESC reply (OF1.3) (xid=…):`, from the newline
    /// on.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\nManufacturer: {}\nHardware: {}\nSoftware: {}\nSerial Num: {}\nDP Description: {}",
            fixed_str_text(&self.mfr_desc, DESC_STR_LEN),
            fixed_str_text(&self.hw_desc, DESC_STR_LEN),
            fixed_str_text(&self.sw_desc, DESC_STR_LEN),
            fixed_str_text(&self.serial_num, SERIAL_NUM_LEN),
            fixed_str_text(&self.dp_desc, DESC_STR_LEN)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errcode::{BadRequestCode, ErrorCode, SwitchConfigFailedCode};
    use crate::error::DecodeError;
    use crate::message::{Body, Message};
    use crate::types::Xid;
    use bytes::Bytes;

    /// FEATURES_REPLY, xid 1: dpid 0000505400000001, 256 buffers, 254 tables, auxiliary
    /// id 0, capabilities FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS.
    const FEATURES: [u8; 32] = [
        0x04, 0x06, 0x00, 0x20, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x50, 0x54, 0x00, 0x00, 0x00, 0x01, //
        0x00, 0x00, 0x01, 0x00, 0xfe, 0x00, 0x00, 0x00, //
        0x00, 0x00, 0x00, 0x4f, 0x00, 0x00, 0x00, 0x00,
    ];

    /// SET_CONFIG, xid 1: frags=drop, miss_send_len=128.
    const SET_CONFIG: [u8; 12] = [
        0x04, 0x09, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x80,
    ];

    fn decode(b: &[u8]) -> Result<Message, DecodeError> {
        Message::decode(&Bytes::copy_from_slice(b))
    }

    fn features() -> FeaturesReply {
        FeaturesReply {
            datapath_id: DatapathId(0x5054_0000_0001),
            n_buffers: 256,
            n_tables: 254,
            auxiliary_id: 0,
            capabilities: Capabilities::FLOW_STATS
                | Capabilities::TABLE_STATS
                | Capabilities::PORT_STATS
                | Capabilities::GROUP_STATS
                | Capabilities::QUEUE_STATS,
            reserved: 0,
        }
    }

    fn desc() -> Desc {
        Desc {
            mfr_desc: "Nicira, Inc.".into(),
            hw_desc: "Open vSwitch".into(),
            sw_desc: "3.1.0".into(),
            serial_num: "None".into(),
            dp_desc: "br0".into(),
        }
    }

    #[test]
    fn deconstruct() {
        assert_eq!(
            decode(&FEATURES).unwrap().body,
            Body::FeaturesReply(features())
        );
        assert_eq!(
            decode(&SET_CONFIG).unwrap().body,
            Body::SetConfig(SwitchConfig {
                flags: ConfigFlags::FRAG_DROP,
                miss_send_len: 128
            })
        );
        let mut body = vec![0u8; 1056];
        body[..12].copy_from_slice(b"Nicira, Inc.");
        body[256..268].copy_from_slice(b"Open vSwitch");
        body[512..517].copy_from_slice(b"3.1.0");
        body[768..772].copy_from_slice(b"None");
        body[800..803].copy_from_slice(b"br0");
        assert_eq!(Desc::from_bytes(&Bytes::from(body)).unwrap(), desc());
    }

    #[test]
    fn construct() {
        let m = Message::new(Xid(1), Body::FeaturesReply(features()));
        assert_eq!(&m.encode().unwrap()[..], &FEATURES);
        let m = Message::new(
            Xid(1),
            Body::SetConfig(SwitchConfig {
                flags: ConfigFlags::FRAG_DROP,
                miss_send_len: 128,
            }),
        );
        assert_eq!(&m.encode().unwrap()[..], &SET_CONFIG);
        let b = desc().to_bytes();
        assert_eq!(b.len(), 1056);
        assert_eq!(&b[768..773], b"None\0");
        assert_eq!(&b[800..804], b"br0\0");
    }

    #[test]
    fn round_trip() {
        for b in [&FEATURES[..], &SET_CONFIG] {
            assert_eq!(&decode(b).unwrap().encode().unwrap()[..], b);
        }
        // Unknown capability and config bits survive.
        let f = FeaturesReply {
            capabilities: Capabilities(0xffff_ffff),
            reserved: 7,
            auxiliary_id: 1,
            ..features()
        };
        assert_eq!(FeaturesReply::from_bytes(&f.to_bytes()).unwrap(), f);
        let c = SwitchConfig {
            flags: ConfigFlags(0xff03),
            miss_send_len: SwitchConfig::NO_BUFFER,
        };
        assert_eq!(SwitchConfig::from_bytes(&c.to_bytes()).unwrap(), c);
        assert_eq!(c.flags.frag_name(), "nx-match");
        assert_eq!(Desc::from_bytes(&desc().to_bytes()).unwrap(), desc());
    }

    #[test]
    fn malformed() {
        // A GET_CONFIG_REPLY with three body bytes.
        let e = decode(&[4, 8, 0, 11, 0, 0, 0, 1, 0, 3, 0]).unwrap_err();
        assert_eq!(
            e.ofp_error(),
            ErrorCode::SwitchConfigFailed(SwitchConfigFailedCode::BadLen)
        );
        let mut short = FEATURES[..31].to_vec();
        short[3] = 31;
        let e = decode(&short).unwrap_err();
        assert_eq!(e.ofp_error(), ErrorCode::BadRequest(BadRequestCode::BadLen));
        let e = Desc::from_bytes(&Bytes::from(vec![0u8; 1055])).unwrap_err();
        assert_eq!(e, DecodeError::truncated(Ctx::Multipart));
    }

    /// Expected texts are `ovs-ofctl ofp-print` output for the same bytes.
    #[test]
    fn display_matches_ovs() {
        assert_eq!(
            decode(&FEATURES).unwrap().to_string(),
            "OFPT_FEATURES_REPLY (OF1.3) (xid=0x1): dpid:0000505400000001\n\
             n_tables:254, n_buffers:256\n\
             capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS"
        );
        // 040600200000000100005054000000010000010000010000ffffffffffffffff
        let f = FeaturesReply {
            n_tables: 0,
            auxiliary_id: 1,
            capabilities: Capabilities(0xffff_ffff),
            reserved: 0xffff_ffff,
            ..features()
        };
        assert_eq!(
            Message::new(Xid(1), Body::FeaturesReply(f)).to_string(),
            "OFPT_FEATURES_REPLY (OF1.3) (xid=0x1): dpid:0000505400000001\n\
             n_tables:0, n_buffers:256, auxiliary_id:1\n\
             capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS IP_REASM \
             QUEUE_STATS PORT_BLOCKED"
        );
        // 04060020000000010000505400000001000001000001000000000000000000ff
        let f = FeaturesReply {
            n_tables: 0,
            auxiliary_id: 1,
            capabilities: Capabilities(0),
            reserved: 0xff,
            ..features()
        };
        assert!(
            Message::new(Xid(1), Body::FeaturesReply(f))
                .to_string()
                .ends_with("\ncapabilities: 0")
        );
        assert_eq!(
            decode(&SET_CONFIG).unwrap().to_string(),
            "OFPT_SET_CONFIG (OF1.3) (xid=0x1): frags=drop miss_send_len=128"
        );
        // 0408000c00000001000300ff
        assert_eq!(
            decode(&[4, 8, 0, 12, 0, 0, 0, 1, 0, 3, 0, 0xff])
                .unwrap()
                .to_string(),
            "OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x1): frags=nx-match miss_send_len=255"
        );
        // The lines ovs-ofctl prints after "OFPST_DESC reply (OF1.3) (xid=0x1):".
        assert_eq!(
            desc().to_string(),
            "\nManufacturer: Nicira, Inc.\nHardware: Open vSwitch\nSoftware: 3.1.0\n\
             Serial Num: None\nDP Description: br0"
        );
    }
}
