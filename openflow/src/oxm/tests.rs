//! The match against Open vSwitch itself: text and bytes recorded from `ovs-ofctl` 3.1
//! (`parse-flow` for flow text, `ofp-print` for bytes we built), so that our `Display`,
//! `from_ofctl` and emitted bytes are checked against what OVS prints and sends.

use super::*;
use crate::testutil::unhex;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Shows a match with a priority, as a flow dump does.
struct WithPriority<'a>(&'a Match, Option<u16>);

impl fmt::Display for WithPriority<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_ofctl(f, self.1)
    }
}

/// Shows a field as the value part of `set_field`.
struct Value<'a>(&'a OxmField);

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_ofctl_value(f)
    }
}

/// (ovs-ofctl input, what `ovs-ofctl -O OpenFlow13 parse-flow` prints, the match bytes it sends),
/// recorded from Open vSwitch 3.1.
const PARSE_FLOW: &[(&str, &str, &str)] = &[
    ("in_port=1", "in_port=1", "0001000c800000040000000100000000"),
    (
        "in_port=LOCAL",
        "in_port=LOCAL",
        "0001000c80000004fffffffe00000000",
    ),
    (
        "in_port=65280",
        "in_port=65280",
        "0001000c80000004ffffff0000000000",
    ),
    (
        "in_port=controller",
        "in_port=CONTROLLER",
        "0001000c80000004fffffffd00000000",
    ),
    (
        "tcp,in_port=1,tp_dst=80",
        "tcp,in_port=1,tp_dst=80",
        "0001001d800000040000000180000a020800800014010680001c020050000000",
    ),
    (
        "tcp,in_port=1,nw_src=10.0.0.0/24,tp_dst=80",
        "tcp,in_port=1,nw_src=10.0.0.0/24,tp_dst=80",
        "00010029800000040000000180000a020800800017080a000000ffffff00800014010680001c02005000000000000000",
    ),
    (
        "ip,nw_src=10.1.2.3/24",
        "ip,nw_src=10.1.2.0/24",
        "0001001680000a020800800017080a010200ffffff000000",
    ),
    (
        "ip,nw_src=10.1.2.3/255.0.255.0",
        "ip,nw_src=10.0.2.0/255.0.255.0",
        "0001001680000a020800800017080a000200ff00ff000000",
    ),
    (
        "ip,nw_dst=192.168.0.1",
        "ip,nw_dst=192.168.0.1",
        "0001001280000a02080080001804c0a80001000000000000",
    ),
    (
        "ip,nw_src=10.0.0.1/32",
        "ip,nw_src=10.0.0.1",
        "0001001280000a020800800016040a000001000000000000",
    ),
    (
        "udp,tp_src=53",
        "udp,tp_src=53",
        "0001001580000a020800800014011180001e020035000000",
    ),
    (
        "udp,tcp_src=53",
        "udp,tp_src=53",
        "0001001580000a020800800014011180001e020035000000",
    ),
    (
        "udp,udp_dst=53",
        "udp,tp_dst=53",
        "0001001580000a0208008000140111800020020035000000",
    ),
    (
        "sctp,sctp_src=1,sctp_dst=2",
        "sctp,tp_src=1,tp_dst=2",
        "0001001b80000a02080080001401848000220200018000240200020000000000",
    ),
    (
        "tcp,tp_dst=0x50/0xfff0",
        "tcp,tp_dst=0x50/0xfff0",
        "0001001780000a020800800014010680001d040050fff000",
    ),
    (
        "tcp6,tp_src=22",
        "tcp6,tp_src=22",
        "0001001580000a0286dd800014010680001a020016000000",
    ),
    (
        "udp6,tp_dst=53",
        "udp6,tp_dst=53",
        "0001001580000a0286dd8000140111800020020035000000",
    ),
    ("sctp6", "sctp6", "0001000f80000a0286dd800014018400"),
    (
        "icmp,icmp_type=8,icmp_code=0",
        "icmp,icmp_type=8,icmp_code=0",
        "0001001980000a02080080001401018000260108800028010000000000000000",
    ),
    (
        "icmp6,icmp_type=135,nd_target=::1",
        "icmp6,icmp_type=135,nd_target=::1",
        "0001002880000a0286dd800014013a80003a018780003e1000000000000000000000000000000001",
    ),
    (
        "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55",
        "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55",
        "0001003280000a0286dd800014013a80003a018780003e10fe80000000000000000000000000000180004006001122334455000000000000",
    ),
    (
        "icmp6,icmp_type=136,nd_target=fe80::1/64,nd_tll=00:11:22:33:44:55",
        "icmp6,icmp_type=136,nd_target=fe80::/64,nd_tll=00:11:22:33:44:55",
        "0001004280000a0286dd800014013a80003a018880003f20fe800000000000000000000000000000ffffffffffffffff000000000000000080004206001122334455000000000000",
    ),
    (
        "icmp6,icmpv6_type=128,icmpv6_code=0",
        "icmp6,icmp_type=128,icmp_code=0",
        "0001001980000a0286dd800014013a80003a018080003c010000000000000000",
    ),
    (
        "ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/32",
        "ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/32",
        "0001004280000a0286dd8000341020010db80000000000000000000000018000372020010db8000000000000000000000000ffffffff000000000000000000000000000000000000",
    ),
    (
        "ipv6,ipv6_src=2001:db8::/ffff:ffff::ff",
        "ipv6,ipv6_src=2001:db8::/ffff:ffff::ff",
        "0001002e80000a0286dd8000352020010db8000000000000000000000000ffffffff0000000000000000000000ff0000",
    ),
    (
        "ipv6,ipv6_label=0x12345",
        "ipv6,ipv6_label=0x12345",
        "0001001280000a0286dd8000380400012345000000000000",
    ),
    (
        "ipv6,ipv6_label=0x12345/0xff",
        "ipv6,ipv6_label=0x00045/0x000ff",
        "0001001680000a0286dd8000390800000045000000ff0000",
    ),
    (
        "ipv6,nw_proto=50",
        "ipv6,nw_proto=50",
        "0001000f80000a0286dd800014013200",
    ),
    (
        "ip,nw_proto=47",
        "ip,nw_proto=47",
        "0001000f80000a020800800014012f00",
    ),
    (
        "ip,nw_tos=184",
        "ip,nw_tos=184",
        "0001000f80000a020800800010012e00",
    ),
    (
        "ip,ip_dscp=46,nw_ecn=3",
        "ip,nw_tos=184,nw_ecn=3",
        "0001001480000a020800800010012e800012010300000000",
    ),
    (
        "ipv6,ip_ecn=1",
        "ipv6,nw_ecn=1",
        "0001000f80000a0286dd800012010100",
    ),
    ("arp", "arp", "0001000a80000a020806000000000000"),
    (
        "arp,arp_op=1",
        "arp,arp_op=1",
        "0001001080000a02080680002a020001",
    ),
    (
        "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/8",
        "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/8",
        "0001001e80000a02080680002c040a00000180002f080a000000ff0000000000",
    ),
    (
        "arp,arp_sha=00:11:22:33:44:55,arp_tha=ff:ff:ff:ff:ff:ff/01:00:00:00:00:00",
        "arp,arp_sha=00:11:22:33:44:55,arp_tha=01:00:00:00:00:00/01:00:00:00:00:00",
        "0001002480000a020806800030060011223344558000330c01000000000001000000000000000000",
    ),
    (
        "rarp,arp_op=3",
        "rarp,arp_op=3",
        "0001001080000a02803580002a020003",
    ),
    (
        "mpls,mpls_label=100",
        "mpls,mpls_label=100",
        "0001001280000a0288478000440400000064000000000000",
    ),
    (
        "mpls,mpls_label=100,mpls_tc=3,mpls_bos=1",
        "mpls,mpls_label=100,mpls_tc=3,mpls_bos=1",
        "0001001c80000a02884780004601038000480101800044040000006400000000",
    ),
    (
        "mplsm,mpls_bos=0",
        "mplsm,mpls_bos=0",
        "0001000f80000a028848800048010000",
    ),
    ("dl_vlan=5", "dl_vlan=5", "0001000a80000c021005000000000000"),
    (
        "dl_vlan=5,dl_vlan_pcp=3",
        "dl_vlan=5,dl_vlan_pcp=3",
        "0001000f80000c02100580000e010300",
    ),
    (
        "dl_vlan_pcp=3",
        "dl_vlan_pcp=3",
        "0001001180000d041000100080000e010300000000000000",
    ),
    (
        "dl_vlan=0xffff",
        "vlan_tci=0x0000/0x1fff",
        "0001000a80000c020000000000000000",
    ),
    (
        "vlan_vid=5",
        "vlan_tci=0x0005/0x1fff",
        "0001000a80000c020005000000000000",
    ),
    (
        "vlan_vid=0x1005",
        "dl_vlan=5",
        "0001000a80000c021005000000000000",
    ),
    (
        "vlan_vid=0x1000/0x1000",
        "vlan_tci=0x1000/0x1000",
        "0001000c80000d041000100000000000",
    ),
    (
        "vlan_tci=0x1005/0x1fff",
        "dl_vlan=5",
        "0001000a80000c021005000000000000",
    ),
    (
        "vlan_tci=0",
        "vlan_tci=0x0000/0x1fff",
        "0001000a80000c020000000000000000",
    ),
    (
        "vlan_tci=0x7005",
        "dl_vlan=5,dl_vlan_pcp=3",
        "0001000f80000c02100580000e010300",
    ),
    (
        "vlan_tci=0x0000/0x1000",
        "vlan_tci=0x0000/0x1000",
        "0001000c80000d040000100000000000",
    ),
    (
        "vlan_pcp=7,vlan_vid=0x1064",
        "dl_vlan=100,dl_vlan_pcp=7",
        "0001000f80000c02106480000e010700",
    ),
    (
        "dl_src=00:11:22:33:44:55",
        "dl_src=00:11:22:33:44:55",
        "0001000e800008060011223344550000",
    ),
    (
        "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
        "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
        "000100148000070c01000000000001000000000000000000",
    ),
    (
        "eth_src=00:11:22:33:44:55/ff:ff:ff:00:00:00,eth_dst=aa:bb:cc:dd:ee:ff",
        "dl_src=00:11:22:00:00:00/ff:ff:ff:00:00:00,dl_dst=aa:bb:cc:dd:ee:ff",
        "0001001e8000090c001122000000ffffff00000080000606aabbccddeeff0000",
    ),
    (
        "dl_type=0x88cc",
        "dl_type=0x88cc",
        "0001000a80000a0288cc000000000000",
    ),
    (
        "eth_type=0x1234",
        "dl_type=0x1234",
        "0001000a80000a021234000000000000",
    ),
    ("dl_type=0x0800", "ip", "0001000a80000a020800000000000000"),
    (
        "dl_type=0x86dd,nw_proto=6",
        "tcp6",
        "0001000f80000a0286dd800014010600",
    ),
    ("reg0=5", "reg0=0x5", "0001000c000100040000000500000000"),
    (
        "reg0=0x5,reg15=0x10/0xff",
        "reg0=0x5,reg15=0x10/0xff",
        "00010018000100040000000500011f0800000010000000ff",
    ),
    ("reg3=0", "reg3=0", "0001000c000106040000000000000000"),
    (
        "metadata=1",
        "metadata=0x1",
        "00010010800004080000000000000001",
    ),
    (
        "metadata=0x1/0xff",
        "metadata=0x1/0xff",
        "0001001880000510000000000000000100000000000000ff",
    ),
    ("tun_id=5", "tun_id=0x5", "0001001080004c080000000000000005"),
    (
        "tun_id=0x5/0xff,tun_src=1.2.3.4,tun_dst=5.6.7.0/24",
        "tun_id=0x5/0xff,tun_src=1.2.3.4,tun_dst=5.6.7.0/24",
        "0001002c80004d10000000000000000500000000000000ff00013e04010203040001410805060700ffffff0000000000",
    ),
    (
        "tunnel_id=0x100",
        "tun_id=0x100",
        "0001001080004c080000000000000100",
    ),
    (
        "in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,dl_type=0x0800,nw_src=1.1.1.1,nw_dst=2.2.2.2,nw_proto=17,tp_src=1,tp_dst=2",
        "udp,in_port=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,nw_src=1.1.1.1,nw_dst=2.2.2.2,tp_src=1,tp_dst=2",
        "000100478000000400000001800008060000000000018000060600000000000280000a02080080001604010101018000180402020202800014011180001e02000180002002000200",
    ),
    (
        "tcp,reg1=1,tun_id=2,metadata=3,in_port=4,dl_vlan=5,dl_src=00:00:00:00:00:06,nw_dst=7.7.7.7,nw_tos=32,tp_dst=8",
        "tcp,reg1=0x1,tun_id=0x2,metadata=0x3,in_port=4,dl_vlan=5,dl_src=00:00:00:00:00:06,nw_dst=7.7.7.7,nw_tos=32,tp_dst=8",
        "0001005a80000004000000048000080600000000000680000a02080080000c02100580001804070707078000100108800014010680001c02000880004c0800000000000000020001020400000001800004080000000000000003000000000000",
    ),
    (
        "ip,in_port=1,nw_ecn=1,nw_tos=4",
        "ip,in_port=1,nw_tos=4,nw_ecn=1",
        "0001001c800000040000000180000a0208008000100101800012010100000000",
    ),
    (
        "ipv6,ipv6_src=::1.2.3.4",
        "ipv6,ipv6_src=::1.2.3.4",
        "0001001e80000a0286dd80003410000000000000000000000000010203040000",
    ),
    (
        "ipv6,ipv6_src=::ffff:1.2.3.4",
        "ipv6,ipv6_src=::ffff:1.2.3.4",
        "0001001e80000a0286dd8000341000000000000000000000ffff010203040000",
    ),
    (
        "ipv6,ipv6_dst=1:0:0:1::1",
        "ipv6,ipv6_dst=1:0:0:1::1",
        "0001001e80000a0286dd80003610000100000000000100000000000000010000",
    ),
    (
        "ipv6,ipv6_dst=1::1:0:0:1",
        "ipv6,ipv6_dst=1::1:0:0:1",
        "0001001e80000a0286dd80003610000100000000000000010000000000010000",
    ),
    (
        "ipv6,ipv6_dst=::",
        "ipv6,ipv6_dst=::",
        "0001001e80000a0286dd80003610000000000000000000000000000000000000",
    ),
    ("tcp,tp_src=*", "tcp", "0001000f80000a020800800014010600"),
    ("tcp,tp_src=80/0", "tcp", "0001000f80000a020800800014010600"),
    (
        "ip,nw_src=0.0.0.0/0",
        "ip",
        "0001000a80000a020800000000000000",
    ),
    (
        "tun_src=1.2.3.4/255.0.255.0",
        "tun_src=1.0.3.0/255.0.255.0",
        "0001001000013f0801000300ff00ff00",
    ),
    (
        "icmp,icmp_type=3,icmp_code=1",
        "icmp,icmp_type=3,icmp_code=1",
        "0001001980000a02080080001401018000260103800028010100000000000000",
    ),
    (
        "icmp,icmp_code=1",
        "icmp,icmp_code=1",
        "0001001480000a0208008000140101800028010100000000",
    ),
    (
        "icmp6,icmp_type=136,icmp_code=0,nd_target=fe80::1",
        "icmp6,icmp_type=136,icmp_code=0,nd_target=fe80::1",
        "0001002d80000a0286dd800014013a80003a018880003c010080003e10fe800000000000000000000000000001000000",
    ),
    (
        "metadata=0",
        "metadata=0",
        "00010010800004080000000000000000",
    ),
    ("tun_id=0", "tun_id=0", "0001001080004c080000000000000000"),
    (
        "tun_id=0/0xff",
        "tun_id=0/0xff",
        "0001001880004d10000000000000000000000000000000ff",
    ),
    (
        "reg7=0xffffffff/0xf0f0f0f0",
        "reg7=0xf0f0f0f0/0xf0f0f0f0",
        "0001001000010f08f0f0f0f0f0f0f0f0",
    ),
    (
        "in_port=4294967040",
        "in_port=65280",
        "0001000c80000004ffffff0000000000",
    ),
    (
        "in_port=65529",
        "in_port=TABLE",
        "0001000c80000004fffffff900000000",
    ),
    (
        "in_port=ANY",
        "in_port=ANY",
        "0001000c80000004ffffffff00000000",
    ),
    (
        "in_port=unset",
        "in_port=UNSET",
        "0001000c80000004fffffff700000000",
    ),
    (
        "tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1024,tp_dst=443",
        "tcp,nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1024,tp_dst=443",
        "0001002b80000a020800800016040a000001800018040a000002800014010680001a02040080001c0201bb0000000000",
    ),
    (
        "udp,in_port=3,dl_vlan=100,nw_dst=224.0.0.0/4,tp_dst=5353",
        "udp,in_port=3,dl_vlan=100,nw_dst=224.0.0.0/4,tp_dst=5353",
        "0001002f800000040000000380000a02080080000c02106480001908e0000000f000000080001401118000200214e900",
    ),
    (
        "arp,in_port=2,dl_src=00:00:00:00:00:01,arp_op=2,arp_tpa=192.168.1.1",
        "arp,in_port=2,dl_src=00:00:00:00:00:01,arp_tpa=192.168.1.1,arp_op=2",
        "0001002a80000004000000028000080600000000000180000a02080680002a02000280002e04c0a80101000000000000",
    ),
    (
        "ipv6,ipv6_src=fe80::/10,nw_tos=8,ipv6_label=0x12345/0xfffff",
        "ipv6,ipv6_src=fe80::/10,ipv6_label=0x12345,nw_tos=8",
        "0001003b80000a0286dd80003520fe800000000000000000000000000000ffc00000000000000000000000000000800010010280003804000123450000000000",
    ),
    (
        "icmp6,in_port=1,icmp_type=136,nd_target=2001:db8::1,nd_tll=00:11:22:33:44:55/ff:ff:ff:ff:ff:00",
        "icmp6,in_port=1,icmp_type=136,nd_target=2001:db8::1,nd_tll=00:11:22:33:44:00/ff:ff:ff:ff:ff:00",
        "00010040800000040000000180000a0286dd800014013a80003a018880003e1020010db80000000000000000000000018000430c001122334400ffffffffff00",
    ),
    (
        "reg0=0x1,reg1=0x2/0xf,reg2=0,reg15=0xffffffff",
        "reg0=0x1,reg1=0x2/0xf,reg2=0,reg15=0xffffffff",
        "00010028000100040000000100010308000000020000000f000104040000000000011e04ffffffff",
    ),
    (
        "dl_type=0x88e7",
        "dl_type=0x88e7",
        "0001000a80000a0288e7000000000000",
    ),
    (
        "ip,dl_src=00:00:00:00:00:01/00:00:00:00:00:01,nw_dst=1.2.3.4/0.0.0.255",
        "ip,dl_src=00:00:00:00:00:01/00:00:00:00:00:01,nw_dst=0.0.0.4/0.0.0.255",
        "000100268000090c00000000000100000000000180000a0208008000190800000004000000ff0000",
    ),
    (
        "tun_id=0x1234567890abcdef,tun_src=10.0.0.1/8",
        "tun_id=0x1234567890abcdef,tun_src=10.0.0.0/8",
        "0001001c80004c081234567890abcdef00013f080a000000ff00000000000000",
    ),
];

/// (match bytes, the match as `ovs-ofctl ofp-print` prints it in a FLOW_MOD), Open vSwitch 3.1.
const OFP_PRINT_MATCH: &[(&str, &str)] = &[
    (
        "0001001d80000a020800800014010680001c0200508000000400000001000000",
        "tcp,in_port=1,tp_dst=80",
    ),
    (
        "0001000f80000c02100580000e010300",
        "dl_vlan=5,dl_vlan_pcp=3",
    ),
    (
        "0001001180000d041000100080000e010500000000000000",
        "dl_vlan_pcp=5",
    ),
    ("0001000c80000d041000100000000000", "vlan_tci=0x1000/0x1000"),
    ("0001000a80000c020000000000000000", "vlan_tci=0x0000/0x1fff"),
    ("0001000c80000d0400050fff00000000", "vlan_tci=0x0005/0x0fff"),
    ("0001000c80000004fffffff700000000", "in_port=UNSET"),
    ("0001000c80000004ffffff0500000000", "in_port=65285"),
    ("0001000c80000004ffffff0000000000", "in_port=65280"),
    ("0001000c80000004fffffffd00000000", "in_port=CONTROLLER"),
    (
        "0001001f80000a020800800014010680001d040050fff080001b040000000000",
        "tcp,tp_dst=0x50/0xfff0",
    ),
    (
        "0001003280000a0286dd800014013a80003a018780003e10fe80000000000000000000000000000180004006001122334455000000000000",
        "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55",
    ),
    (
        "0001004280000a0286dd80003410000000000000000000000000010203048000372020010db8000000000000000000000000ffffffff0000ffff0000000000000000000000000000",
        "ipv6,ipv6_src=::1.2.3.4,ipv6_dst=2001:db8::/ffff:ffff:0:ffff::",
    ),
    (
        "0001001680000a0286dd8000390800012345000fffff0000",
        "ipv6,ipv6_label=0x12345",
    ),
    (
        "0001002880000a02080680002a02000280002c040a0000018000310c000001000000ffffff000000",
        "arp,arp_spa=10.0.0.1,arp_op=2,arp_sha=00:00:01:00:00:00/ff:ff:ff:00:00:00",
    ),
    (
        "0001001c80000a02884780004404000fffff8000460107800048010100000000",
        "mpls,mpls_label=1048575,mpls_tc=7,mpls_bos=1",
    ),
    (
        "000100148000070c0180c2000000fffffffffff000000000",
        "dl_dst=01:80:c2:00:00:00/ff:ff:ff:ff:ff:f0",
    ),
    (
        "00010038800005100000000000001234000000000000ffff80004c080000000000abcdef00013e04010101010001410802020200ffffff00",
        "tun_id=0xabcdef,tun_src=1.1.1.1,tun_dst=2.2.2.0/24,metadata=0x1234/0xffff",
    ),
    (
        "00010018000100040000000000011f0800000012000000ff",
        "reg0=0,reg15=0x12/0xff",
    ),
    (
        "0001001480000a020800800010012e800012010200000000",
        "ip,nw_tos=184,nw_ecn=2",
    ),
    (
        "0001001980000a02080080001401018000280103800026010800000000000000",
        "icmp,icmp_type=8,icmp_code=3",
    ),
    (
        "0001001b80000a02080080001401848000220200058000240200060000000000",
        "sctp,tp_src=5,tp_dst=6",
    ),
    (
        "0001001580000a0208008000140111800020020035000000",
        "udp,tp_dst=53",
    ),
    ("0001000a80000a0288cc000000000000", "dl_type=0x88cc"),
    ("0001000400000000", ""),
    (
        "000100148000090c00000000000001000000000000000000",
        "dl_src=00:00:00:00:00:00/01:00:00:00:00:00",
    ),
    (
        "0001001680000a020800800017080a000000ff00ff000000",
        "ip,nw_src=10.0.0.0/255.0.255.0",
    ),
];

/// (OXM TLV, the SET_FIELD action carrying it as `ovs-ofctl ofp-print` prints it), OVS 3.1.
const OFP_PRINT_SET_FIELD: &[(&str, &str)] = &[
    ("800004080000000000000005", "set_field:0x5->metadata"),
    ("800004080000000000000000", "set_field:0->metadata"),
    (
        "80000606001122334455",
        "set_field:00:11:22:33:44:55->eth_dst",
    ),
    (
        "80000806001122334455",
        "set_field:00:11:22:33:44:55->eth_src",
    ),
    ("80000c021005", "set_field:4101->vlan_vid"),
    ("80000e0103", "set_field:3->vlan_pcp"),
    ("800010012e", "set_field:46->ip_dscp"),
    ("8000120101", "set_field:1->nw_ecn"),
    ("800016040a000001", "set_field:10.0.0.1->ip_src"),
    ("800018040a000001", "set_field:10.0.0.1->ip_dst"),
    ("80001a020050", "set_field:80->tcp_src"),
    ("80001c020050", "set_field:80->tcp_dst"),
    ("80001e020035", "set_field:53->udp_src"),
    ("800020020035", "set_field:53->udp_dst"),
    ("800022020001", "set_field:1->sctp_src"),
    ("800024020002", "set_field:2->sctp_dst"),
    ("8000260108", "set_field:8->icmp_type"),
    ("8000280100", "set_field:0->icmp_code"),
    ("80002a020001", "set_field:1->arp_op"),
    ("80002c0401020304", "set_field:1.2.3.4->arp_spa"),
    ("80002e0401020304", "set_field:1.2.3.4->arp_tpa"),
    (
        "80003006001122334455",
        "set_field:00:11:22:33:44:55->arp_sha",
    ),
    (
        "80003206001122334455",
        "set_field:00:11:22:33:44:55->arp_tha",
    ),
    (
        "80003410fe800000000000000000000000000001",
        "set_field:fe80::1->ipv6_src",
    ),
    (
        "8000361000000000000000000000000001020304",
        "set_field:::1.2.3.4->ipv6_dst",
    ),
    ("8000380400012345", "set_field:0x12345->ipv6_label"),
    ("80003a0187", "set_field:135->icmpv6_type"),
    ("80003c0100", "set_field:0->icmpv6_code"),
    (
        "80003e10fe800000000000000000000000000001",
        "set_field:fe80::1->nd_target",
    ),
    (
        "80004006001122334455",
        "set_field:00:11:22:33:44:55->nd_sll",
    ),
    (
        "80004206001122334455",
        "set_field:00:11:22:33:44:55->nd_tll",
    ),
    ("8000440400000064", "set_field:100->mpls_label"),
    ("8000460103", "set_field:3->mpls_tc"),
    ("80004c080000000000000005", "set_field:0x5->tun_id"),
    ("00013e0401020304", "set_field:1.2.3.4->tun_src"),
    ("0001400401020304", "set_field:1.2.3.4->tun_dst"),
    ("0001060400000005", "set_field:0x5->reg3"),
    ("0001000400000000", "set_field:0->reg0"),
];

#[test]
fn flow_text_parses_prints_and_encodes_as_ovs_does() {
    for &(input, printed, bytes) in PARSE_FLOW {
        let m = Match::from_ofctl(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(m.to_string(), printed, "text of {input}");
        assert_eq!(hex(&m.to_bytes()), bytes, "bytes of {input}");
        let decoded = Match::from_bytes(&unhex(bytes)).unwrap();
        assert_eq!(decoded, m, "{input}");
        // OVS also takes ARP fields in RARP matches; the spec wants ARP.
        if !input.starts_with("rarp") {
            assert_eq!(decoded.check_prerequisites(), Ok(()), "{input}");
        }
        // What OVS prints reads back to the same match.
        let again = Match::from_ofctl(printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
        assert_eq!(again, m, "{printed}");
    }
}

#[test]
fn matches_print_as_ofp_print_shows_them() {
    for &(bytes, printed) in OFP_PRINT_MATCH {
        let frame = unhex(bytes);
        let m = Match::from_bytes(&frame).unwrap();
        assert_eq!(m.to_string(), printed, "{bytes}");
        assert_eq!(m.to_bytes(), frame);
    }
}

#[test]
fn set_field_values_and_names_print_as_ofp_print_shows_them() {
    for &(bytes, printed) in OFP_PRINT_SET_FIELD {
        let f = OxmField::from_bytes(&unhex(bytes)).unwrap();
        let text = format!("set_field:{}->{}", Value(&f), f.ofctl_name());
        assert_eq!(text, printed, "{bytes}");
        // And `set_field:VALUE->NAME` text gives the field back.
        let (value, name) = printed["set_field:".len()..].split_once("->").unwrap();
        assert_eq!(
            parse_ofctl_field(name, Some(value)),
            Ok(Some(vec![f.clone()])),
            "{printed}"
        );
    }
}

#[test]
fn priority_comes_first_unless_it_is_the_default() {
    let m = Match::from_ofctl("tcp,in_port=1,tp_dst=80").unwrap();
    let shown = |p| WithPriority(&m, p).to_string();
    assert_eq!(shown(Some(10)), "priority=10,tcp,in_port=1,tp_dst=80");
    assert_eq!(shown(Some(0)), "priority=0,tcp,in_port=1,tp_dst=80");
    assert_eq!(shown(Some(0x8000)), "tcp,in_port=1,tp_dst=80");
    assert_eq!(shown(None), "tcp,in_port=1,tp_dst=80");
    let empty = Match::new();
    assert_eq!(WithPriority(&empty, Some(10)).to_string(), "priority=10");
    assert_eq!(WithPriority(&empty, None).to_string(), "");
}

#[test]
fn fields_print_as_name_equals_value() {
    assert_eq!(OxmField::TcpDst(80, None).to_string(), "tcp_dst=80");
    assert_eq!(OxmField::Reg(0, 5, Some(0xff)).to_string(), "reg0=0x5/0xff");
    assert_eq!(
        OxmField::Ipv4Src(
            Ipv4Addr::new(10, 0, 0, 0),
            Some(Ipv4Addr::new(255, 255, 255, 0))
        )
        .to_string(),
        "ip_src=10.0.0.0/24"
    );
    assert_eq!(OxmField::Metadata(1, Some(0)).to_string(), "metadata=ANY");
    assert_eq!(OxmField::TunnelId(0, None).to_string(), "tun_id=0");
    assert_eq!(
        OxmField::PbbIsid(0x1234, None).to_string(),
        "pbb_isid=0x1234"
    );
    assert_eq!(
        OxmField::InPort(PortNo(0xffff_fff7)).to_string(),
        "in_port=UNSET"
    );
    let raw = OxmField::Unknown(RawOxm {
        header: 0xffff_0108,
        payload: Bytes::from_static(&[0, 0, 0x23, 0x20, 0, 0, 0, 1]),
    });
    assert_eq!(raw.to_string(), "unknown_oxm=0xffff0108:0000232000000001");
}

#[test]
fn fields_ovs_does_not_know_print_and_parse_back() {
    let m = Match::new()
        .with(OxmField::InPort(PortNo(1)))
        .with(OxmField::InPhyPort(PortNo(2)))
        .with(OxmField::EthType(0x88e7))
        .with(OxmField::PbbIsid(0x123, None))
        .with(OxmField::Unknown(RawOxm {
            header: 0xffff_0108,
            payload: Bytes::from_static(&[0, 0, 0x23, 0x20, 0, 0, 0, 1]),
        }));
    let text = "in_port=1,in_phy_port=2,dl_type=0x88e7,pbb_isid=0x123,\
                unknown_oxm=0xffff0108:0000232000000001";
    assert_eq!(m.to_string(), text);
    assert_eq!(Match::from_ofctl(text), Ok(m.clone()));
    assert_eq!(m.validate(), Ok(()));
    let v6 = Match::from_ofctl("ipv6,ipv6_exthdr=0x40/0x40").unwrap();
    assert_eq!(v6.to_string(), "ipv6,ipv6_exthdr=0x40/0x40");
    assert_eq!(v6.fields[1], OxmField::Ipv6Exthdr(0x40, Some(0x40)));
}

#[test]
fn fields_out_of_context_are_still_shown() {
    // OVS would refuse these matches; we still show every field.
    let m = Match::new()
        .with(OxmField::Ipv6Src("::1".parse().unwrap(), None))
        .with(OxmField::TcpDst(80, None))
        .with(OxmField::ArpSha(MacAddr::BROADCAST, None));
    assert_eq!(
        m.to_string(),
        "ipv6_src=::1,tp_dst=80,arp_sha=ff:ff:ff:ff:ff:ff"
    );
    let m = Match::new()
        .with(OxmField::EthType(0x0800))
        .with(OxmField::Ipv6NdTarget("fe80::1".parse().unwrap(), None));
    assert_eq!(m.to_string(), "ip,nd_target=fe80::1");
}

#[test]
fn shared_slots_follow_the_protocol() {
    // `tp_dst`/`tcp_dst` name the transport port; the protocol decides the OXM field.
    let m = Match::from_ofctl("udp,tcp_dst=53").unwrap();
    assert_eq!(m.fields[2], OxmField::UdpDst(53, None));
    let m = Match::from_ofctl("sctp6,tp_src=9").unwrap();
    assert_eq!(m.fields[2], OxmField::SctpSrc(9, None));
    let m = Match::from_ofctl("icmp6,icmp_type=135,arp_sha=00:00:00:00:00:01").unwrap();
    assert_eq!(
        m.fields[3],
        OxmField::Ipv6NdSll(MacAddr([0, 0, 0, 0, 0, 1]), None)
    );
    let m = Match::from_ofctl("arp,nw_src=1.2.3.4,nw_proto=1").unwrap();
    assert_eq!(m.fields[1], OxmField::ArpOp(1));
    assert_eq!(
        m.fields[2],
        OxmField::ArpSpa(Ipv4Addr::new(1, 2, 3, 4), None)
    );
    // Later items override earlier ones, as in OVS.
    let m = Match::from_ofctl("tcp,tp_dst=80,tp_dst=81").unwrap();
    assert_eq!(m.to_string(), "tcp,tp_dst=81");
    // A wildcard item adds nothing (it does not undo an earlier item, as it would in OVS).
    let m = Match::from_ofctl("tcp,tp_dst=*").unwrap();
    assert_eq!(m.to_string(), "tcp");
}

#[test]
fn keys_and_synonyms() {
    let one = |k: &str, v: &str| parse_ofctl_field(k, Some(v)).unwrap().unwrap();
    let mac = MacAddr([0, 0x11, 0x22, 0x33, 0x44, 0x55]);
    for k in ["dl_src", "eth_src"] {
        assert_eq!(one(k, "00:11:22:33:44:55"), [OxmField::EthSrc(mac, None)]);
    }
    for k in ["dl_type", "eth_type"] {
        assert_eq!(one(k, "0x0806"), [OxmField::EthType(0x0806)]);
    }
    for k in ["nw_src", "ip_src"] {
        assert_eq!(
            one(k, "10.0.0.1/8"),
            [OxmField::Ipv4Src(
                Ipv4Addr::new(10, 0, 0, 0),
                Some(Ipv4Addr::new(255, 0, 0, 0))
            )]
        );
    }
    for k in ["nw_proto", "ip_proto"] {
        assert_eq!(one(k, "17"), [OxmField::IpProto(17)]);
    }
    for k in ["tp_src", "tcp_src"] {
        assert_eq!(
            one(k, "0x50/0xfff0"),
            [OxmField::TcpSrc(0x50, Some(0xfff0))]
        );
    }
    for k in ["nw_ecn", "ip_ecn"] {
        assert_eq!(one(k, "2"), [OxmField::IpEcn(2)]);
    }
    for k in ["tun_id", "tunnel_id"] {
        assert_eq!(one(k, "0x10"), [OxmField::TunnelId(0x10, None)]);
    }
    assert_eq!(one("nw_tos", "184"), [OxmField::IpDscp(46)]);
    assert_eq!(one("ip_dscp", "46"), [OxmField::IpDscp(46)]);
    assert_eq!(one("dl_vlan", "5"), [OxmField::VlanVid(0x1005, None)]);
    assert_eq!(one("dl_vlan", "0xffff"), [OxmField::VlanVid(0, None)]);
    assert_eq!(one("vlan_vid", "0x1005"), [OxmField::VlanVid(0x1005, None)]);
    for k in ["dl_vlan_pcp", "vlan_pcp"] {
        assert_eq!(one(k, "3"), [OxmField::VlanPcp(3)]);
    }
    assert_eq!(
        one("vlan_tci", "0x7005"),
        [OxmField::VlanVid(0x1005, None), OxmField::VlanPcp(3)]
    );
    assert_eq!(one("in_port", "LOCAL"), [OxmField::InPort(PortNo::LOCAL)]);
    assert_eq!(
        one("in_port", "controller"),
        [OxmField::InPort(PortNo::CONTROLLER)]
    );
    assert_eq!(one("in_port", "none"), [OxmField::InPort(PortNo::ANY)]);
    assert_eq!(
        one("in_port", "65533"),
        [OxmField::InPort(PortNo::CONTROLLER)]
    );
    assert_eq!(one("reg7", "1"), [OxmField::Reg(7, 1, None)]);
    assert_eq!(one("metadata", "010"), [OxmField::Metadata(8, None)]);
    assert_eq!(one("icmp_type", "8"), [OxmField::Icmpv4Type(8)]);
    assert_eq!(one("icmpv6_code", "4"), [OxmField::Icmpv6Code(4)]);
    assert_eq!(
        one("nd_target", "fe80::/10"),
        [OxmField::Ipv6NdTarget(
            "fe80::".parse().unwrap(),
            Some("ffc0::".parse().unwrap())
        )]
    );
    assert_eq!(one("mpls_label", "1048575"), [OxmField::MplsLabel(0xfffff)]);
    // Full masks are no masks; empty masks, `*` and missing values match anything.
    assert_eq!(one("reg0", "5/0xffffffff"), [OxmField::Reg(0, 5, None)]);
    assert_eq!(one("eth_type", "0x800/0xffff"), [OxmField::EthType(0x800)]);
    assert_eq!(one("reg0", "5/0"), []);
    assert_eq!(one("tp_dst", "*"), []);
    assert_eq!(parse_ofctl_field("tp_dst", None), Ok(Some(vec![])));
    // Shorthands.
    assert_eq!(
        parse_ofctl_field("tcp6", None),
        Ok(Some(vec![OxmField::EthType(0x86dd), OxmField::IpProto(6)]))
    );
    assert_eq!(
        parse_ofctl_field("rarp", None),
        Ok(Some(vec![OxmField::EthType(0x8035)]))
    );
    // Not match fields.
    for k in [
        "priority", "actions", "reg16", "reg01", "cookie", "nw_ttl", "TCP",
    ] {
        assert_eq!(parse_ofctl_field(k, Some("1")), Ok(None), "{k}");
    }
}

#[test]
fn bad_text_is_a_syntax_error_naming_key_and_value() {
    let cases = [
        ("tcp,tp_dst=65536", "tp_dst=65536"),
        ("ip,nw_proto=256", "nw_proto=256"),
        ("ip,nw_src=1.2.3", "nw_src=1.2.3"),
        ("ip,nw_src=1.2.3.4/33", "nw_src=1.2.3.4/33"),
        ("ipv6,ipv6_src=1::2::3", "ipv6_src=1::2::3"),
        ("dl_src=00:11:22:33:44", "dl_src=00:11:22:33:44"),
        ("in_port=0xfff8", "in_port=0xfff8"),
        ("in_port=70000", "in_port=70000"),
        ("in_port=1/1", "in_port=1/1"),
        ("eth_type=0x800/0xff00", "invalid mask for field eth_type"),
        ("ip,nw_tos=3", "nw_tos=3"),
        ("dl_vlan=4096", "dl_vlan=4096"),
        ("vlan_pcp=8", "vlan_pcp=8"),
        ("ipv6,ipv6_label=0x100000", "ipv6_label=0x100000"),
        ("mpls,mpls_bos=2", "mpls_bos=2"),
        ("reg0=0x100000000", "reg0=0x100000000"),
        ("unknown_oxm=0x80005804:00", "unknown_oxm=0x80005804:00"),
        ("tp_dst=80", "tp_dst: prerequisites not met"),
        ("ip,tp_dst=80", "tp_dst: prerequisites not met"),
        ("nw_src=1.2.3.4", "nw_src: prerequisites not met"),
        ("ip,ipv6_src=::1", "ipv6_src: prerequisites not met"),
        ("arp,nw_tos=4", "nw_tos: prerequisites not met"),
        ("mpls_label=5", "mpls_label: prerequisites not met"),
        (
            "icmp6,icmp_type=128,nd_target=::1",
            "nd_target: prerequisites not met",
        ),
        (
            "icmp6,icmp_type=136,nd_sll=00:00:00:00:00:01",
            "nd_sll: prerequisites not met",
        ),
        ("pbb_isid=1", "pbb_isid: prerequisites not met"),
        ("in_phy_port=1", "in_phy_port: prerequisites not met"),
        ("icmp,icmp_type=0x100/0xff00", "icmp_type"),
        ("frobnicate=1", "frobnicate: unknown match field"),
    ];
    for (text, needle) in cases {
        let e = Match::from_ofctl(text).unwrap_err();
        assert!(e.message.contains(needle), "{text}: {e}");
    }
}
