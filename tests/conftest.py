"""Shared chain fixtures: a real EVM (eth-tester + py-evm) with LatentKin deployed on it.

* ``artifacts`` (session): the Hardhat artifacts, compiled from ``contracts/`` once if stale.
* ``chain`` (per test): a :class:`Chain` — Web3 on an eth-tester chain with ten funded accounts
  and a deployed LatentKin (owner ``accounts[0]``, minter ``accounts[1]``). The chain keeps the EIP-2935
  block-hash history like mainnet (``offchain.devchain``), so reveals older than 256 blocks take the real
  history-contract path. The chain is built
  once per session and every test gets it back in its deployed state (snapshot and revert), so
  tests may mine, mint and fuse freely.
* ``kin`` (per test): ``chain.kin``, the LatentKin web3 contract.
* ``genome_harness`` (session): a deployed ``GenomeLibHarness`` for pure calls.

Other test packages (the service's) reuse these: ``chain.mint(...)``, ``chain.fuse(...)``,
``chain.transact(...)``, ``chain.expect_revert(...)``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from eth_abi import encode
from eth_tester import EthereumTester
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak, to_canonical_address
from web3 import EthereumTesterProvider, Web3
from web3.contract import Contract
from web3.logs import DISCARD

from offchain.contracts import Artifact, load_artifact
from offchain.deploy import Deployment, deploy
from offchain.devchain import history_tester
from offchain.genome import Genome

FUSION_FEE = 10**15  # 0.001 ETH
PUBLIC_MINT_PRICE = 10**16
PUBLIC_MINT_CAP = 5
ROYALTY_BPS = 500
BASE_URI = "https://latentkin.test/token/"
CONTRACT_URI = "https://latentkin.test/collection.json"
TX_GAS = 3_000_000  # explicit gas: skips an estimate (a second EVM run) per transaction

CONTRACT_NAMES = ("LatentKin", "GenomeLibHarness", "ReentrantReceiver", "VetoReceiver", "OZMintBaseline")


def revert_data(exc: TransactionFailed) -> bytes:
    """The raw revert data carried by an eth-tester ``TransactionFailed``."""
    message = str(exc.args[0]) if exc.args else ""
    prefix = "execution reverted: "
    if not message.startswith(prefix):
        return b""
    payload = message[len(prefix):]
    try:
        value = ast.literal_eval(payload)
    except (ValueError, SyntaxError):
        return payload.encode()
    return value if isinstance(value, bytes) else str(value).encode()


def error_data(abi: list[dict], name: str, *args: Any) -> bytes:
    """Revert data of custom error ``name(args)`` as declared in ``abi``."""
    entries = [e for e in abi if e.get("type") == "error" and e["name"] == name]
    if not entries:
        raise KeyError(f"no error {name!r} in the ABI")
    types = [i["type"] for i in entries[0]["inputs"]]
    selector = keccak(text=f"{name}({','.join(types)})")[:4]
    return selector + encode(types, list(args))


@dataclass
class Chain:
    """An eth-tester chain with LatentKin deployed, plus helpers for tests."""

    # The deployment's settings, for assertions (import them from here, not from conftest).
    FUSION_FEE = FUSION_FEE
    PUBLIC_MINT_PRICE = PUBLIC_MINT_PRICE
    PUBLIC_MINT_CAP = PUBLIC_MINT_CAP
    ROYALTY_BPS = ROYALTY_BPS
    BASE_URI = BASE_URI
    CONTRACT_URI = CONTRACT_URI
    ANY_PRICE = 2**256 - 1  # a maxPrice that never binds

    tester: EthereumTester
    w3: Web3
    accounts: list[str]
    kin: Contract
    deployment: Deployment
    artifacts: dict[str, Artifact]
    genome_harness: Contract | None = None

    # -- roles -------------------------------------------------------------------------------
    @property
    def owner(self) -> str:
        return self.accounts[0]

    @property
    def minter(self) -> str:
        return self.accounts[1]

    @property
    def users(self) -> list[str]:
        """Accounts 2..9: ordinary players."""
        return self.accounts[2:]

    # -- blocks ------------------------------------------------------------------------------
    def mine(self, blocks: int = 1) -> None:
        self.tester.mine_blocks(blocks)

    @property
    def block_number(self) -> int:
        return self.w3.eth.block_number

    def set_storage(self, address: str, slot: int, value: int) -> None:
        """Overwrite one storage slot (like ``hardhat_setStorageAt``) and mine a block so it takes effect.

        For states too slow to reach by transactions (e.g. a token at its fusion limit).
        """
        chain = self.tester.backend.chain
        state = chain.get_vm().state
        state.set_storage(to_canonical_address(address), slot, value)
        state.persist()
        chain.header = chain.header.copy(state_root=state.state_root)
        self.mine(1)

    # -- transactions ------------------------------------------------------------------------
    def transact(self, call: Any, sender: str, value: int = 0) -> dict:
        """Send ``call`` from ``sender``; return the receipt, or fail the test with the revert data."""
        try:
            tx_hash = call.transact({"from": sender, "value": value, "gas": TX_GAS})
        except TransactionFailed as exc:  # eth-tester refuses some failures up front
            raise AssertionError(f"transaction reverted: {self.explain(revert_data(exc))}") from exc
        receipt = self.w3.eth.get_transaction_receipt(tx_hash)
        if receipt["status"] != 1:
            raise AssertionError(f"transaction reverted: {self.explain(self.revert_of(call, sender, value))}")
        return receipt

    def explain(self, data: bytes) -> str:
        """Name of the LatentKin error that ``data`` encodes, with its raw hex."""
        for entry in self.kin.abi:
            if entry.get("type") == "error":
                signature = f"{entry['name']}({','.join(i['type'] for i in entry['inputs'])})"
                if keccak(text=signature)[:4] == data[:4]:
                    return f"{signature} 0x{data.hex()}"
        return "0x" + data.hex()

    def revert_of(self, call: Any, sender: str, value: int = 0) -> bytes:
        """Revert data of ``call`` from ``sender`` (b"" if it succeeds), run as the next transaction would be:
        in the pending block, whose number is one past the latest (eth-tester mines a block per transaction)."""
        try:
            call.call({"from": sender, "value": value}, block_identifier="pending")
        except TransactionFailed as exc:
            return revert_data(exc)
        return b""

    def expect_revert(self, call: Any, sender: str, error: str, *args: Any, value: int = 0,
                      contract: Contract | None = None) -> None:
        """Assert that ``call`` from ``sender`` reverts with custom error ``error(*args)``.

        A state-changing call is also sent as a real transaction (mined in the next block), which must fail.
        """
        abi = (contract or self.kin).abi
        expected = error_data(abi, error, *args)
        assert self.revert_of(call, sender, value) == expected, f"expected {error}{args}"
        if call.abi.get("stateMutability") not in ("view", "pure"):
            tx_hash = call.transact({"from": sender, "value": value, "gas": TX_GAS})
            assert self.w3.eth.get_transaction_receipt(tx_hash)["status"] == 0

    def events(self, receipt: dict, name: str, contract: Contract | None = None) -> list[dict]:
        """Decoded ``name`` events of ``contract`` (default LatentKin) in ``receipt``."""
        contract = contract or self.kin
        event = getattr(contract.events, name)()
        return [dict(e["args"]) for e in event.process_receipt(receipt, errors=DISCARD)]

    def deploy_contract(self, name: str, *args: Any, sender: str | None = None) -> Contract:
        """Deploy artifact ``name`` (e.g. a test contract) and return it."""
        artifact = self.artifacts[name]
        factory = self.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        receipt = self.transact(factory.constructor(*args), sender or self.owner)
        return self.w3.eth.contract(address=receipt["contractAddress"], abi=artifact.abi)

    # -- LatentKin shortcuts -----------------------------------------------------------------
    def mint(self, to: str, genome: Genome) -> int:
        """Gen-0 mint by the minter; returns the new token id."""
        receipt = self.transact(self.kin.functions.mint(to, genome.code, genome.attrs), self.minter)
        return self.events(receipt, "Transfer")[0]["tokenId"]

    def genome(self, token_id: int) -> Genome:
        return Genome(*self.kin.functions.genomeOf(token_id).call())

    def request_fusion(self, requester: str, parent_a: int, parent_b: int, value: int | None = None,
                       max_price: int | None = None) -> int:
        """``requestFusion`` paying the fee (or ``value``, which is also the default ``maxPrice``); returns the
        request id."""
        fee = FUSION_FEE if value is None else value
        call = self.kin.functions.requestFusion(parent_a, parent_b, fee if max_price is None else max_price)
        receipt = self.transact(call, requester, fee)
        return self.events(receipt, "FusionRequested")[0]["requestId"]

    def complete_fusion(self, request_id: int, caller: str | None = None) -> dict:
        """``completeFusion`` once the reveal block is mined; returns the ``Fused`` event's args."""
        request = self.kin.functions.fusionRequest(request_id).call()
        while self.block_number <= request[3]:
            self.mine(1)
        receipt = self.transact(self.kin.functions.completeFusion(request_id), caller or request[0])
        (fused,) = self.events(receipt, "Fused")
        return fused

    def fuse(self, requester: str, parent_a: int, parent_b: int) -> int:
        """Request and complete a fusion; returns the child id."""
        return self.complete_fusion(self.request_fusion(requester, parent_a, parent_b))["childId"]

    def wait_cooldown(self, *token_ids: int) -> None:
        """Mine until every token in ``token_ids`` is off cooldown."""
        until = max(self.kin.functions.lineageOf(t).call()[4] for t in token_ids)
        if self.block_number + 1 < until:  # the next transaction runs in block_number + 1
            self.mine(until - self.block_number - 1)


@pytest.fixture(scope="session")
def artifacts() -> dict[str, Artifact]:
    """ABI + bytecode of every contract the tests deploy, compiled from source if stale."""
    return {name: load_artifact(name) for name in CONTRACT_NAMES}


@pytest.fixture(scope="session")
def _session_chain(artifacts: dict[str, Artifact]) -> Chain:
    tester = history_tester()
    w3 = Web3(EthereumTesterProvider(tester))
    accounts = list(w3.eth.accounts)
    deployment = deploy(
        w3, accounts[0], base_uri=BASE_URI, contract_uri=CONTRACT_URI, fusion_fee=FUSION_FEE,
        royalty_bps=ROYALTY_BPS, minters=[accounts[1]], public_mint_price=PUBLIC_MINT_PRICE,
        public_mint_cap=PUBLIC_MINT_CAP, out_dir=None,
    )
    kin = w3.eth.contract(address=deployment.address, abi=artifacts["LatentKin"].abi)
    chain = Chain(tester, w3, accounts, kin, deployment, artifacts)
    # Deployed before any test takes a snapshot, so no rollback can remove it.
    chain.genome_harness = chain.deploy_contract("GenomeLibHarness")
    return chain


@pytest.fixture
def chain(_session_chain: Chain) -> Iterator[Chain]:
    """The session chain in its freshly deployed state; whatever the test does is rolled back."""
    snapshot = _session_chain.tester.take_snapshot()
    try:
        yield _session_chain
    finally:
        _session_chain.tester.revert_to_snapshot(snapshot)


@pytest.fixture
def kin(chain: Chain) -> Contract:
    """The deployed LatentKin contract."""
    return chain.kin


@pytest.fixture(scope="session")
def genome_harness(_session_chain: Chain) -> Contract:
    """A GenomeLibHarness, for pure calls only (deployed once with the session chain)."""
    return _session_chain.genome_harness


@pytest.fixture(scope="session")
def latentkin_readonly(_session_chain: Chain) -> Contract:
    """The session's LatentKin for pure/view calls that need no rollback (e.g. ``fusionOutcome``)."""
    return _session_chain.kin
