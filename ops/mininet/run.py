#!/usr/bin/python3
"""Runs a Mininet network of userspace Open vSwitch bridges against a remote OpenFlow 1.3
controller, performs actions on it, and stops exactly the network it started.

  run.py --topo SPEC [--controller tcp:IP:PORT] [--json] [--connect-timeout S]
         [--cleanup-all] ACTION [ACTION ...]

SPEC is Mininet's syntax: tree,depth=2,fanout=3 | torus,3,3 | ring,N | linear,N.
Switches are OVSSwitch(datapath='user', protocols='OpenFlow13') on the system OVS
(start it with ops/ovs/system.sh start), like `mn --switch ovs,datapath=user`.

Actions run in order; each consumes the words after it up to the next action name:
  pingall [--timeout S]                      ping every ordered host pair once; loss %
  ping-continuous SRC DST [--seconds N] [--interval S]
                                             ping SRC->DST every S (default 0.05) for N
                                             seconds (default 5); sent/received/lost
  link-down A B | link-up A B                set both ends of the link between nodes A, B
  inject-lldp HOST [lldp_send.py options]    send a forged LLDP frame from HOST's eth0
  sleep SECONDS                              wait
  hold                                       keep the network up until SIGINT/SIGTERM
  serve                                      read actions from stdin, one per line, until
                                             EOF or `quit`; a result line for each

With --json every output line on stdout is one JSON object: {"event": "ready", ...} once every
switch has a TCP session to the controller (the OpenFlow handshake may still be under way:
tests that need the controller's flows should poll the flow tables), one {"action": ..., "ok": ...} per action, and
{"event": "stopped"} at the end. Mininet's own log goes to stderr.

Cleanup: the network is stopped on exit, on SIGINT/SIGTERM and on errors, deleting only its
own bridges, links and host namespaces. Interfaces and bridges left with this topology's names
by a previous run that was killed with -9 are deleted before starting. --cleanup-all runs
`mn -c` first: a last resort, because it deletes EVERY OVS bridge on the machine and kills
every ping and controller process Mininet knows about.
"""

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time

sys.path.insert(0, "/usr/lib/python3/dist-packages")

from mininet.clean import cleanup as mininet_cleanup  # noqa: E402
from mininet.log import lg, setLogLevel  # noqa: E402
from mininet.net import Mininet  # noqa: E402
from mininet.node import OVSSwitch, RemoteController  # noqa: E402
from mininet.topo import LinearTopo, Topo  # noqa: E402
from mininet.topolib import TorusTopo, TreeTopo  # noqa: E402
from mininet.util import buildTopo  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LLDP_SENDER = os.path.join(HERE, "lldp_send.py")


class RingTopo(Topo):
    """N switches in a ring (s1-s2-...-sN-s1), one host per switch: a single loop."""

    def build(self, n=3):
        if n < 3:
            raise ValueError("a ring needs at least 3 switches, got %d" % n)
        switches = []
        for i in range(1, n + 1):
            switch = self.addSwitch("s%d" % i)
            host = self.addHost("h%d" % i)
            self.addLink(host, switch)
            switches.append(switch)
        for i in range(n):
            self.addLink(switches[i], switches[(i + 1) % n])


TOPOS = {
    "tree": TreeTopo,
    "torus": TorusTopo,
    "ring": RingTopo,
    "linear": LinearTopo,
}


class Stop(Exception):
    """Raised from the signal handler so that the network is stopped in `finally`."""


class ActionError(Exception):
    """An action that could not be carried out (bad arguments, unknown node)."""


def emit(args, record, text):
    """Prints a result: the record as one JSON line, or the text."""
    if args.json:
        print(json.dumps(record), flush=True)
    else:
        print(text, flush=True)


def node(net, name):
    """The Mininet node called NAME, or an ActionError."""
    try:
        return net[name]
    except KeyError:
        raise ActionError("no node named %r (hosts: %s; switches: %s)" % (
            name, " ".join(h.name for h in net.hosts), " ".join(s.name for s in net.switches)))


PING_SUMMARY = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received")
PING_RTT = re.compile(r"= [\d.]+/([\d.]+)/([\d.]+)/")


def ping_counts(output):
    """(transmitted, received) from iputils ping's summary line."""
    m = PING_SUMMARY.search(output)
    if not m:
        raise ActionError("cannot read ping's summary from: %r" % output[-300:])
    return int(m.group(1)), int(m.group(2))


def act_pingall(net, argv):
    p = argparse.ArgumentParser(prog="pingall")
    p.add_argument("--timeout", type=float, default=2.0)
    a = p.parse_args(argv)
    started = time.monotonic()
    sent = received = 0
    failed = []
    for src in net.hosts:
        for dst in net.hosts:
            if src is dst:
                continue
            out = src.cmd("ping -n -c1 -W %g %s" % (a.timeout, dst.IP()))
            tx, rx = ping_counts(out)
            sent += tx
            received += rx
            if rx < tx:
                failed.append("%s->%s" % (src.name, dst.name))
    loss = 100.0 * (sent - received) / sent if sent else 0.0
    record = {"action": "pingall", "ok": True, "sent": sent, "received": received,
              "loss_percent": loss, "failed_pairs": failed,
              "seconds": round(time.monotonic() - started, 3)}
    return record, "pingall: %d/%d received, %.1f%% loss%s" % (
        received, sent, loss, (" (failed: %s)" % " ".join(failed)) if failed else "")


def act_ping_continuous(net, argv):
    p = argparse.ArgumentParser(prog="ping-continuous")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--interval", type=float, default=0.05)
    a = p.parse_args(argv)
    if a.interval < 0.002 or a.seconds <= 0:
        raise ActionError("need --interval >= 0.002 and --seconds > 0")
    src, dst = node(net, a.src), node(net, a.dst)
    count = max(1, int(round(a.seconds / a.interval)))
    started = time.monotonic()
    # -c (not -w): ping waits for the last replies, so packets in flight at the end are not
    # counted as lost; -W bounds that wait.
    out = src.cmd("ping -n -q -c %d -i %g -W 1 %s" % (count, a.interval, dst.IP()))
    tx, rx = ping_counts(out)
    rtt = PING_RTT.search(out)
    record = {"action": "ping-continuous", "ok": True, "src": a.src, "dst": a.dst,
              "interval": a.interval, "sent": tx, "received": rx, "lost": tx - rx,
              "rtt_avg_ms": float(rtt.group(1)) if rtt else None,
              "rtt_max_ms": float(rtt.group(2)) if rtt else None,
              "seconds": round(time.monotonic() - started, 3)}
    return record, "ping-continuous %s->%s: sent %d, received %d, lost %d" % (
        a.src, a.dst, tx, rx, tx - rx)


def act_link(net, argv, status):
    if len(argv) != 2:
        raise ActionError("link-%s needs two node names" % status)
    a, b = node(net, argv[0]), node(net, argv[1])
    if not a.connectionsTo(b):
        raise ActionError("no link between %s and %s" % (a.name, b.name))
    net.configLinkStatus(a.name, b.name, status)
    record = {"action": "link-" + status, "ok": True, "a": a.name, "b": b.name}
    return record, "link %s-%s %s" % (a.name, b.name, status)


def act_inject_lldp(net, argv):
    if not argv:
        raise ActionError("inject-lldp needs a host name")
    host = node(net, argv[0])
    iface = host.defaultIntf()
    if iface is None:
        raise ActionError("%s has no interface" % host.name)
    cmd = ["/usr/bin/python3", LLDP_SENDER, iface.name] + argv[1:]
    out = host.cmd(" ".join(shlex.quote(c) for c in cmd) + " 2>&1")
    last = out.strip().splitlines()[-1] if out.strip() else ""
    try:
        sent = json.loads(last)
    except ValueError:
        raise ActionError("lldp_send.py failed: %s" % out.strip())
    record = {"action": "inject-lldp", "ok": True, "host": host.name, **sent}
    return record, "inject-lldp: %d frame(s) from %s (%s)" % (
        sent["frames_sent"], host.name, iface.name)


def act_sleep(net, argv):
    if len(argv) != 1:
        raise ActionError("sleep needs a number of seconds")
    time.sleep(float(argv[0]))
    return {"action": "sleep", "ok": True, "seconds": float(argv[0])}, "slept %s s" % argv[0]


def act_hold(net, argv):
    emit(ARGS, {"action": "hold", "ok": True, "holding": True}, "holding; SIGINT or SIGTERM stops")
    while True:
        signal.pause()


def act_serve(net, argv):
    for line in sys.stdin:
        words = shlex.split(line)
        if not words:
            continue
        if words[0] == "quit":
            break
        run_action(net, words[0], words[1:])
    return {"action": "serve", "ok": True}, "serve: end of input"


ACTIONS = {
    "pingall": act_pingall,
    "ping-continuous": act_ping_continuous,
    "link-down": lambda net, argv: act_link(net, argv, "down"),
    "link-up": lambda net, argv: act_link(net, argv, "up"),
    "inject-lldp": act_inject_lldp,
    "sleep": act_sleep,
    "hold": act_hold,
    "serve": act_serve,
}


def run_action(net, name, argv):
    """Runs one action and prints its result; errors become an ok=false result."""
    if name not in ACTIONS:
        record = {"action": name, "ok": False,
                  "error": "unknown action (known: %s)" % " ".join(ACTIONS)}
        emit(ARGS, record, "%s: %s" % (name, record["error"]))
        return False
    try:
        record, text = ACTIONS[name](net, argv)
    except (ActionError, ValueError) as e:
        record, text = {"action": name, "ok": False, "error": str(e)}, "%s: %s" % (name, e)
    except SystemExit:
        # argparse already printed the usage error on stderr.
        record = {"action": name, "ok": False, "error": "bad arguments: %s" % " ".join(argv)}
        text = "%s: bad arguments" % name
    emit(ARGS, record, text)
    return record["ok"]


def split_actions(words):
    """[(name, argv)] from the words after the options."""
    actions = []
    for w in words:
        if w in ACTIONS:
            actions.append((w, []))
        elif not actions:
            raise SystemExit("run.py: %r is not an action (known: %s)" % (w, " ".join(ACTIONS)))
        else:
            actions[-1][1].append(w)
    return actions


def parse_controller(text):
    m = re.fullmatch(r"tcp:([0-9.]+):(\d+)", text)
    if not m:
        raise SystemExit("run.py: --controller must be tcp:IP:PORT, got %r" % text)
    return m.group(1), int(m.group(2))


def reclaim_leftovers(topo):
    """Deletes bridges and interfaces carrying this topology's names that a killed run left."""
    existing = set(os.listdir("/sys/class/net"))
    switches = list(topo.switches())
    stale = [n for n in existing if any(n == s or n.startswith(s + "-eth") for s in switches)]
    if stale:
        lg.warning("*** removing leftovers of an earlier run: %s\n" % " ".join(sorted(stale)))
    for name in switches:
        subprocess.run(["ovs-vsctl", "--timeout=5", "--if-exists", "del-br", name],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for name in stale:
        subprocess.run(["ip", "link", "del", name],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def vswitchd_sessions(ip, port):
    """How many established TCP connections ovs-vswitchd has to the controller at ip:port."""
    out = subprocess.run(["ss", "-Htnp", "state", "established", "dst", "%s:%d" % (ip, port)],
                         capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if '"ovs-vswitchd"' in line)


def wait_connected(net, ip, port, timeout):
    """Waits until every switch has a TCP session to the controller.

    Mininet's own waitConnected reads is_connected from the OVS database, which ovs-vswitchd
    refreshes only every 5 seconds; the sockets show a connection at once.
    """
    deadline = time.monotonic() + timeout
    while vswitchd_sessions(ip, port) < len(net.switches):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def on_signal(signum, frame):
    raise Stop()


def main():
    global ARGS
    parser = argparse.ArgumentParser(
        description="Mininet on userspace OVS against a remote OpenFlow 1.3 controller",
        epilog="actions: " + " ".join(ACTIONS) + " (see the module docstring)")
    parser.add_argument("--topo", required=True, help="tree,depth=2,fanout=3 | torus,3,3 | ring,N | linear,N")
    parser.add_argument("--controller", default="tcp:127.0.0.1:6653")
    parser.add_argument("--json", action="store_true", help="JSON lines on stdout")
    parser.add_argument("--connect-timeout", type=float, default=20.0,
                        help="seconds to wait for every switch to connect (default 20)")
    parser.add_argument("--cleanup-all", action="store_true",
                        help="run `mn -c` first (deletes EVERY bridge on the machine)")
    parser.add_argument("--log", default="warning", help="Mininet log level (default warning)")
    parser.add_argument("actions", nargs=argparse.REMAINDER)
    ARGS = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run.py: must run as root")
    setLogLevel(ARGS.log)
    actions = split_actions(ARGS.actions)
    ip, port = parse_controller(ARGS.controller)
    try:
        topo = buildTopo(TOPOS, ARGS.topo)
    except Exception as e:  # Mininet raises bare Exception for bad topology strings.
        raise SystemExit("run.py: bad --topo %r: %s" % (ARGS.topo, e))

    if ARGS.cleanup_all:
        mininet_cleanup()
    reclaim_leftovers(topo)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    net = None
    ok = True
    try:
        net = Mininet(topo=topo, controller=None, build=False, autoSetMacs=True,
                      switch=lambda name, **kw: OVSSwitch(
                          name, datapath="user", protocols="OpenFlow13", **kw))
        net.addController("c0", controller=RemoteController, ip=ip, port=port)
        net.build()
        net.start()
        started = time.monotonic()
        connected = wait_connected(net, ip, port, ARGS.connect_timeout)
        ready = {"event": "ready", "connected": bool(connected),
                 "connect_seconds": round(time.monotonic() - started, 3),
                 "switches": [{"name": s.name, "dpid": s.dpid} for s in net.switches],
                 "hosts": [{"name": h.name, "ip": h.IP(), "mac": h.MAC()} for h in net.hosts],
                 "links": [[l.intf1.node.name, l.intf2.node.name] for l in net.links]}
        emit(ARGS, ready, "ready: %d switches, %d hosts, connected=%s" % (
            len(net.switches), len(net.hosts), bool(connected)))
        if not connected:
            ok = False
        else:
            for name, argv in actions:
                ok = run_action(net, name, argv) and ok
    except Stop:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if net is not None:
            net.stop()
        emit(ARGS, {"event": "stopped"}, "stopped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
