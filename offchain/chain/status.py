"""What the page shows before any wallet is connected: the chain's head and pace, mint and fee terms.

Block pace is measured from the chain's own timestamps over the last blocks (a dev node that mines
only on demand reads as "no pace": then the nominal 12 s of Ethereum mainnet is used), so a
cooldown of N blocks reads as a time ("ready in ~12 min").
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from offchain.chain.reader import ChainReader

NOMINAL_BLOCK_SECONDS = 12.0
PACE_WINDOW = 64  # blocks the pace is measured over
FRESH_FOR = 2.0  # seconds a status is reused


@dataclass(frozen=True)
class ChainStatus:
    """The head block, seconds per block, and the public mint and fusion terms."""

    chain_id: int
    head: int
    head_timestamp: int
    block_seconds: float
    mint_price_wei: int
    mint_cap: int
    minted: int
    fusion_fee_wei: int


def block_seconds(chain: ChainReader, head: int, head_time: int) -> float:
    """Mean seconds per block over the last PACE_WINDOW blocks; nominal when too few or under a second."""
    start = max(0, head - PACE_WINDOW)
    if head - start < 2:
        return NOMINAL_BLOCK_SECONDS
    pace = (head_time - chain.block_timestamp(start)) / (head - start)
    return round(pace, 2) if pace >= 1 else NOMINAL_BLOCK_SECONDS


class ChainStatusReader:
    """ChainStatus, read at most every FRESH_FOR seconds (ChainUnavailableError when the chain is down)."""

    def __init__(self, chain: ChainReader) -> None:
        self.chain = chain
        self._lock = threading.Lock()
        self._last: tuple[float, ChainStatus] | None = None

    def status(self) -> ChainStatus:
        """The current status (fresh within FRESH_FOR seconds)."""
        with self._lock:
            if self._last and time.monotonic() - self._last[0] < FRESH_FOR:
                return self._last[1]
        head = self.chain.head()
        head_time = self.chain.block_timestamp(head)
        price, cap, minted, fee = self.chain.mint_terms()
        status = ChainStatus(
            self.chain.deployment.chain_id,
            head,
            head_time,
            block_seconds(self.chain, head, head_time),
            price,
            cap,
            minted,
            fee,
        )
        with self._lock:
            self._last = (time.monotonic(), status)
        return status
