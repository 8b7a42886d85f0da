"""Alembic migrations of the index schema (run by ``offchain.store.db.migrate``; no alembic.ini needed)."""
