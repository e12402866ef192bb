//! Unit tests of the channel's internals (the protocol is tested in `tests/channel.rs`).

use super::*;

#[test]
fn a_drained_event_queue_holds_no_memory() {
    let now = Instant::now();
    let mut ch = Channel::new(ChannelConfig::default(), now);
    ch.handle_input(&[0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01], now);
    let features = FeaturesReply {
        datapath_id: DatapathId(1),
        n_buffers: 0,
        n_tables: 1,
        auxiliary_id: 0,
        capabilities: Default::default(),
        reserved: 0,
    };
    let Some(Xid(xid)) = ch.features_xid else {
        panic!("no features request");
    };
    let reply = Message::new(Xid(xid), Body::FeaturesReply(features));
    let mut bytes = BytesMut::new();
    reply.encode_into(&mut bytes).unwrap();
    // Ten unsolicited barrier replies, each an event.
    for _ in 0..10 {
        bytes.extend_from_slice(&[0x04, 0x15, 0x00, 0x08, 0x00, 0x00, 0x00, 0x09]);
    }
    ch.handle_input(&bytes, now);
    assert!(ch.events.capacity() >= 11);
    let mut n = 0;
    while ch.poll_event().is_some() {
        n += 1;
    }
    assert_eq!(n, 11);
    assert_eq!(ch.events.capacity(), 0);
}
