"""A circuit breaker with a bulkhead for calls to the chain's JSON-RPC node.

A hung node (stopped, overloaded) does not refuse connections: every call waits the whole RPC
timeout. Without a breaker each lookup of an unindexed token held a worker thread that long, and
a few dozen of them starved the thread pool that indexed endpoints need too. So:

* **open**: after a call failed because the node could not be reached or timed out, every call
  fails at once (``ChainUnavailableError`` with ``retry_after`` = seconds left) for ``cooldown``
  seconds;
* **half-open**: after that, one probe call at a time goes through until one succeeds;
* **bulkhead**: while closed, at most ``max_in_flight`` calls wait on the node at once; one more
  fails at once instead of taking a thread hostage.

Nested calls on the same thread (a guarded method calling another) count once. The breaker logs when it opens
after answers (a warning) and when the node answers a probe (info), not every refused call.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from offchain.errors import ChainUnavailableError

log = logging.getLogger("latentkin.chain")


class CircuitBreaker:
    """Fail fast while the node is known to be unreachable; bound the calls waiting on it."""

    def __init__(
        self, cooldown: float = 5.0, max_in_flight: int = 8, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.cooldown = cooldown
        self.clock = clock  # seconds, monotonic
        self.max_in_flight = max_in_flight
        self._lock = threading.Lock()
        self._local = threading.local()
        self._open_until = 0.0
        self._probing = False  # tripped since the last success: one call at a time
        self._in_flight = 0
        self.trips = 0
        self.rejected = 0

    @property
    def is_open(self) -> bool:
        """True while calls are refused without trying the node."""
        return self.clock() < self._open_until

    @contextmanager
    def guard(self, unreachable: tuple[type[BaseException], ...]) -> Iterator[None]:
        """Admit one call (or raise ChainUnavailableError at once); an ``unreachable`` exception
        raised inside trips the breaker and propagates."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            yield
            return
        self._admit()
        self._local.depth = 1
        try:
            yield
        except unreachable:
            self._trip()
            raise
        except BaseException:
            self._answered()  # the node answered (a revert, empty return data, ...)
            raise
        else:
            self._answered()
        finally:
            self._local.depth = 0
            with self._lock:
                self._in_flight -= 1

    def _admit(self) -> None:
        with self._lock:
            left = self._open_until - self.clock()
            if left > 0:
                self.rejected += 1
                raise ChainUnavailableError(
                    f"chain unreachable (the node failed to answer; not asked again for {left:.1f} s)",
                    retry_after=math.ceil(left),
                )
            limit = 1 if self._probing else self.max_in_flight
            if self._in_flight >= limit:
                self.rejected += 1
                what = "the node is being probed" if self._probing else f"{limit} calls already wait on it"
                raise ChainUnavailableError(f"chain unreachable for now ({what})", retry_after=1)
            self._in_flight += 1

    def _answered(self) -> None:
        with self._lock:
            # a call let in before a trip may return after it: only an answer once the cooldown is over closes
            recovered = self._probing and self.clock() >= self._open_until
            if recovered:
                self._probing = False
            trips = self.trips
        if recovered:
            log.info("chain node answers again: the circuit breaker is closed (%d trips so far)", trips)

    def _trip(self) -> None:
        with self._lock:
            opened = not self._probing  # closed until now: the first failure since the node last answered
            self._open_until = self.clock() + self.cooldown
            self._probing = True
            self.trips += 1
        if opened:
            log.warning(
                "chain node unreachable: the circuit breaker refuses calls for %.1f s, then probes", self.cooldown
            )
