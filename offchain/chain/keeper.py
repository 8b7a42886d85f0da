"""The keeper: completes every due fusion and public-mint request, for anyone, as soon as its reveal block
is mined, hundreds per transaction.

Anyone may complete a request and the new token always goes to its requester, so a keeper only spends gas.
What it buys is fairness: a request completed a block or two after its reveal leaves its requester no time
to prefer the fallback outcome (which the contract uses once the reveal block's hash is more than 8191
blocks old, 256 without EIP-2935; see ``ILatentKin``). The service runs one when ``LATENTKIN_KEEPER_KEY``
is set; ``latentkin keeper`` runs one on its own.

The keeper follows ``FusionRequested`` and ``PublicMintRequested`` from the deployment block on (held in
memory: a restart re-reads the logs and checks each request's state on chain). Each round it

1. collects the receipts of the batches it sent before (never waiting for one): the ``Fused`` and
   ``PublicMinted`` events name what a batch completed, ``CompletionSkipped`` what it left (an id someone else
   completed first is forgotten, one not revealed yet stays);
2. orders the due requests by what is left of their window: those whose reveal hash the chain still serves
   first, oldest reveal first (a request past its window already gets the fallback, so it is no longer urgent);
3. packs them, in that order, into ``completeRequests`` batches of at most ``batch_gas`` (default: half the
   latest block's gas limit), fusions and mints mixed;
4. simulates each batch (``eth_call``: how many it would complete; ``eth_estimateGas``: its gas) and sends
   nothing for a batch that would complete nothing (all completed elsewhere or not revealed yet);
5. sends the others back to back with consecutive nonces (up to ``max_in_flight`` unconfirmed at once).

Issue 23, finding 3 measured on eth-tester, where every transaction is a block of its own
(tests/offchain/chain/test_keeper.py): a burst of 282 public-mint requests made by one contract in one
transaction took 282 blocks with one completion per transaction, the last 28 past the 256-block window (fallback
outcomes); in batches it takes 2 blocks. On a hardhat node mining a block a second
(tests/offchain/chain/test_keeper_burst.py) the same burst took 8 blocks with pipelined single completions and
takes 1 in batches.

What remains: the fallback outcome is still computable in advance. A requester who keeps the keepers from
completing for the whole window gets the fallback it computed: it must outbid every keeper for block space for
256 blocks (8191 with EIP-2935), or leave more requests pending than the keepers complete in that time (about
260 a block per keeper at half a block's gas each; see ``ILatentKin.completeRequests``), or outlast an outage of
every keeper.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import TransactionNotFound
from web3.logs import DISCARD

from offchain.chain.reader import REVERTED, ChainReader
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError

log = logging.getLogger("latentkin.keeper")

ZERO_ADDRESS = "0x" + "00" * 20
KINDS = {"fusion": "FusionRequested", "mint": "PublicMintRequested"}  # kind of request -> the event making one
HISTORY_ADDRESS = "0x0000F90827F1C53a10cb7A02335B175320002935"  # EIP-2935, as in LatentKin
BLOCKHASH_WINDOW = 256
HISTORY_WINDOW = 8191
GAS_MARGIN = 1.25  # the gas limit sent over the simulated gas
# Gas to pack a batch by, per request: a little over what one costs inside a batch (benchmarks/gas.txt: 68,379 per
# fusion and 56,885 per public mint in batches of 50, 70,894 and 59,407 in batches of 10; a reveal older than
# 256 blocks adds a history read), plus what the transaction itself and its first completion's cold slots cost.
# Each batch is then simulated: one that needs more than ``batch_gas`` is split.
REQUEST_GAS = {"fusion": 75_000, "mint": 64_000}
BATCH_GAS_BASE = 50_000
_NOT_SERVED: tuple[type[Exception], ...] = (*REVERTED, ValueError)  # the history contract reverted, or the node


@dataclass(slots=True)
class KeeperStatus:
    """What the keeper did so far (exported as metrics)."""

    cursor: int | None = None  # last block whose requests were read
    pending: int = 0  # known requests not completed yet
    completed: dict[str, int] = field(default_factory=lambda: {"fusion": 0, "mint": 0})
    completed_by_others: int = 0  # requests found already completed when due
    failures: int = 0  # batches that reverted, on chain or in simulation, or could not be sent
    batches: int = 0  # batches mined
    in_flight: int = 0  # requests in batches sent and not mined yet
    last_delay_blocks: int | None = None  # blocks between a reveal and our completion, the most in the last batch
    gas_used: int = 0
    last_error: str | None = None
    running: bool = False


@dataclass(slots=True)
class _Request:
    kind: str
    request_id: int
    reveal_block: int


@dataclass(slots=True)
class _Sent:
    requests: list[_Request]
    tx_hash: HexBytes
    block: int  # the head when it was sent


class Keeper:
    """Completes the due requests of one LatentKin deployment, signing with ``account``.

    ``chain`` is an :class:`offchain.chain.reader.ChainReader` (for the contract and the deployment block);
    ``account`` a local key, or an address the node signs for (a dev chain). One batch uses at most ``batch_gas``
    (None: half the latest block's gas limit, so a batch always fits beside other traffic). At most
    ``max_in_flight`` batches are unconfirmed at once; one not mined ``stale_blocks`` after it was sent is
    forgotten and its requests sent again (with a fresh nonce).
    """

    def __init__(
        self,
        chain: ChainReader,
        account: LocalAccount | str,
        *,
        batch_blocks: int = 2000,
        batch_gas: int | None = None,
        max_in_flight: int = 100,
        stale_blocks: int = 25,
    ) -> None:
        self.chain = chain
        self.account = account
        self.address = account.address if isinstance(account, LocalAccount) else Web3.to_checksum_address(account)
        self.batch_blocks = batch_blocks
        self.batch_gas = batch_gas
        self.max_in_flight = max_in_flight
        self.stale_blocks = stale_blocks
        self.status = KeeperStatus()
        self._pending: dict[int, _Request] = {}
        self._sent: dict[HexBytes, _Sent] = {}
        self._window: int | None = None

    @property
    def w3(self) -> Web3:
        return self.chain.w3

    # -- one round ------------------------------------------------------------------------------
    def step(self) -> list[int]:
        """Read new requests, collect mined completions, send every due one; returns the ids this keeper
        completed in this round (on a chain that mines each transaction at once, those sent this round too)."""
        head = int(self.w3.eth.block_number)
        self._read_requests(head)
        done = self._collect(head)
        self._send_due(head)
        done += self._collect(head)
        self.status.pending = len(self._pending)
        self.status.in_flight = sum(len(sent.requests) for sent in self._sent.values())
        return done

    def run(self, stop: threading.Event, poll_interval: float = 1.0) -> None:
        """Step until ``stop`` is set, surviving a dead node or a missing deployment."""
        self.status.running = True
        try:
            while not stop.is_set():
                try:
                    self.step()
                    self.status.last_error = None
                except (ChainUnavailableError, DeploymentNotFoundError, OSError) as exc:
                    if self.status.last_error != str(exc):
                        log.warning("keeper waiting: %s", exc)
                    self.status.last_error = str(exc)
                except Exception as exc:
                    log.exception("keeper step failed")
                    self.status.last_error = f"{exc.__class__.__name__}: {exc}"
                stop.wait(poll_interval)
        finally:
            self.status.running = False

    def window(self) -> int:
        """Blocks for which this chain serves a block's hash to the contract: 8191 where the EIP-2935 history
        contract answers the parent block's hash (as LatentKin asks it), else 256 (no contract; hardhat's
        stand-in, which reverts; or one whose ring buffer the node never fills)."""
        if self._window is None:
            head = int(self.w3.eth.block_number)
            parent = max(head - 1, 0)
            try:
                answer = bytes(
                    self.w3.eth.call(
                        {"to": Web3.to_checksum_address(HISTORY_ADDRESS), "data": HexBytes(parent.to_bytes(32, "big"))}
                    )
                )
            except _NOT_SERVED:
                answer = b""
            served = len(answer) == 32 and answer == bytes(self.w3.eth.get_block(parent)["hash"])
            self._window = HISTORY_WINDOW if served and head > 0 else BLOCKHASH_WINDOW
        return self._window

    # -- internals ------------------------------------------------------------------------------
    def _read_requests(self, head: int) -> None:
        contract = self.chain.contract
        start = self.chain.deployment.block if self.status.cursor is None else self.status.cursor + 1
        while start <= head:
            end = min(head, start + self.batch_blocks - 1)
            for kind, event in KINDS.items():
                for entry in contract.events[event]().get_logs(from_block=start, to_block=end):
                    request_id = int(entry["args"]["requestId"])
                    self._pending[request_id] = _Request(kind, request_id, int(entry["args"]["revealBlock"]))
            self.status.cursor = end
            start = end + 1

    def _due(self, head: int) -> list[_Request]:
        """Requests whose reveal block is mined and that are not in flight, most urgent first: those still in
        their window, oldest reveal (least window left) first, then those already past it."""
        window = self.window()
        in_flight = {r.request_id for sent in self._sent.values() for r in sent.requests}
        due = [r for r in self._pending.values() if head >= r.reveal_block and r.request_id not in in_flight]
        return sorted(due, key=lambda r: (head - r.reveal_block >= window, r.reveal_block, r.request_id))

    def _send_due(self, head: int) -> None:
        due = self._due(head)
        if not due or len(self._sent) >= self.max_in_flight:
            return
        latest = self.w3.eth.get_block("latest")
        block_gas = int(latest["gasLimit"])
        budget = self.batch_gas or block_gas // 2
        split: list[list[_Request]] = []  # halves of a batch that needed more than the budget, sent first
        nonce: int | None = None
        fees: dict[str, Any] = {}
        while (split or due) and len(self._sent) < self.max_in_flight:
            if split:
                batch = split.pop(0)
            else:
                batch, due = _pack(due, budget)
            estimate = self._simulate(batch)
            if estimate is None:
                continue
            if estimate > budget and len(batch) > 1:
                half = len(batch) // 2
                split[:0] = [batch[:half], batch[half:]]
                continue
            if isinstance(self.account, LocalAccount) and nonce is None:  # read once a round, then counted here
                nonce = int(self.w3.eth.get_transaction_count(self.address, "pending"))
                fees = self._fees(latest)
            gas = min(block_gas, int(estimate * GAS_MARGIN))
            try:
                tx_hash = self._send(batch, {"gas": gas, "nonce": nonce, **fees})
            except Exception as exc:  # the node refused it (funds, fee, nonce): retried next round
                self.status.failures += 1
                self.status.last_error = f"sending a batch of {len(batch)} requests: {exc}"
                log.warning("keeper: %s", self.status.last_error)
                return  # a later nonce would wait behind the missing one
            self._sent[tx_hash] = _Sent(batch, tx_hash, head)
            if nonce is not None:
                nonce += 1

    def _call(self, batch: list[_Request]) -> Any:
        return self.chain.contract.functions.completeRequests([r.request_id for r in batch])

    def _simulate(self, batch: list[_Request]) -> int | None:
        """The gas ``batch`` needs (``eth_estimateGas``), or None if it is not to be sent now: it would complete
        nothing (``eth_call``; its requests that someone else completed are forgotten, those whose reveal block
        the node cannot use yet are kept), or its simulation reverted (a failure; retried next round)."""
        call = self._call(batch)
        try:
            # In the pending block, where the batch will run: a reveal block that is the head is usable there.
            completes = int(call.call({"from": self.address}, block_identifier="pending"))
            if not completes:
                self._none_due(batch)
                return None
            # Some nodes estimate in the latest block only, where such a request is skipped (cheaper): the packing
            # gas, an upper bound of what the batch costs, covers it.
            return max(int(call.estimate_gas({"from": self.address})), _packing_gas(batch))
        except REVERTED as exc:  # completeRequests skips what it cannot complete: only running out of gas gets here
            self.status.failures += 1
            self.status.last_error = f"simulating a batch of {len(batch)} requests: {exc}"
            log.warning("keeper: %s", self.status.last_error)
            return None

    def _none_due(self, batch: list[_Request]) -> None:
        """A batch would complete nothing: forget its requests that someone else completed (no longer pending)."""
        for request in batch:
            if self.chain.contract.functions.fusionRequest(request.request_id).call()[0] == ZERO_ADDRESS:
                self._forget_completed_elsewhere(request.request_id)

    def _fees(self, latest: Any) -> dict[str, Any]:
        """The chain id and EIP-1559 fees of this round's transactions, read once instead of once per
        transaction (signing then needs no round trip)."""
        priority = int(self.w3.eth.max_priority_fee)
        base = int(latest.get("baseFeePerGas", 0))
        return {
            "chainId": int(self.w3.eth.chain_id),
            "maxPriorityFeePerGas": priority,
            "maxFeePerGas": 2 * base + priority,
        }

    def _send(self, batch: list[_Request], params: dict[str, Any]) -> HexBytes:
        call = self._call(batch)
        if isinstance(self.account, LocalAccount):
            signed = self.account.sign_transaction(call.build_transaction({"from": self.address, **params}))
            return HexBytes(self.w3.eth.send_raw_transaction(signed.raw_transaction))
        return HexBytes(call.transact({"from": self.address, "gas": params["gas"]}))

    def _forget_completed_elsewhere(self, request_id: int) -> None:
        if self._pending.pop(request_id, None) is not None:  # completed by someone else (requester, another keeper)
            self.status.completed_by_others += 1

    def _collect(self, head: int) -> list[int]:
        """Receipts of the batches in flight: the ids completed by this keeper in them."""
        done = []
        for tx_hash, sent in list(self._sent.items()):
            try:
                receipt = self.w3.eth.get_transaction_receipt(tx_hash)
            except TransactionNotFound:
                if head - sent.block > self.stale_blocks:
                    del self._sent[tx_hash]  # dropped by the node, or priced out: sent again next round
                continue
            del self._sent[tx_hash]
            self.status.gas_used += int(receipt["gasUsed"])
            if receipt["status"] != 1:  # out of gas, or a broken node: its requests are retried next round
                self.status.failures += 1
                continue
            self.status.batches += 1
            done += self._read_batch(sent, receipt)
        return done

    def _read_batch(self, sent: _Sent, receipt: Any) -> list[int]:
        """What a mined batch did, from its events: the ids it completed (counted, forgotten), the ids someone
        else completed first (forgotten); ids not revealed yet stay pending."""
        events = self.chain.contract.events
        completed = {int(e["args"]["childId"]) for e in events.Fused().process_receipt(receipt, errors=DISCARD)}
        completed |= {
            int(e["args"]["requestId"]) for e in events.PublicMinted().process_receipt(receipt, errors=DISCARD)
        }
        for entry in events.CompletionSkipped().process_receipt(receipt, errors=DISCARD):
            if int(entry["args"]["revealBlock"]) == 0:
                self._forget_completed_elsewhere(int(entry["args"]["requestId"]))
        done = [r for r in sent.requests if r.request_id in completed]
        for request in done:
            self._pending.pop(request.request_id, None)
            self.status.completed[request.kind] += 1
        if done:
            self.status.last_delay_blocks = max(int(receipt["blockNumber"]) - r.reveal_block for r in done)
            log.info(
                "keeper: completed %d requests in one batch, at most %d blocks after their reveal",
                len(done),
                self.status.last_delay_blocks,
            )
        return [r.request_id for r in done]


def _packing_gas(batch: list[_Request]) -> int:
    """What a batch is packed by: :data:`BATCH_GAS_BASE` plus :data:`REQUEST_GAS` per request."""
    return BATCH_GAS_BASE + sum(REQUEST_GAS[r.kind] for r in batch)


def _pack(due: list[_Request], budget: int) -> tuple[list[_Request], list[_Request]]:
    """The first requests of ``due`` whose packing gas fits ``budget`` (at least one), and the rest."""
    gas = BATCH_GAS_BASE
    for count, request in enumerate(due):
        gas += REQUEST_GAS[request.kind]
        if gas > budget and count > 0:
            return due[:count], due[count:]
    return due, []
