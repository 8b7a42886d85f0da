"""The gallery's "for sale" filter: a token is for sale while its owner has a listing active in the order book
(a listing made by a previous owner does not count; the follower retires those anyway).

A separate query path from the other gallery filters (offchain/store/gallery.py applies it), answered from the
``orders`` table's (token_id, status) index.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, select

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
