"""The page tells a player what each code gene drives (issue 21 item 4, issue 24 item 2): with a v3 renderer,
each of the barcode's 64 genes has a tooltip, the collapsed table lists every gene with this character's value,
and the fuse page says what each mode makes of the genes the parents differ on most; with v2's, whose genes have
no named roles, none of these appears."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

from latentkin_core.genome import Genome
from support.browser import PHONE, connect

pytestmark = pytest.mark.timeout(240)


def _wait_drawn(url: str, token: int, digest: bytes, by: bool = True, timeout: float = 60) -> dict:
    """The token as ``url`` serves it, once its image URL names (``by``) or no longer names renderer ``digest``."""
    deadline = time.monotonic() + timeout
    while True:
        r = httpx.get(f"{url}/tokens/{token}", timeout=5)
        if r.status_code == 200 and r.json()["image"].endswith(digest.hex()[:16]) == by:
            return r.json()
        assert time.monotonic() < deadline, f"{url}: token {token} drawn by {digest.hex()[:16]} is not {by}"
        time.sleep(0.3)


def test_the_barcode_explains_every_gene_of_a_v3_portrait(node_chain, v3_service, service_url, open_page):
    url, v3_hash = v3_service
    token = node_chain.mint(node_chain.player, 2101)
    contract = node_chain.contract.functions
    old_hash = contract.rendererHash().call()
    node_chain.send(contract.setRendererHash(v3_hash), node_chain.owner)
    try:
        body = _wait_drawn(url, token, v3_hash)
        genes = Genome.from_hex(body["genome"]).genes
        page = open_page(path="/", **PHONE)
        page.goto(f"{url}/#/token/{token}")
        bars = page.locator(".barcode .bar-gene")
        expect(bars).to_have_count(64)
        expect(bars.nth(0).locator("title")).to_have_text(
            f"Gene 0 — Face width: narrow (0) to wide (15). Here: {genes[0]}."
        )
        section = page.locator("details.genes")
        section.locator("summary").click()
        expect(section.locator("tbody tr")).to_have_count(64)
        row = section.locator('tr[data-gene="12"]')
        expect(row.locator("td").nth(0)).to_have_text("eye height")
        expect(row.locator(".gene-value")).to_have_text(f" {genes[12]}")
        expect(row.locator("meter")).to_have_attribute("value", str(genes[12]))
        assert page.js_errors == []
    finally:
        node_chain.send(contract.setRendererHash(old_hash), node_chain.owner)

    _wait_drawn(service_url, token, v3_hash, by=False)  # the shipped default (v2): no named roles
    page = open_page(path=f"/#/token/{token}", **PHONE)
    expect(page.locator(".barcode")).to_be_visible()
    expect(page.locator(".barcode .bar-gene")).to_have_count(0)
    expect(page.locator("details.genes")).to_have_count(0)


def test_the_fuse_page_says_what_each_mode_does_to_the_genes(node_chain, v3_service, service_url, open_page):
    url, v3_hash = v3_service
    a, b = node_chain.mint(node_chain.player, 2102), node_chain.mint(node_chain.player, 2103)
    contract = node_chain.contract.functions
    old_hash = contract.rendererHash().call()
    node_chain.send(contract.setRendererHash(v3_hash), node_chain.owner)
    try:
        ga = Genome.from_hex(_wait_drawn(url, a, v3_hash)["genome"]).genes
        gb = Genome.from_hex(_wait_drawn(url, b, v3_hash)["genome"]).genes
        roles = httpx.get(f"{url}/genes", timeout=5).json()["genes"]
        differ = sorted((j for j in range(64) if ga[j] != gb[j]), key=lambda j: (-abs(ga[j] - gb[j]), j))[:4]
        page = open_page(path="/", **PHONE)
        page.goto(f"{url}/#/fuse?a={a}&b={b}")
        connect(page)
        page.get_by_role("button", name="Preview possible children").click()
        items = page.locator(".fusion-odds .fuse-genes li")
        expect(items).to_have_count(len(differ), timeout=30_000)
        for k, j in enumerate(differ):
            x, y = ga[j], gb[j]
            low, high = (x + y) // 2, (x + y + 1) // 2
            blend = f"{low}" if low == high else f"{low} or {high}"
            expect(items.nth(k)).to_have_attribute("data-gene", str(j))
            expect(items.nth(k)).to_contain_text(
                f"#{a} has {x}, #{b} has {y} ({roles[j]['low']} (0) to {roles[j]['high']} (15))"
                f" — crossover gives {x} or {y}, blend {blend}."
            )
        assert page.js_errors == []
    finally:
        node_chain.send(contract.setRendererHash(old_hash), node_chain.owner)
    _wait_drawn(service_url, b, v3_hash, by=False)
    page = open_page(path=f"/#/fuse?a={a}&b={b}", **PHONE)
    connect(page)
    page.get_by_role("button", name="Preview possible children").click()
    expect(page.locator(".fusion-odds")).to_be_visible(timeout=30_000)
    expect(page.locator(".fuse-genes")).to_have_count(0)  # v2: no named roles, nothing claimed
