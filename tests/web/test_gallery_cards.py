"""The gallery on a 390x844 phone: newest first, portrait-first cards (traits with rarity, owner,
ready or resting with the time left), sort and filters kept in a shareable URL (issue 15, point 1)."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from support.browser import PHONE, connect, fits_the_screen, wait_in_page
from support.net import wait_until

pytestmark = pytest.mark.timeout(150)


def test_newest_first_cards_and_filters_in_the_url(node_chain, open_page, wait_indexed, service_url, shot):
    a, b = node_chain.mint(node_chain.player, 1501), node_chain.mint(node_chain.stranger, 1502)
    c = node_chain.mint(node_chain.player, 1503)
    child = node_chain.fuse(a, c, node_chain.player)  # a and c rest after it
    wait_indexed(child)
    newest = httpx.get(f"{service_url}/tokens", params={"limit": 1}).json()["items"][0]["token_id"]

    page = open_page(**PHONE)
    grid = page.get_by_role("list", name="All characters")
    first = grid.locator(".card").first
    expect(first.locator(".card-title")).to_have_text(f"#{newest}")  # the newest child is on page 1, first

    def newest_first() -> bool:  # the grid may still be filling in when its first card is already right
        ids = [int(t[1:]) for t in grid.locator(".card-title").all_text_contents()]
        return ids == sorted(ids, reverse=True)

    wait_until(newest_first, 10, "the cards in newest-first order")

    card = grid.locator(f'.card[data-token="{a}"]')
    expect(card.locator("img")).to_have_attribute("alt", re.compile(rf"^Portrait of character #{a}: Hair style "))
    expect(card.locator(".card-traits li")).to_have_count(2)
    expect(card.locator(".card-traits .rarity").first).to_have_text(re.compile(r"^(common|uncommon|rare|legendary)$"))
    expect(card.locator(".card-owner")).to_have_text(f"Owner: {node_chain.player[:6]}…{node_chain.player[-4:]}")
    until = node_chain.contract.functions.lineageOf(a).call()[4]
    rest = card.locator(".card-rest")
    expect(rest).to_have_text(re.compile(r"^resting: ready in ~\d+ (s|min|h|days)$"))
    expect(rest).to_have_attribute("title", re.compile(rf"^ready from block {until} "))
    expect(grid.locator(f'.card[data-token="{b}"] .card-rest')).to_have_text("ready to fuse")
    expect(card.locator('[data-slot="market-price"]')).to_have_count(1)  # the market fills it (issue 13)
    assert fits_the_screen(page)
    shot(page, "40-phone-gallery-cards")

    # Filters go into the URL: "ready to fuse" hides the resting parents.
    page.get_by_label("Fusion", exact=True).select_option("1")
    expect(page).to_have_url(re.compile(r"#/gallery\?ready=1$"))
    expect(grid.locator(f'.card[data-token="{b}"]')).to_have_count(1)
    expect(grid.locator(f'.card[data-token="{a}"]')).to_have_count(0)
    page.get_by_label("Fusion", exact=True).select_option("0")
    expect(grid.locator(f'.card[data-token="{a}"]')).to_have_count(1)
    expect(grid.locator(f'.card[data-token="{b}"]')).to_have_count(0)

    # A trait and a generation, then the URL alone (shared) shows the same cards, oldest first.
    page.goto("/#/")
    genome_trait = httpx.get(f"{service_url}/tokens/{child}").json()["traits"][0]
    page.get_by_label("Trait", exact=True).select_option(f"{genome_trait['trait']}:{genome_trait['value']}")
    expect(page.get_by_label("Trait", exact=True)).to_have_value(f"{genome_trait['trait']}:{genome_trait['value']}")
    page.get_by_label("Generation", exact=True).fill("1")
    page.get_by_label("Generation", exact=True).press("Enter")
    page.get_by_label("Sort", exact=True).select_option("oldest")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(grid.locator(f'.card[data-token="{child}"]')).to_have_count(1)
    expected = httpx.get(
        f"{service_url}/tokens",
        params={
            "sort": "oldest",
            "generation": 1,
            "limit": 12,
            "trait": f"{genome_trait['trait']}:{genome_trait['value']}",
        },
    ).json()
    shown = [f"#{t['token_id']}" for t in expected["items"]]
    # Waits for the re-render: the grid of the previous filters may still be on screen for a moment.
    expect(grid.locator(".card-title")).to_have_text(shown)
    shared = open_page(path="/" + page.url.split("/", 3)[3], **PHONE)
    expect(shared.get_by_role("list", name="All characters").locator(".card-title")).to_have_text(shown)
    expect(shared.get_by_label("Sort", exact=True)).to_have_value("oldest")

    # Connected, the player's own characters say "you".
    page.goto("/#/")
    connect(page)
    expect(grid.locator(f'.card[data-token="{a}"] .card-owner')).to_have_text("Owner: you")
    assert page.js_errors == [] and shared.js_errors == []


def test_no_match_says_so(node_chain, open_page, wait_indexed):
    token = node_chain.mint(node_chain.player, 1510)
    wait_indexed(token)
    page = open_page(path="/#/?gen=99", **PHONE)
    expect(page.locator("main")).to_contain_text("No character matches these filters.")


def test_typing_a_generation_while_the_cards_load_loses_no_keystroke(node_chain, open_page, wait_indexed, service_url):
    """The filter form is not redrawn when the cards arrive: the field being typed in keeps its text and focus."""
    token = node_chain.mint(node_chain.player, 1504)
    wait_indexed(token)
    trait = httpx.get(f"{service_url}/tokens/{token}").json()["traits"][0]
    page = open_page(**PHONE)
    grid = page.get_by_role("list", name="All characters")
    expect(grid.locator(".card").first).to_be_visible()

    held = []  # the gallery's next GET /tokens waits here while the player types

    def hold(route):
        held.append(route)

    page.route(re.compile(r"/tokens\?"), hold)
    page.get_by_label("Trait", exact=True).select_option(f"{trait['trait']}:{trait['value']}")
    expect(page.get_by_text("Loading characters…")).to_be_visible()
    wait_in_page(page, lambda: held, 10, "the gallery asking for the filtered cards")
    page.get_by_label("Generation", exact=True).fill("1")
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/tokens\?"), hold)
    expect(grid.locator(".card").first).to_be_visible()  # the cards came while the player was typing
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"gen=12"))
    expect(page).to_have_url(re.compile(r"trait="))
    expect(page.get_by_label("Generation", exact=True)).to_have_value("12")
