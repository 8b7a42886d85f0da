"""Fusion offers in chromium: an owner sets and cancels offers on the character page, another player
fuses with an offered character (paying fee + price), and the owner withdraws the earnings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web3 import Web3

from support.browser import connect

pytestmark = pytest.mark.timeout(150)

PRICE = Web3.to_wei(0.002, "ether")


def test_offer_set_used_withdrawn_and_cancelled(node_chain, open_page, wait_indexed, wait_offers, shot):
    theirs = node_chain.mint(node_chain.stranger, 601)
    spare = node_chain.mint(node_chain.stranger, 602)
    mine = node_chain.mint(node_chain.player, 603)
    wait_indexed(mine)

    # The owner offers #theirs to anyone for 0.002 ETH.
    owner_page = open_page(account=node_chain.stranger, path=f"/#/token/{theirs}")
    connect(owner_page)
    expect(owner_page.locator(".offer")).to_have_text("No fusion offer is set.")
    owner_page.get_by_label("Price in ETH").fill("0.002")
    owner_page.get_by_role("button", name="Set offer").click()
    expect(owner_page.locator(".offer")).to_have_text(f"Fusion offer: anyone may fuse with #{theirs} for 0.002 ETH.")
    fuser, price = node_chain.contract.functions.fusionOffer(theirs).call()
    assert int(fuser, 16) == 0 and price == PRICE
    shot(owner_page, "30-offer-set")

    # A bad price is refused in plain words before any wallet prompt.
    owner_page.goto(f"/#/token/{spare}")
    owner_page.get_by_label("Price in ETH").fill("lots")
    owner_page.get_by_role("button", name="Set offer").click()
    expect(owner_page.locator(".offer-form .form-error")).to_have_text(
        "The price must be a number of ETH, such as 0.05."
    )
    # An offer to one named player, then cancelled.
    owner_page.get_by_label("Who may fuse (address, optional)").fill(node_chain.player)
    owner_page.get_by_label("Price in ETH").fill("0")
    owner_page.get_by_role("button", name="Set offer").click()
    expect(owner_page.locator(".offer")).to_have_text(
        f"Fusion offer: {node_chain.player[:6]}…{node_chain.player[-4:]} may fuse with #{spare} for 0 ETH."
    )
    owner_page.get_by_role("button", name="Cancel offer").click()
    expect(owner_page.locator(".offer")).to_have_text("No fusion offer is set.")
    assert node_chain.contract.functions.fusionOffer(spare).call()[0] == "0x" + "0" * 40

    # The player fuses their character with the offered one, paying fee + price. The page lists
    # offers from the service's index, so wait for it to have read the cancellation.
    offer = wait_offers(node_chain.player, [theirs], absent=[spare])[theirs]
    assert (offer["fuser"], offer["price_wei"], offer["owner"]) == (None, str(PRICE), node_chain.stranger)
    page = open_page(path=f"/#/fuse?a={mine}")
    connect(page)
    offered = page.get_by_role("list", name="Offered to you for fusion")
    expect(offered.locator(f'button[data-token="{spare}"]')).to_have_count(0)  # cancelled
    offered.get_by_role("button", name=f"Pick character #{theirs} (offered for 0.002 ETH)").click()
    expect(page.get_by_label("Second character (id)")).to_have_value(str(theirs))
    expect(offered.locator(f'button[data-token="{theirs}"]')).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("list", name="Your characters").locator(f'button[data-token="{mine}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.title() == "Fuse two characters — latentkin"
    expect(page.locator("#parent-b-info")).to_contain_text("Offered for fusion")
    expect(page.locator("#parent-b-info")).to_contain_text("(single use)")
    expect(page.locator(".cost")).to_contain_text("0.003 ETH")
    page.get_by_role("button", name="Request fusion").click()
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=15_000)
    node_chain.mine(2)
    page.get_by_role("button", name="Complete fusion").click()
    page.wait_for_url(re.compile(r"#/token/\d+$"))
    child = int(page.url.rsplit("/", 1)[1])
    assert node_chain.contract.functions.ownerOf(child).call() == node_chain.player
    assert node_chain.contract.functions.pendingWithdrawal(node_chain.stranger).call() == PRICE

    # The owner sees the earnings on "My characters" and withdraws them.
    owner_page.goto("/#/mine")
    expect(owner_page.locator("main")).to_contain_text("Your fusion offers earned 0.002 ETH")
    shot(owner_page, "31-earnings")
    balance = node_chain.w3.eth.get_balance(node_chain.stranger)
    owner_page.get_by_role("button", name="Withdraw").click()
    expect(owner_page.locator("#activity")).to_contain_text("Withdraw: confirmed")
    assert node_chain.contract.functions.pendingWithdrawal(node_chain.stranger).call() == 0
    assert node_chain.w3.eth.get_balance(node_chain.stranger) > balance

    # Offers are single-use, and the page says so; the owner's page says which fusion used it up.
    owner_page.goto(f"/#/token/{theirs}")
    expect(owner_page.locator(".offer")).to_have_text("No fusion offer is set.")
    expect(owner_page.locator(".offer-rule")).to_contain_text("An offer is single-use")
    used = owner_page.locator(".offer-used")
    expect(used).to_have_text(
        f"The last offer on #{theirs} was used by {node_chain.player[:6]}…{node_chain.player[-4:]} "
        f"in fusion request #{child}."
    )
    used.get_by_role("link", name=f"#{child}").click()
    expect(owner_page.locator("h1")).to_have_text(f"Character #{child}")
    shot(owner_page, "32-offer-used")
