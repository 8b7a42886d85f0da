"""An index from before the market (revision 0004) is upgraded in place: the order book's tables are created,
the sales Seaport settled before the upgrade are read back from the chain, nothing stored is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from offchain.index.indexer import Indexer, get_state
from offchain.market.follower import MarketFollower
from offchain.store.db import make_engine, make_sessionmaker, schema_revision
from support.index_schema import rewind_index
from support.market import ETH


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def _indexer(market_kin, engine) -> Indexer:
    return Indexer(
        market_kin.reader, make_sessionmaker(engine), confirmations=0, market=MarketFollower(market_kin.market)
    )


def test_an_index_from_before_the_market_gets_its_past_sales(market_kin, database_url):
    token = market_kin.mint(2)
    market_kin.trader(3).buy(market_kin.trader(2).list(token, ETH).order)
    engine = make_engine(database_url)
    cursor = _indexer(market_kin, engine).sync()
    with engine.begin() as db:  # what revision 0004 wrote: no market tables, row version 4
        events = db.execute(text("SELECT COUNT(*) FROM events")).scalar()
        rewind_index(lambda sql: db.execute(text(sql)), "0004")
    engine.dispose()
    engine = make_engine(database_url)
    try:
        assert schema_revision(engine) == "0008"
        assert _indexer(market_kin, engine).sync() == cursor
        with make_sessionmaker(engine)() as session:
            assert get_state(session, "row_version") == "5"
            sales = session.execute(text("SELECT token_id, seller, buyer, price FROM sales")).all()
            assert sales == [(token, market_kin.accounts[2], market_kin.accounts[3], str(ETH))]
            assert session.execute(text("SELECT COUNT(*) FROM events")).scalar() == events  # nothing lost
    finally:
        engine.dispose()
