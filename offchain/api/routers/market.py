"""The market of several tokens at once (gallery cards): open listing and last sale of each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from offchain.api.deps import ServicesDep
from offchain.api.market_schemas import MarketSummary, TokenMarket
from offchain.api.market_views import chain_time, order_view, sale_view
from offchain.market.book import best_listings, last_sales

router = APIRouter(prefix="/market", tags=["market"])

TokenList = Annotated[
    str,
    Query(pattern=r"^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,99}$", description="Up to 100 token ids, comma-separated."),
]


@router.get("", response_model=MarketSummary)
def summary(tokens: TokenList, services: ServicesDep) -> MarketSummary:
    """Each token's cheapest open listing (with its price now) and last sale, from the index."""
    ids = list(dict.fromkeys(int(t) for t in tokens.split(",")))
    now = chain_time(services)
    with services.sessions() as session:
        listings, sold = best_listings(session, ids, now), last_sales(session, ids)
    return MarketSummary(
        items=[
            TokenMarket(
                token_id=i,
                listing=order_view(listings[i], now) if i in listings else None,
                last_sale=sale_view(sold[i]) if i in sold else None,
            )
            for i in ids
        ]
    )
