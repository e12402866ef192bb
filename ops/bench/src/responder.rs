//! The null responder: the least an OpenFlow 1.3 controller can do. It completes the
//! handshake, answers echo requests and answers each PACKET_IN with one PACKET_OUT (the
//! buffered packet, or the packet's data, out of `FLOOD`) and does nothing else, so its
//! figures are the floor the machine and the generator set.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Result;
use bytes::{Buf, BytesMut};
use openflow::channel::State;
use openflow::msg::PacketOut;
use openflow::{
    Action, Body, BufferId, Channel, ChannelConfig, Event, Framer, Message, MsgType, PortNo,
};
use tokio::net::{TcpListener, TcpStream};

/// Receive buffer room kept free for each read.
const READ_CHUNK: usize = 64 * 1024;

/// Listens on `addr` forever, one single-threaded runtime on the calling thread.
pub fn serve(addr: SocketAddr) -> Result<()> {
    let listener = std::net::TcpListener::bind(addr)?;
    eprintln!(
        "null-responder: listening on tcp:{}",
        listener.local_addr()?
    );
    serve_on(listener)
}

/// Serves the switches connecting to `listener` forever, on the calling thread.
pub fn serve_on(listener: std::net::TcpListener) -> Result<()> {
    listener.set_nonblocking(true)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = TcpListener::from_std(listener)?;
        loop {
            let (stream, peer) = listener.accept().await?;
            tokio::spawn(async move {
                if let Err(e) = serve_switch(stream).await {
                    eprintln!("null-responder: {peer}: {e}");
                }
            });
        }
    })
}

/// The PACKET_OUT answering `msg` if it is a PACKET_IN.
pub fn answer(msg: &Message) -> Option<Message> {
    let Body::PacketIn(pi) = &msg.body else {
        return None;
    };
    let data = if pi.buffer_id == BufferId::NO_BUFFER {
        pi.data.clone()
    } else {
        Default::default()
    };
    let out = PacketOut {
        buffer_id: pi.buffer_id,
        in_port: pi.in_port().unwrap_or(PortNo::CONTROLLER),
        actions: vec![Action::output(PortNo::FLOOD)],
        data,
    };
    Some(Message::new(msg.xid, Body::PacketOut(out)))
}

async fn serve_switch(stream: TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut ch = Channel::new(ChannelConfig::default(), Instant::now());
    let mut framer = Framer::default();
    let mut tx = BytesMut::with_capacity(READ_CHUNK);
    loop {
        while let Some(b) = ch.poll_transmit() {
            tx.extend_from_slice(&b);
        }
        while let Some(e) = ch.poll_event() {
            if let Event::Closed { .. } = e {
                return Ok(());
            }
        }
        if !tx.is_empty() {
            match stream.try_write(&tx) {
                Ok(n) => tx.advance(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        let timer = ch
            .poll_timeout()
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            r = stream.readable() => {
                r?;
                let buf = framer.buf_mut();
                buf.reserve(READ_CHUNK);
                match stream.try_read_buf(buf) {
                    Ok(0) => return Ok(()),
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(e) => return Err(e),
                }
                let now = Instant::now();
                loop {
                    let frame = match framer.next_frame() {
                        Ok(Some(f)) => f,
                        Ok(None) => break,
                        Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
                    };
                    let fast = ch.state() == State::Ready && MsgType::from_raw(frame[1]) == MsgType::PacketIn;
                    let reply = if fast { Message::decode(&frame).ok().and_then(|m| answer(&m)) } else { None };
                    match reply {
                        Some(out) => out
                            .encode_into(&mut tx)
                            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?,
                        None => ch.handle_input(&frame, now),
                    }
                }
            }
            r = stream.writable(), if !tx.is_empty() => r?,
            () = tokio::time::sleep_until(timer.into()) => ch.handle_timeout(Instant::now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::PacketInPool;
    use bytes::Bytes;

    #[test]
    fn answers_a_packet_in_with_one_flooding_packet_out_carrying_its_data() {
        let mut pool = PacketInPool::new(1, 4, 2).unwrap();
        let pi = Message::decode(&Bytes::copy_from_slice(pool.next_message())).unwrap();
        let out = answer(&pi).unwrap();
        assert_eq!(out.xid, pi.xid);
        let (Body::PacketOut(po), Body::PacketIn(pin)) = (&out.body, &pi.body) else {
            panic!("{out}");
        };
        assert_eq!(po.buffer_id, BufferId::NO_BUFFER);
        assert_eq!(po.in_port, PortNo(1));
        assert_eq!(po.actions, [Action::output(PortNo::FLOOD)]);
        assert_eq!(po.data, pin.data);
    }

    #[test]
    fn answers_nothing_else() {
        let echo = Message::new(openflow::Xid(3), Body::BarrierRequest);
        assert_eq!(answer(&echo), None);
    }
}
