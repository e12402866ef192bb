#!/usr/bin/env bash
# An isolated Open vSwitch instance (ovsdb-server + ovs-vswitchd, userspace datapath) whose
# database, pid files, logs, control sockets and bridge management sockets (DIR/<bridge>.mgmt)
# all live under one directory, so several can run at once and none touches the system
# instance in /var/run/openvswitch.
#
#   sandbox.sh start DIR [--dummy] [--netns NS]   start the daemons (DIR is created)
#   sandbox.sh add-br DIR BRIDGE [DPID]           add a netdev bridge speaking OpenFlow 1.3
#   sandbox.sh add-port DIR BRIDGE PORT [OFPORT]  add a port (internal; dummy with --dummy)
#   sandbox.sh vsctl DIR ARGS...                  ovs-vsctl against this instance
#   sandbox.sh ofctl DIR ARGS...                  ovs-ofctl -O OpenFlow13 with this instance's
#                                                 environment (use unix:DIR/BRIDGE.mgmt)
#   sandbox.sh appctl DIR TARGET ARGS...          ovs-appctl to ovs-vswitchd|ovsdb-server
#   sandbox.sh status DIR                         exit 0 when both daemons are alive
#   sandbox.sh env DIR                            print the OVS_* exports for this instance
#   sandbox.sh logs DIR                           print the tails of both logs
#   sandbox.sh stop DIR                           stop exactly this instance (idempotent)
#
# --dummy runs ovs-vswitchd with --enable-dummy=override: every port is a dummy netdev inside
# the process, so nothing appears in the host's network stack (the userspace datapath still
# creates a tap "ovs-netdev" otherwise, which allows one non-dummy instance per network
# namespace). Use --dummy for protocol tests that run in parallel; use --netns NS (an existing
# `ip netns` namespace, one per instance) when ports must be real interfaces (veth, internal).
set -euo pipefail

SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
TIMEOUT=${OVS_SANDBOX_TIMEOUT:-15}

die() {
    echo "sandbox.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

abs_dir() {
    [ -n "${1:-}" ] || usage
    mkdir -p "$1"
    (cd "$1" && pwd -P)
}

# Runs a command with this instance's environment, inside its namespace when it has one.
in_sandbox() {
    local dir=$1
    shift
    local ns=""
    [ -f "$dir/netns" ] && ns=$(cat "$dir/netns")
    if [ -n "$ns" ]; then
        env OVS_RUNDIR="$dir" OVS_LOGDIR="$dir" OVS_DBDIR="$dir" OVS_SYSCONFDIR="$dir" \
            ip netns exec "$ns" "$@"
    else
        env OVS_RUNDIR="$dir" OVS_LOGDIR="$dir" OVS_DBDIR="$dir" OVS_SYSCONFDIR="$dir" "$@"
    fi
}

vsctl() {
    local dir=$1
    shift
    in_sandbox "$dir" ovs-vsctl --db="unix:$dir/db.sock" --timeout="$TIMEOUT" "$@"
}

# The pid in DIR/NAME.pid when that process is alive and is this instance's daemon.
live_pid() {
    local dir=$1 name=$2 pid
    [ -f "$dir/$name.pid" ] || return 1
    pid=$(cat "$dir/$name.pid" 2>/dev/null) || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    # A recycled pid would not carry this instance's directory on its command line.
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/" || return 1
    # Zombies are dead for our purposes.
    [ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ] || return 1
    echo "$pid"
}

# Polls "$@" until it succeeds; 1 after $TIMEOUT seconds.
wait_for() {
    local deadline=$((SECONDS + TIMEOUT))
    until "$@"; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.05
    done
}

gone() { ! live_pid "$1" "$2" >/dev/null; }

show_logs() {
    local dir=$1 f
    for f in "$dir"/ovsdb-server.console "$dir"/ovsdb-server.log \
        "$dir"/ovs-vswitchd.console "$dir"/ovs-vswitchd.log; do
        if [ -f "$f" ]; then
            echo "---- $f (last 40 lines) ----" >&2
            tail -n 40 "$f" >&2
        fi
    done
}

fail_start() {
    local dir=$1
    shift
    echo "sandbox.sh: start $dir failed: $*" >&2
    show_logs "$dir"
    cmd_stop "$dir" >/dev/null 2>&1 || true
    exit 1
}

cmd_start() {
    local dir
    dir=$(abs_dir "${1:-}")
    shift
    local dummy=0 ns=""
    while [ $# -gt 0 ]; do
        case $1 in
        --dummy) dummy=1 ;;
        --netns)
            ns=${2:?--netns needs a namespace name}
            shift
            ;;
        *) die "start: unknown option $1" ;;
        esac
        shift
    done

    command -v ovs-vswitchd >/dev/null || die "ovs-vswitchd not installed (run ops/ovs/install.sh)"
    [ -f "$SCHEMA" ] || die "schema $SCHEMA not found (run ops/ovs/install.sh)"
    # Unix socket paths are limited to 107 bytes; leave room for "/<bridge>.mgmt".
    [ ${#dir} -le 80 ] || die "directory path too long for unix sockets (${#dir} > 80): $dir"
    if live_pid "$dir" ovsdb-server >/dev/null || live_pid "$dir" ovs-vswitchd >/dev/null; then
        die "an instance is already running in $dir (stop it first)"
    fi
    if [ -n "$ns" ]; then
        ip netns exec "$ns" true 2>/dev/null || die "network namespace $ns does not exist"
    fi

    rm -f "$dir"/conf.db "$dir"/.conf.db.~lock~ "$dir"/*.sock "$dir"/*.ctl "$dir"/*.mgmt \
        "$dir"/*.snoop "$dir"/*.pid "$dir"/*.log "$dir"/*.console "$dir"/netns "$dir"/dummy
    [ -n "$ns" ] && echo "$ns" >"$dir/netns"
    [ "$dummy" = 1 ] && touch "$dir/dummy"

    in_sandbox "$dir" ovsdb-tool create "$dir/conf.db" "$SCHEMA" ||
        fail_start "$dir" "ovsdb-tool create"
    in_sandbox "$dir" ovsdb-server "$dir/conf.db" \
        --remote="punix:$dir/db.sock" \
        --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" \
        --log-file="$dir/ovsdb-server.log" \
        --detach --no-chdir >"$dir/ovsdb-server.console" 2>&1 ||
        fail_start "$dir" "ovsdb-server did not start"
    wait_for [ -S "$dir/db.sock" ] || fail_start "$dir" "no $dir/db.sock after ${TIMEOUT}s"
    vsctl "$dir" --no-wait init || fail_start "$dir" "ovs-vsctl init"

    local extra=()
    [ "$dummy" = 1 ] && extra+=(--enable-dummy=override)
    in_sandbox "$dir" ovs-vswitchd "${extra[@]}" "unix:$dir/db.sock" \
        --pidfile="$dir/ovs-vswitchd.pid" \
        --unixctl="$dir/ovs-vswitchd.ctl" \
        --log-file="$dir/ovs-vswitchd.log" \
        --detach --no-chdir >"$dir/ovs-vswitchd.console" 2>&1 ||
        fail_start "$dir" "ovs-vswitchd did not start"
    wait_for [ -S "$dir/ovs-vswitchd.ctl" ] ||
        fail_start "$dir" "no $dir/ovs-vswitchd.ctl after ${TIMEOUT}s"
    # Without --no-wait, vsctl returns once ovs-vswitchd has applied the database: it is up.
    vsctl "$dir" set Open_vSwitch . external_ids:sandbox="$dir" ||
        fail_start "$dir" "ovs-vswitchd does not answer the database"
    live_pid "$dir" ovs-vswitchd >/dev/null || fail_start "$dir" "ovs-vswitchd exited"
    echo "sandbox.sh: started $dir${ns:+ in netns $ns}$([ "$dummy" = 1 ] && echo ' (dummy ports)')"
}

cmd_add_br() {
    local dir br dpid
    dir=$(abs_dir "${1:-}")
    br=${2:?add-br needs a bridge name}
    dpid=${3:-}
    local args=(-- --may-exist add-br "$br"
        -- set bridge "$br" datapath_type=netdev protocols=OpenFlow13 fail_mode=secure
        other_config:disable-in-band=true)
    [ -n "$dpid" ] && args+=("other_config:datapath-id=$(printf '%016x' "$((dpid))")")
    vsctl "$dir" "${args[@]}" || { show_logs "$dir"; die "add-br $br failed"; }
    wait_for [ -S "$dir/$br.mgmt" ] || { show_logs "$dir"; die "no $dir/$br.mgmt"; }
}

cmd_add_port() {
    local dir br port ofport
    dir=$(abs_dir "${1:-}")
    br=${2:?add-port needs a bridge}
    port=${3:?add-port needs a port name}
    ofport=${4:-}
    local iface=(type=internal)
    [ -f "$dir/dummy" ] && iface=(type=dummy)
    [ -n "$ofport" ] && iface+=("ofport_request=$ofport")
    vsctl "$dir" -- --may-exist add-port "$br" "$port" -- set interface "$port" "${iface[@]}" ||
        { show_logs "$dir"; die "add-port $br $port failed"; }
}

cmd_stop() {
    local dir
    dir=$(abs_dir "${1:-}")
    local name pid
    # Ask politely first (--cleanup removes the datapath and its tap devices).
    if pid=$(live_pid "$dir" ovs-vswitchd); then
        in_sandbox "$dir" timeout 5 ovs-appctl -t "$dir/ovs-vswitchd.ctl" exit --cleanup \
            >/dev/null 2>&1 || true
    fi
    if pid=$(live_pid "$dir" ovsdb-server); then
        in_sandbox "$dir" timeout 5 ovs-appctl -t "$dir/ovsdb-server.ctl" exit \
            >/dev/null 2>&1 || true
    fi
    for name in ovs-vswitchd ovsdb-server; do
        TIMEOUT=5 wait_for gone "$dir" "$name" || true
        if pid=$(live_pid "$dir" "$name"); then
            kill -TERM "$pid" 2>/dev/null || true
            sleep 0.5
        fi
        if pid=$(live_pid "$dir" "$name"); then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    rm -f "$dir"/*.sock "$dir"/*.ctl "$dir"/*.mgmt "$dir"/*.snoop "$dir"/*.pid
    echo "sandbox.sh: stopped $dir"
}

cmd_status() {
    local dir
    dir=$(abs_dir "${1:-}")
    local ok=0 name pid
    for name in ovsdb-server ovs-vswitchd; do
        if pid=$(live_pid "$dir" "$name"); then
            echo "$name: running (pid $pid)"
        else
            echo "$name: not running"
            ok=1
        fi
    done
    return $ok
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
start) cmd_start "$@" ;;
stop) cmd_stop "$@" ;;
add-br) cmd_add_br "$@" ;;
add-port) cmd_add_port "$@" ;;
status) cmd_status "$@" ;;
vsctl)
    d=$(abs_dir "${1:-}")
    shift
    vsctl "$d" "$@"
    ;;
ofctl)
    d=$(abs_dir "${1:-}")
    shift
    in_sandbox "$d" ovs-ofctl -O OpenFlow13 "$@"
    ;;
appctl)
    d=$(abs_dir "${1:-}")
    t=${2:?appctl needs ovs-vswitchd or ovsdb-server}
    shift 2
    in_sandbox "$d" ovs-appctl -t "$d/$t.ctl" "$@"
    ;;
env)
    d=$(abs_dir "${1:-}")
    printf 'export OVS_RUNDIR=%q OVS_LOGDIR=%q OVS_DBDIR=%q OVS_SYSCONFDIR=%q\n' "$d" "$d" "$d" "$d"
    ;;
logs) show_logs "$(abs_dir "${1:-}")" 2>&1 ;;
*) usage ;;
esac
