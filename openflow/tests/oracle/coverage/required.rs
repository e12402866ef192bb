//! The list of kinds the corpora must use, kept apart from the walk that finds them.

use openflow::msg::*;

/// Everything the corpora must use.
pub fn required() -> Vec<String> {
    let mut r: Vec<String> = Vec::new();
    fn add_to(r: &mut Vec<String>, prefix: &str, names: &[&str]) {
        r.extend(names.iter().map(|n| format!("{prefix}{n}")));
    }
    macro_rules! add {
        ($prefix:expr, $names:expr $(,)?) => {
            add_to(&mut r, $prefix, $names)
        };
    }
    add!(
        "Body::",
        &[
            "Hello",
            "Error",
            "EchoRequest",
            "EchoReply",
            "Experimenter",
            "FeaturesRequest",
            "FeaturesReply",
            "GetConfigRequest",
            "GetConfigReply",
            "SetConfig",
            "PacketIn",
            "FlowRemoved",
            "PortStatus",
            "PacketOut",
            "FlowMod",
            "GroupMod",
            "PortMod",
            "TableMod",
            "MultipartRequest",
            "MultipartReply",
            "BarrierRequest",
            "BarrierReply",
            "QueueGetConfigRequest",
            "QueueGetConfigReply",
            "RoleRequest",
            "RoleReply",
            "GetAsyncRequest",
            "GetAsyncReply",
            "SetAsync",
            "MeterMod",
            "Unknown",
        ],
    );
    add!("HelloElement::", &["VersionBitmap", "Unknown"]);
    add!("Experimenter::", &["BundleControl", "BundleAdd", "Other"]);
    add!("BundleProp::", &["Experimenter"]);
    add!(
        "BundleAdd of ",
        &[
            "OFPT_FLOW_MOD",
            "OFPT_PORT_MOD",
            "OFPT_PACKET_OUT",
            "OFPT_GROUP_MOD"
        ],
    );
    add!(
        "ErrorCode::",
        &[
            "HelloFailed",
            "BadRequest",
            "BadAction",
            "BadInstruction",
            "BadMatch",
            "FlowModFailed",
            "GroupModFailed",
            "PortModFailed",
            "TableModFailed",
            "QueueOpFailed",
            "SwitchConfigFailed",
            "RoleRequestFailed",
            "MeterModFailed",
            "TableFeaturesFailed",
            "Experimenter",
            "Unknown",
        ],
    );
    add!("", &["PacketIn unbuffered", "PacketIn buffered"]);
    add!("", &["PacketOut unbuffered", "PacketOut buffered"]);
    add!(
        "",
        &[
            "Bucket watch_port",
            "Bucket watch_group",
            "REQ_MORE",
            "REPLY_MORE"
        ]
    );
    add!(
        "QueueProp::",
        &["MinRate", "MaxRate", "Experimenter", "Unknown"],
    );
    add!(
        "MeterBand::",
        &["Drop", "DscpRemark", "Experimenter", "Unknown"],
    );
    add!(
        "Instruction::",
        &[
            "GotoTable",
            "WriteMetadata",
            "WriteActions",
            "ApplyActions",
            "ClearActions",
            "Meter",
            "Experimenter",
            "Unknown",
        ],
    );
    add!(
        "Action::",
        &[
            "Output",
            "CopyTtlOut",
            "CopyTtlIn",
            "SetMplsTtl",
            "DecMplsTtl",
            "PushVlan",
            "PopVlan",
            "PushMpls",
            "PopMpls",
            "SetQueue",
            "Group",
            "SetNwTtl",
            "DecNwTtl",
            "SetField",
            "PushPbb",
            "PopPbb",
            "Experimenter",
            "Unknown",
        ],
    );
    let maskable = [
        "Metadata",
        "EthDst",
        "EthSrc",
        "VlanVid",
        "Ipv4Src",
        "Ipv4Dst",
        "TcpSrc",
        "TcpDst",
        "UdpSrc",
        "UdpDst",
        "SctpSrc",
        "SctpDst",
        "ArpSpa",
        "ArpTpa",
        "ArpSha",
        "ArpTha",
        "Ipv6Src",
        "Ipv6Dst",
        "Ipv6Flabel",
        "Ipv6NdTarget",
        "Ipv6NdSll",
        "Ipv6NdTll",
        "PbbIsid",
        "TunnelId",
        "Ipv6Exthdr",
        "TunIpv4Src",
        "TunIpv4Dst",
        "Reg",
    ];
    let exact_only = [
        "InPort",
        "InPhyPort",
        "EthType",
        "VlanPcp",
        "IpDscp",
        "IpEcn",
        "IpProto",
        "Icmpv4Type",
        "Icmpv4Code",
        "ArpOp",
        "Icmpv6Type",
        "Icmpv6Code",
        "MplsLabel",
        "MplsTc",
        "MplsBos",
        "Unknown",
    ];
    add!("OxmField::", &maskable);
    add!("OxmField::", &exact_only);
    r.extend(maskable.iter().map(|n| format!("OxmField::{n}/masked")));
    // Every field a set-field may write (OVS refuses in_port, in_phy_port, eth_type,
    // ip_proto, pbb_isid and ipv6_exthdr; mpls_bos is a rejected case).
    r.extend(
        [
            "Metadata",
            "EthDst",
            "EthSrc",
            "VlanVid",
            "VlanPcp",
            "IpDscp",
            "IpEcn",
            "Ipv4Src",
            "Ipv4Dst",
            "TcpSrc",
            "TcpDst",
            "UdpSrc",
            "UdpDst",
            "SctpSrc",
            "SctpDst",
            "Icmpv4Type",
            "Icmpv4Code",
            "ArpOp",
            "ArpSpa",
            "ArpTpa",
            "ArpSha",
            "ArpTha",
            "Ipv6Src",
            "Ipv6Dst",
            "Ipv6Flabel",
            "Icmpv6Type",
            "Icmpv6Code",
            "Ipv6NdTarget",
            "Ipv6NdSll",
            "Ipv6NdTll",
            "MplsLabel",
            "MplsTc",
            "MplsBos",
            "TunnelId",
            "TunIpv4Src",
            "TunIpv4Dst",
            "Reg",
        ]
        .iter()
        .map(|n| format!("set_field {n}")),
    );
    add!(
        "MultipartRequest::",
        &[
            "Desc",
            "Flow",
            "Aggregate",
            "Table",
            "PortStats",
            "Queue",
            "Group",
            "GroupDesc",
            "GroupFeatures",
            "Meter",
            "MeterConfig",
            "MeterFeatures",
            "TableFeatures query",
            "TableFeatures set",
            "PortDesc",
            "Experimenter",
            "Unknown",
        ],
    );
    add!(
        "MultipartReply::",
        &[
            "Desc",
            "Flow",
            "Aggregate",
            "Table",
            "PortStats",
            "Queue",
            "Group",
            "GroupDesc",
            "GroupFeatures",
            "Meter",
            "MeterConfig",
            "MeterFeatures",
            "TableFeatures",
            "PortDesc",
            "Experimenter",
            "Unknown",
        ],
    );
    add!(
        "TableFeatureProp::",
        &[
            "Instructions",
            "InstructionsMiss",
            "NextTables",
            "NextTablesMiss",
            "WriteActions",
            "WriteActionsMiss",
            "ApplyActions",
            "ApplyActionsMiss",
            "Match",
            "Wildcards",
            "WriteSetfield",
            "WriteSetfieldMiss",
            "ApplySetfield",
            "ApplySetfieldMiss",
            "Experimenter",
            "ExperimenterMiss",
            "Unknown",
        ],
    );
    let debug = |v: &dyn core::fmt::Debug| format!("{v:?}");
    r.extend(
        FlowModCommand::ALL
            .iter()
            .map(|c| format!("FlowModCommand::{}", debug(c))),
    );
    r.extend(
        FlowRemovedReason::ALL
            .iter()
            .map(|c| format!("FlowRemovedReason::{}", debug(c))),
    );
    r.extend(
        PacketInReason::ALL
            .iter()
            .map(|c| format!("PacketInReason::{}", debug(c))),
    );
    r.extend(
        PortReason::ALL
            .iter()
            .map(|c| format!("PortReason::{}", debug(c))),
    );
    r.extend(
        GroupModCommand::ALL
            .iter()
            .map(|c| format!("GroupModCommand::{}", debug(c))),
    );
    r.extend(
        GroupType::ALL
            .iter()
            .map(|c| format!("GroupType::{}", debug(c))),
    );
    r.extend(
        MeterModCommand::ALL
            .iter()
            .map(|c| format!("MeterModCommand::{}", debug(c))),
    );
    r.extend(
        ControllerRole::ALL
            .iter()
            .map(|c| format!("ControllerRole::{}", debug(c))),
    );
    r.extend(
        BundleCtrlType::ALL
            .iter()
            .map(|c| format!("BundleCtrlType::{}", debug(c))),
    );
    r.extend(
        FlowModFlags::KNOWN
            .iter()
            .map(|(_, n)| format!("FlowModFlags::{n}")),
    );
    r.extend(
        MeterFlags::KNOWN
            .iter()
            .map(|(_, n)| format!("MeterFlags::{n}")),
    );
    r
}
