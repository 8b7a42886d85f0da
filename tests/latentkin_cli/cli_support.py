"""Keys shared by the command-line tests (a uniquely named module: `conftest` is ambiguous)."""

from __future__ import annotations

from support.dev_keys import DEV_KEYS

__all__ = ["DEV_KEYS"]
