"""Helpers of the browser tests (tests/web): the phone viewport, connecting the test wallet, overflow."""

from __future__ import annotations

from playwright.sync_api import expect

from support.net import wait_until

PHONE = {"width": 390, "height": 844}  # the phone viewport (iPhone 12-15)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def connect(page) -> None:
    """Press the header's Connect wallet and wait for the account to show."""
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#wallet .account")).to_be_visible()


def fits_the_screen(page) -> bool:
    """Nothing is wider than the viewport (no sideways scrolling)."""
    return page.evaluate(OVERFLOW) <= 0


def wait_in_page(page, check, seconds: float, what: str) -> None:
    """:func:`support.net.wait_until` for what Playwright's event handlers make true (a route held by a handler):
    each poll first lets them run for 50 ms, since they only run while a Playwright call is under way (the plain
    sleep between polls would starve them)."""

    def after_the_page_ran():
        page.wait_for_timeout(50)
        return check()

    wait_until(after_the_page_ran, seconds, what, interval=0)
