#!/usr/bin/env bash
# Runs navarchd, the single-node default that needs no other server:
#
#   ops/run.sh [--demo TOPO] [navarchd flags...]
#
# Builds navarchd (release) and runs it in the foreground, listening for switches on
# tcp:127.0.0.1:6653 with its store in ./navarch-data unless flags say otherwise. With --demo
# (for example `--demo tree,depth=2,fanout=3` or `--demo torus,3,3`), it also installs and
# starts userspace Open vSwitch and Mininet (as root), builds that network against the
# controller, runs a pingall and keeps the network up until Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

demo=""
if [ "${1:-}" = "--demo" ]; then
    demo="${2:?--demo needs a topology, e.g. tree,depth=2,fanout=3}"
    shift 2
fi

cargo build --release -q --bin navarchd
navarchd="$root/target/release/navarchd"
args=("$@")
if ! printf '%s\n' "${args[@]}" | grep -q -- '^--listen'; then
    args+=(--listen tcp:127.0.0.1:6653)
fi

if [ -z "$demo" ]; then
    exec "$navarchd" "${args[@]}"
fi

ops/ovs/install.sh
ops/ovs/system.sh start
"$navarchd" "${args[@]}" &
controller=$!
trap 'kill "$controller" 2>/dev/null; wait "$controller" 2>/dev/null' EXIT
port=$(printf '%s\n' "${args[@]}" | sed -n 's/^tcp:.*:\([0-9][0-9]*\)$/\1/p' | head -n 1)
port=${port:-6653}
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done
echo "navarchd is listening on 127.0.0.1:$port; starting Mininet $demo (Ctrl-C to stop)" >&2
/usr/bin/python3 ops/mininet/run.py --topo "$demo" --controller "tcp:127.0.0.1:$port" \
    sleep 6 pingall hold
