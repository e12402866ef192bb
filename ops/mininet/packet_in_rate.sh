#!/usr/bin/env bash
# Counts OpenFlow 1.3 PACKET_IN messages that switches send to a controller on loopback, by
# watching the wire (no controller internals needed), and prints the rate.
#
#   packet_in_rate.sh PORT SECONDS [--json]
#
# PORT is the controller's TCP port (e.g. 6653); SECONDS how long to count. Prints
# "packet_ins=N seconds=S rate=R" or, with --json, {"packet_ins":N,"seconds":S,"rate":R}.
#
# The BPF filter keeps TCP segments to PORT whose payload starts with an OpenFlow 1.3 header
# (version byte 4) of type 10 (OFPT_PACKET_IN). A segment carrying several messages counts
# once, so under load N is a lower bound; at the low rates the tests check ("settles back to
# near zero") every packet-in travels in its own segment and N is exact. Run as root.
set -euo pipefail

die() {
    echo "packet_in_rate.sh: $*" >&2
    exit 1
}

[ $# -ge 2 ] || die "usage: packet_in_rate.sh PORT SECONDS [--json]"
port=$1
seconds=$2
json=0
[ "${3:-}" = --json ] && json=1
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port: $port"
[[ "$seconds" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad duration: $seconds"
command -v tcpdump >/dev/null || die "tcpdump not found: run ops/ovs/install.sh"

# Offset of the TCP payload: the data-offset nibble counts 32-bit words.
payload='((tcp[12:1] & 0xf0) >> 2)'
filter="tcp dst port $port and tcp[$payload:1] = 4 and tcp[$payload + 1:1] = 10"

err=$(mktemp)
trap 'rm -f "$err"' EXIT
# SIGINT makes tcpdump print its counters; exit status 124 is timeout's own.
timeout -s INT "$seconds" tcpdump -i lo -nn -p -q -w /dev/null "$filter" 2>"$err" || {
    rc=$?
    [ "$rc" -eq 124 ] || { cat "$err" >&2; die "tcpdump failed (exit $rc)"; }
}
n=$(awk '/packets? captured/ {print $1}' "$err")
[ -n "$n" ] || { cat "$err" >&2; die "tcpdump printed no count"; }
dropped=$(awk '/packets? dropped by kernel/ {print $1}' "$err")
[ "${dropped:-0}" -eq 0 ] || echo "packet_in_rate.sh: kernel dropped $dropped packets; count is a lower bound" >&2
rate=$(awk -v n="$n" -v s="$seconds" 'BEGIN { printf "%.2f", n / s }')
if [ "$json" = 1 ]; then
    printf '{"packet_ins":%d,"seconds":%s,"rate":%s}\n' "$n" "$seconds" "$rate"
else
    echo "packet_ins=$n seconds=$seconds rate=$rate"
fi
