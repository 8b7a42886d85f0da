"""``book.store`` on SQLite and PostgreSQL: a new order is stored once, the same order again leaves the row as it
is, and an order retired for good stays retired when it is posted again."""

from __future__ import annotations

import pytest

from offchain.api.errors import status_of
from offchain.errors import BookChangedError
from offchain.market.book import retire, store
from offchain.store.models import ACTIVE, MarketOrder
from support.market import ETH


def test_a_new_order_is_stored_with_its_terms(market_kin, sessions):
    token = market_kin.mint(2)
    listing = market_kin.trader(2).list(token, ETH, ETH // 2, duration=3600)
    with sessions() as session:
        row, created = store(session, listing, 7)
        session.commit()
    assert created and (row.hash, row.status, row.created_block, row.retired_block) == (listing.hash, ACTIVE, 7, None)
    with sessions() as session:
        stored = session.get(MarketOrder, listing.hash)
        assert stored is not None
        assert (stored.side, stored.token_id, stored.start_price, stored.end_price) == (
            "listing",
            token,
            str(ETH),
            str(ETH // 2),
        )
        assert (stored.status, stored.created_block, stored.body) == (ACTIVE, 7, row.body)


def test_the_same_order_again_leaves_the_row_as_it_is(market_kin, sessions):
    listing = market_kin.trader(2).list(market_kin.mint(2), ETH, duration=3600)
    with sessions() as session:
        store(session, listing, 7)
        session.commit()
    with sessions() as session:
        row, created = store(session, listing, 9)  # checked again at a later block
        session.commit()
    assert not created and row.created_block == 7
    with sessions() as session:
        assert session.query(MarketOrder).count() == 1
        assert session.get(MarketOrder, listing.hash).created_block == 7


def test_a_retired_order_posted_again_stays_retired(market_kin, sessions):
    listing = market_kin.trader(2).list(market_kin.mint(2), ETH, duration=3600)
    with sessions() as session:
        store(session, listing, 7)
        assert retire(session, 8, "cancelled", MarketOrder.hash == listing.hash) == 1
        session.commit()
    with sessions() as session:
        row, created = store(session, listing, 9)
        session.commit()
    assert not created and (row.status, row.retired_block) == ("cancelled", 8)
    with sessions() as session:
        stored = session.get(MarketOrder, listing.hash)
        assert (stored.status, stored.retired_block, stored.created_block) == ("cancelled", 8, 7)


def test_an_order_whose_row_vanishes_twice_is_a_retry_later_not_a_crash(market_kin, sessions, monkeypatch):
    """The row is there when the insert conflicts and gone when it is read, twice over (a chain reset emptying the
    book each time): the caller hears 503 and a Retry-After, not a 500."""
    listing = market_kin.trader(2).list(market_kin.mint(2), ETH, duration=3600)
    with sessions() as session:
        store(session, listing, 7)
        session.commit()
    with sessions() as session:
        monkeypatch.setattr(session, "get", lambda *args, **kwargs: None)
        with pytest.raises(BookChangedError) as raised:
            store(session, listing, 9)
    assert status_of(raised.value) == 503 and raised.value.retry_after == 1
