"""Turning a current index back into what an older revision wrote, to test the upgrade in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# What each migration added, newest last: ("column", table, name) or ("table", name).
_ADDED_BY = {
    "0003": [("column", "tokens", "fusion_mode")],
    "0004": [("column", "tokens", "completer")],
    "0005": [("table", "orders"), ("table", "sales")],
}


def rewind_index(execute: Callable[[str], Any], revision: str) -> None:
    """Drop what the migrations after ``revision`` added (newest first) and record ``revision`` and its row
    version, as that revision's code left the index. ``execute`` runs one SQL statement."""
    for later in sorted((r for r in _ADDED_BY if r > revision), reverse=True):
        for kind, *names in _ADDED_BY[later]:
            execute(f"ALTER TABLE {names[0]} DROP COLUMN {names[1]}" if kind == "column" else f"DROP TABLE {names[0]}")
    execute(f"UPDATE alembic_version SET version_num = '{revision}'")
    execute(f"UPDATE state SET value = '{int(revision)}' WHERE key = 'row_version'")
