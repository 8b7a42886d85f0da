"""The circuit breaker: open after an unreachable node, probing one call at a time after its cooldown, closed
again by an answer; it logs the openings and the recoveries, not every refused call."""

from __future__ import annotations

import logging
import time

import pytest

from offchain.chain.circuit_breaker import CircuitBreaker
from offchain.errors import ChainUnavailableError


class _Unreachable(ConnectionError):
    pass


def _call(breaker: CircuitBreaker, fail: bool) -> None:
    with breaker.guard((_Unreachable,)):
        if fail:
            raise _Unreachable("no answer")


def test_opens_refuses_probes_and_closes_logging_only_the_changes(caplog):
    breaker = CircuitBreaker(cooldown=0.05, max_in_flight=2)
    caplog.set_level(logging.INFO, logger="latentkin.chain")
    with pytest.raises(_Unreachable):
        _call(breaker, fail=True)
    assert breaker.is_open and breaker.trips == 1
    for _ in range(3):
        with pytest.raises(ChainUnavailableError):
            _call(breaker, fail=False)  # refused at once, the node not asked
    assert breaker.rejected == 3
    time.sleep(0.06)
    with pytest.raises(_Unreachable):
        _call(breaker, fail=True)  # the probe fails: open again, no second warning
    time.sleep(0.06)
    _call(breaker, fail=False)  # the probe is answered: closed
    assert not breaker.is_open and breaker.trips == 2
    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "latentkin.chain"]
    assert [level for level, _ in messages] == ["WARNING", "INFO"], messages
    assert "unreachable" in messages[0][1] and "answers again" in messages[1][1] and "2 trips" in messages[1][1]
    _call(breaker, fail=False)
    assert len([r for r in caplog.records if r.name == "latentkin.chain"]) == 2  # answers while closed: silent
