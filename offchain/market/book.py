"""The order book in SQL: store an accepted order, list open ones, retire them, and read a token's sales."""

from __future__ import annotations

import json
from typing import cast

from sqlalchemy import ColumnElement, Insert, Select, Table, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from offchain.errors import BookChangedError
from offchain.market.validation import Side, ValidOrder
from offchain.store.models import ACTIVE, TIME_MAX, MarketOrder, Sale

ORDERS = cast(Table, MarketOrder.__table__)


def _insert_new(dialect: str) -> Insert:
    """``INSERT INTO orders ... ON CONFLICT (hash) DO NOTHING RETURNING hash`` for ``dialect``, values bound at
    execution (one statement compiled once, not one per order)."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(ORDERS).on_conflict_do_nothing(index_elements=[ORDERS.c.hash]).returning(ORDERS.c.hash)


INSERT_NEW = {dialect: _insert_new(dialect) for dialect in ("sqlite", "postgresql")}


def store(session: Session, valid: ValidOrder, block: int) -> tuple[MarketOrder, bool]:
    """Put an accepted order in the book: (its row, True if new). An order already stored is left as it is,
    whatever its status (an order retired for good stays retired).

    One ``INSERT ... ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL), compiled once, its values bound: a new order,
    a burst's usual case, costs one statement and no ORM unit of work (a lookup then an ORM flush were a third of a
    worker's CPU per accepted order in a burst, py-spy on benchmarks/order_burst.py); the row is read back only
    when the order was there before. RETURNING says whether the row went in (psycopg's rowcount here is -1)."""
    terms = valid.terms
    values = dict(
        hash=valid.hash,
        side=terms.side.value,
        token_id=terms.token_id,
        maker=terms.maker,
        currency=terms.currency,
        start_price=str(terms.start_price),
        end_price=str(terms.end_price),
        royalty=str(valid.royalty),
        start_time=min(valid.order.parameters.start_time, TIME_MAX),
        end_time=min(valid.order.parameters.end_time, TIME_MAX),
        counter=str(valid.order.parameters.counter),
        fusion_count=valid.fusion_count,
        status=ACTIVE,
        created_block=block,
        retired_block=None,
        body=json.dumps(valid.order.to_json()),
    )
    connection = session.connection()
    for _ in range(2):  # twice: a chain reset may empty the book between the conflict and the read
        if connection.execute(INSERT_NEW[connection.dialect.name], values).first() is not None:
            return MarketOrder(**values), True
        row = session.get(MarketOrder, valid.hash)
        if row is not None:
            return row, False
    raise BookChangedError(f"order {valid.hash} was neither inserted nor found twice: the book changed under it")


def open_orders(
    session: Session,
    *,
    now: int,
    token_id: int | None = None,
    maker: str | None = None,
    side: Side | None = None,
    limit: int = 100,
) -> list[MarketOrder]:
    """Active orders not expired at ``now``, filtered: listings cheapest first, then offers highest first (prices
    are decimal strings without leading zeros, so (length, digits) orders them as numbers, in SQL)."""
    query = select(MarketOrder).where(MarketOrder.status == ACTIVE, MarketOrder.end_time > now)
    if token_id is not None:
        query = query.where(MarketOrder.token_id == token_id)
    if maker is not None:
        query = query.where(MarketOrder.maker == maker)
    if side is not None:
        query = query.where(MarketOrder.side == side.value)
    length, digits = func.length(MarketOrder.start_price), MarketOrder.start_price
    is_offer = case((MarketOrder.side == Side.OFFER.value, 1), else_=0)
    by_price = (
        case((MarketOrder.side == Side.OFFER.value, -length), else_=length),
        case((MarketOrder.side == Side.LISTING.value, digits), else_=None),
        case((MarketOrder.side == Side.OFFER.value, digits), else_=None).desc(),
    )
    query = query.order_by(is_offer, *by_price, MarketOrder.created_block, MarketOrder.hash).limit(limit)
    return list(session.scalars(query))


def listing_query(token_ids: list[int], now: int) -> Select[MarketOrder]:
    """The open listings of ``token_ids`` at time ``now``, read through the (token_id, status, side) index."""
    return select(MarketOrder).where(
        MarketOrder.token_id.in_(token_ids),
        MarketOrder.status == ACTIVE,
        MarketOrder.side == Side.LISTING.value,
        MarketOrder.end_time > now,
    )


def best_listings(session: Session, token_ids: list[int], now: int) -> dict[int, MarketOrder]:
    """The cheapest open listing (by start price) of each token that has one."""
    out: dict[int, MarketOrder] = {}
    if not token_ids:
        return out
    for row in session.scalars(listing_query(token_ids, now)):
        best = out.get(row.token_id)
        if best is None or int(row.start_price) < int(best.start_price):
            out[row.token_id] = row
    return out


def retire(session: Session, block: int, status: str, *conditions: ColumnElement[bool]) -> int:
    """Mark the active orders matching ``conditions`` retired at ``block`` with ``status``; how many."""
    result = session.execute(
        update(MarketOrder)
        .where(MarketOrder.status == ACTIVE, *conditions)
        .values(status=status, retired_block=block)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)  # a CursorResult for an UPDATE


def sales_of(session: Session, token_id: int, limit: int = 100) -> list[Sale]:
    """The token's sales, newest first."""
    query = (
        select(Sale)
        .where(Sale.token_id == token_id)
        .order_by(Sale.block_number.desc(), Sale.log_index.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def last_sales(session: Session, token_ids: list[int]) -> dict[int, Sale]:
    """The newest sale of each token that has one."""
    out: dict[int, Sale] = {}
    if not token_ids:
        return out
    query = select(Sale).where(Sale.token_id.in_(token_ids)).order_by(Sale.block_number, Sale.log_index)
    for sale in session.scalars(query):
        out[sale.token_id] = sale
    return out
