"""Unsigned Seaport orders for one latentkin token, shaped as the page (seaport-js) makes them: a listing at a
fixed price or falling linearly (Dutch auction), or an offer in WETH; the ERC-2981 royalty is a consideration
item of the same currency, paid out of the price. With a :class:`Protection` the order is restricted to the
collection's LatentKinZone and its ``zoneHash`` commits to the character's traits, so it fills only while they
are unchanged (no fusion since it was signed)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from eth_abi import encode
from web3 import Web3

from offchain.market.order import ZERO_ADDRESS, ConsiderationItem, ItemType, OfferItem, OrderParameters, OrderType


def traits_zone_hash(states: list[tuple[int, int, int]]) -> str:
    """The ``zoneHash`` LatentKinZone expects of an order trading characters with these
    ``(token id, fusions, resting until)`` states, in item order: ``keccak256(abi.encode(id1, f1, r1, ...))``."""
    return _zone_hash(tuple(value for state in states for value in state))


@lru_cache(maxsize=4096)
def _zone_hash(words: tuple[int, ...]) -> str:
    """Memoised: a burst of orders for a few characters hashes the same states again (keccak through pycryptodome
    was ~9 % of a worker's CPU per accepted order)."""
    return "0x" + Web3.keccak(encode(["uint256"] * len(words), list(words))).hex().removeprefix("0x")


@dataclass(frozen=True, slots=True)
class Protection:
    """A restricted order's zone and the ERC-7496 traits of its character that the order commits to."""

    zone: str
    fusions: int
    resting_until: int


@dataclass(frozen=True, slots=True)
class Royalty:
    """ERC-2981 ``royaltyInfo`` at the start and end price: who gets it and how much."""

    receiver: str
    start: int
    end: int


def _payment(currency: str, start: int, end: int, recipient: str) -> ConsiderationItem:
    item_type = ItemType.NATIVE if currency == ZERO_ADDRESS else ItemType.ERC20
    return ConsiderationItem(
        item_type=item_type,
        token=currency,
        identifier_or_criteria=0,
        start_amount=start,
        end_amount=end,
        recipient=recipient,
    )


def _common(
    offerer: str,
    token_id: int,
    start_time: int,
    end_time: int,
    counter: int,
    salt: int | None,
    protection: Protection | None,
) -> dict[str, Any]:
    common = dict(
        offerer=offerer,
        order_type=OrderType.FULL_OPEN,
        start_time=start_time,
        end_time=end_time,
        counter=counter,
        salt=secrets.randbits(256) if salt is None else salt,
    )
    if protection is not None:
        common.update(
            order_type=OrderType.FULL_RESTRICTED,
            zone=protection.zone,
            zone_hash=traits_zone_hash([(token_id, protection.fusions, protection.resting_until)]),
        )
    return common


def listing(
    *,
    seller: str,
    collection: str,
    token_id: int,
    start_price: int,
    end_price: int,
    royalty: Royalty,
    start_time: int,
    end_time: int,
    counter: int,
    currency: str = ZERO_ADDRESS,
    salt: int | None = None,
    protection: Protection | None = None,
) -> OrderParameters:
    """Sell ``token_id`` for ``start_price`` falling linearly to ``end_price`` at ``end_time`` (equal: fixed
    price); the buyer pays the price, of which the royalty goes to its receiver and the rest to the seller.
    With ``protection``, a restricted order that fills only while the token's traits are those."""
    if royalty.receiver != seller and (royalty.start or royalty.end):
        consideration = [
            _payment(currency, start_price - royalty.start, end_price - royalty.end, seller),
            _payment(currency, royalty.start, royalty.end, royalty.receiver),
        ]
    else:  # no royalty, or the seller receives it anyway
        consideration = [_payment(currency, start_price, end_price, seller)]
    token = OfferItem(
        item_type=ItemType.ERC721, token=collection, identifier_or_criteria=token_id, start_amount=1, end_amount=1
    )
    return OrderParameters(
        offer=[token],
        consideration=consideration,
        total_original_consideration_items=len(consideration),
        **_common(seller, token_id, start_time, end_time, counter, salt, protection),
    )


def offer(
    *,
    buyer: str,
    collection: str,
    token_id: int,
    price: int,
    weth: str,
    royalty: Royalty,
    start_time: int,
    end_time: int,
    counter: int,
    salt: int | None = None,
    protection: Protection | None = None,
) -> OrderParameters:
    """Offer ``price`` WETH for ``token_id``: the owner who accepts gets the price less the royalty. With
    ``protection``, a restricted order that fills only while the token's traits are those."""
    consideration = [
        ConsiderationItem(
            item_type=ItemType.ERC721,
            token=collection,
            identifier_or_criteria=token_id,
            start_amount=1,
            end_amount=1,
            recipient=buyer,
        )
    ]
    if royalty.start:
        consideration.append(_payment(weth, royalty.start, royalty.start, royalty.receiver))
    payment = OfferItem(
        item_type=ItemType.ERC20, token=weth, identifier_or_criteria=0, start_amount=price, end_amount=price
    )
    return OrderParameters(
        offer=[payment],
        consideration=consideration,
        total_original_consideration_items=len(consideration),
        **_common(buyer, token_id, start_time, end_time, counter, salt, protection),
    )
