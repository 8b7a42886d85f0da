"""Pure metadata builders."""

from __future__ import annotations

import re

import pytest

from latentkin_core.genome import FusionMode, Genome
from offchain.render.fusion_preview import contact_sheet, preview_children, preview_seed
from offchain.token.info import TokenInfo
from offchain.token.metadata import background_color, token_metadata
from renderer.table import load_table


def test_founder_and_child_metadata():
    table = load_table()
    genome = Genome.from_parts([j % 16 for j in range(64)], list(range(8)), list(range(8, 16)))
    founder = token_metadata(TokenInfo(3, "0xabc", genome), table, "https://x.test", 256).model_dump()
    assert founder["name"] == "latentkin #3" and founder["parents"] == [] and founder["seed"] is None
    assert founder["image"] == "https://x.test/tokens/3/image.png?size=256"
    assert "generation-0" in founder["description"]
    hidden = [a for a in founder["attributes"] if a["trait_type"].startswith("Hidden ")]
    assert [a["value"] for a in hidden] == [table.trait_value(i, 8 + i) for i in range(8)]
    child = token_metadata(TokenInfo(9, "0xabc", genome, 1, 2, 1, 0, 77, seed=5), table, "", 64).model_dump()
    assert child["parents"] == [1, 2] and child["seed"] == "0x" + "0" * 63 + "5"
    numbers = {a["trait_type"]: a["value"] for a in child["attributes"] if "display_type" in a}
    assert numbers == {"Generation": 1, "Fusions": 0, "Cooldown until block": 77}
    assert founder["fusion_mode"] is None and "Fusion" not in {a["trait_type"] for a in founder["attributes"]}


@pytest.mark.parametrize("mode", list(FusionMode))
def test_a_fused_child_says_how_it_was_fused(mode):
    genome = Genome.from_parts([j % 16 for j in range(64)], list(range(8)), list(range(8, 16)))
    doc = token_metadata(TokenInfo(9, "0xabc", genome, 1, 2, 1, 0, 77, 5, mode), load_table(), "", 64).model_dump()
    assert doc["fusion_mode"] == mode.label
    assert {"trait_type": "Fusion", "value": mode.label} in doc["attributes"]
    assert f"fused from #1 and #2 by {mode.label}" in doc["description"]


def test_background_color_is_six_light_hex_digits():
    colors = {background_color(Genome(code, 0)) for code in (0, 1 << 240, 2**256 - 1, 12345 << 232)}
    assert len(colors) == 4
    for color in colors:
        assert re.fullmatch(r"[0-9a-f]{6}", color)
        assert all(int(color[i : i + 2], 16) >= 0xC0 for i in (0, 2, 4))


def test_preview_seeds_depend_on_every_input():
    a, b = Genome(1, 2), Genome(3, 4)
    seeds = {preview_seed(a, b, 0, 0), preview_seed(b, a, 0, 0), preview_seed(a, b, 1, 0), preview_seed(a, b, 0, 1)}
    assert len(seeds) == 4
    assert [s for s, _ in preview_children(a, b, 9, 3)] == [preview_seed(a, b, 9, i) for i in range(3)]


def test_contact_sheet_layout():
    from PIL import Image

    red, blue = Image.new("RGB", (8, 8), "red"), Image.new("RGB", (8, 8), "blue")
    sheet = contact_sheet([red, red], [blue] * 5, 16)
    assert sheet.size == (4 * (16 + 4) + 4, 3 * (16 + 4) + 4)
    assert sheet.getpixel((4 + 8, 4 + 8)) == (255, 0, 0)
    assert sheet.getpixel((4 + 8, 24 + 8)) == (0, 0, 255)
