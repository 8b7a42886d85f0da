#!/usr/bin/env bash
# Installs what latentkin needs, idempotently: the Python venv (.venv) and the npm packages.
# Each step re-runs only when its lock/definition file changed since the last successful run.
# Usage: bash scripts/setup.sh [--test|--stack]   (--test also installs, from Debian, chromium for the web tests,
# a PostgreSQL server for the database tests and nginx for the production stack's tests; --stack installs
# PostgreSQL and nginx for `latentkin stack`, and wrk for its benchmark; --browser is the older name of --test)
set -euo pipefail
cd "$(dirname "$0")/.."

stamp_ok() { [ -f "$2" ] && [ "$(cat "$2")" = "$(sha256sum "$1" | cut -d' ' -f1)" ]; }
write_stamp() { sha256sum "$1" | cut -d' ' -f1 > "$2"; }

if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating .venv"
  python3 -m venv .venv
fi
# torch is the CPU build, named by its local version (2.13.0+cpu), so pip can never pick the CUDA build
# that PyPI serves under the plain version. PyTorch publishes it on its CPU index; a machine whose pip
# is configured with a wheelhouse of its own (find-links or extra-index-url in pip.conf, PIP_* variables;
# see `pip config list`) may hold the same file already. An index that cannot be reached would stall pip
# for minutes (retries times timeout), so the CPU index is added only when it answers.
# LATENTKIN_TORCH_INDEX names another index; set it empty to use only pip's own configuration.
TORCH="torch==2.13.0+cpu"
TORCH_INDEX="${LATENTKIN_TORCH_INDEX-https://download.pytorch.org/whl/cpu}"
torch_index=()
if [ -n "$TORCH_INDEX" ] && curl -fsS --max-time 5 -o /dev/null "$TORCH_INDEX/torch/" 2>/dev/null; then
  torch_index=(--extra-index-url "$TORCH_INDEX")
fi

if ! stamp_ok pyproject.toml .venv/.latentkin-stamp; then
  echo "[setup] installing Python packages into .venv ($TORCH${torch_index[*]:+ from ${torch_index[1]}} and the rest)"
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet "$TORCH" "${torch_index[@]}"
  .venv/bin/pip install --quiet -e '.[dev,postgres]'
  write_stamp pyproject.toml .venv/.latentkin-stamp
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "[setup] npm is missing: install Node.js 20 and npm first (apt-get install nodejs npm)" >&2
  exit 1
fi
if ! stamp_ok package-lock.json node_modules/.latentkin-stamp; then
  echo "[setup] installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  write_stamp package-lock.json node_modules/.latentkin-stamp
fi

# Build step: the ABIs and bytecode the service ships (offchain/chain/compiled/), compiled from contracts/
# and taken from the npm packages; the same files as committed unless a contract changed.
echo "[setup] exporting the contracts' artifacts into the package"
.venv/bin/python -m offchain.chain.hardhat export >/dev/null

if grep -q '"build:web"' package.json; then
  echo "[setup] building the web page"
  npm run --silent build:web
fi

case "${1:-}" in
  --test|--browser|--stack)
    missing=()
    [ "$1" = "--stack" ] || [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
    [ -x /usr/sbin/nginx ] || missing+=(nginx)
    [ -x /usr/bin/wrk ] || missing+=(wrk)  # the load tool of benchmarks/service.py --pairs
    if [ ${#missing[@]} -gt 0 ]; then
      echo "[setup] installing Debian's ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    ;;
esac
