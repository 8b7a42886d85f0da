"""Ports and waiting: the one ``free_port`` and the one way to wait on a condition."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def free_port() -> int:
    """A TCP port nothing listens on right now (127.0.0.1)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    """True if something accepts connections on 127.0.0.1:port."""
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(
    check: Callable[[], T],
    timeout: float,
    what: str,
    *,
    interval: float = 0.05,
    ignore: tuple[type[BaseException], ...] = (),
    alive: Callable[[], bool] | None = None,
    details: Callable[[], str] | None = None,
) -> T:
    """Poll ``check()`` until it returns a truthy value and return that value.

    Exceptions of the ``ignore`` types count as "not yet". Fails the test (AssertionError naming
    ``what``, plus ``details()`` such as a process log) after ``timeout`` seconds, or as soon as
    ``alive()`` turns false.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except ignore:
            pass
        stopped = alive is not None and not alive()
        if stopped or time.monotonic() > deadline:
            reason = "stopped" if stopped else f"did not happen within {timeout:g} s"
            raise AssertionError(f"{what}: {reason}\n{details() if details else ''}".rstrip())
        time.sleep(interval)
