"""Wallet states in chromium: wrong network, account switch, and failures in plain words
(user rejection, insufficient funds, a custom-error revert)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from web3 import Web3

from support.browser import connect

pytestmark = pytest.mark.timeout(120)


def test_wrong_network_prompts_and_switches(node_chain, open_page, shot):
    page = open_page(chain_id="0x1")
    connect(page)
    banner = page.locator("#network")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Ethereum (1)")
    expect(banner).to_contain_text("Hardhat (local) (31337)")
    page.get_by_role("link", name="Mint", exact=True).click()
    expect(page.locator("main")).to_contain_text("Switch your wallet to the right network")
    shot(page, "10-wrong-network")
    banner.get_by_role("button", name="Switch network").click()
    expect(banner).to_be_hidden()
    expect(page.locator("#wallet .chip")).to_have_text("Hardhat (local) (31337)")
    expect(page.locator("#mint")).to_be_enabled()
    assert "wallet_switchEthereumChain" in page.evaluate("window.__wallet.state.log")


def test_rejected_request_is_explained(node_chain, open_page, shot):
    page = open_page(path="/#/mint")
    page.evaluate("window.__wallet.rejectNext('eth_requestAccounts')")
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#activity")).to_contain_text("You rejected the request in your wallet")
    expect(page.locator("#wallet .account")).to_have_count(0)

    connect(page)
    before = node_chain.contract.functions.publicMinted().call()
    page.evaluate("window.__wallet.rejectNext('eth_sendTransaction')")
    page.locator("#mint").click()
    error = page.locator(".form-error")
    expect(error).to_have_text("You rejected the request in your wallet. Nothing was sent.")
    expect(error.get_by_role("alert")).to_have_count(1)
    expect(page.locator("#mint")).to_be_enabled()
    shot(page, "11-rejected")
    assert node_chain.contract.functions.publicMinted().call() == before


def test_insufficient_funds_is_explained(node_chain, open_page):
    poor = Web3.to_checksum_address("0x" + "5" * 40)
    node_chain.w3.provider.make_request("hardhat_impersonateAccount", [poor])
    node_chain.w3.provider.make_request("hardhat_setBalance", [poor, hex(Web3.to_wei(0.001, "ether"))])
    page = open_page(account=poor, path="/#/mint")
    connect(page)
    page.locator("#mint").click()
    expect(page.locator(".form-error")).to_contain_text("does not have enough ether")


def test_cooldown_revert_is_decoded(node_chain, open_page, wait_indexed, shot):
    a, b, c = (node_chain.mint(node_chain.player, seed) for seed in (201, 202, 203))
    node_chain.request_fusion(a, b, node_chain.player)
    until = node_chain.contract.functions.lineageOf(a).call()[4]
    wait_indexed(c)
    page = open_page(path=f"/#/fuse?a={a}&b={c}")
    connect(page)
    # Said before any wallet prompt: the time left, the block on hover, and the button stays disabled.
    expect(page.locator("#parent-a-info")).to_contain_text("resting: ready in ~")
    expect(page.locator("#parent-a-info p")).to_have_attribute("title", re.compile(rf"ready from block {until}\b"))
    expect(page.get_by_role("button", name="Request fusion")).to_be_disabled()
    expect(page.locator("#fuse-reason")).to_contain_text(f"#{a} is resting: ready in ~")
    assert "eth_sendTransaction" not in page.evaluate("window.__wallet.state.log")
    shot(page, "12-cooldown")


def test_not_authorized_revert_is_decoded(node_chain, open_page, wait_indexed):
    mine = node_chain.mint(node_chain.player, 301)
    theirs = node_chain.mint(node_chain.stranger, 302)
    wait_indexed(theirs)
    page = open_page(path=f"/#/fuse?a={mine}&b={theirs}")
    connect(page)
    expect(page.locator("#parent-b-info")).to_contain_text("offers you no fusion")
    expect(page.get_by_role("button", name="Request fusion")).to_be_disabled()
    expect(page.locator("#fuse-reason")).to_have_text(f"#{theirs} is not yours and not offered to you.")


def test_account_switch_rerenders_my_characters(node_chain, open_page, wait_indexed):
    collector = node_chain.w3.eth.accounts[4]  # owns exactly one character
    node_chain.mint(node_chain.player, 400)
    owned = node_chain.mint(collector, 401)
    wait_indexed(owned)
    page = open_page(path="/#/mine")
    connect(page)
    grid = page.get_by_role("list", name="My characters")
    expect(grid.locator(".card").first).to_be_visible()
    expect(grid.get_by_role("link", name=f"Portrait of character #{owned}")).to_have_count(0)
    page.evaluate(f"window.__wallet.switchAccount('{collector}')")
    expect(page.locator("#wallet .account")).to_contain_text(collector[:6])
    expect(grid.locator(".card-title")).to_have_text([f"#{owned}"])


def test_unknown_network_is_added_then_switched(node_chain, open_page):
    page = open_page(chain_id="0x1", known_chains=("0x1",))
    connect(page)
    page.locator("#network").get_by_role("button", name="Switch network").click()
    expect(page.locator("#network")).to_be_hidden()
    added = page.evaluate("window.__wallet.state.added")
    assert added[0]["chainId"] == "0x7a69"
    assert added[0]["rpcUrls"] == [node_chain.url]


def test_without_a_wallet_the_page_still_browses(node_chain, open_page, wait_indexed):
    token = node_chain.mint(node_chain.stranger, 901)
    wait_indexed(token)
    page = open_page(wallet=False, path=f"/#/token/{token}")
    expect(page.locator("#wallet")).to_have_text("No wallet found")
    expect(page.locator("h1")).to_have_text(f"Character #{token}")
    expect(page.get_by_role("region", name="Fusion")).to_contain_text("Connect your wallet on the right network")
    expect(page.get_by_role("region", name="Market")).to_contain_text("Connect your wallet on the right network")
    page.get_by_role("link", name="Mint", exact=True).click()
    expect(page.locator("main")).to_contain_text("No wallet was found in this browser")
    assert page.js_errors == []
