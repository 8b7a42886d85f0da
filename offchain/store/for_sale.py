"""The gallery's "for sale" filter and price sort: a token is for sale while its owner has a listing active in
the order book (a listing made by a previous owner does not count; the follower retires those anyway), and its
price is the cheapest such listing's price now (a Dutch auction's falls with time, as Seaport computes it).

A separate query path from the other gallery filters (offchain/store/gallery.py applies it), answered from the
``orders`` table's (token_id, status, side) index.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Float, Subquery, case, cast, exists, func, select

from offchain.store.models import ACTIVE, MarketOrder, Token


def listed_by_owner() -> ColumnElement[bool]:
    """True for a token whose owner has an active listing of it in the book."""
    return exists(
        select(MarketOrder.hash).where(
            MarketOrder.token_id == Token.id,
            MarketOrder.side == "listing",
            MarketOrder.status == ACTIVE,
            MarketOrder.maker == Token.owner,
        )
    )


def listing_price_at(now: int) -> ColumnElement[float]:
    """A book listing's price at time ``now``: Seaport's linear interpolation from start to end price between
    start and end time, in floating point (wei as 78-digit strings do not fit SQL integers; a float orders them
    right but for prices closer than one part in 10^15)."""
    start, end = cast(MarketOrder.start_price, Float), cast(MarketOrder.end_price, Float)
    span = MarketOrder.end_time - MarketOrder.start_time
    elapsed = case(
        (MarketOrder.start_time >= now, 0),
        (MarketOrder.end_time <= now, span),
        else_=now - MarketOrder.start_time,
    )
    return case((span <= 0, end), else_=start + (end - start) * elapsed / span)


def prices_now(now: int) -> Subquery:
    """(token_id, price): each token's owner's cheapest listing not expired at ``now``, priced at ``now``."""
    return (
        select(MarketOrder.token_id.label("token_id"), func.min(listing_price_at(now)).label("price"))
        .join(Token, Token.id == MarketOrder.token_id)
        .where(
            MarketOrder.side == "listing",
            MarketOrder.status == ACTIVE,
            MarketOrder.maker == Token.owner,
            MarketOrder.end_time > now,
        )
        .group_by(MarketOrder.token_id)
        .subquery("prices_now")
    )
