"""What a phone downloads on a first visit (issue 24's Lighthouse bar, benchmarks/lighthouse.py): no ethers
until a wallet is in play (web/src/ethers-lazy.js), and the portraits as WebP at their shown size, the first
row's with a high fetch priority and explicit sizes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support.browser import PHONE, connect

pytestmark = pytest.mark.timeout(120)

SCRIPT_BUDGET = 150_000  # bytes of script (uncompressed) a wallet-less first view may load; ethers alone is ~260 KB


def _watch(page) -> dict[str, list]:
    seen: dict[str, list] = {"script": [], "image": []}
    page.on("response", lambda r: seen.get(r.request.resource_type, []).append(r))
    return seen


def test_a_visitor_without_a_wallet_loads_no_ethers_and_webp_portraits(node_chain, open_page, wait_indexed):
    wait_indexed(node_chain.mint(node_chain.player, 2401))
    page = open_page(wallet=False, **PHONE)
    seen = _watch(page)
    page.reload()
    cards = page.get_by_role("list", name="All characters").locator(".card img")
    expect(cards.first).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('.card img'); return i.complete && i.naturalWidth > 0; }"
    )
    script_bytes = sum(len(r.body()) for r in seen["script"])
    assert script_bytes < SCRIPT_BUDGET, [(r.url, len(r.body())) for r in seen["script"]]
    portraits = [r for r in seen["image"] if "/image." in r.url]
    assert portraits, "no portrait was loaded"
    for response in portraits:
        assert "/image.webp?" in response.url and response.headers["content-type"] == "image/webp", response.url
    first = cards.first
    expect(first).to_have_attribute("fetchpriority", "high")
    expect(first).to_have_attribute("width", "160")
    expect(first).to_have_attribute("height", "160")
    assert page.js_errors == []


def test_a_wallet_gets_ethers_and_reads_the_contract(node_chain, open_page):
    page = open_page(**PHONE)
    connect(page)
    assert page.evaluate("() => window.latentkin.wallet.provider !== null")
    address = page.evaluate("async () => (await window.latentkin.wallet.contract()).target")
    assert address.lower() == node_chain.contract.address.lower()
    assert page.js_errors == []


def test_the_character_page_fetches_its_portrait_first_as_webp(node_chain, open_page, wait_indexed):
    token = node_chain.mint(node_chain.player, 2402)
    wait_indexed(token)
    page = open_page(wallet=False, path=f"/#/token/{token}", **PHONE)
    portrait = page.locator("#portrait")
    expect(portrait).to_have_attribute("fetchpriority", "high")  # the page's largest paint
    expect(portrait).to_have_attribute("src", re.compile(rf"^/tokens/{token}/image\.webp\?size=\d+$"))
    assert page.js_errors == []
