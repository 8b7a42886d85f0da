"""The keeper: completes every due fusion and public-mint request, for anyone, as soon as its reveal block
is mined.

Anyone may complete a request and the new token always goes to its requester, so a keeper only spends gas.
What it buys is fairness: a request completed a block or two after its reveal leaves its requester no time
to prefer the fallback outcome (which the contract uses once the reveal block's hash is more than 8191
blocks old, 256 without EIP-2935; see ``ILatentKin``). The service runs one when ``LATENTKIN_KEEPER_KEY``
is set; ``latentkin keeper`` runs one on its own.

The keeper follows ``FusionRequested`` and ``PublicMintRequested`` from the deployment block on (held in
memory: a restart re-reads the logs and checks each request's state on chain), and for each request whose
reveal block has been mined sends ``completeFusion`` / ``completePublicMint`` unless someone else already
did. Its counters feed the service's Prometheus metrics.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from eth_account.signers.local import LocalAccount
from web3 import Web3

from offchain.chain.reader import ChainReader
from offchain.chain.transactions import send
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError, TransactionFailedError

log = logging.getLogger("latentkin.keeper")

ZERO_ADDRESS = "0x" + "00" * 20
KINDS = {"fusion": ("FusionRequested", "completeFusion"), "mint": ("PublicMintRequested", "completePublicMint")}


@dataclass(slots=True)
class KeeperStatus:
    """What the keeper did so far (exported as metrics)."""

    cursor: int | None = None  # last block whose requests were read
    pending: int = 0  # known requests not completed yet
    completed: dict[str, int] = field(default_factory=lambda: {"fusion": 0, "mint": 0})
    completed_by_others: int = 0  # requests found already completed when due
    failures: int = 0  # completions that reverted or could not be sent
    last_delay_blocks: int | None = None  # blocks between the reveal and our completion, last one
    gas_used: int = 0
    last_error: str | None = None
    running: bool = False


@dataclass(slots=True)
class _Request:
    kind: str
    request_id: int
    reveal_block: int


class Keeper:
    """Completes the due requests of one LatentKin deployment, signing with ``account``.

    ``chain`` is an :class:`offchain.chain.reader.ChainReader` (for the contract and the deployment block);
    ``account`` a local key, or an address the node signs for (a dev chain).
    """

    def __init__(self, chain: ChainReader, account: LocalAccount | str, *, batch_blocks: int = 2000,
                 gas: int = 400_000) -> None:
        self.chain = chain
        self.account = account
        self.address = account.address if isinstance(account, LocalAccount) else Web3.to_checksum_address(account)
        self.batch_blocks = batch_blocks
        self.gas = gas
        self.status = KeeperStatus()
        self._pending: dict[int, _Request] = {}

    @property
    def w3(self) -> Web3:
        return self.chain.w3

    # -- one round ------------------------------------------------------------------------------
    def step(self) -> list[int]:
        """Read new requests, then complete every due one; returns the ids this keeper completed."""
        head = int(self.w3.eth.block_number)
        self._read_requests(head)
        done = []
        for request in sorted(self._pending.values(), key=lambda r: r.reveal_block):
            if head < request.reveal_block:  # the next block must come after the reveal block
                break
            if self._complete(request, head):
                done.append(request.request_id)
        self.status.pending = len(self._pending)
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

    def _complete(self, request: _Request, head: int) -> bool:
        contract = self.chain.contract
        if contract.functions.fusionRequest(request.request_id).call()[0] == ZERO_ADDRESS:
            del self._pending[request.request_id]  # completed by someone else (the requester, another keeper)
            self.status.completed_by_others += 1
            return False
        call = getattr(contract.functions, KINDS[request.kind][1])(request.request_id)
        try:
            receipt = send(self.w3, self.account, call, gas=self.gas, timeout=120)
        except TransactionFailedError:  # reverted: lost a race to another completer, or retried next round
            self.status.failures += 1
            if contract.functions.fusionRequest(request.request_id).call()[0] == ZERO_ADDRESS:
                del self._pending[request.request_id]  # lost a race to another completer
                self.status.completed_by_others += 1
            return False
        except Exception as exc:
            self.status.failures += 1
            self.status.last_error = f"completing {request.kind} request {request.request_id}: {exc}"
            log.warning("keeper: %s", self.status.last_error)
            return False
        del self._pending[request.request_id]
        self.status.completed[request.kind] += 1
        self.status.gas_used += int(receipt["gasUsed"])
        self.status.last_delay_blocks = int(receipt["blockNumber"]) - request.reveal_block
        log.info("keeper: completed %s request %d, %d blocks after its reveal", request.kind,
                 request.request_id, self.status.last_delay_blocks)
        return True
