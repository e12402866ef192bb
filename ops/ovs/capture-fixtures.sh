#!/usr/bin/env bash
# Regenerates the codec's real-switch fixtures: openflow/tests/fixtures/ovs/*.txt.
#
# Starts an isolated Open vSwitch (ops/ovs/sandbox.sh, userspace datapath with dummy ports),
# puts the recording proxy (examples/ofcapture.rs) in front of br0's management socket, and
# drives `ovs-ofctl -O OpenFlow13` through it with commands covering every message family;
# then acts as br0's controller for the controller-side messages. Each fixture line is
# `c2s <hex>` or `s2c <hex>` (one whole OpenFlow message), preceded by `# <command>` lines.
# Finally every recorded message is checked to decode with `ovs-ofctl ofp-print`.
#
#   ops/ovs/capture-fixtures.sh [OUTDIR]     (default openflow/tests/fixtures/ovs)
#
# Needs root (ops/ovs/install.sh first). Takes about half a minute.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$ROOT/openflow/tests/fixtures/ovs}
SANDBOX=$ROOT/ops/ovs/sandbox.sh

(cd "$ROOT" && cargo build -q -p openflow --example ofcapture)
OFCAPTURE=${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/ofcapture
[ -x "$OFCAPTURE" ] || { echo "capture-fixtures: $OFCAPTURE not built" >&2; exit 1; }

WORK=$(mktemp -d /tmp/ofcapture.XXXXXX)
D=$WORK/ovs
PROXY=$D/proxy.sock
MGMT=$D/br0.mgmt
PROXY_PID=""
BG_PIDS=()

cleanup() {
    local rc=$?
    # Best effort from here on: one process already gone must not stop the teardown.
    set +e
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    if [ $rc -ne 0 ]; then
        echo "capture-fixtures: FAILED (rc=$rc); sandbox logs:" >&2
        "$SANDBOX" logs "$D" >&2 || true
    fi
    "$SANDBOX" stop "$D" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT

mkdir -p "$OUT"
"$SANDBOX" start "$D" --dummy
"$SANDBOX" add-br "$D" br0 1
for i in 1 2 3 4; do "$SANDBOX" add-port "$D" br0 "p$i" "$i"; done
# ovs-ofctl monitor opens a unixctl socket under OVS_RUNDIR.
export OVS_RUNDIR=$D OVS_LOGDIR=$D

VERSION=$(ovs-vswitchd --version | head -1)
FILE=""

stop_proxy() {
    if [ -n "$PROXY_PID" ]; then
        kill "$PROXY_PID" 2>/dev/null || true
        wait "$PROXY_PID" 2>/dev/null || true
        PROXY_PID=""
    fi
    rm -f "$PROXY"
}

# Starts a new fixture file recorded through a fresh proxy, on an emptied switch.
scenario() {
    stop_proxy
    direct del-flows @
    direct del-groups @
    direct del-meters @
    FILE=$OUT/$1.txt
    {
        echo "# $1: $2"
        echo "# Captured from $VERSION (userspace datapath, dummy ports) by"
        echo "# ops/ovs/capture-fixtures.sh through examples/ofcapture.rs. Regenerate, do not edit."
        echo "# c2s = ovs-ofctl to switch, s2c = switch to ovs-ofctl; one whole message per line."
    } >"$FILE"
    "$OFCAPTURE" proxy --listen "unix:$PROXY" --target "unix:$MGMT" --out "$FILE" \
        2>>"$WORK/ofcapture.log" &
    PROXY_PID=$!
    local i
    for i in $(seq 100); do [ -S "$PROXY" ] && return 0; sleep 0.05; done
    echo "capture-fixtures: proxy did not start" >&2
    return 1
}

# Replaces the argument @ with the proxy's address.
swap_at() {
    ARGS=()
    local a
    for a in "$@"; do
        if [ "$a" = @ ]; then ARGS+=("unix:$PROXY"); else ARGS+=("$a"); fi
    done
}

# Writes "# ovs-ofctl ..." for a command (the switch shown as br0, files by name followed by
# their lines) before the messages it causes.
describe() {
    local suffix=$1 a words=()
    shift
    for a in "$@"; do
        case $a in
        @) words+=(br0) ;;
        "$WORK"/*) words+=("${a#"$WORK"/}") ;;
        *) words+=("$a") ;;
        esac
    done
    echo "# ovs-ofctl -O OpenFlow13 ${words[*]}$suffix" >>"$FILE"
    for a in "$@"; do
        case $a in "$WORK"/*) sed "s|^|#   ${a#"$WORK"/}: |" "$a" >>"$FILE" ;; esac
    done
}

# ovs-ofctl through the proxy; must succeed.
ofctl() {
    swap_at "$@"
    describe "" "$@"
    if ! ovs-ofctl --no-names -O OpenFlow13 -t 10 "${ARGS[@]}" >"$WORK/ofctl.out" 2>&1; then
        echo "capture-fixtures: ovs-ofctl $* failed:" >&2
        tail -n 5 "$WORK/ofctl.out" >&2
        return 1
    fi
}

# ovs-ofctl through the proxy that must make the switch answer with OFPT_ERROR.
ofctl_error() {
    swap_at "$@"
    describe "   (the switch answers OFPT_ERROR)" "$@"
    local before after
    before=$(grep -c '^s2c 0401' "$FILE" || true)
    ovs-ofctl --no-names -O OpenFlow13 -t 10 "${ARGS[@]}" >"$WORK/ofctl.out" 2>&1 || true
    after=$(grep -c '^s2c 0401' "$FILE" || true)
    if [ "$after" -le "$before" ]; then
        echo "capture-fixtures: ovs-ofctl $* did not draw an OFPT_ERROR" >&2
        tail -n 5 "$WORK/ofctl.out" >&2
        return 1
    fi
}

# ovs-ofctl straight to br0 (setup the fixture does not need to record).
direct() {
    ovs-ofctl --no-names -O OpenFlow13 -t 10 "${@/#@/unix:$MGMT}" >/dev/null
}

note() { echo "# $*" >>"$FILE"; }

# Waits until FILE has at least N lines matching the regex.
wait_lines() {
    local re=$1 n=$2 file=${3:-$FILE} i
    for i in $(seq 200); do
        [ "$(grep -cE "$re" "$file" || true)" -ge "$n" ] && return 0
        sleep 0.05
    done
    echo "capture-fixtures: timed out waiting for $n lines /$re/ in $file" >&2
    return 1
}

PKT_UDP=0000000000010000000000020800450000200000000040117cda0a0000010a0000020035003500000000deadbeef
PKT_ARP=ffffffffffff000000000002080600010800060400010000000000020a0000010000000000000a000002
PKT_IP6=00000000000100000000000286dd6000000000083a4020010db80000000000000000000000012001\
0db80000000000000000000000028000000000000000

# ---------------------------------------------------------------------------------------
scenario flow_match "flow mods whose matches use every OXM field OVS speaks in OF1.3 (masks, IPv6, ARP, MPLS, tunnel, Nicira registers, ONF tcp_flags)"
while IFS= read -r flow; do
    [ -n "$flow" ] && ofctl add-flow @ "table=1,$flow"
done <<'EOF'
priority=1,in_port=1,actions=drop
priority=2,in_port=1,dl_src=00:11:22:33:44:55,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop
priority=3,dl_type=0x88cc,actions=drop
priority=4,dl_vlan=10,dl_vlan_pcp=3,actions=drop
priority=5,vlan_tci=0x1000/0x1000,actions=drop
priority=6,metadata=0x1234/0xffff,actions=drop
priority=7,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.1,nw_tos=0x20,nw_ecn=1,nw_proto=17,actions=drop
priority=8,tcp,tp_src=80,tp_dst=0x1000/0xf000,actions=drop
priority=9,udp,udp_src=53,udp_dst=5353,actions=drop
priority=10,sctp,sctp_src=1,sctp_dst=2,actions=drop
priority=11,icmp,icmp_type=8,icmp_code=0,actions=drop
priority=12,arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_sha=00:11:22:33:44:55,arp_tha=00:00:00:00:00:00,actions=drop
priority=13,ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/32,ipv6_label=0x12345,actions=drop
priority=14,icmp6,icmp_type=135,icmp_code=0,nd_target=fe80::1,nd_sll=00:11:22:33:44:55,actions=drop
priority=15,icmp6,icmp_type=136,nd_target=fe80::2,nd_tll=00:11:22:33:44:66,actions=drop
priority=16,mpls,mpls_label=100,mpls_tc=2,mpls_bos=1,actions=drop
priority=17,tun_id=0x1234/0xffff,actions=drop
priority=18,tun_id=0x42,tun_src=192.168.0.1,tun_dst=192.168.0.2,actions=drop
priority=19,reg0=0x1,reg1=0x10/0xf0,reg7=7,actions=drop
priority=20,xreg0=0x100000001,actions=drop
priority=21,tcp,tcp_flags=+syn-ack,actions=drop
priority=22,pkt_mark=0x5/0xff,actions=drop
priority=23,ct_state=+trk+est,ct_zone=5,ct_mark=0x1,actions=drop
priority=26,ip,ip_frag=first,actions=drop
priority=27,tcp6,tp_src=22,ipv6_src=::1,actions=drop
priority=28,conj_id=7,actions=drop
priority=29,actset_output=1,actions=drop
priority=30,dl_vlan=0xffff,actions=drop
priority=31,in_port=LOCAL,metadata=0xffffffffffffffff,actions=drop
priority=32,ip,nw_src=10.1.0.0/255.255.0.255,actions=drop
priority=33,dl_dst=ff:ff:ff:ff:ff:ff,dl_src=00:00:00:00:00:00/ff:ff:ff:00:00:00,actions=drop
EOF
ofctl dump-flows @ table=1

# ---------------------------------------------------------------------------------------
scenario flow_actions "flow mods using every OF1.3 action and instruction OVS supports, plus Nicira experimenter actions"
direct add-group @ "group_id=1,type=all,bucket=output:1"
direct add-meter @ "meter=1,kbps,band=type=drop,rate=1000"
while IFS= read -r flow; do
    [ -n "$flow" ] && ofctl add-flow @ "table=0,$flow"
done <<'EOF'
priority=100,in_port=1,actions=output:2,output:3
priority=101,in_port=2,actions=output:controller,output:in_port,output:local,output:all,output:flood,normal
priority=102,in_port=3,actions=controller:200
priority=103,ip,actions=dec_ttl,set_field:10.1.1.1->ip_src,set_field:10.2.2.2->nw_dst,output:1
priority=104,ip,actions=mod_nw_ttl:9,output:1
priority=105,mpls,actions=set_mpls_ttl:10,dec_mpls_ttl,pop_mpls:0x0800,output:1
priority=106,ip,actions=push_mpls:0x8847,set_field:100->mpls_label,set_field:3->mpls_tc,output:1
priority=107,in_port=4,actions=push_vlan:0x8100,set_field:4106->vlan_vid,set_field:5->vlan_pcp,output:1
priority=108,dl_vlan=10,actions=pop_vlan,output:1
priority=109,in_port=4,actions=set_queue:3,output:1
priority=110,in_port=4,dl_dst=00:00:00:00:00:09,actions=group:1
priority=111,in_port=4,dl_dst=00:00:00:00:00:0a,actions=set_field:00:11:22:33:44:55->eth_src,set_field:00:aa:bb:cc:dd:ee->eth_dst,output:1
priority=112,tcp,actions=set_field:8080->tcp_dst,set_field:1234->tcp_src,output:1
priority=113,udp,actions=set_field:53->udp_dst,output:1
priority=114,ipv6,actions=set_field:2001:db8::9->ipv6_dst,set_field:0x1->ipv6_label,output:1
priority=115,ip,actions=set_field:0x2e->ip_dscp,set_field:2->ip_ecn,output:1
priority=116,in_port=4,actions=set_field:0x1234->tun_id,output:1
priority=117,arp,actions=set_field:2->arp_op,set_field:10.0.0.9->arp_spa,output:1
priority=120,in_port=4,actions=set_field:0x5/0xff->reg0,output:1
priority=121,in_port=4,actions=resubmit(,1),load:0x5->NXM_NX_REG1[0..7],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]
priority=122,ip,actions=note:01.02.03,ct(commit,zone=5),output:1
priority=123,in_port=4,actions=learn(table=5,hard_timeout=10,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])
priority=124,dl_vlan=10,actions=write_actions(output:1,set_field:4101->vlan_vid),goto_table:1
priority=125,in_port=4,actions=clear_actions,write_metadata:0x1/0xff,goto_table:2
priority=126,in_port=4,actions=meter:1,output:1
priority=127,in_port=4,actions=output:NXM_NX_REG0[0..15]
priority=128,in_port=4,actions=enqueue:1:2
priority=129,in_port=4,actions=set_field:0x1->metadata,goto_table:3
priority=130,in_port=4,actions=mod_dl_src:00:00:00:00:00:01,mod_vlan_vid:5,mod_vlan_pcp:1,strip_vlan,output:1
priority=131,tcp,actions=mod_nw_src:1.2.3.4,mod_nw_tos:4,mod_tp_dst:99,output:1
priority=132,in_port=4,actions=sample(probability=100,collector_set_id=1),output:1
priority=133,in_port=4,actions=bundle(eth_src,0,hrw,ofport,members:1,2),output:1
priority=134,in_port=4,actions=clone(output:1),check_pkt_larger(1500)->NXM_NX_REG0[0],output:2
priority=135,in_port=4,actions=multipath(eth_src,50,modulo_n,1,0,NXM_NX_REG0[0..1])
priority=136,in_port=4,actions=exit
priority=137,tcp,actions=fin_timeout(idle_timeout=10),output:1
priority=138,in_port=4,actions=meter:1,output:1,clear_actions,write_actions(group:1),write_metadata:0xf0,goto_table:7
EOF
ofctl dump-flows @ table=0

# ---------------------------------------------------------------------------------------
scenario flow_mods "flow table edits: add-flows from a file, flags and timeouts, mod-flows and del-flows (loose and strict), replace-flows"
cat >"$WORK/flows.txt" <<'EOF'
table=2,priority=10,cookie=0x10,ip,nw_dst=10.0.0.1,actions=output:1
table=2,priority=20,cookie=0x20,ip,nw_dst=10.0.0.2,actions=output:2
table=2,priority=30,cookie=0x30,idle_timeout=60,hard_timeout=120,importance=5,ip,nw_dst=10.0.0.3,actions=output:3
table=3,priority=5,cookie=0x40,send_flow_rem,check_overlap,reset_counts,no_packet_counts,no_byte_counts,in_port=1,actions=output:2
EOF
ofctl add-flows @ "$WORK/flows.txt"
ofctl add-flow @ "table=2,priority=40,cookie=0x50,udp,actions=drop"
ofctl mod-flows @ "table=2,ip,nw_dst=10.0.0.1,actions=output:4"
ofctl --strict mod-flows @ "table=2,priority=20,ip,nw_dst=10.0.0.2,actions=output:3"
ofctl mod-flows @ "cookie=0x30/-1,table=2,actions=output:1"
ofctl dump-flows @ "table=2,cookie=0x10/0xf0"
ofctl dump-flows @ "out_port=1"
ofctl dump-aggregate @
ofctl dump-aggregate @ table=2
ofctl --strict del-flows @ "table=2,priority=20,ip,nw_dst=10.0.0.2"
ofctl del-flows @ "table=2,cookie=0x30/-1"
ofctl del-flows @ "table=3,out_port=2"
ofctl del-flows @ "table=2,ip"
cat >"$WORK/replace.txt" <<'EOF'
table=4,priority=1,actions=drop
table=4,priority=2,in_port=1,actions=output:2
EOF
ofctl replace-flows @ "$WORK/replace.txt"
ofctl del-flows @

# ---------------------------------------------------------------------------------------
scenario switch_stats "switch description, config, ports, tables, queues, port/table mods and echo"
direct add-flow @ "table=0,priority=1,actions=normal"
ofctl show @
ofctl dump-desc @
ofctl dump-tables @
ofctl dump-ports @
ofctl dump-ports @ 1
ofctl dump-ports-desc @
ofctl dump-ports-desc @ 2
ofctl queue-stats @
ofctl queue-stats @ 1
ofctl queue-stats @ 1 5
ofctl queue-get-config @
ofctl queue-get-config @ 1
ofctl get-frags @
ofctl set-frags @ drop
ofctl set-frags @ normal
ofctl mod-port @ 1 down
ofctl mod-port @ 1 up
ofctl mod-port @ 2 no-receive
ofctl mod-port @ 2 receive
ofctl mod-port @ 3 no-packet-in
ofctl mod-port @ 3 packet-in
ofctl mod-port @ 3 no-forward
ofctl mod-port @ 3 forward
ofctl probe @
ofctl ping @ 16

# ---------------------------------------------------------------------------------------
scenario table_features "the full table-features multipart reply (and its request)"
ofctl dump-table-features @

# ---------------------------------------------------------------------------------------
scenario groups "group mods of every type, bucket edits, group description, stats and features"
ofctl add-group @ "group_id=1,type=all,bucket=output:1,bucket=output:2,bucket=actions=set_field:4106->vlan_vid,output:3"
ofctl add-group @ "group_id=2,type=select,bucket=weight:50,actions=output:1,bucket=weight:30,actions=output:2,bucket=weight:20,actions=output:3"
ofctl add-group @ "group_id=3,type=indirect,bucket=actions=set_field:00:00:00:00:00:01->eth_dst,output:4"
ofctl add-group @ "group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2"
ofctl add-group @ "group_id=5,type=ff,bucket=watch_group:1,actions=group:1,bucket=watch_port:3,watch_group:3,actions=group:3"
ofctl add-group @ "group_id=6,type=all"
ofctl mod-group @ "group_id=1,type=all,bucket=output:4"
ofctl mod-group @ "group_id=2,type=select,bucket=weight:100,actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:1"
ofctl --may-create mod-group @ "group_id=7,type=indirect,bucket=output:2"
ofctl add-flow @ "table=0,priority=9,in_port=2,actions=group:2"
ofctl dump-groups @
ofctl dump-groups @ group_id=2
ofctl dump-group-stats @
ofctl dump-group-stats @ group_id=1
ofctl dump-group-features @
ofctl del-groups @ group_id=6
ofctl del-groups @

# ---------------------------------------------------------------------------------------
scenario meters "meter mods (drop and dscp_remark bands), meter config, stats and features"
ofctl add-meter @ "meter=1,kbps,band=type=drop,rate=1000"
ofctl add-meter @ "meter=2,pktps,burst,stats,band=type=drop,rate=100,burst_size=10"
ofctl add-meter @ "meter=3,kbps,stats,band=type=drop,rate=2000,type=drop,rate=5000"
ofctl mod-meter @ "meter=1,kbps,band=type=drop,rate=1500"
ofctl add-flow @ "table=0,priority=9,in_port=3,actions=meter:2,output:1"
ofctl dump-meters @
ofctl dump-meters @ meter=2
ofctl meter-stats @
ofctl meter-stats @ meter=1
ofctl meter-features @
ofctl del-meters @ meter=3
ofctl del-meters @
ofctl_error add-meter @ "meter=4,kbps,band=type=dscp_remark,rate=100,prec_level=1"

# ---------------------------------------------------------------------------------------
scenario packet_out "packet-outs with various actions and packets"
ofctl packet-out @ "in_port=controller packet=$PKT_UDP actions=output:1"
ofctl packet-out @ "in_port=1 packet=$PKT_UDP actions=output:2,output:3"
ofctl packet-out @ "in_port=controller packet=$PKT_ARP actions=set_field:00:00:00:00:00:05->eth_src,output:all"
ofctl packet-out @ "in_port=local packet=$PKT_IP6 actions=push_vlan:0x8100,set_field:4100->vlan_vid,output:2"
ofctl packet-out @ "in_port=controller packet=$PKT_UDP actions=resubmit(,0)"
ofctl packet-out @ "in_port=controller packet=$PKT_UDP actions=drop"
ofctl packet-out @ "in_port=2 packet=$PKT_UDP actions=normal"

# ---------------------------------------------------------------------------------------
scenario bundle "ONF bundle extension (OF1.3 experimenter): open, add, commit; and a failing bundle"
cat >"$WORK/bundle.txt" <<'EOF'
table=5,priority=1,actions=drop
table=5,priority=2,in_port=1,actions=output:2
table=5,priority=3,ip,actions=output:3
EOF
ofctl --bundle add-flows @ "$WORK/bundle.txt"
ofctl --bundle add-flow @ "table=5,priority=4,in_port=2,actions=output:1"
ofctl --bundle mod-flows @ "table=5,in_port=1,actions=output:3"
ofctl --bundle --strict del-flows @ "table=5,priority=1"
ofctl --bundle replace-flows @ "$WORK/bundle.txt"
cat >"$WORK/badbundle.txt" <<'EOF'
table=5,priority=5,actions=drop
table=5,priority=6,actions=group:99
EOF
ofctl_error --bundle add-flows @ "$WORK/badbundle.txt"
direct del-flows @

# ---------------------------------------------------------------------------------------
scenario errors "requests that Open vSwitch refuses with OFPT_ERROR"
direct add-group @ "group_id=1,type=all,bucket=output:1"
direct add-meter @ "meter=1,kbps,band=type=drop,rate=1000"
ofctl_error add-flow @ "table=0,priority=1,actions=group:99"
ofctl_error add-flow @ "table=0,priority=1,actions=meter:77,output:1"
ofctl_error add-flow @ "table=254,priority=1,actions=drop"
ofctl_error add-group @ "group_id=1,type=all,bucket=output:2"
ofctl_error mod-group @ "group_id=50,type=all,bucket=output:2"
ofctl_error add-meter @ "meter=1,kbps,band=type=drop,rate=1000"
ofctl_error mod-meter @ "meter=60,kbps,band=type=drop,rate=1000"
direct add-flow @ "table=0,priority=7,in_port=1,actions=drop"
ofctl_error add-flow @ "table=0,priority=7,check_overlap,ip,actions=output:2"
direct del-flows @
direct del-groups @
direct del-meters @

# ---------------------------------------------------------------------------------------
scenario async_monitor "asynchronous messages to a monitor: packet-in (standard format), port-status, flow-removed"
direct add-flow @ "table=0,priority=100,in_port=CONTROLLER,actions=controller"
swap_at monitor @ 65535 -P standard
describe "   (runs in the background)" monitor @ 65535 -P standard
ovs-ofctl --no-names -O OpenFlow13 "${ARGS[@]}" >"$WORK/monitor1.out" 2>&1 &
MON=$!
BG_PIDS+=("$MON")
wait_lines '^s2c 0415' 2
note "packet-out to a flow whose action is controller (sent straight to br0, not recorded)"
direct packet-out @ "in_port=controller packet=$PKT_UDP actions=resubmit(,0)"
direct packet-out @ "in_port=controller packet=$PKT_ARP actions=controller:64"
wait_lines '^s2c 040a' 2
note "ovs-vsctl add-port br0 p9 / del-port br0 p9 (port-status add, modify, delete)"
"$SANDBOX" add-port "$D" br0 p9 9
"$SANDBOX" vsctl "$D" del-port br0 p9
wait_lines '^s2c 040c' 2
note "a send_flow_rem flow with hard_timeout=1, and a strict delete of another (flow-removed)"
direct add-flow @ "table=0,priority=3,send_flow_rem,hard_timeout=1,in_port=3,actions=drop"
direct add-flow @ "table=0,priority=4,send_flow_rem,in_port=4,actions=drop"
direct --strict del-flows @ "table=0,priority=4,in_port=4"
wait_lines '^s2c 040b' 2
kill "$MON" 2>/dev/null || true
wait "$MON" 2>/dev/null || true
direct del-flows @

scenario async_nx "asynchronous messages in Open vSwitch's extension formats: NXT_PACKET_IN2 and ONF flow monitor updates"
direct add-flow @ "table=0,priority=100,in_port=CONTROLLER,actions=controller"
swap_at monitor @ 65535 watch:
describe "   (runs in the background)" monitor @ 65535 watch:
ovs-ofctl --no-names -O OpenFlow13 "${ARGS[@]}" >"$WORK/monitor2.out" 2>&1 &
MON=$!
BG_PIDS+=("$MON")
wait_lines '^s2c 0415' 2
sleep 0.3
note "packet-out to a controller flow, then flow adds and deletes (sent straight to br0)"
direct packet-out @ "in_port=controller packet=$PKT_UDP actions=resubmit(,0)"
direct add-flow @ "table=0,priority=5,in_port=2,actions=output:1"
direct mod-flows @ "table=0,in_port=2,actions=output:3"
direct del-flows @ "table=0,in_port=2"
wait_lines '^s2c 0404' 1
sleep 0.5
kill "$MON" 2>/dev/null || true
wait "$MON" 2>/dev/null || true
direct del-flows @
stop_proxy

# ---------------------------------------------------------------------------------------
FILE=$OUT/controller.txt
{
    echo "# controller: the switch's side of a controller connection (OFPT_HELLO to barrier, roles, async config, async events)"
    echo "# Captured from $VERSION (userspace datapath, dummy ports) by"
    echo "# ops/ovs/capture-fixtures.sh with examples/ofcapture.rs as br0's controller. Regenerate, do not edit."
    echo "# c2s = controller to switch, s2c = switch to controller; one whole message per line."
} >"$FILE"
PORT=$((20000 + RANDOM % 20000))
"$OFCAPTURE" controller --listen "127.0.0.1:$PORT" --out "$FILE" --ready "$WORK/ready" \
    2>>"$WORK/ofcapture.log" &
CTL=$!
BG_PIDS+=("$CTL")
"$SANDBOX" vsctl "$D" set-controller br0 "tcp:127.0.0.1:$PORT"
for i in $(seq 300); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
[ -f "$WORK/ready" ] || { echo "capture-fixtures: controller handshake did not finish" >&2; exit 1; }
note "ovs-ofctl add-flow br0 in_port=CONTROLLER,actions=controller; packet-out resubmit(,0) (packet-in)"
direct add-flow @ "table=0,priority=100,in_port=CONTROLLER,actions=controller"
direct packet-out @ "in_port=controller packet=$PKT_UDP actions=resubmit(,0)"
direct packet-out @ "in_port=controller packet=$PKT_IP6 actions=controller:32"
wait_lines '^s2c 040a' 2
note "ovs-vsctl add-port br0 p9 / del-port br0 p9 (port-status)"
"$SANDBOX" add-port "$D" br0 p9 9
"$SANDBOX" vsctl "$D" del-port br0 p9
wait_lines '^s2c 040c' 2
note "a send_flow_rem flow with hard_timeout=1, and a deleted one (flow-removed)"
direct add-flow @ "table=0,priority=3,send_flow_rem,hard_timeout=1,in_port=3,actions=drop"
direct add-flow @ "table=0,priority=4,send_flow_rem,idle_timeout=30,in_port=4,actions=drop"
direct --strict del-flows @ "table=0,priority=4,in_port=4"
wait_lines '^s2c 040b' 2
note "ovs-vsctl del-controller br0"
"$SANDBOX" vsctl "$D" del-controller br0
wait "$CTL" 2>/dev/null || true

# ---------------------------------------------------------------------------------------
# Sanity: every recorded message decodes with ovs-ofctl ofp-print, except those recorded
# after a comment marked [ofp-print refuses] (requests OVS itself does not understand, sent
# on purpose to draw errors) until the next comment.
bad=0 total=0 skipped=0
for f in "$OUT"/*.txt; do
    refused=0
    while read -r dir hex; do
        case $dir in
        c2s | s2c) ;;
        '#')
            case $hex in *"[ofp-print refuses]"*) refused=1 ;; *) refused=0 ;; esac
            continue
            ;;
        *) continue ;;
        esac
        total=$((total + 1))
        if [ "$refused" = 1 ]; then
            skipped=$((skipped + 1))
            continue
        fi
        if ! txt=$(ovs-ofctl ofp-print "$hex" 2>/dev/null) || grep -q 'decode error' <<<"$txt" ||
            ! head -1 <<<"$txt" | grep -qE '^[A-Z0-9_]+ .*\(OF1\.3\)'; then
            echo "capture-fixtures: $(basename "$f"): ofp-print cannot decode $dir ${hex:0:64}...: $(head -c 300 <<<"$txt")" >&2
            bad=$((bad + 1))
        fi
    done <"$f"
done
echo "capture-fixtures: $total messages in $(ls "$OUT"/*.txt | wc -l) files under $OUT ($bad undecodable, $skipped refused on purpose)"
[ "$bad" -eq 0 ]
