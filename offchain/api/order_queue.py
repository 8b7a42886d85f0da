"""Orders wait their turn instead of being refused.

Checking an order reads the chain once, in a multicall coalesced with the other orders' (offchain/market/
order_reads.py, offchain/chain/call_coalescer.py), and at most :data:`MULTICALLS` of those wait on the node at
once: the chain reader's bulkhead (``LATENTKIN_RPC_MAX_IN_FLIGHT`` calls) keeps :data:`INDEXER_SHARE` slots or
more for the indexer and token lookups, however many orders arrive (issue 25: a burst of 1,000 got 727 × 503
"chain unreachable for now" while the node was healthy, and starved the indexer). Here at most ``slots`` orders
are checked at once, each in a worker thread of the queue's own pool (a plain executor hand-off: anyio's
``run_in_threadpool``, its capacity limiter, cancel scope and run-vars, cost the event loop ~9 % of a burst's
samples); the others wait in the event loop (no thread held) up to ``wait`` seconds, then get 503 with
Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import ParamSpec, TypeVar

from offchain.errors import ChainUnavailableError

INDEXER_SHARE = 2  # bulkhead slots always left to the indexer and to token lookups
MULTICALLS = 2  # order checks' multicalls on their way to the node at once (more only makes smaller groups)
ORDER_CHECKS = 16  # order checks at once, in worker threads (of anyio's 40): the groups a multicall coalesces
ORDER_WAIT = 30.0  # seconds an order may wait for its turn

P = ParamSpec("P")
T = TypeVar("T")


class OrderQueue:
    """At most ``slots`` order checks at once; the rest wait, in order of arrival, up to ``wait`` seconds."""

    def __init__(self, slots: int = ORDER_CHECKS, wait: float = ORDER_WAIT) -> None:
        self.slots = slots
        self.wait = wait
        self._semaphore = asyncio.Semaphore(self.slots)
        self._pool: ThreadPoolExecutor | None = None  # made at the first check, again after close()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold one of the slots for the block; ChainUnavailableError (503) if none frees up in time."""
        if self._semaphore.locked():  # else a slot is free and no one waits: taken at once, no timer
            try:
                async with asyncio.timeout(self.wait):  # a timer handle, not wait_for's task per waiting order
                    await self._semaphore.acquire()
            except TimeoutError:
                raise ChainUnavailableError(
                    f"the node is busy checking orders: none came free in {self.wait:g} s", retry_after=1
                ) from None
        else:
            await self._semaphore.acquire()
        try:
            yield
        finally:
            self._semaphore.release()

    async def run(self, check: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``check(*args, **kwargs)`` in one of the queue's threads once a slot is free (:meth:`turn`)."""
        async with self.turn():
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.slots, thread_name_prefix="order-check")
            return await asyncio.get_running_loop().run_in_executor(self._pool, lambda: check(*args, **kwargs))

    def close(self) -> None:
        """Let the queue's threads end once idle (a later check starts new ones)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
