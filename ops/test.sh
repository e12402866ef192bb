#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run): installs what the tests that run
# real Open vSwitch need (quick when already installed), then runs every test in the
# workspace. The OVS tests start their own isolated instances; nothing system-wide is left
# running.
set -euo pipefail
cd "$(dirname "$0")/.."
ops/ovs/install.sh
cargo test --workspace
