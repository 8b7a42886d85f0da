"""An order check reads only what its side's checks use, in one multicall: a listing the token's approvals and no
WETH, an offer the offerer's WETH and no token approvals (8 calls, not 10; offchain/market/order_reads.py)."""

from __future__ import annotations

from offchain.market import order_reads as reads
from offchain.market.validation import validate_order
from support.market import ETH, signed_offer

COMMON = {reads.GET_COUNTER, reads.GET_ORDER_STATUS, reads.OWNER_OF, reads.ROYALTY_INFO, reads.LINEAGE_OF}


def _read_functions(market_kin, order) -> tuple[list[str], object]:
    """The view functions one check of ``order`` reads (by name) and its outcome, on the real chain."""
    market, sent = market_kin.market, []
    read = market.reads.read
    market.reads.read = lambda calls: (sent.append(list(calls)), read(calls))[1]
    try:
        valid = validate_order(order, market)
    finally:
        market.reads.read = read
    (calls,) = sent  # one read
    by_selector = {
        reads._selector(f.signature): f.signature for f in vars(reads).values() if isinstance(f, reads._Function)
    }
    return sorted(by_selector[call.data[:4]] for call in calls), valid


def test_a_listing_reads_the_token_approvals_and_no_weth(market_kin):
    token = market_kin.mint(2)
    functions, valid = _read_functions(market_kin, market_kin.sign(market_kin.listing(token)))
    assert functions == sorted(
        [f.signature for f in COMMON]
        + [reads.ROYALTY_INFO.signature]
        + [reads.IS_APPROVED_FOR_ALL.signature, reads.GET_APPROVED.signature]
    )
    assert valid.terms.side.value == "listing"


def test_an_offer_reads_the_weth_and_no_token_approvals(market_kin):
    token = market_kin.mint(2)
    market_kin.trader(4).fund_weth(ETH)
    functions, valid = _read_functions(market_kin, signed_offer(market_kin, token, 4))
    assert functions == sorted(
        [f.signature for f in COMMON]
        + [reads.ROYALTY_INFO.signature]
        + [reads.BALANCE_OF.signature, reads.ALLOWANCE.signature]
    )
    assert valid.terms.side.value == "offer"
