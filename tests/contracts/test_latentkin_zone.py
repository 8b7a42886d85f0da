"""LatentKinZone on the real Seaport 1.6 (bytecode from @opensea/seaport-js) on eth-tester: a protected listing
or WETH offer, whose zoneHash commits to the character's ERC-7496 traits, reverts once the character was fused
(a fusion mined ahead of the fill in the same block included); an unchanged character's fill goes through.

Issue 23, findings 1 and 2: before the zone, the same fills of an open order went through after a fusion (the
control cases below show Seaport still does that for an open order)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_abi import encode
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak

from offchain.market.order import ZERO_BYTES32, as_tuple
from support import interface_ids
from support.chain import error_data, revert_data, rolled_back
from support.market import ETH, MarketKin, make_market_chain

GAS = 1_000_000  # explicit: no estimate against a pending block


@pytest.fixture(scope="module")
def _market(tmp_path_factory) -> MarketKin:
    return make_market_chain(tmp_path_factory.mktemp("zone-market"))


@pytest.fixture
def market(_market: MarketKin) -> Iterator[MarketKin]:
    """LatentKin, Seaport 1.6, WETH9 and the LatentKinZone; rolled back after each test."""
    with rolled_back(_market.tester):
        yield _market


def _parents(market: MarketKin, owner: int = 2) -> tuple[int, int]:
    return market.mint(owner, seed=1), market.mint(owner, seed=2)


def _fill(market: MarketKin, order, sender: str, value: int = 0) -> bytes:
    """Send Seaport's fulfillOrder of ``order`` (no off-chain check first, as an attacker's or a stale page's
    client would); the transaction hash."""
    call = market.market.seaport.functions.fulfillOrder(as_tuple(order), ZERO_BYTES32)
    return call.transact({"from": sender, "value": value, "gas": GAS})


def _fill_revert(market: MarketKin, order, sender: str, value: int = 0) -> bytes:
    """The revert data of filling ``order`` now (b"" if it would succeed)."""
    call = market.market.seaport.functions.fulfillOrder(as_tuple(order), ZERO_BYTES32)
    try:
        call.call({"from": sender, "value": value, "gas": GAS}, block_identifier="pending")
    except TransactionFailed as exc:
        return revert_data(exc)
    return b""


def _traits_changed(market: MarketKin, order, token: int) -> bytes:
    """``LatentKinZoneTraitsChanged(orderHash, signed zoneHash, current zoneHash)`` for ``order`` on ``token``."""
    fusions, until = market.market.fusions(token)
    current = keccak(encode(["uint256"] * 3, [token, fusions, until]))
    signed = bytes.fromhex(order.parameters.zone_hash[2:])
    order_hash = market.market.seaport.functions.getOrderHash(
        as_tuple(order)[0][:10] + (order.parameters.counter,)
    ).call()
    return error_data(market.market.zone.abi, "LatentKinZoneTraitsChanged", order_hash, signed, current)


def _open_listing(market: MarketKin, token: int, seller: int = 2):
    """Today's unprotected listing (order type 0, no zone) of ``token`` at 1 ETH, signed by ``seller``."""
    return market.sign(market.listing(token, seller, protection=None), seller)


def test_orders_made_here_are_restricted_to_the_zone_and_commit_to_the_traits(market):
    a, _ = _parents(market)
    listing = market.trader(2).list(a, ETH).order.parameters
    assert (int(listing.order_type), listing.zone) == (2, market.market.addresses.zone)
    assert bytes.fromhex(listing.zone_hash[2:]) == market.market.zone.functions.traitsHash([a]).call()
    assert market.market.zone.functions.collection().call() == market.kin.address


def test_a_listing_filled_after_the_token_was_fused_reverts(market):
    seller, buyer = market.accounts[2], market.accounts[3]
    a, b = _parents(market)
    listing = market.trader(2).list(a, ETH).order
    open_listing = _open_listing(market, b)
    market.actor(2).request_fusion(a, b)  # the seller fuses both after listing them
    assert _fill_revert(market, listing, buyer, ETH) == _traits_changed(market, listing, a)
    receipt = market.w3.eth.get_transaction_receipt(_fill(market, listing, buyer, ETH))
    assert receipt["status"] == 0 and market.kin.functions.ownerOf(a).call() == seller
    # Control: the open order of today is still filled, fusion or not.
    assert market.w3.eth.get_transaction_receipt(_fill(market, open_listing, buyer, ETH))["status"] == 1
    assert market.kin.functions.ownerOf(b).call() == buyer


def test_a_fusion_put_ahead_of_the_fill_in_the_same_block_makes_the_fill_revert(market):
    """The seller sees the buyer's fill pending and puts requestFusion ahead of it in the same block."""
    seller, buyer, other_buyer = market.accounts[2], market.accounts[3], market.accounts[5]
    a, b = _parents(market)
    listing = market.trader(2).list(a, ETH).order
    open_listing = _open_listing(market, b)
    fee = market.kin.functions.fusionFee().call()
    tester = market.tester
    tester.disable_auto_mine_transactions()  # every transaction waits in the pool until the block is mined
    try:
        fusion = market.kin.functions.requestFusion(a, b, 0, fee).transact({"from": seller, "value": fee, "gas": GAS})
        fill = _fill(market, listing, buyer, ETH)
        open_fill = _fill(market, open_listing, other_buyer, ETH)  # (one pending nonce per account here)
        tester.mine_blocks(1)
    finally:
        tester.enable_auto_mine_transactions()
    receipts = [market.w3.eth.get_transaction_receipt(h) for h in (fusion, fill, open_fill)]
    assert len({r["blockNumber"] for r in receipts}) == 1  # one block, in this order
    assert [r["transactionIndex"] for r in receipts] == [0, 1, 2]
    assert [r["status"] for r in receipts] == [1, 0, 1]  # fused; the protected fill reverted; the open one did not
    assert market.kin.functions.ownerOf(a).call() == seller
    assert market.kin.functions.ownerOf(b).call() == other_buyer  # what the open order let happen


def test_a_weth_offer_accepted_after_the_owner_fused_reverts(market):
    owner, bidder = market.accounts[2], market.accounts[4]
    a, b = _parents(market)
    price = ETH // 2
    offer = market.trader(4).offer(a, price).order
    accepting = market.trader(2)
    accepting.approve_collection()
    accepting.fund_weth(price, wrap=False)  # the royalty item is paid out of the WETH received
    market.actor(2).request_fusion(a, b)
    assert _fill_revert(market, offer, owner) == _traits_changed(market, offer, a)
    assert market.w3.eth.get_transaction_receipt(_fill(market, offer, owner))["status"] == 0
    assert market.kin.functions.ownerOf(a).call() == owner and market.weth_balance(bidder) == price


def test_unchanged_characters_fill_and_transfers_do_not_count_as_changes(market):
    seller, buyer, bidder = market.accounts[2], market.accounts[3], market.accounts[4]
    a, b = _parents(market)
    listing = market.trader(2).list(a, ETH).order
    assert _fill_revert(market, listing, buyer, ETH) == b""
    assert market.w3.eth.get_transaction_receipt(_fill(market, listing, buyer, ETH))["status"] == 1
    assert market.kin.functions.ownerOf(a).call() == buyer
    offer = market.trader(4).offer(b, ETH // 2).order  # a bid on the seller's other character
    market.trader(2).accept(offer)
    assert market.kin.functions.ownerOf(b).call() == bidder
    assert market.weth_balance(seller) > 0


def test_the_zone_describes_itself_to_seaport(market):
    zone = market.market.zone
    assert zone.functions.getSeaportMetadata().call() == ["LatentKinZone", []]
    assert zone.functions.supportsInterface(interface_ids.SEAPORT_ZONE).call() is True
    assert zone.functions.supportsInterface(interface_ids.ERC165).call() is True
    assert zone.functions.supportsInterface(bytes.fromhex("ffffffff")).call() is False
