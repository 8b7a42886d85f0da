"""The page's rough edges from a new user's walk-through (issue 24): every reachable error reads as a
sentence with a way on, the fuse page says why an unknown id stops it, plain amounts and words, pictures
big enough to see, and characters first on a phone."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from PIL import Image
from playwright.sync_api import expect

from support.browser import PHONE, connect

pytestmark = pytest.mark.timeout(120)

RAW = re.compile(r"[{}\[\]]|decimal digits|value_error|loc\b")  # what a person should never read


def test_token_zero_and_a_huge_id_read_as_sentences(node_chain, open_page):
    page = open_page(path="/#/token/0", **PHONE)
    error = page.locator("main .msg-error")
    expect(error).to_have_text("There is no character #0: character ids are whole numbers from #1 up.")
    expect(page.get_by_role("link", name="See every character")).to_be_visible()
    page.goto("/#/token/" + "9" * 30)
    expect(error).to_contain_text("There is no character")
    assert not RAW.search(error.inner_text())
    expect(page.get_by_role("link", name="See every character")).to_be_visible()


def test_an_unknown_trait_filter_reads_as_a_sentence(node_chain, open_page):
    page = open_page(path="/#/?trait=Eyes:Nope", **PHONE)
    error = page.locator("main .msg-error")
    expect(error).to_contain_text("Eyes has no value “Nope”: pick one of its values in the Trait list above.")
    assert not RAW.search(error.inner_text())
    page.goto("/#/?trait=Ears:Big")
    expect(error).to_contain_text("There is no trait called “Ears”")
    assert not RAW.search(error.inner_text())
    error.get_by_role("link", name="Show every character").click()
    expect(page.locator("main .msg-error")).to_have_count(0)


def test_an_unknown_id_on_the_fuse_page_says_why(node_chain, open_page, wait_indexed):
    a = node_chain.mint(node_chain.player, 2401)
    wait_indexed(a)
    page = open_page(path=f"/#/fuse?a={a}&b=987654", **PHONE)
    connect(page)
    expect(page.locator("#parent-b-info")).to_contain_text("Character #987654 does not exist")
    expect(page.locator("#fuse-reason")).to_have_text(
        "Character #987654 does not exist: type another id, or pick one of the characters below."
    )
    expect(page.get_by_role("button", name="Request fusion")).to_be_disabled()
    expect(page.locator(".cost")).to_have_text("")


def test_get_test_eth_without_a_wallet_says_what_to_do(node_chain, open_page):
    page = open_page(wallet=False, **PHONE)
    page.locator("details.intro summary").click()
    page.get_by_role("button", name="Get test ETH").click()
    activity = page.locator("#activity")
    expect(activity).to_contain_text("No wallet was found in this browser: install an Ethereum wallet extension")
    expect(activity).not_to_contain_text("Something went wrong")


def test_a_phone_sees_characters_first(node_chain, open_page, wait_indexed):
    wait_indexed(node_chain.mint(node_chain.stranger, 2402))
    page = open_page(**PHONE)
    card = page.locator(".grid .card").first
    expect(card).to_be_visible()
    expect(page.locator("details.intro")).not_to_have_attribute("open", "")
    assert card.bounding_box()["y"] + 80 < PHONE["height"]  # a card's portrait shows in the first screen


def test_an_owner_address_stays_on_one_line(node_chain, open_page, wait_indexed):
    wait_indexed(node_chain.mint(node_chain.stranger, 2403))
    page = open_page(wallet=False, **PHONE)
    owner = page.locator(".grid .card .card-owner").first
    expect(owner).to_contain_text("…")
    lines = owner.evaluate("el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)")
    assert lines < 1.5, lines


def test_traits_without_nibbles_and_a_family_tree_big_enough(node_chain, open_page, wait_indexed):
    a, b = node_chain.mint(node_chain.player, 2404), node_chain.mint(node_chain.player, 2405)
    child = node_chain.fuse(a, b, node_chain.player)
    wait_indexed(child)
    page = open_page(path=f"/#/token/{child}")
    table = page.locator("table.traits")
    expect(table.locator("tbody tr")).to_have_count(8)
    assert not re.search(r"\(\d+\)", table.inner_text()), table.inner_text()
    images = page.locator("svg.tree image")
    expect(images).to_have_count(3, timeout=30_000)
    widths = images.evaluate_all("els => els.map((e) => e.getBoundingClientRect().width)")
    assert min(widths) >= 80, widths


def test_the_contact_sheet_is_big_enough(node_chain, open_page, wait_indexed):
    a, b = node_chain.mint(node_chain.player, 2406), node_chain.mint(node_chain.player, 2407)
    wait_indexed(b)
    page = open_page(wallet=False, path=f"/#/fuse?a={a}&b={b}")
    page.get_by_role("button", name="Preview possible children").click()
    sheet = page.get_by_role("link", name="Open the contact sheet").first
    expect(sheet).to_be_visible(timeout=30_000)
    href = sheet.get_attribute("href")
    assert parse_qs(urlparse(href).query)["size"] == ["256"], href
    png = httpx.get(href, timeout=120)
    assert png.status_code == 200
    with Image.open(io.BytesIO(png.content)) as picture:
        assert picture.height >= 256, picture.size


def test_the_reveal_hint_is_true_with_or_without_a_keeper(node_chain, open_page):
    page = open_page(path="/#/mint", **PHONE)
    connect(page)
    page.locator("#mint").click()
    hint = page.locator(".reveal p.hint", has_text="The outcome is drawn")
    expect(hint).to_contain_text(
        "anyone may complete the request: press the button, or wait for a keeper where one runs"
    )
    expect(hint).not_to_contain_text("a keeper usually does")
