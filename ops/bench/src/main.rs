//! `ofbench`: an OpenFlow 1.3 controller benchmark in the style of cbench (emulated switches
//! sending PACKET_INs; throughput, latency and idle-memory modes) and a null responder.
//! Each mode prints human-readable lines, then one JSON line for scripts.

mod conn;
mod generator;
mod responder;
mod rss;
mod stats;
mod switch;
mod traffic;

use std::net::{SocketAddr, ToSocketAddrs};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use serde_json::json;

use conn::Phase;
use generator::{Fleet, LoadKind, Running};
use stats::Percentiles;

/// OpenFlow 1.3 controller benchmark.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand, Debug)]
enum Mode {
    /// Responses per second with every switch keeping a window of PACKET_INs outstanding.
    Throughput {
        #[command(flatten)]
        fleet: FleetArgs,
        /// PACKET_INs outstanding per switch.
        #[arg(long, default_value_t = 64)]
        window: usize,
        /// Measured time (e.g. 10s, 500ms).
        #[arg(long, default_value = "10s", value_parser = parse_duration)]
        duration: Duration,
        /// Unmeasured time before it.
        #[arg(long, default_value = "2s", value_parser = parse_duration)]
        warmup: Duration,
    },
    /// Round-trip time of one PACKET_IN at a time per switch.
    Latency {
        #[command(flatten)]
        fleet: FleetArgs,
        /// Measured time.
        #[arg(long, default_value = "10s", value_parser = parse_duration)]
        duration: Duration,
        /// Unmeasured time before it.
        #[arg(long, default_value = "2s", value_parser = parse_duration)]
        warmup: Duration,
    },
    /// Controller memory per connected idle switch.
    Idle {
        #[command(flatten)]
        fleet: FleetArgs,
        /// The controller's process id, whose VmRSS is read.
        #[arg(long)]
        controller_pid: u32,
        /// Time left after the last handshake for the controller to settle.
        #[arg(long, default_value = "3s", value_parser = parse_duration)]
        settle: Duration,
    },
    /// Answers each PACKET_IN with one PACKET_OUT, and nothing else.
    NullResponder {
        /// Where to listen, as tcp:HOST:PORT.
        #[arg(long, default_value = "tcp:127.0.0.1:6653", value_parser = parse_endpoint)]
        listen: SocketAddr,
    },
}

#[derive(Args, Debug)]
struct FleetArgs {
    /// The controller, as tcp:HOST:PORT.
    #[arg(long, default_value = "tcp:127.0.0.1:6653", value_parser = parse_endpoint)]
    controller: SocketAddr,
    /// Emulated switches.
    #[arg(long, default_value_t = 16)]
    switches: usize,
    /// Hosts (MAC addresses) per switch.
    #[arg(long, default_value_t = 1000)]
    macs: u32,
    /// Ports per switch.
    #[arg(long, default_value_t = 4)]
    ports: u16,
    /// Generator threads (each a single-threaded runtime driving its share of switches).
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Connections opened at once per thread.
    #[arg(long, default_value_t = 64)]
    connect_parallelism: usize,
    /// How long every switch's handshake may take.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    handshake_timeout: Duration,
}

impl FleetArgs {
    fn fleet(&self) -> Fleet {
        Fleet {
            controller: self.controller,
            switches: self.switches,
            macs: self.macs,
            ports: self.ports,
            threads: self.threads,
            connect_parallelism: self.connect_parallelism,
            handshake_timeout: self.handshake_timeout,
        }
    }
}

/// `tcp:HOST:PORT` (the `tcp:` prefix is optional).
fn parse_endpoint(s: &str) -> Result<SocketAddr> {
    let rest = s.strip_prefix("tcp:").unwrap_or(s);
    if rest.contains(':')
        && !rest.contains('.')
        && !rest.starts_with('[')
        && rest.matches(':').count() > 1
    {
        bail!("write IPv6 endpoints as tcp:[ADDR]:PORT");
    }
    rest.to_socket_addrs()
        .with_context(|| format!("bad endpoint {s:?} (want tcp:HOST:PORT)"))?
        .next()
        .ok_or_else(|| anyhow!("endpoint {s:?} resolves to no address"))
}

/// `10s`, `500ms`, `2m` or a bare number of seconds.
fn parse_duration(s: &str) -> Result<Duration> {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len()));
    let n: f64 = num.parse().with_context(|| format!("bad duration {s:?}"))?;
    let secs = match unit {
        "" | "s" => n,
        "ms" => n / 1e3,
        "us" => n / 1e6,
        "m" => n * 60.0,
        _ => bail!("bad duration unit in {s:?} (use ms, s or m)"),
    };
    if !secs.is_finite() || secs < 0.0 {
        bail!("bad duration {s:?}");
    }
    Ok(Duration::from_secs_f64(secs))
}

fn main() -> Result<()> {
    match Cli::parse().mode {
        Mode::Throughput {
            fleet,
            window,
            duration,
            warmup,
        } => throughput(&fleet.fleet(), window, warmup, duration),
        Mode::Latency {
            fleet,
            duration,
            warmup,
        } => latency(&fleet.fleet(), warmup, duration),
        Mode::Idle {
            fleet,
            controller_pid,
            settle,
        } => idle(&fleet.fleet(), controller_pid, settle),
        Mode::NullResponder { listen } => responder::serve(listen),
    }
}

/// Starts the fleet and waits for every handshake.
fn start(fleet: &Fleet, kind: LoadKind) -> Result<Running> {
    let t0 = Instant::now();
    let run = Running::start(fleet, kind)?;
    run.wait_handshaken(fleet.switches, fleet.handshake_timeout)?;
    println!(
        "{} switches connected and handshaken in {:.2?}",
        fleet.switches,
        t0.elapsed()
    );
    Ok(run)
}

fn throughput(fleet: &Fleet, window: usize, warmup: Duration, duration: Duration) -> Result<()> {
    println!(
        "throughput: {} switches x {} MACs, window {window}, against tcp:{} (warmup {warmup:?}, measure {duration:?})",
        fleet.switches, fleet.macs, fleet.controller
    );
    let run = start(fleet, LoadKind::Throughput { window })?;
    run.set_phase(Phase::Warmup);
    thread::sleep(warmup);
    let begin = run.totals();
    let t0 = Instant::now();
    run.set_phase(Phase::Measure);
    let mut last = begin;
    let mut per_second = Vec::new();
    let end = t0 + duration;
    let mut tick = t0;
    while tick < end {
        let next = (tick + Duration::from_secs(1)).min(end);
        thread::sleep(next.saturating_duration_since(Instant::now()));
        let now = run.totals();
        let secs = (next - tick).as_secs_f64();
        let rate = now.since(&last).responses() as f64 / secs;
        println!(
            "  {:>6.1}s  {:>12.0} responses/s",
            (next - t0).as_secs_f64(),
            rate
        );
        per_second.push(rate);
        last = now;
        tick = next;
    }
    let elapsed = t0.elapsed().as_secs_f64();
    let d = run.totals().since(&begin);
    run.stop()?;
    let rate = d.responses() as f64 / elapsed;
    println!(
        "RESULT throughput: {rate:.0} responses/s ({:.0} packet_out/s, {:.0} flow_mod/s, {:.0} packet_in/s sent, {} lost)",
        d.packet_outs as f64 / elapsed,
        d.flow_mods as f64 / elapsed,
        d.sent as f64 / elapsed,
        d.lost
    );
    let out = json!({
        "mode": "throughput", "controller": fleet.controller.to_string(),
        "switches": fleet.switches, "macs": fleet.macs, "window": window,
        "seconds": elapsed, "responses_per_sec": rate,
        "packet_outs_per_sec": d.packet_outs as f64 / elapsed,
        "flow_mods_per_sec": d.flow_mods as f64 / elapsed,
        "packet_ins_per_sec": d.sent as f64 / elapsed, "lost": d.lost,
        "per_second": per_second,
    });
    println!("{out}");
    Ok(())
}

fn latency(fleet: &Fleet, warmup: Duration, duration: Duration) -> Result<()> {
    println!(
        "latency: {} switches x {} MACs, one PACKET_IN outstanding per switch, against tcp:{}",
        fleet.switches, fleet.macs, fleet.controller
    );
    let run = start(fleet, LoadKind::Latency)?;
    run.set_phase(Phase::Warmup);
    thread::sleep(warmup);
    run.set_phase(Phase::Measure);
    let begin = run.totals();
    thread::sleep(duration);
    let d = run.totals().since(&begin);
    let mut samples: Vec<Duration> = run.stop()?.into_iter().flat_map(|r| r.latencies).collect();
    let p = Percentiles::of(&mut samples).ok_or_else(|| anyhow!("no PACKET_IN was answered"))?;
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "RESULT latency: p50 {:.1} us, p90 {:.1} us, p99 {:.1} us, p99.9 {:.1} us, max {:.1} us ({} samples, {} lost)",
        us(p.p50),
        us(p.p90),
        us(p.p99),
        us(p.p999),
        us(p.max),
        p.count,
        d.lost
    );
    let out = json!({
        "mode": "latency", "controller": fleet.controller.to_string(),
        "switches": fleet.switches, "macs": fleet.macs, "samples": p.count, "lost": d.lost,
        "p50_us": us(p.p50), "p90_us": us(p.p90), "p99_us": us(p.p99),
        "p999_us": us(p.p999), "max_us": us(p.max),
    });
    println!("{out}");
    Ok(())
}

fn idle(fleet: &Fleet, pid: u32, settle: Duration) -> Result<()> {
    println!(
        "idle: {} switches against tcp:{} (pid {pid})",
        fleet.switches, fleet.controller
    );
    let before = rss::rss_kib(pid).with_context(|| format!("reading the RSS of pid {pid}"))?;
    let run = start(fleet, LoadKind::Idle)?;
    thread::sleep(settle);
    let after = rss::rss_kib(pid).with_context(|| format!("reading the RSS of pid {pid}"))?;
    let still = run.totals().handshaken;
    run.stop()?;
    let per_switch = after.saturating_sub(before) as f64 / fleet.switches.max(1) as f64;
    println!(
        "RESULT idle: RSS {before} KiB before, {after} KiB with {} switches connected: {per_switch:.2} KiB per switch",
        fleet.switches
    );
    let out = json!({
        "mode": "idle", "controller": fleet.controller.to_string(), "switches": fleet.switches,
        "connected": still, "rss_before_kib": before, "rss_after_kib": after,
        "kib_per_switch": per_switch,
    });
    println!("{out}");
    Ok(())
}
