#!/usr/bin/env bash
# The main job: a local chain, the contracts deployed, characters minted and fused, the service serving.
# Installs what is missing first. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/latentkin demo "$@"
