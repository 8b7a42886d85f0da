"""The market's checks refuse, with the reason, every order Seaport would not fill or the book must not hold."""

from __future__ import annotations

import pytest

from offchain.errors import OrderRejectedError
from offchain.market import build
from offchain.market.order import OrderType, sign_order
from offchain.market.validation import validate_order
from support.market import ETH


def _protection(market_kin, token):
    """The market's zone and the token's traits now (a protected order; zero traits for a token that does not
    exist)."""
    exists = token <= market_kin.kin.functions.lastTokenId().call()
    return build.Protection(market_kin.market.addresses.zone, *(market_kin.market.fusions(token) if exists else (0, 0)))


def _listing(market_kin, token, seller=2, **changes):
    trader = market_kin.trader(seller)
    trader.approve_collection()
    now = market_kin.market.now()
    receiver, royalty = market_kin.market.royalty(token, ETH)
    values = dict(
        seller=trader.address,
        collection=market_kin.kin.address,
        token_id=token,
        start_price=ETH,
        end_price=ETH,
        royalty=build.Royalty(receiver, royalty, royalty),
        start_time=now,
        end_time=now + 3600,
        counter=market_kin.market.counter(trader.address),
        protection=_protection(market_kin, token),
    )
    values.update(changes)
    return build.listing(**values)


def _sign(market_kin, params, signer=2, chain_id=None, seaport=None):
    return sign_order(
        params,
        market_kin.keys[signer],
        chain_id or market_kin.w3.eth.chain_id,
        seaport or market_kin.market.addresses.seaport,
    )


def _refused(market_kin, order, reason: str):
    with pytest.raises(OrderRejectedError, match=reason):
        validate_order(order, market_kin.market)


def test_a_good_listing_passes_and_records_the_fusion_count(market_kin):
    token = market_kin.mint(2)
    valid = validate_order(_sign(market_kin, _listing(market_kin, token)), market_kin.market)
    assert (valid.terms.token_id, valid.terms.start_price, valid.fusion_count) == (token, ETH, 0)


def test_forged_or_foreign_signatures_are_refused(market_kin):
    token = market_kin.mint(2)
    params = _listing(market_kin, token)
    _refused(market_kin, _sign(market_kin, params, signer=5), "signature does not verify")
    _refused(market_kin, _sign(market_kin, params, chain_id=1), "signature does not verify")
    _refused(market_kin, _sign(market_kin, params, seaport=market_kin.kin.address), "signature does not verify")
    good = _sign(market_kin, params)
    tampered = good.model_copy(update={"parameters": params.model_copy(update={"end_time": params.end_time + 1})})
    _refused(market_kin, tampered, "signature does not verify")


def test_not_the_owner_or_not_approved_is_refused(market_kin):
    token = market_kin.mint(3)
    _refused(market_kin, _sign(market_kin, _listing(market_kin, token)), "does not own token")
    own = market_kin.mint(2)
    params = _listing(market_kin, own)  # approves Seaport for all of account 2's tokens…
    market_kin.trader(2).send_call(
        market_kin.kin.functions.setApprovalForAll(market_kin.market.addresses.seaport, False)
    )
    _refused(market_kin, _sign(market_kin, params), "Seaport is not approved")  # …withdrawn before submitting


def test_missing_or_short_royalty_is_refused(market_kin):
    token = market_kin.mint(2)
    none = _listing(market_kin, token, royalty=build.Royalty(market_kin.accounts[0], 0, 0))
    _refused(market_kin, _sign(market_kin, none), "royalty item is missing or short")
    short = _listing(market_kin, token, royalty=build.Royalty(market_kin.accounts[0], ETH // 100, ETH // 100))
    _refused(market_kin, _sign(market_kin, short), "royalty item is missing or short")
    elsewhere = _listing(market_kin, token, royalty=build.Royalty(market_kin.accounts[6], ETH // 20, ETH // 20))
    _refused(market_kin, _sign(market_kin, elsewhere), "royalty item is missing or short")


def test_expired_cancelled_countered_and_filled_orders_are_refused(market_kin):
    token = market_kin.mint(2)
    now = market_kin.market.now()
    _refused(market_kin, _sign(market_kin, _listing(market_kin, token, start_time=now - 100, end_time=now)), "expired")
    cancelled = _sign(market_kin, _listing(market_kin, token))
    market_kin.trader(2).cancel(cancelled)
    _refused(market_kin, cancelled, "cancelled on Seaport")
    old = _sign(market_kin, _listing(market_kin, token))
    market_kin.trader(2).send_call(market_kin.market.seaport.functions.incrementCounter())
    _refused(market_kin, old, "counter")
    sold = market_kin.trader(2).list(token, ETH)
    market_kin.trader(3).buy(sold.order)
    _refused(market_kin, sold.order, "already filled")


def test_orders_of_other_shapes_are_refused(market_kin):
    token = market_kin.mint(2)
    _refused(
        market_kin,
        _sign(market_kin, _listing(market_kin, token, collection=market_kin.market.addresses.weth)),
        "not an order for a token of this collection",
    )
    partial = _listing(market_kin, token).model_copy(update={"order_type": OrderType.PARTIAL_RESTRICTED})
    _refused(market_kin, _sign(market_kin, partial), "must be restricted \\(order type 2\\)")
    _refused(market_kin, _sign(market_kin, _listing(market_kin, 999)), "token 999 does not exist")


def test_an_offer_needs_the_weth_and_its_allowance(market_kin):
    token = market_kin.mint(2)
    bidder = market_kin.trader(4)
    now = market_kin.market.now()
    receiver, royalty = market_kin.market.royalty(token, ETH)
    params = build.offer(
        buyer=bidder.address,
        collection=market_kin.kin.address,
        token_id=token,
        price=ETH,
        weth=market_kin.market.addresses.weth,
        royalty=build.Royalty(receiver, royalty, royalty),
        start_time=now,
        end_time=now + 3600,
        counter=0,
        protection=_protection(market_kin, token),
    )
    order = _sign(market_kin, params, signer=4)
    _refused(market_kin, order, "holds 0 wei of WETH")
    bidder.send_call(market_kin.market.weth.functions.deposit(), value=ETH)
    _refused(market_kin, order, "may spend only 0 wei")
    bidder.fund_weth(ETH)
    assert validate_order(order, market_kin.market).terms.side.value == "offer"
    market_kin.trader(2).fund_weth(ETH)
    own = build.offer(
        buyer=market_kin.accounts[2],
        collection=market_kin.kin.address,
        token_id=token,
        price=ETH,
        weth=market_kin.market.addresses.weth,
        royalty=build.Royalty(receiver, royalty, royalty),
        start_time=now,
        end_time=now + 3600,
        counter=0,
        protection=_protection(market_kin, token),
    )
    _refused(market_kin, _sign(market_kin, own, signer=2), "already owns token")


def test_unprotected_orders_are_refused_where_the_collection_has_a_zone(market_kin):
    """Issue 23, finding 2: an open order fills whatever happened to the character since it was signed."""
    token = market_kin.mint(2)
    open_listing = _listing(market_kin, token, protection=None)
    _refused(
        market_kin,
        _sign(market_kin, open_listing),
        f"unprotected order: .* restricted \\(order type 2\\) to its LatentKinZone {market_kin.market.addresses.zone}",
    )
    elsewhere = _listing(market_kin, token).model_copy(update={"zone": market_kin.accounts[7]})
    _refused(market_kin, _sign(market_kin, elsewhere), "unprotected order")


def test_an_order_made_before_a_fusion_is_refused(market_kin):
    """Issue 23, findings 1 and 2: a listing (or bid) made before a fusion was still served and filled."""
    a, b = market_kin.mint(2, seed=1), market_kin.mint(2, seed=2)
    listing = _sign(market_kin, _listing(market_kin, a))
    assert validate_order(listing, market_kin.market).fusion_count == 0
    market_kin.actor(2).request_fusion(a, b)
    fusions, until = market_kin.market.fusions(a)
    _refused(
        market_kin,
        listing,
        f"zoneHash does not commit to the character's current traits \\(fusions used "
        f"{fusions}, resting until block {until}\\)",
    )
    assert validate_order(_sign(market_kin, _listing(market_kin, a)), market_kin.market).fusion_count == 1  # re-listed
