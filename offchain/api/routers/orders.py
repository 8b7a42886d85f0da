"""The order book: submit a signed Seaport order, list open ones."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from web3 import Web3

from offchain.api.deps import ADDRESS_PATTERN, MAX_TOKEN_ID, ServicesDep
from offchain.api.market_schemas import OrderList, OrderView
from offchain.api.market_views import chain_time, order_view
from offchain.api.schemas import ErrorBody
from offchain.api.services import Services
from offchain.errors import NotFoundError
from offchain.market.book import open_orders
from offchain.market.order import SignedOrder
from offchain.market.validation import Side, validate_order
from offchain.store.models import MarketOrder

router = APIRouter(prefix="/orders", tags=["market"])

ERRORS: dict[int | str, dict[str, Any]] = {503: {"model": ErrorBody, "description": "Chain unreachable."}}
NO_MARKET: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No Seaport market on this chain."}
}


@router.post(
    "",
    response_model=OrderView,
    status_code=201,
    responses=ERRORS
    | NO_MARKET
    | {
        200: {"model": OrderView, "description": "Already in the book (unchanged)."},
        422: {"description": "Refused, with the reason; nothing stored."},
    },
)
async def submit(order: SignedOrder, request: Request, response: Response) -> OrderView:
    """Check a signed Seaport order for a latentkin token and put it in the book (orders queue for the node:
    offchain/api/order_queue.py)."""
    services: Services = request.app.state.services  # not ServicesDep: FastAPI re-inspects a dependency per request
    view, created = await services.order_queue.run(_check_and_store, order, services)
    if not created:
        response.status_code = 200
    return view


def _check_and_store(order: SignedOrder, services: Services) -> tuple[OrderView, bool]:
    valid = validate_order(order, services.market)
    row, created = services.book_writer.store(valid)  # with the other orders checked meanwhile: one transaction
    return order_view(row, valid.chain_time, valid.order if created else None), created  # else: the row's own body


@router.get("", response_model=OrderList, responses=ERRORS)
def orders(
    services: ServicesDep,
    token: Annotated[int | None, Query(ge=1, le=MAX_TOKEN_ID, description="Only this token's.")] = None,
    maker: Annotated[str | None, Query(pattern=ADDRESS_PATTERN, description="Only this account's.")] = None,
    side: Annotated[Side | None, Query(description="listing or offer.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> OrderList:
    """Open orders (active, not expired), cheapest listing / highest offer first."""
    now = chain_time(services)
    maker = Web3.to_checksum_address(maker) if maker else None
    with services.sessions() as session:
        rows = open_orders(
            session, now=now, token_id=token, maker=maker, side=side, limit=min(limit, services.settings.page_limit_max)
        )
    return OrderList(items=[order_view(r, now) for r in rows])


@router.get("/{order_hash}", response_model=OrderView, responses=ERRORS | {404: {"model": ErrorBody}})
def order(
    order_hash: Annotated[str, Path(pattern=r"^0x[0-9a-fA-F]{64}$", description="Seaport's order hash.")],
    services: ServicesDep,
) -> OrderView:
    """One order of the book, open or retired (its status says which)."""
    with services.sessions() as session:
        row = session.get(MarketOrder, order_hash.lower())
    if row is None:
        raise NotFoundError(f"no order {order_hash} in the book")
    return order_view(row, chain_time(services))
