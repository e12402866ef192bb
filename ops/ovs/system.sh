#!/usr/bin/env bash
# The system Open vSwitch instance (the one `ovs-vsctl`, `ovs-ofctl` and Mininet use by
# default: database socket /var/run/openvswitch/db.sock), started in userspace only. There is
# no OVS kernel module on the machines we run on, so ovs-vswitchd is started without loading
# one; Mininet must then use `--switch ovs,datapath=user` (bridges of datapath_type netdev).
#
#   system.sh start    start ovsdb-server and ovs-vswitchd unless already running; waits until
#                      `ovs-vsctl show` answers and ovs-vswitchd has connected to the database
#   system.sh stop     stop both daemons (bridges stay in the database; run as root)
#   system.sh status   exit 0 when both daemons are alive and answering, 1 otherwise
#
# Idempotent: start on a running instance and stop on a stopped one succeed. Run as root
# (ops/ovs/install.sh installs the packages). Environment: OVS_SYSTEM_TIMEOUT (seconds to
# wait for readiness, default 20).
#
# ovsdb-server is started with the distribution's `ovs-ctl --no-ovs-vswitchd start`, which
# creates or upgrades /etc/openvswitch/conf.db; ovs-ctl cannot start ovs-vswitchd here because
# it always tries to insert the kernel module first, so ovs-vswitchd is started directly with
# the options ovs-ctl would use (minus --mlockall, which containers often refuse).
set -euo pipefail

TIMEOUT=${OVS_SYSTEM_TIMEOUT:-20}
RUNDIR=/var/run/openvswitch
LOGDIR=/var/log/openvswitch
DB_SOCK=$RUNDIR/db.sock
OVS_CTL=/usr/share/openvswitch/scripts/ovs-ctl

die() {
    echo "system.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

# The pid in RUNDIR/NAME.pid when that process is alive and runs NAME.
live_pid() {
    local name=$1 pid
    [ -f "$RUNDIR/$name.pid" ] || return 1
    pid=$(cat "$RUNDIR/$name.pid" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [ -r "/proc/$pid/comm" ] || return 1
    # A recycled pid would run something else; `comm` is cut at 15 characters.
    [ "$(cat "/proc/$pid/comm")" = "${name:0:15}" ] || return 1
    [ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ] || return 1
    echo "$pid"
}

# Polls "$@" until it succeeds; 1 after $TIMEOUT seconds.
wait_for() {
    local deadline=$((SECONDS + TIMEOUT))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

db_answers() { ovs-vsctl --db="unix:$DB_SOCK" --timeout=2 show; }

# ovs-vswitchd has read the database once it records its version in the Open_vSwitch row
# (ovs-vswitchd sets cur_cfg to next_cfg after applying a configuration).
vswitchd_ready() {
    ovs-appctl -t "$RUNDIR/ovs-vswitchd.$(live_pid ovs-vswitchd).ctl" version &&
        [ "$(ovs-vsctl --db="unix:$DB_SOCK" --timeout=2 get Open_vSwitch . cur_cfg)" = \
            "$(ovs-vsctl --db="unix:$DB_SOCK" --timeout=2 get Open_vSwitch . next_cfg)" ]
}

log_tail() {
    local f=$LOGDIR/$1.log
    [ -f "$f" ] && { echo "--- last lines of $f:" >&2; tail -n 15 "$f" >&2; }
    return 0
}

require_tools() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (the system instance lives in $RUNDIR and /etc/openvswitch)"
    local bin
    for bin in ovsdb-server ovs-vswitchd ovs-vsctl ovs-appctl; do
        command -v "$bin" >/dev/null || die "$bin not found: run ops/ovs/install.sh first"
    done
    [ -x "$OVS_CTL" ] || die "$OVS_CTL not found: run ops/ovs/install.sh first"
}

start_ovsdb() {
    if live_pid ovsdb-server >/dev/null; then
        return 0
    fi
    mkdir -p "$RUNDIR" "$LOGDIR"
    # ovs-ctl prints its progress on stdout; keep it for the error message only.
    local out
    if ! out=$("$OVS_CTL" --no-ovs-vswitchd --no-monitor --system-id=random \
        --no-record-hostname --no-mlockall start 2>&1); then
        echo "$out" >&2
        log_tail ovsdb-server
        die "ovs-ctl could not start ovsdb-server"
    fi
    wait_for db_answers || { log_tail ovsdb-server; die "ovsdb-server did not answer on $DB_SOCK within ${TIMEOUT}s"; }
}

start_vswitchd() {
    if live_pid ovs-vswitchd >/dev/null; then
        return 0
    fi
    # ovs-vswitchd needs about three descriptors per bridge and one per port and handler.
    ulimit -n 65535 2>/dev/null || true
    ovs-vswitchd "unix:$DB_SOCK" -vconsole:emer -vsyslog:err -vfile:info \
        --no-chdir --pidfile="$RUNDIR/ovs-vswitchd.pid" --log-file="$LOGDIR/ovs-vswitchd.log" \
        --detach ||
        { log_tail ovs-vswitchd; die "ovs-vswitchd failed to start"; }
    wait_for vswitchd_ready || { log_tail ovs-vswitchd; die "ovs-vswitchd did not become ready within ${TIMEOUT}s"; }
}

start() {
    require_tools
    start_ovsdb
    start_vswitchd
    echo "system.sh: Open vSwitch running (ovsdb-server $(live_pid ovsdb-server), ovs-vswitchd $(live_pid ovs-vswitchd), $DB_SOCK)"
}

# Asks NAME to exit through its control socket, then by signal; waits until it is gone.
stop_daemon() {
    local name=$1 pid
    pid=$(live_pid "$name") || return 0
    ovs-appctl -t "$RUNDIR/$name.$pid.ctl" exit >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + TIMEOUT))
    while live_pid "$name" >/dev/null; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            live_pid "$name" >/dev/null && die "$name (pid $pid) would not exit"
            break
        fi
        sleep 0.1
    done
    rm -f "$RUNDIR/$name.pid"
}

stop() {
    [ "$(id -u)" -eq 0 ] || die "must run as root"
    stop_daemon ovs-vswitchd
    stop_daemon ovsdb-server
    echo "system.sh: Open vSwitch stopped"
}

status() {
    local db vs
    db=$(live_pid ovsdb-server) || { echo "system.sh: ovsdb-server not running"; return 1; }
    vs=$(live_pid ovs-vswitchd) || { echo "system.sh: ovs-vswitchd not running (ovsdb-server $db is)"; return 1; }
    db_answers >/dev/null 2>&1 || { echo "system.sh: ovsdb-server $db does not answer on $DB_SOCK"; return 1; }
    echo "system.sh: running (ovsdb-server $db, ovs-vswitchd $vs)"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*) usage ;;
esac
