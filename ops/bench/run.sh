#!/usr/bin/env bash
# The controller benchmark: drives each target with the same ofbench load generator, in one
# run, and prints a table with navarchd's ratio to each.
#
#   ops/bench/run.sh            # all targets, 10 s measured per throughput/latency run
#   DURATION=3s WARMUP=1s ops/bench/run.sh null-responder os-ken   # chosen targets
#
# The warm-up (5 s by default, the same for every target) lets each controller learn the
# emulated hosts, so the measurement is the steady state cbench measures (navarchd, for one,
# holds what enters a new switch's ports for 0.5 s while it probes them for links).
#
# For each target: start it on its own loopback port, then
#   throughput  16 switches x 1000 MACs, each keeping WINDOW PACKET_INs outstanding
#   latency     1 switch, one PACKET_IN at a time (p50/p90/p99/p99.9 round trip)
#   idle        1000 switches connected and handshaken; the target's VmRSS before and after
#               (on a freshly started target)
# and stop it. Results (one JSON line per run) go to ops/bench/results/.
#
# Pinning: the target runs on CPU $TARGET_CPU and the generator on CPU $GEN_CPU (taskset),
# so that neither steals the other's core on this 2-core machine and runs are repeatable;
# set PIN=0 to let the scheduler place them. ovs-testcontroller serves at most 16 switches
# (MAX_SWITCHES in its source), so its idle run uses 16.
#
# Installs what is missing first: ops/ovs/install.sh (ovs-testcontroller) and
# ops/bench/setup-python.sh (os-ken in ops/bench/.venv).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
results="$here/results"
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
WINDOW=${WINDOW:-64}
IDLE_SWITCHES=${IDLE_SWITCHES:-1000}
TARGET_CPU=${TARGET_CPU:-0}
GEN_CPU=${GEN_CPU:-1}
PIN=${PIN:-1}

ofbench="$root/target/release/ofbench"
navarchd="$root/target/release/navarchd"

# name | port | switches for the idle run | command ({port} and {dir} are filled in)
TARGETS=(
    "null-responder|16001|$IDLE_SWITCHES|$ofbench null-responder --listen tcp:127.0.0.1:{port}"
    "navarchd|16004|$IDLE_SWITCHES|$navarchd --listen tcp:127.0.0.1:{port} --data-dir {dir}"
    "ovs-testcontroller|16002|16|ovs-testcontroller -O OpenFlow13 ptcp:{port}:127.0.0.1 --no-chdir -vconsole:warn"
    "os-ken|16003|$IDLE_SWITCHES|$here/.venv/bin/python $here/osken/run_osken.py --ofp-tcp-listen-port {port}"
)

"$root/ops/ovs/install.sh"
"$here/setup-python.sh"
(cd "$root" && cargo build --release -q -p ofbench)
if (cd "$root" && cargo metadata --no-deps --format-version 1) | grep -q '"name":"navarchd"'; then
    (cd "$root" && cargo build --release -q --bin navarchd)
fi

pin() { # pin CPU: the command prefix that runs a program on CPU (taskset execs it, so the
    # pid of the started process is the program's own)
    if [ "$PIN" = 1 ]; then echo "taskset -c $1"; fi
}

wait_port() { # wait_port PORT PID
    for _ in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# The table shows this run only: ratios between runs would compare different machine states.
rm -rf "$results"
mkdir -p "$results"
workdir=$(mktemp -d)
target_pid=
cleanup() {
    if [ -n "$target_pid" ]; then kill "$target_pid" 2>/dev/null || true; fi
    rm -rf "$workdir"
}
trap cleanup EXIT

wanted=("$@")
failed=()
for entry in "${TARGETS[@]}"; do
    IFS='|' read -r name port idle_switches cmd <<<"$entry"
    if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $name "* ]]; then continue; fi
    exe=${cmd%% *}
    if [ ! -x "$exe" ] && ! command -v "$exe" >/dev/null; then
        echo "=== $name: SKIPPED: $exe does not exist (not built yet): no ratios to it"
        continue
    fi
    cmd=${cmd//\{port\}/$port}
    cmd=${cmd//\{dir\}/$workdir/$name}
    mkdir -p "$workdir/$name"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port (for $name) is already in use; stop what listens there" >&2
        exit 1
    fi
    echo "=== $name: $cmd"
    # shellcheck disable=SC2086,SC2046 # the command is a word list
    $(pin "$TARGET_CPU") $cmd >"$results/$name.log" 2>&1 &
    target_pid=$!
    if ! wait_port "$port" "$target_pid"; then
        echo "=== $name: FAILED: it did not start listening on port $port (if it is navarchd:" \
            "check its command line in TARGETS above); its log:" >&2
        cat "$results/$name.log" >&2
        kill "$target_pid" 2>/dev/null || true
        target_pid=
        failed+=("$name")
        continue
    fi
    run() { # run MODE ARGS...: prints the human lines, keeps the JSON line
        local mode=$1
        shift
        # shellcheck disable=SC2046
        $(pin "$GEN_CPU") "$ofbench" "$mode" --controller "tcp:127.0.0.1:$port" "$@" | tee "$workdir/out"
        tail -n 1 "$workdir/out" >"$results/$name.$mode.json"
    }
    run throughput --switches 16 --macs 1000 --window "$WINDOW" --duration "$DURATION" --warmup "$WARMUP"
    run latency --switches 1 --macs 1000 --duration "$DURATION" --warmup "$WARMUP"
    kill "$target_pid"
    wait "$target_pid" 2>/dev/null || true
    # The memory run gets a fresh process: a heap the load runs grew would hide what
    # switches cost.
    rm -rf "${workdir:?}/$name"
    mkdir -p "$workdir/$name"
    # shellcheck disable=SC2086,SC2046
    $(pin "$TARGET_CPU") $cmd >>"$results/$name.log" 2>&1 &
    target_pid=$!
    if ! wait_port "$port" "$target_pid"; then
        echo "=== $name: FAILED: it did not restart for the memory run" >&2
        failed+=("$name")
        target_pid=
        continue
    fi
    run idle --switches "$idle_switches" --controller-pid "$target_pid"
    kill "$target_pid"
    wait "$target_pid" 2>/dev/null || true
    target_pid=
done

python3 "$here/summary.py" "$results"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED to start: ${failed[*]}" >&2
    exit 1
fi
