"""The whole player journey in chromium: connect, public mint, fuse, reveal, complete, child page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from web3.logs import DISCARD

from latentkin_core.genome import Genome, blend, fuse

pytestmark = pytest.mark.timeout(180)


def image_loaded(page, selector: str) -> None:
    """Waits until the <img> at ``selector`` has decoded the service's PNG (not the placeholder)."""
    page.wait_for_function(
        """sel => { const el = document.querySelector(sel); return el && el.complete && el.naturalWidth > 0; }""",
        arg=selector,
        timeout=30_000,
    )
    element = page.locator(selector).first
    assert "portrait-missing" not in (element.get_attribute("class") or "")
    assert element.get_attribute("src").startswith(("/tokens/", "/genomes/", "http://127.0.0.1"))
    assert page.evaluate("sel => document.querySelector(sel).naturalWidth", selector) >= 64


def test_mint_fuse_complete_lands_on_child(node_chain, open_page, wait_indexed, shot):
    first = node_chain.mint(node_chain.player, seed=101)
    wait_indexed(first)
    page = open_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))

    # Connect.
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#wallet .account")).to_contain_text(node_chain.player[:6])

    # Public mint: request, wait for the reveal block, complete, land on the new character.
    page.get_by_role("link", name="Mint", exact=True).click()
    page.locator("#mint").click()
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=15_000)
    expect(page.locator("#activity")).to_contain_text("confirmed in block")
    shot(page, "01-mint-waiting-for-reveal")
    node_chain.mine(2)  # the reveal block, then one on top so its hash can be read
    page.get_by_role("button", name="Complete mint").click()
    page.wait_for_url(re.compile(r"#/token/\d+$"))
    minted = int(page.url.rsplit("/", 1)[1])
    assert node_chain.contract.functions.ownerOf(minted).call() == node_chain.player
    expect(page.locator("h1")).to_have_text(f"Character #{minted}")
    image_loaded(page, "#portrait")
    shot(page, "02-minted-character")

    # Fuse the minter's character with the freshly minted one.
    page.goto(f"/#/fuse?a={first}&b={minted}")
    expect(page.locator("#parent-a-info")).to_contain_text("Yours")
    expect(page.locator("#parent-b-info")).to_contain_text("Yours")
    expect(page.locator(".cost")).to_contain_text("0.001 ETH")
    page.get_by_role("button", name="Preview possible children").click()
    expect(page.locator('.preview-mode[data-mode="crossover"] .preview img')).to_have_count(6, timeout=30_000)
    expect(page.locator(".preview img")).to_have_count(12)  # beside the blend children
    image_loaded(page, ".preview img")
    shot(page, "03-fuse-preview")
    page.get_by_role("button", name="Request fusion").click()
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=15_000)
    shot(page, "04-fusion-waiting-for-reveal")
    expect(page.locator(".reveal-status")).to_contain_text("2 to go")
    complete = page.get_by_role("button", name="Complete fusion")
    node_chain.mine(1)
    expect(page.locator(".reveal-status")).to_contain_text("1 to go")
    expect(complete).to_be_disabled()
    node_chain.mine(1)
    expect(page.locator(".reveal-status")).to_contain_text("has arrived")
    expect(complete).to_be_enabled()
    page.get_by_role("button", name="Complete fusion").click()

    # The child's page: its image, its facts, and both parents in the family tree.
    page.wait_for_url(re.compile(r"#/token/\d+$"))
    child = int(page.url.rsplit("/", 1)[1])
    lineage = node_chain.contract.functions.lineageOf(child).call()
    assert {lineage[0], lineage[1]} == {first, minted} and lineage[5] == 0  # crossover, the default
    assert node_chain.contract.functions.ownerOf(child).call() == node_chain.player
    expect(page.locator("h1")).to_have_text(f"Character #{child}")
    image_loaded(page, "#portrait")
    facts = page.locator(".facts")
    expect(facts).to_contain_text("Generation1")
    expect(facts.get_by_role("link", name=f"#{first}")).to_be_visible()
    expect(facts.get_by_role("link", name=f"#{minted}")).to_be_visible()
    tree = page.locator("svg.tree")
    expect(tree.locator(f'a[data-token="{child}"]')).to_have_count(1, timeout=30_000)
    expect(tree.locator(f'a[data-token="{first}"]')).to_have_count(1)
    expect(tree.locator(f'a[data-token="{minted}"]')).to_have_count(1)
    page.wait_for_function("() => [...document.querySelectorAll('svg.tree image')].length >= 3")
    expect(page.locator("svg.barcode")).to_be_visible()
    shot(page, "05-child-page")  # waits for the images, the tree's thumbnails included

    # A node of the tree is a link to that character.
    tree.locator(f'a[data-token="{first}"]').click()
    page.wait_for_url(re.compile(rf"#/token/{first}$"))
    expect(page.locator("svg.tree").locator(f'a[data-token="{child}"]')).to_have_count(1, timeout=30_000)
    assert page.js_errors == []
    # Everything came from the service and the node: no CDN, works offline.
    assert {h.split(":")[0] for h in hosts} == {"127.0.0.1"}, hosts


def test_both_modes_previewed_side_by_side_and_a_blend_fusion(node_chain, open_page, wait_indexed, shot):
    a, b = node_chain.mint(node_chain.player, 121), node_chain.mint(node_chain.player, 122)
    wait_indexed(b)
    page = open_page(path=f"/#/fuse?a={a}&b={b}")
    previews = {}
    page.on("response", lambda r: "/fusion/preview?" in r.url and previews.update({r.url: r.json()}))
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#parent-b-info")).to_contain_text("Yours")
    expect(page.get_by_role("radio", name="Crossover")).to_be_checked()  # the default

    page.get_by_role("button", name="Preview possible children").click()
    columns = {mode: page.locator(f'.preview-mode[data-mode="{mode}"]') for mode in ("crossover", "blend")}
    for column in columns.values():
        expect(column.locator(".preview img")).to_have_count(6, timeout=30_000)
    # Side by side on a desktop screen, the chosen one marked.
    boxes = {mode: column.bounding_box() for mode, column in columns.items()}
    assert boxes["crossover"]["x"] + boxes["crossover"]["width"] <= boxes["blend"]["x"]
    assert abs(boxes["crossover"]["y"] - boxes["blend"]["y"]) < 2
    expect(columns["crossover"]).to_have_class(re.compile(r"\bchosen\b"))
    # The two previews share their seeds: child i differs only in how the genes were mixed.
    bodies = {body["mode"]: body for body in previews.values()}
    assert set(bodies) == {"crossover", "blend"} and bodies["blend"]["salt"] == bodies["crossover"]["salt"]
    parents = [Genome(*node_chain.contract.functions.genomeOf(t).call()) for t in (a, b)]
    shown = {}
    for body, rule in ((bodies["crossover"], fuse), (bodies["blend"], blend)):
        seeds = [int(c["seed"], 16) for c in body["children"]]
        assert [c["genome"] for c in body["children"]] == [rule(*parents, s).to_hex() for s in seeds]
        srcs = columns[body["mode"]].locator(".preview img").evaluate_all("els => els.map(e => e.src)")
        genomes = [c["genome"] for c in body["children"]]
        # 12 candidates asked, the 6 most different shown: the same positions (seeds) in both columns.
        shown[body["mode"]] = [genomes.index(s.split("/genomes/")[1].split("/")[0]) for s in srcs]
    assert len(bodies["crossover"]["children"]) == 12
    assert shown["crossover"] == shown["blend"] and len(set(shown["crossover"])) == 6
    image_loaded(page, '.preview-mode[data-mode="blend"] .preview img')

    # Pick blend from its column: the radio follows, the column is marked.
    page.get_by_role("button", name="Fuse by blend").click()
    expect(page.get_by_role("radio", name="Blend")).to_be_checked()
    expect(columns["blend"]).to_have_class(re.compile(r"\bchosen\b"))
    expect(page.get_by_role("button", name="Fuse by blend")).to_have_attribute("aria-pressed", "true")
    shot(page, "08-fuse-both-modes")
    page.get_by_role("button", name="Request fusion").click()
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=15_000)
    expect(page.locator("#activity")).to_contain_text("(blend)")
    request_id = int(page.locator(".reveal h3").inner_text().rsplit("#", 1)[1])
    assert node_chain.contract.functions.fusionRequest(request_id).call()[4] == 1
    node_chain.mine(2)
    page.get_by_role("button", name="Complete fusion").click()
    page.wait_for_url(re.compile(rf"#/token/{request_id}$"))

    # The child is blended, says so, and its family tree marks it.
    fused = node_chain.contract.events.Fused().get_logs(from_block=0, argument_filters={"childId": request_id})
    assert fused[0].args.mode == 1 and node_chain.contract.functions.lineageOf(request_id).call()[5] == 1
    child = Genome(*node_chain.contract.functions.genomeOf(request_id).call())
    assert child == blend(*parents, fused[0].args.seed)
    expect(page.locator(".facts")).to_contain_text("Fusionblend")
    node = page.locator(f'svg.tree a[data-token="{request_id}"]')
    expect(node).to_have_count(1, timeout=30_000)
    expect(node).to_have_class(re.compile(r"\btree-blend\b"))
    expect(node).to_have_attribute("aria-label", re.compile("blended from its parents"))
    expect(node.locator("text.tree-mode")).to_have_text("blend")
    # ... inside the picture, not cut off below the lowest row
    assert node.locator("text.tree-mode").evaluate(
        "el => el.getBBox().y + el.getBBox().height <= el.ownerSVGElement.viewBox.baseVal.height"
    )
    for parent in (a, b):  # founders are not marked
        expect(page.locator(f'svg.tree a[data-token="{parent}"]')).not_to_have_class(re.compile("tree-blend"))
    shot(page, "09-blended-child")
    assert page.js_errors == []


def test_gallery_pages_forward_and_back(node_chain, open_page, wait_indexed, shot):
    last = max(node_chain.mint(node_chain.stranger, seed) for seed in range(700, 713))  # at least 13: two pages of 12
    wait_indexed(last)
    page = open_page()
    grid = page.get_by_role("list", name="All characters")
    expect(grid.locator(".card")).to_have_count(12)
    first_page = grid.locator(".card-title").all_text_contents()
    expect(page.locator(".page-number")).to_have_text("Page 1")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator(".page-number")).to_have_text("Page 2")
    second_page = grid.locator(".card-title").all_text_contents()
    assert second_page and not set(second_page) & set(first_page)
    assert int(second_page[0][1:]) < int(first_page[-1][1:])  # newest first
    shot(page, "06-gallery-page-2")
    page.get_by_role("link", name="← Previous").click()
    expect(page.locator(".page-number")).to_have_text("Page 1")
    expect(grid.locator(".card-title")).to_have_text(first_page)


def test_pending_request_survives_reload_and_anyone_may_complete(node_chain, open_page, wait_indexed, shot):
    a, b = node_chain.mint(node_chain.player, 801), node_chain.mint(node_chain.player, 802)
    wait_indexed(b)
    page = open_page(path=f"/#/fuse?a={a}&b={b}")
    page.get_by_role("button", name="Connect wallet").first.click()
    expect(page.locator("#parent-b-info")).to_contain_text("Yours")
    page.get_by_role("button", name="Request fusion").click()
    expect(page.locator(".reveal-status")).to_contain_text("Waiting for the reveal block", timeout=15_000)
    request_id = int(page.locator(".reveal h3").inner_text().rsplit("#", 1)[1])

    # A reload (or a closed tab) keeps the request: the fuse page resumes watching it.
    page.reload()
    page.get_by_role("link", name="Fuse", exact=True).click()
    expect(page.locator(".pending .reveal h3")).to_have_text(f"Fusion request #{request_id}")
    shot(page, "07-pending-after-reload")

    # Someone else completes it; the page notices and lands on the child, which is the player's.
    node_chain.mine(2)  # the reveal block, then one on top (gas is estimated against the latest block)
    node_chain.send(node_chain.contract.functions.completeFusion(request_id), node_chain.stranger)
    page.wait_for_url(re.compile(rf"#/token/{request_id}$"))
    expect(page.locator(".facts")).to_contain_text("Owneryou")
    expect(page.locator(".pending")).to_have_count(0)
    # The page says who completed it (from the Fused event's completer, as indexed by the service).
    expect(page.locator("#completer")).to_have_attribute("title", node_chain.stranger, timeout=30_000)


def test_remembered_requests_finished_elsewhere_or_from_an_old_chain(node_chain, open_page, wait_indexed):
    a, b = node_chain.mint(node_chain.player, 811), node_chain.mint(node_chain.player, 812)
    receipt = node_chain.request_fusion(a, b, node_chain.player)
    (event,) = node_chain.contract.events.FusionRequested().process_receipt(receipt, errors=DISCARD)
    done = int(event.args.requestId)
    node_chain.mine(2)
    node_chain.send(node_chain.contract.functions.completeFusion(done), node_chain.stranger)
    wait_indexed(done)
    key = f"latentkin:pending:31337:{node_chain.contract.address.lower()}:{node_chain.player.lower()}"
    remembered = [
        {
            "kind": "fusion",
            "requestId": done,
            "revealBlock": event.args.revealBlock,
            "a": a,
            "b": b,
            "requestBlock": receipt.blockNumber,
            "requestBlockHash": receipt.blockHash.to_0x_hex(),
        },
        {
            "kind": "fusion",
            "requestId": 999,
            "revealBlock": 5,
            "a": a,
            "b": b,
            "requestBlock": receipt.blockNumber,
            "requestBlockHash": "0x" + "ab" * 32,
        },
    ]
    page = open_page(path="/#/")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps(remembered)])
    page.get_by_role("button", name="Connect wallet").first.click()
    page.get_by_role("link", name="Fuse", exact=True).click()
    pending = page.locator(".pending")
    expect(pending).to_contain_text(f"Fusion request #{done} is complete: see character #{done}.")
    expect(pending).to_contain_text("Request #999 was made on an earlier chain and is forgotten.")
    assert page.url.endswith("#/fuse")  # no jump to another page
    assert page.evaluate("k => JSON.parse(localStorage.getItem(k))", key) == []
    pending.get_by_role("link", name=f"see character #{done}").click()
    expect(page.locator("h1")).to_have_text(f"Character #{done}")
