"""Orders wait their turn instead of being refused.

Checking an order reads the chain once, in a multicall coalesced with the other orders' (offchain/market/
order_reads.py, offchain/chain/call_coalescer.py), and at most :data:`MULTICALLS` of those wait on the node at
once: the chain reader's bulkhead (``LATENTKIN_RPC_MAX_IN_FLIGHT`` calls) keeps :data:`INDEXER_SHARE` slots or
more for the indexer and token lookups, however many orders arrive (issue 25: a burst of 1,000 got 727 × 503
"chain unreachable for now" while the node was healthy, and starved the indexer). Here at most ``slots`` orders
are checked at once, each in a worker thread; the others wait in the event loop (no thread held) up to ``wait``
seconds, then get 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from offchain.errors import ChainUnavailableError

INDEXER_SHARE = 2  # bulkhead slots always left to the indexer and to token lookups
MULTICALLS = 2  # order checks' multicalls on their way to the node at once (more only makes smaller groups)
ORDER_CHECKS = 16  # order checks at once, in worker threads (of anyio's 40): the groups a multicall coalesces
ORDER_WAIT = 30.0  # seconds an order may wait for its turn


class OrderQueue:
    """At most ``slots`` order checks at once; the rest wait, in order of arrival, up to ``wait`` seconds."""

    def __init__(self, slots: int = ORDER_CHECKS, wait: float = ORDER_WAIT) -> None:
        self.slots = slots
        self.wait = wait
        self._semaphore = asyncio.Semaphore(self.slots)

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold one of the slots for the block; ChainUnavailableError (503) if none frees up in time."""
        try:
            await asyncio.wait_for(self._semaphore.acquire(), self.wait)
        except TimeoutError:
            raise ChainUnavailableError(
                f"the node is busy checking orders: none came free in {self.wait:g} s", retry_after=1
            ) from None
        try:
            yield
        finally:
            self._semaphore.release()
