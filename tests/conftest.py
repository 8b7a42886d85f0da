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

import os
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
from support.lanes import LONG_TIMEOUT


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
    "tests/offchain/test_body_guard.py",  # uvicorn in its own process (support.service_process)
    "tests/offchain/test_slow_clients.py",  # the same
    "tests/offchain/test_health_recovery.py",  # a hardhat node, stopped with SIGSTOP for 17 s
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
    "tests/renderer/training/test_loop.py",  # training runs, resumed
    "tests/contracts/test_latentkin_odds.py",  # 800 sampled fusions as eth_call on py-evm
    "tests/offchain/market/test_order_burst.py",  # 60 orders validated against the chain at once
}
SLOW_TESTS = {  # single tests of otherwise quick files, by the same measure
    "tests/renderer/test_reader.py::test_reader_learns_a_visible_trait",  # trains the reader
    "tests/renderer/test_reader.py::test_the_shipped_reader_reads_held_out_eyes_and_mouths",  # renders held-out sets
    "tests/renderer/test_inheritance.py::test_reference_portrait_children_visibly_inherit",
    "tests/latentkin_core/test_odds.py::test_the_vectorised_sampler_is_the_python_twin",  # 100,000 seeds hashed
    "tests/latentkin_core/test_odds.py::test_odds_match_100000_sampled_seeds",
    "tests/latentkin_core/test_odds.py::test_a_wrong_distribution_is_caught",
}


# -- running on every CPU (pytest-xdist) ----------------------------------------------------------------------
# scripts/test.sh runs pytest with `-n auto --dist loadfile --no-loadscope-reorder`. Each worker takes one unit at a
# time and runs it whole, in order: a test file (so a module's fixtures, chains and servers are built once), except
# the browser tests, which are one unit: the pages share one hardhat node, one service and one chromium per session,
# and some read what an earlier one left on that chain, exactly as in a serial run. The units are handed out longest
# first, by lane (browser, then slow, then stack files, then the rest), so that a long file does not start last and
# leave the other CPU idle at the end of the run. (pytest-xdist's own xdist_group marks do nothing on pytest 9: it
# renames the test ids through an attribute pytest 9 no longer reads; hence the scheduler below.)
BROWSER_UNIT = "tests/web/"
if os.environ.get("PYTEST_XDIST_WORKER"):
    # A worker starts with COLUMNS=80 in its environment, which a serial run does not have: a rich Console built at
    # import (latentkin_cli's) would keep 80 columns, and the commands' tables ignore the COLUMNS a test gives them.
    os.environ.pop("COLUMNS", None)
LANE_ORDER = ("browser", "slow", "stack")


def _lane_rank(item: pytest.Item) -> int:
    for rank, lane in enumerate(LANE_ORDER):
        if item.get_closest_marker(lane) is not None:
            return rank
    return len(LANE_ORDER)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With ``--dist loadfile``: a unit per test file, and the browser tests as one unit."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class FileAndBrowserScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return BROWSER_UNIT if path.startswith(BROWSER_DIRS) else path

    return FileAndBrowserScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test ``browser``, ``stack`` and/or ``slow`` by its file and the fixtures it uses and, on a
    pytest-xdist worker, order the tests by lane (the longest units first)."""
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
        if path in SLOW_FILES or f"{path}::{getattr(item, 'originalname', item.name)}" in SLOW_TESTS:
            lanes.add("slow")
        for lane in sorted(lanes):
            item.add_marker(lane)
        in_a_lane = any(item.get_closest_marker(lane) for lane in LANE_ORDER)  # marked here or by the test itself
        if in_a_lane and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(LONG_TIMEOUT))
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker collects and orders the same way
        items.sort(key=_lane_rank)  # stable: within a lane, and so within a unit, the collection order stays
