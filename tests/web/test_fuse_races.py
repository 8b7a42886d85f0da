"""The fuse form without races: terms read for ids typed before never overwrite those of the ids typed since,
and a wallet event that redraws the page (a guest connecting) keeps the ids and mode the player chose."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web3 import Web3

from support.browser import PHONE, connect, wait_in_page

pytestmark = pytest.mark.timeout(150)

PRICE = Web3.to_wei(0.002, "ether")
ZERO_ADDRESS = "0x" + "0" * 40
SETTLE_MS = 3000  # long enough for the released read's run to finish its chain calls (a few, ~50 ms each)


def _fuse_page_with_an_offer(node_chain, open_page, wait_indexed, seed: int):
    """The fuse page of the connected player, who owns three characters, beside a stranger's character offered for
    fusion at PRICE; (page, (the player's three ids, the offered id))."""
    mine, other, another = (node_chain.mint(node_chain.player, seed + k) for k in range(3))
    theirs = node_chain.mint(node_chain.stranger, seed + 3)
    node_chain.send(node_chain.contract.functions.setFusionOffer(theirs, ZERO_ADDRESS, PRICE), node_chain.stranger)
    wait_indexed(theirs)
    page = open_page(path="/#/fuse", **PHONE)
    connect(page)
    expect(page.get_by_role("list", name="Your characters").locator("button.pick").first).to_be_visible()
    return page, (mine, other, another, theirs)


def test_terms_read_late_for_the_previous_pair_do_not_replace_the_new_pair(node_chain, open_page, wait_indexed):
    page, (mine, other, another, theirs) = _fuse_page_with_an_offer(node_chain, open_page, wait_indexed, 1781)

    held = []  # the page's read of #theirs (the first pair's second parent) waits here

    def hold(route):
        held.append(route)

    theirs_url = re.compile(rf"/tokens/{theirs}$")
    page.route(theirs_url, hold)
    with page.expect_request(theirs_url):  # the first pair's terms are being read
        page.get_by_label("First character (id)").fill(str(mine))
        page.get_by_label("Second character (id)").fill(str(theirs))
    page.get_by_label("First character (id)").fill(str(other))
    page.get_by_label("Second character (id)").fill(str(another))
    new_pair = [
        (page.locator("#parent-a-info"), f"#{other} — Yours."),
        (page.locator("#parent-b-info"), f"#{another} — Yours."),
        (page.locator(".cost"), "Cost: 0.001 ETH (fusion fee 0.001 ETH), plus gas."),
        (page.locator("#fuse-reason"), "Both characters may fuse."),
    ]
    for where, text in new_pair:
        expect(where).to_have_text(text)

    assert held
    with page.expect_response(theirs_url):
        for route in held:
            route.continue_()
    page.unroute(theirs_url, hold)
    page.wait_for_timeout(SETTLE_MS)  # what the late read could still write, it has written by now
    for where, text in new_pair:
        expect(where).to_have_text(text)
    assert page.js_errors == []


def test_a_guest_who_connects_keeps_the_ids_and_mode(node_chain, open_page, wait_indexed):
    a, b = node_chain.mint(node_chain.player, 1785), node_chain.mint(node_chain.player, 1786)
    wait_indexed(b)
    page = open_page(path="/#/fuse", **PHONE)
    page.get_by_label("First character (id)").fill(str(a))
    page.get_by_label("Second character (id)").fill(str(b))
    page.locator("#mode-blend").check()

    connect(page)  # redraws the page for the wallet
    expect(page.get_by_role("list", name="Your characters")).to_be_visible()
    expect(page.get_by_label("First character (id)")).to_have_value(str(a))
    expect(page.get_by_label("Second character (id)")).to_have_value(str(b))
    expect(page.locator("#mode-blend")).to_be_checked()
    expect(page.locator("#parent-b-info")).to_have_text(f"#{b} — Yours.")
    expect(page.locator("#fuse-reason")).to_have_text("Both characters may fuse.")
    expect(page).to_have_url(re.compile(rf"#/fuse\?a={a}&b={b}&mode=blend$"))  # kept there by the form
    assert page.js_errors == []


def test_a_request_sent_while_the_ids_change_is_not_sent_for_the_old_pair(node_chain, open_page, wait_indexed):
    """Request fusion first checks the player's own listings; if the ids change while it waits and the new pair's
    terms arrive, it must not send the old ids with the new pair's price (it would revert, or pay the wrong sum)."""
    page, (mine, other, another, theirs) = _fuse_page_with_an_offer(node_chain, open_page, wait_indexed, 1791)
    page.get_by_label("First character (id)").fill(str(mine))
    page.get_by_label("Second character (id)").fill(str(theirs))
    expect(page.locator("#fuse-reason")).to_have_text("Both characters may fuse.")
    expect(page.locator(".cost")).to_have_text(
        "Cost: 0.003 ETH (fusion fee 0.001 ETH plus offers 0.002 ETH), plus gas."
    )

    held = []  # the check of the player's own listings waits here while the ids change

    def hold(route):
        held.append(route)

    listings = re.compile(r"/orders\?")
    page.route(listings, hold)
    nonce = node_chain.w3.eth.get_transaction_count(node_chain.player)
    with page.expect_request(listings):
        page.get_by_role("button", name="Request fusion").click()
    page.get_by_label("First character (id)").fill(str(other))
    page.get_by_label("Second character (id)").fill(str(another))
    expect(page.locator(".cost")).to_have_text("Cost: 0.001 ETH (fusion fee 0.001 ETH), plus gas.")
    for route in held:
        route.continue_()
    page.unroute(listings, hold)
    expect(page.locator("#fuse-reason")).to_have_text("Both characters may fuse.")
    expect(page.get_by_role("button", name="Request fusion")).to_be_enabled()
    page.wait_for_timeout(SETTLE_MS)  # a request for the old pair would have been sent by now
    assert node_chain.w3.eth.get_transaction_count(node_chain.player) == nonce
    expect(page.locator(".form-error")).to_be_empty()
    assert page.js_errors == []


def test_a_failed_read_for_the_previous_pair_shows_no_error_over_the_new_pair(node_chain, open_page, wait_indexed):
    a, b, c, d = (node_chain.mint(node_chain.player, seed) for seed in (1795, 1796, 1797, 1798))
    wait_indexed(d)
    page = open_page(path="/#/fuse", **PHONE)
    connect(page)
    expect(page.get_by_role("list", name="Your characters").locator("button.pick").first).to_be_visible()
    fee_call = Web3.keccak(text="fusionFee()")[:4].hex().removeprefix("0x")
    held = []  # the first pair's read of the fusion fee, which then fails

    def hold_first_fee_read(route):
        if not held and fee_call in (route.request.post_data or ""):
            held.append(route)
        else:
            route.continue_()

    page.route("**/*", hold_first_fee_read)
    page.get_by_label("First character (id)").fill(str(a))
    page.get_by_label("Second character (id)").fill(str(b))
    wait_in_page(page, lambda: held, 5, "the first pair's read of the fusion fee")
    page.get_by_label("First character (id)").fill(str(c))
    page.get_by_label("Second character (id)").fill(str(d))
    expect(page.locator("#fuse-reason")).to_have_text("Both characters may fuse.")
    held[0].abort()
    page.unroute("**/*", hold_first_fee_read)
    page.wait_for_timeout(SETTLE_MS)
    expect(page.locator(".form-error")).to_be_empty()
    expect(page.locator("#fuse-reason")).to_have_text("Both characters may fuse.")
