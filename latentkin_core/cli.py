"""The error convention of both command lines (``latentkin`` and ``python -m renderer``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from latentkin_core.errors import LatentkinError

P = ParamSpec("P")
R = TypeVar("R")


def friendly(
    exit_code: int, report: Callable[[str], None], catch: tuple[type[BaseException], ...] = ()
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator for commands: a :class:`LatentkinError` (or one of ``catch``) becomes its
    message, handed to ``report`` (which prints one ``error: …`` line), and exit code
    ``exit_code`` (``SystemExit``, which typer and click pass through as the exit code): no traceback."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except (LatentkinError, *catch) as exc:  # type: ignore[misc]  # mypy cannot type a starred tuple of classes
                report(str(exc))
                raise SystemExit(exit_code) from None

        return wrapper

    return decorate
