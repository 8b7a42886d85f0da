"""Images: PNGs of the right size, byte-identical across calls, cached on disk, ETag / 304."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from latentkin_core.genome import Genome
from offchain.api.main import create_app
from offchain.render.pool import encode_png


def png(response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    return image


def test_token_image_sizes_never_stretch_more_than_4x(client, app, renderer):
    served = [s for s in app.state.services.settings.image_sizes if s <= 4 * renderer.native_size]
    assert served and client.get("/healthz").json()["image_sizes"] == served
    for size in served:
        assert png(client.get("/tokens/3/image.png", params={"size": size})).size == (size, size)
    for size in set(app.state.services.settings.image_sizes) - set(served):
        refused = client.get("/tokens/3/image.png", params={"size": size})
        assert refused.status_code == 422 and "at most" in refused.text
    default = app.state.services.settings.image_default_size
    assert png(client.get("/tokens/3/image.png")).size == (default, default)


def test_images_are_byte_identical_and_cached_on_disk(client, app, kin_chain, renderer):
    services = app.state.services
    first = client.get("/tokens/6/image.png", params={"size": 128})
    second = client.get("/tokens/6/image.png", params={"size": 128})
    assert first.content == second.content
    by_genome = client.get(f"/genomes/{kin_chain.genomes[6].to_hex()}/image.png", params={"size": 128})
    assert by_genome.content == first.content
    cached = list(services.cache.directory.rglob(f"{kin_chain.genomes[6].to_hex()}.png"))
    assert [p.parent.name for p in cached] == ["128"]
    assert cached[0].read_bytes() == first.content
    assert cached[0].parent.parent.name == renderer.renderer_hash().hex()


def test_image_matches_a_direct_render(client, kin_chain, renderer):
    image = png(client.get("/tokens/7/image.png", params={"size": 64}))
    direct = renderer.render_images([kin_chain.genomes[7]], 64)[0]
    assert image.convert("RGB").tobytes() == direct.convert("RGB").tobytes()


def test_etag_cache_control_and_304(client, kin_chain, renderer):
    version = renderer.renderer_hash().hex()[:16]
    addressed = client.get(f"/genomes/{kin_chain.genomes[2].to_hex()}/image.png", params={"size": 64, "v": version})
    assert "immutable" in addressed.headers["cache-control"]
    assert "max-age=31536000" in addressed.headers["cache-control"]
    response = client.get("/tokens/2/image.png", params={"size": 64})
    etag = response.headers["etag"]
    assert etag == addressed.headers["etag"]
    assert "immutable" not in response.headers["cache-control"]  # a reorg may give token 2 another genome
    again = client.get("/tokens/2/image.png", params={"size": 64}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other = client.get("/tokens/2/image.png", params={"size": 128}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


def test_any_genome_renders(client):
    genome = Genome(2**255 + 12345, 0x0123456789ABCDEF)
    image = png(client.get(f"/genomes/0x{genome.to_hex().upper()}/image.png", params={"size": 64}))
    assert image.size == (64, 64)


def test_bad_image_requests_are_422_or_404(client):
    assert client.get("/tokens/999/image.png").status_code == 404
    assert client.get("/tokens/0/image.png").status_code == 422
    for size in ("100", "0", "99999", "big"):
        assert client.get("/tokens/1/image.png", params={"size": size}).status_code == 422, size
    for genome in ("zz", "00" * 39, "g" * 80, "00" * 41):
        assert client.get(f"/genomes/{genome}/image.png").status_code == 422, genome


def test_metadata_image_url_names_the_genome_and_the_renderer(client, renderer, kin_chain):
    image_url = client.get("/tokens/1").json()["image"]
    assert f"/genomes/{kin_chain.genomes[1].to_hex()}/image.png?" in image_url
    assert image_url.endswith(f"&v={renderer.renderer_hash().hex()[:16]}")
    path = image_url.removeprefix("http://testserver")
    assert png(client.get(path)).size[0] > 0


@pytest.fixture(scope="module")
def real_client(tmp_path_factory, kin_chain, real_renderer, service_settings):
    """The app drawing with the shipped generator instead of the test renderer."""
    settings = service_settings(tmp_path_factory.mktemp("real-renderer"), kin_chain)
    app = create_app(settings, w3=kin_chain.w3, renderer=real_renderer)
    app.state.services.indexer.sync()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_the_shipped_renderer_is_served_byte_for_byte(real_client, kin_chain, real_renderer):
    for token_id, size in ((7, 64), (9, 256)):
        response = real_client.get(f"/tokens/{token_id}/image.png", params={"size": size})
        assert response.status_code == 200
        assert response.content == encode_png(real_renderer.render_images([kin_chain.genomes[token_id]], size)[0])
        assert response.headers["etag"].startswith(f'"{real_renderer.renderer_hash().hex()[:16]}-{size}-')


def test_webp_is_the_same_portrait_in_fewer_bytes(real_client, kin_chain):
    """The page's copy (issue 24: a phone on a slow network waits for the first row's bytes): the shipped
    renderer's portrait within lossy error, a fraction of the PNG's bytes, its own ETag and cache file, 304."""
    client = real_client
    services = client.app.state.services
    png_response = client.get("/tokens/5/image.png", params={"size": 256})
    webp_response = client.get("/tokens/5/image.webp", params={"size": 256})
    assert webp_response.status_code == 200, webp_response.text
    assert webp_response.headers["content-type"] == "image/webp"
    webp = Image.open(io.BytesIO(webp_response.content))
    assert webp.format == "WEBP" and webp.size == (256, 256)
    assert len(webp_response.content) < len(png_response.content) / 2
    reference = png(png_response).convert("RGB").tobytes()
    mean_error = sum(abs(a - b) for a, b in zip(webp.convert("RGB").tobytes(), reference, strict=True)) / len(reference)
    assert mean_error < 8  # of 255: lossy, but the same portrait
    etag = webp_response.headers["etag"]
    assert etag != png_response.headers["etag"]
    assert client.get("/tokens/5/image.webp", params={"size": 256}, headers={"If-None-Match": etag}).status_code == 304
    by_genome = client.get(f"/genomes/{kin_chain.genomes[5].to_hex()}/image.webp", params={"size": 256})
    assert by_genome.content == webp_response.content
    cached = sorted(p.name for p in services.cache.directory.rglob(f"{kin_chain.genomes[5].to_hex()}.*"))
    assert cached == [f"{kin_chain.genomes[5].to_hex()}.png", f"{kin_chain.genomes[5].to_hex()}.webp"]


def test_an_unknown_image_format_is_422(client):
    refused = client.get("/tokens/1/image.gif")
    assert refused.status_code == 422 and "webp" in refused.text
