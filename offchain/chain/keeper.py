"""The keeper: completes every due fusion and public-mint request, for anyone, as soon as its reveal block
is mined, many per block.

Anyone may complete a request and the new token always goes to its requester, so a keeper only spends gas.
What it buys is fairness: a request completed a block or two after its reveal leaves its requester no time
to prefer the fallback outcome (which the contract uses once the reveal block's hash is more than 8191
blocks old, 256 without EIP-2935; see ``ILatentKin``). The service runs one when ``LATENTKIN_KEEPER_KEY``
is set; ``latentkin keeper`` runs one on its own.

The keeper follows ``FusionRequested`` and ``PublicMintRequested`` from the deployment block on (held in
memory: a restart re-reads the logs and checks each request's state on chain). Each round it

1. collects the receipts of the completions it sent before (never waiting for one);
2. orders the due requests by what is left of their window: those whose reveal hash the chain still serves
   first, oldest reveal first (a request past its window already gets the fallback, so it is no longer urgent);
3. simulates each completion (``eth_estimateGas``) and drops, without sending anything, a request that
   someone else completed or whose completion reverts for good (it would revert again every round);
4. sends the others back to back with consecutive nonces (up to ``max_in_flight`` unconfirmed at once), so a
   burst of requests is completed in the next block or two instead of one per block.

Issue 23, finding 3 measured on a hardhat node mining a block a second (tests/offchain/chain/test_keeper_burst.py,
docs/market.md): a burst of 40 requests revealed in one block used to take 40 blocks, one completion per block; it
now takes 5-6 on a 2-core machine at load 14, bounded by this process's own CPU (simulate, sign, send).

What remains: the fallback outcome is still computable in advance. A requester who can keep requests from
being completed for the whole window (more requests than ``max_in_flight`` times the window's blocks, a full
block's gas of them every block for 256 blocks, or an outage of every keeper) gets the fallback it computed;
only a longer history (EIP-2935's 8191 blocks) or a contract change raises that price.
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

from offchain.chain.reader import REVERTED, ChainReader
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError

log = logging.getLogger("latentkin.keeper")

ZERO_ADDRESS = "0x" + "00" * 20
KINDS = {"fusion": ("FusionRequested", "completeFusion"), "mint": ("PublicMintRequested", "completePublicMint")}
HISTORY_ADDRESS = "0x0000F90827F1C53a10cb7A02335B175320002935"  # EIP-2935, as in LatentKin
BLOCKHASH_WINDOW = 256
HISTORY_WINDOW = 8191
GAS_MARGIN = 1.25  # the gas limit sent over the simulated gas
_NOT_SERVED: tuple[type[Exception], ...] = (*REVERTED, ValueError)  # the history contract reverted, or the node


@dataclass(slots=True)
class KeeperStatus:
    """What the keeper did so far (exported as metrics)."""

    cursor: int | None = None  # last block whose requests were read
    pending: int = 0  # known requests not completed yet
    completed: dict[str, int] = field(default_factory=lambda: {"fusion": 0, "mint": 0})
    completed_by_others: int = 0  # requests found already completed when due
    failures: int = 0  # completions that reverted on chain or could not be sent
    dropped: int = 0  # requests whose completion reverts for good in simulation: never sent, never retried
    in_flight: int = 0  # completions sent and not mined yet
    last_delay_blocks: int | None = None  # blocks between the reveal and our completion, last one
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
    request: _Request
    tx_hash: HexBytes
    block: int  # the head when it was sent


class Keeper:
    """Completes the due requests of one LatentKin deployment, signing with ``account``.

    ``chain`` is an :class:`offchain.chain.reader.ChainReader` (for the contract and the deployment block);
    ``account`` a local key, or an address the node signs for (a dev chain). At most ``max_in_flight``
    completions are unconfirmed at once; one not mined ``stale_blocks`` after it was sent is forgotten and its
    request sent again (with a fresh nonce). ``gas`` caps one completion's gas limit.
    """

    def __init__(
        self,
        chain: ChainReader,
        account: LocalAccount | str,
        *,
        batch_blocks: int = 2000,
        gas: int = 400_000,
        max_in_flight: int = 100,
        stale_blocks: int = 25,
    ) -> None:
        self.chain = chain
        self.account = account
        self.address = account.address if isinstance(account, LocalAccount) else Web3.to_checksum_address(account)
        self.batch_blocks = batch_blocks
        self.gas = gas
        self.max_in_flight = max_in_flight
        self.stale_blocks = stale_blocks
        self.status = KeeperStatus()
        self._pending: dict[int, _Request] = {}
        self._sent: dict[int, _Sent] = {}
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
        self.status.in_flight = len(self._sent)
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
            for kind, (event, _) in KINDS.items():
                for entry in contract.events[event]().get_logs(from_block=start, to_block=end):
                    request_id = int(entry["args"]["requestId"])
                    self._pending[request_id] = _Request(kind, request_id, int(entry["args"]["revealBlock"]))
            self.status.cursor = end
            start = end + 1

    def _due(self, head: int) -> list[_Request]:
        """Requests whose reveal block is mined and that are not in flight, most urgent first: those still in
        their window, oldest reveal (least window left) first, then those already past it."""
        window = self.window()
        due = [r for r in self._pending.values() if head >= r.reveal_block and r.request_id not in self._sent]
        return sorted(due, key=lambda r: (head - r.reveal_block >= window, r.reveal_block, r.request_id))

    def _send_due(self, head: int) -> None:
        room = self.max_in_flight - len(self._sent)
        nonce: int | None = None
        fees: dict[str, Any] = {}
        for request in self._due(head)[: max(room, 0)]:
            gas = self._simulate(request, head)
            if gas is None:
                continue
            if isinstance(self.account, LocalAccount) and nonce is None:  # read once a round, then counted here
                nonce = int(self.w3.eth.get_transaction_count(self.address, "pending"))
                fees = self._fees()
            try:
                tx_hash = self._send(request, {"gas": gas, "nonce": nonce, **fees})
            except Exception as exc:  # the node refused it (funds, fee, nonce): retried next round
                self.status.failures += 1
                self.status.last_error = f"sending {request.kind} request {request.request_id}: {exc}"
                log.warning("keeper: %s", self.status.last_error)
                return  # a later nonce would wait behind the missing one
            self._sent[request.request_id] = _Sent(request, tx_hash, head)
            if nonce is not None:
                nonce += 1

    def _call(self, request: _Request) -> Any:
        return getattr(self.chain.contract.functions, KINDS[request.kind][1])(request.request_id)

    def _simulate(self, request: _Request, head: int) -> int | None:
        """The gas limit to complete ``request`` with, or None if it is not to be sent now (completed by someone
        else, or reverting for good: both dropped; its reveal block not yet usable: kept)."""
        try:
            estimate = int(self._call(request).estimate_gas({"from": self.address}))
        except REVERTED as exc:
            if self._completed_elsewhere(request):
                return None
            if head <= request.reveal_block:  # the node simulated in the reveal block itself: next round
                return None
            del self._pending[request.request_id]  # it would revert again every round, and cost gas each time
            self.status.dropped += 1
            self.status.last_error = (
                f"dropped {request.kind} request {request.request_id}: its completion reverts: {exc}"
            )
            log.warning("keeper: %s", self.status.last_error)
            return None
        return min(self.gas, int(estimate * GAS_MARGIN))

    def _fees(self) -> dict[str, Any]:
        """The chain id and EIP-1559 fees of this round's transactions, read once instead of once per
        transaction (signing then needs no round trip)."""
        priority = int(self.w3.eth.max_priority_fee)
        base = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0))
        return {
            "chainId": int(self.w3.eth.chain_id),
            "maxPriorityFeePerGas": priority,
            "maxFeePerGas": 2 * base + priority,
        }

    def _send(self, request: _Request, params: dict[str, Any]) -> HexBytes:
        call = self._call(request)
        if isinstance(self.account, LocalAccount):
            signed = self.account.sign_transaction(call.build_transaction({"from": self.address, **params}))
            return HexBytes(self.w3.eth.send_raw_transaction(signed.raw_transaction))
        return HexBytes(call.transact({"from": self.address, "gas": params["gas"]}))

    def _completed_elsewhere(self, request: _Request) -> bool:
        if self.chain.contract.functions.fusionRequest(request.request_id).call()[0] != ZERO_ADDRESS:
            return False
        self._pending.pop(request.request_id, None)  # completed by someone else (the requester, another keeper)
        self.status.completed_by_others += 1
        return True

    def _collect(self, head: int) -> list[int]:
        """Receipts of the completions in flight: the ids completed by this keeper among them."""
        done = []
        for request_id, sent in list(self._sent.items()):
            try:
                receipt = self.w3.eth.get_transaction_receipt(sent.tx_hash)
            except TransactionNotFound:
                if head - sent.block > self.stale_blocks:
                    del self._sent[request_id]  # dropped by the node, or priced out: sent again next round
                continue
            del self._sent[request_id]
            request = sent.request
            self.status.gas_used += int(receipt["gasUsed"])
            if receipt["status"] != 1:  # lost a race to another completer, or retried next round
                self.status.failures += 1
                self._completed_elsewhere(request)
                continue
            self._pending.pop(request_id, None)
            self.status.completed[request.kind] += 1
            self.status.last_delay_blocks = int(receipt["blockNumber"]) - request.reveal_block
            log.info(
                "keeper: completed %s request %d, %d blocks after its reveal",
                request.kind,
                request_id,
                self.status.last_delay_blocks,
            )
            done.append(request_id)
        return done
