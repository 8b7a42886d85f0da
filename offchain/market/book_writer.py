"""Accepted orders of concurrent checks stored together, one transaction for all: a group commit.

The orders of a burst are checked in groups (their chain reads coalesced into one multicall, offchain/chain/
call_coalescer.py) and reach the book at about the same time. Each in a session and a commit of its own cost a
worker ~480 µs of CPU per order on SQLite, all of them in one ~145 µs (benchmarks/order_burst.txt). A thread
finding no write under way writes everything queued so far (its own order included) in one transaction and hands
each caller its row; the orders arriving meanwhile wait and go in the next. A caller alone is written at once: no
timer, no added latency; each caller sleeps on a condition of its own (a write's end wakes its group and the
oldest order queued, not every waiting thread). If the group's transaction fails, each order is written again
alone, so one order's error never fails another's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from offchain.market.book import store
from offchain.market.validation import ValidOrder
from offchain.store.models import MarketOrder


@dataclass(eq=False)
class _Pending:
    valid: ValidOrder
    wake: threading.Condition  # on the writer's lock; only this order's thread waits on it
    row: tuple[MarketOrder, bool] | None = None
    error: BaseException | None = None
    done: bool = False


class BookWriter:
    """Stores accepted orders (:func:`offchain.market.book.store`) of concurrent threads in shared transactions."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._queue: list[_Pending] = []
        self._writing = False
        self.transactions = 0  # committed so far (for tests)

    @property
    def waiting(self) -> int:
        """Orders queued, not yet taken into a transaction."""
        with self._lock:
            return len(self._queue)

    def store(self, valid: ValidOrder) -> tuple[MarketOrder, bool]:
        """Put ``valid`` in the book at the block it was checked at, maybe in one transaction with other threads'
        orders: (its row, True if new), as :func:`offchain.market.book.store`; what storing it raised if it
        failed."""
        pending = _Pending(valid, threading.Condition(self._lock))
        with self._lock:
            self._queue.append(pending)
            while not pending.done:
                if self._writing:
                    pending.wake.wait()
                    continue
                group, self._queue = self._queue, []
                self._writing = True
                self._lock.release()
                try:
                    self._write(group)
                finally:
                    self._lock.acquire()
                    self._writing = False
                    for taken in group:
                        taken.done = True
                        taken.wake.notify()
                    if self._queue:  # the oldest order queued meanwhile writes the next group
                        self._queue[0].wake.notify()
        if pending.error is not None:
            raise pending.error
        assert pending.row is not None
        return pending.row

    def _write(self, group: list[_Pending]) -> None:
        """The group in one transaction; if that fails, each order alone (unlocked)."""
        try:
            with self._sessions() as session:
                rows = [store(session, pending.valid, pending.valid.block) for pending in group]
                session.commit()
        except BaseException as exc:
            if len(group) == 1 or not isinstance(exc, Exception):
                for pending in group:
                    pending.error = exc
                return
            for pending in group:
                self._write([pending])
            return
        self.transactions += 1
        for pending, row in zip(group, rows, strict=True):
            pending.row = row
