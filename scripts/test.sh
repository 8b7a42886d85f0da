#!/usr/bin/env bash
# Runs the lint and type checks (scripts/lint.sh), then every test (contracts on py-evm, renderer, service,
# web page in chromium), installing what is missing, on every CPU: pytest-xdist, one worker per CPU, each taking
# a whole test file at a time, and all the browser tests on one worker (tests/conftest.py says why). Extra
# arguments go to pytest, e.g. `bash scripts/test.sh tests/contracts -x` (`-n 0` runs in this one process).
#   --fast   the everyday lane, under 2 minutes on 2 quiet CPUs: no browser, no real processes (hardhat node,
#            uvicorn, nginx, PostgreSQL), nothing marked slow: -m "not slow and not browser and not stack"
#   --no-lint  skip scripts/lint.sh (the full run and CI always lint)
set -euo pipefail
cd "$(dirname "$0")/.."
lint=1
args=(-n auto --dist loadfile --no-loadscope-reorder)
for arg in "$@"; do
  case "$arg" in
    --fast) args+=(-m "not slow and not browser and not stack") ;;
    --no-lint) lint=0 ;;
    *) args+=("$arg") ;;
  esac
done
bash scripts/setup.sh --test
if [ "$lint" = 1 ]; then
  bash scripts/lint.sh
fi
exec .venv/bin/python -m pytest "${args[@]}"
