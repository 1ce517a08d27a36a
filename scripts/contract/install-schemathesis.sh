#!/usr/bin/env bash
# Installs the pinned Schemathesis (the OpenAPI fuzzer of the contract suite) into a cached
# virtual environment: ~/.cache/cloudpilot/schemathesis/<version>/venv. Idempotent (a marker file
# is written only after a complete install) and serialised by flock, like scripts/cluster/build.sh,
# so parallel test runs never race on the same venv. Prints the path of the `schemathesis` binary.
set -euo pipefail

SCHEMATHESIS_VERSION="${CLOUDPILOT_SCHEMATHESIS_VERSION:-4.32.5}"
python="${CLOUDPILOT_PYTHON:-python3}"
cache_root="${CLOUDPILOT_SCHEMATHESIS_CACHE:-$HOME/.cache/cloudpilot/schemathesis}/$SCHEMATHESIS_VERSION"
# Another interpreter (CLOUDPILOT_PYTHON) gets its own venv beside the default one.
suffix="${CLOUDPILOT_PYTHON:+-$(basename "$python")}"
venv="$cache_root/venv$suffix"
marker="$cache_root/installed$suffix"
mkdir -p "$cache_root"

if [[ -f "$marker" && -x "$venv/bin/schemathesis" ]]; then
  echo "$venv/bin/schemathesis"
  exit 0
fi

exec 9>"$cache_root/install$suffix.lock"
if ! flock -n 9; then
  echo "contract: another install holds $cache_root/install.lock; waiting for it" >&2
  flock 9
fi

if [[ ! -f "$marker" || ! -x "$venv/bin/schemathesis" ]]; then
  if ! command -v "$python" >/dev/null 2>&1; then
    echo "contract: Python >= 3.10 is required to install Schemathesis (set CLOUDPILOT_PYTHON)" >&2
    exit 1
  fi
  echo "contract: installing schemathesis==$SCHEMATHESIS_VERSION into $venv" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" >&2
  "$venv/bin/schemathesis" --version >&2
  touch "$marker"
fi
echo "$venv/bin/schemathesis"
