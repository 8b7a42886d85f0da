"""Navigation without races: a field focused in a new view before the next frame keeps its focus (the heading
takes it only from outside the view)."""

from __future__ import annotations

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
