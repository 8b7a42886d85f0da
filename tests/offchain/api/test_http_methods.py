"""HEAD answers like GET without a body, OPTIONS lists the allowed methods, CORS lets other
origins' pages (marketplaces, wallets' web views) read metadata and images."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from offchain.api.main import create_app
from support.service import service_settings


@pytest.fixture(params=["api only", "with web page"])
def any_client(request, tmp_path, kin_chain, renderer):
    directory = tmp_path
    web = directory / "web"
    web.mkdir()
    if request.param == "with web page":  # the static mount at / used to swallow HEAD
        (web / "index.html").write_text("<!doctype html><title>latentkin</title>")
    app = create_app(service_settings(directory, kin_chain, web_dir=web), w3=kin_chain.w3, renderer=renderer)
    app.state.services.indexer.sync()
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("path", ["/tokens/1", "/tokens/1/image.png?size=64", "/healthz", "/tokens?limit=2"])
def test_head_is_get_without_body(any_client, path):
    get, head = any_client.get(path), any_client.head(path)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    for header in ("content-type", "content-length", "etag", "cache-control"):
        assert head.headers.get(header) == get.headers.get(header), header


def test_head_of_unknown_token_is_404(any_client):
    assert any_client.head("/tokens/999").status_code == 404


def test_options_lists_allowed_methods(any_client):
    response = any_client.options("/tokens/1")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_cors_for_pages_on_other_origins(any_client):
    origin = {"Origin": "https://marketplace.example"}
    assert any_client.get("/tokens/1", headers=origin).headers["access-control-allow-origin"] == "*"
    image = any_client.get("/tokens/1/image.png?size=64", headers=origin)
    assert (
        image.headers["access-control-allow-origin"] == "*"
        and "etag" in image.headers["access-control-expose-headers"].lower()
    )
    preflight = any_client.options("/tokens/1", headers=origin | {"Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize(
    ("path", "allowed"), [("/orders", "GET, HEAD, OPTIONS, POST"), ("/orders/0x" + "ab" * 32, "GET, HEAD, OPTIONS")]
)
def test_options_lists_every_method_of_the_path(any_client, path, allowed):
    """``POST /orders`` shares its path with ``GET /orders``: OPTIONS names both."""
    response = any_client.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allowed
