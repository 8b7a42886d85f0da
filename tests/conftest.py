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
        w3,
        accounts[0],
        base_uri=BASE_URI,
        contract_uri=CONTRACT_URI,
        fusion_fee=FUSION_FEE,
        royalty_bps=ROYALTY_BPS,
        minters=[accounts[1]],
        public_mint_price=PUBLIC_MINT_PRICE,
        public_mint_cap=PUBLIC_MINT_CAP,
        out_dir=None,
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


# -- lanes ---------------------------------------------------------------------------------------------------
# Markers (registered in pyproject.toml) that select lanes: `bash scripts/test.sh --fast` runs
# -m "not slow and not browser and not stack". A test is marked here by what it needs, so a new test in
# one of these files, or using one of these fixtures, is in the right lane without remembering to mark it.
BROWSER_DIRS = ("tests/web/",)
STACK_FIXTURES = {"hardhat_node", "postgres_server", "postgres_url", "node_chain", "node_url"}
STACK_FILES = {  # each starts a real process of its own: hardhat node, uvicorn, nginx, PostgreSQL, the stack
    "tests/latentkin_cli/test_demo.py",
    "tests/latentkin_cli/test_hardhat_history.py",
    "tests/latentkin_cli/test_latentkin_cli.py",
    "tests/latentkin_cli/test_market_cli.py",
    "tests/latentkin_cli/test_nginx.py",
    "tests/latentkin_cli/test_stack.py",
    "tests/offchain/api/test_uvicorn.py",
    "tests/offchain/api/test_concurrency_limit.py",
    "tests/offchain/chain/test_chain_hung.py",
    "tests/offchain/chain/test_keeper_burst.py",
    "tests/offchain/chain/test_chain_reset.py",
    "tests/offchain/store/test_postgres.py",
    "tests/offchain/store/test_gallery_indexes.py",
    "tests/offchain/index/test_bulk_catch_up.py",
}
SLOW_FILES = {  # long on a shared 2-core machine (training steps, generated cases, state machines, building a wheel,
    # thousands of mined blocks, differential runs against the contract, compiling in a scratch project)
    "tests/offchain/api/test_schemathesis.py",
    "tests/contracts/test_latentkin_stateful.py",
    "tests/contracts/test_latentkin_randomness.py",
    "tests/contracts/test_latentkin_gas.py",
    "tests/latentkin_core/test_genome_differential.py",
    "tests/offchain/chain/test_hardhat.py",
    "tests/renderer/test_cli.py",
    "tests/renderer/test_paired_corpus.py",
    "tests/renderer/test_independent_eval.py",
    "tests/test_packaging.py",
}
LONG_TIMEOUT = 900  # seconds, for the lanes above; every other test has pyproject's global timeout


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test ``browser``, ``stack`` and/or ``slow`` by its file and the fixtures it uses."""
    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix()
        lanes = set()
        if path.startswith(BROWSER_DIRS):
            lanes.add("browser")
        callspec = getattr(item, "callspec", None)
        if (
            path in STACK_FILES
            or STACK_FIXTURES & set(getattr(item, "fixturenames", ()))
            or (callspec is not None and "postgresql" in callspec.id)
        ):  # a database_url fixture's param
            lanes.add("stack")
        if path in SLOW_FILES:
            lanes.add("slow")
        for lane in sorted(lanes):
            item.add_marker(lane)
        if lanes and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(LONG_TIMEOUT))
