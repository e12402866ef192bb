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
