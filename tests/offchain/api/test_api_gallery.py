"""GET /tokens as the gallery uses it: newest first, sort and filters, card fields; /chain/status;
an unknown id is a fast 404 that tells a pending request's id from one that cannot exist."""

from __future__ import annotations

from latentkin_core.genome import Genome
from offchain.api.main import create_app
from offchain.store.gallery import main_nibble_position
from renderer.table import load_table
from support.service import service_settings

ALL = list(range(1, 12))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [t["token_id"] for t in response.json()["items"]]


def test_newest_first_by_default_and_pages_keep_the_order(client):
    first = client.get("/tokens", params={"limit": 5}).json()
    assert [t["token_id"] for t in first["items"]] == [11, 10, 9, 8, 7]
    second = client.get("/tokens", params={"limit": 5, "cursor": first["next_cursor"]})
    assert ids(second) == [6, 5, 4, 3, 2]
    assert ids(client.get("/tokens", params={"limit": 5, "cursor": second.json()["next_cursor"]})) == [1]


def test_cards_carry_traits_rarity_owner_and_cooldown(client, kin_chain):
    table = load_table()
    body = client.get("/tokens", params={"limit": 100}).json()
    assert body["head"] == kin_chain.reader.head()
    for item in body["items"]:
        genome = Genome.from_hex(item["genome"])
        lineage = kin_chain.reader.lineage_of(item["token_id"])
        assert item["owner"] == kin_chain.reader.owner_of(item["token_id"])
        assert item["cooldown_until"] == lineage.cooldown_until and item["fusion_count"] == lineage.fusion_count
        assert [(t["trait"], t["value"], t["rarity"]) for t in item["traits"]] == [
            (name, table.trait_value(i, genome.main(i)), table.rarity(i, genome.main(i)))
            for i, name in enumerate(table.trait_names)
        ]


def test_generation_and_ready_filters(client, kin_chain):
    assert ids(client.get("/tokens", params={"generation": 1})) == [10, 9]
    assert ids(client.get("/tokens", params={"generation": 2})) == [11]
    head = kin_chain.reader.head()
    resting = {i for i in ALL if kin_chain.reader.lineage_of(i).cooldown_until > head}
    assert resting, "the fixture's parents should still be resting"
    assert set(ids(client.get("/tokens", params={"ready": "false"}))) == resting
    assert set(ids(client.get("/tokens", params={"ready": "true"}))) == set(ALL) - resting


def test_trait_filter_matches_the_expressed_value(client, kin_chain):
    table = load_table()
    for i in (0, 3, 7):
        value = table.trait_value(i, kin_chain.genomes[11].main(i))
        expected = sorted((t for t in ALL if table.trait_value(i, kin_chain.genomes[t].main(i)) == value), reverse=True)
        trait = f"{table.trait_names[i]}:{value}"
        assert ids(client.get("/tokens", params={"trait": trait, "limit": 100})) == expected
    # Two traits at once: both must hold.
    both = [f"{table.trait_names[k]}:{table.trait_value(k, kin_chain.genomes[11].main(k))}" for k in (0, 1)]
    got = ids(client.get("/tokens", params=[("trait", both[0]), ("trait", both[1])]))
    assert 11 in got and all(t in ids(client.get("/tokens", params={"trait": both[0]})) for t in got)


def test_main_nibble_position_reads_the_genome_hex():
    genome = Genome(0, sum((i + 1) << (8 * i) | (15 - i) << (8 * i + 4) for i in range(8)))
    for i in range(8):
        assert int(genome.to_hex()[main_nibble_position(i) - 1], 16) == genome.main(i) == i + 1


def test_bad_gallery_queries_are_422_with_a_reason(client):
    for params in (
        {"sort": "prettiest"},
        {"generation": -1},
        {"ready": "maybe"},
        {"trait": "Eyes"},
        {"trait": "Wings:Big"},
        {"trait": "Eyes:Sparkly"},
    ):
        response = client.get("/tokens", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"], params
    assert "values:" in str(client.get("/tokens", params={"trait": "Eyes:Sparkly"}).json()["detail"])


def test_chain_status_has_head_pace_and_mint_terms(client, kin_chain):
    body = client.get("/chain/status").json()
    functions = kin_chain.reader.contract.functions
    assert body["head"] == kin_chain.reader.head()
    assert body["chain_id"] == kin_chain.w3.eth.chain_id
    assert body["block_seconds"] >= 1
    assert int(body["mint_price_wei"]) == functions.publicMintPrice().call()
    assert body["mint_cap"] == functions.publicMintCap().call()
    assert body["minted"] == functions.publicMinted().call()
    assert int(body["fusion_fee_wei"]) == functions.fusionFee().call()


def test_unknown_id_is_404_at_once_and_a_pending_id_says_so(fresh_kin, tmp_path, renderer):
    from fastapi.testclient import TestClient

    request_id, _ = fresh_kin.actor.request_fusion(1, 2)
    app = create_app(service_settings(tmp_path, fresh_kin), w3=fresh_kin.w3, renderer=renderer)
    app.state.services.indexer.sync()
    with TestClient(app, raise_server_exceptions=False) as client:
        beyond = client.get(f"/tokens/{request_id + 1}")
        assert beyond.status_code == 404
        assert beyond.json() == {
            "detail": f"token {request_id + 1} does not exist: the last id handed out is {request_id}",
            "pending": False,
        }
        pending = client.get(f"/tokens/{request_id}")
        assert pending.status_code == 404 and pending.json()["pending"] is True
        assert "waiting to be completed" in pending.json()["detail"]
        assert client.get(f"/tokens/{request_id}/image.png").status_code == 404


def test_openapi_lists_exactly_the_trait_filters_that_exist(client):
    table = load_table()
    (param,) = [
        p for p in client.get("/openapi.json").json()["paths"]["/tokens"]["get"]["parameters"] if p["name"] == "trait"
    ]
    listed = param["schema"]["items"]["enum"]
    assert listed == [
        f"{name}:{table.trait_value(i, n)}"
        for i, name in enumerate(table.trait_names)
        for n in range(16)
        if table.trait_value(i, n) not in [table.trait_value(i, k) for k in range(n)]
    ]
    for trait in listed[::7]:
        assert client.get("/tokens", params={"trait": trait}).status_code == 200, trait


def test_openapi_documents_only_the_image_sizes_every_loaded_renderer_serves(client):
    """The test renderer draws 64 px and serves at most 4x that: 512 is offered by the settings but refused (422)."""
    params = client.get("/openapi.json").json()["paths"]["/genomes/{genome_hex}/image.{image_format}"]["get"][
        "parameters"
    ]
    (size,) = [p for p in params if p["name"] == "size"]
    documented = size["schema"]["anyOf"][0]["enum"]
    assert documented == [64, 128, 256]
    genome = "0x" + "ab" * 40
    assert all(client.get(f"/genomes/{genome}/image.png?size={s}").status_code == 200 for s in documented)
    assert client.get(f"/genomes/{genome}/image.png?size=512").status_code == 422


def _chance(genome: Genome) -> float:
    """The chance of the genome's eight shown values for random nibbles, from the table's own figures."""
    table, chance = load_table(), 1.0
    for i in range(8):
        chance *= table.value_probabilities(i)[table.value_index(i, genome.main(i))]
    return chance


def test_rarest_first_orders_by_the_chance_of_the_shown_values_then_id(client):
    """Issue 23's page gaps: sort by rarity, the table's figures (value_probabilities), paged by position."""
    items = client.get("/tokens", params={"sort": "rarest", "limit": 100}).json()["items"]
    assert sorted(t["token_id"] for t in items) == ALL
    keys = [(_chance(Genome.from_hex(t["genome"])), t["token_id"]) for t in items]
    assert keys == sorted(keys)
    assert [t["token_id"] for t in items] != ALL  # the order is the rarity's, not the ids'
    first = client.get("/tokens", params={"sort": "rarest", "limit": 4}).json()
    second = client.get("/tokens", params={"sort": "rarest", "limit": 4, "cursor": first["next_cursor"]})
    assert [t["token_id"] for t in first["items"]] + ids(second) == [t["token_id"] for t in items][:8]
    ready = ids(client.get("/tokens", params={"sort": "rarest", "ready": "true", "limit": 100}))
    assert ready == [t for t in (i["token_id"] for i in items) if t in ready]  # filters keep the order


def test_an_unknown_sort_is_422_naming_the_sorts(client):
    refused = client.get("/tokens", params={"sort": "prettiest"})
    assert refused.status_code == 422
    message = refused.json()["detail"][0]["msg"]
    assert all(name in message for name in ("newest", "oldest", "rarest", "cheapest", "dearest")), message
