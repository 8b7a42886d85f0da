"""Reads of many threads coalesced into few multicalls (offchain/chain/multicall.py): a group commit.

Each caller queues its calls; a caller finding fewer than ``max_sending`` multicalls in flight sends everything
queued so far (up to :data:`~offchain.chain.multicall.MAX_CALLS` calls) as one, and hands each caller its
answers. While one multicall is on its way, the calls arriving meanwhile wait and go together in the next: a
burst of order checks costs the node one ``eth_call`` per group, not ten per order (issue 25). Identical calls in
one group (the same seller's counter and approval, read at one block) are sent once. A caller alone is sent at
once: no timer, no added latency. Each caller sleeps on a condition of its own: a multicall's end wakes the
callers it answered and the oldest caller still queued, not every thread waiting (a burst's 16 checks woke each
other ~14 times a group).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from offchain.chain.multicall import MAX_CALLS, Answers, Call


@dataclass(eq=False)
class _Request:
    calls: Sequence[Call]
    wake: threading.Condition  # on the coalescer's lock; only this request's thread waits on it
    answers: Answers | None = None
    error: BaseException | None = None
    done: bool = False
    sending: bool = False  # its thread is sending a group (not waiting)


class CallCoalescer:
    """Groups concurrent :meth:`read` calls into multicalls sent by ``send`` (at most ``max_sending`` at once)."""

    def __init__(self, send: Callable[[Sequence[Call]], Answers], max_sending: int = 2) -> None:
        self._send = send
        self.max_sending = max_sending
        self._lock = threading.Lock()
        self._queue: list[_Request] = []
        self._sending = 0
        self.multicalls = 0  # sent so far (for tests and metrics)

    @property
    def waiting(self) -> int:
        """Reads queued, not yet taken into a multicall."""
        with self._lock:
            return len(self._queue)

    def read(self, calls: Sequence[Call]) -> Answers:
        """The answers of ``calls`` (at most MAX_CALLS), all read at one block, maybe in one multicall with
        other threads' calls; what ``send`` raised if it failed."""
        if len(calls) > MAX_CALLS:
            raise ValueError(f"at most {MAX_CALLS} calls in one read, not {len(calls)}")
        request = _Request(calls, threading.Condition(self._lock))
        with self._lock:
            self._queue.append(request)
            while not request.done:
                if self._sending < self.max_sending and self._queue:
                    group = self._take()
                    self._sending += 1
                    request.sending = True
                    self._wake_next()  # what is left may go in a multicall of its own meanwhile
                    self._lock.release()
                    try:
                        self._send_group(group)
                    finally:
                        self._lock.acquire()
                        request.sending = False
                        self._sending -= 1
                        for taken in group:
                            taken.done = True
                            taken.wake.notify()
                        self._wake_next()
                else:
                    request.wake.wait()
        if request.error is not None:
            raise request.error
        assert request.answers is not None
        return request.answers

    def _wake_next(self) -> None:
        """Wake the thread of the oldest queued read that waits, if a multicall may go now (lock held)."""
        if self._sending < self.max_sending:
            for queued in self._queue:
                if not queued.sending:
                    queued.wake.notify()
                    return

    def _take(self) -> list[_Request]:
        """The oldest queued requests whose distinct calls fit in one multicall (lock held)."""
        group: list[_Request] = []
        distinct: set[Call] = set()
        while self._queue:
            more = distinct | set(self._queue[0].calls)
            if group and len(more) > MAX_CALLS:
                break
            group.append(self._queue.pop(0))
            distinct = more
        return group

    def _send_group(self, group: list[_Request]) -> None:
        """One multicall of the group's distinct calls; each request gets its answers or the error (unlocked;
        the caller notifies under the lock)."""
        unique = list(dict.fromkeys(call for request in group for call in request.calls))
        try:
            answers = self._send(unique)
        except BaseException as exc:  # every caller of the group gets the error
            for request in group:
                request.error = exc
        else:
            position = {call: k for k, call in enumerate(unique)}
            for request in group:
                results = tuple(answers.results[position[call]] for call in request.calls)
                request.answers = Answers(answers.block, answers.timestamp, results)
        self.multicalls += 1
