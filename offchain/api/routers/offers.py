"""Open fusion offers: characters their owners let others fuse with (from the index)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from offchain.api.deps import ADDRESS_PATTERN, PageCursor, PageLimit, ServicesDep, fetch_page
from offchain.api.schemas import OfferPage, OfferSummary
from offchain.store.models import ZERO_ADDRESS
from offchain.store.queries import list_offers
from offchain.token.metadata import token_image_url, token_name, token_url

router = APIRouter(prefix="/offers", tags=["offers"])


@router.get("", response_model=OfferPage)
def offers(
    services: ServicesDep,
    fuser: Annotated[
        str | None, Query(pattern=ADDRESS_PATTERN, description="Only offers this account may use.")
    ] = None,
    limit: PageLimit = 24,
    cursor: PageCursor = None,
) -> OfferPage:
    """Indexed characters with an open fusion offer, in id order, a page at a time."""
    settings = services.settings
    rows, next_cursor = fetch_page(services, list_offers, fuser, limit, cursor)
    base, size = settings.public_base_url, min(settings.image_sizes)
    items = [
        OfferSummary(
            token_id=t.id,
            name=token_name(t.id),
            owner=t.owner,
            fuser=None if t.offer_fuser == ZERO_ADDRESS else t.offer_fuser,
            price_wei=t.offer_price,
            image=token_image_url(base, t.id, size),
            metadata=token_url(base, t.id),
        )
        for t in rows
    ]
    return OfferPage(items=items, next_cursor=next_cursor)
