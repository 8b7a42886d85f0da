"""The circuit breaker: open after an unreachable node, probing one call at a time after its cooldown, closed
again by an answer; it logs the openings and the recoveries, not every refused call."""

from __future__ import annotations

import logging
import threading

import pytest

from offchain.chain.circuit_breaker import CircuitBreaker
from offchain.errors import ChainUnavailableError


class _Unreachable(ConnectionError):
    pass


class _Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _call(breaker: CircuitBreaker, fail: bool) -> None:
    with breaker.guard((_Unreachable,)):
        if fail:
            raise _Unreachable("no answer")


def _logged(caplog) -> list[str]:
    return [record.levelname for record in caplog.records if record.name == "latentkin.chain"]


def test_opens_refuses_probes_and_closes_logging_only_the_changes(caplog):
    clock = _Clock()
    breaker = CircuitBreaker(cooldown=5.0, max_in_flight=2, clock=clock)
    caplog.set_level(logging.INFO, logger="latentkin.chain")
    with pytest.raises(_Unreachable):
        _call(breaker, fail=True)
    assert breaker.is_open and breaker.trips == 1
    for _ in range(3):
        with pytest.raises(ChainUnavailableError):
            _call(breaker, fail=False)  # refused at once, the node not asked
    assert breaker.rejected == 3
    clock.now += 5.0
    with pytest.raises(_Unreachable):
        _call(breaker, fail=True)  # the probe fails: open again, no second warning
    clock.now += 5.0
    _call(breaker, fail=False)  # the probe is answered: closed
    assert not breaker.is_open and breaker.trips == 2
    assert _logged(caplog) == ["WARNING", "INFO"]
    warning, info = (record.getMessage() for record in caplog.records if record.name == "latentkin.chain")
    assert "unreachable" in warning and "answers again" in info and "2 trips" in info
    _call(breaker, fail=False)
    assert _logged(caplog) == ["WARNING", "INFO"]  # answers while closed: silent


def test_a_slow_answer_from_before_a_trip_does_not_close_the_breaker(caplog):
    clock = _Clock()
    breaker = CircuitBreaker(cooldown=5.0, clock=clock)
    caplog.set_level(logging.INFO, logger="latentkin.chain")
    inside, release = threading.Event(), threading.Event()

    def slow_call() -> None:
        with breaker.guard((_Unreachable,)):  # let in while the breaker is closed
            inside.set()
            release.wait(5)

    slow = threading.Thread(target=slow_call)
    slow.start()
    assert inside.wait(5)
    with pytest.raises(_Unreachable):
        _call(breaker, fail=True)  # meanwhile another call finds the node unreachable
    release.set()
    slow.join(5)
    assert breaker.is_open and _logged(caplog) == ["WARNING"]
    with pytest.raises(ChainUnavailableError):
        _call(breaker, fail=False)  # still refused: the late answer did not close it
    clock.now += 5.0
    _call(breaker, fail=False)
    assert _logged(caplog) == ["WARNING", "INFO"]
