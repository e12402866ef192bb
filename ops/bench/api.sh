#!/usr/bin/env bash
# The northbound API under load: navarchd (release) with 1000 emulated switches connected
# (ofbench idle), then `apibench read` (concurrent full ListSwitches listings) and
# `apibench write` (AddFlow/DeleteFlow one at a time, each confirmed by the switch's barrier,
# then each committed only). Prints apibench's figures; cleans up what it started.
#   ops/bench/api.sh [SWITCHES] [READ_SECONDS] [WRITES]
set -euo pipefail
cd "$(dirname "$0")/../.."
switches=${1:-1000}
seconds=${2:-10}
writes=${3:-1000}
of_port=${OF_PORT:-26653}
api_port=${API_PORT:-25051}

cargo build --release --quiet -p navarch-controller -p ofbench
data=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT

target/release/navarchd --listen "tcp:127.0.0.1:$of_port" --api-listen "127.0.0.1:$api_port" \
    --data-dir "$data" --log-level error 2>/dev/null &
nav=$!
pids+=("$nav")
sleep 1
# Keeps the switches connected for the whole run (idle mode holds them while it settles).
target/release/ofbench idle --controller "tcp:127.0.0.1:$of_port" --switches "$switches" \
    --controller-pid "$nav" --settle "$((seconds + 60))s" > /dev/null &
pids+=("$!")
server="http://127.0.0.1:$api_port"
for _ in $(seq 1 60); do
    n=$(target/debug/navctl --server "$server" -o json switch list 2>/dev/null \
        | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("switches", [])))' 2>/dev/null || echo 0)
    [ "$n" -ge "$switches" ] && break
    sleep 1
done
echo "connected switches: $n"
target/release/apibench --server "$server" read --seconds "$seconds" --concurrency 8
dpid=$(target/debug/navctl --server "$server" -o json switch list \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["switches"][0]["dpid"])')
target/release/apibench --server "$server" write --dpid "$dpid" --count "$writes"
target/release/apibench --server "$server" write --dpid "$dpid" --count "$writes" --committed
