"""Alembic migrations of the index schema (run by ``offchain.db.migrate``; no alembic.ini needed)."""
