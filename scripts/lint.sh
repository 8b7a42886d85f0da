#!/usr/bin/env bash
# Lint and type checks, run by scripts/test.sh before pytest (and so by CI): each fails the run.
#   ruff     Python lint (rules in pyproject.toml [tool.ruff])
#   mypy     types; strict for latentkin_core and offchain (pyproject.toml [tool.mypy])
#   eslint   the page's sources (eslint.config.mjs)
#   solc     compiler warnings about contracts/ are errors (python -m offchain.chain.hardhat warnings)
#   drift    the ABIs and bytecode the package ships match the sources (python -m offchain.chain.hardhat check)
#   format   `ruff format --check` and the line-length rule (E501); LATENTKIN_LINT_FORMAT=0 skips it (e.g. while
#            a long-lived branch is being merged), CI always runs it
set -euo pipefail
cd "$(dirname "$0")/.."
FORMAT="${LATENTKIN_LINT_FORMAT:-1}"

step() { echo "[lint] $1"; }
step "ruff"
.venv/bin/ruff check --quiet .
if [ "$FORMAT" = "1" ]; then
  step "ruff format --check and line length"
  .venv/bin/ruff format --check .
  .venv/bin/ruff check --quiet --extend-select E501 .
fi
step "mypy"
.venv/bin/mypy --no-error-summary
step "eslint"
node_modules/.bin/eslint web/src web/build.mjs tests/web/js
step "solc warnings"
.venv/bin/python -m offchain.chain.hardhat warnings
step "shipped artifacts"
.venv/bin/python -m offchain.chain.hardhat check
