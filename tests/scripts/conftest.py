"""Fixtures for the command-line tests: a real `hardhat node` on a free port of 127.0.0.1."""

from __future__ import annotations

import pytest

from cli_support import free_port
from scripts.hardhat_node import HardhatNode


@pytest.fixture(scope="module")
def hardhat_node(tmp_path_factory):
    """`npx hardhat node` on a free port; yields its RPC URL; stopped (process group) afterwards."""
    node = HardhatNode(free_port(), tmp_path_factory.mktemp("hardhat") / "node.log")
    node.start()
    try:
        yield node.url
    finally:
        node.stop()
