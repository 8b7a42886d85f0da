"""The order queue (offchain/api/order_queue.py): at most ``slots`` checks at once, each in the queue's own
threads; an order finding no slot within ``wait`` seconds gets ChainUnavailableError (503, Retry-After), and the
slot it waited for still serves the orders after it."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from offchain.api.order_queue import OrderQueue
from offchain.errors import ChainUnavailableError


def test_checks_beyond_the_slots_wait_then_are_refused_after_the_wait():
    async def scenario() -> None:
        queue = OrderQueue(slots=2, wait=0.3)
        release = threading.Event()
        running: list[str] = []

        def check(name: str) -> str:
            running.append(threading.current_thread().name)
            assert release.wait(10)
            return name

        held = [asyncio.create_task(queue.run(check, f"held{k}")) for k in range(2)]
        while len(running) < 2:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        with pytest.raises(ChainUnavailableError, match="none came free in 0.3 s") as refused:
            await queue.run(check, "late")
        assert 0.25 < time.monotonic() - started < 2 and refused.value.retry_after == 1
        waiting = asyncio.create_task(queue.run(lambda: "next"))
        await asyncio.sleep(0.05)
        release.set()
        assert [await task for task in held] == ["held0", "held1"]
        assert await waiting == "next"  # the slots freed serve the next order
        assert all(name.startswith("order-check") for name in running)
        queue.close()
        assert await queue.run(lambda: "after close") == "after close"  # a new pool after close()
        queue.close()

    asyncio.run(scenario())
