//! Live, against real Open vSwitch: each test starts its own isolated `ovs-vswitchd`
//! (userspace datapath, `ops/ovs/sandbox.sh`; installed by `ops/ovs/install.sh`), records a
//! fresh session byte for byte, and checks that every captured message decodes, re-encodes
//! to the same bytes and decodes again to an equal `Message`. A switch that cannot start is
//! a failure, never a skip.

mod support;

use std::net::TcpListener;
use std::time::Duration;

use support::capture::{Addr, ControllerSession, Proxy, Recorder, ofp};
use support::families::count_families;
use support::{Sandbox, failure_report, round_trip_all};

const WAIT: Duration = Duration::from_secs(10);

/// Ethernet/IPv4/UDP, 46 bytes.
const PKT_UDP: &str = "0000000000010000000000020800450000200000000040117cda0a0000010a00000200350035\
                       00000000deadbeef";

fn assert_round_trips(rec: &Recorder, what: &str, at_least: usize) {
    let msgs = rec.messages();
    assert!(
        msgs.len() >= at_least,
        "{what}: only {} messages captured",
        msgs.len()
    );
    let (n, failures) = round_trip_all(
        msgs.iter()
            .enumerate()
            .map(|(i, (d, b))| (format!("{what} message {i} ({})", d.tag()), b.as_slice())),
    );
    assert!(
        failures.is_empty(),
        "{what}: {}",
        failure_report(n, &failures)
    );
}

fn assert_has_families(rec: &Recorder, families: &[&str]) {
    let msgs = rec.messages();
    let counts = count_families(msgs.iter().map(|(_, b)| b.as_slice()));
    for f in families {
        assert!(counts.contains_key(*f), "no {f} captured; got {counts:?}");
    }
}

#[test]
fn live_ofctl_session_through_the_recording_proxy() {
    let sb = Sandbox::start_dummy();
    let mgmt = sb.add_bridge("br0", 0x10);
    sb.add_port("br0", "p1", 1);
    sb.add_port("br0", "p2", 2);
    let rec = Recorder::in_memory();
    let listen = Addr::Unix(sb.dir.join("proxy.sock"));
    let proxy = Proxy::start(&listen, Addr::Unix(mgmt), rec.clone()).expect("start proxy");
    let sw = proxy.addr().to_string();
    let sw = sw.as_str();

    let commands: &[&[&str]] = &[
        &["show", sw],
        &["dump-desc", sw],
        &["get-frags", sw],
        &[
            "add-group",
            sw,
            "group_id=1,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:2",
        ],
        &[
            "add-group",
            sw,
            "group_id=2,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2",
        ],
        &[
            "add-meter",
            sw,
            "meter=1,kbps,burst,stats,band=type=drop,rate=1000,burst_size=100",
        ],
        &[
            "add-flow",
            sw,
            "table=0,priority=10,tcp,nw_src=10.0.0.0/8,tp_dst=80,actions=set_field:00:00:00:00:00:01->eth_dst,output:2",
        ],
        &[
            "add-flow",
            sw,
            "table=0,priority=20,in_port=1,dl_vlan=10,actions=pop_vlan,write_metadata:0x1/0xff,goto_table:1",
        ],
        &[
            "add-flow",
            sw,
            "table=1,priority=5,ipv6,ipv6_dst=2001:db8::/32,actions=group:1",
        ],
        &[
            "add-flow",
            sw,
            "table=1,priority=6,reg0=0x5,actions=meter:1,resubmit(,2)",
        ],
        &[
            "add-flow",
            sw,
            "table=2,priority=7,arp,arp_tpa=10.0.0.1,actions=push_vlan:0x8100,set_field:4097->vlan_vid,group:2",
        ],
        &[
            "--bundle",
            "add-flow",
            sw,
            "table=3,priority=1,actions=drop",
        ],
        &["mod-flows", sw, "table=0,tcp,actions=output:1"],
        &["--strict", "del-flows", sw, "table=3,priority=1"],
        &[
            "packet-out",
            sw,
            &format!("in_port=controller packet={PKT_UDP} actions=output:1"),
        ],
        &["dump-flows", sw],
        &["dump-aggregate", sw],
        &["dump-tables", sw],
        &["dump-ports", sw],
        &["dump-ports-desc", sw],
        &["dump-groups", sw],
        &["dump-group-stats", sw],
        &["dump-group-features", sw],
        &["dump-meters", sw],
        &["meter-stats", sw],
        &["meter-features", sw],
        &["queue-get-config", sw],
        &["mod-port", sw, "2", "no-flood"],
    ];
    for c in commands {
        sb.ofctl(c);
    }
    // Refused by the switch: a flow to a group that does not exist.
    let refused = sb.ofctl_output(&["add-flow", sw, "table=0,priority=1,actions=group:99"]);
    assert!(
        !refused.status.success(),
        "a flow to a missing group was accepted"
    );
    drop(proxy);

    assert_has_families(
        &rec,
        &[
            "OFPT_FEATURES_REPLY",
            "OFPT_FLOW_MOD",
            "OFPT_GROUP_MOD",
            "OFPT_METER_MOD",
            "OFPT_PACKET_OUT",
            "OFPT_PORT_MOD",
            "OFPT_ERROR",
            "OFPMP_FLOW reply",
            "OFPMP_PORT_DESC reply",
            "OFPMP_GROUP_DESC reply",
            "OFPMP_METER_CONFIG reply",
            "OFPT_EXPERIMENTER ONFT_BUNDLE_ADD_MESSAGE (0x4f4e4600/2301)",
        ],
    );
    assert_round_trips(&rec, "ovs-ofctl session", 100);
}

#[test]
fn live_controller_session() {
    let sb = Sandbox::start_dummy();
    let mgmt = sb.add_bridge("br0", 0x20);
    let mgmt = format!("unix:{}", mgmt.display());
    sb.add_port("br0", "p1", 1);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind controller port");
    let port = listener.local_addr().expect("local addr").port();
    sb.vsctl(&["set-controller", "br0", &format!("tcp:127.0.0.1:{port}")]);

    let rec = Recorder::in_memory();
    let mut s = ControllerSession::accept(&listener, rec.clone(), Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("switch never connected: {e}\n{}", sb.logs()));
    s.handshake(WAIT).expect("controller handshake");
    s.refused_requests(WAIT).expect("refused requests");

    sb.ofctl(&[
        "add-flow",
        &mgmt,
        "table=0,priority=100,in_port=CONTROLLER,actions=controller",
    ]);
    sb.ofctl(&[
        "packet-out",
        &mgmt,
        &format!("in_port=controller packet={PKT_UDP} actions=resubmit(,0)"),
    ]);
    s.wait_for(WAIT, |m| ofp::msg_type(m) == Some(ofp::PACKET_IN))
        .expect("packet-in");
    sb.add_port("br0", "p9", 9);
    s.wait_for(WAIT, |m| ofp::msg_type(m) == Some(ofp::PORT_STATUS))
        .expect("port-status");
    sb.ofctl(&[
        "add-flow",
        &mgmt,
        "table=0,priority=4,send_flow_rem,in_port=9,actions=drop",
    ]);
    sb.ofctl(&[
        "--strict",
        "del-flows",
        &mgmt,
        "table=0,priority=4,in_port=9",
    ]);
    s.wait_for(WAIT, |m| ofp::msg_type(m) == Some(ofp::FLOW_REMOVED))
        .expect("flow-removed");
    s.close();

    assert_has_families(
        &rec,
        &[
            "OFPT_HELLO",
            "OFPT_FEATURES_REPLY",
            "OFPT_ECHO_REPLY",
            "OFPT_GET_CONFIG_REPLY",
            "OFPT_ROLE_REPLY",
            "OFPT_GET_ASYNC_REPLY",
            "OFPT_BARRIER_REPLY",
            "OFPT_ERROR",
            "OFPT_PACKET_IN",
            "OFPT_PORT_STATUS",
            "OFPT_FLOW_REMOVED",
            "OFPMP_PORT_DESC reply",
            "OFPMP_DESC reply",
        ],
    );
    assert_round_trips(&rec, "controller session", 30);
}

#[test]
fn live_sandbox_in_a_network_namespace_with_real_ports() {
    let sb = Sandbox::start_in_netns();
    let mgmt = sb.add_bridge("br0", 0x30);
    sb.add_port("br0", "p1", 1);
    let link = sb.in_netns(&["ip", "link", "show", "p1"]);
    assert!(
        link.status.success(),
        "internal port p1 is not a real interface in the namespace: {}",
        String::from_utf8_lossy(&link.stderr)
    );
    let rec = Recorder::in_memory();
    let listen = Addr::Unix(sb.dir.join("proxy.sock"));
    let proxy = Proxy::start(&listen, Addr::Unix(mgmt), rec.clone()).expect("start proxy");
    let sw = proxy.addr().to_string();
    let ports = sb.ofctl(&["dump-ports-desc", &sw]);
    assert!(ports.contains(" 1(p1): addr:"), "port p1 missing:\n{ports}");
    sb.ofctl(&[
        "add-flow",
        &sw,
        "table=0,priority=1,in_port=1,actions=normal",
    ]);
    sb.ofctl(&["dump-ports", &sw]);
    drop(proxy);
    assert_has_families(&rec, &["OFPMP_PORT_DESC reply", "OFPMP_PORT_STATS reply"]);
    assert_round_trips(&rec, "netns session", 10);
}
