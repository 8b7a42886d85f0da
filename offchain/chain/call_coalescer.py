"""Reads of many threads coalesced into few multicalls (offchain/chain/multicall.py): a group commit.

Each caller queues its calls; a caller finding fewer than ``max_sending`` multicalls in flight sends everything
queued so far (up to :data:`~offchain.chain.multicall.MAX_CALLS` calls) as one, and hands each caller its
answers. While one multicall is on its way, the calls arriving meanwhile wait and go together in the next: a
burst of order checks costs the node one ``eth_call`` per group, not ten per order (issue 25). Identical calls in
one group (the same seller's counter and approval, read at one block) are sent once. A caller alone is sent at
once: no timer, no added latency.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from offchain.chain.multicall import MAX_CALLS, Answers, Call


@dataclass(eq=False)
class _Request:
    calls: Sequence[Call]
    answers: Answers | None = None
    error: BaseException | None = None
    done: bool = False


class CallCoalescer:
    """Groups concurrent :meth:`read` calls into multicalls sent by ``send`` (at most ``max_sending`` at once)."""

    def __init__(self, send: Callable[[Sequence[Call]], Answers], max_sending: int = 2) -> None:
        self._send = send
        self.max_sending = max_sending
        self._cond = threading.Condition()
        self._queue: list[_Request] = []
        self._sending = 0
        self.multicalls = 0  # sent so far (for tests and metrics)

    @property
    def waiting(self) -> int:
        """Reads queued, not yet taken into a multicall."""
        with self._cond:
            return len(self._queue)

    def read(self, calls: Sequence[Call]) -> Answers:
        """The answers of ``calls`` (at most MAX_CALLS), all read at one block, maybe in one multicall with
        other threads' calls; what ``send`` raised if it failed."""
        if len(calls) > MAX_CALLS:
            raise ValueError(f"at most {MAX_CALLS} calls in one read, not {len(calls)}")
        request = _Request(calls)
        with self._cond:
            self._queue.append(request)
            while not request.done:
                if self._sending < self.max_sending and self._queue:
                    group = self._take()
                    self._sending += 1
                    self._cond.release()
                    try:
                        self._send_group(group)
                    finally:
                        self._cond.acquire()
                        self._sending -= 1
                        for taken in group:
                            taken.done = True
                        self._cond.notify_all()
                else:
                    self._cond.wait()
        if request.error is not None:
            raise request.error
        assert request.answers is not None
        return request.answers

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
