#!/usr/bin/env bash
# Static analysis of contracts/ with Slither, in its own venv (slither-analyzer 0.11.6 needs web3 < 8,
# the project uses web3 8). Idempotent: the venv is created and filled only once.
# Fails on any finding of medium or high impact; each one we accept is explained where it is silenced
# (a `slither-disable-next-line` comment in the contract).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-slither
if [ ! -x "$VENV/bin/slither" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "slither-analyzer==0.11.6" >"$VENV/pip-install.log" 2>&1 \
    || { cat "$VENV/pip-install.log"; exit 1; }
fi

if [ ! -d node_modules/hardhat ]; then
  npm ci
fi

# Compile ourselves: left to itself, crytic-compile runs `hardhat clean` (and --global), deleting the
# artifacts under any test run going on. --force rebuilds everything into one build-info, so Slither does
# not also read stale build-infos of earlier incremental compiles. Settings in slither.config.json.
npx hardhat compile --force --quiet
"$VENV/bin/slither" . --compile-force-framework hardhat --config-file slither.config.json
