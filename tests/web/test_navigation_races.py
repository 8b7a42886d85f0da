"""Navigation without races: a field focused in a new view before the next frame keeps its focus (the heading
takes it only from outside the view), and a filter change draws the new form before the player's next keystroke,
while Back and Forward still redraw the filters they return to."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support.browser import PHONE

pytestmark = pytest.mark.timeout(150)

# Runs in the page: navigate to #/fuse, focus the first id field as soon as the view is drawn (on the same
# hashchange event, after the router's listener), then wait two frames and name the focused element.
FOCUS_BEFORE_THE_FRAME = """async () => {
  const drawn = new Promise((resolve) => addEventListener("hashchange", resolve, { once: true }));
  location.hash = "#/fuse";
  await drawn;
  document.getElementById("parent-a").focus();
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return document.activeElement.id || document.activeElement.tagName;
}"""

# Runs in the page: the player picks "Resting" and, before any other task runs, puts the cursor in Generation.
PICK_THEN_FOCUS = """() => {
  const ready = document.getElementById("g-ready");
  ready.value = "0";
  ready.dispatchEvent(new Event("change", { bubbles: true }));
  document.getElementById("g-gen").focus();
}"""

FLUSH_TASKS = "() => new Promise((resolve) => setTimeout(resolve, 50))"  # a hashchange queued before runs first


def test_a_field_focused_before_the_next_frame_keeps_focus(node_chain, open_page):
    page = open_page(path="/#/", **PHONE)
    expect(page.locator("h1")).to_have_text("All characters")
    assert page.evaluate(FOCUS_BEFORE_THE_FRAME) == "parent-a"
    expect(page.get_by_label("First character (id)")).to_be_focused()
    # Otherwise navigation still moves focus to the new heading (screen readers hear where they landed).
    page.get_by_role("link", name="Mint", exact=True).click()
    expect(page.locator("h1")).to_have_text("Mint a character")
    expect(page.locator("h1")).to_be_focused()
    assert page.js_errors == []


def test_a_filter_change_draws_the_new_form_before_the_next_keystroke(node_chain, open_page, wait_indexed):
    resting, partner = node_chain.mint(node_chain.player, 1771), node_chain.mint(node_chain.player, 1772)
    ready = node_chain.mint(node_chain.player, 1773)
    child = node_chain.fuse(resting, partner, node_chain.player)  # gen 1; its parents rest
    wait_indexed(child)
    page = open_page(path="/#/", **PHONE)
    grid = page.get_by_role("list", name="All characters")
    gen = page.get_by_label("Generation", exact=True)
    expect(grid.locator(f'.card[data-token="{ready}"]')).to_have_count(1)

    page.evaluate(PICK_THEN_FOCUS)
    page.evaluate(FLUSH_TASKS)
    page.keyboard.type("0")
    expect(gen).to_have_value("0")  # typed into the form of the new filter, not into the one it replaced
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#/gallery\?gen=0&ready=0$"))
    expect(grid.locator(f'.card[data-token="{resting}"]')).to_have_count(1)
    expect(grid.locator(f'.card[data-token="{ready}"]')).to_have_count(0)

    # Back and Forward redraw the filters and the cards of the entry they return to.
    page.go_back()
    expect(page).to_have_url(re.compile(r"#/gallery\?ready=0$"))
    expect(gen).to_have_value("")
    expect(page.get_by_label("Fusion", exact=True)).to_have_value("0")
    page.go_back()
    expect(page.get_by_label("Fusion", exact=True)).to_have_value("")
    expect(grid.locator(f'.card[data-token="{ready}"]')).to_have_count(1)
    page.go_forward()
    expect(page.get_by_label("Fusion", exact=True)).to_have_value("0")
    expect(grid.locator(f'.card[data-token="{ready}"]')).to_have_count(0)
    expect(grid.locator(f'.card[data-token="{resting}"]')).to_have_count(1)
    assert page.js_errors == []
