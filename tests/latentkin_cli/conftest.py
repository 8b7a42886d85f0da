"""Fixtures for the command-line tests: a real `hardhat node` on a free port of 127.0.0.1."""

from __future__ import annotations

import pytest

from support.chain import hardhat_node as running_hardhat_node


@pytest.fixture(scope="module")
def hardhat_node(tmp_path_factory):
    """`npx hardhat node` on a free port; yields its RPC URL; stopped (process group) afterwards."""
    with running_hardhat_node(tmp_path_factory.mktemp("hardhat")) as url:
        yield url
