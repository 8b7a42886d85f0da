"""Orders wait their turn for the node instead of being refused.

Checking an order reads the chain about ten times, one call after another. A burst of orders, each in a worker
thread, used to fill the chain reader's bulkhead (``LATENTKIN_RPC_MAX_IN_FLIGHT`` calls waiting on the node) at
once, and every order past it got 503 "chain unreachable for now" while the node was healthy (issue 25: 727 of
1,000), with the in-process indexer starved beside them. Here at most ``slots`` orders are checked at once, the
bulkhead less the indexer's share, so their calls never fill it; the others wait in the event loop (no thread
held) up to ``wait`` seconds, then get 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from offchain.errors import ChainUnavailableError

INDEXER_SHARE = 2  # bulkhead slots left to the indexer and to token lookups while orders are checked
ORDER_WAIT = 30.0  # seconds an order may wait for its turn


class OrderQueue:
    """At most ``slots`` order checks at once; the rest wait, in order of arrival, up to ``wait`` seconds."""

    def __init__(self, max_in_flight: int, wait: float = ORDER_WAIT) -> None:
        self.slots = max(1, max_in_flight - INDEXER_SHARE)
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
