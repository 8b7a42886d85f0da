"""The header shows open requests on every page, with a one-click complete once the reveal block has
come (issue 15, point 6), on a 390x844 phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web3.logs import DISCARD

from support.browser import PHONE, connect, fits_the_screen

pytestmark = pytest.mark.timeout(150)


def test_header_indicator_completes_a_waiting_request(node_chain, open_page, wait_indexed, shot):
    a, b = node_chain.mint(node_chain.player, 1541), node_chain.mint(node_chain.player, 1542)
    wait_indexed(b)
    page = open_page(path=f"/#/fuse?a={a}&b={b}", **PHONE)
    connect(page)
    indicator = page.locator("#requests")
    expect(indicator).to_be_hidden()
    page.get_by_role("button", name="Request fusion").click()
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=15_000)
    request_id = int(page.locator(".reveal h3").inner_text().rsplit("#", 1)[1])

    # Elsewhere on the site, the header still says a request waits.
    page.get_by_role("link", name="Gallery", exact=True).click()
    expect(indicator).to_be_visible()
    expect(indicator.locator("summary")).to_have_text("1 request waiting")
    indicator.locator("summary").click()
    complete = indicator.get_by_role("button", name=f"Complete #{request_id}")
    expect(complete).to_be_disabled()
    expect(indicator).to_contain_text(f"Fusion #{request_id} (#{a} × #{b}): waiting for block")
    assert fits_the_screen(page)
    shot(page, "45-phone-request-indicator")
    node_chain.mine(2)
    expect(complete).to_be_enabled(timeout=10_000)
    expect(indicator).to_contain_text("ready to complete")
    complete.click()
    page.wait_for_url(re.compile(rf"#/token/{request_id}$"))
    expect(page.locator("h1")).to_have_text(f"Character #{request_id}")
    expect(indicator).to_be_hidden()
    assert node_chain.contract.functions.ownerOf(request_id).call() == node_chain.player
    assert page.js_errors == []


def test_header_indicator_shows_a_request_made_elsewhere(node_chain, open_page, wait_indexed):
    """A request sent outside this browser (the command line, another device) is read from the chain's logs."""
    player = node_chain.w3.eth.accounts[6]  # no other test uses it, so its only request is this one
    a, b = node_chain.mint(player, 1543), node_chain.mint(player, 1544)
    wait_indexed(b)
    receipt = node_chain.request_fusion(a, b, player)
    (event,) = node_chain.contract.events.FusionRequested().process_receipt(receipt, errors=DISCARD)
    request_id = int(event.args.requestId)
    page = open_page(account=player, **PHONE)
    connect(page)
    indicator = page.locator("#requests")
    expect(indicator.locator("summary")).to_have_text("1 request waiting", timeout=15_000)
    indicator.locator("summary").click()
    expect(indicator).to_contain_text(f"Fusion #{request_id} (#{a} × #{b})")
    node_chain.mine(2)
    complete = indicator.get_by_role("button", name=f"Complete #{request_id}")
    expect(complete).to_be_enabled(timeout=10_000)
    complete.click()
    page.wait_for_url(re.compile(rf"#/token/{request_id}$"))
    expect(indicator).to_be_hidden()
    assert node_chain.contract.functions.ownerOf(request_id).call() == player
    assert page.js_errors == []
