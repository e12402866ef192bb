#!/usr/bin/env bash
# Installs what the tests that run real Open vSwitch need (userspace datapath only: no kernel
# module is required), on Debian 12 as root. Idempotent and quick when everything is present:
# apt is only touched when a package is missing.
#
# The packages' init scripts would start system-wide daemons (ovs-vswitchd, and a test
# controller listening on port 6653); tests start their own isolated instances instead
# (ops/ovs/sandbox.sh), so a temporary policy-rc.d keeps the init scripts from starting
# anything during the install.
set -euo pipefail

PKGS=(openvswitch-switch openvswitch-testcontroller mininet iproute2 iputils-ping tcpdump)

missing=()
for p in "${PKGS[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "ops/ovs/install.sh: all packages present (${PKGS[*]})"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ops/ovs/install.sh: must run as root to install: ${missing[*]}" >&2
    exit 1
fi

echo "ops/ovs/install.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

policy=/usr/sbin/policy-rc.d
placed_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# placed by ops/ovs/install.sh while installing\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    placed_policy=1
fi
cleanup() { if [ "$placed_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -q
apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}"

for bin in ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl ovs-appctl; do
    command -v "$bin" >/dev/null || { echo "ops/ovs/install.sh: $bin missing after install" >&2; exit 1; }
done
[ -f /usr/share/openvswitch/vswitch.ovsschema ] || {
    echo "ops/ovs/install.sh: /usr/share/openvswitch/vswitch.ovsschema missing after install" >&2
    exit 1
}
echo "ops/ovs/install.sh: done ($(ovs-vswitchd --version | head -1))"
