"""The source checkout the development commands (demo, stack, hardhat node, web check) work in.

The service itself needs none (it ships its ABIs and reads every path from settings); these commands
run Hardhat, npm and nginx from the repository, so they find it beside this package.
"""

from __future__ import annotations

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
