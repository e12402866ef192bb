"""Prints the benchmark table from ops/bench/results/*.json, with navarchd's ratio to each
other target when navarchd was measured. Usage: python3 summary.py RESULTS_DIR"""

import json
import pathlib
import sys

ORDER = ["null-responder", "navarchd", "ovs-testcontroller", "os-ken"]


def load(results):
    """{target: {mode: result}} from TARGET.MODE.json files."""
    table = {}
    for path in sorted(results.glob("*.json")):
        target, mode = path.stem.rsplit(".", 1)
        try:
            table.setdefault(target, {})[mode] = json.loads(path.read_text())
        except json.JSONDecodeError:
            print(f"{path}: not a result line", file=sys.stderr)
    return table


def cell(value, fmt):
    return "-" if value is None else format(value, fmt)


def main():
    table = load(pathlib.Path(sys.argv[1]))
    targets = [t for t in ORDER if t in table] + sorted(set(table) - set(ORDER))
    rows = {}
    for t in targets:
        r = table[t]
        rows[t] = (
            r.get("throughput", {}).get("responses_per_sec"),
            r.get("throughput", {}).get("packet_outs_per_sec"),
            r.get("latency", {}).get("p50_us"),
            r.get("latency", {}).get("p99_us"),
            r.get("idle", {}).get("kib_per_switch"),
            r.get("idle", {}).get("switches"),
        )
    head = f"{'target':<20}{'responses/s':>14}{'packet_outs/s':>15}{'p50 us':>10}{'p99 us':>10}{'KiB/switch':>12}{'(idle n)':>10}"
    print()
    print(head)
    print("-" * len(head))
    for t, (rps, pos, p50, p99, kib, n) in rows.items():
        print(f"{t:<20}{cell(rps, '14.0f')}{cell(pos, '15.0f')}{cell(p50, '10.1f')}"
              f"{cell(p99, '10.1f')}{cell(kib, '12.2f')}{cell(n, '10d')}")
    if "navarchd" not in rows:
        print("\nnavarchd was not measured: no ratios.")
        return
    nav = rows["navarchd"]
    print("\nnavarchd relative to each (throughput: navarchd / other; latency p50 and memory:"
          " navarchd / other, lower is better)")
    for t, other in rows.items():
        if t == "navarchd":
            continue
        def ratio(i):
            a, b = nav[i], other[i]
            return "-" if a is None or not b else f"{a / b:.2f}x"
        print(f"  vs {t:<18} throughput {ratio(0):>8}   p50 {ratio(2):>8}   KiB/switch {ratio(4):>8}")
    check_targets(nav, rows.get("null-responder"))


def check_targets(nav, null):
    """navarchd against the targets of its issue."""
    rps, _, p50, _, kib, _ = nav
    checks = [("throughput >= 1,000,000 responses/s", rps, lambda v: v >= 1_000_000),
              ("memory < 20 KiB per idle switch", kib, lambda v: v < 20)]
    if null and null[2] and p50 is not None:
        checks.append((f"latency p50 within 15% of the null responder's ({null[2]:.1f} us)",
                       p50, lambda v: v <= null[2] * 1.15))
    print("\nnavarchd targets")
    for name, value, ok in checks:
        verdict = "not measured" if value is None else ("met" if ok(value) else "NOT MET")
        print(f"  {name:<58} {verdict}")


if __name__ == "__main__":
    main()
