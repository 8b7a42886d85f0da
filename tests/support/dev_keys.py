"""Hardhat's well-known development keys (accounts #0 and #1 of `hardhat node`): public test keys, never funded
for real. Tests that sign locally on the node use them (the command-line tests, the browser tests' listings)."""

from __future__ import annotations

DEV_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
)
