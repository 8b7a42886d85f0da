"""The market's checks refuse, with the reason, every order Seaport would not fill or the book must not hold."""

from __future__ import annotations

import pytest

from offchain.errors import OrderRejectedError
from offchain.market import build
from offchain.market.order import OrderType
from offchain.market.validation import validate_order
from support.market import ETH, signed_offer


def _refused(market_kin, order, reason: str):
    with pytest.raises(OrderRejectedError, match=reason):
        validate_order(order, market_kin.market)


def test_a_good_listing_passes_and_records_the_fusion_count(market_kin):
    token = market_kin.mint(2)
    valid = validate_order(market_kin.sign(market_kin.listing(token)), market_kin.market)
    assert (valid.terms.token_id, valid.terms.start_price, valid.fusion_count) == (token, ETH, 0)


def test_forged_or_foreign_signatures_are_refused(market_kin):
    token = market_kin.mint(2)
    params = market_kin.listing(token)
    _refused(market_kin, market_kin.sign(params, signer=5), "signature does not verify")
    _refused(market_kin, market_kin.sign(params, chain_id=1), "signature does not verify")
    _refused(market_kin, market_kin.sign(params, seaport=market_kin.kin.address), "signature does not verify")
    good = market_kin.sign(params)
    tampered = good.model_copy(update={"parameters": params.model_copy(update={"end_time": params.end_time + 1})})
    _refused(market_kin, tampered, "signature does not verify")


def test_not_the_owner_or_not_approved_is_refused(market_kin):
    token = market_kin.mint(3)
    _refused(market_kin, market_kin.sign(market_kin.listing(token)), "does not own token")
    own = market_kin.mint(2)
    params = market_kin.listing(own)  # approves Seaport for all of account 2's tokens…
    market_kin.trader(2).send_call(
        market_kin.kin.functions.setApprovalForAll(market_kin.market.addresses.seaport, False)
    )
    _refused(market_kin, market_kin.sign(params), "Seaport is not approved")  # …withdrawn before submitting


def test_missing_or_short_royalty_is_refused(market_kin):
    token = market_kin.mint(2)
    none = market_kin.listing(token, royalty=build.Royalty(market_kin.accounts[0], 0, 0))
    _refused(market_kin, market_kin.sign(none), "royalty item is missing or short")
    short = market_kin.listing(token, royalty=build.Royalty(market_kin.accounts[0], ETH // 100, ETH // 100))
    _refused(market_kin, market_kin.sign(short), "royalty item is missing or short")
    elsewhere = market_kin.listing(token, royalty=build.Royalty(market_kin.accounts[6], ETH // 20, ETH // 20))
    _refused(market_kin, market_kin.sign(elsewhere), "royalty item is missing or short")


def test_expired_cancelled_countered_and_filled_orders_are_refused(market_kin):
    token = market_kin.mint(2)
    now = market_kin.market.now()
    _refused(market_kin, market_kin.sign(market_kin.listing(token, start_time=now - 100, end_time=now)), "expired")
    cancelled = market_kin.sign(market_kin.listing(token))
    market_kin.trader(2).cancel(cancelled)
    _refused(market_kin, cancelled, "cancelled on Seaport")
    old = market_kin.sign(market_kin.listing(token))
    market_kin.trader(2).send_call(market_kin.market.seaport.functions.incrementCounter())
    _refused(market_kin, old, "counter")
    sold = market_kin.trader(2).list(token, ETH)
    market_kin.trader(3).buy(sold.order)
    _refused(market_kin, sold.order, "already filled")


def test_orders_of_other_shapes_are_refused(market_kin):
    token = market_kin.mint(2)
    _refused(
        market_kin,
        market_kin.sign(market_kin.listing(token, collection=market_kin.market.addresses.weth)),
        "not an order for a token of this collection",
    )
    partial = market_kin.listing(token).model_copy(update={"order_type": OrderType.PARTIAL_RESTRICTED})
    _refused(market_kin, market_kin.sign(partial), "must be restricted \\(order type 2\\)")
    _refused(market_kin, market_kin.sign(market_kin.listing(999)), "token 999 does not exist")


def test_an_offer_needs_the_weth_and_its_allowance(market_kin):
    token = market_kin.mint(2)
    bidder = market_kin.trader(4)
    order = signed_offer(market_kin, token, 4)
    _refused(market_kin, order, "holds 0 wei of WETH")
    bidder.send_call(market_kin.market.weth.functions.deposit(), value=ETH)
    _refused(market_kin, order, "may spend only 0 wei")
    bidder.fund_weth(ETH)
    assert validate_order(order, market_kin.market).terms.side.value == "offer"
    market_kin.trader(2).fund_weth(ETH)
    _refused(market_kin, signed_offer(market_kin, token, 2), "already owns token")


def test_unprotected_orders_are_refused_where_the_collection_has_a_zone(market_kin):
    """Issue 23, finding 2: an open order fills whatever happened to the character since it was signed."""
    token = market_kin.mint(2)
    open_listing = market_kin.listing(token, protection=None)
    _refused(
        market_kin,
        market_kin.sign(open_listing),
        f"unprotected order: .* restricted \\(order type 2\\) to its LatentKinZone {market_kin.market.addresses.zone}",
    )
    elsewhere = market_kin.listing(token).model_copy(update={"zone": market_kin.accounts[7]})
    _refused(market_kin, market_kin.sign(elsewhere), "unprotected order")


def test_an_order_made_before_a_fusion_is_refused(market_kin):
    """Issue 23, findings 1 and 2: a listing (or bid) made before a fusion was still served and filled."""
    a, b = market_kin.mint(2, seed=1), market_kin.mint(2, seed=2)
    listing = market_kin.sign(market_kin.listing(a))
    assert validate_order(listing, market_kin.market).fusion_count == 0
    market_kin.actor(2).request_fusion(a, b)
    fusions, until = market_kin.market.fusions(a)
    _refused(
        market_kin,
        listing,
        f"zoneHash does not commit to the character's current traits \\(fusions used "
        f"{fusions}, resting until block {until}\\)",
    )
    assert validate_order(market_kin.sign(market_kin.listing(a)), market_kin.market).fusion_count == 1  # re-listed
