"""Several renderers in one service: the active one follows the contract's rendererHash, and every
loaded one stays reachable by hash, so a collection that pins v1 keeps serving v1."""

from __future__ import annotations

import io
import time

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from offchain.api.main import create_app
from renderer.model_v2 import ModelConfigV2
from renderer.render import Renderer
from support.chain import make_chain
from support.service import service_settings
from support.tiny_models import export_untrained

V2 = ModelConfigV2(
    size=128,
    embed_dim=4,
    w_dim=16,
    mapping_layers=1,
    g_channels={4: 8, 8: 8, 16: 8, 32: 8, 64: 8, 128: 8},
    g_convs={4: 1, 8: 1, 16: 1, 32: 1, 64: 1, 128: 1},
    d_channels={128: 8, 64: 8, 32: 8, 16: 8, 8: 8, 4: 8},
)


@pytest.fixture(scope="module")
def v2_renderer(tmp_path_factory):
    r = Renderer.load(export_untrained(V2, tmp_path_factory.mktemp("v2"), seed=3), workers=1)
    yield r
    r.close()


def size_of(response) -> int:
    assert response.status_code == 200, response.text
    return Image.open(io.BytesIO(response.content)).size[0]


def test_the_service_follows_the_contract_and_keeps_every_renderer(tmp_path, renderer, v2_renderer):
    v1_hash, v2_hash = bytes(renderer.renderer_hash()), bytes(v2_renderer.renderer_hash())
    chain = make_chain(tmp_path / "deployments", v1_hash)
    chain.mint()
    app = create_app(service_settings(tmp_path, chain), w3=chain.w3, renderer=renderer, extra_renderers=[v2_renderer])
    services = app.state.services
    services.indexer.sync()
    genome = chain.genomes[1].to_hex()
    with TestClient(app) as client:
        health = client.get("/healthz").json()
        assert health["renderer"]["hash"] == "0x" + v1_hash.hex() and health["renderer"]["match"] is True
        assert {r["hash"]: r["active"] for r in health["renderer"]["served"]} == {
            "0x" + v1_hash.hex(): True,
            "0x" + v2_hash.hex(): False,
        }
        assert client.get("/config.json").json()["imageSizes"] == [64, 128, 256]  # v1: at most 4 x 64
        v1_url = client.get("/tokens/1").json()["image"].removeprefix("http://testserver")
        assert v1_url.endswith(v1_hash.hex()[:16])
        v1_png = client.get(v1_url).content

        # the owner switches the collection to v2: one transaction
        chain.actor.set_renderer_hash(v2_hash)
        services.indexer.sync()
        services.check_renderer_hash(force=True)
        assert client.get("/healthz").json()["renderer"]["hash"] == "0x" + v2_hash.hex()
        assert client.get("/config.json").json()["imageSizes"] == [64, 128, 256, 512]
        v2_url = client.get("/tokens/1").json()["image"].removeprefix("http://testserver")
        assert v2_url.endswith(v2_hash.hex()[:16]) and genome in v2_url
        assert size_of(client.get("/tokens/1/image.png", params={"size": 512})) == 512
        assert client.get(v2_url).content != v1_png
        # the v1 picture is still served, byte for byte, under its own hash
        assert client.get(v1_url).content == v1_png
        assert client.get(v1_url.replace("size=256", "size=512")).status_code == 422  # v1 is never stretched 8x

        for bad in ("deadbeef", "0fca"):  # unknown, and too short to name a renderer
            missing = client.get(f"/genomes/{genome}/image.png", params={"v": bad})
            assert missing.status_code == 404 and "no renderer" in missing.json()["detail"]


def test_every_worker_follows_a_switch_once_it_is_indexed(tmp_path, renderer, v2_renderer):
    """No /healthz, no forced check: the indexer (here stepped by hand, as `latentkin index` would) records the
    RendererHashChanged event, and the worker's metadata names the new renderer within a few seconds."""
    v1_hash, v2_hash = bytes(renderer.renderer_hash()), bytes(v2_renderer.renderer_hash())
    chain = make_chain(tmp_path / "deployments", v1_hash)
    chain.mint()
    app = create_app(service_settings(tmp_path, chain), w3=chain.w3, renderer=renderer, extra_renderers=[v2_renderer])
    services = app.state.services
    services.indexer.sync()
    with TestClient(app) as client:
        assert client.get("/tokens/1").json()["image"].endswith(v1_hash.hex()[:16])
        chain.actor.set_renderer_hash(v2_hash)
        services.indexer.sync()
        deadline = time.monotonic() + 5  # well inside the 15 s the contract's hash is otherwise trusted
        while not client.get("/tokens/1").json()["image"].endswith(v2_hash.hex()[:16]):
            assert time.monotonic() < deadline, "the worker still serves the old renderer's URLs"
            time.sleep(0.2)
        assert client.get("/config.json").json()["imageSizes"] == [64, 128, 256, 512]


def test_the_gene_map_follows_the_renderer(tmp_path, renderer, v2_renderer):
    """/genes names what each code gene drives for a v3 renderer (its table v2's gene map, 64 entries), and
    nothing for v1 or v2, whose code genes have no named roles; ?v= picks a renderer, an unknown one is 404."""
    from renderer.portrait.genes import GENE_MAP
    from renderer.weights import FORMAT_V3

    v3_renderer = Renderer.load(export_untrained(V2, tmp_path / "v3", format_tag=FORMAT_V3), workers=1)
    v1_hash, v3_hash = bytes(renderer.renderer_hash()), bytes(v3_renderer.renderer_hash())
    chain = make_chain(tmp_path / "deployments", v1_hash)
    app = create_app(service_settings(tmp_path, chain), w3=chain.w3, renderer=renderer, extra_renderers=[v3_renderer])
    with TestClient(app) as client:
        active = client.get("/genes")
        assert active.status_code == 200 and active.json() == {"renderer_hash": "0x" + v1_hash.hex(), "genes": []}
        v3 = client.get("/genes", params={"v": v3_hash.hex()[:16]})
        assert v3.status_code == 200 and v3.headers["cache-control"].endswith("immutable")
        genes = v3.json()["genes"]
        assert [g["index"] for g in genes] == list(range(64))
        assert [g["describes"] for g in genes] == [g.describes for g in GENE_MAP]
        assert genes[0] == {
            "index": 0,
            "name": "face_width",
            "group": "face",
            "low": "narrow",
            "high": "wide",
            "describes": "Face width: narrow (0) to wide (15)",
        }
        assert client.get("/genes", params={"v": "deadbeef"}).status_code == 404
        assert client.get("/genes", params={"v": "xyz"}).status_code == 422
