"""Helpers of the browser tests (tests/web): the phone viewport, connecting the test wallet, overflow."""

from __future__ import annotations

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}  # the phone viewport (iPhone 12-15)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def connect(page) -> None:
    """Press the header's Connect wallet and wait for the account to show."""
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#wallet .account")).to_be_visible()


def fits_the_screen(page) -> bool:
    """Nothing is wider than the viewport (no sideways scrolling)."""
    return page.evaluate(OVERFLOW) <= 0
