"""Market fixtures: one market chain per session, returned to its deployed state after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from offchain.store.db import make_engine, make_sessionmaker
from support.chain import rolled_back
from support.market import MarketKin, make_market_chain


@pytest.fixture(scope="session")
def _market_session(tmp_path_factory) -> MarketKin:
    return make_market_chain(tmp_path_factory.mktemp("market-deployments"))


@pytest.fixture
def market_kin(_market_session: MarketKin) -> Iterator[MarketKin]:
    """LatentKin + Seaport 1.6 + WETH9 on eth-tester; whatever the test does is rolled back."""
    with rolled_back(_market_session.tester):
        yield _market_session


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request, tmp_path):
    """Sessions of a fresh, migrated index on SQLite or a real PostgreSQL."""
    url = (
        f"sqlite:///{tmp_path / 'index.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()
