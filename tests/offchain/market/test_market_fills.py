"""Trades settled by the real Seaport 1.6: a fixed-price sale pays the ERC-2981 royalty to its receiver, a Dutch
auction filled half-way costs the interpolated price, an accepted offer moves WETH; each order first passes
the market's own checks."""

from __future__ import annotations

from support.market import ETH, ROYALTY_BPS


def _eth_spent(market_kin, receipt) -> int:
    return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])


def test_fixed_price_sale_pays_seller_and_royalty_receiver(market_kin):
    seller, buyer, receiver = market_kin.accounts[2], market_kin.accounts[3], market_kin.accounts[0]
    token = market_kin.mint(2)
    listing = market_kin.trader(2).list(token, ETH)
    royalty = ETH * ROYALTY_BPS // 10_000
    assert listing.royalty == royalty
    before = {a: market_kin.balance(a) for a in (seller, buyer, receiver)}
    receipt = market_kin.trader(3).buy(listing.order)
    assert market_kin.kin.functions.ownerOf(token).call() == buyer
    assert market_kin.balance(seller) - before[seller] == ETH - royalty
    assert market_kin.balance(receiver) - before[receiver] == royalty
    assert before[buyer] - market_kin.balance(buyer) == ETH + _eth_spent(market_kin, receipt)


def test_dutch_auction_filled_half_way_costs_the_interpolated_price(market_kin):
    seller, buyer = market_kin.accounts[2], market_kin.accounts[3]
    token = market_kin.mint(2)
    start, end, duration = 2 * ETH, ETH, 1000
    listing = market_kin.trader(2).list(token, start, end, duration=duration)
    begins = listing.order.parameters.start_time
    market_kin.tester.time_travel(begins + duration // 2)  # the pending block, where the fill lands
    before = {a: market_kin.balance(a) for a in (seller, buyer)}
    receipt = market_kin.trader(3).buy(listing.order)
    filled_at = market_kin.w3.eth.get_block(receipt["blockNumber"])["timestamp"]
    assert filled_at == begins + duration // 2
    price = (start + end) // 2  # linear: half-way between 2 and 1 ETH
    royalty_start, royalty_end = start * ROYALTY_BPS // 10_000, end * ROYALTY_BPS // 10_000
    seller_gets = (start - royalty_start + end - royalty_end) // 2
    assert before[buyer] - market_kin.balance(buyer) == price + _eth_spent(market_kin, receipt)  # the excess came back
    assert market_kin.balance(seller) - before[seller] == seller_gets
    assert market_kin.kin.functions.ownerOf(token).call() == buyer


def test_offer_in_weth_accepted_by_the_owner(market_kin):
    owner, bidder, receiver = market_kin.accounts[2], market_kin.accounts[4], market_kin.accounts[0]
    token = market_kin.mint(2)
    price = ETH // 2
    offer = market_kin.trader(4).offer(token, price)  # wraps ETH and approves Seaport
    assert market_kin.weth_balance(bidder) == price
    market_kin.trader(2).accept(offer.order)
    royalty = price * ROYALTY_BPS // 10_000
    assert market_kin.kin.functions.ownerOf(token).call() == bidder
    assert market_kin.weth_balance(owner) == price - royalty
    assert market_kin.weth_balance(receiver) == royalty
    assert market_kin.weth_balance(bidder) == 0
