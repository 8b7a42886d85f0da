"""The group commit of accepted orders (offchain/market/book_writer.py), on SQLite and PostgreSQL: orders stored
by concurrent threads share a transaction, each caller gets its own row, and an order that cannot be stored fails
alone, not the orders written beside it."""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import IntegrityError

from offchain.market.book_writer import BookWriter
from offchain.store.models import MarketOrder
from support.market import ETH


def _gated(sessions):
    """``sessions`` whose first session opens only once the returned gate is set, and an event set once that
    first session is asked for (its writer holds its group)."""
    gate, asked = threading.Event(), threading.Event()

    def open_session():
        if not asked.is_set():
            asked.set()
            assert gate.wait(30)
        return sessions()

    return open_session, gate, asked


def _wait_for(predicate) -> None:
    deadline = time.monotonic() + 30
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_orders_stored_at_once_share_one_transaction(market_kin, sessions):
    seller = market_kin.trader(2)
    first, *others = [seller.list(market_kin.mint(2), ETH, duration=3600) for _ in range(9)]
    open_session, gate, asked = _gated(sessions)
    writer = BookWriter(open_session)
    with ThreadPoolExecutor(len(others) + 1) as pool:
        leader = pool.submit(writer.store, first)  # writes alone, held at the gate
        assert asked.wait(30)
        rest = [pool.submit(writer.store, order) for order in others]
        _wait_for(lambda: writer.waiting == len(others))  # all queued behind the first write
        gate.set()
        rows = [leader.result(30), *(future.result(30) for future in rest)]
    assert writer.transactions == 2  # the first order, then the eight queued behind it together
    assert [(row.hash, created) for row, created in rows] == [(order.hash, True) for order in [first, *others]]
    with sessions() as session:
        assert session.query(MarketOrder).count() == len(others) + 1


def test_an_order_that_cannot_be_stored_fails_alone(market_kin, sessions):
    seller = market_kin.trader(2)
    first, good, again = [seller.list(market_kin.mint(2), ETH, duration=3600) for _ in range(3)]
    listing = seller.list(market_kin.mint(2), ETH, duration=3600)
    broken = dataclasses.replace(listing, fusion_count=None)  # a NOT NULL column: its INSERT fails
    open_session, gate, asked = _gated(sessions)
    writer = BookWriter(open_session)
    with ThreadPoolExecutor(5) as pool:
        leader = pool.submit(writer.store, first)
        assert asked.wait(30)
        queued = [pool.submit(writer.store, order) for order in (good, broken, good, again)]
        _wait_for(lambda: writer.waiting == 4)
        gate.set()
        assert leader.result(30)[1] is True
        (good_row, good_created), (_, good_again_created), (again_row, again_created) = (
            queued[0].result(30),
            queued[2].result(30),
            queued[3].result(30),
        )
        with pytest.raises(IntegrityError):
            queued[1].result(30)
    assert (good_row.hash, good_created, good_again_created) == (good.hash, True, False)  # the same order twice
    assert (again_row.hash, again_created) == (again.hash, True)
    with sessions() as session:
        assert {row.hash for row in session.query(MarketOrder)} == {first.hash, good.hash, again.hash}
