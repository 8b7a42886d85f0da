"""The exact odds on the page (issue 24): the fuse page shows, beside the preview, every trait's likely values
with percentages and rarity, the chance of a rare value, and how the modes differ; the character page shows
what a character could pass on (its hidden traits and their chance to surface). Phone viewport."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from support.browser import PHONE, connect, fits_the_screen

pytestmark = pytest.mark.timeout(150)


def _pct(percent: float) -> str:
    """The page's percentText: one decimal, no-break spaces."""
    return "<\u00a00.1\u00a0%" if 0 < percent < 0.05 else f"{percent:.1f}\u00a0%"


def test_fuse_page_shows_the_exact_odds_beside_the_preview(node_chain, service_url, open_page, wait_indexed, shot):
    a, b = node_chain.mint(node_chain.player, 2401), node_chain.mint(node_chain.player, 2402)
    wait_indexed(b)
    odds = httpx.get(f"{service_url}/fusion/odds", params={"a": a, "b": b}).json()
    page = open_page(path=f"/#/fuse?a={a}&b={b}", **PHONE)
    connect(page)
    expect(page.locator("#parent-b-info")).to_contain_text("Yours")
    page.get_by_role("button", name="Preview possible children").click()
    expect(page.locator('.preview-mode[data-mode="crossover"] .preview img')).to_have_count(6, timeout=30_000)
    panel = page.locator(".fusion-odds")
    expect(panel).to_be_visible()
    crossover, blend = odds["modes"]
    lines = panel.locator(".odds-traits li")
    expect(lines).to_have_count(8)
    for i, trait in enumerate(crossover["traits"]):
        expect(lines.nth(i)).to_contain_text(trait["trait"])
        for v in trait["values"][:3]:
            expect(lines.nth(i)).to_contain_text(f"{v['value']} {_pct(v['percent'])} ({v['rarity']})")
        expect(lines.nth(i)).to_contain_text(f"rare {_pct(trait['rare_percent'])}, new {_pct(trait['new_percent'])}")
    expect(panel.locator('[data-odds="rare"]')).to_have_text(
        f"A rare or legendary value: {_pct(crossover['rare_percent'])}"
    )
    expect(panel.locator('[data-odds="mutation"]')).to_contain_text(
        f"At least one mutation: {_pct(crossover['mutation_percent'])}"
    )
    expect(panel.locator(".odds-modes-same")).to_contain_text("the same odds in both modes")
    expect(panel.locator('.odds-modes [data-mode="crossover"]')).to_contain_text(
        f"{_pct(crossover['genes']['like_a_percent'])} of its genes like #{a}'s"
    )
    expect(panel.locator('.odds-modes [data-mode="blend"]')).to_contain_text(
        f"{_pct(blend['genes']['between_percent'])} of its genes between #{a}'s and #{b}'s"
    )
    assert fits_the_screen(page)
    shot(page, "60-phone-fusion-odds")
    assert page.js_errors == []


def test_character_page_says_what_it_could_pass_on(node_chain, service_url, open_page, wait_indexed, shot):
    token = node_chain.mint(node_chain.stranger, 2403)
    wait_indexed(token)
    passing = httpx.get(f"{service_url}/tokens/{token}/inheritance").json()
    page = open_page(wallet=False, path=f"/#/token/{token}", **PHONE)
    section = page.get_by_role("region", name="What it could pass on")
    expect(section).to_be_visible(timeout=20_000)
    rows = section.locator("li")
    expect(rows).to_have_count(8)
    for i, trait in enumerate(passing["traits"]):
        expect(rows.nth(i)).to_contain_text(f"{trait['trait']} hides {trait['hidden']} ({trait['hidden_rarity']})")
        if trait["hidden"] != trait["value"]:
            expect(rows.nth(i)).to_contain_text(
                f"it surfaces in {_pct(trait['hidden_surfaces_percent'])} of children "
                f"and stays hidden in {_pct(trait['hidden_carried_percent'])}"
            )
            expect(rows.nth(i)).to_contain_text(f"the shown {trait['value']}: {_pct(trait['value_percent'])}")
        else:
            expect(rows.nth(i)).to_contain_text(f"the value it shows: {_pct(trait['value_percent'])} of children")
    assert any(t["hidden"] != t["value"] for t in passing["traits"])  # the surfacing words were checked
    assert fits_the_screen(page)
    shot(page, "61-phone-pass-on")
    assert page.js_errors == []
