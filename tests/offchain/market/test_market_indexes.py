"""The market's per-token reads (``/market?tokens=``, the gallery's cards) are served by the order book's
(token_id, status, side) index, on SQLite and PostgreSQL, not by a walk through every active listing."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from latentkin_cli.postgres import PostgresCluster
from offchain.market.book import best_listings, listing_query
from offchain.store.db import MIGRATIONS, make_engine, make_sessionmaker, schema_revision
from offchain.store.models import Base
from support.query_plan import query_plan
from support.seed_index import seed_listings

LISTINGS = 5_000
NOW = 1_000


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def book(request, tmp_path_factory):
    """An order book of 4,950 listings (one in five filled) and 550 offers, as the follower leaves it: on
    SQLite without statistics (the service never runs ANALYZE), on PostgreSQL analyzed (autovacuum does)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('book') / 'index.sqlite3'}"
    else:
        url = PostgresCluster(request.getfixturevalue("postgres_server")).create_database("book_indexes", replace=True)
    engine = make_engine(url)
    seed_listings(engine, LISTINGS + LISTINGS // 10, LISTINGS, end_time=NOW * 10)
    if engine.dialect.name == "postgresql":
        with engine.begin() as db:
            db.execute(text("ANALYZE orders"))
    yield engine
    engine.dispose()


def test_best_listings_read_the_token_index(book):
    tokens = [17, 2500, 4902]
    plan = query_plan(book, listing_query(tokens, NOW))
    assert "ix_orders_token_status_side" in plan, plan
    assert "Seq Scan" not in plan and "SCAN orders" not in plan, plan
    with make_sessionmaker(book)() as session:
        best = best_listings(session, tokens, NOW)
    assert {t: o.hash for t, o in best.items()} == {t: f"0x{t - 1:064x}" for t in tokens}  # k % 5 == 0 is filled


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def _order_indexes(engine) -> set[str]:
    with engine.connect() as db:
        return {index["name"] for index in inspect(db).get_indexes("orders")}


def test_migration_0008_goes_down_and_up(database_url):
    engine = make_engine(database_url)
    try:
        assert "ix_orders_token_status_side" in _order_indexes(engine)
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = connection
            command.downgrade(config, "0007")
        assert schema_revision(engine) == "0007"
        indexes = _order_indexes(engine)
        assert "ix_orders_token_status" in indexes and "ix_orders_token_status_side" not in indexes
    finally:
        engine.dispose()
    engine = make_engine(database_url)  # upgrades in place again
    try:
        assert schema_revision(engine) == "0008"
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    finally:
        engine.dispose()
