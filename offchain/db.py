"""Database engine and sessions: SQLite file by default (WAL, shared across threads), any SQLAlchemy URL.

An index written by an older version gains the nullable columns added since, in place: nothing
stored is dropped (the indexer then fills the new columns from the chain).
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from offchain.models import Base

log = logging.getLogger("latentkin.db")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` and its tables; a SQLite file gets WAL and its folder created."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    Base.metadata.create_all(engine)
    add_missing_columns(engine)
    return engine


def add_missing_columns(engine: Engine) -> list[str]:
    """Add the model's nullable columns (and their indexes) that existing tables lack.

    Returns the ``table.column`` names added. A missing NOT NULL column cannot be added without
    inventing data, so that raises RuntimeError naming it (delete the index file to rebuild).
    """
    inspector = inspect(engine)
    added = []
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            new = [c for c in table.columns if c.name not in present]
            for column in new:
                if not column.nullable:
                    raise RuntimeError(f"the index lacks the NOT NULL column {table.name}.{column.name}; "
                                       "delete the database file to rebuild it from the chain")
                kind = column.type.compile(dialect=engine.dialect)
                connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
                added.append(f"{table.name}.{column.name}")
            for index in table.indexes:
                if any(c in new for c in index.columns):
                    index.create(connection, checkfirst=True)
    if added:
        log.warning("index schema upgraded in place: added %s", ", ".join(added))
    return added


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
