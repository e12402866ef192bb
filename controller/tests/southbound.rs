//! The southbound against real Open vSwitch (a `--dummy` sandbox per test) and against
//! in-process peers: emulated switches (`Channel::switch`) and raw sockets that misbehave.

mod support_south;

use std::time::{Duration, Instant};

use bytes::Bytes;
use navarch_controller::southbound::{
    ConfirmError, DisconnectReason, DuplicatePolicy, ListenAddr, Southbound, SouthboundConfig,
    SwitchEvent, SwitchEventKind,
};
use openflow::errcode::{BadRequestCode, ErrorCode, HelloFailedCode};
use openflow::msg::{Echo, FlowMod, FlowModCommand, PacketIn, PortReason};
use openflow::{Body, CloseReason, DatapathId, Framer, Message, Xid};
use support_south::{EmulatedSwitch, Ovs, PATIENCE, next_event, tcp_any, tcp_of, wait_connected};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

fn flow(text: &str) -> Body {
    Body::FlowMod(FlowMod::from_ofctl(text, FlowModCommand::Add).expect("flow text"))
}

/// A flow OVS refuses: `goto_table` must go forward.
fn bad_flow() -> Body {
    flow("table=1,priority=3,actions=goto_table:0")
}

/// Events until `dpid` disconnects; returns its reason.
async fn wait_disconnected(rx: &mut mpsc::Receiver<SwitchEvent>, dpid: u64) -> DisconnectReason {
    loop {
        let ev = next_event(rx).await;
        if ev.dpid == DatapathId(dpid)
            && let SwitchEventKind::Disconnected { reason } = ev.kind
        {
            return reason;
        }
    }
}

#[tokio::test]
async fn ovs_over_tcp_connects_answers_requests_takes_flows_and_bundles() {
    let ovs = Ovs::start(0x42);
    ovs.add_port("p1", 1);
    let (sb, mut rx) = Southbound::bind(&[tcp_any()], SouthboundConfig::default())
        .await
        .unwrap();
    ovs.set_controller(&sb.local_addrs()[0]);

    let (features, ports, sw) = wait_connected(&mut rx, 0x42).await;
    assert_eq!(features.datapath_id, DatapathId(0x42));
    assert_eq!(sw.dpid(), DatapathId(0x42));
    let mut names: Vec<&str> = ports.iter().map(|p| p.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["br0", "p1"]);

    // Request/reply: a fresh secure-mode bridge has no flows.
    assert_eq!(sw.dump_flows().await.unwrap(), vec![]);
    assert_eq!(sw.port_desc().await.unwrap().len(), 2);
    assert_eq!(sw.dump_groups().await.unwrap(), vec![]);

    // A confirmed add is on the switch when the call returns.
    sw.send_confirmed(vec![flow("table=0,priority=10,in_port=1,actions=drop")])
        .await
        .unwrap();
    assert!(
        ovs.ofctl("dump-flows", &[])
            .contains("priority=10,in_port=1 actions=drop")
    );
    // A refused message is named by its index; the others apply.
    let err = sw
        .send_confirmed(vec![
            flow("table=0,priority=11,in_port=1,actions=drop"),
            bad_flow(),
        ])
        .await
        .unwrap_err();
    let ConfirmError::Rejected { failed } = err else {
        panic!("expected Rejected, got {err:?}");
    };
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].index, 1);
    assert!(ovs.ofctl("dump-flows", &[]).contains("priority=11"));

    // A bundle applies all of its messages...
    sw.bundle(vec![
        flow("table=0,priority=20,in_port=1,actions=drop"),
        flow("table=0,priority=21,in_port=1,actions=drop"),
    ])
    .await
    .unwrap();
    let dump = ovs.ofctl("dump-flows", &[]);
    assert!(
        dump.contains("priority=20") && dump.contains("priority=21"),
        "{dump}"
    );
    // ...or none.
    let err = sw
        .bundle(vec![
            flow("table=0,priority=30,in_port=1,actions=drop"),
            bad_flow(),
        ])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConfirmError::BundleFailed { failed, .. } if failed.iter().any(|f| f.index == 1)),
        "{err:?}"
    );
    assert!(!ovs.ofctl("dump-flows", &[]).contains("priority=30"));
    let flows = sw.dump_flows().await.unwrap();
    assert_eq!(flows.len(), 4, "{flows:?}");

    // Port status arrives as a message.
    ovs.add_port("p2", 2);
    loop {
        let ev = next_event(&mut rx).await;
        if let SwitchEventKind::Message(Message {
            body: Body::PortStatus(ps),
            ..
        }) = ev.kind
            && ps.desc.name == "p2"
        {
            assert_eq!(ps.reason, PortReason::Add);
            break;
        }
    }
    assert_eq!(sb.stats().switches, 1);

    // Closing from our side ends with a Disconnected event.
    sw.close().await;
    assert_eq!(
        wait_disconnected(&mut rx, 0x42).await,
        DisconnectReason::Local
    );
}

#[tokio::test]
async fn ovs_over_unix_socket_connects() {
    let ovs = Ovs::start(0x43);
    let path = ovs.dir().join("ctl.sock");
    let addr: ListenAddr = format!("unix:{}", path.display()).parse().unwrap();
    let (sb, mut rx) = Southbound::bind(&[addr.clone(), tcp_any()], SouthboundConfig::default())
        .await
        .unwrap();
    ovs.set_controller(&addr);
    let (features, ports, sw) = wait_connected(&mut rx, 0x43).await;
    assert_eq!(features.datapath_id, DatapathId(0x43));
    assert_eq!(ports.len(), 1);
    sw.send_confirmed(vec![flow("priority=7,actions=drop")])
        .await
        .unwrap();
    assert!(
        ovs.ofctl("dump-flows", &[])
            .contains("priority=7 actions=drop")
    );
    // A second southbound cannot steal a live socket path.
    let second = Southbound::bind(&[addr], SouthboundConfig::default()).await;
    assert!(second.unwrap_err().to_string().contains("another process"));
    sb.shutdown(Duration::from_secs(5)).await;
    assert!(!path.exists());
}

#[tokio::test]
async fn echo_keepalive_drops_a_silent_peer() {
    let mut config = SouthboundConfig::default();
    config.channel.echo_interval = Duration::from_millis(200);
    config.channel.echo_timeout = Duration::from_millis(300);
    let (sb, mut rx) = Southbound::bind(&[tcp_any()], config).await.unwrap();
    let addr = tcp_of(sb.local_addrs());
    let mut sw = EmulatedSwitch::connect(addr, 5).await;
    sw.until_connected(&mut rx, 5).await;
    // A live peer answers the probes and stays.
    sw.pump(Duration::from_millis(800)).await;
    assert!(rx.try_recv().is_err(), "a live switch was dropped");
    // Now it goes silent (socket open, nothing read or written).
    let t = Instant::now();
    let reason = wait_disconnected(&mut rx, 5).await;
    assert_eq!(reason, DisconnectReason::Channel(CloseReason::PeerDead));
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

/// Reads what the controller sends for `dur` (or until it closes): the messages and
/// whether the connection was closed.
async fn read_messages(stream: &mut TcpStream, dur: Duration) -> (Vec<Message>, bool) {
    let deadline = tokio::time::Instant::now() + dur;
    let mut framer = Framer::new(65535);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => break false,
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => framer.push(&buf[..n]),
        }
        while let Ok(Some(frame)) = framer.next_frame() {
            got.push(Message::decode(&frame).expect("controller sent a valid message"));
        }
    };
    (got, closed)
}

fn error_codes(msgs: &[Message]) -> Vec<(Xid, ErrorCode)> {
    msgs.iter()
        .filter_map(|m| match &m.body {
            Body::Error(e) => Some((m.xid, e.code)),
            _ => None,
        })
        .collect()
}

const HELLO13: [u8; 8] = [0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01];

#[tokio::test]
async fn misbehaving_peers_get_errors_or_are_dropped_while_ovs_keeps_working() {
    let ovs = Ovs::start(0x44);
    let mut config = SouthboundConfig::default();
    config.channel.max_message_len = 16 * 1024;
    config.write_stall_timeout = Duration::from_secs(1);
    config.transmit_high_water = 256 * 1024;
    let (sb, mut rx) = Southbound::bind(&[tcp_any()], config).await.unwrap();
    let addr = tcp_of(sb.local_addrs());
    ovs.set_controller(&sb.local_addrs()[0]);
    let (_, _, real) = wait_connected(&mut rx, 0x44).await;

    // Our hello goes out as soon as the connection is accepted.
    let mut s = TcpStream::connect(addr).await.unwrap();
    let (msgs, _) = read_messages(&mut s, Duration::from_millis(300)).await;
    assert!(
        matches!(
            msgs.first(),
            Some(Message {
                body: Body::Hello(_),
                ..
            })
        ),
        "{msgs:?}"
    );

    // Garbage (a length shorter than a header): OFPBRC_BAD_LEN, then closed.
    s.write_all(b"\xde\xad\x00\x03garbage!").await.unwrap();
    let (msgs, closed) = read_messages(&mut s, PATIENCE).await;
    let bad_len = ErrorCode::BadRequest(BadRequestCode::BadLen);
    assert_eq!(
        error_codes(&msgs).iter().map(|e| e.1).collect::<Vec<_>>(),
        [bad_len]
    );
    assert!(closed);

    // The wrong version: OFPHFC_INCOMPATIBLE, then closed.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(&[0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01])
        .await
        .unwrap();
    let mut framer = Framer::new(65535);
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    framer.push(&raw);
    let mut saw_incompatible = false;
    while let Ok(Some(frame)) = framer.next_frame() {
        // The error goes out in the peer's version; read its type and code directly.
        if frame[1] == 1 {
            let (t, c) = (
                u16::from_be_bytes([frame[8], frame[9]]),
                u16::from_be_bytes([frame[10], frame[11]]),
            );
            saw_incompatible |=
                ErrorCode::from_raw(t, c) == ErrorCode::HelloFailed(HelloFailedCode::Incompatible);
        }
    }
    assert!(saw_incompatible);

    // A truncated message (a packet-in with no body): an error for its xid; still open.
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(&HELLO13).await.unwrap();
    s.write_all(&[0x04, 10, 0x00, 0x08, 0x00, 0x00, 0x00, 0x77])
        .await
        .unwrap();
    let (msgs, closed) = read_messages(&mut s, Duration::from_millis(500)).await;
    let errors = error_codes(&msgs);
    assert_eq!(errors.len(), 1, "{msgs:?}");
    assert_eq!(errors[0].0, Xid(0x77));
    assert_eq!(errors[0].1, ErrorCode::BadRequest(BadRequestCode::BadLen));
    assert!(!closed);

    // An over-long length (beyond the configured maximum): OFPBRC_BAD_LEN, then closed.
    s.write_all(&[0x04, 10, 0x4e, 0x20, 0x00, 0x00, 0x00, 0x78])
        .await
        .unwrap();
    let (msgs, closed) = read_messages(&mut s, PATIENCE).await;
    assert_eq!(
        error_codes(&msgs).iter().map(|e| e.1).collect::<Vec<_>>(),
        [bad_len]
    );
    assert!(closed);

    // A switch that stops reading while flooding us: dropped once its socket stalls.
    let mut flooder = EmulatedSwitch::connect(addr, 0x99).await;
    flooder.until_connected(&mut rx, 0x99).await;
    let echo = Message::new(
        Xid(9),
        Body::EchoRequest(Echo {
            data: Bytes::from(vec![0u8; 16_000]),
        }),
    );
    let echo = echo.encode().unwrap();
    let mut stream = flooder.stream;
    let flood = tokio::spawn(async move { while stream.write_all(&echo).await.is_ok() {} });
    let t = Instant::now();
    let reason = wait_disconnected(&mut rx, 0x99).await;
    assert!(
        matches!(reason, DisconnectReason::WriteStalled { .. }),
        "{reason:?}"
    );
    assert!(t.elapsed() < PATIENCE);
    tokio::time::timeout(PATIENCE, flood)
        .await
        .expect("the flooder's socket was closed")
        .unwrap();

    // Through all of it, the real switch kept working.
    real.send_confirmed(vec![flow("priority=9,actions=drop")])
        .await
        .unwrap();
    assert_eq!(real.dump_flows().await.unwrap().len(), 1);
    assert!(!real.is_closed());
    while let Ok(ev) = rx.try_recv() {
        assert_ne!(ev.dpid, DatapathId(0x44), "the real switch saw {ev:?}");
    }
    assert_eq!(sb.stats().switches, 1);
}

#[tokio::test]
async fn duplicate_dpid_replace_old_announces_the_end_before_the_new_start() {
    let (sb, mut rx) = Southbound::bind(&[tcp_any()], SouthboundConfig::default())
        .await
        .unwrap();
    let addr = tcp_of(sb.local_addrs());
    let mut a = EmulatedSwitch::connect(addr, 7).await;
    a.until_connected(&mut rx, 7).await;
    let mut b = EmulatedSwitch::connect(addr, 7).await;
    let mut kinds = Vec::new();
    let give_up = Instant::now() + PATIENCE;
    while kinds.len() < 2 && Instant::now() < give_up {
        tokio::join!(
            a.pump(Duration::from_millis(20)),
            b.pump(Duration::from_millis(20))
        );
        while let Ok(ev) = rx.try_recv() {
            assert_eq!(ev.dpid, DatapathId(7));
            kinds.push(ev.kind);
        }
    }
    assert!(
        matches!(
            &kinds[..],
            [
                SwitchEventKind::Disconnected {
                    reason: DisconnectReason::Replaced { .. }
                },
                SwitchEventKind::Connected { .. }
            ]
        ),
        "{kinds:?}"
    );
    a.pump(Duration::from_millis(200)).await;
    assert!(a.closed, "the old connection was not closed");
    assert!(!b.closed);
    assert_eq!(sb.stats().switches, 1);
}

#[tokio::test]
async fn duplicate_dpid_reject_new_keeps_the_old_connection() {
    let config = SouthboundConfig {
        duplicate_policy: DuplicatePolicy::RejectNew,
        ..SouthboundConfig::default()
    };
    let (sb, mut rx) = Southbound::bind(&[tcp_any()], config).await.unwrap();
    let addr = tcp_of(sb.local_addrs());
    let mut a = EmulatedSwitch::connect(addr, 8).await;
    let handle = a.until_connected(&mut rx, 8).await;
    let mut b = EmulatedSwitch::connect(addr, 8).await;
    let give_up = Instant::now() + PATIENCE;
    while !b.closed && Instant::now() < give_up {
        tokio::join!(
            a.pump(Duration::from_millis(20)),
            b.pump(Duration::from_millis(20))
        );
    }
    assert!(b.closed, "the new connection was not closed");
    assert!(
        rx.try_recv().is_err(),
        "the rejected connection produced an event"
    );
    let (_, confirmed) = tokio::join!(a.pump(Duration::from_millis(300)), handle.barrier());
    assert!(confirmed.is_ok());
    assert!(!a.closed);
}

#[tokio::test]
async fn full_event_queue_drops_packet_ins_but_not_port_status() {
    let config = SouthboundConfig {
        event_queue: 4,
        ..SouthboundConfig::default()
    };
    let (sb, mut rx) = Southbound::bind(&[tcp_any()], config).await.unwrap();
    let addr = tcp_of(sb.local_addrs());
    let mut sw = EmulatedSwitch::connect(addr, 9).await;
    sw.until_connected(&mut rx, 9).await;
    let pi = PacketIn {
        buffer_id: openflow::BufferId::NO_BUFFER,
        total_len: 60,
        reason: openflow::msg::PacketInReason::NoMatch,
        table_id: openflow::TableId(0),
        cookie: openflow::Cookie(0),
        match_: openflow::Match::default(),
        data: Bytes::from(vec![0u8; 60]),
    };
    for _ in 0..100 {
        sw.ch.send(Body::PacketIn(pi.clone())).unwrap();
    }
    let status = openflow::msg::PortStatus {
        reason: PortReason::Add,
        desc: openflow::msg::Port {
            port_no: openflow::PortNo(3),
            hw_addr: openflow::MacAddr([0, 1, 2, 3, 4, 5]),
            name: "p3".into(),
            config: Default::default(),
            state: Default::default(),
            curr: Default::default(),
            advertised: Default::default(),
            supported: Default::default(),
            peer: Default::default(),
            curr_speed: 0,
            max_speed: 0,
        },
    };
    sw.ch.send(Body::PortStatus(status)).unwrap();
    sw.pump(Duration::from_millis(500)).await;
    // Nobody read the queue meanwhile: most packet-ins were dropped, the port status waits.
    let mut packet_ins = 0;
    loop {
        let ev = next_event(&mut rx).await;
        match ev.kind {
            SwitchEventKind::Message(Message {
                body: Body::PacketIn(_),
                ..
            }) => packet_ins += 1,
            SwitchEventKind::Message(Message {
                body: Body::PortStatus(ps),
                ..
            }) => {
                assert_eq!(ps.desc.name, "p3");
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let dropped = sb.stats().dropped_packet_ins;
    assert!(dropped > 0);
    assert_eq!(packet_ins + dropped, 100, "{packet_ins} + {dropped}");
}
