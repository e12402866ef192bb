//! `FlowMod::from_ofctl` against `ovs-ofctl parse-flows`: for the same flow text, OVS's
//! flow mod (as it prints it) must equal ours, so the corpus built from text means what OVS
//! would mean.

use std::io::Write as _;
use std::process::{Command, Stdio};

use openflow::msg::{FlowMod, FlowModCommand};
use openflow::{Body, Message, Xid};

use super::normalize;

/// Flow texts in `ovs-ofctl add-flow` syntax.
pub const FLOWS: &[&str] = &[
    "actions=drop",
    "priority=0,actions=CONTROLLER:65535",
    "priority=10,tcp,nw_src=10.0.0.0/8,tp_dst=80,actions=output:1",
    "table=1,arp,arp_tpa=10.0.0.1,actions=NORMAL",
    "udp6,ipv6_dst=2001:db8::/32,udp_dst=53,actions=set_field:2001:db8::1->ipv6_dst,output:3",
    "in_port=1,dl_vlan=10,actions=strip_vlan,goto_table:2",
    "tun_id=0x10,reg3=0x5/0xff,actions=meter:3,write_metadata:0x1/0x1,goto_table:4",
    "cookie=0x1234,idle_timeout=10,hard_timeout=60,send_flow_rem,check_overlap,ip,actions=drop",
    "dl_src=00:11:22:33:44:55,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=FLOOD",
    "dl_type=0x88cc,actions=CONTROLLER:128",
    "vlan_tci=0x1000/0x1000,actions=pop_vlan,output:2",
    "vlan_tci=0,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:3",
    "dl_vlan=100,dl_vlan_pcp=3,actions=mod_vlan_pcp:5,output:1",
    "ip,nw_tos=32,nw_ecn=1,actions=mod_nw_tos:64,dec_ttl,output:2",
    "tcp,tp_src=0x400/0xfc00,actions=mod_tp_src:1000,output:1",
    "udp,udp_src=68,udp_dst=67,actions=CONTROLLER",
    "sctp,sctp_dst=3868,actions=output:4",
    "icmp,icmp_type=8,icmp_code=0,actions=set_field:0->icmp_type,IN_PORT",
    "arp,arp_op=1,arp_spa=192.168.0.0/16,arp_sha=52:54:00:00:00:00/ff:ff:ff:00:00:00,actions=LOCAL",
    "rarp,actions=ALL",
    "ipv6,ipv6_src=fe80::/10,ipv6_label=0x12345,actions=drop",
    "icmp6,icmp_type=135,nd_target=2001:db8::1,nd_sll=52:54:00:00:00:01,actions=NORMAL",
    "icmp6,icmp_type=136,nd_target=2001:db8::1,nd_tll=52:54:00:00:00:02,actions=NORMAL",
    "mpls,mpls_label=100,mpls_tc=3,mpls_bos=1,actions=pop_mpls:0x0800,output:1",
    "ip,actions=push_mpls:0x8847,set_field:10->mpls_label,output:2",
    "metadata=0x1/0x1,actions=goto_table:5",
    "reg0=1,reg15=0xffffffff,actions=set_field:0x5->reg1,output:1",
    "tun_src=10.0.0.1,tun_dst=10.0.0.0/8,actions=set_field:10.0.0.2->tun_dst,output:7",
    "ip,actions=set_queue:1,group:2",
    "ip,actions=clear_actions,write_actions(set_queue:1,output:2)",
    "priority=65535,in_port=LOCAL,actions=output:1",
    "in_port=CONTROLLER,actions=TABLE",
    "ip,nw_dst=10.0.0.1,actions=mod_nw_dst:10.0.0.2,mod_dl_dst:00:00:00:00:00:02,output:2",
    "ipv6,actions=set_field:2001:db8::5->ipv6_src,set_field:0x1->ipv6_label",
    "table=254,priority=1,actions=drop",
    "tcp6,tp_dst=443,actions=output:1",
    "ip,actions=mod_nw_ttl:3,output:1",
    "mpls,actions=set_mpls_ttl:10,dec_mpls_ttl,output:1",
    "dl_type=0x8847,mpls_label=5,actions=set_mpls_label:6,set_mpls_tc:1,output:1",
];

/// Flow texts using Open vSwitch extension fields the crate does not model (OVS sends them
/// as Nicira OXM fields): `FlowMod::from_ofctl` refuses them.
pub const UNSUPPORTED: &[&str] = &[
    "ip,nw_ttl=64,actions=drop",
    "tcp,tcp_flags=+syn-ack,actions=drop",
    "udp,nw_frag=first,actions=drop",
    "ct_state=+trk,actions=drop",
    "pkt_mark=5,actions=drop",
];

/// Our flow mods for [`FLOWS`] against OVS's; returns every problem.
pub fn problems() -> Vec<String> {
    let mut input = String::new();
    for f in FLOWS {
        input.push_str(f);
        input.push('\n');
    }
    let bin = std::env::var("OVS_OFCTL").unwrap_or_else(|_| "ovs-ofctl".to_string());
    let mut child = Command::new(&bin)
        .args(["-O", "OpenFlow13", "parse-flows", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run `{bin}` ({e}): these tests need ovs-ofctl"));
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("ovs-ofctl runs");
    writer
        .join()
        .expect("writer")
        .expect("ovs-ofctl reads its input");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ovs-ofctl parse-flows failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("OFPT_FLOW_MOD"))
        .collect();
    assert_eq!(
        theirs.len(),
        FLOWS.len(),
        "ovs-ofctl parse-flows output:\n{stdout}"
    );

    let mut problems = Vec::new();
    for text in UNSUPPORTED {
        if let Ok(fm) = FlowMod::from_ofctl(text, FlowModCommand::Add) {
            problems.push(format!(
                "[{text}] listed as unsupported but parses (to {fm:?}): move it to FLOWS"
            ));
        }
    }
    for (n, (text, theirs)) in FLOWS.iter().zip(theirs).enumerate() {
        match FlowMod::from_ofctl(text, FlowModCommand::Add) {
            Err(e) => problems.push(format!("[{text}] FlowMod::from_ofctl refuses it: {e}")),
            Ok(fm) => {
                let ours = Message::new(Xid(n as u32 + 1), Body::FlowMod(fm)).to_string();
                if normalize(&ours) != normalize(theirs) {
                    problems.push(format!("[{text}]\n    ours {ours}\n    ovs  {theirs}"));
                }
            }
        }
    }
    problems
}
