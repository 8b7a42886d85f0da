"""The index schema is Alembic's: migrations build exactly the models' schema, on SQLite and on a
real PostgreSQL, and recognise an index written before migrations existed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from offchain.index.indexer import Indexer, get_state
from offchain.store.db import SQLITE_MMAP_BYTES, make_engine, make_sessionmaker, schema_revision
from offchain.store.models import Base
from support.index_schema import rewind_index


def _differences(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_migrations_build_the_models_schema(database_url):
    engine = make_engine(database_url)
    try:
        assert schema_revision(engine) == "0008"
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_an_index_from_before_migrations_is_stamped_not_rebuilt(database_url, fresh_kin):
    engine = make_engine(database_url)
    indexer = Indexer(fresh_kin.reader, make_sessionmaker(engine), confirmations=0)
    cursor = indexer.sync()
    with engine.begin() as db:  # what the last version before migrations wrote: the same tables
        db.execute(text("DROP TABLE alembic_version"))
    engine.dispose()
    engine = make_engine(database_url)
    try:
        assert schema_revision(engine) == "0008" and _differences(engine) == []
        with make_sessionmaker(engine)() as session:
            assert get_state(session, "cursor") == str(cursor)  # nothing rebuilt, nothing lost
            assert session.execute(text("SELECT COUNT(*) FROM tokens")).scalar() == 2
    finally:
        engine.dispose()


def test_concurrent_processes_migrate_one_sqlite_file_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'index.sqlite3'}"
    code = f"from offchain.store.db import make_engine; make_engine({url!r}).dispose()"
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(3)]
    assert [p.wait(120) for p in procs] == [0, 0, 0]
    with sqlite3.connect(tmp_path / "index.sqlite3") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0008",)]


def test_an_index_from_before_completers_is_upgraded_and_backfilled(database_url, fresh_kin):
    child = fresh_kin.fuse(1, 2).child_id
    engine = make_engine(database_url)
    indexer = Indexer(fresh_kin.reader, make_sessionmaker(engine), confirmations=0)
    cursor = indexer.sync()
    with engine.begin() as db:  # what revision 0003 (fusion modes, no completers) wrote
        events = db.execute(text("SELECT COUNT(*) FROM events")).scalar()
        rewind_index(lambda sql: db.execute(text(sql)), "0003")
    engine.dispose()
    engine = make_engine(database_url)
    try:
        assert schema_revision(engine) == "0008" and _differences(engine) == []
        indexer = Indexer(fresh_kin.reader, make_sessionmaker(engine), confirmations=0)
        assert indexer.sync() == cursor
        with make_sessionmaker(engine)() as session:
            assert get_state(session, "row_version") == "5"
            completers = dict(session.execute(text("SELECT id, completer FROM tokens")).all())
            assert completers == {1: None, 2: None, child: fresh_kin.accounts[0]}  # from the stored Fused event
            assert session.execute(text("SELECT COUNT(*) FROM events")).scalar() == events  # nothing lost
    finally:
        engine.dispose()


def test_every_pooled_sqlite_connection_reads_through_a_shared_memory_map(tmp_path):
    """Each connection a SQLite engine opens gets WAL, foreign keys and the memory map (not just the first)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'index.sqlite3'}")
    connections = [engine.connect() for _ in range(3)]  # three at once: three distinct DBAPI connections
    try:
        for connection in connections:
            assert connection.execute(text("PRAGMA mmap_size")).scalar() == SQLITE_MMAP_BYTES > 0
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        for connection in connections:
            connection.close()
        engine.dispose()
