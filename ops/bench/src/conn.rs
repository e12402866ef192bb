//! The I/O loop of one emulated switch: connect, let [`EmulatedSwitch`] do the protocol, and
//! keep PACKET_INs flowing as the phase and load mode say.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::{Buf, BytesMut};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, watch};

use crate::switch::{EmulatedSwitch, Received};
use crate::traffic::PacketInPool;

/// Where a benchmark run stands; every switch follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Connecting and handshaking; no PACKET_INs yet.
    Handshake,
    /// Sending PACKET_INs, not yet measured.
    Warmup,
    /// Sending PACKET_INs and recording latencies.
    Measure,
    /// Disconnect.
    Stop,
}

/// What a switch sends once the run is under way.
#[derive(Debug)]
pub enum Load {
    /// Nothing: it only keeps its connection alive.
    Idle,
    /// Keeps `window` PACKET_INs unanswered at all times.
    Throughput {
        /// The packets to send.
        pool: PacketInPool,
        /// PACKET_INs outstanding at once.
        window: usize,
    },
    /// One PACKET_IN at a time, timing each answer.
    Latency {
        /// The packets to send.
        pool: PacketInPool,
    },
}

/// Counts shared by the switches of one generator thread.
#[derive(Debug, Default)]
pub struct Counters {
    /// PACKET_INs sent.
    pub sent: AtomicU64,
    /// PACKET_OUTs received.
    pub packet_outs: AtomicU64,
    /// FLOW_MODs received.
    pub flow_mods: AtomicU64,
    /// PACKET_INs given up on after `stall` without an answer.
    pub lost: AtomicU64,
    /// Switches whose handshake is complete.
    pub handshaken: AtomicUsize,
}

/// What a switch brings back at the end of the run.
#[derive(Debug, Default)]
pub struct SwitchReport {
    /// Round-trip times recorded during [`Phase::Measure`] (latency mode only).
    pub latencies: Vec<Duration>,
}

/// How long an unanswered PACKET_IN is waited for before it counts as lost and the window
/// reopens (controllers may drop PACKET_INs under load).
const STALL: Duration = Duration::from_millis(200);
/// Receive buffer room kept free for each read.
const READ_CHUNK: usize = 64 * 1024;

/// Runs one emulated switch against the controller at `addr` until [`Phase::Stop`].
#[allow(clippy::too_many_arguments)]
pub async fn run_switch(
    addr: SocketAddr,
    dpid: u64,
    ports: u16,
    mut load: Load,
    counters: Arc<Counters>,
    connecting: Arc<Semaphore>,
    mut phase: watch::Receiver<Phase>,
) -> io::Result<SwitchReport> {
    let permit = connecting.acquire_owned().await.ok();
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut sw = EmulatedSwitch::new(dpid, ports, Instant::now());
    let mut permit = permit;
    let mut tx = BytesMut::with_capacity(READ_CHUNK);
    let mut report = SwitchReport::default();
    let mut outstanding = 0usize;
    let mut sent_at = Instant::now();
    let mut last_answer = Instant::now();
    let mut counted = false;
    loop {
        let now = Instant::now();
        let current = *phase.borrow_and_update();
        if current == Phase::Stop || sw.is_closed() {
            break;
        }
        if sw.handshaken() && !counted {
            counted = true;
            counters.handshaken.fetch_add(1, Ordering::Relaxed);
            permit = None;
        }
        if counted && matches!(current, Phase::Warmup | Phase::Measure) {
            let before = outstanding;
            match &mut load {
                Load::Idle => {}
                Load::Throughput { pool, window } => {
                    while outstanding < *window {
                        tx.extend_from_slice(pool.next_message());
                        outstanding += 1;
                    }
                }
                Load::Latency { pool } => {
                    if outstanding == 0 {
                        tx.extend_from_slice(pool.next_message());
                        outstanding = 1;
                        sent_at = now;
                    }
                }
            }
            if before == 0 && outstanding > 0 {
                last_answer = now;
            }
            let n = (outstanding - before) as u64;
            if n > 0 {
                counters.sent.fetch_add(n, Ordering::Relaxed);
            }
        }
        sw.drain_transmit(&mut tx);
        if !tx.is_empty() {
            match stream.try_write(&tx) {
                Ok(n) => tx.advance(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
        }
        let stall_at = (outstanding > 0).then_some(last_answer + STALL);
        let timer = [sw.poll_timeout(), stall_at].into_iter().flatten().min();
        let sleep = tokio::time::sleep_until(
            timer
                .unwrap_or_else(|| now + Duration::from_secs(3600))
                .into(),
        );
        tokio::select! {
            r = stream.readable() => {
                r?;
                let buf = sw.recv_buf();
                buf.reserve(READ_CHUNK);
                match stream.try_read_buf(buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                    Err(e) => return Err(e),
                }
                let now = Instant::now();
                let measuring = current == Phase::Measure;
                let (mut outs, mut mods) = (0u64, 0u64);
                let latencies = &mut report.latencies;
                let latency_mode = matches!(load, Load::Latency { .. });
                let alive = sw.handle_received(now, |r| match r {
                    Received::PacketOut => {
                        outs += 1;
                        if outstanding > 0 {
                            outstanding -= 1;
                            if latency_mode && measuring {
                                latencies.push(now - sent_at);
                            }
                        }
                    }
                    Received::FlowMod => mods += 1,
                });
                if outs > 0 {
                    last_answer = now;
                    counters.packet_outs.fetch_add(outs, Ordering::Relaxed);
                }
                if mods > 0 {
                    counters.flow_mods.fetch_add(mods, Ordering::Relaxed);
                }
                if !alive {
                    break;
                }
            }
            r = stream.writable(), if !tx.is_empty() => r?,
            () = sleep => {
                let now = Instant::now();
                sw.handle_timeout(now);
                if outstanding > 0 && now >= last_answer + STALL {
                    counters.lost.fetch_add(outstanding as u64, Ordering::Relaxed);
                    outstanding = 0;
                }
            }
            r = phase.changed() => if r.is_err() { break },
        }
    }
    drop(permit);
    Ok(report)
}
