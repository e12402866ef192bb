//! Tenant segmentation over a real VXLAN overlay: three "hypervisors" (separate userspace
//! ovs-vswitchd instances, each in its own network namespace, joined by a veth underlay,
//! built by ops/hypervisors/lab.sh) connected to navarchd running the segmentation app, with
//! "VMs" as namespaces plugged into them, all configured through `navctl tenant`.
//!
//! Tenants a and b each get a network spanning the hypervisors with the same subnet and the
//! same MAC addresses. Shown: every pair inside a tenant pings across hypervisors and no pair
//! across tenants does; an ARP broadcast of tenant a is seen on no port of b (tcpdump) but is
//! on a's; the underlay carries VXLAN with each network's VNI and no other; a spoofed source
//! MAC or IP is dropped; a moved VM answers again within a second; deleting a network
//! removes exactly its flows and group on every hypervisor.
//!
//! Needs root. Takes the machine-wide Mininet lock: a Mininet cleanup elsewhere kills every
//! `ping`.

mod support;

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{ControllerProcess, MininetLock, free_tcp_port, repo_root};

/// The lab: hypervisors and VMs, torn down on drop.
struct Lab {
    dir: tempfile::TempDir,
}

fn lab_sh() -> PathBuf {
    repo_root().join("ops/hypervisors/lab.sh")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

impl Lab {
    fn new() -> Lab {
        let dir = tempfile::Builder::new()
            .prefix("nvlab")
            .tempdir_in("/tmp")
            .expect("lab dir");
        let lab = Lab { dir };
        // Leftovers of a killed run use the same names.
        lab.run(&["down", lab.path()]);
        lab
    }

    fn path(&self) -> &str {
        self.dir.path().to_str().expect("utf-8 path")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(lab_sh())
            .args(args)
            .output()
            .expect("run lab.sh")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "lab.sh {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn listen_args(&self, n: usize) -> Vec<String> {
        self.ok(&["listen", self.path(), &n.to_string()])
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }

    /// Plugs a VM into hypervisor `k`; its OpenFlow port number.
    fn vm(&self, k: u32, name: &str, mac: &str, ip: &str) -> u32 {
        let out = self.ok(&[
            "vm",
            self.path(),
            &k.to_string(),
            name,
            mac,
            &format!("{ip}/24"),
        ]);
        out.split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
            .expect("ofport")
    }

    fn exec(&self, vm: &str, args: &[&str]) -> Output {
        let mut all = vec!["exec", self.path(), vm];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Replies to `count` pings from `vm` to `ip`.
    fn ping(&self, vm: &str, ip: &str, count: u32) -> u32 {
        let out = self.exec(
            vm,
            &["ping", "-c", &count.to_string(), "-i", "0.2", "-W", "1", ip],
        );
        let s = text(&out);
        s.lines()
            .find_map(|l| {
                l.split(", ")
                    .find(|p| p.ends_with(" received"))
                    .and_then(|p| p.trim_end_matches(" received").parse().ok())
            })
            .unwrap_or_else(|| panic!("no ping summary: {s}"))
    }

    /// Pings until a reply comes (the underlay resolves tunnel neighbours on first use).
    fn reaches(&self, vm: &str, ip: &str, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if self.ping(vm, ip, 1) == 1 {
                return true;
            }
        }
        false
    }

    /// Flows of hypervisor `k`'s br-int, without counters, sorted.
    fn flows(&self, k: u32) -> BTreeSet<String> {
        self.ok(&[
            "ofctl",
            self.path(),
            &k.to_string(),
            "dump-flows",
            "--no-stats",
        ])
        .lines()
        .filter(|l| l.contains("priority="))
        .map(|l| l.trim().to_owned())
        .collect()
    }

    fn groups(&self, k: u32) -> String {
        self.ok(&["ofctl", self.path(), &k.to_string(), "dump-groups"])
    }

    /// Starts tcpdump in namespace `ns` on `iface`; stop it with [`finish`].
    fn capture(ns: &str, iface: &str, filter: &str) -> Child {
        let child = Command::new("ip")
            .args(["netns", "exec", ns, "tcpdump", "-lnei", iface])
            .args(filter.split_whitespace())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tcpdump");
        // tcpdump needs a moment to attach.
        std::thread::sleep(Duration::from_millis(700));
        child
    }
}

/// Stops a capture and returns what it printed.
fn finish(child: Child) -> String {
    std::thread::sleep(Duration::from_millis(500));
    // SIGINT makes tcpdump flush what it captured.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().expect("tcpdump output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = self.run(&["down", self.path()]);
    }
}

struct Navarchd {
    _process: ControllerProcess,
    api: String,
    _data: tempfile::TempDir,
}

fn navarchd(listen: &[String]) -> Navarchd {
    let port = free_tcp_port().expect("port");
    let api_port = free_tcp_port().expect("port");
    let data = tempfile::tempdir().expect("data dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_navarchd"));
    command
        .args(listen)
        .arg("--listen")
        .arg(format!("tcp:127.0.0.1:{port}"))
        .arg("--api-listen")
        .arg(format!("127.0.0.1:{api_port}"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["--app", "segmentation", "--log-level", "info"]);
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let process = ControllerProcess::start("navarchd", command, listen, Duration::from_secs(20))
        .expect("navarchd listening");
    Navarchd {
        _process: process,
        api: format!("127.0.0.1:{api_port}"),
        _data: data,
    }
}

/// Runs navctl; its exit code and output.
fn navctl(api: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_navctl"))
        .arg("--server")
        .arg(api)
        .args(args)
        .output()
        .expect("run navctl");
    (out.status.code().unwrap_or(-1), text(&out))
}

fn navctl_ok(api: &str, args: &[&str]) -> String {
    let (code, out) = navctl(api, args);
    assert_eq!(code, 0, "navctl {args:?}: {out}");
    out
}

fn wait_for_switches(api: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, out) = navctl(api, &["switch", "list"]);
        let connected = out.lines().filter(|l| l.contains("navarch.of")).count();
        if connected >= n {
            return;
        }
        assert!(Instant::now() < deadline, "switches did not connect: {out}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A VM: name, hypervisor, MAC, IP.
struct Vm(&'static str, u32, &'static str, &'static str);

const VMS: &[Vm] = &[
    Vm("a1", 1, "02:00:00:00:00:01", "10.0.0.1"),
    Vm("a2", 2, "02:00:00:00:00:02", "10.0.0.2"),
    Vm("a3", 3, "02:00:00:00:00:03", "10.0.0.3"),
    // Tenant b reuses a's subnet and a's first two MACs.
    Vm("b1", 1, "02:00:00:00:00:01", "10.0.0.1"),
    Vm("b2", 2, "02:00:00:00:00:02", "10.0.0.2"),
    Vm("b3", 3, "02:00:00:00:00:09", "10.0.0.9"),
];

fn iface(vm: &str) -> String {
    format!("nvt-{vm}")
}

#[test]
fn tenants_are_isolated_on_a_vxlan_overlay_between_three_hypervisors() {
    let _lock = MininetLock::acquire().expect("machine-wide Mininet lock");
    let lab = Lab::new();
    let listen = lab.listen_args(3);
    let nav = navarchd(&listen);
    let api = nav.api.as_str();
    lab.ok(&["up", lab.path(), "3"]);
    let mut ofport = std::collections::BTreeMap::new();
    for vm in VMS {
        ofport.insert(vm.0, lab.vm(vm.1, vm.0, vm.2, vm.3));
    }
    wait_for_switches(api, 3);

    // The model, through navctl.
    for k in 1..=3 {
        navctl_ok(
            api,
            &[
                "tenant",
                "chassis",
                "set",
                &k.to_string(),
                "--tunnel-ip",
                &format!("192.168.254.{k}"),
            ],
        );
    }
    for (t, vni) in [("a", "100"), ("b", "200")] {
        navctl_ok(api, &["tenant", "set", t]);
        let net = format!("{t}-net");
        navctl_ok(
            api,
            &[
                "tenant",
                "net",
                "set",
                &net,
                "--tenant",
                t,
                "--vni",
                vni,
                "--subnet",
                "10.0.0.0/24",
            ],
        );
    }
    for vm in VMS {
        let net = format!("{}-net", &vm.0[..1]);
        navctl_ok(
            api,
            &[
                "tenant",
                "port",
                "set",
                vm.0,
                "--network",
                &net,
                "--dpid",
                &vm.1.to_string(),
                "--iface",
                &iface(vm.0),
                "--mac",
                vm.2,
                "--ip",
                vm.3,
                "--wait",
                "applied",
            ],
        );
    }
    // Bad requests name the field and change nothing.
    let (code, out) = navctl(
        api,
        &[
            "tenant", "net", "set", "c-net", "--tenant", "b", "--vni", "100",
        ],
    );
    assert_eq!(code, 6, "a taken VNI is ALREADY_EXISTS: {out}");
    assert!(out.contains("network.vni"), "{out}");
    let (code, out) = navctl(
        api,
        &[
            "tenant",
            "port",
            "set",
            "x",
            "--network",
            "a-net",
            "--dpid",
            "1",
            "--iface",
            "nope",
            "--mac",
            "02:00:00:00:00:01",
            "--ip",
            "10.0.0.44",
        ],
    );
    assert_eq!(code, 6, "a MAC taken in the network: {out}");
    assert!(out.contains("port.mac"), "{out}");
    let (code, out) = navctl(
        api,
        &[
            "tenant",
            "port",
            "set",
            "x",
            "--network",
            "a-net",
            "--dpid",
            "1",
            "--iface",
            "nope",
            "--mac",
            "02:00:00:00:00:44",
            "--ip",
            "10.9.0.1",
        ],
    );
    assert_eq!(code, 4, "an address outside the subnet: {out}");
    assert!(out.contains("port.ips"), "{out}");
    let (code, out) = navctl(
        api,
        &[
            "tenant",
            "port",
            "set",
            "x",
            "--network",
            "gone",
            "--dpid",
            "1",
            "--iface",
            "nope",
            "--mac",
            "02:00:00:00:00:44",
        ],
    );
    assert_eq!(code, 3, "an unknown network: {out}");
    let (code, _) = navctl(api, &["tenant", "del", "a"]);
    assert_eq!(code, 6, "a tenant with networks stays");
    let ports = navctl_ok(api, &["tenant", "port", "list"]);
    assert_eq!(ports.lines().count(), 1 + VMS.len(), "{ports}");

    // Every pair inside a tenant pings, across hypervisors.
    for (from, to) in [
        ("a1", "10.0.0.2"),
        ("a1", "10.0.0.3"),
        ("a2", "10.0.0.3"),
        ("b1", "10.0.0.2"),
        ("b1", "10.0.0.9"),
        ("b2", "10.0.0.9"),
    ] {
        assert!(
            lab.reaches(from, to, Duration::from_secs(5)),
            "{from} -> {to}"
        );
        assert_eq!(lab.ping(from, to, 3), 3, "{from} -> {to} after warm-up");
    }
    // No pair across tenants does: a has no 10.0.0.9, b has no 10.0.0.3, even on the same
    // hypervisor, and a frame sent straight to another tenant's MAC goes nowhere.
    assert_eq!(lab.ping("a1", "10.0.0.9", 3), 0);
    assert_eq!(lab.ping("a3", "10.0.0.9", 3), 0);
    assert_eq!(lab.ping("b3", "10.0.0.3", 3), 0);
    lab.exec(
        "a3",
        &[
            "ip",
            "neigh",
            "replace",
            "10.0.0.9",
            "lladdr",
            "02:00:00:00:00:09",
            "dev",
            "eth0",
        ],
    );
    assert_eq!(lab.ping("a3", "10.0.0.9", 3), 0, "a's frame to b3's MAC");

    // A broadcast of tenant a (ARP for an address nobody has) is seen on a's ports, on no
    // port of b.
    let watch_b: Vec<Child> = ["b1", "b2", "b3"]
        .iter()
        .map(|b| Lab::capture(&format!("nvvm-{b}"), "eth0", "arp"))
        .collect();
    let watch_a = Lab::capture("nvvm-a2", "eth0", "arp");
    lab.ping("a1", "10.0.0.77", 2);
    let seen_a = finish(watch_a);
    assert!(
        seen_a.contains("10.0.0.77"),
        "a2 sees a1's broadcast: {seen_a}"
    );
    for (b, child) in ["b1", "b2", "b3"].iter().zip(watch_b) {
        let seen = finish(child);
        assert!(
            !seen.contains("10.0.0.77"),
            "{b} saw tenant a's broadcast: {seen}"
        );
    }
    // Known addresses are answered by the switch: a1's ARP for a2 never crosses the underlay.
    let underlay = Lab::capture("nvul", "nvul-br", "udp port 4789");
    lab.exec("a1", &["ip", "neigh", "flush", "dev", "eth0"]);
    assert_eq!(lab.ping("a1", "10.0.0.2", 2), 2);
    assert_eq!(lab.ping("b1", "10.0.0.2", 2), 2);
    let wire = finish(underlay);
    let vnis: BTreeSet<&str> = wire
        .split("vni ")
        .skip(1)
        .filter_map(|s| s.split_whitespace().next())
        .collect();
    assert_eq!(vnis, BTreeSet::from(["100", "200"]), "{wire}");
    assert!(!wire.contains("ARP"), "ARP crossed the underlay: {wire}");
    let neigh = text(&lab.exec("a1", &["ip", "neigh", "show", "10.0.0.2"]));
    assert!(neigh.contains("02:00:00:00:00:02"), "{neigh}");

    // Spoofing: another source MAC, or another source IP, is dropped at the first switch.
    lab.exec(
        "a1",
        &["ip", "link", "set", "eth0", "address", "02:00:00:00:00:66"],
    );
    assert_eq!(lab.ping("a1", "10.0.0.2", 3), 0, "spoofed MAC");
    lab.exec(
        "a1",
        &["ip", "link", "set", "eth0", "address", "02:00:00:00:00:01"],
    );
    lab.exec("a1", &["ip", "addr", "add", "10.0.0.66/24", "dev", "eth0"]);
    let out = lab.exec(
        "a1",
        &[
            "ping",
            "-c",
            "3",
            "-i",
            "0.2",
            "-W",
            "1",
            "-I",
            "10.0.0.66",
            "10.0.0.2",
        ],
    );
    assert!(
        text(&out).contains(" 0 received"),
        "spoofed IP: {}",
        text(&out)
    );
    lab.exec("a1", &["ip", "addr", "del", "10.0.0.66/24", "dev", "eth0"]);
    assert!(
        lab.reaches("a1", "10.0.0.2", Duration::from_secs(3)),
        "a1 again"
    );

    // Moving a2 to hypervisor 3: connectivity is back within a second of the API call.
    lab.ok(&["move", lab.path(), "a2", "3"]);
    let start = Instant::now();
    navctl_ok(
        api,
        &[
            "tenant",
            "port",
            "set",
            "a2",
            "--network",
            "a-net",
            "--dpid",
            "3",
            "--iface",
            &iface("a2"),
            "--mac",
            "02:00:00:00:00:02",
            "--ip",
            "10.0.0.2",
            "--wait",
            "applied",
        ],
    );
    assert!(
        lab.reaches("a1", "10.0.0.2", Duration::from_secs(1)),
        "a2 after the move"
    );
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "moved port answered after {took:?}"
    );
    assert!(lab.reaches("a3", "10.0.0.2", Duration::from_secs(1)));

    // Deleting b-net removes its flows and group on every hypervisor, and nothing else.
    let before: Vec<BTreeSet<String>> = (1..=3).map(|k| lab.flows(k)).collect();
    let b_ports: Vec<String> = ["b1", "b2", "b3"]
        .iter()
        .map(|b| format!("in_port={},", ofport[b]))
        .collect();
    navctl_ok(api, &["tenant", "net", "del", "b-net", "--wait", "applied"]);
    for k in 1..=3u32 {
        let after = lab.flows(k);
        let was = &before[k as usize - 1];
        assert!(
            after.is_subset(was),
            "hv{k} gained flows: {:?}",
            after.difference(was)
        );
        let removed: Vec<&String> = was.difference(&after).collect();
        assert!(!removed.is_empty(), "hv{k} lost nothing");
        // Every removed flow was b-net's: its tag (2) in metadata, its VNI, or a port of b.
        let is_b = |f: &str| {
            f.contains("metadata=0x2/")
                || f.contains("metadata=0x10002/")
                || f.contains("write_metadata:0x2/")
                || f.contains("write_metadata:0x10002/")
                || f.contains("tun_id=0xc8")
                || b_ports.iter().any(|p| f.contains(p.as_str()))
        };
        for f in &removed {
            assert!(is_b(f), "hv{k} lost a flow that was not b-net's: {f}");
        }
        for f in &after {
            assert!(!is_b(f), "hv{k} kept a flow of b-net: {f}");
        }
        // a-net lives on hypervisors 1 and 3 now (a2 moved away from 2).
        let groups = lab.groups(k);
        let want = if k == 2 { 0 } else { 1 };
        assert_eq!(groups.matches("group_id=").count(), want, "hv{k}: {groups}");
    }
    assert!(
        lab.reaches("a1", "10.0.0.3", Duration::from_secs(2)),
        "a still works"
    );
    let nets = navctl_ok(api, &["tenant", "net", "list"]);
    assert!(!nets.contains("b-net"), "{nets}");
}
