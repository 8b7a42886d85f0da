"""Database engine and sessions: SQLite file by default (WAL, shared across threads), any SQLAlchemy URL.

The schema is Alembic's (``offchain/store/migrations``): :func:`make_engine` upgrades any index to the
newest revision in place, nothing stored is dropped (the indexer then fills new columns from the
chain). An index written before migrations existed (no ``alembic_version``) is recognised by its
columns and stamped with the revision it matches before upgrading.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("latentkin.db")

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_POOL = 24  # connections kept open to a SQLite file (see make_engine)
# Reads of a SQLite file go through a shared memory map of up to this many bytes instead of each pooled
# connection's own 2 MB page cache: with the cache alone, gallery pages of a 100k-token index re-read their
# pages through read() calls and took 1.5-1.8x as long as at 1k tokens (benchmarks/index_scale.txt).
SQLITE_MMAP_BYTES = 256 * 2**20
# Revisions that an index written before migrations can be at, newest first: a column each
# revision added, by which such an index is recognised.
UNVERSIONED = (
    ("0007", "rarity"),
    ("0006", "trait_0"),
    ("0004", "completer"),
    ("0003", "fusion_mode"),
    ("0002", "offer_fuser"),
    ("0001", None),
)


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` and bring its schema to the newest revision; a SQLite file
    gets WAL and its folder created."""
    path: Path | None = None
    if url.startswith("sqlite"):
        name = url.split("///", 1)[1] if "///" in url else ""
        path = Path(name) if name and name != ":memory:" else None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        # Pool as many connections as the API's worker threads may hold at once (16 order checks, the indexer,
        # lookups): beyond SQLAlchemy's default 5 + 10 overflow, each extra one was opened (its pragmas, WAL) and
        # closed again per request in an order burst.
        pool = {"pool_size": SQLITE_POOL, "max_overflow": 8} if path is not None else {}  # :memory: has its own
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    with _migration_lock(path):
        migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Upgrade the index behind ``engine`` to the newest revision (idempotent)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # one migrating process at a time
            connection.execute(text("SELECT pg_advisory_xact_lock(7431)"))
        _stamp_unversioned(connection)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_revision(engine: Engine) -> str | None:
    """The revision the index is at (None: an empty or unversioned database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _stamp_unversioned(connection: Connection) -> None:
    """Record which revision an index from before migrations is at, judged by its columns."""
    inspector = inspect(connection)
    if "tokens" not in inspector.get_table_names() or "alembic_version" in inspector.get_table_names():
        return
    columns = {c["name"] for c in inspector.get_columns("tokens")}
    revision = next(rev for rev, column in UNVERSIONED if column is None or column in columns)
    if revision == "0004" and "orders" in inspector.get_table_names():  # the market's tables came with 0005
        revision = "0005"
    if revision == "0007" and "ix_orders_token_status_side" in {i["name"] for i in inspector.get_indexes("orders")}:
        revision = "0008"  # 0008 only widened the order book's per-token index
    log.warning("index from before schema migrations: recorded as revision %s", revision)
    MigrationContext.configure(connection).stamp(ScriptDirectory(str(MIGRATIONS)), revision)


@contextmanager
def _migration_lock(path: Path | None) -> Iterator[None]:
    """Serialise migrations of one SQLite file across processes (PostgreSQL locks in ``migrate``)."""
    if path is None:
        yield
        return
    with open(path.with_name(path.name + ".migrate.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
