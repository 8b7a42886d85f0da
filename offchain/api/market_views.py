"""The API forms of the market's rows (book orders with their price now, sales) and the time orders are judged at."""

from __future__ import annotations

import json
import time

from offchain.api.market_schemas import OrderView, SaleView
from offchain.api.services import Services
from offchain.errors import ChainUnavailableError
from offchain.market.order import SignedOrder, current_amount
from offchain.market.validation import Side
from offchain.store.models import MarketOrder, Sale


def order_view(row: MarketOrder, now: int, stored: SignedOrder | None = None) -> OrderView:
    """The API form of a book row, with the price now; ``stored`` is the order the row's body was written from,
    where the caller has it (not parsed again from the body)."""
    body = stored.to_json() if stored is not None else json.loads(row.body)
    params = stored.parameters if stored is not None else SignedOrder.model_validate(body).parameters
    items = params.consideration if row.side == Side.LISTING.value else params.offer
    paid = [i for i in items if i.token == row.currency and i.identifier_or_criteria == 0]
    price = sum(
        current_amount(
            i.start_amount,
            i.end_amount,
            params.start_time,
            params.end_time,
            now,
            round_up=row.side == Side.LISTING.value,
        )
        for i in paid
    )
    return OrderView(
        hash=row.hash,
        side=row.side,
        token_id=row.token_id,
        maker=row.maker,
        currency=row.currency,
        start_price=row.start_price,
        end_price=row.end_price,
        current_price=str(price),
        royalty=row.royalty,
        start_time=params.start_time,
        end_time=params.end_time,  # exact, not saturated
        fusion_count=row.fusion_count,
        status=row.status,
        order=body,
    )


def chain_time(services: Services) -> int:
    """The chain's latest timestamp (what Seaport checks orders against); the clock's if the chain is down."""
    try:
        return services.market.now()
    except ChainUnavailableError:
        return int(time.time())


def sale_view(sale: Sale) -> SaleView:
    """The API form of a recorded sale."""
    return SaleView(
        token_id=sale.token_id,
        order_hash=sale.order_hash,
        side=sale.side,
        seller=sale.seller,
        buyer=sale.buyer,
        currency=sale.currency,
        price=sale.price,
        royalty=sale.royalty,
        block_number=sale.block_number,
        tx_hash=sale.tx_hash,
        timestamp=sale.timestamp,
    )
