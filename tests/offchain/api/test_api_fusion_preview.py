"""GET /fusion/preview and its contact sheet: the exact on-chain fusion rule, reproducible by salt."""

from __future__ import annotations

import io

from PIL import Image

from latentkin_core.genome import FusionMode, Genome, blend, fuse
from offchain.render.fusion_preview import preview_seed


def test_preview_children_follow_the_contract_rule(client, kin_chain):
    body = client.get("/fusion/preview", params={"a": 1, "b": 3, "n": 3, "salt": 7}).json()
    a, b = kin_chain.genomes[1], kin_chain.genomes[3]
    assert body["a"] == a.to_hex() and body["b"] == b.to_hex() and body["salt"] == 7
    assert len(body["children"]) == 3
    for i, child in enumerate(body["children"]):
        seed = int(child["seed"], 16)
        assert seed == preview_seed(a, b, 7, i)
        assert child["genome"] == kin_chain.reader.fusion_outcome(a, b, seed).to_hex() == fuse(a, b, seed).to_hex()
        assert child["image"].startswith(f"http://testserver/genomes/{child['genome']}/image.png")
        assert len(child["traits"]) == 8


def test_blend_preview_follows_the_contract_blend_rule_with_the_same_seeds(client, kin_chain):
    params = {"a": 1, "b": 3, "n": 3, "salt": 7}
    crossover = client.get("/fusion/preview", params=params).json()
    assert crossover["mode"] == "crossover"
    assert client.get("/fusion/preview", params=params | {"mode": "crossover"}).json() == crossover
    body = client.get("/fusion/preview", params=params | {"mode": "blend"}).json()
    a, b = kin_chain.genomes[1], kin_chain.genomes[3]
    assert body["mode"] == "blend" and body["contact_sheet"].endswith("&mode=blend")
    for child, twin in zip(body["children"], crossover["children"], strict=True):
        seed = int(child["seed"], 16)
        assert child["seed"] == twin["seed"] and child["traits"] == twin["traits"]  # same seed, same traits
        expected = kin_chain.reader.fusion_outcome(a, b, seed, FusionMode.BLEND)
        assert child["genome"] == expected.to_hex() == blend(a, b, seed).to_hex() != twin["genome"]


def test_the_api_offers_exactly_the_fusion_modes():
    from typing import get_args

    from offchain.api.schemas import FusionModeName

    assert get_args(FusionModeName) == tuple(mode.label for mode in FusionMode)


def test_an_unknown_mode_is_422(client):
    for bad in ("average", "BLEND", "2", ""):
        response = client.get("/fusion/preview", params={"a": 1, "b": 3, "mode": bad})
        assert response.status_code == 422, bad
        assert client.get("/fusion/preview.png", params={"a": 1, "b": 3, "mode": bad}).status_code == 422


def test_preview_is_reproducible_and_accepts_genomes(client, kin_chain):
    by_id = client.get("/fusion/preview", params={"a": 2, "b": 5, "n": 2, "salt": 1}).json()
    by_hex = client.get(
        "/fusion/preview",
        params={"a": kin_chain.genomes[2].to_hex(), "b": "0x" + kin_chain.genomes[5].to_hex(), "n": 2, "salt": 1},
    ).json()
    assert by_id["children"] == by_hex["children"]
    other = client.get("/fusion/preview", params={"a": 2, "b": 5, "n": 2, "salt": 2}).json()
    assert other["children"] != by_id["children"]


def test_preview_n_is_capped(client, app):
    cap = app.state.services.settings.preview_max
    body = client.get("/fusion/preview", params={"a": 1, "b": 2, "n": 64, "salt": 0}).json()
    assert body["n"] == cap and len(body["children"]) == cap
    assert client.get("/fusion/preview", params={"a": 1, "b": 2, "n": 65}).status_code == 422
    assert client.get("/fusion/preview", params={"a": 1, "b": 2, "n": 0}).status_code == 422


def test_preview_errors(client):
    assert client.get("/fusion/preview", params={"a": 1, "b": 999}).status_code == 404
    assert client.get("/fusion/preview", params={"a": "xyz", "b": 1}).status_code == 422
    assert client.get("/fusion/preview", params={"a": 1}).status_code == 422


def test_contact_sheet(client, kin_chain, renderer):
    body = client.get("/fusion/preview", params={"a": 1, "b": 3, "n": 4, "salt": 5, "size": 64}).json()
    path = body["contact_sheet"].removeprefix("http://testserver")
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    sheet = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert sheet.width >= 4 * 64 and sheet.height >= 2 * 64  # parents row + one row of 4 children
    assert client.get(path).content == response.content
    # the first child's cell is the child's own image
    pad = max(4, 64 // 16)
    cell = sheet.crop((pad, pad + 64 + pad, pad + 64, pad + 64 + pad + 64))
    child = Genome.from_hex(body["children"][0]["genome"])
    direct = renderer.render_images([child], 64)[0].convert("RGB")
    assert cell.tobytes() == direct.tobytes()


def test_blend_contact_sheet_draws_the_blended_children(client, renderer):
    body = client.get("/fusion/preview", params={"a": 1, "b": 3, "n": 4, "salt": 5, "size": 64, "mode": "blend"}).json()
    sheet = Image.open(io.BytesIO(client.get(body["contact_sheet"].removeprefix("http://testserver")).content))
    pad = max(4, 64 // 16)
    cell = sheet.convert("RGB").crop((pad, pad + 64 + pad, pad + 64, pad + 64 + pad + 64))
    child = Genome.from_hex(body["children"][0]["genome"])
    assert cell.tobytes() == renderer.render_images([child], 64)[0].convert("RGB").tobytes()


def test_a_character_cannot_preview_a_fusion_with_itself(client, kin_chain):
    for path in ("/fusion/preview", "/fusion/preview.png"):
        response = client.get(path, params={"a": 1, "b": 1})
        assert response.status_code == 409 and "itself" in response.json()["detail"], path
        assert client.get(path, params={"a": "01", "b": 2}).status_code == 422  # one spelling per id
    genome = kin_chain.genomes[1].to_hex()
    assert client.get("/fusion/preview", params={"a": genome, "b": genome}).status_code == 200  # twins may fuse
