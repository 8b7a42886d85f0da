"""The fuse form without races: terms read for ids typed before never overwrite those of the ids typed since,
and a wallet event that redraws the page (a guest connecting) keeps the ids and mode the player chose."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web3 import Web3

from support.browser import PHONE, connect

pytestmark = pytest.mark.timeout(150)

PRICE = Web3.to_wei(0.002, "ether")
ZERO_ADDRESS = "0x" + "0" * 40
SETTLE_MS = 3000  # long enough for the released read's run to finish its chain calls (a few, ~50 ms each)


def test_terms_read_late_for_the_previous_pair_do_not_replace_the_new_pair(node_chain, open_page, wait_indexed):
    mine, other, another = (node_chain.mint(node_chain.player, seed) for seed in (1781, 1782, 1783))
    theirs = node_chain.mint(node_chain.stranger, 1784)
    node_chain.send(node_chain.contract.functions.setFusionOffer(theirs, ZERO_ADDRESS, PRICE), node_chain.stranger)
    wait_indexed(theirs)
    page = open_page(path="/#/fuse", **PHONE)
    connect(page)
    expect(page.get_by_role("list", name="Your characters").locator("button.pick").first).to_be_visible()

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
