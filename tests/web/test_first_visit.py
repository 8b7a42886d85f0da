"""A first visit on a 390x844 phone: the explanation of mint -> fuse -> inherit and of the barcode,
the mint's price and supply without a wallet, and "Get test ETH" on a dev chain only (issue 15, point 2)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from web3 import Web3

from support.browser import PHONE, fits_the_screen

pytestmark = pytest.mark.timeout(120)


def test_first_visit_explains_the_game_on_request(node_chain, open_page, shot):
    page = open_page(**PHONE)
    intro = page.locator("details.intro")
    # Folded to one line, so the characters come first (issue 24); one tap opens it.
    expect(intro).not_to_have_attribute("open", "")
    expect(intro.locator("summary")).to_have_text("How latentkin works: mint, fuse, inherit")
    intro.locator("summary").click()
    for words in ("Mint.", "Fuse.", "Inherit.", "barcode", "64 code genes", "hidden value pale"):
        expect(intro).to_contain_text(words)
    expect(intro.get_by_role("button", name="Get test ETH")).to_be_visible()
    assert fits_the_screen(page)
    shot(page, "41-phone-first-visit")


def test_mint_terms_without_wallet_and_test_eth(node_chain, open_page, shot):
    price = node_chain.contract.functions.publicMintPrice().call()
    minted, cap = (
        node_chain.contract.functions.publicMinted().call(),
        node_chain.contract.functions.publicMintCap().call(),
    )
    page = open_page(wallet=False, path="/#/mint", **PHONE)
    expect(page.locator(".mint-terms")).to_have_text(
        f"A character costs {Web3.from_wei(price, 'ether').normalize()} ETH; {minted} of {cap} minted so far."
    )

    # A fresh account with no ETH gets some on the dev chain, from the page.
    poor = Web3.to_checksum_address("0x" + "6" * 40)
    page = open_page(account=poor, path="/#/mint", **PHONE)
    expect(page.locator(".mint-terms")).to_contain_text("minted so far")
    page.get_by_role("button", name="Get test ETH").click()
    expect(page.locator("#activity")).to_contain_text("your account holds 10 ETH of this development chain")
    assert node_chain.w3.eth.get_balance(poor) == Web3.to_wei(10, "ether")
    expect(page.locator("#mint")).to_be_visible()  # connected by the button, the mint is offered
    assert fits_the_screen(page)
    shot(page, "42-phone-mint-test-eth")


def test_no_test_eth_on_a_real_chain(node_chain, open_page, service_url):
    page = open_page(path="/#/mint", **PHONE)

    def real_chain(route):
        config = route.fetch().json()
        route.fulfill(json={**config, "chainId": 1, "chainName": "Ethereum"})

    page.route("**/config.json", real_chain)
    page.reload()
    expect(page.locator("h1")).to_have_text("Mint a character")
    expect(page.locator(".mint-terms")).to_contain_text("minted so far")
    page.goto("/#/")
    expect(page.locator("details.intro")).to_contain_text("Mint.")
    expect(page.get_by_role("button", name="Get test ETH")).to_have_count(0)
    assert page.evaluate("window.latentkin.config.chainId") == 1
