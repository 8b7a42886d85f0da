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


def wait_in_page(page, check, seconds: float, what: str) -> None:
    """Wait until ``check()`` is true, letting the page and Playwright's event handlers run meanwhile (route
    handlers only run while a Playwright call is under way: a plain sleep would starve them)."""
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        page.wait_for_timeout(50)
    assert check(), f"timed out after {seconds} s waiting for {what}"
