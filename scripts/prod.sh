#!/usr/bin/env bash
# The production topology on this machine: a local chain with the contracts and a starter set, PostgreSQL,
# the indexer and keeper as their own processes, 2 API workers, nginx in front on :8080.
# Installs what is missing first (Debian's nginx and postgresql included). Ctrl-C stops everything.
# Options go to `latentkin stack` (see --help), e.g. `bash scripts/prod.sh --workers 4 --port 9000`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --stack
exec .venv/bin/latentkin stack "$@"
