"""Turning a current index back into what an older revision wrote, to test the upgrade in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# What each migration added, newest last: ("column", table, name), ("table", name) or ("index", name), dropped
# in the order listed.
_ADDED_BY = {
    "0003": [("column", "tokens", "fusion_mode")],
    "0004": [("column", "tokens", "completer")],
    "0005": [("table", "orders"), ("table", "sales")],
    "0006": [
        *(("index", f"ix_tokens_trait_{i}_id") for i in range(8)),
        ("index", "ix_tokens_owner_id"),
        ("index", "ix_tokens_generation_id"),
        ("index", "ix_tokens_offered_id"),
        *(("column", "tokens", f"trait_{i}") for i in range(8)),
        ("create index", "ix_tokens_owner ON tokens (owner)"),
    ],
    "0007": [("index", "ix_tokens_rarity_id"), ("column", "tokens", "rarity")],
    "0008": [
        ("index", "ix_orders_token_status_side"),
        ("create index", "ix_orders_token_status ON orders (token_id, status)"),
    ],
}
_SQL = {
    "column": "ALTER TABLE {0} DROP COLUMN {1}",
    "table": "DROP TABLE {0}",
    "index": "DROP INDEX {0}",
    "create index": "CREATE INDEX {0}",
}


def rewind_index(execute: Callable[[str], Any], revision: str) -> None:
    """Drop what the migrations after ``revision`` added (newest first) and record ``revision`` and its row
    version, as that revision's code left the index. ``execute`` runs one SQL statement."""
    for later in sorted((r for r in _ADDED_BY if r > revision), reverse=True):
        for kind, *names in _ADDED_BY[later]:
            execute(_SQL[kind].format(*names))
    execute(f"UPDATE alembic_version SET version_num = '{revision}'")
    execute(f"UPDATE state SET value = '{int(revision)}' WHERE key = 'row_version'")
