#!/usr/bin/env bash
# A lab of "hypervisors": each an isolated Open vSwitch instance (userspace datapath) in its
# own network namespace, joined to the others by a veth underlay, with "VMs" as network
# namespaces plugged into its integration bridge. The integration bridges speak OpenFlow 1.3
# to a controller given by address (a unix socket crosses namespaces without any routing).
#
#   lab.sh up DIR N [CONTROLLER]      build hypervisors 1..N; their br-int connect to CONTROLLER
#                                     (default: unix:DIR/hvK/navarch.of, one socket each)
#   lab.sh listen DIR N               the navarchd --listen flags for those default sockets
#   lab.sh vm DIR K NAME MAC IP/LEN   a VM on hypervisor K; prints "ofport IFACE"
#   lab.sh move DIR NAME K            re-plug a VM (same namespace, MAC, IP) into hypervisor K
#   lab.sh vm-del DIR NAME            unplug and delete a VM
#   lab.sh exec DIR NAME CMD...       run a command inside a VM
#   lab.sh ofctl DIR K ARGS...        ovs-ofctl -O OpenFlow13 against hypervisor K's br-int
#   lab.sh vsctl DIR K ARGS...        ovs-vsctl against hypervisor K
#   lab.sh down DIR                   remove everything the lab made (idempotent)
#
# Names: every namespace and interface starts with $LAB_PREFIX (default "nv"), so labs with
# different prefixes (and different $LAB_UNDERLAY, default 192.168.254) can run at once.
# Hypervisor K: namespace ${P}hvK, OVS under DIR/hvK, br-int with datapath id K and a VXLAN
# port "vxlan0" (options:remote_ip=flow options:key=flow), underlay address $LAB_UNDERLAY.K
# on br-phy. The underlay is a Linux bridge in namespace ${P}ul; `tcpdump -i ${P}ul-br` there
# sees every tunnelled frame.
#
# Why br-phy: the userspace datapath encapsulates by itself ("native tunnelling"): it looks
# the tunnel destination up in OVS's own routing table, which only routes out of an OVS
# bridge's local port that holds the source address, and resolves the next hop with its own
# ARP. So the underlay veth is a port of br-phy (a standalone NORMAL bridge) and the address
# sits on br-phy itself.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SANDBOX=$HERE/../ovs/sandbox.sh
P=${LAB_PREFIX:-nv}
UNDERLAY=${LAB_UNDERLAY:-192.168.254}

die() {
    echo "lab.sh: $*" >&2
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

ulns() { echo "${P}ul"; }
hvns() { echo "${P}hv$1"; }
vmns() { echo "${P}vm-$1"; }

# The host-side name of a VM's veth (at most 15 characters).
vm_if() { echo "${P}t-$1" | cut -c1-15; }

cmd_up() {
    local dir n ctl k ns
    dir=$(abs_dir "${1:-}")
    n=${2:?up needs a hypervisor count}
    ctl=${3:-}
    ip netns add "$(ulns)" 2>/dev/null || true
    ip -n "$(ulns)" link add "${P}ul-br" type bridge 2>/dev/null || true
    ip -n "$(ulns)" link set "${P}ul-br" up
    ip -n "$(ulns)" link set lo up
    for k in $(seq 1 "$n"); do
        ns=$(hvns "$k")
        ip netns add "$ns" 2>/dev/null || true
        ip -n "$ns" link set lo up
        "$SANDBOX" start "$dir/hv$k" --netns "$ns" >/dev/null
        # Underlay: a veth from the hypervisor to the underlay bridge.
        if ! ip -n "$ns" link show "${P}ul$k" >/dev/null 2>&1; then
            ip link add "${P}ul$k" netns "$ns" type veth peer name "${P}ul$k-p" netns "$(ulns)"
        fi
        ip -n "$(ulns)" link set "${P}ul$k-p" master "${P}ul-br" up
        ip -n "$ns" link set "${P}ul$k" up
        "$SANDBOX" vsctl "$dir/hv$k" --may-exist add-br br-phy \
            -- set bridge br-phy datapath_type=netdev fail_mode=standalone \
            -- --may-exist add-port br-phy "${P}ul$k"
        ip -n "$ns" addr replace "$UNDERLAY.$k/24" dev br-phy
        ip -n "$ns" link set br-phy up
        # The integration bridge, its tunnel port and its controller.
        "$SANDBOX" add-br "$dir/hv$k" br-int "$k" >/dev/null
        "$SANDBOX" vsctl "$dir/hv$k" --may-exist add-port br-int vxlan0 \
            -- set interface vxlan0 type=vxlan options:remote_ip=flow options:key=flow \
            options:local_ip="$UNDERLAY.$k" \
            -- set-controller br-int "${ctl:-unix:$dir/hv$k/navarch.of}" \
            -- set controller br-int inactivity_probe=0 max_backoff=1000
        echo "hv $k dpid $(printf '0x%016x' "$k") netns $ns underlay_ip $UNDERLAY.$k dir $dir/hv$k"
    done
    echo "$n" >"$dir/count"
}

cmd_vm() {
    local dir k name mac addr ns hif
    dir=$(abs_dir "${1:-}")
    k=${2:?vm needs a hypervisor}
    name=${3:?vm needs a name}
    mac=${4:?vm needs a MAC}
    addr=${5:?vm needs IP/LEN}
    ns=$(vmns "$name")
    hif=$(vm_if "$name")
    ip netns add "$ns" 2>/dev/null || true
    ip -n "$ns" link set lo up
    ip link add "$hif" netns "$(hvns "$k")" type veth peer name eth0 netns "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip -n "$ns" link set eth0 address "$mac"
    ip -n "$ns" addr replace "$addr" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$(hvns "$k")" link set "$hif" up
    "$SANDBOX" vsctl "$dir/hv$k" add-port br-int "$hif"
    mkdir -p "$dir/vms"
    printf '%s %s %s\n' "$k" "$mac" "$addr" >"$dir/vms/$name"
    echo "$("$SANDBOX" vsctl "$dir/hv$k" get interface "$hif" ofport) $hif"
}

# Unplugs a VM's veth from its hypervisor (the VM's namespace stays).
unplug() {
    local dir=$1 name=$2 k
    [ -f "$dir/vms/$name" ] || return 0
    read -r k _ <"$dir/vms/$name"
    "$SANDBOX" vsctl "$dir/hv$k" --if-exists del-port br-int "$(vm_if "$name")" 2>/dev/null || true
    ip -n "$(hvns "$k")" link del "$(vm_if "$name")" 2>/dev/null || true
}

cmd_move() {
    local dir name k2 mac addr ns hif
    dir=$(abs_dir "${1:-}")
    name=${2:?move needs a VM}
    k2=${3:?move needs a hypervisor}
    [ -f "$dir/vms/$name" ] || die "no VM $name"
    read -r _ mac addr <"$dir/vms/$name"
    unplug "$dir" "$name"
    ns=$(vmns "$name")
    hif=$(vm_if "$name")
    ip link add "$hif" netns "$(hvns "$k2")" type veth peer name eth0 netns "$ns"
    ip -n "$ns" link set eth0 address "$mac"
    ip -n "$ns" addr replace "$addr" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$(hvns "$k2")" link set "$hif" up
    "$SANDBOX" vsctl "$dir/hv$k2" add-port br-int "$hif"
    printf '%s %s %s\n' "$k2" "$mac" "$addr" >"$dir/vms/$name"
    echo "$("$SANDBOX" vsctl "$dir/hv$k2" get interface "$hif" ofport) $hif"
}

cmd_vm_del() {
    local dir name
    dir=$(abs_dir "${1:-}")
    name=${2:?vm-del needs a VM}
    unplug "$dir" "$name"
    ip netns del "$(vmns "$name")" 2>/dev/null || true
    rm -f "$dir/vms/$name"
}

cmd_down() {
    local dir k f
    dir=$(abs_dir "${1:-}")
    if [ -d "$dir/vms" ]; then
        for f in "$dir"/vms/*; do
            [ -e "$f" ] && cmd_vm_del "$dir" "$(basename "$f")"
        done
    fi
    for k in $(seq 1 "$(cat "$dir/count" 2>/dev/null || echo 0)"); do
        "$SANDBOX" stop "$dir/hv$k" >/dev/null 2>&1 || true
        ip netns del "$(hvns "$k")" 2>/dev/null || true
    done
    ip netns del "$(ulns)" 2>/dev/null || true
    rm -f "$dir/count"
}

cmd_listen() {
    local dir n k
    dir=$(abs_dir "${1:-}")
    n=${2:?listen needs a hypervisor count}
    for k in $(seq 1 "$n"); do
        mkdir -p "$dir/hv$k"
        printf -- '--listen unix:%s/hv%s/navarch.of ' "$dir" "$k"
    done
    echo
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
case $cmd in
up) cmd_up "$@" ;;
listen) cmd_listen "$@" ;;
vm) cmd_vm "$@" ;;
move) cmd_move "$@" ;;
vm-del) cmd_vm_del "$@" ;;
down) cmd_down "$@" ;;
exec)
    name=${2:?exec needs a VM}
    shift 2
    ip netns exec "$(vmns "$name")" "$@"
    ;;
ofctl)
    d=$(abs_dir "${1:-}")
    k=${2:?ofctl needs a hypervisor}
    sub=${3:?ofctl needs a command}
    shift 3
    "$SANDBOX" ofctl "$d/hv$k" "$sub" "unix:$d/hv$k/br-int.mgmt" "$@"
    ;;
vsctl)
    d=$(abs_dir "${1:-}")
    k=${2:?vsctl needs a hypervisor}
    shift 2
    "$SANDBOX" vsctl "$d/hv$k" "$@"
    ;;
*) usage ;;
esac
