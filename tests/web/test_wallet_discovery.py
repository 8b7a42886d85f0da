"""Several wallets in one browser (issue 24): the page discovers them through EIP-6963, lists each with
its name and icon, lets the player pick, remembers the pick, and falls back to window.ethereum."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from support.browser import PHONE, fits_the_screen

pytestmark = pytest.mark.timeout(120)


def icon(colour: str) -> str:
    """A wallet icon as EIP-6963 gives it: a data URI of an image."""
    return "data:image/svg+xml," + quote(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="{colour}"/></svg>'
    )


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def wallets(node_chain) -> tuple[dict, dict]:
    alpha = {"name": "Alpha Wallet", "rdns": "org.example.alpha", "icon": icon("#c00"), "account": node_chain.stranger}
    beta = {"name": "Beta Wallet", "rdns": "org.example.beta", "icon": icon("#00c"), "account": node_chain.player}
    return alpha, beta


def test_every_wallet_is_listed_picked_and_remembered(node_chain, open_page, shot):
    alpha, beta = wallets(node_chain)
    page = open_page(announce=(alpha, beta), **PHONE)  # and the legacy window.ethereum
    page.get_by_role("button", name="Connect wallet").click()
    choices = page.get_by_role("group", name="Choose a wallet")
    expect(choices.locator(".wallet-choice")).to_have_text(["Alpha Wallet", "Beta Wallet", "Browser wallet"])
    for wallet in (alpha, beta):
        button = choices.get_by_role("button", name=wallet["name"])
        expect(button.locator("img")).to_have_attribute("src", wallet["icon"])
    assert fits_the_screen(page)
    shot(page, "24-wallet-choice")

    choices.get_by_role("button", name="Beta Wallet").click()
    expect(page.locator("#wallet .account")).to_contain_text(short(node_chain.player))
    logs = page.evaluate(
        "({alpha: __wallets['org.example.alpha'].state.log, beta: __wallets['org.example.beta'].state.log,"
        " legacy: __wallet.state.log})"
    )
    assert "eth_requestAccounts" in logs["beta"]
    assert "eth_requestAccounts" not in logs["alpha"] + logs["legacy"]
    assert page.evaluate("localStorage.getItem('latentkin.wallet')") == "org.example.beta"

    page.reload()  # the pick is remembered: the page re-attaches to Beta without asking
    expect(page.locator("#wallet .account")).to_contain_text(short(node_chain.player))
    expect(page.locator(".wallet-choices")).to_have_count(0)
    page.get_by_role("button", name="Change wallet (now Beta Wallet)").click()
    expect(page.locator(".wallet-choice").first).to_have_text("Beta Wallet (last used)")
    page.get_by_role("button", name="Alpha Wallet").click()
    expect(page.locator("#wallet .account")).to_contain_text(short(node_chain.stranger))
    assert page.evaluate("localStorage.getItem('latentkin.wallet')") == "org.example.alpha"
    assert not page.js_errors


def test_window_ethereum_alone_connects_at_once(node_chain, open_page):
    page = open_page(**PHONE)
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.locator("#wallet .account")).to_contain_text(short(node_chain.player))
    expect(page.locator(".wallet-choices")).to_have_count(0)


def test_an_announced_wallet_alone_needs_no_window_ethereum(node_chain, open_page):
    alpha, _ = wallets(node_chain)
    page = open_page(announce=(alpha,), legacy=False, **PHONE)
    expect(page.locator("#wallet")).not_to_contain_text("No wallet found")
    page.get_by_role("button", name="Connect wallet").click()
    expect(page.locator("#wallet .account")).to_contain_text(short(node_chain.stranger))
