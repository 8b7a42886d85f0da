"""Issue 23 in chromium, on the real Seaport 1.6 and the collection's LatentKinZone: a buyer whose page was
loaded before the seller fused the listed character is told so right before the fill, and a fill the zone
refuses reads as a sentence; a seller who fuses a listed character is warned first and may cancel the listing
on chain in the same flow."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import expect

from offchain.chain.artifacts import load_artifact

pytestmark = pytest.mark.timeout(240)

ETH = 10**18


def connect(page) -> None:
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#wallet .account")).to_be_visible()


def list_for_one_eth(page, token: int) -> None:
    page.get_by_label("Sale price, ETH").fill("1")
    page.locator("#list-form").get_by_role("button", name="List").click()
    expect(page.locator("#activity")).to_contain_text(f"List #{token}: listed", timeout=30_000)


def _listing(service_url, token: int) -> dict:
    (listing,) = httpx.get(f"{service_url}/orders", params={"token": token}, timeout=5).json()["items"]
    return listing


def test_a_listing_fused_under_the_buyer_is_flagged_and_its_fill_refused_in_words(
    node_chain, open_page, wait_indexed, service_url
):
    seller, buyer = node_chain.player, node_chain.stranger
    a, b = node_chain.mint(seller, 961), node_chain.mint(seller, 962)
    wait_indexed(b)
    page = open_page(account=seller, path=f"/#/token/{a}")
    connect(page)
    list_for_one_eth(page, a)

    shopper = open_page(account=buyer, path=f"/#/token/{a}")
    connect(shopper)
    shopper.get_by_role("button", name="Buy now").click()
    dialog = shopper.locator("dialog.buy-dialog")
    expect(dialog.locator("#buy-fusions")).to_contain_text("Fusions used: 0 of 16. Ready to fuse.")
    expect(dialog.locator("#buy-changed")).to_have_count(0)
    node_chain.fuse(a, b, seller)  # while the buyer looks at the dialog (the same-block race, slowed down)
    dialog.get_by_role("button", name="Buy for 1 ETH").click()
    expect(shopper.locator("#activity")).to_contain_text("the market's zone refused the trade", timeout=30_000)
    assert node_chain.contract.functions.ownerOf(a).call() == seller

    shopper.get_by_role("button", name="Buy now").click()  # the page was not reloaded: it still offers the listing
    expect(dialog.locator("#buy-changed")).to_contain_text("fusions used: 0 then, 1 now")
    expect(dialog.locator("#buy-changed")).to_contain_text("the market's zone will refuse this purchase")
    expect(dialog.locator("#buy-fusions")).to_contain_text("Fusions used: 1 of 16. Resting")
    expect(dialog.locator("#buy-confirm")).to_be_disabled()
    dialog.get_by_role("button", name="Cancel").click()


def test_fusing_a_listed_character_warns_and_cancels_the_listing_on_chain(
    node_chain, open_page, wait_indexed, service_url
):
    seller = node_chain.player
    a, b = node_chain.mint(seller, 971), node_chain.mint(seller, 972)
    wait_indexed(b)
    page = open_page(account=seller, path=f"/#/token/{a}")
    connect(page)
    list_for_one_eth(page, a)
    listing = _listing(service_url, a)

    page.goto(f"/#/fuse?a={a}&b={b}")
    expect(page.locator("#parent-b-info")).to_contain_text("Yours")
    page.get_by_role("button", name="Request fusion").click()
    guard = page.locator("#fuse-listed")
    expect(guard).to_contain_text(f"You listed #{a} (1 ETH)")
    guard.get_by_role("button", name="Back").click()  # going back sends nothing
    expect(guard).to_have_count(0)
    assert node_chain.contract.functions.lineageOf(a).call()[3] == 0

    page.get_by_role("button", name="Request fusion").click()
    guard.get_by_role("button", name="Cancel the listing, then fuse").click()
    expect(page.locator("#activity")).to_contain_text("cancelled in block", timeout=30_000)
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=30_000)
    seaport = json.loads(node_chain.deployment_file.read_text())["seaport"]
    status = node_chain.w3.eth.contract(address=seaport, abi=load_artifact("Seaport").abi)
    assert status.functions.getOrderStatus(listing["hash"]).call()[1]  # isCancelled, on chain
    assert node_chain.contract.functions.lineageOf(a).call()[3] == 1  # and the fusion went ahead
    # leave the session's chain as found: the player's request completed, so no later test sees it waiting
    request_id = int(page.locator(".reveal h3").inner_text().rsplit("#", 1)[1])
    node_chain.mine(2)
    node_chain.send(node_chain.contract.functions.completeFusion(request_id), seller)
