#!/usr/bin/env bash
# Runs every test (contracts on py-evm, renderer, service, web page in chromium), installing what is missing.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/contracts -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
