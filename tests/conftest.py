"""Shared chain fixtures: a real EVM (eth-tester + py-evm) with LatentKin deployed on it.

* ``artifacts`` (session): the Hardhat artifacts, compiled from ``contracts/`` once if stale.
* ``chain`` (per test): a :class:`support.chain.TesterChain` — Web3 on an eth-tester chain with
  ten funded accounts and a deployed LatentKin (owner ``accounts[0]``, minter ``accounts[1]``).
  The chain keeps the EIP-2935 block-hash history like mainnet (``support.devchain``), so reveals
  older than 256 blocks take the real history-contract path. The chain is built once per session
  and every test gets it back in its deployed state (snapshot and revert), so tests may mine, mint
  and fuse freely.
* ``kin`` (per test): ``chain.kin``, the LatentKin web3 contract.
* ``genome_harness`` (session): a deployed ``GenomeLibHarness`` for pure calls.

The helpers themselves live in ``tests/support`` (chains, renderers, ports, waiting).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import EthereumTesterProvider, Web3
from web3.contract import Contract

from offchain.chain.artifacts import Artifact
from offchain.chain.hardhat import compiled_artifact
from offchain.deploy.latentkin import deploy
from support.chain import (
    BASE_URI,
    CONTRACT_NAMES,
    CONTRACT_URI,
    FUSION_FEE,
    PUBLIC_MINT_CAP,
    PUBLIC_MINT_PRICE,
    ROYALTY_BPS,
    TesterChain,
    rolled_back,
)
from support.devchain import history_tester


@pytest.fixture(scope="session")
def artifacts() -> dict[str, Artifact]:
    """ABI + bytecode of every contract the tests deploy, compiled from source if stale."""
    return {name: compiled_artifact(name) for name in CONTRACT_NAMES}


@pytest.fixture(scope="session")
def _session_chain(artifacts: dict[str, Artifact]) -> TesterChain:
    tester = history_tester()
    w3 = Web3(EthereumTesterProvider(tester))
    accounts = list(w3.eth.accounts)
    deployment = deploy(
        w3, accounts[0], base_uri=BASE_URI, contract_uri=CONTRACT_URI, fusion_fee=FUSION_FEE,
        royalty_bps=ROYALTY_BPS, minters=[accounts[1]], public_mint_price=PUBLIC_MINT_PRICE,
        public_mint_cap=PUBLIC_MINT_CAP, out_dir=None,
    )
    kin = w3.eth.contract(address=deployment.address, abi=artifacts["LatentKin"].abi)
    chain = TesterChain(tester, w3, accounts, kin, deployment, artifacts)
    # Deployed before any test takes a snapshot, so no rollback can remove it.
    chain.genome_harness = chain.deploy_contract("GenomeLibHarness")
    return chain


@pytest.fixture
def chain(_session_chain: TesterChain) -> Iterator[TesterChain]:
    """The session chain in its freshly deployed state; whatever the test does is rolled back."""
    with rolled_back(_session_chain.tester):
        yield _session_chain


@pytest.fixture
def kin(chain: TesterChain) -> Contract:
    """The deployed LatentKin contract."""
    return chain.kin


@pytest.fixture(scope="session")
def genome_harness(_session_chain: TesterChain) -> Contract:
    """A GenomeLibHarness, for pure calls only (deployed once with the session chain)."""
    return _session_chain.genome_harness


@pytest.fixture(scope="session")
def latentkin_readonly(_session_chain: TesterChain) -> Contract:
    """The session's LatentKin for pure/view calls that need no rollback (e.g. ``fusionOutcome``)."""
    return _session_chain.kin
