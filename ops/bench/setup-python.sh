#!/usr/bin/env bash
# Creates ops/bench/.venv with os-ken (the Python OpenFlow framework from OpenStack, PyPI
# package `os-ken`), for running our learning-switch app in ops/bench/osken/ against the
# benchmark. os-ken 4.x ships no `osken-manager` command: ops/bench/osken/run_osken.py
# starts the app instead. Idempotent: quick when the venv already imports os_ken.
#
# Pinned to the version checked on this machine (Python 3.11, Debian 12); override with
# OSKEN_VERSION=... to try another.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
venv="$here/.venv"
version=${OSKEN_VERSION:-4.2.2}
python=${PYTHON:-python3}

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import os_ken.base.app_manager' 2>/dev/null; then
    echo "ops/bench/setup-python.sh: os-ken present in $venv"
    exit 0
fi

echo "ops/bench/setup-python.sh: creating $venv with os-ken==$version"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "os-ken==$version"
"$venv/bin/python" -c 'import os_ken.base.app_manager'
"$venv/bin/pip" show os-ken | grep -E '^(Name|Version):'
