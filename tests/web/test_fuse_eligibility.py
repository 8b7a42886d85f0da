"""The fuse page on a 390x844 phone says who may fuse before the wallet does: resting characters greyed
with the time left (block on hover), a character picked twice or not offered refused with the reason,
"Request fusion" disabled until both may fuse, the cost in words (points 5 and 8), and its own message
on the wrong network (point 8)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support.browser import PHONE, connect, fits_the_screen

pytestmark = pytest.mark.timeout(150)


def test_ineligible_parents_are_greyed_with_the_reason(node_chain, open_page, wait_indexed, shot):
    a, b = node_chain.mint(node_chain.player, 1531), node_chain.mint(node_chain.player, 1532)
    tired, partner = node_chain.mint(node_chain.player, 1533), node_chain.mint(node_chain.player, 1534)
    theirs = node_chain.mint(node_chain.stranger, 1535)
    child = node_chain.fuse(tired, partner, node_chain.player)
    wait_indexed(child)
    wait_indexed(theirs)
    until = node_chain.contract.functions.lineageOf(tired).call()[4]

    page = open_page(path="/#/fuse", **PHONE)
    connect(page)
    mine = page.get_by_role("list", name="Your characters")
    resting = mine.locator(f'button[data-token="{tired}"]')
    expect(resting).to_be_disabled()
    expect(resting.locator(".pick-reason")).to_have_text(re.compile(r"^resting, ready in ~"))
    expect(resting).to_have_attribute("title", re.compile(rf"^ready from block {until} "))
    request = page.get_by_role("button", name="Request fusion")
    expect(request).to_be_disabled()
    expect(page.locator("#fuse-reason")).to_have_text("Pick two characters first.")

    # Picked once, a character is marked and cannot be picked again as its own partner.
    mine.locator(f'button[data-token="{a}"]').click()
    expect(mine.locator(f'button[data-token="{a}"] .pick-reason')).to_have_text("picked")
    mine.locator(f'button[data-token="{a}"]').click()
    expect(page.get_by_label("Second character (id)")).to_have_value("")
    # Typed: itself, then a stranger's character without an offer, then a resting one.
    page.get_by_label("Second character (id)").fill(str(a))
    expect(page.locator("#fuse-reason")).to_have_text(
        "A character cannot fuse with itself: pick two different characters."
    )
    page.get_by_label("Second character (id)").fill(str(theirs))
    expect(page.locator("#fuse-reason")).to_have_text(f"#{theirs} is not yours and not offered to you.")
    expect(request).to_be_disabled()
    page.get_by_label("Second character (id)").fill(str(tired))
    expect(page.locator("#fuse-reason")).to_contain_text(f"#{tired} is resting: ready in ~")
    expect(page.locator("#fuse-reason")).to_contain_text(f"(from block {until}).")
    expect(request).to_be_disabled()
    assert fits_the_screen(page)
    shot(page, "43-phone-fuse-ineligible")

    # Two that may fuse: enabled, and the cost in words.
    page.get_by_label("Second character (id)").fill(str(b))
    expect(page.locator("#fuse-reason")).to_have_text("Both characters may fuse.")
    expect(request).to_be_enabled()
    expect(page.locator(".cost")).to_have_text("Cost: 0.001 ETH (fusion fee 0.001 ETH), plus gas.")

    # The character page says the same rest as a time, with the block on hover.
    page.goto(f"/#/token/{tired}")
    cooldown = page.locator("#cooldown")
    expect(cooldown).to_have_text(re.compile(r"^resting: ready in ~\d+ (s|min|h|days)$"))
    expect(cooldown).to_have_attribute(
        "title", re.compile(rf"^ready from block {until} \(now \d+, \d+ blocks? to go\)$")
    )
    assert page.js_errors == []


def test_wrong_network_fuse_page_has_its_own_message(node_chain, open_page, shot):
    page = open_page(chain_id="0x1", path="/#/fuse", **PHONE)
    connect(page)
    alert = page.locator("main").get_by_role("alert")
    expect(alert).to_contain_text("Your wallet is on another network")
    expect(page.locator("form.fuse-form")).to_have_count(0)  # no half-empty form
    shot(page, "44-phone-fuse-wrong-network")
    alert.get_by_role("button", name="Switch network").click()
    expect(page.locator("form.fuse-form")).to_be_visible()
    expect(page.get_by_role("list", name="Your characters")).to_be_visible()
