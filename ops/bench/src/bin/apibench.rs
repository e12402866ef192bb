//! `apibench`: the northbound API under load. `read`: concurrent full listings of the
//! connected switches (SwitchService.ListSwitches, every page); `write`: raw flow adds and
//! deletes one at a time, each committed (and, by default, confirmed by a barrier on the
//! switch). Prints figures, then one JSON line.

#[path = "../stats.rs"]
mod stats;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use navarch_proto::v1 as pb;
use navarch_proto::v1::switch_service_client::SwitchServiceClient;
use serde_json::json;
use stats::Percentiles;
use tonic::transport::Channel;

/// Northbound API benchmark.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// The API server.
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    server: String,
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand, Debug)]
enum Mode {
    /// Concurrent loops listing every switch.
    Read {
        /// Loops running at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Measured seconds.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Switches per page.
        #[arg(long, default_value_t = 100)]
        page_size: u32,
    },
    /// Flow adds then deletes, one at a time.
    Write {
        /// The switch.
        #[arg(long)]
        dpid: u64,
        /// Flows added (then deleted).
        #[arg(long, default_value_t = 1000)]
        count: u32,
        /// Return once committed only (default: confirmed by the switch's barrier).
        #[arg(long)]
        committed: bool,
    },
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn show(name: &str, p: &Percentiles) -> serde_json::Value {
    println!(
        "{name}: {} calls, p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        p.count,
        ms(p.p50),
        ms(p.p99),
        ms(p.max)
    );
    json!({"calls": p.count, "p50_ms": ms(p.p50), "p99_ms": ms(p.p99), "max_ms": ms(p.max)})
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let channel = Channel::from_shared(cli.server.clone())?
        .connect()
        .await
        .with_context(|| format!("connecting to {}", cli.server))?;
    match cli.mode {
        Mode::Read {
            concurrency,
            seconds,
            page_size,
        } => {
            let until = Instant::now() + Duration::from_secs(seconds);
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let mut client = SwitchServiceClient::new(channel.clone());
                tasks.push(tokio::spawn(async move {
                    let mut samples = Vec::new();
                    let mut listings = 0u64;
                    let mut seen = 0usize;
                    while Instant::now() < until {
                        let mut token = String::new();
                        seen = 0;
                        loop {
                            let t = Instant::now();
                            let page = client
                                .list_switches(pb::ListSwitchesRequest {
                                    page_size,
                                    page_token: token,
                                })
                                .await?
                                .into_inner();
                            samples.push(t.elapsed());
                            seen += page.switches.len();
                            token = page.next_page_token;
                            if token.is_empty() {
                                break;
                            }
                        }
                        listings += 1;
                    }
                    anyhow::Ok((samples, listings, seen))
                }));
            }
            let mut samples = Vec::new();
            let mut listings = 0;
            let mut switches = 0;
            for t in tasks {
                let (s, l, seen) = t.await??;
                samples.extend(s);
                listings += l;
                switches = seen;
            }
            let rpcs = samples.len();
            let p = Percentiles::of(&mut samples).context("no calls completed")?;
            let secs = seconds as f64;
            println!(
                "read: {switches} switches, {concurrency} concurrent loops: {:.0} full listings/s, {:.0} RPCs/s ({:.0} switches/s)",
                listings as f64 / secs,
                rpcs as f64 / secs,
                listings as f64 * switches as f64 / secs
            );
            let j = show("ListSwitches", &p);
            println!(
                "{}",
                json!({"mode": "read", "switches": switches, "concurrency": concurrency,
                    "listings_per_s": listings as f64 / secs, "rpcs_per_s": rpcs as f64 / secs,
                    "rpc": j})
            );
        }
        Mode::Write {
            dpid,
            count,
            committed,
        } => {
            let mut client = SwitchServiceClient::new(channel);
            let confirm = if committed {
                pb::Confirm::Committed
            } else {
                pb::Confirm::Applied
            } as i32;
            let flow = |n: u32| format!("table=0,priority=30000,tcp,tp_dst={},actions=drop", n + 1);
            let mut adds = Vec::new();
            for n in 0..count {
                let t = Instant::now();
                client
                    .add_flow(pb::AddFlowRequest {
                        dpid,
                        flow: flow(n),
                        confirm,
                    })
                    .await?;
                adds.push(t.elapsed());
            }
            let mut dels = Vec::new();
            for n in 0..count {
                let t = Instant::now();
                let r = client
                    .delete_flow(pb::DeleteFlowRequest {
                        dpid,
                        flow: flow(n).replace(",actions=drop", ""),
                        loose: false,
                        confirm,
                    })
                    .await?
                    .into_inner();
                dels.push(t.elapsed());
                if r.deleted != 1 {
                    bail!("deleting flow {n} deleted {}", r.deleted);
                }
            }
            let how = if committed { "committed" } else { "applied" };
            println!("write: {count} flows on {dpid:#x}, each {how}");
            let a = show("AddFlow", &Percentiles::of(&mut adds).context("no adds")?);
            let d = show(
                "DeleteFlow",
                &Percentiles::of(&mut dels).context("no deletes")?,
            );
            println!(
                "{}",
                json!({"mode": "write", "confirm": how, "add": a, "delete": d})
            );
        }
    }
    Ok(())
}
