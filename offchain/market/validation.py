"""The one set of checks a Seaport order passes before the market accepts it (the API's ``POST /orders`` and
the command line alike). Any failure is an :class:`OrderRejectedError` saying why.

Accepted shapes (what the page and ``latentkin list|offer`` make):

* **listing**: the offer is exactly one latentkin token (ERC-721, amount 1); the consideration is paid in
  one currency (ETH or WETH), at least one item to the seller, and the ERC-2981 royalty item to its
  receiver. The price is everything the buyer pays; start and end amounts may differ (Dutch auction).
* **offer**: the offer is one WETH amount (fixed); the consideration is the token to the offerer plus WETH
  items paid out of the amount (the royalty). The price is the WETH amount.

Both: a full order (no partial fills), not expired, not cancelled or filled on Seaport, under the offerer's
current counter, EIP-712-signed by the offerer for this chain's Seaport; the offerer owns the token (listing) or
holds and has approved the WETH (offer), and approved Seaport (or the order's conduit).

Protection: where the market knows the collection's LatentKinZone, only **protected** orders are accepted:
restricted (order type 2) to that zone, with a ``zoneHash`` committing to the character's current ERC-7496
traits (:func:`offchain.market.build.traits_zone_hash`), so Seaport refuses the fill once the character was fused.
An open order, or one whose ``zoneHash`` no longer matches (made before a fusion), is refused. Where no zone is
known (a chain without one), orders are full and open (order type 0, no zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from offchain.errors import OrderRejectedError
from offchain.market.build import traits_zone_hash
from offchain.market.order import (
    UINT256_MAX,
    ZERO_ADDRESS,
    ConsiderationItem,
    ItemType,
    OfferItem,
    OrderParameters,
    OrderType,
    SignedOrder,
)
from offchain.market.order_digest import order_hash, order_signer
from offchain.market.order_reads import OrderReads, read_order_state
from offchain.market.seaport import MarketChain


class Side(str, Enum):
    """A listing sells a token; an offer bids for one."""

    LISTING = "listing"
    OFFER = "offer"


@dataclass(frozen=True, slots=True)
class OrderTerms:
    """What an order trades, read from its items."""

    side: Side
    token_id: int
    maker: str
    currency: str  # the zero address for ETH
    start_price: int
    end_price: int
    payments: tuple[ConsiderationItem, ...]  # the consideration items paid in the currency


@dataclass(frozen=True, slots=True)
class ValidOrder:
    """An order that passed every check, with what the book stores about it."""

    order: SignedOrder
    hash: str
    terms: OrderTerms
    royalty: int  # at the start price
    fusion_count: int  # the token's fusions when the order was checked (buyer protection)
    cooldown_until: int
    block: int  # the block the order was checked at
    chain_time: int  # and its timestamp


def _reject(message: str, field: str = "order") -> OrderRejectedError:
    return OrderRejectedError(message, field)


def _is_token(item: OfferItem, collection: str) -> bool:
    return bool(
        item.item_type == ItemType.ERC721
        and item.token == collection
        and item.start_amount == 1
        and item.end_amount == 1
    )


def _check_order_type(params: OrderParameters, zone: str | None) -> None:
    """Restricted to ``zone`` where the market has one, else full and open; OrderRejectedError otherwise."""
    if zone is None:
        if params.order_type != OrderType.FULL_OPEN or params.zone != ZERO_ADDRESS:
            raise _reject("only full, open orders are accepted (order type 0, no zone)", "parameters.orderType")
        return
    if params.order_type != OrderType.FULL_RESTRICTED or params.zone != zone:
        raise _reject(
            f"unprotected order: orders for this collection must be restricted (order type 2) to its "
            f"LatentKinZone {zone}, with a zoneHash committing to the character's traits, so that a "
            "fusion after signing makes the fill revert",
            "parameters.zone",
        )


def read_terms(params: OrderParameters, collection: str, weth: str, zone: str | None = None) -> OrderTerms:
    """The trade ``params`` describe, or OrderRejectedError if it is not a shape the market accepts (restricted
    to ``zone`` if given, see the module docstring)."""
    _check_order_type(params, zone)
    if params.total_original_consideration_items not in (None, len(params.consideration)):
        raise _reject(
            "totalOriginalConsiderationItems must equal the number of consideration items",
            "parameters.totalOriginalConsiderationItems",
        )
    if not params.start_time < params.end_time:
        raise _reject("the order ends before it starts", "parameters.endTime")
    if len(params.offer) != 1:
        raise _reject("the offer must be exactly one item: the token (listing) or the WETH (offer)", "parameters.offer")
    (given,) = params.offer
    if _is_token(given, collection):
        side, token_id = Side.LISTING, given.identifier_or_criteria
        payments = tuple(params.consideration)
        currencies = {(i.item_type, i.token) for i in payments}
        if currencies not in ({(ItemType.NATIVE, ZERO_ADDRESS)}, {(ItemType.ERC20, weth)}):
            raise _reject(
                "a listing is paid in ETH or WETH only, one currency for every item", "parameters.consideration"
            )
        if not any(i.recipient == params.offerer for i in payments):
            raise _reject(
                "a listing pays the seller: no consideration item goes to the offerer", "parameters.consideration"
            )
        currency = next(iter(currencies))[1]
        start, end = sum(i.start_amount for i in payments), sum(i.end_amount for i in payments)
    elif given.item_type == ItemType.ERC20 and given.token == weth:
        if given.start_amount != given.end_amount:
            raise _reject("an offer's WETH amount must not change over time", "parameters.offer")
        wanted = [i for i in params.consideration if _is_token(i, collection)]
        payments = tuple(i for i in params.consideration if not _is_token(i, collection))
        if len(wanted) != 1 or wanted[0].recipient != params.offerer:
            raise _reject(
                "an offer asks for exactly one latentkin token, sent to the offerer", "parameters.consideration"
            )
        if any((i.item_type, i.token) != (ItemType.ERC20, weth) for i in payments):
            raise _reject(
                "an offer's other consideration items are WETH paid out of its amount", "parameters.consideration"
            )
        side, token_id, currency = Side.OFFER, wanted[0].identifier_or_criteria, weth
        start = end = given.start_amount
        if sum(i.start_amount for i in payments) > start:
            raise _reject("the offer pays out more WETH than it offers", "parameters.consideration")
    else:
        raise _reject(
            "not an order for a token of this collection: the offer must be a latentkin token "
            f"({collection}) or WETH ({weth})",
            "parameters.offer",
        )
    if start == 0 and end == 0:
        raise _reject("the price is zero", "parameters.consideration")
    if max(start, end) > UINT256_MAX:
        raise _reject("the price items sum past 2^256-1: no buyer can pay that", "parameters.consideration")
    return OrderTerms(side, token_id, params.offerer, currency, start, end, payments)


def _check_royalty(reads: OrderReads, terms: OrderTerms) -> int:
    """The royalty at the start price; OrderRejectedError unless items to its receiver cover it at both ends."""
    if reads.royalty_start is None or reads.royalty_end is None:  # price * bps overflows near 2^256 (a panic)
        raise _reject(
            f"royaltyInfo reverts at this price ({max(terms.start_price, terms.end_price)} wei): too large "
            "for the ERC-2981 royalty to be computed",
            "parameters.consideration",
        )
    (receiver, at_start), (_, at_end) = reads.royalty_start, reads.royalty_end
    paid = [i for i in terms.payments if i.recipient == receiver]
    start, end = sum(i.start_amount for i in paid), sum(i.end_amount for i in paid)
    if start < at_start or end < at_end:
        raise _reject(
            f"the royalty item is missing or short: {receiver} must receive at least {at_start} wei at "
            f"the start price and {at_end} at the end (ERC-2981), the order pays {start} and {end}",
            "parameters.consideration",
        )
    return at_start


def _check_funds(reads: OrderReads, terms: OrderTerms, operator: str) -> None:
    owner = reads.owner
    if terms.side == Side.LISTING:
        if owner is None:
            raise _reject(f"token {terms.token_id} does not exist", "parameters.offer")
        if owner != terms.maker:
            raise _reject(
                f"the offerer does not own token {terms.token_id} (its owner is {owner})", "parameters.offerer"
            )
        if not (reads.approved_for_all or reads.approved == operator):
            raise _reject(
                f"Seaport is not approved to move token {terms.token_id}: call setApprovalForAll({operator}, "
                "true) on the collection first",
                "parameters.offerer",
            )
        return
    if owner is None:
        raise _reject(f"token {terms.token_id} does not exist", "parameters.consideration")
    if owner == terms.maker:
        raise _reject(f"the offerer already owns token {terms.token_id}", "parameters.offerer")
    if reads.weth_balance < terms.start_price:
        raise _reject(
            f"the offerer holds {reads.weth_balance} wei of WETH, less than the {terms.start_price} offered",
            "parameters.offerer",
        )
    if reads.weth_allowance < terms.start_price:
        raise _reject(
            f"Seaport may spend only {reads.weth_allowance} wei of the offerer's WETH, less than the "
            f"{terms.start_price} offered: approve({operator}, amount) on WETH first",
            "parameters.offerer",
        )


def validate_order(order: SignedOrder, market: MarketChain) -> ValidOrder:
    """Every check of the module docstring, the chain's part in one coalesced multicall
    (offchain/market/order_reads.py); the accepted order, or OrderRejectedError."""
    params = order.parameters
    addresses = market.addresses
    terms = read_terms(params, market.kin.address, addresses.weth, addresses.zone)
    chain_id = market.chain_id
    digest = order_hash(params)
    if order_signer(order, chain_id, addresses.seaport, digest) != params.offerer:
        raise _reject(
            f"the signature does not verify: not the offerer's EIP-712 signature of this order for "
            f"Seaport 1.6 at {addresses.seaport} on chain {chain_id}",
            "signature",
        )
    operator = market.operator(params.conduit_key)
    if operator is None:
        raise _reject("no conduit exists for the order's conduit key", "parameters.conduitKey")
    reads = read_order_state(
        market,
        maker=params.offerer,
        order_hash=digest,
        token_id=terms.token_id,
        prices=(terms.start_price, terms.end_price),
        operator=operator,
        listing=terms.side == Side.LISTING,
    )
    if params.end_time <= reads.timestamp:
        raise _reject("the order has expired", "parameters.endTime")
    if params.counter != reads.counter:
        raise _reject(
            f"the order was signed under counter {params.counter}, the offerer's is {reads.counter} "
            "(every older order is cancelled)",
            "parameters.counter",
        )
    if reads.status.cancelled:
        raise _reject("the order is cancelled on Seaport")
    if reads.status.fully_filled:
        raise _reject("the order is already filled")
    _check_funds(reads, terms, operator)
    royalty = _check_royalty(reads, terms)
    fusions, cooldown = reads.fusions, reads.cooldown_until
    if addresses.zone is not None and params.zone_hash != traits_zone_hash([(terms.token_id, fusions, cooldown)]):
        raise _reject(
            f"the order's zoneHash does not commit to the character's current traits (fusions used "
            f"{fusions}, resting until block {cooldown}): it was made before a fusion, and Seaport would "
            "refuse the fill",
            "parameters.zoneHash",
        )
    return ValidOrder(order, "0x" + digest.hex(), terms, royalty, fusions, cooldown, reads.block, reads.timestamp)
