"""Unsigned Seaport orders for one latentkin token, shaped as the page (seaport-js) makes them: a listing at a
fixed price or falling linearly (Dutch auction), or an offer in WETH; the ERC-2981 royalty is a consideration
item of the same currency, paid out of the price."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from offchain.market.order import ZERO_ADDRESS, ConsiderationItem, ItemType, OfferItem, OrderParameters, OrderType


@dataclass(frozen=True, slots=True)
class Royalty:
    """ERC-2981 ``royaltyInfo`` at the start and end price: who gets it and how much."""

    receiver: str
    start: int
    end: int


def _payment(currency: str, start: int, end: int, recipient: str) -> ConsiderationItem:
    item_type = ItemType.NATIVE if currency == ZERO_ADDRESS else ItemType.ERC20
    return ConsiderationItem(item_type=item_type, token=currency, identifier_or_criteria=0, start_amount=start,
                             end_amount=end, recipient=recipient)


def _common(offerer: str, start_time: int, end_time: int, counter: int, salt: int | None) -> dict:
    return dict(offerer=offerer, order_type=OrderType.FULL_OPEN, start_time=start_time, end_time=end_time,
                counter=counter, salt=secrets.randbits(256) if salt is None else salt)


def listing(*, seller: str, collection: str, token_id: int, start_price: int, end_price: int, royalty: Royalty,
            start_time: int, end_time: int, counter: int, currency: str = ZERO_ADDRESS,
            salt: int | None = None) -> OrderParameters:
    """Sell ``token_id`` for ``start_price`` falling linearly to ``end_price`` at ``end_time`` (equal: fixed
    price); the buyer pays the price, of which the royalty goes to its receiver and the rest to the seller."""
    if royalty.receiver != seller and (royalty.start or royalty.end):
        consideration = [_payment(currency, start_price - royalty.start, end_price - royalty.end, seller),
                         _payment(currency, royalty.start, royalty.end, royalty.receiver)]
    else:  # no royalty, or the seller receives it anyway
        consideration = [_payment(currency, start_price, end_price, seller)]
    token = OfferItem(item_type=ItemType.ERC721, token=collection, identifier_or_criteria=token_id,
                      start_amount=1, end_amount=1)
    return OrderParameters(offer=[token], consideration=consideration,
                           total_original_consideration_items=len(consideration),
                           **_common(seller, start_time, end_time, counter, salt))


def offer(*, buyer: str, collection: str, token_id: int, price: int, weth: str, royalty: Royalty,
          start_time: int, end_time: int, counter: int, salt: int | None = None) -> OrderParameters:
    """Offer ``price`` WETH for ``token_id``: the owner who accepts gets the price less the royalty."""
    consideration = [ConsiderationItem(item_type=ItemType.ERC721, token=collection, identifier_or_criteria=token_id,
                                       start_amount=1, end_amount=1, recipient=buyer)]
    if royalty.start:
        consideration.append(_payment(weth, royalty.start, royalty.start, royalty.receiver))
    payment = OfferItem(item_type=ItemType.ERC20, token=weth, identifier_or_criteria=0, start_amount=price,
                        end_amount=price)
    return OrderParameters(offer=[payment], consideration=consideration,
                           total_original_consideration_items=len(consideration),
                           **_common(buyer, start_time, end_time, counter, salt))
