"""Phone-width layout (375 px, no horizontal overflow) and basic accessibility of every page:
labelled controls, alt text, keyboard-reachable buttons."""

from __future__ import annotations

import contextlib

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.timeout(150)

AUDIT = """() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("img without alt: " + img.src);
    else if (img.alt === "" && !img.closest("button, a[aria-label]"))
      problems.push("empty alt outside a labelled control: " + img.src);
  }
  for (const el of document.querySelectorAll("button, a[href], input, select")) {
    if (!visible(el)) continue;
    const name = (el.getAttribute("aria-label") || el.labels?.[0]?.textContent || el.textContent
      || el.title || "").trim();
    if (!name) problems.push("control without an accessible name: " + el.outerHTML.slice(0, 80));
    if (el.tabIndex < 0) problems.push("control not keyboard focusable: " + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll("input, select")) {
    if (visible(el) && !(el.labels && el.labels.length)) problems.push("input without <label>: " + el.id);
  }
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  return problems;
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def family(node_chain):
    """Two parents and their child, owned by the player."""
    a, b = node_chain.mint(node_chain.player, 501), node_chain.mint(node_chain.player, 502)
    return a, b, node_chain.fuse(a, b, node_chain.player)


def test_phone_width_pages_fit_and_pass_the_audit(node_chain, family, open_page, wait_indexed, shot):
    a, b, child = family
    wait_indexed(child)
    page = open_page(width=375, height=800)
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#wallet .account")).to_be_visible()
    for name, path, ready in [
        ("20-phone-gallery", "/#/", ".grid .card"),
        ("21-phone-character", f"/#/token/{child}", f'svg.tree a[data-token="{a}"]'),
        ("22-phone-fuse", f"/#/fuse?a={a}&b={b}", "#parent-b-info img"),
        ("23-phone-mint", "/#/mint", "#mint"),
        ("24-phone-mine", "/#/mine", ".grid .card"),
    ]:
        page.goto(path)
        page.wait_for_selector(ready, state="attached")
        with contextlib.suppress(PlaywrightTimeout):  # once laid out (images may reflow it), nothing is wider
            page.wait_for_function(f"() => ({OVERFLOW})() <= 0", timeout=5_000)
        assert page.evaluate(OVERFLOW) <= 0, f"{path} overflows a 375 px screen"
        assert page.evaluate(AUDIT) == [], path
        shot(page, name)
    assert page.js_errors == []


def test_desktop_character_page_passes_the_audit(node_chain, family, open_page, wait_indexed):
    _, _, child = family
    wait_indexed(child)
    page = open_page(path=f"/#/token/{child}")
    page.wait_for_selector("svg.tree a[data-token]")
    assert page.evaluate(AUDIT) == []
    alt = page.locator("#portrait").get_attribute("alt")
    assert alt.startswith(f"Portrait of character #{child}") and "Hair style" in alt
    expect(page.get_by_role("group", name=f"Family tree of character #{child}")).to_be_visible()


def test_family_tree_depth_and_descendants(node_chain, family, open_page, wait_indexed, shot):
    a, b, child = family
    other = node_chain.mint(node_chain.player, 503)
    grandchild = node_chain.fuse(child, other, node_chain.player)
    wait_indexed(grandchild)
    page = open_page(path=f"/#/token/{grandchild}")
    tree = page.locator("svg.tree")
    nodes = tree.locator("a[data-token]")
    expect(nodes).to_have_count(5)  # grandchild, child, other, a, b
    expect(tree.get_by_role("link", name=f"Character #{a}, ancestor, generation 0")).to_have_count(1)
    shot(page, "26-two-generations")
    page.get_by_label("Generations shown").select_option("1")
    expect(nodes).to_have_count(3)
    expect(tree.locator(f'a[data-token="{a}"]')).to_have_count(0)
    # From the grandparent's page the same family appears as descendants, below it.
    page.goto(f"/#/token/{a}")
    expect(tree.locator(f'a[data-token="{grandchild}"]')).to_have_count(1, timeout=20_000)
    y = {t: tree.locator(f'a[data-token="{t}"] rect').get_attribute("y") for t in (a, child, grandchild)}
    assert float(y[a]) < float(y[child]) < float(y[grandchild])


def test_keyboard_alone_connects_and_follows_the_tree(node_chain, family, open_page, wait_indexed):
    a, _, child = family
    wait_indexed(child)
    page = open_page(path=f"/#/token/{child}")
    page.wait_for_selector("svg.tree a[data-token]")
    # Focus starts on the page heading (moved there on navigation); the header is behind it in
    # the tab order, so Shift+Tab reaches the wallet button; Enter presses it.
    expect(page.locator("h1")).to_be_focused()
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "Connect wallet":
            break
    else:
        pytest.fail("the Connect wallet button is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#wallet .account")).to_be_visible()
    # The tree's nodes are links in the tab order; Enter on a parent opens its page.
    node = page.locator(f'svg.tree a[data-token="{a}"]')
    node.focus()
    assert page.evaluate("document.activeElement.dataset.token") == str(a)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Character #{a}")
    expect(page.locator("h1")).to_be_focused()  # also after any wallet-driven re-render


def test_portrait_placeholder_when_the_renderer_is_down(node_chain, family, open_page, wait_indexed, service_url, shot):
    _, _, child = family
    wait_indexed(child)
    traits = httpx.get(f"{service_url}/tokens/{child}").json()["traits"]
    page = open_page(path="/#/")
    page.route(
        "**/tokens/*/image.*",
        lambda route: route.fulfill(status=503, headers={"Retry-After": "5"}, body='{"detail": "renderer not loaded"}'),
    )
    page.goto(f"/#/token/{child}")
    portrait = page.locator("#portrait")
    expect(portrait).to_have_class("portrait-missing")
    described = ", ".join(f"{t['trait']}: {t['value']}" for t in traits)
    expect(portrait).to_have_attribute(
        "alt", f"Portrait of character #{child} — {described} (portrait not available right now)"
    )
    expect(page.locator(f'svg.tree a[data-token="{child}"] image')).to_have_class("portrait-missing")
    page.wait_for_function("""() => { const all = document.querySelectorAll("svg.tree image");
        return all.length >= 3 && [...all].every((i) => i.classList.contains("portrait-missing")); }""")
    shot(page, "25-renderer-down")
