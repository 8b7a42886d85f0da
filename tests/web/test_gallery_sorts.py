"""The gallery's sorts by rarity and by price (issue 23's page gaps), beside the "for sale" filter and kept in the
URL: rarest first as GET /tokens orders it; cheapest and dearest first list only the characters for sale, a
Dutch auction at its price now."""

from __future__ import annotations

import re

import httpx
import pytest
from eth_account import Account
from playwright.sync_api import expect

from offchain.chain.reader import ChainReader
from offchain.market.book_client import BookClient
from offchain.market.seaport import MarketChain
from offchain.market.trader import Trader
from support.browser import PHONE
from support.dev_keys import DEV_KEYS

pytestmark = pytest.mark.timeout(240)

ETH = 10**18


def _list(node_chain, service_url, prices: dict[int, tuple[int, int]]) -> None:
    """List each token of the player at (start, end) price from Python (a Dutch auction where they differ)."""
    player = Account.from_key(DEV_KEYS[1])
    assert player.address == node_chain.player
    trader = Trader(MarketChain(ChainReader(node_chain.w3, deployment_file=node_chain.deployment_file)), player)
    book = BookClient(service_url)
    for token, (start, end) in prices.items():
        book.submit(trader.list(token, start, end, duration=30 * 24 * 3600).order)


def _ids(service_url, sort: str) -> list[int]:
    """The first page's ids as GET /tokens sorts them."""
    items = httpx.get(f"{service_url}/tokens", params={"sort": sort, "limit": 12}, timeout=10).json()["items"]
    return [t["token_id"] for t in items]


def test_the_gallery_sorts_by_rarity_and_by_price_kept_in_the_url(node_chain, open_page, wait_indexed, service_url):
    fixed, auction, cheap = (node_chain.mint(node_chain.player, 2601 + i) for i in range(3))
    wait_indexed(cheap)
    _list(node_chain, service_url, {fixed: (2 * ETH, 2 * ETH), auction: (3 * ETH, ETH), cheap: (ETH, ETH)})

    page = open_page(**PHONE)
    sort = page.get_by_label("Sort", exact=True)
    expect(sort).to_be_visible()
    # The sort sits beside the Market ("for sale") filter.
    beside = "() => document.querySelector('#g-sort').closest('.filter').nextElementSibling"
    assert page.evaluate(f"{beside}.contains(document.querySelector('#g-sale'))")
    grid = page.get_by_role("list", name="All characters")

    for name, mine in (("cheapest", [cheap, fixed, auction]), ("dearest", [auction, fixed, cheap])):
        sort.select_option(name)
        expect(page).to_have_url(re.compile(rf"sort={name}"))
        expected = _ids(service_url, name)  # other tests' listings may share the book
        assert [t for t in expected if t in mine] == mine  # 1, 2, ~3 ETH (the auction falls over 30 days)
        expect(grid.locator(".card-title")).to_have_text([f"#{t}" for t in expected])

    sort.select_option("rarest")
    expect(page).to_have_url(re.compile(r"sort=rarest"))
    expected = _ids(service_url, "rarest")
    expect(grid.locator(".card-title")).to_have_text([f"#{t}" for t in expected])
    shared = open_page(path="/" + page.url.split("/", 3)[3], **PHONE)  # the URL alone shows the same sort
    expect(shared.get_by_label("Sort", exact=True)).to_have_value("rarest")
    expect(shared.get_by_role("list", name="All characters").locator(".card-title")).to_have_text(
        [f"#{t}" for t in expected]
    )
    assert page.js_errors == [] and shared.js_errors == []
