//! Runs many emulated switches on a few OS threads (one single-threaded tokio runtime each)
//! and steps them through the phases of a run.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::sync::{Semaphore, watch};

use crate::conn::{Counters, Load, Phase, SwitchReport, run_switch};
use crate::traffic::PacketInPool;

/// What every run of the generator shares.
#[derive(Clone, Debug)]
pub struct Fleet {
    /// The controller.
    pub controller: SocketAddr,
    /// Emulated switches.
    pub switches: usize,
    /// Hosts (MAC addresses) per switch.
    pub macs: u32,
    /// Ports per switch.
    pub ports: u16,
    /// Generator threads.
    pub threads: usize,
    /// Connections being opened (and handshaken) at once, per thread.
    pub connect_parallelism: usize,
    /// How long to wait for every switch's handshake.
    pub handshake_timeout: Duration,
}

/// Which load every switch applies.
#[derive(Clone, Copy, Debug)]
pub enum LoadKind {
    /// Only keep connections alive.
    Idle,
    /// Keep `window` PACKET_INs outstanding per switch.
    Throughput {
        /// Outstanding PACKET_INs per switch.
        window: usize,
    },
    /// One PACKET_IN at a time per switch.
    Latency,
}

/// A running fleet of emulated switches.
pub struct Running {
    phase: watch::Sender<Phase>,
    counters: Vec<Arc<Counters>>,
    threads: Vec<JoinHandle<Result<Vec<SwitchReport>>>>,
}

/// Totals over all threads at one instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// PACKET_INs sent.
    pub sent: u64,
    /// PACKET_OUTs received.
    pub packet_outs: u64,
    /// FLOW_MODs received.
    pub flow_mods: u64,
    /// PACKET_INs given up on.
    pub lost: u64,
    /// Switches handshaken.
    pub handshaken: usize,
}

impl Totals {
    /// Responses as cbench counts them: PACKET_OUTs and FLOW_MODs.
    pub fn responses(&self) -> u64 {
        self.packet_outs + self.flow_mods
    }

    /// The change from `earlier` to `self`.
    pub fn since(&self, earlier: &Totals) -> Totals {
        Totals {
            sent: self.sent - earlier.sent,
            packet_outs: self.packet_outs - earlier.packet_outs,
            flow_mods: self.flow_mods - earlier.flow_mods,
            lost: self.lost - earlier.lost,
            handshaken: self.handshaken,
        }
    }
}

impl Running {
    /// Starts the fleet's threads; switches connect and handshake at once.
    pub fn start(fleet: &Fleet, kind: LoadKind) -> Result<Running> {
        let (phase, rx) = watch::channel(Phase::Handshake);
        let threads_n = fleet.threads.clamp(1, fleet.switches.max(1));
        let mut counters = Vec::new();
        let mut threads = Vec::new();
        for t in 0..threads_n {
            let c = Arc::new(Counters::default());
            counters.push(c.clone());
            let mut loads = Vec::new();
            for s in (t..fleet.switches).step_by(threads_n) {
                let index = s as u32 + 1;
                let load = match kind {
                    LoadKind::Idle => Load::Idle,
                    LoadKind::Throughput { window } => Load::Throughput {
                        pool: PacketInPool::new(index, fleet.macs, fleet.ports)?,
                        window: window.max(1),
                    },
                    LoadKind::Latency => Load::Latency {
                        pool: PacketInPool::new(index, fleet.macs, fleet.ports)?,
                    },
                };
                loads.push((u64::from(index), load));
            }
            let (addr, ports, rx) = (fleet.controller, fleet.ports, rx.clone());
            let parallel = fleet.connect_parallelism.max(1);
            let handle = thread::Builder::new().name(format!("ofbench-{t}")).spawn(
                move || -> Result<Vec<SwitchReport>> {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    rt.block_on(async move {
                        let gate = Arc::new(Semaphore::new(parallel));
                        let mut set = tokio::task::JoinSet::new();
                        for (dpid, load) in loads {
                            let f = run_switch(
                                addr,
                                dpid,
                                ports,
                                load,
                                c.clone(),
                                gate.clone(),
                                rx.clone(),
                            );
                            set.spawn(async move {
                                f.await.with_context(|| format!("switch {dpid:#x}"))
                            });
                        }
                        let mut reports = Vec::new();
                        while let Some(r) = set.join_next().await {
                            reports.push(r??);
                        }
                        Ok(reports)
                    })
                },
            )?;
            threads.push(handle);
        }
        Ok(Running {
            phase,
            counters,
            threads,
        })
    }

    /// Current totals.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for c in &self.counters {
            t.sent += c.sent.load(Ordering::Relaxed);
            t.packet_outs += c.packet_outs.load(Ordering::Relaxed);
            t.flow_mods += c.flow_mods.load(Ordering::Relaxed);
            t.lost += c.lost.load(Ordering::Relaxed);
            t.handshaken += c.handshaken.load(Ordering::Relaxed);
        }
        t
    }

    /// Waits until `want` switches are handshaken; fails after `timeout` or when a thread
    /// ends early (a connection refused, say).
    pub fn wait_handshaken(&self, want: usize, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let have = self.totals().handshaken;
            if have >= want {
                return Ok(());
            }
            if self.threads.iter().any(|t| t.is_finished()) {
                bail!("a generator thread ended early with {have} of {want} switches handshaken");
            }
            if Instant::now() >= deadline {
                bail!("only {have} of {want} switches completed the handshake within {timeout:?}");
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Moves every switch to `phase`.
    pub fn set_phase(&self, phase: Phase) {
        self.phase.send_replace(phase);
    }

    /// Stops every switch and collects their reports.
    pub fn stop(self) -> Result<Vec<SwitchReport>> {
        self.phase.send_replace(Phase::Stop);
        let mut all = Vec::new();
        for t in self.threads {
            match t.join() {
                Ok(r) => all.extend(r?),
                Err(_) => bail!("a generator thread panicked"),
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A null responder on an ephemeral loopback port, serving until the test process ends.
    fn null_responder() -> SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        thread::spawn(move || crate::responder::serve_on(listener));
        addr
    }

    fn fleet(controller: SocketAddr, switches: usize) -> Fleet {
        Fleet {
            controller,
            switches,
            macs: 50,
            ports: 4,
            threads: 2,
            connect_parallelism: 8,
            handshake_timeout: Duration::from_secs(10),
        }
    }

    #[test]
    fn throughput_against_the_null_responder_gets_one_packet_out_per_packet_in() {
        let run = Running::start(
            &fleet(null_responder(), 4),
            LoadKind::Throughput { window: 8 },
        )
        .unwrap();
        run.wait_handshaken(4, Duration::from_secs(10)).unwrap();
        run.set_phase(Phase::Measure);
        thread::sleep(Duration::from_millis(200));
        let t = run.totals();
        run.stop().unwrap();
        assert!(t.packet_outs > 100, "{t:?}");
        assert_eq!(t.flow_mods, 0);
        assert_eq!(t.lost, 0);
        // At most a window per switch is still in flight.
        assert!(t.sent - t.packet_outs <= 4 * 8, "{t:?}");
    }

    #[test]
    fn latency_records_one_round_trip_per_answer() {
        let run = Running::start(&fleet(null_responder(), 1), LoadKind::Latency).unwrap();
        run.wait_handshaken(1, Duration::from_secs(10)).unwrap();
        run.set_phase(Phase::Measure);
        thread::sleep(Duration::from_millis(200));
        let reports = run.stop().unwrap();
        let samples: Vec<Duration> = reports.into_iter().flat_map(|r| r.latencies).collect();
        assert!(samples.len() > 10, "{} samples", samples.len());
        assert!(samples.iter().all(|d| *d < Duration::from_secs(1)));
    }

    #[test]
    fn idle_switches_all_complete_the_handshake_and_send_nothing() {
        let run = Running::start(&fleet(null_responder(), 100), LoadKind::Idle).unwrap();
        run.wait_handshaken(100, Duration::from_secs(10)).unwrap();
        run.set_phase(Phase::Measure);
        thread::sleep(Duration::from_millis(50));
        let t = run.totals();
        run.stop().unwrap();
        assert_eq!((t.handshaken, t.sent, t.packet_outs), (100, 0, 0));
    }

    #[test]
    fn a_refused_connection_is_an_error_not_a_hang() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let run = Running::start(&fleet(port, 2), LoadKind::Idle).unwrap();
        assert!(run.wait_handshaken(2, Duration::from_secs(10)).is_err());
        assert!(run.stop().is_err());
    }
}
