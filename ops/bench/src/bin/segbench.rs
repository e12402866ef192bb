//! segbench: the segmentation app's flow computation at fleet scale, with no switches.
//!
//! Builds a tenant model (default: 100 hypervisors, 1,000 tenants, 5,000 VXLAN networks,
//! 50,000 logical ports, each network on up to 10 hypervisors), computes every flow and
//! group of every hypervisor as the controller does on start, and reports the time and the
//! memory it took; then adds ports one at a time, recomputing only the slices the model says
//! changed and diffing them against what they were, and reports the time per port, the
//! switches touched and the flow changes.
//!
//! `cargo run --release -p ofbench --bin segbench [-- HYPERVISORS TENANTS NETWORKS PORTS]`

use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use navarch_app::{App, FlowSpec, GroupSpec, HostInfo, PortInfo, Slice, View};
use openflow::{DatapathId, MacAddr, PortNo};
use segmentation::model::{Chassis, LogicalPort, ModelCommand, Network, Segment, Tenant};
use segmentation::{Segmentation, SharedModel};

/// Hypervisors with the ports the model binds, as a switch would report them.
struct Fleet {
    ports: BTreeMap<u64, Vec<PortInfo>>,
    by_name: std::collections::HashMap<(u64, String), PortNo>,
}

impl View for Fleet {
    fn switches(&self) -> Vec<DatapathId> {
        self.ports.keys().map(|&d| DatapathId(d)).collect()
    }
    fn ports(&self, dpid: DatapathId) -> Vec<PortInfo> {
        self.ports.get(&dpid.0).cloned().unwrap_or_default()
    }
    fn port_named(&self, dpid: DatapathId, name: &str) -> Option<PortNo> {
        self.by_name.get(&(dpid.0, name.to_owned())).copied()
    }
    fn is_link_port(&self, _: DatapathId, _: PortNo) -> bool {
        false
    }
    fn flood_ports(&self, _: DatapathId, _: PortNo) -> Vec<PortNo> {
        Vec::new()
    }
    fn next_hop(&self, _: DatapathId, _: DatapathId) -> Option<PortNo> {
        None
    }
    fn host(&self, _: MacAddr, _: Option<u16>) -> Option<HostInfo> {
        None
    }
    fn hosts(&self) -> Vec<HostInfo> {
        Vec::new()
    }
}

impl Fleet {
    fn plug(&mut self, dpid: u64, name: &str) {
        let ports = self.ports.entry(dpid).or_default();
        let port_no = PortNo(ports.len() as u32 + 1);
        ports.push(PortInfo {
            port_no,
            name: name.to_owned(),
            hw_addr: MacAddr([2, 0, 0, 0, 0, 0]),
            up: true,
            probing: false,
        });
        self.by_name.insert((dpid, name.to_owned()), port_no);
    }
}

/// Peak resident memory of this process, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn port_cmd(i: usize, net: &str, dpid: u64, tag_ip: usize) -> ModelCommand {
    let b = (i as u32).to_be_bytes();
    ModelCommand::PortPut(LogicalPort {
        name: format!("p{i}"),
        network: net.to_owned(),
        dpid,
        iface: format!("tap{i}"),
        mac: [2, 0, b[0], b[1], b[2], b[3]],
        ips: vec![IpAddr::V4(Ipv4Addr::new(
            10,
            0,
            (tag_ip / 250) as u8,
            (tag_ip % 250 + 2) as u8,
        ))],
    })
}

/// Where the `j`-th port of network `n` lives.
fn placement(n: usize, j: usize, hypervisors: usize) -> u64 {
    ((n * 7 + j * 13) % hypervisors) as u64 + 1
}

fn flow_set(flows: Vec<FlowSpec>) -> HashSet<FlowSpec> {
    flows.into_iter().collect()
}

/// Groups changed between two computations of a slice (a slice has at most one).
fn group_changes(before: &[GroupSpec], after: &[GroupSpec]) -> usize {
    before.iter().filter(|g| !after.contains(g)).count()
        + after.iter().filter(|g| !before.contains(g)).count()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("numbers"))
        .collect();
    let hypervisors = *args.first().unwrap_or(&100);
    let tenants = *args.get(1).unwrap_or(&1_000);
    let networks = *args.get(2).unwrap_or(&5_000);
    let ports = *args.get(3).unwrap_or(&50_000);
    let per_net = ports.div_ceil(networks);

    let rss_start = rss_kib();
    let model = SharedModel::default();
    let mut fleet = Fleet {
        ports: BTreeMap::new(),
        by_name: std::collections::HashMap::new(),
    };
    let started = Instant::now();
    for h in 1..=hypervisors as u64 {
        fleet.plug(h, "vxlan0");
        model
            .apply(&ModelCommand::ChassisPut(Chassis {
                dpid: h,
                name: format!("hv{h}"),
                tunnel_ip: Ipv4Addr::from(0x0a64_0000 + h as u32),
                tunnel_port: "vxlan0".into(),
            }))
            .expect("chassis");
    }
    for t in 0..tenants {
        model
            .apply(&ModelCommand::TenantPut(Tenant {
                name: format!("t{t}"),
                description: String::new(),
            }))
            .expect("tenant");
    }
    let mut next_port = 0;
    for n in 0..networks {
        let net = format!("n{n}");
        model
            .apply(&ModelCommand::NetworkPut(Network {
                name: net.clone(),
                tenant: format!("t{}", n % tenants),
                segment: Segment::Vxlan(n as u32 + 1),
                subnets: vec!["10.0.0.0/16".parse().expect("subnet")],
                tag: 0,
            }))
            .expect("network");
        for j in 0..per_net {
            if next_port >= ports {
                break;
            }
            let dpid = placement(n, j, hypervisors);
            fleet.plug(dpid, &format!("tap{next_port}"));
            model
                .apply(&port_cmd(next_port, &net, dpid, j))
                .expect("port");
            next_port += 1;
        }
    }
    let model_time = started.elapsed();
    let rss_model = rss_kib();
    let app = Segmentation::new(model.clone());

    // The whole fleet, as on a controller start: every flow and group of every hypervisor.
    let started = Instant::now();
    let mut all: Vec<(Vec<FlowSpec>, Vec<GroupSpec>)> = Vec::with_capacity(hypervisors);
    for dpid in fleet.switches() {
        all.push((app.flows(dpid, &fleet), app.groups(dpid, &fleet)));
    }
    let full_time = started.elapsed();
    let n_flows: usize = all.iter().map(|(f, _)| f.len()).sum();
    let n_groups: usize = all.iter().map(|(_, g)| g.len()).sum();
    let rss_full = rss_kib();

    println!(
        "model: {hypervisors} hypervisors, {tenants} tenants, {networks} networks, {next_port} ports \
         built in {:.1} ms",
        model_time.as_secs_f64() * 1e3
    );
    println!(
        "full computation: {n_flows} flows and {n_groups} groups on {hypervisors} hypervisors in \
         {:.1} ms",
        full_time.as_secs_f64() * 1e3
    );
    println!(
        "memory: model {:.1} MiB, model + every flow and group {:.1} MiB (RSS growth), peak RSS \
         {:.1} MiB",
        (rss_model.saturating_sub(rss_start)) as f64 / 1024.0,
        (rss_full.saturating_sub(rss_start)) as f64 / 1024.0,
        peak_rss_kib() as f64 / 1024.0
    );

    // One port at a time: the model says which networks changed where; only those slices are
    // recomputed and diffed against what they were.
    let rounds = 1_000;
    let mut times = Vec::with_capacity(rounds);
    let mut touched = Vec::with_capacity(rounds);
    let mut changes = Vec::with_capacity(rounds);
    let switches = fleet.switches();
    for r in 0..rounds {
        let n = (r * 37) % networks;
        let net = format!("n{n}");
        let dpid = placement(n, per_net + r, hypervisors);
        let i = next_port + r;
        fleet.plug(dpid, &format!("tap{i}"));
        let tag = model.lock().network(&net).expect("network").tag;
        let slice = Slice::Id(u64::from(tag));
        // What the slices were (the host keeps this; computed outside the timing).
        let reach: Vec<u64> = model.lock().switches_of(tag).chain([dpid]).collect();
        let before: BTreeMap<DatapathId, (HashSet<FlowSpec>, Vec<GroupSpec>)> = reach
            .into_iter()
            .map(|d| {
                let d = DatapathId(d);
                (
                    d,
                    (
                        flow_set(app.slice_flows(d, &slice, &fleet)),
                        app.slice_groups(d, &slice, &fleet),
                    ),
                )
            })
            .collect();
        let started = Instant::now();
        let effect = model
            .apply(&port_cmd(i, &net, dpid, per_net + r))
            .expect("port add");
        let mut changed = 0;
        let inv = Segmentation::invalidations(&effect, &switches);
        for (d, s) in &inv {
            let flows = flow_set(app.slice_flows(*d, s, &fleet));
            let groups = app.slice_groups(*d, s, &fleet);
            let empty = (HashSet::new(), Vec::new());
            let (bf, bg) = before.get(d).unwrap_or(&empty);
            changed += flows.symmetric_difference(bf).count();
            changed += group_changes(bg, &groups);
        }
        times.push(started.elapsed());
        touched.push(inv.len());
        changes.push(changed);
    }
    times.sort();
    touched.sort();
    changes.sort();
    println!(
        "one port added ({rounds} rounds): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; switches \
         touched p50 {} max {}; flow+group changes p50 {} max {}",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().expect("rounds").as_secs_f64() * 1e3,
        touched[rounds / 2],
        touched[rounds - 1],
        changes[rounds / 2],
        changes[rounds - 1],
    );
    drop(all);
}
