"""Chains for tests, all sending through ``offchain.chain.transactions.send``.

* :class:`TesterChain`: LatentKin on an in-process eth-tester chain (py-evm), with revert
  decoding, for the contract tests (the root ``chain`` fixture).
* :class:`KinChain` / :func:`make_chain`: a fresh eth-tester deployment driven through
  ``offchain.chain.transactions.Actor``, remembering the genomes it minted, for the service tests.
* :class:`NodeChain`: the deployment on a real `hardhat node` (JSON-RPC), for the browser tests.
"""

from __future__ import annotations

import ast
import os
import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from eth_abi import encode
from eth_tester import EthereumTester
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak, to_canonical_address
from web3 import EthereumTesterProvider, Web3
from web3.contract import Contract
from web3.logs import DISCARD

from latentkin_cli.hardhat_node import HardhatNode
from latentkin_core.genome import FusionMode, Genome, random_genome
from offchain.chain.artifacts import Artifact
from offchain.chain.deployment import Deployment
from offchain.chain.reader import ChainReader, http_web3
from offchain.chain.transactions import Actor, FusionResult, send
from offchain.deploy.latentkin import deploy
from offchain.errors import TransactionFailedError
from offchain.settings import Settings
from support.net import free_port

FUSION_FEE = 10**15  # 0.001 ETH
PUBLIC_MINT_PRICE = 10**16
PUBLIC_MINT_CAP = 5
ROYALTY_BPS = 500
BASE_URI = "https://latentkin.test/token/"
CONTRACT_URI = "https://latentkin.test/collection.json"
TX_GAS = 3_000_000  # explicit gas: skips an estimate (a second EVM run) per transaction

CONTRACT_NAMES = (
    "LatentKin",
    "GenomeLibHarness",
    "ReentrantReceiver",
    "VetoReceiver",
    "OZMintBaseline",
    "LatentKinZone",
)


@contextmanager
def rolled_back(tester: EthereumTester) -> Iterator[None]:
    """Whatever happens on ``tester``'s chain inside the block is undone afterwards (snapshot and revert)."""
    snapshot = tester.take_snapshot()
    try:
        yield
    finally:
        tester.revert_to_snapshot(snapshot)


def revert_data(exc: TransactionFailed) -> bytes:
    """The raw revert data carried by an eth-tester ``TransactionFailed``."""
    message = str(exc.args[0]) if exc.args else ""
    prefix = "execution reverted: "
    if not message.startswith(prefix):
        return b""
    payload = message[len(prefix) :]
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
class TesterChain:
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
        """Send ``call`` from ``sender`` (offchain.chain.transactions.send); return the receipt, or fail the
        test with the revert data."""
        try:
            return send(self.w3, sender, call, value=value, gas=TX_GAS)
        except TransactionFailed as exc:  # eth-tester refuses some failures up front
            raise AssertionError(f"transaction reverted: {self.explain(revert_data(exc))}") from exc
        except TransactionFailedError as exc:
            raise AssertionError(f"transaction reverted: {self.explain(self.revert_of(call, sender, value))}") from exc

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

    def expect_revert(
        self, call: Any, sender: str, error: str, *args: Any, value: int = 0, contract: Contract | None = None
    ) -> None:
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

    def record_slot(self, token_id: int) -> int:
        """Storage slot of the token's packed record: found by matching its attrs in `_tokens[id]` (slot +1).
        Its generation is bits 128..143, its fusion count bits 144..159 (see TokenRecordLib)."""
        attrs = self.genome(token_id).attrs
        for mapping_slot in range(32):
            base = int.from_bytes(keccak(encode(["uint256", "uint256"], [token_id, mapping_slot])), "big")
            value = int.from_bytes(self.w3.eth.get_storage_at(self.kin.address, base + 1), "big")
            if value & (2**64 - 1) == attrs and value >> 64 == 0:
                return base + 1
        raise AssertionError("record slot not found")

    def deploy_token_holder(self, name: str, genome_seed: int) -> Contract:
        """Test contract ``name(kin)`` holding tokens 1 and 2, with the first user holding 3 and 4 (random
        genomes from ``genome_seed``)."""
        holder = self.deploy_contract(name, self.kin.address)
        rng = random.Random(genome_seed)
        for owner in (holder.address, holder.address, self.users[0], self.users[0]):
            self.mint(owner, random_genome(rng))
        return holder

    def request_fusion(
        self,
        requester: str,
        parent_a: int,
        parent_b: int,
        value: int | None = None,
        max_price: int | None = None,
        mode: int = 0,
    ) -> int:
        """``requestFusion`` by ``mode`` (0 crossover, 1 blend), paying the fee (or ``value``, which is also the
        default ``maxPrice``); returns the request id."""
        fee = FUSION_FEE if value is None else value
        call = self.kin.functions.requestFusion(parent_a, parent_b, mode, fee if max_price is None else max_price)
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

    def fuse(self, requester: str, parent_a: int, parent_b: int, mode: int = 0) -> int:
        """Request and complete a fusion by ``mode``; returns the child id."""
        return self.complete_fusion(self.request_fusion(requester, parent_a, parent_b, mode=mode))["childId"]

    def wait_cooldown(self, *token_ids: int) -> None:
        """Mine until every token in ``token_ids`` is off cooldown."""
        until = max(self.kin.functions.lineageOf(t).call()[4] for t in token_ids)
        if self.block_number + 1 < until:  # the next transaction runs in block_number + 1
            self.mine(until - self.block_number - 1)


SEED = 4  # a KinChain's founders are drawn from random.Random(SEED)


@dataclass
class KinChain:
    """A LatentKin deployment on an in-process chain, with helpers to change it."""

    w3: Web3
    deployment: Deployment
    deployments_dir: Path
    reader: ChainReader
    actor: Actor
    accounts: list[str]
    genomes: dict[int, Genome] = field(default_factory=dict)
    fusions: list[FusionResult] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))

    def mint(self, to: str | None = None) -> int:
        """Mint a random founder to ``to`` (default: account 0)."""
        genome = random_genome(self.rng)
        token_id = self.actor.mint(to or self.accounts[0], genome)
        self.genomes[token_id] = genome
        return token_id

    def fuse(self, a: int, b: int, mode: FusionMode = FusionMode.CROSSOVER) -> FusionResult:
        """Fuse two tokens of account 0 by ``mode`` (reveal blocks are mined)."""
        result = self.actor.fuse(a, b, mode=mode)
        self.genomes[result.child_id] = result.genome
        self.fusions.append(result)
        return result


def make_chain(directory: Path, renderer_hash: bytes | None = None) -> KinChain:
    """Fresh eth-tester chain with LatentKin deployed by account 0 (also its minter)."""
    w3 = Web3(EthereumTesterProvider())
    owner = w3.eth.accounts[0]
    deployment = deploy(
        w3,
        owner,
        minters=(owner,),
        base_uri="http://testserver/tokens/",
        renderer_hash=renderer_hash,
        out_dir=directory,
    )
    reader = ChainReader(w3, deployment=deployment)
    return KinChain(w3, deployment, directory, reader, Actor(w3, reader.contract, owner), list(w3.eth.accounts))


NODE_FUSION_FEE = Web3.to_wei(0.001, "ether")
NODE_MINT_PRICE = Web3.to_wei(0.01, "ether")


@contextmanager
def hardhat_node(directory: Path) -> Iterator[str]:
    """A fresh `hardhat node` on a free port of 127.0.0.1 (automine, dev accounts unlocked, log in
    ``directory``); yields its RPC URL and stops it (its process group) on the way out."""
    node = HardhatNode(free_port(), directory / "hardhat-node.log")
    node.start()
    try:
        yield node.url
    finally:
        node.stop()


def rpc(url: str, method: str, params: list | None = None):
    """One JSON-RPC call to the node."""
    body = httpx.post(
        url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}, timeout=10
    ).json()
    if "error" in body:
        raise RuntimeError(body["error"])
    return body["result"]


@dataclass
class NodeChain:
    """The deployed game on a JSON-RPC node (`hardhat node`), as the browser tests see it."""

    FUSION_FEE = NODE_FUSION_FEE  # the deployment's settings, for tests (import nothing from conftest)
    MINT_PRICE = NODE_MINT_PRICE

    url: str
    w3: Web3
    contract: object
    owner: str
    player: str
    stranger: str
    deployment_file: Path

    def mine(self, blocks: int = 1) -> None:
        """Mine empty blocks (hardhat_mine)."""
        rpc(self.url, "hardhat_mine", [hex(blocks)])

    def send(self, fn, sender: str, value: int = 0):
        """Send a contract call from a node-managed account (offchain.chain.transactions.send); the receipt."""
        return send(self.w3, sender, fn, value=value)

    def mint(self, to: str, seed: int) -> int:
        """A gen-0 character from the minter; returns its id."""
        code = int.from_bytes(Web3.keccak(text=f"code{seed}"), "big")
        attrs = int.from_bytes(Web3.keccak(text=f"attrs{seed}")[:8], "big")
        receipt = self.send(self.contract.functions.mint(to, code, attrs), self.owner)
        (event,) = self.contract.events.Transfer().process_receipt(receipt)
        return int(event.args.tokenId)

    def request_fusion(self, a: int, b: int, sender: str, mode: int = 0):
        """``requestFusion(a, b, mode, fee)`` (0 crossover, 1 blend) from ``sender``, paying the fee (also the
        maximum price); returns the receipt."""
        return self.send(
            self.contract.functions.requestFusion(a, b, mode, self.FUSION_FEE), sender, value=self.FUSION_FEE
        )

    def fuse(self, a: int, b: int, sender: str) -> int:
        """Fuse a and b for ``sender`` through the contract; returns the child's id."""
        receipt = self.request_fusion(a, b, sender)
        (request,) = self.contract.events.FusionRequested().process_receipt(receipt, errors=DISCARD)
        self.mine(2)  # the reveal block, then one on top (gas is estimated against the latest block)
        self.send(self.contract.functions.completeFusion(request.args.requestId), sender)
        return int(request.args.requestId)


@dataclass
class NodeDeployment:
    """LatentKin on a real `hardhat node` of our own (which a test may stop, SIGSTOP or restart)."""

    node: HardhatNode
    actor: Actor
    deployments_dir: Path

    def settings(self, directory: Path, **overrides) -> Settings:
        """Settings of a service over this node, index and cache under ``directory`` (indexer stepped by hand)."""
        values = dict(
            rpc_url=self.node.url,
            deployments_dir=self.deployments_dir,
            index_in_service=False,
            database_url=f"sqlite:///{directory / 'index.sqlite3'}",
            cache_dir=directory / "cache",
            web_dir=directory / "no-web",
            confirmations=0,
            indexer_stale_after=3600,
        )
        return Settings(**(values | overrides))


@contextmanager
def node_deployment(
    directory: Path, renderer_hash: bytes, founders: int = 1, market: bool = False
) -> Iterator[NodeDeployment]:
    """A fresh `hardhat node` on a free port with LatentKin deployed by account 0 (also its minter), the market
    beside it if ``market``, and ``founders`` random characters minted; the node is stopped afterwards (continued
    first if stopped)."""
    node = HardhatNode(free_port(), directory / "node.log")
    node.start()
    try:
        w3 = http_web3(node.url, 30)
        owner = w3.eth.accounts[0]
        deployment = deploy(
            w3, owner, minters=(owner,), renderer_hash=renderer_hash, out_dir=directory / "deployments", market=market
        )
        actor = Actor(w3, ChainReader(w3, deployment=deployment).contract, owner)
        rng = random.Random(1)
        for _ in range(founders):
            actor.mint(owner, random_genome(rng))
        yield NodeDeployment(node, actor, directory / "deployments")
    finally:
        if node.proc is not None and node.proc.poll() is None:
            os.killpg(node.proc.pid, signal.SIGCONT)
        node.stop()
