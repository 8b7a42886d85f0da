"""Open fusion offers: characters their owners let others fuse with (from the index)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from web3 import Web3

from offchain.api.deps import ADDRESS_PATTERN, PageCursor, PageLimit, ServicesDep, split_page
from offchain.api.schemas import OfferPage, OfferSummary
from offchain.metadata import token_image_url, token_name, token_url
from offchain.models import ZERO_ADDRESS
from offchain.queries import list_offers

router = APIRouter(prefix="/offers", tags=["offers"])


@router.get("", response_model=OfferPage)
def offers(services: ServicesDep,
           fuser: Annotated[str | None, Query(pattern=ADDRESS_PATTERN,
                                              description="Only offers this account may use.")] = None,
           limit: PageLimit = 24, cursor: PageCursor = None) -> OfferPage:
    """Indexed characters with an open fusion offer, in id order, a page at a time."""
    settings = services.settings
    limit = min(limit, settings.page_limit_max)
    fuser = Web3.to_checksum_address(fuser) if fuser else None
    with services.sessions() as session:
        rows, next_cursor = split_page(list_offers(session, fuser, limit + 1, int(cursor or 0)), limit)
    base, size = settings.public_base_url, min(settings.image_sizes)
    items = [OfferSummary(token_id=t.id, name=token_name(t.id), owner=t.owner,
                          fuser=None if t.offer_fuser == ZERO_ADDRESS else t.offer_fuser,
                          price_wei=t.offer_price, image=token_image_url(base, t.id, size),
                          metadata=token_url(base, t.id))
             for t in rows]
    return OfferPage(items=items, next_cursor=next_cursor)
