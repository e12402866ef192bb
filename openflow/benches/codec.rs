//! Codec throughput: `cargo bench -p openflow` prints messages (or bytes) per second for the
//! operations on the controller's hot path. Figures are recorded in docs/BENCHMARKS.md.

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use openflow::frame::Framer;
use openflow::msg::{FlowMod, FlowModCommand, PacketIn, PacketInReason};
use openflow::{Body, BufferId, Cookie, Match, Message, OxmField, PortNo, TableId, Xid};

/// A PACKET_IN as OVS sends it for a table miss: in_port in the match, a 64-byte frame.
fn packet_in() -> Message {
    let mut frame = vec![0u8; 64];
    frame[..6].copy_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x02]);
    frame[6..12].copy_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x01]);
    frame[12..14].copy_from_slice(&[0x08, 0x00]);
    Message::new(
        Xid(0),
        Body::PacketIn(PacketIn {
            buffer_id: BufferId::NO_BUFFER,
            total_len: 64,
            reason: PacketInReason::NoMatch,
            table_id: TableId(0),
            cookie: Cookie(u64::MAX),
            match_: Match {
                fields: vec![OxmField::InPort(PortNo(1))],
            },
            data: Bytes::from(frame),
        }),
    )
}

/// A FLOW_MOD with 5 match fields (in_port, eth_dst, eth_type, ipv4_src, ipv4_dst) and 2
/// instructions (apply-actions output, goto-table).
fn flow_mod() -> Message {
    let fm = FlowMod::from_ofctl(
        "table=0,priority=100,ip,in_port=1,dl_dst=00:00:00:00:00:02,nw_src=10.0.0.1,nw_dst=10.0.0.2,\
         actions=output:2,goto_table:1",
        FlowModCommand::Add,
    )
    .expect("benchmark flow parses");
    assert_eq!(fm.match_.fields.len(), 5);
    assert_eq!(fm.instructions.len(), 2);
    Message::new(Xid(7), Body::FlowMod(fm))
}

/// About 1 MiB of mixed messages back to back, as a switch connection would carry them.
fn mixed_stream() -> (Bytes, usize) {
    let samples = [
        packet_in().encode().unwrap(),
        flow_mod().encode().unwrap(),
        Message::new(Xid(9), Body::BarrierReply).encode().unwrap(),
        Message::new(
            Xid(10),
            Body::EchoRequest(openflow::msg::Echo {
                data: Bytes::from_static(b"ping"),
            }),
        )
        .encode()
        .unwrap(),
    ];
    let mut out = BytesMut::new();
    let mut count = 0;
    while out.len() < 1 << 20 {
        out.extend_from_slice(&samples[count % samples.len()]);
        count += 1;
    }
    (out.freeze(), count)
}

fn codec(c: &mut Criterion) {
    let mut g = c.benchmark_group("openflow");
    g.throughput(Throughput::Elements(1));

    let pin = packet_in().encode().unwrap();
    g.bench_function("decode PACKET_IN (64-byte frame)", |b| {
        b.iter(|| Message::decode(black_box(&pin)).unwrap())
    });

    let fm = flow_mod();
    let fm_bytes = fm.encode().unwrap();
    g.bench_function("decode FLOW_MOD (5 fields, 2 instructions)", |b| {
        b.iter(|| Message::decode(black_box(&fm_bytes)).unwrap())
    });

    let mut buf = BytesMut::with_capacity(4096);
    g.bench_function("encode FLOW_MOD (5 fields, 2 instructions)", |b| {
        b.iter(|| {
            buf.clear();
            black_box(&fm).encode_into(&mut buf).unwrap();
            black_box(buf.len())
        })
    });

    let (stream, count) = mixed_stream();
    g.throughput(Throughput::Elements(count as u64));
    g.bench_function(
        format!("frame 1 MiB mixed stream ({count} messages)"),
        |b| {
            b.iter(|| {
                let mut framer = Framer::new(65535);
                framer.push(black_box(&stream));
                let mut n = 0;
                while let Some(frame) = framer.next_frame().unwrap() {
                    black_box(&frame);
                    n += 1;
                }
                assert_eq!(n, count);
            })
        },
    );
    g.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
