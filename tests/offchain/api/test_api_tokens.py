"""GET /tokens/{id}, /tokens, /tokens/{id}/family, /contract, /config.json over the eth-tester chain."""

from __future__ import annotations

import re

from latentkin_core.genome import TRAITS, Genome
from renderer.table import load_table

OPENSEA_KEYS = {"name", "description", "image", "external_url", "background_color", "attributes"}


def test_metadata_matches_the_chain(client, kin_chain):
    table = load_table()
    for token_id in (1, 4, 9, 11):
        body = client.get(f"/tokens/{token_id}").json()
        genome = kin_chain.reader.genome_of(token_id)
        lineage = kin_chain.reader.lineage_of(token_id)
        assert body["name"] == f"latentkin #{token_id}"
        assert body["genome"] == genome.to_hex()
        assert body["owner"] == kin_chain.reader.owner_of(token_id)
        assert body["generation"] == lineage.generation
        assert body["fusion_count"] == lineage.fusion_count
        assert body["cooldown_until"] == lineage.cooldown_until
        expected_parents = [lineage.parent_a, lineage.parent_b] if lineage.parent_a else []
        assert body["parents"] == expected_parents
        attrs = {a["trait_type"]: a for a in body["attributes"]}
        for i, name in enumerate(table.trait_names):
            assert attrs[name]["value"] == table.trait_value(i, genome.main(i))
            assert attrs[f"Hidden {name}"]["value"] == table.trait_value(i, genome.sub(i))
        assert attrs["Generation"] == {
            "display_type": "number",
            "trait_type": "Generation",
            "value": lineage.generation,
        }
        assert attrs["Fusions"]["value"] == lineage.fusion_count
        assert attrs["Cooldown until block"]["value"] == lineage.cooldown_until


def test_metadata_follows_the_opensea_schema(client):
    body = client.get("/tokens/9").json()
    assert body.keys() >= OPENSEA_KEYS
    assert re.fullmatch(r"[0-9a-f]{6}", body["background_color"])
    assert re.fullmatch(r"http://testserver/genomes/[0-9a-f]{80}/image\.png\?size=\d+&v=[0-9a-f]{16}", body["image"])
    assert body["genome"] in body["image"]
    assert body["external_url"].startswith("http://testserver/")
    assert len(body["attributes"]) == 2 * TRAITS + 1 + 3  # shown, hidden, the fusion mode (a child), numbers
    for attribute in body["attributes"]:
        assert set(attribute) <= {"trait_type", "value", "display_type"}
        assert isinstance(attribute["trait_type"], str)
        if "display_type" in attribute:
            assert attribute["display_type"] == "number" and isinstance(attribute["value"], int)
        else:
            assert isinstance(attribute["value"], str)


def test_fused_metadata_has_seed_and_parents(client, kin_chain):
    result = kin_chain.fusions[-1]
    body = client.get(f"/tokens/{result.child_id}").json()
    assert body["seed"] == f"0x{result.seed:064x}"
    assert body["parents"] == [result.parent_a, result.parent_b]
    assert "fused from #9 and #10 by crossover" in body["description"]
    assert body["fusion_mode"] == "crossover" and {"trait_type": "Fusion", "value": "crossover"} in body["attributes"]
    blended = client.get("/tokens/10").json()
    assert blended["fusion_mode"] == "blend" and {"trait_type": "Fusion", "value": "blend"} in blended["attributes"]
    assert "by blend" in blended["description"]
    assert client.get("/tokens/1").json()["seed"] is None
    assert client.get("/tokens/1").json()["fusion_mode"] is None


def test_unknown_and_malformed_token_ids(client):
    missing = client.get("/tokens/999")
    assert missing.status_code == 404 and "999" in missing.json()["detail"]
    for bad in ("0", "-1", "abc", "1.5", str(2**40)):
        response = client.get(f"/tokens/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"][:2] == ["path", "token_id"]


def test_gallery_pages_and_owner_filter(client, kin_chain):
    first = client.get("/tokens", params={"limit": 4, "sort": "oldest"}).json()
    assert [t["token_id"] for t in first["items"]] == [1, 2, 3, 4]
    second = client.get("/tokens", params={"limit": 4, "sort": "oldest", "cursor": first["next_cursor"]}).json()
    assert [t["token_id"] for t in second["items"]] == [5, 6, 7, 8]
    rest = client.get("/tokens", params={"limit": 4, "sort": "oldest", "cursor": second["next_cursor"]}).json()
    assert [t["token_id"] for t in rest["items"]] == [9, 10, 11] and rest["next_cursor"] is None
    owner = kin_chain.accounts[1].lower()  # any case
    mine = client.get("/tokens", params={"owner": owner}).json()
    assert [t["token_id"] for t in mine["items"]] == [8, 4]  # newest first by default
    assert all(t["owner"] == kin_chain.accounts[1] for t in mine["items"])
    assert client.get("/tokens", params={"owner": "0x1234"}).status_code == 422
    assert client.get("/tokens", params={"cursor": "x"}).status_code == 422


def test_family_tree(client):
    body = client.get("/tokens/11/family", params={"depth": 2}).json()
    ancestors = body["ancestors"]
    assert ancestors["token_id"] == 11
    assert [p["token_id"] for p in ancestors["parents"]] == [9, 10]
    grand = [[g["token_id"] for g in p["parents"]] for p in ancestors["parents"]]
    assert grand == [[1, 2], [3, 5]]
    # Blended children are marked: #10 = 3 x 5 by blend, the others by crossover, founders by nothing.
    assert [p["fusion_mode"] for p in ancestors["parents"]] == ["crossover", "blend"]
    assert ancestors["fusion_mode"] == "crossover" and ancestors["parents"][1]["parents"][0]["fusion_mode"] is None
    assert body["descendants"] == {**body["descendants"], "token_id": 11, "children": []}

    founder = client.get("/tokens/1/family", params={"depth": 2}).json()
    assert founder["ancestors"]["parents"] == []
    kids = founder["descendants"]["children"]
    assert [k["token_id"] for k in kids] == [9]
    assert [g["token_id"] for g in kids[0]["children"]] == [11]

    shallow = client.get("/tokens/1/family", params={"depth": 1}).json()
    assert shallow["descendants"]["children"][0]["children"] == []
    assert client.get("/tokens/1/family", params={"depth": 0}).status_code == 422
    assert client.get("/tokens/999/family").status_code == 404


def test_family_tree_is_capped(app, client):
    settings = app.state.services.settings
    original = settings.family_nodes_max
    settings.family_nodes_max = 2
    try:
        body = client.get("/tokens/11/family", params={"depth": 3}).json()
    finally:
        settings.family_nodes_max = original
    assert body["truncated"] is True


def test_contract_metadata_and_web_config(client, kin_chain):
    body = client.get("/contract").json()
    assert body["address"] == kin_chain.deployment.address and body["chain_id"] == kin_chain.deployment.chain_id
    assert {"name", "description", "image", "external_link"} <= body.keys()
    config = client.get("/config.json").json()
    assert config == {**config, "chainId": kin_chain.deployment.chain_id, "address": kin_chain.deployment.address}


def test_the_collection_image_is_one_the_active_renderer_serves(client):
    """The test renderer draws 64 px and serves up to 256 of the offered 64…512: the image is the largest it serves
    (it named 512, a 422, after a switch to the 64 px v1)."""
    image = client.get("/contract").json()["image"]
    assert image.endswith("?size=256")
    response = client.get(image.removeprefix("http://testserver"))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"


def test_metadata_genome_round_trips(client, kin_chain):
    body = client.get("/tokens/10").json()
    assert Genome.from_hex(body["genome"]) == kin_chain.genomes[10]


def test_a_token_has_one_spelling(client):
    assert client.get("/tokens/1").status_code == 200
    for spelling in ("+1", "01", "%201", "1%20", "0x1", "1.0"):
        response = client.get(f"/tokens/{spelling}")
        assert response.status_code == 422, spelling
        assert client.get(f"/tokens/{spelling}/image.png").status_code == 422, spelling
