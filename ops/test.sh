#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): installs what the tests need (userspace Open
# vSwitch and friends, from Debian packages), checks formatting and lints, then runs every test
# in the workspace. Tests that need OVS start their own isolated instances.
set -euo pipefail
cd "$(dirname "$0")/.."

ops/ovs/install.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
