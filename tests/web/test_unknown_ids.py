"""An id nobody holds says "does not exist" at once; an id a pending request holds waits for its
completion, then shows the character (issue 15, point 3)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from web3.logs import DISCARD

from support.browser import PHONE

pytestmark = pytest.mark.timeout(120)


def test_unknown_id_answers_at_once(node_chain, open_page, wait_indexed):
    token = node_chain.mint(node_chain.player, 1520)
    wait_indexed(token)
    last = node_chain.contract.functions.lastTokenId().call()
    page = open_page(path="/#/", **PHONE)
    started = time.monotonic()
    page.goto(f"/#/token/{last + 500}")
    expect(page.locator("main .msg-error")).to_have_text(
        f"Character #{last + 500} does not exist. The newest id is #{last}.", timeout=5_000
    )
    assert time.monotonic() - started < 5
    expect(page.get_by_role("link", name="See every character")).to_be_visible()


def test_pending_id_waits_for_its_completion(node_chain, open_page, wait_indexed):
    a, b = node_chain.mint(node_chain.player, 1521), node_chain.mint(node_chain.player, 1522)
    receipt = node_chain.request_fusion(a, b, node_chain.player)
    (event,) = node_chain.contract.events.FusionRequested().process_receipt(receipt, errors=DISCARD)
    request_id = int(event.args.requestId)
    page = open_page(path=f"/#/token/{request_id}", **PHONE)
    expect(page.locator("main")).to_contain_text(f"Character #{request_id} is a request waiting to be completed")
    node_chain.mine(2)
    node_chain.send(node_chain.contract.functions.completeFusion(request_id), node_chain.stranger)
    expect(page.locator("#portrait")).to_be_visible(timeout=20_000)
    expect(page.locator("h1")).to_have_text(f"Character #{request_id}")
